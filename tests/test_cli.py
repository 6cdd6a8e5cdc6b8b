"""``planner.cli``: every command of the table resolves to its click command, and running one
imports no other command's module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from planner.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_resolves_under_its_own_name() -> None:
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command) and command.name == name
    assert main.get_command(ctx, "solv") is None


def test_a_command_loads_no_other_command_s_module() -> None:
    code = (
        "import sys\n"
        "from planner.cli import main\n"
        "main.main(['schema', 'config'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('planner.cli_')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.splitlines()[-1] == "['planner.cli_common', 'planner.cli_solve']"


def planner(*args: str, code: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m planner ARGS`` as a user runs it (after ``code``, if any), in a process."""
    run = f"import sys\nsys.argv = ['planner', *{list(args)!r}]\n{code}\n"
    run += "from planner.cli import run\nrun()\n"
    return subprocess.run(
        [sys.executable, "-c", run], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_the_quick_exit_keeps_every_byte_of_output_and_the_exit_code(tmp_path: Path) -> None:
    from tests.conftest import run_cli, solve_json

    args = ("solve", "--weeks", "26", "--equipment", "home")
    done = planner(*args)
    assert done.returncode == 0
    assert done.stdout == run_cli(*args).stdout and len(done.stdout) > 65_536  # > a pipe
    solve_json(tmp_path, *args[1:])  # the plan shown, through the checker
    assert done.stderr.startswith("optimal: objective ")
    no_plan = planner("solve", "--weeks", "4", "--equipment", "home", "--minutes", "20")
    assert no_plan.returncode == 1 and "cannot all hold together" in no_plan.stderr
    bad = planner("solve", "--weeks", "0")
    assert bad.returncode == 2 and "0 is not in the range 1-52" in bad.stderr
    assert planner("--version").returncode == 0


@pytest.mark.parametrize(
    ("args", "closed", "code"),
    [
        ("--version", ">&-", 0),
        ("solve --weeks 2 -o {out}", "2>&-", 0),
        ("solve --bogus", "2>&-", 2),
    ],
)
def test_a_stream_the_shell_closed_keeps_the_exit_code(
    args: str, closed: str, code: int, tmp_path: Path
) -> None:
    from tests.conftest import assert_sound

    out = tmp_path / "p.json"
    command = f"{sys.executable} -m planner {args.format(out=out)} {closed}"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == code, done.stderr
    if "{out}" in args:  # the plan written, through the checker
        assert_sound(json.loads(out.read_text("utf-8")))


def test_the_quick_exit_runs_the_exit_handlers_and_waits_for_other_threads(
    tmp_path: Path,
) -> None:
    freed = tmp_path / "freed"
    code = (
        "import pathlib\n"
        "class Freed:\n"
        f"    def __del__(self): pathlib.Path({str(freed)!r}).touch()\n"
        "kept = Freed()"
    )
    assert planner("schema", "plan", code=code).returncode == 0
    assert not freed.exists()  # the teardown that frees every object was skipped
    handler = tmp_path / "handler"
    code = f"import atexit, pathlib\natexit.register(pathlib.Path({str(handler)!r}).touch)"
    assert planner("schema", "plan", code=code).returncode == 0
    assert handler.exists()  # the handler ran before the process ended
    late = tmp_path / "late"
    code = (
        "import pathlib, threading, time\n"
        f"threading.Thread(target=lambda: (time.sleep(0.5), pathlib.Path({str(late)!r}).touch()))"
        ".start()"
    )
    assert planner("schema", "plan", code=code).returncode == 0
    assert late.exists()  # another thread ran: the usual exit, which waits for it
