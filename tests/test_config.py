"""Coach constraint files: loading and checking them (every problem with its line), layering over
the defaults, options over a file, conflicts in the file's terms, the schema and the starter file.
The commands that use them are tested in test_cli_coach.py."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from planner.check import check_plan
from planner.config import (
    ConfigError,
    apply_options,
    config_schema,
    describe_conflicts,
    load_constraints,
    read_config,
    source_lines,
    validation_problems,
)
from planner.constraints import Constraints
from planner.plan import Plan
from tests.conftest import assert_sound, own_exercise, run_cli, solve_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def write(tmp_path: Path, text: str, name: str = "client.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [it for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"]]


# --- init, schema ---------------------------------------------------------------------------


def test_init_writes_every_default_and_tells_how_to_get_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "client.toml"
    assert run_cli("init", str(out)).exit_code == 0
    text = out.read_text()
    # No path into the installation, which would break when the file moves to another machine.
    assert "#:schema" not in text.splitlines()[0] and str(ROOT) not in text
    assert "planner schema config > config.schema.json" in text
    assert Constraints.model_validate(tomllib.loads(text)) == Constraints()
    for name in (
        "weeks",
        "require_both",
        "catalog_mode",
        "landmarks",
        "session_sets",
        "frequency",
        "cornerstones",
        "cut",
        "deload_rir",
        "muscle_weights",
        "favourite_bonus",
        "allow_stand_ins",
        "level_factor",
    ):
        assert name in text


def test_committed_schema_is_in_step_with_the_models() -> None:
    committed = (ROOT / "schema" / "config.schema.json").read_text()
    assert json.loads(committed) == Constraints.model_json_schema()
    assert config_schema() == committed


def test_every_field_of_the_schema_has_a_description() -> None:
    schema = Constraints.model_json_schema()
    for name, model in [*schema["$defs"].items(), ("Constraints", schema)]:
        assert model.get("description"), name
        for key, prop in model["properties"].items():
            ref = prop.get("$ref", "").rpartition("/")[2]
            assert prop.get("description") or schema["$defs"][ref]["description"], f"{name}.{key}"


# --- checking a file: one line per problem --------------------------------------------------

BAD = """\
seed = -1
[client]
nmae = "Jo"
goal = "strenght"

[schedule]
weeks = "four"

[volume]
sets = { main = [5, 3] }
landmarks = { hamstring = [6, 12, 20], gluteus_maximus = [10, 8, 4] }

[deload]
cut = 0.9

[prescription]
rir = { beginner = [1, 3] }
"""


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    return caught.value.problems


def test_each_problem_has_its_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, BAD)
    assert problems(path) == [
        f"{path}:1: seed: Input should be greater than or equal to 0",
        f"{path}:3: client.nmae: unknown key; did you mean 'name'?",
        f"{path}:4: client.goal: Input should be 'general', 'strength', 'hypertrophy' or "
        "'endurance'; did you mean 'strength'?",
        f"{path}:7: schedule.weeks: Input should be a valid integer",
        f"{path}:10: volume.sets.main: minimum 5 is above maximum 3",
        f"{path}:11: volume.landmarks.gluteus_maximus: landmarks must rise: MEV 10 <= MAV 8 <= "
        "MRV 4",
        f"{path}:11: volume.landmarks.hamstring: unknown name 'hamstring'; did you mean "
        "'hamstrings'?",
        f"{path}:14: deload.cut: Input should be less than or equal to 0.6",
        f"{path}:17: prescription.rir.beginner: reps in reserve fall over a mesocycle: 1 < 3",
    ]


def test_unknown_exercise_ids_and_equipment_are_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
[equipment]
profile = "hom"
extra = ["box", "barbel"]

[exercises]
exclude = ["nordic-curl"]
require = ["glute-bridge-hold"]
""",
    )
    assert problems(path) == [
        f"{path}:2: equipment.profile: unknown profile or item 'hom'; did you mean 'home'?",
        f"{path}:3: equipment.extra[1]: unknown equipment 'barbel'; did you mean 'barbell'?",
        f"{path}:6: exercises.exclude[0]: unknown exercise id 'nordic-curl'; did you mean "
        "'nordic-hamstring-curl'?",
        f"{path}:7: exercises.require[0]: glute-bridge-hold is a warmup item; only main-block "
        "exercises can be required",
    ]


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[client]\nname = "Jo"\nlevel = beginner\n')
    [problem] = problems(path)
    assert problem.startswith(f"{path}:3: TOML syntax: ")


