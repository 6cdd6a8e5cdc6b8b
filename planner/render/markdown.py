"""Markdown: a table per week, warm-up and cool-down, deloads marked, a coverage summary."""

from __future__ import annotations

from typing import Any


def dose(item: dict[str, Any]) -> str:
    per_side = " /side" if item["unilateral"] else ""
    if item["reps"] is None:
        return f"{item['sets']} x {item['seconds']} s{per_side}"
    return f"{item['sets']} x {item['reps']}{per_side}"


def render(plan: dict[str, Any]) -> str:
    c = plan["constraints"]
    title = f"{c['client']['name']}: " if c["client"]["name"] else ""
    solver = plan["solver"]
    lines = [
        f"# {title}{len(plan['weeks'])}-week posterior-chain block",
        "",
        f"Equipment: {', '.join(plan['equipment']) or 'bodyweight only'}. "
        f"Level: {c['client']['level']}, goal: {c['client']['goal']}. "
        f"Status: {plan['status']} (objective {solver.get('objective')}, bound {solver.get('bound')}).",
        "",
    ]
    first = plan["weeks"][0]["sessions"][0] if plan["weeks"] and plan["weeks"][0]["sessions"] else None
    if first:
        lines += ["## Every session", "", "| Block | Drill | Dose | Rest |", "|---|---|---|---|"]
        for block, key in (("Warm-up", "warmup"), ("Cool-down", "cooldown")):
            for it in first[key]:
                lines.append(f"| {block} | {it['name']} | {dose(it)} | {it['rest_seconds']} s |")
        lines.append("")
    for week in plan["weeks"]:
        mark = " (deload)" if week["deload"] else ""
        lines += [f"## Week {week['week']}{mark}", "",
                  "| Day | Exercise | Sets x reps | Rest | Minutes |", "|---|---|---|---|---|"]
        for session in week["sessions"]:
            for i, it in enumerate(session["exercises"]):
                day = session["day"].capitalize() if i == 0 else ""
                minutes = str(session["minutes"]) if i == 0 else ""
                lines.append(f"| {day} | {it['name']} | {dose(it)} | {it['rest_seconds']} s | {minutes} |")
        lines.append("")
    cov = plan["coverage"]
    lines += ["## Coverage", "",
              f"Score {cov['score']} + variety {cov['variety_score']} = objective {cov['objective']}; "
              f"{cov['distinct_exercises']} distinct exercises.", ""]
    if cov["weeks"]:
        muscles = sorted({m for w in cov["weeks"] for m in w["sets"]})
        lines += ["| Week | " + " | ".join(muscles) + " |", "|---" * (len(muscles) + 1) + "|"]
        for row in cov["weeks"]:
            cells = " | ".join(f"{row['sets'].get(m, 0):g}" for m in muscles)
            lines.append(f"| {row['week']} | {cells} |")
        lines.append("")
    return "\n".join(lines)
