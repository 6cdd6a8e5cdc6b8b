"""The options of a plan request, declared once: ``planner solve`` and ``planner explain`` build
their flags from this table (``planner/cli_common.py``) and every row of ``planner batch`` is parsed
by it. Each option says its type, its range or choices, where it goes in ``Constraints`` (a dotted
path) and its help text.

Plain Python, no click and nothing heavy at import, so that ``planner --help`` stays instant.
Problems raise ``OptionError``; ``planner.config.apply_options`` puts parsed values over a base.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

# The same words as planner.constraints and planner.catalog (tests/test_options.py keeps them in
# step); spelled out here so that building the flags imports nothing heavy.
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEVELS = ("beginner", "intermediate", "advanced")
GOALS = ("general", "strength", "hypertrophy", "endurance")
SEED_MAX = 2**31 - 1  # CP-SAT's random seed is a 32-bit integer
TIME_LIMIT_MAX = 86_400.0  # a day: longer is a typo, not a budget
WORK_LIMIT = 30.0  # deterministic seconds; the default of planner.search (keep in step)


class OptionError(ValueError):
    """A value an option cannot take; the message says why in plain words."""


def close_match(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest of ``choices``, or '' when none is close."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {found[0]!r}?" if found else ""


def equipment_names() -> list[str]:
    """The built-in equipment profiles and items (what ``--equipment`` completes to)."""
    from planner.catalog import builtin_catalog

    catalog = builtin_catalog()
    return [*sorted(catalog.profiles), *sorted(catalog.equipment)]


def exercise_ids() -> list[str]:
    """The built-in catalog's main-block exercise ids (what ``--exclude`` completes to)."""
    from planner.catalog import builtin_catalog

    return sorted(ex.id for ex in builtin_catalog().exercises if ex.block == "main")


def pattern_names() -> list[str]:
    from planner.catalog import PATTERNS

    return list(PATTERNS)


@dataclass(frozen=True)
class Option:
    """One option of a request.

    ``kind``: ``int`` and ``float`` (within ``low``..``high``; a float must be above ``low``),
    ``choice`` (one of ``choices``), ``list`` (a comma list, or a JSON list in a batch row:
    of ``choices`` when given, else of any names, ``known`` ones offered for completion) and
    ``date`` (YYYY-MM-DD). ``path`` is where the value goes in ``Constraints``; None for an option
    of the solver run rather than a rule (the time limit).
    """

    name: str
    kind: Literal["int", "float", "choice", "list", "date"]
    help: str
    path: str | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    known: Callable[[], list[str]] | None = None
    joined: bool = False  # a list kept as one comma-separated string (an equipment spec)
    default: Any = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def range_text(self) -> str:
        """The allowed values in words: '1-52', 'above 0, at most 86400', ''."""
        if self.low is None or self.high is None:
            return ""
        if self.kind == "float":
            return f"above {_plain(self.low)}, at most {_plain(self.high)}"
        return f"{_plain(self.low)}-{_plain(self.high)}"

    def describe(self) -> str:
        """The help text, with the range or choices in brackets as click shows its defaults."""
        if self.range_text:
            return f"{self.help}  [{self.range_text}]"
        if self.choices and self.kind == "list":
            return f"{self.help}  [{','.join(self.choices)}]"
        return self.help

    def names(self) -> list[str]:
        """The values to offer for completion."""
        return list(self.choices) if self.choices else self.known() if self.known else []

    def parse(self, value: Any) -> Any:
        """``value`` (text from a flag or a CSV cell, or a JSON value) as the option's type."""
        if isinstance(value, bool | dict) or (isinstance(value, list) and self.kind != "list"):
            raise OptionError(f"{json.dumps(value)} is not a valid value")
        if self.kind == "list":
            return self._list(value)
        if self.kind == "date":
            return _date(value)
        text = value.strip() if isinstance(value, str) else value
        if self.kind == "choice":
            if text in self.choices:
                return text
            hint = close_match(str(text), self.choices)
            raise OptionError(f"{text!r} is not one of {', '.join(self.choices)}{hint}")
        if self.kind == "int":
            number: float = _whole(text)
        else:
            number = _number(text)
        if self.low is not None and self.high is not None:
            within = self.low < number if self.kind == "float" else self.low <= number
            if not (within and number <= self.high):
                raise OptionError(f"{_plain(number)} is not in the range {self.range_text}")
        return number

    def _list(self, value: Any) -> tuple[str, ...] | str:
        parts = value if isinstance(value, list) else str(value).split(",")
        names = tuple(str(p).strip() for p in parts if str(p).strip())
        if not names:
            raise OptionError("no value given")
        if self.choices:
            names = tuple(name.lower() for name in names)
            unknown = [n for n in names if n not in self.choices]
            if unknown:
                hint = close_match(unknown[0], self.choices)
                raise OptionError(
                    f"unknown {self.name} {', '.join(unknown)}{hint}; use {','.join(self.choices)}"
                )
        return ",".join(names) if self.joined else names


def _plain(number: float) -> str:
    """A number as a coach writes it: 52, 2147483647, 0.5."""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _whole(value: Any) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value))
    except ValueError:
        raise OptionError(f"{value!r} is not a whole number") from None


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise OptionError(f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise OptionError(f"{value!r} is not a finite number")
    return number


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise OptionError(f"{value!r} is not a date (YYYY-MM-DD)") from None


OPTIONS: tuple[Option, ...] = (
    Option("weeks", "int", "Block length in weeks.", "schedule.weeks", 1, 52),
    Option(
        "equipment",
        "list",
        "Profile (home, gym, bodyweight) or comma list of items.",
        "equipment.profile",
        known=equipment_names,
        joined=True,
    ),
    Option("sessions", "int", "Sessions per week.", "schedule.sessions", 2, 3),
    Option("days", "list", "Allowed days, e.g. mon,wed,fri.", "schedule.days", choices=DAYS),
    Option(
        "minutes",
        "int",
        "Time cap per session, warm-up and cool-down included.",
        "schedule.minutes",
        20,
        240,
    ),
    Option(
        "exclude",
        "list",
        "Exercise ids never to use, e.g. nordic-curl.",
        "exercises.exclude",
        known=exercise_ids,
    ),
    Option(
        "exclude_pattern",
        "list",
        "Movement patterns never to use, e.g. lunge,step_up.",
        "exercises.exclude_patterns",
        known=pattern_names,
    ),
    Option("level", "choice", "Training age of the client.", "client.level", choices=LEVELS),
    Option("goal", "choice", "Sets the rep range and rest.", "client.goal", choices=GOALS),
    Option("seed", "int", "Solver random seed.", "seed", 0, SEED_MAX),
    Option("start", "date", "First day of the block, YYYY-MM-DD.", "schedule.start"),
    Option(
        "work_limit",
        "float",
        "Solver budget in deterministic seconds of work (about a second each on one core): a "
        "plan stopped by it is the same on every run and machine.",
        low=0,
        high=TIME_LIMIT_MAX,
        default=WORK_LIMIT,
    ),
    Option(
        "time_limit",
        "float",
        "Wall-clock safety net in seconds; a plan it stops is marked (solver.stopped_by) and may "
        "differ between runs.",
        low=0,
        high=TIME_LIMIT_MAX,
        default=60.0,
    ),
)
BY_NAME = {option.name: option for option in OPTIONS}
# The options that are rules of the plan: flags of solve and explain, columns of a batch row.
RULE_OPTIONS = tuple(option for option in OPTIONS if option.path)
