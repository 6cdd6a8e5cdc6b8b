"""From a solution to the plan contract: sessions in coach order, each lift's prescription for the
week (sets, reps, reps in reserve, rest, tempo, load rule and kilograms), warm-ups with ramp-up
sets,
cool-downs, and the objective recomputed from the plan's items."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

from planner.catalog import Exercise
from planner.constraints import (
    COOLDOWN_REST_SECONDS,
    DAYS,
    WARMUP_REST_SECONDS,
)
from planner.instance import (
    Instance,
    coach_order,
    fixed_item_seconds,
    ramp_up,
    ramp_up_seconds,
)
from planner.plan import Coverage, Item, Plan, RampSet, Session, Week, WeekCoverage

STIMULUS_FULL = 10  # the stimulus of one full set (see planner.model.stimulus)


class Choice(Protocol):
    """What a solution chose for each (mesocycle, session slot)."""

    def exercises(self, k: int, s: int) -> list[tuple[Exercise, int]]: ...
    def warmup(self, k: int, s: int) -> list[Exercise]: ...
    def cooldown(self, k: int, s: int) -> list[Exercise]: ...


def round_down(kg: float, step: float) -> float:
    """``kg`` down to a multiple of the kit's ``step``."""
    return round(math.floor(kg / step + 1e-9) * step, 2)


def epley(reps: float, rir: float) -> float:
    """Epley's factor with the reps in reserve counted as reps: ``1 + (reps + RIR) / 30``, so that
    1RM = load x factor and load = 1RM / factor."""
    return 1 + (reps + rir) / 30


def base_load(inst: Instance, ex: Exercise) -> float | None:
    """The working load in kg of the week the known loads are for (``prescription.loads_week``,
    the first week unless a re-plan read a log): given, or from a 1RM by Epley's formula with the
    reps in reserve counted as reps (load = 1RM / (1 + (reps + RIR) / 30)), down to the kit's
    step."""
    known = inst.constraints.prescription.loads.get(ex.id)
    if known is None or not ex.weighted or not ex.increment_kg:
        return None
    if known.kg is not None:
        return round_down(known.kg, ex.increment_kg)
    assert known.one_rep_max is not None
    origin = inst.constraints.prescription.loads_week
    first = origin if origin > 1 else inst.block[0].ladder[0]
    factor = epley(inst.reps(ex, first), inst.rir(ex, first))
    return round_down(known.one_rep_max / factor, ex.increment_kg)


# Per exercise id, the block's mesocycles (0-based) whose loading weeks hold it, as planned.
Held = dict[str, set[int]]


def load_in(inst: Instance, ex: Exercise, week: int, held: Held) -> float | None:
    """The working load in ``week``'s mesocycle: one step more after each earlier mesocycle that
    holds the lift (``held``: every one for a main lift, kept across mesocycles; every other one
    for an accessory that rotates), from the one the known loads are for, whose last loading
    week reached the top of the rep range (double progression)."""
    base = base_load(inst, ex)
    if base is None or ex.increment_kg is None:
        return None
    _, hi = inst.rep_range(ex)
    k = inst.block_of[week].number
    origin = inst.block_of[inst.constraints.prescription.loads_week].number
    mine = held.get(ex.id, set())
    steps = sum(inst.peak_reps(ex, inst.block[j]) == hi for j in range(origin, k) if j in mine)
    return round(base + steps * ex.increment_kg, 2)


def held_by(inst: Instance, choice: Choice, sessions: int) -> Held:
    """The mesocycles of the instance with loading weeks that hold each lift, as chosen."""
    held: Held = {}
    for meso in inst.mesocycles:
        if meso.loading:
            for s in range(sessions):
                for ex, _ in choice.exercises(meso.number, s):
                    held.setdefault(ex.id, set()).add(meso.number)
    return held


