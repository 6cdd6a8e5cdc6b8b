"""The exercise catalog: validated entries, the equipment profiles and the cited articles.

The data lives in ``catalog/`` (TOML, not code). Each entry cites the articles it comes from by a
key of catalog/sources.toml; catalog/exercises.toml documents every field in its header.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

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

Family = Literal[
    "romanian_deadlift",
    "good_morning",
    "swing",
    "deadlift",
    "pull_through",
    "hip_thrust_bridge",
    "leg_curl",
    "supine_leg_curl",
    "nordic",
    "glute_ham_raise",
    "standing_calf_raise",
    "seated_calf_raise",
    "lunge",
    "step_up",
    "squat",
    "back_extension",
    "reverse_hyper",
    "row",
    "vertical_pull",
    "shrug",
    "rear_delt",
    "abduction",
    "kickback",
]
Tier = Literal["main", "accessory", "isolation"]
LoadKind = Literal["barbell", "dumbbell", "kettlebell", "machine", "cable", "band", "bodyweight"]
LoadCeiling = Literal["high", "moderate", "low"]
Goal = Literal["general", "strength", "hypertrophy", "endurance"]

# The movement pattern each family belongs to.
FAMILY_PATTERN: dict[Family, Pattern] = {
    "romanian_deadlift": "hinge",
    "good_morning": "hinge",
    "swing": "hinge",
    "deadlift": "hinge",
    "pull_through": "hinge",
    "hip_thrust_bridge": "bridge",
    "leg_curl": "knee_curl",
    "supine_leg_curl": "knee_curl",
    "nordic": "knee_curl",
    "glute_ham_raise": "knee_curl",
    "standing_calf_raise": "calf_raise",
    "seated_calf_raise": "calf_raise",
    "lunge": "lunge",
    "step_up": "step_up",
    "squat": "squat",
    "back_extension": "back_extension",
    "reverse_hyper": "back_extension",
    "row": "horizontal_pull",
    "vertical_pull": "vertical_pull",
    "shrug": "shrug",
    "rear_delt": "rear_delt",
    "abduction": "abduction",
    "kickback": "kickback",
}
# Fatigue points of one working set, 0 (drills) to the heaviest barbell pulls and squats.
MAX_FATIGUE = 5
# No rep range is wider than a mesocycle of three loading weeks climbs (two reps a week: REP_STEP
# in planner.instance), so double progression's trigger, every set at the top, is reached.
MAX_REP_SPAN = 4
# Reps per set [min, max] by tier and goal; an entry's `reps` overrides them where they do not fit.
TIER_REPS: dict[Tier, dict[Goal, tuple[int, int]]] = {
    "main": {"general": (8, 10), "strength": (4, 6), "hypertrophy": (6, 10), "endurance": (12, 15)},
    "accessory": {
        "general": (10, 12),
        "strength": (6, 8),
        "hypertrophy": (8, 12),
        "endurance": (12, 16),
    },
    "isolation": {
        "general": (12, 15),
        "strength": (10, 12),
        "hypertrophy": (10, 14),
        "endurance": (16, 20),
    },
}
# Band and bodyweight work progresses by reps, tempo, a stronger band or a harder variant.
UNWEIGHTED: frozenset[LoadKind] = frozenset({"band", "bodyweight"})
# Reps of band and bodyweight work that cannot be loaded much (load_ceiling "low"), two-legged or
# one leg at a time: enough reps that the week's reps in reserve are within reach (eight
# bodyweight good mornings end some thirty reps short of failure). Light loads build as much
# muscle as heavy ones when the sets end near failure, but less maximal strength (Schoenfeld,
# Grgic, Ogborn & Krieger, "Strength and hypertrophy adaptations between low- vs. high-load
# resistance training", J Strength Cond Res 31(12), 2017). An entry's `reps` overrides them.
LOW_CEILING_REPS: dict[bool, dict[Goal, tuple[int, int]]] = {
    False: {
        "general": (16, 20),
        "strength": (12, 15),
        "hypertrophy": (16, 20),
        "endurance": (20, 24),
    },
    True: {
        "general": (10, 14),
        "strength": (8, 12),
        "hypertrophy": (12, 16),
        "endurance": (16, 20),
    },
}
# How far each kind of load can go: the ceilings an entry may declare.
LOAD_CEILINGS: dict[LoadKind, tuple[LoadCeiling, ...]] = {
    "barbell": ("high",),
    "machine": ("high",),
    "cable": ("high", "moderate"),
    "dumbbell": ("moderate",),
    "kettlebell": ("moderate",),
    "band": ("low",),
    "bodyweight": ("low", "moderate"),
}
# Equipment the load comes from: a dumbbell exercise lists "dumbbell", and so on.
LOAD_EQUIPMENT: dict[LoadKind, str] = {
    "barbell": "barbell",
    "dumbbell": "dumbbell",
    "kettlebell": "kettlebell",
    "cable": "cable",
    "band": "band",
}
MAIN_ONLY = (
    "family",
    "tier",
    "load",
    "load_ceiling",
    "increment_kg",
    "stimulus",
    "lengthened",
    "tempo",
    "reps",
    "min_rir",
)
TEMPO = re.compile(r"^\d-\d-\d-\d$")

ACTIONS: tuple[Action, ...] = Action.__args__  # type: ignore[attr-defined]
MUSCLES: tuple[Muscle, ...] = Muscle.__args__  # type: ignore[attr-defined]
PATTERNS: tuple[Pattern, ...] = Pattern.__args__  # type: ignore[attr-defined]
LEVELS: tuple[Level, ...] = Level.__args__  # type: ignore[attr-defined]
FAMILIES: tuple[Family, ...] = Family.__args__  # type: ignore[attr-defined]
GOALS: tuple[Goal, ...] = Goal.__args__  # type: ignore[attr-defined]

ExerciseId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Share = Annotated[float, Field(gt=0, le=1, multiple_of=0.25)]
SourceKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+(#.+)?$", max_length=200)]


class Source(BaseModel):
    """An article or data set that catalog entries cite."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str | None = None
    note: str = ""


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
    fatigue: int = Field(ge=0, le=MAX_FATIGUE)
    high_fatigue_eccentric: bool = False
    seconds_per_rep: int | None = Field(default=None, ge=1, le=10)
    hold_seconds: int | None = Field(default=None, ge=5, le=120)
    default_sets: int | None = Field(default=None, ge=1, le=5)
    default_reps: int | None = Field(default=None, ge=1, le=30)
    family: Family | None = None
    tier: Tier | None = None
    load: LoadKind | None = None
    load_ceiling: LoadCeiling | None = None
    increment_kg: float | None = Field(default=None, ge=0.5, le=10)
    stimulus: dict[Level, Annotated[int, Field(ge=1, le=10)]] | None = None
    lengthened: bool | None = None
    assisted: bool = False  # the band takes weight off: it progresses to a lighter band
    tempo: str | None = None
    reps: dict[Goal, tuple[int, int]] | None = None
    min_rir: int | None = Field(default=None, ge=0, le=5)
    prepares: tuple[Pattern, ...] = ()
    sources: tuple[SourceKey, ...] = Field(min_length=1)

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
            self._coach_fields()
        else:
            given = [name for name in MAIN_ONLY if getattr(self, name) is not None]
            if given:
                raise ValueError(
                    f"{self.block} entries do not take main-block fields: {', '.join(given)}"
                )
            if self.fatigue != 0:
                raise ValueError("warm-up and cool-down entries have fatigue 0")
            if self.assisted:
                raise ValueError(f"{self.block} entries are not assisted lifts")
            if self.default_sets is None:
                raise ValueError(f"{self.block} entries need default_sets")
            timed = self.hold_seconds is not None
            if timed == (self.seconds_per_rep is not None) or timed == (
                self.default_reps is not None
            ):
                raise ValueError("give either hold_seconds, or seconds_per_rep with default_reps")
            if self.block == "cooldown" and not timed:
                raise ValueError("cool-down stretches are timed holds")
            if self.block == "cooldown" and not 30 <= (self.hold_seconds or 0) <= 60:
                raise ValueError("cool-down stretches are held 30 to 60 seconds")
        if (self.block == "warmup") != bool(self.prepares):
            raise ValueError(
                "prepares: required for warm-up drills (the patterns they rehearse), only for them"
            )
        return self

    def _coach_fields(self) -> None:
        missing = [
            name
            for name in ("family", "tier", "load", "load_ceiling", "stimulus", "lengthened")
            if getattr(self, name) is None
        ]
        if missing:
            raise ValueError(f"main-block entries need {', '.join(missing)}")
        assert self.family and self.tier and self.load and self.load_ceiling and self.stimulus
        if FAMILY_PATTERN[self.family] != self.pattern:
            raise ValueError(
                f"family {self.family} belongs to pattern {FAMILY_PATTERN[self.family]}, "
                f"not {self.pattern}"
            )
        if self.tier == "main" and (self.load in UNWEIGHTED or self.unilateral):
            raise ValueError("tier main is for bilateral lifts with an external load")
        if self.load_ceiling not in LOAD_CEILINGS[self.load]:
            allowed = " or ".join(LOAD_CEILINGS[self.load])
            raise ValueError(f"load_ceiling of {self.load} work is {allowed}")
        needed = LOAD_EQUIPMENT.get(self.load)
        if needed and needed not in self.equipment:
            raise ValueError(f"{self.load} load: list {needed!r} in equipment")
        if self.assisted and self.load != "band":
            raise ValueError("assisted: only for band work, where the band takes weight off")
        if (self.increment_kg is None) != (self.load in UNWEIGHTED):
            raise ValueError("increment_kg: none for band and bodyweight work, required otherwise")
        if set(self.stimulus) != set(LEVELS):
            raise ValueError("stimulus: give beginner, intermediate and advanced")
        if self.tempo is not None:
            if not TEMPO.match(self.tempo):
                raise ValueError(f"tempo {self.tempo!r}: four digits like 3-0-1-0")
            seconds = max(2, sum(int(d) for d in self.tempo.split("-")))
            if self.seconds_per_rep != seconds:
                raise ValueError(f"tempo {self.tempo} takes seconds_per_rep = {seconds}")
        for goal, (lo, hi) in (self.reps or {}).items():
            if not 1 <= lo <= hi <= 50:
                raise ValueError(f"reps.{goal}: [min, max] with 1 <= min <= max <= 50")
            if hi - lo > MAX_REP_SPAN:
                raise ValueError(
                    f"reps.{goal}: [{lo}, {hi}] is wider than {MAX_REP_SPAN} reps, more than "
                    "three loading weeks climb at two a week (the load rule would never fire)"
                )
            if (lo, hi) == self.standard_reps(goal):
                whose = "low-ceiling band and bodyweight" if self.light else f"{self.tier} tier's"
                raise ValueError(f"reps.{goal}: repeats the {whose} default; leave it out")

    def standard_reps(self, goal: Goal) -> tuple[int, int]:
        """Reps per set for a goal without an override: band or bodyweight work that cannot be
        loaded much takes ``LOW_CEILING_REPS``, everything else its tier's ``TIER_REPS``."""
        if self.tier is None:
            raise ValueError(f"{self.id}: only main-block entries have a rep range")
        if self.light:
            return LOW_CEILING_REPS[self.unilateral][goal]
        return TIER_REPS[self.tier][goal]

    @property
    def light(self) -> bool:
        """Band or bodyweight work that cannot be loaded much (load_ceiling "low")."""
        return self.load in UNWEIGHTED and self.load_ceiling == "low"

    def rep_range(self, goal: Goal) -> tuple[int, int]:
        """Reps per set for a goal: the entry's override, else its default."""
        return (self.reps or {}).get(goal) or self.standard_reps(goal)

    @property
    def weighted(self) -> bool:
        """Loaded by a barbell, dumbbell, kettlebell, machine or cable (not band or bodyweight)."""
        return self.load is not None and self.load not in UNWEIGHTED

    @property
    def sides(self) -> int:
        return 2 if self.unilateral else 1


