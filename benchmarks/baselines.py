"""Baselines the planner is measured against, on the same rules and the same objective.

* ``straightforward``: the CP-SAT model a newcomer writes first. One boolean per week x session x
  exercise, sets and reps as free integers tied by their product (``add_multiplication_equality``),
  every rule posted week by week, no mesocycle templates.
* ``greedy``: fill each session with the exercise (or extra set) that adds the most uncovered
  weight while every rule still holds; report when it cannot satisfy the rules.
* ``highs``: the planner's own formulation exported as a MIP and solved by HiGHS (``highspy``).

Every baseline's plan is built through the plan contract (``planner.plan``) and checked by
``planner.check.check_plan`` like the planner's.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ortools.sat.python import cp_model

from planner.catalog import Exercise
from planner.check import check_plan
from planner.constraints import (
    DAYS,
    Constraints,
)
from planner.instance import build_instance as instance
from planner.instance import fixed_item_seconds, time_seconds
from planner.model import (
    COOLDOWN_MUSCLE_GROUPS,
    PATTERN_LIMITS,
    WARMUP_DRILLS,
    build,
)
from planner.plan import Plan
from planner.solve import assemble, plan_from


@dataclass
class Outcome:
    """One baseline run: status is optimal, feasible, infeasible, unknown, failed or skipped."""

    status: str
    objective: int | None = None
    bound: int | None = None
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    violations: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def wall_seconds(self) -> float:
        return self.build_seconds + self.solve_seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "build_seconds": round(self.build_seconds, 4),
            "solve_seconds": round(self.solve_seconds, 4),
            "wall_seconds": round(self.wall_seconds, 4),
            "check": "ok" if not self.violations else f"{len(self.violations)} violations",
            "violations": self.violations[:5],
            "note": self.note,
        }


USUAL_DAYS = {2: ("mon", "thu"), 3: ("mon", "wed", "fri")}


def checked(plan: Plan) -> list[str]:
    return check_plan(plan.model_dump(mode="json"))


# --- the straightforward CP-SAT formulation ---------------------------------------------------


def straightforward(c: Constraints, time_limit: float) -> Outcome:
    """The first model a newcomer writes, solved with the planner's solver settings."""
    started = time.perf_counter()
    inst = instance(c)
    m = cp_model.CpModel()
    sc, vol = c.schedule, c.volume
    (s_lo, s_hi), (r_lo, r_hi) = vol.sets, c.rep_range
    main, slots, weeks = inst.main, list(inst.slots), inst.weeks
    train = [m.new_bool_var(f"train_{d}") for d in DAYS]
    active = [m.new_bool_var(f"active_{s}") for s in slots]
    x, sets, reps, prod = {}, {}, {}, {}
    for w, s, ex in itertools.product(weeks, slots, main):
        key = w, s, ex.id
        x[key] = m.new_bool_var(f"x_{key}")
        sets[key] = m.new_int_var(0, s_hi, f"sets_{key}")
        reps[key] = m.new_int_var(0, r_hi, f"reps_{key}")
        prod[key] = m.new_int_var(0, s_hi * r_hi, f"prod_{key}")
        m.add_multiplication_equality(prod[key], [sets[key], reps[key]])
        m.add_implication(x[key], active[s])
        m.add(sets[key] >= s_lo * x[key])
        m.add(sets[key] <= s_hi * x[key])
        m.add(reps[key] >= r_lo * x[key])
        m.add(reps[key] <= r_hi * x[key])
    # Days: 2-3 sessions on allowed days, never two days running, the same days every week.
    lo = sc.sessions or 2
    m.add(sum(train) == sum(active))
    m.add(sum(active) >= lo)
    for s in slots[1:]:
        m.add_implication(active[s], active[s - 1])
    for d, day in enumerate(DAYS):
        m.add_bool_or([train[d].Not(), train[(d + 1) % 7].Not()])
        if day not in sc.days:
            m.add(train[d] == 0)
    e_lo, e_hi = vol.exercises_per_session
    session_max, week_max = c.fatigue_caps()
    weekly_sets = c.weekly_sets()

    def week_sum(w: int, coef: Callable[[Exercise], int]) -> Any:
        return sum(coef(ex) * sets[w, s, ex.id] for s in slots for ex in main if coef(ex))

    def does(action: str) -> Callable[[Exercise], int]:
        return lambda ex: int(action in ex.actions)

    def quarters_of(muscle: str) -> Callable[[Exercise], int]:
        return lambda ex: round(4 * cast(dict[str, float], ex.muscles).get(muscle, 0.0))

    warm = {ex.id: m.new_bool_var(f"warm_{ex.id}") for ex in inst.warmup}
    cool = {ex.id: m.new_bool_var(f"cool_{ex.id}") for ex in inst.cooldown}
    around = sum(fixed_item_seconds(ex) * warm[ex.id] for ex in inst.warmup) + sum(
        fixed_item_seconds(ex) * cool[ex.id] for ex in inst.cooldown
    )
    heavy = [ex for ex in main if ex.high_fatigue_eccentric]
    ecc = {}
    for w in weeks:
        for s in slots:
            count = sum(x[w, s, ex.id] for ex in main)
            m.add(count >= e_lo * active[s])
            m.add(count <= e_hi)
            for pattern in {ex.pattern for ex in main}:
                m.add(
                    sum(x[w, s, ex.id] for ex in main if ex.pattern == pattern)
                    <= PATTERN_LIMITS.get(pattern, 1)
                )
            m.add(sum(ex.fatigue * sets[w, s, ex.id] for ex in main) <= session_max)
            m.add(
                around
                + sum(
                    (ex.seconds_per_rep or 0) * ex.sides * prod[w, s, ex.id]
                    + c.rest_seconds * sets[w, s, ex.id]
                    for ex in main
                )
                <= 60 * sc.minutes
            )
            ecc[w, s] = m.new_bool_var(f"ecc_{w}_{s}")
            for ex in heavy:
                m.add_implication(x[w, s, ex.id], ecc[w, s])
        m.add(sum(ex.fatigue * sets[w, s, ex.id] for s in slots for ex in main) <= week_max)
        hip = week_sum(w, lambda ex: int(ex.dominance == "hip"))
        knee = week_sum(w, lambda ex: int(ex.dominance == "knee"))
        r_min, r_max = c.balance.hip_knee_ratio
        both = None  # the ratio holds in every week, or only in weeks that train both kinds
        if c.balance.require_both:
            m.add(hip >= 1)
            m.add(knee >= 1)
        elif not isinstance(hip, int) and not isinstance(knee, int):
            both = m.new_bool_var(f"both_{w}")
            has_hip, has_knee = m.new_bool_var(f"hip_{w}"), m.new_bool_var(f"knee_{w}")
            m.add(hip >= 1).only_enforce_if(has_hip)
            m.add(hip == 0).only_enforce_if(has_hip.Not())
            m.add(knee >= 1).only_enforce_if(has_knee)
            m.add(knee == 0).only_enforce_if(has_knee.Not())
            m.add_bool_and([has_hip, has_knee]).only_enforce_if(both)
            m.add_bool_or([has_hip.Not(), has_knee.Not(), both])
        if c.balance.require_both or both is not None:
            ratio = [both] if both is not None else []
            m.add(100 * hip >= round(100 * r_min) * knee).only_enforce_if(ratio)
            m.add(100 * hip <= round(100 * r_max) * knee).only_enforce_if(ratio)
        for action in c.balance.weekly_actions:
            m.add(week_sum(w, does(action)) >= 1)
        for muscle, (m_lo, m_hi) in weekly_sets.items():
            quarters = week_sum(w, quarters_of(muscle))
            if isinstance(quarters, int):
                if m_lo and w not in inst.deloads:
                    m.add_bool_or([])
                continue
            m.add(quarters <= 4 * m_hi)
            if m_lo and w not in inst.deloads:
                m.add(quarters >= 4 * m_lo)
        for eid in c.exercises.require:
            if any(ex.id == eid for ex in main):
                m.add(sum(x[w, s, eid] for s in slots) >= 1)
            else:
                m.add_bool_or([])
    last = slots[-1]
    for w, s in itertools.product(weeks, slots):
        if s < last:
            m.add_bool_or([ecc[w, s].Not(), ecc[w, s + 1].Not()])
        if w + 1 in weeks and s == last:
            m.add_bool_or([ecc[w, s].Not(), ecc[w + 1, 0].Not()])
        if w + 1 in weeks and s == last - 1:
            m.add_bool_or([ecc[w, s].Not(), ecc[w + 1, 0].Not(), active[last]])
    # Progression: within a mesocycle the same exercises; reps +1 a week to the top of the range,
    # then +1 set a week; sets x reps always rises. Deload weeks keep a subset at the bottom reps.
    for meso in inst.mesocycles:
        for key in [(w, s, ex.id) for w in meso.loading[:1] for s in slots for ex in main]:
            m.add(reps[key] == r_lo * x[key])
        for a, b in itertools.pairwise(meso.loading):
            for s, ex in itertools.product(slots, main):
                ka, kb = (a, s, ex.id), (b, s, ex.id)
                m.add(x[kb] == x[ka])
                top = m.new_bool_var(f"top_{ka}")
                m.add(reps[ka] == r_hi).only_enforce_if(top)
                m.add(reps[ka] <= r_hi - 1).only_enforce_if(top.Not())
                m.add_min_equality(reps[kb], [reps[ka] + x[kb], r_hi])
                m.add(sets[kb] == sets[ka] + top)
                m.add(prod[kb] >= prod[ka] + x[kb])
        if meso.deload is not None:
            d = meso.deload
            for s, ex in itertools.product(slots, main):
                m.add(reps[d, s, ex.id] == r_lo * x[d, s, ex.id])
                if d - 1 in weeks:
                    m.add_implication(x[d, s, ex.id], x[d - 1, s, ex.id])
            if d - 1 in weeks:
                total = sum(sets[d, s, ex.id] for s in slots for ex in main)
                before = sum(sets[d - 1, s, ex.id] for s in slots for ex in main)
                m.add(100 * total <= round(100 * c.deload.depth) * before)
    # Warm-up and cool-down, the same in every session.
    m.add(sum(warm.values()) >= WARMUP_DRILLS[0])
    m.add(sum(warm.values()) <= WARMUP_DRILLS[1])
    m.add(sum(warm[ex.id] for ex in inst.warmup if _activates_glutes(ex)) >= 1)
    for group in COOLDOWN_MUSCLE_GROUPS.values():
        m.add(sum(cool[ex.id] for ex in inst.cooldown if set(group) & set(ex.muscles)) >= 1)
    m.add(sum(cool.values()) <= len(COOLDOWN_MUSCLE_GROUPS) + 1)
    # The same objective: coverage of the loading weeks plus variety.
    obj = c.objective
    terms: list[Any] = []
    for w in weeks:
        if w in inst.deloads:
            continue
        for muscle, weight in obj.muscle_weights.items():
            target = 4 * obj.target_sets.get(muscle, 0)
            quarters = week_sum(w, quarters_of(muscle))
            if weight and target and not isinstance(quarters, int):
                covered = m.new_int_var(0, target, f"cover_{w}_{muscle}")
                m.add(covered <= quarters)
                terms.append(weight * covered)
        for action, weight in obj.action_weights.items():
            target = min(obj.action_sessions.get(action, 0), len(slots))
            hits = []
            for s in slots:
                trains = [x[w, s, ex.id] for ex in main if action in ex.actions]
                if trains and weight and target:
                    hit = m.new_bool_var(f"hit_{w}_{s}_{action}")
                    m.add_bool_or(trains).only_enforce_if(hit)
                    hits.append(hit)
            if hits:
                covered = m.new_int_var(0, target, f"hits_{w}_{action}")
                m.add(covered <= sum(hits))
                terms.append(weight * covered)
    previous: dict[str, Any] = {}
    for k, meso in enumerate(inst.mesocycles):
        here = [*meso.loading, *([meso.deload] if meso.deload else [])]
        used = {}
        for ex in main:
            used[ex.id] = m.new_bool_var(f"used_{k}_{ex.id}")
            lits = [x[w, s, ex.id] for w in here for s in slots]
            m.add_max_equality(used[ex.id], lits)
        distinct = m.new_int_var(0, obj.distinct_per_mesocycle, f"distinct_{k}")
        m.add(distinct <= sum(used.values()))
        terms.append(obj.variety * distinct)
        if previous:
            fresh = []
            for ex in main:
                new = m.new_bool_var(f"new_{k}_{ex.id}")
                m.add_implication(new, used[ex.id])
                m.add_implication(new, previous[ex.id].Not())
                fresh.append(new)
            rotated = m.new_int_var(0, obj.new_per_mesocycle, f"rotated_{k}")
            m.add(rotated <= sum(fresh))
            terms.append(obj.variety * rotated)
        terms += [obj.favourite_bonus * used[e] for e in c.exercises.favourites if e in used]
        previous = used
    m.maximize(sum(terms))
    built = time.perf_counter()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = c.seed
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.max_time_in_seconds = 1.5 * time_limit
    code = solver.solve(m)
    done = time.perf_counter()
    out = Outcome(_cp_status(code), build_seconds=built - started, solve_seconds=done - built)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return out
    out.objective = round(solver.objective_value)
    out.bound = math.floor(solver.best_objective_bound + 1e-6)
    val = solver.value
    days = [day for day, t in zip(DAYS, train, strict=True) if val(t)]
    plan = plan_from(
        inst,
        days,
        [ex for ex in inst.warmup if val(warm[ex.id])],
        [ex for ex in inst.cooldown if val(cool[ex.id])],
        lambda w, s: [
            (ex, val(sets[w, s, ex.id]), val(reps[w, s, ex.id]))
            for ex in main
            if val(x[w, s, ex.id])
        ],
        out.status,
        {},
    )
    return _settle(out, plan)


