"""The CP-SAT model of a training block: one function per training rule, listed in ``RULES``.

Layout of the model
-------------------
* ``Instance`` (planner.instance) holds the validated inputs and the index maps, computed once.
* ``Vars`` holds the decision variables. A block is cut into *mesocycles*: runs of loading weeks
  closed by a deload week. Within a mesocycle each session slot keeps its exercises (``pick``) and
  their working sets (``sets``), so the lifter progresses on the same lifts: the reps climb a ladder
  through the rep range while the reps in reserve fall, and the load rises when the top is reached.
  Mesocycles alternate between two templates, A and B: B keeps A's main lifts and sets and swaps
  each accessory for its rotation partner (``Instance.partner``), so B's picks are expressions over
  A's variables and a block of any length has one template's decisions. The deload week keeps every
  lift with a fixed share of its sets, so it needs no variables either. Each session of each
  template also picks its warm-up drills and cool-down stretches.
* Every rule in ``RULES`` adds its constraints and returns its part of the objective as
  ``(weight, expression)`` pairs. Each constraint family is guarded by a literal from ``Vars.rule``:
  true in a normal solve, an assumption when explaining why no plan exists.

Sources are cited by article (see catalog/SOURCES.md): "Posterior Chain Training" (000), the
hamstring-and-glute guide with the sample workout (001), ISSA's "Build a Better Backside" (002) and
the posterior-chain exercises article (003).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import combinations
from typing import Any

from planner import cpsat as cp_model
from planner.catalog import MAX_FATIGUE, Exercise
from planner.constraints import DAYS
from planner.instance import Instance, fixed_item_seconds, loads_lower_back, ramp_up_seconds

PATTERN_LIMIT = 2  # exercises of one movement pattern in a session (each of another family)
# Objective scale: one quarter set at full stimulus (10) below MEV earns 2 x 10 x STIMULUS_UNIT per
# unit of the muscle's weight; between MEV and MAV half that.
STIMULUS_FULL = 10

# A CP-SAT linear expression (a variable, a sum of them, or a constant).
Expr = Any
Term = tuple[int, Expr]
Key = tuple[int, int, str]  # (mesocycle, session slot, exercise id)


def plus(terms: Iterable[Expr]) -> Expr:
    """The sum of ``terms``: the term itself when there is one, 0 when none."""
    terms = list(terms)
    return terms[0] if len(terms) == 1 else sum(terms)


class Vars:
    """The decision variables, and the rule literals that guard each constraint family."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        m = self.model = cp_model.CpModel()
        self.rules: dict[str, tuple[cp_model.IntVar, str]] = {}
        self._true = m.new_constant(1)
        self._false = m.new_constant(0)
        self.train = [m.new_bool_var(f"train_{d}") for d in DAYS]
        self.active = [m.new_bool_var(f"active_{s}") for s in inst.slots]
        self.pick: dict[Key, Expr] = {}
        self.sets: dict[Key, Expr] = {}
        # The most working sets a lift may have in a session (the largest tier's top).
        self.sets_hi = max(hi for _, hi in inst.constraints.volume.sets.values())
        self.weekly: dict[tuple[int, str], Expr] = {}  # a lift's working sets in a loading week
        self.lifts()
        self.warm = {
            (k, s, ex.id): m.new_bool_var(f"warmup_{k}_{s}_{ex.id}")
            for k, s in inst.sessions()
            for ex in inst.warmup
        }
        self.cool = {
            (k, s, ex.id): m.new_bool_var(f"cooldown_{k}_{s}_{ex.id}")
            for k, s in inst.sessions()
            for ex in inst.cooldown
        }
        for (_, s, _), var in [*self.warm.items(), *self.cool.items()]:
            m.add_implication(var, self.active[s])
        self.first: dict[Key, cp_model.IntVar] = {}
        self.used: dict[tuple[int, str], cp_model.IntVar] = {}
        self.objective: Expr = 0
        self.carried: Expr = 0  # a re-plan's continuity with the weeks done (``continuity``)
        self.heavy: dict[tuple[int, int], cp_model.IntVar] = {}
        # Seconds, worked out once: a lift's ramp-up, a drill or stretch, a working set over a
        # list of weeks (``set_seconds``), and a session's warm-up, ramp-up and cool-down
        # (``session_extras``).
        self.ramp_seconds = {ex.id: ramp_up_seconds(ex, inst.constraints) for ex in inst.main}
        self.fixed_seconds = {ex.id: fixed_item_seconds(ex) for ex in inst.warmup + inst.cooldown}
        self.seconds: dict[tuple[str | int, ...], int] = {}
        self.extras: dict[tuple[int, ...], Expr] = {}

    def lifts(self) -> None:
        """The first template's picks and sets as variables (A's, or B's when a re-plan holds
        only B's mesocycles); template B's as A's, rotated."""
        inst, m = self.inst, self.model
        t = inst.templates[0]
        for s in inst.slots:
            for ex in inst.main:
                self.new_lift(t, s, ex, f"{s}")
        for ex in inst.main:
            week = self.weekly[t, ex.id] = m.new_int_var(
                0, self.sets_hi * len(inst.slots), f"weekly_sets_{t}_{ex.id}"
            )
            m.add(week == sum(self.sets[t, s, ex.id] for s in inst.slots))
        if len(inst.templates) > 1:
            for ex in inst.main:
                rotated = [e.id for e in inst.main if inst.partner[e.id].id == ex.id]
                self.weekly[1, ex.id] = plus(self.weekly[0, e] for e in rotated)
                for s in inst.slots:
                    self.pick[1, s, ex.id] = plus(self.pick[0, s, e] for e in rotated)
                    self.sets[1, s, ex.id] = plus(self.sets[0, s, e] for e in rotated)
                    if len(rotated) > 1:  # two lifts may not rotate into the same one
                        m.add(self.pick[1, s, ex.id] <= 1)

    def new_lift(self, t: int, s: int, ex: Exercise, tag: str) -> None:
        """The pick and sets variables of ``ex`` in slot ``s`` of template ``t`` (named with
        ``tag``): an exercise not in the session has no sets, one in it at least one."""
        m = self.model
        pick = self.pick[t, s, ex.id] = m.new_bool_var(f"pick_{tag}_{ex.id}")
        sets = self.sets[t, s, ex.id] = m.new_int_var(0, self.sets_hi, f"sets_{tag}_{ex.id}")
        m.add_implication(pick, self.active[s])
        m.add(sets <= self.sets_hi * pick)
        m.add(sets >= pick)

    def all_variables(self) -> list[cp_model.IntVar]:
        return [
            self.model.get_int_var_from_proto_index(i)
            for i in range(len(self.model.proto.variables))
        ]

    def rule(self, key: str, text: str) -> cp_model.IntVar:
        """The literal guarding a constraint family: true, false when the rule is dropped, or an
        assumption when explaining."""
        if key not in self.rules:
            if key in self.inst.dropped:
                lit = self._false
            elif self.inst.assumptions:
                lit = self.model.new_bool_var(key)
            else:
                lit = self._true
            self.rules[key] = (lit, text)
        return self.rules[key][0]

    def week_sets(self, k: int, select: Callable[[Exercise], bool]) -> Expr:
        """Working sets of a loading week of template ``k`` over the selected exercises (0 when
        none is selected)."""
        chosen = [ex for ex in self.inst.main if select(ex)]
        if not chosen:
            return 0
        return cp_model.LinearExpr.sum([self.weekly[k, ex.id] for ex in chosen])

    def muscle_quarters(self, k: int, muscle: str, stimulus: bool = False) -> Expr:
        """A loading week's effective sets of a muscle in quarter sets (primary 1.0 counts 4), each
        times the exercise's stimulus when ``stimulus``."""
        share = {ex.id: x for ex in self.inst.main for m, x in ex.muscles.items() if m == muscle}
        chosen = [ex for ex in self.inst.main if ex.id in share]
        if not chosen:
            return 0
        return cp_model.LinearExpr.weighted_sum(
            [self.weekly[k, ex.id] for ex in chosen],
            [
                round(4 * share[ex.id]) * (self.inst.stimulus(ex) if stimulus else 1)
                for ex in chosen
            ],
        )

    def first_lift(self, k: int, s: int) -> dict[str, cp_model.IntVar]:
        """Per exercise, true when it opens the session (``Instance.main`` is in coach order):
        first = pick and not seen, and seen after it = seen or pick, each as its clauses (faster
        to build and to presolve than the same relations as linear rows)."""
        m = self.model
        if self.inst.main and (k, s, self.inst.main[0].id) not in self.first:
            opener = self.inst.main[0]
            seen = self.first[k, s, opener.id] = self.literal(self.pick[k, s, opener.id])
            for ex in self.inst.main[1:]:  # seen: some exercise earlier in the order is picked
                pick = self.literal(self.pick[k, s, ex.id])
                first = self.first[k, s, ex.id] = m.new_bool_var(f"first_{k}_{s}_{ex.id}")
                m.add_bool_or(~pick, seen, first)
                m.add_bool_or(~first, pick)
                m.add_bool_or(~first, ~seen)
                now = m.new_bool_var(f"seen_{k}_{s}_{ex.id}")
                m.add_bool_or(~pick, now)
                m.add_bool_or(~seen, now)
                m.add_bool_or(~now, pick, seen)
                seen = now
        return {ex.id: self.first[k, s, ex.id] for ex in self.inst.main}

    def literal(self, pick: Expr) -> cp_model.IntVar:
        """A pick as a Boolean literal (template B's are sums of A's)."""
        if isinstance(pick, cp_model.IntVar):
            return pick
        if isinstance(pick, int):
            return self._true if pick else self._false
        var = self.model.new_bool_var("")
        self.model.add(var == pick)
        return var

    def eccentric(self, k: int, s: int) -> cp_model.IntVar:
        """True when the session holds high-fatigue eccentric work (Nordic curls, glute-ham
        raises)."""
        if (k, s) not in self.heavy:
            var = self.heavy[k, s] = self.model.new_bool_var(f"eccentric_{k}_{s}")
            picks = [self.pick[k, s, ex.id] for ex in self.inst.main if ex.high_fatigue_eccentric]
            self.model.add_max_equality(var, picks)
        return self.heavy[k, s]

    def in_template(self, k: int, ex: Exercise) -> cp_model.IntVar:
        """True when the exercise is in any session of template ``k``."""
        if (k, ex.id) not in self.used:
            used = self.used[k, ex.id] = self.model.new_bool_var(f"used_{k}_{ex.id}")
            self.model.add_max_equality(used, [self.pick[k, s, ex.id] for s in self.inst.slots])
        return self.used[k, ex.id]


