"""Changing a block in flight: re-plan the weeks from one on (a new gym, new days, an injury, a
missed week) or swap one lift, keeping every week before as it was.

A change re-solves only a *window* of the block (``Instance.window``) under every rule, across its
edges too (``Boundary``: 48 h after the last session before it, no Nordic curls next to Nordic
curls), with the reps, reps in reserve and loads going on from where the lifter is (a mesocycle's
ladder spans the window's edge). Among the best plans it keeps the most of the old one: a first
search finds the best value, a second keeps that value and maximizes the lifts, sets, drills and
stretches left as they were (lexicographic: quality, then stability). The plan records each change
in ``history``, with the rules in force before a re-plan, so ``planner check`` can check every week
under its own rules.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from typing import Any

from planner import cpsat as cp_model
from planner.constraints import DAYS, Constraints
from planner.instance import (
    Boundary,
    Instance,
    Keep,
    block_mesocycles,
    equipment_of,
    load_catalog,
)
from planner.log import Log, LoggedSet
from planner.model import Expr, Vars, build, spread_days
from planner.plan import Change, Item, Performed, Plan, Week
from planner.render.common import kilograms
from planner.search import WORK_LIMIT, search
from planner.solution import Held, coverage_of, days_of, held_by, planned_weeks, round_down
from planner.solve import NoPlan, Result, Solved, found, run_record

# What a re-plan may change (an injury may need the balance rules too; the rest holds for the
# whole block: level, goal, volume, objective). The re-plan itself sets the block's weeks,
# missed weeks and deload weeks.
REPLAN_KEYS = (
    "equipment",
    "schedule.days",
    "schedule.sessions",
    "schedule.minutes",
    "exercises.exclude",
    "exercises.exclude_patterns",
    "exercises.exclude_actions",
    "exercises.exclude_dominance",
    "balance",
    "prescription.loads",
    "prescription.loads_week",
)


@dataclass(frozen=True)
class Replanned:
    """A changed block: the whole plan as ``result``, how many of the ``prescriptions`` in the
    weeks planned anew ``changed``, and the changes in short lines (``diff``)."""

    result: Result
    changed: int
    prescriptions: int
    diff: list[str]


@dataclass(frozen=True)
class Candidate:
    """A substitute for a swapped lift: why it fits, and its value (None when a rule blocks it,
    named in ``blocked``)."""

    id: str
    name: str
    why: str
    objective: int | None
    blocked: list[str]


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """The dotted key paths where two rule trees differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted({*a, *b})
        return [p for key in keys for p in differences(a.get(key), b.get(key), f"{path}{key}.")]
    return [] if a == b else [path.rstrip(".")]


def rules_of(plan: Plan, week: int) -> Constraints:
    """The rules in force in ``week``: those recorded by the first re-plan after it, else the
    plan's."""
    later = [c for c in plan.history if c.kind == "replan" and c.from_week > week]
    rules = min(later, key=lambda c: c.from_week).constraints if later else plan.constraints
    return Constraints.model_validate(rules)


def _boundary(
    inst_by_id: dict[str, Any], before: list[Week], after: list[Week], first: int
) -> Boundary:
    """What the kept weeks around a window ask of it."""
    heavy = lambda session: any(  # noqa: E731
        inst_by_id[it.id].high_fatigue_eccentric for it in session.exercises
    )
    done = [(w.week, s) for w in before for s in w.sessions]
    rest: frozenset[str] = frozenset()
    eccentric_before = False
    if done:
        week, last = done[-1]
        day = DAYS.index(last.day)
        rest = frozenset(d for i, d in enumerate(DAYS) if 7 * (first - week) + i - day < 2)
        eccentric_before = week == first - 1 and heavy(last)
    nxt = [s for w in after[:1] for s in w.sessions[:1]]
    last_session = f"week {done[-1][0]} {done[-1][1].day}" if done else ""
    return Boundary(rest, eccentric_before, bool(nxt) and heavy(nxt[0]), last_session)


def _hint(v: Vars, solver: cp_model.CpSolver) -> None:
    """Start the next search from ``solver``'s plan."""
    v.model.clear_hints()
    for var in v.all_variables():
        v.model.add_hint(var, solver.value(var))


