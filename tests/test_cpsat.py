"""``planner.cpsat``: the proto adapter on the OR-Tools releases it is verified against (the ones
pyproject.toml allows), OR-Tools' own ``cp_model`` otherwise or on request, the same plan either
way, and no pandas or numpy in a solve."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import ortools
import pytest

from planner.cpsat import PROTO_ADAPTER, VERIFIED, uses_proto_adapter

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("version", "setting", "expected"),
    [
        ("9.15.6755", None, True),
        ("9.15.9999", "", True),
        ("9.15.6755", "cp_model", False),
        ("9.14.6206", None, False),
        ("9.16.0", None, False),
        ("10.0.0", None, False),
    ],
)
def test_the_adapter_only_on_verified_releases(
    version: str, setting: str | None, expected: bool
) -> None:
    assert uses_proto_adapter(version, setting) is expected


def test_pyproject_allows_no_release_past_the_verified_ones() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pin = next(d for d in project["dependencies"] if d.startswith("ortools"))
    upper = re.search(r"<(\d+)\.(\d+)", pin)
    assert upper is not None, pin
    major, minor = max(VERIFIED)
    assert (int(upper[1]), int(upper[2])) == (major, minor + 1)


def test_the_installed_release_gets_the_adapter() -> None:
    wanted = os.environ.get("PLANNER_CPSAT") != "cp_model"
    assert PROTO_ADAPTER is (wanted and uses_proto_adapter(ortools.__version__, None))


def run(code: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, **env},
    )
    return done.stdout


SOLVE = (
    "import json, sys\n"
    "from planner import Request, solve\n"
    "from planner.cpsat import PROTO_ADAPTER\n"
    "request = Request().with_overrides(**{'schedule.weeks': 4, 'equipment.profile': 'home'})\n"
    "plan = solve(request, time_limit=60).plan.model_dump(mode='json')\n"
    "plan['solver'] = None\n"
    "print(PROTO_ADAPTER, sorted(m for m in ('numpy', 'pandas') if m in sys.modules))\n"
    "print(json.dumps(plan, sort_keys=True))\n"
)


@pytest.mark.skipif(not PROTO_ADAPTER, reason="OR-Tools' own cp_model is in use")
def test_a_solve_loads_no_pandas_or_numpy_and_cp_model_on_request_gives_the_same_plan() -> None:
    adapter, plan = run(SOLVE, PLANNER_CPSAT="").splitlines()
    assert adapter == "True []"
    fallback, same = run(SOLVE, PLANNER_CPSAT="cp_model").splitlines()
    assert fallback.startswith("False ")
    assert same == plan
