"""``planner log check``, ``planner loads`` and ``planner next`` as a lifter runs them: exit codes,
``file:line: reason`` for bad logs, the arithmetic in the output, a next block that passes
``planner check``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import assert_sound, run_cli

DATA = Path(__file__).parent / "data"
PLAN = str(DATA / "plan-4w.json")
LOG = str(DATA / "log-4w.csv")


def test_log_check_reads_each_format() -> None:
    for name, kind in (
        ("log-4w.csv", "planner"),
        ("strong-4w.csv", "strong"),
        ("hevy-4w.csv", "hevy"),
    ):
        result = run_cli("log", "check", PLAN, str(DATA / name))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("ok: ") and f"({kind} log, loads in kg)" in result.stdout


def test_log_check_lists_unmapped_names() -> None:
    result = run_cli("log", "check", PLAN, str(DATA / "strong-4w.csv"))
    assert (
        "left out, not mapped to a catalog exercise: Bench Press (Barbell) (line 6)"
        in result.stderr
    )
    assert "left out, not in the plan: hip-thrust-barbell (line 11)" in result.stderr


def test_a_bad_log_exits_2_with_the_line_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "week,day,exercise_id,set,load,unit,reps_done,rir_done,rpe_done,done\n"
        "4,mon,romanian-deadlift-dumbbell,1,-20,kg,10,1,,yes\n"
        "4,mon,romanian-deadlift-dumbbell,2,20,kg,120,1,,yes\n",
        "utf-8",
    )
    for args in (("log", "check", PLAN, str(path)), ("loads", PLAN, "--log", str(path))):
        result = run_cli(*args)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f"{path}:2: negative load -20",
            f"{path}:3: reps 120 is over 100",
        ]
    missing = run_cli("loads", PLAN, "--log", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_loads_shows_the_arithmetic() -> None:
    result = run_cli("loads", PLAN, "--log", LOG)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "e1RM = load x (1 + (reps + RIR) / 30)" in text
    assert "week 4: best set e1RM = 20 x (1 + (10 + 2) / 30) = 28.0 kg" in text
    assert "add 2 kg, 20 + 2 -> 22 kg" in text
    assert "hold 40 kg" in text and "STALLED" in text
    assert run_cli("loads", PLAN, "--log", LOG).stdout == text  # deterministic


def test_next_writes_a_checked_plan(tmp_path: Path) -> None:
    out = tmp_path / "next.json"
    result = run_cli("next", PLAN, "--log", LOG, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "starting load: Romanian deadlift (dumbbells) 22 kg" in result.stderr
    checked = run_cli("check", str(out))
    assert checked.exit_code == 0, checked.output
    nxt = assert_sound(json.loads(out.read_text("utf-8")))
    again = tmp_path / "again.json"
    assert run_cli("next", PLAN, "--log", LOG, "-o", str(again)).exit_code == 0
    same = json.loads(again.read_text("utf-8"))
    assert {k: v for k, v in nxt.items() if k != "solver"} == {
        k: v for k, v in same.items() if k != "solver"
    }


def test_next_refuses_a_bad_output_before_solving(tmp_path: Path) -> None:
    result = run_cli("next", PLAN, "--log", LOG, "-o", str(tmp_path / "no" / "next.json"))
    assert result.exit_code == 2 and "cannot write" in result.stderr
    result = run_cli("next", PLAN, "--log", LOG, "-o", str(tmp_path / "next.pdf"))
    assert result.exit_code == 2 and "unknown output suffix" in result.stderr


def test_next_warns_when_the_log_stops_early(tmp_path: Path) -> None:
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join(Path(LOG).read_text("utf-8").splitlines()[:4]) + "\n", "utf-8")
    result = run_cli("next", PLAN, "--log", str(partial), "-o", str(tmp_path / "n.json"))
    assert result.exit_code == 0, result.stderr
    assert "warning: the log ends in week 3 of the block's 4" in result.stderr
    full = run_cli("next", PLAN, "--log", LOG, "-o", str(tmp_path / "m.json"))
    assert "warning" not in full.stderr
