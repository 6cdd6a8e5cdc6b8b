"""CSV: one row per set, the shape spreadsheets and training-log exports use, and a training log:
the last columns (``LOG_COLUMNS``) are left blank for the lifter to fill in, and ``planner log
check`` reads the filled file back.

The columns are a stable contract: new ones are added at the end. Ramp-up sets are rows of block
``rampup`` (``percent`` of the working load) between the warm-up and the main block.

Every text cell is on one line and cannot start a formula (``planner.textsafe.spreadsheet_cell``);
numbers stay numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

from planner.render.common import LOG_COLUMNS, set_rows
from planner.textsafe import spreadsheet_cell

COLUMNS = (
    "week",
    "deload",
    "day",
    "date",
    "block",
    "exercise_id",
    "exercise",
    "set",
    "reps",
    "seconds",
    "per_side",
    "rest_seconds",
    "rir",
    "tempo",
    "load_kg",
    "rep_min",
    "rep_max",
    "mesocycle",
    "percent",
    *(key for key, _ in LOG_COLUMNS),
)


def render(plan: dict[str, Any]) -> str:
    """Every set of the block; ``date`` is empty unless the plan has a start date."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in set_rows(plan):
        cells = (
            row.week,
            "yes" if row.deload else "no",
            row.day,
            row.date.isoformat() if row.date else "",
            row.block,
            row.exercise_id,
            row.exercise,
            row.set,
            blank(row.reps),
            blank(row.seconds),
            "yes" if row.per_side else "no",
            row.rest_seconds,
            blank(row.rir),
            row.tempo or "",
            blank(row.load_kg),
            blank(row.rep_min),
            blank(row.rep_max),
            row.mesocycle,
            blank(row.percent),
            *("" for _ in LOG_COLUMNS),
        )
        writer.writerow(spreadsheet_cell(c) if isinstance(c, str) else c for c in cells)
    return out.getvalue()


def blank(value: float | None) -> float | str:
    """An empty cell for a missing number."""
    return "" if value is None else value
