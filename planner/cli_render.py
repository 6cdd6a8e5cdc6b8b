"""``planner render``: a saved plan (JSON) in any output format, without solving again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from planner.cli_common import (
    FILE,
    PlannerError,
    check_format,
    emit,
    output_format,
    output_options,
    request_options,
)


@click.command()
@click.argument("plan_file", type=FILE)
@output_options
@request_options("start")
def render(plan_file: Path, fmt: str | None, output: Path | None, start: dt.date | None) -> None:
    """Render a saved plan as md, html, csv, xlsx, ics or json (Markdown to stdout by default);
    --start moves it to other dates."""
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
    """The plan JSON at ``path``, validated against the plan contract (exit 2 if it is not one)."""
    import json

    from pydantic import ValidationError

    from planner.config import validation_problems
    from planner.plan import Plan
    from planner.render.common import start_date

    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlannerError(f"cannot read {path}: {exc}") from None
    try:
        Plan.model_validate(data)
    except ValidationError as exc:
        first = "; ".join(text for _, text in validation_problems(exc, Plan)[:5])
        raise PlannerError(f"{path}: not a plan ({first})") from None
    if not isinstance(data, dict):  # for the type checker; validation rejected anything else
        raise PlannerError(f"{path}: not a plan")
    try:
        start_date(data)
    except (ValueError, TypeError, AttributeError) as exc:
        raise PlannerError(f"{path}: constraints.schedule.start is not a date ({exc})") from None
    return data
