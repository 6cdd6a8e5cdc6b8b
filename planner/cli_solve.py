"""``planner solve``, ``planner check`` and ``planner schema``: plan a block, re-check a plan, print
the JSON Schemas."""

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
    flags_given,
    load_config,
    output_format,
    output_options,
    request,
    request_options,
)

if TYPE_CHECKING:
    from planner.constraints import Constraints
    from planner.solve import Result


@click.command()
@click.option("--config", type=FILE, help="Constraint file (TOML); flags override it.")
@request_options()
@request_options("work_limit", "time_limit")
@output_options
def solve(
    config: Path | None,
    work_limit: float,
    time_limit: float,
    fmt: str | None,
    output: Path | None,
    **rules: Any,
) -> None:
    """Solve a block and write the plan (Markdown to stdout by default)."""
    from planner.files import check_writable
    from planner.render import render

    c = request(load_config(config), rules)
    if output is not None:
        try:
            check_writable(output)
        except OSError as exc:
            raise PlannerError(f"cannot write {output}: {exc}") from None
    fmt = output_format(fmt, output)
    check_format(fmt)
    result = run_solver(c, work_limit, time_limit, config, flags_given(rules))
    plan = json.loads(result.plan.model_dump_json())
    emit(render(plan, fmt), output)
    limit = (result.stopped_by or "").replace("_", " ")
    gap = f" (gap {result.gap:.2%}, stopped by the {limit})" if result.status != "optimal" else ""
    click.echo(
        f"{result.status}{gap}: objective {result.objective}, bound {result.bound}, "
        f"{result.runtime:.2f} s",
        err=True,
    )


def run_solver(
    c: Constraints,
    work_limit: float,
    time_limit: float,
    config: Path | None,
    flags: dict[str, str],
) -> Result:
    """Solve, or exit 1 naming the conflicting rules with where they were set: a flag in
    ``flags`` (key path -> flag), a line of ``config``, or the defaults."""
    from planner.solve import NoPlan
    from planner.solve import solve as solve_block

    try:
        return solve_block(c, time_limit=time_limit, work_limit=work_limit)
    except NoPlan as exc:
        click.echo(f"error: {exc}", err=True)
        if exc.conflicts:
            from planner.config import describe_conflicts, source_lines

            lines = describe_conflicts(exc.rules, source_lines(config), flags) or exc.conflicts
            click.echo("These rules cannot all hold together:", err=True)
            for rule in lines:
                click.echo(f"  - {rule}", err=True)
        sys.exit(EXIT_NO_PLAN)


@click.command()
@click.argument("plan_file", type=PLAN_FILE)
def check(plan_file: Path) -> None:
    """Check a plan JSON against every rule; exit 1 listing each violation. PLAN_FILE '-' reads
    the plan from stdin."""
    from planner.check import CatalogUnreadable, check_plan
    from planner.cli_render import read_json

    plan = read_json(plan_file)
    if not isinstance(plan, dict):
        raise PlannerError(f"{plan_file}: not a plan (expected a JSON object)")
    try:
        violations = check_plan(plan)
    except CatalogUnreadable as exc:
        raise PlannerError(f"{plan_file}: {exc}") from None
    if violations:
        for line in violations:
            click.echo(line)
        click.echo(f"{len(violations)} violation(s)", err=True)
        sys.exit(EXIT_NO_PLAN)
    weeks = len(plan["weeks"])
    sessions = sum(len(w["sessions"]) for w in plan["weeks"])
    click.echo(f"ok: {weeks} weeks, {sessions} sessions, every rule holds")


@click.command()
@click.argument("kind", type=click.Choice(["plan", "config"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of the plan, or of a constraint file (config)."""
    if kind == "config":
        from planner.config import config_schema

        click.echo(config_schema(), nl=False)
        return
    from planner.plan import Plan

    click.echo(json.dumps(Plan.model_json_schema(), indent=2))
