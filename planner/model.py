"""The CP-SAT model of a training block: one function per training rule, listed in ``RULES``.

Layout of the model
-------------------
* ``Instance`` holds the validated inputs and the index maps, computed once.
* ``Vars`` holds the decision variables. A block is cut into *mesocycles*: runs of loading weeks
  closed by a deload week. Within a mesocycle each session slot keeps the same exercises (``pick``),
  so that the load can progress week to week on the same lifts; the deload week keeps a subset
  (``keep``). Each week, slot and exercise has a number of ``sets``; the week's reps follow the
  double-progression ladder of ``Instance.reps`` (one rep more a week, then a set more), which keeps
  every constraint linear.
* Every rule in ``RULES`` adds its constraints and returns its part of the objective as
  ``(weight, variable)`` pairs. Each constraint family is guarded by a literal from ``Vars.rule``:
  true in a normal solve, an assumption when explaining why no plan exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations

from ortools.sat.python import cp_model

from planner.catalog import Exercise
from planner.constraints import DAYS
from planner.instance import Instance, Slot, fixed_item_seconds, time_seconds

PATTERN_LIMITS = {"hinge": 2, "bridge": 2, "knee_curl": 2}
COOLDOWN_MUSCLE_GROUPS: dict[str, tuple[str, ...]] = {
    "hamstrings": ("hamstrings",),
    "glutes": ("gluteus_maximus",),
    "calves": ("gastrocnemius", "soleus"),
}
WARMUP_DRILLS = (2, 4)

Term = tuple[int, cp_model.IntVar]


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
        self.pick: dict[tuple[int, int, str], cp_model.IntVar] = {}
        self.present: dict[tuple[int, int, str], cp_model.IntVar] = {}
        self.sets: dict[tuple[int, int, str], cp_model.IntVar] = {}
        sets_hi = 5
        for k, meso in enumerate(inst.mesocycles):
            for s in inst.slots:
                for ex in inst.main:
                    pick = m.new_bool_var(f"pick_{k}_{s}_{ex.id}")
                    self.pick[k, s, ex.id] = pick
                    m.add_implication(pick, self.active[s])
                    for week in meso.loading:
                        self.present[week, s, ex.id] = pick
                    if meso.deload is not None:
                        keep = m.new_bool_var(f"keep_{meso.deload}_{s}_{ex.id}")
                        m.add_implication(keep, pick)
                        self.present[meso.deload, s, ex.id] = keep
        for (week, s, eid), here in self.present.items():
            sets = self.sets[week, s, eid] = m.new_int_var(0, sets_hi, f"sets_{week}_{s}_{eid}")
            # An exercise not in the session has no sets; one in it has at least one.
            m.add(sets <= sets_hi * here)
            m.add(sets >= here)
        self.warm = {ex.id: m.new_bool_var(f"warmup_{ex.id}") for ex in inst.warmup}
        self.cool = {ex.id: m.new_bool_var(f"cooldown_{ex.id}") for ex in inst.cooldown}
        self.used: dict[tuple[int, str], cp_model.IntVar] = {}

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

    def items(self, week: int, s: int) -> Iterator[tuple[Exercise, cp_model.IntVar]]:
        for ex in self.inst.main:
            yield ex, self.present[week, s, ex.id]

    def week_sets(self, week: int, select: Callable[[Exercise], bool]) -> cp_model.LinearExprT:
        return sum(
            self.sets[week, s, ex.id]
            for s in self.inst.slots
            for ex in self.inst.main
            if select(ex)
        )

    def muscle_quarters(self, week: int, muscle: str) -> cp_model.LinearExprT:
        """Weekly effective sets of a muscle in quarter sets (primary 1.0 counts 4)."""
        return sum(
            round(4 * ex.muscles[muscle]) * self.sets[week, s, ex.id]
            for s in self.inst.slots
            for ex in self.inst.main
            if muscle in ex.muscles
        )

    def in_mesocycle(self, k: int, ex: Exercise) -> cp_model.IntVar:
        """True when the exercise is in any session of mesocycle ``k``."""
        if (k, ex.id) not in self.used:
            meso = self.inst.mesocycles[k]
            week = meso.loading[0] if meso.loading else meso.deload
            assert week is not None  # a mesocycle has a loading or a deload week
            used = self.used[k, ex.id] = self.model.new_bool_var(f"used_{k}_{ex.id}")
            here = [self.present[week, s, ex.id] for s in self.inst.slots]
            self.model.add_bool_or(here).only_enforce_if(used)
            for lit in here:
                self.model.add_implication(lit, used)
        return self.used[k, ex.id]


# --- schedule -------------------------------------------------------------------------------


def training_days(v: Vars) -> list[Term]:
    """2-3 sessions a week on the allowed days (000_acd3cb67cc6dba39.txt: "Aim to train the
    posterior chain 2-3 times per week"). The same weekly days hold for the whole block."""
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
    included (001_0705bd013e7f2731.txt: glutes and hamstrings recover slower than arms or chest)."""
    rest = v.rule("rest_between_sessions", "at least 48 h between sessions (no consecutive days)")
    for d in range(len(DAYS)):
        v.model.add_bool_or([v.train[d].Not(), v.train[(d + 1) % len(DAYS)].Not()]).only_enforce_if(
            rest
        )
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
    if v.inst.explain:
        return []
    for n in range(2, len(v.inst.slots) + 1):
        layout = spread_days(c.days, n)
        if layout is None:
            continue
        count_is_n = [v.active[n - 1]] + ([v.active[n].Not()] if n < len(v.inst.slots) else [])
        for day, train in zip(DAYS, v.train, strict=True):
            v.model.add(train == int(day in layout)).only_enforce_if(count_is_n)
    return []


def session_size(v: Vars) -> list[Term]:
    """Each session's main block holds a workable number of exercises (the sample session in
    001_0705bd013e7f2731.txt has six)."""
    lo, hi = v.inst.constraints.volume.exercises_per_session
    size = v.rule("session_size", f"{lo}-{hi} main exercises per session")
    for week, s in v.inst.sessions():
        count = sum(here for _, here in v.items(week, s))
        v.model.add(count >= lo * v.active[s]).only_enforce_if(size)
        v.model.add(count <= hi).only_enforce_if(size)
    return []


def one_variant_per_movement(v: Vars) -> list[Term]:
    """No near-duplicates in a session: one exercise per movement pattern, two for hinges, bridges
    and knee curls (the sample session in 001_0705bd013e7f2731.txt pairs Romanian deadlifts with
    pull-throughs and hip thrusts with glute bridges)."""
    lit = v.rule(
        "one_variant_per_movement",
        "one exercise per movement pattern in a session (two hinges, bridges or knee curls)",
    )
    for k, s in {(k, s) for k, s, _ in v.pick}:
        by_pattern: dict[str, list[cp_model.IntVar]] = {}
        for ex in v.inst.main:
            by_pattern.setdefault(ex.pattern, []).append(v.pick[k, s, ex.id])
        for pattern, picks in by_pattern.items():
            limit = PATTERN_LIMITS.get(pattern, 1)
            if len(picks) > limit:
                v.model.add(sum(picks) <= limit).only_enforce_if(lit)
    return []


# --- dose -----------------------------------------------------------------------------------


def sets_and_reps(v: Vars) -> list[Term]:
    """Every main exercise 3-5 sets of 8-15 reps, in every week, deload weeks included
    (000_acd3cb67cc6dba39.txt: "perform 3-5 sets of 8-15 repetitions per exercise"). The reps of
    each week come from the progression ladder, inside the range by construction."""
    c = v.inst.constraints
    (s_lo, s_hi), (r_lo, r_hi) = c.volume.sets, c.rep_range
    dose = v.rule("sets_and_reps", f"{s_lo}-{s_hi} sets of {r_lo}-{r_hi} reps per exercise")
    for key, here in v.present.items():
        v.model.add(v.sets[key] >= s_lo * here).only_enforce_if(dose)
        v.model.add(v.sets[key] <= s_hi).only_enforce_if(dose)
    return []


def progressive_overload(v: Vars) -> list[Term]:
    """Double progression within a mesocycle: each exercise keeps its sets while the reps climb one
    a week to the top of the range, then gains one set a week (000_acd3cb67cc6dba39.txt,
    001_0705bd013e7f2731.txt: progressive overload by "increasing the weight, repetitions,
    sets")."""
    grow = v.rule("progressive_overload", "reps, then sets, rise week to week within a mesocycle")
    m, reps = v.model, v.inst.reps
    for meso in v.inst.mesocycles:
        for before, after in zip(meso.loading, meso.loading[1:], strict=False):
            add_set = reps[after] == reps[before]
            for s in v.inst.slots:
                for ex in v.inst.main:
                    a, b = (before, s, ex.id), (after, s, ex.id)
                    m.add(v.sets[b] == v.sets[a] + add_set * v.present[b]).only_enforce_if(grow)
    return []


def deload(v: Vars) -> list[Term]:
    """A deload week closes each mesocycle: fewer exercises and at most ``depth`` of the previous
    week's main sets, the per-exercise floor kept (000_acd3cb67cc6dba39.txt: recovery to minimise
    injury risk; 001_0705bd013e7f2731.txt: "Don't Overtrain")."""
    c = v.inst.constraints
    if not v.inst.deloads:
        return []
    pct = round(100 * c.deload.depth)
    weeks = ", ".join(map(str, sorted(v.inst.deloads)))
    light = v.rule("deload", f"deload weeks ({weeks}) at most {pct}% of the week before's sets")
    for week in sorted(v.inst.deloads):
        if week - 1 < 1:
            continue
        every = v.week_sets(week, lambda _: True)
        before = v.week_sets(week - 1, lambda _: True)
        v.model.add(100 * every <= pct * before).only_enforce_if(light)
    return []


def hip_knee_balance(v: Vars) -> list[Term]:
    """Both hip- and knee-dominant hamstring work every week, their weekly sets within the ratio
    range (000_acd3cb67cc6dba39.txt: "include both hip-dominant ... and knee-dominant ... hamstring
    exercises to develop balanced strength"). With ``balance.require_both = false`` a week may train
    only one kind; the ratio then holds in the weeks that train both."""
    bal = v.inst.constraints.balance
    lo, hi = bal.hip_knee_ratio
    m = v.model
    if bal.require_both:
        text = f"hip- and knee-dominant hamstring work every week, sets within {lo:g}:1..{hi:g}:1"
    else:
        text = f"hip:knee-dominant hamstring sets within {lo:g}:1..{hi:g}:1 in weeks with both"
    balance = v.rule("hip_knee_balance", text)
    for week in v.inst.weeks:
        hip = v.week_sets(week, lambda ex: ex.dominance == "hip")
        knee = v.week_sets(week, lambda ex: ex.dominance == "knee")
        if bal.require_both:
            both = balance
            m.add(hip >= 1).only_enforce_if(balance)
            m.add(knee >= 1).only_enforce_if(balance)
        else:
            if isinstance(hip, int) or isinstance(knee, int):
                continue  # one kind is not available at all: no week trains both
            both = m.new_bool_var(f"hip_and_knee_{week}")
            has_hip, has_knee = m.new_bool_var(f"hip_{week}"), m.new_bool_var(f"knee_{week}")
            m.add(hip >= 1).only_enforce_if(has_hip)
            m.add(hip == 0).only_enforce_if(has_hip.Not())
            m.add(knee >= 1).only_enforce_if(has_knee)
            m.add(knee == 0).only_enforce_if(has_knee.Not())
            m.add_bool_and([has_hip, has_knee, balance]).only_enforce_if(both)
            m.add_bool_or([has_hip.Not(), has_knee.Not(), balance.Not(), both])
        m.add(100 * hip >= round(100 * lo) * knee).only_enforce_if(both)
        m.add(100 * hip <= round(100 * hi) * knee).only_enforce_if(both)
    return []


def weekly_joint_actions(v: Vars) -> list[Term]:
    """Every week trains hip extension, knee flexion and ankle plantarflexion in its main block
    (000_acd3cb67cc6dba39.txt: the three actions of the back of the legs)."""
    for action in v.inst.constraints.balance.weekly_actions:
        lit = v.rule(f"weekly_action:{action}", f"every week trains {action.replace('_', ' ')}")

        def trains(ex: Exercise, action: str = action) -> bool:
            return action in ex.actions

        for week in v.inst.weeks:
            v.model.add(v.week_sets(week, trains) >= 1).only_enforce_if(lit)
    return []


def weekly_volume(v: Vars) -> list[Term]:
    """Weekly effective sets per muscle within its range: at least the floor in loading weeks,
    never above the ceiling (000_acd3cb67cc6dba39.txt volume rule; published volume landmarks)."""
    for muscle, (lo, hi) in v.inst.constraints.weekly_sets().items():
        lit = v.rule(f"weekly_volume:{muscle}", f"{muscle}: {lo}-{hi} effective sets a week")
        for week in v.inst.weeks:
            quarters = v.muscle_quarters(week, muscle)
            if isinstance(quarters, int):
                if lo and week not in v.inst.deloads:
                    v.model.add_bool_or([lit.Not()])
                continue
            v.model.add(quarters <= 4 * hi).only_enforce_if(lit)
            if lo and week not in v.inst.deloads:
                v.model.add(quarters >= 4 * lo).only_enforce_if(lit)
    return []


# --- recovery and time ----------------------------------------------------------------------


def session_time_cap(v: Vars) -> list[Term]:
    """Each session fits its time cap, warm-up and cool-down included, estimated from reps, holds
    and rest (001_0705bd013e7f2731.txt: rest 45-90 s between sets)."""
    c = v.inst.constraints
    minutes = c.schedule.minutes
    cap = v.rule("session_time_cap", f"sessions of at most {minutes} min")
    around = sum(fixed_item_seconds(ex) * v.warm[ex.id] for ex in v.inst.warmup) + sum(
        fixed_item_seconds(ex) * v.cool[ex.id] for ex in v.inst.cooldown
    )
    for week, s in v.inst.sessions():
        reps = v.inst.reps[week]
        main = sum(
            time_seconds(ex, 1, reps, c.rest_seconds) * v.sets[week, s, ex.id] for ex in v.inst.main
        )
        v.model.add(main + around <= 60 * minutes).only_enforce_if(cap)
    return []


def fatigue_caps(v: Vars) -> list[Term]:
    """Fatigue (sets x the exercise's cost) capped per session and per week
    (001_0705bd013e7f2731.txt: "Don't Overtrain ... 1-3 times a week based on volume")."""
    session_max, week_max = v.inst.constraints.fatigue_caps()
    session = v.rule("session_fatigue", f"at most {session_max} fatigue points a session")
    week_cap = v.rule("week_fatigue", f"at most {week_max} fatigue points a week")
    for week in v.inst.weeks:
        per_session = [
            sum(ex.fatigue * v.sets[week, s, ex.id] for ex in v.inst.main) for s in v.inst.slots
        ]
        for load in per_session:
            v.model.add(load <= session_max).only_enforce_if(session)
        v.model.add(sum(per_session) <= week_max).only_enforce_if(week_cap)
    return []


def eccentric_spacing(v: Vars) -> list[Term]:
    """High-fatigue eccentric work (Nordic curls, glute-ham raises) never in back-to-back sessions,
    across the week boundary too (000_acd3cb67cc6dba39.txt: both are advanced, eccentric-heavy)."""
    heavy = [ex for ex in v.inst.main if ex.high_fatigue_eccentric]
    if not heavy:
        return []
    m = v.model
    spacing = v.rule(
        "eccentric_spacing", "no Nordic curls or glute-ham raises in back-to-back sessions"
    )
    ecc: dict[Slot, cp_model.IntVar] = {}
    for week, s in v.inst.sessions():
        flag = ecc[week, s] = m.new_bool_var(f"eccentric_{week}_{s}")
        for ex in heavy:
            m.add_implication(v.present[week, s, ex.id], flag)
    last = v.inst.slots[-1]
    for week, s in v.inst.sessions():
        if s < last:
            m.add_bool_or([ecc[week, s].Not(), ecc[week, s + 1].Not()]).only_enforce_if(spacing)
        if week + 1 in v.inst.weeks:
            first = ecc[week + 1, 0]
            if s == last:
                m.add_bool_or([ecc[week, s].Not(), first.Not()]).only_enforce_if(spacing)
            elif s == last - 1:
                # Back-to-back with next week's first session only when slot ``last`` is idle.
                m.add_bool_or([ecc[week, s].Not(), first.Not(), v.active[last]]).only_enforce_if(
                    spacing
                )
    return []


def warmup_and_cooldown(v: Vars) -> list[Term]:
    """Each session opens with 2-4 dynamic drills, one of them glute activation, and closes with
    static stretches for the hamstrings, glutes and calves (000_acd3cb67cc6dba39.txt: "begin with
    dynamic stretches ... end with static stretches"; 001_0705bd013e7f2731.txt: "Always include
    glute activation drills in your warm-up")."""
    m = v.model
    lo, hi = WARMUP_DRILLS
    warm = v.rule("warmup", f"a warm-up of {lo}-{hi} dynamic drills, one activating the glutes")
    m.add(sum(v.warm.values()) >= lo).only_enforce_if(warm)
    m.add(sum(v.warm.values()) <= hi).only_enforce_if(warm)
    glutes = [
        v.warm[ex.id]
        for ex in v.inst.warmup
        if max(ex.muscles.get("gluteus_maximus", 0), ex.muscles.get("gluteus_medius", 0)) == 1.0
    ]
    m.add(sum(glutes) >= 1).only_enforce_if(warm)
    cool = v.rule("cooldown", "a cool-down stretching hamstrings, glutes and calves")
    for group in COOLDOWN_MUSCLE_GROUPS.values():
        stretches = [v.cool[ex.id] for ex in v.inst.cooldown if set(group) & set(ex.muscles)]
        m.add(sum(stretches) >= 1).only_enforce_if(cool)
    m.add(sum(v.cool.values()) <= len(COOLDOWN_MUSCLE_GROUPS) + 1).only_enforce_if(cool)
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
    }
    selectors = [(eid, var) for (_, _, eid), var in v.pick.items()]
    selectors += [*v.warm.items(), *v.cool.items()]
    for eid, var in selectors:
        for reason in inst.forbidden.get(eid, []):
            m.add(var == 0).only_enforce_if(v.rule(reason, texts[reason]))
    main = {ex.id: ex for ex in inst.main}
    for eid in c.exercises.require:
        lit = v.rule(f"require:{eid}", f"{eid} every week")
        if eid not in main:
            m.add_bool_or([lit.Not()])
            continue
        for week in inst.weeks:
            m.add(sum(v.present[week, s, eid] for s in inst.slots) >= 1).only_enforce_if(lit)
    return []


