"""Excel (XlsxWriter): a summary sheet (weekly load; effective sets per muscle and week against
MEV, MAV and MRV), then a sheet per week with a row per exercise and ramp-up set, and under it a
legend: the week's mesocycle, what RIR and tempo mean, how each lift adds load; last, the training
log: a row per working set with blank columns to fill in (printable on landscape pages), which
``planner log check`` reads back.

Cells are written by type, never guessed from the value: text with ``write_string`` (on one line,
and never starting a formula, so a copy to CSV stays inert too), numbers with ``write_number``.
The workbook holds no formulas."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from planner.constraints import RAMP_UP_REST_SECONDS
from planner.render.common import (
    BLOCK_IDS,
    BLOCKS,
    DAY_NAMES,
    LOG_COLUMNS,
    LOG_SHEET,
    LOG_SHEET_NAME,
    effective_sets,
    legend,
    mesocycles,
    muscle_name,
    muscles,
    session_date,
    set_rows,
    start_date,
    summary_line,
    target_sets,
    title,
    week_loads,
    weekly_range,
)
from planner.textsafe import one_line, spreadsheet_cell

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
    "Rep min",
    "Rep max",
    "RIR",
    "Tempo",
    "Load (kg)",
    "% of load",
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
    summary(book, plan, bold, head)
    for week in plan["weeks"]:
        week_sheet(book, plan, week, bold, head)
    log_sheet(book, plan, head)
    book.close()
    return out.getvalue()


def item_cells(key: str, it: dict[str, Any]) -> tuple[Any, ...]:
    """Block to load of one exercise, drill or stretch (columns C to P)."""
    span = it.get("rep_range") or [None, None]
    return (
        BLOCK_IDS[key],
        it["name"],
        it["id"],
        it["sets"],
        it["reps"],
        it["seconds"],
        "yes" if it["unilateral"] else "no",
        it["rest_seconds"],
        span[0],
        span[1],
        it.get("rir"),
        it.get("tempo"),
        it.get("load_kg"),
        None,
    )


def ramp_cells(it: dict[str, Any], ramp: dict[str, Any]) -> tuple[Any, ...]:
    """One ramp-up set before ``it`` (columns C to P)."""
    per_side = "yes" if it["unilateral"] else "no"
    return (
        "rampup",
        it["name"],
        it["id"],
        1,
        ramp["reps"],
        None,
        per_side,
        RAMP_UP_REST_SECONDS,
        None,
        None,
        None,
        it.get("tempo"),
        ramp["load_kg"],
        ramp["percent"],
    )


def week_sheet(book: Any, plan: dict[str, Any], week: dict[str, Any], bold: Any, head: Any) -> None:
    """A row per exercise, drill, stretch and ramp-up set, then the week's legend."""
    ws = book.add_worksheet(sheet_name(week))
    date_format = book.add_format({"num_format": "ddd d mmm yyyy"})
    put_row(ws, 0, 0, WEEK_COLUMNS, head)
    ws.freeze_panes(1, 0)
    start = start_date(plan)
    row = 1
    for session in week["sessions"]:
        date = session_date(start, week["week"], session["day"]) if start else None
        rows = []
        for key, _ in BLOCKS:
            if key == "exercises":
                rows += [ramp_cells(it, r) for it in session[key] for r in it.get("ramp_up") or []]
            rows += [item_cells(key, it) for it in session[key]]
        for cells in rows:
            put(ws, row, 0, DAY_NAMES[session["day"]])
            if date:
                ws.write_datetime(row, 1, dt.datetime.combine(date, dt.time()), date_format)
            put_row(ws, row, 2, cells)
            row += 1
    put(ws, row + 1, 0, week_title(week), bold)
    notes = legend(plan)
    cycle = next(c for c in mesocycles(plan) if week["week"] in c.weeks)
    rules = [
        (rule, names)
        for rule, names in cycle.load_rules
        if any(one_line(it["name"]) in names for s in week["sessions"] for it in s["exercises"])
    ]
    for i, note in enumerate(notes, start=row + 2):
        put(ws, i, 0, note)
    row += 2 + len(notes)
    if rules:
        put(ws, row + 1, 0, "How to add load", bold)
        for i, (rule, names) in enumerate(rules, start=row + 2):
            put(ws, i, 0, f"{', '.join(names)}: {rule}")
    ws.set_column(0, 0, 11)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 9)
    ws.set_column(3, 3, 58)
    ws.set_column(4, 4, 30)
    ws.set_column(5, 16, 8)


def week_title(week: dict[str, Any]) -> str:
    """``Week 4, mesocycle 1: deload (lighter week)``."""
    kind = "deload (lighter week)" if week["deload"] else "loading week"
    return f"Week {week['week']}, mesocycle {week.get('mesocycle', 1)}: {kind}"


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
    weeks = [(w["week"], w["deload"], effective_sets(w)) for w in plan["weeks"]]
    put(
        ws,
        top,
        0,
        "Effective sets per muscle and week (primary 1, secondary 0.5) against the volume "
        "landmarks: MEV the least that grows, MAV the target, MRV the most you recover from",
        bold,
    )
    put(ws, top + 1, 0, "Shaded: a loading week below MEV (amber) or above MRV (red).")
    put_row(
        ws,
        top + 2,
        0,
        ("Muscle", "MEV", "MAV", "MRV", *(f"Week {n}" for n, _, _ in weeks)),
        head,
    )
    low = book.add_format({"bg_color": "#FBE3B0"})
    high = book.add_format({"bg_color": "#F4C7C0"})
    for i, m in enumerate(muscles(plan), start=top + 3):
        lo_hi = weekly_range(plan, m)
        put(ws, i, 0, muscle_name(m))
        if lo_hi:
            put_row(ws, i, 1, (lo_hi[0], target_sets(plan, m), lo_hi[1]))
        for j, (_, deload, sets) in enumerate(weeks, start=4):
            value = sets.get(m, 0)
            shade = None
            if lo_hi and value > lo_hi[1]:
                shade = high
            elif lo_hi and value < lo_hi[0] and not deload:
                shade = low
            put(ws, i, j, value, shade)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 3 + len(weeks), 12)


def log_sheet(book: Any, plan: dict[str, Any], head: Any) -> None:
    """The training log: every working set with its prescription, then blank cells to fill in
    (boxed, so that a printed page has room to write)."""
    ws = book.add_worksheet(LOG_SHEET_NAME)
    box = book.add_format({"border": 1})
    put_row(ws, 0, 0, [label for _, label in LOG_SHEET], head)
    ws.freeze_panes(1, 0)
    row = 0
    for s in set_rows(plan):
        if s.block != "main":
            continue
        row += 1
        put_row(
            ws,
            row,
            0,
            (
                s.week,
                s.day,
                s.date.isoformat() if s.date else None,
                s.exercise_id,
                s.exercise,
                s.set,
                s.reps,
                s.rir,
                s.load_kg,
            ),
        )
        for col in range(len(LOG_SHEET) - len(LOG_COLUMNS), len(LOG_SHEET)):
            ws.write_blank(row, col, None, box)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)
    ws.set_column(0, 1, 6)
    ws.set_column(2, 2, 11)
    ws.set_column(3, 3, 24)
    ws.set_column(4, 4, 40)
    ws.set_column(5, 8, 7)
    ws.set_column(9, len(LOG_SHEET) - 1, 11)
