"""``planner render``: a saved plan (JSON) in any output format, without solving again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from planner.cli_common import (
    PLAN_FILE,
    PlannerError,
    check_format,
    emit,
    output_format,
    output_options,
    request_options,
)


@click.command()
@click.argument("plan_file", type=PLAN_FILE)
@output_options
@request_options("start")
def render(plan_file: Path, fmt: str | None, output: Path | None, start: dt.date | None) -> None:
    """Render a saved plan as md, html, csv, xlsx, ics or json (Markdown to stdout by default);
    --start moves it to other dates. PLAN_FILE '-' reads the plan from stdin."""
    from planner.files import check_writable
    from planner.render import render as render_plan
    from planner.render.common import with_start

    fmt = output_format(fmt, output)
    check_format(fmt)
    plan = read_plan(plan_file)
    if start is not None:
        plan = with_start(plan, start)
    if output is not None:
        try:
            check_writable(output)
        except OSError as exc:
            raise PlannerError(f"cannot write {output}: {exc}") from None
    emit(render_plan(plan, fmt), output)


def read_plan(path: Path) -> dict[str, Any]:
    """The plan JSON at ``path`` (``-``: stdin), validated against the plan contract and its
    numbers within bounds (exit 2 if it is not a plan)."""
    from pydantic import ValidationError

    from planner.config import validation_problems
    from planner.plan import Plan
    from planner.render.common import start_date

    data = read_json(path)
    try:
        Plan.model_validate(data)
    except ValidationError as exc:
        first = "; ".join(text for _, text in validation_problems(exc, Plan)[:5])
        raise PlannerError(f"{path}: not a plan ({first})") from None
    if not isinstance(data, dict):  # for the type checker; validation rejected anything else
        raise PlannerError(f"{path}: not a plan")
    problems = out_of_bounds(data)
    if problems:
        raise PlannerError(f"{path}: not a plan ({'; '.join(problems[:5])})")
    try:
        start_date(data)
    except (ValueError, TypeError, AttributeError) as exc:
        raise PlannerError(f"{path}: constraints.schedule.start is not a date ({exc})") from None
    return data


def read_json(path: Path) -> Any:
    """The JSON document at ``path`` (``-``: stdin), read through the size-capped reader; exit 2
    when it cannot be read or is not JSON (``NaN`` and ``Infinity`` included)."""
    import json

    from planner.files import read_text

    def no_constant(name: str) -> None:
        raise ValueError(f"{name} is not a number JSON allows")

    name = "stdin" if str(path) == "-" else str(path)
    try:
        return json.loads(read_text(path), parse_constant=no_constant)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PlannerError(f"cannot read {name}: {exc}") from None


# What a plan may hold at most; a plan file with bigger numbers is not one the planner wrote.
WEEKS = 52
SESSIONS = 7
ITEMS = 50
ITEM_BOUNDS = {"sets": 10, "reps": 100, "seconds": 3600, "rest_seconds": 3600}


def out_of_bounds(plan: dict[str, Any]) -> list[str]:
    """Where a (contract-valid) plan's numbers leave sane bounds: at most 52 weeks numbered 1-52,
    7 sessions a week, 10 sets of 100 reps; empty when none do."""
    problems: list[str] = []
    weeks = plan["weeks"]
    if len(weeks) > WEEKS:
        problems.append(f"{len(weeks)} weeks; at most {WEEKS}")
    for week in weeks[:WEEKS]:
        where = f"week {week['week']}"
        if not 1 <= week["week"] <= WEEKS:
            problems.append(f"{where}: week numbers run 1-{WEEKS}")
        if len(week["sessions"]) > SESSIONS:
            problems.append(f"{where}: {len(week['sessions'])} sessions; at most {SESSIONS}")
        for session in week["sessions"][:SESSIONS]:
            items = [*session["warmup"], *session["exercises"], *session["cooldown"]]
            if len(items) > ITEMS:
                problems.append(f"{where} {session['day']}: {len(items)} items; at most {ITEMS}")
            for item in items[:ITEMS]:
                for key, top in ITEM_BOUNDS.items():
                    value = item[key]
                    if value is None:
                        continue
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        problems.append(
                            f"{where} {item['id'][:40]}: {key} {value!r:.40}: not a number"
                        )
                    elif not 0 <= value <= top:
                        problems.append(f"{where} {item['id'][:40]}: {key} {value}; at most {top}")
    return problems
