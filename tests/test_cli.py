"""The command line as an athlete uses it: outputs, exit codes, messages, whole files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import assert_sound, run_cli


def test_default_is_markdown_to_stdout() -> None:
    result = run_cli("solve", "--weeks", "2", "--equipment", "home")
    assert result.exit_code == 0
    assert result.stdout.startswith("# 2-week posterior-chain block")
    assert "## Week 2" in result.stdout
    assert result.stderr.startswith("optimal: objective")


def test_json_output_is_the_plan_contract(solve_plan) -> None:  # type: ignore[no-untyped-def]
    plan = solve_plan("--weeks", "2", "--equipment", "home")
    assert plan["schema_version"] == 1 and plan["status"] == "optimal"
    assert plan["equipment"] == ["band", "bench", "dumbbell", "kettlebell", "stability_ball"]
    item = plan["weeks"][0]["sessions"][0]["exercises"][0]
    assert {
        "id",
        "name",
        "sets",
        "reps",
        "seconds",
        "rest_seconds",
        "equipment",
        "pattern",
        "dominance",
        "actions",
        "muscles",
    } <= set(item)
    assert plan["solver"]["gap"] == 0.0 and plan["solver"]["objective"] == plan["solver"]["bound"]


def test_plan_validates_against_the_published_schema(solve_plan) -> None:  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    plan = solve_plan("--weeks", "1")
    schema = json.loads(run_cli("schema", "plan").stdout)
    jsonschema.validate(plan, schema)
    plan["weeks"][0]["sessions"][0]["day"] = "someday"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(plan, schema)


def test_flags_narrow_sessions_and_days(solve_plan) -> None:  # type: ignore[no-untyped-def]
    plan = solve_plan("--weeks", "2", "--sessions", "2", "--days", "tue,fri,sun")
    for week in plan["weeks"]:
        days = [s["day"] for s in week["sessions"]]
        assert len(days) == 2 and set(days) <= {"tue", "fri", "sun"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--equipment", "rowing-machine"],
            "unknown equipment 'rowing-machine'; known: bodyweight",
        ),
        (["--weeks", "0"], "0 is not in the range 1<=x<=52"),
        (["--weeks", "53"], "53 is not in the range"),
        (["--days", "mon,funday"], "unknown day(s) funday"),
        (["--sessions", "4"], "'4' is not one of '2', '3'"),
        (["--minutes", "abc"], "'abc' is not a valid integer"),
    ],
)
def test_bad_usage_exits_2_with_a_message(args: list[str], message: str) -> None:
    result = run_cli("solve", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (["--days", "mon,tue"], "at least 48 h between sessions (no consecutive days)"),
        (["--minutes", "10"], "3-5 sets of 8-15 reps per exercise"),
        (["--minutes", "10"], "sessions of at most 10 min"),
    ],
)
def test_no_plan_exits_1_naming_the_conflicting_rules(
    args: list[str], rule: str, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    result = run_cli("solve", "--weeks", "1", *args, "-o", str(out))
    assert result.exit_code == 1
    assert "These rules cannot all hold together:" in result.stderr
    assert rule in result.stderr
    assert not out.exists()


def test_unwritable_output_exits_2_before_solving(tmp_path: Path) -> None:
    result = run_cli("solve", "--weeks", "1", "-o", str(tmp_path / "missing" / "plan.json"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    target = tmp_path / "dir.json"
    target.mkdir()
    assert run_cli("solve", "--weeks", "1", "-o", str(target)).exit_code == 2


def test_output_replaces_a_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    out.write_text("old")
    assert run_cli("solve", "--weeks", "1", "-o", str(out)).exit_code == 0
    assert_sound(json.loads(out.read_text()))
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_help_is_instant_without_heavy_imports() -> None:
    code = (
        "import sys, planner.cli; "
        "print(sorted(m for m in ('ortools', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_installed_command_runs_end_to_end(tmp_path: Path) -> None:
    """The console script itself, in a child process, as a user runs it."""
    exe = Path(sys.executable).with_name("planner")
    if not exe.exists():
        pytest.skip("console script not installed beside this interpreter")
    out = tmp_path / "plan.json"
    run = subprocess.run(
        [str(exe), "solve", "--weeks", "8", "--equipment", "home", "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith("optimal:")
    check = subprocess.run([str(exe), "check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
