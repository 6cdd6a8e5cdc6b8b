"""Plans for many clients: one CSV or JSON Lines row a client, solved on any
``concurrent.futures.Executor`` (local processes, or a Dask cluster's ``get_executor()``).

A CP-SAT model cannot be pickled, so a worker receives the client's validated constraints as JSON
data and builds its own model. The plan comes back as text and is written here, atomically, as soon
as it arrives: an interrupted run keeps every plan already written, and a rerun skips a client whose
plan carries the same input fingerprint and passes the checker.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from planner import __version__
from planner.catalog import catalog_dir
from planner.check import CatalogUnreadable, check_plan
from planner.config import ConfigError, apply_options, load_constraints
from planner.constraints import Constraints
from planner.files import write_atomic, write_output
from planner.options import RULE_OPTIONS, OptionError
from planner.render import render
from planner.search import WORK_LIMIT
from planner.solve import NoPlan, solve
from planner.textsafe import spreadsheet_cell

CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
OPTIONS = tuple(option.name for option in RULE_OPTIONS)
COLUMNS = ("client_id", *OPTIONS, "config")
SUMMARY_COLUMNS = ("row", "client_id", "result", "status", "objective", "coverage_score", "seconds")
SUMMARY = "summary.csv"
FAILURES = "failures.jsonl"


class BatchFileError(Exception):
    """The input file as a whole cannot be used (exit 2)."""


class RowError(Exception):
    """One row cannot be planned; the message is the reason recorded in failures.jsonl."""


@dataclass
class Outcome:
    """What became of one row: ``planned`` now, ``skipped`` (its plan was already there) or
    ``failed`` (``reason`` says why)."""

    row: int
    client_id: str | None
    result: Literal["planned", "skipped", "failed"]
    status: str = ""
    objective: int | None = None
    coverage_score: int | None = None
    seconds: float | None = None
    reason: str = ""


@dataclass
class Job:
    """A valid row, ready for a worker: its effective constraints and their fingerprint."""

    row: int
    client_id: str
    constraints: Constraints
    time_limit: float
    work_limit: float = WORK_LIMIT
    fingerprint: str = field(init=False)
    task: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.fingerprint = fingerprint(self.constraints, self.time_limit, self.work_limit)
        self.task = {
            "constraints": self.constraints.model_dump(mode="json"),
            "time_limit": self.time_limit,
            "work_limit": self.work_limit,
            "fingerprint": self.fingerprint,
        }


# --- reading the rows ------------------------------------------------------------------------
# A value longer than this is no option or file name: its row fails (and the reason stays short).
MAX_VALUE = 1000


def read_rows(path: Path) -> list[tuple[int, dict[str, Any] | str]]:
    """The rows of a ``.csv`` or ``.jsonl`` file as (line, values), or (line, reason) for a line
    that is not a row. Raises ``BatchFileError`` when the file as a whole is unusable."""
    from planner.files import read_text

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise BatchFileError(
            f"{path}: unknown input format {suffix or '(none)'}; use .csv or .jsonl"
        )
    try:
        text = read_text(path, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchFileError(f"cannot read {path}: {exc}") from None
    if suffix == ".csv":
        return _csv_rows(path, text)
    return _jsonl_rows(text)


def _too_long(values: dict[str, Any]) -> str | None:
    """The reason a row fails when one of its values is too long to be an option, else None."""
    for key, value in values.items():
        if len(str(key)) > MAX_VALUE or len(json.dumps(value)) > MAX_VALUE:
            return f"{str(key)[:40]}: a value of over {MAX_VALUE} characters"
    return None


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any] | str]]:
    # The file is capped as a whole; one long field only fails its own row.
    limit = csv.field_size_limit(len(text) + 1)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            header = [name.strip() for name in reader.fieldnames or []]
        except csv.Error as exc:
            raise BatchFileError(f"{path}: line {reader.line_num}: {exc}") from None
        if "client_id" not in header:
            raise BatchFileError(f"{path}: no client_id column (columns: {', '.join(COLUMNS)})")
        unknown = [name[:40] for name in header if name not in COLUMNS]
        if unknown:
            raise BatchFileError(
                f"{path}: unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}"
            )
        reader.fieldnames = header
        rows: list[tuple[int, dict[str, Any] | str]] = []
        line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # this record only; the reader goes on at the next line
                start, line = line + 1, reader.line_num
                rows.append((start, f"not a CSV row: {exc}"))
                continue
            start, line = line + 1, reader.line_num
            if None in values:
                rows.append(
                    (start, f"{len(header) + len(values[None])} values for {len(header)} columns")
                )
                continue
            row = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
            rows.append((start, _too_long(row) or row))
        return rows
    finally:
        csv.field_size_limit(limit)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is too large a number")
    return value


def _jsonl_rows(text: str) -> list[tuple[int, dict[str, Any] | str]]:
    rows: list[tuple[int, dict[str, Any] | str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            values = json.loads(line, parse_constant=_no_constant, parse_float=_finite)
        except (ValueError, RecursionError) as exc:  # bad JSON, NaN, too many digits, too deep
            rows.append((number, f"not valid JSON: {str(exc)[:200] or type(exc).__name__}"))
            continue
        if not isinstance(values, dict):
            rows.append((number, "not a JSON object"))
            continue
        unknown = [str(k)[:40] for k in values if k not in COLUMNS]
        if unknown:
            rows.append(
                (number, f"unknown key(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}")
            )
            continue
        rows.append((number, _too_long(values) or values))
    return rows


# --- one row -> its effective constraints ----------------------------------------------------
class Rows:
    """Turns rows into jobs: each row's values over its constraint file (relative to the input
    file) over the built-in defaults, parsed by the options table as the ``solve`` flags are."""

    def __init__(
        self,
        path: Path,
        time_limit: float,
        configs_anywhere: bool = False,
        work_limit: float = WORK_LIMIT,
    ) -> None:
        self.base_dir = path.parent
        self.configs_anywhere = configs_anywhere
        self.time_limit, self.work_limit = time_limit, work_limit
        self.configs: dict[Path, Constraints | str] = {}
        self.seen: dict[str, int] = {}

    def job(self, row: int, values: dict[str, Any]) -> Job:
        """A job for the row, or ``RowError`` naming what is wrong with it."""
        client_id = self.client_id(row, values.get("client_id"))
        return Job(row, client_id, self.constraints(values), self.time_limit, self.work_limit)

    def client_id(self, row: int, value: Any) -> str:
        if value is None or value == "":
            raise RowError("missing client_id")
        client_id = str(value)
        if not CLIENT_ID.fullmatch(client_id):
            raise RowError(
                f"client_id {client_id!r} is not a safe file name (letters, digits, "
                "'.', '_', '-', starting with a letter or digit, at most 100)"
            )
        first = self.seen.setdefault(client_id.casefold(), row)
        if first != row:
            raise RowError(f"duplicate client_id {client_id!r} (first on row {first})")
        return client_id

    def constraints(self, values: dict[str, Any]) -> Constraints:
        parsed: dict[str, Any] = {}
        for option in RULE_OPTIONS:
            value = values.get(option.name)
            if value is None or value == "":
                continue
            try:
                parsed[option.name] = option.parse(value)
            except OptionError as exc:
                raise RowError(f"{option.name}: {exc}") from None
        try:
            return apply_options(self.config(values.get("config")), parsed)
        except OptionError as exc:
            raise RowError(str(exc)) from None

    def config(self, value: Any) -> Constraints:
        if value is None or value == "":
            return Constraints()
        path = self.base_dir / str(value)
        if not (self.configs_anywhere or inside(path, self.base_dir)):
            # Said without looking: nothing tells whether such a file exists or what it holds.
            raise RowError(
                "config: the constraint file must be in the input file's folder or below "
                "(--configs-anywhere allows others)"
            )
        if path not in self.configs:
            try:
                self.configs[path] = load_constraints(path)
            except ConfigError as exc:
                self.configs[path] = str(exc)
        base = self.configs[path]
        if isinstance(base, str):
            raise RowError(f"config: {base}")
        return base


def inside(path: Path, folder: Path) -> bool:
    """``path``, symlinks resolved, is ``folder`` or below it."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name too long
        return False


