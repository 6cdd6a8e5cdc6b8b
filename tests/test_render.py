"""Every output format, read back with a real reader, holds exactly the plan's sessions, sets and
dates; ``planner render`` and ``planner solve -o`` pick the format and write files whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pytest

from planner.render import FORMATS, render
from planner.render.charts import ALLOWED, VOLUME, sets_per_muscle
from planner.render.common import muscle_name
from tests.conftest import assert_sound, run_cli, solve_json

FIXTURE = Path(__file__).parent / "data" / "plan-4w.json"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)  # a Saturday


def fixture_plan() -> dict[str, Any]:
    return assert_sound(json.loads(FIXTURE.read_text("utf-8")))


@pytest.fixture(scope="module")
def deload_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Six weeks, so the block holds a deload week (week 4) and two mesocycles; the working load
    of the fixture's lifts is known, so some items carry kilograms."""
    where = tmp_path_factory.mktemp("deload")
    config = where / "loads.toml"
    config.write_text(
        "[prescription.loads]\n"
        + "".join(f'"{i}" = {{ kg = 20 }}\n' for i in sorted(main_ids(fixture_plan()))),
        "utf-8",
    )
    plan = solve_json(
        where,
        "--config",
        str(config),
        "--weeks",
        "6",
        "--equipment",
        "home",
        "--start",
        "2026-12-07",
        "-f",
        "json",
    )
    assert [w["week"] for w in plan["weeks"] if w["deload"]] == [4]
    assert {w["mesocycle"] for w in plan["weeks"]} == {1, 2}
    assert any(it["load_kg"] for it in main_items(plan))
    return plan


def main_ids(plan: dict[str, Any]) -> set[str]:
    return {it["id"] for it in main_items(plan)}


