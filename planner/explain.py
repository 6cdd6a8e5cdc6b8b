"""Why no plan exists: a smallest set of rules in conflict.

Each constraint family is guarded by a literal (``Vars.rule``). First the literals become CP-SAT
assumptions (but the exercise choice's, which hold), and the infeasible core CP-SAT returns narrows
the suspects to its rules and the exercise choice; where that proof is too slow (enforced
constraints weaken the LP), every rule is a suspect. Then each suspect is dropped in turn
(``dropping_order``): if the rest still admits no plan it stays out, so every rule left is needed
for the conflict.
Each such check solves a copy of the model with every literal fixed (a kept rule's true, a dropped
one's false), so presolve removes a dropped rule as if it had never been added, without building
the model again. Each search is bounded by deterministic work (``planner.search``), so the same
request gets the same explanation on every run and machine; the whole explanation keeps within its
wall-clock time limit too. A check it cannot decide within its budget keeps its rule.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from planner import cpsat as cp_model
from planner.constraints import Constraints
from planner.instance import EXERCISE_CHOICE, build_instance
from planner.model import build
from planner.search import search, solver_for

# Deterministic seconds of search.
CORE_WORK = 2.0
CHECK_WORK = 10.0  # per "does the rest still admit no plan?" check; undecided keeps the rule


def conflicting_rules(
    c: Constraints, time_limit: float = 30.0, workers: int = 1, **setting: Any
) -> list[tuple[str, str]]:
    """The conflicting rules as (rule key, plain words); empty when the rules admit a plan or
    nothing could be decided within ``time_limit`` seconds. ``setting``: the instance's window,
    boundary and kept sessions in a re-plan."""
    deadline = time.perf_counter() + time_limit

    def left() -> float:
        return deadline - time.perf_counter()

    v = build(build_instance(c, explain=True, assumptions=True, **setting))
    v.model.clear_objective()
    texts = {key: text for key, (_, text) in v.rules.items()}

    # The core, with the exercise choice holding: presolve then removes every exercise it forbids
    # (20 no-plan batch rows: the cores 3.1 -> 1.0 s); the exercise choice is suspect all the same.
    def fixed(kept: Iterable[str], dropped: Iterable[str]) -> cp_model.CpModel:
        """A copy of the model with the kept rules' literals fixed true, the dropped ones' false."""
        w = v.model.clone()
        for keys, holds in ((kept, True), (dropped, False)):
            for key in keys:
                lit = w.get_int_var_from_proto_index(v.rules[key][0].index)
                w.add_bool_and(lit if holds else lit.Not())
        return w

    choice = [k for k in texts if k in EXERCISE_CHOICE]
    core_model = fixed(choice, [])
    core_model.add_assumptions([lit for k, (lit, _) in v.rules.items() if k not in choice])
    solver = check_solver(c, left(), workers, CORE_WORK)
    code = solver.solve(core_model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []

    def admits_no_plan(kept: list[str]) -> bool:
        if left() <= 0.01:
            return False
        w = fixed(kept, [k for k in texts if k not in kept])
        return check_solver(c, left(), workers, CHECK_WORK).solve(w) == cp_model.INFEASIBLE

    # A warm-up or cool-down that no routine of the catalog's drills or stretches can fill rules
    # out every session: name it with the rule that asks for sessions, not with whichever rule
    # about a session's content the core happens to hold.
    for rule, routines in (
        ("warmup", list(v.inst.warmups.values())),
        ("cooldown", [v.inst.cooldown_routine]),
    ):
        pair = ["sessions", rule]
        if set(pair) <= set(texts) and not any(routines) and admits_no_plan(pair):
            return [(k, texts[k]) for k in pair]
    suspects = sorted(texts)
    if code == cp_model.INFEASIBLE:
        core = set(solver.sufficient_assumptions_for_infeasibility())
        suspects = [
            k for k in suspects if k in EXERCISE_CHOICE or v.rules[k][0].index in core
        ] or suspects

    # The core is a proof that its rules conflict; without one, check that all of them do.
    if code != cp_model.INFEASIBLE and not admits_no_plan(suspects):
        return []
    for key in sorted(suspects, key=dropping_order):
        rest = [k for k in suspects if k != key]
        if admits_no_plan(rest):
            suspects = rest
    return [(k, texts[k]) for k in suspects]


def dropping_order(key: str) -> tuple[int, str]:
    """The order in which suspects are tried out, which keeps the checks small: first each
    muscle's weekly volume and frequency (a conflict seldom needs more than one of them), last
    the exercise choice (while it holds, presolve removes every exercise it forbids; tried first,
    every check searches the whole catalog). 45 no-plan batch rows: 50.8 -> 29.2 s in all."""
    if key.startswith(("weekly_volume:", "muscle_frequency:")):
        return 0, key
    return (2 if key in EXERCISE_CHOICE else 1), key


def check_solver(c: Constraints, time_limit: float, workers: int, work: float) -> cp_model.CpSolver:
    """A search that asks whether any plan exists, with no objective: the relaxation of the
    linear rows alone and lighter probing prove these faster than the full relaxation the
    optimum needs (20 no-plan batch rows: 33.6 -> 22.0 s in all)."""
    solver = solver_for(c, time_limit, workers, linearization=1, work_limit=work)
    solver.parameters.cp_model_probing_level = 1
    return solver


def diagnose(
    c: Constraints, time_limit: float = 30.0, workers: int = 1
) -> list[tuple[str, str]] | None:
    """Does a plan exist? None when one does; else the conflicting rules as (rule key, plain words),
    empty when the search could not decide within ``time_limit`` seconds in all."""
    started = time.perf_counter()
    v = build(build_instance(c))
    v.model.clear_objective()
    status, _ = search(v, c, time_limit, workers)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    left = time_limit - (time.perf_counter() - started)
    if status != cp_model.INFEASIBLE or left <= 0:
        return []
    return conflicting_rules(c, time_limit=left, workers=workers)
