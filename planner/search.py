"""How CP-SAT searches a block: one worker and a fixed seed by default, so the same inputs give the
same plan, byte for byte."""

from __future__ import annotations

from planner import cpsat as cp_model
from planner.constraints import Constraints
from planner.model import Vars


def solver_for(
    c: Constraints,
    time_limit: float,
    workers: int,
    linearization: int = 2,
) -> cp_model.CpSolver:
    """One search worker by default, so the same inputs give the same plan, byte for byte."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = c.seed
    params.max_time_in_seconds = max(0.01, time_limit)
    params.max_presolve_iterations = 1
    params.linearization_level = linearization
    return solver


def search(
    v: Vars, c: Constraints, time_limit: float, workers: int
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """One search with the full LP relaxation, which proves the bound of this objective fastest."""
    solver = solver_for(c, time_limit, workers, linearization=2)
    return solver.solve(v.model), solver
