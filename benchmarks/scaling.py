"""Cost curves: model building plus search, in wall seconds and in CP-SAT's deterministic work,
against the block's length (the gym kit, and the imported free-exercise-db catalog) and against
the catalog's size (a growing, evenly spread share of the imported entries added to the built-in
catalog, 8 weeks gym). Each curve is fitted as ``cost = a * n ** b`` by least squares on the
log-log points.

    python benchmarks/scaling.py               # results/scaling.md and scaling.json
    python benchmarks/scaling.py --runs 1      # one run a point (default: median of 3)
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from run import FREE_EXERCISE_DB, HERE, imported_catalog, log, machine, write_atomic

from planner import Request, build_instance, check, solve

GYM_WEEKS = (4, 8, 12, 16, 26, 39, 52)
IMPORTED_WEEKS = (4, 8, 12, 26, 52)
SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
TIME_LIMIT = 120.0
COSTS = ("build_seconds", "wall_seconds", "work")


def fit(points: list[tuple[float, float]]) -> dict[str, float]:
    """``a`` and ``b`` of ``y = a * x ** b`` by least squares on (log x, log y), and R^2."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = math.exp(my - b * mx)
    total = sum((y - my) ** 2 for y in ys)
    left = sum((y - (my + b * (x - mx))) ** 2 for x, y in zip(xs, ys, strict=True))
    return {"a": a, "b": b, "r2": 1 - left / total if total else 1.0}


def subset(catalog: Path, share: float, target: Path) -> Path:
    """The catalog file with an evenly spread ``share`` of its entries."""
    head, *entries = catalog.read_text("utf-8").split("[[exercise]]")
    kept = [e for i, e in enumerate(entries) if int((i + 1) * share) > int(i * share)]
    target.write_text(head + "".join("[[exercise]]" + e for e in kept), "utf-8")
    return target


def measure(c: Request, runs: int) -> dict[str, Any]:
    """Median wall seconds (build and search) over ``runs`` runs, the deterministic work, status,
    and the checker's verdict."""
    results = [solve(c, time_limit=TIME_LIMIT) for _ in range(runs)]
    plan = results[0].plan.model_dump(mode="json")
    return {
        "candidates": len(build_instance(c).main),
        "status": results[0].status,
        "objective": results[0].objective,
        "wall_seconds": statistics.median(r.runtime for r in results),
        "build_seconds": statistics.median(r.plan.solver["build_seconds"] for r in results),
        "work": results[0].plan.solver["work"],
        "check": "ok" if not check(plan) else "violations",
    }


def curve(name: str, x: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "x": x, "points": rows}
    for cost in COSTS:
        points = [(r[x], r[cost]) for r in rows if r[x] > 0 and r[cost] > 0]
        out[f"fit_{cost}"] = fit(points) if len(points) > 1 else None
    return out


def markdown(data: dict[str, Any]) -> str:
    m = data["machine"]
    lines = [
        "# Cost curves",
        "",
        f"Measured {m['date']} with `python benchmarks/scaling.py --runs {data['runs']}` on "
        f"{m['nproc']} cores ({m['cpu']}), OR-Tools {m['ortools']}; load average at the start "
        f"{m['load_average']}. Wall seconds are model building plus search (median of "
        f"{data['runs']}); work is CP-SAT's deterministic time of the search, the same on every "
        "run. Fits: cost = a * n^b, least squares on the log-log points.",
    ]
    for c in data["curves"]:
        lines += [
            "",
            f"## {c['name']}",
            "",
            f"| {c['x']} | candidates | status | objective | build s | wall s | work | check |",
            "|---:|---:|---|---:|---:|---:|---:|---|",
        ]
        lines += [
            f"| {r[c['x']]} | {r['candidates']} | {r['status']} | {r['objective']} | "
            f"{r['build_seconds']:.3f} | {r['wall_seconds']:.2f} | {r['work']:.2f} | {r['check']} |"
            for r in c["points"]
        ]
        lines.append("")
        for cost in COSTS:
            f = c[f"fit_{cost}"]
            if f:
                lines.append(
                    f"- {cost.replace('_', ' ')} = {f['a']:.3g} * {c['x']}^{f['b']:.2f} "
                    f"(R^2 {f['r2']:.2f})"
                )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--free-exercise-db", type=Path, default=FREE_EXERCISE_DB)
    parser.add_argument("-o", "--output", type=Path, default=HERE / "results" / "scaling")
    args = parser.parse_args()
    data: dict[str, Any] = {"machine": machine(), "runs": args.runs, "curves": []}
    gym = Request().with_overrides(**{"equipment.profile": "gym"})
    with tempfile.TemporaryDirectory() as tmp:
        found = imported_catalog(args.free_exercise_db, Path(tmp))
        if isinstance(found, str):
            log(f"the imported catalog is missing: {found}")
            return 1
        rows = []
        for weeks in GYM_WEEKS:
            log(f"gym {weeks} weeks ...")
            rows.append(
                {
                    "weeks": weeks,
                    **measure(gym.with_overrides(**{"schedule.weeks": weeks}), args.runs),
                }
            )
        data["curves"].append(curve("Weeks, gym kit, built-in catalog", "weeks", rows))
        rows = []
        for weeks in IMPORTED_WEEKS:
            log(f"imported catalog {weeks} weeks ...")
            c = gym.with_overrides(**{"schedule.weeks": weeks, "catalog": str(found)})
            rows.append({"weeks": weeks, **measure(c, args.runs)})
        data["curves"].append(curve("Weeks, gym kit, free-exercise-db added", "weeks", rows))
        rows = []
        for share in SHARES:
            log(f"catalog share {share} ...")
            extra = {"catalog": str(subset(found, share, Path(tmp) / f"{share}.toml"))}
            c = gym.with_overrides(**{"schedule.weeks": 8, **(extra if share else {})})
            rows.append({"share": share, **measure(c, args.runs)})
        for row in rows:
            row["exercises"] = row["candidates"]
        data["curves"].append(
            curve("Catalog size, 8 weeks gym (share of free-exercise-db added)", "exercises", rows)
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.output.with_suffix(".json"), json.dumps(data, indent=2) + "\n")
    write_atomic(args.output.with_suffix(".md"), markdown(data))
    print(markdown(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
