"""TOML as text: the line of each key path, and values written back as TOML."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from planner.toml_text import key_lines, toml_value


def test_key_lines_follow_tables_dotted_keys_inline_tables_and_multiline_arrays() -> None:
    text = """\
seed = 1  # [not a table]
[volume]
sets = [
  3, 5,
]
landmarks.hamstrings = [6, 12, 20]
objective.x = "a # b"
[objective]
muscle_weights = { soleus = 1, "quadriceps" = 0 }
"""
    lines = key_lines(text)
    assert lines[("seed",)] == 1
    assert lines[("volume", "sets")] == 3
    assert lines[("volume", "landmarks", "hamstrings")] == 6
    assert lines[("objective", "muscle_weights", "quadriceps")] == 9
    assert ("volume", "objective", "x") in lines and lines[("objective",)] == 8


def test_key_lines_skip_multiline_strings_and_keep_the_first_line_of_a_key() -> None:
    text = 'notes = """\nweeks = 3\n"""\n[schedule]\nweeks = 4\n[schedule]\n'
    lines = key_lines(text)
    assert lines[("notes",)] == 1
    assert ("weeks",) not in lines
    assert lines[("schedule",)] == 4 and lines[("schedule", "weeks")] == 5


@pytest.mark.parametrize(
    "value",
    [
        True,
        3,
        0.75,
        'a "quoted" name',
        dt.date(2026, 1, 5),
        ["mon", "wed"],
        [[6, 12], [3, 5]],
        {"hamstrings": [8, 18], "soleus": 2},
    ],
)
def test_toml_value_reads_back_as_the_value(value: object) -> None:
    assert tomllib.loads(f"key = {toml_value(value)}")["key"] == value


def test_toml_value_writes_tuples_as_arrays_and_refuses_what_toml_cannot_hold() -> None:
    assert toml_value((3, 5)) == "[3, 5]"
    with pytest.raises(TypeError, match="no TOML form"):
        toml_value(None)
