"""The independent checker: one mutation per check in ``planner.check.CHECKS``, each caught and
placed; tampering that must not fool it; and the rule keys tied together across model, checker and
constraint file.

Mutations come in two kinds. Tampering with the plan's JSON (its items, its rules, its claims) must
be caught by the check named. Edits of the plan's choices (which lifts a session holds) are rebuilt
into a whole plan by the planner's own plan builder, so the plan stays consistent everywhere except
where the edit breaks a rule.
"""

from __future__ import annotations

import copy
import json
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planner.catalog import Action, Exercise
from planner.check import CHECKS, Context, check_plan, kit_of, read_catalog
from planner.constraints import RULE_CONFIG_KEYS, Constraints
from planner.instance import Instance, build_instance
from planner.model import build
from planner.solution import plan_from
from planner.solve import solve
from tests.conftest import assert_sound, run_cli

Plan = dict[str, Any]
KNOWN_LOAD = "romanian-deadlift-dumbbell"
RULES: dict[str, object] = {
    "schedule.weeks": 6,
    "schedule.sessions": 2,
    "equipment.profile": "home",
    "prescription.loads": {KNOWN_LOAD: {"kg": 20}},
    "exercises.require": (KNOWN_LOAD,),
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    result = solve(Constraints().with_overrides(**RULES), time_limit=60)
    return assert_sound(json.loads(result.plan.model_dump_json()))


def failing(plan: Plan) -> dict[str, list[str]]:
    """The violations of each check that finds any (each check run on its own)."""
    rules = plan["constraints"]
    catalog, profiles = read_catalog(rules, None)
    kit = kit_of(rules, profiles)
    out = {}
    for name, check in CHECKS.items():
        ctx = Context(plan, rules, catalog, kit)
        check(ctx)
        if ctx.violations:
            out[name] = ctx.violations
    return out


def assert_caught(plan: Plan, check: str, place: str, only: bool = True) -> None:
    """``check`` reports a violation at ``place`` (and, with ``only``, no other check does);
    ``check_plan`` reports it too."""
    broken = failing(plan)
    assert check in broken, f"{check} missed it; found {broken}"
    assert any(v.startswith(place) for v in broken[check]), broken[check]
    if only:
        assert set(broken) == {check}, broken
    assert set(broken[check]) <= set(check_plan(plan))


# --- rebuilding a plan from edited choices ------------------------------------------------------


class Picks:
    """A plan's choices read back: per (mesocycle, session slot) its lifts and sets, warm-up drills
    and cool-down stretches (a ``planner.solution.Choice``)."""

    def __init__(self, plan: Plan, inst: Instance) -> None:
        by_id = inst.catalog.by_id()
        self.main: dict[tuple[int, int], list[tuple[Exercise, int]]] = {}
        self.warm: dict[tuple[int, int], list[Exercise]] = {}
        self.cool: dict[tuple[int, int], list[Exercise]] = {}
        for week in plan["weeks"]:
            k = week["mesocycle"] - 1
            if week["deload"] or (k, 0) in self.main:
                continue
            for s, session in enumerate(week["sessions"]):
                self.main[k, s] = [(by_id[it["id"]], it["sets"]) for it in session["exercises"]]
                self.warm[k, s] = [by_id[it["id"]] for it in session["warmup"]]
                self.cool[k, s] = [by_id[it["id"]] for it in session["cooldown"]]
        self.days = [s["day"] for s in plan["weeks"][0]["sessions"]]

    def exercises(self, k: int, s: int) -> list[tuple[Exercise, int]]:
        return self.main[k, s]

    def warmup(self, k: int, s: int) -> list[Exercise]:
        return self.warm[k, s]

    def cooldown(self, k: int, s: int) -> list[Exercise]:
        return self.cool[k, s]


def rebuilt(plan: Plan, edit: Callable[[Picks, Instance], None], **rules: object) -> Plan:
    c = Constraints().with_overrides(**{**RULES, **rules})
    inst = build_instance(c, explain=True)  # any catalog exercise, allowed or not
    picks = Picks(plan, inst)
    edit(picks, inst)
    built = plan_from(inst, picks.days, picks, "optimal", {})
    return json.loads(built.model_dump_json())


def test_a_plan_read_back_rebuilds_to_the_same_sound_plan(plan: Plan) -> None:
    again = rebuilt(plan, lambda picks, inst: None)
    assert check_plan(again) == []
    assert {**again, "solver": None} == {**plan, "solver": None}


def add_to_every_session(eid: str, sets: int) -> Callable[[Picks, Instance], None]:
    def edit(picks: Picks, inst: Instance) -> None:
        ex = inst.catalog.by_id()[eid]
        for key, lifts in picks.main.items():
            picks.main[key] = [*[(e, n) for e, n in lifts if e.id != eid], (ex, sets)]

    return edit


def test_main_lift_every_session_caught(plan: Plan) -> None:
    def drop_main(picks: Picks, inst: Instance) -> None:
        for key, lifts in picks.main.items():
            if key[1] == 1:
                picks.main[key] = [(e, n) for e, n in lifts if e.tier != "main"]

    day = plan["weeks"][0]["sessions"][1]["day"]
    assert_caught(rebuilt(plan, drop_main), "main_lift_every_session", f"week 1 {day}", False)


def test_one_family_per_session_caught(plan: Plan) -> None:
    first = plan["weeks"][0]["sessions"][0]["exercises"][0]
    family = next(
        ex.id
        for ex in build_instance(Constraints().with_overrides(**RULES)).main
        if ex.family == first["family"] and ex.id != first["id"]
    )
    broken = rebuilt(plan, add_to_every_session(family, 3))
    day = plan["weeks"][0]["sessions"][0]["day"]
    assert_caught(broken, "one_family_per_session", f"week 1 {day}", False)


def test_lower_back_caught(plan: Plan) -> None:
    # A bent-over row beside the hinge that opens the first session.
    broken = rebuilt(plan, add_to_every_session("bent-over-row-barbell", 3))
    hinged = next(
        s["day"]
        for s in broken["weeks"][0]["sessions"]
        if any(it["pattern"] == "hinge" for it in s["exercises"])
    )
    assert_caught(broken, "lower_back", f"week 1 {hinged}", False)


def test_eccentric_spacing_caught(plan: Plan) -> None:
    edit = add_to_every_session("nordic-hamstring-curl", 3)
    broken = rebuilt(plan, edit, **{"client.level": "advanced"})
    assert_caught(broken, "eccentric_spacing", "recovery", False)


def test_continuity_caught_when_a_main_lift_changes_between_mesocycles(plan: Plan) -> None:
    def more_sets(picks: Picks, inst: Instance) -> None:
        lifts = picks.main[1, 0]
        ex, sets = lifts[0]
        assert ex.tier == "main"
        picks.main[1, 0] = [(ex, sets + 1 if sets < 5 else sets - 1), *lifts[1:]]

    day = plan["weeks"][0]["sessions"][0]["day"]
    assert_caught(rebuilt(plan, more_sets), "continuity", f"week 5 {day}", False)


def test_cornerstone_caught(plan: Plan) -> None:
    def drop_calf_raises(picks: Picks, inst: Instance) -> None:
        for key, lifts in picks.main.items():
            picks.main[key] = [(e, n) for e, n in lifts if e.pattern != "calf_raise"]

    assert_caught(rebuilt(plan, drop_calf_raises), "cornerstone", "week 1", False)


def swap_family_for(eid: str) -> Callable[[Picks, Instance], None]:
    """Put ``eid`` in place of every lift of its family (or add it to every session)."""

    def edit(picks: Picks, inst: Instance) -> None:
        ex = inst.catalog.by_id()[eid]
        for key, lifts in picks.main.items():
            kept = [(e, n) for e, n in lifts if e.family != ex.family]
            sets = next((n for e, n in lifts if e.family == ex.family), 3)
            picks.main[key] = [*kept, (ex, sets)]

    return edit


def test_stand_in_caught(plan: Plan) -> None:
    # The home kit loads a bridge (dumbbell hip thrust, glute bridge): a bodyweight one stands in.
    broken = rebuilt(plan, swap_family_for("glute-bridge-bodyweight"))
    assert_caught(broken, "stand_in", "week 1", False)
    allowed = tampered(broken, lambda p: rules(p, "exercises").update(allow_stand_ins=True))
    assert "stand_in" not in failing(allowed)


def test_a_dumbbell_hip_thrust_beside_a_barbell_caught(plan: Plan) -> None:
    # The home plan's dumbbell hip thrust, read as if the kit had a barbell: a regression.
    assert any(it["id"] == "hip-thrust-dumbbell" for s in sessions(plan) for it in s["exercises"])
    gym = tampered(plan, lambda p: rules(p, "equipment").update(profile="gym"))
    assert_caught(gym, "stand_in", "week 1", False)
    beginner = tampered(gym, lambda p: rules(p, "client").update(level="beginner"))
    assert "stand_in" not in failing(beginner)


def test_the_checkers_own_tables_agree_with_the_planners() -> None:
    # The checker keeps its own copies, sharing no code with the model; they must not drift.
    from planner import catalog, instance
    from planner.check import HEAVIEST, LOW_CEILING_REPS, REP_STEP, TIER_REPS

    assert TIER_REPS == catalog.TIER_REPS
    assert LOW_CEILING_REPS == catalog.LOW_CEILING_REPS
    assert REP_STEP == instance.REP_STEP
    assert HEAVIEST == catalog.MAX_FATIGUE


def test_heaviest_lift_once_a_week_caught(plan: Plan) -> None:
    broken = rebuilt(plan, swap_family_for("deadlift-conventional-barbell"))  # in both sessions
    assert_caught(broken, "heaviest_lift_once_a_week", "week 1", False)
    assert "heaviest_lift_once_a_week" not in failing(plan)


def test_dominated_caught(plan: Plan) -> None:
    inst = build_instance(Constraints().with_overrides(**RULES))
    dominated = sorted(eid for eid, why in inst.forbidden.items() if why == ["dominated"])
    eid = dominated[0]
    broken = rebuilt(plan, swap_family_for(eid))
    assert_caught(broken, "dominated", eid, False)
    liked = copy.deepcopy(broken)
    liked["constraints"]["exercises"]["favourites"] = [eid]
    assert "dominated" not in failing(liked)


# --- tampering with the plan's JSON ------------------------------------------------------------


def tampered(plan: Plan, tamper: Callable[[Plan], None]) -> Plan:
    broken = copy.deepcopy(plan)
    tamper(broken)
    return broken


def sessions(p: Plan) -> list[dict[str, Any]]:
    return [s for w in p["weeks"] for s in w["sessions"]]


def first_day(p: Plan) -> str:
    return str(p["weeks"][0]["sessions"][0]["day"])


def second_day(p: Plan) -> str:
    return str(p["weeks"][0]["sessions"][1]["day"])


def rules(p: Plan, *path: str) -> dict[str, Any]:
    node: dict[str, Any] = p["constraints"]
    for key in path:
        node = node[key]
    return node


def test_sessions_caught_when_the_days_change(plan: Plan) -> None:
    def move(p: Plan) -> None:
        p["weeks"][1]["sessions"][0]["day"] = "tue" if first_day(p) != "tue" else "mon"

    assert_caught(tampered(plan, move), "sessions", "week 2")


def test_days_caught(plan: Plan) -> None:
    def forbid(p: Plan) -> None:
        rules(p, "schedule")["days"] = [
            d for d in rules(p, "schedule")["days"] if d != second_day(p)
        ]

    assert_caught(tampered(plan, forbid), "days", f"week 1 {second_day(plan)}")


def test_rest_between_sessions_caught(plan: Plan) -> None:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

    def squeeze(p: Plan) -> None:
        nxt = days[days.index(first_day(p)) + 1]
        for w in p["weeks"]:
            w["sessions"][1]["day"] = nxt

    assert_caught(tampered(plan, squeeze), "rest_between_sessions", "schedule")


def test_session_size_caught(plan: Plan) -> None:
    most = max(len(s["exercises"]) for s in sessions(plan))

    def tighten(p: Plan) -> None:
        rules(p, "volume")["exercises_per_session"] = [most + 1, 12]

    assert_caught(tampered(plan, tighten), "session_size", "week 1")


def test_session_volume_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "volume")["session_sets"] = [1, 2]

    assert_caught(tampered(plan, tighten), "session_volume", f"week 1 {first_day(plan)}")


