"""An independent checker of plans: reads only the plan JSON and the rules, shares no code with the
model, and recomputes the objective (as PyVRP's ``Solution.is_feasible()`` does for routes).

Absolute rules from the source articles hold whatever the plan's ``constraints`` say (2-3 sessions a
week, 48 h apart, 3-5 sets of 8-15 reps); tunable rules are read from the plan's ``constraints``.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

DAY_ORDER = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEVEL_ORDER = ("beginner", "intermediate", "advanced")
REPS_BY_GOAL = {
    "general": (8, 15),
    "strength": (8, 10),
    "hypertrophy": (8, 12),
    "endurance": (12, 15),
}
SAME_PATTERN_PER_SESSION = {"hinge": 2, "bridge": 2, "knee_curl": 2}
REQUIRED_WEEKLY_ACTIONS = ("hip_extension", "knee_flexion", "ankle_plantarflexion")
COOLDOWN_GROUPS = {
    "hamstrings": {"hamstrings"},
    "glutes": {"gluteus_maximus"},
    "calves": {"gastrocnemius", "soleus"},
}


class Checker:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.rules = plan.get("constraints") or {}
        self.violations: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.violations.append(f"{where}: {message}")

    def rule(self, *path: str) -> Any:
        node: Any = self.rules
        for key in path:
            node = node[key]
        return node

    def run(self) -> list[str]:
        plan = self.plan
        if plan.get("schema_version") != 1:
            self.fail("plan", "schema_version must be 1")
        if plan.get("status") not in ("optimal", "feasible"):
            self.fail("plan", f"status {plan.get('status')!r} is not optimal or feasible")
        weeks = plan.get("weeks") or []
        if [w.get("week") for w in weeks] != list(range(1, len(weeks) + 1)):
            self.fail("plan", "weeks must be numbered 1, 2, ... without gaps")
        if len(weeks) != self.rule("schedule", "weeks"):
            self.fail(
                "plan",
                f"{len(weeks)} weeks, the constraints ask for {self.rule('schedule', 'weeks')}",
            )
        self.check_schedule(weeks)
        for week in weeks:
            self.check_week(week)
        self.check_progression(weeks)
        self.check_deloads(weeks)
        self.check_coverage(weeks)
        return self.violations

    # --- schedule ---------------------------------------------------------------------------
    def check_schedule(self, weeks: list[dict[str, Any]]) -> None:
        allowed = set(self.rule("schedule", "days"))
        fixed = self.rule("schedule", "sessions")
        sequence: list[int] = []
        for week in weeks:
            where = f"week {week['week']}"
            days = [s["day"] for s in week["sessions"]]
            index = [DAY_ORDER.index(d) for d in days]
            if index != sorted(set(index)):
                self.fail(where, "sessions must be on distinct days in week order")
            if not 2 <= len(days) <= 3 or (fixed and len(days) != fixed):
                self.fail(where, f"{len(days)} sessions; the rule is {fixed or '2-3'} a week")
            for day in days:
                if day not in allowed:
                    self.fail(where, f"session on {day}, not an allowed day")
            sequence += [7 * (week["week"] - 1) + i for i in index]
        for a, b in pairwise(sequence):
            if b - a < 2:
                self.fail(
                    "schedule",
                    f"sessions on days {a + 1} and {b + 1} of the block are under 48 h apart",
                )

    # --- one week ---------------------------------------------------------------------------
    def check_week(self, week: dict[str, Any]) -> None:
        where = f"week {week['week']}"
        sets_lo, sets_hi = self.rule("volume", "sets")
        reps_lo, reps_hi = self.rule("volume", "reps") or REPS_BY_GOAL[self.rule("client", "goal")]
        lo_ex, hi_ex = self.rule("volume", "exercises_per_session")
        equipment = set(self.plan.get("equipment", []))
        choice = self.rules.get("exercises", {})
        level = LEVEL_ORDER.index(self.rule("client", "level"))
        muscles: dict[str, float] = {}
        hip = knee = 0
        actions: set[str] = set()
        week_fatigue = 0
        for session in week["sessions"]:
            here = f"{where} {session['day']}"
            main = session["exercises"]
            ids = [it["id"] for it in main]
            if len(set(ids)) != len(ids):
                self.fail(here, "an exercise appears twice in one session")
            patterns = [it["pattern"] for it in main]
            for pattern in sorted(set(patterns)):
                if patterns.count(pattern) > SAME_PATTERN_PER_SESSION.get(pattern, 1):
                    self.fail(here, f"{patterns.count(pattern)} {pattern} exercises in one session")
            if not lo_ex <= len(main) <= hi_ex:
                self.fail(here, f"{len(main)} main exercises; the rule is {lo_ex}-{hi_ex}")
            fatigue = 0
            seconds = 0
            for it in main:
                name = f"{here} {it['id']}"
                if not (max(3, sets_lo) <= it["sets"] <= min(5, sets_hi)):
                    self.fail(name, f"{it['sets']} sets; the rule is {sets_lo}-{sets_hi}")
                if it["reps"] is None or not (max(8, reps_lo) <= it["reps"] <= min(15, reps_hi)):
                    self.fail(name, f"{it['reps']} reps; the rule is {reps_lo}-{reps_hi}")
                    continue
                seconds += it["sets"] * (
                    it["reps"] * it["seconds_per_rep"] * self.sides(it) + it["rest_seconds"]
                )
                fatigue += it["sets"] * it["fatigue"]
                for muscle, share in it["muscles"].items():
                    muscles[muscle] = muscles.get(muscle, 0.0) + share * it["sets"]
                hip += it["sets"] if it["dominance"] == "hip" else 0
                knee += it["sets"] if it["dominance"] == "knee" else 0
                actions.update(it["actions"])
            for it in [*session["warmup"], *session["cooldown"], *main]:
                name = f"{here} {it['id']}"
                if not set(it["equipment"]) <= equipment:
                    self.fail(
                        name, f"needs {sorted(set(it['equipment']) - equipment)}, not available"
                    )
                if LEVEL_ORDER.index(it["level"]) > level:
                    self.fail(name, f"level {it['level']} is above the client's")
                if it["id"] in choice.get("exclude", []) or it["pattern"] in choice.get(
                    "exclude_patterns", []
                ):
                    self.fail(name, "excluded by the constraints")
                if set(it["actions"]) & set(choice.get("exclude_actions", [])):
                    self.fail(name, "trains an excluded joint action")
                if it["dominance"] in choice.get("exclude_dominance", []):
                    self.fail(name, f"{it['dominance']}-dominant work is excluded")
            seconds += self.check_warmup_cooldown(here, session)
            if session["minutes"] != math.ceil(seconds / 60):
                self.fail(here, f"minutes {session['minutes']} but the items add up to {seconds} s")
            if seconds > 60 * self.rule("schedule", "minutes"):
                self.fail(
                    here,
                    f"{math.ceil(seconds / 60)} min, over the "
                    f"{self.rule('schedule', 'minutes')} min cap",
                )
            if fatigue > self.scaled(self.rule("volume", "session_fatigue_max"), 1):
                self.fail(here, f"fatigue {fatigue} over the session cap")
            week_fatigue += fatigue
        if week_fatigue > self.scaled(self.rule("volume", "week_fatigue_max"), 1):
            self.fail(where, f"fatigue {week_fatigue} over the weekly cap")
        balance = self.rules.get("balance", {})
        for action in balance.get("weekly_actions", REQUIRED_WEEKLY_ACTIONS):
            if action not in actions:
                self.fail(where, f"no {action} in the main block")
        ratio_lo, ratio_hi = self.rule("balance", "hip_knee_ratio")
        if hip == 0 or knee == 0:
            if balance.get("require_both", True):
                self.fail(where, "needs both hip- and knee-dominant hamstring work")
        elif not ratio_lo - 1e-9 <= hip / knee <= ratio_hi + 1e-9:
            self.fail(where, f"hip:knee sets {hip}:{knee} outside {ratio_lo}..{ratio_hi}")
        for muscle, (lo, ceiling) in self.rule("volume", "weekly_sets").items():
            hi = self.scaled(ceiling, lo)
            total = muscles.get(muscle, 0.0)
            if total > hi + 1e-9 or (not week["deload"] and total < lo - 1e-9):
                self.fail(where, f"{muscle} {total:g} effective sets, outside {lo}-{hi}")
        for eid in choice.get("require", []):
            if not any(it["id"] == eid for s in week["sessions"] for it in s["exercises"]):
                self.fail(where, f"required exercise {eid} is missing")

    def scaled(self, cap: int, floor: int) -> int:
        """A ceiling times the client level's volume factor (beginners recover from less), kept at
        or above ``floor``."""
        factors = self.rules.get("volume", {}).get("level_factor", {})
        factor = factors.get(self.rule("client", "level"), 1.0)
        return max(floor, math.floor(cap * factor + 1e-9))

    @staticmethod
    def sides(item: dict[str, Any]) -> int:
        return 2 if item["unilateral"] else 1

    def check_warmup_cooldown(self, here: str, session: dict[str, Any]) -> int:
        warm, cool = session["warmup"], session["cooldown"]
        if not 2 <= len(warm) <= 4:
            self.fail(here, f"warm-up of {len(warm)} drills; the rule is 2-4")
        if not any(
            max(it["muscles"].get("gluteus_maximus", 0), it["muscles"].get("gluteus_medius", 0))
            == 1
            for it in warm
        ):
            self.fail(here, "warm-up has no glute activation drill")
        stretched = {m for it in cool for m in it["muscles"]}
        for group, muscles in COOLDOWN_GROUPS.items():
            if not stretched & muscles:
                self.fail(here, f"cool-down does not stretch the {group}")
        seconds = 0
        for it in [*warm, *cool]:
            work = it["seconds"] if it["reps"] is None else it["reps"] * it["seconds_per_rep"]
            seconds += it["sets"] * (work * self.sides(it) + it["rest_seconds"])
        return seconds

    # --- across weeks -----------------------------------------------------------------------
    def check_progression(self, weeks: list[dict[str, Any]]) -> None:
        """Consecutive loading weeks keep each session's exercises; sets and reps never drop and
        sets x reps rises for every exercise."""
        sessions = [s for w in weeks for s in w["sessions"]]
        heavy = [any(it["high_fatigue_eccentric"] for it in s["exercises"]) for s in sessions]
        for i in range(len(heavy) - 1):
            if heavy[i] and heavy[i + 1]:
                self.fail("recovery", "high-fatigue eccentric work in back-to-back sessions")
        for before, after in pairwise(weeks):
            if before["deload"] or after["deload"]:
                continue
            where = f"weeks {before['week']}-{after['week']}"
            if len(before["sessions"]) != len(after["sessions"]):
                self.fail(where, "a mesocycle keeps its sessions")
                continue
            for a, b in zip(before["sessions"], after["sessions"], strict=True):
                old = {it["id"]: it for it in a["exercises"]}
                new = {it["id"]: it for it in b["exercises"]}
                if set(old) != set(new):
                    self.fail(where, f"session {a['day']} changes exercises within a mesocycle")
                    continue
                for eid, it in new.items():
                    was = old[eid]
                    if (
                        it["sets"] < was["sets"]
                        or it["reps"] < was["reps"]
                        or (it["sets"] * it["reps"] <= was["sets"] * was["reps"])
                    ):
                        self.fail(
                            where,
                            f"{eid} does not progress ({was['sets']}x{was['reps']} -> "
                            f"{it['sets']}x{it['reps']})",
                        )

    def check_deloads(self, weeks: list[dict[str, Any]]) -> None:
        deload = self.rules.get("deload", {})
        flagged = [w["week"] for w in weeks if w["deload"]]
        if (
            deload.get("weeks") is None
            and deload.get("every")
            and len(weeks) >= deload.get("min_block_weeks", 6)
            and not flagged
        ):
            self.fail("deload", f"a {len(weeks)}-week block needs a deload week")
        depth = deload.get("depth", 0.7)
        for week in weeks:
            if not week["deload"] or week["week"] == 1:
                continue
            before = weeks[week["week"] - 2]
            total = sum(it["sets"] for s in week["sessions"] for it in s["exercises"])
            prior = sum(it["sets"] for s in before["sessions"] for it in s["exercises"])
            if 100 * total > round(100 * depth) * prior:
                self.fail(
                    f"week {week['week']}", f"deload of {total} sets is over {depth:.0%} of {prior}"
                )
            kept = {it["id"] for s in week["sessions"] for it in s["exercises"]}
            previous = {it["id"] for s in before["sessions"] for it in s["exercises"]}
            if not kept <= previous:
                self.fail(f"week {week['week']}", "a deload only cuts exercises, it adds none")

    def check_coverage(self, weeks: list[dict[str, Any]]) -> None:
        """Recompute the coverage score of the loading weeks and compare with the plan's."""
        objective = self.rules.get("objective", {})
        weights = objective.get("muscle_weights", {})
        targets = objective.get("target_sets", {})
        action_weights = objective.get("action_weights", {})
        action_sessions = objective.get("action_sessions", {})
        score = 0
        for week in weeks:
            if week["deload"]:
                continue
            quarters: dict[str, int] = {}
            hits: dict[str, int] = {}
            for session in week["sessions"]:
                for it in session["exercises"]:
                    for muscle, share in it["muscles"].items():
                        quarters[muscle] = quarters.get(muscle, 0) + round(share * 4) * it["sets"]
                for action in {a for it in session["exercises"] for a in it["actions"]}:
                    hits[action] = hits.get(action, 0) + 1
            score += sum(
                w * min(quarters.get(m, 0), 4 * targets.get(m, 0)) for m, w in weights.items()
            )
            score += sum(
                w * min(hits.get(a, 0), action_sessions.get(a, 0))
                for a, w in action_weights.items()
            )
        coverage = self.plan.get("coverage", {})
        if coverage.get("score") != score:
            self.fail(
                "coverage", f"score {coverage.get('score')} but the plan's items give {score}"
            )
        variety = 0
        previous: set[str] | None = None
        mesocycle: set[str] = set()
        groups = []
        for week in weeks:
            ids = {it["id"] for s in week["sessions"] for it in s["exercises"]}
            if not week["deload"] or not mesocycle:
                mesocycle |= ids
            if week["deload"]:
                groups.append(mesocycle)
                mesocycle = set()
        for ids in [*groups, mesocycle] if mesocycle else groups:
            variety += objective["variety"] * min(len(ids), objective["distinct_per_mesocycle"])
            if previous is not None:
                variety += objective["variety"] * min(
                    len(ids - previous), objective["new_per_mesocycle"]
                )
            variety += objective["favourite_bonus"] * len(
                ids & set(self.rule("exercises", "favourites"))
            )
            previous = ids
        if coverage.get("objective") != score + variety:
            self.fail(
                "coverage",
                f"objective {coverage.get('objective')} but the plan gives {score + variety}",
            )
        solver = self.plan.get("solver", {})
        if "objective" in solver and solver["objective"] != coverage.get("objective"):
            self.fail(
                "solver", f"objective {solver['objective']} differs from the coverage objective"
            )


def check_plan(plan: dict[str, Any]) -> list[str]:
    """Every rule violation of ``plan``; empty when the plan is sound."""
    try:
        return Checker(plan).run()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return [f"plan: malformed ({type(exc).__name__}: {exc})"]
