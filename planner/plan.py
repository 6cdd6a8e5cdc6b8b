"""The plan JSON contract (``schema_version`` 1) that other tools, renderers and the checker
read."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal[1] = 1


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class Session(Contract):
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    minutes: int = Field(description="Estimated duration, warm-up and cool-down included.")
    warmup: list[Item]
    exercises: list[Item]
    cooldown: list[Item]


class Week(Contract):
    week: int
    deload: bool
    sessions: list[Session]


class WeekCoverage(Contract):
    week: int
    sets: dict[str, float] = Field(
        description="Effective sets per muscle (primary 1, secondary 0.5)."
    )
    sessions_with_action: dict[str, int]
    score: int


class Coverage(Contract):
    """How well the block covers the posterior chain; ``objective = score + variety_score``."""

    weeks: list[WeekCoverage]
    score: int = Field(description="Sum of the weekly muscle and joint-action coverage scores.")
    distinct_exercises: int
    variety_score: int = Field(description="Variety weight per distinct exercise plus favourites.")
    objective: int


class Plan(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    status: Literal["optimal", "feasible"]
    equipment: list[str]
    weeks: list[Week]
    coverage: Coverage
    constraints: dict[str, Any] = Field(description="The effective constraints the plan obeys.")
    solver: dict[str, Any] = Field(description="Run-dependent data: times, gap, versions.")
