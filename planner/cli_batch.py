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
@click.option(
    "--scheduler-timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the Dask scheduler to answer, and for a worker when none is left "
    "(the rows still pending then fail).",
)
@click.option(
    "--configs-anywhere",
    is_flag=True,
    help="Allow a row's config file outside the input file's folder.",
)
@click.option("--force", is_flag=True, help="Plan every client again, even those already done.")
@request_options("work_limit", "time_limit")
def batch(
    clients: Path,
    out_dir: Path,
    workers: int | None,
    scheduler: str | None,
    scheduler_timeout: float,
    configs_anywhere: bool,
    force: bool,
    work_limit: float,
    time_limit: float,
) -> None:
    """Plan every client of a CSV or JSON Lines file (one client a row).

    Columns: client_id (required, unique), any of weeks, equipment, sessions, days, minutes,
    level, goal, seed, start, and config (a constraint file in the folder of CLIENTS or below,
    relative to it); a row's values override its constraint file. Plans already written for the
    same inputs are skipped. Exit 1 when any row failed (see failures.jsonl).
    """
    from planner import batch as core

    if workers is not None and scheduler is not None:
        raise PlannerError(
            "--workers is for local processes; a Dask cluster's size is set "
            "when its workers are started (dask worker --nworkers N --nthreads 1)"
        )
    try:
        items = core.load(clients, time_limit, configs_anywhere, work_limit)
    except core.BatchFileError as exc:
        raise PlannerError(str(exc)) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        from planner.files import check_writable

        check_writable(out_dir / core.SUMMARY)
    except OSError as exc:
        raise PlannerError(f"cannot write to {out_dir}: {exc}") from None

    executor = dask_executor(scheduler, scheduler_timeout) if scheduler else local_executor(workers)
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
        except core.ReportError as exc:
            executor.shutdown(wait=False, cancel_futures=True)
            raise PlannerError(f"{exc}; the plans written are kept in {out_dir}") from None
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


class DaskUnavailable(RuntimeError):
    """The Dask cluster cannot run a task: no worker left, or the scheduler gone."""


def quiet_dask() -> None:
    """Keep distributed's reconnect warnings and tracebacks off stderr: only errors show, each on
    one line."""
    import logging

    def one_line(record: logging.LogRecord) -> bool:
        text = record.getMessage().strip()
        if not text and record.exc_info and record.exc_info[1] is not None:
            text = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        record.msg, record.args = (text.splitlines() or [""])[0], ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True

    for name in ("distributed", "tornado"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.ERROR)
        for handler in logger.handlers:
            if one_line not in handler.filters:
                handler.addFilter(one_line)


def dask_executor(address: str, timeout: float = 30.0) -> Executor:
    """An executor on the Dask cluster at ``address`` (exit 2, within ``timeout`` seconds, when it
    cannot be used: nothing answers, or what answers is no Dask scheduler)."""
    try:
        from distributed import Client
    except ImportError:
        raise PlannerError(f"--scheduler needs Dask distributed: {INSTALL_DIST}") from None
    import asyncio

    quiet_dask()
    try:
        # The client's own timeout does not cover a service that accepts and never answers.
        asyncio.run(asyncio.wait_for(_identity(address, timeout), timeout))
        client = Client(address, timeout=f"{timeout}s", set_as_default=False)
    except TimeoutError:
        reason = f"no Dask scheduler answered within {timeout:g} s"
    except Exception as exc:  # distributed raises OSError, ValueError, TypeError (TLS), ...
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if address.startswith("tls://"):
            reason += " (tls:// needs the TLS settings of the Dask configuration)"
    else:
        return on_dask(client, timeout)
    raise PlannerError(f"cannot use the Dask scheduler at {address}: {reason}")


async def _identity(address: str, timeout: float) -> Any:
    """Ask ``address`` who it is, as a Dask client does first."""
    from distributed.core import rpc

    async with rpc(address, timeout=timeout) as scheduler:
        return await scheduler.identity()


def on_dask(client: Any, wait: float = 30.0) -> Executor:
    """An executor submitting to ``client``, closing it at shutdown. When the cluster has had no
    worker, or the scheduler has not answered, for ``wait`` seconds, the tasks still pending fail
    with ``DaskUnavailable`` instead of waiting forever."""
    import threading
    from concurrent.futures import Executor, InvalidStateError
    from concurrent.futures import Future as PlainFuture

    class DaskExecutor(Executor):
        def __init__(self) -> None:
            self.pending: dict[PlainFuture[Any], Any] = {}
            self.lock = threading.Lock()
            self.stopped = threading.Event()
            self.watchdog = threading.Thread(target=self.watch, daemon=True)
            self.watchdog.start()

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            mine: PlainFuture[Any] = PlainFuture()
            remote = client.submit(fn, *args, pure=False, **kwargs)
            with self.lock:
                self.pending[mine] = remote
            remote.add_done_callback(lambda done: self.settle(mine, done))
            return mine

        def settle(self, mine: PlainFuture[Any], remote: Any) -> None:
            try:
                self.finish(mine, result=remote.result())
            except Exception as exc:
                self.finish(mine, error=exc)

        def finish(
            self, mine: PlainFuture[Any], result: Any = None, error: BaseException | None = None
        ) -> None:
            with self.lock:
                self.pending.pop(mine, None)
                try:
                    if error is None:
                        mine.set_result(result)
                    else:
                        mine.set_exception(error)
                except InvalidStateError:  # failed by the watchdog already
                    pass

        def watch(self) -> None:
            """Fail what is pending once the cluster cannot run it for ``wait`` seconds."""
            last_able = time.monotonic()
            while not self.stopped.wait(min(0.5, wait / 4)):
                with self.lock:
                    stuck = list(self.pending.items())
                problem = self.problem() if stuck else None
                if problem is None:
                    last_able = time.monotonic()
                elif time.monotonic() - last_able >= wait:
                    for mine, remote in stuck:
                        self.finish(mine, error=DaskUnavailable(f"{problem} for {wait:g} s"))
                        remote.cancel()

        def problem(self) -> str | None:
            if client.status not in ("running", "connecting"):
                return "no Dask scheduler"
            try:
                info = client.sync(client.scheduler.identity, n_workers=0, callback_timeout=wait)
            except Exception:
                return "no answer from the Dask scheduler"
            return None if info.get("n_workers") else "no Dask worker"

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            self.stopped.set()
            if cancel_futures:
                with self.lock:
                    stuck = list(self.pending.items())
                for mine, remote in stuck:
                    mine.cancel()
                    remote.cancel()
            client.close()

    return DaskExecutor()
