"""The model's inputs without a solver: mesocycles and templates, the rep and RIR ladders, deload
sets, rotation partners, the stand-in and dominated filters, and the warm-ups and cool-down."""

from __future__ import annotations

import math
import random
from itertools import combinations, pairwise, permutations

import pytest

from planner.constraints import Constraints
from planner.instance import (
    Instance,
    activates_glutes,
    build_instance,
    coach_order,
    fixed_item_seconds,
    ladder,
    shortest_cooldown,
    shortest_warmup,
)


def instance(**overrides: object) -> Instance:
    return build_instance(
        Constraints().with_overrides(**{"equipment.profile": "home", **overrides})
    )


def an_exercise(inst: Instance, tier: str) -> object:
    return next(ex for ex in inst.main if ex.tier == tier and ex.id not in inst.forbidden)


@pytest.mark.parametrize(("lo", "hi", "n"), [(8, 10, 3), (10, 12, 2), (12, 15, 5), (4, 6, 7)])
def test_ladder_climbs_from_the_bottom_to_the_top_one_step_at_a_time(
    lo: int, hi: int, n: int
) -> None:
    steps = [ladder(lo, hi, j, n) for j in range(n)]
    assert steps[0] == lo and steps[-1] == hi
    assert all(0 <= b - a <= math.ceil((hi - lo) / (n - 1)) for a, b in pairwise(steps))


def test_ladder_of_one_week_stays_at_the_bottom() -> None:
    assert ladder(8, 10, 0, 1) == 8


def test_mesocycles_close_with_a_deload_every_fourth_week() -> None:
    inst = instance(**{"schedule.weeks": 10})
    assert [(m.loading, m.deload) for m in inst.mesocycles] == [
        ((1, 2, 3), 4),
        ((5, 6, 7), 8),
        ((9, 10), None),
    ]
    assert [inst.template_of(w) for w in inst.weeks] == [0] * 4 + [1] * 4 + [0] * 2
    assert list(inst.templates) == [0, 1]
    assert inst.loading_weeks(0) == [1, 2, 3, 9, 10]


def test_mesocycles_follow_explicit_deload_weeks() -> None:
    inst = instance(**{"schedule.weeks": 8, "deload.weeks": (2, 6)})
    assert [(m.loading, m.deload) for m in inst.mesocycles] == [
        ((1,), 2),
        ((3, 4, 5), 6),
        ((7, 8), None),
    ]


def test_short_block_is_one_mesocycle_and_one_template() -> None:
    inst = instance(**{"schedule.weeks": 5})
    assert [(m.loading, m.deload) for m in inst.mesocycles] == [((1, 2, 3, 4, 5), None)]
    assert list(inst.templates) == [0]


def test_reps_climb_the_range_and_go_back_to_the_bottom_in_the_deload() -> None:
    inst = instance(**{"schedule.weeks": 8})
    for tier in ("main", "accessory", "isolation"):
        ex = an_exercise(inst, tier)
        lo, hi = inst.rep_range(ex)  # type: ignore[arg-type]
        reps = [inst.reps(ex, w) for w in inst.weeks]  # type: ignore[arg-type]
        assert reps[0] == lo and reps[2] == hi and reps[3] == lo
        assert reps[0] <= reps[1] <= reps[2]
        assert reps[4:] == reps[:4]


def test_rep_ranges_follow_the_goal() -> None:
    ex = an_exercise(instance(), "main")
    strength = instance(**{"client.goal": "strength"}).rep_range(ex)  # type: ignore[arg-type]
    endurance = instance(**{"client.goal": "endurance"}).rep_range(ex)  # type: ignore[arg-type]
    assert strength[1] < endurance[0]


@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
def test_rir_falls_from_the_first_to_the_last_value_and_rises_in_the_deload(level: str) -> None:
    c = Constraints().with_overrides(**{"schedule.weeks": 8, "client.level": level})
    inst = build_instance(c)
    first, last = c.prescription.rir[level]  # type: ignore[index]
    lift = inst.catalog.by_id()["hip-thrust-dumbbell"]
    rir = [inst.rir(lift, w) for w in inst.weeks]
    assert rir[0] == first and rir[2] == last
    assert rir[0] >= rir[1] >= rir[2] >= rir[0] - 2  # one a week at most
    assert rir[3] == rir[7] == c.prescription.deload_rir
    deadlift = inst.catalog.by_id()["deadlift-conventional-barbell"]
    assert min(inst.rir(deadlift, w) for w in inst.weeks) == max(last, 2)  # its own floor


