"""The same inputs give the same plan, byte for byte outside the ``solver`` key."""

from __future__ import annotations

import json

import pytest

from planner.constraints import Constraints
from planner.solve import solve


def plan_bytes(c: Constraints) -> str:
    plan = json.loads(solve(c).plan.model_dump_json())
    plan.pop("solver")
    return json.dumps(plan, indent=2)


@pytest.mark.parametrize(("weeks", "profile"), [(8, "home"), (6, "gym")])
def test_same_seed_same_plan(weeks: int, profile: str) -> None:
    c = Constraints().with_overrides(**{"schedule.weeks": weeks, "equipment.profile": profile})
    assert plan_bytes(c) == plan_bytes(c)


def test_solver_key_holds_all_run_dependent_data() -> None:
    c = Constraints().with_overrides(**{"schedule.weeks": 2})
    plan = json.loads(solve(c).plan.model_dump_json())
    assert {"wall_seconds", "ortools_version", "planner_version"} <= set(plan["solver"])
    rest = json.dumps({k: v for k, v in plan.items() if k != "solver"})
    assert 'seconds": 0.' not in rest
