"""``planner batch``: plans for many clients, on local processes or a Dask cluster.

Only click and the shared command helpers are imported at the top: ``planner --help`` stays
instant.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli_common import EXIT_INTERRUPTED, EXIT_NO_PLAN, PlannerError, request_options

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from click._termui_impl import ProgressBar

    from planner.batch import Outcome

INSTALL_DIST = "pip install 'posterior-planner[dist]'"


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@click.command()
@click.argument("clients", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory for <client_id>.json, summary.csv, failures.jsonl.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="Local worker processes, one CP-SAT thread each  [default: the cores].",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Plan on an existing Dask cluster, e.g. tcp://dask-scheduler:8786.",
)
@click.option("--force", is_flag=True, help="Plan every client again, even those already done.")
@request_options("time_limit")
def batch(
    clients: Path,
    out_dir: Path,
    workers: int | None,
    scheduler: str | None,
    force: bool,
    time_limit: float,
) -> None:
    """Plan every client of a CSV or JSON Lines file (one client a row).

    Columns: client_id (required, unique), any of weeks, equipment, sessions, days, minutes,
    level, goal, seed, start, and config (a constraint file, relative to CLIENTS); a row's values
    override its constraint file. Plans already written for the same inputs are skipped. Exit 1
    when any row failed (see failures.jsonl).
    """
    from planner import batch as core

    if workers is not None and scheduler is not None:
        raise PlannerError(
            "--workers is for local processes; a Dask cluster's size is set "
            "when its workers are started (dask worker --nworkers N --nthreads 1)"
        )
    try:
        items = core.load(clients, time_limit)
    except core.BatchFileError as exc:
        raise PlannerError(str(exc)) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        from planner.files import check_writable

        check_writable(out_dir / core.SUMMARY)
    except OSError as exc:
        raise PlannerError(f"cannot write to {out_dir}: {exc}") from None

    executor = dask_executor(scheduler) if scheduler else local_executor(workers)
    started = time.perf_counter()
    counts = {"planned": 0, "skipped": 0, "failed": 0}
    bar: ProgressBar[int]
    with click.progressbar(
        length=len(items),
        label="planning",
        file=sys.stderr,
        show_eta=True,
        show_pos=True,
        item_show_func=lambda _: progress(counts, started),
    ) as bar:

        def on_outcome(outcome: Outcome) -> None:
            counts[outcome.result] += 1
            bar.update(1)

        try:
            outcomes = core.run(items, out_dir, executor, force=force, on_outcome=on_outcome)
        except KeyboardInterrupt:
            executor.shutdown(wait=False, cancel_futures=True)
            click.echo(
                f"\ninterrupted: {counts['planned'] + counts['skipped']} plans kept in "
                f"{out_dir}; run the same command again to go on",
                err=True,
            )
            sys.exit(EXIT_INTERRUPTED)
    executor.shutdown()
    failed = [o for o in outcomes if o.result == "failed"]
    click.echo(
        f"{len(outcomes)} clients: {counts['planned']} planned, {counts['skipped']} "
        f"skipped (already planned), {len(failed)} failed; {rate(counts, started):.2f} "
        f"plans/s, {time.perf_counter() - started:.1f} s",
        err=True,
    )
    if failed:
        click.echo(f"failures: {out_dir / core.FAILURES}", err=True)
        sys.exit(EXIT_NO_PLAN)


def rate(counts: dict[str, int], started: float) -> float:
    """Plans solved in this run per second."""
    return counts["planned"] / max(time.perf_counter() - started, 1e-9)


def progress(counts: dict[str, int], started: float) -> str:
    return f"{counts['failed']} failed, {rate(counts, started):.2f} plans/s"


def local_executor(workers: int | None) -> Executor:
    """Worker processes, one CP-SAT thread each, never more than the cores."""
    from concurrent.futures import ProcessPoolExecutor

    available = cores()
    if workers is not None and workers > available:
        click.echo(
            f"warning: --workers {workers} is more than the {available} cores; each plan "
            f"uses one CP-SAT thread, so {available} workers are used",
            err=True,
        )
    return ProcessPoolExecutor(max_workers=min(workers or available, available))


def dask_executor(address: str) -> Executor:
    """An executor on the Dask cluster at ``address`` (exit 2 when it cannot be used)."""
    try:
        from distributed import Client
    except ImportError:
        raise PlannerError(f"--scheduler needs Dask distributed: {INSTALL_DIST}") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise PlannerError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    return on_dask(client)


def on_dask(client: Any) -> Executor:
    """``client.get_executor()``, closing the client at shutdown."""
    from concurrent.futures import Executor

    class DaskExecutor(Executor):
        def __init__(self) -> None:
            self.executor = client.get_executor(pure=False)

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            return self.executor.submit(fn, *args, **kwargs)

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            self.executor.shutdown(wait=wait)
            client.close()

    return DaskExecutor()
