"""What every renderer reads from a plan dict: dates, prescriptions and their legend, mesocycles
with their load rules, per-set rows and weekly totals.

Renderers read only the plan's training content and its constraints, never the run-dependent
``solver`` key, so the same plan renders byte for byte the same way on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planner.constraints import RAMP_UP_REST_SECONDS, level_landmarks
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
# The training log's fill-in columns, left blank for the lifter (CSV key, spreadsheet heading):
# what was lifted (a blank unit is kg), the reps done, the effort as RIR or RPE, and whether the
# set was done (yes or no). planner.log reads them back.
LOG_COLUMNS = (
    ("load", "Load"),
    ("unit", "Unit (kg/lb)"),
    ("reps_done", "Reps done"),
    ("rir_done", "RIR done"),
    ("rpe_done", "RPE done"),
    ("done", "Done (yes/no)"),
)
# The Excel workbook's log sheet: one row per working set, the prescription then the fill-in
# columns (CSV key of each column, heading).
LOG_SHEET = (
    ("week", "Week"),
    ("day", "Day"),
    ("date", "Date"),
    ("exercise_id", "Exercise id"),
    ("exercise", "Exercise"),
    ("set", "Set"),
    ("reps", "Reps"),
    ("rir", "RIR"),
    ("load_kg", "Load (kg)"),
    *LOG_COLUMNS,
)
LOG_SHEET_NAME = "Log"
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


def reps(item: dict[str, Any]) -> str:
    """``8``, ``30 s`` or ``10 /side``: one set's work."""
    per_side = " /side" if item["unilateral"] else ""
    work = f"{item['seconds']} s" if item["reps"] is None else f"{item['reps']}"
    return work + per_side


def dose(item: dict[str, Any]) -> str:
    """``3 x 8``, ``2 x 30 s`` or ``3 x 10 /side``, with a multiplication sign for the x."""
    return f"{item['sets']} {TIMES} {reps(item)}"


def rep_range(item: dict[str, Any]) -> str:
    """``8-10``: the reps the mesocycle climbs through; empty for a drill, a stretch or a hold."""
    span = item.get("rep_range")
    return f"{span[0]}-{span[1]}" if span and item["reps"] is not None else ""


def dose_in_range(item: dict[str, Any]) -> str:
    """``4 x 8 (8-10)``: this week's sets and reps with the mesocycle's rep range."""
    span = rep_range(item)
    return f"{dose(item)} ({span})" if span else dose(item)


def rir(item: dict[str, Any]) -> str:
    """``RIR 2``, or empty when the item has no effort target."""
    return "" if item.get("rir") is None else f"RIR {item['rir']}"


def tempo(item: dict[str, Any]) -> str:
    """The tempo on one line (``3-0-1-0``), or empty."""
    return one_line(str(item.get("tempo") or ""))


def kilograms(value: float | None) -> str:
    """``22.5 kg``, or empty for an unknown load."""
    return "" if value is None else f"{value:g} kg"


def load(item: dict[str, Any]) -> str:
    """The week's working load (``40 kg``), or empty when it is not known."""
    return kilograms(item.get("load_kg"))


def ramp_sets(item: dict[str, Any]) -> str:
    """``8 @ 50 %, 5 @ 70 %, 3 @ 85 %`` (``8 @ 50 % (20 kg)`` when the load is known); empty
    when the item has no ramp-up."""
    return ", ".join(
        f"{r['reps']} @ {r['percent']} %"
        + (f" ({kilograms(r['load_kg'])})" if r["load_kg"] else "")
        for r in item.get("ramp_up") or []
    )


def prescription(item: dict[str, Any]) -> str:
    """Everything a lifter follows for one item on one line: ``4 x 8 (8-10), RIR 3, rest 90 s,
    tempo 3-0-1-0, 40 kg`` (the parts the item has)."""
    parts = [
        dose_in_range(item),
        rir(item),
        f"rest {item['rest_seconds']} s",
        f"tempo {tempo(item)}" if tempo(item) else "",
        load(item),
    ]
    return ", ".join(p for p in parts if p)