def main_items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [it for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"]]


def with_client(plan: dict[str, Any], name: str) -> dict[str, Any]:
    c = plan["constraints"]
    return {**plan, "constraints": {**c, "client": {**c["client"], "name": name}}}


def without_start(plan: dict[str, Any]) -> dict[str, Any]:
    c = plan["constraints"]
    return {**plan, "constraints": {**c, "schedule": {**c["schedule"], "start": None}}}


def monday_dates(plan: dict[str, Any], first_monday: dt.date) -> list[dt.date]:
    """The date of every session, in order, for a block starting on a Monday."""
    return [
        first_monday + dt.timedelta(days=7 * (w["week"] - 1) + DAYS.index(s["day"]))
        for w in plan["weeks"]
        for s in w["sessions"]
    ]


def expected_sets(
    plan: dict[str, Any],
) -> list[tuple[int, str, str, str, int, int | None, int | None, int]]:
    """(week, day, block, exercise id, set number, reps, seconds, rest) of every set, in order."""
    rows = []
    for w in plan["weeks"]:
        for s in w["sessions"]:
            for key, block in (
                ("warmup", "warmup"),
                ("exercises", "main"),
                ("cooldown", "cooldown"),
            ):
                for it in s[key]:
                    rows += [
                        (
                            w["week"],
                            s["day"],
                            block,
                            it["id"],
                            n,
                            it["reps"],
                            it["seconds"],
                            it["rest_seconds"],
                        )
                        for n in range(1, it["sets"] + 1)
                    ]
    return rows


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_holds_one_row_per_set_with_dates() -> None:
    plan = fixture_plan()
    rows = read_csv(str(render(plan, "csv")))
    got = [
        (
            int(r["week"]),
            r["day"],
            r["block"],
            r["exercise_id"],
            int(r["set"]),
            int(r["reps"]) if r["reps"] else None,
            int(r["seconds"]) if r["seconds"] else None,
            int(r["rest_seconds"]),
        )
        for r in rows
        if r["block"] != "rampup"
    ]
    assert got == expected_sets(plan)
    sessions = [(int(r["week"]), r["day"]) for r in rows]
    dates = dict(zip(sessions, (dt.date.fromisoformat(r["date"]) for r in rows), strict=True))
    keys = [(w["week"], s["day"]) for w in plan["weeks"] for s in w["sessions"]]
    assert list(dates) == keys
    assert list(dates.values()) == monday_dates(plan, dt.date(2026, 12, 7))


def test_csv_leaves_the_date_empty_without_a_start() -> None:
    rows = read_csv(str(render(without_start(fixture_plan()), "csv")))
    assert rows and {r["date"] for r in rows} == {""}


def test_csv_marks_the_deload_week(deload_plan: dict[str, Any]) -> None:
    rows = read_csv(str(render(deload_plan, "csv")))
    assert {int(r["week"]) for r in rows if r["deload"] == "yes"} == {4}
    main = [r for r in rows if r["block"] == "main"]
    per_week = {
        w["week"]: sum(it["sets"] for s in w["sessions"] for it in s["exercises"])
        for w in deload_plan["weeks"]
    }
    assert {k: sum(int(r["week"]) == k for r in main) for k in per_week} == per_week
    assert per_week[4] < per_week[3]


OLD_COLUMNS = [
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
]
BLOCK_ORDER = ["warmup", "rampup", "main", "cooldown"]


def number(cell: str) -> float | None:
    return float(cell) if cell else None


def test_csv_adds_the_prescription_in_columns_at_the_end(deload_plan: dict[str, Any]) -> None:
    text = str(render(deload_plan, "csv"))
    header = next(csv.reader(io.StringIO(text)))
    assert header[: len(OLD_COLUMNS)] == OLD_COLUMNS  # a stable contract: new columns at the end
    assert set(header[len(OLD_COLUMNS) :]) >= {"rir", "tempo", "load_kg", "rep_min", "rep_max"}
    rows = read_csv(text)
    for w in deload_plan["weeks"]:
        for s in w["sessions"]:
            mine = [r for r in rows if int(r["week"]) == w["week"] and r["day"] == s["day"]]
            blocks = [r["block"] for r in mine]
            assert blocks == sorted(blocks, key=BLOCK_ORDER.index)
            ramp = [
                (r["exercise_id"], int(r["reps"]), int(r["percent"]), number(r["load_kg"]))
                for r in mine
                if r["block"] == "rampup"
            ]
            assert ramp == [
                (it["id"], step["reps"], step["percent"], step["load_kg"])
                for it in s["exercises"]
                for step in it["ramp_up"]
            ]
            main = [
                (
                    r["exercise_id"],
                    int(r["rir"]),
                    r["tempo"],
                    number(r["load_kg"]),
                    [int(r["rep_min"]), int(r["rep_max"])],
                    int(r["mesocycle"]),
                )
                for r in mine
                if r["block"] == "main"
            ]
            assert main == [
                (
                    it["id"],
                    it["rir"],
                    it["tempo"] or "",
                    it["load_kg"],
                    it["rep_range"],
                    w["mesocycle"],
                )
                for it in s["exercises"]
                for _ in range(it["sets"])
            ]
    assert any(r["block"] == "rampup" for r in rows)
    assert {r["rir"] for r in rows if r["block"] == "main" and r["deload"] == "yes"} == {
        str(deload_plan["constraints"]["prescription"]["deload_rir"])
    }


def prescription_text(it: dict[str, Any]) -> str:
    """What a lifter reads for a main exercise, written out here apart from the renderers."""
    text = sets_reps(it) + f", RIR {it['rir']}, rest {it['rest_seconds']} s"
    text += f", tempo {it['tempo']}" if it["tempo"] else ""
    return text + (f", {it['load_kg']:g} kg" if it["load_kg"] is not None else "")


def sets_reps(it: dict[str, Any]) -> str:
    side = " /side" if it["unilateral"] else ""
    lo, hi = it["rep_range"]
    return f"{it['sets']} \N{MULTIPLICATION SIGN} {it['reps']}{side} ({lo}-{hi})"


def ramp_text(it: dict[str, Any]) -> str:
    return ", ".join(
        f"{r['reps']} @ {r['percent']} %" + (f" ({r['load_kg']:g} kg)" if r["load_kg"] else "")
        for r in it["ramp_up"]
    )


# --- iCalendar ----------------------------------------------------------------------------------


def events(text: str | bytes) -> list[Any]:
    cal = icalendar.Calendar.from_ical(text)
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    return list(cal.walk("VEVENT"))


def test_ics_has_one_event_per_session_on_its_date() -> None:
    plan = fixture_plan()
    evs = events(render(plan, "ics", now=NOW))
    assert [e.decoded("DTSTART") for e in evs] == monday_dates(plan, dt.date(2026, 12, 7))
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1) for e in evs)
    assert all(e.decoded("DTSTAMP") == NOW for e in evs)
    sessions = [s for w in plan["weeks"] for s in w["sessions"]]
    for event, session in zip(evs, sessions, strict=True):
        text = str(event["DESCRIPTION"])
        for it in session["warmup"] + session["exercises"] + session["cooldown"]:
            reps = f"{it['reps']}" if it["reps"] is not None else f"{it['seconds']} s"
            assert f"- {it['name']}: {it['sets']} \N{MULTIPLICATION SIGN} {reps}" in text
        assert text.count("\n- ") == (
            len(session["warmup"]) + len(session["exercises"]) + len(session["cooldown"])
        )
        assert f"{session['minutes']} min" in str(event["SUMMARY"])


