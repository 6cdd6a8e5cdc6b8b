"""Batch throughput: generated clients (4-16 weeks, every kit, level, goal and session cap),
planned with ``planner batch`` on local processes and on a 2-worker Dask LocalCluster; every plan
is checked and the two runs compared. Peak memory of a batch worker and of the default solve.

    python benchmarks/batch.py                  # 1,000 clients, both paths
    python benchmarks/batch.py --clients 100    # the first 100 of the same 1,000
    python benchmarks/batch.py --dask-clients 200   # all 1,000 locally, the first 200 on Dask
    python benchmarks/batch.py --clients 40         # a quick sample of the same clients
    python benchmarks/batch.py --no-dask            # the local path only

Writes benchmarks/results/batch.md and batch.json (machine description included).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from planner import check

RESULTS = Path(__file__).parent / "results"
SEED = 20261121
WEEKS = (4, 16)  # each client's block length, drawn from this range
EQUIPMENT = (
    "gym",
    "home",
    "bodyweight",
    "home,pull_up_bar",
    "bodyweight,band,pull_up_bar",
    "dumbbell,bench",
    "barbell,squat_rack,bench,pull_up_bar",
)
# Days that leave room for the sessions 48 h apart, across the week boundary too.
DAYS = {
    2: ("mon,thu", "tue,fri", "wed,sat", "mon,wed,fri", "tue,thu,sat,sun", ""),
    3: ("mon,wed,fri", "tue,thu,sat", "mon,wed,fri,sat", "mon,tue,wed,thu,fri", ""),
}
MINUTES = (40, 45, 50, 60, 75, 90)
LEVELS = ("beginner", "intermediate", "advanced")
GOALS = ("general", "strength", "hypertrophy", "endurance")
NO_PLAN = "no plan satisfies all the rules"
COLUMNS = (
    "client_id",
    "weeks",
    "equipment",
    "sessions",
    "days",
    "minutes",
    "level",
    "goal",
    "seed",
)


def generate(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` varied clients, the same ones for the same seed (a prefix of a longer list)."""
    rng = random.Random(seed)
    clients = []
    for n in range(1, count + 1):
        sessions = rng.choice((2, 3, None))
        clients.append(
            {
                "client_id": f"client-{n:04d}",
                "weeks": rng.randint(*WEEKS),
                "equipment": rng.choice(EQUIPMENT),
                "sessions": sessions or "",
                "days": rng.choice(DAYS[sessions or 3]),
                "minutes": rng.choice(MINUTES),
                "level": rng.choice(LEVELS),
                "goal": rng.choice(GOALS),
                "seed": rng.randrange(100),
            }
        )
    return clients


