"""The model's inputs, without a solver: the catalog the client's rules select from, the kit they
have, and the index maps every rule shares (mesocycles, rep ladder, session slots).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from planner.catalog import Catalog, Exercise, builtin_catalog
from planner.constraints import COOLDOWN_REST_SECONDS, WARMUP_REST_SECONDS, Constraints

LEVEL_RANK = {"beginner": 0, "intermediate": 1, "advanced": 2}
Slot = tuple[int, int]  # (week, session index)


@dataclass(frozen=True)
class Mesocycle:
    loading: tuple[int, ...]
    deload: int | None


def unavailable_reasons(ex: Exercise, c: Constraints, equipment: frozenset[str]) -> list[str]:
    """Why the client cannot do ``ex`` (empty when allowed), keyed by the rule that forbids it."""
    reasons = []
    if not set(ex.equipment) <= equipment:
        reasons.append("equipment")
    if LEVEL_RANK[ex.level] > LEVEL_RANK[c.client.level]:
        reasons.append("level")
    choice = c.exercises
    if ex.id in choice.exclude:
        reasons.append("exclude")
    if ex.pattern in choice.exclude_patterns:
        reasons.append("exclude_patterns")
    if set(ex.actions) & set(choice.exclude_actions):
        reasons.append("exclude_actions")
    if ex.dominance in choice.exclude_dominance:
        reasons.append("exclude_dominance")
    return reasons


def time_seconds(ex: Exercise, sets: int, reps: int | None, rest: int) -> int:
    """Seconds an item takes: every set is its work (reps or hold, per side) plus its rest."""
    work = ex.hold_seconds if reps is None else reps * (ex.seconds_per_rep or 0)
    return sets * ((work or 0) * ex.sides + rest)


def fixed_item_seconds(ex: Exercise) -> int:
    """A warm-up drill or stretch, done as the catalog prescribes."""
    rest = WARMUP_REST_SECONDS if ex.block == "warmup" else COOLDOWN_REST_SECONDS
    return time_seconds(ex, ex.default_sets or 1, ex.default_reps, rest)


@dataclass
class Instance:
    """Validated inputs plus the index maps the rules share."""

    constraints: Constraints
    catalog: Catalog
    equipment: frozenset[str]
    explain: bool = False  # keep exercises the client cannot do, forbidden by rules instead
    assumptions: bool = False  # rule literals become assumptions rather than constants
    dropped: frozenset[str] = frozenset()  # rules left out of the model
    main: list[Exercise] = field(init=False)
    warmup: list[Exercise] = field(init=False)
    cooldown: list[Exercise] = field(init=False)
    forbidden: dict[str, list[str]] = field(init=False)
    weeks: list[int] = field(init=False)
    deloads: frozenset[int] = field(init=False)
    mesocycles: list[Mesocycle] = field(init=False)
    reps: dict[int, int] = field(init=False)
    slots: range = field(init=False)

    def __post_init__(self) -> None:
        c = self.constraints
        self.forbidden = {}
        by_block: dict[str, list[Exercise]] = {"main": [], "warmup": [], "cooldown": []}
        for ex in self.catalog.exercises:
            reasons = unavailable_reasons(ex, c, self.equipment)
            if reasons:
                self.forbidden[ex.id] = reasons
            if not reasons or self.explain:
                by_block[ex.block].append(ex)
        self.main, self.warmup, self.cooldown = (
            by_block["main"],
            by_block["warmup"],
            by_block["cooldown"],
        )
        self.weeks = list(range(1, c.schedule.weeks + 1))
        self.deloads = frozenset(c.deload_weeks())
        self.mesocycles = []
        loading: list[int] = []
        for week in self.weeks:
            if week in self.deloads:
                self.mesocycles.append(Mesocycle(tuple(loading), week))
                loading = []
            else:
                loading.append(week)
        if loading:
            self.mesocycles.append(Mesocycle(tuple(loading), None))
        lo, hi = c.rep_range
        self.reps = {}
        for meso in self.mesocycles:
            for j, week in enumerate(meso.loading):
                self.reps[week] = min(lo + j, hi)
            if meso.deload is not None:
                self.reps[meso.deload] = lo
        self.slots = range(c.schedule.sessions or 3)

    def sessions(self) -> Iterator[Slot]:
        for week in self.weeks:
            for s in self.slots:
                yield week, s


def load_catalog(c: Constraints) -> Catalog:
    """The built-in catalog, or a coach's catalog file added to it or replacing it
    (``catalog_mode``). The file has the format of catalog/exercises.toml; optional [equipment]
    and [profiles] tables add to the built-in ones. Raises ``ValueError`` or ``OSError``."""
    base = builtin_catalog()
    if c.catalog is None:
        return base
    data = tomllib.loads(c.catalog.read_text("utf-8"))
    own = data.get("exercise", [])
    if not isinstance(own, list):
        raise ValueError(f"{c.catalog}: 'exercise' must be an array of tables ([[exercise]])")
    exercises: list[Any] = list(own)
    if c.catalog_mode == "add":
        ids = {e.get("id") for e in own if isinstance(e, dict)}
        clash = sorted(str(i) for i in ids & set(base.by_id()))
        if clash:
            raise ValueError(
                f"{c.catalog}: ids already in the built-in catalog: "
                f'{", ".join(clash)} (rename them, or set catalog_mode = "replace")'
            )
        exercises = [*base.exercises, *own]
    return Catalog(
        equipment={**base.equipment, **data.get("equipment", {})},
        profiles={**base.profiles, **data.get("profiles", {})},
        exercises=exercises,
    )


def equipment_of(c: Constraints, catalog: Catalog) -> frozenset[str]:
    """The items the client has: the profile, plus extras, minus missing ones."""
    items = set(catalog.resolve_equipment(c.equipment.profile))
    for name in (*c.equipment.extra, *c.equipment.missing):
        catalog.resolve_equipment(name)
    return frozenset((items | set(c.equipment.extra)) - set(c.equipment.missing))


def build_instance(c: Constraints, **mode: Any) -> Instance:
    """The model's inputs; ``mode`` are the explanation switches of ``Instance``."""
    catalog = load_catalog(c)
    return Instance(c, catalog, equipment_of(c, catalog), **mode)