def test_ics_describes_the_prescription_of_each_exercise(deload_plan: dict[str, Any]) -> None:
    evs = events(render(deload_plan, "ics", now=NOW))
    sessions = [(w, s) for w in deload_plan["weeks"] for s in w["sessions"]]
    for event, (week, session) in zip(evs, sessions, strict=True):
        text = str(event["DESCRIPTION"])
        assert f"Week {week['week']}" in text and f"mesocycle {week['mesocycle']}" in text
        for it in session["exercises"]:
            assert f"\n- {it['name']}: {prescription_text(it)}\n" in text + "\n"
            if it["ramp_up"]:
                assert f"Ramp-up before {it['name']}: {ramp_text(it)}" in text
            assert it["load_rule"] in text
        rir = session["exercises"][0]["rir"]
        assert f"RIR {rir} (reps in reserve)" in text


def uids(plan: dict[str, Any], now: dt.datetime = NOW) -> list[str]:
    return [str(e["UID"]) for e in events(render(plan, "ics", now=now))]


def with_section(plan: dict[str, Any], section: str, **values: Any) -> dict[str, Any]:
    c = plan["constraints"]
    return {**plan, "constraints": {**c, section: {**c[section], **values}}}


def test_ics_uids_are_stable_for_the_same_block() -> None:
    """Rendered again later, or re-planned for the same client and start (other minutes, days or
    volume), a block keeps its event UIDs: importing it again updates the events."""
    plan = fixture_plan()
    first = uids(plan)
    assert len(set(first)) == len(first)
    assert uids(plan, NOW + dt.timedelta(days=30)) == first
    assert uids(without_start(plan)) == uids(without_start(plan), NOW + dt.timedelta(days=30))
    replanned = with_section(plan, "schedule", minutes=45, days=["mon", "wed", "fri"])
    replanned = with_section(replanned, "volume", sets=[3, 4])
    assert uids(replanned) == first


@pytest.mark.parametrize(
    ("section", "values"),
    [
        ("client", {"name": "Ana"}),
        ("client", {"level": "beginner"}),
        ("client", {"goal": "strength"}),
        ("schedule", {"start": "2027-03-01"}),
        ("schedule", {"start": None}),
        ("equipment", {"profile": "gym"}),
        ("equipment", {"missing": ["bench"]}),
    ],
)
def test_ics_uids_differ_between_clients(section: str, values: dict[str, Any]) -> None:
    """Two clients, named or not, never share an event: the UIDs hash who the block is for (the
    client section and the kit) and when it starts."""
    plan = fixture_plan()
    assert plan["constraints"]["client"]["name"] == ""  # an unnamed client, as in a batch
    other = uids(with_section(plan, section, **values))
    assert len(set(other)) == len(other)
    assert not set(other) & set(uids(plan))


def with_start_date(plan: dict[str, Any], start: str) -> dict[str, Any]:
    c = plan["constraints"]
    return {**plan, "constraints": {**c, "schedule": {**c["schedule"], "start": start}}}


def test_ics_without_a_start_begins_the_monday_after_now() -> None:
    plan = without_start(fixture_plan())
    evs = events(render(plan, "ics", now=NOW))
    assert [e.decoded("DTSTART") for e in evs] == monday_dates(plan, dt.date(2026, 11, 23))


def test_ics_from_a_midweek_start_keeps_each_session_on_its_weekday() -> None:
    plan = with_start_date(fixture_plan(), "2027-01-06")  # a Wednesday
    evs = events(render(plan, "ics", now=NOW))
    sessions = [(w["week"], s["day"]) for w in plan["weeks"] for s in w["sessions"]]
    for event, (week, day) in zip(evs, sessions, strict=True):
        date = event.decoded("DTSTART")
        assert DAYS[date.weekday()] == day
        first = dt.date(2027, 1, 6) + dt.timedelta(weeks=week - 1)
        assert first <= date < first + dt.timedelta(days=7)