def ramp_line(session: dict[str, Any]) -> str:
    """``Ramp-up before Hip thrust: 8 @ 50 %, 5 @ 70 %, 3 @ 85 %, 60 s apart.``, or empty."""
    for item in session["exercises"]:
        if item.get("ramp_up"):
            return (
                f"Ramp-up before {one_line(item['name'])}: {ramp_sets(item)}, "
                f"{RAMP_UP_REST_SECONDS} s apart."
            )
    return ""


def week_heading(week: dict[str, Any], plan: dict[str, Any] | None = None) -> str:
    """``Week 4 · mesocycle 1 · deload (lighter week)``, and what changed it since it was
    planned (``re-planned``, ``missed``, a swap)."""
    deload = " \N{MIDDLE DOT} deload (lighter week)" if week["deload"] else ""
    marks = "".join(f" \N{MIDDLE DOT} {mark}" for mark in changes(week, plan or {}))
    return f"Week {week['week']} \N{MIDDLE DOT} mesocycle {week.get('mesocycle', 1)}{deload}{marks}"


def name_of(plan: dict[str, Any], eid: str) -> str:
    """An exercise's name as the plan prints it (its id when the plan no longer holds it)."""
    items = (it for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"])
    return next((it["name"] for it in items if it["id"] == eid), eid)


def changes(week: dict[str, Any], plan: dict[str, Any]) -> list[str]:
    """What changed ``week`` after the plan was made: missed, re-planned, or a swap."""
    if week.get("missed"):
        return ["missed (no sessions)"]
    out: list[str] = []
    for change in plan.get("history", []):
        if not change["from_week"] <= week["week"] <= change["through_week"]:
            continue
        if change["kind"] == "replan":
            missed = change.get("missed_week")
            out = ["re-planned" + (f", a week later (week {missed} missed)" if missed else "")]
            continue
        held = {
            it["id"] for s in week["sessions"] if s["day"] == change["day"] for it in s["exercises"]
        }
        if change["to"] in held:  # not swapped again since
            out = [o for o in out if not o.startswith(f"{change['day'].capitalize()}:")]
            into, was = (name_of(plan, i) for i in (change["to"], change["exercise"]))
            out.append(f"{change['day'].capitalize()}: {into} for {was}")
    return out


@dataclass(frozen=True)
class Mesocycle:
    """A run of loading weeks and its deload, and how its lifts progress."""

    number: int
    weeks: list[int]
    deload: int | None
    load_rules: list[tuple[str, list[str]]]  # (rule, names of the exercises it applies to)

    @property
    def heading(self) -> str:
        """``Mesocycle 1: weeks 1-4, deload in week 4``."""
        span = f"week {self.weeks[0]}" if len(self.weeks) == 1 else f"weeks {self.weeks[0]}-"
        span += "" if len(self.weeks) == 1 else f"{self.weeks[-1]}"
        deload = f", deload in week {self.deload}" if self.deload else ""
        return f"Mesocycle {self.number}: {span}{deload}"


def mesocycles(plan: dict[str, Any]) -> list[Mesocycle]:
    """The block's mesocycles in order, each with its load rules: exercises sharing a rule are
    grouped, so a rule is written once per mesocycle."""
    found: dict[int, list[dict[str, Any]]] = {}
    for week in plan["weeks"]:
        found.setdefault(week.get("mesocycle", 1), []).append(week)
    cycles = []
    for number, weeks in found.items():
        rules: dict[str, list[str]] = {}
        for week in weeks:
            for session in week["sessions"]:
                for item in session["exercises"]:
                    rule = one_line(str(item.get("load_rule") or ""))
                    name = one_line(item["name"])
                    if rule and name not in rules.setdefault(rule, []):
                        rules[rule].append(name)
        deload = next((w["week"] for w in weeks if w["deload"]), None)
        cycles.append(Mesocycle(number, [w["week"] for w in weeks], deload, list(rules.items())))
    return cycles


def items(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every main exercise of the block, each time it is done."""
    for week in plan["weeks"]:
        for session in week["sessions"]:
            yield from session["exercises"]


def legend(plan: dict[str, Any]) -> list[str]:
    """How to read the prescriptions the plan holds, a sentence each; each term is explained
    once, with the plan's own first value as the example."""
    lifts = list(items(plan))
    notes = []
    lift = next((it for it in lifts if rep_range(it)), None)
    if lift:
        notes.append(
            f"{dose(lift)} ({rep_range(lift)}): {lift['sets']} sets of {lift['reps']} reps this "
            f"week; over the mesocycle the reps climb through the range {rep_range(lift)}."
        )
    if any(it["unilateral"] for it in lifts):
        notes.append("/side: each side.")
    example = next((it["rir"] for it in lifts if it.get("rir") is not None), None)
    if example is not None:
        notes.append(rir_note(example) + " A lower RIR is a harder set.")
    shown = next((tempo(it) for it in lifts if tempo(it)), "")
    if shown:
        notes.append(
            f"Tempo {shown}: seconds lowering, paused at the bottom, lifting and paused at the "
            f"top ({tempo_words(shown)})."
        )
    if any(it.get("ramp_up") for it in lifts):
        notes.append(
            "Ramp-up: lighter sets before the first working set of the first loaded lift, as "
            "reps @ percent of the working load."
        )
    if any(it.get("load_kg") is not None for it in lifts):
        notes.append("kg: the working load of the week; the load rules say when it goes up.")
    return notes


def rir_note(value: int) -> str:
    """``RIR 2 (reps in reserve): stop each set with 2 more reps still possible.``"""
    reps = "rep" if value == 1 else "reps"
    return f"RIR {value} (reps in reserve): stop each set with {value} more {reps} still possible."


def tempo_words(text: str) -> str:
    """``3-0-1-0`` -> ``3 s down``; the lowering part of a tempo in words."""
    first = text.split("-")[0].strip()
    return f"{first} s down" if first.isdigit() else text


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
    kit = plan["constraints"].get("equipment")
    for change in reversed(plan.get("history", [])):
        was = (change.get("constraints") or {}).get("equipment")
        if change["kind"] == "replan" and was and was != kit:
            extra = "".join(f" + {x}" for x in was.get("extra", []))
            extra += "".join(f" - {x}" for x in was.get("missing", []))
            equipment += f" (from week {change['from_week']}; before: {was['profile']}{extra})"
            break
    return one_line(
        f"Equipment: {equipment}. Level: {client.get('level', '-')}, "
        f"goal: {client.get('goal', '-')}."
    )


def objective_line(plan: dict[str, Any]) -> str:
    """``Objective 100812 = stimulus 131376 - fatigue cost 6960 - time cost 23604; 9 distinct
    exercises.``: the plan's value and its parts (parts that are zero are left out)."""
    cov = plan["coverage"]
    parts = ""
    for name, value in cov.get("terms", {}).items():
        if value:
            sign = "-" if value < 0 else "+"
            parts += f" {sign} {one_line(name.replace('_', ' '))} {abs(value)}"
    parts = parts.removeprefix(" + ")
    return (
        f"Objective {cov['objective']}"
        + (f" = {parts.strip()}" if parts else "")
        + f"; {cov['distinct_exercises']} distinct exercises."
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


def landmarks(plan: dict[str, Any], muscle: str) -> tuple[int, int, int] | None:
    """``muscle``'s weekly [MEV, MAV, MRV] as the plan obeys them, MAV and MRV scaled by the
    client's level (a beginner's by 0.75), if the constraints say."""
    volume = plan["constraints"].get("volume", {})
    marks = volume.get("landmarks", {}).get(muscle)
    if not marks:
        return None
    level = plan["constraints"].get("client", {}).get("level")
    return level_landmarks(marks, volume.get("level_factor", {}).get(level, 1.0))


def weekly_range(plan: dict[str, Any], muscle: str) -> tuple[float, float] | None:
    """The allowed weekly effective sets ``(MEV, MRV)`` for ``muscle``, if the constraints say."""
    marks = landmarks(plan, muscle)
    return (marks[0], marks[2]) if marks else None


def target_sets(plan: dict[str, Any], muscle: str) -> float | None:
    """Weekly effective sets beyond which ``muscle`` earns no more (its MAV)."""
    marks = landmarks(plan, muscle)
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
    """One set as a training log records it; a ramp-up set has ``percent`` of the working load."""

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
    rir: int | None = None
    tempo: str | None = None
    load_kg: float | None = None
    rep_min: int | None = None
    rep_max: int | None = None
    mesocycle: int = 1
    percent: int | None = None


Where = tuple[int, bool, str, dt.date | None]  # week, deload, day, date


def set_rows(plan: dict[str, Any]) -> Iterator[SetRow]:
    """Every set of the block in the order it is done: week, session, block (the ramp-up sets
    between warm-up and main block), exercise, set."""
    start = start_date(plan)
    for week in plan["weeks"]:
        for session in week["sessions"]:
            date = session_date(start, week["week"], session["day"]) if start else None
            where: Where = (week["week"], week["deload"], session["day"], date)
            meso = week.get("mesocycle", 1)
            for key, _ in BLOCKS:
                if key == "exercises":
                    yield from ramp_rows(session, where, meso)
                for item in session[key]:
                    span = item.get("rep_range") or [None, None]
                    for number in range(1, item["sets"] + 1):
                        yield SetRow(
                            *where,
                            BLOCK_IDS[key],
                            item["id"],
                            item["name"],
                            number,
                            item["reps"],
                            item["seconds"],
                            item["unilateral"],
                            item["rest_seconds"],
                            rir=item.get("rir"),
                            tempo=item.get("tempo"),
                            load_kg=item.get("load_kg"),
                            rep_min=span[0],
                            rep_max=span[1],
                            mesocycle=meso,
                        )


def ramp_rows(session: dict[str, Any], where: Where, meso: int) -> Iterator[SetRow]:
    """The session's ramp-up sets, each a row of block ``rampup``."""
    for item in session["exercises"]:
        for number, ramp in enumerate(item.get("ramp_up") or [], start=1):
            yield SetRow(
                *where,
                "rampup",
                item["id"],
                item["name"],
                number,
                ramp["reps"],
                None,
                item["unilateral"],
                RAMP_UP_REST_SECONDS,
                tempo=item.get("tempo"),
                load_kg=ramp["load_kg"],
                mesocycle=meso,
                percent=ramp["percent"],
            )


def performed_line(week: dict[str, Any], session: dict[str, Any]) -> str | None:
    """What the log recorded for a session of a week done: each lift's sets as load x reps
    (RIR), or that nothing was logged; None when the week holds no log."""
    logged = week.get("performed") or []
    if not logged:
        return None
    mine = [p for p in logged if p["day"] == session["day"]]
    if not mine:
        return "Logged: nothing (skipped)."
    names = {it["id"]: it["name"] for it in session["exercises"]}
    parts = []
    for eid in dict.fromkeys(p["exercise"] for p in mine):
        sets = []
        for p in (p for p in mine if p["exercise"] == eid):
            if not p["done"]:
                sets.append("skipped")
                continue
            load = f"{p['load_kg']:g} kg \N{MULTIPLICATION SIGN} " if p["load_kg"] else ""
            rir = f" (RIR {p['rir']:g})" if p["rir"] is not None else ""
            sets.append(f"{load}{p['reps'] if p['reps'] is not None else '-'}{rir}")
        parts.append(f"{names.get(eid, eid)} {', '.join(sets)}")
    return "Logged: " + "; ".join(parts) + "."
