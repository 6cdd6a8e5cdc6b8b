"""One tiny, hand-checkable case per rule the model can name, and its infeasible twin.

Each feasible case solves a short block (2 weeks, 2 sessions, home kit unless said), asserts what
the rule visibly does to the plan and puts the whole plan through the independent checker; each twin
breaks that rule and expects the explanation (``NoPlan.rules``) to name it. Where a case needs a
small catalog, it is a subset of the built-in entries (``catalog_mode = "replace"``).
"""

from __future__ import annotations

import json
import tomllib
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from planner import cpsat as cp_model
from planner import model
from planner.check import catalog_folder
from planner.constraints import DAYS, DEFAULT_LANDMARKS, RULE_CONFIG_KEYS, Constraints
from planner.instance import build_instance
from planner.model import build, session_order
from planner.search import solver_for
from planner.solve import NoPlan, solve
from planner.toml_text import toml_value
from tests.conftest import assert_sound

Plan = dict[str, Any]
BASE: dict[str, object] = {
    "schedule.weeks": 2,
    "schedule.sessions": 2,
    "equipment.profile": "home",
}


def request(**overrides: object) -> Constraints:
    return Constraints().with_overrides(**{**BASE, **overrides})


def plan_for(**overrides: object) -> Plan:
    result = solve(request(**overrides), time_limit=60)
    assert result.status == "optimal"
    return assert_sound(json.loads(result.plan.model_dump_json()))


def conflict_for(**overrides: object) -> set[str]:
    """The rule keys the explanation names."""
    with pytest.raises(NoPlan) as raised:
        solve(request(**overrides), time_limit=60)
    keys = {key for key, _ in raised.value.rules}
    assert keys, "a conflict must name its rules"
    assert [text for _, text in raised.value.rules] == raised.value.conflicts
    return keys


def builtin_entries() -> list[dict[str, Any]]:
    text = (catalog_folder() / "exercises.toml").read_text("utf-8")
    entries: list[dict[str, Any]] = tomllib.loads(text)["exercise"]
    return entries


def small_catalog(path: Path, main: list[str], leave_out: tuple[str, ...] = ()) -> Path:
    """A catalog file of the built-in main-block entries ``main`` and every built-in warm-up drill
    and cool-down stretch except ``leave_out``."""
    chosen = [
        e
        for e in builtin_entries()
        if (e["id"] in main if e["block"] == "main" else e["id"] not in leave_out)
    ]
    assert len([e for e in chosen if e["block"] == "main"]) == len(main)
    tables = [
        "[[exercise]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in e.items()) for e in chosen
    ]
    path.write_text("\n".join(tables))
    return path


def small(path: Path, main: list[str], leave_out: tuple[str, ...] = ()) -> dict[str, object]:
    return {"catalog": small_catalog(path, main, leave_out), "catalog_mode": "replace"}


def sessions_of(plan: Plan) -> list[dict[str, Any]]:
    return [s for w in plan["weeks"] for s in w["sessions"]]


def loading_sessions(plan: Plan) -> list[dict[str, Any]]:
    return [s for w in plan["weeks"] if not w["deload"] for s in w["sessions"]]


def week_items(week: dict[str, Any]) -> list[dict[str, Any]]:
    return [it for s in week["sessions"] for it in s["exercises"]]


def all_items(plan: Plan) -> list[dict[str, Any]]:
    return [it for s in sessions_of(plan) for it in (*s["warmup"], *s["exercises"], *s["cooldown"])]


def day_numbers(plan: Plan) -> list[int]:
    return [
        7 * (w["week"] - 1) + DAYS.index(s["day"]) for w in plan["weeks"] for s in w["sessions"]
    ]


def effective(week: dict[str, Any], muscle: str) -> float:
    return sum(it["sets"] * it["muscles"].get(muscle, 0) for it in week_items(week))


# --- schedule -------------------------------------------------------------------------------


def test_sessions_three_a_week_when_asked() -> None:
    plan = plan_for(**{"schedule.sessions": 3})
    assert [len(w["sessions"]) for w in plan["weeks"]] == [3, 3]


def test_sessions_twin_three_sessions_on_two_days() -> None:
    assert "sessions" in conflict_for(**{"schedule.sessions": 3, "schedule.days": ("mon", "wed")})