# --- schedule -------------------------------------------------------------------------------


def training_days(v: Vars) -> list[Term]:
    """2-3 sessions a week on the allowed days ("Aim to train the posterior chain 2-3 times per
    week", 000). The same weekly days hold for the whole block."""
    c = v.inst.constraints.schedule
    m = v.model
    lo, hi = (c.sessions, c.sessions) if c.sessions else (2, 3)
    sessions = v.rule(
        "sessions", f"{lo}-{hi} sessions a week" if lo != hi else f"{lo} sessions a week"
    )
    m.add(sum(v.train) == sum(v.active)).only_enforce_if(sessions)
    m.add(sum(v.active) >= lo).only_enforce_if(sessions)
    for s in v.inst.slots[1:]:
        m.add_implication(v.active[s], v.active[s - 1])
    if set(c.days) != set(DAYS):
        allowed = v.rule("days", f"sessions only on {', '.join(c.days)}")
        for day, train in zip(DAYS, v.train, strict=True):
            if day not in c.days:
                m.add(train == 0).only_enforce_if(allowed)
    return []


def rest_between_sessions(v: Vars) -> list[Term]:
    """At least 48 h between posterior-chain sessions: never on consecutive days, Sunday to Monday
    included, nor the day after the last session before a re-planned window (001: glutes and
    hamstrings "recover slower than arms or chest")."""
    rest = v.rule("rest_between_sessions", "at least 48 h between sessions (no consecutive days)")
    for d in range(len(DAYS)):
        v.model.add_bool_or([v.train[d].Not(), v.train[(d + 1) % len(DAYS)].Not()]).only_enforce_if(
            rest
        )
    edge = v.inst.boundary
    if edge.rest_before:  # too soon after the last session before a re-plan
        after = v.rule(
            "rest_after_weeks_done",
            f"at least 48 h after the last session done ({edge.last_session}): "
            f"no {', '.join(d for d in DAYS if d in edge.rest_before)}",
        )
        for day in edge.rest_before:
            v.model.add(v.train[DAYS.index(day)] == 0).only_enforce_if(after)
    return []