def load_rule(inst: Instance, ex: Exercise) -> str:
    lo, hi = inst.rep_range(ex)
    last = max(inst.constraints.rir()[1], ex.min_rir or 0)
    reached = f"when every set reaches {hi} reps with {last} or more reps in reserve"
    if ex.weighted and ex.increment_kg:
        step = f"{ex.increment_kg:g} kg" + (" per dumbbell" if ex.load == "dumbbell" else "")
        return (
            f"Double progression: keep the load while the reps climb from {lo} to {hi}; {reached}, "
            f"add {step} (the smallest step your kit has) and start again at {lo} reps."
        )
    if ex.assisted:
        harder = "a lighter band (less help)"
    elif ex.load == "band":
        harder = "a stronger band"
    else:
        harder = "a harder variant or a slower lowering"
    return f"Double progression by reps: {reached}, move to {harder}."


def _item(ex: Exercise, sets: int, reps: int | None, rest: int, **more: Any) -> Item:
    fields: dict[str, Any] = {
        "tier": None,
        "family": None,
        "rep_range": None,
        "rir": None,
        "tempo": None,
        "load": None,
        "load_kg": None,
        "increment_kg": None,
        "load_rule": None,
        **more,
    }
    return Item(
        id=ex.id,
        name=ex.name,
        sets=sets,
        reps=reps,
        seconds=ex.hold_seconds if reps is None else None,
        rest_seconds=rest,
        equipment=list(ex.equipment),
        pattern=ex.pattern,
        dominance=ex.dominance,
        actions=list(ex.actions),
        muscles=dict(ex.muscles),
        level=ex.level,
        unilateral=ex.unilateral,
        seconds_per_rep=ex.seconds_per_rep,
        fatigue=ex.fatigue,
        high_fatigue_eccentric=ex.high_fatigue_eccentric,
        **fields,
    )


def lift(inst: Instance, ex: Exercise, sets: int, week: int, first: bool, held: Held) -> Item:
    """A lift's prescription for the week."""
    deload = week in inst.deloads
    kg = load_in(inst, ex, week, held)
    ramp = []
    if first and ex.weighted:
        ramp = [
            RampSet(
                percent=pct,
                reps=reps,
                load_kg=None if kg is None else round_down(kg * pct / 100, ex.increment_kg or 1),
            )
            for pct, reps in ramp_up(ex, inst.constraints)
        ]
    return _item(
        ex,
        inst.deload_sets(sets) if deload else sets,
        inst.reps(ex, week),
        inst.rest_seconds(ex),
        tier=ex.tier,
        family=ex.family,
        rep_range=list(inst.rep_range(ex)),
        rir=inst.rir(ex, week),
        tempo=ex.tempo,
        load=ex.load,
        load_kg=kg,
        increment_kg=ex.increment_kg,
        load_rule=load_rule(inst, ex),
        ramp_up=ramp,
    )


def item_seconds(inst: Instance, session: Session) -> int:
    """A session's length in seconds: warm-up, ramp-up sets, working sets with their rest, and
    the cool-down, from its items and the catalog."""
    by_id = inst.by_id
    fixed = [by_id[it.id] for it in (*session.warmup, *session.cooldown)]
    seconds = sum(fixed_item_seconds(ex) for ex in fixed)
    lifts = [(by_id[it.id], it) for it in session.exercises]
    seconds += ramp_up_seconds(lifts[0][0], inst.constraints) if lifts else 0
    return seconds + sum(it.sets * inst.set_seconds(ex, it.reps or 0) for ex, it in lifts)


def session(inst: Instance, choice: Choice, week: int, s: int, day: str, held: Held) -> Session:
    """The session of slot ``s`` in ``week``."""
    k = inst.block_of[week].number
    picked = sorted(choice.exercises(k, s), key=lambda pair: coach_order(pair[0]))
    items = [lift(inst, ex, sets, week, i == 0, held) for i, (ex, sets) in enumerate(picked)]
    warm, cool = choice.warmup(k, s), choice.cooldown(k, s)
    built = Session(
        day=day,
        minutes=0,
        warmup=[
            _item(ex, ex.default_sets or 1, ex.default_reps, WARMUP_REST_SECONDS) for ex in warm
        ],
        exercises=items,
        cooldown=[
            _item(ex, ex.default_sets or 1, ex.default_reps, COOLDOWN_REST_SECONDS) for ex in cool
        ],
    )
    return built.model_copy(update={"minutes": math.ceil(item_seconds(inst, built) / 60)})