def test_ics_marks_the_deload(deload_plan: dict[str, Any]) -> None:
    evs = events(render(deload_plan, "ics", now=NOW))
    deload = [str(e["SUMMARY"]).endswith("(deload)") for e in evs]
    assert deload == [w["deload"] for w in deload_plan["weeks"] for _ in w["sessions"]]


# --- Excel --------------------------------------------------------------------------------------


def test_xlsx_has_a_summary_a_sheet_per_week_and_a_log(deload_plan: dict[str, Any]) -> None:
    data = render(deload_plan, "xlsx", now=NOW)
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Summary",
        "Week 1",
        "Week 2",
        "Week 3",
        "Week 4 (deload)",
        "Week 5",
        "Week 6",
        "Log",
    ]
    for week, name in zip(deload_plan["weeks"], book.sheetnames[1:-1], strict=True):
        sheet = list(book[name].iter_rows(values_only=True))
        header, rows = sheet[0], table(sheet)
        expected = []
        for s in week["sessions"]:
            date = dt.datetime(2026, 12, 7) + dt.timedelta(
                days=7 * (week["week"] - 1) + DAYS.index(s["day"])
            )
            for key, block in (
                ("warmup", "warmup"),
                ("exercises", "main"),
                ("cooldown", "cooldown"),
            ):
                expected += [
                    (
                        date,
                        block,
                        it["id"],
                        it["sets"],
                        it["reps"],
                        it["seconds"],
                        it["rest_seconds"],
                    )
                    for it in s[key]
                ]
        got = [(r[1], r[2], r[4], r[5], r[6], r[7], r[9]) for r in rows if r[2] != "rampup"]
        assert got == expected
        column = {h: i for i, h in enumerate(header)}
        main = [r for r in rows if r[2] == "main"]
        items = [it for s in week["sessions"] for it in s["exercises"]]
        assert [
            (
                r[column["Rep min"]],
                r[column["Rep max"]],
                r[column["RIR"]],
                r[column["Tempo"]],
                r[column["Load (kg)"]],
            )
            for r in main
        ] == [(*it["rep_range"], it["rir"], it["tempo"], it["load_kg"]) for it in items]
        ramps = [
            (r[6], r[column["% of load"]], r[column["Load (kg)"]]) for r in rows if r[2] == "rampup"
        ]
        assert ramps == [
            (x["reps"], x["percent"], x["load_kg"]) for it in items for x in it["ramp_up"]
        ]
        legend = [r[0] for r in sheet[len(rows) + 1 :] if r[0]]
        assert legend[0] == f"Week {week['week']}, mesocycle {week['mesocycle']}: " + (
            "deload (lighter week)" if week["deload"] else "loading week"
        )
        for it in items:
            assert sum(it["load_rule"] in line and it["name"] in line for line in legend) == 1
    summary = list(book["Summary"].iter_rows(values_only=True))
    header = summary.index(
        (
            "Week",
            "Deload",
            "Sessions",
            "Main sets",
            "Fatigue points",
            "Minutes",
            *([None] * (len(summary[0]) - 6)),
        )
    )
    loads = {r[0]: (r[1], r[2], r[3]) for r in summary[header + 1 : header + 7]}
    muscles = next(i for i, r in enumerate(summary) if r[0] == "Muscle")
    assert summary[muscles][:4] == ("Muscle", "MEV", "MAV", "MRV")
    assert summary[muscles][4:10] == tuple(f"Week {w['week']}" for w in deload_plan["weeks"])
    landmarks = deload_plan["constraints"]["volume"]["landmarks"]
    hamstrings = next(r for r in summary[muscles:] if r[0] == "Hamstrings")
    assert list(hamstrings[1:4]) == landmarks["hamstrings"]
    assert list(hamstrings[4:10]) == [
        sum(
            it["sets"] * it["muscles"].get("hamstrings", 0)
            for s in w["sessions"]
            for it in s["exercises"]
        )
        for w in deload_plan["weeks"]
    ]
    assert loads == {
        w["week"]: (
            "yes" if w["deload"] else "no",
            len(w["sessions"]),
            sum(it["sets"] for s in w["sessions"] for it in s["exercises"]),
        )
        for w in deload_plan["weeks"]
    }