def test_rir_of_a_custom_prescription() -> None:
    inst = instance(
        **{
            "schedule.weeks": 6,
            "prescription.rir": {"intermediate": (4, 0)},
            "prescription.deload_rir": 5,
        }
    )
    lift = inst.catalog.by_id()["hip-thrust-dumbbell"]
    # One less a week down to the last value, reached in the last loading week.
    assert [inst.rir(lift, w) for w in inst.weeks] == [2, 1, 0, 5, 1, 0]


@pytest.mark.parametrize(
    ("cut", "expected"),
    [(0.5, {1: 1, 2: 1, 3: 2, 4: 2, 5: 3}), (0.3, {1: 1, 2: 2, 3: 3, 4: 3, 5: 4})],
)
def test_deload_sets_keep_at_least_the_rules_share(cut: float, expected: dict[int, int]) -> None:
    inst = instance(**{"deload.cut": cut})
    assert {sets: inst.deload_sets(sets) for sets in expected} == expected
    for sets, kept in expected.items():
        assert kept >= sets * (1 - cut) - 1e-9 and kept >= 1


def test_rotation_partner_keeps_main_lifts_and_swaps_accessories_within_their_kind() -> None:
    inst = instance(**{"equipment.profile": "gym"})
    swapped = 0
    for ex in inst.main:
        partner = inst.partner[ex.id]
        if ex.tier == "main" or ex.id in inst.forbidden:
            assert partner is ex
            continue
        assert partner.id not in inst.forbidden and partner.tier == ex.tier
        if partner.id != ex.id:
            swapped += 1
            assert partner.family == ex.family or (
                (partner.pattern, partner.dominance, partner.unilateral)
                == (ex.pattern, ex.dominance, ex.unilateral)
            )
    assert swapped


def test_stand_ins_and_regressions_are_left_out() -> None:
    bridge = "glute-bridge-bodyweight"  # the home kit can load a bridge (dumbbell hip thrust)
    assert "stand_in" in instance().forbidden.get(bridge, [])
    assert "stand_in" in instance(**{"client.level": "beginner"}).forbidden.get(bridge, [])
    # A lighter bilateral variant of a main lift's family gives way past the beginner stage only.
    regression = "glute-bridge-dumbbell"
    assert "stand_in" in instance().forbidden.get(regression, [])
    assert "stand_in" not in instance(**{"client.level": "beginner"}).forbidden.get(regression, [])
    # Hard bodyweight moves stay; required and favourite lifts are kept.
    assert "stand_in" not in instance().forbidden.get("nordic-hamstring-curl", [])
    assert "stand_in" not in instance(**{"exercises.favourites": (bridge,)}).forbidden.get(
        bridge, []
    )
    assert "stand_in" not in instance(**{"exercises.allow_stand_ins": True}).forbidden.get(
        bridge, []
    )
    # With no kit, nothing can be loaded: bodyweight work is no stand-in.
    assert "stand_in" not in instance(**{"equipment.profile": "bodyweight"}).forbidden.get(
        bridge, []
    )


def test_a_trained_lifter_with_a_barbell_does_not_hip_thrust_dumbbells() -> None:
    # Dumbbells cap the load past the beginner stage (stimulus 8 or 7 against the barbell's 10).
    dumbbell = "hip-thrust-dumbbell"
    for level in ("intermediate", "advanced"):
        gym = instance(**{"equipment.profile": "gym", "client.level": level})
        assert "stand_in" in gym.forbidden.get(dumbbell, [])
        assert "stand_in" in gym.forbidden.get("romanian-deadlift-dumbbell", [])
        assert "stand_in" not in gym.forbidden.get("hip-thrust-barbell", [])
    # A beginner rates both alike; without the barbell (home, or excluded) the dumbbell one leads.
    beginner = instance(**{"equipment.profile": "gym", "client.level": "beginner"})
    assert "stand_in" not in beginner.forbidden.get(dumbbell, [])
    assert "stand_in" not in instance().forbidden.get(dumbbell, [])
    busy_rack = instance(
        **{"equipment.profile": "gym", "exercises.exclude": ("hip-thrust-barbell",)}
    )
    assert "stand_in" not in busy_rack.forbidden.get(dumbbell, [])
    # Unilateral lifts are no stand-ins for two-legged ones.
    assert "stand_in" not in instance(**{"equipment.profile": "gym"}).forbidden.get(
        "single-leg-rdl-dumbbell", []
    )


def test_dominated_variants_have_a_variant_as_good_on_every_count() -> None:
    inst = instance(**{"equipment.profile": "gym"})
    dominated = [
        ex for ex in inst.catalog.exercises if "dominated" in inst.forbidden.get(ex.id, [])
    ]
    assert dominated
    allowed = [ex for ex in inst.main if ex.id not in inst.forbidden]
    for ex in dominated:
        assert any(
            o.family == ex.family
            and o.tier == ex.tier
            and o.muscles == ex.muscles
            and sorted(o.actions) == sorted(ex.actions)
            and inst.stimulus(o) >= inst.stimulus(ex)
            and o.fatigue <= ex.fatigue
            for o in allowed
        ), ex.id


