"""The model's inputs, without a solver: the catalog the client's rules select from, the kit they
have, the index maps every rule shares (mesocycles, rep ladders, effort targets, session slots),
and the shortest warm-up for each first lift and the shortest cool-down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from planner.catalog import Catalog, Exercise, Muscle, builtin_catalog
from planner.constraints import (
    COOLDOWN_REST_SECONDS,
    CORNERSTONES,
    FREQUENCY_GROUPS,
    RAMP_UP,
    RAMP_UP_REST_SECONDS,
    TIER_REST_SECONDS,
    WARMUP_REST_SECONDS,
    Constraints,
    MuscleGroup,
)

LEVEL_RANK = {"beginner": 0, "intermediate": 1, "advanced": 2}
TIER_ORDER = ("main", "accessory", "isolation")
# A muscle counts as trained by an exercise (for the twice-a-week rule) from this share of a set.
TRAINS_SHARE = 0.5
Slot = tuple[int, int]  # (week, session index)
# What a cool-down stretches, a stretch of its own for each.
COOLDOWN_MUSCLE_GROUPS: dict[str, tuple[Muscle, ...]] = {
    "hamstrings": ("hamstrings",),
    "glutes": ("gluteus_maximus", "gluteus_medius"),
    "calves": FREQUENCY_GROUPS["calves"],
}
# The calf stretch a cool-down takes when the kit has one: straight-knee, for the gastrocnemius.
STRAIGHT_KNEE_CALF: tuple[Muscle, ...] = ("gastrocnemius",)
# Entries a coach's catalog file may hold: the free-exercise-db import gives 228, and model building
# grows with the catalog, so a far larger file would not plan within a time limit.
MAX_CATALOG = 3000


@dataclass(frozen=True)
class Mesocycle:
    """A run of loading weeks that keep their lifts, closed by a deload week (or the block's
    end). When only part of a block is planned (a re-plan), ``loading`` and ``deload`` are the
    weeks inside the planned window, while ``ladder`` keeps all the mesocycle's loading weeks, so
    the reps and reps in reserve go on from where the lifter is; ``number`` is its place in the
    block (0-based)."""

    loading: tuple[int, ...]
    deload: int | None
    ladder: tuple[int, ...]
    number: int

    @property
    def weeks(self) -> tuple[int, ...]:
        return (*self.loading, self.deload) if self.deload is not None else self.loading


@dataclass(frozen=True)
class Boundary:
    """What the weeks around a planned window hold (a re-plan keeps them): the window's first
    week may not use ``rest_before`` days (under 48 h after the last session before it), and a
    Nordic curl or glute-ham raise may not open the window (``eccentric_before``) or close it
    (``eccentric_after``) next to one outside it."""

    rest_before: frozenset[str] = frozenset()
    eccentric_before: bool = False
    eccentric_after: bool = False
    last_session: str = ""  # the last session before the window ('week 4 sun')


@dataclass(frozen=True)
class Keep:
    """A swap's sessions, held as they are but for one lift: per session slot its lifts and sets,
    warm-up drills and cool-down stretches, on ``days``. In slot ``slot`` the lift ``out`` leaves,
    one of ``candidates`` takes its place with its sets, and the warm-up and cool-down may follow
    the change."""

    days: tuple[str, ...]
    lifts: tuple[tuple[tuple[str, int], ...], ...]
    warmups: tuple[tuple[str, ...], ...]
    cooldowns: tuple[tuple[str, ...], ...]
    slot: int
    out: str
    candidates: tuple[str, ...]


def block_mesocycles(c: Constraints) -> list[Mesocycle]:
    """The whole block's mesocycles: loading weeks closed by a deload week; missed weeks belong
    to their mesocycle but are not loading weeks."""
    deloads, missed = set(c.deload_weeks()), set(c.schedule.missed_weeks)
    out: list[Mesocycle] = []
    loading: list[int] = []
    for week in range(1, c.schedule.weeks + 1):
        if week in deloads:
            out.append(Mesocycle(tuple(loading), week, tuple(loading), len(out)))
            loading = []
        elif week not in missed:
            loading.append(week)
    if loading:
        out.append(Mesocycle(tuple(loading), None, tuple(loading), len(out)))
    return out


# The rules that say which exercises the client may do: the reasons ``Instance.forbidden`` gives.
EXERCISE_CHOICE = frozenset(
    {
        "equipment",
        "level",
        "exclude",
        "exclude_patterns",
        "exclude_actions",
        "exclude_dominance",
        "stand_in",
        "dominated",
    }
)


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


def stand_ins(main: list[Exercise], c: Constraints, forbidden: dict[str, list[str]]) -> set[str]:
    """Stand-ins and regressions the client does not need: a band or bodyweight variant of a
    movement pattern the client can load (bodyweight moves that stay hard, such as Nordic curls
    and pull-ups, are kept); past the beginner stage, a lighter bilateral variant of a family
    whose main lift the client can do with the same kind of load (a dumbbell glute bridge when
    the dumbbell hip thrust is there: "a simpler version of the hip thrust, great for beginners
    and warm-ups", 001), and a two-legged main lift on dumbbells or kettlebells when the kit has
    the family's barbell lift and it rates higher at the client's level (a barbell hip thrust,
    not a dumbbell one, in a gym: dumbbells cap the load a trained lifter needs; 001's sample
    session has "Barbell Hip Thrusts", 002 targets the gluteus maximus "like barbell hip
    thrusts"). The client's required and favourite exercises are kept."""
    if c.exercises.allow_stand_ins:
        return set()
    keep = {*c.exercises.require, *c.exercises.favourites}
    allowed = [ex for ex in main if ex.id not in forbidden]
    loadable = {ex.pattern for ex in allowed if ex.weighted}
    out = {
        ex.id
        for ex in main
        if not ex.weighted and ex.load_ceiling == "low" and ex.pattern in loadable
    }
    if c.client.level != "beginner":
        level = c.client.level

        def rating(ex: Exercise) -> int:
            return (ex.stimulus or {}).get(level, 0)

        leads = {(ex.family, ex.load) for ex in allowed if ex.tier == "main"}
        barbell: dict[str | None, int] = {}  # a family's best two-legged high-ceiling main lift
        for ex in allowed:
            if ex.tier == "main" and not ex.unilateral and ex.load_ceiling == "high":
                barbell[ex.family] = max(barbell.get(ex.family, 0), rating(ex))
        for ex in main:
            if ex.unilateral:
                continue
            lighter = ex.tier != "main" and (ex.family, ex.load) in leads
            capped = (
                ex.tier == "main"
                and ex.load_ceiling != "high"
                and rating(ex) < barbell.get(ex.family, 0)
            )
            if lighter or capped:
                out.add(ex.id)
    return out - keep


def ladder(lo: int, hi: int, j: int, n: int) -> int:
    """Step ``j`` of ``n`` from ``lo`` to ``hi``, rounded half up (``lo`` when ``n`` is 1)."""
    return lo if n == 1 else lo + ((hi - lo) * 2 * j + (n - 1)) // (2 * (n - 1))


# Reps climb at most this many a week at the same load (with one rep less in reserve each week).
REP_STEP = 2


def top_of_ladder(lo: int, hi: int, n: int) -> int:
    """The reps of a mesocycle's last loading week: the top of the range, unless ``n`` weeks are too
    few to climb there by at most ``REP_STEP`` a week."""
    return min(hi, lo + REP_STEP * (n - 1))


def time_seconds(ex: Exercise, sets: int, reps: int | None, rest: int) -> int:
    """Seconds an item takes: every set is its work (reps or hold, per side) plus its rest."""
    work = ex.hold_seconds if reps is None else reps * (ex.seconds_per_rep or 0)
    return sets * ((work or 0) * ex.sides + rest)


def fixed_item_seconds(ex: Exercise) -> int:
    """A warm-up drill or stretch, done as the catalog prescribes."""
    rest = WARMUP_REST_SECONDS if ex.block == "warmup" else COOLDOWN_REST_SECONDS
    return time_seconds(ex, ex.default_sets or 1, ex.default_reps, rest)


def activates_glutes(ex: Exercise) -> bool:
    """A glute activation drill: a glute is its primary muscle."""
    return max(ex.muscles.get("gluteus_maximus", 0), ex.muscles.get("gluteus_medius", 0)) == 1.0


def shortest_warmup(
    drills: Iterable[Exercise], pattern: str, c: Constraints
) -> tuple[Exercise, ...] | None:
    """The shortest warm-up before a first lift of ``pattern`` (the first ids on a tie), None when
    there is none: ``schedule.warmup_drills`` drills of distinct kinds lasting
    ``schedule.warmup_minutes``, one activating the glutes, one rehearsing the pattern, and every
    drill doing one or the other."""
    pool = [d for d in drills if activates_glutes(d) or pattern in d.prepares]
    sched = c.schedule
    (lo, hi), (t_lo, t_hi) = sched.warmup_drills, sched.warmup_minutes
    # What a drill brings: bit 1 activates the glutes, bit 2 rehearses the pattern.
    return _routine(
        pool,
        lambda d: d.pattern,
        lambda d: (activates_glutes(d) | 2 * (pattern in d.prepares),),
        3,
        (lo, hi),
        (60 * t_lo, 60 * t_hi),
    )


def shortest_cooldown(stretches: Iterable[Exercise], c: Constraints) -> tuple[Exercise, ...] | None:
    """The shortest cool-down (the first ids on a tie), None when there is none:
    ``schedule.cooldown_stretches`` stretches, a stretch of its own for each of the hamstrings,
    glutes and calves. The calf stretch is a straight-knee one when the kit has one (most calf
    work is straight-knee, and the hamstring curls load the gastrocnemius too); a bent-knee
    (soleus) stretch only when it has none."""
    items = sorted(stretches, key=_id)
    others = [g for name, g in COOLDOWN_MUSCLE_GROUPS.items() if name != "calves"]
    straight = _cooldown(items, [*others, STRAIGHT_KNEE_CALF], c)
    return straight or _cooldown(items, [*others, COOLDOWN_MUSCLE_GROUPS["calves"]], c)


def _cooldown(
    items: list[Exercise], groups: list[tuple[Muscle, ...]], c: Constraints
) -> tuple[Exercise, ...] | None:
    """``shortest_cooldown`` with a stretch of its own for each of ``groups``."""
    lo, hi = c.schedule.cooldown_stretches

    def masks(d: Exercise) -> tuple[int, ...]:
        """A stretch counts for no group or for one it serves (bit i: group i)."""
        serves = (any(d.muscles.get(m) == 1.0 for m in g) for g in groups)
        return (0, *(1 << i for i, served in enumerate(serves) if served))

    # Of stretches alike but for their id (time, groups served), a cool-down takes the first ids.
    alike: dict[tuple[int, tuple[int, ...]], list[Exercise]] = {}
    for d in items:
        alike.setdefault((fixed_item_seconds(d), masks(d)), []).append(d)
    pool = [d for same in alike.values() for d in same[:hi]]
    longest = max((seconds for seconds, _ in alike), default=0)
    return _routine(pool, _id, masks, (1 << len(groups)) - 1, (lo, hi), (0, hi * longest))


def _routine(
    pool: list[Exercise],
    kind: Callable[[Exercise], str],
    masks: Callable[[Exercise], tuple[int, ...]],
    goal: int,
    count: tuple[int, int],
    seconds: tuple[int, int],
) -> tuple[Exercise, ...] | None:
    """``_shortest`` over the exercises of ``pool`` (each of a ``kind``, bringing one of its
    ``masks``), and its ids back as exercises."""
    items = tuple(sorted((fixed_item_seconds(d), d.id, kind(d), masks(d)) for d in pool))
    ids = _shortest(items, goal, *count, *seconds)
    by_id = {d.id: d for d in pool}
    return None if ids is None else tuple(by_id[i] for i in ids)


@lru_cache(maxsize=4096)
def _shortest(
    items: tuple[tuple[int, str, str, tuple[int, ...]], ...],
    goal: int,
    lo: int,
    hi: int,
    t_lo: int,
    t_hi: int,
) -> tuple[str, ...] | None:
    """The fewest seconds (the first ids on a tie) of ``lo``-``hi`` items of distinct kinds lasting
    ``t_lo``-``t_hi`` seconds whose contributions (one chosen per item among its bit masks) cover
    ``goal``; items are (seconds, id, kind, masks). Dynamic programming over the kinds, on states
    (count, bits covered, seconds): its work grows with the kinds times the states, never with the
    combinations of items, so a catalog of hundreds of drills costs milliseconds. Cached: a batch
    asks again for every client with the same kit."""
    # Of the items of a kind alike but for their id (seconds, masks), only the first can be chosen.
    kinds: dict[str, dict[tuple[int, tuple[int, ...]], str]] = {}
    for seconds, eid, kind, masks in items:
        kinds.setdefault(kind, {}).setdefault((seconds, masks), eid)
    # (count, bits, seconds) -> the first ids (sorted) reaching it.
    states: dict[tuple[int, int, int], tuple[str, ...]] = {(0, 0, 0): ()}
    for kind in sorted(kinds):
        grown = dict(states)
        for (count, bits, seconds), ids in states.items():
            if count == hi:
                continue
            for (length, masks), eid in kinds[kind].items():
                if seconds + length > t_hi:
                    continue
                chosen = tuple(sorted((*ids, eid)))
                for mask in masks:
                    state = (count + 1, bits | mask, seconds + length)
                    if state not in grown or chosen < grown[state]:
                        grown[state] = chosen
        states = grown
    done = [
        (seconds, ids)
        for (count, bits, seconds), ids in states.items()
        if lo <= count and bits == goal and t_lo <= seconds
    ]
    return min(done)[1] if done else None


def _id(ex: Exercise) -> str:
    return ex.id


def ramp_up(ex: Exercise, c: Constraints) -> list[tuple[int, int]]:
    """The ramp-up sets (percent of the working load, reps) before an externally loaded first lift,
    never more reps than its working sets; none for band or bodyweight work."""
    if not ex.weighted:
        return []
    lo, _ = ex.rep_range(c.client.goal)
    return [(pct, min(reps, lo)) for pct, reps in RAMP_UP[c.client.goal]]


def ramp_up_seconds(ex: Exercise, c: Constraints) -> int:
    return sum(time_seconds(ex, 1, reps, RAMP_UP_REST_SECONDS) for _, reps in ramp_up(ex, c))


# Single-joint patterns go after the multi-joint lifts of their tier.
SINGLE_JOINT = frozenset(
    {"bridge", "knee_curl", "calf_raise", "abduction", "kickback", "rear_delt", "shrug"}
)
# Upper-back pulls go after the leg work of their tier: the hinge, thrust, lunge and curl are the
# session's point (001's sample session is all leg work) and are done fresh.
UPPER_BACK = frozenset({"horizontal_pull", "vertical_pull", "rear_delt", "shrug"})


def loads_lower_back(ex: Exercise) -> bool:
    """A bent-over row or fly: the lower back holds the hinged position (``lower_back`` rule)."""
    return ex.pattern in ("horizontal_pull", "rear_delt") and "erector_spinae" in ex.muscles


def coach_order(ex: Exercise) -> tuple[int, bool, bool, bool, int, str]:
    """A session's order: main lifts, then accessories, then isolation; within a tier, leg work
    before upper-back pulls, multi-joint before single-joint (a lunge before a leg curl),
    bilateral before unilateral, and the more demanding lift first."""
    return (
        TIER_ORDER.index(ex.tier or "isolation"),
        ex.pattern in UPPER_BACK,
        ex.pattern in SINGLE_JOINT,
        ex.unilateral,
        -ex.fatigue,
        ex.id,
    )


@dataclass
class Instance:
    """Validated inputs plus the index maps the rules share."""

    constraints: Constraints
    catalog: Catalog
    equipment: frozenset[str]
    explain: bool = False  # keep exercises the client cannot do, forbidden by rules instead
    assumptions: bool = False  # rule literals become assumptions rather than constants
    # Rules left out of the model. Explanations fix a dropped rule's literal false in a copy of
    # one model instead (planner/explain.py); tests check them against models built without it.
    dropped: frozenset[str] = frozenset()
    window: tuple[int, int] | None = None  # the weeks planned (a re-plan); None: the whole block
    boundary: Boundary = Boundary()
    keep: Keep | None = None  # a swap's sessions
    # A re-plan's lifts carried on from the weeks done: template -> per session slot (id, sets).
    carry: dict[int, tuple[tuple[tuple[str, int], ...], ...]] = field(default_factory=dict)
    main: list[Exercise] = field(init=False)
    warmup: list[Exercise] = field(init=False)
    cooldown: list[Exercise] = field(init=False)
    forbidden: dict[str, list[str]] = field(init=False)
    weeks: list[int] = field(init=False)
    deloads: frozenset[int] = field(init=False)
    missed: frozenset[int] = field(init=False)
    by_id: dict[str, Exercise] = field(init=False)
    block: list[Mesocycle] = field(init=False)
    block_of: dict[int, Mesocycle] = field(init=False)
    mesocycles: list[Mesocycle] = field(init=False)
    meso_of: dict[int, int] = field(init=False)
    slots: range = field(init=False)
    cornerstones: dict[str, list[Exercise]] = field(init=False)
    templates: list[int] = field(init=False)
    partner: dict[str, Exercise] = field(init=False)
    # The warm-up before a first lift of each pattern, and the cool-down: the shortest that meet
    # their rules (None: there is none).
    warmups: dict[str, tuple[Exercise, ...] | None] = field(init=False)
    cooldown_routine: tuple[Exercise, ...] | None = field(init=False)

    def __post_init__(self) -> None:
        c = self.constraints
        self.forbidden = {}
        self.by_id = self.catalog.by_id()
        for ex in self.catalog.exercises:
            reasons = unavailable_reasons(ex, c, self.equipment)
            if reasons:
                self.forbidden[ex.id] = reasons
        everything = [ex for ex in self.catalog.exercises if ex.block == "main"]
        for eid in stand_ins(everything, c, self.forbidden):
            self.forbidden[eid] = [*self.forbidden.get(eid, []), "stand_in"]
        for eid in self.dominated(everything):
            self.forbidden[eid] = [*self.forbidden.get(eid, []), "dominated"]
        by_block: dict[str, list[Exercise]] = {"main": [], "warmup": [], "cooldown": []}
        for ex in self.catalog.exercises:
            if ex.id not in self.forbidden or self.explain:
                by_block[ex.block].append(ex)
        self.main = sorted(by_block["main"], key=coach_order)
        self.warmup, self.cooldown = by_block["warmup"], by_block["cooldown"]
        first, last = self.window or (1, c.schedule.weeks)
        self.weeks = list(range(first, last + 1))
        self.deloads = frozenset(c.deload_weeks())
        self.missed = frozenset(c.schedule.missed_weeks)
        self.block = block_mesocycles(c)
        self.block_of = {
            w: next(m for m in self.block if w <= (m.deload or c.schedule.weeks))
            for w in range(1, c.schedule.weeks + 1)
        }
        self.mesocycles = []
        for meso in self.block:
            loading = tuple(w for w in meso.loading if first <= w <= last)
            deload = meso.deload if meso.deload and first <= meso.deload <= last else None
            if loading or deload:
                self.mesocycles.append(Mesocycle(loading, deload, meso.ladder, meso.number))
        self.meso_of = {w: k for k, meso in enumerate(self.mesocycles) for w in meso.weeks}
        self.meso_of |= {
            w: k
            for w in self.missed & set(self.weeks)
            for k, meso in enumerate(self.mesocycles)
            if meso.number == self.block_of[w].number
        }
        # Template A (0) for the block's even mesocycles, B (1) for the odd ones: those planned.
        # A re-plan of B's mesocycles only goes on from the A of the weeks done (B is A rotated).
        parities = {m.number % 2 for m in self.mesocycles}
        self.templates = sorted(parities | ({0} if 1 in parities and 0 in self.carry else set()))
        self.slots = range(c.schedule.sessions or 3)
        self.cornerstones = {}
        for group in c.balance.cornerstones:
            families, loaded = CORNERSTONES[group]
            allowed = [
                ex for ex in self.main if ex.family in families and ex.id not in self.forbidden
            ]
            if loaded and any(ex.weighted for ex in allowed):
                allowed = [ex for ex in allowed if ex.weighted]
            if allowed:
                self.cornerstones[group] = allowed
        self.partner = {ex.id: self.rotation_partner(ex) for ex in self.main}
        allowed = [d for d in self.warmup if d.id not in self.forbidden]
        self.warmups = {}
        for pattern in sorted({ex.pattern for ex in self.main}):
            self.warmups[pattern] = shortest_warmup(allowed, pattern, c) or (
                # Explaining: a warm-up only the forbidden drills make names why they are.
                shortest_warmup(self.warmup, pattern, c) if self.explain else None
            )
        stretches = [d for d in self.cooldown if d.id not in self.forbidden]
        self.cooldown_routine = shortest_cooldown(stretches, c) or (
            shortest_cooldown(self.cooldown, c) if self.explain else None
        )

    def dominated(self, main: list[Exercise]) -> set[str]:
        """Variants no better than another available variant of the same family on any count: the
        same tier, muscles, actions, rep range and loading, no more stimulus, no less fatigue, no
        quicker reps. A coach never writes them; a required or favourite exercise is kept."""
        c = self.constraints
        keep = {*c.exercises.require, *c.exercises.favourites}
        allowed = [ex for ex in main if ex.id not in self.forbidden]

        def kind(ex: Exercise) -> tuple[object, ...]:
            return (
                ex.family,
                ex.tier,
                ex.unilateral,
                ex.dominance,
                tuple(sorted(ex.actions)),
                tuple(sorted(ex.muscles.items())),
                ex.weighted,
                ex.high_fatigue_eccentric,
                ex.rep_range(c.client.goal),
            )

        def worth(ex: Exercise) -> tuple[int, int, int]:
            level = c.client.level
            stimulus = (ex.stimulus or {}).get(level, 0) + int(bool(ex.lengthened))
            return (stimulus, -ex.fatigue, -(ex.seconds_per_rep or 0))

        alike: dict[tuple[object, ...], list[Exercise]] = {}  # the same kind, in catalog order
        for ex in allowed:
            alike.setdefault(kind(ex), []).append(ex)
        out = set()
        for ex in allowed:
            for other in alike[kind(ex)]:
                if other.id == ex.id or other.id in out or ex.id in keep:
                    continue
                better = all(a >= b for a, b in zip(worth(other), worth(ex), strict=True))
                if better and (worth(other) != worth(ex) or other.id < ex.id):
                    out.add(ex.id)
                    break
        return out

    def rotation_partner(self, ex: Exercise) -> Exercise:
        """What an accessory or isolation exercise becomes in the alternate mesocycles (the planned
        variation): the best other allowed variant of its family, else of its pattern and tier, that
        is no step down and no harder on the lower back; itself when there is none, and always
        itself for a main lift (main lifts are kept)."""
        if ex.tier == "main" or ex.id in self.forbidden:
            return ex
        others = [
            o
            for o in self.main
            if o.id != ex.id and o.id not in self.forbidden and o.tier == ex.tier
        ]
        for same in (
            lambda o: o.family == ex.family,
            lambda o: (
                (o.pattern, o.dominance, o.unilateral) == (ex.pattern, ex.dominance, ex.unilateral)
            ),
        ):
            # Never a step down: as loadable, and at least the same stimulus; and a row or fly
            # that spares the lower back becomes one that spares it too (the lower_back rule lets
            # it share a session with a hip hinge).
            choices = [
                o
                for o in others
                if same(o)
                and o.weighted >= ex.weighted
                and self.stimulus(o) >= self.stimulus(ex)
                and loads_lower_back(o) <= loads_lower_back(ex)
            ]
            if choices:
                return min(choices, key=lambda o: (-self.stimulus(o), o.fatigue, o.id))
        return ex

    def template_of(self, week: int) -> int:
        """Mesocycles alternate between two templates, A and B: the same main lifts, the
        accessories swapped for their rotation partners."""
        return self.block_of[week].number % 2

    def loading_weeks(self, t: int) -> list[int]:
        return [w for meso in self.mesocycles if meso.number % 2 == t for w in meso.loading]

    def sessions(self) -> Iterator[tuple[int, int]]:
        """Every (template, session slot)."""
        for t in self.templates:
            for s in self.slots:
                yield t, s

    # --- prescriptions, shared by the model and the plan ---------------------------------------
    def rep_range(self, ex: Exercise) -> tuple[int, int]:
        return ex.rep_range(self.constraints.client.goal)

    def reps(self, ex: Exercise, week: int) -> int:
        """The week's reps: a ladder from the bottom to the top of the range over the loading weeks
        of a mesocycle; a deload week goes back to the bottom."""
        lo, hi = self.rep_range(ex)
        meso = self.block_of[week]
        if week == meso.deload:
            return lo
        n = len(meso.ladder)
        return ladder(lo, top_of_ladder(lo, hi, n), meso.ladder.index(week), n)

    def peak_reps(self, ex: Exercise, meso: Mesocycle) -> int:
        """The most reps the exercise has in a week of ``meso`` (its last loading week)."""
        return self.reps(ex, meso.ladder[-1])

    def peak_weeks(self, t: int) -> list[int]:
        """The loading weeks of template ``t`` whose sessions may be the longest: of each
        mesocycle its last planned loading week, where the ladder is highest (its deload week when
        only that is planned), less those whose reps are no higher than another's for every lift."""
        lasts = sorted({(m.loading or m.weeks)[-1] for m in self.mesocycles if m.number % 2 == t})
        reps = {w: [self.reps(ex, w) for ex in self.main] for w in lasts}
        return [
            w
            for w in lasts
            if not any(
                o != w
                and all(a <= b for a, b in zip(reps[w], reps[o], strict=True))
                and (reps[o] != reps[w] or o < w)
                for o in lasts
            )
        ]

    def rir(self, ex: Exercise, week: int) -> int:
        """Reps in reserve: one less a week down to the level's last value, which the mesocycle's
        last loading week reaches, never below the lift's own floor; the deload's value in a deload
        week."""
        c = self.constraints
        meso = self.block_of[week]
        if week == meso.deload:
            return c.prescription.deload_rir
        first, last = c.rir()
        left = len(meso.ladder) - 1 - meso.ladder.index(week)
        return max(last + min(first - last, left), ex.min_rir or 0)

    def rest_seconds(self, ex: Exercise) -> int:
        return TIER_REST_SECONDS[self.constraints.client.goal][ex.tier or "isolation"]

    def stimulus(self, ex: Exercise) -> int:
        """The training value of one hard set for this lifter (0-11): the catalog's value at the
        client's level, one more for work at long muscle lengths."""
        assert ex.stimulus is not None
        return ex.stimulus[self.constraints.client.level] + int(bool(ex.lengthened))

    def set_seconds(self, ex: Exercise, reps: int) -> int:
        return time_seconds(ex, 1, reps, self.rest_seconds(ex))

    def deload_sets(self, sets: int) -> int:
        """A deload keeps every lift and drops ``deload.cut`` of its sets, rounded so that the
        kept share is never below the rule's."""
        keep = 100 - round(100 * self.constraints.deload.cut)
        return -(-sets * keep // 100)

    def trains(self, ex: Exercise, group: MuscleGroup) -> bool:
        return any(ex.muscles.get(m, 0) >= TRAINS_SHARE for m in FREQUENCY_GROUPS[group])


def load_catalog(c: Constraints) -> Catalog:
    """The built-in catalog, or a coach's catalog file added to it or replacing it
    (``catalog_mode``). The file has the format of catalog/exercises.toml; optional [equipment]
    and [profiles] tables add to the built-in ones. Raises ``ValueError`` or ``OSError``."""
    base = builtin_catalog()
    if c.catalog is None:
        return base
    import tomllib

    from planner.files import read_text

    data = tomllib.loads(read_text(c.catalog))
    own = data.get("exercise", [])
    if not isinstance(own, list):
        raise ValueError(f"{c.catalog}: 'exercise' must be an array of tables ([[exercise]])")
    if len(own) > MAX_CATALOG:
        raise ValueError(
            f"{c.catalog}: {len(own)} entries; a catalog holds at most {MAX_CATALOG} (a model "
            "that large would not solve within any sensible time limit)"
        )
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
