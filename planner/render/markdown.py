"""Markdown: a table per week, warm-up and cool-down, deloads marked, a coverage summary.

Every text taken from the plan (names, equipment, level, goal, muscles) is one line with Markdown
and HTML syntax escaped, so a name cannot add a heading, a tag or a link, or break a table.
"""

from __future__ import annotations

from typing import Any

from planner.render.common import (
    TIMES,
    dose,
    effective_sets,
    muscle_name,
    muscles,
    same_around,
    session_date,
    short_date,
    start_date,
    summary_line,
    target_sets,
    title,
    week_loads,
    weekly_range,
)
from planner.textsafe import markdown as text


def span(values: list[float]) -> str:
    """``12`` or ``9-12``: the range of ``values``."""
    lo, hi = min(values), max(values)
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def render(plan: dict[str, Any]) -> str:
    start = start_date(plan)
    starts = f" Starts {short_date(start)} {start.year}." if start else ""
    summary = f"{text(summary_line(plan))} Plan: {plan['status']}.{starts}"
    lines = [f"# {text(title(plan))}", "", summary, ""]
    around = bool(plan["weeks"] and plan["weeks"][0]["sessions"]) and same_around(plan)
    if around:
        first = plan["weeks"][0]["sessions"][0]
        lines += ["## Every session", "", "| Block | Drill | Dose | Rest |", "|---|---|---|---|"]
        for block, key in (("Warm-up", "warmup"), ("Cool-down", "cooldown")):
            for it in first[key]:
                lines.append(
                    f"| {block} | {text(it['name'])} | {dose(it)} | {it['rest_seconds']} s |"
                )
        lines.append("")
    for week in plan["weeks"]:
        mark = " (deload: lighter week)" if week["deload"] else ""
        lines += [
            f"## Week {week['week']}{mark}",
            "",
            f"| Day | Exercise | Sets {TIMES} reps | Rest |",
            "|---|---|---|---|",
        ]
        for session in week["sessions"]:
            day = (
                short_date(session_date(start, week["week"], session["day"]))
                if start
                else session["day"].capitalize()
            )
            rows = [("", it) for it in session["exercises"]]
            if not around:
                rows = (
                    [("Warm-up: ", it) for it in session["warmup"]]
                    + rows
                    + [("Cool-down: ", it) for it in session["cooldown"]]
                )
            for i, (prefix, it) in enumerate(rows):
                label = f"**{day}**, {session['minutes']} min" if i == 0 else ""
                lines.append(
                    f"| {label} | {prefix}{text(it['name'])} | {dose(it)} | "
                    f"{it['rest_seconds']} s |"
                )
        lines.append("")
    lines += coverage(plan)
    return "\n".join(lines)


def coverage(plan: dict[str, Any]) -> list[str]:
    """Weekly load and effective sets per muscle against the allowed range and the target."""
    cov = plan["coverage"]
    lines = [
        "## Coverage",
        "",
        f"Coverage score {cov['score']} + variety {cov['variety_score']} = objective "
        f"{cov['objective']}; {cov['distinct_exercises']} distinct exercises.",
        "",
        "| Week | Sessions | Main sets | Minutes |",
        "|---|---|---|---|",
    ]
    for load in week_loads(plan):
        mark = " (deload)" if load.deload else ""
        lines.append(f"| {load.week}{mark} | {load.sessions} | {load.sets} | {load.minutes} |")
    lines.append("")
    training = [effective_sets(w) for w in plan["weeks"] if not w["deload"]]
    light = [effective_sets(w) for w in plan["weeks"] if w["deload"]]
    header = "| Muscle | Allowed | Target | Sets a week |" + (" Deload |" if light else "")
    lines += [
        "Effective sets a week (main block; primary muscle 1, secondary 0.5):",
        "",
        header,
        "|---" * (5 if light else 4) + "|",
    ]
    for m in muscles(plan):
        lo_hi = weekly_range(plan, m)
        allowed = f"{lo_hi[0]:g}-{lo_hi[1]:g}" if lo_hi else "-"
        target = target_sets(plan, m)
        row = (
            f"| {text(muscle_name(m))} | {allowed} | {'-' if target is None else f'{target:g}'} | "
            f"{span([w.get(m, 0) for w in training]) if training else '-'} |"
        )
        if light:
            row += f" {span([w.get(m, 0) for w in light])} |"
        lines.append(row)
    lines.append("")
    return lines
