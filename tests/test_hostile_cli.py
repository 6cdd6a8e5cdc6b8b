"""Hostile inputs and output targets for solve, render, check and the coach commands: a clear
message and exit 2, never a traceback, a hang, a replaced device or a half-written file.

Commands that could hang or eat memory run in a subprocess with a time and memory limit."""

from __future__ import annotations

import json
import os
import pty
import resource
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "plan-4w.json"


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def planner(
    *args: str, cwd: Path | None = None, timeout: float = 30, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    """``planner ARGS`` in a child process with at most 2 GB of memory and ``timeout`` seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        cwd=cwd,
        env=env,
        timeout=timeout,
        preexec_fn=limit_memory,
        **kwargs,
    )


def one_clear_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text, text
    assert text.startswith("Error: ") or text.count("\n") == 1, text
    return text


# --- special output targets ---------------------------------------------------------------------


def test_a_symlink_to_stdout_stays_a_symlink(tmp_path: Path) -> None:
    # What /dev/stdout is; a link of the test's own, so that a regression cannot replace the
    # machine's /dev/stdout.
    link = tmp_path / "screen.md"
    link.symlink_to("/proc/self/fd/1")
    result = planner("render", str(FIXTURE), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"# ")
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


def test_a_fifo_output_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.csv"
    os.mkfifo(fifo)
    child = subprocess.Popen(
        [sys.executable, "-m", "planner", "render", str(FIXTURE), "-o", str(fifo)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
    )
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert child.wait(30) == 0
    reader.join(5)  # a FIFO replaced by a regular file would leave the reader waiting
    assert fifo.is_fifo()
    assert received and received[0].startswith(b"week,")


def test_dash_output_means_stdout_not_a_file_named_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("render", str(FIXTURE), "-f", "json", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["schema_version"] == 2
    assert list(tmp_path.iterdir()) == []


def test_excel_to_a_terminal_is_refused_with_a_hint() -> None:
    controller, terminal = pty.openpty()
    try:
        result = planner("render", str(FIXTURE), "-f", "xlsx", stdout=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 2
    assert "-o plan.xlsx" in one_clear_line(result.stderr)


def test_an_unknown_suffix_is_refused_naming_the_formats(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    result = run_cli("render", str(FIXTURE), "-o", str(out))
    assert result.exit_code == 2
    assert ".pdf" in result.stderr and ".html" in result.stderr and ".ics" in result.stderr
    assert not out.exists()
    solved = run_cli("solve", "--weeks", "1", "--equipment", "home", "-o", str(out))
    assert solved.exit_code == 2 and not out.exists()


def test_no_suffix_keeps_markdown(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    assert run_cli("render", str(FIXTURE), "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("# ")


# --- inputs from stdin, and inputs that never end -------------------------------------------------


def test_check_and_render_read_the_plan_from_stdin() -> None:
    text = FIXTURE.read_text()
    checked = run_cli("check", "-", input=text)
    assert checked.exit_code == 0 and checked.stdout.startswith("ok: 4 weeks")
    rendered = run_cli("render", "-", "-f", "json", input=text)
    assert rendered.exit_code == 0
    assert json.loads(rendered.stdout) == json.loads(text)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "/dev/zero"),
        ("render", "/dev/zero"),
        ("validate", "/dev/zero"),
        ("solve", "--config", "/dev/zero", "--weeks", "1"),
    ],
)
def test_a_device_as_input_is_refused(args: tuple[str, ...]) -> None:
    result = planner(*args)
    assert result.returncode == 2
    assert "not a regular file" in one_clear_line(result.stderr)


@pytest.mark.parametrize("command", ["check", "render", "validate"])
def test_a_fifo_as_input_is_refused_without_blocking(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    result = planner(command, str(fifo), timeout=20)
    assert result.returncode == 2
    assert "not a regular file" in one_clear_line(result.stderr)


def test_an_input_over_20_mb_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "client.toml"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    for args in (("validate", str(big)), ("check", str(big))):
        result = run_cli(*args)
        assert result.exit_code == 2 and "larger than 20 MB" in result.stderr


def test_stdin_that_never_ends_is_cut_at_the_cap() -> None:
    with open("/dev/zero", "rb") as zeros:
        result = planner("check", "-", stdin=zeros)
    assert result.returncode == 2
    assert "stdin is larger than 20 MB" in one_clear_line(result.stderr)


# --- plans with absurd numbers ------------------------------------------------------------------


def absurd(tmp_path: Path, **changes: Any) -> Path:
    plan = json.loads(FIXTURE.read_text())
    item = plan["weeks"][0]["sessions"][0]["exercises"][0]
    for key, value in changes.items():
        if key == "week":
            plan["weeks"][0]["week"] = value
        else:
            item[key] = value
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return path


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"sets": 1_000_000_000}, "sets 1000000000; at most 10"),
        ({"reps": 10**12}, "reps"),
        ({"rest_seconds": -5}, "rest_seconds -5"),
        ({"week": 10**9}, "week numbers run 1-52"),
        ({"reps": "10"}, "reps '10': not a number"),
        ({"sets": True}, "sets True: not a number"),
    ],
)
@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_render_refuses_a_plan_with_absurd_numbers(
    tmp_path: Path, changes: dict[str, object], named: str, fmt: str
) -> None:
    result = planner("render", str(absurd(tmp_path, **changes)), "-f", fmt, timeout=20)
    assert result.returncode == 2
    assert named in one_clear_line(result.stderr)
    assert result.stdout == b""


def test_check_reports_absurd_numbers_as_violations(tmp_path: Path) -> None:
    result = run_cli("check", str(absurd(tmp_path, sets=1_000_000_000)))
    assert result.exit_code == 1
    assert "1000000000 sets" in result.stdout


@pytest.mark.parametrize("number", ["Infinity", "NaN", "-Infinity"])
def test_non_finite_numbers_in_a_plan_are_refused(tmp_path: Path, number: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(FIXTURE.read_text().replace('"sets": 3', f'"sets": {number}', 1))
    for command in ("check", "render"):
        result = run_cli(command, str(path))
        assert result.exit_code == 2, (command, result.stdout)
        assert f"{number} is not a number JSON allows" in result.stderr
