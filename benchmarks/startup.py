"""Start-up benchmark: whole-process wall time, CPU time and peak memory of the short commands,
next to ``python -c "from ortools.sat.python import cp_model"`` run in the same rounds.

    python benchmarks/startup.py                 # 21 rounds; writes results/startup.md and .json
    python benchmarks/startup.py --rounds 5 -o /tmp/startup

``benchmarks/run.py`` runs the same measurement in its full run. Each round runs every command once,
in a rotating order, so that other work on the machine slows them alike; a command's ratio is the
median over the rounds of its wall time over the import's in the same round. Peak memory is the
child process's ``ru_maxrss``. The planner's own modules are timed twice: compiled on every run,
as an editable install leaves them when ``PYTHONDONTWRITEBYTECODE`` is set, and with their bytecode
written beforehand (``python -m compileall planner``, as a regular install does) and the built-in
catalog kept parsed beside it (as any command's first run leaves it where bytecode is written);
the benchmark leaves both written.
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
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IMPORT_ORTOOLS = 'python -c "from ortools.sat.python import cp_model"'
DEFAULT_SOLVE = "planner solve --weeks 8 --equipment home"
CP_MODEL_SOLVE = f"PLANNER_CPSAT=cp_model {DEFAULT_SOLVE}"
QUICK_COMMANDS = (
    "planner --help",
    "planner validate examples/client.toml",
    "planner check plan.json",
)
MODES = {
    "compiled": "precompiled",
    "source": "compiled each run",
}


def planner_command() -> list[str]:
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner"]


def commands(plan: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Label -> (argv, environment overrides)."""
    planner = planner_command()
    solve = [*planner, "solve", "--weeks", "8", "--equipment", "home"]
    return {
        IMPORT_ORTOOLS: ([sys.executable, "-c", "from ortools.sat.python import cp_model"], {}),
        "python -c pass": ([sys.executable, "-c", "pass"], {}),
        DEFAULT_SOLVE: (solve, {}),
        CP_MODEL_SOLVE: (solve, {"PLANNER_CPSAT": "cp_model"}),
        "planner --help": ([*planner, "--help"], {}),
        "planner validate examples/client.toml": (
            [*planner, "validate", "examples/client.toml"],
            {},
        ),
        "planner check plan.json": ([*planner, "check", str(plan)], {}),
    }


# Runs one command and reports its wall and CPU seconds and peak memory. A child forked from this
# (large) process would start with this process's memory as its peak; one spawned from a small
# interpreter starts with that interpreter's.
LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.posix_spawn(
    sys.argv[1],
    sys.argv[1:],
    os.environ,
    file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ],
)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps([os.waitstatus_to_exitcode(status), wall, cpu, usage.ru_maxrss / 1024]))
"""


def run_once(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident MB of one process."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, *argv],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    code, wall, cpu, rss_mb = json.loads(done.stdout)
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {code}")
    return {"wall": wall, "cpu": cpu, "rss_mb": rss_mb}


def measure(rounds: int, plan: Path) -> dict[str, dict[str, Any]]:
    """Every command once a round, in a rotating order, after one warm-up round."""
    table = commands(plan)
    labels = list(table)
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
    for r in range(rounds + 1):
        order = labels[r % len(labels) :] + labels[: r % len(labels)]
        got = {label: run_once(*table[label]) for label in order}
        if not r:
            continue
        for label in labels:
            runs[label].append(
                {
                    **got[label],
                    "ratio": got[label]["wall"] / got[IMPORT_ORTOOLS]["wall"],
                    "cpu_ratio": got[label]["cpu"] / got[IMPORT_ORTOOLS]["cpu"],
                    "vs_cp_model": got[label]["wall"] / got[CP_MODEL_SOLVE]["wall"],
                }
            )
    return {
        label: {
            "wall_seconds": statistics.median(x["wall"] for x in rs),
            "cpu_seconds": statistics.median(x["cpu"] for x in rs),
            "ratio": statistics.median(x["ratio"] for x in rs),
            "ratio_range": [min(x["ratio"] for x in rs), max(x["ratio"] for x in rs)],
            "cpu_ratio": statistics.median(x["cpu_ratio"] for x in rs),
            "vs_cp_model": statistics.median(x["vs_cp_model"] for x in rs),
            "peak_mb": statistics.median(x["rss_mb"] for x in rs),
            "rounds": len(rs),
        }
        for label, rs in runs.items()
    }


BUILD = """
import statistics, time
from planner.constraints import Constraints
from planner.cpsat import PROTO_ADAPTER
from planner.instance import build_instance
from planner.model import build
request = {"schedule.weeks": 8, "equipment.profile": "home"}
inst = build_instance(Constraints().with_overrides(**request))
times = []
for _ in range(16):
    started = time.process_time()
    build(inst)
    times.append(time.process_time() - started)
