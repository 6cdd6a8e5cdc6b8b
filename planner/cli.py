"""The ``planner`` command line: the click group and its commands, one line each. The commands
live in ``planner/cli_*.py``; a command's module is imported only when the command runs (or when
``planner --help`` lists it), and the commands import what they need when they run, so that
``planner --help`` stays instant and ``planner solve`` loads no other command. Nothing imports this
module but the ``planner`` console script and ``python -m planner``.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from importlib import import_module

import click

# The planner uses no pydantic plugins, and looking them up reads the metadata of every installed
# package when the first model class is made: 10-60 ms of every command. Set
# PYDANTIC_DISABLE_PLUGINS to "" (or to the plugins to leave out) to load them all the same.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# Command -> "module:attribute".
COMMANDS = {
    "solve": "planner.cli_solve:solve",
    "check": "planner.cli_solve:check",
    "schema": "planner.cli_solve:schema",
    "render": "planner.cli_render:render",
    "replan": "planner.cli_replan:replan",
    "swap": "planner.cli_replan:swap",
    "batch": "planner.cli_batch:batch",
    "init": "planner.cli_coach:init",
    "validate": "planner.cli_coach:validate",
    "explain": "planner.cli_coach:explain",
    "catalog": "planner.cli_coach:catalog",
    "log": "planner.cli_log:log",
    "loads": "planner.cli_log:loads",
    "next": "planner.cli_log:next_block",
}


class Commands(click.Group):
    """The commands of ``COMMANDS``, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(import_module(module), attribute)
        return command


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="posterior-planner")
def main() -> None:
    """Plan multi-week posterior-chain training blocks, proven optimal with CP-SAT."""


def run() -> None:
    """The ``planner`` console script and ``python -m planner``: ``main``, then, when the command
    left no other thread or worker process, an exit that skips the interpreter's teardown (freeing
    every object of OR-Tools, pydantic and the plan: about 20 ms, a tenth of the default solve).
    The output is flushed and the ``atexit`` handlers run first, as at any exit."""
    try:
        main()
    except SystemExit as done:
        code = 0 if done.code is None else done.code
        streams = (sys.stdout, sys.stderr)  # None when the shell closed one (``>&-``)
        if not isinstance(code, int) or not alone() or None in streams:
            raise
        try:
            for stream in streams:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or file: the usual exit reports it
            raise done from None
        atexit._run_exitfuncs()
        os._exit(code)


def alone() -> bool:
    """No other thread runs and no worker pool was started (``planner batch``'s)."""
    started = {"concurrent.futures", "multiprocessing"} & sys.modules.keys()
    return threading.active_count() == 1 and not started
