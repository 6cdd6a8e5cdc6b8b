"""Shared test helpers: run the CLI as a user would, and put every plan through the checker.

The one place for helpers; test modules import them one way: ``from tests.conftest import ...``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from planner.check import check_plan
from planner.cli import main

FREE_EXERCISE_DB = (
    Path(__file__).resolve().parents[1]
    / "benchmarks"
    / "data"
    / "free-exercise-db"
    / "exercises.json"
)


def run_cli(*args: str, input: str | None = None) -> Result:
    """Invoke ``planner`` in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def assert_sound(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan passes ``planner check`` (the independent checker); returns it for chaining."""
    violations = check_plan(plan)
    assert violations == [], "\n".join(violations)
    return plan


def solve_json(tmp_path: Path, *args: str) -> dict[str, Any]:
    """``planner solve ARGS -o plan.json``, checked with ``planner check``; returns the plan."""
    out = tmp_path / "plan.json"
    result = run_cli("solve", *args, "-o", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    checked = run_cli("check", str(out))
    assert checked.exit_code == 0, checked.output
    return assert_sound(json.loads(out.read_text()))


@pytest.fixture
def solve_plan(tmp_path: Path):  # type: ignore[no-untyped-def]
    return lambda *args: solve_json(tmp_path, *args)


OWN_EXERCISE = """\
[[exercise]]
id = "{id}"
name = "Single-leg hip thrust (sofa)"
block = "main"
equipment = []
pattern = "bridge"
dominance = "hip"
actions = ["hip_extension"]
muscles = {{ hamstrings = 1.0, gluteus_maximus = 1.0 }}
level = "beginner"
unilateral = true
fatigue = 2
seconds_per_rep = 3
family = "hip_thrust_bridge"
tier = "accessory"
load = "bodyweight"
load_ceiling = "low"
stimulus = {{ beginner = 6, intermediate = 5, advanced = 3 }}
lengthened = false
sources = ["001"]
"""


def own_exercise(eid: str) -> str:
    """A catalog file of one exercise of a coach's own (a bodyweight single-leg hip thrust)."""
    return OWN_EXERCISE.format(id=eid)