def _stability(v: Vars, previous: dict[int, Week]) -> Expr:
    """How much of the old plan the window keeps: per week, two for each lift kept in its
    session, one more for its sets (in a loading week), one for each warm-up drill and stretch
    kept, less one for each lift, drill or stretch the old session did not have."""
    inst, m = v.inst, v.model
    same_sets: dict[tuple[int, int, str, int], cp_model.IntVar] = {}
    # Per (template, slot): each lift, drill and stretch the session may hold.
    places: dict[tuple[int, int], list[tuple[str, bool, Expr]]] = {}
    for (k, s, eid), var in v.pick.items():
        places.setdefault((k, s), []).append((eid, True, var))
    for (k, s, eid), var in [*v.warm.items(), *v.cool.items()]:
        places.setdefault((k, s), []).append((eid, False, var))
    terms: list[Expr] = []
    for week in inst.weeks:
        old = previous.get(week)
        if old is None or week in inst.missed:
            continue
        loading = week not in inst.deloads and not old.deload
        k = inst.template_of(week)
        for s, session in enumerate(old.sessions[: len(inst.slots)]):
            for it in session.exercises:
                if (k, s, it.id) not in v.pick:
                    continue
                terms.append(2 * v.pick[k, s, it.id])
                if not loading:
                    continue
                key = (k, s, it.id, it.sets)
                if key not in same_sets:
                    same_sets[key] = m.new_bool_var(f"same_sets_{k}_{s}_{it.id}")
                    m.add(v.sets[k, s, it.id] == it.sets).only_enforce_if(same_sets[key])
                terms.append(same_sets[key])
            held = {it.id for it in [*session.exercises, *session.warmup, *session.cooldown]}
            for eid, lift, var in places.get((k, s), []):
                if eid not in held:
                    terms.append(-var)  # new to the session
                elif not lift:
                    terms.append(var)  # a drill or stretch kept (a lift counted above)
    return sum(terms)


def _prescription(slot: int, it: Item) -> tuple[Any, ...]:
    return (slot, it.id, it.sets, it.reps, it.rir, it.load_kg)


def _diff(new: list[Week], previous: dict[int, Week]) -> tuple[int, int, list[str]]:
    """Prescriptions (lifts) changed, prescriptions in all, and the changes in short lines, drills
    and stretches included (consecutive weeks with the same change share a line). Sessions are
    compared in order, so a session moved to another day is the same session."""
    changed = total = 0
    runs: dict[str, list[list[int]]] = {}  # a change -> its runs of weeks [first, last]
    for week in new:
        old = previous.get(week.week)
        olds = old.sessions if old else []
        was = {_prescription(n, it) for n, s in enumerate(olds) for it in s.exercises}
        names = {it.id: it.name for s in [*olds, *week.sessions] for it in s.exercises}
        for n in range(max(len(olds), len(week.sessions))):
            # A lift swapped for another is one change; one dropped or added is one too.
            now = (
                {_prescription(n, it) for it in week.sessions[n].exercises}
                if n < len(week.sessions)
                else set()
            )
            then = {p for p in was if p[0] == n}
            ids_now, ids_then = {p[1] for p in now}, {p[1] for p in then}
            modified = sum(p not in then for p in now if p[1] in ids_then)
            changed += modified + max(len(ids_now - ids_then), len(ids_then - ids_now))
            total += max(len(now), len(then))
        old_days = [s.day for s in olds]
        new_days = [s.day for s in week.sessions]
        texts = []
        if old is not None and old_days != new_days:
            texts.append(f"days {'/'.join(old_days) or '-'} -> {'/'.join(new_days) or '-'}")
        for n in range(max(len(olds), len(week.sessions))):
            was_s = olds[n].exercises if n < len(olds) else []
            now_s = week.sessions[n].exercises if n < len(week.sessions) else []
            before = {it.id: (it.sets, it.load_kg) for it in was_s}
            after = {it.id: (it.sets, it.load_kg) for it in now_s}
            parts = [f"- {names[i]}" for i in before if i not in after]
            parts += [f"+ {names[i]}" for i in after if i not in before]
            parts += [
                f"{names[i]} {before[i][0]} -> {after[i][0]} sets"
                for i in after
                if i in before and before[i][0] != after[i][0]
            ]
            parts += [
                f"{names[i]} {kilograms(before[i][1]) or 'no load'} -> "
                f"{kilograms(after[i][1]) or 'no load'}"
                for i in after
                if i in before and before[i][1] != after[i][1]
            ]
            for block, label in (("warmup", "warm-up"), ("cooldown", "cool-down")):
                then_items = getattr(olds[n], block) if n < len(olds) else []
                now_items = getattr(week.sessions[n], block) if n < len(week.sessions) else []
                then_ids, now_ids = {it.id for it in then_items}, {it.id for it in now_items}
                gone = [it.name for it in then_items if it.id not in now_ids]
                come = [it.name for it in now_items if it.id not in then_ids]
                if gone or come:
                    parts.append(
                        f"{label} "
                        + ", ".join([*(f"- {g}" for g in gone), *(f"+ {c}" for c in come)])
                    )
            if parts:
                day = (week.sessions[n] if n < len(week.sessions) else olds[n]).day
                texts.append(f"{day}: " + ", ".join(parts))
        for text in texts:
            run = runs.setdefault(text, [])
            if run and run[-1][1] == week.week - 1:
                run[-1][1] = week.week
            else:
                run.append([week.week, week.week])
    lines = [
        (a, f"week {a}: {text}" if a == b else f"weeks {a}-{b}: {text}")
        for text, run in runs.items()
        for a, b in run
    ]
    return changed, total, [line for _, line in sorted(lines, key=lambda x: x[0])]


