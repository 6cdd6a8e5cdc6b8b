"""The plan JSON contract (``schema_version`` 2) that other tools, renderers and the checker read.

Version 2 adds what a lifter needs to follow the plan: each exercise's tier and family, its rep
range, the week's reps-in-reserve target, tempo, the load rule (and kilograms where a known load or
1RM was given), ramp-up sets before the first loaded lift, and each week's mesocycle. Every field of
version 1 is kept.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal[2] = 2


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RampSet(Contract):
    """A lighter set before the first working set of the session's first loaded lift."""

    percent: int = Field(description="Share of the working load, in percent.")
    reps: int
    load_kg: float | None = Field(description="Kilograms, when the working load is known.")


class Item(Contract):
    """One exercise, drill or stretch in a session."""

    id: str
    name: str
    sets: int
    reps: int | None = Field(
        description="Reps per set (per side when unilateral); null for a hold."
    )
    seconds: int | None = Field(description="Hold per set (per side when unilateral), else null.")
    rest_seconds: int
    equipment: list[str]
    pattern: str
    dominance: Literal["hip", "knee"] | None
    actions: list[str]
    muscles: dict[str, float]
    level: str
    unilateral: bool
    seconds_per_rep: int | None
    fatigue: int
    high_fatigue_eccentric: bool
    tier: Literal["main", "accessory", "isolation"] | None = Field(
        description="Main lift, accessory or isolation work; null for warm-up and cool-down."
    )
    family: str | None = Field(description="The movement family (one per session).")
    rep_range: list[int] | None = Field(description="[min, max] reps for the client's goal.")
    rir: int | None = Field(description="Reps in reserve to stop at: the week's effort target.")
    tempo: str | None = Field(
        description="Seconds lowering-pause-lifting-pause (3-0-1-0: three seconds down)."
    )
    load: str | None = Field(description="How it is loaded: barbell, dumbbell, ..., bodyweight.")
    load_kg: float | None = Field(
        description="Working load in kg for this week, when a load or 1RM is known."
    )
    increment_kg: float | None = Field(description="The load step of the kit; null for none.")
    load_rule: str | None = Field(description="When and how to add load (double progression).")
    ramp_up: list[RampSet] = Field(
        default_factory=list, description="Ramp-up sets before the first working set."
    )


class Session(Contract):
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    minutes: int = Field(
        description="Estimated duration: warm-up, ramp-up sets, working sets and rest, cool-down."
    )
    warmup: list[Item]
    exercises: list[Item]
    cooldown: list[Item]


class Performed(Contract):
    """A working set as the training log recorded it."""

    day: str
    exercise: str = Field(description="The exercise id.")
    set: int
    load_kg: float | None
    reps: int | None
    rir: float | None = Field(description="Reps in reserve logged (from RPE: 10 - RPE).")
    done: bool


class Week(Contract):
    week: int
    deload: bool
    mesocycle: int = Field(description="1-based mesocycle: loading weeks and their deload.")
    sessions: list[Session]
    missed: bool = Field(False, description="A week without training (no sessions).")
    performed: list[Performed] = Field(
        default_factory=list,
        description="What the training log recorded this week (a re-plan that read a log).",
    )


class WeekCoverage(Contract):
    week: int
    sets: dict[str, float] = Field(
        description="Effective sets per muscle (primary 1, secondary 0.5)."
    )
    sessions_with_action: dict[str, int]
    score: int = Field(description="The week's stimulus value minus its fatigue and time costs.")


class Coverage(Contract):
    """The objective recomputed from the plan: ``objective = score + variety_score`` (README)."""

    weeks: list[WeekCoverage]
    score: int = Field(description="Sum of the loading weeks' scores.")
    distinct_exercises: int
    variety_score: int = Field(
        description="Main lifts kept across mesocycles, accessories rotated, favourites used."
    )
    objective: int
    terms: dict[str, int] = Field(
        description="The objective's parts: stimulus, fatigue_cost, time_cost, continuity, "
        "rotation, favourites (costs negative)."
    )


class Change(Contract):
    """A change made to the plan after it was made: a re-plan or a swap."""

    kind: Literal["replan", "swap"]
    from_week: int = Field(description="First week planned anew.")
    through_week: int = Field(description="Last week planned anew.")
    missed_week: int | None = Field(None, description="The missed week a re-plan repeats.")
    day: str | None = Field(None, description="A swap's session day.")
    exercise: str | None = Field(None, description="The lift a swap replaced.")
    to: str | None = Field(None, description="The lift a swap put in its place.")
    constraints: dict[str, Any] | None = Field(
        None, description="A re-plan: the rules in force for the weeks before ``from_week``."
    )
    log: str | None = Field(None, description="The training log a re-plan read.")
    notes: list[str] = Field(
        default_factory=list, description="What the log changed: loads, resets, missed weeks."
    )
    changed: int = Field(description="Prescriptions changed (a lift's sets, reps, RIR or load).")
    prescriptions: int = Field(description="Prescriptions in the weeks planned anew.")


class Plan(Contract):
    schema_version: Literal[2] = SCHEMA_VERSION
    status: Literal["optimal", "feasible"]
    equipment: list[str]
    weeks: list[Week]
    coverage: Coverage
    constraints: dict[str, Any] = Field(
        description="The effective constraints the plan obeys (after the last re-plan, from its "
        "first week on)."
    )
    solver: dict[str, Any] = Field(description="Run-dependent data: times, gap, versions.")
    history: list[Change] = Field(
        default_factory=list, description="Re-plans and swaps since the plan was made, in order."
    )
