"""Hostile batch input: a bad row fails alone and never costs a good row; constraint files stay in
the input file's folder; a report that cannot be written is reported, not a traceback."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import assert_sound, run_cli
from tests.test_hostile_cli import one_clear_line, planner

GOOD = {"client_id": "ann", "weeks": 1, "equipment": "home", "sessions": 2}


def batch(clients: Path, *args: str) -> Any:
    out = clients.parent / "plans"
    return run_cli("batch", str(clients), "-o", str(out), "--workers", "1", *args)


def failures(out: Path) -> dict[str, str]:
    lines = (out / "failures.jsonl").read_text().splitlines()
    return {str(f["row"]): f["reason"] for f in map(json.loads, lines)}


def summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def planned(out: Path) -> list[str]:
    names = sorted(p.stem for p in out.glob("*.json"))
    for name in names:
        assert_sound(json.loads((out / f"{name}.json").read_text()))
    return names


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"client_id": "bad", "weeks": Infinity}', "Infinity is not a number JSON allows"),
        ('{"client_id": "bad", "weeks": NaN}', "NaN is not a number JSON allows"),
        ('{"client_id": "bad", "weeks": 1e999}', "too large a number"),
        ('{"client_id": "bad", "seed": ' + "9" * 5000 + "}", "not valid JSON"),
        ('{"client_id": "bad", "seed": ' + "9" * 4000 + "}", "over 1000 characters"),
        ('{"client_id": "bad", "days": ' + "[" * 100_000 + "]" * 100_000 + "}", "not valid JSON"),
        ('{"client_id": "' + "x" * 200_000 + '"}', "over 1000 characters"),
    ],
    ids=["infinity", "nan", "overflow", "5000-digits", "4000-digits", "deep", "200kB"],
)
def test_a_hostile_jsonl_row_fails_alone(tmp_path: Path, line: str, reason: str) -> None:
    clients = tmp_path / "clients.jsonl"
    clients.write_text(f"{line}\n{json.dumps(GOOD)}\n")
    result = batch(clients)
    assert result.exit_code == 1, result.stderr
    out = tmp_path / "plans"
    assert planned(out) == ["ann"]
    found = failures(out)
    assert list(found) == ["1"] and reason in found["1"]
    assert len(found["1"]) < 400


def test_a_200_kb_csv_field_fails_only_its_row(tmp_path: Path) -> None:
    clients = tmp_path / "clients.csv"
    clients.write_text(
        "client_id,weeks,equipment,sessions,days\n"
        f"bob,1,home,2,{'mon' * 70_000}\n"
        'ann,1,home,2,"mon,thu"\n'
    )
    result = batch(clients)
    assert result.exit_code == 1, result.stderr
    out = tmp_path / "plans"
    assert planned(out) == ["ann"]
    assert failures(out) == {"2": "days: a value of over 1000 characters"}


def test_formula_text_in_reports_is_neutralised(tmp_path: Path) -> None:
    clients = tmp_path / "clients.jsonl"
    clients.write_text(json.dumps({"client_id": '=HYPERLINK("http://x")', "weeks": 1}) + "\n")
    assert batch(clients).exit_code == 1
    out = tmp_path / "plans"
    (row,) = summary(out)
    assert row["client_id"] == '\'=HYPERLINK("http://x")'
    (failure,) = (json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines())
    assert failure["client_id"].startswith("'=")
    assert failure["reason"][0] not in "=+-@"


def test_a_full_disk_for_the_reports_is_reported_and_the_plans_are_kept(tmp_path: Path) -> None:
    clients = tmp_path / "clients.jsonl"
    clients.write_text(json.dumps(GOOD) + "\n")
    out = tmp_path / "plans"
    out.mkdir()
    (out / "summary.csv").symlink_to("/dev/full")  # every write: No space left on device
    result = batch(clients)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "No space left" in result.stderr
    assert "kept" in result.stderr
    assert planned(out) == ["ann"]
    assert (out / "summary.csv").is_symlink()


# --- constraint files named by rows ---------------------------------------------------------------
SECRET = '[client]\nname = "private"\nsecret_key = 1\n'


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """clients/ holds the input and coach.toml; outside.toml sits one folder up."""
    inside = tmp_path / "clients"
    inside.mkdir()
    (inside / "coach.toml").write_text("[schedule]\nsessions = 2\n")
    (tmp_path / "outside.toml").write_text(SECRET)
    (tmp_path / "fine.toml").write_text("[schedule]\nsessions = 2\n")
    (inside / "link.toml").symlink_to(tmp_path / "outside.toml")
    return inside


def config_rows(folder: Path, configs: list[str]) -> Path:
    clients = folder / "clients.jsonl"
    clients.write_text(
        "".join(
            json.dumps({"client_id": f"c{n}", "weeks": 1, "equipment": "home", "config": config})
            + "\n"
            for n, config in enumerate(configs)
        )
    )
    return clients


def test_configs_outside_the_input_folder_are_refused_alike(folders: Path) -> None:
    outside = folders.parent / "outside.toml"
    clients = config_rows(
        folders,
        ["coach.toml", "../outside.toml", "../missing.toml", str(outside), "link.toml", "/etc/x"],
    )
    assert batch(clients).exit_code == 1
    out = folders / "plans"
    assert planned(out) == ["c0"]
    reasons = set(failures(out).values())
    assert len(reasons) == 1, reasons  # exists or not, readable or not: the same words
    (reason,) = reasons
    assert "--configs-anywhere" in reason
    assert "secret_key" not in reason and "outside" not in reason and "missing" not in reason


def test_configs_anywhere_lets_a_row_use_another_folder(folders: Path) -> None:
    clients = config_rows(folders, ["../fine.toml", "../outside.toml"])
    assert batch(clients, "--configs-anywhere").exit_code == 1
    out = folders / "plans"
    assert planned(out) == ["c0"]
    assert "secret_key" in failures(out)["2"]  # the user asked: the file's problems are named


# --- input files that are not files -------------------------------------------------------------


def test_a_device_or_fifo_as_batch_input_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "clients.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    for source in (fifo, zero):
        result = planner("batch", str(source), "-o", str(tmp_path / "plans"), timeout=20)
        assert result.returncode == 2
        assert "not a regular file" in one_clear_line(result.stderr)
