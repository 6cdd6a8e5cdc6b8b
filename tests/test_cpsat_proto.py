"""``planner.cpsat_proto`` against OR-Tools' own ``cp_model``: the same model proto, field for
field, for whole blocks and for each method on its own, the same solver answers, and the same plans.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ortools.sat.python import cp_model

from planner import cpsat_proto, model, search
from planner.config import load_constraints
from planner.constraints import Constraints
from planner.instance import build_instance
from tests.conftest import assert_sound

ROOT = Path(__file__).resolve().parents[1]
APIS = {"cp_model": cp_model, "cpsat_proto": cpsat_proto}
REQUESTS: dict[str, dict[str, object]] = {
    "default": {"schedule.weeks": 8, "equipment.profile": "home"},
    "gym-52-weeks": {"schedule.weeks": 52},
    "bodyweight-two-sessions": {
        "schedule.weeks": 3,
        "schedule.sessions": 2,
        "equipment.profile": "bodyweight",
    },
    "favourites-and-one-sided-weeks": {
        "schedule.weeks": 6,
        "schedule.days": ("mon", "wed", "fri", "sat"),
        "balance.require_both": False,
        "exercises.favourites": ("hip-thrust-dumbbell", "kettlebell-swing"),
        "exercises.require": ("nordic-hamstring-curl",),
    },
}


def request(name: str) -> Constraints:
    return Constraints().with_overrides(**REQUESTS[name])


def built(api: ModuleType, c: Constraints, **mode: Any) -> model.Vars:
    """The block's model made with ``api``, as planner.model makes it."""
    saved = model.cp_model
    model.cp_model = api  # type: ignore[assignment]
    try:
        return model.build(build_instance(c, **mode))
    finally:
        model.cp_model = saved  # type: ignore[assignment]


@pytest.mark.parametrize("name", REQUESTS)
def test_a_block_s_model_is_the_one_cp_model_writes(name: str) -> None:
    protos = {key: str(built(api, request(name)).model.proto) for key, api in APIS.items()}
    assert protos["cpsat_proto"] == protos["cp_model"]
    assert "objective" in protos["cp_model"]


@pytest.mark.parametrize("name", ["default", "favourites-and-one-sided-weeks"])
def test_an_explanation_s_model_is_the_one_cp_model_writes(name: str) -> None:
    protos = {}
    for key, api in APIS.items():
        v = built(api, request(name), explain=True, assumptions=True, dropped=frozenset({"warmup"}))
        v.model.clear_objective()
        v.model.add_assumptions([lit for lit, _ in v.rules.values()])
        protos[key] = str(v.model.proto)
    assert protos["cpsat_proto"] == protos["cp_model"]
    assert "assumptions" in protos["cp_model"] and "objective" not in protos["cp_model"]


def test_a_constraint_file_s_model_is_the_one_cp_model_writes() -> None:
    c = load_constraints(ROOT / "examples" / "client.toml").with_overrides(**{"schedule.weeks": 4})
    protos = {key: str(built(api, c).model.proto) for key, api in APIS.items()}
    assert protos["cpsat_proto"] == protos["cp_model"]


def each_method(api: ModuleType) -> Any:
    """A small model that calls every method of the adapter, each way ``cp_model`` allows."""
    m = api.CpModel()
    x = m.new_int_var(-3, 7, "x")
    a, b, c = (m.new_bool_var(n) for n in "abc")
    one, again = m.new_constant(1), m.new_constant(1)
    assert one.index == again.index
    m.new_constant(5)
    m.add(x + 2 * a - 3 * b <= 4).only_enforce_if(c)
    m.add(x == a + 1).only_enforce_if([a, c.Not()])
    m.add(x != 2)
    m.add(sum([a, b]) >= c)
    m.add(True)
    m.add(False).only_enforce_if(c.Not())
    m.add_bool_or([a, b.Not(), True])
    m.add_bool_or(a, c)
    m.add_bool_and([a.Not(), False]).only_enforce_if(b)
    m.add_implication(a, b.Not())
    m.add_max_equality(c, [a, b + c - 1, 0])
    m.add_max_equality(x, a, 3 * b + 2)
    m.add_hint(a, 1)
    m.add_hint(b.Not(), True)
    m.add_assumptions([c, a.Not(), True])
    assert m.get_int_var_from_proto_index(x.index).index == x.index
    assert not m.has_objective()
    m.minimize(x + 3)
    m.maximize(2 * x - a + 7)
    assert m.has_objective()
    return m


