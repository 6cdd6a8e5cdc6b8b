"""``planner batch``: plans for many clients, local processes or a Dask cluster; bad rows isolated,
reruns skip finished clients. Small blocks (1-2 weeks) keep it fast."""

from __future__ import annotations

import csv
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from planner import batch as core
from tests.conftest import assert_sound, run_cli

CLIENTS_CSV = """\
client_id,weeks,equipment,sessions,days,minutes,level,goal,seed,config
ann,2,home,3,"mon,wed,fri",60,intermediate,strength,,
bob,1,home,2,,45,beginner,,3,
cleo,1,,,,,,endurance,,rules/coach.toml
"""
COACH_TOML = """\
[client]
level = "advanced"

[schedule]
sessions = 2
minutes = 50

[volume]
landmarks = { hamstrings = [6, 10, 16] }
session_sets = [9, 20]

[deload]
cut = 0.4

[prescription]
loads = { "romanian-deadlift-barbell" = { kg = 60 } }
"""


def write_clients(tmp_path: Path, name: str = "clients.csv", text: str = CLIENTS_CSV) -> Path:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "coach.toml").write_text(COACH_TOML)
    path = tmp_path / name
    path.write_text(text)
    return path


def without_solver(text: str) -> str:
    """The plan JSON up to its last key, ``solver`` (run-dependent: times, fingerprint)."""
    head, sep, _ = text.partition('\n  "solver": {')
    assert sep, "the plan JSON ends with its solver key"
    return head


def summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def failures(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]


def plans(out: Path) -> dict[str, str]:
    """Each plan file's text by client id, every plan through the checker."""
    found = {}
    for path in sorted(out.glob("*.json")):
        text = path.read_text()
        assert_sound(json.loads(text))
        found[path.stem] = text
    return found


def test_csv_plans_are_the_plans_solve_writes(tmp_path: Path) -> None:
    clients = write_clients(tmp_path)
    out = tmp_path / "plans"
    result = run_cli("batch", str(clients), "-o", str(out), "--workers", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # progress and the summary line go to stderr
    assert "3 planned, 0 skipped" in result.stderr
    found = plans(out)
    assert sorted(found) == ["ann", "bob", "cleo"]
    rows = summary(out)
    assert [(r["row"], r["client_id"], r["result"], r["status"]) for r in rows] == [
        ("2", "ann", "planned", "optimal"),
        ("3", "bob", "planned", "optimal"),
        ("4", "cleo", "planned", "optimal"),
    ]
    for row in rows:
        plan = json.loads(found[row["client_id"]])
        assert int(row["objective"]) == plan["coverage"]["objective"]
        assert int(row["coverage_score"]) == plan["coverage"]["score"]
    assert failures(out) == []

    # Row values sit over the row's constraint file, as flags do over --config.
    cleo = json.loads(found["cleo"])["constraints"]
    assert (cleo["client"]["level"], cleo["client"]["goal"]) == ("advanced", "endurance")
    assert (cleo["schedule"]["sessions"], cleo["schedule"]["minutes"]) == (2, 50)
    assert cleo["volume"]["landmarks"]["hamstrings"] == [6, 10, 16]
    assert cleo["volume"]["session_sets"] == [9, 20] and cleo["deload"]["cut"] == 0.4
    assert cleo["prescription"]["loads"] == {
        "romanian-deadlift-barbell": {"kg": 60.0, "one_rep_max": None}
    }
    solo = tmp_path / "cleo.json"
    solved = run_cli(
        "solve",
        "--config",
        str(tmp_path / "rules" / "coach.toml"),
        "--weeks",
        "1",
        "--goal",
        "endurance",
        "-f",
        "json",
        "-o",
        str(solo),
    )
    assert solved.exit_code == 0, solved.stderr
    assert without_solver(found["cleo"]) == without_solver(solo.read_text())
    solved = run_cli(
        "solve",
        "--weeks",
        "2",
        "--equipment",
        "home",
        "--sessions",
        "3",
        "--days",
        "mon,wed,fri",
        "--minutes",
        "60",
        "--goal",
        "strength",
        "-o",
        str(solo),
    )
    assert solved.exit_code == 0, solved.stderr
    assert without_solver(found["ann"]) == without_solver(solo.read_text())


def test_bad_rows_are_recorded_and_the_rest_go_on(tmp_path: Path) -> None:
    rows = [
        {"client_id": "good", "weeks": 1, "equipment": "home", "days": ["mon", "thu"]},
        {"client_id": "rocket", "weeks": 1, "equipment": "jetpack"},
        {"weeks": 1},
        {"client_id": "tight", "weeks": 1, "sessions": 3, "days": "mon,tue"},
        {"client_id": "GOOD", "weeks": 1},
        {"client_id": "../escape", "weeks": 1},
        {"client_id": "odd", "weeks": 99},
        {"client_id": "typo", "week": 1},
    ]
    text = "\n".join(json.dumps(r) for r in rows) + "\n\n{not json\n"
    clients = write_clients(tmp_path, "clients.jsonl", text)
    out = tmp_path / "plans"
    result = run_cli("batch", str(clients), "-o", str(out))
    assert result.exit_code == 1, result.stderr
    assert sorted(plans(out)) == ["good"]
    reasons = {f["row"]: (f["client_id"], f["reason"]) for f in failures(out)}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 10]
    assert reasons[2][0] == "rocket" and "unknown equipment 'jetpack'" in reasons[2][1]
    assert reasons[3] == (None, "missing client_id")
    assert reasons[4][0] == "tight" and "cannot all hold together" in reasons[4][1]
    assert "3 sessions a week" in reasons[4][1] and "mon, tue" in reasons[4][1]
    assert "duplicate client_id 'GOOD' (first on row 1)" in reasons[5][1]
    assert "not a safe file name" in reasons[6][1]
    assert reasons[7][1].startswith("weeks: 99 is not in the range")
    assert "unknown key(s) week" in reasons[8][1]
    assert reasons[10][1].startswith("not valid JSON")
    assert [r["result"] for r in summary(out)] == ["planned", *["failed"] * 8]
    assert not (tmp_path / "escape.json").exists()


