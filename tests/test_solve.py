"""``planner.solve.solve``: the result's fields, ``NoPlan`` with its rules, the time limit
bounding the whole call, and a saved plan reproducing itself through ``solve --config``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from planner.check import check_plan
from planner.constraints import RULE_CONFIG_KEYS, Constraints
from planner.instance import build_instance
from planner.plan import SCHEMA_VERSION
from planner.solution import load_rule
from planner.solve import NoPlan, Result, solve
from tests.conftest import assert_sound, run_cli

SMALL: dict[str, object] = {
    "schedule.weeks": 3,
    "schedule.sessions": 2,
    "equipment.profile": "home",
}


@pytest.fixture(scope="module")
def result() -> Result:
    return solve(Constraints().with_overrides(**SMALL), time_limit=60)


def test_result_fields_agree_with_the_plan(result: Result) -> None:
    assert result.status == "optimal" and result.gap == 0.0
    assert result.objective == result.bound == result.plan.coverage.objective
    assert 0 < result.runtime < 60
    plan = assert_sound(result.plan.model_dump(mode="json"))
    assert plan["schema_version"] == SCHEMA_VERSION == 2
    solver = plan["solver"]
    assert solver["status"] == "optimal" and solver["objective"] == result.objective
    assert solver["bound"] == result.bound and solver["time_limit"] == 60
    assert solver["wall_seconds"] >= solver["solve_seconds"]
    terms = plan["coverage"]["terms"]
    assert sum(terms.values()) == result.objective
    assert terms["stimulus"] > 0 and terms["fatigue_cost"] <= 0 and terms["time_cost"] <= 0


def test_the_plan_holds_the_request(result: Result) -> None:
    plan = result.plan.model_dump(mode="json")
    assert Constraints.model_validate(plan["constraints"]) == Constraints().with_overrides(**SMALL)


def test_no_plan_names_its_rules_as_keys_and_words() -> None:
    c = Constraints().with_overrides(**{**SMALL, "schedule.days": ("sat", "sun")})
    with pytest.raises(NoPlan) as raised:
        solve(c, time_limit=30)
    no_plan = raised.value
    assert str(no_plan) == "no plan satisfies all the rules"
    keys = [key for key, _ in no_plan.rules]
    assert {"days", "rest_between_sessions"} <= set(keys)
    assert all(key.split(":")[0] in RULE_CONFIG_KEYS for key in keys)
    assert no_plan.conflicts == [text for _, text in no_plan.rules]
    assert "sessions only on sat, sun" in no_plan.conflicts


def test_the_time_limit_bounds_the_whole_call_explanation_included() -> None:
    c = Constraints().with_overrides(
        **{"schedule.weeks": 52, "equipment.profile": "gym", "volume.week_fatigue_max": 40}
    )
    started = time.perf_counter()
    with pytest.raises(NoPlan) as raised:
        solve(c, time_limit=5)
    elapsed = time.perf_counter() - started
    assert elapsed < 5 + 1.5
    assert "week_fatigue" in {key for key, _ in raised.value.rules}


def test_too_short_a_time_limit_is_a_no_plan_not_a_crash() -> None:
    c = Constraints().with_overrides(**{"schedule.weeks": 52, "equipment.profile": "gym"})
    try:
        result = solve(c, time_limit=0.05)
    except NoPlan as no_plan:
        assert "time limit" in str(no_plan) or no_plan.rules == []
    else:
        assert result.status in ("optimal", "feasible")
        assert check_plan(result.plan.model_dump(mode="json")) == []


# A tight session cap: the search needs several deterministic seconds to prove the optimum.
TIGHT: dict[str, object] = {  # proven only after about 13 deterministic seconds
    "schedule.weeks": 8,
    "equipment.profile": "bodyweight,band,pull_up_bar",
    "client.level": "beginner",
    "client.goal": "general",
    "schedule.minutes": 40,
}


def without_solver(result: Result) -> str:
    plan = result.plan.model_dump(mode="json")
    plan.pop("solver")
    return json.dumps(plan, sort_keys=True)


def test_a_plan_stopped_by_the_work_limit_is_the_same_on_every_run() -> None:
    c = Constraints().with_overrides(**TIGHT)
    first, again = (solve(c, time_limit=120, work_limit=0.5) for _ in range(2))
    assert first.status == again.status == "feasible"
    assert first.stopped_by == again.stopped_by == "work_limit"
    assert first.plan.solver["stopped_by"] == "work_limit"
    assert first.plan.solver["work_limit"] == 0.5 and first.plan.solver["work"] >= 0.499
    assert without_solver(first) == without_solver(again)
    assert first.objective == again.objective and first.bound == again.bound
    assert_sound(first.plan.model_dump(mode="json"))


def test_the_wall_clock_stop_is_marked() -> None:
    c = Constraints().with_overrides(**TIGHT)
    result = solve(c, time_limit=1.5, work_limit=None)
    assert result.status == "feasible"
    assert result.stopped_by == result.plan.solver["stopped_by"] == "time_limit"
    assert result.plan.solver["work_limit"] is None
    assert_sound(result.plan.model_dump(mode="json"))


def test_a_proven_plan_names_no_limit(result: Result) -> None:
    assert result.stopped_by is None and result.plan.solver["stopped_by"] is None
    assert 0 < result.plan.solver["work"] < result.plan.solver["work_limit"]


def test_solve_config_plan_json_reproduces_the_plan(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    args = [
        "--weeks",
        "6",
        "--sessions",
        "2",
        "--equipment",
        "dumbbell,bench",
        "--goal",
        "strength",
    ]
    assert run_cli("solve", *args, "--seed", "3", "-o", str(first)).exit_code == 0
    again = tmp_path / "again.json"
    assert run_cli("solve", "--config", str(first), "-o", str(again)).exit_code == 0
    a, b = (assert_sound(json.loads(p.read_text())) for p in (first, again))
    assert a["constraints"]["seed"] == 3
    a.pop("solver")
    b.pop("solver")
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_load_rules_say_how_each_kind_of_lift_progresses() -> None:
    """A loaded lift adds its kit's step; a band lift moves to a stronger band, an assisted one
    (the band takes weight off) to a lighter band; bodyweight work to a harder variant."""
    c = Constraints().with_overrides(**{"equipment.profile": "gym", "client.level": "beginner"})
    inst = build_instance(c)
    rules = {
        eid: load_rule(inst, inst.by_id[eid])
        for eid in (
            "romanian-deadlift-dumbbell",
            "good-morning-band",
            "pull-up-band-assisted",
            "good-morning-bodyweight",
        )
    }
    assert "add 2 kg per dumbbell" in rules["romanian-deadlift-dumbbell"]
    assert rules["good-morning-band"].endswith("move to a stronger band.")
    assert rules["pull-up-band-assisted"].endswith("move to a lighter band (less help).")
    assert rules["good-morning-bodyweight"].endswith("a harder variant or a slower lowering.")
