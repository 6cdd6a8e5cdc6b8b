"""Importing the free-exercise-db library, and browsing catalogs, run as a coach would."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from planner.catalog import read_catalog
from tests.conftest import FREE_EXERCISE_DB, run_cli, solve_json

# 17 entries copied unchanged from free-exercise-db's exercises.json (public domain), one for each
# branch of the importer: hinges, curls, calf raises, stretches, an expert lift, and entries it must
# skip (no posterior-chain muscle, plyometrics, olympic lifts, unknown equipment).
SAMPLE = Path(__file__).parent / "data" / "free-exercise-db-sample.json"


def imported(tmp_path: Path, source: Path) -> tuple[dict[str, dict[str, Any]], str, str]:
    """Run ``planner catalog import``: the entries by id, stderr, and the report."""
    out, report = tmp_path / "my-catalog.toml", tmp_path / "report.txt"
    result = run_cli("catalog", "import", str(source), "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.stderr
    read_catalog(out)  # validates with planner.catalog.Catalog
    entries = {e["id"]: e for e in tomllib.loads(out.read_text("utf-8")).get("exercise", [])}
    return entries, result.stderr, report.read_text("utf-8")


def section(report: str, title: str) -> list[str]:
    """The indented lines of one section of the import report."""
    lines = report.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [line.strip() for line in lines if line.startswith("  ")]


def library(tmp_path: Path, *entries: dict[str, Any], name: str = "lib.json") -> Path:
    """A tiny library file of hand-made entries (the defaults are a valid barbell RDL)."""
    base = {
        "id": "Test_RDL",
        "name": "Romanian Deadlift",
        "equipment": "barbell",
        "mechanic": "compound",
        "category": "strength",
        "level": "beginner",
        "primaryMuscles": ["hamstrings"],
        "secondaryMuscles": ["glutes"],
    }
    path = tmp_path / name
    path.write_text(json.dumps([base | e for e in entries]), "utf-8")
    return path


def test_sample_maps_patterns_dominance_muscles_and_levels(tmp_path: Path) -> None:
    entries, _, _ = imported(tmp_path, SAMPLE)
    rdl = entries["romanian-deadlift"]
    assert (rdl["pattern"], rdl["dominance"], rdl["equipment"]) == ("hinge", "hip", ["barbell"])
    assert rdl["muscles"]["hamstrings"] == 1.0 and rdl["muscles"]["gluteus_maximus"] == 0.5
    curl = entries["lying-leg-curls"]
    assert (curl["pattern"], curl["dominance"], curl["actions"]) == (
        "knee_curl",
        "knee",
        ["knee_flexion"],
    )
    assert curl["equipment"] == ["leg_curl_machine"]
    nordic = entries["natural-glute-ham-raise"]
    assert nordic["high_fatigue_eccentric"] and nordic["dominance"] == "knee"
    seated = entries["seated-calf-raise"]
    assert seated["muscles"]["soleus"] == 1.0 and seated["equipment"] == ["seated_calf_machine"]
    stretch = entries["hamstring-stretch"]
    assert (stretch["block"], stretch["pattern"], stretch["fatigue"]) == ("cooldown", "stretch", 0)
    assert entries["deadlift-with-bands"]["level"] == "advanced"  # expert -> advanced
    assert entries["pullups"]["equipment"] == ["pull_up_bar"]
    assert entries["face-pull"]["pattern"] == "rear_delt"
    assert "posterior_deltoid" in entries["face-pull"]["muscles"]


def test_sample_skips_with_reasons_and_lists_what_it_could_not_map(tmp_path: Path) -> None:
    entries, stderr, report = imported(tmp_path, SAMPLE)
    data = json.loads(SAMPLE.read_text())
    skipped = section(report, "skipped entries:")
    assert len(entries) + len(skipped) == len(data)
    assert "3_4_Sit-Up: trains no posterior-chain muscle: primary abdominals" in report
    assert "Barbell_Bench_Press_-_Medium_Grip: trains no posterior-chain muscle" in report
    assert "Box_Jump_Multiple_Response: category: 'plyometrics'" in report
    assert "Axle_Deadlift: equipment: 'other'" in report
    assert f"imported {len(entries)} of {len(data)} exercises; skipped 5" in stderr
    assert "not mapped (muscle):" in stderr and "chest (1)" in stderr
    for skipped in ("3-4-sit-up", "barbell-bench-press-medium-grip", "power-snatch"):
        assert skipped not in entries


def test_the_library_ships_with_its_licence() -> None:
    folder = FREE_EXERCISE_DB.parent
    assert len(json.loads(FREE_EXERCISE_DB.read_text("utf-8"))) > 800
    assert "public domain" in (folder / "LICENSE.md").read_text("utf-8")
    assert "yuhonas/free-exercise-db" in (folder / "README.md").read_text("utf-8")


def test_whole_library_imports_and_a_plan_from_it_passes_the_checker(tmp_path: Path) -> None:
    entries, _, report = imported(tmp_path, FREE_EXERCISE_DB)
    total = len(json.loads(FREE_EXERCISE_DB.read_text()))
    skipped = section(report, "skipped entries:")
    assert len(entries) + len(skipped) == total
    assert len(entries) > 150
    assert {e["block"] for e in entries.values()} == {"main", "cooldown"}
    assert {"knee", "hip"} <= {e.get("dominance") for e in entries.values()}
    main = [e for e in entries.values() if e["block"] == "main"]
    assert {e["tier"] for e in main} == {"main", "accessory", "isolation"}
    assert {"romanian_deadlift", "leg_curl", "nordic", "squat"} <= {e["family"] for e in main}
    assert all("prepares" not in e for e in entries.values())  # the library has no warm-ups
    assert len(section(report, "guessed fields:")) == len(entries)
    config = tmp_path / "client.toml"
    config.write_text(
        'catalog = "my-catalog.toml"\n[equipment]\nprofile = "home"\n'
        '[exercises]\nrequire = ["ball-leg-curl"]\n'
    )
    plan = solve_json(tmp_path, "--config", str(config), "--weeks", "2")
    ids = {it["id"] for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"]}
    assert "ball-leg-curl" in ids


def test_sample_infers_family_tier_load_stimulus_and_tempo(tmp_path: Path) -> None:
    entries, _, _ = imported(tmp_path, SAMPLE)
    rdl = entries["romanian-deadlift"]
    assert (rdl["family"], rdl["tier"], rdl["load"], rdl["load_ceiling"]) == (
        "romanian_deadlift",
        "main",
        "barbell",
        "high",
    )
    assert (rdl["increment_kg"], rdl["lengthened"], rdl["tempo"], rdl["seconds_per_rep"]) == (
        2.5,
        True,
        "3-0-1-0",
        4,
    )
    assert rdl["stimulus"] == {"beginner": 8, "intermediate": 10, "advanced": 10}
    curl = entries["lying-leg-curls"]
    assert (curl["family"], curl["tier"], curl["load"]) == ("leg_curl", "accessory", "machine")
    assert not curl["lengthened"] and curl["tempo"] == "3-0-1-0"
    nordic = entries["natural-glute-ham-raise"]
    assert (nordic["family"], nordic["load"], nordic["load_ceiling"]) == (
        "nordic",
        "bodyweight",
        "moderate",
    )
    assert "increment_kg" not in nordic and nordic["reps"]["general"] == [4, 6]
    assert (nordic["tempo"], nordic["seconds_per_rep"]) == ("4-0-1-0", 5)
    assert entries["ball-leg-curl"]["family"] == "supine_leg_curl"
    seated = entries["seated-calf-raise"]
    assert (seated["family"], seated["tier"]) == ("seated_calf_raise", "isolation")
    pullups = entries["pullups"]
    assert pullups["stimulus"]["advanced"] == 8 and pullups["reps"]["strength"] == [3, 6]
    thrust = entries["barbell-hip-thrust"]
    assert (thrust["family"], thrust["tier"], thrust["tempo"]) == (
        "hip_thrust_bridge",
        "main",
        "1-0-1-2",
    )
    assert entries["goblet-squat"]["load"] == "kettlebell"
    assert entries["goblet-squat"]["increment_kg"] == 4.0
    assert "family" not in entries["hamstring-stretch"]


def test_guessed_fields_are_named_per_entry_and_counted(tmp_path: Path) -> None:
    entries, stderr, report = imported(tmp_path, SAMPLE)
    text = (tmp_path / "my-catalog.toml").read_text("utf-8")
    assert text.count("\n# guessed: ") == text.count("[[exercise]]") == len(entries)
    assert '# guessed: stimulus\n[[exercise]]\nid = "romanian-deadlift"' in text
    guessed = section(report, "guessed fields:")
    assert "lying-leg-curls  guessed = [stimulus, lengthened]" in guessed
    assert "hamstring-stretch  guessed = []" in guessed
    main = sum(1 for e in entries.values() if e["block"] == "main")
    lengthened = sum(1 for line in guessed if "lengthened" in line)
    assert f"guessed (review them): stimulus ({main}), lengthened ({lengthened})" in stderr


def test_odd_field_shapes_are_read_or_skipped_with_a_reason(tmp_path: Path) -> None:
    source = library(
        tmp_path,
        {"id": "List_Name", "name": ["Romanian Deadlift"], "equipment": ["barbell"]},
        {"id": "Null_Muscles", "primaryMuscles": ["hamstrings"], "secondaryMuscles": None},
        {"id": "Text_Muscles", "primaryMuscles": "hamstrings", "mechanic": ["compound"]},
        {"id": "No_Primary", "primaryMuscles": None, "secondaryMuscles": None},
        {"id": "Number_Muscles", "primaryMuscles": [1, 2]},
        {"id": "Two_Kits", "equipment": ["barbell", "bench"]},
        {"id": "Dict_Category", "category": {"a": 1}},
        {"id": "Null_Level", "level": None},
        {"id": 7, "name": "Single Leg Deadlift"},
    )
    entries, _, report = imported(tmp_path, source)
    assert {"list-name", "null-muscles", "text-muscles", "7"} <= set(entries)
    assert entries["list-name"]["name"] == "Romanian Deadlift"
    assert entries["list-name"]["equipment"] == ["barbell"]
    assert entries["text-muscles"]["muscles"]["hamstrings"] == 1.0
    skipped = dict(line.split(": ", 1) for line in section(report, "skipped entries:"))
    assert skipped["No_Primary"] == "trains no posterior-chain muscle: primary none"
    assert skipped["Number_Muscles"].startswith("primaryMuscles: expected a list of names")
    assert skipped["Two_Kits"].startswith("equipment: expected one text value")
    assert skipped["Dict_Category"].startswith("category: expected one text value")
    assert skipped["Null_Level"] == "level: 'None' unknown"


def test_any_text_is_written_as_valid_toml(tmp_path: Path) -> None:
    names = {
        "Emoji": "Hip Thrust \U0001f351 (barbell)",
        "Lone_Surrogate": "Romanian Deadlift \ud83d",
        "Controls": 'Romanian "Deadlift"\\ \x07\x7f\nnew line',
    }
    source = tmp_path / "lib.json"
    rows = [
        {
            "id": key,
            "name": name,
            "equipment": "barbell",
            "mechanic": "compound",
            "category": "strength",
            "level": "beginner",
            "primaryMuscles": ["hamstrings"],
        }
        for key, name in names.items()
    ]
    source.write_text(json.dumps(rows), "utf-8")  # ensure_ascii: the surrogate stays escaped
    entries, _, _ = imported(tmp_path, source)
    assert entries["emoji"]["name"] == names["Emoji"]
    assert entries["lone-surrogate"]["name"] == "Romanian Deadlift \ufffd"
    assert entries["controls"]["name"] == names["Controls"]
    assert "\\ud83c" not in (tmp_path / "my-catalog.toml").read_text("utf-8")


def test_a_newline_in_the_file_name_cannot_inject_toml(tmp_path: Path) -> None:
    source = library(tmp_path, {}, name='lib\n[[exercise]]\nid = "injected"\n.json')
    entries, _, _ = imported(tmp_path, source)
    assert set(entries) == {"test-rdl"}
    text = (tmp_path / "my-catalog.toml").read_text("utf-8")
    assert text.splitlines()[0].startswith("# Exercise catalog imported from lib [[exercise]]")


def test_a_file_that_is_not_a_library_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"not": "a list"}')
    result = run_cli("catalog", "import", str(bad), "-o", str(tmp_path / "out.toml"))
    assert result.exit_code == 2 and "expected a JSON array" in result.stderr
    assert not (tmp_path / "out.toml").exists()


# --- browsing -----------------------------------------------------------------------------


def test_list_filters_by_equipment_and_muscle() -> None:
    result = run_cli("catalog", "list", "--equipment", "home", "--muscle", "hamstrings")
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows and "leg-curl-lying-machine" not in {r[0] for r in rows}
    home = {"dumbbell", "kettlebell", "band", "bench", "stability_ball", "bodyweight"}
    for row in rows:
        assert {k.strip(",") for k in row[4:]} <= home, row
    everything = run_cli("catalog", "list")
    assert len(everything.stdout.splitlines()) > len(rows)


@pytest.mark.parametrize("args", [("--muscle", "biceps"), ("--equipment", "rowing-machine")])
def test_list_rejects_unknown_names(args: tuple[str, str]) -> None:
    result = run_cli("catalog", "list", *args)
    assert result.exit_code == 2 and "unknown" in result.stderr


def test_show_prints_an_entry_and_suggests_close_ids(tmp_path: Path) -> None:
    result = run_cli("catalog", "show", "nordic-hamstring-curl")
    assert result.exit_code == 0
    assert "dominance" in result.stdout and '"knee"' in result.stdout
    missing = run_cli("catalog", "show", "nordic-curl")
    assert missing.exit_code == 2 and "nordic-hamstring-curl" in missing.stderr
    entries, _, _ = imported(tmp_path, SAMPLE)
    mine = str(tmp_path / "my-catalog.toml")
    own = run_cli("catalog", "show", "ball-leg-curl", "--catalog", mine)
    assert own.exit_code == 0 and "Ball Leg Curl" in own.stdout
    listed = run_cli("catalog", "list", "--catalog", mine)
    assert len(listed.stdout.splitlines()) == len(entries)