def _settle(out: Outcome, plan: Plan) -> Outcome:
    """Check the plan and report its objective as the checker recomputes it: a search stopped
    early may leave the model's objective counters below what the plan covers."""
    if plan.coverage.objective < (out.objective or 0):
        out.violations.append(f"plan objective {plan.coverage.objective} < solver {out.objective}")
    out.objective = plan.coverage.objective
    out.violations += checked(plan)
    return out


def _cp_status(code: Any) -> str:
    names: dict[Any, str] = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }
    return names.get(code, "unknown")


def _activates_glutes(ex: Exercise) -> bool:
    return max(ex.muscles.get("gluteus_maximus", 0), ex.muscles.get("gluteus_medius", 0)) == 1.0


# --- greedy --------------------------------------------------------------------------------


class Greedy:
    """A constructive heuristic. Days: the usual layout; warm-up and cool-down: the shortest that
    satisfy the rules; each mesocycle's sessions: repeatedly the move (a new exercise at the
    minimum sets, or one more set) that most reduces the rule shortfall, then adds the most
    uncovered weight, keeping every cap. Heavy eccentric work only in the first session of the
    week, so it is never back to back. The deload week drops exercises until it is light enough."""

    def __init__(self, c: Constraints) -> None:
        self.c = c
        self.inst = instance(c)
        self.main = self.inst.main
        self.by_id = {ex.id: ex for ex in self.main}
        self.shares = {
            ex.id: [(m, round(4 * share)) for m, share in ex.muscles.items()] for ex in self.main
        }

    def days(self) -> list[str]:
        sc = self.c.schedule
        for n in [sc.sessions] if sc.sessions else [3, 2]:
            options = [USUAL_DAYS[n], *itertools.combinations(DAYS, n)]
            for days in options:
                idx = [DAYS.index(d) for d in days]
                spaced = all((b - a) % 7 >= 2 for a, b in zip(idx, idx[1:] + idx[:1], strict=True))
                if set(days) <= set(sc.days) and spaced:
                    return list(days)
        raise ValueError("no spaced training days among the allowed ones")

    def warmup_cooldown(self) -> tuple[list[Exercise], list[Exercise]]:
        drills = sorted(self.inst.warmup, key=lambda ex: (fixed_item_seconds(ex), ex.id))
        glute = [ex for ex in drills if _activates_glutes(ex)]
        if not glute or len(drills) < WARMUP_DRILLS[0]:
            raise ValueError("no warm-up with a glute activation drill")
        warm = [glute[0], *[ex for ex in drills if ex is not glute[0]][: WARMUP_DRILLS[0] - 1]]
        stretches = sorted(self.inst.cooldown, key=lambda ex: (fixed_item_seconds(ex), ex.id))
        cool: list[Exercise] = []
        for group in COOLDOWN_MUSCLE_GROUPS.values():
            if any(set(group) & set(ex.muscles) for ex in cool):
                continue
            fits = [ex for ex in stretches if set(group) & set(ex.muscles)]
            if not fits:
                raise ValueError("no cool-down stretch for every group")
            cool.append(fits[0])
        return warm, cool

    def solve(self) -> Plan:
        inst = self.inst
        days = self.days()
        warm, cool = self.warmup_cooldown()
        self.around = sum(fixed_item_seconds(ex) for ex in [*warm, *cool])
        n = len(days)
        doses: dict[tuple[int, int], dict[str, tuple[int, int]]] = {}
        previous: set[str] = set()
        for meso in inst.mesocycles:
            template = self.fill(meso.loading, n, previous)
            for j, w in enumerate(meso.loading):
                for s in range(n):
                    doses[w, s] = {
                        e: (b + self.extra[j], inst.reps[w]) for e, b in template[s].items()
                    }
            if meso.deload is not None:
                before = meso.loading[-1] if meso.loading else None
                kept = self.deload(
                    meso.deload,
                    [doses[before, s] for s in range(n)] if before else [{} for _ in range(n)],
                )
                for s in range(n):
                    doses[meso.deload, s] = kept[s]
            previous = {e for s in range(n) for e in template[s]}
        return plan_from(
            inst,
            days,
            warm,
            cool,
            lambda w, s: [(self.by_id[e], sets, reps) for e, (sets, reps) in doses[w, s].items()],
            "feasible",
            {},
        )

    # One mesocycle's sessions --------------------------------------------------------------
    def fill(self, loading: tuple[int, ...], n: int, previous: set[str]) -> list[dict[str, int]]:
        inst, c = self.inst, self.c
        reps = [inst.reps[w] for w in loading]
        self.extra = [0]
        for a, b in itertools.pairwise(reps):
            self.extra.append(self.extra[-1] + (a == b))
        s_lo, s_hi = c.volume.sets
        template: list[dict[str, int]] = [{} for _ in range(n)]
        while True:
            best = None
            for s in range(n):
                for ex in self.main:
                    if ex.id in template[s]:
                        trial = template[s][ex.id] + 1
                    elif (ex.high_fatigue_eccentric and s != 0) or self.crowded(template[s], ex):
                        continue
                    else:
                        trial = s_lo
                    if trial + self.extra[-1] > s_hi:
                        continue
                    candidate = [dict(t) for t in template]
                    candidate[s][ex.id] = trial
                    if not self.fits(candidate, reps):
                        continue
                    score = (
                        -self.shortfall(candidate),
                        self.value(candidate, previous),
                        -ex.fatigue,
                    )
                    if best is None or score > best[0]:
                        best = (score, candidate)
            now = (-self.shortfall(template), self.value(template, previous))
            if best is None or best[0][:2] <= now:
                break
            template = best[1]
        if self.shortfall(template):
            raise ValueError(
                "greedy could not meet every weekly rule (volume floors, balance, "
                "joint actions or session size)"
            )
        return template

    def crowded(self, session: dict[str, int], ex: Exercise) -> bool:
        """The session already holds as many exercises of this movement pattern as allowed."""
        same = sum(self.by_id[e].pattern == ex.pattern for e in session)
        return same >= PATTERN_LIMITS.get(ex.pattern, 1)

    def week_sets(
        self, template: list[dict[str, int]], extra: int
    ) -> Iterable[tuple[Exercise, int]]:
        for session in template:
            for e, base in session.items():
                yield self.by_id[e], base + extra

    def fits(self, template: list[dict[str, int]], reps: list[int]) -> bool:
        """Every cap holds in every loading week: size, time, fatigue, volume ceilings."""
        vol, c = self.c.volume, self.c
        session_max, week_max = c.fatigue_caps()
        if any(len(session) > vol.exercises_per_session[1] for session in template):
            return False
        q0, q1 = self.quarters(template)
        for j, r in enumerate(reps):
            extra = self.extra[j]
            fatigue = 0
            for session in template:
                load = sum(self.by_id[e].fatigue * (b + extra) for e, b in session.items())
                seconds = self.around + sum(
                    time_seconds(self.by_id[e], b + extra, r, c.rest_seconds)
                    for e, b in session.items()
                )
                if load > session_max or seconds > 60 * c.schedule.minutes:
                    return False
                fatigue += load
            if fatigue > week_max:
                return False
            for muscle, (_, hi) in c.weekly_sets().items():
                if q0.get(muscle, 0) + extra * q1.get(muscle, 0) > 4 * hi:
                    return False
        return True

    def quarters(self, template: list[dict[str, int]]) -> tuple[dict[str, int], dict[str, int]]:
        """Weekly quarter sets per muscle: at the base sets, and per extra set on every item."""
        base: dict[str, int] = {}
        step: dict[str, int] = {}
        for session in template:
            for e, sets in session.items():
                for muscle, q in self.shares[e]:
                    base[muscle] = base.get(muscle, 0) + q * sets
                    step[muscle] = step.get(muscle, 0) + q
        return base, step

    def shortfall(self, template: list[dict[str, int]], deload: bool = False) -> int:
        """How far the weekly floors are from holding (0 when they all hold)."""
        c = self.c
        lo_ex = c.volume.exercises_per_session[0]
        gap = sum(max(0, lo_ex - len(session)) for session in template)
        if not deload:
            quarters, _ = self.quarters(template)
            gap += sum(
                max(0, 4 * lo - quarters.get(m, 0)) for m, (lo, _) in c.weekly_sets().items()
            )
        r_lo, r_hi = c.balance.hip_knee_ratio
        for extra in {0, 0 if deload else self.extra[-1]}:  # the ratio is monotone in extra
            sets = list(self.week_sets(template, extra))
            hip = sum(n for ex, n in sets if ex.dominance == "hip")
            knee = sum(n for ex, n in sets if ex.dominance == "knee")
            if c.balance.require_both:
                gap += 4 * ((hip == 0) + (knee == 0))
            if hip and knee:
                gap += max(0, math.ceil(r_lo * knee - hip)) + max(0, math.ceil(hip - r_hi * knee))
        gap += 4 * sum(not any(a in ex.actions for ex, _ in sets) for a in c.balance.weekly_actions)
        ids = {ex.id for ex, _ in sets}
        gap += 4 * sum(e not in ids for e in c.exercises.require)
        return gap

    def value(self, template: list[dict[str, int]], previous: set[str]) -> int:
        """The objective this mesocycle's loading weeks earn."""
        obj = self.c.objective
        q0, q1 = self.quarters(template)
        total = 0
        for extra in self.extra:
            total += sum(
                w * min(q0.get(m, 0) + extra * q1.get(m, 0), 4 * obj.target_sets.get(m, 0))
                for m, w in obj.muscle_weights.items()
            )
        for action, w in obj.action_weights.items():
            hits = sum(
                any(action in self.by_id[e].actions for e in session) for session in template
            )
            total += len(self.extra) * w * min(hits, obj.action_sessions.get(action, 0))
        ids = {e for session in template for e in session}
        total += obj.variety * min(len(ids), obj.distinct_per_mesocycle)
        if previous:
            total += obj.variety * min(len(ids - previous), obj.new_per_mesocycle)
        total += obj.favourite_bonus * len(ids & set(self.c.exercises.favourites))
        return total

    def deload(
        self, week: int, before: list[dict[str, tuple[int, int]]]
    ) -> list[dict[str, tuple[int, int]]]:
        """Keep last week's exercises at the minimum sets, dropping them one at a time (first in
        session and id order whose loss keeps the rules) until the week is light enough."""
        c = self.c
        s_lo = c.volume.sets[0]
        limit = round(100 * c.deload.depth) * sum(n for s in before for n, _ in s.values())
        kept = [{e: s_lo for e in session} for session in before]
        while 100 * sum(sum(s.values()) for s in kept) > limit:
            options = []
            for s, session in enumerate(kept):
                for e in sorted(session):
                    trial = [dict(t) for t in kept]
                    del trial[s][e]
                    if self.shortfall(trial, deload=True) == 0:
                        options.append(trial)
            if not options:
                raise ValueError(f"greedy could not lighten deload week {week} enough")
            kept = options[0]
        reps = self.inst.reps[week]
        return [{e: (n, reps) for e, n in session.items()} for session in kept]