# --- objective ------------------------------------------------------------------------------


def coverage(v: Vars) -> list[Term]:
    """Coverage of the posterior chain, the main objective. In every loading week: each muscle's
    effective sets up to its target (in quarter sets) times its weight, and each joint action's
    weight per session that trains it, up to its weekly frequency target (000_acd3cb67cc6dba39.txt:
    "a variety of hip extension, knee flexion, and ankle plantarflexion exercises"). Deload weeks
    are for recovery and earn no coverage."""
    obj = v.inst.constraints.objective
    m = v.model
    terms: list[Term] = []
    for week in v.inst.weeks:
        if week in v.inst.deloads:
            continue
        for muscle, weight in obj.muscle_weights.items():
            target = 4 * obj.target_sets.get(muscle, 0)
            quarters = v.muscle_quarters(week, muscle)
            if not weight or not target or isinstance(quarters, int):
                continue
            covered = m.new_int_var(0, target, f"cover_{week}_{muscle}")
            m.add(covered <= quarters)
            terms.append((weight, covered))
        for action, weight in obj.action_weights.items():
            target = min(obj.action_sessions.get(action, 0), len(v.inst.slots))
            if not weight or not target:
                continue
            hits = []
            for s in v.inst.slots:
                trains = [here for ex, here in v.items(week, s) if action in ex.actions]
                if trains:
                    hit = m.new_bool_var(f"action_{week}_{s}_{action}")
                    m.add_bool_or(trains).only_enforce_if(hit)
                    hits.append(hit)
            if hits:
                covered = m.new_int_var(0, target, f"action_{week}_{action}")
                m.add(covered <= sum(hits))
                terms.append((weight, covered))
    return terms


