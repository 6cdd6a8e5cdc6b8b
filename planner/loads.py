"""Loads from a training log: each lift's strength estimated from its logged sets, the plan's load
rule applied to the latest week, and the loads of the weeks to come.

- **Strength** (e1RM, the estimated one-rep max) of a set by Epley's formula with the reps in
  reserve counted as reps, as the plan's own loads use it (``planner.solution.epley``):
  ``e1RM = load x (1 + (reps + RIR) / 30)``; RIR is the logged one (``10 - RPE`` from an RPE),
  else the week's target. A lift's e1RM is its best set in the latest week it was logged.
- **The load rule** (double progression) on that week: when every set logged reached the top of
  the rep range with at least the week's RIR target, add the kit's step; otherwise hold the load.
  The working load is the heaviest load of the week's sets, and the next load is rounded down to
  the kit's step (``planner.solution.round_down``).
- **A miss**: a set skipped, short of the week's reps, or below its RIR target. A lift that missed
  in the last two weeks it was logged is flagged as stalled.

The weeks to come are the plan's weeks after the last week of the log, each with the next load;
the next block starts from it. Run again as more weeks are logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.log import Log, LoggedSet
from planner.render.common import kilograms
from planner.solution import epley, round_down
from planner.textsafe import one_line


@dataclass(frozen=True)
class Effort:
    """A logged set's strength estimate: its e1RM and the arithmetic behind it."""

    logged: LoggedSet
    rir: float
    assumed: bool  # the RIR is the week's target, not a logged one
    e1rm: float

    def arithmetic(self) -> str:
        """``20 x (1 + (10 + 1) / 30) = 27.3 kg``."""
        s = self.logged
        rir = f"{self.rir:g}" + (" target" if self.assumed else "")
        return f"{s.load_kg:g} x (1 + ({s.reps} + {rir}) / 30) = {self.e1rm:.1f} kg"


@dataclass(frozen=True)
class Upcoming:
    """A session to come: the lift's sets, reps, RIR target and load."""

    week: int
    day: str
    sets: int
    reps: int | None
    rir: int | None
    load_kg: float | None


@dataclass(frozen=True)
class LiftLoads:
    """One lift of the plan: what the log says and what comes next."""

    exercise_id: str
    name: str
    weighted: bool
    increment_kg: float | None
    rep_range: tuple[int, int]
    week: int | None  # the latest week it was logged in; None when never
    week_sets: list[LoggedSet]  # the sets logged that week
    efforts: list[Effort]  # that week's done sets with a load
    topped: bool  # every set of that week reached the top of the range at the RIR target
    missed: list[int]  # weeks with a miss
    stalled: bool
    last_load: float | None
    next_load: float | None
    upcoming: list[Upcoming]

    @property
    def best(self) -> Effort | None:
        return max(self.efforts, key=lambda e: (e.e1rm, -e.logged.line), default=None)

    @property
    def met_every_target(self) -> bool:
        """Logged, and no week missed its target."""
        return self.week is not None and not self.missed


def targets(plan: dict[str, Any]) -> dict[tuple[int, str], dict[str, Any]]:
    """(week, exercise id) -> the plan's item for it that week (reps and RIR are the week's)."""
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for week in plan["weeks"]:
        for session in week["sessions"]:
            for item in session["exercises"]:
                out.setdefault((week["week"], item["id"]), item)
    return out


