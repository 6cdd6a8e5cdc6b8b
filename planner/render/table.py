"""CSV: one row per set, the shape spreadsheets and training-log exports use.

Every text cell is on one line and cannot start a formula (``planner.textsafe.spreadsheet_cell``);
numbers stay numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

from planner.render.common import set_rows
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
            "" if row.reps is None else row.reps,
            "" if row.seconds is None else row.seconds,
            "yes" if row.per_side else "no",
            row.rest_seconds,
        )
        writer.writerow(spreadsheet_cell(c) if isinstance(c, str) else c for c in cells)
    return out.getvalue()