def variety(v: Vars) -> list[Term]:
    """Secondary objective: variety. In each mesocycle, distinct exercises up to a target; from one
    mesocycle to the next, new exercises up to a target; favourites earn a bonus in every mesocycle
    that uses them (002_2e866222f70004a2.txt: different exercises address every muscle of the
    chain; 000_acd3cb67cc6dba39.txt: "a variety of ... exercises")."""
    obj = v.inst.constraints.objective
    favourites = set(v.inst.constraints.exercises.favourites)
    m = v.model
    terms: list[Term] = []
    previous: dict[str, cp_model.IntVar] = {}
    for k in range(len(v.inst.mesocycles)):
        inside = {ex.id: v.in_mesocycle(k, ex) for ex in v.inst.main}
        if obj.variety and obj.distinct_per_mesocycle:
            distinct = m.new_int_var(0, obj.distinct_per_mesocycle, f"distinct_{k}")
            m.add(distinct <= sum(inside.values()))
            terms.append((obj.variety, distinct))
        if obj.variety and obj.new_per_mesocycle and previous:
            fresh = []
            for eid, here in inside.items():
                new = m.new_bool_var(f"new_{k}_{eid}")
                m.add_implication(new, here)
                m.add_implication(new, previous[eid].Not())
                fresh.append(new)
            rotated = m.new_int_var(0, obj.new_per_mesocycle, f"rotated_{k}")
            m.add(rotated <= sum(fresh))
            terms.append((obj.variety, rotated))
        if obj.favourite_bonus:
            terms += [(obj.favourite_bonus, inside[e]) for e in sorted(favourites) if e in inside]
        previous = inside
    return terms


RULES: tuple[Callable[[Vars], list[Term]], ...] = (
    training_days,
    rest_between_sessions,
    day_layout,
    session_size,
    one_variant_per_movement,
    sets_and_reps,
    progressive_overload,
    deload,
    hip_knee_balance,
    weekly_joint_actions,
    weekly_volume,
    session_time_cap,
    fatigue_caps,
    eccentric_spacing,
    warmup_and_cooldown,
    exercise_choice,
    coverage,
    variety,
)


def build(inst: Instance) -> Vars:
    """Create the variables, apply every rule and set the objective."""
    v = Vars(inst)
    terms = [term for rule in RULES for term in rule(v)]
    v.model.maximize(sum(weight * var for weight, var in terms))
    return v
