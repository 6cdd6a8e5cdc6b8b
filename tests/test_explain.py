"""``planner.explain``: ``diagnose`` and ``conflicting_rules`` on small conflicts; every rule
named is needed for the conflict, and agreeing rules get no explanation."""

from __future__ import annotations

from typing import Any

import pytest

from planner import cpsat as cp_model
from planner import explain
from planner.constraints import RULE_CONFIG_KEYS, Constraints
from planner.explain import conflicting_rules, diagnose
from planner.instance import EXERCISE_CHOICE, build_instance
from planner.model import build
from planner.search import solver_for

SMALL: dict[str, object] = {
    "schedule.weeks": 2,
    "schedule.sessions": 2,
    "equipment.profile": "home",
}
CONFLICTS: list[dict[str, object]] = [
    {"schedule.days": ("mon", "tue")},
    {
        "exercises.exclude_patterns": ("knee_curl",),
        "balance.weekly_actions": ("hip_extension", "ankle_plantarflexion"),
    },
    {"volume.session_fatigue_max": 5},
    {"schedule.minutes": 20},
    {"exercises.require": ("nordic-hamstring-curl",)},
    {"schedule.warmup_minutes": (15, 20)},
]


def request(**overrides: object) -> Constraints:
    return Constraints().with_overrides(**{**SMALL, **overrides})


def admits_a_plan(c: Constraints, dropped: set[str]) -> bool:
    v = build(build_instance(c, explain=True, dropped=frozenset(dropped)))
    v.model.clear_objective()
    code = solver_for(c, 30, 1, linearization=2).solve(v.model)
    assert code != cp_model.UNKNOWN
    return code in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_agreeing_rules_get_no_explanation() -> None:
    c = request()
    assert diagnose(c, time_limit=30) is None
    assert conflicting_rules(c, time_limit=30) == []


@pytest.mark.parametrize("overrides", CONFLICTS, ids=lambda o: next(iter(o)))
def test_each_rule_named_is_needed_for_the_conflict(overrides: dict[str, object]) -> None:
    c = request(**overrides)
    rules = diagnose(c, time_limit=30)
    assert rules, "a conflict is explained"
    assert rules == conflicting_rules(c, time_limit=30)
    keys = {key for key, _ in rules}
    assert all(key.split(":")[0] in RULE_CONFIG_KEYS for key in keys)
    assert not admits_a_plan(c, set())
    every = set(build(build_instance(c, explain=True, assumptions=True)).rules)
    others = every - keys
    assert not admits_a_plan(c, others), "the named rules alone admit no plan"
    for key in keys:
        assert admits_a_plan(c, others | {key}), f"{key} is not needed"


def test_the_explanation_names_what_the_request_set() -> None:
    keys = {key for key, _ in diagnose(request(**{"schedule.days": ("wed",)}), time_limit=30) or []}
    assert "days" in keys
    keys = {key for key, _ in diagnose(request(**CONFLICTS[1]), time_limit=30) or []}
    assert keys == {"exclude_patterns", "hip_knee_balance"}


def test_a_warmup_no_drills_can_fill_is_named_with_the_sessions_it_rules_out() -> None:
    # Five drills take at most about 9 minutes: no session can open with a warm-up of 15-20.
    keys = [key for key, _ in diagnose(request(**CONFLICTS[-1]), time_limit=30) or []]
    assert keys == ["sessions", "warmup"]


def test_an_explanation_out_of_time_is_empty_not_wrong() -> None:
    assert conflicting_rules(request(**CONFLICTS[0]), time_limit=0.001) == []


def test_every_search_of_an_explanation_has_a_work_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Deterministic budgets: the same request gets the same explanation on a loaded machine.
    limits = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        solver = solver_for(*args, **kwargs)
        limits.append(solver.parameters.max_deterministic_time)
        return solver

    monkeypatch.setattr(explain, "solver_for", recording)
    assert conflicting_rules(request(**CONFLICTS[2]), time_limit=30)
    assert len(limits) > 2 and set(limits) <= {explain.CORE_WORK, explain.CHECK_WORK}


def test_the_exercise_choice_rules_are_tried_out_last_and_are_every_reason_of_the_instance() -> (
    None
):
    c = request(
        **{
            "client.level": "beginner",
            "exercises.exclude": ("kettlebell-swing",),
            "exercises.exclude_patterns": ("lunge",),
            "exercises.exclude_actions": ("shoulder_extension",),
            "exercises.exclude_dominance": ("knee",),
        }
    )
    reasons = {r for why in build_instance(c, explain=True).forbidden.values() for r in why}
    assert reasons == EXERCISE_CHOICE  # each one forbids something here
    keys = sorted(build(build_instance(c, explain=True, assumptions=True)).rules)
    tried = sorted(keys, key=explain.dropping_order)
    assert set(tried[-len(EXERCISE_CHOICE) :]) == EXERCISE_CHOICE
    assert tried[0].startswith(("weekly_volume:", "muscle_frequency:"))
