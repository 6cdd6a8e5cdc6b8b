"""An independent checker of plans, one function per rule, listed in ``CHECKS``.

It reads the plan JSON, the client's rules (the plan's ``constraints``) and the exercise catalog's
TOML files with the standard library alone, and shares no code with the model (as PyVRP's
``Solution.is_feasible()`` and the CP-SAT primer's validation do). Every attribute of an item (its
muscles, fatigue, equipment, tier, tempo ...) is looked up in the catalog, never taken from the
plan; the client's kit is recomputed from the equipment profiles. The rules' numbers are restated
here on purpose: a second, plain reading of the coaching rules the model encodes. Finally the
objective is recomputed from the plan and compared with what the plan claims.
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, product
from pathlib import Path
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEVELS = ("beginner", "intermediate", "advanced")
TIERS = ("main", "accessory", "isolation")
UNWEIGHTED = ("band", "bodyweight")
# Reps by tier and goal (an entry's `reps` overrides), rest by goal and tier.
TIER_REPS = {
    "main": {"general": (8, 10), "strength": (4, 6), "hypertrophy": (6, 10), "endurance": (12, 15)},
    "accessory": {
        "general": (10, 12),
        "strength": (6, 8),
        "hypertrophy": (8, 12),
        "endurance": (12, 16),
    },
    "isolation": {
        "general": (12, 15),
        "strength": (10, 12),
        "hypertrophy": (10, 14),
        "endurance": (16, 20),
    },
}
# Band and bodyweight work that cannot be loaded much: two-legged, one leg at a time.
LOW_CEILING_REPS = {
    False: {
        "general": (16, 20),
        "strength": (12, 15),
        "hypertrophy": (16, 20),
        "endurance": (20, 24),
    },
    True: {
        "general": (10, 14),
        "strength": (8, 12),
        "hypertrophy": (12, 16),
        "endurance": (16, 20),
    },
}
REST = {
    "general": {"main": 120, "accessory": 90, "isolation": 60},
    "strength": {"main": 180, "accessory": 120, "isolation": 75},
    "hypertrophy": {"main": 120, "accessory": 90, "isolation": 60},
    "endurance": {"main": 75, "accessory": 60, "isolation": 45},
}
WARMUP_REST, COOLDOWN_REST, RAMP_REST = 15, 10, 60
RAMP_UP = {
    "general": ((50, 8), (70, 5), (85, 3)),
    "strength": ((40, 5), (60, 3), (75, 2), (85, 1)),
    "hypertrophy": ((50, 8), (70, 5), (85, 3)),
    "endurance": ((50, 8), (75, 5)),
}
HOLD_MIN = 30
REP_STEP = 2  # reps climb at most two a week at one load
HEAVIEST = 5  # the top of the catalog's fatigue scale: one session a week at most
SINGLE_JOINT = {"bridge", "knee_curl", "calf_raise", "abduction", "kickback", "rear_delt", "shrug"}
UPPER_BACK = {"horizontal_pull", "vertical_pull", "rear_delt", "shrug"}
PATTERN_LIMIT = 2
CORNERSTONES = {
    "hip_hinge": ({"romanian_deadlift", "good_morning", "deadlift"}, True),
    "hip_thrust_bridge": ({"hip_thrust_bridge"}, False),
    "knee_flexion_curl": ({"leg_curl", "supine_leg_curl", "nordic", "glute_ham_raise"}, False),
    "calf_raise": ({"standing_calf_raise", "seated_calf_raise"}, False),
    "lunge_or_step_up": ({"lunge", "step_up"}, False),
    "row_or_pull_up": ({"row", "vertical_pull"}, False),
}
GROUPS = {
    "hamstrings": ("hamstrings",),
    "glutes": ("gluteus_maximus",),
    "calves": ("gastrocnemius", "soleus"),
}
STRETCH_GROUPS = {
    "hamstrings": ("hamstrings",),
    "glutes": ("gluteus_maximus", "gluteus_medius"),
    "calves": ("gastrocnemius", "soleus"),
}
FULL_STIMULUS = 10


def catalog_folder() -> Path:
    installed = Path(__file__).parent / "catalog"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "catalog"


@dataclass
class Context:
    """What the checks share: the plan, its rules, the catalog and the client's kit."""

    plan: dict[str, Any]
    rules: dict[str, Any]
    catalog: dict[str, dict[str, Any]]
    kit: set[str]
    violations: list[str] = field(default_factory=list)
    # Weeks a re-plan starts anew: what comes before may change at them.
    boundaries: set[int] = field(default_factory=set)
    # (week, day) -> {substitute id: the swapped-out id}, from the plan's recorded swaps.
    swapped: dict[tuple[int, str], dict[str, str]] = field(default_factory=dict)
    # The rules of each run of weeks a re-plan started: (first week, rules), in order.
    parts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def rules_of(self, week: int) -> dict[str, Any]:
        """The rules ``week`` was planned under."""
        return next((r for first, r in reversed(self.parts) if first <= week), self.rules)

    def fail(self, where: str, message: str) -> None:
        self.violations.append(f"{where}: {message}")

    def rule(self, *path: str) -> Any:
        node: Any = self.rules
        for key in path:
            node = node[key]
        return node

    @property
    def weeks(self) -> list[dict[str, Any]]:
        """The weeks trained (a missed week holds nothing to check)."""
        return [w for w in self.plan["weeks"] if not w.get("missed")]

    def entry(self, item: dict[str, Any]) -> dict[str, Any]:
        return self.catalog[item["id"]]

    def level(self) -> str:
        return self.rule("client", "level")

    def goal(self) -> str:
        return self.rule("client", "goal")

    def scaled(self, cap: float) -> int:
        factor = self.rule("volume", "level_factor").get(self.level(), 1.0)
        return math.floor(cap * factor + 1e-9)

    def landmarks(self) -> dict[str, tuple[int, int, int]]:
        out = {}
        for muscle, (mev, mav, mrv) in self.rule("volume", "landmarks").items():
            hi = max(mev, self.scaled(mrv))
            out[muscle] = (mev, min(hi, max(mev, self.scaled(mav))), hi)
        return out

    def rep_range(self, entry: dict[str, Any]) -> tuple[int, int]:
        own = (entry.get("reps") or {}).get(self.goal())
        if own:
            lo, hi = own
        elif entry.get("load") in UNWEIGHTED and entry.get("load_ceiling") == "low":
            lo, hi = LOW_CEILING_REPS[bool(entry.get("unilateral"))][self.goal()]
        else:
            lo, hi = TIER_REPS[entry["tier"]][self.goal()]
        return lo, hi

    def stimulus(self, entry: dict[str, Any]) -> int:
        return entry["stimulus"][self.level()] + int(bool(entry.get("lengthened")))

    def deload_weeks(self) -> list[int]:
        deload, n = self.rule("deload"), len(self.plan["weeks"])
        if deload.get("weeks") is not None:
            return sorted(w for w in set(deload["weeks"]) if 1 < w <= n)
        if deload.get("every") is None or n < deload["min_block_weeks"]:
            return []
        return list(range(deload["every"], n + 1, deload["every"]))

    def mesocycles(self) -> list[list[dict[str, Any]]]:
        """Weeks grouped into mesocycles: loading weeks up to and including a deload week."""
        groups: list[list[dict[str, Any]]] = [[]]
        for week in self.weeks:
            groups[-1].append(week)
            if week["deload"]:
                groups.append([])
        return [g for g in groups if g]

    def loading(self) -> list[dict[str, Any]]:
        return [w for w in self.weeks if not w["deload"]]

    def available(self, entry: dict[str, Any]) -> bool:
        """The client may do ``entry``: kit, level and exclusions."""
        choice = self.rule("exercises")
        return (
            set(entry.get("equipment", ())) <= self.kit
            and LEVELS.index(entry["level"]) <= LEVELS.index(self.level())
            and entry["id"] not in choice["exclude"]
            and entry["pattern"] not in choice["exclude_patterns"]
            and not set(entry.get("actions", ())) & set(choice["exclude_actions"])
            and entry.get("dominance") not in choice["exclude_dominance"]
        )

    def lifts(self, week: dict[str, Any], session: dict[str, Any]) -> dict[str, int]:
        """A session's lifts and sets as planned, before any recorded swap."""
        undo = self.swapped.get((week["week"], session["day"]), {})
        return {undo.get(it["id"], it["id"]): it["sets"] for it in session["exercises"]}

    def sessions(self) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """Every session with its place ('week 3 wed') and week."""
        return [(f"week {w['week']} {s['day']}", s, w) for w in self.weeks for s in w["sessions"]]