def spread_days(allowed: tuple[str, ...], sessions: int) -> tuple[str, ...] | None:
    """Of the layouts of ``sessions`` allowed days with no two in a row (Sunday to Monday included),
    the most evenly spread, earliest one (Mon/Wed/Fri, Mon/Thu); None when there is none."""
    best: tuple[int, tuple[str, ...]] | None = None
    for days in combinations([d for d in DAYS if d in allowed], sessions):
        index = [DAYS.index(d) for d in days]
        ends = [*index[1:], index[0] + len(DAYS)]
        gaps = [(b - a) % len(DAYS) for a, b in zip(index, ends, strict=True)]
        if min(gaps) >= 2 and (best is None or min(gaps) > best[0]):
            best = (min(gaps), days)
    return best[1] if best else None


def day_layout(v: Vars) -> list[Term]:
    """Symmetry breaking, not a training rule: which days host the sessions matters to no other
    rule, so of the valid layouts for each session count the model keeps ``spread_days``'s."""
    c = v.inst.constraints.schedule
    if v.inst.explain or v.inst.keep:
        return []
    days = tuple(d for d in c.days if d not in v.inst.boundary.rest_before)
    for n in range(2, len(v.inst.slots) + 1):
        layout = spread_days(days, n)
        if layout is None:
            continue
        count_is_n = [v.active[n - 1]] + ([v.active[n].Not()] if n < len(v.inst.slots) else [])
        for day, train in zip(DAYS, v.train, strict=True):
            v.model.add(train == int(day in layout)).only_enforce_if(count_is_n)
    return []


def session_order(v: Vars) -> list[Term]:
    """Symmetry breaking, not a training rule: no rule tells the sessions of a week apart except
    the spacing of Nordic curls and glute-ham raises, so the sessions without them (in either
    template) come in coach order of their first lift, then by working sets. Any plan can be
    reordered so: the sessions with eccentric work keep their places, the others are sorted into
    theirs."""
    inst = v.inst
    if inst.explain or not inst.main or inst.window is not None:
        return []  # a re-plan's sessions go on from the weeks done: they are told apart
    span = 1 + v.sets_hi * len(inst.main)  # more than a session's sets
    key = []
    for s in inst.slots:
        first = v.first_lift(0, s)
        lead = sum(i * first[ex.id] for i, ex in enumerate(inst.main))
        key.append(span * lead + sum(v.sets[0, s, ex.id] for ex in inst.main))
    heavy = any(ex.high_fatigue_eccentric for ex in inst.main)
    for s, t in combinations(inst.slots, 2):
        unless = [v.eccentric(k, u).Not() for k in inst.templates for u in (s, t)] if heavy else []
        v.model.add(key[s] <= key[t]).only_enforce_if([v.active[t], *unless])
    return []


# --- sessions -------------------------------------------------------------------------------


def session_size(v: Vars) -> list[Term]:
    """Each session's main block holds a workable number of exercises (the sample session in 001
    has six)."""
    lo, hi = v.inst.constraints.volume.exercises_per_session
    size = v.rule("session_size", f"{lo}-{hi} exercises per session")
    for k, s in v.inst.sessions():
        count = sum(v.pick[k, s, ex.id] for ex in v.inst.main)
        v.model.add(count >= lo * v.active[s]).only_enforce_if(size)
        v.model.add(count <= hi).only_enforce_if(size)
    return []


def main_lift_every_session(v: Vars) -> list[Term]:
    """Every session is built around a main lift when the kit has two or more (the sample session
    in 001 opens with Romanian deadlifts, then barbell hip thrusts), and no main lift comes in more
    than two sessions a week (with three sessions the hinge and the thrust take turns leading; with
    two, the article's session may come twice). No two main lifts of one movement pattern share a
    session (a deadlift and a Romanian deadlift are one heavy hinge too many)."""
    main = [ex for ex in v.inst.main if ex.tier == "main"]
    available = [ex for ex in main if ex.id not in v.inst.forbidden]
    if not available:
        return []
    lit = v.rule(
        "main_lift_every_session",
        "a main lift leads every session, one per pattern, each in at most two sessions a week",
    )
    for k in v.inst.templates:
        for ex in main:
            count = sum(v.pick[k, s, ex.id] for s in v.inst.slots)
            v.model.add(count <= 2).only_enforce_if(lit)
    for k, s in v.inst.sessions():
        if len(available) > 1:
            leads = sum(v.pick[k, s, ex.id] for ex in main)
            v.model.add(leads >= v.active[s]).only_enforce_if(lit)
        patterns: dict[str, list[Expr]] = {}
        for ex in main:
            patterns.setdefault(ex.pattern, []).append(v.pick[k, s, ex.id])
        for picks in patterns.values():
            if len(picks) > 1:
                v.model.add(sum(picks) <= 1).only_enforce_if(lit)
    return []


def session_volume(v: Vars) -> list[Term]:
    """A loading session is worth the trip: enough working sets (the sample session in 001 has 19),
    and not more than a session can hold."""
    lo, hi = v.inst.constraints.volume.session_sets
    dose = v.rule("session_volume", f"{lo}-{hi} working sets in a loading session")
    for k, s in v.inst.sessions():
        total = sum(v.sets[k, s, ex.id] for ex in v.inst.main)
        v.model.add(total >= lo * v.active[s]).only_enforce_if(dose)
        v.model.add(total <= hi).only_enforce_if(dose)
    return []