def test_sets_and_reps_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "volume")["sets"]["main"] = [6, 6]

    first = plan["weeks"][0]["sessions"][0]["exercises"][0]["id"]
    assert_caught(tampered(plan, tighten), "sets_and_reps", f"week 1 {first_day(plan)} {first}")


def test_sets_and_reps_caught_outside_the_rep_range(plan: Plan) -> None:
    def too_many(p: Plan) -> None:
        it = p["weeks"][0]["sessions"][0]["exercises"][0]
        it["reps"] = it["rep_range"][1] + 1

    assert "sets_and_reps" in failing(tampered(plan, too_many))


def test_progression_caught_for_a_wrong_rir(plan: Plan) -> None:
    def easier(p: Plan) -> None:
        p["weeks"][1]["sessions"][0]["exercises"][0]["rir"] += 1

    assert_caught(tampered(plan, easier), "progression", f"week 2 {first_day(plan)}")


def test_progression_caught_for_a_wrong_rep_ladder(plan: Plan) -> None:
    def flat(p: Plan) -> None:
        for w in p["weeks"][:3]:
            it = w["sessions"][0]["exercises"][0]
            it["reps"] = it["rep_range"][0]

    assert_caught(tampered(plan, flat), "progression", f"week 2 {first_day(plan)}", False)


