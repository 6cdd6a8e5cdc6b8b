"""iCalendar (RFC 5545): one all-day event per session on its real date.

Each event's UID comes from the client's name, the week and the session's number in the week, so
importing a re-planned block again updates the events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from icalendar import Calendar, Event

from planner.render.common import (
    BLOCKS,
    dose,
    next_monday,
    session_date,
    start_date,
    title,
)

PRODID = "-//posterior-planner//plan//EN"


def uid(plan: dict[str, Any], week: int, session: int) -> str:
    """A stable identity for session ``session`` (1-based) of week ``week``."""
    name = plan["constraints"].get("client", {}).get("name", "")
    key = f"posterior-planner/{name}/week-{week}/session-{session}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@posterior-planner"


def workout(week: dict[str, Any], number: int, session: dict[str, Any]) -> str:
    """The session as plain text: one line per drill or exercise under its block."""
    deload = " (deload: lighter week)" if week["deload"] else ""
    lines = [
        f"Week {week['week']}{deload}, session {number} of {len(week['sessions'])}, "
        f"about {session['minutes']} min."
    ]
    for key, block in BLOCKS:
        if session[key]:
            lines += ["", block]
            lines += [
                f"- {it['name']}: {dose(it)}, rest {it['rest_seconds']} s" for it in session[key]
            ]
    return "\n".join(lines)


def render(plan: dict[str, Any], now: dt.datetime) -> str:
    """The calendar; the block starts on the plan's start date, else the Monday after ``now``."""
    start = start_date(plan) or next_monday(now.astimezone().date())
    stamp = now.astimezone(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", title(plan))
    name = plan["constraints"].get("client", {}).get("name", "")
    who = f"{name}: " if name else ""
    for week in plan["weeks"]:
        for number, session in enumerate(week["sessions"], start=1):
            date = session_date(start, week["week"], session["day"])
            deload = " (deload)" if week["deload"] else ""
            event = Event()
            event.add("uid", uid(plan, week["week"], number))
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
