"""What every renderer reads from a plan dict: dates, doses, per-set rows and weekly totals.

Renderers read only the plan's training content and its constraints, never the run-dependent
``solver`` key, so the same plan renders byte for byte the same way on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planner.textsafe import one_line

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
BLOCKS = (("warmup", "Warm-up"), ("exercises", "Main"), ("cooldown", "Cool-down"))
BLOCK_IDS = {"warmup": "warmup", "exercises": "main", "cooldown": "cooldown"}
TIMES = "\N{MULTIPLICATION SIGN}"


def start_date(plan: dict[str, Any]) -> dt.date | None:
    """The first day of the block, when the plan knows it (``constraints.schedule.start``)."""
    start = plan.get("constraints", {}).get("schedule", {}).get("start")
    return dt.date.fromisoformat(start) if start else None


def with_start(plan: dict[str, Any], start: dt.date) -> dict[str, Any]:
    """A copy of ``plan`` starting on ``start`` (the plan itself is left untouched)."""
    constraints = dict(plan.get("constraints", {}))
    constraints["schedule"] = {**constraints.get("schedule", {}), "start": start.isoformat()}
    return {**plan, "constraints": constraints}


def next_monday(today: dt.date) -> dt.date:
    """The first Monday strictly after ``today``."""
    return today + dt.timedelta(days=7 - today.weekday())


def session_date(start: dt.date, week: int, day: str) -> dt.date:
    """The date of ``day`` in training week ``week``: week 1 is the seven days from ``start``."""
    first = start + dt.timedelta(weeks=week - 1)
    return first + dt.timedelta(days=(DAYS.index(day) - first.weekday()) % 7)


def short_date(date: dt.date) -> str:
    """``Tue 8 Dec``."""
    return f"{date.strftime('%a')} {date.day} {date.strftime('%b')}"


def dose(item: dict[str, Any]) -> str:
    """``3 x 8``, ``2 x 30 s`` or ``3 x 10 /side``, with a multiplication sign for the x."""
    per_side = " /side" if item["unilateral"] else ""
    if item["reps"] is None:
        return f"{item['sets']} {TIMES} {item['seconds']} s{per_side}"
    return f"{item['sets']} {TIMES} {item['reps']}{per_side}"


def muscle_name(muscle: str) -> str:
    """``gluteus_maximus`` -> ``Gluteus maximus`` (on one line)."""
    return one_line(muscle.replace("_", " ")).capitalize()


def client_name(plan: dict[str, Any]) -> str:
    """The client's name on one line; empty for an unnamed client."""
    return one_line(str(plan["constraints"].get("client", {}).get("name") or ""))


def title(plan: dict[str, Any]) -> str:
    """The block's title on one line, led by the client's name when there is one."""
    name = client_name(plan)
    who = f"{name}: " if name else ""
    return f"{who}{len(plan['weeks'])}-week posterior-chain block"


def summary_line(plan: dict[str, Any]) -> str:
    """Equipment, level and goal in one sentence, on one line."""
    client = plan["constraints"].get("client", {})
    equipment = ", ".join(plan["equipment"]) or "bodyweight only"
    return one_line(
        f"Equipment: {equipment}. Level: {client.get('level', '-')}, "
        f"goal: {client.get('goal', '-')}."
    )


def main_sets(session: dict[str, Any]) -> int:
    return sum(item["sets"] for item in session["exercises"])


def fatigue_points(session: dict[str, Any]) -> int:
    """Sets x each exercise's fatigue cost: the planner's measure of how hard a session is."""
    return sum(item["sets"] * item["fatigue"] for item in session["exercises"])


@dataclass(frozen=True)
class WeekLoad:
    """A week's main-block volume and intensity, for charts and summaries."""

    week: int
    deload: bool
    sessions: int
    sets: int
    fatigue: int
    minutes: int


def week_loads(plan: dict[str, Any]) -> list[WeekLoad]:
    return [
        WeekLoad(
            week=w["week"],
            deload=w["deload"],
            sessions=len(w["sessions"]),
            sets=sum(main_sets(s) for s in w["sessions"]),
            fatigue=sum(fatigue_points(s) for s in w["sessions"]),
            minutes=sum(s["minutes"] for s in w["sessions"]),
        )
        for w in plan["weeks"]
    ]


def effective_sets(week: dict[str, Any]) -> dict[str, float]:
    """Main-block sets per muscle, each weighted by the muscle's share (primary 1, secondary 0.5).

    The same sum as the plan's ``coverage``, which leaves deload weeks out; this counts every week.
    """
    total: dict[str, float] = {}
    for session in week["sessions"]:
        for item in session["exercises"]:
            for muscle, share in item["muscles"].items():
                total[muscle] = total.get(muscle, 0.0) + item["sets"] * share
    return total


def muscles(plan: dict[str, Any]) -> list[str]:
    """Muscles the block trains or the constraints name, in the constraints' order."""
    named = list(plan["constraints"].get("volume", {}).get("landmarks", {}))
    trained = sorted({m for w in plan["weeks"] for m in effective_sets(w)} - set(named))
    return named + trained


def weekly_range(plan: dict[str, Any], muscle: str) -> tuple[float, float] | None:
    """The allowed weekly effective sets ``(MEV, MRV)`` for ``muscle``, if the constraints say."""
    marks = plan["constraints"].get("volume", {}).get("landmarks", {}).get(muscle)
    return (marks[0], marks[2]) if marks else None


def target_sets(plan: dict[str, Any], muscle: str) -> float | None:
    """Weekly effective sets beyond which ``muscle`` earns no more (its MAV)."""
    marks = plan["constraints"].get("volume", {}).get("landmarks", {}).get(muscle)
    return float(marks[1]) if marks else None


def same_around(plan: dict[str, Any]) -> bool:
    """Whether every session has the same warm-up and cool-down (then it is printed once)."""
    sessions = [s for w in plan["weeks"] for s in w["sessions"]]
    return all(
        s["warmup"] == sessions[0]["warmup"] and s["cooldown"] == sessions[0]["cooldown"]
        for s in sessions
    )


@dataclass(frozen=True)
class SetRow:
    """One set as a training log records it."""

    week: int
    deload: bool
    day: str
    date: dt.date | None
    block: str
    exercise_id: str
    exercise: str
    set: int
    reps: int | None
    seconds: int | None
    per_side: bool
    rest_seconds: int


def set_rows(plan: dict[str, Any]) -> Iterator[SetRow]:
    """Every set of the block in the order it is done: week, session, block, exercise, set."""
    start = start_date(plan)
    for week in plan["weeks"]:
        for session in week["sessions"]:
            date = session_date(start, week["week"], session["day"]) if start else None
            for key, _ in BLOCKS:
                for item in session[key]:
                    for number in range(1, item["sets"] + 1):
                        yield SetRow(
                            week["week"],
                            week["deload"],
                            session["day"],
                            date,
                            BLOCK_IDS[key],
                            item["id"],
                            item["name"],
                            number,
                            item["reps"],
                            item["seconds"],
                            item["unilateral"],
                            item["rest_seconds"],
                        )
