"""``planner replan`` and ``planner swap``: change a block in flight, keeping what was done."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli_common import (
    EXIT_NO_PLAN,
    FILE,
    PLAN_FILE,
    PlannerError,
    check_format,
    emit,
    output_format,
    output_options,
    request,
    request_options,
)
from planner.cli_log import log_options
from planner.options import DAYS

if TYPE_CHECKING:
    from planner.constraints import Constraints
    from planner.plan import Plan
    from planner.replan import Replanned

# The rule options a re-plan takes (the rest of the rules hold for the whole block).
REPLAN_OPTIONS = ("equipment", "days", "sessions", "minutes", "exclude", "exclude_pattern")


def read_plan(path: Path) -> Plan:
    """The plan at ``path``, read as ``planner render`` reads it and re-checked (exit 2
    otherwise)."""
    from planner.cli_render import read_plan as read_contract

    return sound(read_contract(path), path)


def sound(data: dict[str, Any], path: Path) -> Plan:
    """A plan read from ``path`` (already validated against the contract) that passes
    ``planner check``, as the model (exit 2 otherwise)."""
    from planner.check import CatalogUnreadable, check_plan
    from planner.plan import Plan

    try:
        problems = check_plan(data)
    except CatalogUnreadable as exc:
        raise PlannerError(f"{path}: {exc}") from None
    if problems:
        raise PlannerError(
            f"{path}: the plan breaks its rules ({problems[0]}); re-plan a sound plan"
        )
    return Plan.model_validate(data)


def layered(base: Constraints, config: Path) -> Constraints:
    """The keys a constraint file sets, over ``base`` (exit 2 listing the file's problems)."""
    import tomllib

    from planner.cli_common import load_config
    from planner.config import json_data
    from planner.constraints import Constraints
    from planner.files import read_text

    load_config(config)  # every problem of the file, with its line
    text = read_text(config)
    # The keys the file sets (a plan JSON: the rules it records); a relative catalog path is the
    # file's own.
    own = json_data(config, text) if config.suffix.lower() == ".json" else tomllib.loads(text)
    if isinstance(own.get("catalog"), str) and own["catalog"]:
        own["catalog"] = str((config.parent / own["catalog"]).resolve())

    def merge(into: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
        for key, value in over.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value
        return into

    return Constraints.model_validate(merge(base.model_dump(mode="json"), own))


def finish(done: Replanned, fmt: str | None, output: Path | None) -> None:
    """Write the changed plan and say what changed."""
    from planner.render import render

    fmt = output_format(fmt, output)
    check_format(fmt)
    emit(render(json.loads(done.result.plan.model_dump_json()), fmt), output)
    result = done.result
    click.echo(
        f"{result.status}: objective {result.objective}, {result.runtime:.2f} s; "
        f"{done.changed} of {done.prescriptions} prescriptions changed",
        err=True,
    )
    for line in done.diff:
        click.echo(f"  {line}", err=True)
    for note in done.result.plan.history[-1].notes:
        click.echo(f"  log: {note}", err=True)


def no_plan(exc: Exception) -> None:
    from planner.solve import NoPlan

    assert isinstance(exc, NoPlan)
    click.echo(f"error: {exc}", err=True)
    if exc.conflicts:
        click.echo("These rules cannot all hold together:", err=True)
        for rule in exc.conflicts:
            click.echo(f"  - {rule}", err=True)
    sys.exit(EXIT_NO_PLAN)


@click.command()
@click.argument("plan_file", type=PLAN_FILE)
@click.option(
    "--from-week", type=click.IntRange(1, 52), required=True, help="First week to re-plan."
)
@click.option(
    "--missed-week",
    type=click.IntRange(1, 52),
    help="A week not trained (the --from-week or the one before): the weeks after repeat it.",
)
@click.option(
    "--config", type=FILE, help="Constraint file (TOML) whose keys change the plan's rules."
)
@request_options(*REPLAN_OPTIONS)
@click.option(
    "--log",
    "log_file",
    type=PLAN_FILE,
    help="The filled training log (the plan's CSV/XLSX log, a Strong or Hevy export): loads go "
    "on from it, skipped sessions count as missed.",
)
@log_options
@request_options("work_limit", "time_limit")
@output_options
def replan(
    plan_file: Path,
    from_week: int,
    missed_week: int | None,
    config: Path | None,
    log_file: Path | None,
    names: Path | None,
    unit: str,
    work_limit: float,
    time_limit: float,
    fmt: str | None,
    output: Path | None,
    **rules: Any,
) -> None:
    """Re-plan a block from a week on (new kit, days or time, an injury, a missed week, a training
    log); the weeks before stay as they were."""
    from planner.constraints import Constraints
    from planner.files import check_writable
    from planner.replan import replan as replan_block
    from planner.solve import NoPlan

    log = None
    if log_file is not None:
        from planner.cli_log import left_out, read_plan_and_log

        data, _, log = read_plan_and_log(plan_file, log_file, names, unit)
        left_out(log)
        plan = sound(data, plan_file)
    else:
        plan = read_plan(plan_file)
    base = Constraints.model_validate(plan.constraints)
    c = request(layered(base, config) if config else base, rules)
    if output is not None and str(output) != "-":
        try:
            check_writable(output)
        except OSError as exc:
            raise PlannerError(f"cannot write {output}: {exc}") from None
    try:
        done = replan_block(
            plan, c, from_week, missed_week, time_limit=time_limit, log=log, work_limit=work_limit
        )
    except ValueError as exc:
        raise PlannerError(str(exc)) from None
    except NoPlan as exc:
        no_plan(exc)
    finish(done, fmt, output)


@click.command()
@click.argument("plan_file", type=PLAN_FILE)
@click.option("--week", type=click.IntRange(1, 52), required=True, help="The session's week.")
@click.option("--day", type=click.Choice(DAYS), required=True, help="The session's day.")
@click.option("--exercise", required=True, help="The exercise id to replace.")
@click.option("--to", help="The substitute to check (default: the best one).")
@click.option("--rest-of-block", is_flag=True, help="Swap through the end of the mesocycle.")
@click.option("--list", "ranked", is_flag=True, help="List the substitutes, best first, and stop.")
@request_options("work_limit", "time_limit")
@output_options
def swap(
    plan_file: Path,
    week: int,
    day: str,
    exercise: str,
    to: str | None,
    rest_of_block: bool,
    ranked: bool,
    work_limit: float,
    time_limit: float,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Swap one exercise in one session (or to the end of its mesocycle) for the best substitute
    that keeps every rule; everything else stays."""
    from planner.files import check_writable
    from planner.replan import candidates
    from planner.replan import swap as swap_lift
    from planner.solve import NoPlan
    from planner.textsafe import terminal

    plan = read_plan(plan_file)
    try:
        if ranked:
            found = candidates(
                plan,
                week,
                day,
                exercise,
                rest_of_block,
                time_limit=time_limit,
                work_limit=work_limit,
            )
            for i, cand in enumerate(found, 1):
                value = f"objective {cand.objective}" if cand.objective is not None else "no plan"
                click.echo(f"{i}. {cand.id} ({terminal(cand.name)}): {cand.why}; {value}")
                for rule in cand.blocked:
                    click.echo(f"     breaks: {rule}")
            if not found:
                click.echo(f"no exercise of {exercise}'s family or pattern in the catalog")
            return
        if output is not None and str(output) != "-":
            try:
                check_writable(output)
            except OSError as exc:
                raise PlannerError(f"cannot write {output}: {exc}") from None
        done = swap_lift(
            plan,
            week,
            day,
            exercise,
            to,
            rest_of_block,
            time_limit=time_limit,
            work_limit=work_limit,
        )
    except ValueError as exc:
        raise PlannerError(str(exc)) from None
    except NoPlan as exc:
        no_plan(exc)
    finish(done, fmt, output)
