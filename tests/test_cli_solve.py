"""``planner solve``, ``check`` and ``schema`` as an athlete uses them: outputs, exit codes,
messages, whole files, shell completion."""

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
    assert plan["schema_version"] == 2 and plan["status"] == "optimal"
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
        "tier",
        "family",
        "rep_range",
        "rir",
        "tempo",
        "load",
        "load_kg",
        "increment_kg",
        "load_rule",
        "ramp_up",
    } <= set(item)
    assert [w["mesocycle"] for w in plan["weeks"]] == [1, 1]
    terms = plan["coverage"]["terms"]
    assert set(terms) == {"stimulus", "fatigue_cost", "time_cost", "favourites"}
    assert sum(terms.values()) == plan["coverage"]["objective"]
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
        (["--equipment", "dumbell,bench"], "unknown equipment 'dumbell'; did you mean 'dumbbell'?"),
        (["--weeks", "0"], "Invalid value for '--weeks': 0 is not in the range 1-52"),
        (["--weeks", "53"], "53 is not in the range"),
        (["--days", "mon,funday"], "unknown days funday; use mon,tue,wed,thu,fri,sat,sun"),
        (["--days", "mon,thurs"], "unknown days thurs; did you mean 'thu'?"),
        (["--sessions", "4"], "4 is not in the range 2-3"),
        (["--minutes", "abc"], "'abc' is not a whole number"),
        (["--minutes", "10"], "10 is not in the range 20-240"),
        (["--level", "pro"], "'pro' is not one of beginner, intermediate, advanced"),
        (["--seed", "4294967296"], "4294967296 is not in the range 0-2147483647"),
        (["--start", "2026-13-01"], "'2026-13-01' is not a date (YYYY-MM-DD)"),
        (["--time-limit", "nan"], "'nan' is not a finite number"),
        (["--time-limit", "-1"], "-1 is not in the range above 0, at most 86400"),
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
        (["--minutes", "20"], "sessions of at most 20 min"),
        (["--days", "mon,wed", "--sessions", "3"], "3 sessions a week"),
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


def test_a_conflict_names_the_flag_or_the_file_line_that_set_each_rule(tmp_path: Path) -> None:
    config = tmp_path / "client.toml"
    config.write_text("[schedule]\nsessions = 2\n")
    result = run_cli("solve", "--config", str(config), "--weeks", "1", "--days", "mon,tue")
    assert result.exit_code == 1
    assert "  - (--days) schedule.days: sessions only on mon, tue" in result.stderr
    assert f"  - {config}:2: schedule.sessions: " in result.stderr


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


def test_flags_come_from_the_options_table_with_their_ranges() -> None:
    result = run_cli("solve", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "--weeks INTEGER Block length in weeks. [1-52]" in text
    assert "--level [beginner|intermediate|advanced]" in text
    assert "--days DAY,... Allowed days, e.g. mon,wed,fri. [mon,tue,wed,thu,fri,sat,sun]" in text
    assert "--time-limit SECONDS" in text and "[above 0, at most 86400] [default: 60.0]" in text
    assert "--work-limit SECONDS" in text and "[above 0, at most 86400] [default: 30.0]" in text


def test_a_plan_stopped_by_the_work_limit_says_so(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    args = ("--weeks", "8", "--equipment", "gym", "--minutes", "45", "--work-limit", "0.1")
    result = run_cli("solve", *args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "stopped by the work limit" in result.stderr
    plan = assert_sound(json.loads(out.read_text()))
    assert plan["status"] == "feasible" and plan["solver"]["stopped_by"] == "work_limit"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["--days", "mon,t"], ["mon,tue", "mon,thu"]),
        (["--days", ""], ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        (["--equipment", "h"], ["home", "hyperextension_bench"]),
        (["--equipment", "home,ke"], ["home,kettlebell"]),
        (["--goal", "s"], ["strength"]),
    ],
)
def test_shell_completion_offers_days_equipment_and_choices(
    words: list[str], expected: list[str]
) -> None:
    from click.shell_completion import ShellComplete

    from planner.cli import main

    complete = ShellComplete(main, {}, "planner", "_PLANNER_COMPLETE")
    found = complete.get_completions(["solve", *words[:-1]], words[-1])
    assert [item.value for item in found] == expected


def test_check_reports_violations_and_unreadable_files(tmp_path: Path, solve_plan) -> None:  # type: ignore[no-untyped-def]
    plan = solve_plan("--weeks", "1")
    plan["weeks"][0]["sessions"][0]["exercises"] = []
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(plan))
    result = run_cli("check", str(broken))
    assert result.exit_code == 1 and result.stdout and "violation(s)" in result.stderr
    for content in ("[]", "{not json"):
        broken.write_text(content)
        bad = run_cli("check", str(broken))
        assert bad.exit_code == 2 and "Traceback" not in bad.output + bad.stderr


def test_schema_prints_the_plan_and_config_schemas() -> None:
    plan = json.loads(run_cli("schema", "plan").stdout)
    assert plan["title"] == "Plan"
    config = json.loads(run_cli("schema", "config").stdout)
    assert config["title"] == "Constraints"
    assert run_cli("schema", "other").exit_code == 2