def _resolve(
    old: Plan,
    c: Constraints,
    window: tuple[int, int],
    previous: dict[int, Week],
    kept: tuple[list[Week], list[Week]],
    change: dict[str, Any],
    time_limit: float,
    workers: int,
    keep: Keep | None = None,
    carry: dict[int, tuple[tuple[tuple[str, int], ...], ...]] | None = None,
    work_limit: float | None = WORK_LIMIT,
) -> tuple[Replanned, Instance, Solved]:
    """Plan ``window`` anew under ``c`` between the ``kept`` weeks, going on with the lifts of
    ``carry`` (``Instance.carry``) where the rules allow; the best value first, then the most of
    ``previous`` (the old plan's week for each new week number)."""
    started = time.perf_counter()
    catalog = load_catalog(c)
    before, after = kept
    boundary = _boundary(catalog.by_id(), before, after, window[0])
    setting: dict[str, Any] = {"window": window, "boundary": boundary, "keep": keep}
    if carry:
        setting["carry"] = carry
    inst = Instance(c, catalog, equipment_of(c, catalog), **setting)
    v = build(inst)
    built = time.perf_counter()
    if carry:
        # First the most of the weeks done carried on (``continuity``), then the best value.
        v.model.maximize(v.carried)
        code, solver = search(v, c, time_limit - (built - started), workers, work_limit)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            _hint(v, solver)
            v.model.add(v.carried >= round(solver.objective_value))
        v.model.maximize(v.objective)
    left = time_limit - (time.perf_counter() - started)
    code, solver = search(v, c, left, workers, work_limit)
    stopped = found(code, solver, c, started, time_limit, workers, work_limit, **setting)
    quality, bound = round(solver.objective_value), math.floor(solver.best_objective_bound + 1e-6)
    # Among the plans of this value, the one that keeps the most of the old plan.
    _hint(v, solver)
    v.model.add(v.objective >= quality)
    v.model.maximize(_stability(v, previous))
    left = time_limit - (time.perf_counter() - started)
    second, stable = search(v, c, left, workers, work_limit)
    if second in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solver = stable
    done = time.perf_counter()
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    days = days_of([solver.value(t) for t in v.train])
    choice = Solved(v, solver)
    # The loads step after each mesocycle that holds a lift as planned: the weeks kept as the
    # old plan had them (a swap is for its weeks only), the weeks planned anew as chosen.
    held = _held(old, before if change["kind"] == "replan" else old.weeks)
    if change["kind"] == "replan":
        for eid, mesos in held_by(inst, choice, len(days)).items():
            held.setdefault(eid, set()).update(mesos)
    middle = planned_weeks(inst, days, choice, held)
    start = before[-1].week + 1 if before else 1
    missed = [  # a missed week between the kept weeks and the window
        Week(week=w, deload=False, mesocycle=inst.block_of[w].number + 1, sessions=[], missed=True)
        for w in range(start, window[0])
    ]
    weeks = [*before, *missed, *middle, *after]
    coverage = coverage_of(inst, weeks)
    changed, total, diff = _diff(middle, previous)
    count = c.schedule.sessions or (len(before[-1].sessions) if before else 3)
    wanted = spread_days(c.schedule.days, count) or ()  # the days without the 48 h edge
    ruled_out = [d for d in wanted if d in boundary.rest_before]
    if ruled_out and middle and not (set(ruled_out) & {s.day for s in middle[0].sessions}):
        diff.insert(
            0,
            f"{', '.join(ruled_out)} ruled out: under 48 h after the last session done "
            f"({boundary.last_session}), so the sessions keep to {', '.join(days) or '-'}",
        )
    if missed:
        shown = ", ".join(str(w.week) for w in missed)
        diff.insert(0, f"week {shown}: missed; the weeks after it repeat its plan, a week later")
    record = Change(**change, changed=changed, prescriptions=total)
    gap = 0.0 if status == "optimal" else round((bound - quality) / max(1, abs(bound)), 6)
    run: dict[str, Any] = {
        "status": status,
        "objective": coverage.objective,
        "bound": coverage.objective + bound - quality,
        "gap": gap,
        "stability": "optimal" if second == cp_model.OPTIMAL else "feasible",
        **run_record(c, solver, (started, built, done), workers, time_limit, work_limit, stopped),
    }
    plan = Plan(
        status=status,
        equipment=sorted(inst.equipment) if change["kind"] == "replan" else old.equipment,
        weeks=weeks,
        coverage=coverage,
        constraints=c.model_dump(mode="json") if change["kind"] == "replan" else old.constraints,
        solver=run,
        history=[*old.history, record],
    )
    result = Result(status, coverage.objective, run["bound"], gap, done - started, plan)
    return Replanned(result, changed, total, diff), inst, choice