def test_progression_caught_for_deload_sets(plan: Plan) -> None:
    def full(p: Plan) -> None:
        p["weeks"][3]["sessions"][0]["exercises"][0]["sets"] = p["weeks"][2]["sessions"][0][
            "exercises"
        ][0]["sets"]

    assert "progression" in failing(tampered(plan, full))


@pytest.mark.parametrize("deload", [{"every": 3}, {"weeks": [2, 6]}])
def test_deload_caught_when_misplaced(plan: Plan, deload: dict[str, object]) -> None:
    def move(p: Plan) -> None:
        rules(p, "deload").update(deload)

    assert_caught(tampered(plan, move), "deload", "deload")


def first_lift(p: Plan) -> dict[str, Any]:
    it: dict[str, Any] = p["weeks"][0]["sessions"][0]["exercises"][0]
    return it


def test_prescription_caught_for_a_wrong_load(plan: Plan) -> None:
    def heavier(p: Plan) -> None:
        for s in sessions(p):
            for it in s["exercises"]:
                if it["id"] == KNOWN_LOAD:
                    it["load_kg"] += it["increment_kg"]
                    return

    assert_caught(tampered(plan, heavier), "prescription", "week 1")


def test_prescription_caught_for_a_ramp_up_on_the_wrong_lift(plan: Plan) -> None:
    def move(p: Plan) -> None:
        items = p["weeks"][0]["sessions"][0]["exercises"]
        items[1]["ramp_up"], items[0]["ramp_up"] = items[0]["ramp_up"], []

    assert first_lift(plan)["ramp_up"]
    assert_caught(tampered(plan, move), "prescription", f"week 1 {first_day(plan)}")


