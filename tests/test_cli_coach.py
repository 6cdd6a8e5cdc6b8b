"""The coach commands as a coach runs them: init, validate, explain and catalog (exit codes and
messages; what the messages say is tested with the config loader in test_config.py)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import own_exercise, run_cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_init_writes_a_starter_file_that_validates_and_refuses_to_overwrite(
    tmp_path: Path,
) -> None:
    out = tmp_path / "client.toml"
    written = run_cli("init", str(out))
    assert written.exit_code == 0 and "planner validate" in written.stderr
    # No path into the installation; the file says how to get the schema for an editor.
    assert not out.read_text().startswith("#:schema")
    assert "planner schema config > config.schema.json" in out.read_text()
    assert run_cli("validate", str(out)).exit_code == 0
    out.write_text("kept")
    again = run_cli("init", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr and out.read_text() == "kept"
    assert run_cli("init", str(out), "--force").exit_code == 0
    unwritable = run_cli("init", str(tmp_path / "missing" / "client.toml"))
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.stderr


def test_validate_exits_0_when_sound_and_2_with_one_line_per_problem(tmp_path: Path) -> None:
    ok = run_cli("validate", str(EXAMPLES / "client.toml"))
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: ")
    bad = tmp_path / "bad.toml"
    bad.write_text('[client]\nnmae = "Jo"\n[schedule]\nweeks = 60\n')
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{bad}:2: client.nmae: unknown key; did you mean 'name'?",
        f"{bad}:4: schedule.weeks: Input should be less than or equal to 52",
    ]
    missing = run_cli("validate", str(tmp_path / "nope.toml"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    assert "Traceback" not in result.output + result.stderr + missing.stderr


def test_explain_names_the_conflicting_rules_with_their_file_lines() -> None:
    path = EXAMPLES / "knee-injury.toml"
    line = next(
        n
        for n, text in enumerate(path.read_text().splitlines(), 1)
        if text.startswith("exclude_dominance")
    )
    result = run_cli("explain", "--config", str(path))
    assert result.exit_code == 1
    assert f"{path}:{line}: exercises.exclude_dominance: no knee-dominant work" in result.stdout
    assert "(default) balance.weekly_actions: every week trains knee flexion" in result.stdout
    solved = run_cli("solve", "--config", str(path), "--time-limit", "10")
    assert solved.exit_code == 1
    assert f"{path}:{line}: exercises.exclude_dominance" in solved.stderr


def test_explain_says_a_plan_exists_when_the_rules_agree() -> None:
    result = run_cli("explain", "--config", str(EXAMPLES / "client.toml"), "--weeks", "2")
    assert result.exit_code == 0 and "a plan exists" in result.stdout


def test_explain_takes_the_solve_flags_over_the_file() -> None:
    args = ["explain", "--config", str(EXAMPLES / "client.toml"), "--weeks", "1"]
    result = run_cli(*args, "--days", "mon,tue", "--sessions", "2")
    assert result.exit_code == 1
    assert "no consecutive days" in result.stdout
    assert "  (--days) schedule.days: sessions only on mon, tue" in result.stdout
    bad = run_cli(*args, "--days", "mon,tuw")
    assert bad.exit_code == 2 and "did you mean 'tue'?" in bad.stderr
    limit = run_cli(*args, "--time-limit", "0")
    assert limit.exit_code == 2 and "0 is not in the range above 0" in limit.stderr


def test_explain_a_replacing_catalog_without_warmup_drills(tmp_path: Path) -> None:
    (tmp_path / "own.toml").write_text(own_exercise("sofa-hip-thrust"))
    path = tmp_path / "client.toml"
    path.write_text('catalog = "own.toml"\ncatalog_mode = "replace"\n')
    result = run_cli("explain", "--config", str(path), "--weeks", "1")
    assert result.exit_code == 1
    # The file has no warm-up drills: no session can open with a warm-up.
    assert "schedule.sessions: 2-3 sessions a week" in result.stdout
    assert "a warm-up of 3-5 drills" in result.stdout


def test_catalog_show_writes_values_as_toml_and_a_bad_catalog_is_a_file_error(
    tmp_path: Path,
) -> None:
    shown = run_cli("catalog", "show", "nordic-hamstring-curl")
    assert shown.exit_code == 0
    assert 'block                  "main"' in shown.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[[exercise]]\nid = "x"\n')
    result = run_cli("catalog", "list", "--catalog", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}: exercises[")
    assert "Field required" in result.stderr and "Traceback" not in result.stderr
