"""Loads from a log, checked by hand: e1RM = load x (1 + (reps + RIR) / 30), the load rule (add the
kit's step when every set reached the top of the range at its RIR target, else hold), stalls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.catalog import builtin_catalog
from planner.loads import LiftLoads, lift_loads, report
from planner.log import read_log

DATA = Path(__file__).parent / "data"
HEADER = "week,day,exercise_id,set,load,unit,reps_done,rir_done,rpe_done,done\n"


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    return json.loads((DATA / "plan-4w.json").read_text("utf-8"))


def loads_of(plan: dict[str, Any], path: Path) -> dict[str, LiftLoads]:
    log = read_log(path, plan, builtin_catalog())
    return {lift.exercise_id: lift for lift in lift_loads(plan, log)}


def test_every_set_at_the_top_adds_the_step(plan: dict[str, Any]) -> None:
    rdl = loads_of(plan, DATA / "log-4w.csv")["romanian-deadlift-dumbbell"]
    assert rdl.week == 4 and rdl.topped and not rdl.missed
    best = rdl.best
    assert best is not None
    assert best.e1rm == 28.0  # 20 x (1 + (10 + 2) / 30), the set with 2 in reserve
    assert best.arithmetic() == "20 x (1 + (10 + 2) / 30) = 28.0 kg"
    assert (rdl.last_load, rdl.next_load) == (20, 22)


def test_a_set_short_of_the_top_holds_and_two_missed_weeks_stall(plan: dict[str, Any]) -> None:
    thrust = loads_of(plan, DATA / "log-4w.csv")["hip-thrust-dumbbell"]
    assert not thrust.topped and thrust.missed == [3, 4] and thrust.stalled
    assert thrust.next_load == 40


def test_rpe_counts_as_reps_in_reserve(plan: dict[str, Any]) -> None:
    curl = loads_of(plan, DATA / "log-4w.csv")["leg-curl-lying-dumbbell"]
    best = curl.best
    assert best is not None and not best.assumed
    assert best.e1rm == 14.33  # 10 x (1 + (12 + 1) / 30): RPE 9 is RIR 1
    assert curl.next_load == 12


def test_no_rir_logged_takes_the_week_target(plan: dict[str, Any]) -> None:
    curl = loads_of(plan, DATA / "hevy-4w.csv")["leg-curl-lying-dumbbell"]
    best = curl.best
    assert best is not None and best.assumed and best.rir == 1  # week 4's target
    assert "(12 + 1 target)" in best.arithmetic()


def test_loads_round_down_to_the_kit_step(plan: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    rows = "".join(f"4,mon,romanian-deadlift-dumbbell,{n},45,lb,10,1,,yes\n" for n in (1, 2, 3))
    path.write_text(HEADER + rows, "utf-8")
    rdl = loads_of(plan, path)["romanian-deadlift-dumbbell"]
    assert rdl.last_load == 20.41  # 45 lb
    assert rdl.next_load == 22  # 20.41 + 2 = 22.41, down to the 2 kg step


def test_the_weeks_after_the_log_get_the_next_load(plan: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    rows = "".join(f"2,mon,romanian-deadlift-dumbbell,{n},20,kg,9,3,,yes\n" for n in (1, 2, 3))
    path.write_text(HEADER + rows, "utf-8")
    rdl = loads_of(plan, path)["romanian-deadlift-dumbbell"]
    assert not rdl.topped and not rdl.missed and rdl.next_load == 20  # the reps still climb
    assert [(u.week, u.day) for u in rdl.upcoming] == [
        (3, "mon"),
        (3, "wed"),
        (4, "mon"),
        (4, "wed"),
    ]
    assert {u.load_kg for u in rdl.upcoming} == {20}
    text = report(
        lift_loads(plan, read_log(path, plan, builtin_catalog())),
        read_log(path, plan, builtin_catalog()),
    )
    assert "week 3 mon: 20 kg x 9, 20 kg x 9, 20 kg x 9 (RIR 2)" in text


def test_the_report_is_deterministic(plan: dict[str, Any]) -> None:
    texts = set()
    for _ in range(2):
        log = read_log(DATA / "log-4w.csv", plan, builtin_catalog())
        texts.add(report(lift_loads(plan, log), log))
    (text,) = texts
    assert "20 + 2 -> 22 kg" in text and "STALLED" in text
