"""The independent checker catches each kind of violation a plan could carry."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from planner.check import check_plan
from planner.constraints import Constraints
from planner.solve import solve
from tests.conftest import assert_sound, run_cli

Plan = dict[str, Any]


@pytest.fixture(scope="module")
def plan() -> Plan:
    c = Constraints().with_overrides(**{"schedule.weeks": 6, "equipment.profile": "home"})
    return assert_sound(json.loads(solve(c).plan.model_dump_json()))


def first_item(p: Plan) -> dict[str, Any]:
    return p["weeks"][0]["sessions"][0]["exercises"][0]


def set_reps(p: Plan) -> None:
    first_item(p)["reps"] = 16


def set_sets(p: Plan) -> None:
    first_item(p)["sets"] = 2


def consecutive_days(p: Plan) -> None:
    p["weeks"][0]["sessions"][1]["day"] = "tue"


def across_weeks(p: Plan) -> None:
    p["weeks"][0]["sessions"][-1]["day"] = "sun"
    p["weeks"][1]["sessions"][0]["day"] = "mon"


def drop_warmup(p: Plan) -> None:
    p["weeks"][0]["sessions"][0]["warmup"] = p["weeks"][0]["sessions"][0]["warmup"][:1]


def drop_cooldown(p: Plan) -> None:
    p["weeks"][0]["sessions"][0]["cooldown"] = []


def duplicate_exercise(p: Plan) -> None:
    items = p["weeks"][0]["sessions"][0]["exercises"]
    items.append(copy.deepcopy(items[0]))


def forbidden_equipment(p: Plan) -> None:
    first_item(p)["equipment"] = ["barbell"]


def no_knee_work(p: Plan) -> None:
    for s in p["weeks"][0]["sessions"]:
        for it in s["exercises"]:
            if it["dominance"] == "knee":
                it["dominance"] = None


def three_hinges(p: Plan) -> None:
    items = p["weeks"][0]["sessions"][0]["exercises"]
    for suffix in ("a", "b", "c"):
        items.append(dict(copy.deepcopy(items[0]), id=f"hinge-{suffix}", pattern="hinge"))


def tamper_score(p: Plan) -> None:
    p["coverage"]["score"] += 1


def no_progression(p: Plan) -> None:
    week2 = p["weeks"][1]["sessions"][0]["exercises"][0]
    week2["reps"] = first_item(p)["reps"]
    week2["sets"] = first_item(p)["sets"]


def heavy_deload(p: Plan) -> None:
    deload = next(w for w in p["weeks"] if w["deload"])
    for s in deload["sessions"]:
        for it in s["exercises"]:
            it["sets"] = 5


def over_time(p: Plan) -> None:
    p["constraints"]["schedule"]["minutes"] = 20


def wrong_minutes(p: Plan) -> None:
    p["weeks"][0]["sessions"][0]["minutes"] += 5


MUTATIONS: list[Callable[[Plan], None]] = [
    set_reps,
    set_sets,
    consecutive_days,
    across_weeks,
    drop_warmup,
    drop_cooldown,
    duplicate_exercise,
    three_hinges,
    forbidden_equipment,
    no_knee_work,
    tamper_score,
    no_progression,
    heavy_deload,
    over_time,
    wrong_minutes,
]


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda f: f.__name__)
def test_each_violation_is_reported(plan: Plan, mutate: Callable[[Plan], None]) -> None:
    broken = copy.deepcopy(plan)
    mutate(broken)
    assert check_plan(broken), f"{mutate.__name__} went unnoticed"


def test_check_command_exit_codes(plan: Plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(plan))
    ok = run_cli("check", str(good))
    assert ok.exit_code == 0 and ok.output.startswith("ok: 6 weeks")
    broken = copy.deepcopy(plan)
    set_reps(broken)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken))
    failed = run_cli("check", str(bad))
    assert failed.exit_code == 1 and "16 reps" in failed.output
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    assert run_cli("check", str(junk)).exit_code == 2
    assert run_cli("check", str(tmp_path / "missing.json")).exit_code == 2


def test_malformed_plan_is_a_violation_not_a_crash(plan: Plan) -> None:
    broken = copy.deepcopy(plan)
    del first_item(broken)["muscles"]
    assert any("malformed" in line for line in check_plan(broken))