def test_every_method_writes_what_cp_model_writes() -> None:
    protos = {key: str(each_method(api).proto) for key, api in APIS.items()}
    assert protos["cpsat_proto"] == protos["cp_model"]
    for kind in ("linear", "bool_or", "bool_and", "lin_max", "solution_hint", "assumptions"):
        assert kind in protos["cp_model"]


def test_a_clone_changes_apart_from_its_model_as_cp_model_s() -> None:
    protos = {}
    for key, api in APIS.items():
        m = each_method(api)
        before = str(m.proto)
        copy = m.clone()
        copy.clear_assumptions()
        x = copy.get_int_var_from_proto_index(0)
        copy.add(x >= 2)
        copy.add_bool_and([copy.get_int_var_from_proto_index(1).Not(), True])
        assert str(m.proto) == before
        protos[key] = (before, str(copy.proto))
    assert protos["cpsat_proto"] == protos["cp_model"]
    assert "assumptions" not in protos["cp_model"][1]


def test_objectives_and_their_removal_match_cp_model() -> None:
    for objective in (7, "minimize", "cleared"):
        protos = {}
        for key, api in APIS.items():
            m = api.CpModel()
            x = m.new_int_var(0, 4, "x")
            if objective == "minimize":
                m.minimize(3 * x - 1)
            else:
                m.maximize(x if objective == "cleared" else objective)
            if objective == "cleared":
                m.clear_objective()
            protos[key] = str(m.proto)
        assert protos["cpsat_proto"] == protos["cp_model"], objective


@pytest.mark.parametrize(
    "misuse",
    [
        lambda m, x: m.add_bool_or([x]),
        lambda m, x: m.add_assumptions([x]),
        lambda m, x: m.add("x <= 3"),
        lambda m, x: m.add_max_equality(x, ["y"]),
        lambda m, x: m.maximize("x"),
    ],
    ids=["non-boolean literal", "non-boolean assumption", "text", "text term", "text objective"],
)
def test_misuse_is_refused_as_cp_model_refuses_it(misuse: Callable[[Any, Any], object]) -> None:
    for api in APIS.values():
        m = api.CpModel()
        with pytest.raises(TypeError):
            misuse(m, m.new_int_var(0, 5, "x"))


def answers(api: ModuleType, feasible: bool) -> dict[str, Any]:
    """What the solver reports on a toy model, with a conflict among assumptions or not."""
    m = api.CpModel()
    x = m.new_int_var(0, 10, "x")
    a, b = m.new_bool_var("a"), m.new_bool_var("b")
    m.add(x <= 4).only_enforce_if(a)
    m.add(x >= 6).only_enforce_if(b)
    if feasible:
        m.maximize(x + 3 * a)
    else:
        m.add_assumptions([a, b])
    solver = api.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(m)
    if not feasible:
        return {"status": status, "core": sorted(solver.sufficient_assumptions_for_infeasibility())}
    return {
        "status": status,
        "x": solver.value(x),
        "sum": solver.value(x + 2 * b),
        "a": solver.boolean_value(a),
        "not a": solver.boolean_value(a.Not()),
        "objective": solver.objective_value,
        "bound": solver.best_objective_bound,
        "worked": solver.deterministic_time >= 0 and solver.wall_time >= 0,
    }


@pytest.mark.parametrize("feasible", [True, False])
def test_the_solver_answers_as_cp_model_s(feasible: bool) -> None:
    got = {key: answers(api, feasible) for key, api in APIS.items()}
    assert got["cpsat_proto"] == got["cp_model"]
    assert got["cp_model"]["status"] == (cp_model.OPTIMAL if feasible else cp_model.INFEASIBLE)


def test_reading_a_solution_before_solving_is_refused() -> None:
    with pytest.raises(RuntimeError):
        _ = cpsat_proto.CpSolver().objective_value


@pytest.mark.parametrize("name", ["default", "bodyweight-two-sessions"])
def test_the_plans_are_the_ones_cp_model_gives(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    solve = import_module("planner.solve")  # the module: ``planner.solve`` is the function
    plans = {}
    for key, api in APIS.items():
        for module in (model, search, solve):
            monkeypatch.setattr(module, "cp_model", api)
        plan = solve.solve(request(name), time_limit=60).plan.model_dump(mode="json")
        plans[key] = json.dumps({**assert_sound(plan), "solver": None}, sort_keys=True)
    assert plans["cpsat_proto"] == plans["cp_model"]
