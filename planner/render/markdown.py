"""Markdown for a phone: a short legend, each mesocycle's load rules, then a table per session
(warm-up and cool-down on a line each, the ramp-up before the table), and a coverage summary.

Every text taken from the plan (names, tempo, load rules, equipment, level, goal, muscles) is one
line with Markdown and HTML syntax escaped, so it cannot add a heading, a tag or a link, or break a
table.
"""

from __future__ import annotations

from typing import Any

from planner.render.common import (
    dose,
    dose_in_range,
    effective_sets,
    legend,
    load,
    mesocycles,
    muscle_name,
    muscles,
    objective_line,
    performed_line,
    ramp_line,
    same_around,
    session_date,
    short_date,
    start_date,
    summary_line,
    target_sets,
    tempo,
    title,
    week_heading,
    week_loads,
    weekly_range,
)
from planner.textsafe import markdown as text


def span(values: list[float]) -> str:
    """``12`` or ``9-12``: the range of ``values``."""
    lo, hi = min(values), max(values)
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def drills(label: str, rows: list[dict[str, Any]]) -> str:
    """``**Warm-up:** Glute bridge 2 x 15; Hip hinge drill 2 x 10.`` on one line."""
    return f"**{label}:** " + "; ".join(f"{text(it['name'])} {dose(it)}" for it in rows) + "."


def render(plan: dict[str, Any]) -> str:
    start = start_date(plan)
    starts = f" Starts {short_date(start)} {start.year}." if start else ""
    summary = f"{text(summary_line(plan))} Plan: {plan['status']}.{starts}"
    lines = [f"# {text(title(plan))}", "", summary, "", "## How to read it", ""]
    lines += [f"- {text(note)}" for note in legend(plan)]
    lines.append("")
    around = bool(plan["weeks"] and plan["weeks"][0]["sessions"]) and same_around(plan)
    if around:
        first = plan["weeks"][0]["sessions"][0]
        lines += ["## Every session", ""]
        for label, key in AROUND:
            if first[key]:
                lines += [drills(label, first[key]), ""]
    cycles = {c.weeks[0]: c for c in mesocycles(plan)}
    for week in plan["weeks"]:
        cycle = cycles.get(week["week"])
        if cycle and cycle.load_rules:
            lines += [f"## {text(cycle.heading)}", "", "How to add load:", ""]
            lines += [
                f"- {text(', '.join(names))}: {text(rule)}" for rule, names in cycle.load_rules
            ]
            lines.append("")
        lines += [f"## {text(week_heading(week, plan))}", ""]
        for session in week["sessions"]:
            day = (
                short_date(session_date(start, week["week"], session["day"]))
                if start
                else session["day"].capitalize()
            )
            lines += [f"### {day}, {session['minutes']} min", ""]
            lines += session_lines(session, around)
            done = performed_line(week, session)
            if done:
                lines += [text(done), ""]
    lines += coverage(plan)
    return "\n".join(lines)


AROUND = (("Warm-up", "warmup"), ("Cool-down", "cooldown"))


def session_lines(session: dict[str, Any], around: bool) -> list[str]:
    """The session's warm-up line, ramp-up line, table and cool-down line."""
    lines = []
    if not around and session["warmup"]:
        lines += [drills("Warm-up", session["warmup"]), ""]
    ramp = ramp_line(session)
    if ramp:
        lines += [text(ramp), ""]
    rows = session["exercises"]
    with_tempo = any(tempo(it) for it in rows)
    with_load = any(load(it) for it in rows)
    head = ["Exercise", "Sets \N{MULTIPLICATION SIGN} reps", "RIR", "Rest"]
    head += ["Tempo"] * with_tempo + ["Load"] * with_load
    lines += ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for it in rows:
        cells = [
            text(it["name"]),
            dose_in_range(it),
            "-" if it["rir"] is None else str(it["rir"]),
            f"{it['rest_seconds']} s",
        ]
        cells += [text(tempo(it)) or "-"] * with_tempo + [load(it) or "-"] * with_load
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if not around and session["cooldown"]:
        lines += [drills("Cool-down", session["cooldown"]), ""]
    return lines


def coverage(plan: dict[str, Any]) -> list[str]:
    """Weekly load, and effective sets per muscle against its volume landmarks (MEV, MAV, MRV)."""
    lines = [
        "## Coverage",
        "",
        text(objective_line(plan)),
        "",
        "| Week | Sessions | Main sets | Minutes |",
        "|---|---|---|---|",
    ]
    for load_ in week_loads(plan):
        mark = " (deload)" if load_.deload else ""
        lines.append(f"| {load_.week}{mark} | {load_.sessions} | {load_.sets} | {load_.minutes} |")
    lines.append("")
    training = [effective_sets(w) for w in plan["weeks"] if not w["deload"]]
    light = [effective_sets(w) for w in plan["weeks"] if w["deload"]]
    header = "| Muscle | MEV-MRV | MAV | Sets a week |" + (" Deload |" if light else "")
    lines += [
        "Effective sets a week (main block; primary muscle 1, secondary 0.5) against the volume "
        "landmarks: MEV the least that grows, MAV the target, MRV the most you recover from.",
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
