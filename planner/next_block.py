"""The next block from a logged one: the plan's own rules (its ``constraints``) with what the log
taught, solved again.

- **Main lifts** are kept (``exercises.require``), or progressed to a harder variant of the same
  family (a main lift with more stimulus for the client, in their kit) when every target was met.
- **Accessories** of the block's last mesocycle give way to their rotation partners
  (``Instance.partner``): each is excluded and its partner made a favourite (unless the partner
  was in that mesocycle too, or the accessory is required).
- **Starting loads** (``prescription.loads``) are the loads the log gives (``planner.loads``);
  a lift not logged starts from the plan's last load for it.
- **Weekly volume** per muscle, from the block's highest loading week: where every logged lift
  with the muscle as a primary mover met its targets it is held (MEV raised to it) and may grow
  by ``STEP_SETS`` (MAV raised), within MRV; where a lift missed, the ceiling (MRV) drops
  ``STEP_SETS`` below it, never under MEV. Muscles without a logged primary lift keep their
  landmarks.
- The block starts the day after the old one ends, with as many weeks.

When the changes leave no plan, they are given up in this order until one exists: the lowered
volume ceilings, the raised volume floors, the accessory rotation, the harder variants; each step
given up is named.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from planner.catalog import Exercise
from planner.constraints import Constraints
from planner.instance import Instance, build_instance
from planner.loads import LiftLoads
from planner.solve import NoPlan, Result, solve
from planner.textsafe import one_line

STEP_SETS = 2  # weekly effective sets a muscle's volume moves by


@dataclass
class Changes:
    """What the log changes in the next block's rules, each with a line for the coach."""

    require: list[str] = field(default_factory=list)
    progressed: dict[str, str] = field(default_factory=dict)  # old main lift -> harder variant
    rotated: dict[str, str] = field(default_factory=dict)  # accessory -> its partner
    loads: dict[str, float] = field(default_factory=dict)
    landmarks: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # held or grown
    lowered: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # a target missed
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NextBlock:
    result: Result
    request: Constraints
    notes: list[str]


def harder_variant(inst: Instance, ex: Exercise) -> Exercise | None:
    """A main lift of the same family with more stimulus for this client, in their kit."""
    better = [
        o
        for o in inst.main
        if o.family == ex.family
        and o.tier == "main"
        and o.id not in inst.forbidden
        and inst.stimulus(o) > inst.stimulus(ex)
    ]
    return min(better, key=lambda o: (-inst.stimulus(o), o.fatigue, o.id), default=None)