@dataclass(frozen=True)
class LogFacts:
    """What a training log tells a re-plan: the week to repeat when all its sessions were
    skipped, each logged lift's load from the re-planned week on (by the load rule; 10 % lighter
    for a lift that missed its target two weeks running), the sets as performed, and notes."""

    missed_week: int | None
    loads: dict[str, float]
    performed: dict[int, list[Performed]]
    notes: list[str]


RESET = 0.9  # a lift that keeps missing its target starts again this share of its last load


def log_facts(plan: Plan, log: Log, from_week: int) -> LogFacts:
    """Read ``log`` for a re-plan from ``from_week``: only the weeks before it count, from the
    first week the log holds. A planned session with no set logged was skipped: each of its sets
    counts as missed."""
    from planner.loads import lift_loads

    done = [s for s in log.sets if s.week < from_week]
    logged = {(s.week, s.day) for s in done}
    notes: list[str] = []
    later = sorted({s.week for s in log.sets if s.week >= from_week})
    if later:
        shown = ", ".join(map(str, later))
        notes.append(f"week{'s' if len(later) > 1 else ''} {shown} of the log left out: re-planned")
    start = min((s.week for s in done), default=from_week)  # the log starts here
    skipped = [
        (w.week, s)
        for w in plan.weeks
        if start <= w.week < from_week and not w.missed and not w.deload
        for s in w.sessions
        if (w.week, s.day) not in logged
    ]
    for week, session in skipped:
        notes.append(f"week {week} {session.day}: no set logged, counted as missed")
        done += [
            LoggedSet(0, week, session.day, it.id, n, None, None, None, False)
            for it in session.exercises
            for n in range(1, it.sets + 1)
        ]
    before = next((w for w in plan.weeks if w.week == from_week - 1), None)
    missed = None
    if (
        before
        and before.week >= start  # the log reaches that week
        and not before.deload
        and not before.missed
        and before.sessions
        and all((before.week, s.day) not in logged for s in before.sessions)
    ):
        missed = before.week
        notes.append(f"week {missed}: every session skipped; the weeks after repeat it")
    lifts = lift_loads(json.loads(plan.model_dump_json()), Log(log.name, log.kind, log.unit, done))
    loads: dict[str, float] = {}
    for lift in lifts:
        if lift.next_load is None or lift.last_load is None or lift.increment_kg is None:
            continue
        if lift.stalled:
            load = round_down(lift.last_load * RESET, lift.increment_kg)
            notes.append(
                f"{lift.exercise_id}: missed its target in weeks "
                f"{', '.join(map(str, lift.missed[-2:]))}; starts again 10 % lighter: "
                f"{lift.last_load:g} x {RESET:g} = {load:g} kg"
            )
        else:
            load = lift.next_load
            how = "topped the range: add a step" if lift.topped else "hold"
            notes.append(
                f"{lift.exercise_id}: {lift.last_load:g} kg in week {lift.week}, {how}: {load:g} kg"
            )
        loads[lift.exercise_id] = load
    performed: dict[int, list[Performed]] = {}
    for s in sorted(log.sets, key=lambda s: (s.week, DAYS.index(s.day), s.exercise_id, s.set)):
        if s.week < from_week:
            performed.setdefault(s.week, []).append(
                Performed(
                    day=s.day,
                    exercise=s.exercise_id,
                    set=s.set,
                    load_kg=s.load_kg,
                    reps=s.reps,
                    rir=s.rir,
                    done=s.done,
                )
            )
    return LogFacts(missed, loads, performed, notes)


