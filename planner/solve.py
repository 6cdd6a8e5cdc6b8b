"""Solve a block and turn the solution into a plain result: status, objective, bound, gap, plan."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from planner import __version__
from planner.catalog import Exercise
from planner.constraints import COOLDOWN_REST_SECONDS, DAYS, WARMUP_REST_SECONDS, Constraints
from planner.instance import Instance, build_instance, fixed_item_seconds, time_seconds
from planner.model import Vars, build
from planner.plan import Coverage, Item, Plan, Session, Week, WeekCoverage

PATTERN_ORDER = (
    "hinge",
    "squat",
    "lunge",
    "step_up",
    "bridge",
    "knee_curl",
    "back_extension",
    "vertical_pull",
    "horizontal_pull",
    "calf_raise",
    "shrug",
    "rear_delt",
    "abduction",
    "kickback",
)


class NoPlan(Exception):
    """No plan exists (or none was found in time); ``conflicts`` names the rules at odds, ``rules``
    pairs each with its rule key."""

    def __init__(
        self,
        message: str,
        conflicts: list[str] | None = None,
        rules: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.conflicts = conflicts or []
        self.rules = rules or []


@dataclass(frozen=True)
class Result:
    status: str
    objective: int
    bound: int
    gap: float
    runtime: float
    plan: Plan


# The first search runs without the LP, where good plans come fastest, for this much of CP-SAT's
# deterministic time; a search that has found nothing by then continues with the LP, which proves
# quickly that no plan exists.
QUICK_SEARCH_DTIME = 0.25


def solver_for(
    c: Constraints,
    time_limit: float,
    workers: int,
    linearization: int = 0,
    dtime_limit: float | None = None,
) -> cp_model.CpSolver:
    """One search worker by default, so the same inputs give the same plan, byte for byte."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = c.seed
    params.max_time_in_seconds = time_limit
    if dtime_limit is not None:
        params.max_deterministic_time = dtime_limit
    params.max_presolve_iterations = 1
    params.linearization_level = linearization
    return solver


# Blocks of at least this many mesocycles start from a shorter block's plan (see hint_from_short).
HINT_MIN_MESOCYCLES = 4
HINT_DTIME = 5.0