def test_prescription_caught_for_negative_rest(plan: Plan) -> None:
    def negative(p: Plan) -> None:
        for s in sessions(p):
            for it in s["exercises"]:
                it["rest_seconds"] = -it["rest_seconds"]

    assert_caught(tampered(plan, negative), "prescription", "week 1")


def test_fatigue_zero_on_every_item_fools_no_fatigue_cap(plan: Plan) -> None:
    def zero(p: Plan) -> None:
        for s in sessions(p):
            for it in s["exercises"]:
                it["fatigue"] = 0
        rules(p, "volume")["session_fatigue_max"] = 1

    broken = failing(tampered(plan, zero))
    assert {"prescription", "session_fatigue"} <= set(broken)


def test_edited_muscles_fool_no_volume_rule(plan: Plan) -> None:
    def edit(p: Plan) -> None:
        for s in sessions(p):
            for it in s["exercises"]:
                it["muscles"] = {"hamstrings": 0.25}
        rules(p, "volume")["landmarks"]["hamstrings"] = [0, 1, 1]

    broken = failing(tampered(plan, edit))
    assert {"prescription", "weekly_volume"} <= set(broken)
    assert any("hamstrings" in v for v in broken["weekly_volume"])


def test_extra_kit_in_the_plans_own_list_fools_no_equipment_check(plan: Plan) -> None:
    broken = rebuilt(plan, swap_family_for("romanian-deadlift-barbell"))

    def claim(p: Plan) -> None:
        p["equipment"] = sorted({*p["equipment"], "barbell"})
        for s in sessions(p):
            for it in s["exercises"]:
                if it["id"] == "romanian-deadlift-barbell":
                    it["equipment"] = []

    assert_caught(tampered(broken, claim), "equipment", "week 1", False)


