"""The Python API a gym's app uses: ``from planner import solve, check, Request``, and the README's
example of it, run as a user would."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import planner
from planner.check import check_plan
from planner.constraints import Constraints
from planner.solve import solve

ROOT = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, "the Python API section holds a python example"
    return found.group(1)


def test_the_api_names_are_the_library_functions() -> None:
    assert planner.Request is Constraints
    assert planner.solve is solve
    assert planner.check is check_plan
    from planner import Request, check
    from planner import solve as api_solve

    assert (Request, check, api_solve) == (Constraints, check_plan, solve)


def test_import_planner_stays_cheap_and_the_names_load_on_use() -> None:
    code = (
        "import sys, planner\n"
        "print(sorted(m for m in ('ortools', 'pydantic') if m in sys.modules))\n"
        "import planner.batch\n"  # importing the modules of the same names keeps the functions
        "from planner import solve, check\n"
        "print(solve.__module__, check.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.splitlines() == ["[]", "planner.solve check_plan"]


def test_readme_example_runs(tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(readme_example())
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert re.fullmatch(r"optimal \d+ 4 weeks", lines[0])
    days = [line.split()[0] for line in lines[1:]]
    assert 2 <= len(days) <= 3 and set(days) <= {"mon", "wed", "fri"}


def test_a_request_with_coach_keys_solves_and_checks() -> None:
    request = planner.Request.model_validate(
        {
            "schedule": {"weeks": 2, "sessions": 2},
            "equipment": {"profile": "home"},
            "exercises": {"require": ["romanian-deadlift-dumbbell"]},
            "volume": {"session_sets": [9, 18], "frequency": {"calves": 1}},
            "prescription": {"loads": {"romanian-deadlift-dumbbell": {"kg": 31}}},
            "objective": {"fatigue_cost": 10, "time_cost": 2},
        }
    )
    result = planner.solve(request, time_limit=60)
    plan = result.plan.model_dump(mode="json")
    assert planner.check(plan) == []
    rdl = [
        it
        for s in plan["weeks"][0]["sessions"]
        for it in s["exercises"]
        if it["id"] == "romanian-deadlift-dumbbell"
    ]
    assert rdl and all(it["load_kg"] == 30.0 for it in rdl)  # 31 kg down to the 2 kg step
    for s in plan["weeks"][0]["sessions"]:
        assert 9 <= sum(it["sets"] for it in s["exercises"]) <= 18


def test_every_public_name_loads_and_the_benchmarks_use_nothing_else() -> None:
    for name in planner.__all__:
        assert getattr(planner, name) is not None
    used = {}
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.split(".")[0] == "planner"]
                used.update({f"{path.name}: import {n}": n for n in names})
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planner"):
                for alias in node.names:
                    used[f"{path.name}: from {node.module} import {alias.name}"] = (
                        alias.name if node.module == "planner" else "(internal)"
                    )
    assert used, "the benchmarks import the planner"
    private = {where for where, name in used.items() if name not in planner.__all__}
    assert private == set()