def one_family_per_session(v: Vars) -> list[Term]:
    """No near-duplicates: one exercise of each family (one movement) in a session, at most two of a
    movement pattern (the sample session in 001 pairs Romanian deadlifts with pull-throughs; a
    standing and a seated calf raise train the gastrocnemius and the soleus, 000)."""
    lit = v.rule(
        "one_family_per_session",
        f"one exercise per movement family in a session, at most {PATTERN_LIMIT} per pattern",
    )
    for k, s in v.inst.sessions():
        for attr, limit in (("family", 1), ("pattern", PATTERN_LIMIT)):
            groups: dict[str, list[Expr]] = {}
            for ex in v.inst.main:
                groups.setdefault(getattr(ex, attr), []).append(v.pick[k, s, ex.id])
            for picks in groups.values():
                if len(picks) > limit:
                    v.model.add(sum(picks) <= limit).only_enforce_if(lit)
    return []


# --- dose -----------------------------------------------------------------------------------


def lower_back(v: Vars) -> list[Term]:
    """No bent-over row or reverse fly in a session with a hip hinge: the lower back would hold
    the hinged position for a second lift (a braced, seated, cable or chest-supported one
    instead)."""
    rows = [ex for ex in v.inst.main if loads_lower_back(ex)]
    hinges = [ex for ex in v.inst.main if ex.pattern == "hinge"]
    if not rows or not hinges:
        return []
    lit = v.rule("lower_back", "no bent-over row or fly in a session with a hip hinge")
    for k, s in v.inst.sessions():
        hinged = sum(v.pick[k, s, ex.id] for ex in hinges)
        for row in rows:
            v.model.add(hinged <= len(hinges) * (1 - v.pick[k, s, row.id])).only_enforce_if(lit)
    return []


def sets_and_reps(v: Vars) -> list[Term]:
    """Working sets in a loading week by tier ("perform 3-5 sets of 8-15 repetitions per exercise.
    Adjust rep ranges for specific goals", 000): main lifts 3-5, accessories and isolation 2-3, so
    a main lift never gets fewer sets than the work around it; the reps follow the exercise's range
    for the client's goal by construction (``Instance.reps``). Template B's sets are A's."""
    tiers = v.inst.constraints.volume.sets
    dose = sets_rule(v)
    tier_of = {ex.id: ex.tier or "isolation" for ex in v.inst.main}
    for key, pick in v.pick.items():
        if key[0] == v.inst.templates[0]:
            lo, hi = tiers[tier_of[key[2]]]
            v.model.add(v.sets[key] >= lo * pick).only_enforce_if(dose)
            # As the pick, not merely the tier's top: the LP relaxation may not give a fraction
            # of a lift all of its sets (the default block's search: work 0.088 -> 0.030).
            v.model.add(v.sets[key] <= hi * pick).only_enforce_if(dose)
    return []


def sets_rule(v: Vars) -> cp_model.IntVar:
    """The literal of ``sets_and_reps``, which ``sets_over_the_week`` shares."""
    tiers = v.inst.constraints.volume.sets
    words = ", ".join(f"{tier} {lo}-{hi}" for tier, (lo, hi) in tiers.items())
    return v.rule("sets_and_reps", f"working sets per exercise: {words}")


def sets_over_the_week(v: Vars) -> list[Term]:
    """Implied by ``sets_and_reps``, not a rule of its own: a lift in any session of the week has
    at least its tier's fewest sets in the week (``Vars.weekly``). With the muscles counted over
    the week's sets, the search settles the week's lifts before the sessions' and proves the band
    kit's slowest plans 20-80 times sooner (work 7-17 -> 0.1-0.6; benchmarks/README.md)."""
    tiers = v.inst.constraints.volume.sets
    dose = sets_rule(v)
    t = v.inst.templates[0]
    for ex in v.inst.main:
        lo = tiers[ex.tier or "isolation"][0]
        v.model.add(v.weekly[t, ex.id] >= lo * v.in_template(t, ex)).only_enforce_if(dose)
    return []


def hip_knee_balance(v: Vars) -> list[Term]:
    """Both hip- and knee-dominant hamstring work every loading week, their weekly sets within the
    ratio range ("include both hip-dominant ... and knee-dominant ... hamstring exercises to develop
    balanced strength", 000). With ``balance.require_both = false``, or when the client excludes one
    kind (an injury), a week may train only one kind;
    the ratio then holds in the weeks that train both."""
    bal = v.inst.constraints.balance
    lo, hi = bal.hip_knee_ratio
    m = v.model
    require_both = bal.require_both and not v.inst.constraints.exercises.exclude_dominance
    if require_both:
        text = f"hip- and knee-dominant hamstring work every week, sets within {lo:g}:1..{hi:g}:1"
    else:
        text = f"hip:knee-dominant hamstring sets within {lo:g}:1..{hi:g}:1 in weeks with both"
    balance = v.rule("hip_knee_balance", text)
    for k in v.inst.templates:
        hip = v.week_sets(k, lambda ex: ex.dominance == "hip")
        knee = v.week_sets(k, lambda ex: ex.dominance == "knee")
        if require_both:
            both = balance
            m.add(hip >= 1).only_enforce_if(balance)
            m.add(knee >= 1).only_enforce_if(balance)
        else:
            if isinstance(hip, int) or isinstance(knee, int):
                continue  # one kind is not available at all: no week trains both
            both = m.new_bool_var(f"hip_and_knee_{k}")
            has_hip, has_knee = m.new_bool_var(f"hip_{k}"), m.new_bool_var(f"knee_{k}")
            m.add(hip >= 1).only_enforce_if(has_hip)
            m.add(hip == 0).only_enforce_if(has_hip.Not())
            m.add(knee >= 1).only_enforce_if(has_knee)
            m.add(knee == 0).only_enforce_if(has_knee.Not())
            m.add_bool_and([has_hip, has_knee, balance]).only_enforce_if(both)
            m.add_bool_or([has_hip.Not(), has_knee.Not(), balance.Not(), both])
        m.add(100 * hip >= round(100 * lo) * knee).only_enforce_if(both)
        m.add(100 * hip <= round(100 * hi) * knee).only_enforce_if(both)
    return []


