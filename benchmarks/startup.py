"""Start-up benchmark: whole-process wall time, CPU time and peak memory of the short commands,
next to ``python -c "from ortools.sat.python import cp_model"`` run in the same rounds.

    python benchmarks/startup.py              # 21 rounds; results/startup.md and .json
    python benchmarks/startup.py --rounds 5 -o /tmp/startup

Each round runs every command once, in a rotating order, so that other work on the machine slows
them alike; a command's ratio is the median over the rounds of its wall time over the import's in
the same round. Peak memory is the child's ``ru_maxrss``. The planner's own modules are timed as an
editable install with ``PYTHONDONTWRITEBYTECODE`` set leaves them (compiled on every run) and with
their bytecode written beforehand (``python -m compileall planner``, as a regular install does).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IMPORT_ORTOOLS = 'python -c "from ortools.sat.python import cp_model"'
DEFAULT_SOLVE = "planner solve --weeks 8 --equipment home"


def planner_command() -> list[str]:
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner"]


def commands(plan: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Label -> (argv, environment overrides)."""
    planner = planner_command()
    return {
        IMPORT_ORTOOLS: ([sys.executable, "-c", "from ortools.sat.python import cp_model"], {}),
        "python -c pass": ([sys.executable, "-c", "pass"], {}),
        DEFAULT_SOLVE: ([*planner, "solve", "--weeks", "8", "--equipment", "home"], {}),
        f"PLANNER_CPSAT=cp_model {DEFAULT_SOLVE}": (
            [*planner, "solve", "--weeks", "8", "--equipment", "home"],
            {"PLANNER_CPSAT": "cp_model"},
        ),
        "planner --help": ([*planner, "--help"], {}),
        "planner validate examples/client.toml": (
            [*planner, "validate", "examples/client.toml"],
            {},
        ),
        "planner check plan.json": ([*planner, "check", str(plan)], {}),
    }


def run_once(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident MB of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {child.returncode}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
    }


def measure(rounds: int, plan: Path) -> dict[str, dict[str, Any]]:
    """Every command once a round, in a rotating order, after one warm-up round."""
    table = commands(plan)
    labels = list(table)
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
    for r in range(rounds + 1):
        order = labels[r % len(labels) :] + labels[: r % len(labels)]
        got = {label: run_once(*table[label]) for label in order}
        if r:
            for label in labels:
                runs[label].append(
                    {**got[label], "ratio": got[label]["wall"] / got[IMPORT_ORTOOLS]["wall"]}
                )
    return {
        label: {
            "wall_median": statistics.median(x["wall"] for x in rs),
            "cpu_median": statistics.median(x["cpu"] for x in rs),
            "ratio_median": statistics.median(x["ratio"] for x in rs),
            "ratio_max": max(x["ratio"] for x in rs),
            "rss_mb_median": statistics.median(x["rss_mb"] for x in rs),
            "rounds": len(rs),
        }
        for label, rs in runs.items()
    }


def without_bytecode() -> None:
    for cache in (ROOT / "planner").rglob("__pycache__"):
        shutil.rmtree(cache)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("-o", "--output", type=Path, default=HERE / "results" / "startup")
    args = parser.parse_args()
    data: dict[str, Any] = {"rounds": args.rounds, "load_average": list(os.getloadavg())}
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.json"
        subprocess.run(
            [*planner_command(), "solve", "--weeks", "8", "--equipment", "home", "-o", str(plan)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        without_bytecode()
        data["without_bytecode"] = measure(args.rounds, plan)
        compileall.compile_dir(ROOT / "planner", quiet=1)
        data["with_bytecode"] = measure(args.rounds, plan)
    print(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
