"""Coach constraint files: TOML profiles layered over the built-in defaults.

A file says only what differs from the defaults (``Constraints``); command-line flags go over it.
Every problem is reported as ``file:line: key.path: message`` (the line comes from
``planner.toml_text.key_lines``). A plan JSON works as a constraint file too: its ``constraints``
echo reproduces the plan. Also here: pydantic errors in plain words (``validation_problems``, used
for every invalid value), a conflict named in the file's own terms, the starter file and the schema.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from planner.constraints import RULE_CONFIG_KEYS, Constraints
from planner.options import RULE_OPTIONS, OptionError, close_match
from planner.toml_text import KeyPath, key_lines, toml_value

if TYPE_CHECKING:
    import tomllib


class ConfigError(ValueError):
    """A constraint file that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ConfigFile:
    """A loaded constraint file: the rules, and the line where each key path was set."""

    path: Path
    constraints: Constraints
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path`` or of its closest enclosing key set in the file."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def where(self, path: KeyPath) -> str:
        line = self.line_of(path)
        return f"{self.path}:{line}" if line is not None else str(self.path)


# --- reading -----------------------------------------------------------------------------------


def load_constraints(path: Path) -> Constraints:
    """The file's rules over the built-in defaults; raises ``ConfigError`` listing every problem."""
    return read_config(path).constraints


def read_config(path: Path) -> ConfigFile:
    """Read and check a constraint file (TOML, or a plan JSON whose constraints it reuses)."""
    from planner.files import read_text

    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read: {exc}"]) from None
    if path.suffix.lower() == ".json":
        data, lines = json_data(path, text), {}
    else:
        import tomllib  # not needed by a solve without a constraint file

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([_toml_syntax(path, exc)]) from None
        lines = key_lines(text)
    source = ConfigFile(path, Constraints(), lines)
    _layer_maps(data)
    if isinstance(data.get("catalog"), str) and data["catalog"]:
        data["catalog"] = str((path.parent / data["catalog"]).resolve())
    try:
        c = Constraints.model_validate(data)
    except ValidationError as exc:
        located = [
            (source.line_of(key) or 0, f"{source.where(key)}: {problem}")
            for key, problem in validation_problems(exc, Constraints)
        ]
        raise ConfigError([text for _, text in sorted(located, key=lambda p: p[0])]) from None
    source = ConfigFile(path, c, lines)
    problems = check_names(source)
    if problems:
        raise ConfigError(problems)
    return source


def _layer_maps(data: dict[str, Any]) -> None:
    """Maps (weekly sets per muscle, weights, ...) merge over their defaults key by key, so a file
    that names one muscle keeps the built-in values of the others."""
    defaults = Constraints()
    for name, info in Constraints.model_fields.items():
        section = data.get(name)
        annotation = info.annotation
        if not (
            isinstance(section, dict)
            and isinstance(annotation, type)
            and issubclass(annotation, BaseModel)
        ):
            continue
        for key, value in section.items():
            default = getattr(getattr(defaults, name), key, None)
            if isinstance(value, dict) and isinstance(default, dict):
                section[key] = {**default, **value}


