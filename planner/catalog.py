"""The exercise catalog: validated entries and the equipment profiles.

The data lives in ``catalog/`` (TOML, not code). Each entry cites the source article it comes from.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Block = Literal["main", "warmup", "cooldown"]
Level = Literal["beginner", "intermediate", "advanced"]
Dominance = Literal["hip", "knee"]
Action = Literal[
    "hip_extension",
    "knee_flexion",
    "ankle_plantarflexion",
    "hip_abduction",
    "hip_external_rotation",
    "spinal_extension",
    "shoulder_extension",
    "scapular_retraction",
    "scapular_elevation",
]
Muscle = Literal[
    "hamstrings",
    "gluteus_maximus",
    "gluteus_medius",
    "gastrocnemius",
    "soleus",
    "erector_spinae",
    "latissimus_dorsi",
    "rhomboids",
    "trapezius",
    "posterior_deltoid",
    "quadriceps",
]
Pattern = Literal[
    "hinge",
    "bridge",
    "knee_curl",
    "squat",
    "lunge",
    "step_up",
    "calf_raise",
    "back_extension",
    "vertical_pull",
    "horizontal_pull",
    "shrug",
    "rear_delt",
    "abduction",
    "kickback",
    "core_stability",
    "mobility",
    "stretch",
]

ACTIONS: tuple[Action, ...] = Action.__args__  # type: ignore[attr-defined]
MUSCLES: tuple[Muscle, ...] = Muscle.__args__  # type: ignore[attr-defined]
PATTERNS: tuple[Pattern, ...] = Pattern.__args__  # type: ignore[attr-defined]
LEVELS: tuple[Level, ...] = Level.__args__  # type: ignore[attr-defined]

ExerciseId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Share = Annotated[float, Field(gt=0, le=1, multiple_of=0.25)]


class Exercise(BaseModel):
    """One catalog entry: what it trains, what it needs and what it costs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ExerciseId
    name: str = Field(min_length=1)
    block: Block
    equipment: tuple[str, ...] = ()
    pattern: Pattern
    dominance: Dominance | None = None
    actions: tuple[Action, ...] = ()
    muscles: dict[Muscle, Share]
    level: Level
    unilateral: bool = False
    fatigue: int = Field(ge=0, le=5)
    high_fatigue_eccentric: bool = False
    seconds_per_rep: int | None = Field(default=None, ge=1, le=10)
    hold_seconds: int | None = Field(default=None, ge=5, le=120)
    default_sets: int | None = Field(default=None, ge=1, le=5)
    default_reps: int | None = Field(default=None, ge=1, le=30)
    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("muscles")
    @classmethod
    def _has_muscles(cls, muscles: dict[str, float]) -> dict[str, float]:
        if not muscles:
            raise ValueError("list at least one muscle")
        return muscles

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        if self.dominance is not None:
            if self.block != "main" or self.muscles.get("hamstrings") != 1.0:
                raise ValueError("dominance is only for main-block hamstring work (hamstrings 1.0)")
            needed = "hip_extension" if self.dominance == "hip" else "knee_flexion"
            if needed not in self.actions:
                raise ValueError(f"{self.dominance}-dominant work must list {needed}")
        if self.block == "main":
            if self.seconds_per_rep is None or self.hold_seconds is not None:
                raise ValueError(
                    "main-block entries are rep work: seconds_per_rep, no hold_seconds"
                )
            if not 1 <= self.fatigue <= 5:
                raise ValueError("main-block fatigue must be 1..5")
            if not self.actions or 1.0 not in self.muscles.values():
                raise ValueError("main-block entries need an action and a primary muscle (1.0)")
            if self.default_sets is not None or self.default_reps is not None:
                raise ValueError("main-block sets and reps are chosen by the planner, not preset")
        else:
            if self.fatigue != 0:
                raise ValueError("warm-up and cool-down entries have fatigue 0")
            if self.default_sets is None:
                raise ValueError(f"{self.block} entries need default_sets")
            timed = self.hold_seconds is not None
            if timed == (self.seconds_per_rep is not None) or timed == (
                self.default_reps is not None
            ):
                raise ValueError("give either hold_seconds, or seconds_per_rep with default_reps")
            if self.block == "cooldown" and not timed:
                raise ValueError("cool-down stretches are timed holds")
        return self

    @property
    def sides(self) -> int:
        return 2 if self.unilateral else 1


class Catalog(BaseModel):
    """All entries plus the equipment vocabulary and profiles."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    equipment: dict[str, str]
    profiles: dict[str, tuple[str, ...]]
    exercises: tuple[Exercise, ...]

    @model_validator(mode="after")
    def _references(self) -> Catalog:
        seen: set[str] = set()
        for ex in self.exercises:
            if ex.id in seen:
                raise ValueError(f"duplicate exercise id {ex.id!r}")
            seen.add(ex.id)
            unknown = set(ex.equipment) - set(self.equipment)
            if unknown:
                raise ValueError(f"{ex.id}: unknown equipment {sorted(unknown)}")
        for name, items in self.profiles.items():
            unknown = set(items) - set(self.equipment)
            if unknown:
                raise ValueError(f"profile {name}: unknown equipment {sorted(unknown)}")
        return self

    def by_id(self) -> dict[str, Exercise]:
        return {ex.id: ex for ex in self.exercises}

    def resolve_equipment(self, spec: str) -> tuple[str, ...]:
        """Equipment named by a profile or a comma list of items ('home', 'dumbbell,bench')."""
        items: set[str] = set()
        for part in (p.strip() for p in spec.split(",")):
            if part in self.profiles:
                items.update(self.profiles[part])
            elif part in self.equipment:
                items.add(part)
            else:
                known = ", ".join([*sorted(self.profiles), *sorted(self.equipment)])
                raise ValueError(f"unknown equipment {part!r}; known: {known}")
        return tuple(sorted(items))


def catalog_dir() -> Path:
    """The built-in catalog: inside the installed package, or at the top of a source checkout."""
    installed = Path(__file__).parent / "catalog"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "catalog"


def read_catalog(exercises: Path, equipment: Path | None = None) -> Catalog:
    """Read a catalog from TOML; the equipment file defaults to the built-in one."""
    gear = tomllib.loads((equipment or catalog_dir() / "equipment.toml").read_text("utf-8"))
    entries = tomllib.loads(exercises.read_text("utf-8")).get("exercise", [])
    return Catalog(equipment=gear["equipment"], profiles=gear["profiles"], exercises=entries)


@cache
def builtin_catalog() -> Catalog:
    return read_catalog(catalog_dir() / "exercises.toml")