def ramp(ctx: Context, entry: dict[str, Any]) -> list[tuple[int, int]]:
    """The ramp-up sets before a loaded first lift: never more reps than its working sets."""
    if not weighted(entry):
        return []
    lo = ctx.rep_range(entry)[0]
    return [(pct, min(reps, lo)) for pct, reps in RAMP_UP[ctx.goal()]]


def weighted(entry: dict[str, Any]) -> bool:
    return entry.get("load") not in (None, *UNWEIGHTED)


def sides(entry: dict[str, Any]) -> int:
    return 2 if entry.get("unilateral") else 1


# --- schedule -------------------------------------------------------------------------------


def sessions(ctx: Context) -> None:
    """2-3 sessions a week (or the number asked), on distinct days, the same days every week."""
    fixed = ctx.rule("schedule", "sessions")
    first = [s["day"] for s in ctx.weeks[0]["sessions"]] if ctx.weeks else []
    for week in ctx.weeks:
        days = [s["day"] for s in week["sessions"]]
        where = f"week {week['week']}"
        if [DAYS.index(d) for d in days] != sorted({DAYS.index(d) for d in days}):
            ctx.fail(where, "sessions must be on distinct days in week order")
        if not 2 <= len(days) <= 3 or (fixed and len(days) != fixed):
            ctx.fail(where, f"{len(days)} sessions; the rule is {fixed or '2-3'} a week")
        if days != first:
            ctx.fail(where, "the training days change during the block")


def days(ctx: Context) -> None:
    """Sessions only on the allowed days."""
    allowed = set(ctx.rule("schedule", "days"))
    for where, session, _ in ctx.sessions():
        if session["day"] not in allowed:
            ctx.fail(where, "not an allowed day")


def rest_between_sessions(ctx: Context) -> None:
    """At least 48 h between sessions, across weeks too."""
    sequence = [
        7 * (w["week"] - 1) + DAYS.index(s["day"]) for w in ctx.weeks for s in w["sessions"]
    ]
    for a, b in pairwise(sequence):
        if b - a < 2:
            ctx.fail("schedule", f"sessions on days {a + 1} and {b + 1} are under 48 h apart")


# --- sessions -------------------------------------------------------------------------------


def session_size(ctx: Context) -> None:
    lo, hi = ctx.rule("volume", "exercises_per_session")
    for where, session, _ in ctx.sessions():
        ids = [it["id"] for it in session["exercises"]]
        if len(set(ids)) != len(ids):
            ctx.fail(where, "an exercise appears twice")
        if not lo <= len(ids) <= hi:
            ctx.fail(where, f"{len(ids)} exercises; the rule is {lo}-{hi}")


def main_lift_every_session(ctx: Context) -> None:
    """A main lift leads every session when the kit has two or more; one per pattern in a session;
    each main lift in at most two sessions a week."""
    available = [
        e
        for e in ctx.catalog.values()
        if e["block"] == "main" and e["tier"] == "main" and ctx.available(e)
    ]
    if not available:
        return
    for where, session, _ in ctx.sessions():
        main = [ctx.entry(it) for it in session["exercises"] if ctx.entry(it)["tier"] == "main"]
        if not main and len(available) > 1:
            ctx.fail(where, "no main lift")
        patterns = [e["pattern"] for e in main]
        if len(set(patterns)) != len(patterns):
            ctx.fail(where, "two main lifts of one movement pattern")
    for week in ctx.weeks:
        counts: dict[str, int] = {}
        for s in week["sessions"]:
            for it in s["exercises"]:
                if ctx.entry(it)["tier"] == "main":
                    counts[it["id"]] = counts.get(it["id"], 0) + 1
        for eid, count in counts.items():
            if count > 2:
                ctx.fail(f"week {week['week']}", f"main lift {eid} in {count} sessions")


def session_volume(ctx: Context) -> None:
    lo, hi = ctx.rule("volume", "session_sets")
    for where, session, week in ctx.sessions():
        total = sum(it["sets"] for it in session["exercises"])
        if not week["deload"] and not lo <= total <= hi:
            ctx.fail(where, f"{total} working sets; the rule is {lo}-{hi}")


def one_family_per_session(ctx: Context) -> None:
    for where, session, _ in ctx.sessions():
        entries = [ctx.entry(it) for it in session["exercises"]]
        for key, limit in (("family", 1), ("pattern", PATTERN_LIMIT)):
            values = [e[key] for e in entries]
            for value in sorted(set(values)):
                if values.count(value) > limit:
                    ctx.fail(where, f"{values.count(value)} exercises of {key} {value}")


def lower_back(ctx: Context) -> None:
    """No bent-over row or fly (one that loads the spinal erectors) in a session with a hip
    hinge."""
    for where, session, _ in ctx.sessions():
        entries = [ctx.entry(it) for it in session["exercises"]]
        bent = [
            e["id"]
            for e in entries
            if e["pattern"] in ("horizontal_pull", "rear_delt") and "erector_spinae" in e["muscles"]
        ]
        if bent and any(e["pattern"] == "hinge" for e in entries):
            ctx.fail(where, f"{bent[0]} in a session with a hip hinge")