def catalog_dir() -> Path:
    """The built-in catalog: inside the installed package, or at the top of a source checkout."""
    installed = Path(__file__).parent / "catalog"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "catalog"


@cache
def builtin_sources() -> dict[str, Source]:
    """The articles and data sets the built-in catalog cites (catalog/sources.toml)."""
    raw = builtin_toml("sources.toml")
    return {key: Source.model_validate(value) for key, value in raw["sources"].items()}


class Catalog(BaseModel):
    """All entries plus the equipment vocabulary, the profiles and the sources entries cite."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    equipment: dict[str, str]
    profiles: dict[str, tuple[str, ...]]
    exercises: tuple[Exercise, ...]
    sources: dict[str, Source] = Field(default_factory=builtin_sources)

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
            uncited = sorted({s.split("#")[0] for s in ex.sources} - set(self.sources))
            if uncited:
                raise ValueError(
                    f"{ex.id}: unknown source {', '.join(uncited)} (add it to a [sources] table)"
                )
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


def read_catalog(exercises: Path, equipment: Path | None = None) -> Catalog:
    """Read a catalog from TOML; the equipment file defaults to the built-in one. The file's own
    [sources] table adds to the built-in sources."""
    import tomllib

    gear = (
        tomllib.loads(equipment.read_text("utf-8")) if equipment else builtin_toml("equipment.toml")
    )
    return _catalog(tomllib.loads(exercises.read_text("utf-8")), gear)


def _catalog(data: dict[str, Any], gear: dict[str, Any]) -> Catalog:
    return Catalog(
        equipment=gear["equipment"],
        profiles=gear["profiles"],
        exercises=data.get("exercise", []),
        sources={**builtin_sources(), **data.get("sources", {})},
    )


@cache
def builtin_catalog() -> Catalog:
    return _catalog(builtin_toml("exercises.toml"), builtin_toml("equipment.toml"))


def parsed_dir() -> Path:
    """Where the built-in catalog's files are kept parsed: beside the package's bytecode."""
    return Path(__file__).parent / "__pycache__"


def builtin_toml(name: str) -> dict[str, Any]:
    """A file of the built-in catalog, parsed. ``tomllib`` takes about 10 ms for exercises.toml,
    as long as the rest of a small solve's reading, so the parsed data is kept as JSON (0.4 ms to
    read) in ``parsed_dir()`` under the digest of the TOML it came from: an edited file is parsed
    again. Like Python's bytecode, it is not written when ``sys.dont_write_bytecode`` is set
    (``PYTHONDONTWRITEBYTECODE``) or where the package cannot be written."""
    raw = (catalog_dir() / name).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    kept = parsed_dir() / f"catalog-{name}.json"
    data = read_kept(kept, digest)
    if data is None:
        import tomllib

        data = tomllib.loads(raw.decode("utf-8"))
        if not sys.dont_write_bytecode:
            keep(kept, digest, data)
    return data


# A kept file is a line "<digest of the TOML> <digest of the rest>", then the data as JSON.
MAX_KEPT = 10 * 1024 * 1024


def read_kept(path: Path, digest: str) -> dict[str, Any] | None:
    """The data kept at ``path`` for the TOML of ``digest``; None when there is none, it is
    another TOML's, it is not a regular file (a FIFO) or not exactly as written (an edit)."""
    from planner.files import read_bytes

    try:
        head, _, body = read_bytes(path, MAX_KEPT).partition(b"\n")
    except OSError:
        return None
    if head != f"{digest} {hashlib.sha256(body).hexdigest()}".encode():
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def keep(path: Path, digest: str, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path`` for ``read_kept``, whole or not at all, replacing whatever is at
    that name (a link there is replaced, not followed); nothing when it cannot be written."""
    from planner.files import write_atomic

    try:
        body = json.dumps(data).encode()
        text = f"{digest} {hashlib.sha256(body).hexdigest()}\n".encode() + body
        path.parent.mkdir(exist_ok=True)
        write_atomic(path, text, follow_links=False)
    except (OSError, TypeError, ValueError):  # read-only, or a value JSON cannot hold (a date)
        pass
