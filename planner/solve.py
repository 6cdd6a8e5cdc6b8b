"""The public entry point: ``solve(request)`` builds and searches a block and returns a
``Result``."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from planner import __version__
from planner import cpsat as cp_model
from planner.catalog import Exercise
from planner.constraints import Constraints
from planner.cpsat import VERSION as ORTOOLS_VERSION
from planner.instance import Instance, build_instance
from planner.model import Vars, build
from planner.plan import Plan
from planner.search import WORK_LIMIT, search, stopped_by
from planner.solution import days_of, plan_from


class NoPlan(Exception):
    """No plan exists (or none was found in time); ``conflicts`` names the rules at odds in plain
    words, ``rules`` pairs each with its rule key."""

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
    """A solved block.

    ``status`` is "optimal" (no better plan exists under the objective) or "feasible" (stopped by
    the work or time limit, ``stopped_by`` says which; ``gap`` is how far the bound is, as a
    fraction). ``objective`` is the plan's
    value (see the README's objective), ``bound`` the best the search could prove possible,
    ``runtime`` the wall seconds of model building and search, and ``plan`` the plan contract
    (``planner.plan.Plan``; ``plan.model_dump(mode="json")`` is the JSON ``planner solve`` writes).
    """

    status: str
    objective: int
    bound: int
    gap: float
    runtime: float
    plan: Plan
    stopped_by: str | None = None


class Solved:
    """The choice read from CP-SAT's solution (a ``planner.solution.Choice``)."""

    def __init__(self, v: Vars, solver: cp_model.CpSolver) -> None:
        self.v, self.value = v, solver.value

    def exercises(self, k: int, s: int) -> list[tuple[Exercise, int]]:
        v, t = self.v, k % 2
        return [
            (ex, self.value(v.sets[t, s, ex.id]))
            for ex in v.inst.main
            if self.value(v.pick[t, s, ex.id])
        ]

    def warmup(self, k: int, s: int) -> list[Exercise]:
        return [ex for ex in self.v.inst.warmup if self.value(self.v.warm[k % 2, s, ex.id])]

    def cooldown(self, k: int, s: int) -> list[Exercise]:
        return [ex for ex in self.v.inst.cooldown if self.value(self.v.cool[k % 2, s, ex.id])]


def solve(
    request: Constraints,
    time_limit: float = 60.0,
    workers: int = 1,
    work_limit: float | None = WORK_LIMIT,
) -> Result:
    """Build and solve the block ``request`` describes within ``work_limit`` deterministic seconds
    of search (None: no work limit) and ``time_limit`` wall seconds in all (building the model and
    explaining a conflict included). A plan stopped by the work limit is the same on every run and
    machine; the wall clock is the safety net. Raises ``NoPlan`` when no plan exists (naming the
    conflicting rules) or none is found within the limits."""
    c = request
    started = time.perf_counter()
    inst = build_instance(c)
    v = build(inst)
    built = time.perf_counter()
    code, solver = search(v, c, time_limit - (built - started), workers, work_limit)
    done = time.perf_counter()
    stopped = found(code, solver, c, started, time_limit, workers, work_limit)
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    objective = round(solver.objective_value)
    bound = math.floor(solver.best_objective_bound + 1e-6)
    run = {
        "status": status,
        "objective": objective,
        "bound": bound,
        **run_record(c, solver, (started, built, done), workers, time_limit, work_limit, stopped),
    }
    plan = assemble(inst, v, solver, status, run)
    if plan.coverage.objective != objective:
        if status == "optimal":
            raise AssertionError(f"objective {objective} != recomputed {plan.coverage.objective}")
        # A search stopped early may leave the objective's counters below what the plan earns.
        objective = plan.coverage.objective
    gap = 0.0 if status == "optimal" else (bound - objective) / max(1, abs(bound))
    plan = plan.model_copy(update={"solver": {**run, "objective": objective, "gap": round(gap, 6)}})
    return Result(status, objective, bound, gap, done - started, plan, stopped)


def found(
    code: cp_model.CpSolverStatus,
    solver: cp_model.CpSolver,
    c: Constraints,
    started: float,
    time_limit: float,
    workers: int,
    work_limit: float | None,
    **setting: Any,
) -> str | None:
    """The limit that stopped a search with a plan ("work_limit", "time_limit"; None when it was
    proven). Raises ``NoPlan`` when it found none: naming the conflicting rules (within what is
    left of ``time_limit`` since ``started``; ``setting``: a re-plan's instance fields) when no
    plan exists, else the limit that ran out."""
    if code == cp_model.INFEASIBLE:
        from planner.explain import conflicting_rules

        left = time_limit - (time.perf_counter() - started)
        rules = conflicting_rules(c, left, workers, **setting) if left > 0.05 else []
        raise NoPlan("no plan satisfies all the rules", [text for _, text in rules], rules)
    stopped = None if code == cp_model.OPTIMAL else stopped_by(solver, work_limit)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if stopped == "work_limit":
            raise NoPlan(
                f"no plan found within the work limit of {work_limit:g} deterministic seconds "
                "(try --work-limit)"
            )
        raise NoPlan(f"no plan found within the time limit of {time_limit:g} s (try --time-limit)")
    return stopped


def run_record(
    c: Constraints,
    solver: cp_model.CpSolver,
    times: tuple[float, float, float],
    workers: int,
    time_limit: float,
    work_limit: float | None,
    stopped: str | None,
) -> dict[str, Any]:
    """The run-dependent part of the plan's ``solver`` key: times (started, built, done), budget,
    seed and versions."""
    started, built, done = times
    return {
        "build_seconds": round(built - started, 4),
        "solve_seconds": round(done - built, 4),
        "wall_seconds": round(done - started, 4),
        "workers": workers,
        "seed": c.seed,
        "work_limit": work_limit,
        "time_limit": time_limit,
        "stopped_by": stopped,
        "work": round(solver.deterministic_time, 3),
        "planner_version": __version__,
        "ortools_version": ORTOOLS_VERSION,
    }


def assemble(
    inst: Instance, v: Vars, solver: cp_model.CpSolver, status: str, run: dict[str, object]
) -> Plan:
    """Read the model's solution into the plan contract."""
    return plan_from(
        inst, days_of([solver.value(t) for t in v.train]), Solved(v, solver), status, run
    )