def test_required_and_favourite_variants_are_never_dominated() -> None:
    inst = instance(**{"equipment.profile": "gym"})
    dominated = sorted(eid for eid, why in inst.forbidden.items() if "dominated" in why)
    assert len(dominated) >= 2
    kept = instance(
        **{
            "equipment.profile": "gym",
            "exercises.require": dominated[:1],
            "exercises.favourites": dominated[1:2],
        }
    )
    assert not set(dominated[:2]) & set(kept.forbidden)


def test_explain_mode_keeps_forbidden_exercises_with_their_reasons() -> None:
    c = Constraints().with_overrides(**{"equipment.profile": "bodyweight"})
    plain, explain = build_instance(c), build_instance(c, explain=True)
    assert {ex.id for ex in plain.main}.isdisjoint(plain.forbidden)
    assert {ex.id for ex in explain.main} > {ex.id for ex in plain.main}
    assert explain.forbidden["hip-thrust-dumbbell"] == ["equipment"]


def test_cornerstones_ask_for_a_loaded_hinge_when_the_kit_has_one() -> None:
    assert all(ex.weighted for ex in instance().cornerstones["hip_hinge"])
    bodyweight = instance(**{"equipment.profile": "bodyweight"})
    assert bodyweight.cornerstones["hip_hinge"]
    assert not any(ex.weighted for ex in bodyweight.cornerstones["hip_hinge"])


def test_the_warmup_before_a_bridge_is_the_shortest_that_meets_its_rules() -> None:
    inst = instance()
    drills = inst.warmups["bridge"]
    assert drills is not None
    # 90 + 110 + 110 s: a bridge hold rehearses the bridge (and activates the glutes); the two
    # shortest other kinds of glute activation reach the 5-minute minimum. Three drills of 90 s
    # (270 s) fall short of it.
    assert [d.id for d in drills] == ["fire-hydrant", "glute-bridge-hold", "walking-lunge-drill"]
    assert [fixed_item_seconds(d) for d in drills] == [110, 90, 110]
    assert shortest_warmup(inst.warmup, "bridge", inst.constraints) == drills


def test_a_hinge_is_rehearsed_by_hinging_not_by_leg_swings() -> None:
    # 001's sample warm-up ends with bodyweight hip hinges before the Romanian deadlifts.
    inst = instance()
    drills = inst.warmups["hinge"]
    assert drills is not None and "hip-hinge-drill" in [d.id for d in drills]
    swings = next(d for d in inst.warmup if d.id == "leg-swing-front-back")
    assert "hinge" not in swings.prepares and "knee_curl" in swings.prepares
    # Side-to-side leg swings are hip mobility, not glute activation: not before a hinge.
    side = next(d for d in inst.warmup if d.id == "leg-swing-lateral")
    assert not activates_glutes(side) and side not in drills


def test_leg_work_comes_before_upper_back_pulls_of_its_tier() -> None:
    inst = instance(**{"equipment.profile": "gym"})
    by_id = {ex.id: ex for ex in inst.catalog.exercises}
    session = ["face-pull-cable", "bent-over-row-barbell", "leg-curl-lying-machine"]
    session += ["walking-lunge-barbell", "romanian-deadlift-barbell", "standing-calf-raise-machine"]
    ordered = sorted((by_id[e] for e in session), key=coach_order)
    assert [ex.id for ex in ordered] == [
        "romanian-deadlift-barbell",  # main
        "walking-lunge-barbell",  # accessories: leg work first, multi-joint first
        "leg-curl-lying-machine",
        "bent-over-row-barbell",
        "standing-calf-raise-machine",  # isolation: leg work first
        "face-pull-cable",
    ]


def test_no_warmup_without_a_glute_activation_drill() -> None:
    inst = instance()
    rehearse_only = [d for d in inst.warmup if d.id in ("hip-hinge-drill", "leg-swing-front-back")]
    assert shortest_warmup(rehearse_only, "hinge", inst.constraints) is None


def test_the_cooldown_is_the_shortest_with_a_stretch_for_each_group() -> None:
    inst = instance()
    stretches = inst.cooldown_routine
    assert stretches is not None and len(stretches) == 3
    seconds = sum(map(fixed_item_seconds, stretches))
    calves = [d for d in inst.cooldown if "calf" in d.id]
    no_calves = [d for d in inst.cooldown if d not in calves]
    assert shortest_cooldown(no_calves, inst.constraints) is None
    # Any other valid three-stretch cool-down takes at least as long.
    assert seconds <= min(
        fixed_item_seconds(h) + fixed_item_seconds(g) + fixed_item_seconds(c)
        for h in inst.cooldown
        if h.muscles.get("hamstrings") == 1.0
        for g in inst.cooldown
        if g is not h
        and max(g.muscles.get("gluteus_maximus", 0), g.muscles.get("gluteus_medius", 0)) == 1.0
        for c in calves
        if c not in (h, g)
    )