def json_data(path: Path, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError([f"{path}:{exc.lineno}: {exc.msg}"]) from None
    if isinstance(data, dict) and isinstance(data.get("constraints"), dict):
        data = data["constraints"]  # a plan: reproduce it from the rules it echoes
    if not isinstance(data, dict):
        raise ConfigError([f"{path}: expected a plan or a constraints object"])
    return data


def _toml_syntax(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's message ends with '(at line L, column C)': put the line first."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)$", message)
    if match:
        return f"{path}:{match.group(1)}: TOML syntax: {message[: match.start()].strip()}"
    return f"{path}: TOML syntax: {message}"


def dotted(loc: Sequence[Any]) -> str:
    """A pydantic location as a key path: ``volume.sets[0]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    for part in loc:
        info = model.model_fields.get(str(part))
        annotation = info.annotation if info else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def validation_problems(
    exc: ValidationError, model: type[BaseModel] | None = None
) -> list[tuple[KeyPath, str]]:
    """pydantic's errors in plain words, each as (its key path, ``key.path: message``), with a close
    match suggested for an unknown key (the known keys of ``model``) or name. Every invalid value,
    in a file, a flag or a batch row, is reported through here."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind, message = error["type"], str(error["msg"]).removeprefix("Value error, ")
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        if loc and loc[-1] == "[key]":  # a dictionary key (muscle or action name) not known
            loc = loc[:-1]
            message = f"unknown name {loc[-1]!r}"
            message += close_match(str(loc[-1]), expected) or f"; known: {', '.join(expected)}"
        elif kind == "extra_forbidden":
            found = _model_at(model, loc[:-1]) if model is not None else None
            known = sorted(found.model_fields) if found else []
            listed = f"; known: {', '.join(known)}" if known else ""
            message = "unknown key" + (close_match(str(loc[-1]), known) or listed)
        elif kind == "literal_error":
            message += close_match(str(error.get("input")), expected)
        path = tuple(str(p) for p in loc if not isinstance(p, int))
        problems.append((path, f"{dotted(loc) or '(file)'}: {message}"))
    return problems


def check_names(source: ConfigFile) -> list[str]:
    """Exercise ids and equipment names the catalog does not know, and a catalog that fails."""
    from planner.instance import load_catalog

    c = source.constraints
    try:
        catalog = load_catalog(c)
    except ValidationError as exc:
        return [
            f"{source.where(('catalog',))}: catalog: {c.catalog}: {text}"
            for _, text in validation_problems(exc)
        ]
    except (OSError, ValueError) as exc:
        return [f"{source.where(('catalog',))}: catalog: {exc}"]
    problems: list[str] = []

    def bad(path: KeyPath, index: int | None, message: str) -> None:
        loc = (*path, index) if index is not None else path
        problems.append(f"{source.where(path)}: {dotted(loc)}: {message}")

    items = sorted(catalog.equipment)
    for part in (p.strip() for p in c.equipment.profile.split(",")):
        if part not in catalog.profiles and part not in catalog.equipment:
            hint = close_match(part, [*catalog.profiles, *items])
            bad(
                ("equipment", "profile"),
                None,
                f"unknown profile or item {part!r}"
                + (hint or f"; profiles: {', '.join(sorted(catalog.profiles))}"),
            )
    for key in ("extra", "missing"):
        for i, name in enumerate(getattr(c.equipment, key)):
            if name not in catalog.equipment:
                bad(("equipment", key), i, f"unknown equipment {name!r}" + close_match(name, items))
    by_id = catalog.by_id()
    for key in ("exclude", "require", "favourites"):
        for i, eid in enumerate(getattr(c.exercises, key)):
            if eid not in by_id:
                bad(
                    ("exercises", key),
                    i,
                    f"unknown exercise id {eid!r}" + close_match(eid, [*by_id]),
                )
            elif key == "require" and by_id[eid].block != "main":
                bad(
                    ("exercises", key),
                    i,
                    f"{eid} is a {by_id[eid].block} item; only "
                    "main-block exercises can be required",
                )
    return problems


# --- options (flags, batch rows) over a base -----------------------------------------------------


def apply_options(base: Constraints, values: Mapping[str, Any]) -> Constraints:
    """``base`` with the rule options in ``values`` (parsed; None: not given) over it. Raises
    ``OptionError`` for a value the rules or the catalog do not accept (an unknown equipment name
    with the closest known one)."""
    from planner.instance import equipment_of, load_catalog

    overrides = {
        option.path: values[option.name]
        for option in RULE_OPTIONS
        if option.path and values.get(option.name) is not None
    }
    try:
        c = base.with_overrides(**overrides)
    except ValidationError as exc:
        problems = validation_problems(exc, Constraints)
        raise OptionError("; ".join(text for _, text in problems)) from None
    try:
        catalog = load_catalog(c)
        names = [*sorted(catalog.profiles), *sorted(catalog.equipment)]
        for part in c.equipment.profile.split(","):
            if part.strip() not in names:
                hint = close_match(part.strip(), names) or f"; known: {', '.join(names)}"
                raise OptionError(f"unknown equipment {part.strip()!r}{hint}")
        ids = catalog.by_id()
        for eid in values.get("exclude") or ():
            if eid not in ids:
                hint = close_match(eid, sorted(ids))
                raise OptionError(f"--exclude: unknown exercise id {eid!r}{hint}")
        equipment_of(c, catalog)
    except (ValueError, OSError) as exc:
        raise OptionError(str(exc)) from None
    return c


# --- explaining a conflict in the file's own terms -----------------------------------------------


def source_lines(path: Path | None) -> ConfigFile | None:
    """The key lines of a constraint file already loaded (None for none, or a JSON file)."""
    if path is None or path.suffix.lower() == ".json":
        return None
    try:
        return ConfigFile(path, Constraints(), key_lines(path.read_text("utf-8")))
    except (OSError, UnicodeDecodeError):
        return None


def rule_source(
    source: ConfigFile | None, key: str, flags: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """Where a rule comes from: ('(--flag)' when a flag set it, ``file:line``, '(default)' or
    '(built-in)'; key path). ``flags`` maps the key paths the flags set to the flags."""
    name, _, arg = key.partition(":")
    paths = [p.format(arg=arg) for p in RULE_CONFIG_KEYS.get(name, ())]
    for path in paths:
        if flags and path in flags:
            return f"({flags[path]})", path
    if source is not None:
        for path in paths:
            parts = tuple(path.split("."))
            if parts in source.lines:
                return f"{source.path}:{source.lines[parts]}", path
    if paths:
        return "(default)", paths[0]
    return "(built-in)", ""


def describe_conflicts(
    rules: list[tuple[str, str]],
    source: ConfigFile | None,
    flags: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per conflicting rule: where the coach set it (a flag, a file line), its key, and
    the rule in words."""
    out = []
    for key, text in rules:
        where, path = rule_source(source, key, flags)
        sep = " " if where.startswith("(") else ": "
        out.append(f"{where}{sep}{path}: {text}" if path else f"{where} {text}")
    return out


# --- the JSON Schema, and a starter file --------------------------------------------------------


def config_schema() -> str:
    """The JSON Schema of a constraint file, as committed in schema/config.schema.json."""
    return json.dumps(Constraints.model_json_schema(), indent=2) + "\n"


# --- a starter file ------------------------------------------------------------------------------

EXAMPLES: dict[str, str] = {
    "catalog": '"my-catalog.toml"',
    "schedule.sessions": "3",
    "schedule.start": "2026-01-05",
    "deload.weeks": "[4, 8]",
}


def _fields(model: BaseModel, prefix: str) -> tuple[list[str], list[str]]:
    """A section's plain keys, and its dictionary keys as sub-tables."""
    plain: list[str] = []
    tables: list[str] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            continue
        comment = "\n".join(
            textwrap.wrap(info.description or "", 98, initial_indent="# ", subsequent_indent="# ")
        )
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            tables += ["", comment, f"[{path}]"]
            tables += [
                f"{k} = {toml_value(list(v) if isinstance(v, tuple) else v)}"
                for k, v in value.items()
            ]
        elif value is None:
            plain += [comment, f"# {name} = {EXAMPLES[path]}"]
        else:
            plain += [comment, f"{name} = {toml_value(value)}"]
    return plain, tables


def starter_file() -> str:
    """A commented constraint file holding every default (loading it gives the defaults)."""
    c = Constraints()
    out = [
        "# Constraint file for `planner solve --config FILE`. Every key is optional: delete a line",
        "# to keep the built-in default. Check it with `planner validate FILE`.",
        "# Key completion in editors (Taplo, Even Better TOML): run",
        "#   planner schema config > config.schema.json",
        "# beside this file and make the first line `#:schema ./config.schema.json`.",
        "",
    ]
    plain, _ = _fields(c, "")
    out += plain
    for name in type(c).model_fields:
        section = getattr(c, name)
        if not isinstance(section, BaseModel):
            continue
        doc = (type(section).__doc__ or "").strip().splitlines()
        plain, tables = _fields(section, f"{name}.")
        out += ["", f"[{name}]", *(f"# {line.strip()}" for line in doc if line.strip())]
        out += plain + tables
    return "\n".join(out) + "\n"
