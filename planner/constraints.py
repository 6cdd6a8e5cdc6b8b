"""The rules a plan must follow, as validated data: built-in defaults a coach can override.

Every number here is a training rule from the source articles (cited per field) or a published
volume landmark; the model builder (``planner.model``) reads only this object and the catalog.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    field_validator,
    model_validator,
)

from planner.catalog import Action, ExerciseId, Goal, Level, Muscle, Pattern, Tier

MuscleGroup = Literal["hamstrings", "glutes", "calves"]
Cornerstone = Literal[
    "hip_hinge",
    "hip_thrust_bridge",
    "knee_flexion_curl",
    "calf_raise",
    "lunge_or_step_up",
    "row_or_pull_up",
]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = Day.__args__  # type: ignore[attr-defined]

# Rest between sets by goal and tier: "Rest 45-90 seconds between sets depending on intensity" (the
# sample workout's guide, below as 001), 2-3 minutes for heavy strength work.
TIER_REST_SECONDS: dict[Goal, dict[Tier, int]] = {
    "general": {"main": 120, "accessory": 90, "isolation": 60},
    "strength": {"main": 180, "accessory": 120, "isolation": 75},
    "hypertrophy": {"main": 120, "accessory": 90, "isolation": 60},
    "endurance": {"main": 75, "accessory": 60, "isolation": 45},
}
# Effort: reps in reserve in the first and last loading week of a mesocycle, by level (beginners
# stay
# further from failure), and in a deload week.
DEFAULT_RIR: dict[Level, tuple[int, int]] = {
    "beginner": (3, 2),
    "intermediate": (3, 1),
    "advanced": (3, 1),
}
DELOAD_RIR = 4
# Working sets per exercise by tier ("perform 3-5 sets", 000).
DEFAULT_SETS: dict[Tier, tuple[int, int]] = {
    "main": (3, 5),
    "accessory": (2, 3),
    "isolation": (2, 3),
}
WARMUP_REST_SECONDS = 15
COOLDOWN_REST_SECONDS = 10
# Ramp-up sets before the session's first externally loaded lift: (percent of the working load,
# reps),
# 60 s apart, never more reps than the working sets; they count in the session's time. Heavy
# strength
# work ramps in more, smaller steps.
RAMP_UP: dict[Goal, tuple[tuple[int, int], ...]] = {
    "general": ((50, 8), (70, 5), (85, 3)),
    "strength": ((40, 5), (60, 3), (75, 2), (85, 1)),
    "hypertrophy": ((50, 8), (70, 5), (85, 3)),
    "endurance": ((50, 8), (75, 5)),
}
RAMP_UP_REST_SECONDS = 60

# Weekly effective sets per muscle (primary 1.0, secondary 0.5), as volume landmarks for an
# intermediate lifter: minimum effective volume (MEV, a floor in loading weeks), maximum adaptive
# volume (MAV, beyond which more sets earn nothing) and maximum recoverable volume (MRV, a ceiling).
# After Israetel, Hoffmann & Smith's published landmarks, counted over the posterior chain's lifts.
DEFAULT_LANDMARKS: dict[Muscle, tuple[int, int, int]] = {
    "hamstrings": (6, 12, 20),
    "gluteus_maximus": (6, 12, 20),
    "gluteus_medius": (0, 4, 16),
    "gastrocnemius": (6, 10, 16),
    "soleus": (0, 6, 16),
    "erector_spinae": (0, 6, 12),
    "latissimus_dorsi": (0, 6, 16),
    "rhomboids": (0, 4, 16),
    "trapezius": (0, 4, 16),
    "posterior_deltoid": (0, 4, 16),
    "quadriceps": (0, 0, 12),
}
# How much each muscle's stimulus is worth: lower body first (hamstrings, glutes, calves and lower
# back
# carry the emphasis in all four source articles).
DEFAULT_MUSCLE_WEIGHTS: dict[Muscle, int] = {
    "hamstrings": 15,
    "gluteus_maximus": 15,
    "gluteus_medius": 3,
    "gastrocnemius": 9,
    "soleus": 6,
    "erector_spinae": 6,
    "latissimus_dorsi": 6,
    "rhomboids": 3,
    "trapezius": 3,
    "posterior_deltoid": 3,
    "quadriceps": 0,
}
# Posterior Chain Training (...): hip extension, knee flexion and ankle plantarflexion are the three
# actions of the back of the legs; every training week trains all three.
WEEKLY_ACTIONS: tuple[Action, ...] = ("hip_extension", "knee_flexion", "ankle_plantarflexion")
# Muscle groups trained in at least two sessions of a loading week, and the muscles that count.
FREQUENCY_GROUPS: dict[MuscleGroup, tuple[Muscle, ...]] = {
    "hamstrings": ("hamstrings",),
    "glutes": ("gluteus_maximus",),
    "calves": ("gastrocnemius", "soleus"),
}
# The articles' cornerstone lifts, every loading week when the kit allows: group -> families. A
# group
# marked loaded asks for an externally loaded variant when one is available.
CORNERSTONES: dict[Cornerstone, tuple[tuple[str, ...], bool]] = {
    "hip_hinge": (("romanian_deadlift", "good_morning", "deadlift"), True),
    "hip_thrust_bridge": (("hip_thrust_bridge",), False),
    "knee_flexion_curl": (("leg_curl", "supine_leg_curl", "nordic", "glute_ham_raise"), False),
    "calf_raise": (("standing_calf_raise", "seated_calf_raise"), False),
    "lunge_or_step_up": (("lunge", "step_up"), False),
    # ISSA's "Build a Better Backside" (002): "deadlifts, kettlebell swings, glute bridges, calf
    # raises, bent-over rows, and pull-ups can in fact be a part of every client's exercise
    # program".
    "row_or_pull_up": (("row", "vertical_pull"), False),
}
# Volume by training level, the one place it is scaled: MAV, MRV and fatigue caps are multiplied by
# the client level's factor (beginners recover from less; floors stay as they are).
DEFAULT_LEVEL_FACTOR: dict[Level, float] = {"beginner": 0.75, "intermediate": 1.0, "advanced": 1.0}

# Rule key (before any ':') -> the keys of a constraint file that set that rule. Every rule the
# model
# can name in an explanation has a key here and a function of the same name in planner.check.
RULE_CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    "sessions": ("schedule.sessions",),
    "days": ("schedule.days",),
    "rest_between_sessions": ("schedule.days", "schedule.sessions"),
    "session_size": ("volume.exercises_per_session",),
    "main_lift_every_session": ("exercises.exclude", "equipment.profile"),
    "session_volume": ("volume.session_sets",),
    "one_family_per_session": ("exercises.exclude",),
    "sets_and_reps": ("volume.sets",),
    "hip_knee_balance": ("balance.require_both", "balance.hip_knee_ratio"),
    "weekly_action": ("balance.weekly_actions",),
    "weekly_volume": ("volume.landmarks.{arg}", "volume.level_factor", "client.level"),
    "muscle_frequency": ("volume.frequency",),
    "cornerstone": ("balance.cornerstones", "balance.twice_weekly"),
    "session_time_cap": ("schedule.minutes",),
    "session_fatigue": ("volume.session_fatigue_max", "volume.level_factor", "client.level"),
    "week_fatigue": ("volume.week_fatigue_max", "volume.level_factor", "client.level"),
    "heaviest_lift_once_a_week": ("exercises.exclude",),
    "eccentric_spacing": ("exercises.exclude",),
    "lower_back": ("exercises.exclude",),
    "warmup": ("schedule.warmup_drills", "schedule.warmup_minutes"),
    "cooldown": ("schedule.cooldown_stretches",),
    "equipment": ("equipment.profile", "equipment.extra", "equipment.missing"),
    "level": ("client.level",),
    "exclude": ("exercises.exclude",),
    "exclude_patterns": ("exercises.exclude_patterns",),
    "exclude_actions": ("exercises.exclude_actions",),
    "exclude_dominance": ("exercises.exclude_dominance",),
    "require": ("exercises.require",),
    "stand_in": ("exercises.allow_stand_ins", "client.level"),
    "dominated": ("exercises.favourites",),
}


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


def _landmarks(mev_mav_mrv: tuple[int, int, int]) -> tuple[int, int, int]:
    mev, mav, mrv = mev_mav_mrv
    if not mev <= mav <= mrv:
        raise ValueError(f"landmarks must rise: MEV {mev} <= MAV {mav} <= MRV {mrv}")
    return mev_mav_mrv


def _easing(first_last: tuple[int, int]) -> tuple[int, int]:
    if first_last[0] < first_last[1]:
        raise ValueError(
            f"reps in reserve fall over a mesocycle: {first_last[0]} < {first_last[1]}"
        )
    return first_last


# Reps in reserve [first, last loading week]: effort rises, so the first is at least the last.
Effort = Annotated[
    tuple[Annotated[int, Field(ge=0, le=5)], Annotated[int, Field(ge=0, le=5)]],
    AfterValidator(_easing),
]

# [min, max] pairs; a minimum above its maximum is reported at the field itself.
IntRange = Annotated[tuple[int, int], AfterValidator(_ordered)]


class Client(Section):
    """Who the plan is for."""

    name: str = Field("", max_length=200, description="Client name, printed on the plan.")
    level: Level = Field(
        "intermediate",
        description="Training age: exercises above this level are left out; it sets each "
        "exercise's stimulus, the effort targets and the volume factor.",
    )
    goal: Goal = Field(
        "general",
        description="Reps and rest by exercise tier: strength is low reps and long rest on the "
        "main lifts, endurance higher reps.",
    )


class Schedule(Section):
    """When and how long the client trains."""

    weeks: StrictInt = Field(8, ge=1, le=52, description="Length of the block in weeks.")
    sessions: Literal[2, 3] | None = Field(
        None, description="Sessions per week; unset lets the planner choose 2 or 3."
    )
    days: tuple[Day, ...] = Field(DAYS, min_length=1, description="Days a session may fall on.")
    minutes: StrictInt = Field(
        60, ge=20, le=240, description="Time cap per session, warm-up and cool-down included."
    )
    start: dt.date | None = Field(None, description="First day of the block (calendar output).")
    warmup_drills: Annotated[IntRange, _within(3, 8)] = Field(
        (3, 5), description="Drills in a session's warm-up [min, max]."
    )
    warmup_minutes: Annotated[IntRange, _within(3, 20)] = Field(
        (5, 10),
        description="Minutes of a session's warm-up drills [min, max] (ramp-up sets apart).",
    )
    cooldown_stretches: Annotated[IntRange, _within(3, 8)] = Field(
        (3, 5),
        description="Stretches in a session's cool-down [min, max]: one each for the hamstrings, "
        "glutes and calves at least.",
    )
    missed_weeks: tuple[Annotated[int, Field(ge=1, le=52)], ...] = Field(
        (),
        description="Weeks without training (a missed week a re-plan repeats); they hold no "
        "sessions and do not count as loading weeks.",
    )

    @field_validator("missed_weeks")
    @classmethod
    def _sorted(cls, weeks: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(set(weeks)))


class EquipmentChoice(Section):
    """The kit the client has."""

    profile: str = Field(
        "gym", max_length=500, description="Equipment profile: home, gym, bodyweight, ..."
    )
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
    allow_stand_ins: bool = Field(
        False,
        description="Allow band and bodyweight variants of a movement the client can load.",
    )


Landmark = Annotated[
    tuple[
        Annotated[int, Field(ge=0, le=60)],
        Annotated[int, Field(ge=0, le=60)],
        Annotated[int, Field(ge=0, le=60)],
    ],
    AfterValidator(_landmarks),
]


class Volume(Section):
    """How much work: sets, weekly sets per muscle, session size and fatigue caps."""

    sets: dict[Tier, Annotated[IntRange, _within(1, 6)]] = Field(
        default_factory=lambda: dict(DEFAULT_SETS),
        description="Working sets per exercise in a loading week [min, max] by tier: main lifts "
        "get the most (the sample session in 001: 4 sets of the main lifts, 3 of the "
        "accessories, 2 of the finisher).",
    )
    exercises_per_session: Annotated[IntRange, _within(1, 12)] = Field(
        (3, 6), description="Main-block exercises per session [min, max]."
    )
    session_sets: Annotated[IntRange, _within(1, 60)] = Field(
        (9, 24), description="Working sets in a loading session [min, max]."
    )
    landmarks: dict[Muscle, Landmark] = Field(
        default_factory=lambda: dict(DEFAULT_LANDMARKS),
        description="Weekly effective sets per muscle [MEV, MAV, MRV] (primary 1.0, secondary "
        "0.5): at least MEV in a loading week, no reward past MAV, never above MRV.",
    )
    frequency: dict[MuscleGroup, Annotated[int, Field(ge=0, le=3)]] = Field(
        default_factory=lambda: {g: 2 for g in FREQUENCY_GROUPS},
        description="Sessions of a loading week that train each muscle group (0 to drop).",
    )
    session_fatigue_max: int = Field(
        60, ge=1, le=1000, description="Fatigue points per session (sets x the exercise's cost)."
    )
    week_fatigue_max: int = Field(150, ge=1, le=3000, description="Fatigue points per week.")
    level_factor: dict[Level, Annotated[float, Field(ge=0.25, le=2)]] = Field(
        default_factory=lambda: dict(DEFAULT_LEVEL_FACTOR),
        description="Per client level, the factor on MAV, MRV and fatigue caps "
        "(beginner 0.75: beginners recover from less).",
    )


class Balance(Section):
    """Balance of the posterior chain: hip vs knee work, weekly joint actions, cornerstone lifts."""

    hip_knee_ratio: Annotated[
        tuple[Annotated[float, Field(ge=0.1, le=10)], Annotated[float, Field(ge=0.1, le=10)]],
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
        description="Joint actions every week's main block trains (the three actions of the back "
        "of the legs); drop one only for a reason such as an injury.",
    )
    cornerstones: tuple[Cornerstone, ...] = Field(
        tuple(CORNERSTONES),
        description="Cornerstone lifts in every loading week when the kit allows: hip_hinge (a "
        "loaded one when there is one), hip_thrust_bridge, knee_flexion_curl, calf_raise, "
        "lunge_or_step_up, row_or_pull_up (a row, pull-up or pulldown for the upper back).",
    )
    twice_weekly: tuple[Cornerstone, ...] = Field(
        ("hip_hinge", "hip_thrust_bridge", "knee_flexion_curl"),
        description="Cornerstones trained in at least two sessions of a loading week (each "
        "movement twice a week, not one lift doubled while another is done once).",
    )


class Deload(Section):
    """Lighter recovery weeks: the same lifts, fewer sets, more reps in reserve."""

    every: int | None = Field(
        4, ge=2, le=52, description="A deload every N weeks (N, 2N, ...); unset for none."
    )
    weeks: tuple[Annotated[int, Field(ge=2, le=52)], ...] | None = Field(
        None, description="Explicit deload weeks; replaces 'every' when given."
    )
    cut: float = Field(
        0.5,
        ge=0.3,
        le=0.6,
        description="Share of each lift's sets a deload week drops (rounded so at least one "
        "set stays).",
    )
    min_block_weeks: int = Field(
        6, ge=1, le=52, description="Blocks at least this long hold at least one deload week."
    )

    @field_validator("weeks")
    @classmethod
    def _apart(cls, weeks: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if weeks is None:
            return None
        weeks = tuple(sorted(set(weeks)))
        for a, b in pairwise(weeks):
            if b - a < 2:
                raise ValueError(f"deload weeks {a} and {b} are back to back")
        return weeks


class KnownLoad(Section):
    """A load the lifter knows for one exercise: the first week's working load or a 1RM (kg)."""

    kg: float | None = Field(None, gt=0, le=1000, description="Working load of the first week.")
    one_rep_max: float | None = Field(None, gt=0, le=1000, description="One-rep max.")

    @model_validator(mode="after")
    def _one(self) -> KnownLoad:
        if (self.kg is None) == (self.one_rep_max is None):
            raise ValueError("give either kg or one_rep_max")
        return self


