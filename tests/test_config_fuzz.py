"""Random and mutated constraint files thrown at the loader and the solver: every outcome is a
plan (exit 0), no plan (exit 1) or a bad file (exit 2), never a crash."""

from __future__ import annotations

import copy
import json
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.toml_text import toml_value
from tests.conftest import assert_sound, run_cli

EXAMPLE = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "examples" / "client.toml").read_text()
)
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Plausible values per key (so that plans, conflicts and errors all come up), plus junk.
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "seed": st.integers(-1, 5),
    "catalog": st.sampled_from(["", "missing.toml"]),
    "catalog_mode": st.sampled_from(["add", "replace", "merge"]),
    "client.level": st.sampled_from(["beginner", "intermediate", "advanced", "expert"]),
    "client.goal": st.sampled_from(["general", "strength", "hypertrophy", "endurance", "power"]),
    "client.age": st.integers(18, 80),
    "schedule.weeks": st.integers(0, 60),
    "schedule.sessions": st.integers(1, 4),
    "schedule.days": st.lists(st.sampled_from([*DAYS, "funday"]), max_size=4, unique=True),
    "schedule.minutes": st.integers(0, 60),
    "equipment.profile": st.sampled_from(["gym", "home", "bodyweight", "home,barbell", "hom"]),
    "equipment.extra": st.lists(st.sampled_from(["box", "barbell", "cable", "rowing"]), max_size=2),
    "equipment.missing": st.lists(st.sampled_from(["dumbbell", "band", "bench"]), max_size=2),
    "exercises.exclude": st.lists(
        st.sampled_from(["kettlebell-swing", "sliding-leg-curl", "nordic-curl"]), max_size=2
    ),
    "exercises.require": st.lists(
        st.sampled_from(["nordic-hamstring-curl", "sliding-leg-curl", "glute-bridge-hold"]),
        max_size=2,
    ),
    "exercises.exclude_dominance": st.lists(st.sampled_from(["hip", "knee", "ankle"]), max_size=2),
    "exercises.exclude_patterns": st.lists(
        st.sampled_from(["hinge", "bridge", "curl"]), max_size=2
    ),
    "volume.sets": st.dictionaries(
        st.sampled_from(["main", "accessory", "isolation", "mian"]),
        st.lists(st.integers(0, 7), min_size=2, max_size=2),
        max_size=2,
    ),
    "volume.exercises_per_session": st.lists(st.integers(0, 8), min_size=2, max_size=2),
    "volume.session_sets": st.lists(st.integers(0, 30), min_size=2, max_size=2),
    "volume.landmarks": st.dictionaries(
        st.sampled_from(["hamstrings", "soleus", "hamstring"]),
        st.lists(st.integers(-1, 25), min_size=3, max_size=3),
        max_size=2,
    ),
    "volume.frequency": st.dictionaries(
        st.sampled_from(["hamstrings", "glutes", "calves", "calfs"]), st.integers(-1, 4), max_size=2
    ),
    "volume.session_fatigue_max": st.integers(0, 80),
    "volume.level_factor": st.dictionaries(
        st.sampled_from(["beginner", "intermediate"]),
        st.floats(0, 2.5, allow_nan=False),
        max_size=2,
    ),
    "balance.hip_knee_ratio": st.lists(st.floats(0, 3, allow_nan=False), min_size=2, max_size=2),
    "balance.require_both": st.booleans(),
    "balance.weekly_actions": st.lists(
        st.sampled_from(["hip_extension", "knee_flexion"]), max_size=2
    ),
    "deload.every": st.integers(0, 6),
    "deload.weeks": st.lists(st.integers(0, 5), max_size=2),
    "deload.cut": st.floats(0, 1.2, allow_nan=False),
    "balance.cornerstones": st.lists(
        st.sampled_from(["hip_hinge", "calf_raise", "lunge_or_step_up", "squat"]), max_size=2
    ),
    "exercises.allow_stand_ins": st.booleans(),
    "prescription.rir": st.dictionaries(
        st.sampled_from(["beginner", "intermediate"]),
        st.lists(st.integers(-1, 6), min_size=2, max_size=2),
        max_size=1,
    ),
    "prescription.deload_rir": st.integers(0, 7),
    "prescription.loads": st.dictionaries(
        st.sampled_from(["romanian-deadlift-dumbbell", "hip-thrust-barbell", "nordic-curl"]),
        st.sampled_from([{"kg": 40}, {"one_rep_max": 100}, {"kg": -5}, {}]),
        max_size=1,
    ),
    "objective.muscle_weights": st.dictionaries(
        st.sampled_from(["hamstrings", "quadriceps", "calves"]), st.integers(-1, 30), max_size=2
    ),
    "objective.fatigue_cost": st.integers(-1, 40),
    "objective.time_cost": st.integers(-1, 3),
    "objective.favourite_bonus": st.integers(-1, 200),
    "nonsense.key": st.just(1),
}
# Keys that often make the rules conflict, drawn more often.
CONFLICTING = [
    "exercises.exclude_dominance",
    "schedule.minutes",
    "volume.session_fatigue_max",
    "exercises.require",
    "schedule.days",
] * 3
JUNK = st.one_of(
    st.integers(-3, 60),
    st.floats(-1, 3, allow_nan=False),
    st.booleans(),
    st.text("abc-_ ", max_size=5),
    st.lists(st.integers(0, 3), max_size=3),
)
GARBLE = ["", "[[x\n", "= 3\n", "weeks = \n", "[client]\nname = 1\n"]


def toml_text(data: dict[str, Any]) -> str:
    """A document from nested data: plain keys first, each section as an inline table."""
    return "".join(f"{key} = {toml_value(value)}\n" for key, value in data.items())


@st.composite
def files(draw: st.DrawFn) -> str:
    """The example file with keys set to plausible or junk values, sometimes garbled text."""
    data = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from([*sorted(PLAUSIBLE), *CONFLICTING]))
        value = draw(st.one_of(PLAUSIBLE[key], JUNK) if draw(st.booleans()) else PLAUSIBLE[key])
        *sections, name = key.split(".")
        node = data
        for section in sections:
            node = node.setdefault(section, {})
        if value == "" and name == "catalog":
            node.pop("catalog", None)
        else:
            node[name] = value
    lines = toml_text(data).splitlines(keepends=True)
    if draw(st.integers(0, 4)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(GARBLE)))
    return "".join(lines)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_every_file_gives_a_plan_no_plan_or_a_file_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config, out = Path(tmp) / "client.toml", Path(tmp) / "plan.json"
        config.write_text(text)
        result = run_cli(
            "solve", "--config", str(config), "--weeks", "1", "--time-limit", "3", "-o", str(out)
        )
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.stderr
        if result.exit_code == 0:
            assert_sound(json.loads(out.read_text()))
        else:
            assert result.stderr.strip(), "a failure says why"
        validated = run_cli("validate", str(config))
        assert validated.exit_code == (2 if result.exit_code == 2 else 0), validated.stderr
