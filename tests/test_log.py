"""Reading a filled training log back: the planner's CSV and Excel logs, Strong and Hevy exports
made by hand in their documented formats, and bad logs refused with the line and the reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.catalog import builtin_catalog
from planner.log import MAX_ROWS, LogError, read_log, read_names
from planner.render import render
from tests.conftest import assert_sound

DATA = Path(__file__).parent / "data"
HEADER = "week,day,exercise_id,set,load,unit,reps_done,rir_done,rpe_done,done\n"


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    return assert_sound(json.loads((DATA / "plan-4w.json").read_text("utf-8")))


def read(path: Path, plan: dict[str, Any], **more: Any) -> Any:
    return read_log(path, plan, builtin_catalog(), **more)


def test_the_planner_log_reads_each_filled_set(plan: dict[str, Any]) -> None:
    log = read(DATA / "log-4w.csv", plan)
    assert log.kind == "planner" and log.unit == "kg"
    assert len(log.sets) == 16 and log.weeks() == [3, 4]
    first = log.sets[0]
    assert (first.line, first.week, first.day, first.exercise_id) == (
        2,
        3,
        "mon",
        "romanian-deadlift-dumbbell",
    )
    assert (first.load_kg, first.reps, first.rir, first.done) == (20, 9, 2, True)
    curl = next(s for s in log.sets if s.exercise_id == "leg-curl-lying-dumbbell")
    assert curl.rir == 1  # RPE 9 is RIR 1
    calf = [s for s in log.sets if s.exercise_id == "standing-calf-raise-dumbbell"]
    assert [(s.reps, s.done) for s in calf] == [(15, True), (None, False)]  # the plan's 15 reps


def test_the_rendered_csv_filled_in_is_a_log(plan: dict[str, Any], tmp_path: Path) -> None:
    text = render(plan, "csv")
    assert isinstance(text, str)
    rows = list(csv.DictReader(io.StringIO(text)))
    filled = 0
    for row in rows:
        if row["block"] == "main" and row["week"] == "1" and row["day"] == "mon":
            row.update(load="10", unit="kg", reps_done=row["reps"], rpe_done="7", done="yes")
            filled += 1
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "log.csv"
    path.write_text(out.getvalue(), "utf-8")
    log = read(path, plan)
    assert len(log.sets) == filled > 0
    assert {(s.week, s.day, s.load_kg, s.rir) for s in log.sets} == {(1, "mon", 10, 3)}


def test_the_excel_log_sheet_filled_in_is_a_log(plan: dict[str, Any], tmp_path: Path) -> None:
    data = render(plan, "xlsx")
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Log"]
    header = [c.value for c in sheet[1]]
    assert header[-6:] == [
        "Load",
        "Unit (kg/lb)",
        "Reps done",
        "RIR done",
        "RPE done",
        "Done (yes/no)",
    ]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == sum(
        it["sets"] for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"]
    )
    col = {name: i for i, name in enumerate(header)}
    for row in rows[:3]:  # week 1 mon, the first lift's three sets
        row[col["Load"]].value = 44
        row[col["Unit (kg/lb)"]].value = "lb"
        row[col["Reps done"]].value = 8
        row[col["Done (yes/no)"]].value = "yes"
    path = tmp_path / "log.xlsx"
    book.save(path)
    log = read(path, plan)
    assert log.unit == "lb"
    assert [(s.week, s.set, s.load_kg, s.reps) for s in log.sets] == [
        (1, n, 19.96, 8)
        for n in (1, 2, 3)  # 44 lb = 19.96 kg
    ]


def test_a_strong_export_maps_its_names_and_lists_the_rest(plan: dict[str, Any]) -> None:
    log = read(DATA / "strong-4w.csv", plan)
    assert log.kind == "strong"
    assert [(s.exercise_id, s.set, s.reps, s.rir) for s in log.sets[:3]] == [
        ("romanian-deadlift-dumbbell", 1, 10, 1),
        ("romanian-deadlift-dumbbell", 2, 10, 1),
        ("romanian-deadlift-dumbbell", 3, 10, 1.5),
    ]  # the warm-up set (W) left out
    assert {(s.week, s.day) for s in log.sets} == {(4, "mon"), (4, "fri")}
    assert log.unmapped == {"Bench Press (Barbell)": [6], "Plank": [7]}
    assert log.elsewhere == {"hip-thrust-barbell": [11]}


def test_a_hevy_export_skips_warm_up_sets(plan: dict[str, Any]) -> None:
    log = read(DATA / "hevy-4w.csv", plan)
    assert log.kind == "hevy"
    assert [(s.exercise_id, s.set, s.load_kg, s.reps) for s in log.sets[:3]] == [
        ("romanian-deadlift-dumbbell", 2, 20, 10),
        ("romanian-deadlift-dumbbell", 3, 20, 10),
        ("romanian-deadlift-dumbbell", 4, 20, 9),
    ]
    assert log.elsewhere == {"back-squat-barbell": [8]}


def test_a_names_file_maps_an_app_name(plan: dict[str, Any], tmp_path: Path) -> None:
    names = tmp_path / "names.toml"
    names.write_text('[names]\n"Plank" = "romanian-deadlift-dumbbell"\n', "utf-8")
    log = read(DATA / "strong-4w.csv", plan, names=read_names(names, builtin_catalog()))
    assert "Plank" not in log.unmapped
    names.write_text('[names]\n"Plank" = "plank-forever"\n', "utf-8")
    with pytest.raises(LogError, match="unknown exercise id 'plank-forever'"):
        read_names(names, builtin_catalog())


BAD = {
    "unknown exercise": (
        "4,mon,romanian-deadlift-spaceship,1,20,kg,10,1,,yes\n",
        "log.csv:2: unknown exercise 'romanian-deadlift-spaceship'",
    ),
    "negative load": (
        "4,mon,romanian-deadlift-dumbbell,1,-20,kg,10,1,,yes\n",
        "log.csv:2: negative load -20",
    ),
    "reps over 100": (
        "4,mon,romanian-deadlift-dumbbell,1,20,kg,101,1,,yes\n",
        "log.csv:2: reps 101 is over 100",
    ),
    "week outside the block": (
        "5,mon,romanian-deadlift-dumbbell,1,20,kg,10,1,,yes\n",
        "log.csv:2: week 5 is outside the block (2026-12-07 to 2027-01-03)",
    ),
    "unit mix": (
        "4,mon,romanian-deadlift-dumbbell,1,20,kg,10,1,,yes\n"
        "4,mon,romanian-deadlift-dumbbell,2,44,lb,10,1,,yes\n",
        "log.csv:3: load in lb, but line 2 is in kg: log every load in one unit",
    ),
    "not a number": (
        "4,mon,romanian-deadlift-dumbbell,1,twenty,kg,10,1,,yes\n",
        "log.csv:2: load 'twenty' is not a number",
    ),
    "not in that session": (
        "4,tue,romanian-deadlift-dumbbell,1,20,kg,10,1,,yes\n",
        "log.csv:2: week 4 tue has no romanian-deadlift-dumbbell in the plan",
    ),
    "RIR and RPE": (
        "4,mon,romanian-deadlift-dumbbell,1,20,kg,10,1,9,yes\n",
        "log.csv:2: give RIR or RPE, not both",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_log_is_refused_with_the_line_and_the_reason(
    case: str, plan: dict[str, Any], tmp_path: Path
) -> None:
    rows, message = BAD[case]
    path = tmp_path / "log.csv"
    path.write_text(HEADER + rows, "utf-8")
    with pytest.raises(LogError) as err:
        read(path, plan)
    assert str(err.value).replace(str(tmp_path) + "/", "") == message


def test_an_app_date_outside_the_block_is_refused(plan: dict[str, Any], tmp_path: Path) -> None:
    text = (DATA / "hevy-4w.csv").read_text("utf-8").replace("28 Dec 2026", "4 Jan 2027")
    path = tmp_path / "hevy.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(LogError, match=r"hevy.csv:3: 2027-01-04 week 5 is outside the block"):
        read(path, plan)


def test_a_file_that_is_no_log_or_too_long_is_refused(plan: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("name,colour\nann,red\n", "utf-8")
    with pytest.raises(LogError, match=r"log\.csv:1: not a training log"):
        read(path, plan)
    path.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(LogError, match="not an Excel workbook"):
        read(path, plan)
    path.write_text(HEADER + "4,mon,x,1,,,,,,\n" * (MAX_ROWS + 1), "utf-8")
    with pytest.raises(LogError, match=f"more than {MAX_ROWS} rows"):
        read(path, plan)