def test_days_keep_to_the_allowed_days() -> None:
    plan = plan_for(**{"schedule.days": ("tue", "fri")})
    assert [[s["day"] for s in w["sessions"]] for w in plan["weeks"]] == [["tue", "fri"]] * 2


def test_days_twin_one_allowed_day_for_two_sessions() -> None:
    assert "days" in conflict_for(**{"schedule.days": ("wed",)})


def test_rest_between_sessions_skips_a_day_even_when_consecutive_days_are_allowed() -> None:
    plan = plan_for(**{"schedule.days": ("mon", "tue", "wed", "sun")})
    days = day_numbers(plan)
    assert all(b - a >= 2 for a, b in pairwise(days))


@pytest.mark.parametrize("days", [("mon", "tue"), ("sun", "mon")])
def test_rest_between_sessions_twin_consecutive_days_even_across_the_week(
    days: tuple[str, ...],
) -> None:
    assert "rest_between_sessions" in conflict_for(**{"schedule.days": days})


# --- sessions -------------------------------------------------------------------------------


def test_session_size_five_exercises_when_asked() -> None:
    plan = plan_for(**{"volume.exercises_per_session": (5, 5)})
    assert {len(s["exercises"]) for s in sessions_of(plan)} == {5}


def test_session_size_twin_one_exercise_cannot_hold_nine_sets() -> None:
    assert "session_size" in conflict_for(**{"volume.exercises_per_session": (1, 1)})


# A barbell Romanian deadlift is the only main lift; every other lift is light bodyweight work.
RDL_AND_BODYWEIGHT = [
    "romanian-deadlift-barbell",
    "single-leg-rdl-bodyweight",
    "sliding-leg-curl",
    "glute-bridge-bodyweight",
    "standing-calf-raise-bodyweight",
    "superman-bodyweight",
    "clamshell-bodyweight",
]


def test_main_lift_every_session_opens_each_session_with_the_rdl(tmp_path: Path) -> None:
    plan = plan_for(
        **small(tmp_path / "own.toml", RDL_AND_BODYWEIGHT),
        **{"equipment.profile": "gym", "balance.cornerstones": ()},
    )
    for s in sessions_of(plan):
        assert s["exercises"][0]["id"] == "romanian-deadlift-barbell"
        assert [it["tier"] for it in s["exercises"]].count("main") == 1


def test_main_lift_every_session_twin_fatigue_cap_below_four_heavy_hinge_sets(
    tmp_path: Path,
) -> None:
    # Two main lifts, so every session needs one; four sets of either cost 16 fatigue points.
    keys = conflict_for(
        **small(tmp_path / "own.toml", [*RDL_AND_BODYWEIGHT, "good-morning-barbell"]),
        **{
            "equipment.profile": "gym",
            "balance.cornerstones": (),
            "volume.session_fatigue_max": 14,
        },
    )
    assert "main_lift_every_session" in keys
    assert "session_fatigue" in keys


def test_main_lifts_of_one_pattern_never_share_a_session() -> None:
    plan = plan_for(**{"equipment.profile": "gym"})
    for s in sessions_of(plan):
        patterns = [it["pattern"] for it in s["exercises"] if it["tier"] == "main"]
        assert patterns and len(set(patterns)) == len(patterns)


def test_session_volume_keeps_loading_sessions_in_range() -> None:
    plan = plan_for(**{"volume.session_sets": (9, 12)})
    assert all(9 <= sum(it["sets"] for it in s["exercises"]) <= 12 for s in sessions_of(plan))


def test_session_volume_twin_more_sets_than_six_exercises_hold() -> None:
    assert "session_volume" in conflict_for(**{"volume.session_sets": (40, 60)})


def test_one_family_per_session_puts_two_required_calf_raises_apart() -> None:
    pair = ("standing-calf-raise-dumbbell", "single-leg-calf-raise-dumbbell")
    plan = plan_for(**{"exercises.require": pair})
    for s in sessions_of(plan):
        families = [it["family"] for it in s["exercises"]]
        assert len(set(families)) == len(families)
        assert len({it["id"] for it in s["exercises"]} & set(pair)) <= 1
    assert {it["id"] for it in week_items(plan["weeks"][0])} >= set(pair)


def test_one_family_per_session_twin_three_required_hinges_of_one_family() -> None:
    three = (
        "romanian-deadlift-dumbbell",
        "romanian-deadlift-kettlebell",
        "single-leg-rdl-dumbbell",
    )
    assert "one_family_per_session" in conflict_for(**{"exercises.require": three})