def table(sheet: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A week sheet's rows below the header, up to the blank row before the legend."""
    return sheet[1 : sheet.index((None,) * len(sheet[0]))]


# --- HTML ---------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Collects what the tests check: weeks, session dates, set boxes, scripts, external links."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.weeks: list[dict[str, Any]] = []
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        for key in ("src", "href"):
            if a.get(key):
                self.external.append(str(a[key]))
        classes = (a.get("class") or "").split()
        if tag == "section" and "week" in classes:
            self.weeks.append(
                {"id": a.get("id"), "deload": "deload" in classes, "dates": [], "boxes": 0}
            )
        elif tag == "time" and self.weeks:
            self.weeks[-1]["dates"].append(a.get("datetime"))
        elif tag == "span" and "box" in classes and self.weeks:
            self.weeks[-1]["boxes"] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def test_html_is_self_contained_with_a_page_per_week(deload_plan: dict[str, Any]) -> None:
    html = str(render(deload_plan, "html"))
    page = parse(html)
    assert "script" not in page.tags and page.external == []
    assert page.tags.count("svg") == 3
    assert "@page" in html and "break-before: page" in html
    assert [w["id"] for w in page.weeks] == [f"week-{w['week']}" for w in deload_plan["weeks"]]
    assert [w["deload"] for w in page.weeks] == [w["deload"] for w in deload_plan["weeks"]]
    dates = iter(monday_dates(deload_plan, dt.date(2026, 12, 7)))
    for parsed, week in zip(page.weeks, deload_plan["weeks"], strict=True):
        assert parsed["dates"] == [next(dates).isoformat() for _ in week["sessions"]]
        # one tick box per set: warm-up and cool-down too, since they differ between sessions
        assert parsed["boxes"] == sum(
            it["sets"]
            for s in week["sessions"]
            for it in s["warmup"] + s["exercises"] + s["cooldown"]
        )
    text = "".join(page.text)
    for it in {
        it["name"]
        for w in deload_plan["weeks"]
        for s in w["sessions"]
        for it in s["warmup"] + s["exercises"] + s["cooldown"]
    }:
        assert it in text


class Rows(HTMLParser):
    """The week headings and, per session, the table rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.sessions: list[list[tuple[str, list[str]]]] = []
        self.legend: list[str] = []
        self.where: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "h2":
            self.headings.append("")
        elif tag == "table" and "session-table" in (a.get("class") or ""):
            self.sessions.append([])
        elif tag == "tr" and self.sessions:
            self.sessions[-1].append((a.get("class") or "", []))
        elif tag in ("td", "th") and self.sessions:
            self.sessions[-1][-1][1].append("")
        elif tag == "li":
            self.legend.append("")
        self.where.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.where.pop()

    def handle_data(self, data: str) -> None:
        if not self.where:
            return
        tag = self.where[-1]
        if tag in ("h2", "span") and "h2" in self.where:
            self.headings[-1] += data
        elif {"td", "th"} & set(self.where) and self.sessions and "table" in self.where:
            row = self.sessions[-1][-1][1]
            row[-1] += data
        elif "li" in self.where:
            self.legend[-1] += data


def test_html_shows_the_prescriptions_a_lifter_follows(deload_plan: dict[str, Any]) -> None:
    page = Rows()
    page.feed(str(render(deload_plan, "html")))
    assert page.headings[1:] == [
        f"Week {w['week']} · mesocycle {w['mesocycle']}"
        + ("deload: lighter week" if w["deload"] else "")
        for w in deload_plan["weeks"]
    ]
    sessions = [s for w in deload_plan["weeks"] for s in w["sessions"]]
    assert len(page.sessions) == len(sessions)
    for rows, session in zip(page.sessions, sessions, strict=True):
        header = rows[0][1]
        assert header[:6] == [
            "Exercise",
            "Sets \N{MULTIPLICATION SIGN} reps",
            "RIR",
            "Rest",
            "Tempo",
            "Load",
        ]
        blocks = [cells[0] for kind, cells in rows if kind == "block"]
        assert blocks == ["Warm-up", "Main", "Cool-down"]
        main = rows[rows.index(("block", ["Main"])) + 1 : rows.index(("block", ["Cool-down"]))]
        ramp = [cells[0] for kind, cells in main if kind == "ramp"]
        lifts = [cells for kind, cells in main if kind != "ramp"]
        assert ramp == [
            f"Ramp-up first: {ramp_text(it)}, 60 s apart"
            for it in session["exercises"]
            if it["ramp_up"]
        ]
        assert [cells[:6] for cells in lifts] == [
            [
                it["name"],
                sets_reps(it),
                str(it["rir"]),
                f"{it['rest_seconds']} s",
                it["tempo"] or "\N{EN DASH}",
                f"{it['load_kg']:g} kg" if it["load_kg"] is not None else "\N{EN DASH}",
            ]
            for it in session["exercises"]
        ]
    rir = [note for note in page.legend if "(reps in reserve)" in note]
    assert len(rir) == 1  # the term is explained once
    for it in main_items(deload_plan):  # each load rule once per mesocycle that has the lift
        cycles = {
            w["mesocycle"]
            for w in deload_plan["weeks"]
            for s in w["sessions"]
            if it["id"] in {x["id"] for x in s["exercises"]}
        }
        assert sum(it["load_rule"] in li and it["name"] in li for li in page.legend) == len(cycles)


def test_html_escapes_what_the_plan_says() -> None:
    plan = with_client(fixture_plan(), "<script>alert(1)</script> & Co")
    html = str(render(plan, "html"))
    page = parse(html)
    assert "script" not in page.tags
    assert "<script>alert(1)</script> & Co" in "".join(page.text)


def test_html_lists_warmup_per_session_when_sessions_differ() -> None:
    plan = fixture_plan()
    first = plan["weeks"][0]["sessions"][0]
    changed = {**first, "warmup": first["warmup"][:1]}
    weeks = [
        {**plan["weeks"][0], "sessions": [changed, *plan["weeks"][0]["sessions"][1:]]},
        *plan["weeks"][1:],
    ]
    page = parse(str(render({**plan, "weeks": weeks}, "html")))
    total = sum(
        it["sets"]
        for w in weeks
        for s in w["sessions"]
        for it in s["warmup"] + s["exercises"] + s["cooldown"]
    )
    assert sum(w["boxes"] for w in page.weeks) == total
    assert "".join(page.text).count("Warm-up") == sum(len(w["sessions"]) for w in weeks)


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_has_a_table_per_session_and_marks_the_deload(
    deload_plan: dict[str, Any],
) -> None:
    md = str(render(deload_plan, "md"))
    headings = [line for line in md.splitlines() if line.startswith("## Week")]
    assert headings == [
        f"## Week {w['week']} \N{MIDDLE DOT} mesocycle {w['mesocycle']}"
        + (" \N{MIDDLE DOT} deload (lighter week)" if w["deload"] else "")
        for w in deload_plan["weeks"]
    ]
    for week in deload_plan["weeks"]:
        section = md.split(headings[week["week"] - 1] + "\n")[1].split("\n## ")[0]
        tables = section.split("\n### ")[1:]
        assert len(tables) == len(week["sessions"])
        for text, session in zip(tables, week["sessions"], strict=True):
            lines = text.splitlines()
            rows = [line for line in lines if line.startswith("| ")]
            assert (
                rows[0]
                == "| Exercise | Sets \N{MULTIPLICATION SIGN} reps | RIR | Rest | Tempo | Load |"
            )
            assert rows[1:] == [
                f"| {it['name']} | {sets_reps(it)}"
                f" | {it['rir']} | {it['rest_seconds']} s | {it['tempo'] or '-'} | "
                + (f"{it['load_kg']:g} kg |" if it["load_kg"] is not None else "- |")
                for it in session["exercises"]
            ]
            warmup = next(line for line in lines if line.startswith("**Warm-up:**"))
            assert all(it["name"] in warmup for it in session["warmup"])
            ramp = [line for line in lines if line.startswith("Ramp-up before ")]
            assert ramp == [
                f"Ramp-up before {it['name']}: {ramp_text(it)}, 60 s apart."
                for it in session["exercises"]
                if it["ramp_up"]
            ]
    assert "## Every session" not in md  # warm-ups differ between sessions in this block
    assert md.count("(reps in reserve)") == 1
    for it in main_items(deload_plan):  # each load rule once per mesocycle that has the lift
        cycles = {
            w["mesocycle"]
            for w in deload_plan["weeks"]
            for s in w["sessions"]
            if it["id"] in {x["id"] for x in s["exercises"]}
        }
        rules = [
            line for line in md.splitlines() if line.startswith("- ") and it["load_rule"] in line
        ]
        assert sum(it["name"] in line for line in rules) == len(cycles)
    assert "## Coverage" in md
    assert "| Muscle | MEV-MRV | MAV | Sets a week | Deload |" in md


def test_markdown_prints_identical_warmups_once() -> None:
    """A block whose sessions share one warm-up and cool-down prints them once."""
    plan = fixture_plan()
    first = plan["weeks"][0]["sessions"][0]
    for week in plan["weeks"]:
        for session in week["sessions"]:
            session["warmup"], session["cooldown"] = first["warmup"], first["cooldown"]
    md = str(render(plan, "md"))
    assert md.count("**Warm-up:**") == md.count("**Cool-down:**") == 1
    every = md.split("## Every session\n")[1].split("\n## ")[0]
    assert all(it["name"] in every for it in first["warmup"] + first["cooldown"])


def test_markdown_escapes_table_cells() -> None:
    md = str(render(with_client(fixture_plan(), "A|B"), "md"))
    assert md.startswith("# A\\|B: 4-week")
    plan = fixture_plan()
    item = plan["weeks"][0]["sessions"][0]["exercises"][0]
    renamed = json.loads(json.dumps(plan).replace(json.dumps(item["name"]), '"Pipe | name"'))
    assert "Pipe \\| name" in str(render(renamed, "md"))


def test_json_is_the_plan() -> None:
    plan = fixture_plan()
    assert json.loads(render(plan, "json")) == plan


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(fixture_plan(), "pdf")


# --- Command line -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("plan.md", "md"),
        ("plan.markdown", "md"),
        ("plan.json", "json"),
        ("plan.html", "html"),
        ("plan.HTM", "html"),
        ("plan.csv", "csv"),
        ("plan.xlsx", "xlsx"),
        ("plan.ics", "ics"),
        ("plan.ical", "ics"),
        ("plan.txt", "md"),
    ],
)
def test_render_infers_the_format_from_the_suffix(tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / name
    result = run_cli("render", str(FIXTURE), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert_rendered(out, fmt)


def assert_rendered(path: Path, fmt: str) -> None:
    """``path`` holds the fixture plan in ``fmt`` (calendar and workbook: apart from the time of
    writing stamped in them)."""
    expected = render(fixture_plan(), fmt, now=NOW)
    if fmt == "ics":
        assert without_stamps(path.read_bytes()) == without_stamps(expected)
    elif fmt == "xlsx":
        assert isinstance(expected, bytes)
        assert cells(path.read_bytes()) == cells(expected)
    else:
        assert path.read_text("utf-8") == expected


def without_stamps(data: str | bytes) -> list[bytes]:
    evs = events(data)
    for event in evs:
        del event["DTSTAMP"]
    return [event.to_ical() for event in evs]


def cells(data: bytes) -> list[list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def test_render_writes_markdown_to_stdout_by_default() -> None:
    result = run_cli("render", str(FIXTURE))
    assert result.exit_code == 0
    assert result.stdout == render(fixture_plan(), "md")


def test_render_start_overrides_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    result = run_cli("render", str(FIXTURE), "--start", "2027-02-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = read_csv(out.read_text("utf-8"))
    dates = {(int(r["week"]), r["day"]): dt.date.fromisoformat(r["date"]) for r in rows}
    assert list(dates.values()) == monday_dates(fixture_plan(), dt.date(2027, 2, 1))
    assert (
        json.loads(FIXTURE.read_text("utf-8"))["constraints"]["schedule"]["start"] == "2026-12-07"
    )  # the saved plan itself is left as it was


def test_render_ics_without_any_start_uses_next_monday(tmp_path: Path) -> None:
    plan_file = tmp_path / "no-start.json"
    plan_file.write_text(json.dumps(without_start(fixture_plan())), "utf-8")
    out = tmp_path / "plan.ics"
    assert run_cli("render", str(plan_file), "-o", str(out)).exit_code == 0
    first = events(out.read_bytes())[0].decoded("DTSTART")
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    assert monday <= first < monday + dt.timedelta(days=7)


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"weeks": 3}'])
def test_render_refuses_what_is_not_a_plan(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, "utf-8")
    result = run_cli("render", str(bad), "-f", "html")
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "Traceback" not in result.output


def test_render_refuses_a_plan_with_a_bad_start(tmp_path: Path) -> None:
    bad = tmp_path / "bad-start.json"
    bad.write_text(json.dumps(with_start_date(fixture_plan(), "7 Dec")), "utf-8")
    result = run_cli("render", str(bad), "-f", "ics")
    assert result.exit_code == 2 and "schedule.start is not a date" in result.stderr


def test_render_refuses_a_missing_file(tmp_path: Path) -> None:
    result = run_cli("render", str(tmp_path / "nope.json"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "module"), [("html", "jinja2"), ("xlsx", "xlsxwriter"), ("ics", "icalendar")]
)
def test_a_missing_extra_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import of it now fails
    for args in (("render", str(FIXTURE)), ("solve", "--weeks", "1")):
        out = tmp_path / f"plan.{fmt}"
        result = run_cli(*args, "-f", fmt, "-o", str(out))
        assert result.exit_code == 2
        assert "pip install 'posterior-planner[render]'" in result.stderr
        assert module in result.stderr and not out.exists()


class HalfWritten:
    """A file handle whose write stops halfway with a full disk."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def __enter__(self) -> HalfWritten:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> None:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_written_whole_or_not_at_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"plan.{fmt}"
    out.write_text("the previous plan", "utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWritten(real_fdopen(fd, mode)))
    result = run_cli("render", str(FIXTURE), "-o", str(out))
    assert result.exit_code == 2 and "No space left" in result.stderr
    assert out.read_text("utf-8") == "the previous plan"
    assert [p.name for p in out_dir.iterdir()] == ["plan." + fmt]
    monkeypatch.undo()
    assert run_cli("render", str(FIXTURE), "-o", str(out)).exit_code == 0
    assert_rendered(out, fmt)
    assert [p.name for p in out_dir.iterdir()] == ["plan." + fmt]


def test_solve_writes_its_output_whole_or_not_at_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "plan.ics"
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWritten(real_fdopen(fd, mode)))
    result = run_cli("solve", "--weeks", "1", "--equipment", "home", "-o", str(out))
    assert result.exit_code == 2 and "cannot write" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_solve_writes_each_format_from_the_suffix(tmp_path: Path) -> None:
    plan = solve_json(tmp_path, "--weeks", "1", "--equipment", "home", "--start", "2027-01-04")
    out = tmp_path / "plan.csv"
    result = run_cli(
        "solve", "--weeks", "1", "--equipment", "home", "--start", "2027-01-04", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == render(plan, "csv")


def test_sets_chart_draws_each_muscle_against_its_volume_landmarks() -> None:
    """The band spans MEV to MRV and the tick marks MAV, on the same scale as the bars."""
    plan = fixture_plan()
    chart = sets_per_muscle(plan)
    landmarks = plan["constraints"]["volume"]["landmarks"]
    labels = {s.text: float(s.attrs["y"]) for s in chart.shapes if s.tag == "text"}
    zero = min(float(s.attrs["x"]) for s in chart.shapes if s.attrs.get("fill") == VOLUME)
    for muscle, (mev, mav, mrv) in landmarks.items():
        y = labels[muscle_name(muscle)]
        row = [
            s for s in chart.shapes if abs(float(s.attrs.get("y", s.attrs.get("y1", -99))) - y) < 30
        ]
        band = next(s for s in row if s.attrs.get("fill") == ALLOWED and float(s.attrs["y"]) < y)
        start, end = float(band.attrs["x"]), float(band.attrs["x"]) + float(band.attrs["width"])
        assert (start - zero) * mrv == pytest.approx((end - zero) * mev, abs=mrv * 0.2)
        ticks = [s for s in row if s.tag == "line" and s.attrs.get("stroke-width") == 2]
        if mav:
            tick = next(t for t in ticks if float(t.attrs["y1"]) < y)
            x = float(tick.attrs["x1"])
            assert (x - zero) * mrv == pytest.approx((end - zero) * mav, abs=mrv * 0.2)
    assert "MEV" in chart.caption and "MAV" in chart.caption and "MRV" in chart.caption


def test_the_volume_table_shows_the_landmarks_scaled_for_the_client_s_level(
    tmp_path: Path,
) -> None:
    from planner.constraints import Constraints
    from planner.render.common import landmarks

    plan = solve_json(tmp_path, "--weeks", "4", "--equipment", "home", "--level", "beginner")
    obeyed = Constraints.model_validate(plan["constraints"]).landmarks()
    assert obeyed["hamstrings"][2] < plan["constraints"]["volume"]["landmarks"]["hamstrings"][2]
    text = str(render(plan, "md"))
    for muscle, (mev, mav, mrv) in obeyed.items():
        assert landmarks(plan, muscle) == (mev, mav, mrv)
        assert f"| {muscle_name(muscle)} | {mev}-{mrv} | {mav} |" in text
