"""One tiny, hand-checkable instance per rule family, and its infeasible twin.

Each feasible case solves a short block and checks the rule on the plan by hand (and the whole plan
with the independent checker); each twin breaks that rule and expects the conflict to name it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from planner.catalog import PATTERNS
from planner.constraints import Constraints
from planner.solve import NoPlan, solve
from tests.conftest import assert_sound


def plan_for(**overrides: Any) -> dict[str, Any]:
    c = Constraints().with_overrides(**{"schedule.weeks": 1, **overrides})
    result = solve(c, time_limit=20)
    assert result.status == "optimal"
    return assert_sound(json.loads(result.plan.model_dump_json()))


def conflict_for(**overrides: Any) -> list[str]:
    c = Constraints().with_overrides(**{"schedule.weeks": 1, **overrides})
    with pytest.raises(NoPlan) as raised:
        solve(c, time_limit=20)
    return raised.value.conflicts


def main_items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [it for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"]]


def test_training_days_keep_to_the_allowed_days() -> None:
    plan = plan_for(**{"schedule.days": ("tue", "thu", "sat"), "schedule.sessions": 3})
    assert [s["day"] for s in plan["weeks"][0]["sessions"]] == ["tue", "thu", "sat"]


def test_training_days_twin_two_sessions_on_one_allowed_day() -> None:
    conflicts = conflict_for(**{"schedule.days": ("wed",)})
    assert "sessions only on wed" in conflicts
    assert "2-3 sessions a week" in conflicts


def test_rest_between_sessions_spaces_sessions_48h() -> None:
    plan = plan_for(**{"schedule.weeks": 2, "schedule.days": ("mon", "wed", "sat")})
    assert [s["day"] for s in plan["weeks"][0]["sessions"]] == ["mon", "wed", "sat"]


@pytest.mark.parametrize("days", [("mon", "tue"), ("sun", "mon")])
def test_rest_between_sessions_twin_consecutive_days_even_across_the_week(days) -> None:  # type: ignore[no-untyped-def]
    conflicts = conflict_for(**{"schedule.weeks": 2, "schedule.days": days})
    assert "at least 48 h between sessions (no consecutive days)" in conflicts


def test_sets_and_reps_stay_in_3_to_5_by_8_to_15() -> None:
    for it in main_items(plan_for(**{"schedule.weeks": 3})):
        assert 3 <= it["sets"] <= 5 and 8 <= it["reps"] <= 15


def test_sets_and_reps_twin_ten_minutes_cannot_hold_the_floor() -> None:
    conflicts = conflict_for(**{"schedule.minutes": 10})
    assert "3-5 sets of 8-15 reps per exercise" in conflicts
    assert "sessions of at most 10 min" in conflicts


def test_session_time_cap_holds_warmup_and_cooldown_included() -> None:
    plan = plan_for(**{"schedule.minutes": 30})
    assert all(s["minutes"] <= 30 for s in plan["weeks"][0]["sessions"])


def test_hip_knee_balance_within_1_to_2() -> None:
    items = main_items(plan_for())
    hip = sum(it["sets"] for it in items if it["dominance"] == "hip")
    knee = sum(it["sets"] for it in items if it["dominance"] == "knee")
    assert hip and knee and 0.5 <= hip / knee <= 2


def test_hip_knee_balance_twin_no_knee_dominant_work() -> None:
    conflicts = conflict_for(**{"exercises.exclude_dominance": ("knee",)})
    assert any(c.startswith("hip- and knee-dominant hamstring work every week") for c in conflicts)
    assert "no knee-dominant work" in conflicts


def test_weekly_joint_actions_all_three_each_week() -> None:
    plan = plan_for(**{"schedule.weeks": 2})
    for week in plan["weeks"]:
        actions = {a for s in week["sessions"] for it in s["exercises"] for a in it["actions"]}
        assert {"hip_extension", "knee_flexion", "ankle_plantarflexion"} <= actions


def test_weekly_joint_actions_twin_no_plantarflexion() -> None:
    conflicts = conflict_for(**{"exercises.exclude_actions": ("ankle_plantarflexion",)})
    assert "every week trains ankle plantarflexion" in conflicts


def test_weekly_volume_ceiling_holds() -> None:
    sets = dict(Constraints().volume.weekly_sets, hamstrings=(6, 8))
    items = main_items(plan_for(**{"volume.weekly_sets": sets}))
    assert 6 <= sum(it["sets"] * it["muscles"].get("hamstrings", 0) for it in items) <= 8


def test_weekly_volume_twin_hamstring_ceiling_below_two_exercises() -> None:
    sets = dict(Constraints().volume.weekly_sets, hamstrings=(0, 4))
    conflicts = conflict_for(**{"volume.weekly_sets": sets})
    assert "hamstrings: 0-4 effective sets a week" in conflicts


def test_fatigue_caps_per_session() -> None:
    plan = plan_for(**{"volume.session_fatigue_max": 20})
    for s in plan["weeks"][0]["sessions"]:
        assert sum(it["sets"] * it["fatigue"] for it in s["exercises"]) <= 20


def test_fatigue_caps_twin_cap_below_two_light_exercises() -> None:
    conflicts = conflict_for(**{"volume.session_fatigue_max": 5})
    assert "at most 5 fatigue points a session" in conflicts


def test_progressive_overload_reps_then_sets_rise() -> None:
    plan = plan_for(**{"schedule.weeks": 3, "client.goal": "strength"})
    first, second, third = (
        {it["id"]: it for it in w["sessions"][0]["exercises"]} for w in plan["weeks"]
    )
    for eid, it in first.items():
        assert (second[eid]["reps"], third[eid]["reps"]) == (it["reps"] + 1, it["reps"] + 2)
        assert second[eid]["sets"] == third[eid]["sets"] == it["sets"]


def test_progressive_overload_twin_eight_strength_weeks_without_deload() -> None:
    conflicts = conflict_for(**{"schedule.weeks": 8, "client.goal": "strength", "deload.weeks": ()})
    assert "reps, then sets, rise week to week within a mesocycle" in conflicts


def test_deload_week_cuts_sets_to_70_percent() -> None:
    plan = plan_for(**{"schedule.weeks": 6})
    totals = [
        sum(it["sets"] for s in w["sessions"] for it in s["exercises"]) for w in plan["weeks"]
    ]
    assert [w["deload"] for w in plan["weeks"]] == [False, False, False, True, False, False]
    assert 10 * totals[3] <= 7 * totals[2]


def test_deload_twin_too_deep_for_the_per_exercise_floor() -> None:
    conflicts = conflict_for(**{"schedule.weeks": 2, "deload.weeks": (2,), "deload.depth": 0.1})
    assert "deload weeks (2) at most 10% of the week before's sets" in conflicts


def test_warmup_and_cooldown_in_every_session() -> None:
    plan = plan_for()
    for s in plan["weeks"][0]["sessions"]:
        assert 2 <= len(s["warmup"]) <= 4 and s["cooldown"]


def test_warmup_twin_no_glute_activation_drill_left() -> None:
    from planner.catalog import builtin_catalog

    glute_drills = tuple(
        ex.id
        for ex in builtin_catalog().exercises
        if ex.block == "warmup"
        and 1.0 in (ex.muscles.get("gluteus_maximus"), ex.muscles.get("gluteus_medius"))
    )
    conflicts = conflict_for(**{"exercises.exclude": glute_drills})
    assert "a warm-up of 2-4 dynamic drills, one activating the glutes" in conflicts


def test_equipment_only_what_the_profile_has() -> None:
    plan = plan_for(**{"equipment.profile": "bodyweight"})
    assert plan["equipment"] == []
    assert all(
        not it["equipment"]
        for w in plan["weeks"]
        for s in w["sessions"]
        for it in [*s["warmup"], *s["exercises"], *s["cooldown"]]
    )


def test_equipment_twin_required_barbell_lift_at_home() -> None:
    conflicts = conflict_for(
        **{"equipment.profile": "home", "exercises.require": ("back-squat-barbell",)}
    )
    assert "back-squat-barbell every week" in conflicts
    assert any(c.startswith("equipment: ") for c in conflicts)


def test_session_size_twin_more_exercises_than_time() -> None:
    conflicts = conflict_for(**{"volume.exercises_per_session": (6, 6), "schedule.minutes": 30})
    assert "6-6 main exercises per session" in conflicts


def test_eccentric_spacing_twin_forced_back_to_back() -> None:
    """Nordic curls forced into two consecutive sessions break the spacing rule."""
    from ortools.sat.python import cp_model

    from planner.instance import build_instance as instance
    from planner.model import build

    c = Constraints().with_overrides(**{"schedule.weeks": 1, "client.level": "advanced"})
    for forced, expected in ((("0",), cp_model.OPTIMAL), (("0", "1"), cp_model.INFEASIBLE)):
        v = build(instance(c))
        for s in forced:
            v.model.add(v.present[1, int(s), "nordic-hamstring-curl"] == 1)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(v.model) == expected


def test_days_default_to_the_most_evenly_spread_layout() -> None:
    from planner.constraints import DAYS
    from planner.model import spread_days

    assert spread_days(DAYS, 3) == ("mon", "wed", "fri")
    assert spread_days(DAYS, 2) == ("mon", "thu")
    assert spread_days(("sun", "mon", "wed"), 2) == ("wed", "sun")
    assert spread_days(("mon", "tue"), 2) is None
    plan = plan_for(**{"schedule.weeks": 2})
    assert [s["day"] for s in plan["weeks"][0]["sessions"]] == ["mon", "wed", "fri"]


def test_one_variant_per_movement_in_a_session() -> None:
    plan = plan_for(**{"schedule.weeks": 2, "equipment.profile": "gym"})
    for week in plan["weeks"]:
        for session in week["sessions"]:
            patterns = [it["pattern"] for it in session["exercises"]]
            for pattern in set(patterns):
                assert patterns.count(pattern) <= (
                    2 if pattern in ("hinge", "bridge", "knee_curl") else 1
                )


def test_one_variant_per_movement_twin_six_exercises_from_three_patterns() -> None:
    keep = ("hinge", "knee_curl", "calf_raise")
    warmup_and_cooldown = ("core_stability", "mobility", "stretch")
    others = tuple(p for p in PATTERNS if p not in (*keep, *warmup_and_cooldown))
    conflicts = conflict_for(
        **{"exercises.exclude_patterns": others, "volume.exercises_per_session": (6, 6)}
    )
    assert (
        "one exercise per movement pattern in a session (two hinges, bridges or knee curls)"
        in conflicts
    )
