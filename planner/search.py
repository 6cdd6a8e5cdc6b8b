"""How CP-SAT searches a block: one worker and a fixed seed by default, so the same inputs give the
same plan, byte for byte.

The budget of a search is its work limit, in CP-SAT's deterministic seconds (a count of the work
done, not of the clock): a search it stops stops at the same point on every run and machine. The
wall-clock time limit is a safety net above it; a plan the clock stopped may differ between runs,
and the plan's ``solver`` key says which limit stopped the search.
"""

from __future__ import annotations

from planner import cpsat as cp_model
from planner.constraints import Constraints
from planner.model import Vars

# Deterministic seconds of search (about a second each on a 2020s server core); the command line's
# default, keep in step with planner.options.
WORK_LIMIT = 30.0


def solver_for(
    c: Constraints,
    time_limit: float,
    workers: int,
    linearization: int = 2,
    work_limit: float | None = None,
) -> cp_model.CpSolver:
    """One search worker by default, so the same inputs give the same plan, byte for byte."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = c.seed
    params.max_time_in_seconds = max(0.01, time_limit)
    if work_limit is not None:
        params.max_deterministic_time = work_limit
    params.max_presolve_iterations = 1
    params.linearization_level = linearization
    # No cutting planes: the full relaxation bounds these models well on its own, and the cuts
    # make every LP slower than the bound they add is worth (benchmarks/README.md: the 45-minute
    # gym block 4.5 -> 0.7 s, the band kit's slowest proofs 2-4 times faster).
    params.cut_level = 0
    # Every row of the relaxation in the LP from the start, not added when violated: the LP is
    # small, and re-solving it row by row cost more (benchmarks/README.md: the default block's
    # search 0.077 -> 0.062 s, 80 sampled batch clients 14.1 -> 12.5 s).
    params.add_lp_constraints_lazily = False
    return solver


def search(
    v: Vars, c: Constraints, time_limit: float, workers: int, work_limit: float | None = None
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """One search with the full LP relaxation, which proves the bound of this objective fastest."""
    solver = solver_for(c, time_limit, workers, linearization=2, work_limit=work_limit)
    return solver.solve(v.model), solver


def stopped_by(solver: cp_model.CpSolver, work_limit: float | None) -> str:
    """Which limit ended an unfinished search: "work_limit" when its deterministic work reached the
    work limit, else "time_limit" (the wall clock)."""
    if work_limit is not None and solver.deterministic_time >= 0.999 * work_limit:
        return "work_limit"
    return "time_limit"
