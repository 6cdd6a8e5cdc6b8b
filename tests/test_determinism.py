"""The same inputs give the same plan, byte for byte outside the ``solver`` key."""

from __future__ import annotations

import json

import pytest

from planner.constraints import Constraints
from planner.solve import solve


def plan_bytes(c: Constraints) -> str:
    plan = json.loads(solve(c, time_limit=120).plan.model_dump_json())
    plan.pop("solver")
    return json.dumps(plan, indent=2)


@pytest.mark.parametrize(
    "overrides",
    [
        {"schedule.weeks": 8, "equipment.profile": "home"},
        {"schedule.weeks": 6, "equipment.profile": "dumbbell,bench", "client.goal": "strength"},
        {
            "schedule.weeks": 4,
            "schedule.sessions": 2,
            "equipment.profile": "gym",
            "prescription.loads": {"hip-thrust-barbell": {"one_rep_max": 120}},
        },
    ],
)
def test_same_inputs_same_plan(overrides: dict[str, object]) -> None:
    c = Constraints().with_overrides(**overrides)
    assert plan_bytes(c) == plan_bytes(c)


def test_solver_key_holds_all_run_dependent_data() -> None:
    c = Constraints().with_overrides(**{"schedule.weeks": 2, "equipment.profile": "home"})
    plan = json.loads(solve(c, time_limit=60).plan.model_dump_json())
    assert {"wall_seconds", "build_seconds", "solve_seconds", "ortools_version"} <= set(
        plan["solver"]
    )
    rest = json.dumps({k: v for k, v in plan.items() if k != "solver"})
    assert 'seconds": 0.' not in rest and "ortools_version" not in rest