def test_rerun_skips_finished_clients_and_force_redoes_them(tmp_path: Path) -> None:
    clients = write_clients(tmp_path)
    out = tmp_path / "plans"
    assert run_cli("batch", str(clients), "-o", str(out)).exit_code == 0
    first = plans(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    first_summary = summary(out)

    again = run_cli("batch", str(clients), "-o", str(out))
    assert again.exit_code == 0, again.stderr
    assert "0 planned, 3 skipped" in again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")} == stamps
    assert [r["result"] for r in summary(out)] == ["skipped"] * 3
    assert [{k: v for k, v in r.items() if k != "result"} for r in summary(out)] == [
        {k: v for k, v in r.items() if k != "result"} for r in first_summary
    ]

    # A plan that no longer passes the checker, or whose inputs changed, is planned again.
    bob = json.loads(first["bob"])
    bob["weeks"][0]["sessions"][0]["exercises"][0]["sets"] = 99
    (out / "bob.json").write_text(json.dumps(bob))
    clients.write_text(CLIENTS_CSV.replace("cleo,1,", "cleo,2,"))
    again = run_cli("batch", str(clients), "-o", str(out))
    assert again.exit_code == 0, again.stderr
    assert [r["result"] for r in summary(out)] == ["skipped", "planned", "planned"]
    redone = plans(out)
    assert without_solver(redone["bob"]) == without_solver(first["bob"])
    assert len(json.loads(redone["cleo"])["weeks"]) == 2

    forced = run_cli("batch", str(clients), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert [r["result"] for r in summary(out)] == ["planned"] * 3
    assert plans(out).keys() == redone.keys()


def test_the_work_limit_reaches_every_plan_and_its_fingerprint(tmp_path: Path) -> None:
    clients = write_clients(tmp_path)
    out = tmp_path / "plans"
    assert run_cli("batch", str(clients), "-o", str(out)).exit_code == 0
    again = run_cli("batch", str(clients), "-o", str(out), "--work-limit", "20")
    assert again.exit_code == 0, again.stderr
    assert [r["result"] for r in summary(out)] == ["planned"] * 3  # another budget: planned again
    assert {json.loads(text)["solver"]["work_limit"] for text in plans(out).values()} == {20}


def test_an_interrupt_keeps_the_plans_written(tmp_path: Path) -> None:
    items = core.load(write_clients(tmp_path), time_limit=60.0)
    out = tmp_path / "plans"
    out.mkdir()

    def interrupt(outcome: core.Outcome) -> None:
        raise KeyboardInterrupt

    with ThreadPoolExecutor(1) as executor, pytest.raises(KeyboardInterrupt):
        core.run(items, out, executor, on_outcome=interrupt)
    kept = plans(out)
    assert len(kept) == 1
    rows = summary(out)
    assert [r["result"] for r in rows].count("planned") == 1
    assert all(f["reason"] == "interrupted before its plan was written" for f in failures(out))

    with ThreadPoolExecutor(1) as executor:
        outcomes = core.run(items, out, executor)
    assert sorted(o.result for o in outcomes) == ["planned", "planned", "skipped"]
    assert next(o for o in outcomes if o.result == "skipped").client_id in kept


def test_file_and_usage_errors_exit_2(tmp_path: Path) -> None:
    out = str(tmp_path / "plans")
    bad_column = write_clients(tmp_path, "bad.csv", "client_id,weeks,colour\nann,1,red\n")
    result = run_cli("batch", str(bad_column), "-o", out)
    assert result.exit_code == 2 and "unknown column(s) colour" in result.stderr
    no_id = write_clients(tmp_path, "noid.csv", "weeks\n1\n")
    assert "no client_id column" in run_cli("batch", str(no_id), "-o", out).stderr
    for args, message in [
        ((str(tmp_path / "missing.csv"),), "cannot read"),
        ((str(write_clients(tmp_path, "clients.txt")),), "use .csv or .jsonl"),
        (
            (str(write_clients(tmp_path)), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"),
            "--workers is for local processes",
        ),
    ]:
        result = run_cli("batch", *args, "-o", out)
        assert result.exit_code == 2, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.output


def test_more_workers_than_cores_warns(tmp_path: Path) -> None:
    clients = write_clients(tmp_path, text="client_id,weeks\nsolo,1\n")
    result = run_cli("batch", str(clients), "-o", str(tmp_path / "plans"), "--workers", "999")
    assert result.exit_code == 0, result.stderr
    assert "warning: --workers 999 is more than the" in result.stderr
    assert sorted(plans(tmp_path / "plans")) == ["solo"]


def test_scheduler_without_distributed_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run_cli(
        "batch",
        str(write_clients(tmp_path)),
        "-o",
        str(tmp_path / "plans"),
        "--scheduler",
        "tcp://127.0.0.1:8786",
    )
    assert result.exit_code == 2
    assert "pip install 'posterior-planner[dist]'" in result.stderr


@pytest.fixture(scope="module")
def dask_cluster() -> Any:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster


def test_dask_cluster_plans_match_local_processes(tmp_path: Path, dask_cluster: Any) -> None:
    clients = write_clients(tmp_path, text=CLIENTS_CSV + "dud,1,hovercraft,,,,,,,\n")
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert run_cli("batch", str(clients), "-o", str(local), "--workers", "2").exit_code == 1
    result = run_cli(
        "batch", str(clients), "-o", str(remote), "--scheduler", dask_cluster.scheduler_address
    )
    assert result.exit_code == 1, result.stderr
    on_dask, on_local = plans(remote), plans(local)
    assert sorted(on_dask) == ["ann", "bob", "cleo"]
    assert {k: without_solver(v) for k, v in on_dask.items()} == {
        k: without_solver(v) for k, v in on_local.items()
    }
    assert [(f["row"], f["client_id"]) for f in failures(remote)] == [(5, "dud")]

    again = run_cli(
        "batch", str(clients), "-o", str(remote), "--scheduler", dask_cluster.scheduler_address
    )
    assert again.exit_code == 1
    assert [r["result"] for r in summary(remote)] == ["skipped"] * 3 + ["failed"]
    assert failures(remote) == failures(local)


def test_rows_are_read_by_the_options_table_and_the_config_loader(tmp_path: Path) -> None:
    rows = [
        {"client_id": "seedy", "seed": 2**32},
        {"client_id": "daisy", "days": ["mon", "wedn"]},
        {"client_id": "kit", "equipment": "dumbel"},
        {"client_id": "flag", "weeks": True},
        {"client_id": "lost", "config": "rules/missing.toml"},
        {"client_id": "fine", "weeks": "3", "days": "Mon,Thu", "start": "2026-12-07"},
    ]
    text = "".join(json.dumps(r) + "\n" for r in rows)
    items = core.load(write_clients(tmp_path, "clients.jsonl", text), 5.0)
    reasons = [item.reason for item in items if isinstance(item, core.Outcome)]
    assert reasons[0] == f"seed: {2**32} is not in the range 0-2147483647"
    assert reasons[1].startswith("days: unknown days wedn; did you mean 'wed'?")
    assert reasons[2].startswith("unknown equipment 'dumbel'; did you mean 'dumbbell'?")
    assert reasons[3] == "weeks: true is not a valid value"
    assert reasons[4].startswith("config: ") and "missing.toml: cannot read" in reasons[4]
    [job] = [item for item in items if isinstance(item, core.Job)]
    schedule = job.constraints.schedule
    assert (schedule.weeks, schedule.days, str(schedule.start)) == (3, ("mon", "thu"), "2026-12-07")