def write_csv(path: Path, clients: list[dict[str, Any]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(clients)


def run_batch(clients: Path, out: Path, *extra: str) -> float:
    """``planner batch`` as a user runs it; its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner", "batch", str(clients), "-o", str(out), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"planner batch failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def verify(out: Path, clients: list[dict[str, Any]]) -> dict[str, Any]:
    """Every plan through the checker; statuses, solve times, failures."""
    statuses: dict[str, int] = {}
    solve: dict[str, list[float]] = {}
    by: dict[str, dict[Any, list[float]]] = {"weeks": {}, "minutes": {}}
    build: list[float] = []
    slow: list[dict[str, Any]] = []
    unsound = []
    for client in clients:
        path = out / f"{client['client_id']}.json"
        if not path.exists():
            continue
        plan = json.loads(path.read_text())
        if check(plan):
            unsound.append(client["client_id"])
        statuses[plan["status"]] = statuses.get(plan["status"], 0) + 1
        seconds = plan["solver"]["wall_seconds"]
        solve.setdefault(client["equipment"], []).append(seconds)
        for key, times in by.items():
            times.setdefault(client[key], []).append(seconds)
        if client["weeks"] == 8:
            build.append(plan["solver"]["build_seconds"])
        if seconds > 10 or plan["status"] != "optimal":
            slow.append({**client, "status": plan["status"], "seconds": seconds})
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]
    # A proof that the client's rules leave no plan (a 40-minute cap with strength rest times) is
    # an answer, not a failure of the planner.
    no_plan = [f for f in failures if f["reason"].startswith(NO_PLAN)]
    every = [s for times in solve.values() for s in times]
    return {
        "plans": sum(statuses.values()),
        "statuses": statuses,
        "failed": len(failures),
        "proven_no_plan": len(no_plan),
        "failures": failures[:20],
        "failing_check": unsound,
        "solve_seconds_total": round(sum(every), 2),
        "solve_seconds_mean": round(statistics.fmean(every), 3) if every else None,
        "solve_seconds_median": round(statistics.median(every), 3) if every else None,
        "solve_seconds_max": round(max(every), 2) if every else None,
        "over_10_s": len([s for s in every if s > 10]),
        "slow": slow[:20],
        "build_seconds_8_weeks_median": round(statistics.median(build), 4) if build else None,
        "solve_seconds_by_equipment": spread(solve),
        **{f"solve_seconds_by_{key}": spread(times) for key, times in by.items()},
    }


def spread(times: dict[Any, list[float]]) -> dict[str, dict[str, float]]:
    return {
        str(key): {"plans": len(t), "mean": round(statistics.fmean(t), 3), "max": round(max(t), 2)}
        for key, t in sorted(times.items())
    }


def without_solver(text: str) -> str:
    return text.partition('\n  "solver": {')[0]


def same_plans(a: Path, b: Path, clients: list[dict[str, Any]]) -> dict[str, Any]:
    """How many plans are byte-identical apart from ``solver`` on both paths; the others named,
    with their statuses."""
    compared, differing = 0, []
    for client in clients:
        pa, pb = a / f"{client['client_id']}.json", b / f"{client['client_id']}.json"
        if pa.exists() and pb.exists():
            compared += 1
            ta, tb = pa.read_text(), pb.read_text()
            if without_solver(ta) != without_solver(tb):
                differing.append(
                    {
                        "client_id": client["client_id"],
                        "local": json.loads(ta)["status"],
                        "dask": json.loads(tb)["status"],
                    }
                )
    return {"compared": compared, "identical": compared - len(differing), "differing": differing}


def echo(payload: str) -> str:
    return payload


def round_trip(executor: Executor, tasks: int, payload: str) -> float:
    """Per-task overhead (ms) of submitting a do-nothing task carrying a plan-sized result back."""
    list(executor.map(echo, ["warm"] * 4))
    started = time.perf_counter()
    futures = [executor.submit(echo, payload) for _ in range(tasks)]
    for future in futures:
        future.result()
    return 1000 * (time.perf_counter() - started) / tasks


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import distributed
    import ortools

    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "ortools": ortools.__version__,
        "distributed": distributed.__version__,
        "platform": platform.platform(),
    }


def source_digest() -> str:
    """A hash of the planner's code and catalog: the plans are only comparable if it holds still."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*root.glob("planner/**/*.py"), *root.glob("catalog/*.toml")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def timed_run(table: Path, out: Path, clients: list[dict[str, Any]], *extra: str) -> dict[str, Any]:
    seconds = run_batch(table, out, *extra)
    found = verify(out, clients)
    return {
        "clients": len(clients),
        "seconds": round(seconds, 2),
        **found,
        "plans_per_second": round(found["plans"] / seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--dask-clients", type=int, help="the first N clients on Dask (all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true", help="the local path only")
    parser.add_argument(
        "--memory-clients", type=int, default=100, help="clients one worker plans for its peak"
    )
    args = parser.parse_args()
    clients = generate(args.clients)
    on_dask = clients[: args.dask_clients or args.clients]
    report: dict[str, Any] = {
        "clients": args.clients,
        "weeks": WEEKS,
        "seed": SEED,
        "workers": args.workers,
        "machine": machine(),
        "source": source_digest(),
        "load_average_before": os.getloadavg(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        local, dask = work / "local", work / "dask"
        write_csv(work / "clients.csv", clients)
        write_csv(work / "dask.csv", on_dask)
        report["local"] = timed_run(
            work / "clients.csv", local, clients, "--workers", str(args.workers)
        )
        save(report)
        report["peak_rss_mb"] = {
            "default_solve": peak_rss_mb(
                [sys.executable, "-m", "planner", "solve", "--weeks", "8", "--equipment", "home"]
            ),
            "batch_worker": worker_peak_rss_mb(work / "clients.csv", args.memory_clients),
            "worker_clients": min(args.memory_clients, len(clients)),
        }
        save(report)
        if args.no_dask:
            print(markdown(report))
            return
        from distributed import Client, LocalCluster

        with LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ) as cluster:
            report["dask"] = timed_run(
                work / "dask.csv", dask, on_dask, "--scheduler", cluster.scheduler_address
            )
            payload = next(local.glob("client-*.json")).read_text()
            with Client(cluster) as client:
                dask_ms = round_trip(client.get_executor(pure=False), 1000, payload)
        with ProcessPoolExecutor(args.workers) as pool:
            local_ms = round_trip(pool, 1000, payload)
        report["identical_plans"] = same_plans(local, dask, on_dask)
    report["overhead_ms_per_task"] = {
        "local": round(local_ms, 2),
        "dask": round(dask_ms, 2),
        "payload_bytes": len(payload.encode()),
    }
    save(report)
    print(markdown(report))


PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

WORKER = """
import resource, sys
from pathlib import Path
from planner.batch import load, plan_client
jobs = [job for job in load(Path(sys.argv[1]), 60.0) if hasattr(job, "task")]
for job in jobs[: int(sys.argv[2])]:
    plan_client(job.task)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory (MB) of ``command``, run in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *command], capture_output=True, text=True, check=True
    )
    return round(int(done.stdout) / 1024, 1)


def worker_peak_rss_mb(table: Path, count: int) -> float:
    """Peak resident memory (MB) of one process planning the first ``count`` clients in a row, as
    a batch worker does."""
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(table), str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    return round(int(done.stdout) / 1024, 1)


def save(report: dict[str, Any]) -> None:
    """batch.json and batch.md, as far as the run has got."""
    report["load_average_after"] = os.getloadavg()
    report["source_unchanged"] = source_digest() == report["source"]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "batch.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "batch.md").write_text(markdown(report))


def dask_subset(r: dict[str, Any]) -> str:
    dask = r.get("dask", {}).get("clients", r["clients"])
    return f" --dask-clients {dask}" if dask < r["clients"] else ""


def markdown(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        "# Batch throughput",
        "",
        f"`python benchmarks/batch.py --clients {r['clients']}"
        f"{dask_subset(r)}`: generated clients (seed "
        f"{r['seed']}), {r['weeks'][0]}-{r['weeks'][1]} weeks, every kit, level, goal and "
        f"session cap ({', '.join(map(str, MINUTES))} minutes), {r['workers']} workers, "
        "`planner batch` run as a user runs it (default budget); every plan put through the "
        "checker.",
        "",
        f"Machine: {m['nproc']} cores, {m['cpu_model']}, Python {m['python']}, OR-Tools "
        f"{m['ortools']}, distributed {m['distributed']}; load average before "
        f"{', '.join(f'{x:.2f}' for x in r['load_average_before'])}, after "
        f"{', '.join(f'{x:.2f}' for x in r['load_average_after'])}. Planner source "
        f"{r['source']}{'' if r['source_unchanged'] else ' (CHANGED during the run)'}.",
        "",
        "| path | clients | optimal | feasible | failed | failing check | wall s | plans/s |"
        " mean solve s | median | max |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in ("local", "dask"):
        if name not in r:
            continue
        p = r[name]
        lines.append(
            f"| {name} | {p['clients']} | {p['statuses'].get('optimal', 0)} | "
            f"{p['statuses'].get('feasible', 0)} | {p['failed']} | {len(p['failing_check'])} | "
            f"{p['seconds']} | {p['plans_per_second']} | {p['solve_seconds_mean']} | "
            f"{p['solve_seconds_median']} | {p['solve_seconds_max']} |"
        )
    local = r["local"]
    solving = local["solve_seconds_total"] / r["workers"]
    met = (
        local["seconds"] < 120
        and local["failed"] == local["proven_no_plan"]
        and local["statuses"].get("optimal", 0) + local["failed"] == local["clients"]
        and local["over_10_s"] == 0
    )
    if local["clients"] >= 1000:
        verdict = f"{'met' if met else 'not met'}: {local['clients']} clients took"
    else:
        rate = local["plans_per_second"]
        verdict = (
            f"not measured here (at {rate} plans/s, 1,000 clients would take about "
            f"{1000 / rate if rate else float('inf'):.0f} s): {local['clients']} clients took"
        )
    lines += [
        "",
        f"Target, 1,000 clients in under 120 s locally, every plan optimal, none over 10 s: "
        f"{verdict} {local['seconds']} s, {local['statuses'].get('feasible', 0)} plans stopped "
        f"by a limit without a proof, {local['over_10_s']} over 10 s, {local['failed']} rows "
        f"failed ({local['proven_no_plan']} of them proven to have no plan under their rules). "
        f"Model building for 8 weeks: median {local['build_seconds_8_weeks_median']} s a "
        f"plan. The plans' own solve times add "
        f"up to {local['solve_seconds_total']} s, {solving:.1f} s over {r['workers']} workers: "
        f"the batch machinery adds {100 * (local['seconds'] / solving - 1):.1f}% on top of the "
        "solver.",
    ]
    if "overhead_ms_per_task" in r:
        o = r["overhead_ms_per_task"]
        same = r["identical_plans"]
        lines += [
            "",
            f"Plans identical on both paths (byte for byte outside `solver`): {same['identical']} "
            f"of {same['compared']}"
            + "".join(
                f"; {d['client_id']} differs (local {d['local']}, Dask {d['dask']})"
                for d in same.get("differing", [])
            )
            + ".",
            "",
            f"Per-task overhead (a no-op task returning a {o['payload_bytes']:,}-byte plan, 1,000 "
            f"tasks): local processes {o['local']} ms, Dask {o['dask']} ms.",
        ]
    if "peak_rss_mb" in r:
        mem = r["peak_rss_mb"]
        lines += [
            "",
            "Peak resident memory: `planner solve --weeks 8 --equipment home` "
            f"{mem['default_solve']} MB; one batch worker planning the first "
            f"{mem['worker_clients']} clients in a row {mem['batch_worker']} MB.",
        ]
    if local["slow"]:
        lines += ["", "Plans over 10 s or unproven (local run, first 20):", ""]
        lines += [
            f"- {c['client_id']}: {c['weeks']} weeks, {c['equipment']}, {c['minutes']} min, "
            f"{c['level']}, {c['goal']}, sessions {c['sessions'] or 'free'}: {c['status']} in "
            f"{c['seconds']} s"
            for c in local["slow"]
        ]
    for key in ("equipment", "weeks", "minutes"):
        lines += [
            "",
            f"Solve seconds by {key} (local run):",
            "",
            f"| {key} | plans | mean s | max s |",
            "| --- | --- | --- | --- |",
            *(
                f"| {name} | {t['plans']} | {t['mean']} | {t['max']} |"
                for name, t in local[f"solve_seconds_by_{key}"].items()
            ),
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
