"""HTML: one self-contained page (inline CSS and SVG, no scripts, no network) that prints a page
per week. Jinja2 templates with autoescaping, shipped as package data: every value from the plan
is escaped (quotes included), and names are put on one line (the ``line`` filter)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from planner.constraints import RAMP_UP_REST_SECONDS
from planner.render.charts import coverage_map, load_curve, sets_per_muscle
from planner.render.common import (
    BLOCKS,
    DAY_NAMES,
    changes,
    dose,
    legend,
    load,
    main_sets,
    mesocycles,
    objective_line,
    ramp_sets,
    rep_range,
    same_around,
    session_date,
    short_date,
    start_date,
    summary_line,
    tempo,
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


def row(item: dict[str, Any]) -> dict[str, Any]:
    """An item's cells, each on one line (the template escapes them)."""
    return {
        "name": one_line(item["name"]),
        "dose": dose(item),
        "range": rep_range(item),
        "rir": "\N{EN DASH}" if item.get("rir") is None else str(item["rir"]),
        "rest": f"{item['rest_seconds']} s",
        "tempo": tempo(item) or "\N{EN DASH}",
        "load": load(item) or "\N{EN DASH}",
        "sets": item["sets"],
        "ramp": ramp_sets(item),
    }


def render(plan: dict[str, Any]) -> str:
    start = start_date(plan)
    cycles = {c.weeks[0]: c for c in mesocycles(plan)}
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
                    "blocks": [(label, [row(it) for it in session[key]]) for key, label in BLOCKS],
                    "exercises": [row(it) for it in session["exercises"]],
                }
            )
        cycle = cycles.get(week["week"])
        weeks.append(
            {
                "week": week["week"],
                "deload": week["deload"],
                "mesocycle": week.get("mesocycle", 1),
                "changes": changes(week, plan),
                "cycle": cycle if cycle and cycle.load_rules else None,
                "sessions": sessions,
            }
        )
    with_load = any(
        it.get("load_kg") is not None
        for w in plan["weeks"]
        for s in w["sessions"]
        for it in s["exercises"]
    )
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
            objective=objective_line(plan),
            loads=week_loads(plan),
            weeks=weeks,
            around=first if first and same_around(plan) else None,
            charts=[sets_per_muscle(plan), coverage_map(plan), load_curve(plan)],
            legend=legend(plan),
            with_load=with_load,
            columns=7 if with_load else 6,
            ramp_rest=RAMP_UP_REST_SECONDS,
        )
    )