def every_warmup(drills: list, pattern: str, c: Constraints) -> tuple[str, ...] | None:
    """The shortest warm-up found by trying every combination of drills."""
    (lo, hi), (t_lo, t_hi) = c.schedule.warmup_drills, c.schedule.warmup_minutes
    pool = sorted((d for d in drills if activates_glutes(d) or pattern in d.prepares), key=_id)
    found = [
        (sum(map(fixed_item_seconds, combo)), tuple(d.id for d in combo))
        for n in range(lo, hi + 1)
        for combo in combinations(pool, n)
        if 60 * t_lo <= sum(map(fixed_item_seconds, combo)) <= 60 * t_hi
        and len({d.pattern for d in combo}) == n
        and any(map(activates_glutes, combo))
        and any(pattern in d.prepares for d in combo)
    ]
    return min(found)[1] if found else None


def every_cooldown(stretches: list, c: Constraints) -> tuple[str, ...] | None:
    """The shortest cool-down found by trying every combination of stretches: with a
    straight-knee calf stretch (gastrocnemius) when some combination has one, else any."""
    lo, hi = c.schedule.cooldown_stretches
    for calves in (("gastrocnemius",), ("gastrocnemius", "soleus")):
        groups = [("hamstrings",), ("gluteus_maximus", "gluteus_medius"), calves]
        found = [
            (sum(map(fixed_item_seconds, combo)), tuple(d.id for d in combo))
            for n in range(lo, hi + 1)
            for combo in combinations(sorted(stretches, key=_id), n)
            if any(
                all(
                    any(d.muscles.get(m) == 1.0 for m in g)
                    for d, g in zip(order, groups, strict=True)
                )
                for order in permutations(combo, len(groups))
            )
        ]
        if found:
            return min(found)[1]
    return None


def _id(ex: object) -> str:
    return ex.id  # type: ignore[attr-defined, no-any-return]


def test_the_calf_stretch_is_straight_knee_unless_the_kit_has_none() -> None:
    inst = instance()
    assert inst.cooldown_routine is not None
    assert "standing-calf-stretch" in [d.id for d in inst.cooldown_routine]
    assert "bent-knee-calf-stretch" not in [d.id for d in inst.cooldown_routine]
    no_straight = [d for d in inst.cooldown if d.muscles.get("gastrocnemius") != 1.0]
    fallback = shortest_cooldown(no_straight, inst.constraints)
    assert fallback is not None and "bent-knee-calf-stretch" in [d.id for d in fallback]


def test_the_shortest_routines_are_those_that_trying_every_combination_finds() -> None:
    rng = random.Random(3)
    for _ in range(25):
        c = Constraints().with_overrides(
            **{
                "equipment.profile": rng.choice(["gym", "home", "bodyweight"]),
                "schedule.warmup_drills": sorted(rng.sample(range(3, 7), 2)),
                "schedule.warmup_minutes": sorted(rng.sample(range(3, 13), 2)),
                "schedule.cooldown_stretches": sorted(rng.sample(range(3, 6), 2)),
            }
        )
        inst = build_instance(c)
        drills = rng.sample(inst.warmup, rng.randint(3, len(inst.warmup)))
        for pattern in sorted({ex.pattern for ex in inst.main}):
            routine = shortest_warmup(drills, pattern, c)
            assert (routine and tuple(d.id for d in routine)) == every_warmup(drills, pattern, c)
        stretches = rng.sample(inst.cooldown, rng.randint(2, len(inst.cooldown)))
        routine = shortest_cooldown(stretches, c)
        assert (routine and tuple(d.id for d in routine)) == every_cooldown(stretches, c)


def test_hundreds_of_drills_none_of_which_activates_the_glutes_give_no_warmup() -> None:
    inst = instance()
    drill = next(d for d in inst.warmup if d.id == "hip-hinge-drill")
    many = [
        drill.model_copy(update={"id": f"drill-{n}", "pattern": f"kind-{n}"}) for n in range(300)
    ]
    # Trying combinations would not end; the search over kinds and states does, at once.
    assert shortest_warmup(many, "hinge", inst.constraints) is None
    glute = next(d for d in inst.warmup if d.id == "fire-hydrant")
    routine = shortest_warmup([*many, glute], "hinge", inst.constraints)
    assert routine is not None and glute in routine