def test_coach_order_caught(plan: Plan) -> None:
    def swap(p: Plan) -> None:
        for w in p["weeks"]:
            items = w["sessions"][0]["exercises"]
            items[1], items[2] = items[2], items[1]

    assert_caught(tampered(plan, swap), "coach_order", f"week 1 {first_day(plan)}")


def test_an_upper_back_pull_before_the_leg_work_of_its_tier_is_caught(plan: Plan) -> None:
    upper = {"horizontal_pull", "vertical_pull", "rear_delt", "shrug"}
    catalog = read_catalog(plan["constraints"], None)[0]
    places = []

    def pull_first(p: Plan) -> None:
        """In every session, the first leg lift (not the session's first) followed by a pull of
        its tier swaps places with it."""
        for w in p["weeks"]:
            for s in w["sessions"]:
                items = s["exercises"]
                for i in range(2, len(items)):
                    a, b = catalog[items[i - 1]["id"]], catalog[items[i]["id"]]
                    leg_then_pull = a["pattern"] not in upper and b["pattern"] in upper
                    if a["tier"] == b["tier"] and leg_then_pull:
                        places.append(f"week {w['week']} {s['day']}")
                        items[i - 1], items[i] = items[i], items[i - 1]
                        break

    broken = tampered(plan, pull_first)
    assert places, "the plan has no leg lift followed by a pull of its tier"
    assert_caught(broken, "coach_order", places[0])


def test_hip_knee_balance_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "balance")["hip_knee_ratio"] = [9.0, 10.0]

    assert_caught(tampered(plan, tighten), "hip_knee_balance", "week 1")


def test_weekly_action_caught(plan: Plan) -> None:
    done = {a for s in plan["weeks"][0]["sessions"] for it in s["exercises"] for a in it["actions"]}
    missing = sorted(set(typing.get_args(Action)) - done)[0]

    def ask(p: Plan) -> None:
        rules(p, "balance")["weekly_actions"] = [missing]

    assert_caught(tampered(plan, ask), "weekly_action", "week 1")


def test_weekly_volume_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "volume")["landmarks"]["hamstrings"] = [0, 1, 1]

    assert_caught(tampered(plan, tighten), "weekly_volume", "week 1", False)


def test_muscle_frequency_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "volume")["frequency"]["hamstrings"] = 3

    assert_caught(tampered(plan, tighten), "muscle_frequency", "week 1")


