"""Coach commands: ``init``, ``validate`` and ``explain`` for constraint files, and the ``catalog``
group (import an external exercise library, list and show entries). Only click and the shared
command helpers are imported at the top, so that ``planner --help`` stays instant."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from planner.cli_common import (
    EXIT_NO_PLAN,
    FILE,
    FileProblems,
    flags_given,
    request,
    request_options,
)

if TYPE_CHECKING:
    from planner.catalog import Catalog, Exercise


def _fail(lines: list[str] | str) -> NoReturn:
    """Exit 2 with one problem per line on stderr."""
    raise FileProblems(lines if isinstance(lines, str) else "\n".join(lines))


def _write(path: Path, text: str) -> None:
    from planner.files import check_writable, write_atomic

    try:
        check_writable(path)
        write_atomic(path, text)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc}")


@click.command()
@click.argument("output", type=FILE)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(output: Path, force: bool) -> None:
    """Write a commented starter constraint file holding every default."""
    from planner.config import starter_file

    if output.exists() and not force:
        _fail(f"{output} exists; use --force to overwrite it")
    _write(output, starter_file())
    click.echo(f"wrote {output}: edit it, then `planner validate {output}`", err=True)


@click.command()
@click.argument("config_file", type=FILE)
def validate(config_file: Path) -> None:
    """Check a constraint file: exit 0 when sound, else 2 with one line per problem."""
    from planner.config import ConfigError, read_config

    try:
        read_config(config_file)
    except ConfigError as exc:
        _fail(exc.problems)
    click.echo(f"ok: {config_file} is sound")


@click.command()
@click.option("--config", "config_file", type=FILE, required=True, help="Constraint file (TOML).")
@request_options()
@request_options("time_limit", time_limit=30.0)
def explain(config_file: Path, time_limit: float, **rules: Any) -> None:
    """Say why no plan exists: the smallest set of rules in conflict, with their file lines.
    Flags go over the file, as for planner solve; the time limit is per check."""
    from planner.config import ConfigError, describe_conflicts, read_config
    from planner.explain import diagnose

    try:
        source = read_config(config_file)
    except ConfigError as exc:
        _fail(exc.problems)
    c = request(source.constraints, rules)
    found = diagnose(c, time_limit=time_limit)
    if found is None:
        click.echo("a plan exists: the rules do not conflict")
        return
    if not found:
        click.echo(
            f"undecided within the time limit of {time_limit:g} s (try --time-limit)", err=True
        )
        sys.exit(EXIT_NO_PLAN)
    click.echo("No plan exists: these rules cannot all hold together (relax one of them):")
    for line in describe_conflicts(found, source, flags_given(rules)):
        click.echo(f"  {line}")
    sys.exit(EXIT_NO_PLAN)


# --- catalog ----------------------------------------------------------------------------------


@click.group()
def catalog() -> None:
    """Browse exercise catalogs and import external exercise libraries."""


def _catalog(path: Path | None) -> Catalog:
    from pydantic import ValidationError

    from planner.catalog import Catalog, builtin_catalog, read_catalog

    if path is None:
        return builtin_catalog()
    try:
        return read_catalog(path)
    except ValidationError as exc:
        from planner.config import validation_problems

        _fail([f"{path}: {text}" for _, text in validation_problems(exc, Catalog)])
    except (OSError, ValueError) as exc:
        _fail(f"{path}: {exc}")


CATALOG_OPTION = click.option(
    "--catalog", "catalog_file", type=FILE, help="Catalog file (default: the built-in catalog)."
)


@catalog.command("list")
@CATALOG_OPTION
@click.option("--equipment", help="Only entries doable with a profile or comma list of items.")
@click.option("--muscle", help="Only entries that train this muscle (any share).")
@click.option("--block", type=click.Choice(["main", "warmup", "cooldown"]), help="Only this block.")
def list_entries(
    catalog_file: Path | None, equipment: str | None, muscle: str | None, block: str | None
) -> None:
    """List catalog entries: id, block, level, pattern and equipment."""
    from planner.catalog import MUSCLES

    cat = _catalog(catalog_file)
    entries = list(cat.exercises)
    if equipment is not None:
        try:
            items = set(cat.resolve_equipment(equipment))
        except ValueError as exc:
            _fail(str(exc))
        entries = [ex for ex in entries if set(ex.equipment) <= items]
    if muscle is not None:
        if muscle not in MUSCLES:
            _fail(f"unknown muscle {muscle!r}; known: {', '.join(MUSCLES)}")
        entries = [ex for ex in entries if muscle in ex.muscles]
    if block is not None:
        entries = [ex for ex in entries if ex.block == block]
    width = max((len(ex.id) for ex in entries), default=2)
    for ex in entries:
        kind = ex.pattern + (f"/{ex.dominance}" if ex.dominance else "")
        kit = ", ".join(ex.equipment) or "bodyweight"
        click.echo(f"{ex.id:<{width}}  {ex.block:<8}  {ex.level:<12}  {kind:<16}  {kit}")
    click.echo(f"{len(entries)} of {len(cat.exercises)} entries", err=True)


@catalog.command("show")
@click.argument("exercise_id")
@CATALOG_OPTION
def show(exercise_id: str, catalog_file: Path | None) -> None:
    """Show one catalog entry in full."""
    import difflib

    cat = _catalog(catalog_file)
    by_id = cat.by_id()
    if exercise_id not in by_id:
        close = difflib.get_close_matches(exercise_id, list(by_id), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        _fail(f"unknown exercise id {exercise_id!r}{hint}")
    click.echo(_describe(by_id[exercise_id]))


def _describe(ex: Exercise) -> str:
    from planner.toml_text import toml_value

    lines = [f"{ex.name} ({ex.id})"]
    for key, value in ex.model_dump(exclude={"id", "name"}).items():
        if value is None or value == ():
            continue
        lines.append(f"  {key:<22} {toml_value(value)}")
    return "\n".join(lines)


@catalog.command("import")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=FILE, required=True, help="Catalog file to write (TOML).")
@click.option("--report", type=FILE, help="Also write every skipped entry and unmapped value here.")
def import_library(source: Path, output: Path, report: Path | None) -> None:
    """Import a free-exercise-db exercises.json as a catalog that --config can use."""
    from planner.catalog_import import LibraryError
    from planner.catalog_import import import_library as run_import

    try:
        result = run_import(source)
    except LibraryError as exc:
        _fail(f"{source}: {exc}")
    _write(output, result.toml)
    if report is not None:
        _write(report, result.report())
    for line in result.summary():
        click.echo(line, err=True)
