"""TOML as text: where each key path of a file is set, and TOML values written back out.

tomllib gives no positions, so the line of a key path comes from a small scan of the (valid) file
text; ``toml_value`` writes the values of a starter file, a catalog import and ``catalog show``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

KeyPath = tuple[str, ...]

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


def toml_value(value: Any) -> str:
    """``value`` as TOML: booleans, numbers, strings, dates, arrays and inline tables."""
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