def replan(
    plan: Plan,
    request: Constraints,
    from_week: int,
    missed_week: int | None = None,
    time_limit: float = 60.0,
    workers: int = 1,
    log: Log | None = None,
    work_limit: float | None = WORK_LIMIT,
) -> Replanned:
    """Re-plan ``plan`` from ``from_week`` on under ``request`` (the plan's rules with the new kit,
    days, time or exclusions). Weeks before stay as they were. ``missed_week`` (``from_week`` or the
    week before it) was not trained: it stays in the block, empty, and the weeks after repeat its
    intent, so the block grows a week. With a training ``log`` (see ``log_facts``) the weeks done
    keep what was performed, loads go on from the log, and a week whose sessions were all skipped
    is the missed week. Raises ``ValueError`` for a request a re-plan cannot take and ``NoPlan``
    when no plan keeps every rule."""
    n = len(plan.weeks)
    if not 1 <= from_week <= n:
        raise ValueError(f"--from-week {from_week} is outside the plan's weeks 1-{n}")
    old_rules = Constraints.model_validate(plan.constraints)
    facts = log_facts(plan, log, from_week) if log is not None else None
    if log is not None and missed_week is not None:
        trained = sorted({s.day for s in log.sets if s.week == missed_week and s.done})
        if trained:
            raise ValueError(
                f"--missed-week {missed_week}: the log has sets done that week "
                f"({', '.join(trained)})"
            )
    if facts and missed_week is None:
        missed_week = facts.missed_week
    if facts:
        for eid in sorted(set(facts.loads) & set(request.prescription.loads)):
            known = request.prescription.loads[eid]
            if known != old_rules.prescription.loads.get(eid):
                given = known.kg if known.kg is not None else f"1RM {known.one_rep_max}"
                facts.notes.append(f"{eid}: the log's load replaces the one given ({given} kg)")
    if facts and facts.loads:
        data = request.model_dump(mode="json")
        data["prescription"]["loads"] = {
            **data["prescription"]["loads"],
            **{eid: {"kg": kg} for eid, kg in facts.loads.items()},
        }
        request = Constraints.model_validate(data)
    changed = [
        key
        for key in differences(old_rules.model_dump(mode="json"), request.model_dump(mode="json"))
        if not any(key == k or key.startswith(f"{k}.") for k in REPLAN_KEYS)
    ]
    if changed:
        raise ValueError(
            f"a re-plan keeps {', '.join(changed)} (they shape the whole block; plan a new block "
            "to change them)"
        )
    c = request
    first, shift = from_week, 0
    if missed_week is not None:
        if missed_week not in (from_week - 1, from_week) or missed_week < 1:
            raise ValueError(
                f"--missed-week {missed_week} must be the week re-planned from ({from_week}) or "
                "the one before it"
            )
        if (
            missed_week in old_rules.deload_weeks()
            or missed_week in old_rules.schedule.missed_weeks
        ):
            raise ValueError(f"week {missed_week} is a deload or missed week already")
        if n + 1 > 52:
            raise ValueError("a 52-week block cannot take a missed week")
        deloads = [d if d < missed_week else d + 1 for d in old_rules.deload_weeks()]
        data = c.model_dump(mode="json")
        data["schedule"]["weeks"] = n + 1
        data["schedule"]["missed_weeks"] = sorted([*old_rules.schedule.missed_weeks, missed_week])
        data["deload"]["weeks"] = deloads
        c = Constraints.model_validate(data)
        first, shift = missed_week + 1, 1
    logged = set(facts.loads) if facts else set()
    if logged or c.prescription.loads != old_rules.prescription.loads:
        data = c.model_dump(mode="json")
        # The new loads are those of the first loading week planned: a deload at the edge keeps
        # its lifts at them, and the steps start from that week's mesocycle.
        rest = {*c.deload_weeks(), *c.schedule.missed_weeks}
        origin = next((w for w in range(first, c.schedule.weeks + 1) if w not in rest), first)
        data["prescription"]["loads_week"] = origin
        for eid, known in old_rules.prescription.loads.items():
            if eid not in c.prescription.loads or eid in logged:
                continue
            kept = [
                it.load_kg
                for w in plan.weeks
                if w.week >= first - shift
                for s in w.sessions
                for it in s.exercises
                if it.id == eid and it.load_kg is not None
            ]
            if c.prescription.loads[eid] == known and kept:
                data["prescription"]["loads"][eid] = {"kg": kept[0]}  # goes on from here
        c = Constraints.model_validate(data)
    before = [w for w in plan.weeks if w.week < first - shift]
    if facts:
        before = [
            w.model_copy(update={"performed": facts.performed.get(w.week, [])}) for w in before
        ]
    previous = {w.week + shift: w for w in plan.weeks if w.week >= first - shift}
    change = {
        "kind": "replan",
        "from_week": first,
        "through_week": c.schedule.weeks,
        "missed_week": missed_week,
        "constraints": plan.constraints,
        "log": log.name if log else None,
        "notes": facts.notes if facts else [],
    }
    replanned, _, _ = _resolve(
        plan,
        c,
        (first, c.schedule.weeks),
        previous,
        (before, []),
        change,
        time_limit,
        workers,
        carry=_carried(plan, c, before),
        work_limit=work_limit,
    )
    return replanned