class Prescription(Section):
    """How each exercise is done: effort targets and known loads."""

    rir: dict[Level, Effort] = Field(
        default_factory=lambda: dict(DEFAULT_RIR),
        description="Reps in reserve [first, last] loading week of a mesocycle, by level.",
    )
    deload_rir: int = Field(DELOAD_RIR, ge=2, le=6, description="Reps in reserve in a deload.")
    loads: dict[ExerciseId, KnownLoad] = Field(
        default_factory=dict,
        description="Known loads per exercise id: {kg = 60} for the first week's working load or "
        "{one_rep_max = 100}; turns the load rule into kilograms per week.",
    )
    loads_week: int = Field(
        1,
        ge=1,
        le=53,
        description="The week the known loads are for: the block's first week, or the first week "
        "of a re-plan that took its loads from a training log. The loads progress from there.",
    )


class Objective(Section):
    """Weights of what a better plan has."""

    muscle_weights: dict[Muscle, Annotated[int, Field(ge=0, le=100)]] = Field(
        default_factory=lambda: dict(DEFAULT_MUSCLE_WEIGHTS),
        description="Value of each muscle's stimulus (per stimulus-weighted quarter set, "
        "doubled below MEV, nothing past MAV).",
    )
    quality: int = Field(
        2,
        ge=0,
        le=100,
        description="Value of every working set per point of its lift's stimulus, past MAV "
        "too: prefers the better variant at equal volume, too little to pay for a set.",
    )
    fatigue_cost: int = Field(
        20, ge=0, le=1000, description="Cost per fatigue point in a loading week."
    )
    time_cost: int = Field(1, ge=0, le=100, description="Cost per second of a loading session.")
    favourite_bonus: int = Field(
        100, ge=0, le=10000, description="Bonus per mesocycle that uses a favourite exercise."
    )