# --- dose -----------------------------------------------------------------------------------


def test_sets_and_reps_follow_the_tier_and_the_rep_range() -> None:
    sets = {"main": (4, 4), "accessory": (3, 3), "isolation": (2, 2)}
    plan = plan_for(**{"volume.sets": sets})
    for s in loading_sessions(plan):
        for it in s["exercises"]:
            assert it["sets"] == sets[it["tier"]][0]
            lo, hi = it["rep_range"]
            assert lo <= it["reps"] <= hi


def test_sets_and_reps_twin_six_sets_each_overflow_the_session() -> None:
    keys = conflict_for(
        **{
            "volume.sets": {"main": (6, 6), "accessory": (6, 6), "isolation": (6, 6)},
            "volume.session_sets": (9, 10),
            "volume.exercises_per_session": (2, 6),
        }
    )
    assert "sets_and_reps" in keys


def hip_knee(week: dict[str, Any]) -> tuple[int, int]:
    items = week_items(week)
    hip = sum(it["sets"] for it in items if it["dominance"] == "hip")
    knee = sum(it["sets"] for it in items if it["dominance"] == "knee")
    return hip, knee


def test_hip_knee_balance_one_to_one() -> None:
    plan = plan_for(**{"balance.hip_knee_ratio": (1.0, 1.0)})
    for week in plan["weeks"]:
        hip, knee = hip_knee(week)
        assert hip == knee > 0


def test_hip_knee_balance_twin_no_knee_dominant_work() -> None:
    keys = conflict_for(
        **{
            "exercises.exclude_patterns": ("knee_curl",),
            "balance.weekly_actions": ("hip_extension", "ankle_plantarflexion"),
        }
    )
    assert {"hip_knee_balance", "exclude_patterns"} <= keys


def test_excluding_knee_dominant_work_lifts_the_both_kinds_rule() -> None:
    plan = plan_for(
        **{
            "exercises.exclude_dominance": ("knee",),
            "balance.weekly_actions": ("hip_extension", "ankle_plantarflexion"),
        }
    )
    assert all(it["dominance"] != "knee" for w in plan["weeks"] for it in week_items(w))


def test_weekly_action_adds_hip_abduction_when_asked() -> None:
    actions = ("hip_extension", "knee_flexion", "ankle_plantarflexion", "hip_abduction")
    plan = plan_for(**{"balance.weekly_actions": actions})
    for week in plan["weeks"]:
        done = {a for it in week_items(week) for a in it["actions"]}
        assert set(actions) <= done


def test_weekly_action_twin_no_plantarflexion_allowed() -> None:
    keys = conflict_for(**{"exercises.exclude_actions": ("ankle_plantarflexion",)})
    assert "weekly_action:ankle_plantarflexion" in keys
    assert "exclude_actions" in keys


def test_weekly_volume_keeps_hamstrings_within_their_landmarks() -> None:
    landmarks = {**DEFAULT_LANDMARKS, "hamstrings": (6, 14, 14)}
    plan = plan_for(**{"volume.landmarks": landmarks})
    for week in plan["weeks"]:
        assert 6 <= effective(week, "hamstrings") <= 14


def test_weekly_volume_twin_hamstring_ceiling_of_one_set() -> None:
    landmarks = {**DEFAULT_LANDMARKS, "hamstrings": (0, 0, 1)}
    assert "weekly_volume:hamstrings" in conflict_for(**{"volume.landmarks": landmarks})


def trains(it: dict[str, Any], muscles: tuple[str, ...]) -> bool:
    return any(it["muscles"].get(m, 0) >= 0.5 for m in muscles)


def test_muscle_frequency_calves_in_both_sessions() -> None:
    plan = plan_for(**{"volume.frequency": {"hamstrings": 0, "glutes": 0, "calves": 2}})
    for s in sessions_of(plan):
        assert any(trains(it, ("gastrocnemius", "soleus")) for it in s["exercises"])


def test_muscle_frequency_twin_calves_three_times_in_two_sessions() -> None:
    keys = conflict_for(**{"volume.frequency": {"hamstrings": 2, "glutes": 2, "calves": 3}})
    assert "muscle_frequency:calves" in keys


