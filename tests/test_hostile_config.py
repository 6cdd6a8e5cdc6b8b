"""Values a constraint file or a flag may hold that no plan can use are refused up front (exit 2,
a message naming the key), and a time limit bounds the whole command, explanation included."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli

UNUSABLE = {
    "huge fatigue cap": ("[volume]\nweek_fatigue_max = 9223372036854775807\n", "week_fatigue_max"),
    "infinite ratio": ("[balance]\nhip_knee_ratio = [1.0, inf]\n", "hip_knee_ratio"),
    "astronomic ratio": ("[balance]\nhip_knee_ratio = [1e300, 1e308]\n", "hip_knee_ratio"),
    "huge weight": ("[objective.muscle_weights]\nhamstrings = 1e15\n", "hamstrings"),
    "negative weight": ("[objective.muscle_weights]\nhamstrings = -5\n", "hamstrings"),
    "negative landmark": ("[volume.landmarks]\nhamstrings = [-1, 4, 8]\n", "hamstrings"),
    "removed key": ("[objective]\nvariety = 4611686018427387904\n", "variety"),
    "huge seed": ("seed = 9223372036854775807\n", "seed"),
    "boolean weeks": ("[schedule]\nweeks = true\n", "weeks"),
    "text weeks": ('[schedule]\nweeks = "8"\n', "weeks"),
    "rir rising": ("[prescription.rir]\nintermediate = [1, 3]\n", "rir"),
    "deloads back to back": ("[deload]\nweeks = [4, 5]\n", "deload"),
    "deep deload cut": ("[deload]\ncut = 0.9\n", "cut"),
}


@pytest.mark.parametrize("text,key", UNUSABLE.values(), ids=list(UNUSABLE))
def test_validate_and_solve_refuse_values_no_plan_can_use(
    tmp_path: Path, text: str, key: str
) -> None:
    path = tmp_path / "client.toml"
    path.write_text(text)
    checked = run_cli("validate", str(path))
    assert checked.exit_code == 2 and key in checked.stderr, checked.stderr
    solved = run_cli("solve", "--config", str(path), "-o", str(tmp_path / "plan.json"))
    assert solved.exit_code == 2 and key in solved.stderr, solved.stderr
    assert not (tmp_path / "plan.json").exists()


@pytest.mark.parametrize(
    "flag,value", [("--seed", "2147483648"), ("--time-limit", "nan"), ("--weeks", "53")]
)
def test_flags_out_of_range_are_usage_errors(flag: str, value: str) -> None:
    result = run_cli("solve", flag, value)
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_an_oversized_catalog_is_refused(tmp_path: Path) -> None:
    entry = (
        '[[exercise]]\nid = "x{0}"\nname = "X {0}"\nblock = "cooldown"\npattern = "stretch"\n'
        'muscles = {{ hamstrings = 1.0 }}\nlevel = "beginner"\nfatigue = 0\nhold_seconds = 30\n'
        'default_sets = 1\nsources = ["000"]\n'
    )
    catalog = tmp_path / "big.toml"
    catalog.write_text("".join(entry.format(i) for i in range(3001)))
    config = tmp_path / "client.toml"
    config.write_text(f'catalog = "{catalog.name}"\n')
    result = run_cli("solve", "--config", str(config), "--time-limit", "5")
    assert result.exit_code == 2 and "at most 3000" in result.stderr


def test_the_time_limit_bounds_a_long_infeasible_request_with_its_explanation(
    tmp_path: Path,
) -> None:
    started = time.perf_counter()
    result = subprocess.run(
        [
            *(sys.executable, "-m", "planner", "solve", "--weeks", "52", "--equipment", "gym"),
            *("--minutes", "30", "--time-limit", "3", "-o", str(tmp_path / "plan.json")),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 1 and "cannot all hold together" in result.stderr
    # Python start-up and imports come on top of the limit; the work itself keeps within it.
    assert elapsed < 3 + 10, elapsed
    assert not (tmp_path / "plan.json").exists()