def test_session_time_cap_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "schedule")["minutes"] = 20

    assert_caught(tampered(plan, tighten), "session_time_cap", f"week 1 {first_day(plan)}")


def test_session_time_cap_caught_for_a_wrong_duration(plan: Plan) -> None:
    def shorter(p: Plan) -> None:
        p["weeks"][0]["sessions"][0]["minutes"] -= 5

    assert_caught(tampered(plan, shorter), "session_time_cap", f"week 1 {first_day(plan)}")


def test_session_fatigue_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "volume")["session_fatigue_max"] = 5

    assert_caught(tampered(plan, tighten), "session_fatigue", f"week 1 {first_day(plan)}", False)


def test_week_fatigue_caught(plan: Plan) -> None:
    def tighten(p: Plan) -> None:
        rules(p, "volume")["week_fatigue_max"] = 5

    assert_caught(tampered(plan, tighten), "week_fatigue", "week 1", False)


def test_warmup_caught_when_it_does_not_rehearse_the_first_lift(plan: Plan) -> None:
    catalog, _ = read_catalog(plan["constraints"], None)
    pattern = first_lift(plan)["pattern"]

    def swap(p: Plan) -> None:
        warm = p["weeks"][0]["sessions"][0]["warmup"]
        used = {catalog[it["id"]]["pattern"] for it in warm}
        for it in warm:
            if pattern in catalog[it["id"]]["prepares"]:
                other = next(
                    e
                    for e in catalog.values()
                    if e["block"] == "warmup"
                    and pattern not in e["prepares"]
                    and e["pattern"] not in used
                    and e.get("equipment", []) == []
                    and e.get("default_reps") == catalog[it["id"]].get("default_reps")
                    and e.get("seconds_per_rep") == catalog[it["id"]].get("seconds_per_rep")
                    and e.get("hold_seconds") == catalog[it["id"]].get("hold_seconds")
                )
                it["id"] = other["id"]

    broken = failing(tampered(plan, swap))
    assert any("does not rehearse the first lift" in v for v in broken["warmup"])


def test_warmup_caught_with_a_drill_for_another_lift(plan: Plan) -> None:
    catalog, _ = read_catalog(plan["constraints"], None)
    pattern = first_lift(plan)["pattern"]
    assert pattern != "calf_raise"

    def swap(p: Plan) -> None:
        warm = p["weeks"][0]["sessions"][0]["warmup"]
        for it in warm:
            if pattern not in catalog[it["id"]]["prepares"]:
                it["id"] = "calf-raise-warmup"  # prepares the session's calf raise, not its opener
                return

    broken = failing(tampered(plan, swap))
    assert any(
        "calf-raise-warmup neither activates the glutes nor rehearses the first lift" in v
        for v in broken["warmup"]
    )


def test_warmup_and_cooldown_caught_off_the_catalogs_dose(plan: Plan) -> None:
    def shorten(p: Plan) -> None:
        session = p["weeks"][0]["sessions"][0]
        session["warmup"][0]["sets"] = 1
        session["cooldown"][0]["seconds"] = 5  # a 30 s hold cut short
        session["cooldown"][1]["reps"] = "3"

    broken = failing(tampered(plan, shorten))
    assert any("sets 1," in v and "the catalog's 2" in v for v in broken["warmup"])
    cooldown = "\n".join(broken["cooldown"])
    assert "hold 5 s" in cooldown and "reps '3'" in cooldown


def test_cooldown_caught(plan: Plan) -> None:
    def drop(p: Plan) -> None:
        p["weeks"][0]["sessions"][0]["cooldown"] = []

    broken = failing(tampered(plan, drop))
    assert any(v.startswith(f"week 1 {first_day(plan)}") for v in broken["cooldown"])


