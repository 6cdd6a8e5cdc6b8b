"""Excel (XlsxWriter): a summary sheet, then a sheet per week with a row per exercise.

Cells are written by type, never guessed from the value: text with ``write_string`` (on one line,
and never starting a formula, so a copy to CSV stays inert too), numbers with ``write_number``.
The workbook holds no formulas."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from planner.render.common import (
    BLOCK_IDS,
    BLOCKS,
    DAY_NAMES,
    effective_sets,
    muscle_name,
    muscles,
    session_date,
    start_date,
    summary_line,
    target_sets,
    title,
    week_loads,
    weekly_range,
)
from planner.textsafe import spreadsheet_cell

WEEK_COLUMNS = (
    "Day",
    "Date",
    "Block",
    "Exercise",
    "Exercise id",
    "Sets",
    "Reps",
    "Seconds",
    "Per side",
    "Rest (s)",
    "Done",
)


def put(ws: Worksheet, row: int, col: int, value: Any, cell_format: Any = None) -> None:
    """One cell: a number as a number, nothing for ``None``, anything else as inert text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, cell_format)
    elif value is not None:
        ws.write_string(row, col, spreadsheet_cell(str(value)), cell_format)


def put_row(ws: Worksheet, row: int, col: int, values: Any, cell_format: Any = None) -> None:
    """``values`` in a row of cells from ``(row, col)``, each written as ``put`` does."""
    for i, value in enumerate(values):
        put(ws, row, col + i, value, cell_format)


def sheet_name(week: dict[str, Any]) -> str:
    return f"Week {week['week']}" + (" (deload)" if week["deload"] else "")


def render(plan: dict[str, Any], now: dt.datetime) -> bytes:
    """The workbook as bytes; ``now`` is recorded as its creation time."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": title(plan), "created": now.replace(tzinfo=None)})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDE5EE", "border": 1})
    date_format = book.add_format({"num_format": "ddd d mmm yyyy"})
    summary(book, plan, bold, head)
    start = start_date(plan)
    for week in plan["weeks"]:
        ws = book.add_worksheet(sheet_name(week))
        put_row(ws, 0, 0, WEEK_COLUMNS, head)
        ws.freeze_panes(1, 0)
        row = 1
        for session in week["sessions"]:
            date = session_date(start, week["week"], session["day"]) if start else None
            for key, _ in BLOCKS:
                for it in session[key]:
                    put(ws, row, 0, DAY_NAMES[session["day"]])
                    if date:
                        ws.write_datetime(row, 1, dt.datetime.combine(date, dt.time()), date_format)
                    put_row(
                        ws,
                        row,
                        2,
                        (
                            BLOCK_IDS[key],
                            it["name"],
                            it["id"],
                            it["sets"],
                            it["reps"],
                            it["seconds"],
                            "yes" if it["unilateral"] else "no",
                            it["rest_seconds"],
                        ),
                    )
                    row += 1
        ws.set_column(0, 0, 11)
        ws.set_column(1, 1, 16)
        ws.set_column(2, 2, 9)
        ws.set_column(3, 3, 58)
        ws.set_column(4, 4, 30)
        ws.set_column(5, 10, 8)
    book.close()
    return out.getvalue()


def summary(book: Any, plan: dict[str, Any], bold: Any, head: Any) -> None:
    """The block at a glance: weekly load, then effective sets per muscle and week."""
    ws = book.add_worksheet("Summary")
    put(ws, 0, 0, title(plan), bold)
    put(ws, 1, 0, summary_line(plan))
    start = start_date(plan)
    put(ws, 2, 0, f"Starts {start.isoformat()}" if start else "No start date set")
    put_row(
        ws, 4, 0, ("Week", "Deload", "Sessions", "Main sets", "Fatigue points", "Minutes"), head
    )
    loads = week_loads(plan)
    for i, load in enumerate(loads, start=5):
        put_row(
            ws,
            i,
            0,
            (
                load.week,
                "yes" if load.deload else "no",
                load.sessions,
                load.sets,
                load.fatigue,
                load.minutes,
            ),
        )
    top = 6 + len(loads)
    weeks = [(w["week"], effective_sets(w)) for w in plan["weeks"]]
    put(ws, top, 0, "Effective sets per muscle (primary 1, secondary 0.5)", bold)
    put_row(
        ws,
        top + 1,
        0,
        ("Muscle", "Allowed min", "Allowed max", "Target", *(f"Week {n}" for n, _ in weeks)),
        head,
    )
    for i, m in enumerate(muscles(plan), start=top + 2):
        lo_hi = weekly_range(plan, m)
        target = target_sets(plan, m)
        put(ws, i, 0, muscle_name(m))
        if lo_hi:
            put_row(ws, i, 1, lo_hi)
        put(ws, i, 3, target)
        put_row(ws, i, 4, [sets.get(m, 0) for _, sets in weeks])
    ws.set_column(0, 0, 20)
    ws.set_column(1, 3 + len(weeks), 12)