def hint_from_short(v: Vars, c: Constraints, time_limit: float, workers: int) -> bool:
    """Hint a long block with the optimum of a block of two mesocycles, repeated A, B, A, B, ...
    Every full mesocycle has the same weeks and rep ladder, so the repeated plan usually keeps
    every rule and reaches the bound at once (52 weeks: the search then only has to confirm it).
    The hint is completed (objective counters included) by a solve with the plan fixed; each of
    the two small solves may take a quarter of ``time_limit``. False, and no hint, when the block
    is not periodic or the repeated plan breaks a rule."""
    inst = v.inst
    every = c.deload.every
    if c.deload.weeks is not None or every is None or len(inst.mesocycles) < HINT_MIN_MESOCYCLES:
        return False
    short_c = c.with_overrides(**{"schedule.weeks": 2 * every})
    short = build(build_instance(short_c))
    if short.inst.mesocycles != inst.mesocycles[:2]:
        return False
    solver = solver_for(short_c, time_limit / 4, workers, dtime_limit=HINT_DTIME)
    if solver.solve(short.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    pairs = [*zip(v.train, short.train, strict=True), *zip(v.active, short.active, strict=True)]
    pairs += [(var, short.warm[eid]) for eid, var in v.warm.items()]
    pairs += [(var, short.cool[eid]) for eid, var in v.cool.items()]
    for k, meso in enumerate(inst.mesocycles):
        twin = short.inst.mesocycles[k % 2]
        weeks = list(zip(meso.loading, twin.loading, strict=False))
        if meso.deload is not None and twin.deload is not None:
            weeks.append((meso.deload, twin.deload))
        for week, twin_week in weeks:
            for s in inst.slots:
                for ex in inst.main:
                    pairs.append((v.present[week, s, ex.id], short.present[twin_week, s, ex.id]))
                    pairs.append((v.sets[week, s, ex.id], short.sets[twin_week, s, ex.id]))
    fixed = v.model.clone()
    fixed.clear_hints()
    for mine, same in pairs:
        fixed.add(fixed.get_int_var_from_proto_index(mine.index) == solver.value(same))
    complete = solver_for(c, time_limit / 4, workers, dtime_limit=HINT_DTIME)
    if complete.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    v.model.clear_hints()
    for var in v.all_variables():
        v.model.add_hint(var, complete.value(var))
    return True


def search(
    v: Vars, c: Constraints, time_limit: float, workers: int
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """Quick search without the LP; then, with the time left and the LP, go on from the plan found
    (hinted) or, when none was found, search afresh. Long blocks start from a repeated short
    plan."""
    started = time.perf_counter()
    if hint_from_short(v, c, time_limit, workers):
        solver = solver_for(c, max(0.1, time_limit - (time.perf_counter() - started)), workers)
        return solver.solve(v.model), solver
    solver = solver_for(c, time_limit, workers, dtime_limit=QUICK_SEARCH_DTIME)
    code = solver.solve(v.model)
    left = time_limit - (time.perf_counter() - started)
    if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or left <= 0:
        return code, solver
    if code == cp_model.FEASIBLE:
        v.model.clear_hints()  # the model's own hints (training days) would be duplicates
        for var in v.all_variables():
            v.model.add_hint(var, solver.value(var))
    # From a plan, the full LP proves the bound fastest where coverage cannot reach its targets
    # (a beginner with little equipment: 3 s instead of over a minute); from none, the LP finds one.
    again = solver_for(c, left, workers, linearization=2 if code == cp_model.FEASIBLE else 1)
    return again.solve(v.model), again


def solve(c: Constraints, time_limit: float = 60.0, workers: int = 1) -> Result:
    """Build and solve the block. Raises ``NoPlan`` when no plan exists or none is found in time."""
    started = time.perf_counter()
    inst = build_instance(c)
    v = build(inst)
    built = time.perf_counter()
    code, solver = search(v, c, time_limit, workers)
    done = time.perf_counter()
    if code == cp_model.INFEASIBLE:
        from planner.explain import conflicting_rules

        rules = conflicting_rules(c, time_limit=time_limit, workers=workers)
        raise NoPlan("no plan satisfies all the rules", [text for _, text in rules], rules)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise NoPlan(f"no plan found within the time limit of {time_limit:g} s (try --time-limit)")
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    objective = round(solver.objective_value)
    bound = math.floor(solver.best_objective_bound + 1e-6)
    gap = 0.0 if status == "optimal" else (bound - objective) / max(1, abs(bound))
    run = {
        "status": status,
        "objective": objective,
        "bound": bound,
        "gap": round(gap, 6),
        "build_seconds": round(built - started, 4),
        "solve_seconds": round(done - built, 4),
        "wall_seconds": round(done - started, 4),
        "workers": workers,
        "seed": c.seed,
        "time_limit": time_limit,
        "planner_version": __version__,
        "ortools_version": _ortools_version(),
    }
    plan = assemble(v, solver, status, run)
    if status == "feasible" and plan.coverage.objective > objective:
        # A search stopped early may leave the objective's counters below what the plan covers.
        objective = plan.coverage.objective
        gap = (bound - objective) / max(1, abs(bound))
        plan = plan.model_copy(
            update={"solver": {**run, "objective": objective, "gap": round(gap, 6)}}
        )
    if plan.coverage.objective != objective:
        raise AssertionError(f"objective {objective} != recomputed {plan.coverage.objective}")
    return Result(status, objective, bound, gap, done - started, plan)


def _ortools_version() -> str:
    from importlib.metadata import version

    return version("ortools")


def _item(ex: Exercise, sets: int, reps: int | None, rest: int) -> Item:
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
    )


def _order(ex: Exercise) -> tuple[int, int, str]:
    """Coach's order within a session: heavy compound lifts first, isolation work last."""
    return (
        -ex.fatigue,
        PATTERN_ORDER.index(ex.pattern) if ex.pattern in PATTERN_ORDER else 99,
        ex.id,
    )


Chosen = Callable[[int, int], list[tuple[Exercise, int, int]]]


def plan_from(
    inst: Instance,
    days: Sequence[str],
    warm: list[Exercise],
    cool: list[Exercise],
    chosen: Chosen,
    status: str,
    run: dict[str, Any],
) -> Plan:
    """The plan contract from a solution: ``chosen(week, s)`` gives (exercise, sets, reps) of the
    session; coverage is computed from the plan's own items."""
    c = inst.constraints
    warmup = [_item(ex, ex.default_sets or 1, ex.default_reps, WARMUP_REST_SECONDS) for ex in warm]
    cooldown = [
        _item(ex, ex.default_sets or 1, ex.default_reps, COOLDOWN_REST_SECONDS) for ex in cool
    ]
    around = sum(fixed_item_seconds(ex) for ex in [*warm, *cool])
    weeks = []
    for week in inst.weeks:
        sessions = []
        for s, day in enumerate(days):
            picked = sorted(chosen(week, s), key=lambda t: _order(t[0]))
            items = [_item(ex, sets, reps, c.rest_seconds) for ex, sets, reps in picked]
            seconds = around + sum(
                time_seconds(ex, sets, reps, c.rest_seconds) for ex, sets, reps in picked
            )
            sessions.append(
                Session(
                    day=day,
                    minutes=math.ceil(seconds / 60),
                    warmup=warmup,
                    exercises=items,
                    cooldown=cooldown,
                )
            )
        weeks.append(Week(week=week, deload=week in inst.deloads, sessions=sessions))
    return Plan(
        status=status,
        equipment=sorted(inst.equipment),
        weeks=weeks,
        coverage=coverage_of(weeks, c),
        constraints=c.model_dump(mode="json"),
        solver=run,
    )


def assemble(v: Vars, solver: cp_model.CpSolver, status: str, run: dict[str, Any]) -> Plan:
    """Read the model's solution into the plan contract."""
    inst = v.inst
    val = solver.value
    days = [day for day, train in zip(DAYS, v.train, strict=True) if val(train)]

    def chosen(week: int, s: int) -> list[tuple[Exercise, int, int]]:
        return [
            (ex, val(v.sets[week, s, ex.id]), inst.reps[week])
            for ex, here in v.items(week, s)
            if val(here)
        ]

    warm = [ex for ex in inst.warmup if val(v.warm[ex.id])]
    cool = [ex for ex in inst.cooldown if val(v.cool[ex.id])]
    return plan_from(inst, days, warm, cool, chosen, status, run)


def mesocycle_exercises(weeks: list[Week]) -> list[set[str]]:
    """The exercises of each mesocycle: loading weeks up to and including a deload week."""
    mesocycles: list[set[str]] = []
    current: set[str] = set()
    for week in weeks:
        ids = {it.id for s in week.sessions for it in s.exercises}
        if not week.deload or not current:
            current |= ids
        if week.deload:
            mesocycles.append(current)
            current = set()
    return [*mesocycles, current] if current else mesocycles


def coverage_of(weeks: list[Week], c: Constraints) -> Coverage:
    """The objective, recomputed from the plan's items (see README: Objective)."""
    obj = c.objective
    rows = []
    for week in weeks:
        if week.deload:
            continue
        quarters: dict[str, int] = {}
        actions: dict[str, int] = {}
        for session in week.sessions:
            for action in {a for it in session.exercises for a in it.actions}:
                actions[action] = actions.get(action, 0) + 1
            for it in session.exercises:
                for muscle, share in it.muscles.items():
                    quarters[muscle] = quarters.get(muscle, 0) + round(4 * share) * it.sets
        score = sum(
            weight * min(quarters.get(m, 0), 4 * obj.target_sets.get(m, 0))
            for m, weight in obj.muscle_weights.items()
        ) + sum(
            weight * min(actions.get(a, 0), obj.action_sessions.get(a, 0))
            for a, weight in obj.action_weights.items()
        )
        rows.append(
            WeekCoverage(
                week=week.week,
                sets={m: quarters[m] / 4 for m in sorted(quarters)},
                sessions_with_action={a: actions[a] for a in sorted(actions)},
                score=score,
            )
        )
    variety = 0
    previous: set[str] | None = None
    for ids in mesocycle_exercises(weeks):
        variety += obj.variety * min(len(ids), obj.distinct_per_mesocycle)
        if previous is not None:
            variety += obj.variety * min(len(ids - previous), obj.new_per_mesocycle)
        variety += obj.favourite_bonus * len(ids & set(c.exercises.favourites))
        previous = ids
    total = sum(r.score for r in rows)
    used = set().union(*mesocycle_exercises(weeks))
    return Coverage(
        weeks=rows,
        score=total,
        distinct_exercises=len(used),
        variety_score=variety,
        objective=total + variety,
    )
