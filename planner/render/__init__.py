"""Renderers turn a plan (the JSON contract, as a dict) into formats people read."""

from __future__ import annotations

import json
from typing import Any

FORMATS = ("md", "json")


def render(plan: dict[str, Any], fmt: str) -> str | bytes:
    """The plan in format ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        return json.dumps(plan, indent=2) + "\n"
    if fmt == "md":
        from planner.render.markdown import render as markdown

        return markdown(plan)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
