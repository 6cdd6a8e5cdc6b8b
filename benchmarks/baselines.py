"""Baselines the planner is measured against, on the same rules and the same objective.

* ``greedy``: a coach's heuristic (benchmarks/greedy.py).
* ``straightforward``: the rules over one variable set per loading week, solved by CP-SAT
  (benchmarks/straightforward.py).
* ``highs``: the same per-week model exported as a MIP and solved by HiGHS (``highspy``) in a
  child process (benchmarks/mip.py).

Every baseline's plan is built through the plan contract (``planner.plan_from``, which
recomputes the objective from the plan's items) and is reported only as the independent checker
(``planner.check``) judges it: a plan with violations is ``failed``, with the first violations.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greedy import Greedy, GreedyChoice, GreedyFailed
from straightforward import WeekChoice, build

from planner import Choice, Plan, Request, build_instance, check, days_of, plan_from
from planner import cpsat as cp_model


@dataclass
class Outcome:
    """One baseline run: status is optimal, feasible, infeasible, unknown, failed or skipped."""

    status: str
    objective: int | None = None
    bound: int | None = None
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    violations: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def wall_seconds(self) -> float:
        return self.build_seconds + self.solve_seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "proven": self.status == "optimal",
            "build_seconds": round(self.build_seconds, 4),
            "solve_seconds": round(self.solve_seconds, 4),
            "wall_seconds": round(self.wall_seconds, 4),
            "check": "ok" if not self.violations else f"{len(self.violations)} violations",
            "violations": self.violations[:5],
            "note": self.note,
        }


def settle(out: Outcome, c: Request, days: list[str], choice: Choice) -> Outcome:
    """Build the plan, take its objective as recomputed from its items, and check it."""
    plan: Plan = plan_from(build_instance(c), days, choice, "feasible", {})
    data = plan.model_dump(mode="json")
    out.objective = plan.coverage.objective
    out.violations = check(data)
    if out.violations:
        out.note = f"plan fails the checker: {out.violations[0]}"
        out.status = "failed"
    return out


def greedy(c: Request) -> Outcome:
    """The coach's heuristic; it proves nothing, so its status is at best ``feasible``."""
    started = time.perf_counter()
    try:
        g = Greedy(c)
        g.solve()
    except GreedyFailed as exc:
        return Outcome("failed", solve_seconds=time.perf_counter() - started, note=str(exc))
    out = Outcome("feasible", solve_seconds=time.perf_counter() - started)
    return settle(out, c, g.days, GreedyChoice(g))


def _cp_status(code: Any) -> str:
    names: dict[Any, str] = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }
    return names.get(code, "unknown")


def straightforward(c: Request, time_limit: float) -> Outcome:
    """The per-week model, solved by CP-SAT with one worker and the seed, within the same wall
    time as the planner (model building included)."""
    started = time.perf_counter()
    v = build(c)
    built = time.perf_counter()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = c.seed
    solver.parameters.max_time_in_seconds = max(0.01, time_limit - (built - started))
    code = solver.solve(v.model)
    out = Outcome(
        _cp_status(code),
        build_seconds=built - started,
        solve_seconds=time.perf_counter() - built,
    )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out.note = "no plan within the time limit" if out.status == "unknown" else ""
        return out
    out.bound = math.floor(solver.best_objective_bound + 1e-6)
    days = days_of([solver.value(t) for t in v.train])
    return settle(out, c, days, WeekChoice(v, solver.value))


class _Values:
    """Reads variable values from the MIP solution, as ``CpSolver.value`` does."""

    def __init__(self, values: list[float]) -> None:
        self.values = values

    def __call__(self, var: Any) -> int:
        return round(self.values[var.index])