# --- dose and progression ---------------------------------------------------------------------


def sets_and_reps(ctx: Context) -> None:
    """Loading weeks: working sets within the rule; every week: reps within the exercise's range
    for the client's goal."""
    tiers = ctx.rule("volume", "sets")
    for where, session, week in ctx.sessions():
        for it in session["exercises"]:
            entry = ctx.entry(it)
            lo, hi = tiers[entry["tier"]]
            if not week["deload"] and not lo <= it["sets"] <= hi:
                ctx.fail(f"{where} {it['id']}", f"{it['sets']} sets; the rule is {lo}-{hi}")
            r_lo, r_hi = ctx.rep_range(entry)
            if not isinstance(it["reps"], int) or not r_lo <= it["reps"] <= r_hi:
                ctx.fail(f"{where} {it['id']}", f"{it['reps']} reps; the range is {r_lo}-{r_hi}")


def ladder(lo: int, hi: int, j: int, n: int) -> int:
    return lo if n == 1 else lo + ((hi - lo) * 2 * j + (n - 1)) // (2 * (n - 1))


def week_target(ctx: Context, entry: dict[str, Any], j: int, n: int) -> tuple[int, int]:
    """Reps and reps in reserve of loading week ``j`` of ``n``: reps climb from the bottom of the
    range by at most two a week (to the top when the weeks allow); the RIR falls one a week to the
    level's last value, reached in the last week, never below the lift's floor."""
    first, last = ctx.rule("prescription", "rir")[ctx.level()]
    lo, hi = ctx.rep_range(entry)
    reps = ladder(lo, min(hi, lo + REP_STEP * (n - 1)), j, n)
    return reps, max(last + min(first - last, n - 1 - j), entry.get("min_rir") or 0)