@pytest.mark.parametrize(
    ("check", "key", "value"),
    [
        ("exclude_patterns", ("exercises", "exclude_patterns"), ["hinge"]),
        ("exclude_actions", ("exercises", "exclude_actions"), ["hip_extension"]),
        ("exclude_dominance", ("exercises", "exclude_dominance"), ["hip"]),
    ],
)
def test_the_clients_choices_caught(
    plan: Plan, check: str, key: tuple[str, str], value: object
) -> None:
    def choose(p: Plan) -> None:
        rules(p, key[0])[key[1]] = value

    assert_caught(tampered(plan, choose), check, "week 1", False)


def test_level_caught(plan: Plan) -> None:
    # An intermediate lift in a plan whose client is a beginner.
    broken = rebuilt(plan, add_to_every_session("romanian-deadlift-barbell", 4))
    broken["constraints"]["client"]["level"] = "beginner"
    assert_caught(broken, "level", "week 1", False)


def test_exclude_caught(plan: Plan) -> None:
    def exclude(p: Plan) -> None:
        rules(p, "exercises")["exclude"] = [first_lift(p)["id"]]

    place = f"week 1 {first_day(plan)} {first_lift(plan)['id']}"
    assert_caught(tampered(plan, exclude), "exclude", place, False)


def test_require_caught(plan: Plan) -> None:
    late = {it["id"] for s in plan["weeks"][-1]["sessions"] for it in s["exercises"]}
    early = next(
        it["id"]
        for s in plan["weeks"][0]["sessions"]
        for it in s["exercises"]
        if it["id"] not in late
    )

    def require(p: Plan) -> None:
        rules(p, "exercises")["require"] = [early]

    assert_caught(tampered(plan, require), "require", f"week {len(plan['weeks'])}", False)


def test_objective_caught_for_a_wrong_claim(plan: Plan) -> None:
    def inflate(p: Plan) -> None:
        p["coverage"]["objective"] += 1

    assert_caught(tampered(plan, inflate), "objective", "coverage")


def test_objective_caught_for_an_optimal_status_under_its_bound(plan: Plan) -> None:
    def bound(p: Plan) -> None:
        p["solver"]["bound"] = p["coverage"]["objective"] + 10

    assert_caught(tampered(plan, bound), "objective", "solver")


def test_every_check_has_a_mutation_here() -> None:
    text = Path(__file__).read_text()
    for name in CHECKS:
        assert f'"{name}"' in text, f"no mutation for {name}"


# --- plans that are not plans ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda p: p.update(weeks=[]), "weeks must be numbered"),
        (lambda p: p.update(schema_version=1), "schema_version must be 2"),
        (lambda p: p.update(status="infeasible"), "is not optimal or feasible"),
        (lambda p: p["weeks"].pop(2), "weeks must be numbered"),
        (
            lambda p: [s.update(exercises=[]) for w in p["weeks"] for s in w["sessions"]],
            "no exercises",
        ),
        (lambda p: first_lift(p).update(id="not-an-exercise"), "not in the catalog"),
        (lambda p: first_lift(p).pop("muscles"), "muscles None"),
        (lambda p: p["weeks"][0]["sessions"][0].pop("warmup"), "malformed"),
        (lambda p: first_lift(p).update(sets="3"), "sets"),
    ],
)
def test_malformed_plans_are_violations_not_crashes(
    plan: Plan, tamper: Callable[[Plan], object], message: str
) -> None:
    violations = check_plan(tampered(plan, tamper))
    assert any(message in v for v in violations), violations


def test_check_command_exit_codes(plan: Plan, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(plan))
    ok = run_cli("check", str(good))
    assert ok.exit_code == 0 and ok.output.startswith("ok: 6 weeks")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered(plan, lambda p: rules(p, "schedule").update(minutes=20))))
    failed = run_cli("check", str(bad))
    assert failed.exit_code == 1 and "over the 20 min cap" in failed.output
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    assert run_cli("check", str(junk)).exit_code == 2
    assert run_cli("check", str(tmp_path / "missing.json")).exit_code == 2


# --- the rule keys, tied together --------------------------------------------------------------