def changes(c: Constraints, plan: dict[str, Any], lifts: list[LiftLoads]) -> Changes:
    """The next block's changes to ``c`` (the plan's rules) from the logged ``lifts``."""
    inst = build_instance(c)
    by_id = inst.catalog.by_id()
    logged = {lift.exercise_id: lift for lift in lifts}
    out = Changes()
    items = [it for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"]]
    mains = list(dict.fromkeys(it["id"] for it in items if it.get("tier") == "main"))
    for eid in mains:
        lift = logged.get(eid)
        harder = harder_variant(inst, by_id[eid]) if lift and lift.met_every_target else None
        if harder is not None:
            out.progressed[eid] = harder.id
            out.notes.append(
                f"main lift {by_id[eid].name} -> {harder.name}: every target met (a harder "
                "variant of the family; find its load in week 1)"
            )
        else:
            out.notes.append(f"main lift kept: {by_id[eid].name}")
    required = [e for e in c.exercises.require if e not in out.progressed]
    out.require = list(dict.fromkeys([*required, *mains]))
    last = max(w.get("mesocycle", 1) for w in plan["weeks"])
    accessories = dict.fromkeys(
        it["id"]
        for w in plan["weeks"]
        if w.get("mesocycle", 1) == last
        for s in w["sessions"]
        for it in s["exercises"]
        if it.get("tier") != "main"
    )
    for eid in accessories:
        partner = inst.partner.get(eid)
        if (
            partner is not None
            and partner.id not in accessories  # a pair both in the block has nothing to swap
            and eid not in c.exercises.require
        ):
            out.rotated[eid] = partner.id
            out.notes.append(
                f"accessory rotated out: {by_id[eid].name} (its partner {partner.name} favoured)"
            )
    for it in items:
        if it.get("load_kg") is not None:
            out.loads[it["id"]] = it["load_kg"]
    for lift in lifts:
        if lift.next_load and lift.week is not None:
            out.loads[lift.exercise_id] = lift.next_load
    for eid, kg in out.loads.items():
        if eid not in out.progressed:
            out.notes.append(f"starting load: {by_id[eid].name} {kg:g} kg")
    volume(c, plan, logged, out)
    return out


def volume(
    c: Constraints, plan: dict[str, Any], logged: dict[str, LiftLoads], out: Changes
) -> None:
    """Each muscle's landmarks from the sets done and whether their lifts met their targets."""
    factor = c.volume.level_factor.get(c.client.level, 1.0)
    done: dict[str, float] = {}
    for row in plan["coverage"]["weeks"]:
        for muscle, sets in row["sets"].items():
            done[muscle] = max(done.get(muscle, 0.0), sets)
    trained: dict[str, set[str]] = {}
    for w in plan["weeks"]:
        for s in w["sessions"]:
            for it in s["exercises"]:
                for muscle, share in it["muscles"].items():
                    if share == 1 and it["id"] in logged and logged[it["id"]].week:
                        trained.setdefault(muscle, set()).add(it["id"])
    scaled = c.landmarks()
    for muscle, (mev, mav, mrv) in c.volume.landmarks.items():
        sets = done.get(muscle, 0.0)
        judged = trained.get(muscle)
        if not judged or not sets:
            continue
        s_mev, s_mav, s_mrv = scaled[muscle]
        name = muscle.replace("_", " ")
        if all(logged[e].met_every_target for e in judged):
            floor = max(mev, min(math.floor(sets), s_mrv))
            top = min(s_mrv, max(s_mav, math.ceil(sets) + STEP_SETS))
            new_mav = max(floor, raw(top, factor, up=True), mav)
            out.landmarks[muscle] = (floor, new_mav, max(new_mav, mrv))
            out.notes.append(
                f"volume {name}: {sets:g} sets a week, every target met: at least {floor}, "
                f"up to {top} (MEV {floor}, MAV {top})"
            )
        else:
            ceiling = max(s_mev, math.ceil(sets) - STEP_SETS)
            new_mrv = max(mev, raw(ceiling, factor, up=False))
            out.lowered[muscle] = (mev, min(mav, new_mrv), new_mrv)
            out.notes.append(
                f"volume {name}: {sets:g} sets a week, a target missed: at most {ceiling} "
                f"(MRV {ceiling})"
            )


def raw(target: int, factor: float, up: bool) -> int:
    """The landmark to write so that, scaled by the client level's ``factor``, it gives
    ``target``: the least value reaching it (``up``), else the most not passing it."""
    fits = [r for r in range(61) if math.floor(r * factor + 1e-9) >= target]
    if up:
        return fits[0] if fits else 60
    below = [r for r in range(61) if math.floor(r * factor + 1e-9) <= target]
    return below[-1] if below else 0


def request_for(c: Constraints, ch: Changes, give_up: int) -> Constraints:
    """The next block's rules; ``give_up`` drops the changes' last steps (1: the lowered volume
    ceilings, 2: also the raised floors, 3: also the rotation, 4: also the harder variants)."""
    landmarks = {str(m): v for m, v in c.volume.landmarks.items()}
    if give_up < 2:
        landmarks.update(ch.landmarks)
    if give_up < 1:
        landmarks.update(ch.lowered)
    progressed = ch.progressed if give_up < 4 else {}
    require = [e for e in ch.require if e not in progressed] + list(progressed.values())
    rotated = ch.rotated if give_up < 3 else {}
    start = c.schedule.start
    data = c.model_dump(mode="json")
    data["schedule"]["start"] = (
        (start + dt.timedelta(weeks=c.schedule.weeks)).isoformat() if start else None
    )
    data["exercises"]["require"] = list(dict.fromkeys(require))
    data["exercises"]["exclude"] = list(dict.fromkeys([*c.exercises.exclude, *rotated]))
    favourites = [*c.exercises.favourites, *rotated.values()]
    data["exercises"]["favourites"] = [e for e in dict.fromkeys(favourites) if e not in rotated]
    data["volume"]["landmarks"] = {m: list(v) for m, v in landmarks.items()}
    loads = {k: v for k, v in data["prescription"]["loads"].items() if k not in ch.loads}
    loads.update({eid: {"kg": kg, "one_rep_max": None} for eid, kg in ch.loads.items()})
    data["prescription"]["loads"] = loads
    return Constraints.model_validate(data)


GIVE_UP = (
    "",
    "lowered volume ceilings given up (no plan held them)",
    "volume floors given up (no plan held them)",
    "accessory rotation given up (no plan held it)",
    "harder variants given up (no plan held them)",
)


def plan_next(
    c: Constraints, plan: dict[str, Any], lifts: list[LiftLoads], time_limit: float = 60.0
) -> NextBlock:
    """Solve the next block; raises ``NoPlan`` when even the plan's own rules with the log's loads
    admit none."""
    ch = changes(c, plan, lifts)
    notes = list(ch.notes)
    error: NoPlan | None = None
    for give_up in range(len(GIVE_UP)):
        request = request_for(c, ch, give_up)
        try:
            result = solve(request, time_limit=time_limit)
        except NoPlan as exc:
            error = exc
            continue
        notes += [GIVE_UP[i] for i in range(1, give_up + 1)]
        return NextBlock(result, request, [one_line(n) for n in notes])
    assert error is not None
    raise error