def highs(c: Request, time_limit: float) -> Outcome:
    """Export the per-week CP-SAT model (linear constraints, clauses and maxima of booleans) as a
    MIP and solve it with HiGHS in a child process (``mip.py``): OR-Tools bundles its own HiGHS,
    and the two cannot share a process."""
    if importlib.util.find_spec("highspy") is None:
        return Outcome("skipped", note="highspy not installed (pip install -e '.[bench]')")
    started = time.perf_counter()
    v = build(c)
    proto = v.model.proto
    domains = [list(var.domain) for var in proto.variables]
    lows, highs_ = [d[0] for d in domains], [d[-1] for d in domains]
    fixed_true = {i for i, (lo, hi) in enumerate(zip(lows, highs_, strict=True)) if lo == hi == 1}
    rows: list[tuple[float | None, float | None, list[int], list[float]]] = []

    def lit(ref: int) -> tuple[int, int, int]:
        """A literal as (column, coefficient, constant): x, or 1 - x."""
        return (ref, 1, 0) if ref >= 0 else (-ref - 1, -1, 1)

    def row(terms: Iterable[tuple[int, int]], lo: float | None, hi: float | None) -> None:
        merged: dict[int, float] = {}
        for col, coef in terms:
            merged[col] = merged.get(col, 0) + coef
        cols = [k for k, val in merged.items() if val]
        rows.append((lo, hi, cols, [merged[k] for k in cols]))

    for ct in proto.constraints:
        kind = next(
            (k for k in ("bool_or", "bool_and", "linear", "lin_max") if getattr(ct, f"has_{k}")()),
            "other",
        )
        enforce = [r for r in ct.enforcement_literal if not (r >= 0 and r in fixed_true)]
        if kind in ("bool_or", "bool_and"):
            lits = [
                lit(r) for r in (ct.bool_or.literals if kind == "bool_or" else ct.bool_and.literals)
            ]
            off = [lit(-r - 1) for r in enforce]  # an unmet enforcement literal relaxes the row
            groups = [lits] if kind == "bool_or" else [[one] for one in lits]
            for group in groups:
                const = sum(b for _, _, b in [*group, *off])
                row([(col, k) for col, k, _ in [*group, *off]], 1 - const, None)
        elif kind == "linear":
            dom = list(ct.linear.domain)
            if len(dom) != 2:
                raise ValueError("linear constraints with holes are not exported")
            terms = list(zip(ct.linear.vars, ct.linear.coeffs, strict=True))
            lo = None if dom[0] <= -(2**62) else dom[0]
            hi = None if dom[1] >= 2**62 else dom[1]
            if not enforce:
                row(terms, lo, hi)
                continue
            # Big-M: each unmet enforcement literal relaxes the row by its activity's range.
            least = sum(k * (lows[x] if k > 0 else highs_[x]) for x, k in terms)
            most = sum(k * (highs_[x] if k > 0 else lows[x]) for x, k in terms)
            off = [lit(-r - 1) for r in enforce]
            const = sum(b for _, _, b in off)
            if lo is not None and least < lo:
                relax = lo - least
                row([*terms, *[(col, relax * k) for col, k, _ in off]], lo - relax * const, None)
            if hi is not None and most > hi:
                relax = most - hi
                row([*terms, *[(col, -relax * k) for col, k, _ in off]], None, hi + relax * const)
        elif kind == "lin_max" and not enforce:
            # The maximum of booleans: at least each of them, at most their sum.
            target = ct.lin_max.target
            parts = [(e.vars[0], e.coeffs[0]) for e in ct.lin_max.exprs]
            if len(target.vars) != 1 or any(
                len(e.vars) != 1 or e.coeffs[0] != 1 or e.offset for e in ct.lin_max.exprs
            ):
                raise ValueError("only maxima of plain variables are exported")
            y = target.vars[0]
            for x, _ in parts:
                row([(y, 1), (x, -1)], 0, None)
            row([(y, 1), *[(x, -1) for x, _ in parts]], None, 0)
        else:
            raise ValueError(f"constraint {kind} is not exported")
    obj = proto.objective
    costs = [0.0] * len(lows)
    for var, coef in zip(obj.vars, obj.coeffs, strict=True):
        costs[var] += coef
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, "mip.json"), Path(tmp, "solution.json")
        source.write_text(
            json.dumps(
                {
                    "lower": lows,
                    "upper": highs_,
                    "rows": rows,
                    "costs": costs,
                    "time_limit": time_limit,
                    "seed": c.seed,
                }
            )
        )
        built = time.perf_counter()
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("mip.py")), str(source), str(target)],
            check=True,
        )
        result = json.loads(target.read_text())
    # The solve time is HiGHS's own; starting the child process counts as model building.
    out = Outcome("unknown", build_seconds=built - started, solve_seconds=result["seconds"])
    if result["infeasible"]:
        out.status = "infeasible"
    if not result["found"]:
        out.note = "" if result["infeasible"] else "no plan within the time limit"
        return out
    # CP-SAT stores a maximisation as a minimisation with a negative scaling factor.
    scale = obj.scaling_factor or 1.0
    out.status = "optimal" if result["optimal"] else "feasible"
    out.objective = round(scale * (result["objective"] + obj.offset))
    out.bound = math.floor(scale * (result["bound"] + obj.offset) + 1e-6)
    value = _Values(result["values"])
    return settle(out, c, days_of([value(t) for t in v.train]), WeekChoice(v, value))