def progression(ctx: Context) -> None:
    """Within a mesocycle the sessions keep their lifts and sets; reps climb from the bottom of the
    range to the top and the reps in reserve fall from the level's first to its last value; the
    deload keeps every lift with its share of the sets, the bottom reps and more in reserve."""
    keep = 100 - round(100 * ctx.rule("deload", "cut"))
    for meso in ctx.mesocycles():
        loading = [w for w in meso if not w["deload"]]
        n = len(loading)
        for j, week in enumerate(loading):
            for where, it in (
                (f"week {week['week']} {s['day']}", it)
                for s in week["sessions"]
                for it in s["exercises"]
            ):
                reps, rir = week_target(ctx, ctx.entry(it), j, n)
                if it["reps"] != reps:
                    ctx.fail(f"{where} {it['id']}", f"{it['reps']} reps; the ladder gives {reps}")
                if it.get("rir") != rir:
                    ctx.fail(f"{where} {it['id']}", f"RIR {it.get('rir')}; the week's is {rir}")
        for before, after in pairwise(meso):
            where = f"weeks {before['week']}-{after['week']}"
            if any(before["week"] < b <= after["week"] for b in ctx.boundaries):
                continue  # a re-plan started anew here
            if len(before["sessions"]) != len(after["sessions"]):
                ctx.fail(where, "a mesocycle keeps its sessions")
                continue
            for a, b in zip(before["sessions"], after["sessions"], strict=True):
                old, new = ctx.lifts(before, a), ctx.lifts(after, b)
                if set(old) != set(new):
                    ctx.fail(where, f"session {b['day']} changes its lifts within a mesocycle")
                    continue
                for eid, sets in new.items():
                    want = -(-old[eid] * keep // 100) if after["deload"] else old[eid]
                    if sets != want:
                        ctx.fail(f"{where} {eid}", f"{sets} sets, the rule gives {want}")
        for week in meso:
            if not week["deload"]:
                continue
            for s in week["sessions"]:
                for it in s["exercises"]:
                    where = f"week {week['week']} {s['day']} {it['id']}"
                    if it["reps"] != ctx.rep_range(ctx.entry(it))[0]:
                        ctx.fail(where, "a deload goes back to the bottom of the rep range")
                    if it.get("rir") != ctx.rule("prescription", "deload_rir"):
                        ctx.fail(where, f"RIR {it.get('rir')} in a deload")


def continuity(ctx: Context) -> None:
    """Main lifts kept across mesocycles in their sessions, with their sets; mesocycles alternate
    between two templates, so the accessories rotate."""

    def first(meso: list[dict[str, Any]]) -> dict[str, Any]:
        """The mesocycle's first loading week after the last re-plan that starts inside it."""
        loading = [w for w in meso if not w["deload"]] or meso
        start = max((b for b in ctx.boundaries if b <= loading[-1]["week"]), default=0)
        return next((w for w in loading if w["week"] >= start), loading[-1])

    def main_lifts(week: dict[str, Any], s: dict[str, Any]) -> set[tuple[str, int]]:
        return {
            (eid, sets)
            for eid, sets in ctx.lifts(week, s).items()
            if ctx.catalog[eid]["tier"] == "main"
        }

    def apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return any(a["week"] < boundary <= b["week"] for boundary in ctx.boundaries)

    mesos = [first(m) for m in ctx.mesocycles()]
    for k in range(1, len(mesos)):
        a, b = mesos[k - 1], mesos[k]
        if apart(a, b):
            continue  # a re-plan may change the main lifts (an injury, a new gym)
        for sa, sb in zip(a["sessions"], b["sessions"], strict=False):
            if main_lifts(a, sa) != main_lifts(b, sb):
                ctx.fail(f"week {b['week']} {sb['day']}", "the main lifts change")
        if k >= 2 and not apart(mesos[k - 2], b):
            old = [ctx.lifts(mesos[k - 2], s) for s in mesos[k - 2]["sessions"]]
            new = [ctx.lifts(b, s) for s in b["sessions"]]
            if old != new:
                ctx.fail(f"week {b['week']}", "mesocycles two apart must match (A/B rotation)")


def deload(ctx: Context) -> None:
    """Deloads exactly where the rules put them."""
    flagged = [w["week"] for w in ctx.plan["weeks"] if w["deload"]]
    if flagged != ctx.deload_weeks():
        ctx.fail("deload", f"deload weeks {flagged}; the rules give {ctx.deload_weeks()}")


def prescription(ctx: Context) -> None:
    """Rest by tier and goal, the catalog's tempo, the rep range, loads by the rule, ramp-up sets
    before the first loaded lift only; the plan's copies of catalog data match the catalog."""
    mesos = ctx.mesocycles()
    held: dict[str, set[int]] = {}
    for i, meso in enumerate(mesos):
        for week in (w for w in meso if not w["deload"]):
            for s in week["sessions"]:
                for eid in ctx.lifts(week, s):
                    held.setdefault(eid, set()).add(i)
    for k, meso in enumerate(mesos):
        for week in meso:
            for s in week["sessions"]:
                for i, it in enumerate(s["exercises"]):
                    entry = ctx.entry(it)
                    where = f"week {week['week']} {s['day']} {it['id']}"
                    lo, hi = ctx.rep_range(entry)
                    expect = {
                        "name": entry["name"],
                        "tier": entry["tier"],
                        "family": entry["family"],
                        "pattern": entry["pattern"],
                        "fatigue": entry["fatigue"],
                        "muscles": entry["muscles"],
                        "equipment": list(entry.get("equipment", [])),
                        "unilateral": entry.get("unilateral", False),
                        "seconds_per_rep": entry.get("seconds_per_rep"),
                        "rest_seconds": REST[ctx.goal()][entry["tier"]],
                        "tempo": entry.get("tempo"),
                        "rep_range": [lo, hi],
                        "increment_kg": entry.get("increment_kg"),
                    }
                    for key, value in expect.items():
                        if it.get(key) != value:
                            ctx.fail(
                                where, f"{key} {it.get(key)!r}; the catalog's rule gives {value!r}"
                            )
                    kg = load_by_rule(ctx, mesos, k, week, entry, held)
                    if it.get("load_kg") != kg:
                        ctx.fail(where, f"load {it.get('load_kg')} kg; the load rule gives {kg}")
                    want = ramp(ctx, entry) if i == 0 else []
                    if [(r["percent"], r["reps"]) for r in it.get("ramp_up", [])] != want:
                        ctx.fail(
                            where,
                            f"ramp-up sets belong before the first loaded lift only, as {want}",
                        )


def load_by_rule(
    ctx: Context,
    mesos: list[list[dict[str, Any]]],
    k: int,
    week: dict[str, Any],
    entry: dict[str, Any],
    held: dict[str, set[int]],
) -> float | None:
    """The working load of mesocycle ``k``: the known load of the week the loads are for (the
    week's own rules: a re-plan may have read a log), one step more after each mesocycle since
    that holds the lift (``held``: the mesocycles whose loading weeks have it, swaps undone)
    whose last loading week reached the top of the rep range."""
    rules = ctx.rules_of(week["week"])["prescription"]
    known = rules["loads"].get(entry["id"])
    step = entry.get("increment_kg")
    if not known or not weighted(entry) or not step:
        return None
    origin = rules.get("loads_week", 1)
    k0, j, n = 0, 0, len([w for w in mesos[0] if not w["deload"]])
    deload_origin = False
    for i, meso in enumerate(mesos):
        loading = [w["week"] for w in meso if not w["deload"]]
        if origin > 1 and origin in [w["week"] for w in meso]:
            k0, n = i, len(loading)
            deload_origin = origin not in loading
            j = loading.index(origin) if not deload_origin else 0
    lo, hi = ctx.rep_range(entry)
    if deload_origin:
        reps, rir = lo, ctx.rule("prescription", "deload_rir")
    else:
        reps, rir = week_target(ctx, entry, j, n)
    base = known.get("kg") or known["one_rep_max"] / (1 + (reps + rir) / 30)
    base = round(math.floor(base / step + 1e-9) * step, 2)
    steps = sum(
        lo + REP_STEP * (len(lw) - 1) >= hi
        for i, lw in enumerate([w for w in m if not w["deload"]] for m in mesos)
        if k0 <= i < k and i in held.get(entry["id"], set())
    )
    return round(base + steps * step, 2)


def coach_order(ctx: Context) -> None:
    """Main lifts first, then accessories, then isolation; within a tier leg work before
    upper-back pulls, multi-joint before single-joint, bilateral before unilateral, the more
    demanding lift first."""
    for where, session, _ in ctx.sessions():
        keys = [
            (
                TIERS.index(e["tier"]),
                e["pattern"] in UPPER_BACK,
                e["pattern"] in SINGLE_JOINT,
                bool(e.get("unilateral")),
                -e["fatigue"],
                e["id"],
            )
            for e in map(ctx.entry, session["exercises"])
        ]
        if keys != sorted(keys):
            ctx.fail(where, "exercises are not in coach order")


# --- balance and volume ---------------------------------------------------------------------


def _sets(week: dict[str, Any], ctx: Context, select: Callable[[dict[str, Any]], bool]) -> int:
    return sum(
        it["sets"] for s in week["sessions"] for it in s["exercises"] if select(ctx.entry(it))
    )


def hip_knee_balance(ctx: Context) -> None:
    lo, hi = ctx.rule("balance", "hip_knee_ratio")
    for week in ctx.loading():
        hip = _sets(week, ctx, lambda e: e.get("dominance") == "hip")
        knee = _sets(week, ctx, lambda e: e.get("dominance") == "knee")
        where = f"week {week['week']}"
        if not hip or not knee:
            if ctx.rule("balance", "require_both") and not ctx.rule(
                "exercises", "exclude_dominance"
            ):
                ctx.fail(where, "needs both hip- and knee-dominant hamstring work")
        elif not lo - 1e-9 <= hip / knee <= hi + 1e-9:
            ctx.fail(where, f"hip:knee sets {hip}:{knee} outside {lo}..{hi}")


def weekly_action(ctx: Context) -> None:
    for week in ctx.weeks:
        done = {
            a for s in week["sessions"] for it in s["exercises"] for a in ctx.entry(it)["actions"]
        }
        for action in ctx.rule("balance", "weekly_actions"):
            if action not in done:
                ctx.fail(f"week {week['week']}", f"no {action}")


def effective_sets(ctx: Context, week: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for s in week["sessions"]:
        for it in s["exercises"]:
            for muscle, share in ctx.entry(it)["muscles"].items():
                out[muscle] = out.get(muscle, 0.0) + share * it["sets"]
    return out


def weekly_volume(ctx: Context) -> None:
    for week in ctx.weeks:
        done = effective_sets(ctx, week)
        for muscle, (mev, _, mrv) in ctx.landmarks().items():
            total = done.get(muscle, 0.0)
            if total > mrv + 1e-9 or (not week["deload"] and total < mev - 1e-9):
                ctx.fail(f"week {week['week']}", f"{muscle} {total:g} sets, outside {mev}-{mrv}")


def muscle_frequency(ctx: Context) -> None:
    for group, count in ctx.rule("volume", "frequency").items():
        for week in ctx.loading():
            hits = sum(
                any(
                    ctx.entry(it)["muscles"].get(m, 0) >= 0.5
                    for it in s["exercises"]
                    for m in GROUPS[group]
                )
                for s in week["sessions"]
            )
            if hits < count:
                ctx.fail(f"week {week['week']}", f"{group} in {hits} sessions, under {count}")


def cornerstone(ctx: Context) -> None:
    mains = [e for e in ctx.catalog.values() if e["block"] == "main" and ctx.available(e)]
    for group in ctx.rule("balance", "cornerstones"):
        families, loaded = CORNERSTONES[group]
        members = [e for e in mains if e["family"] in families]
        if loaded and any(weighted(e) for e in members):
            members = [e for e in members if weighted(e)]
        ids = {e["id"] for e in members}
        if not ids:
            continue
        times = 2 if group in ctx.rule("balance", "twice_weekly") else 1
        for week in ctx.loading():
            hits = sum(any(it["id"] in ids for it in s["exercises"]) for s in week["sessions"])
            if hits < times:
                ctx.fail(
                    f"week {week['week']}",
                    f"{group.replace('_', ' ')} in {hits} sessions, under {times}",
                )


# --- time and recovery ------------------------------------------------------------------------


def item_seconds(ctx: Context, it: dict[str, Any], rest: int) -> int:
    entry = ctx.entry(it)
    if entry.get("hold_seconds") is not None:
        work = entry["hold_seconds"]
    else:
        work = (it["reps"] or 0) * entry["seconds_per_rep"]
    return it["sets"] * (work * sides(entry) + rest)


def catalog_dose(entry: dict[str, Any]) -> tuple[int, int | None, int | None]:
    """A warm-up drill's or stretch's sets, reps and hold as the catalog prescribes them."""
    hold = entry.get("hold_seconds")
    reps = None if hold is not None else entry.get("default_reps")
    return entry.get("default_sets") or 1, reps, hold


def fixed_seconds(ctx: Context, it: dict[str, Any], rest: int) -> int:
    """A warm-up drill or stretch as the catalog prescribes it, whatever the plan says."""
    sets, reps, _ = catalog_dose(ctx.entry(it))
    return item_seconds(ctx, {**it, "sets": sets, "reps": reps}, rest)


def fixed_items(ctx: Context, where: str, items: list[dict[str, Any]]) -> None:
    """Each drill or stretch at the catalog's sets and reps."""
    for it in items:
        dose = catalog_dose(ctx.entry(it))
        given = (it["sets"], it["reps"], it.get("seconds"))
        # Exact types too: a plan's "10" or 10.0 is not the catalog's 10.
        if [(type(x), x) for x in given] != [(type(x), x) for x in dose]:
            ctx.fail(
                where,
                f"{it['id']}: sets {given[0]!r}, reps {given[1]!r}, hold {given[2]!r} s; "
                f"the catalog's {dose[0]!r}, {dose[1]!r}, {dose[2]!r} s",
            )


def session_seconds(ctx: Context, session: dict[str, Any]) -> int:
    seconds = sum(fixed_seconds(ctx, it, WARMUP_REST) for it in session["warmup"])
    seconds += sum(fixed_seconds(ctx, it, COOLDOWN_REST) for it in session["cooldown"])
    for i, it in enumerate(session["exercises"]):
        entry = ctx.entry(it)
        seconds += item_seconds(ctx, it, REST[ctx.goal()][entry["tier"]])
        if i == 0:
            seconds += sum(
                r * entry["seconds_per_rep"] * sides(entry) + RAMP_REST for _, r in ramp(ctx, entry)
            )
    return seconds


def session_time_cap(ctx: Context) -> None:
    cap = ctx.rule("schedule", "minutes")
    for where, session, _ in ctx.sessions():
        seconds = session_seconds(ctx, session)
        if session["minutes"] != math.ceil(seconds / 60):
            ctx.fail(where, f"{session['minutes']} min, but its items take {seconds} s")
        if seconds > 60 * cap:
            ctx.fail(where, f"{math.ceil(seconds / 60)} min, over the {cap} min cap")


def session_fatigue(ctx: Context) -> None:
    cap = max(1, ctx.scaled(ctx.rule("volume", "session_fatigue_max")))
    for where, session, _ in ctx.sessions():
        points = sum(ctx.entry(it)["fatigue"] * it["sets"] for it in session["exercises"])
        if points > cap:
            ctx.fail(where, f"fatigue {points} over {cap}")


def week_fatigue(ctx: Context) -> None:
    cap = max(1, ctx.scaled(ctx.rule("volume", "week_fatigue_max")))
    for week in ctx.weeks:
        points = sum(
            ctx.entry(it)["fatigue"] * it["sets"] for s in week["sessions"] for it in s["exercises"]
        )
        if points > cap:
            ctx.fail(f"week {week['week']}", f"fatigue {points} over {cap}")


def heaviest_lift_once_a_week(ctx: Context) -> None:
    """A main lift of the top fatigue (``HEAVIEST``: conventional deadlift, back squat) in one
    session a week at most."""
    for week in ctx.weeks:
        counts = Counter(
            e["id"]
            for s in week["sessions"]
            for e in map(ctx.entry, s["exercises"])
            if e.get("tier") == "main" and e["fatigue"] >= HEAVIEST
        )
        for eid, n in sorted(counts.items()):
            if n > 1:
                ctx.fail(f"week {week['week']}", f"{eid} in {n} sessions; one a week at most")


def eccentric_spacing(ctx: Context) -> None:
    heavy = [
        (w["week"], any(ctx.entry(it).get("high_fatigue_eccentric") for it in s["exercises"]))
        for _, s, w in ctx.sessions()
    ]
    for (week, a), (after, b) in pairwise(heavy):
        if a and b and after - week <= 1:  # a missed week between them is a week's rest
            ctx.fail("recovery", "Nordic curls or glute-ham raises in back-to-back sessions")


def warmup(ctx: Context) -> None:
    lo, hi = ctx.rule("schedule", "warmup_drills")
    t_lo, t_hi = (60 * m for m in ctx.rule("schedule", "warmup_minutes"))
    for where, session, _ in ctx.sessions():
        drills = [ctx.entry(it) for it in session["warmup"]]
        if any(e["block"] != "warmup" for e in drills):
            ctx.fail(where, "a warm-up item is not a warm-up drill")
            continue
        fixed_items(ctx, where, session["warmup"])
        seconds = sum(fixed_seconds(ctx, it, WARMUP_REST) for it in session["warmup"])
        if not lo <= len(drills) <= hi or not t_lo <= seconds <= t_hi:
            ctx.fail(
                where,
                f"warm-up of {len(drills)} drills in {seconds} s; the rule is "
                f"{lo}-{hi} drills in {t_lo // 60}-{t_hi // 60} min",
            )
        kinds = [e["pattern"] for e in drills]
        if len(set(kinds)) != len(kinds):
            ctx.fail(where, "two warm-up drills of one kind")
        activates = [
            max(e["muscles"].get("gluteus_maximus", 0), e["muscles"].get("gluteus_medius", 0))
            == 1.0
            for e in drills
        ]
        if not any(activates):
            ctx.fail(where, "no glute activation drill")
        first = ctx.entry(session["exercises"][0])["pattern"] if session["exercises"] else None
        if first and not any(first in e.get("prepares", ()) for e in drills):
            ctx.fail(where, f"the warm-up does not rehearse the first lift ({first})")
        for e, activation in zip(drills, activates, strict=True):
            if not activation and first not in e.get("prepares", ()):
                ctx.fail(
                    where,
                    f"warm-up drill {e['id']} neither activates the glutes nor rehearses the "
                    "first lift",
                )


def cooldown(ctx: Context) -> None:
    for where, session, _ in ctx.sessions():
        stretches = [ctx.entry(it) for it in session["cooldown"]]
        if any(e["block"] != "cooldown" for e in stretches):
            ctx.fail(where, "a cool-down item is not a stretch")
            continue
        fixed_items(ctx, where, session["cooldown"])
        targets = [
            {e["id"] for e in stretches if any(e["muscles"].get(m) == 1.0 for m in muscles)}
            for muscles in STRETCH_GROUPS.values()
        ]
        if not any(len(set(pick)) == 3 for pick in product(*targets)):
            ctx.fail(
                where,
                "the cool-down needs its own stretch for each of the hamstrings, glutes and calves",
            )
        lo, hi = ctx.rule("schedule", "cooldown_stretches")
        if not lo <= len(stretches) <= hi:
            ctx.fail(where, f"{len(stretches)} stretches; the rule is {lo}-{hi}")
        for e in stretches:
            if (e.get("hold_seconds") or 0) < HOLD_MIN:
                ctx.fail(where, f"{e['id']} held under {HOLD_MIN} s")


# --- the client's choices ---------------------------------------------------------------------


def _items(ctx: Context) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{where} {it['id']}", ctx.entry(it))
        for where, s, _ in ctx.sessions()
        for it in (*s["warmup"], *s["exercises"], *s["cooldown"])
    ]


def equipment(ctx: Context) -> None:
    for where, entry in _items(ctx):
        missing = set(entry.get("equipment", ())) - ctx.kit
        if missing:
            ctx.fail(where, f"needs {sorted(missing)}, not in the client's kit")


def level(ctx: Context) -> None:
    for where, entry in _items(ctx):
        if LEVELS.index(entry["level"]) > LEVELS.index(ctx.level()):
            ctx.fail(where, f"level {entry['level']} is above the client's")


def exclude(ctx: Context) -> None:
    for where, entry in _items(ctx):
        if entry["id"] in ctx.rule("exercises", "exclude"):
            ctx.fail(where, "excluded")


def exclude_patterns(ctx: Context) -> None:
    for where, entry in _items(ctx):
        if entry["pattern"] in ctx.rule("exercises", "exclude_patterns"):
            ctx.fail(where, "its movement pattern is excluded")


def exclude_actions(ctx: Context) -> None:
    for where, entry in _items(ctx):
        if set(entry.get("actions", ())) & set(ctx.rule("exercises", "exclude_actions")):
            ctx.fail(where, "trains an excluded joint action")


def exclude_dominance(ctx: Context) -> None:
    for where, entry in _items(ctx):
        if entry.get("dominance") in ctx.rule("exercises", "exclude_dominance"):
            ctx.fail(where, f"{entry['dominance']}-dominant work is excluded")


def stand_in(ctx: Context) -> None:
    """No band or bodyweight variant (light ones: load ceiling low) of a pattern the client can
    load; past the beginner stage no lighter bilateral variant of a family whose main lift the
    client can do with the same load, and no two-legged main lift of a lower load ceiling than
    an available barbell lift of its family that rates higher at the client's level. Required
    and favourite exercises excepted."""
    skipped = _stand_ins(ctx)
    for where, entry in _items(ctx):
        if entry["id"] in skipped:
            ctx.fail(where, "a stand-in or regression for a lift the client can load")


def _stand_ins(ctx: Context) -> set[str]:
    if ctx.rule("exercises", "allow_stand_ins"):
        return set()
    keep = {*ctx.rule("exercises", "require"), *ctx.rule("exercises", "favourites")}
    mains = [e for e in ctx.catalog.values() if e["block"] == "main"]
    allowed = [e for e in mains if ctx.available(e)]
    loadable = {e["pattern"] for e in allowed if weighted(e)}
    leads = {(e["family"], e["load"]) for e in allowed if e["tier"] == "main"}
    out = {
        e["id"]
        for e in mains
        if not weighted(e) and e.get("load_ceiling") == "low" and e["pattern"] in loadable
    }
    level = ctx.level()
    if level != "beginner":
        barbell: dict[str, int] = {}  # a family's best two-legged high-ceiling main lift
        for e in allowed:
            if e["tier"] == "main" and not e.get("unilateral") and e.get("load_ceiling") == "high":
                barbell[e["family"]] = max(barbell.get(e["family"], 0), e["stimulus"][level])
        for e in mains:
            if e.get("unilateral"):
                continue
            lighter = e["tier"] != "main" and (e["family"], e["load"]) in leads
            capped = (
                e["tier"] == "main"
                and e.get("load_ceiling") != "high"
                and e["stimulus"][level] < barbell.get(e["family"], 0)
            )
            if lighter or capped:
                out.add(e["id"])
    return out - keep


def dominated(ctx: Context) -> None:
    """No variant that an available variant of the same family beats on every count (same tier,
    muscles, actions, rep range and loading; at least the stimulus, at most the fatigue and rep
    time), unless the client requires it or likes it."""
    keep = {*ctx.rule("exercises", "require"), *ctx.rule("exercises", "favourites")}

    def kind(e: dict[str, Any]) -> tuple[Any, ...]:
        return (
            e["family"],
            e["tier"],
            bool(e.get("unilateral")),
            e.get("dominance"),
            sorted(e["actions"]),
            sorted(e["muscles"].items()),
            weighted(e),
            bool(e.get("high_fatigue_eccentric")),
            ctx.rep_range(e),
        )

    def worth(e: dict[str, Any]) -> tuple[int, int, int]:
        return ctx.stimulus(e), -e["fatigue"], -e["seconds_per_rep"]

    skipped = _stand_ins(ctx)
    mains = [
        e
        for e in ctx.catalog.values()
        if e["block"] == "main" and ctx.available(e) and e["id"] not in skipped
    ]
    used = {it["id"] for _, s, _ in ctx.sessions() for it in s["exercises"]}
    for entry in mains:
        if entry["id"] not in used or entry["id"] in keep:
            continue
        for other in mains:
            if other["id"] == entry["id"] or kind(other) != kind(entry):
                continue
            if all(a >= b for a, b in zip(worth(other), worth(entry), strict=True)) and (
                worth(other) != worth(entry) or other["id"] < entry["id"]
            ):
                ctx.fail(entry["id"], f"used, though {other['id']} is as good on every count")
                break


def require(ctx: Context) -> None:
    for eid in ctx.rule("exercises", "require"):
        for week in ctx.weeks:
            if not any(it["id"] == eid for s in week["sessions"] for it in s["exercises"]):
                ctx.fail(f"week {week['week']}", f"required {eid} is missing")


# --- the objective ----------------------------------------------------------------------------


def objective(ctx: Context) -> None:
    """The plan's value, recomputed: per loading week each muscle's stimulus-weighted quarter sets
    (twice the weight below MEV, once to MAV, nothing past it) and every set's quality (its lift's
    stimulus), less the fatigue and time costs; plus the favourites' bonus per mesocycle."""
    obj = ctx.rule("objective")
    terms = dict.fromkeys(("stimulus", "fatigue_cost", "time_cost", "favourites"), 0)
    for week in ctx.loading():
        units: dict[str, int] = {}
        for s in week["sessions"]:
            for it in s["exercises"]:
                entry = ctx.entry(it)
                terms["fatigue_cost"] -= obj["fatigue_cost"] * entry["fatigue"] * it["sets"]
                terms["stimulus"] += obj["quality"] * ctx.stimulus(entry) * it["sets"]
                for muscle, share in entry["muscles"].items():
                    units[muscle] = units.get(muscle, 0) + (
                        round(4 * share) * it["sets"] * ctx.stimulus(entry)
                    )
            terms["time_cost"] -= obj["time_cost"] * session_seconds(ctx, s)
        for muscle, (mev, mav, _) in ctx.landmarks().items():
            weight = obj["muscle_weights"].get(muscle, 0)
            low = min(units.get(muscle, 0), 4 * FULL_STIMULUS * mev)
            high = min(units.get(muscle, 0) - low, 4 * FULL_STIMULUS * (mav - mev))
            terms["stimulus"] += weight * (2 * low + high)
    liked = set(ctx.rule("exercises", "favourites"))
    for meso in ctx.mesocycles():
        ids = {it["id"] for w in meso for s in w["sessions"] for it in s["exercises"]}
        terms["favourites"] += obj["favourite_bonus"] * len(ids & liked)
    total = sum(terms.values())
    coverage = ctx.plan.get("coverage", {})
    if coverage.get("terms") != terms:
        ctx.fail("coverage", f"terms {coverage.get('terms')}; the plan's items give {terms}")
    if coverage.get("objective") != total:
        ctx.fail("coverage", f"objective {coverage.get('objective')}; the items give {total}")
    solver = ctx.plan.get("solver", {})
    if solver.get("objective") not in (None, total):
        ctx.fail("solver", f"objective {solver['objective']} differs from the plan's {total}")
    if ctx.plan.get("status") == "optimal" and solver.get("bound") not in (None, total):
        ctx.fail("solver", f"status optimal, but the bound {solver['bound']} is above {total}")


# --- changes after planning: re-plans, swaps, missed weeks ------------------------------------

# What a re-plan may change in the rules (the kit, the days, the time, injuries, loads from a
# log); the rest (level, goal, objective, volume) holds for the whole block.
REPLAN_KEYS = {
    ("equipment",),
    ("schedule", "days"),
    ("schedule", "sessions"),
    ("schedule", "minutes"),
    ("schedule", "weeks"),
    ("schedule", "missed_weeks"),
    ("exercises", "exclude"),
    ("exercises", "exclude_patterns"),
    ("exercises", "exclude_actions"),
    ("exercises", "exclude_dominance"),
    ("balance",),
    ("prescription", "loads"),
    ("prescription", "loads_week"),
    ("deload", "weeks"),
}


def differences(a: Any, b: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The key paths where two rule trees differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            p for key in sorted({*a, *b}) for p in differences(a.get(key), b.get(key), (*path, key))
        ]
    return [] if a == b else [path]


def missed_weeks(ctx: Context) -> None:
    """The weeks the rules mark missed hold no sessions; every other week is trained."""
    missed = set(ctx.rule("schedule").get("missed_weeks", []))
    for week in ctx.plan["weeks"]:
        where = f"week {week['week']}"
        if bool(week.get("missed")) != (week["week"] in missed):
            ctx.fail(
                where,
                "marked missed unlike the rules" if week.get("missed") else "missed in the rules",
            )
        if week.get("missed") and week["sessions"]:
            ctx.fail(where, "a missed week holds sessions")


def replanned_from(change: dict[str, Any]) -> int:
    """The first week a re-plan changed: its missed week, else its first week."""
    return int(change.get("missed_week") or change["from_week"])


def live_weeks(history: list[dict[str, Any]], change: dict[str, Any]) -> set[int]:
    """The weeks a swap still holds: not planned anew by a later re-plan, nor swapped again in
    the same session by a later swap."""
    weeks = set(range(change["from_week"], change["through_week"] + 1))
    for later in history[history.index(change) + 1 :]:
        if later["kind"] == "replan":
            weeks = {w for w in weeks if w < replanned_from(later)}
        elif later["day"] == change["day"]:
            weeks -= set(range(later["from_week"], later["through_week"] + 1))
    return weeks


def history(ctx: Context) -> None:
    """Each recorded re-plan changed only what a re-plan may change; each swap put a variant of
    the same family or movement pattern in the place of the lift, with its sets."""
    later = ctx.rules
    replans = [c for c in ctx.plan.get("history", []) if c["kind"] == "replan"]
    for change in [
        *reversed(replans),
        *(c for c in ctx.plan.get("history", []) if c["kind"] == "swap"),
    ]:
        where = f"history week {change['from_week']}"
        if change["kind"] == "replan":
            before = change.get("constraints") or {}
            changed = [
                p
                for p in differences(before, later)
                if p[:1] not in REPLAN_KEYS and p[:2] not in REPLAN_KEYS
            ]
            if changed:
                ctx.fail(
                    where, f"a re-plan may not change {', '.join('.'.join(p) for p in changed)}"
                )
            later = before
            continue
        out, into = ctx.catalog.get(change["exercise"]), ctx.catalog.get(change["to"])
        if out is None or into is None:
            ctx.fail(where, "a swap of exercises not in the catalog")
            continue
        if out["family"] != into["family"] and out["pattern"] != into["pattern"]:
            ctx.fail(where, f"{into['id']} is neither of {out['id']}'s family nor of its pattern")
        for week in ctx.weeks:
            if week["week"] in live_weeks(ctx.plan.get("history", []), change):
                held = [s for s in week["sessions"] if s["day"] == change["day"]]
                if not held or into["id"] not in {it["id"] for it in held[0]["exercises"]}:
                    ctx.fail(
                        f"week {week['week']} {change['day']}",
                        f"the swap to {into['id']} is not there",
                    )


CHECKS: dict[str, Callable[[Context], None]] = {
    f.__name__: f
    for f in (
        sessions,
        days,
        rest_between_sessions,
        session_size,
        main_lift_every_session,
        session_volume,
        one_family_per_session,
        lower_back,
        sets_and_reps,
        progression,
        continuity,
        deload,
        prescription,
        coach_order,
        hip_knee_balance,
        weekly_action,
        weekly_volume,
        muscle_frequency,
        cornerstone,
        session_time_cap,
        session_fatigue,
        week_fatigue,
        heaviest_lift_once_a_week,
        eccentric_spacing,
        warmup,
        cooldown,
        equipment,
        level,
        exclude,
        exclude_patterns,
        exclude_actions,
        exclude_dominance,
        stand_in,
        dominated,
        require,
        missed_weeks,
        history,
        objective,
    )
}
# Checks of the block as a whole; the others hold week by week, under the rules of their weeks.
WHOLE_BLOCK = (
    "rest_between_sessions",
    "eccentric_spacing",
    "progression",
    "continuity",
    "deload",
    "prescription",
    "missed_weeks",
    "history",
    "objective",
)


# --- reading the catalog and the kit ------------------------------------------------------------


class CatalogUnreadable(OSError):
    """The catalog file a plan's rules name cannot be read (gone, unreadable, not TOML): a bad
    input file, not a violation of the plan."""


def read_catalog(
    rules: dict[str, Any], base: Path | None
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """The catalog entries by id and the equipment profiles, from the TOML files (raises
    ``CatalogUnreadable`` when the plan's own catalog file cannot be read)."""
    folder = catalog_folder()
    gear = parsed((folder / "equipment.toml").read_text("utf-8"))
    entries = parsed((folder / "exercises.toml").read_text("utf-8"))["exercise"]
    profiles = dict(gear["profiles"])
    if rules.get("catalog"):
        path = Path(rules["catalog"])
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            own = parsed(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise CatalogUnreadable(f"cannot read the plan's catalog {path}: {reason}") from exc
        profiles.update(own.get("profiles", {}))
        mine = own.get("exercise", [])
        entries = mine if rules.get("catalog_mode") == "replace" else [*entries, *mine]
    return {e["id"]: e for e in entries}, profiles


@lru_cache(maxsize=8)
def parsed(text: str) -> dict[str, Any]:
    """A catalog file's TOML, parsed once per process for each content (a batch checks every plan
    against the same catalog; parsing it is most of a small plan's check). Read only."""
    return tomllib.loads(text)


def kit_of(rules: dict[str, Any], profiles: dict[str, list[str]]) -> set[str]:
    """The client's kit: the profile's items (or the listed ones), plus extras, less missing."""
    choice = rules["equipment"]
    kit: set[str] = set()
    for part in str(choice["profile"]).split(","):
        part = part.strip()
        kit |= set(profiles.get(part, [part]))
    return (kit | set(choice["extra"])) - set(choice["missing"])


def segments(plan: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(first week, rules) of each run of weeks planned under the same rules: a re-plan records
    the rules in force before it."""
    replans = sorted(
        (c for c in plan.get("history", []) if c["kind"] == "replan"), key=lambda c: c["from_week"]
    )
    starts = [1, *(c["from_week"] for c in replans)]
    rules = [*(c["constraints"] for c in replans), plan["constraints"]]
    return list(zip(starts, rules, strict=True))


def check_plan(plan: dict[str, Any], base: Path | None = None) -> list[str]:
    """Every rule violation of ``plan``; empty when the plan is sound. ``base`` is the folder a
    relative catalog path in the plan's rules is read from; ``CatalogUnreadable`` when that
    catalog cannot be read."""
    try:
        if plan.get("schema_version") != 2:
            return ["plan: schema_version must be 2"]
        if plan.get("status") not in ("optimal", "feasible"):
            return [f"plan: status {plan.get('status')!r} is not optimal or feasible"]
        rules = plan["constraints"]
        catalog, profiles = read_catalog(rules, base)
        ctx = Context(plan, rules, catalog, kit_of(rules, profiles))
        weeks = plan["weeks"]
        if not weeks or [w.get("week") for w in weeks] != list(range(1, len(weeks) + 1)):
            return ["plan: weeks must be numbered 1, 2, ... without gaps"]
        if len(weeks) != ctx.rule("schedule", "weeks"):
            ctx.fail(
                "plan", f"{len(weeks)} weeks, the rules ask for {ctx.rule('schedule', 'weeks')}"
            )
        unknown = sorted(
            {
                it["id"]
                for _, s, _ in ctx.sessions()
                for it in (*s["warmup"], *s["exercises"], *s["cooldown"])
            }
            - set(catalog)
        )
        if unknown:
            return [f"plan: exercises not in the catalog: {', '.join(unknown)}"]
        for _, session, _ in ctx.sessions():
            if not session["exercises"]:
                ctx.fail(f"{session['day']}", "a session with no exercises")
            for it in session["exercises"]:
                if ctx.entry(it)["block"] != "main":
                    ctx.fail(it["id"], "not a main-block exercise")
                if not isinstance(it["sets"], int) or not 1 <= it["sets"] <= 10:
                    ctx.fail(it["id"], f"{it['sets']} sets")
        if ctx.violations:
            return ctx.violations
        changes = plan.get("history", [])
        if not isinstance(changes, list):
            return ["plan: history must be a list"]
        for n, change in enumerate(changes, 1):
            first, last = change.get("from_week"), change.get("through_week")
            if (
                change.get("kind") not in ("replan", "swap")
                or not isinstance(first, int)
                or not isinstance(last, int)
                or not 1 <= first <= last <= len(weeks)
                or (change["kind"] == "swap" and change.get("day") not in DAYS)
                or (change["kind"] == "replan" and not isinstance(change.get("constraints"), dict))
            ):
                return [f"plan: history entry {n} is not a change within weeks 1-{len(weeks)}"]
        for change in changes:
            if change["kind"] == "replan":
                ctx.boundaries.add(change["from_week"])
                start = replanned_from(change)
                ctx.swapped = {k: u for k, u in ctx.swapped.items() if k[0] < start}
            else:
                for week in range(change["from_week"], change["through_week"] + 1):
                    undo = ctx.swapped.setdefault((week, change["day"]), {})
                    undo[change["to"]] = undo.pop(change["exercise"], change["exercise"])
        parts = ctx.parts = segments(plan)
        for (first, part_rules), (after, _) in zip(
            parts, [*parts[1:], (len(weeks) + 1, {})], strict=True
        ):
            part = {**plan, "weeks": [w for w in weeks if first <= w["week"] < after]}
            local = Context(part, part_rules, catalog, kit_of(part_rules, profiles))
            for name, check in CHECKS.items():
                if name not in WHOLE_BLOCK:
                    check(local)
            ctx.violations += local.violations
        for name in WHOLE_BLOCK:
            CHECKS[name](ctx)
        return ctx.violations
    except CatalogUnreadable:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OSError) as exc:
        return [f"plan: malformed ({type(exc).__name__}: {exc})"]
