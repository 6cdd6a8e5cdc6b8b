"""The ``planner`` command line: the click group and its commands, one line each. The commands
live in ``planner/cli_*.py`` and import what they need when they run, so that ``planner --help``
stays instant. Nothing imports this module but the ``planner`` console script and
``python -m planner``.
"""

from __future__ import annotations

import click

from planner.cli_batch import batch
from planner.cli_coach import catalog, explain, init, validate
from planner.cli_log import loads, log, next_block
from planner.cli_render import render
from planner.cli_replan import replan, swap
from planner.cli_solve import check, schema, solve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="posterior-planner")
def main() -> None:
    """Plan multi-week posterior-chain training blocks, proven optimal with CP-SAT."""


for command in (
    solve,
    check,
    schema,
    render,
    replan,
    swap,
    batch,
    init,
    validate,
    explain,
    catalog,
    log,
    loads,
    next_block,
):
    main.add_command(command)