def test_cornerstone_each_group_every_week() -> None:
    families = {
        "hip_hinge": {"romanian_deadlift", "good_morning", "deadlift"},
        "hip_thrust_bridge": {"hip_thrust_bridge"},
        "knee_flexion_curl": {"leg_curl", "supine_leg_curl", "nordic", "glute_ham_raise"},
        "calf_raise": {"standing_calf_raise", "seated_calf_raise"},
        "lunge_or_step_up": {"lunge", "step_up"},
        "row_or_pull_up": {"row", "vertical_pull"},
    }
    plan = plan_for()
    for week in plan["weeks"]:
        used = {it["family"] for it in week_items(week)}
        for group, members in families.items():
            assert used & members, f"week {week['week']}: no {group}"
        hinges = [it for it in week_items(week) if it["family"] in families["hip_hinge"]]
        assert any(it["load"] not in ("band", "bodyweight") for it in hinges)


def test_cornerstone_twin_lunge_with_no_room_for_quadriceps() -> None:
    landmarks = {**DEFAULT_LANDMARKS, "quadriceps": (0, 0, 0)}
    keys = conflict_for(
        **{"volume.landmarks": landmarks, "balance.cornerstones": ("lunge_or_step_up",)}
    )
    assert {"cornerstone:lunge_or_step_up", "weekly_volume:quadriceps"} <= keys


# --- recovery and time ----------------------------------------------------------------------


def test_session_time_cap_holds_with_warmup_and_cooldown() -> None:
    plan = plan_for(**{"schedule.minutes": 50})
    assert all(s["minutes"] <= 50 for s in sessions_of(plan))


def test_session_time_cap_twin_twenty_minutes() -> None:
    assert "session_time_cap" in conflict_for(**{"schedule.minutes": 20})


def fatigue(items: list[dict[str, Any]]) -> int:
    return sum(it["sets"] * it["fatigue"] for it in items)


def test_session_fatigue_cap() -> None:
    plan = plan_for(**{"volume.session_fatigue_max": 40})
    assert all(fatigue(s["exercises"]) <= 40 for s in sessions_of(plan))


def test_session_fatigue_twin_cap_below_nine_light_sets() -> None:
    assert "session_fatigue" in conflict_for(**{"volume.session_fatigue_max": 5})


def test_week_fatigue_cap() -> None:
    plan = plan_for(**{"volume.week_fatigue_max": 50})
    assert all(fatigue(week_items(w)) <= 50 for w in plan["weeks"])


def test_week_fatigue_twin_cap_below_two_sessions() -> None:
    assert "week_fatigue" in conflict_for(**{"volume.week_fatigue_max": 10})


# Nordic curls and glute-ham raises are the only hamstring work.
ECCENTRIC_ONLY = [
    "nordic-hamstring-curl",
    "glute-ham-raise",
    "kickback-cable",
    "standing-calf-raise-machine",
    "seated-calf-raise-machine",
    "hip-abduction-cable",
]
ECCENTRIC_RULES: dict[str, object] = {
    "equipment.profile": "gym",
    "client.level": "advanced",
    "balance.require_both": False,
    "balance.twice_weekly": ("hip_hinge", "hip_thrust_bridge"),
}


def eccentric(session: dict[str, Any]) -> bool:
    return any(it["high_fatigue_eccentric"] for it in session["exercises"])


def test_eccentric_spacing_keeps_nordics_out_of_back_to_back_sessions(tmp_path: Path) -> None:
    plan = plan_for(
        **small(tmp_path / "own.toml", ECCENTRIC_ONLY),
        **ECCENTRIC_RULES,
        **{"schedule.weeks": 3, "volume.frequency": {"hamstrings": 1, "glutes": 2, "calves": 2}},
    )
    heavy = [eccentric(s) for s in sessions_of(plan)]
    assert any(heavy)
    assert not any(a and b for a, b in pairwise(heavy))


def test_eccentric_spacing_twin_hamstrings_twice_a_week(tmp_path: Path) -> None:
    keys = conflict_for(
        **small(tmp_path / "own.toml", ECCENTRIC_ONLY),
        **ECCENTRIC_RULES,
        **{"volume.frequency": {"hamstrings": 2, "glutes": 2, "calves": 2}},
    )
    assert {"eccentric_spacing", "muscle_frequency:hamstrings"} <= keys


