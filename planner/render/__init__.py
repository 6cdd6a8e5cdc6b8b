"""Renderers turn a plan (the JSON contract, as a dict) into formats people read.

Markdown and JSON need nothing beyond the core install; HTML, Excel and iCalendar need the
``render`` extra (Jinja2, XlsxWriter, icalendar).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from typing import Any

FORMATS = ("md", "json", "html", "csv", "xlsx", "ics")
EXTRA_MODULES = {"html": ("jinja2",), "xlsx": ("xlsxwriter",), "ics": ("icalendar",)}
INSTALL_EXTRA = "pip install 'posterior-planner[render]'"


class MissingExtra(Exception):
    """A format needs a package of the ``render`` extra that is not installed."""


def require(fmt: str) -> None:
    """Raise ``MissingExtra`` (naming the install command) unless ``fmt`` can be rendered here."""
    missing = [m for m in EXTRA_MODULES.get(fmt, ()) if not available(m)]
    if missing:
        raise MissingExtra(f"the {fmt} format needs {', '.join(missing)}: {INSTALL_EXTRA}")


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules, or a broken one
        return False


def json_text(plan: dict[str, Any]) -> str:
    """The plan as indented JSON, ASCII only. pydantic's serializer writes it ten times faster than
    ``json.dumps(plan, indent=2)`` and the same but for two things: it leaves DEL (an ASCII
    control character) unescaped, which is escaped here, and it writes a float below 1e-4 its own
    way (0.000025 for 2.5e-05, 1e-7 for 1e-07; the same number). Text it cannot write (a lone
    surrogate) goes through ``json.dumps``."""
    from pydantic_core import PydanticSerializationError, to_json

    try:
        text = to_json(plan, indent=2, ensure_ascii=True).decode()
    except PydanticSerializationError:
        return json.dumps(plan, indent=2) + "\n"
    return text.replace("\x7f", "\\u007f") + "\n"


def render(plan: dict[str, Any], fmt: str, *, now: dt.datetime | None = None) -> str | bytes:
    """The plan in format ``fmt`` (one of ``FORMATS``); ``xlsx`` is bytes, the rest text.

    ``now`` stamps calendar events and the workbook, and dates a calendar whose plan has no start
    (the block then starts the Monday after); it defaults to the current time.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    require(fmt)
    now = now or dt.datetime.now(dt.UTC)
    if fmt == "json":
        return json_text(plan)
    if fmt == "md":
        from planner.render.markdown import render as markdown

        return markdown(plan)
    if fmt == "csv":
        from planner.render.table import render as table

        return table(plan)
    try:
        if fmt == "html":
            from planner.render.html import render as html

            return html(plan)
        if fmt == "xlsx":
            from planner.render.excel import render as excel

            return excel(plan, now)
        from planner.render.ical import render as ical

        return ical(plan, now)
    except ImportError as exc:  # found but does not import (a broken install)
        if (exc.name or "").split(".")[0] not in EXTRA_MODULES[fmt]:
            raise
        raise MissingExtra(f"the {fmt} format needs {exc.name}: {INSTALL_EXTRA}") from None