def scaled(cap: float, factor: float) -> int:
    """A cap scaled by a client level's factor, rounded down."""
    return math.floor(cap * factor + 1e-9)


def level_landmarks(marks: Sequence[int], factor: float) -> tuple[int, int, int]:
    """A muscle's weekly [MEV, MAV, MRV] with MAV and MRV scaled by ``factor`` (never below
    MEV; MAV never above MRV)."""
    mev, mav, mrv = marks
    hi = max(mev, scaled(mrv, factor))
    return mev, min(hi, max(mev, scaled(mav, factor))), hi


class Constraints(Section):
    """Everything that shapes a plan. Built-in defaults < constraint file < command-line flags."""

    client: Client = Client()
    schedule: Schedule = Schedule()
    equipment: EquipmentChoice = EquipmentChoice()
    exercises: ExerciseChoice = ExerciseChoice()
    volume: Volume = Volume()
    balance: Balance = Balance()
    deload: Deload = Deload()
    prescription: Prescription = Prescription()
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
    seed: StrictInt = Field(0, ge=0, le=2**31 - 1, description="Solver random seed.")

    @model_validator(mode="after")
    def _missed_weeks_fit(self) -> Constraints:
        missed = set(self.schedule.missed_weeks)
        origin = self.prescription.loads_week
        if origin > self.schedule.weeks or (origin > 1 and origin in missed):
            raise ValueError(f"prescription.loads_week {origin} is not a week trained in the block")
        if not missed:
            return self
        weeks = self.schedule.weeks
        if max(missed) > weeks:
            raise ValueError(f"missed week {max(missed)} is past the block's {weeks} weeks")
        deloads = set(self.deload_weeks())
        if missed & deloads:
            raise ValueError(f"week {min(missed & deloads)} is both missed and a deload week")
        loading: list[int] = []
        for week in range(1, weeks + 1):
            if week in deloads or week == weeks:
                if week not in deloads and week not in missed:
                    loading.append(week)
                if not loading:
                    raise ValueError(f"the mesocycle ending in week {week} has no week trained")
                loading = []
            elif week not in missed:
                loading.append(week)
        return self

    def _scaled(self, cap: int) -> int:
        return scaled(cap, self.volume.level_factor.get(self.client.level, 1.0))

    def landmarks(self) -> dict[Muscle, tuple[int, int, int]]:
        """Weekly [MEV, MAV, MRV] per muscle, MAV and MRV scaled by the client's level."""
        factor = self.volume.level_factor.get(self.client.level, 1.0)
        return {m: level_landmarks(marks, factor) for m, marks in self.volume.landmarks.items()}

    def fatigue_caps(self) -> IntRange:
        """Fatigue points per session and per week, scaled by the client's level."""
        vol = self.volume
        session, week = self._scaled(vol.session_fatigue_max), self._scaled(vol.week_fatigue_max)
        return max(1, session), max(1, week)

    def rir(self) -> IntRange:
        """Reps in reserve in the first and last loading week of a mesocycle."""
        return self.prescription.rir.get(self.client.level, DEFAULT_RIR[self.client.level])

    def deload_weeks(self) -> tuple[int, ...]:
        """Deload weeks of the block (1-based): explicit, or every N weeks in long enough blocks."""
        weeks = self.schedule.weeks
        if self.deload.weeks is not None:
            return tuple(w for w in self.deload.weeks if w <= weeks)
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