def weekly_action(v: Vars) -> list[Term]:
    """Every week trains hip extension, knee flexion and ankle plantarflexion (000: the three
    actions of the back of the legs)."""
    for action in v.inst.constraints.balance.weekly_actions:
        lit = v.rule(f"weekly_action:{action}", f"every week trains {action.replace('_', ' ')}")
        for k in v.inst.templates:
            trains = v.week_sets(k, lambda ex, a=action: a in ex.actions)  # type: ignore[misc]
            v.model.add(trains >= 1).only_enforce_if(lit)
    return []


def weekly_volume(v: Vars) -> list[Term]:
    """Weekly effective sets per muscle between its landmarks: at least MEV in a loading week, never
    above MRV (000's volume rule; published volume landmarks)."""
    for muscle, (mev, _, mrv) in v.inst.constraints.landmarks().items():
        lit = v.rule(f"weekly_volume:{muscle}", f"{muscle}: {mev}-{mrv} effective sets a week")
        for k in v.inst.templates:
            quarters = v.muscle_quarters(k, muscle)
            if isinstance(quarters, int):
                if mev:
                    v.model.add_bool_or([lit.Not()])
                continue
            v.model.add(quarters <= 4 * mrv).only_enforce_if(lit)
            if mev:
                v.model.add(quarters >= 4 * mev).only_enforce_if(lit)
    return []


def muscle_frequency(v: Vars) -> list[Term]:
    """Hamstrings, glutes and calves each trained in at least two sessions of a loading week
    ("Aim to train the posterior chain 2-3 times per week", 000)."""
    m = v.model
    for group, sessions in v.inst.constraints.volume.frequency.items():
        if not sessions:
            continue
        lit = v.rule(
            f"muscle_frequency:{group}", f"{group} trained in at least {sessions} sessions a week"
        )
        members = [ex for ex in v.inst.main if v.inst.trains(ex, group)]
        for k in v.inst.templates:
            hits = []
            for s in v.inst.slots:
                hit = m.new_bool_var(f"trains_{group}_{k}_{s}")
                m.add(sum(v.pick[k, s, ex.id] for ex in members) >= 1).only_enforce_if(hit)
                hits.append(hit)
            m.add(sum(hits) >= sessions).only_enforce_if(lit)
    return []


def cornerstone(v: Vars) -> list[Term]:
    """The articles' cornerstone lifts in every loading week when the kit allows them: a loaded hip
    hinge ("The hip hinge is the cornerstone of posterior chain training", 001), a hip thrust or
    bridge, a knee-flexion curl (001), a calf raise (000), a lunge or step-up (001, 003) and a row,
    pull-up or pulldown for the upper back ("bent-over rows, and pull-ups can in fact be a part of
    every client's exercise program", 002). The
    hinge, the thrust or bridge and the curl come in two sessions a week ("Here's a complete workout
    you can do twice a week", 001), so no movement is doubled while another is done once."""
    m = v.model
    twice = set(v.inst.constraints.balance.twice_weekly)
    for group, members in v.inst.cornerstones.items():
        names = group.replace("_", " ")
        times = 2 if group in twice else 1
        lit = v.rule(
            f"cornerstone:{group}",
            f"a {names} in every week" if times == 1 else f"a {names} in two sessions a week",
        )
        for k in v.inst.templates:
            hits = []
            for s in v.inst.slots:
                hit = m.new_bool_var(f"{group}_{k}_{s}")
                m.add(sum(v.pick[k, s, ex.id] for ex in members) >= hit)
                hits.append(hit)
            m.add(sum(hits) >= times).only_enforce_if(lit)
    return []


# --- recovery and time ----------------------------------------------------------------------


def session_seconds(v: Vars, k: int, s: int, weeks: list[int]) -> Expr:
    """A session's time summed over loading ``weeks`` of template ``k``: warm-up drills, ramp-up
    sets before the first loaded lift, the working sets at each week's reps and rest, and the
    cool-down."""
    inst = v.inst
    sets = cp_model.LinearExpr.weighted_sum(
        [v.sets[k, s, ex.id] for ex in inst.main], [set_seconds(v, ex, weeks) for ex in inst.main]
    )
    return sets + session_extras(v, k, s, weeks)


def set_seconds(v: Vars, ex: Exercise, weeks: list[int]) -> int:
    """One working set of ``ex`` (its rest included) summed over ``weeks``, at each week's reps."""
    key: tuple[str | int, ...] = (ex.id, *weeks)
    if key not in v.seconds:
        v.seconds[key] = sum(v.inst.set_seconds(ex, v.inst.reps(ex, week)) for week in weeks)
    return v.seconds[key]


def session_extras(v: Vars, k: int, s: int, weeks: list[int]) -> Expr:
    """A session's time around its working sets, summed over ``weeks``: the warm-up drills, the
    ramp-up sets before its first lift and the cool-down."""
    key = (k, s, *weeks)
    if key in v.extras:
        return v.extras[key]
    inst, n = v.inst, len(weeks)
    first = v.first_lift(k, s)
    terms: list[Expr] = [first[ex.id] for ex in inst.main]
    coefficients = [n * v.ramp_seconds[ex.id] for ex in inst.main]
    for ex in inst.warmup:
        terms.append(v.warm[k, s, ex.id])
        coefficients.append(n * v.fixed_seconds[ex.id])
    for ex in inst.cooldown:
        terms.append(v.cool[k, s, ex.id])
        coefficients.append(n * v.fixed_seconds[ex.id])
    v.extras[key] = cp_model.LinearExpr.weighted_sum(terms, coefficients)
    return v.extras[key]


