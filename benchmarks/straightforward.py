"""The straightforward CP-SAT model: the planner's rules over one variable set per loading week.

What a newcomer writes first: every catalog exercise gets a pick and a sets variable in every
session of every loading week, and the client's restrictions (kit, level, exclusions, stand-ins,
dominated variants) are constraints rather than filters. Mesocycles are equalities between weeks
(a week equals the first week of its mesocycle; a mesocycle equals the one two before it; the
second mesocycle is the first with each accessory swapped for its rotation partner), where the
planner shares one template's variables. The rules themselves are the planner's rule functions
(``planner.RULES``), applied to every week, so both models admit the same plans and the
comparison is one of formulation, not of rule transcription.
"""

from __future__ import annotations

from typing import Any

from planner import RULES, Exercise, Instance, Request, Term, Vars, equipment_of, load_catalog


class WeekInstance(Instance):
    """An instance whose "templates" are the loading weeks, one variable set each."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.loading = [w for meso in self.mesocycles for w in meso.loading]
        self.index = {w: t for t, w in enumerate(self.loading)}
        self.templates = range(len(self.loading))

    def first_of(self, k: int) -> int:
        """The variable set of mesocycle ``k``'s first loading week."""
        return self.index[self.mesocycles[k].loading[0]]

    def template_of(self, week: int) -> int:
        meso = self.mesocycles[self.meso_of[week]]
        return self.index[week if week in self.index else meso.loading[-1]]

    def loading_weeks(self, t: int) -> list[int]:
        return [self.loading[t]]

    def peak_weeks(self, t: int) -> list[int]:
        return [self.loading[t]]


def week_instance(c: Request) -> WeekInstance:
    catalog = load_catalog(c)
    return WeekInstance(c, catalog, equipment_of(c, catalog), explain=True)


class WeekVars(Vars):
    """Pick, sets, warm-up and cool-down variables for every session of every loading week."""

    def __init__(self, inst: WeekInstance) -> None:
        super().__init__(inst)
        self.link()

    def lifts(self) -> None:
        """A pick and a sets variable for every session of every loading week; a lift's sets in
        a week are their sum."""
        for t, s in self.inst.sessions():
            for ex in self.inst.main:
                self.new_lift(t, s, ex, f"{t}_{s}")
        for t in self.inst.templates:
            for ex in self.inst.main:
                self.weekly[t, ex.id] = sum(self.sets[t, s, ex.id] for s in self.inst.slots)

    def link(self) -> None:
        """Mesocycles as equalities between the weeks' variables."""
        inst, m = self.inst, self.model
        assert isinstance(inst, WeekInstance)
        for k, meso in enumerate(inst.mesocycles):
            first = inst.first_of(k)
            for week in meso.loading[1:]:
                t = inst.index[week]
                for s in inst.slots:
                    for ex in inst.main:
                        m.add(self.pick[t, s, ex.id] == self.pick[first, s, ex.id])
                        m.add(self.sets[t, s, ex.id] == self.sets[first, s, ex.id])
                    for ex in inst.warmup:
                        m.add(self.warm[t, s, ex.id] == self.warm[first, s, ex.id])
                    for ex in inst.cooldown:
                        m.add(self.cool[t, s, ex.id] == self.cool[first, s, ex.id])
            if k == 0:
                continue
            before = inst.first_of(k - 2) if k >= 2 else inst.first_of(0)
            for s in inst.slots:
                for ex in inst.main:
                    rotated = [e.id for e in inst.main if inst.partner[e.id].id == ex.id]
                    if k >= 2:
                        rotated = [ex.id]
                    m.add(
                        self.pick[first, s, ex.id] == sum(self.pick[before, s, e] for e in rotated)
                    )
                    m.add(
                        self.sets[first, s, ex.id] == sum(self.sets[before, s, e] for e in rotated)
                    )


def favourites(v: Vars) -> list[Term]:
    """The favourite bonus, earned once per mesocycle that uses the exercise."""
    inst = v.inst
    assert isinstance(inst, WeekInstance)
    bonus = inst.constraints.objective.favourite_bonus
    liked = set(inst.constraints.exercises.favourites)
    return [
        (bonus, v.in_template(inst.first_of(k), ex))
        for k in range(len(inst.mesocycles))
        for ex in inst.main
        if ex.id in liked and bonus
    ]


def build(c: Request) -> WeekVars:
    """The per-week model with every rule and the objective."""
    v = WeekVars(week_instance(c))
    # The template model's favourite bonus is per template; the layout of days is symmetry
    # breaking the per-week model does without.
    rules = [favourites if rule.__name__ == "favourites" else rule for rule in RULES]
    terms = [term for rule in rules if rule.__name__ != "day_layout" for term in rule(v)]
    v.model.maximize(sum(weight * expr for weight, expr in terms))
    return v


class WeekChoice:
    """What the per-week model chose, read per mesocycle (a ``planner.Choice``)."""

    def __init__(self, v: WeekVars, value: Any) -> None:
        self.v, self.value = v, value
        assert isinstance(v.inst, WeekInstance)
        self.inst: WeekInstance = v.inst

    def exercises(self, k: int, s: int) -> list[tuple[Exercise, int]]:
        t = self.inst.first_of(k)
        return [
            (ex, self.value(self.v.sets[t, s, ex.id]))
            for ex in self.inst.main
            if self.value(self.v.pick[t, s, ex.id])
        ]

    def warmup(self, k: int, s: int) -> list[Exercise]:
        t = self.inst.first_of(k)
        return [ex for ex in self.inst.warmup if self.value(self.v.warm[t, s, ex.id])]

    def cooldown(self, k: int, s: int) -> list[Exercise]:
        t = self.inst.first_of(k)
        return [ex for ex in self.inst.cooldown if self.value(self.v.cool[t, s, ex.id])]