def planned_weeks(
    inst: Instance, days: Sequence[str], choice: Choice, held: Held | None = None
) -> list[Week]:
    """The instance's weeks (its window, in a re-plan) as the solution fills them; a missed week
    holds no sessions. ``held``: which mesocycles hold each lift (the loads step after each), by
    default as chosen."""
    if held is None:
        held = held_by(inst, choice, len(days))
    return [
        Week(
            week=week,
            deload=week in inst.deloads,
            mesocycle=inst.block_of[week].number + 1,
            sessions=[]
            if week in inst.missed
            else [session(inst, choice, week, s, day, held) for s, day in enumerate(days)],
            missed=week in inst.missed,
        )
        for week in inst.weeks
    ]


def plan_from(
    inst: Instance, days: Sequence[str], choice: Choice, status: str, run: dict[str, Any]
) -> Plan:
    """The plan contract from a solution; its coverage is computed from the plan's own items."""
    weeks = planned_weeks(inst, days, choice)
    return Plan(
        status=status,
        equipment=sorted(inst.equipment),
        weeks=weeks,
        coverage=coverage_of(inst, weeks),
        constraints=inst.constraints.model_dump(mode="json"),
        solver=run,
    )


def coverage_of(inst: Instance, weeks: list[Week]) -> Coverage:
    """The objective, recomputed from the plan's items (README: The objective)."""
    c = inst.constraints
    obj = c.objective
    by_id = inst.by_id
    rows = []
    terms = dict.fromkeys(("stimulus", "fatigue_cost", "time_cost", "favourites"), 0)
    for week in weeks:
        if week.deload or week.missed:
            continue
        quarters: dict[str, int] = {}
        units: dict[str, int] = {}
        actions: dict[str, int] = {}
        fatigue = quality = 0
        for s in week.sessions:
            for action in {a for it in s.exercises for a in it.actions}:
                actions[action] = actions.get(action, 0) + 1
            for it in s.exercises:
                ex = by_id[it.id]
                fatigue += ex.fatigue * it.sets
                quality += obj.quality * inst.stimulus(ex) * it.sets
                for muscle, share in ex.muscles.items():
                    q = round(4 * share) * it.sets
                    quarters[muscle] = quarters.get(muscle, 0) + q
                    units[muscle] = units.get(muscle, 0) + q * inst.stimulus(ex)
        gained = 0
        for muscle, (mev, mav, _) in c.landmarks().items():
            weight = obj.muscle_weights.get(muscle, 0)
            low = min(units.get(muscle, 0), 4 * STIMULUS_FULL * mev)
            high = min(units.get(muscle, 0) - low, 4 * STIMULUS_FULL * (mav - mev))
            gained += weight * (2 * low + high)
        spent_f = obj.fatigue_cost * fatigue
        spent_t = obj.time_cost * sum(item_seconds(inst, s) for s in week.sessions)
        terms["stimulus"] += gained + quality
        terms["fatigue_cost"] -= spent_f
        terms["time_cost"] -= spent_t
        rows.append(
            WeekCoverage(
                week=week.week,
                sets={m: quarters[m] / 4 for m in sorted(quarters)},
                sessions_with_action={a: actions[a] for a in sorted(actions)},
                score=gained + quality - spent_f - spent_t,
            )
        )
    used: dict[int, set[str]] = {}
    for week in weeks:
        used.setdefault(week.mesocycle, set()).update(
            it.id for s in week.sessions for it in s.exercises
        )
    liked = set(c.exercises.favourites)
    terms["favourites"] = obj.favourite_bonus * sum(len(ids & liked) for ids in used.values())
    score = sum(r.score for r in rows)
    variety = terms["favourites"]
    return Coverage(
        weeks=rows,
        score=score,
        distinct_exercises=len(set().union(*used.values())) if used else 0,
        variety_score=variety,
        objective=score + variety,
        terms=terms,
    )


def days_of(train: Sequence[int]) -> list[str]:
    """The training days from the model's day switches."""
    return [day for day, on in zip(DAYS, train, strict=True) if on]
