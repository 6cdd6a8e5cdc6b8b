"""The training log round trip: ``planner log check`` (a filled log against its plan),
``planner loads`` (the loads it gives) and ``planner next`` (the following block). Only click and
the shared command helpers are imported at the top, so that ``planner --help`` stays instant."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli_common import (
    EXIT_NO_PLAN,
    FILE,
    PLAN_FILE,
    FileProblems,
    PlannerError,
    check_format,
    emit,
    output_format,
    output_options,
    request_options,
)

if TYPE_CHECKING:
    from planner.constraints import Constraints
    from planner.log import Log

LOG_FILE = click.Path(dir_okay=False, allow_dash=True, path_type=Path)


def log_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--names`` and ``--unit``, shared by the commands that read a log."""
    command = click.option(
        "--unit",
        type=click.Choice(["kg", "lb"]),
        default="kg",
        show_default=True,
        help="The unit of a Strong export that names none (the app's setting).",
    )(command)
    return click.option(
        "--names",
        type=FILE,
        help="TOML file with a [names] table: an app's exercise name = catalog id.",
    )(command)


def read_plan_and_log(
    plan_file: Path, log_file: Path, names: Path | None, unit: str
) -> tuple[dict[str, Any], Constraints, Log]:
    """The plan, its rules and the log checked against it; exit 2 listing the log's problems."""
    from pydantic import ValidationError

    from planner.cli_render import read_plan
    from planner.constraints import Constraints
    from planner.instance import load_catalog
    from planner.log import LogError, read_log, read_names

    if str(plan_file) == "-" and str(log_file) == "-":
        raise PlannerError("the plan and the log cannot both come from stdin")
    plan = read_plan(plan_file)
    try:
        rules = Constraints.model_validate(plan["constraints"])
        catalog = load_catalog(rules)
    except (ValidationError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0]
        raise PlannerError(f"{plan_file}: its constraints do not load ({first})") from None
    try:
        own = read_names(names, catalog) if names is not None else None
    except LogError as exc:
        raise FileProblems(str(exc)) from None
    except OSError as exc:
        raise PlannerError(f"cannot read {names}: {exc}") from None
    try:
        log = read_log(log_file, plan, catalog, own, unit)
    except LogError as exc:
        raise FileProblems(str(exc)) from None
    except OSError as exc:
        raise PlannerError(f"cannot read {log_file}: {exc}") from None
    return plan, rules, log


def left_out(log: Log) -> None:
    """Name on stderr the app exercises that were not read."""
    from planner.loads import lines_of
    from planner.textsafe import terminal

    for title, found in (
        ("not mapped to a catalog exercise", log.unmapped),
        ("not in the plan", log.elsewhere),
    ):
        for name, lines in sorted(found.items()):
            click.echo(terminal(f"left out, {title}: {name} ({lines_of(lines)})"), err=True)


@click.group()
def log() -> None:
    """Training logs: the CSV or Excel log of a plan, filled in, or a Strong or Hevy export."""


@log.command("check")
@click.argument("plan_file", type=PLAN_FILE)
@click.argument("log_file", type=LOG_FILE)
@log_options
def log_check(plan_file: Path, log_file: Path, names: Path | None, unit: str) -> None:
    """Check a filled log against its plan: exit 0 when it reads, 2 listing file:line: reason.
    Exercise names an app uses that no map knows are listed, never guessed."""
    from planner.textsafe import terminal

    plan, _, read = read_plan_and_log(plan_file, log_file, names, unit)
    left_out(read)
    done = sum(s.done for s in read.sets)
    weeks = ", ".join(map(str, read.weeks())) or "none"
    sessions = len({(s.week, s.day) for s in read.sets})
    click.echo(
        terminal(
            f"ok: {read.name} ({read.kind} log, loads in {read.unit}): {len(read.sets)} sets "
            f"({done} done) in {sessions} sessions; weeks {weeks} of {len(plan['weeks'])}"
        )
    )


@click.command()
@click.argument("plan_file", type=PLAN_FILE)
@click.option("--log", "log_file", type=LOG_FILE, required=True, help="The filled log.")
@log_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
def loads(
    plan_file: Path, log_file: Path, names: Path | None, unit: str, output: Path | None
) -> None:
    """Each lift's e1RM from the log, the load rule's decision and the loads of the weeks to
    come, set by set, with their arithmetic."""
    from planner.loads import lift_loads, report
    from planner.textsafe import terminal

    plan, _, read = read_plan_and_log(plan_file, log_file, names, unit)
    emit(terminal(report(lift_loads(plan, read), read)), output)


@click.command("next")
@click.argument("plan_file", type=PLAN_FILE)
@click.option("--log", "log_file", type=LOG_FILE, required=True, help="The filled log.")
@log_options
@request_options("time_limit")
@output_options
def next_block(
    plan_file: Path,
    log_file: Path,
    names: Path | None,
    unit: str,
    time_limit: float,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Plan the block after PLAN_FILE from its log: main lifts kept or progressed, accessories
    rotated, starting loads from the log, weekly volume from what was tolerated."""
    from planner.files import check_writable
    from planner.loads import lift_loads
    from planner.next_block import plan_next
    from planner.render import render
    from planner.solve import NoPlan
    from planner.textsafe import terminal

    fmt = output_format(fmt, output)
    check_format(fmt)
    if output is not None:
        try:
            check_writable(output)
        except OSError as exc:
            raise PlannerError(f"cannot write {output}: {exc}") from None
    plan, rules, read = read_plan_and_log(plan_file, log_file, names, unit)
    left_out(read)
    trained = [w["week"] for w in plan["weeks"] if w["sessions"] and not w["deload"]]
    logged = read.weeks()
    if trained and (not logged or logged[-1] < trained[-1]):
        click.echo(
            f"warning: the log ends in week {logged[-1] if logged else '-'} of the block's "
            f"{len(plan['weeks'])}: the next block is planned from the weeks it holds",
            err=True,
        )
    try:
        block = plan_next(rules, plan, lift_loads(plan, read), time_limit)
    except NoPlan as exc:
        click.echo(f"error: {exc}", err=True)
        for line in exc.conflicts:
            click.echo(f"  - {line}", err=True)
        sys.exit(EXIT_NO_PLAN)
    for note in block.notes:
        click.echo(terminal(note), err=True)
    result = block.result
    emit(render(json.loads(result.plan.model_dump_json()), fmt), output)
    click.echo(
        f"{result.status}: objective {result.objective}, bound {result.bound}, "
        f"{result.runtime:.2f} s",
        err=True,
    )