def test_a_missing_file_or_a_bad_plan_json_is_one_problem(tmp_path: Path) -> None:
    [missing] = problems(tmp_path / "nope.toml")
    assert missing.startswith(f"{tmp_path / 'nope.toml'}: cannot read")
    [broken] = problems(write(tmp_path, '{"weeks": ', "plan.json"))
    assert broken.startswith(f"{tmp_path / 'plan.json'}:1: ")
    assert problems(write(tmp_path, "[1, 2]", "list.json")) == [
        f"{tmp_path / 'list.json'}: expected a plan or a constraints object"
    ]


def test_pydantic_errors_of_any_model_read_as_key_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({"schema_version": 1, "weeks": [{"week": "one"}]})
    texts = [text for _, text in validation_problems(caught.value, Plan)]
    assert "weeks[0].week: Input should be a valid integer, unable to parse string as an " in (
        "\n".join(texts)
    )
    assert all(": " in text and "https://" not in text for text in texts)


# --- layering ----------------------------------------------------------------------------------


def test_flags_override_the_file_which_overrides_the_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
[schedule]
weeks = 6
days = ["tue", "thu", "sat"]
[volume.landmarks]
hamstrings = [8, 12, 16]
""",
    )
    c = load_constraints(path)
    assert c.schedule.weeks == 6 and c.volume.landmarks["hamstrings"] == (8, 12, 16)
    default = Constraints().volume.landmarks
    assert c.volume.landmarks["gastrocnemius"] == default["gastrocnemius"]
    flagged = apply_options(c, {"weeks": 2, "days": None})
    assert flagged.schedule.weeks == 2 and flagged.schedule.days == ("tue", "thu", "sat")
    plan = solve_json(tmp_path, "--config", str(path), "--weeks", "2")
    assert len(plan["weeks"]) == 2
    assert plan["constraints"]["schedule"]["days"] == ["tue", "thu", "sat"]
    assert {s["day"] for w in plan["weeks"] for s in w["sessions"]} <= {"tue", "thu", "sat"}
    for week in plan["coverage"]["weeks"]:
        assert 8 <= week["sets"]["hamstrings"] <= 16


def test_example_client_file_solves_and_keeps_its_rules(tmp_path: Path) -> None:
    plan = solve_json(tmp_path, "--config", str(EXAMPLES / "client.toml"), "--weeks", "3")
    assert plan["constraints"]["client"]["name"] == "Alex"
    every_week = [{it["id"] for s in w["sessions"] for it in s["exercises"]} for w in plan["weeks"]]
    assert all("sliding-leg-curl" in ids for ids in every_week)
    assert "good-morning-band" not in set().union(*every_week)
    assert "box" in plan["equipment"] and "stability_ball" not in plan["equipment"]


def test_a_plan_reproduces_itself_from_its_own_constraints(tmp_path: Path) -> None:
    first = solve_json(tmp_path, "--config", str(EXAMPLES / "client.toml"), "--weeks", "2")
    saved = tmp_path / "first.json"
    saved.write_text(json.dumps(first))
    again = tmp_path / "again.json"
    assert run_cli("solve", "--config", str(saved), "-o", str(again)).exit_code == 0
    second = assert_sound(json.loads(again.read_text()))
    first.pop("solver")
    second.pop("solver")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


# --- level scaling ------------------------------------------------------------------------------


def test_beginner_ceilings_are_scaled_down_and_the_checker_knows(tmp_path: Path) -> None:
    text = '[client]\nlevel = "beginner"\n[volume.landmarks]\nhamstrings = [6, 20, 20]\n'
    args = ("--weeks", "2", "--sessions", "2", "--equipment", "home")
    beginner = solve_json(tmp_path, "--config", str(write(tmp_path, text)), *args)
    most = max(w["sets"]["hamstrings"] for w in beginner["coverage"]["weeks"])
    assert 10 < most <= 15  # 20 x 0.75; two hinges and two curls a week are more than 10
    beginner["constraints"]["volume"]["level_factor"]["beginner"] = 0.5
    assert any("hamstrings" in v and "outside 6-10" in v for v in check_plan(beginner))


# --- conflicts ------------------------------------------------------------------------------


def test_conflicts_are_named_where_the_file_set_them(tmp_path: Path) -> None:
    path = write(tmp_path, "[schedule]\nweeks = 4\n\nminutes = 20\n")
    rules = [
        ("session_time_cap", "sessions of at most 20 min"),
        ("days", "sessions on mon, tue"),
        ("weekly_volume:hamstrings", "hamstrings 6-20 sets a week"),
        ("progression", "one rep more a week"),
    ]
    assert describe_conflicts(rules, source_lines(path)) == [
        f"{path}:4: schedule.minutes: sessions of at most 20 min",
        "(default) schedule.days: sessions on mon, tue",
        "(default) volume.landmarks.hamstrings: hamstrings 6-20 sets a week",
        "(built-in) one rep more a week",
    ]
    assert source_lines(None) is None and source_lines(tmp_path / "plan.json") is None
    flagged = describe_conflicts(rules[:2], source_lines(path), {"schedule.minutes": "--minutes"})
    assert flagged[0] == "(--minutes) schedule.minutes: sessions of at most 20 min"  # over the file


def test_the_file_can_relax_the_balance_rule_after_a_knee_injury(tmp_path: Path) -> None:
    text = (EXAMPLES / "knee-injury.toml").read_text() + (
        '\n[balance]\nrequire_both = false\nweekly_actions = ["hip_extension", '
        '"ankle_plantarflexion"]\n'
    )
    plan = solve_json(tmp_path, "--config", str(write(tmp_path, text)), "--weeks", "2")
    assert all(it["dominance"] != "knee" for it in items(plan))
    assert any(it["dominance"] == "hip" for it in items(plan))


def test_the_checker_holds_the_balance_rule_unless_relaxed(tmp_path: Path) -> None:
    plan = solve_json(tmp_path, "--weeks", "1")
    for session in plan["weeks"][0]["sessions"]:
        session["exercises"] = [it for it in session["exercises"] if it["dominance"] != "knee"]
    assert any("both hip- and knee-dominant" in v for v in check_plan(plan))
    plan["constraints"]["balance"]["require_both"] = False
    assert not any("both hip- and knee-dominant" in v for v in check_plan(plan))


# --- custom catalogs ---------------------------------------------------------------------------


def test_custom_catalog_adds_exercises_that_the_file_can_require(tmp_path: Path) -> None:
    write(tmp_path, own_exercise("sofa-hip-thrust"), "own.toml")
    path = write(
        tmp_path,
        'catalog = "own.toml"\n[exercises]\nrequire = ["sofa-hip-thrust"]\n'
        "allow_stand_ins = true\n",
    )
    plan = solve_json(tmp_path, "--config", str(path), "--weeks", "2", "--equipment", "home")
    for week in plan["weeks"]:
        assert any(it["id"] == "sofa-hip-thrust" for s in week["sessions"] for it in s["exercises"])


def test_custom_catalog_problems_are_file_errors(tmp_path: Path) -> None:
    write(tmp_path, own_exercise("hip-thrust-dumbbell"), "own.toml")
    path = write(tmp_path, 'seed = 1\ncatalog = "own.toml"\n')
    [problem] = problems(path)
    assert problem.startswith(f"{path}:2: catalog: ")
    assert "hip-thrust-dumbbell" in problem and "replace" in problem
    missing = write(tmp_path, 'catalog = "gone.toml"\n', "gone.toml.cfg")
    [gone] = problems(missing)
    assert gone.startswith(f"{missing}:1: catalog: ")


def test_a_plan_whose_catalog_file_is_gone_or_broken_is_a_bad_file(tmp_path: Path) -> None:
    own = write(tmp_path, own_exercise("sofa-hip-thrust"), "own.toml")
    path = write(tmp_path, 'catalog = "own.toml"\n[exercises]\nallow_stand_ins = true\n')
    solve_json(tmp_path, "--config", str(path), "--weeks", "2", "--equipment", "home")
    plan = str(tmp_path / "plan.json")
    for broken in ("gone", "not toml"):
        if broken == "gone":
            own.unlink()
        else:
            own.write_text("x = [", "utf-8")
        for args in (("check", plan), ("replan", plan, "--from-week", "2")):
            result = run_cli(*args)
            assert result.exit_code == 2, (args, result.output)
            assert f"cannot read the plan's catalog {own}" in result.stderr
            assert "Traceback" not in result.stderr


def test_replace_mode_uses_only_the_file(tmp_path: Path) -> None:
    write(tmp_path, own_exercise("sofa-hip-thrust"), "own.toml")
    builtin = write(
        tmp_path,
        'catalog = "own.toml"\ncatalog_mode = "replace"\n'
        '[exercises]\nfavourites = ["hip-thrust-dumbbell"]\n',
    )
    [unknown] = problems(builtin)
    assert "unknown exercise id 'hip-thrust-dumbbell'" in unknown