def load(
    path: Path, time_limit: float, configs_anywhere: bool = False, work_limit: float = WORK_LIMIT
) -> list[Job | Outcome]:
    """Every row of the input file, in order: a job, or a failed outcome saying why not. A row's
    constraint file must lie in the input file's folder unless ``configs_anywhere``; each job's
    search gets ``work_limit`` deterministic seconds and ``time_limit`` wall seconds."""
    rows = Rows(path, time_limit, configs_anywhere, work_limit)
    items: list[Job | Outcome] = []
    for row, values in read_rows(path):
        client_id = values.get("client_id") if isinstance(values, dict) else None
        try:
            if isinstance(values, str):
                raise RowError(values)
            items.append(rows.job(row, values))
        except RowError as exc:
            items.append(
                Outcome(
                    row,
                    None if client_id in (None, "") else str(client_id),
                    "failed",
                    reason=str(exc),
                )
            )
    return items


# --- fingerprints: is an existing plan still the plan for these inputs? ----------------------
def fingerprint(c: Constraints, time_limit: float, work_limit: float = WORK_LIMIT) -> str:
    """A hash of what decides the plan: the effective constraints, the catalog, the solver budget
    and the planner version."""
    data = {
        "constraints": c.model_dump(mode="json"),
        "catalog": _catalog_digest(c.catalog),
        "time_limit": time_limit,
        "work_limit": work_limit,
        "planner": __version__,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@cache
def _catalog_digest(exercises: Path | None) -> str:
    digest = hashlib.sha256()
    for part in (exercises or catalog_dir() / "exercises.toml", catalog_dir() / "equipment.toml"):
        digest.update(part.read_bytes())
    return digest.hexdigest()


def existing(job: Job, out_dir: Path) -> Outcome | None:
    """The skipped outcome when the client's plan exists, has the job's fingerprint and
    constraints, and passes the checker; None when it must be (re)planned."""
    try:
        plan = json.loads((out_dir / f"{job.client_id}.json").read_text("utf-8"))
        if (
            plan["solver"]["fingerprint"] != job.fingerprint
            or plan["constraints"] != job.task["constraints"]
            or check_plan(plan)
        ):
            return None
        return Outcome(
            job.row,
            job.client_id,
            "skipped",
            plan["status"],
            plan["coverage"]["objective"],
            plan["coverage"]["score"],
            plan["solver"]["wall_seconds"],
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


# --- the worker ------------------------------------------------------------------------------
def plan_client(task: dict[str, Any]) -> dict[str, Any]:
    """Solve one client (runs in a worker): the plan JSON as ``planner solve -f json`` writes it,
    the fingerprint added under ``solver``, and checked; or the reason there is none."""
    started = time.perf_counter()
    c = Constraints.model_validate(task["constraints"])
    try:
        result = solve(c, time_limit=task["time_limit"], work_limit=task["work_limit"])
    except NoPlan as exc:
        reason = str(exc)
        if exc.conflicts:
            reason += "; these rules cannot all hold together: " + "; ".join(exc.conflicts)
        return {"reason": reason, "seconds": round(time.perf_counter() - started, 4)}
    plan = json.loads(result.plan.model_dump_json())
    plan["solver"]["fingerprint"] = task["fingerprint"]
    try:
        violations = check_plan(plan)
    except CatalogUnreadable as exc:  # the catalog file went away after the solve
        violations = [str(exc)]
    if violations:
        return {
            "reason": "the plan fails its check: " + "; ".join(violations),
            "seconds": plan["solver"]["wall_seconds"],
        }
    return {
        "plan": render(plan, "json"),
        "status": result.status,
        "objective": result.objective,
        "coverage_score": plan["coverage"]["score"],
        "seconds": plan["solver"]["wall_seconds"],
    }


# --- the run ---------------------------------------------------------------------------------
def run(
    items: list[Job | Outcome],
    out_dir: Path,
    executor: Executor,
    *,
    force: bool = False,
    on_outcome: Callable[[Outcome], None] = lambda _: None,
) -> list[Outcome]:
    """Plan every job on ``executor`` (skipping finished clients unless ``force``), write each plan
    as it arrives, then summary.csv and failures.jsonl over all rows. On an interrupt the reports
    are written with the unfinished rows failed, and the interrupt goes on."""
    outcomes: dict[int, Outcome] = {}

    def record(outcome: Outcome) -> None:
        outcomes[outcome.row] = outcome
        on_outcome(outcome)

    pending: dict[Future[dict[str, Any]], Job] = {}
    try:
        for item in items:
            if isinstance(item, Outcome):
                record(item)
            elif (done := None if force else existing(item, out_dir)) is not None:
                record(done)
            else:
                pending[executor.submit(plan_client, item.task)] = item
        for future in as_completed(pending):
            record(_finish(pending.pop(future), future, out_dir))
    except KeyboardInterrupt:
        for future, job in pending.items():
            future.cancel()
            outcomes[job.row] = Outcome(
                job.row, job.client_id, "failed", reason="interrupted before its plan was written"
            )
        raise
    finally:
        write_reports(out_dir, [outcomes[i.row] for i in items if i.row in outcomes])
    return [outcomes[i.row] for i in items]


def _finish(job: Job, future: Future[dict[str, Any]], out_dir: Path) -> Outcome:
    try:
        done = future.result()
    except Exception as exc:  # a worker that died or failed: this row fails, the rest go on
        return Outcome(
            job.row, job.client_id, "failed", reason=f"worker error: {type(exc).__name__}: {exc}"
        )
    if "reason" in done:
        return Outcome(
            job.row, job.client_id, "failed", seconds=done["seconds"], reason=done["reason"]
        )
    try:
        write_atomic(out_dir / f"{job.client_id}.json", done["plan"])
    except OSError as exc:
        return Outcome(job.row, job.client_id, "failed", reason=f"cannot write the plan: {exc}")
    return Outcome(
        job.row,
        job.client_id,
        "planned",
        done["status"],
        done["objective"],
        done["coverage_score"],
        done["seconds"],
    )


class ReportError(OSError):
    """summary.csv or failures.jsonl could not be written (the plans written are kept)."""


def write_reports(out_dir: Path, outcomes: Iterable[Outcome]) -> None:
    """summary.csv (one row a client) and failures.jsonl (one line a failed row); text cells are
    made safe for spreadsheets. Raises ``ReportError`` when either cannot be written."""
    outcomes = list(outcomes)
    table = io.StringIO(newline="")
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for o in outcomes:
        values = (getattr(o, name) for name in SUMMARY_COLUMNS)
        writer.writerow(
            ["" if v is None else spreadsheet_cell(v) if isinstance(v, str) else v for v in values]
        )
    failures = "".join(
        json.dumps(
            {
                "row": o.row,
                "client_id": None if o.client_id is None else spreadsheet_cell(o.client_id),
                "reason": spreadsheet_cell(o.reason),
            }
        )
        + "\n"
        for o in outcomes
        if o.result == "failed"
    )
    for name, text in ((SUMMARY, table.getvalue()), (FAILURES, failures)):
        try:
            write_output(out_dir / name, text)
        except OSError as exc:
            raise ReportError(f"cannot write {out_dir / name}: {exc.strerror or exc}") from None
