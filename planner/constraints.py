"""The rules a plan must follow, as validated data: built-in defaults a coach can override.

Every number here is a training rule from the source articles (cited per field) or a published
volume landmark; the model builder (``planner.model``) reads only this object and the catalog.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from planner.catalog import Action, ExerciseId, Level, Muscle, Pattern

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = Day.__args__  # type: ignore[attr-defined]
Goal = Literal["general", "strength", "hypertrophy", "endurance"]

# Rep range and rest by goal, inside the 3-5 x 8-15 rule (000_acd3cb67cc6dba39.txt: "lower reps for
# maximal strength, higher reps for endurance"; 001_0705bd013e7f2731.txt: rest 45-90 s by
# intensity).
GOAL_REPS: dict[str, tuple[int, int]] = {
    "general": (8, 15),
    "strength": (8, 10),
    "hypertrophy": (8, 12),
    "endurance": (12, 15),
}
GOAL_REST_SECONDS: dict[str, int] = {
    "general": 75,
    "strength": 90,
    "hypertrophy": 75,
    "endurance": 45,
}
WARMUP_REST_SECONDS = 15
COOLDOWN_REST_SECONDS = 10

# Weekly effective sets per muscle (primary 1.0, secondary 0.5): a floor of minimum effective volume
# for the prime movers and a ceiling below the maximum recoverable volume (published volume
# landmarks).
DEFAULT_WEEKLY_SETS: dict[Muscle, tuple[int, int]] = {
    "hamstrings": (6, 20),
    "gluteus_maximus": (6, 20),
    "gluteus_medius": (0, 16),
    "gastrocnemius": (3, 16),
    "soleus": (0, 16),
    "erector_spinae": (0, 12),
    "latissimus_dorsi": (0, 16),
    "rhomboids": (0, 16),
    "trapezius": (0, 16),
    "posterior_deltoid": (0, 16),
    "quadriceps": (0, 12),
}
# Coverage: weekly effective sets that count as fully covered, and each muscle's weight
# (lower body first: 000_acd3cb67cc6dba39.txt and 003_2ad5f3ca5b839a1f.txt put the emphasis on the
# hamstrings, glutes, lower back and calves).
DEFAULT_TARGET_SETS: dict[Muscle, int] = {
    "hamstrings": 12,
    "gluteus_maximus": 12,
    "gluteus_medius": 6,
    "gastrocnemius": 8,
    "soleus": 4,
    "erector_spinae": 6,
    "latissimus_dorsi": 6,
    "rhomboids": 4,
    "trapezius": 4,
    "posterior_deltoid": 4,
    "quadriceps": 0,
}
DEFAULT_MUSCLE_WEIGHTS: dict[Muscle, int] = {
    "hamstrings": 5,
    "gluteus_maximus": 5,
    "gluteus_medius": 3,
    "gastrocnemius": 3,
    "soleus": 2,
    "erector_spinae": 3,
    "latissimus_dorsi": 2,
    "rhomboids": 1,
    "trapezius": 1,
    "posterior_deltoid": 1,
    "quadriceps": 0,
}
DEFAULT_ACTION_WEIGHTS: dict[Action, int] = {
    "hip_extension": 6,
    "knee_flexion": 6,
    "ankle_plantarflexion": 4,
    "hip_abduction": 3,
    "hip_external_rotation": 2,
    "spinal_extension": 3,
    "shoulder_extension": 2,
    "scapular_retraction": 2,
    "scapular_elevation": 1,
}
# Sessions a week that should train each joint action: the hamstrings' two actions in every session,
# the rest of the chain at least twice or once a week.
DEFAULT_ACTION_SESSIONS: dict[Action, int] = {
    "hip_extension": 3,
    "knee_flexion": 2,
    "ankle_plantarflexion": 2,
    "hip_abduction": 2,
    "hip_external_rotation": 1,
    "spinal_extension": 1,
    "shoulder_extension": 1,
    "scapular_retraction": 1,
    "scapular_elevation": 1,
}
# 000_acd3cb67cc6dba39.txt: hip extension, knee flexion and ankle plantarflexion are the three
# actions of the back of the legs; every training week trains all three.
WEEKLY_ACTIONS: tuple[Action, ...] = ("hip_extension", "knee_flexion", "ankle_plantarflexion")
# Volume by training level, the one place it is scaled: weekly set ceilings and fatigue caps are
# multiplied by the client level's factor (beginners recover from less; floors stay as they are).
# The checker mirrors this rule from the plan's echoed constraints.
DEFAULT_LEVEL_FACTOR: dict[Level, float] = {"beginner": 0.75, "intermediate": 1.0, "advanced": 1.0}


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _ordered(lo_hi: tuple[float, float]) -> tuple[float, float]:
    if lo_hi[0] > lo_hi[1]:
        raise ValueError(f"minimum {lo_hi[0]:g} is above maximum {lo_hi[1]:g}")
    return lo_hi


def _within(lo: int, hi: int) -> AfterValidator:
    def check(lo_hi: tuple[int, int]) -> tuple[int, int]:
        if not (lo <= lo_hi[0] and lo_hi[1] <= hi):
            raise ValueError(f"must lie within {lo}-{hi}")
        return lo_hi

    return AfterValidator(check)


# [min, max] pairs; a minimum above its maximum is reported at the field itself.
IntRange = Annotated[tuple[int, int], AfterValidator(_ordered)]


class Client(Section):
    """Who the plan is for."""

    name: str = Field("", description="Client name, printed on the plan.")
    level: Level = Field(
        "intermediate",
        description="Training age: exercises above this level are left out.",
    )
    goal: Goal = Field(
        "general",
        description="Shifts the rep range inside 8-15 and the rest between sets.",
    )


class Schedule(Section):
    """When and how long the client trains."""

    weeks: int = Field(8, ge=1, le=52, description="Length of the block in weeks.")
    sessions: Literal[2, 3] | None = Field(
        None, description="Sessions per week; unset lets the planner choose 2 or 3."
    )
    days: tuple[Day, ...] = Field(DAYS, min_length=1, description="Days a session may fall on.")
    minutes: int = Field(
        60, ge=1, le=240, description="Time cap per session, warm-up and cool-down included."
    )
    start: dt.date | None = Field(None, description="First day of the block (calendar output).")


class EquipmentChoice(Section):
    """The kit the client has."""

    profile: str = Field("gym", description="Equipment profile: home, gym, bodyweight, ...")
    extra: tuple[str, ...] = Field((), description="Items available beyond the profile.")
    missing: tuple[str, ...] = Field((), description="Items of the profile that are missing.")


class ExerciseChoice(Section):
    """Exercises to leave out, require or favour."""

    exclude: tuple[ExerciseId, ...] = Field((), description="Exercise ids never to use.")
    require: tuple[ExerciseId, ...] = Field(
        (), description="Main-block exercise ids to train every week."
    )
    favourites: tuple[ExerciseId, ...] = Field(
        (), description="Exercise ids that earn a bonus in the objective when used."
    )
    exclude_patterns: tuple[Pattern, ...] = Field((), description="Movement patterns to avoid.")
    exclude_actions: tuple[Action, ...] = Field((), description="Joint actions to avoid.")
    exclude_dominance: tuple[Literal["hip", "knee"], ...] = Field(
        (), description="Hamstring work to avoid: hip- or knee-dominant."
    )


class Volume(Section):
    """How much work: sets, reps, weekly sets per muscle and fatigue caps."""

    sets: Annotated[IntRange, _within(3, 5)] = Field(
        (3, 5), description="Sets per main-block exercise [min, max] (within 3-5)."
    )
    reps: Annotated[IntRange, _within(8, 15)] | None = Field(
        None, description="Reps per set [min, max] (within 8-15); unset takes the goal's range."
    )
    exercises_per_session: Annotated[IntRange, _within(1, 12)] = Field(
        (2, 6), description="Main-block exercises per session [min, max]."
    )
    weekly_sets: dict[Muscle, IntRange] = Field(
        default_factory=lambda: dict(DEFAULT_WEEKLY_SETS),
        description="Weekly effective sets per muscle [min, max] (primary 1.0, secondary 0.5).",
    )
    session_fatigue_max: int = Field(
        60, ge=1, description="Fatigue points per session (sets x the exercise's cost)."
    )
    week_fatigue_max: int = Field(150, ge=1, description="Fatigue points per week.")
    level_factor: dict[Level, Annotated[float, Field(gt=0, le=2)]] = Field(
        default_factory=lambda: dict(DEFAULT_LEVEL_FACTOR),
        description="Per client level, the factor on weekly set ceilings and fatigue caps "
        "(beginner 0.75: beginners recover from less).",
    )


class Balance(Section):
    """Balance of the posterior chain: hip vs knee work and the weekly joint actions."""

    hip_knee_ratio: Annotated[
        tuple[Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)]],
        AfterValidator(_ordered),
    ] = Field(
        (0.5, 2.0),
        description="Weekly hip- to knee-dominant hamstring sets [min, max] in weeks with both.",
    )
    require_both: bool = Field(
        True,
        description="Every week trains both hip- and knee-dominant hamstring work; false allows "
        "weeks with only one kind (e.g. no knee-dominant work after a knee injury).",
    )
    weekly_actions: tuple[Action, ...] = Field(
        WEEKLY_ACTIONS,
        description="Joint actions every week's main block trains (000_acd3cb67cc6dba39.txt: the "
        "three actions of the back of the legs); drop one only for a reason such as an injury.",
    )


class Deload(Section):
    """Lighter recovery weeks."""

    every: int | None = Field(
        4, ge=2, description="A deload every N weeks (N, 2N, ...); unset for none."
    )
    weeks: tuple[int, ...] | None = Field(
        None, description="Explicit deload weeks; replaces 'every' when given."
    )
    depth: float = Field(
        0.7, gt=0, lt=1, description="A deload week's main sets as a fraction of the week before."
    )
    min_block_weeks: int = Field(
        6, ge=1, description="Blocks at least this long hold at least one deload week."
    )


class Objective(Section):
    """Weights of what a better plan covers."""

    muscle_weights: dict[Muscle, int] = Field(
        default_factory=lambda: dict(DEFAULT_MUSCLE_WEIGHTS),
        description="Coverage weight per muscle (per quarter set up to its target).",
    )
    target_sets: dict[Muscle, int] = Field(
        default_factory=lambda: dict(DEFAULT_TARGET_SETS),
        description="Weekly effective sets beyond which a muscle earns no more coverage.",
    )
    action_weights: dict[Action, int] = Field(
        default_factory=lambda: dict(DEFAULT_ACTION_WEIGHTS),
        description="Coverage weight per joint action, per session that trains it.",
    )
    action_sessions: dict[Action, int] = Field(
        default_factory=lambda: dict(DEFAULT_ACTION_SESSIONS),
        description="Sessions a week beyond which a joint action earns no more coverage.",
    )
    variety: int = Field(
        1, ge=0, description="Weight per distinct or newly rotated exercise in a mesocycle."
    )
    distinct_per_mesocycle: int = Field(
        10, ge=0, description="Distinct main exercises per mesocycle that earn variety."
    )
    new_per_mesocycle: int = Field(
        5, ge=0, description="Exercises new against the previous mesocycle that earn variety."
    )
    favourite_bonus: int = Field(
        2, ge=0, description="Weight per mesocycle that uses a favourite exercise."
    )


class Constraints(Section):
    """Everything that shapes a plan. Built-in defaults < constraint file < command-line flags."""

    client: Client = Client()
    schedule: Schedule = Schedule()
    equipment: EquipmentChoice = EquipmentChoice()
    exercises: ExerciseChoice = ExerciseChoice()
    volume: Volume = Volume()
    balance: Balance = Balance()
    deload: Deload = Deload()
    objective: Objective = Objective()
    catalog: Path | None = Field(
        None,
        description="A catalog file in the format of catalog/exercises.toml (relative to the "
        "constraint file); see catalog_mode.",
    )
    catalog_mode: Literal["add", "replace"] = Field(
        "add",
        description="'add': the file's exercises join the built-in ones (ids must be new); "
        "'replace': only the file's exercises are used (it then needs warm-up drills and "
        "cool-down stretches too).",
    )
    seed: int = Field(0, ge=0, description="Solver random seed.")

    @property
    def rep_range(self) -> IntRange:
        return self.volume.reps or GOAL_REPS[self.client.goal]

    @property
    def rest_seconds(self) -> int:
        return GOAL_REST_SECONDS[self.client.goal]

    def _scaled(self, cap: int) -> int:
        return math.floor(cap * self.volume.level_factor.get(self.client.level, 1.0) + 1e-9)

    def weekly_sets(self) -> dict[str, IntRange]:
        """Weekly effective sets per muscle, the ceilings scaled by the client's level."""
        sets = self.volume.weekly_sets
        return {m: (lo, max(lo, self._scaled(hi))) for m, (lo, hi) in sets.items()}

    def fatigue_caps(self) -> IntRange:
        """Fatigue points per session and per week, scaled by the client's level."""
        vol = self.volume
        session, week = self._scaled(vol.session_fatigue_max), self._scaled(vol.week_fatigue_max)
        return max(1, session), max(1, week)

    def deload_weeks(self) -> tuple[int, ...]:
        """Deload weeks of the block (1-based): explicit, or every N weeks in long enough blocks."""
        weeks = self.schedule.weeks
        if self.deload.weeks is not None:
            return tuple(sorted(w for w in set(self.deload.weeks) if 1 < w <= weeks))
        if self.deload.every is None or weeks < self.deload.min_block_weeks:
            return ()
        return tuple(range(self.deload.every, weeks + 1, self.deload.every))

    def with_overrides(self, **dotted: object) -> Constraints:
        """A copy with 'section.key' values replaced (None values are ignored), re-validated."""
        data = self.model_dump()
        for path, value in dotted.items():
            if value is None:
                continue
            *parents, key = path.split(".")
            node = data
            for part in parents:
                node = node[part]
            node[key] = value
        return Constraints.model_validate(data)