def session_time_cap(v: Vars) -> list[Term]:
    """Each session fits its time cap, warm-up, ramp-up sets and cool-down included; the longest
    week of a mesocycle is its last loading week, where the reps peak ("Rest 45-90 seconds between
    sets depending on intensity", 001). A re-plan that starts mid-mesocycle may have two such
    weeks."""
    inst = v.inst
    minutes = inst.constraints.schedule.minutes
    cap = time_cap_rule(v)
    for k, s in inst.sessions():
        for peak in inst.peak_weeks(k):
            v.model.add(session_seconds(v, k, s, [peak]) <= 60 * minutes).only_enforce_if(cap)
    return []


def time_cap_rule(v: Vars) -> cp_model.IntVar:
    """The literal of ``session_time_cap``, which ``minutes_over_the_week`` shares."""
    minutes = v.inst.constraints.schedule.minutes
    return v.rule("session_time_cap", f"sessions of at most {minutes} min")


def minutes_over_the_week(v: Vars) -> list[Term]:
    """Implied by ``session_time_cap``, not a rule of its own: the week's working sets, with each
    session's warm-up, ramp-up and cool-down, fit the active sessions' minutes together (the
    40-minute band-kit proofs: client-0512 work 17.7 -> 11.6, client-0640 10.2 -> 6.3)."""
    inst = v.inst
    minutes = inst.constraints.schedule.minutes
    cap = time_cap_rule(v)
    for k in inst.templates:
        for peak in inst.peak_weeks(k):
            sets = cp_model.LinearExpr.weighted_sum(
                [v.weekly[k, ex.id] for ex in inst.main],
                [set_seconds(v, ex, [peak]) for ex in inst.main],
            )
            extras = sum(session_extras(v, k, s, [peak]) for s in inst.slots)
            sessions = sum(v.active[s] for s in inst.slots)
            v.model.add(sets + extras <= 60 * minutes * sessions).only_enforce_if(cap)
    return []


def fatigue_caps(v: Vars) -> list[Term]:
    """Fatigue (sets x the exercise's cost) capped per session and per week ("Don't Overtrain ...
    Train them 1-3 times a week based on volume", 001)."""
    session_max, week_max = v.inst.constraints.fatigue_caps()
    session = v.rule("session_fatigue", f"at most {session_max} fatigue points a session")
    week_cap = v.rule("week_fatigue", f"at most {week_max} fatigue points a week")
    for k in v.inst.templates:
        per_session = [
            sum(ex.fatigue * v.sets[k, s, ex.id] for ex in v.inst.main) for s in v.inst.slots
        ]
        for load in per_session:
            v.model.add(load <= session_max).only_enforce_if(session)
        v.model.add(sum(per_session) <= week_max).only_enforce_if(week_cap)
    return []


def heaviest_lift_once_a_week(v: Vars) -> list[Term]:
    """The most demanding main lifts (fatigue 5 of 5: the conventional deadlift, the back squat)
    in one session a week at most; the week's other hinge is a lighter one, such as a Romanian
    deadlift. Heavy pulls from the floor cost the most recovery for their stimulus (Israetel,
    Hoffmann and Smith, "Scientific Principles of Strength Training", 2015: stimulus-to-fatigue
    ratio), and weekly programmes commonly pull heavy once."""
    heaviest = [ex for ex in v.inst.main if ex.tier == "main" and ex.fatigue == MAX_FATIGUE]
    if not heaviest:
        return []
    lit = v.rule(
        "heaviest_lift_once_a_week",
        f"{', '.join(ex.name for ex in heaviest)}: one session a week at most",
    )
    for k in v.inst.templates:
        for ex in heaviest:
            picks = [v.pick[k, s, ex.id] for s in v.inst.slots]
            v.model.add(sum(picks) <= 1).only_enforce_if(lit)
    return []


def eccentric_spacing(v: Vars) -> list[Term]:
    """High-fatigue eccentric work (Nordic curls, glute-ham raises) never in back-to-back sessions,
    across the week boundary too (000: both are advanced, eccentric-heavy). A deload week keeps its
    mesocycle's sessions."""
    inst = v.inst
    heavy = [ex for ex in inst.main if ex.high_fatigue_eccentric]
    if not heavy:
        return []
    m = v.model
    spacing = v.rule(
        "eccentric_spacing", "no Nordic curls or glute-ham raises in back-to-back sessions"
    )
    ecc = {(k, s): v.eccentric(k, s) for k, s in inst.sessions()}
    last = inst.slots[-1]
    # (session, next session, a slot whose use puts a session between them, or -1)
    pairs: set[tuple[tuple[int, int], tuple[int, int], int]] = set()
    trained = [w for w in inst.weeks if w not in inst.missed]
    for week in trained:
        k = inst.template_of(week)
        pairs |= {((k, s), (k, s + 1), -1) for s in inst.slots[:-1]}
        if week + 1 in trained:
            after = (inst.template_of(week + 1), 0)
            pairs.add(((k, last), after, -1))
            if last > 0:
                pairs.add(((k, last - 1), after, last))
    for a, b, between in sorted(pairs):
        clause = [ecc[a].Not(), ecc[b].Not()]
        if between >= 0:
            clause.append(v.active[between])
        m.add_bool_or(clause).only_enforce_if(spacing)
    if trained and inst.boundary.eccentric_before:  # the last session before the window had one
        m.add(ecc[inst.template_of(trained[0]), 0] == 0).only_enforce_if(spacing)
    if trained and inst.boundary.eccentric_after:  # the first session after the window has one
        k = inst.template_of(trained[-1])
        m.add(ecc[k, last] == 0).only_enforce_if(spacing)
        if last > 0:
            m.add_bool_or([ecc[k, last - 1].Not(), v.active[last]]).only_enforce_if(spacing)
    return []


