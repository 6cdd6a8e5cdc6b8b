"""Coach constraint files: TOML profiles layered over the built-in defaults.

A file says only what differs from the defaults (``Constraints``); command-line flags go over it.
Every problem is reported as ``file:line: key.path: message`` (tomllib gives no positions, so the
line of a key path comes from a small scan of the file text). A plan JSON works as a constraint
file too: its ``constraints`` echo reproduces the plan.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.constraints import Constraints

KeyPath = tuple[str, ...]


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


# --- where keys are: a small scanner of valid TOML text -----------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> tuple[KeyPath, int]:
    """A (dotted, possibly quoted) key at the start of ``text``: its parts and its length."""
    parts: list[str] = []
    i = 0
    while True:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] in "\"'":
            quote = text[i]
            end = text.index(quote, i + 1)
            parts.append(text[i + 1 : end])
            i = end + 1
        else:
            match = _BARE_KEY.match(text, i)
            if not match:
                return tuple(parts), i
            parts.append(match.group())
            i = match.end()
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def _strip_strings(line: str) -> str:
    """``line`` with string contents blanked and any comment dropped (single-line strings)."""
    out = []
    quote = ""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = ""
                out.append(ch)
        elif ch in "\"'":
            quote = ch
            out.append(ch)
        elif ch == "#":
            break
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def key_lines(text: str) -> dict[KeyPath, int]:
    """The 1-based line where each key path of a valid TOML document is set (tables included)."""
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    depth = 0  # open brackets of a multi-line array
    in_multiline = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if in_multiline in raw:
                in_multiline = ""
            continue
        line = raw.strip()
        if depth:
            plain = _strip_strings(line)
            depth += plain.count("[") + plain.count("{") - plain.count("]") - plain.count("}")
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            inner = line.lstrip("[")
            table, _ = _split_key(inner)
            lines.setdefault(table, number)
            continue
        key, end = _split_key(line)
        if not key or end >= len(line) or line[end] != "=":
            continue
        lines.setdefault(table + key, number)
        value = line[end + 1 :].strip()
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                in_multiline = quote
        plain = _strip_strings(value)
        if plain.startswith("{"):  # inline table: its keys are on this line
            for found in re.finditer(r"[{,]\s*([A-Za-z0-9_\"'.-]+)\s*=", value):
                sub, _ = _split_key(found.group(1))
                lines.setdefault(table + key + sub, number)
        depth = max(0, plain.count("[") + plain.count("{") - plain.count("]") - plain.count("}"))
    return lines


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
        data, lines = _json_data(path, text), {}
    else:
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
        located = [_problem(source, e) for e in exc.errors(include_url=False)]
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


def _json_data(path: Path, text: str) -> dict[str, Any]:
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


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] = Constraints
    for part in loc:
        info = model.model_fields.get(str(part))
        annotation = info.annotation if info else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _problem(source: ConfigFile, error: Any) -> tuple[int, str]:
    """One pydantic error as (line, ``file:line: key.path: message``)."""
    loc = tuple(error["loc"])
    kind, message = error["type"], str(error["msg"]).removeprefix("Value error, ")
    if loc and loc[-1] == "[key]":  # a dictionary key (muscle or action name) that is not known
        loc = loc[:-1]
        message = f"unknown name {loc[-1]!r}"
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        message += _suggest(str(loc[-1]), expected) or f"; known: {', '.join(expected)}"
    elif kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = sorted(model.model_fields) if model else []
        message = "unknown key" + (_suggest(str(loc[-1]), known) or f"; known: {', '.join(known)}")
    elif kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        message += _suggest(str(error.get("input")), expected)
    path = tuple(str(p) for p in loc if not isinstance(p, int))
    return source.line_of(path) or 0, f"{source.where(path)}: {dotted(loc) or '(file)'}: {message}"


def check_names(source: ConfigFile) -> list[str]:
    """Exercise ids and equipment names the catalog does not know, and a catalog that fails."""
    from planner.instance import load_catalog

    c = source.constraints
    try:
        catalog = load_catalog(c)
    except ValidationError as exc:
        return [
            f"{source.where(('catalog',))}: catalog: {c.catalog}: {dotted(tuple(e['loc']))}: "
            f"{e['msg']}"
            for e in exc.errors(include_url=False)
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
            hint = _suggest(part, [*catalog.profiles, *items])
            bad(
                ("equipment", "profile"),
                None,
                f"unknown profile or item {part!r}"
                + (hint or f"; profiles: {', '.join(sorted(catalog.profiles))}"),
            )
    for key in ("extra", "missing"):
        for i, name in enumerate(getattr(c.equipment, key)):
            if name not in catalog.equipment:
                bad(("equipment", key), i, f"unknown equipment {name!r}" + _suggest(name, items))
    by_id = catalog.by_id()
    for key in ("exclude", "require", "favourites"):
        for i, eid in enumerate(getattr(c.exercises, key)):
            if eid not in by_id:
                bad(("exercises", key), i, f"unknown exercise id {eid!r}" + _suggest(eid, [*by_id]))
            elif key == "require" and by_id[eid].block != "main":
                bad(
                    ("exercises", key),
                    i,
                    f"{eid} is a {by_id[eid].block} item; only "
                    "main-block exercises can be required",
                )
    return problems


# --- explaining a conflict in the file's own terms -----------------------------------------------

# Rule key (before any ':') -> the keys of a constraint file that set that rule.
RULE_KEYS: dict[str, tuple[str, ...]] = {
    "sessions": ("schedule.sessions",),
    "days": ("schedule.days",),
    "session_size": ("volume.exercises_per_session",),
    "sets_and_reps": ("volume.sets", "volume.reps", "client.goal"),
    "deload": ("deload.depth", "deload.weeks", "deload.every"),
    "hip_knee_balance": ("balance.require_both", "balance.hip_knee_ratio"),
    "weekly_action": ("balance.weekly_actions",),
    "weekly_volume": ("volume.weekly_sets.{arg}", "volume.level_factor", "client.level"),
    "session_time_cap": ("schedule.minutes",),
    "session_fatigue": ("volume.session_fatigue_max", "volume.level_factor", "client.level"),
    "week_fatigue": ("volume.week_fatigue_max", "volume.level_factor", "client.level"),
    "equipment": ("equipment.profile", "equipment.extra", "equipment.missing"),
    "level": ("client.level",),
    "exclude": ("exercises.exclude",),
    "exclude_patterns": ("exercises.exclude_patterns",),
    "exclude_actions": ("exercises.exclude_actions",),
    "exclude_dominance": ("exercises.exclude_dominance",),
    "require": ("exercises.require",),
}


def source_lines(path: Path | None) -> ConfigFile | None:
    """The key lines of a constraint file already loaded (None for none, or a JSON file)."""
    if path is None or path.suffix.lower() == ".json":
        return None
    try:
        return ConfigFile(path, Constraints(), key_lines(path.read_text("utf-8")))
    except (OSError, UnicodeDecodeError):
        return None


def rule_source(source: ConfigFile | None, key: str) -> tuple[str, str]:
    """Where a rule comes from: (``file:line``, '(default)' or '(built-in)'; key path)."""
    name, _, arg = key.partition(":")
    paths = [p.format(arg=arg) for p in RULE_KEYS.get(name, ())]
    if source is not None:
        for path in paths:
            parts = tuple(path.split("."))
            if parts in source.lines:
                return f"{source.path}:{source.lines[parts]}", path
    if paths:
        return "(default)", paths[0]
    return "(built-in)", ""


def describe_conflicts(rules: list[tuple[str, str]], source: ConfigFile | None) -> list[str]:
    """One line per conflicting rule: where the coach set it, its key, and the rule in words."""
    out = []
    for key, text in rules:
        where, path = rule_source(source, key)
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
    "volume.reps": "[8, 12]",
    "deload.weeks": "[4, 8]",
}


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


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