def lifts_of(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each lift of the plan (its first item), in the order the plan first has it."""
    out: dict[str, dict[str, Any]] = {}
    for week in plan["weeks"]:
        for session in week["sessions"]:
            for item in session["exercises"]:
                out.setdefault(item["id"], item)
    return out


def week_missed(sets: list[LoggedSet], target: dict[str, Any]) -> bool:
    """A set skipped, short of the week's reps, or harder than its RIR target."""
    return any(
        not s.done
        or (s.reps is not None and target["reps"] is not None and s.reps < target["reps"])
        or (s.rir is not None and target["rir"] is not None and s.rir < target["rir"])
        for s in sets
    )


def week_topped(sets: list[LoggedSet], target: dict[str, Any]) -> bool:
    """Every set done and at the top of the rep range with at least the RIR target."""
    top = (target.get("rep_range") or [None, None])[1]
    return bool(sets) and all(
        s.done
        and s.reps is not None
        and top is not None
        and s.reps >= top
        and (s.rir is None or target["rir"] is None or s.rir >= target["rir"])
        for s in sets
    )


def lift_loads(plan: dict[str, Any], log: Log) -> list[LiftLoads]:
    """Every lift of the plan, in the plan's order, with its loads from ``log``: its latest
    logged loading week decides (deload weeks are left out)."""
    by_week = targets(plan)
    last_logged = max((s.week for s in log.sets), default=0)
    deloads = {w["week"] for w in plan["weeks"] if w["deload"]}
    out = []
    for eid, item in lifts_of(plan).items():
        # The load rule judges loading weeks: a deload's easy sets neither top nor miss.
        logged: dict[int, list[LoggedSet]] = {}
        for s in log.sets:
            if s.exercise_id == eid and s.week not in deloads:
                logged.setdefault(s.week, []).append(s)
        missed = [w for w in sorted(logged) if week_missed(logged[w], by_week[w, eid])]
        step = item.get("increment_kg")
        span = item.get("rep_range") or [0, 0]
        weighted = item.get("load") not in ("band", "bodyweight", None) and bool(step)
        # The latest week with a set done decides; a later week skipped holds the load.
        week = max((w for w in logged if any(s.done for s in logged[w])), default=None)
        skipped_since = week is not None and max(logged) != week
        efforts: list[Effort] = []
        topped = False
        last = nxt = None
        if week is not None:
            target = by_week[week, eid]
            topped = week_topped(logged[week], target) and not skipped_since
            for s in logged[week]:
                if s.done and s.load_kg and s.reps:
                    rir = s.rir if s.rir is not None else float(target["rir"] or 0)
                    factor = epley(s.reps, rir)
                    efforts.append(Effort(s, rir, s.rir is None, round(s.load_kg * factor, 2)))
            if weighted and efforts:
                assert step is not None
                last = max(e.logged.load_kg or 0 for e in efforts)
                nxt = round_down(last + step if topped else last, step)
        coming = [
            (w, s, it)
            for w in plan["weeks"]
            if w["week"] > last_logged
            for s in w["sessions"]
            for it in s["exercises"]
            if it["id"] == eid
        ]
        # The rest of the logged week's mesocycle at the load it reached; the next load from the
        # next mesocycle, with the plan's own steps on top of it (one after each mesocycle that
        # tops the range).
        meso = {w["week"]: w["mesocycle"] for w in plan["weeks"]}
        now = meso.get(week or 0)
        later = [it.get("load_kg") for w, _, it in coming if meso[w["week"]] != now]
        planned = later[0] if later else None

        stalled = len(missed) >= 2 and missed[-2:] == sorted(logged)[-2:]
        upcoming = [
            Upcoming(
                w["week"],
                s["day"],
                it["sets"],
                it["reps"],
                it["rir"],
                it.get("load_kg")
                if week is None
                else coming_load(meso[w["week"]] == now, last, nxt, planned, it.get("load_kg")),
            )
            for w, s, it in coming
        ]
        out.append(
            LiftLoads(
                exercise_id=eid,
                name=one_line(item["name"]),
                weighted=weighted,
                increment_kg=step,
                rep_range=(span[0], span[1]),
                week=week,
                week_sets=logged.get(week, []) if week is not None else [],
                efforts=efforts,
                topped=topped,
                missed=missed,
                stalled=stalled,
                last_load=last,
                next_load=nxt,
                upcoming=upcoming,
            )
        )
    return out


def coming_load(
    same_mesocycle: bool,
    last: float | None,
    nxt: float | None,
    planned: float | None,
    plan_load: float | None,
) -> float | None:
    """A coming week's load: the load reached while its mesocycle lasts; after it the next load,
    plus the plan's steps since its first later week (``planned``: the plan's load there)."""
    if same_mesocycle:
        return last
    if nxt is None or planned is None or plan_load is None:
        return nxt
    return round(nxt + plan_load - planned, 2)


def report(lifts: list[LiftLoads], log: Log) -> str:
    """Each lift's loads with their arithmetic, as plain text."""
    lines = [
        f"Log {one_line(log.name)} ({log.kind}, loads in {log.unit}): {len(log.sets)} sets "
        f"in weeks {', '.join(map(str, log.weeks())) or '-'}.",
        "e1RM = load x (1 + (reps + RIR) / 30) (Epley, reps in reserve counted as reps; "
        "RIR = 10 - RPE; 'target': none logged, the week's target assumed).",
    ]
    for lift in lifts:
        lines.append("")
        step = f", step {lift.increment_kg:g} kg" if lift.weighted and lift.increment_kg else ""
        lo, hi = lift.rep_range
        lines.append(f"{lift.name} [{lift.exercise_id}]: {lo}-{hi} reps{step}")
        if lift.week is None:
            lines.append("  not logged")
        else:
            lines.extend(f"  {line}" for line in decision(lift))
        lines.extend(f"  {line}" for line in upcoming_lines(lift))
    for title, found in (
        ("Not mapped to a catalog exercise (left out; map them in a --names file)", log.unmapped),
        ("Not in this plan (left out)", log.elsewhere),
    ):
        if found:
            lines += ["", f"{title}:"]
            lines += [f"  {one_line(k)} ({lines_of(v)})" for k, v in sorted(found.items())]
    return "\n".join(lines) + "\n"


def decision(lift: LiftLoads) -> list[str]:
    """The latest logged week's sets, the e1RM and the load rule's decision, in words."""
    assert lift.week is not None
    out = [f"week {lift.week} sets: " + ", ".join(logged_set(e) for e in lift.week_sets)]
    if lift.efforts:
        best = lift.best
        assert best is not None
        out.append(f"week {lift.week}: best set e1RM = {best.arithmetic()}")
    hi = lift.rep_range[1]
    if lift.topped:
        verdict = f"every set reached {hi} reps at its RIR target"
        if lift.weighted and lift.last_load is not None:
            verdict += (
                f": add {lift.increment_kg:g} kg, {lift.last_load:g} + {lift.increment_kg:g}"
                f" -> {kilograms(lift.next_load)}"
            )
        elif not lift.weighted:
            verdict += ": move to a harder variant or band"
    else:
        verdict = f"not every set reached {hi} reps at its RIR target"
        if lift.weighted and lift.last_load is not None:
            verdict += f": hold {kilograms(lift.next_load)}"
    out.append(f"load rule: {verdict}")
    if lift.missed:
        weeks = "week" + ("s" if len(lift.missed) > 1 else "")
        out.append(f"missed its target in {weeks} {', '.join(map(str, lift.missed))}")
    if lift.stalled:
        out.append("STALLED: missed its target in the last two weeks it was logged")
    return out


def logged_set(s: LoggedSet) -> str:
    """``20 kg x 10 RIR 1``, ``skipped``, or ``x 12`` for an unloaded set."""
    if not s.done:
        return "skipped"
    load = f"{kilograms(s.load_kg)} " if s.load_kg else ""
    rir = f" RIR {s.rir:g}" if s.rir is not None else ""
    return f"{load}x {s.reps}{rir}"


def upcoming_lines(lift: LiftLoads) -> list[str]:
    """The sessions to come, a set each: ``week 3 mon: 20 kg x 9, 20 kg x 9 (RIR 2)``; then the
    next block's starting load."""
    out = []
    for u in lift.upcoming:
        load = f"{kilograms(u.load_kg)} x " if u.load_kg is not None else ""
        sets = ", ".join(f"{load}{u.reps}" for _ in range(u.sets))
        out.append(f"week {u.week} {u.day}: {sets} (RIR {u.rir})")
    if lift.weighted and lift.next_load is not None:
        out.append(f"next block starts at {kilograms(lift.next_load)}")
    return out


def lines_of(lines: list[int]) -> str:
    """``line 3`` or ``lines 3, 4, 9`` (the first five, then a count)."""
    shown = ", ".join(map(str, lines[:5]))
    more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
    return ("line " if len(lines) == 1 else "lines ") + shown + more
