"""``planner batch --scheduler``: an address that is no Dask scheduler, a cluster that loses its
workers or its scheduler: bounded waits, a clear message, no traceback. Everything on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.cli_batch import DaskUnavailable, on_dask
from tests.conftest import run_cli

distributed = pytest.importorskip("distributed")

ROWS = "".join(
    json.dumps({"client_id": name, "weeks": 1, "equipment": "home"}) + "\n"
    for name in ("ann", "bob")
)


def clients(tmp_path: Path) -> Path:
    path = tmp_path / "clients.jsonl"
    path.write_text(ROWS)
    return path


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP service on 127.0.0.1 that accepts connections and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for conn in held:
        conn.close()


@pytest.fixture
def web_server() -> Iterator[str]:
    """A TCP service on 127.0.0.1 that answers every connection with an HTTP error."""
    server = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        while True:
            try:
                conn = server.accept()[0]
            except OSError:
                return
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 20)
            conn.close()

    threading.Thread(target=answer, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_a_service_that_never_answers_fails_within_the_timeout(
    tmp_path: Path, silent_server: str
) -> None:
    started = time.monotonic()
    result = run_cli(
        "batch", str(clients(tmp_path)), "-o", str(tmp_path / "plans"),
        "--scheduler", silent_server, "--scheduler-timeout", "1",
    )  # fmt: skip
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot use the Dask scheduler at tcp://127.0.0.1:")
    assert "no Dask scheduler answered within 1 s" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_service_that_is_no_dask_scheduler_is_refused(tmp_path: Path, web_server: str) -> None:
    result = run_cli(
        "batch", str(clients(tmp_path)), "-o", str(tmp_path / "plans"),
        "--scheduler", web_server, "--scheduler-timeout", "2",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "cannot use the Dask scheduler" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_tls_without_its_settings_is_a_clean_message(tmp_path: Path) -> None:
    result = run_cli(
        "batch", str(clients(tmp_path)), "-o", str(tmp_path / "plans"),
        "--scheduler", "tls://127.0.0.1:1", "--scheduler-timeout", "2",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "tls:// needs the TLS settings" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


@pytest.fixture
def cluster() -> Iterator[Any]:
    """A scheduler and one in-process worker on 127.0.0.1."""
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=":0",
    ) as running:
        yield running


def test_rows_fail_with_a_reason_when_no_worker_is_left(tmp_path: Path, cluster: Any) -> None:
    cluster.scale(0)
    started = time.monotonic()
    result = run_cli(
        "batch", str(clients(tmp_path)), "-o", str(tmp_path / "plans"),
        "--scheduler", cluster.scheduler_address, "--scheduler-timeout", "1",
    )  # fmt: skip
    assert time.monotonic() - started < 20
    assert result.exit_code == 1, result.stderr
    reasons = [
        json.loads(line)["reason"]
        for line in (tmp_path / "plans" / "failures.jsonl").read_text().splitlines()
    ]
    assert reasons == ["worker error: DaskUnavailable: no Dask worker for 1 s"] * 2


def test_killing_every_worker_mid_run_fails_what_is_pending(cluster: Any) -> None:
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    executor = on_dask(client, wait=1.0)
    try:
        quick = executor.submit(sum, [1, 2, 3])
        assert quick.result(timeout=10) == 6
        slow = executor.submit(time.sleep, 4)  # the worker's thread sleeps on after it is gone
        time.sleep(0.2)
        cluster.scale(0)
        with pytest.raises(DaskUnavailable, match="no Dask worker for 1 s"):
            slow.result(timeout=15)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def test_a_dying_scheduler_fails_what_is_pending_without_tracebacks(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from planner.cli_batch import dask_executor

    cluster = distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=":0"
    )
    executor = dask_executor(cluster.scheduler_address, timeout=1.0)
    capfd.readouterr()
    try:
        slow = executor.submit(time.sleep, 4)  # queued: the cluster has no worker
        time.sleep(0.2)
        cluster.sync(cluster.scheduler.close)
        with pytest.raises(Exception) as failed:  # what the cluster says varies
            slow.result(timeout=20)
        assert isinstance(failed.value, DaskUnavailable | distributed.client.CancelledError)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        with contextlib.suppress(TimeoutError):  # its scheduler is gone already
            cluster.close(timeout=2)
    assert "Traceback" not in capfd.readouterr().err
