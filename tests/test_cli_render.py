"""``planner render`` at its seams: the shared option and error wording, and no solver loaded."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "tests" / "data" / "plan-4w.json"


def test_a_file_that_is_not_a_plan_names_the_key_paths(tmp_path: Path) -> None:
    plan = json.loads(PLAN.read_text())
    plan["weeks"][0]["week"] = "one"
    del plan["coverage"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(plan))
    result = run_cli("render", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}: not a plan (")
    assert "weeks[0].week: Input should be a valid integer" in result.stderr
    assert "coverage: Field required" in result.stderr


def test_start_is_the_option_of_the_table(tmp_path: Path) -> None:
    bad = run_cli("render", str(PLAN), "--start", "2027-02-30")
    assert bad.exit_code == 2
    assert "Invalid value for '--start': '2027-02-30' is not a date (YYYY-MM-DD)" in bad.stderr
    out = tmp_path / "plan.csv"
    moved = run_cli("render", str(PLAN), "-o", str(out), "--start", "2027-01-04")
    assert moved.exit_code == 0
    date = next(csv.DictReader(io.StringIO(out.read_text())))["date"]
    assert "2027-01-04" <= date <= "2027-01-10"  # the first week starts that Monday


def test_render_never_loads_the_solver(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from planner.cli import main\n"
        f"main.main(['render', {str(PLAN)!r}, '-o', {str(tmp_path / 'plan.md')!r}], "
        "standalone_mode=False)\n"
        "print('ortools' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "False"
    assert (tmp_path / "plan.md").read_text().startswith("# 4-week")
