"""HTML: one self-contained page (inline CSS and SVG, no scripts, no network) that prints a page
per week. Jinja2 templates with autoescaping, shipped as package data: every value from the plan
is escaped (quotes included), and names are put on one line (the ``line`` filter)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from planner.render.charts import coverage_map, load_curve, sets_per_muscle
from planner.render.common import (
    BLOCKS,
    DAY_NAMES,
    dose,
    main_sets,
    same_around,
    session_date,
    short_date,
    start_date,
    summary_line,
    title,
    week_loads,
)
from planner.textsafe import one_line


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("planner.render", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["dose"] = dose
    env.filters["line"] = one_line
    return env


def render(plan: dict[str, Any]) -> str:
    start = start_date(plan)
    weeks = []
    for week in plan["weeks"]:
        sessions = []
        for session in week["sessions"]:
            date = session_date(start, week["week"], session["day"]) if start else None
            sessions.append(
                {
                    "heading": f"{DAY_NAMES[session['day']]} {short_date(date)[4:]}"
                    if date
                    else DAY_NAMES[session["day"]],
                    "date": date.isoformat() if date else "",
                    "minutes": session["minutes"],
                    "main_sets": main_sets(session),
                    "blocks": [(label, session[key]) for key, label in BLOCKS],
                    "exercises": session["exercises"],
                }
            )
        weeks.append({"week": week["week"], "deload": week["deload"], "sessions": sessions})
    first = (
        plan["weeks"][0]["sessions"][0] if plan["weeks"] and plan["weeks"][0]["sessions"] else None
    )
    return (
        environment()
        .get_template("plan.html.j2")
        .render(
            title=title(plan),
            summary=summary_line(plan),
            status=plan["status"],
            start=f"{short_date(start)} {start.year}" if start else "",
            coverage=plan["coverage"],
            loads=week_loads(plan),
            weeks=weeks,
            around=first if first and same_around(plan) else None,
            charts=[sets_per_muscle(plan), coverage_map(plan), load_curve(plan)],
        )
    )