def objective_without_session_order(c: Constraints, monkeypatch: pytest.MonkeyPatch) -> int:
    """The optimum of the model with the session-order symmetry breaking left out."""
    monkeypatch.setattr(model, "RULES", tuple(r for r in model.RULES if r is not session_order))
    v = build(build_instance(c))
    solver = solver_for(c, time_limit=60, workers=1)
    assert solver.solve(v.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_session_order_sorts_the_sessions_by_their_first_lift() -> None:
    c = request(**{"schedule.sessions": 3, "equipment.profile": "gym"})
    order = [ex.id for ex in build_instance(c).main]
    for week in plan_for(**{"schedule.sessions": 3, "equipment.profile": "gym"})["weeks"]:
        firsts = [order.index(s["exercises"][0]["id"]) for s in week["sessions"]]
        assert firsts == sorted(firsts)


@pytest.mark.parametrize("eccentric_work", [False, True])
def test_session_order_keeps_the_optimum(
    eccentric_work: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules: dict[str, object] = {"schedule.sessions": 3}
    if eccentric_work:
        rules |= {**small(tmp_path / "own.toml", ECCENTRIC_ONLY), **ECCENTRIC_RULES}
        rules["volume.frequency"] = {"hamstrings": 1, "glutes": 2, "calves": 2}
    result = solve(request(**rules), time_limit=60)
    assert result.status == "optimal"
    assert result.objective == objective_without_session_order(request(**rules), monkeypatch)


@pytest.mark.parametrize(
    "rules",
    [
        {"schedule.weeks": 6, "schedule.sessions": None},
        {
            "schedule.weeks": 6,
            "schedule.sessions": None,
            "equipment.profile": "gym",
            "schedule.minutes": 45,
        },
    ],
)
def test_the_weekly_sums_are_implied_they_keep_the_optimum(
    rules: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sets_over_the_week`` and ``minutes_over_the_week`` only speed the proof: without them the
    model has the same optimum (a 45-minute cap, where the week's minutes bind, among them)."""
    c = request(**rules)
    result = solve(c, time_limit=60)
    assert result.status == "optimal"
    assert_sound(json.loads(result.plan.model_dump_json()))
    implied = (model.sets_over_the_week, model.minutes_over_the_week)
    monkeypatch.setattr(model, "RULES", tuple(r for r in model.RULES if r not in implied))
    v = build(build_instance(c))
    solver = solver_for(c, time_limit=60, workers=1)
    assert solver.solve(v.model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == result.objective


def test_warmup_activates_the_glutes_and_rehearses_the_first_lift() -> None:
    plan = plan_for(**{"equipment.profile": "gym"})
    drills = {e["id"]: e for e in builtin_entries() if e["block"] == "warmup"}
    for s in sessions_of(plan):
        used = [drills[it["id"]] for it in s["warmup"]]
        assert 3 <= len(used) <= 5
        assert any(
            max(d["muscles"].get("gluteus_maximus", 0), d["muscles"].get("gluteus_medius", 0))
            == 1.0
            for d in used
        )
        assert any(s["exercises"][0]["pattern"] in d["prepares"] for d in used)
        for d in used:  # every drill activates the glutes or rehearses the first lift
            activates = max(
                d["muscles"].get("gluteus_maximus", 0), d["muscles"].get("gluteus_medius", 0)
            )
            assert activates == 1.0 or s["exercises"][0]["pattern"] in d["prepares"]


def test_warmup_twin_two_drills_in_the_catalog(tmp_path: Path) -> None:
    drills = [e["id"] for e in builtin_entries() if e["block"] == "warmup"]
    keep = ("hip-hinge-drill", "glute-bridge-activation")
    leave_out = tuple(d for d in drills if d not in keep)
    main = [e["id"] for e in builtin_entries() if e["block"] == "main"]
    assert "warmup" in conflict_for(**small(tmp_path / "own.toml", main, leave_out))


def test_cooldown_stretches_hamstrings_glutes_and_calves() -> None:
    plan = plan_for()
    for s in sessions_of(plan):
        main_targets = {
            m for it in s["cooldown"] for m, share in it["muscles"].items() if share == 1
        }
        assert "hamstrings" in main_targets
        assert main_targets & {"gluteus_maximus", "gluteus_medius"}
        assert main_targets & {"gastrocnemius", "soleus"}
        assert len(s["cooldown"]) <= 5


def test_cooldown_twin_no_calf_stretch_in_the_catalog(tmp_path: Path) -> None:
    leave_out = ("standing-calf-stretch", "bent-knee-calf-stretch", "downward-facing-dog")
    main = [e["id"] for e in builtin_entries() if e["block"] == "main"]
    assert "cooldown" in conflict_for(**small(tmp_path / "own.toml", main, leave_out))


# --- the client's choices -------------------------------------------------------------------


def test_equipment_bodyweight_uses_no_kit() -> None:
    plan = plan_for(**{"equipment.profile": "bodyweight"})
    assert all(it["equipment"] == [] for it in all_items(plan))


def test_equipment_twin_required_dumbbell_lift_without_dumbbells() -> None:
    keys = conflict_for(
        **{"equipment.profile": "bodyweight", "exercises.require": ("hip-thrust-dumbbell",)}
    )
    assert {"equipment", "require:hip-thrust-dumbbell"} <= keys


def test_level_beginner_gets_beginner_exercises() -> None:
    plan = plan_for(**{"client.level": "beginner"})
    assert {it["level"] for it in all_items(plan)} == {"beginner"}


def test_level_twin_required_advanced_exercise() -> None:
    keys = conflict_for(**{"exercises.require": ("nordic-hamstring-curl",)})
    assert {"level", "require:nordic-hamstring-curl"} <= keys


def test_exclude_leaves_the_exercises_out() -> None:
    first = {it["id"] for it in week_items(plan_for()["weeks"][0])}
    unwanted = tuple(sorted(first))[:2]
    plan = plan_for(**{"exercises.exclude": unwanted})
    assert not {it["id"] for it in all_items(plan)} & set(unwanted)


def test_exclude_twin_excluded_and_required() -> None:
    keys = conflict_for(
        **{
            "exercises.exclude": ("hip-thrust-dumbbell",),
            "exercises.require": ("hip-thrust-dumbbell",),
        }
    )
    assert {"exclude", "require:hip-thrust-dumbbell"} <= keys


def test_exclude_patterns_leave_the_pattern_out() -> None:
    plan = plan_for(**{"exercises.exclude_patterns": ("lunge",), "balance.cornerstones": ()})
    assert "lunge" not in {it["pattern"] for it in all_items(plan)}


def test_exclude_patterns_twin_no_calf_raises() -> None:
    keys = conflict_for(**{"exercises.exclude_patterns": ("calf_raise",)})
    assert "exclude_patterns" in keys


def test_exclude_actions_leave_the_action_out() -> None:
    plan = plan_for(**{"exercises.exclude_actions": ("scapular_retraction",)})
    assert "scapular_retraction" not in {a for it in all_items(plan) for a in it["actions"]}


def test_exclude_dominance_hip_without_require_both() -> None:
    plan = plan_for(
        **{"exercises.exclude_dominance": ("hip",), "balance.require_both": False},
        **{"balance.cornerstones": ("knee_flexion_curl", "calf_raise")},
    )
    assert "hip" not in {it["dominance"] for it in all_items(plan)}


def test_stand_in_loaded_variants_for_an_intermediate_at_home() -> None:
    plan = plan_for()
    loadable = {it["family"] for it in all_items(plan) if it["load"] not in ("band", "bodyweight")}
    stand_ins = [
        it["id"]
        for s in sessions_of(plan)
        for it in s["exercises"]
        if it["load"] in ("band", "bodyweight") and it["family"] in loadable
    ]
    assert stand_ins == []


def test_stand_in_allowed_for_a_beginner_and_when_asked() -> None:
    for rules in ({"client.level": "beginner"}, {"exercises.allow_stand_ins": True}):
        plan = plan_for(**rules, **{"exercises.require": ("glute-bridge-bodyweight",)})
        assert "glute-bridge-bodyweight" in {it["id"] for it in all_items(plan)}


def rules_against_forcing(eid: str) -> set[str]:
    """The rule keys in CP-SAT's infeasible core when the model is made to pick ``eid`` in the
    first session (as a caller of the model could), for filters no constraint file can make bind:
    a plan with such a variant stays valid with the one the filter prefers."""
    v = build(build_instance(request(), explain=True, assumptions=True))
    v.model.clear_objective()
    v.model.add(v.pick[0, 0, eid] == 1)
    v.model.add_assumptions([lit for lit, _ in v.rules.values()])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(v.model) == cp_model.INFEASIBLE
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return {key for key, (lit, _) in v.rules.items() if lit.index in core}


def test_stand_in_twin_forcing_a_stand_in_names_the_rule() -> None:
    # A required or favourite stand-in is kept, so only a forced pick (as a caller of the model
    # could add) puts the rule in a conflict.
    bridge = "glute-bridge-bodyweight"
    assert "stand_in" in build_instance(request()).forbidden[bridge]
    assert "stand_in" in rules_against_forcing(bridge)


def test_lower_back_keeps_bent_over_rows_out_of_hinge_sessions() -> None:
    plan = plan_for(**{"exercises.favourites": ("bent-over-row-dumbbell",)})
    for s in sessions_of(plan):
        ids = {it["id"] for it in s["exercises"]}
        if "bent-over-row-dumbbell" in ids:
            assert not any(it["pattern"] == "hinge" for it in s["exercises"])


def test_lower_back_twin_a_required_bent_over_row_and_a_hinge_every_session() -> None:
    keys = conflict_for(
        **{
            "exercises.require": ("bent-over-row-dumbbell",),
            "exercises.exclude_patterns": ("bridge", "squat"),
        }
    )
    assert "lower_back" in keys


def dominated_ids(c: Constraints) -> set[str]:
    inst = build_instance(c)
    return {eid for eid, why in inst.forbidden.items() if "dominated" in why}


def test_dominated_variant_is_left_out_and_a_favourite_is_kept() -> None:
    c = request()
    dominated = dominated_ids(c)
    assert dominated
    plan = plan_for()
    assert not {it["id"] for it in all_items(plan)} & dominated
    liked = sorted(dominated)[0]
    assert liked not in dominated_ids(c.with_overrides(**{"exercises.favourites": (liked,)}))


def test_dominated_twin_forcing_a_dominated_variant_names_the_rule() -> None:
    # Any plan with a dominated variant stays valid with the variant that beats it, so only a
    # forced pick (as a caller of the model could add) puts the rule in a conflict.
    liked = sorted(dominated_ids(request()))[0]
    assert "dominated" in rules_against_forcing(liked)


def test_require_trains_the_exercise_every_week() -> None:
    plan = plan_for(**{"schedule.weeks": 3, "exercises.require": ("kettlebell-swing",)})
    for week in plan["weeks"]:
        assert "kettlebell-swing" in {it["id"] for it in week_items(week)}


def test_require_twin_required_swing_without_a_kettlebell() -> None:
    keys = conflict_for(
        **{"equipment.missing": ("kettlebell",), "exercises.require": ("kettlebell-swing",)}
    )
    assert {"require:kettlebell-swing", "equipment"} <= keys


def test_every_rule_key_has_a_twin_here() -> None:
    text = Path(__file__).read_text()
    for key in RULE_CONFIG_KEYS:
        assert f'"{key}' in text, f"no infeasible twin names {key}"


# --- mesocycles and templates ---------------------------------------------------------------


def lifts(week: dict[str, Any]) -> list[list[tuple[str, int]]]:
    return [[(it["id"], it["sets"]) for it in s["exercises"]] for s in week["sessions"]]


def test_mesocycles_alternate_templates_a_and_b_and_deloads_keep_every_lift() -> None:
    rules = {"schedule.weeks": 10, "deload.every": 3, "deload.cut": 0.4}
    plan = plan_for(**rules)
    inst = build_instance(request(**rules))
    weeks = {w["week"]: w for w in plan["weeks"]}
    assert [w["mesocycle"] for w in plan["weeks"]] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4]
    assert lifts(weeks[1]) == lifts(weeks[2]) == lifts(weeks[7]) == lifts(weeks[8])  # A
    assert lifts(weeks[4]) == lifts(weeks[5]) == lifts(weeks[10])  # B
    for a, b in zip(weeks[1]["sessions"], weeks[4]["sessions"], strict=True):
        rotated = sorted((inst.partner[it["id"]].id, it["sets"]) for it in a["exercises"])
        assert rotated == sorted((it["id"], it["sets"]) for it in b["exercises"])
        assert {it["id"] for it in a["exercises"] if it["tier"] == "main"} == {
            it["id"] for it in b["exercises"] if it["tier"] == "main"
        }
    for loading, deload in ((2, 3), (5, 6), (8, 9)):
        for a, b in zip(weeks[loading]["sessions"], weeks[deload]["sessions"], strict=True):
            assert [it["id"] for it in a["exercises"]] == [it["id"] for it in b["exercises"]]
            for x, y in zip(a["exercises"], b["exercises"], strict=True):
                assert y["sets"] == inst.deload_sets(x["sets"]) >= 1
                assert y["reps"] == y["rep_range"][0]
                assert y["rir"] == inst.constraints.prescription.deload_rir


def test_a_known_main_lift_load_rises_a_step_per_finished_mesocycle_and_ramps_up_first() -> None:
    lift = "romanian-deadlift-dumbbell"
    rules = {
        "schedule.weeks": 10,
        "exercises.require": (lift,),
        "prescription.loads": {lift: {"kg": 21}},
    }
    plan = plan_for(**rules)
    by_week = {
        w["week"]: [it for s in w["sessions"] for it in s["exercises"] if it["id"] == lift]
        for w in plan["weeks"]
    }
    step = by_week[1][0]["increment_kg"]
    assert {it["load_kg"] for it in by_week[1]} == {20.0}  # 21 kg down to the 2 kg step
    assert {it["load_kg"] for w in (1, 2, 3, 4) for it in by_week[w]} == {20.0}
    # A main lift is in every mesocycle: a step after each one whose reps topped the range.
    assert by_week[1][0]["tier"] == "main"
    assert {it["load_kg"] for it in by_week[5]} == {20.0 + step}
    assert {it["load_kg"] for it in by_week[9]} == {20.0 + 2 * step}
    for it in (it for w in by_week.values() for it in w):
        if it["ramp_up"]:
            assert [r["percent"] for r in it["ramp_up"]] == [50, 70, 85]
            assert all(r["load_kg"] <= it["load_kg"] for r in it["ramp_up"])
    firsts = [s["exercises"][0] for w in plan["weeks"] for s in w["sessions"]]
    assert all(bool(it["ramp_up"]) == (it["load"] not in ("band", "bodyweight")) for it in firsts)
    later = [it for w in plan["weeks"] for s in w["sessions"] for it in s["exercises"][1:]]
    assert not any(it["ramp_up"] for it in later)


def test_exclude_dominance_twin_a_required_knee_curl() -> None:
    keys = conflict_for(
        **{
            "exercises.exclude_dominance": ("knee",),
            "exercises.require": ("leg-curl-lying-dumbbell",),
            "equipment.profile": "home",
        }
    )
    assert "exclude_dominance" in keys


def test_an_accessory_kept_in_consecutive_mesocycles_steps_up_after_each() -> None:
    lift = "leg-curl-lying-dumbbell"
    plan = plan_for(
        **{
            "schedule.weeks": 12,
            "equipment.profile": "home",
            "exercises.require": (lift,),
            "prescription.loads": {lift: {"kg": 10}},
        }
    )
    loads = {
        w["week"]: {
            it["load_kg"] for s in w["sessions"] for it in s["exercises"] if it["id"] == lift
        }
        for w in plan["weeks"]
    }
    assert plan["weeks"][0]["sessions"][0]["exercises"]  # the lift is required every week
    assert (loads[1], loads[5], loads[9]) == ({10.0}, {12.0}, {14.0})


DEADLIFT_ONLY_HINGE = [
    "deadlift-conventional-barbell",
    "hip-thrust-barbell",
    "leg-curl-lying-machine",
    "standing-calf-raise-machine",
    "seated-calf-raise-machine",
    "lat-pulldown-machine",
]


def test_the_heaviest_lift_is_pulled_once_a_week() -> None:
    plan = plan_for(**{"equipment.profile": "gym", "schedule.weeks": 4})
    deadlifts = [
        sum(it["id"] == "deadlift-conventional-barbell" for it in week_items(week))
        for week in plan["weeks"]
    ]
    assert max(deadlifts) == 1  # the week's other hinge is a lighter one


def test_heaviest_lift_once_a_week_twin_hinge_twice_a_week(tmp_path: Path) -> None:
    keys = conflict_for(
        **small(tmp_path / "own.toml", DEADLIFT_ONLY_HINGE),
        **{"equipment.profile": "gym", "balance.twice_weekly": ("hip_hinge",)},
    )
    assert "heaviest_lift_once_a_week" in keys
