"""Solve a block and turn the solution into a plain result: status, objective, bound, gap, plan."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner import __version__
from planner.catalog import Catalog, Exercise, builtin_catalog, read_catalog
from planner.constraints import COOLDOWN_REST_SECONDS, DAYS, WARMUP_REST_SECONDS, Constraints
from planner.model import Instance, Vars, build, fixed_item_seconds, time_seconds
from planner.plan import Coverage, Item, Plan, Session, Week, WeekCoverage

PATTERN_ORDER = ("hinge", "squat", "lunge", "step_up", "bridge", "knee_curl", "back_extension",
                 "vertical_pull", "horizontal_pull", "calf_raise", "shrug", "rear_delt", "abduction",
                 "kickback")


class NoPlan(Exception):
    """No plan exists (or none was found in time); ``conflicts`` names the rules at odds."""

    def __init__(self, message: str, conflicts: list[str] | None = None) -> None:
        super().__init__(message)
        self.conflicts = conflicts or []


@dataclass(frozen=True)
class Result:
    status: str
    objective: int
    bound: int
    gap: float
    runtime: float
    plan: Plan


def load_catalog(c: Constraints) -> Catalog:
    return read_catalog(c.catalog) if c.catalog else builtin_catalog()


def equipment_of(c: Constraints, catalog: Catalog) -> frozenset[str]:
    """The items the client has: the profile, plus extras, minus missing ones."""
    items = set(catalog.resolve_equipment(c.equipment.profile))
    for name in (*c.equipment.extra, *c.equipment.missing):
        catalog.resolve_equipment(name)
    return frozenset((items | set(c.equipment.extra)) - set(c.equipment.missing))


def instance(c: Constraints, explain: bool = False) -> Instance:
    catalog = load_catalog(c)
    return Instance(c, catalog, equipment_of(c, catalog), explain=explain)


def solver_for(c: Constraints, time_limit: float, workers: int) -> cp_model.CpSolver:
    """One search worker by default: the same inputs then give the same plan, byte for byte. The
    limit is CP-SAT's deterministic time (about a second each on this kind of machine), so even a
    plan stopped at the limit is reproducible; wall time is capped at three times that."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = c.seed
    params.max_deterministic_time = time_limit
    params.max_time_in_seconds = 3 * time_limit
    params.max_presolve_iterations = 1
    params.linearization_level = 0
    return solver


def solve(c: Constraints, time_limit: float = 60.0, workers: int = 1) -> Result:
    """Build and solve the block. Raises ``NoPlan`` when no plan exists or none is found in time."""
    started = time.perf_counter()
    inst = instance(c)
    v = build(inst)
    built = time.perf_counter()
    solver = solver_for(c, time_limit, workers)
    code = solver.solve(v.model)
    done = time.perf_counter()
    if code == cp_model.INFEASIBLE:
        from planner.explain import explain

        conflicts = explain(c, time_limit=time_limit, workers=workers)
        raise NoPlan("no plan satisfies all the rules", conflicts)
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
    if plan.coverage.objective != objective:
        raise AssertionError(f"objective {objective} != recomputed {plan.coverage.objective}")
    return Result(status, objective, bound, gap, done - started, plan)


def _ortools_version() -> str:
    import ortools

    return str(ortools.__version__)


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
    return (-ex.fatigue, PATTERN_ORDER.index(ex.pattern) if ex.pattern in PATTERN_ORDER else 99, ex.id)


def assemble(v: Vars, solver: cp_model.CpSolver, status: str, run: dict[str, object]) -> Plan:
    """Read the solution into the plan contract, computing coverage from the plan's own items."""
    inst = v.inst
    c = inst.constraints
    val = solver.value
    days = [day for day, train in zip(DAYS, v.train, strict=True) if val(train)]
    warmup = [_item(ex, ex.default_sets or 1, ex.default_reps, WARMUP_REST_SECONDS)
              for ex in inst.warmup if val(v.warm[ex.id])]
    cooldown = [_item(ex, ex.default_sets or 1, ex.default_reps, COOLDOWN_REST_SECONDS)
                for ex in inst.cooldown if val(v.cool[ex.id])]
    around = sum(fixed_item_seconds(ex) for ex in inst.warmup if val(v.warm[ex.id])) + sum(
        fixed_item_seconds(ex) for ex in inst.cooldown if val(v.cool[ex.id])
    )
    weeks = []
    for week in inst.weeks:
        sessions = []
        for s, day in enumerate(days):
            chosen = sorted((ex for ex, here in v.items(week, s) if val(here)), key=_order)
            items = [
                _item(ex, val(v.sets[week, s, ex.id]), inst.reps[week], c.rest_seconds)
                for ex in chosen
            ]
            seconds = around + sum(
                time_seconds(ex, it.sets, it.reps, it.rest_seconds)
                for ex, it in zip(chosen, items, strict=True)
            )
            sessions.append(
                Session(day=day, minutes=math.ceil(seconds / 60), warmup=warmup, exercises=items,
                        cooldown=cooldown)
            )
        weeks.append(Week(week=week, deload=week in inst.deloads, sessions=sessions))
    return Plan(
        status=status,  # type: ignore[arg-type]
        equipment=sorted(inst.equipment),
        weeks=weeks,
        coverage=coverage_of(weeks, c),
        constraints=c.model_dump(mode="json"),
        solver=run,
    )


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
        rows.append(WeekCoverage(
            week=week.week,
            sets={m: quarters[m] / 4 for m in sorted(quarters)},
            sessions_with_action={a: actions[a] for a in sorted(actions)},
            score=score,
        ))
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
    return Coverage(weeks=rows, score=total, distinct_exercises=len(used),
                    variety_score=variety, objective=total + variety)
