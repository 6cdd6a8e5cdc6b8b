"""1 to 52 weeks, home, gym and bodyweight: every plan passes the checker."""

from __future__ import annotations

import json

import pytest

from planner.constraints import Constraints
from planner.solve import solve
from tests.conftest import assert_sound


@pytest.mark.parametrize("profile", ["home", "gym", "bodyweight"])
@pytest.mark.parametrize("weeks", [1, 2, 5, 6, 9])
def test_short_blocks_are_optimal_and_sound(profile: str, weeks: int) -> None:
    c = Constraints().with_overrides(**{"schedule.weeks": weeks, "equipment.profile": profile})
    result = solve(c)
    assert result.status == "optimal"
    plan = assert_sound(json.loads(result.plan.model_dump_json()))
    assert len(plan["weeks"]) == weeks
    assert [w["week"] for w in plan["weeks"] if w["deload"]] == list(c.deload_weeks())


@pytest.mark.parametrize("profile", ["home", "gym", "bodyweight"])
def test_a_year_long_block_is_sound(profile: str) -> None:
    c = Constraints().with_overrides(**{"schedule.weeks": 52, "equipment.profile": profile})
    result = solve(c, time_limit=15)
    plan = assert_sound(json.loads(result.plan.model_dump_json()))
    assert len(plan["weeks"]) == 52 and sum(w["deload"] for w in plan["weeks"]) == 13
    assert result.objective <= result.bound