def _carried(
    plan: Plan, c: Constraints, before: list[Week]
) -> dict[int, tuple[tuple[tuple[str, int], ...], ...]]:
    """Per template, the lifts and sets of its last loading week done, session by session, when
    the sessions keep their number and length (they may move to other days)."""
    if not before:
        return {}
    was = rules_of(plan, before[-1].week).schedule
    count = len(before[-1].sessions)
    if was.minutes != c.schedule.minutes or c.schedule.sessions not in (None, count):
        return {}
    carry: dict[int, tuple[tuple[tuple[str, int], ...], ...]] = {}
    for week in reversed(before):
        t = (week.mesocycle - 1) % 2
        if not week.deload and not week.missed and week.sessions and t not in carry:
            carry[t] = tuple(
                tuple((planned(plan, week.week, s.day, it.id), it.sets) for it in s.exercises)
                for s in week.sessions
            )
    return carry


def _held(plan: Plan, weeks: list[Week]) -> Held:
    """The mesocycles whose loading ``weeks`` hold each lift, as planned (swaps undone)."""
    held: Held = {}
    for week in weeks:
        if not week.deload and not week.missed:
            for s in week.sessions:
                for it in s.exercises:
                    lift = planned(plan, week.week, s.day, it.id)
                    held.setdefault(lift, set()).add(week.mesocycle - 1)
    return held


def planned(plan: Plan, week: int, day: str, lift: str) -> str:
    """The lift the plan had before the swaps of ``week``'s session on ``day`` (a swap is for
    its weeks only; a re-plan goes on with the lifts as planned)."""
    for change in reversed(plan.history):
        if change.kind == "replan" and week >= (change.missed_week or change.from_week):
            break
        swapped = change.kind == "swap" and change.day == day and lift == change.to
        if swapped and change.from_week <= week <= change.through_week and change.exercise:
            lift = change.exercise
    return lift