def warmup(v: Vars) -> list[Term]:
    """Each session opens with 3-5 dynamic drills of distinct kinds for 5-10 minutes (001's sample:
    "Warm-Up (10 minutes)"), activating the glutes ("Always include glute activation drills in
    your warm-up", 001) and rehearsing the movement of the session's first lift, every drill doing
    one or the other: the shortest such warm-up for the first lift's pattern
    (``Instance.warmups``, worked out before the search). A lift with no warm-up does not open a
    session, and no warm-up, no session."""
    inst, m = v.inst, v.model
    schedule = inst.constraints.schedule
    (lo, hi), (t_lo, t_hi) = schedule.warmup_drills, schedule.warmup_minutes
    lit = v.rule(
        "warmup",
        f"a warm-up of {lo}-{hi} drills, {t_lo}-{t_hi} min, activating the glutes and "
        "rehearsing the first lift",
    )
    # Per drill, the lifts whose warm-up holds it; the lifts with a warm-up, and those without.
    opening: dict[str, list[str]] = {d.id: [] for d in inst.warmup}
    prepared: list[str] = []
    unprepared: list[str] = []
    for ex in inst.main:
        drills = inst.warmups[ex.pattern]
        (unprepared if drills is None else prepared).append(ex.id)
        for d in drills or ():
            opening[d.id].append(ex.id)
    for k, s in inst.sessions():
        first = v.first_lift(k, s)
        for eid in unprepared:
            m.add(first[eid] == 0).only_enforce_if(lit)
        # A session opens with a warm-up: with a lift that has one.
        m.add(sum(first[e] for e in prepared) >= v.active[s]).only_enforce_if(lit)
        for did, lifts in opening.items():
            m.add(v.warm[k, s, did] == sum(first[e] for e in lifts)).only_enforce_if(lit)
    return []


def cooldown(v: Vars) -> list[Term]:
    """Each session closes with static stretches for the hamstrings, glutes and calves ("end with
    static stretches", 000; "Hold the stretch for 30 to 60 seconds", 003; 001's cool-down: hamstring
    stretch, pigeon pose, figure four): 3-5 stretches, one of its own for each, the shortest such
    cool-down (``Instance.cooldown_routine``, worked out before the search). No cool-down, no
    session."""
    inst, m = v.inst, v.model
    lo, hi = inst.constraints.schedule.cooldown_stretches
    lit = v.rule(
        "cooldown",
        f"a cool-down of {lo}-{hi} stretches, one each for the hamstrings, glutes and calves",
    )
    routine = {d.id for d in inst.cooldown_routine or ()}
    for k, s in inst.sessions():
        if not routine:
            m.add(v.active[s] == 0).only_enforce_if(lit)
        for stretch in inst.cooldown:
            held = v.active[s] if stretch.id in routine else 0
            m.add(v.cool[k, s, stretch.id] == held).only_enforce_if(lit)
    return []


# --- the client's choices -------------------------------------------------------------------


def exercise_choice(v: Vars) -> list[Term]:
    """Only exercises the client can do (equipment, level, exclusions), and the required ones every
    week. Outside explanations the forbidden ones are not in the model at all."""
    inst, m = v.inst, v.model
    c = inst.constraints
    texts = {
        "equipment": f"equipment: {', '.join(sorted(inst.equipment)) or 'bodyweight only'}",
        "level": f"client level {c.client.level}",
        "exclude": "excluded exercises",
        "exclude_patterns": f"excluded patterns: {', '.join(c.exercises.exclude_patterns)}",
        "exclude_actions": f"excluded actions: {', '.join(c.exercises.exclude_actions)}",
        "exclude_dominance": f"no {'/'.join(c.exercises.exclude_dominance)}-dominant work",
        "stand_in": "loaded variants over band or bodyweight stand-ins and regressions",
        "dominated": "no variant that another available variant beats on every count",
    }
    picks = [(key, var) for key, var in v.pick.items() if key[0] == inst.templates[0]]
    selectors = [*picks, *v.warm.items(), *v.cool.items()]
    for (_, _, eid), var in selectors:
        for reason in inst.forbidden.get(eid, []):
            m.add(var == 0).only_enforce_if(v.rule(reason, texts[reason]))
    main = {ex.id for ex in inst.main}
    for eid in c.exercises.require:
        lit = v.rule(f"require:{eid}", f"{eid} every week")
        if eid not in main:
            m.add_bool_or([lit.Not()])
            continue
        for k in inst.templates:
            m.add(sum(v.pick[k, s, eid] for s in inst.slots) >= 1).only_enforce_if(lit)
    return []


def kept_sessions(v: Vars) -> list[Term]:
    """A swap changes one lift and nothing else: every other lift keeps its session and sets, the
    other sessions keep their warm-ups and cool-downs, and the substitute takes the lift's sets."""
    keep = v.inst.keep
    if keep is None:
        return []
    m = v.model
    lit = v.rule("kept_sessions", f"the rest of the plan kept as it is, {keep.out} swapped")
    for day, train in zip(DAYS, v.train, strict=True):
        m.add(train == int(day in keep.days)).only_enforce_if(lit)
    out_sets = dict(keep.lifts[keep.slot])[keep.out]
    for k, s in v.inst.sessions():
        held = dict(keep.lifts[s]) if s < len(keep.lifts) else {}
        if s == keep.slot:
            del held[keep.out]
            coming = [ex.id for ex in v.inst.main if ex.id in keep.candidates and ex.id not in held]
            m.add(sum(v.pick[k, s, eid] for eid in coming) == 1).only_enforce_if(lit)
            for eid in coming:
                m.add(v.sets[k, s, eid] == out_sets * v.pick[k, s, eid]).only_enforce_if(lit)
        else:
            coming = []
            held_drills = set(keep.warmups[s] if s < len(keep.warmups) else ())
            held_drills |= set(keep.cooldowns[s] if s < len(keep.cooldowns) else ())
            for key in [*v.inst.warmup, *v.inst.cooldown]:
                var = v.warm.get((k, s, key.id), v.cool.get((k, s, key.id)))
                m.add(var == int(key.id in held_drills)).only_enforce_if(lit)
        for ex in v.inst.main:
            if ex.id not in coming:
                m.add(v.pick[k, s, ex.id] == int(ex.id in held)).only_enforce_if(lit)
                m.add(v.sets[k, s, ex.id] == held.get(ex.id, 0)).only_enforce_if(lit)
    return []


