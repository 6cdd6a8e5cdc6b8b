"""iCalendar (RFC 5545): one all-day event per session on its real date.

Each event's UID comes from a hash of who the block is for and when it starts (the constraints'
``client`` section: name, level, goal; ``schedule.start``; the ``equipment`` section), the week and
the session's number in the week. Importing a re-planned block for the same client (other minutes,
days, exercises or volume, the same start) updates its events instead of adding copies; clients
who differ in name, level, goal, kit or start date never share an event, named or not (a batch's
unnamed clients included). A block moved to another start date (``planner render --start``) is a
new set of events. The plan has no identifier of its own, so two unnamed clients with the same
level, goal, kit and start still share UIDs.

Every text property goes through icalendar's text escaping; names are put on one line first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from icalendar import Calendar, Event, vText

from planner.render.common import (
    BLOCKS,
    client_name,
    next_monday,
    prescription,
    ramp_line,
    rir_note,
    session_date,
    start_date,
    tempo,
    tempo_words,
    title,
)
from planner.textsafe import one_line

PRODID = "-//posterior-planner//plan//EN"


def block_id(plan: dict[str, Any]) -> str:
    """Who the block is for and when it starts: a hash of the constraints' ``client`` section (the
    name, level and goal), ``schedule.start`` and ``equipment`` section."""
    constraints = plan["constraints"]
    identity = {
        "client": constraints.get("client"),
        "start": constraints.get("schedule", {}).get("start"),
        "equipment": constraints.get("equipment"),
    }
    canonical = json.dumps(identity, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def uid(block: str, week: int, session: int) -> str:
    """A stable identity for session ``session`` (1-based) of week ``week`` of block ``block``."""
    key = f"posterior-planner/{block}/week-{week}/session-{session}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@posterior-planner"


def workout(week: dict[str, Any], number: int, session: dict[str, Any]) -> str:
    """The session as plain text: one line per drill or exercise under its block (sets x reps with
    the rep range, RIR, rest, tempo, kg when known), the ramp-up before the main block, then what
    RIR and tempo mean and how to add load, for the exercises of this session."""
    deload = " (deload: lighter week)" if week["deload"] else ""
    lines = [
        f"Week {week['week']}{deload}, mesocycle {week.get('mesocycle', 1)}, session {number} of "
        f"{len(week['sessions'])}, about {session['minutes']} min."
    ]
    for key, block in BLOCKS:
        if key == "exercises" and ramp_line(session):
            lines += ["", ramp_line(session)]
        if session[key]:
            lines += ["", block]
            lines += [f"- {one_line(it['name'])}: {prescription(it)}" for it in session[key]]
    lifts = session["exercises"]
    notes = []
    effort = next((it["rir"] for it in lifts if it.get("rir") is not None), None)
    if effort is not None:
        notes.append(rir_note(effort))
    shown = next((tempo(it) for it in lifts if tempo(it)), "")
    if shown:
        notes.append(
            f"Tempo {shown}: seconds lowering, pause, lifting, pause ({tempo_words(shown)})."
        )
    rules: dict[str, list[str]] = {}
    for it in lifts:
        rule = one_line(str(it.get("load_rule") or ""))
        names = rules.setdefault(rule, []) if rule else []
        if rule and one_line(it["name"]) not in names:
            names.append(one_line(it["name"]))
    if rules:
        notes.append("How to add load:")
        notes += [f"{', '.join(names)}: {rule}" for rule, names in rules.items()]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def render(plan: dict[str, Any], now: dt.datetime) -> str:
    """The calendar; the block starts on the plan's start date, else the Monday after ``now``."""
    start = start_date(plan) or next_monday(now.astimezone().date())
    stamp = now.astimezone(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(title(plan)))
    name = client_name(plan)
    who = f"{name}: " if name else ""
    block = block_id(plan)
    for week in plan["weeks"]:
        for number, session in enumerate(week["sessions"], start=1):
            date = session_date(start, week["week"], session["day"])
            deload = " (deload)" if week["deload"] else ""
            event = Event()
            event.add("uid", uid(block, week["week"], number))
            event.add("dtstamp", stamp)
            event.add("dtstart", date)
            event.add("dtend", date + dt.timedelta(days=1))
            event.add(
                "summary",
                f"{who}Posterior chain: week {week['week']} session {number}, "
                f"{session['minutes']} min{deload}",
            )
            event.add("description", workout(week, number, session))
            event.add("categories", ["Training"])
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical().decode("utf-8")