# --- swaps -----------------------------------------------------------------------------------


def _swap_setting(
    plan: Plan, week: int, day: str, exercise: str, rest_of_block: bool
) -> tuple[Constraints, tuple[int, int], Keep, Week]:
    """The rules, window and kept sessions of a swap; ``ValueError`` when it names no lift."""
    weeks = {w.week: w for w in plan.weeks}
    if week not in weeks or weeks[week].missed:
        raise ValueError(f"--week {week}: the plan has no sessions that week")
    held = [s for s in weeks[week].sessions if s.day == day]
    if not held:
        days = ", ".join(s.day for s in weeks[week].sessions)
        raise ValueError(f"--day {day}: week {week} has sessions on {days}")
    slot = weeks[week].sessions.index(held[0])
    if exercise not in {it.id for it in held[0].exercises}:
        ids = ", ".join(it.id for it in held[0].exercises)
        raise ValueError(f"--exercise {exercise}: week {week} {day} holds {ids}")
    c = rules_of(plan, week)
    meso = next(m for m in block_mesocycles(c) if week <= (m.deload or c.schedule.weeks))
    last = week
    if rest_of_block:
        ends = [
            ch.from_week - 1 for ch in plan.history if ch.kind == "replan" and ch.from_week > week
        ]
        last = min([meso.deload or meso.weeks[-1], *ends])
    # The kept sessions with their loading sets (a deload shows a share of them).
    source = weeks[week]
    if source.deload:
        source = weeks[max(w for w in meso.loading if w < week)] if meso.loading else source
    sets_of = [{it.id: it.sets for it in s.exercises} for s in source.sessions]
    lifts = tuple(
        tuple((it.id, sets_of[i].get(it.id, it.sets)) for it in s.exercises)
        for i, s in enumerate(weeks[week].sessions)
    )
    keep = Keep(
        days=tuple(s.day for s in weeks[week].sessions),
        lifts=lifts,
        warmups=tuple(tuple(it.id for it in s.warmup) for s in weeks[week].sessions),
        cooldowns=tuple(tuple(it.id for it in s.cooldown) for s in weeks[week].sessions),
        slot=slot,
        out=exercise,
        candidates=(),
    )
    return c, (week, last), keep, weeks[week]


def _substitutes(inst_catalog: Any, exercise: str) -> tuple[list[str], list[str]]:
    """The lift's own family, then others of its pattern that train its main muscles."""
    by_id = inst_catalog.by_id()
    out = by_id[exercise]
    main = [ex for ex in inst_catalog.exercises if ex.block == "main" and ex.id != exercise]
    family = [ex.id for ex in main if ex.family == out.family]
    primary = {m for m, share in out.muscles.items() if share >= 1.0}
    pattern = [
        ex.id
        for ex in main
        if ex.family != out.family
        and ex.pattern == out.pattern
        and primary <= {m for m, share in ex.muscles.items() if share >= 0.5}
    ]
    return family, pattern


