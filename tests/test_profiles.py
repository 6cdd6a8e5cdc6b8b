"""Home, gym, bodyweight and dumbbell-only kits over 1 to 52 weeks, levels and goals: every plan is
optimal, keeps to the kit and the level, and passes the checker."""

from __future__ import annotations

import json
from typing import Any

import pytest

from planner.catalog import builtin_catalog
from planner.constraints import Constraints
from planner.solve import solve
from tests.conftest import assert_sound

LEVELS = ("beginner", "intermediate", "advanced")


def solved(**overrides: object) -> tuple[Constraints, dict[str, Any]]:
    c = Constraints().with_overrides(**overrides)
    result = solve(c, time_limit=120)
    assert result.status == "optimal"
    return c, assert_sound(json.loads(result.plan.model_dump_json()))


def items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        it
        for w in plan["weeks"]
        for s in w["sessions"]
        for it in (*s["warmup"], *s["exercises"], *s["cooldown"])
    ]


def assert_block(c: Constraints, plan: dict[str, Any]) -> None:
    weeks = c.schedule.weeks
    assert [w["week"] for w in plan["weeks"]] == list(range(1, weeks + 1))
    assert [w["week"] for w in plan["weeks"] if w["deload"]] == list(c.deload_weeks())
    kit = set(builtin_catalog().resolve_equipment(c.equipment.profile))
    assert set(plan["equipment"]) == kit
    for it in items(plan):
        assert set(it["equipment"]) <= kit
        assert LEVELS.index(it["level"]) <= LEVELS.index(c.client.level)


@pytest.mark.parametrize("profile", ["home", "bodyweight", "dumbbell,bench"])
@pytest.mark.parametrize("weeks", [1, 2, 5, 9])
def test_blocks_of_every_kit_are_optimal_and_sound(profile: str, weeks: int) -> None:
    assert_block(*solved(**{"schedule.weeks": weeks, "equipment.profile": profile}))


def test_a_gym_block_is_optimal_and_sound() -> None:
    c, plan = solved(**{"schedule.weeks": 2, "schedule.sessions": 2, "equipment.profile": "gym"})
    assert_block(c, plan)
    assert any(it["load"] == "barbell" for it in items(plan))


@pytest.mark.parametrize("profile", ["home", "bodyweight"])
def test_a_year_long_block_is_sound(profile: str) -> None:
    c, plan = solved(**{"schedule.weeks": 52, "equipment.profile": profile})
    assert_block(c, plan)
    assert sum(w["deload"] for w in plan["weeks"]) == 13
    assert max(w["mesocycle"] for w in plan["weeks"]) == 13


@pytest.mark.parametrize(
    ("profile", "level", "goal"),
    [
        ("home", "beginner", "endurance"),
        ("home", "advanced", "hypertrophy"),
        ("gym", "advanced", "strength"),
        ("dumbbell,bench", "intermediate", "strength"),
    ],
)
def test_levels_and_goals(profile: str, level: str, goal: str) -> None:
    c, plan = solved(
        **{
            "schedule.weeks": 5,
            "schedule.sessions": 2,
            "equipment.profile": profile,
            "client.level": level,
            "client.goal": goal,
        }
    )
    assert_block(c, plan)
    first, last = c.prescription.rir[level]  # type: ignore[index]
    lifts = [it for s in plan["weeks"][0]["sessions"] for it in s["exercises"]]
    assert {it["rir"] for it in lifts} == {first}
    floors = {e.id: e.min_rir or 0 for e in builtin_catalog().exercises}
    for it in (it for s in plan["weeks"][-1]["sessions"] for it in s["exercises"]):
        assert it["rir"] == max(last, floors[it["id"]])
    main = [it for it in lifts if it["tier"] == "main"]
    if goal == "strength":
        assert main and all(it["reps"] <= 6 and it["rest_seconds"] >= 180 for it in main)
    if goal == "endurance":  # hinges are capped at 10-12 reps; everything else starts at 12+
        assert all(it["reps"] >= (10 if it["pattern"] == "hinge" else 12) for it in lifts)
