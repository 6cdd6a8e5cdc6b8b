"""The ``planner`` command line. Heavy imports (OR-Tools, pydantic models) happen inside commands so
that ``planner --help`` stays instant.

Exit codes: 0 success; 1 no plan exists under the constraints (or a plan fails its check);
2 bad usage or a bad file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from planner.constraints import Constraints

EXIT_NO_PLAN = 1
EXIT_USAGE = 2
# Keep in step with planner.render.FORMATS (not imported: start-up time).
FORMATS: tuple[str, ...] = ("md", "json", "html", "csv", "xlsx", "ics")
# Output suffixes that name a format other than themselves.
SUFFIXES = {"markdown": "md", "txt": "md", "htm": "html", "ical": "ics"}


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``-f/--format`` and ``-o/--output``, shared by the commands that write a plan."""
    command = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        help="Write here instead of stdout ('-': stdout; format from the suffix unless -f).",
    )(command)
    return click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), help="Output format.")(
        command
    )


class PlannerError(click.ClickException):
    """A clear message and exit code 2 (bad usage or bad file)."""

    exit_code = EXIT_USAGE


class FileProblems(PlannerError):
    """Exit 2 listing a file's problems, one ``file:line: key.path: message`` line each."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def _days(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    from planner.constraints import DAYS

    days = tuple(d.strip().lower() for d in value.split(",") if d.strip())
    unknown = [d for d in days if d not in DAYS]
    if unknown or not days:
        raise click.BadParameter(f"unknown day(s) {', '.join(unknown)}; use {','.join(DAYS)}")
    return days


def constraint_flags(
    *,
    weeks: int | None = None,
    equipment: str | None = None,
    sessions: str | None = None,
    days: str | None = None,
    minutes: int | None = None,
    level: str | None = None,
    goal: str | None = None,
    seed: int | None = None,
    start: Any = None,
) -> dict[str, Any]:
    """The ``solve`` options, as click parses them, as dotted ``Constraints`` paths (None: not
    given). ``planner solve`` and each row of ``planner batch`` go through here."""
    return {
        "schedule.weeks": weeks,
        "equipment.profile": equipment,
        "schedule.sessions": int(sessions) if sessions else None,
        "schedule.days": _days(days),
        "schedule.minutes": minutes,
        "client.level": level,
        "client.goal": goal,
        "seed": seed,
        "schedule.start": start.date() if start else None,
    }


def build_constraints(base: Constraints, flags: dict[str, Any]) -> Constraints:
    """Command-line flags over ``base``; unknown equipment or invalid values are usage errors."""
    from pydantic import ValidationError

    from planner.instance import equipment_of, load_catalog

    try:
        c = base.with_overrides(**flags)
        equipment_of(c, load_catalog(c))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise PlannerError(problems) from None
    except (ValueError, OSError) as exc:
        raise PlannerError(str(exc)) from None
    return c


def output_format(fmt: str | None, output: Path | None) -> str:
    """``-f``, else the ``-o`` file's suffix (``plan.xlsx`` -> xlsx; none: Markdown). An unknown
    suffix, or Excel to a terminal, is a usage error."""
    from planner.files import is_stdio

    if not fmt:
        suffix = output.suffix.lstrip(".").lower() if output is not None else ""
        fmt = SUFFIXES.get(suffix, suffix) or "md"
        if fmt not in FORMATS:
            raise PlannerError(
                f"{output}: unknown output suffix .{suffix}; use -f or one of "
                + ", ".join(f".{name}" for name in (*FORMATS, *SUFFIXES))
            )
    if fmt == "xlsx" and is_stdio(output) and sys.stdout.isatty():
        raise PlannerError("Excel output is binary and not for a terminal; use -o plan.xlsx")
    return fmt


def check_format(fmt: str) -> None:
    """Exit 2 naming the install command when ``fmt`` needs an optional extra that is missing."""
    from planner.render import MissingExtra, require

    try:
        require(fmt)
    except MissingExtra as exc:
        raise PlannerError(str(exc)) from None


def emit(data: str | bytes, output: Path | None) -> None:
    """Write the rendered plan to ``output`` (stdout for None or ``-``); exit 2 if it fails."""
    from planner.files import is_stdio, write_output

    if is_stdio(output) and isinstance(data, str) and not data.endswith("\n"):
        data += "\n"
    try:
        write_output(output, data)
    except OSError as exc:
        raise PlannerError(f"cannot write {output or 'stdout'}: {exc}") from None


def load_config(config: Path | None) -> Constraints:
    """The constraint file's rules over the built-in defaults (exit 2 listing every problem)."""
    from planner.constraints import Constraints

    if config is None:
        return Constraints()
    from planner.config import ConfigError, load_constraints

    try:
        return load_constraints(config)
    except ConfigError as exc:
        raise FileProblems(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="posterior-planner")
