"""``planner replan`` and ``planner swap`` as a user runs them: the plan file in, the changed plan
out (checked), what changed on stderr, bad requests refused with exit 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import assert_sound, run_cli, solve_json


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("replan")
    solve_json(folder, "--weeks", "12", "--equipment", "home", "--start", "2026-12-07")
    return folder / "plan.json"


def test_replan_after_an_injury_writes_a_sound_plan_and_says_what_changed(
    plan_file: Path, tmp_path: Path
) -> None:
    knee = tmp_path / "knee.toml"
    knee.write_text(
        '[exercises]\nexclude_dominance = ["knee"]\n\n'
        '[balance]\nweekly_actions = ["hip_extension", "ankle_plantarflexion"]\n'
    )
    out = tmp_path / "knee.json"
    done = run_cli(
        "replan", str(plan_file), "--from-week", "5", "--config", str(knee), "-o", str(out)
    )
    assert done.exit_code == 0, done.stderr
    assert "prescriptions changed" in done.stderr and "Lying leg curl" in done.stderr
    new = assert_sound(json.loads(out.read_text()))
    old = json.loads(plan_file.read_text())
    assert new["weeks"][:4] == old["weeks"][:4]
    assert run_cli("check", str(out)).exit_code == 0
    again = run_cli("solve", "--config", str(out), "--weeks", "12", "-f", "json")
    assert again.exit_code == 0  # the recorded rules plan a block of their own


def test_replan_names_the_warmup_drills_it_changes(plan_file: Path, tmp_path: Path) -> None:
    old = json.loads(plan_file.read_text())
    drill = old["weeks"][0]["sessions"][0]["warmup"][0]
    out = tmp_path / "drills.json"
    done = run_cli(
        "replan", str(plan_file), "--from-week", "5", "--exclude", drill["id"], "-o", str(out)
    )
    assert done.exit_code == 0, done.stderr
    assert "0 of " in done.stderr  # no lift changed ...
    assert f"warm-up - {drill['name']}" in done.stderr  # ... but the warm-up did, and says so
    new = assert_sound(json.loads(out.read_text()))
    assert all(
        drill["id"] not in {it["id"] for it in s["warmup"]}
        for w in new["weeks"][4:]
        for s in w["sessions"]
    )


def test_replan_new_kit_and_days_from_the_flags(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "moved.json"
    done = run_cli(
        "replan",
        str(plan_file),
        "--from-week",
        "6",
        "--equipment",
        "gym",
        "--days",
        "tue,thu,sat",
        "-o",
        str(out),
    )
    assert done.exit_code == 0, done.stderr
    new = assert_sound(json.loads(out.read_text()))
    assert [s["day"] for s in new["weeks"][6]["sessions"]] == ["tue", "thu", "sat"]
    assert new["constraints"]["equipment"]["profile"] == "gym"
    header = run_cli("render", str(out), "-f", "md").output
    assert "(from week 6; before: home)" in header


def test_swap_list_then_swap(plan_file: Path, tmp_path: Path) -> None:
    plan = json.loads(plan_file.read_text())
    session = plan["weeks"][2]["sessions"][0]
    lift = session["exercises"][0]["id"]
    args = ("swap", str(plan_file), "--week", "3", "--day", session["day"], "--exercise", lift)
    listed = run_cli(*args, "--list")
    assert listed.exit_code == 0 and listed.output.startswith("1. ")
    assert "same family" in listed.output
    out = tmp_path / "swapped.json"
    done = run_cli(*args, "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert re.search(r"^optimal: .*; 1 of \d+ prescriptions changed$", done.stderr, re.M)
    swapped = json.loads(out.read_text())
    changed = [
        (w["week"], s["day"], {a["id"] for a in s["exercises"]} - {b["id"] for b in t["exercises"]})
        for w, v in zip(plan["weeks"], swapped["weeks"], strict=True)
        for s, t in zip(w["sessions"], v["sessions"], strict=True)
        if [a["id"] for a in s["exercises"]] != [b["id"] for b in t["exercises"]]
    ]
    assert changed == [(3, session["day"], {lift})]
    assert_sound(json.loads(out.read_text()))
    blocked = [line.split()[1] for line in listed.output.splitlines() if line.endswith("no plan")]
    assert blocked
    refused = run_cli(*args, "--to", blocked[0], "-o", str(tmp_path / "no.json"))
    assert refused.exit_code == 1 and "These rules cannot all hold together" in refused.stderr
    assert not (tmp_path / "no.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("replan", "--from-week", "20"), "outside the plan's weeks"),
        (("replan", "--from-week", "6", "--missed-week", "3"), "--missed-week 3"),
        (("replan", "--from-week", "5", "--exclude", "no-such-lift"), "no-such-lift"),
        (("swap", "--week", "3", "--day", "mon", "--exercise", "nordic-curl"), "holds"),
        (("swap", "--week", "3", "--day", "sun", "--exercise", "x"), "sessions on"),
        (("swap", "--week", "3", "--day", "mon", "--exercise", "x", "--to", "y"), "holds"),
    ],
)
def test_bad_requests_exit_2_with_a_message(
    plan_file: Path, args: tuple[str, ...], message: str
) -> None:
    done = run_cli(args[0], str(plan_file), *args[1:])
    assert done.exit_code == 2, done.output + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_goal_change_or_a_broken_plan_is_refused(plan_file: Path, tmp_path: Path) -> None:
    goal = tmp_path / "goal.toml"
    goal.write_text('[client]\ngoal = "strength"\n')
    done = run_cli("replan", str(plan_file), "--from-week", "5", "--config", str(goal))
    assert done.exit_code == 2 and "client.goal" in done.stderr
    broken = json.loads(plan_file.read_text())
    broken["weeks"][0]["sessions"][0]["exercises"][0]["sets"] = 9
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken))
    done = run_cli("replan", str(bad), "--from-week", "5")
    assert done.exit_code == 2 and "breaks its rules" in done.stderr


def test_render_marks_the_changed_and_missed_weeks(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "missed.json"
    done = run_cli(
        "replan", str(plan_file), "--from-week", "5", "--missed-week", "5", "-o", str(out)
    )
    assert done.exit_code == 0, done.stderr
    markdown = run_cli("render", str(out), "-f", "md").output
    assert "## Week 5 · mesocycle 2 · missed (no sessions)" in markdown
    assert "## Week 6 · mesocycle 2 · re-planned" in markdown
    assert "## Week 4 · mesocycle 1 · deload (lighter week)\n" in markdown


def test_replan_reads_a_training_log(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    out = tmp_path / "logged.json"
    done = run_cli(
        "replan",
        str(data / "plan-4w.json"),
        "--from-week",
        "4",
        "--log",
        str(data / "log-4w.csv"),
        "-o",
        str(out),
    )
    assert done.exit_code == 0, done.stderr
    assert "log: week 3 fri: no set logged, counted as missed" in done.stderr
    new = assert_sound(json.loads(out.read_text()))
    assert new["history"][-1]["log"].endswith("log-4w.csv")
    assert any(w["performed"] for w in new["weeks"][:3])
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "week,day,exercise_id,set,load,unit,reps_done,rir_done,rpe_done,done\n"
        "3,mon,romanian-deadlift-dumbbell,1,-5,kg,9,2,,yes\n"
    )
    refused = run_cli("replan", str(data / "plan-4w.json"), "--from-week", "4", "--log", str(bad))
    assert refused.exit_code == 2 and "bad.csv:2" in refused.stderr


def test_a_json_config_of_bare_rules_changes_the_plan(plan_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "rules.json"
    config.write_text('{"exercises": {"exclude": ["romanian-deadlift-dumbbell"]}}')
    out = tmp_path / "out.json"
    done = run_cli(
        "replan", str(plan_file), "--from-week", "5", "--config", str(config), "-o", str(out)
    )
    assert done.exit_code == 0, done.stderr
    new = assert_sound(json.loads(out.read_text()))
    later = {it["id"] for w in new["weeks"][4:] for s in w["sessions"] for it in s["exercises"]}
    assert "romanian-deadlift-dumbbell" not in later


def test_render_shows_what_the_log_recorded(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    out = tmp_path / "logged.json"
    args = ("replan", str(data / "plan-4w.json"), "--from-week", "4")
    assert run_cli(*args, "--log", str(data / "log-4w.csv"), "-o", str(out)).exit_code == 0
    markdown = run_cli("render", str(out), "-f", "md").output
    logged = [line for line in markdown.splitlines() if line.startswith("Logged: ")]
    assert any(
        "Romanian deadlift (dumbbells) 20 kg \N{MULTIPLICATION SIGN} 9 (RIR 2)" in line
        for line in logged
    )
    assert "Logged: nothing (skipped)." in markdown
