"""``planner.cli``: every command of the table resolves to its click command, and running one
imports no other command's module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

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
