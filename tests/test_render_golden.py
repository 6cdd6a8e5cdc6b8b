"""Golden files: the text formats of a committed 4-week plan, byte for byte.

The fixture was made once with
``planner solve --weeks 4 --equipment home --start 2026-12-07 -f json -o tests/data/plan-4w.json``
and is not solved again here (a change to the model may change that plan; the goldens pin the
renderers). After an intended change to a renderer, or after making the fixture again, rewrite the
goldens with ``UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from planner.render import render
from tests.conftest import assert_sound, run_cli, solve_json

HERE = Path(__file__).parent
FIXTURE = HERE / "data" / "plan-4w.json"
GOLDEN = HERE / "golden"
SOLVE_ARGS = ("--weeks", "4", "--equipment", "home", "--start", "2026-12-07", "-f", "json")
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)  # stamps the calendar events
TEXT_FORMATS = ("md", "csv", "ics", "json")


def without_solver(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan minus its run-dependent ``solver`` key (times, versions)."""
    return {k: v for k, v in plan.items() if k != "solver"}


def rendered(plan: dict[str, Any], fmt: str) -> bytes:
    """``fmt`` as stored in the golden file: JSON without the solver key, the rest as rendered."""
    text = render(without_solver(plan) if fmt == "json" else plan, fmt, now=NOW)
    assert isinstance(text, str)
    return text.encode("utf-8")


def compare(plan: dict[str, Any], fmt: str) -> None:
    golden = GOLDEN / f"plan-4w.{fmt}"
    got = rendered(plan, fmt)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(got)
    assert golden.exists(), f"missing {golden}; write it with UPDATE_GOLDEN=1"
    assert got == golden.read_bytes(), f"{fmt} differs from {golden}"


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_fixture_renders_as_the_golden_file(fmt: str) -> None:
    compare(assert_sound(json.loads(FIXTURE.read_text("utf-8"))), fmt)


def test_the_run_dependent_solver_key_changes_no_output() -> None:
    plan = json.loads(FIXTURE.read_text("utf-8"))
    other = {
        **plan,
        "solver": {
            **plan["solver"],
            "wall_seconds": 99.9,
            "solve_seconds": 98.7,
            "ortools_version": "0.0",
        },
    }
    for fmt in ("md", "csv", "ics", "html", "xlsx"):
        assert render(other, fmt, now=NOW) == render(plan, fmt, now=NOW)


def test_planner_render_regenerates_the_golden_files(tmp_path: Path) -> None:
    """``planner render`` writes each golden file again (the calendar apart from its DTSTAMP, the
    time of writing; the JSON apart from its solver key)."""
    for fmt in TEXT_FORMATS:
        out = tmp_path / f"plan-4w.{fmt}"
        result = run_cli("render", str(FIXTURE), "-o", str(out))
        assert result.exit_code == 0, result.output
        golden = (GOLDEN / out.name).read_bytes()
        if fmt == "ics":
            assert unstamped(out.read_bytes()) == unstamped(golden)
            assert unstamped(golden) != golden  # the golden does hold a stamp to leave out
        elif fmt == "json":
            assert without_solver(json.loads(out.read_bytes())) == json.loads(golden)
        else:
            assert out.read_bytes() == golden, fmt


def unstamped(ics: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:-", ics)


def test_two_solves_render_the_same_text(tmp_path: Path) -> None:
    """Run-dependent solver data (times) differ between solves; no text format shows them."""
    runs = [tmp_path / "first", tmp_path / "second"]
    for run in runs:
        run.mkdir()
    first, second = (solve_json(run, *SOLVE_ARGS) for run in runs)
    for fmt in TEXT_FORMATS:
        assert rendered(first, fmt) == rendered(second, fmt), fmt
