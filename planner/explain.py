"""Why no plan exists: a smallest set of rules in conflict, found with CP-SAT assumptions.

Each constraint family is guarded by a literal (``Vars.rule``); the literals become assumptions.
CP-SAT returns a set of assumptions sufficient for infeasibility, which is then shrunk one rule at
a time until every rule left is needed for the conflict.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.constraints import Constraints
from planner.model import build


def explain(c: Constraints, time_limit: float = 30.0, workers: int = 1) -> list[str]:
    """The conflicting rules in plain words; empty when the rules admit a plan."""
    from planner.solve import instance, solver_for

    v = build(instance(c, explain=True))
    v.model.clear_objective()
    literals = {key: lit for key, (lit, _) in v.rules.items()}

    def infeasible(keys: list[str]) -> list[str] | None:
        """The core of assumptions when ``keys`` together admit no plan, else None."""
        v.model.clear_assumptions()
        v.model.add_assumptions([literals[k] for k in keys])
        solver = solver_for(c, time_limit, workers)
        if solver.solve(v.model) != cp_model.INFEASIBLE:
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return [k for k in keys if literals[k].index in core] or keys

    conflict = infeasible(sorted(literals))
    if conflict is None:
        return []
    for key in list(conflict):
        if key not in conflict:
            continue
        rest = [k for k in conflict if k != key]
        smaller = infeasible(rest)
        if smaller is not None:
            conflict = [k for k in conflict if k in smaller]
    return [v.rules[k][1] for k in conflict]