print(PROTO_ADAPTER, statistics.median(times[1:]))
"""


# Where the default command's time goes: its steps in order, in one process (wall seconds).
BREAKDOWN = """
import json, time
marks = [("start", time.perf_counter())]
import click, planner.cli, planner.cli_solve
marks.append(("click and the command line", time.perf_counter()))
import pydantic, planner.constraints, planner.config, planner.plan
marks.append(("pydantic and the validated data (constraints, catalog, plan)", time.perf_counter()))
import planner.cpsat
marks.append(("CP-SAT (planner.cpsat: OR-Tools' C++ extension)", time.perf_counter()))
import planner.render.markdown, planner.solve
marks.append(("the solver layer and the Markdown renderer", time.perf_counter()))
from planner.config import apply_options
request = apply_options(planner.constraints.Constraints(), {"weeks": 8, "equipment": "home"})
marks.append(("the request (the built-in catalog read and validated)", time.perf_counter()))
from planner.solve import solve
result = solve(request)
marks.append(("solve(): instance, model, search and plan", time.perf_counter()))
plan = json.loads(result.plan.model_dump_json())
planner.render.render(plan, "md")
marks.append(("the plan's JSON and its Markdown", time.perf_counter()))
steps = {b[0]: b[1] - a[1] for a, b in zip(marks, marks[1:])}
steps["of solve(): model building"] = result.plan.solver["build_seconds"]
steps["of solve(): search"] = result.plan.solver["solve_seconds"]
print(json.dumps(steps))
"""


def breakdown(rounds: int) -> dict[str, float]:
    """The median over ``rounds`` fresh processes of each step of the default command."""
    got: dict[str, list[float]] = {}
    for _ in range(rounds):
        done = subprocess.run(
            [sys.executable, "-c", BREAKDOWN], cwd=ROOT, capture_output=True, text=True, check=True
        )
        for step, seconds in json.loads(done.stdout).items():
            got.setdefault(step, []).append(seconds)
    return {step: statistics.median(times) for step, times in got.items()}


def build_seconds(rounds: int) -> dict[str, float]:
    """CPU seconds to build the default block's model in a warm process (the median of 15 builds
    each round, then the median over the rounds), through the adapter and through cp_model."""
    got: dict[str, list[float]] = {"cpsat_proto": [], "cp_model": []}
    for _ in range(rounds):
        for api, setting in (("cpsat_proto", ""), ("cp_model", "cp_model")):
            done = subprocess.run(
                [sys.executable, "-c", BUILD],
                cwd=ROOT,
                env={**os.environ, "PLANNER_CPSAT": setting},
                capture_output=True,
                text=True,
                check=True,
            )
            adapter, seconds = done.stdout.split()
            if (adapter == "True") != (api == "cpsat_proto"):
                raise RuntimeError(f"{api} was not in use")
            got[api].append(float(seconds))
    return {api: statistics.median(times) for api, times in got.items()}


def keep_catalog_parsed() -> None:
    """The built-in catalog's files kept parsed beside the bytecode, as the first run of any
    command leaves them where bytecode is written (``planner.catalog.builtin_toml``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = "from planner.catalog import builtin_catalog; builtin_catalog()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def measure_startup(rounds: int) -> dict[str, Any]:
    """Both modes (planner bytecode compiled on every run, then written beforehand)."""
    saved = os.environ.get("PYTHONDONTWRITEBYTECODE")
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            plan = Path(tmp) / "plan.json"
            subprocess.run(
                [*planner_command(), "solve", "--weeks", "8", "--equipment", "home", "-o", plan],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            status = json.loads(plan.read_text("utf-8"))["status"]
            if status != "optimal":
                raise RuntimeError(f"{DEFAULT_SOLVE}: {status}, not proven optimal")
            for cache in (ROOT / "planner").rglob("__pycache__"):
                shutil.rmtree(cache)
            source = measure(rounds, plan)
            compileall.compile_dir(ROOT / "planner", quiet=1)
            keep_catalog_parsed()
            compiled = measure(rounds, plan)
    finally:
        if saved is None:
            del os.environ["PYTHONDONTWRITEBYTECODE"]
        else:
            os.environ["PYTHONDONTWRITEBYTECODE"] = saved
    return {
        "rounds": rounds,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "compiled": compiled,
        "source": source,
        "build_cpu_seconds": build_seconds(max(1, rounds // 4)),
        "breakdown": breakdown(rounds),
    }


def markdown_lines(data: dict[str, Any]) -> list[str]:
    """The start-up table: each command in both modes."""
    lines = [
        "| command | planner modules | median wall s | median CPU s | wall ratio to the import "
        "(median, range) | CPU ratio | peak MB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for mode, words in MODES.items():
        for label, m in data[mode].items():
            lo, hi = m["ratio_range"]
            lines.append(
                f"| `{label}` | {words} | {m['wall_seconds']:.3f} | {m['cpu_seconds']:.3f} | "
                f"{m['ratio']:.2f} ({lo:.2f}-{hi:.2f}) | {m['cpu_ratio']:.2f} | "
                f"{m['peak_mb']:.0f} |"
            )
    lines += [
        "",
        "Where the default command's time goes (planner modules precompiled; each step's median "
        "wall seconds over fresh processes, Python's own start-up excluded):",
        "",
        "| step | s |",
        "|---|---:|",
        *[f"| {step} | {seconds:.3f} |" for step, seconds in data["breakdown"].items()],
    ]
    build = data["build_cpu_seconds"]
    lines += [
        "",
        f"Building the default block's model in a warm process (CPU, median): "
        f"{1000 * build['cpsat_proto']:.1f} ms through planner.cpsat_proto, "
        f"{1000 * build['cp_model']:.1f} ms through cp_model.",
    ]
    return lines


def targets(data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for the start-up targets of the speed issue."""
    out = []
    for mode, words in MODES.items():
        solve, today = data[mode][DEFAULT_SOLVE], data[mode][CP_MODEL_SOLVE]
        out.append(
            (
                f"`{DEFAULT_SOLVE}` (proven optimal) faster than `{IMPORT_ORTOOLS}` alone, "
                f"planner modules {words}",
                f"ratio {solve['ratio']:.2f} (median of {solve['rounds']} paired rounds; CPU "
                f"{solve['cpu_ratio']:.2f}; "
                f"{solve['wall_seconds']:.3f} s, peak {solve['peak_mb']:.0f} MB); through "
                f"cp_model: ratio {today['ratio']:.2f}, {today['peak_mb']:.0f} MB",
                solve["ratio"] < 1.0,
            )
        )
    for label in QUICK_COMMANDS:
        for mode, words in MODES.items():
            wall = data[mode][label]["wall_seconds"]
            out.append(
                (f"`{label}` under 0.3 s, planner modules {words}", f"{wall:.3f} s", wall < 0.3)
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("-o", "--output", type=Path, default=HERE / "results" / "startup")
    args = parser.parse_args()
    data = measure_startup(args.rounds)
    data["targets"] = [{"target": t, "measured": m, "met": ok} for t, m, ok in targets(data)]
    text = "\n".join(
        [
            "# Start-up",
            "",
            f"`python benchmarks/startup.py --rounds {args.rounds}`; load average at the end "
            f"{data['load_average']}. See benchmarks/README.md.",
            "",
            *markdown_lines(data),
            "",
            "| target | measured | |",
            "|---|---|---|",
            *[
                f"| {t['target']} | {t['measured']} | {'met' if t['met'] else 'NOT met'} |"
                for t in data["targets"]
            ],
        ]
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    for suffix, content in ((".md", text + "\n"), (".json", json.dumps(data, indent=2) + "\n")):
        target = args.output.with_suffix(suffix)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_text(content, "utf-8")
        os.replace(partial, target)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