VARIED_REQUESTS: list[dict[str, object]] = [
    {"equipment.profile": "home"},
    {
        "equipment.profile": "gym",
        "client.level": "advanced",
        "schedule.days": ("mon", "wed", "fri"),
        "exercises.require": ("nordic-hamstring-curl",),
    },
    {
        "equipment.profile": "bodyweight",
        "client.level": "beginner",
        "exercises.exclude": ("squat-bodyweight",),
        "exercises.exclude_patterns": ("lunge",),
        "exercises.exclude_actions": ("hip_abduction",),
        "exercises.exclude_dominance": ("knee",),
        "balance.require_both": False,
    },
]


def test_every_rule_the_model_names_has_a_check_and_a_constraint_key() -> None:
    seen = set()
    for overrides in VARIED_REQUESTS:
        c = Constraints().with_overrides(**{"schedule.weeks": 2, **overrides})
        v = build(build_instance(c, explain=True, assumptions=True))
        seen |= {key.split(":")[0] for key in v.rules}
    assert seen <= set(CHECKS)
    assert seen <= set(RULE_CONFIG_KEYS)
    assert set(RULE_CONFIG_KEYS) <= seen | {"dominated"}
    assert set(RULE_CONFIG_KEYS) <= set(CHECKS)


# --- re-plans, swaps and missed weeks -------------------------------------------------------------


def changed_plans() -> tuple[dict[str, Any], dict[str, Any]]:
    """A 12-week home block re-planned from week 5 after a missed week, and one with a swap."""
    from planner.replan import replan, swap

    base = Constraints.model_validate({"schedule": {"weeks": 12}, "equipment": {"profile": "home"}})
    old = solve(base).plan
    missed = replan(old, base, from_week=5, missed_week=5).result.plan
    lift = old.weeks[2].sessions[0].exercises[0].id
    swapped = swap(old, 3, old.weeks[2].sessions[0].day, lift).result.plan
    return (
        assert_sound(json.loads(missed.model_dump_json())),
        assert_sound(json.loads(swapped.model_dump_json())),
    )


def test_missed_weeks_and_history_catch_tampered_changes() -> None:
    missed, swapped = changed_plans()

    def train_the_missed_week(p: Plan) -> None:
        p["weeks"][4]["sessions"] = copy.deepcopy(p["weeks"][5]["sessions"])

    assert_caught(tampered(missed, train_the_missed_week), "missed_weeks", "week 5", only=False)

    def unmark(p: Plan) -> None:
        p["constraints"]["schedule"]["missed_weeks"] = []

    assert_caught(tampered(missed, unmark), "missed_weeks", "week 5", only=False)

    def change_the_level(p: Plan) -> None:
        p["history"][0]["constraints"]["client"]["level"] = "beginner"

    assert_caught(tampered(missed, change_the_level), "history", "history week 6", only=False)

    def swap_to_another_movement(p: Plan) -> None:
        p["history"][0]["to"] = "standing-calf-raise-dumbbell"

    assert_caught(tampered(swapped, swap_to_another_movement), "history", "history", only=False)

    def forget_the_swap(p: Plan) -> None:
        p["history"] = []

    def run_the_swap_forever(p: Plan) -> None:
        p["history"][0]["through_week"] = 10**9

    assert check_plan(tampered(swapped, run_the_swap_forever)) == [
        "plan: history entry 1 is not a change within weeks 1-12"
    ]

    assert_caught(tampered(swapped, forget_the_swap), "progression", "weeks", only=False)


def test_checking_leaves_the_catalog_it_read_unchanged(plan: Plan) -> None:
    # The catalog's TOML is parsed once per process and shared by every check that follows.
    import tomllib

    from planner.check import catalog_folder

    failing(plan)
    check_plan(tampered(plan, lambda p: p["weeks"][0]["sessions"].pop()))
    fresh = tomllib.loads((catalog_folder() / "exercises.toml").read_text("utf-8"))["exercise"]
    assert read_catalog(plan["constraints"], None)[0] == {e["id"]: e for e in fresh}
