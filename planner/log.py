"""A filled training log, read back and checked against its plan.

Three formats are read, told apart by their header row:

- **the planner's own log**: the CSV of ``planner render -f csv`` (or ``solve -f csv``) with its
  fill-in columns filled (``load``, ``unit``, ``reps_done``, ``rir_done``, ``rpe_done``,
  ``done``), or the ``Log`` sheet of the Excel output. Rows of the warm-up, ramp-up and cool-down,
  and rows left blank, are not read. A row marked done with blank numbers was done as prescribed
  (the plan's reps and load, the week's RIR target);
- **a Strong export** (CSV, comma or semicolon separated): ``Date``, ``Exercise Name``, ``Set
  Order``, ``Weight``, ``Reps``, ``RPE`` (plus ``Weight Unit`` in older exports; newer ones carry
  no unit, so ``unit`` says which the app was set to). A ``Set Order`` of ``W`` is a warm-up set
  and is left out; ``F`` is a set to failure (RIR 0);
- **a Hevy export** (CSV): ``start_time`` (``26 Jul 2025, 07:06`` or ISO), ``exercise_title``,
  ``set_index`` (from 0), ``set_type`` (``warmup`` left out, ``failure`` is RIR 0), ``weight_kg``
  or ``weight_lbs``, ``reps``, ``rpe``.

An app's exercise names are mapped to catalog ids through ``catalog/log_names.toml``, a ``names``
table of the lifter's own, or a catalog name or id, matched whole and ignoring case: a name none of
them knows is listed as unmapped and left out, never guessed. A date falls in the plan's week
counted from its start date (without one, from the Monday of the log's first date). RPE is turned
into reps in reserve as ``RIR = 10 - RPE``; loads in pounds into kilograms.

A bad log is refused whole with every problem as ``file:line: reason``: an unknown exercise, a
negative load, reps over 100, a date outside the block, kilograms and pounds mixed, a value that
is not a number, more than ``MAX_ROWS`` rows or more than 20 MB.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from planner.catalog import Catalog, builtin_toml
from planner.files import read_bytes
from planner.render.common import DAY_NAMES, DAYS, LOG_SHEET, LOG_SHEET_NAME, start_date
from planner.textsafe import one_line

MAX_ROWS = 100_000
MAX_REPS = 100
MAX_LOAD_KG = 1000.0
MAX_PROBLEMS = 20  # listed; the rest are counted
POUND_KG = 0.45359237
UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
# What an unpacked workbook may hold at most (a small zip can unpack to gigabytes).
MAX_XLSX_BYTES = 50 * 1024 * 1024
YES = {"yes", "y", "x", "1", "true", "done", "\N{CHECK MARK}"}
NO = {"no", "n", "0", "false", "missed", "skipped"}
XLSX_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XLSX_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class LogError(ValueError):
    """A log that is not read: its problems, one ``file:line: reason`` each."""

    def __init__(self, problems: list[str]) -> None:
        more = len(problems) - MAX_PROBLEMS
        shown = problems[:MAX_PROBLEMS] + ([f"... and {more} more"] if more > 0 else [])
        super().__init__("\n".join(shown))
        self.problems = problems


@dataclass(frozen=True)
class LoggedSet:
    """One working set as logged: ``load_kg`` None for an unloaded set, ``rir`` None when the
    lifter gave no effort (the week's target is then assumed), ``done`` False for a set skipped."""

    line: int
    week: int
    day: str
    exercise_id: str
    set: int
    load_kg: float | None
    reps: int | None
    rir: float | None
    done: bool


@dataclass
class Log:
    """The sets of a log that belong to the plan, and what was left out."""

    name: str
    kind: str  # planner, strong or hevy
    unit: str  # the unit loads were logged in (kg or lb); loads here are in kg
    sets: list[LoggedSet] = field(default_factory=list)
    unmapped: dict[str, list[int]] = field(default_factory=dict)  # app name -> its lines
    elsewhere: dict[str, list[int]] = field(default_factory=dict)  # ids not in the plan -> lines

    def weeks(self) -> list[int]:
        """The weeks with at least one set logged, in order."""
        return sorted({s.week for s in self.sets})


@dataclass(frozen=True)
class PlanIndex:
    """What a log is checked against: the plan's weeks, sessions and main-block items."""

    weeks: int
    start: dt.date | None
    sessions: dict[tuple[int, str], dict[str, dict[str, Any]]]  # (week, day) -> id -> item
    ids: frozenset[str]

    @classmethod
    def of(cls, plan: dict[str, Any]) -> PlanIndex:
        sessions = {
            (w["week"], s["day"]): {it["id"]: it for it in s["exercises"]}
            for w in plan["weeks"]
            for s in w["sessions"]
        }
        ids = frozenset(eid for items in sessions.values() for eid in items)
        return cls(len(plan["weeks"]), start_date(plan), sessions, ids)


def read_log(
    path: Path | str,
    plan: dict[str, Any],
    catalog: Catalog,
    names: dict[str, str] | None = None,
    unit: str = "kg",
) -> Log:
    """The log at ``path`` checked against ``plan``; ``names`` maps an app's exercise names to
    catalog ids over the built-in map, ``unit`` is a Strong export's unit when it names none.
    Raises ``LogError`` listing every problem, ``OSError`` when the file cannot be read."""
    name = "stdin" if str(path) == "-" else str(path)
    raw = read_bytes(path)
    if raw.startswith(b"PK"):
        rows = xlsx_rows(raw, name)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LogError([f"{name}:1: not UTF-8 text ({exc.reason})"]) from None
        rows = csv_rows(text, name)
    if not rows:
        raise LogError([f"{name}:1: empty: no header row"])
    (_, header), body = rows[0], rows[1:]
    if len(body) > MAX_ROWS:
        raise LogError([f"{name}:{MAX_ROWS + 2}: more than {MAX_ROWS} rows; split the log"])
    keys = [one_line(h).strip().lower() for h in header]
    labels = {label.lower(): key for key, label in LOG_SHEET}
    keys = [labels.get(k, k) for k in keys]
    reader = Reader(name, PlanIndex.of(plan), mapping(catalog, names), unit)
    if {"exercise_id", "week", "day", "set", "reps_done", "done"} <= set(keys):
        reader.kind = "planner"
        reader.read(keys, body, reader.planner_row)
    elif {"date", "exercise name", "set order", "weight", "reps"} <= set(keys):
        reader.kind = "strong"
        reader.read(keys, body, reader.strong_row)
    elif {"start_time", "exercise_title", "set_index", "reps"} <= set(keys):
        reader.kind = "hevy"
        reader.read(keys, body, reader.hevy_row)
    else:
        raise LogError(
            [
                f"{name}:1: not a training log: expected the planner's log columns "
                "(exercise_id, week, day, set, load, unit, reps_done, rir_done, rpe_done, done), "
                "a Strong export (Date, Exercise Name, Set Order, Weight, Reps) or a Hevy export "
                "(start_time, exercise_title, set_index, weight_kg, reps)"
            ]
        )
    return reader.finish()


def csv_rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    """The rows of a CSV text with their line numbers; comma or semicolon separated (the header
    row decides)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if len(rows) > MAX_ROWS + 1:
                break
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise LogError([f"{name}:{reader.line_num}: not CSV ({exc})"]) from None
    return rows


def xlsx_rows(raw: bytes, name: str) -> list[tuple[int, list[str]]]:
    """The rows of the workbook's ``Log`` sheet, each with its row number; cells as text."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            if sum(info.file_size for info in book.infolist()) > MAX_XLSX_BYTES:
                raise LogError([f"{name}:1: the workbook unpacks to more than 50 MB"])
            sheet = sheet_path(book, name)
            shared = []
            if "xl/sharedStrings.xml" in book.namelist():
                strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
                shared = ["".join(t.text or "" for t in si.iter(f"{XLSX_MAIN}t")) for si in strings]
            root = ElementTree.fromstring(book.read(sheet))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise LogError([f"{name}:1: not an Excel workbook the planner wrote ({exc})"]) from None
    rows: list[tuple[int, list[str]]] = []
    for row in root.iter(f"{XLSX_MAIN}row"):
        cells: dict[int, str] = {}
        for cell in row.iter(f"{XLSX_MAIN}c"):
            col = column_index(cell.get("r", ""))
            kind = cell.get("t")
            value = cell.find(f"{XLSX_MAIN}v")
            text = "" if value is None or value.text is None else value.text
            if kind == "s" and text.isdigit() and int(text) < len(shared):
                text = shared[int(text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{XLSX_MAIN}t"))
            if col is not None:
                cells[col] = text
        if any(v.strip() for v in cells.values()):
            width = max(cells) + 1
            rows.append(
                (int(row.get("r", len(rows) + 1)), [cells.get(i, "") for i in range(width)])
            )
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def sheet_path(book: zipfile.ZipFile, name: str) -> str:
    """The path in the workbook of its ``Log`` sheet."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rid = next(
        (
            s.get(f"{XLSX_REL}id")
            for s in workbook.iter(f"{XLSX_MAIN}sheet")
            if s.get("name") == LOG_SHEET_NAME
        ),
        None,
    )
    if rid is None:
        raise LogError([f"{name}:1: the workbook has no {LOG_SHEET_NAME!r} sheet"])
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next(
        (
            r.get("Target", "")
            for r in rels.iter(f"{PACKAGE_REL}Relationship")
            if r.get("Id") == rid
        ),
        "",
    )
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def column_index(ref: str) -> int | None:
    """``C7`` -> 2 (columns from 0); None for a reference without letters."""
    letters = re.match(r"[A-Z]+", ref)
    if not letters:
        return None
    index = 0
    for ch in letters.group():
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


def mapping(catalog: Catalog, names: dict[str, str] | None) -> dict[str, str]:
    """App exercise name (lower case) -> catalog id: catalog ids and names, the built-in map, then
    the lifter's own names over them."""
    out = {ex.id.lower(): ex.id for ex in catalog.exercises}
    out.update({one_line(ex.name).lower(): ex.id for ex in catalog.exercises})
    out.update({k.lower(): v for k, v in builtin_names().items()})
    out.update({k.strip().lower(): v for k, v in (names or {}).items()})
    return out


def builtin_names() -> dict[str, str]:
    """The apps' exercise names the planner knows (``catalog/log_names.toml``)."""
    data = builtin_toml("log_names.toml")
    return dict(data["names"])


def read_names(path: Path | str, catalog: Catalog) -> dict[str, str]:
    """A lifter's own name map: a TOML file with a ``[names]`` table of app name = catalog id.
    Raises ``LogError`` naming an unknown id, ``OSError`` when it cannot be read."""
    name = str(path)
    try:
        data = tomllib.loads(read_bytes(path).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LogError([f"{name}:1: not a TOML file ({exc})"]) from None
    table = data.get("names")
    if not isinstance(table, dict):
        raise LogError([f"{name}:1: expected a [names] table of app name = catalog id"])
    known = catalog.by_id()
    bad = [
        f"{name}: names.{k}: unknown exercise id {v!r}"
        for k, v in table.items()
        if not isinstance(v, str) or v not in known
    ]
    if bad:
        raise LogError(bad)
    return dict(table)


@dataclass
class Reader:
    """Reads rows of one log, collecting problems rather than stopping at the first."""

    name: str
    plan: PlanIndex
    names: dict[str, str]
    default_unit: str
    kind: str = ""
    problems: list[str] = field(default_factory=list)
    sets: list[LoggedSet] = field(default_factory=list)
    unmapped: dict[str, list[int]] = field(default_factory=dict)
    elsewhere: dict[str, list[int]] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)  # unit -> first line using it
    first_date: dt.date | None = None

    def read(self, keys: list[str], body: list[tuple[int, list[str]]], parse: Any) -> None:
        if self.plan.start is None and self.kind != "planner":
            dates = [d for line, row in body if (d := self.quiet_date(keys, row)) is not None]
            self.first_date = min(dates) if dates else None
        for line, row in body:
            cells = {k: (row[i].strip() if i < len(row) else "") for i, k in enumerate(keys)}
            try:
                parse(line, cells)
            except ValueError as exc:
                self.problems.append(f"{self.name}:{line}: {exc}")

    def finish(self) -> Log:
        if len(self.units) > 1:
            (first, line1), (second, line2) = sorted(self.units.items(), key=lambda u: u[1])[:2]
            self.problems.append(
                f"{self.name}:{line2}: load in {second}, but line {line1} is in {first}: "
                "log every load in one unit"
            )
        if self.problems:
            raise LogError(self.problems)
        unit = next(iter(self.units), self.default_unit)
        return Log(self.name, self.kind, unit, self.sets, self.unmapped, self.elsewhere)

    # --- the planner's own log ------------------------------------------------------------------
    def planner_row(self, line: int, cells: dict[str, str]) -> None:
        if cells.get("block", "main") != "main":
            return
        filled = [cells.get(key, "") for key in ("load", "reps_done", "rir_done", "rpe_done")]
        done_text = cells.get("done", "").lower()
        if not any(filled) and not done_text:
            return  # not logged
        week = integer(cells.get("week", ""), "week")
        day = DAY_KEYS.get(cells.get("day", "").lower())
        if day is None:
            raise ValueError(f"day {cells.get('day')!r} is not a day (mon, tue, ...)")
        eid = cells.get("exercise_id", "")
        self.in_block(week)
        if cells.get("date"):
            self.in_block(self.week_of(date(cells["date"])))
        items = self.plan.sessions.get((week, day))
        if eid not in self.plan.ids and eid.lower() not in self.names:
            raise ValueError(f"unknown exercise {one_line(eid)[:80]!r}")
        if items is None or eid not in items:
            raise ValueError(f"week {week} {day} has no {one_line(eid)[:80]} in the plan")
        item = items[eid]
        done = True
        if done_text:
            if done_text not in YES | NO:
                raise ValueError(f"done {done_text!r}: write yes or no")
            done = done_text in YES
        reps = count(cells["reps_done"]) if cells.get("reps_done") else None
        load = self.load(line, cells.get("load", ""), cells.get("unit", ""))
        rir = effort(cells.get("rir_done", ""), cells.get("rpe_done", ""))
        if done and reps is None:
            reps = item["reps"]
        if done and load is None and not cells.get("load"):
            load = item.get("load_kg")
        number = integer(cells.get("set", ""), "set")
        self.sets.append(LoggedSet(line, week, day, eid, number, load, reps, rir, done))

    # --- Strong ---------------------------------------------------------------------------------
    def strong_row(self, line: int, cells: dict[str, str]) -> None:
        order = cells["set order"].upper()
        if order == "W":
            return  # a warm-up set
        if not (order.isdigit() or order in ("D", "F")):
            raise ValueError(f"Set Order {order!r}: a number, W, D or F")
        when = date(cells["date"])
        eid = self.exercise(line, cells["exercise name"])
        if eid is None or not cells["reps"] or float_of(cells["reps"], "reps") == 0:
            return  # not a lift of the plan, or a timed or distance set
        reps = count(cells["reps"])
        load = self.load(line, cells["weight"], cells.get("weight unit") or self.default_unit)
        rir = effort("", cells.get("rpe", ""))
        if order == "F" and rir is None:
            rir = 0.0
        self.add(line, when, eid, int(order) if order.isdigit() else 0, load, reps, rir)

    # --- Hevy -----------------------------------------------------------------------------------
    def hevy_row(self, line: int, cells: dict[str, str]) -> None:
        kind = cells.get("set_type", "normal").lower() or "normal"
        if kind == "warmup":
            return
        when = date(cells["start_time"])
        eid = self.exercise(line, cells["exercise_title"])
        if eid is None or not cells["reps"]:
            return
        reps = count(cells["reps"])
        if "weight_lbs" in cells:
            load = self.load(line, cells["weight_lbs"], "lb")
        else:
            load = self.load(line, cells.get("weight_kg", ""), "kg")
        rir = effort("", cells.get("rpe", ""))
        if kind == "failure" and rir is None:
            rir = 0.0
        number = integer(cells["set_index"], "set_index") + 1
        self.add(line, when, eid, number, load, reps, rir)

    # --- shared -----------------------------------------------------------------------------------
    def exercise(self, line: int, app_name: str) -> str | None:
        """The catalog id of an app's exercise name when it is in the plan; None (and noted)
        when it is unmapped or not in the plan."""
        shown = one_line(app_name)[:80]
        eid = self.names.get(shown.lower())
        if eid is None:
            self.unmapped.setdefault(shown, []).append(line)
            return None
        if eid not in self.plan.ids:
            self.elsewhere.setdefault(eid, []).append(line)
            return None
        return eid

    def add(
        self,
        line: int,
        when: dt.date,
        eid: str,
        number: int,
        load: float | None,
        reps: int,
        rir: float | None,
    ) -> None:
        week = self.week_of(when)
        self.in_block(week, when)
        day = DAYS[when.weekday()]
        self.sets.append(LoggedSet(line, week, day, eid, number, load, reps, rir, True))

    def week_of(self, when: dt.date) -> int:
        start = self.plan.start or self.first_date
        if start is None:
            return 1
        if self.plan.start is None:
            start -= dt.timedelta(days=start.weekday())
        return (when - start).days // 7 + 1

    def in_block(self, week: int, when: dt.date | None = None) -> None:
        if not 1 <= week <= self.plan.weeks:
            shown = f"{when.isoformat()} " if when else ""
            span = f"weeks 1-{self.plan.weeks}"
            if self.plan.start is not None:
                last = self.plan.start + dt.timedelta(weeks=self.plan.weeks, days=-1)
                span = f"{self.plan.start.isoformat()} to {last.isoformat()}"
            raise ValueError(f"{shown}week {week} is outside the block ({span})")

    def load(self, line: int, text: str, unit_text: str) -> float | None:
        """A load in kg (None when blank); the unit is remembered to refuse a mix."""
        if not text:
            return None
        value = float_of(text, "load")
        if value < 0:
            raise ValueError(f"negative load {text}")
        unit = UNITS.get((unit_text or "kg").lower())
        if unit is None:
            raise ValueError(f"unit {one_line(unit_text)[:20]!r}: kg or lb")
        kg = value * POUND_KG if unit == "lb" else value
        if kg > MAX_LOAD_KG:
            raise ValueError(f"load {text} {unit} is over {MAX_LOAD_KG:g} kg")
        if value > 0:
            self.units.setdefault(unit, line)
        return round(kg, 2)

    def quiet_date(self, keys: list[str], row: list[str]) -> dt.date | None:
        column = "date" if "date" in keys else "start_time"
        i = keys.index(column)
        try:
            return date(row[i].strip()) if i < len(row) else None
        except ValueError:
            return None


DAY_KEYS = {
    **{d: d for d in DAYS},
    **{name.lower(): d for d, name in DAY_NAMES.items()},
}


def float_of(text: str, what: str) -> float:
    try:
        value = float(text.replace(",", ".")) if text.count(",") == 1 else float(text)
    except ValueError:
        raise ValueError(f"{what} {one_line(text)[:20]!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{what} {one_line(text)[:20]!r} is not a number")
    return value


def integer(text: str, what: str) -> int:
    value = float_of(text, what)
    if value != int(value) or abs(value) > 10_000:
        raise ValueError(f"{what} {one_line(text)[:20]!r} is not a whole number")
    return int(value)


def count(text: str) -> int:
    """Reps done: a whole number 0-100."""
    reps = integer(text, "reps")
    if reps < 0:
        raise ValueError(f"negative reps {reps}")
    if reps > MAX_REPS:
        raise ValueError(f"reps {reps} is over {MAX_REPS}")
    return reps


def effort(rir_text: str, rpe_text: str) -> float | None:
    """Reps in reserve from RIR (0-10) or RPE (1-10, RIR = 10 - RPE); None when neither is given."""
    if rir_text and rpe_text:
        raise ValueError("give RIR or RPE, not both")
    if rir_text:
        rir = float_of(rir_text, "RIR")
        if not 0 <= rir <= 10:
            raise ValueError(f"RIR {rir_text} is not in 0-10")
        return rir
    if rpe_text:
        rpe = float_of(rpe_text, "RPE")
        if not 1 <= rpe <= 10:
            raise ValueError(f"RPE {rpe_text} is not in 1-10")
        return 10 - rpe
    return None


def date(text: str) -> dt.date:
    """A log's date: ISO (``2026-12-07``, with a time or not), Hevy's ``7 Dec 2026, 18:00``, or an
    Excel serial day number."""
    text = text.strip()
    for fmt in ("%d %b %Y, %H:%M", "%d %b %Y %H:%M", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    raise ValueError(f"date {one_line(text)[:30]!r} is not a date (YYYY-MM-DD)")
