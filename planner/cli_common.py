"""What the ``planner`` commands share: exit codes, errors, the flags built from the options table,
the output options and writing the output. Only click and the options table are imported at the
top, so that ``planner --help`` stays instant.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from planner.options import BY_NAME, RULE_OPTIONS, Option, OptionError

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from planner.constraints import Constraints

EXIT_NO_PLAN = 1  # no plan under the rules, a plan failing its check, or failed batch rows
EXIT_USAGE = 2  # bad usage or a bad file
EXIT_INTERRUPTED = 130  # Ctrl-C
# Keep in step with planner.render.FORMATS (not imported: start-up time).
FORMATS: tuple[str, ...] = ("md", "json", "html", "csv", "xlsx", "ics")
# Output suffixes that name a format other than themselves.
SUFFIXES = {"markdown": "md", "txt": "md", "htm": "html", "ical": "ics"}
FILE = click.Path(dir_okay=False, path_type=Path)
# A plan to read: a file, or "-" for stdin.
PLAN_FILE = click.Path(dir_okay=False, allow_dash=True, path_type=Path)

Command = TypeVar("Command", bound=Callable[..., Any])


class PlannerError(click.ClickException):
    """A clear message and exit code 2 (bad usage or bad file)."""

    exit_code = EXIT_USAGE


class FileProblems(PlannerError):
    """Exit 2 listing a file's problems, one ``file:line: key.path: message`` line each."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


class OptionType(click.ParamType):
    """A flag of the options table: parsed by the table, with shell completion of its names
    (each item of a comma list) and a close match suggested for an unknown one."""

    def __init__(self, option: Option) -> None:
        self.option = option
        self.name = option.kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return self.option.parse(value)
        except OptionError as exc:
            self.fail(str(exc), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        done, last = "", incomplete
        if self.option.kind == "list":
            head, comma, last = incomplete.rpartition(",")
            done = head + comma
        return [
            CompletionItem(done + name) for name in self.option.names() if name.startswith(last)
        ]

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        option = self.option
        if option.kind == "choice":
            return "[" + "|".join(option.choices) + "]"
        if option.kind == "list":
            return "NAME,..." if option.name != "days" else "DAY,..."
        return {"int": "INTEGER", "float": "SECONDS", "date": "YYYY-MM-DD"}[option.kind]


def request_options(*names: str, **defaults: Any) -> Callable[[Command], Command]:
    """The click options of the named entries of the options table (every rule option when none
    are named), in the table's order; ``defaults`` override the table's defaults."""
    chosen = [BY_NAME[name] for name in names] if names else list(RULE_OPTIONS)

    def decorate(command: Command) -> Command:
        for option in reversed(chosen):
            default = defaults.get(option.name, option.default)
            command = click.option(
                option.flag,
                option.name,
                type=OptionType(option),
                default=default,
                show_default=default is not None,
                help=option.describe(),
            )(command)
        return command

    return decorate


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


def flags_given(values: dict[str, Any]) -> dict[str, str]:
    """The key paths the given rule flags set, each with its flag (``schedule.days: --days``)."""
    return {
        option.path: option.flag
        for option in RULE_OPTIONS
        if option.path and values.get(option.name) is not None
    }


def request(base: Constraints, values: dict[str, Any]) -> Constraints:
    """The flags' values over ``base`` (exit 2 naming a value the rules or catalog refuse)."""
    from planner.config import apply_options

    try:
        return apply_options(base, values)
    except OptionError as exc:
        raise PlannerError(str(exc)) from None
