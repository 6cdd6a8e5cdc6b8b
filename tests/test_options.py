"""The options table: each option's parsing, its range declared once and in step with the rules,
and ``apply_options`` putting parsed values over a base."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

import pytest
from annotated_types import Ge, Le

from planner.catalog import Level, builtin_catalog
from planner.config import apply_options
from planner.constraints import DAYS, Constraints, Goal, Schedule
from planner.options import BY_NAME, OPTIONS, RULE_OPTIONS, SEED_MAX, OptionError


def test_words_are_those_of_the_rules() -> None:
    assert BY_NAME["days"].choices == DAYS
    assert BY_NAME["level"].choices == typing.get_args(Level)
    assert BY_NAME["goal"].choices == typing.get_args(Goal)
    sessions = typing.get_args(typing.get_args(Schedule.model_fields["sessions"].annotation)[0])
    assert (BY_NAME["sessions"].low, BY_NAME["sessions"].high) == (min(sessions), max(sessions))


@pytest.mark.parametrize(
    "name",
    [
        "weeks",
        pytest.param(
            "minutes",
        ),
    ],
)
def test_ranges_match_the_rules(name: str) -> None:
    meta = Schedule.model_fields[name].metadata
    low = next(m.ge for m in meta if isinstance(m, Ge))
    high = next(m.le for m in meta if isinstance(m, Le))
    assert (BY_NAME[name].low, BY_NAME[name].high) == (low, high)


def test_every_rule_option_has_a_path_in_the_rules() -> None:
    assert [o.name for o in OPTIONS if o.path is None] == ["work_limit", "time_limit"]
    for option in RULE_OPTIONS:
        assert option.path is not None
        node: typing.Any = Constraints()
        for part in option.path.split("."):
            node = getattr(node, part)  # raises for a path the rules do not have


@pytest.mark.parametrize(
    ("name", "value", "parsed"),
    [
        ("weeks", "8", 8),
        ("weeks", 12, 12),
        ("weeks", 4.0, 4),
        ("sessions", " 3 ", 3),
        ("days", "Mon, wed,,fri", ("mon", "wed", "fri")),
        ("days", ["tue", "thu"], ("tue", "thu")),
        ("equipment", "dumbbell, bench", "dumbbell,bench"),
        ("equipment", ["band", "bench"], "band,bench"),
        ("level", "beginner", "beginner"),
        ("seed", str(SEED_MAX), SEED_MAX),
        ("start", "2026-12-07", dt.date(2026, 12, 7)),
        ("time_limit", "0.5", 0.5),
    ],
)
def test_values_parse_from_text_and_json(name: str, value: object, parsed: object) -> None:
    assert BY_NAME[name].parse(value) == parsed


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("weeks", "0", "0 is not in the range 1-52"),
        ("weeks", 53, "53 is not in the range 1-52"),
        ("weeks", "eight", "'eight' is not a whole number"),
        ("weeks", 2.5, "2.5 is not a whole number"),
        ("weeks", True, "true is not a valid value"),
        ("weeks", [8], "[8] is not a valid value"),
        ("sessions", "4", "4 is not in the range 2-3"),
        ("seed", str(SEED_MAX + 1), f"{SEED_MAX + 1} is not in the range 0-{SEED_MAX}"),
        ("seed", "-1", "-1 is not in the range"),
        ("time_limit", "0", "0 is not in the range above 0, at most 86400"),
        ("time_limit", "nan", "'nan' is not a finite number"),
        ("time_limit", "inf", "'inf' is not a finite number"),
        ("time_limit", "1e9", "is not in the range"),
        ("days", "mon,wedn", "unknown days wedn; did you mean 'wed'?; use mon,tue"),
        ("days", " , ", "no value given"),
        ("level", "expert", "'expert' is not one of beginner, intermediate, advanced"),
        ("goal", "strenght", "did you mean 'strength'?"),
        ("start", "07/12/2026", "'07/12/2026' is not a date (YYYY-MM-DD)"),
    ],
)
def test_bad_values_say_why(name: str, value: object, message: str) -> None:
    with pytest.raises(OptionError) as caught:
        BY_NAME[name].parse(value)
    assert message in str(caught.value)


def test_help_states_the_range_from_the_table() -> None:
    assert BY_NAME["weeks"].describe() == "Block length in weeks.  [1-52]"
    assert BY_NAME["days"].describe().endswith("[mon,tue,wed,thu,fri,sat,sun]")
    assert BY_NAME["equipment"].names()[:3] == ["bodyweight", "gym", "home"]
    assert set(BY_NAME["equipment"].names()) >= set(builtin_catalog().equipment)


def test_options_go_over_the_base_at_their_paths() -> None:
    base = Constraints().with_overrides(**{"schedule.minutes": 45, "client.level": "beginner"})
    c = apply_options(base, {"weeks": 4, "days": ("mon", "thu"), "level": None, "seed": 7})
    assert (c.schedule.weeks, c.schedule.days, c.seed) == (4, ("mon", "thu"), 7)
    assert (c.schedule.minutes, c.client.level) == (45, "beginner")  # not given: the base's


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"equipment": "dumbell"}, "unknown equipment 'dumbell'; did you mean 'dumbbell'?"),
        ({"equipment": "jetpack"}, "unknown equipment 'jetpack'; known: bodyweight, gym, home"),
        ({"weeks": 99}, "schedule.weeks: Input should be less than or equal to 52"),
    ],
)
def test_values_the_rules_refuse_are_option_errors(values: dict[str, object], message: str) -> None:
    with pytest.raises(OptionError) as caught:
        apply_options(Constraints(), values)
    assert message in str(caught.value)


def test_equipment_of_a_coach_catalog_is_known(tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text('[equipment]\nsled = "A push sled"\n[profiles]\nbarn = ["sled", "band"]\n')
    base = Constraints(catalog=own)
    assert apply_options(base, {"equipment": "barn"}).equipment.profile == "barn"
    with pytest.raises(OptionError, match="did you mean 'sled'"):
        apply_options(base, {"equipment": "sledd"})


def test_the_work_limit_default_is_the_solver_default() -> None:
    from planner.search import WORK_LIMIT

    assert BY_NAME["work_limit"].default == WORK_LIMIT