def greedy(c: Constraints) -> Outcome:
    started = time.perf_counter()
    try:
        plan = Greedy(c).solve()
    except ValueError as exc:
        return Outcome("failed", solve_seconds=time.perf_counter() - started, note=str(exc))
    out = Outcome("feasible", solve_seconds=time.perf_counter() - started)
    return _settle(out, plan)


# --- the planner's formulation as a MIP, solved by HiGHS -------------------------------------


class _Values:
    """Looks like a CpSolver to ``planner.solve.assemble``: reads values from the MIP solution."""

    def __init__(self, values: list[float]) -> None:
        self.values = values

    def value(self, var: Any) -> int:
        return round(self.values[var.index])


def highs(c: Constraints, time_limit: float) -> Outcome:
    """Export the planner's CP-SAT model (linear constraints and clauses) as a MIP and solve it
    with HiGHS in a child process (``mip.py``)."""
    if importlib.util.find_spec("highspy") is None:
        return Outcome("skipped", note="highspy not installed (pip install -e '.[bench]')")
    started = time.perf_counter()
    v = build(instance(c))
    proto = v.model.proto
    domains = [list(var.domain) for var in proto.variables]
    lows, highs_ = [d[0] for d in domains], [d[-1] for d in domains]
    fixed_true = {i for i, (lo, hi) in enumerate(zip(lows, highs_, strict=True)) if lo == hi == 1}
    rows: list[tuple[float | None, float | None, list[int], list[float]]] = []

    def lit(ref: int) -> tuple[int, int, int]:
        """A literal as (column, coefficient, constant): x, or 1 - x."""
        return (ref, 1, 0) if ref >= 0 else (-ref - 1, -1, 1)

    def row(terms: Iterable[tuple[int, int]], lo: float | None, hi: float | None) -> None:
        merged: dict[int, float] = {}
        for col, coef in terms:
            merged[col] = merged.get(col, 0) + coef
        cols = [k for k, val in merged.items() if val]
        rows.append((lo, hi, cols, [merged[k] for k in cols]))

    for ct in proto.constraints:
        kind = next(
            (k for k in ("bool_or", "bool_and", "linear") if getattr(ct, f"has_{k}")()), "other"
        )
        enforce = [r for r in ct.enforcement_literal if not (r >= 0 and r in fixed_true)]
        if kind in ("bool_or", "bool_and"):
            lits = [
                lit(r) for r in (ct.bool_or.literals if kind == "bool_or" else ct.bool_and.literals)
            ]
            off = [lit(-r - 1) for r in enforce]  # an unmet enforcement literal relaxes the row
            groups = [lits] if kind == "bool_or" else [[one] for one in lits]
            for group in groups:
                const = sum(b for _, _, b in [*group, *off])
                row([(col, k) for col, k, _ in [*group, *off]], 1 - const, None)
        elif kind == "linear":
            dom = list(ct.linear.domain)
            if len(dom) != 2:
                raise ValueError("linear constraints with holes are not exported")
            terms = list(zip(ct.linear.vars, ct.linear.coeffs, strict=True))
            lo = None if dom[0] <= -(2**62) else dom[0]
            hi = None if dom[1] >= 2**62 else dom[1]
            if not enforce:
                row(terms, lo, hi)
                continue
            # Big-M: each unmet enforcement literal relaxes the row by its activity's range.
            least = sum(k * (lows[x] if k > 0 else highs_[x]) for x, k in terms)
            most = sum(k * (highs_[x] if k > 0 else lows[x]) for x, k in terms)
            off = [lit(-r - 1) for r in enforce]
            const = sum(b for _, _, b in off)
            if lo is not None and least < lo:
                relax = lo - least
                row([*terms, *[(col, relax * k) for col, k, _ in off]], lo - relax * const, None)
            if hi is not None and most > hi:
                relax = most - hi
                row([*terms, *[(col, -relax * k) for col, k, _ in off]], None, hi + relax * const)
        else:
            raise ValueError(f"constraint {kind} is not exported")
    obj = proto.objective
    costs = [0.0] * len(lows)
    for var, coef in zip(obj.vars, obj.coeffs, strict=True):
        costs[var] += coef
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, "mip.json"), Path(tmp, "solution.json")
        source.write_text(
            json.dumps(
                {
                    "lower": lows,
                    "upper": highs_,
                    "rows": rows,
                    "costs": costs,
                    "time_limit": time_limit,
                    "seed": c.seed,
                }
            )
        )
        built = time.perf_counter()
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("mip.py")), str(source), str(target)],
            check=True,
        )
        result = json.loads(target.read_text())
    # The solve time is HiGHS's own; starting the child process counts as model building.
    out = Outcome("unknown", build_seconds=built - started, solve_seconds=result["seconds"])
    if result["infeasible"]:
        out.status = "infeasible"
    if not result["found"]:
        return out
    # CP-SAT stores a maximisation as a minimisation with a negative scaling factor.
    scale = obj.scaling_factor or 1.0
    out.status = "optimal" if result["optimal"] else "feasible"
    out.objective = round(scale * (result["objective"] + obj.offset))
    out.bound = math.floor(scale * (result["bound"] + obj.offset) + 1e-6)
    plan = assemble(v, _Values(result["values"]), out.status, {})  # type: ignore[arg-type]
    return _settle(out, plan)