def swap(
    plan: Plan,
    week: int,
    day: str,
    exercise: str,
    to: str | None = None,
    rest_of_block: bool = False,
    time_limit: float = 60.0,
    workers: int = 1,
    work_limit: float | None = WORK_LIMIT,
) -> Replanned:
    """Replace ``exercise`` in ``week``'s session on ``day`` (through the end of its mesocycle with
    ``rest_of_block``) by the best substitute that keeps every rule: of its family, else of its
    pattern and muscles; ``to`` checks the user's choice instead. Everything else stays."""
    c, window, keep, _ = _swap_setting(plan, week, day, exercise, rest_of_block)
    catalog = load_catalog(c)
    family, pattern = _substitutes(catalog, exercise)
    if to is not None:
        if to not in catalog.by_id():
            raise ValueError(f"--to {to}: not in the catalog")
        if to == exercise:
            raise ValueError(f"--to {to}: that is the lift being swapped")
        if to in {i for i, _ in keep.lifts[keep.slot]}:
            raise ValueError(f"--to {to}: already in that session")
        if to not in family and to not in pattern:
            raise ValueError(f"--to {to}: neither of {exercise}'s family nor of its pattern")
        tries = [[to]]
    else:
        tries = [family, pattern] if family else [pattern]
    start = time.perf_counter()
    before = [w for w in plan.weeks if w.week < window[0]]
    after = [w for w in plan.weeks if w.week > window[1]]
    previous = {w.week: w for w in plan.weeks if window[0] <= w.week <= window[1]}
    problem: NoPlan | None = None
    for pool in [p for p in tries if p]:
        change = {
            "kind": "swap",
            "from_week": window[0],
            "through_week": window[1],
            "day": day,
            "exercise": exercise,
            "to": None,
        }
        try:
            keep_now = Keep(**{**keep.__dict__, "candidates": tuple(pool)})
            left = time_limit - (time.perf_counter() - start)
            done, inst, choice = _resolve(
                plan,
                c,
                window,
                previous,
                (before, after),
                change,
                left,
                workers,
                keep_now,
                work_limit=work_limit,
            )
        except NoPlan as exc:
            problem = exc
            continue
        meso = inst.block_of[window[0]].number
        chosen = {ex.id for ex, _ in choice.exercises(meso, keep.slot)} - {
            i for i, _ in keep.lifts[keep.slot]
        }
        (into,) = chosen
        history = [
            *done.result.plan.history[:-1],
            done.result.plan.history[-1].model_copy(update={"to": into}),
        ]
        fixed = done.result.plan.model_copy(update={"history": history})
        return Replanned(
            Result(
                done.result.status,
                done.result.objective,
                done.result.bound,
                done.result.gap,
                done.result.runtime,
                fixed,
            ),
            done.changed,
            done.prescriptions,
            done.diff,
        )
    if problem is None:
        raise NoPlan(f"no exercise of {exercise}'s family or pattern in the catalog")
    raise problem


def candidates(
    plan: Plan,
    week: int,
    day: str,
    exercise: str,
    rest_of_block: bool = False,
    time_limit: float = 60.0,
    workers: int = 1,
    work_limit: float | None = WORK_LIMIT,
) -> list[Candidate]:
    """The substitutes for ``exercise`` the client's kit, level and exclusions allow, best first:
    those that keep every rule by their plan's value (its family before its pattern at equal
    value), then those a rule blocks, naming the rules."""
    c, _, keep, _ = _swap_setting(plan, week, day, exercise, rest_of_block)
    catalog = load_catalog(c)
    inst = Instance(c, catalog, equipment_of(c, catalog))
    family, pattern = _substitutes(catalog, exercise)
    by_id = catalog.by_id()
    out = by_id[exercise]
    held = {i for i, _ in keep.lifts[keep.slot]}
    found: list[tuple[tuple[int, int, str], Candidate]] = []
    deadline = time.perf_counter() + time_limit
    for rank, pool in enumerate((family, pattern)):
        for eid in pool:
            if eid in inst.forbidden or eid in held:
                continue
            ex = by_id[eid]
            trains = ", ".join(m for m, share in ex.muscles.items() if share >= 0.5)
            why = (
                f"same family ({out.family})"
                if rank == 0
                else f"same pattern ({out.pattern}), trains {trains}"
            )
            left = deadline - time.perf_counter()
            out_of_time = NoPlan(
                f"the time limit of {time_limit:g} s ran out before every substitute was tried "
                "(try --time-limit)"
            )
            if left <= 0.05:
                raise out_of_time
            try:
                done = swap(
                    plan, week, day, exercise, eid, rest_of_block, left, workers, work_limit
                )
                value: int | None = done.result.objective
                blocked: list[str] = []
            except NoPlan as exc:
                if not exc.rules:  # not a conflict: the search ran out of time
                    raise out_of_time from None
                # The swap itself is among the rules in conflict: name the others.
                value = None
                blocked = [t for k, t in exc.rules if k != "kept_sessions"] or exc.conflicts
            key = (value is None, -(value or 0), rank)
            found.append(((*key[:2], f"{rank}{eid}"), Candidate(eid, ex.name, why, value, blocked)))
    return [cand for _, cand in sorted(found, key=lambda pair: pair[0])]