def main() -> None:
    """Plan multi-week posterior-chain training blocks, proven optimal with CP-SAT."""


@main.command()
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Constraint file (TOML); flags override it.",
)
@click.option("--weeks", type=click.IntRange(1, 52), help="Block length in weeks (1-52).")
@click.option("--equipment", help="Profile (home, gym, bodyweight) or comma list of items.")
@click.option("--sessions", type=click.Choice(["2", "3"]), help="Sessions per week.")
@click.option("--days", help="Allowed days, e.g. mon,wed,fri.")
@click.option("--minutes", type=click.IntRange(1, 240), help="Time cap per session.")
@click.option("--level", type=click.Choice(["beginner", "intermediate", "advanced"]))
@click.option("--goal", type=click.Choice(["general", "strength", "hypertrophy", "endurance"]))
@click.option("--seed", type=click.IntRange(0), help="Solver random seed.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First day of the block.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Solver time limit in seconds (a plan proven optimal before it is the same every run).",
)
@output_options
def solve(
    config: Path | None,
    weeks: int | None,
    equipment: str | None,
    sessions: str | None,
    days: str | None,
    minutes: int | None,
    level: str | None,
    goal: str | None,
    seed: int | None,
    start: Any,
    time_limit: float,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Solve a block and write the plan (Markdown to stdout by default)."""
    from planner.files import check_writable
    from planner.render import render

    flags = constraint_flags(
        weeks=weeks,
        equipment=equipment,
        sessions=sessions,
        days=days,
        minutes=minutes,
        level=level,
        goal=goal,
        seed=seed,
        start=start,
    )
    c = build_constraints(load_config(config), flags)
    if output is not None:
        try:
            check_writable(output)
        except OSError as exc:
            raise PlannerError(f"cannot write {output}: {exc}") from None
    fmt = output_format(fmt, output)
    check_format(fmt)
    result = run_solver(c, time_limit, config)
    plan = json.loads(result.plan.model_dump_json())
    emit(render(plan, fmt), output)
    gap = f" (gap {result.gap:.2%})" if result.status != "optimal" else ""
    click.echo(
        f"{result.status}{gap}: objective {result.objective}, bound {result.bound}, "
        f"{result.runtime:.2f} s",
        err=True,
    )


def run_solver(c: Constraints, time_limit: float, config: Path | None = None) -> Any:
    """Solve, or exit 1 naming the conflicting rules (with their lines in ``config``)."""
    from planner.solve import NoPlan, solve

    try:
        return solve(c, time_limit=time_limit)
    except NoPlan as exc:
        click.echo(f"error: {exc}", err=True)
        if exc.conflicts:
            lines = exc.conflicts
            if config is not None:
                from planner.config import describe_conflicts, source_lines

                lines = describe_conflicts(exc.rules, source_lines(config))
            click.echo("These rules cannot all hold together:", err=True)
            for rule in lines:
                click.echo(f"  - {rule}", err=True)
        sys.exit(EXIT_NO_PLAN)


@main.command()
@click.argument("plan_file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
def check(plan_file: Path) -> None:
    """Check a plan JSON against every rule; exit 1 listing each violation. PLAN_FILE '-' reads
    the plan from stdin."""
    from planner.check import check_plan
    from planner.cli_render import read_json

    plan = read_json(plan_file)
    if not isinstance(plan, dict):
        raise PlannerError(f"{plan_file}: not a plan (expected a JSON object)")
    violations = check_plan(plan)
    if violations:
        for line in violations:
            click.echo(line)
        click.echo(f"{len(violations)} violation(s)", err=True)
        sys.exit(EXIT_NO_PLAN)
    weeks = len(plan["weeks"])
    sessions = sum(len(w["sessions"]) for w in plan["weeks"])
    click.echo(f"ok: {weeks} weeks, {sessions} sessions, every rule holds")


@main.command()
@click.argument("kind", type=click.Choice(["plan", "config"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of the plan, or of a constraint file (config)."""
    if kind == "config":
        from planner.config import config_schema

        click.echo(config_schema(), nl=False)
        return
    from planner.plan import Plan

    click.echo(json.dumps(Plan.model_json_schema(), indent=2))


# Further command groups register here, one line each.
from planner.cli_render import render as render_command  # noqa: E402

main.add_command(render_command)
from planner.cli_batch import batch  # noqa: E402

main.add_command(batch)
from planner.cli_coach import catalog, explain, init, validate  # noqa: E402

main.add_command(init)
main.add_command(validate)
main.add_command(explain)
main.add_command(catalog)