def continuity(v: Vars) -> list[Term]:
    """A re-plan goes on with the lifts of the weeks done when the sessions keep their number and
    length: each template keeps the sessions of its last week done in order (lifts and sets), but
    for the lifts the new rules forbid. So the mesocycle under way keeps its lifts, the main lifts
    stay across mesocycles and the accessories go on rotating. Not a constraint but the first
    thing a re-plan maximizes (``Vars.carried``: one for each lift kept in its session, one more
    for its sets, less one for a lift added to a session that lost none), before the plan's value:
    a lift that must go may take others with it only when the rules leave no other way."""
    inst, m = v.inst, v.model
    score: list[Expr] = []
    for t, sessions in inst.carry.items():
        if t not in inst.templates or (t == 1 and 0 in inst.carry and 0 in inst.templates):
            continue  # B follows A by rotation: the lifts of A carried are B's too
        for s, lifts in zip(inst.slots, sessions, strict=False):
            allowed = {eid: sets for eid, sets in lifts if (t, s, eid) in v.pick}
            allowed = {e: n for e, n in allowed.items() if e not in inst.forbidden}
            whole = len(allowed) == len(lifts)
            for ex in inst.main:
                if ex.id in allowed:
                    same = m.new_bool_var(f"carried_sets_{t}_{s}_{ex.id}")
                    m.add(v.sets[t, s, ex.id] == allowed[ex.id]).only_enforce_if(same)
                    score += [v.pick[t, s, ex.id], same]
                elif whole:
                    score.append(-v.pick[t, s, ex.id])
    v.carried = sum(score)
    return []


# --- objective ------------------------------------------------------------------------------


def stimulus(v: Vars) -> list[Term]:
    """The main objective: each muscle's stimulus-weighted effective sets in every loading week,
    with diminishing returns: a quarter set at full stimulus earns twice the muscle's weight below
    MEV, once between MEV and MAV, nothing past MAV (MRV is a rule). On top, every working set
    earns ``objective.quality`` times its lift's stimulus, too little to pay for the set's time
    and fatigue but enough that of two plans with the same sets the one with the better variants
    (a barbell over a dumbbell RDL for an advanced lifter) wins, even past MAV."""
    obj = v.inst.constraints.objective
    m = v.model
    terms: list[Term] = []
    for k in v.inst.templates:
        n = len(v.inst.loading_weeks(k))
        for muscle, (mev, mav, _) in v.inst.constraints.landmarks().items():
            weight = obj.muscle_weights.get(muscle, 0)
            units = v.muscle_quarters(k, muscle, stimulus=True)
            if not weight or not mav or isinstance(units, int):
                continue
            full = 4 * STIMULUS_FULL
            low = m.new_int_var(0, full * mev, f"below_mev_{k}_{muscle}")
            high = m.new_int_var(0, full * (mav - mev), f"mev_to_mav_{k}_{muscle}")
            m.add(low + high <= units)
            terms += [(2 * weight * n, low), (weight * n, high)]
        if obj.quality and v.inst.main:
            sets = [v.sets[k, s, ex.id] for s in v.inst.slots for ex in v.inst.main]
            stimulus = [v.inst.stimulus(ex) for _ in v.inst.slots for ex in v.inst.main]
            terms.append((obj.quality * n, cp_model.LinearExpr.weighted_sum(sets, stimulus)))
    return terms


def time_and_fatigue(v: Vars) -> list[Term]:
    """The price of a plan: every fatigue point and every second of a loading session costs, so a
    set
    is added only where its stimulus is worth its time and recovery."""
    obj = v.inst.constraints.objective
    terms: list[Term] = []
    for k in v.inst.templates:
        weeks = v.inst.loading_weeks(k)
        fatigue = sum(ex.fatigue * v.sets[k, s, ex.id] for s in v.inst.slots for ex in v.inst.main)
        if obj.fatigue_cost:
            terms.append((-obj.fatigue_cost * len(weeks), fatigue))
        if obj.time_cost:
            terms += [(-obj.time_cost, session_seconds(v, k, s, weeks)) for s in v.inst.slots]
    return terms


def favourites(v: Vars) -> list[Term]:
    """A favourite exercise earns a bonus in each mesocycle that uses it."""
    bonus = v.inst.constraints.objective.favourite_bonus
    liked = set(v.inst.constraints.exercises.favourites)
    if not bonus:
        return []
    return [
        (bonus * sum(m.number % 2 == k for m in v.inst.mesocycles), v.in_template(k, ex))
        for k in v.inst.templates
        for ex in v.inst.main
        if ex.id in liked
    ]


RULES: tuple[Callable[[Vars], list[Term]], ...] = (
    training_days,
    rest_between_sessions,
    day_layout,
    session_order,
    session_size,
    main_lift_every_session,
    session_volume,
    one_family_per_session,
    lower_back,
    sets_and_reps,
    sets_over_the_week,
    hip_knee_balance,
    weekly_action,
    weekly_volume,
    muscle_frequency,
    cornerstone,
    session_time_cap,
    minutes_over_the_week,
    fatigue_caps,
    heaviest_lift_once_a_week,
    eccentric_spacing,
    warmup,
    cooldown,
    exercise_choice,
    kept_sessions,
    continuity,
    stimulus,
    time_and_fatigue,
    favourites,
)


def build(inst: Instance) -> Vars:
    """Create the variables, apply every rule and set the objective."""
    v = Vars(inst)
    terms = [term for rule in RULES for term in rule(v)]
    v.objective = cp_model.LinearExpr.weighted_sum([e for _, e in terms], [w for w, _ in terms])
    v.model.maximize(v.objective)
    return v
