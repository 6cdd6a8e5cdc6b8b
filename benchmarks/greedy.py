"""The greedy baseline: how a coach fills a block by hand, one lift or one set at a time.

Candidates are the best lift of each family by stimulus per minute (plus the best of each
cornerstone group); when no candidate can close a floor any more, every available variant is. The
template of the first mesocycle is filled in three phases: a main lift for each session (the
cornerstones asked for twice a week taking turns, then a different movement in each while there
are enough); then the move (a lift added at its tier's fewest sets, or one set more) that most
reduces what the weekly floors still miss (cornerstones, required lifts and a main lift in every
session first; then session size and sets, the muscles' MEV, the hip/knee balance, the weekly
actions, the muscle groups' frequency); then, while it pays, the move that most raises the
objective. Every move keeps every cap (time, fatigue, MRV, session size, one lift per family, one
main lift per pattern and each in at most two sessions, pattern limits, no bent-over row beside a
hip hinge, no Nordic curls or glute-ham raises in back-to-back sessions) in both templates: the
second mesocycle swaps each accessory for its rotation partner, as the planner's plans do. When
the floors cannot all be met that way, the fill starts over closing them with the leanest moves
(what is trained before how much, keeping the most room under each muscle's MRV), and then with
two sessions a week when the rules allow it. Warm-ups and cool-downs are the shortest that meet
their rules. The plan only counts if it passes the independent checker.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from planner import (
    DAYS,
    FREQUENCY_GROUPS,
    MAX_FATIGUE,
    Exercise,
    Request,
    build_instance,
    coach_order,
    fixed_item_seconds,
    ramp_up_seconds,
)

STIMULUS_FULL = 10
# Floors on how much is trained; the others are on what is trained (cornerstones, actions ...).
VOLUME_FLOORS = ("weekly_volume", "session_volume", "hip_knee_balance")
Template = list[dict[str, int]]  # per session slot: exercise id -> working sets


def spread_days(allowed: tuple[str, ...], sessions: int) -> list[str] | None:
    """The most evenly spread, earliest layout of ``sessions`` allowed days, none back to back."""
    best: tuple[int, list[str]] | None = None
    for days in combinations([d for d in DAYS if d in allowed], sessions):
        index = [DAYS.index(d) for d in days]
        gaps = [(b - a) % 7 or 7 for a, b in zip(index, [*index[1:], index[0]], strict=True)]
        if min(gaps) >= 2 and (best is None or min(gaps) > best[0]):
            best = (min(gaps), list(days))
    return best[1] if best else None


def glute_drill(ex: Exercise) -> bool:
    return max(ex.muscles.get("gluteus_maximus", 0), ex.muscles.get("gluteus_medius", 0)) == 1.0


class GreedyFailed(Exception):
    """The heuristic cannot meet a rule."""


class Greedy:
    """A plan built by hand-picked moves; ``choice`` is a ``planner.Choice``."""

    def __init__(self, c: Request) -> None:
        self.c = c
        self.inst = inst = build_instance(c)
        counts = [c.schedule.sessions] if c.schedule.sessions else [3, 2]
        self.layouts = [d for n in counts if (d := spread_days(c.schedule.days, n))]
        if not self.layouts:
            raise GreedyFailed("sessions: no layout of the allowed days keeps 48 h between them")
        self.ntemplates = min(2, len(inst.mesocycles))
        # Template pairs (this week's, next week's) of consecutive weeks: the last session of the
        # one and the first of the other are back to back.
        self.week_pairs = {
            (inst.template_of(w), inst.template_of(w + 1))
            for w in inst.weeks
            if w + 1 in inst.meso_of
        }
        self.by_id = {ex.id: ex for ex in inst.main}
        self.landmarks = c.landmarks()
        self.session_fatigue, self.week_fatigue = c.fatigue_caps()
        self.has_main = sum(ex.tier == "main" for ex in inst.main) > 1
        twice = set(c.balance.twice_weekly)
        self.cornerstone_times = {g: 2 if g in twice else 1 for g in inst.cornerstones}
        self.warmups: dict[str, list[Exercise]] = {}
        self.stretches = self.pick_stretches()
        self.use_layout(self.layouts[0])

    def use_layout(self, days: list[str]) -> None:
        """Start over on these training days: empty sessions, the first candidates."""
        self.days = days
        self.slots = range(len(days))
        self.candidates = self.pick_candidates()
        self.template: Template = [{} for _ in self.slots]

    # --- candidates and templates -----------------------------------------------------------
    def per_minute(self, ex: Exercise) -> float:
        lo, hi = self.inst.rep_range(ex)
        return self.inst.stimulus(ex) / self.inst.set_seconds(ex, (lo + hi) // 2)

    def pick_candidates(self) -> list[Exercise]:
        best: dict[str, Exercise] = {}
        for ex in self.inst.main:
            key = ex.family or ex.id
            if key not in best or self.per_minute(ex) > self.per_minute(best[key]):
                best[key] = ex
        chosen = {ex.id: ex for ex in best.values()}
        for members in self.inst.cornerstones.values():
            top = max(members, key=self.per_minute)
            chosen[top.id] = top
        for eid in self.c.exercises.require:
            if eid in self.by_id:
                chosen[eid] = self.by_id[eid]
        return sorted(chosen.values(), key=coach_order)

    def rotated(self, template: Template) -> Template | None:
        """The second template: accessories swapped for their partners (None on a clash)."""
        out: Template = []
        for session in template:
            swapped: dict[str, int] = {}
            for eid, sets in session.items():
                partner = self.inst.partner[eid].id
                if partner in swapped:
                    return None
                swapped[partner] = sets
            out.append(swapped)
        return out

    def both(self, template: Template) -> list[Template] | None:
        if self.ntemplates == 1:
            return [template]
        other = self.rotated(template)
        return None if other is None else [template, other]

    # --- warm-up, cool-down and time -------------------------------------------------------
    def warmup(self, session: dict[str, int]) -> list[Exercise]:
        lifts = [self.by_id[e] for e in session]
        first = min(lifts, key=coach_order, default=None)
        key = first.id if first else ""
        if key not in self.warmups:
            self.warmups[key] = self.pick_warmup(first)
        return self.warmups[key]

    def pick_warmup(self, first: Exercise | None) -> list[Exercise]:
        """The shortest warm-up of distinct kinds of drill (schedule.warmup_drills, lasting
        schedule.warmup_minutes) with a glute activation drill and a rehearsal of the first lift,
        every drill doing one or the other."""
        sched = self.c.schedule
        (lo, hi), (t_lo, t_hi) = sched.warmup_drills, (60 * m for m in sched.warmup_minutes)
        drills = sorted(
            (
                d
                for d in self.inst.warmup
                if glute_drill(d) or (first is not None and first.pattern in d.prepares)
            ),
            key=lambda d: (fixed_item_seconds(d), d.id),
        )
        chosen: list[Exercise] = []

        def fits(d: Exercise) -> bool:
            return d not in chosen and all(d.pattern != o.pattern for o in chosen)

        def total() -> int:
            return sum(map(fixed_item_seconds, chosen))

        if first is not None:
            rehearse = [d for d in drills if first.pattern in d.prepares]
            if not rehearse:
                raise GreedyFailed(f"warmup: no drill rehearses {first.pattern}")
            both = [d for d in rehearse if glute_drill(d)]
            chosen.append((both or rehearse)[0])
        if not any(glute_drill(d) for d in chosen):
            glutes = [d for d in drills if glute_drill(d) and fits(d)]
            if not glutes:
                raise GreedyFailed("warmup: no glute activation drill")
            chosen.append(glutes[0])
        while len(chosen) < hi and (len(chosen) < lo or total() < t_lo):
            free = [d for d in drills if fits(d)]
            if not free:
                break
            if len(chosen) + 1 >= lo:  # the last drill: the shortest that reaches the minimum
                closing = [d for d in free if total() + fixed_item_seconds(d) >= t_lo]
                free = closing or free
            chosen.append(free[0])
        if not (lo <= len(chosen) <= hi and t_lo <= total() <= t_hi):
            raise GreedyFailed("warmup: no drills of distinct kinds fill its count and minutes")
        return chosen

    def pick_stretches(self) -> list[Exercise]:
        """The shortest cool-down (schedule.cooldown_stretches) with a stretch of its own for each
        of the hamstrings, glutes and calves."""
        lo, hi = self.c.schedule.cooldown_stretches
        stretches = sorted(self.inst.cooldown, key=lambda d: (fixed_item_seconds(d), d.id))
        chosen: list[Exercise] = []
        groups = (
            ("hamstrings",),
            ("gluteus_maximus", "gluteus_medius"),
            FREQUENCY_GROUPS["calves"],
        )

        def serves(d: Exercise, group: tuple[str, ...]) -> bool:
            return any(d.muscles.get(m) == 1.0 for m in group)

        for group in groups:
            match = [d for d in stretches if d not in chosen and serves(d, group)]
            # A stretch that serves one group only first: the others may be needed elsewhere.
            match.sort(key=lambda d: sum(serves(d, g) for g in groups))
            if not match:
                raise GreedyFailed("cooldown: no stretch of its own for each muscle group")
            chosen.append(match[0])
        chosen += [d for d in stretches if d not in chosen][: max(0, lo - len(chosen))]
        if not lo <= len(chosen) <= hi:
            raise GreedyFailed("cooldown: the stretches do not fill its count")
        return chosen

    def seconds(self, session: dict[str, int], week: int) -> int:
        if not session:
            return 0
        inst = self.inst
        lifts = [self.by_id[e] for e in session]
        first = min(lifts, key=coach_order)
        around = sum(map(fixed_item_seconds, [*self.warmup(session), *self.stretches]))
        work = sum(
            sets * inst.set_seconds(self.by_id[e], inst.reps(self.by_id[e], week))
            for e, sets in session.items()
        )
        return around + ramp_up_seconds(first, self.inst.constraints) + work

    # --- rules ---------------------------------------------------------------------------
    def quarters(self, week: Template) -> dict[str, int]:
        out: dict[str, int] = {}
        for session in week:
            for eid, sets in session.items():
                for muscle, share in self.by_id[eid].muscles.items():
                    out[muscle] = out.get(muscle, 0) + round(4 * share) * sets
        return out

    @staticmethod
    def bent_over(ex: Exercise) -> bool:
        """A row or fly that loads the spinal erectors: never in a session with a hip hinge."""
        return ex.pattern in ("horizontal_pull", "rear_delt") and "erector_spinae" in ex.muscles

    def within_caps(self, templates: list[Template]) -> bool:
        c = self.c
        size_hi = c.volume.exercises_per_session[1]
        sets_hi = c.volume.session_sets[1]
        for t, week in enumerate(templates):
            (peak,) = self.inst.peak_weeks(t)
            fatigue = 0
            for session in week:
                lifts = [self.by_id[e] for e in session]
                if len(lifts) > size_hi or sum(session.values()) > sets_hi:
                    return False
                families = [ex.family or ex.id for ex in lifts]
                patterns = [ex.pattern for ex in lifts]
                mains = [ex.pattern for ex in lifts if ex.tier == "main"]
                if len(set(families)) < len(families) or len(set(mains)) < len(mains):
                    return False
                if any(patterns.count(p) > 2 for p in patterns):
                    return False
                if "hinge" in patterns and any(self.bent_over(ex) for ex in lifts):
                    return False  # lower_back
                load = sum(self.by_id[e].fatigue * n for e, n in session.items())
                if load > self.session_fatigue:
                    return False
                fatigue += load
                try:  # the warm-up a session needs, and its time
                    if self.seconds(session, peak) > 60 * c.schedule.minutes:
                        return False
                except GreedyFailed:
                    return False
            if fatigue > self.week_fatigue:
                return False
            if any(
                self.eccentric(week[s]) and self.eccentric(week[s + 1]) for s in self.slots[:-1]
            ):
                return False  # eccentric_spacing
            leads = [e for session in week for e in session if self.by_id[e].tier == "main"]
            if any(leads.count(e) > 2 for e in leads):
                return False  # a main lift in at most two sessions a week
            if any(leads.count(e) > 1 for e in leads if self.by_id[e].fatigue == MAX_FATIGUE):
                return False  # heaviest_lift_once_a_week
            quarters = self.quarters(week)
            if any(quarters.get(m, 0) > 4 * mrv for m, (_, _, mrv) in self.landmarks.items()):
                return False
        last = self.slots[-1]
        return not any(
            self.eccentric(templates[a % len(templates)][last])
            and self.eccentric(templates[b % len(templates)][0])
            for a, b in self.week_pairs
        )

    def eccentric(self, session: dict[str, int]) -> bool:
        """Nordic curls or glute-ham raises: never in back-to-back sessions."""
        return any(self.by_id[e].high_fatigue_eccentric for e in session)

    def shortfall(self, templates: list[Template]) -> int:
        """How far the templates are from every weekly floor (0 when all are met)."""
        return sum(self.missing(templates).values())

    def missing(self, templates: list[Template]) -> dict[str, int]:
        """Each weekly floor the templates miss, with how far."""
        c, inst = self.c, self.inst
        size_lo, sets_lo = c.volume.exercises_per_session[0], c.volume.session_sets[0]
        miss: dict[str, int] = {}

        def add(floor: str, amount: int) -> None:
            if amount > 0:
                miss[floor] = miss.get(floor, 0) + amount

        for week in templates:
            lifts = [[self.by_id[e] for e in session] for session in week]
            for session, chosen in zip(week, lifts, strict=True):
                add("session_size", max(0, size_lo - len(chosen)) * 4)
                add("session_volume", max(0, sets_lo - sum(session.values())))
                if self.has_main and not any(ex.tier == "main" for ex in chosen):
                    add("main_lift_every_session", 40)
            quarters = self.quarters(week)
            for muscle, (mev, _, _) in self.landmarks.items():
                add(f"weekly_volume:{muscle}", 4 * mev - quarters.get(muscle, 0))
            flat = [(self.by_id[e], n) for session in week for e, n in session.items()]
            hip = sum(n for ex, n in flat if ex.dominance == "hip")
            knee = sum(n for ex, n in flat if ex.dominance == "knee")
            lo, hi = c.balance.hip_knee_ratio
            if c.balance.require_both:
                add("hip_knee_balance", 4 * ((hip == 0) + (knee == 0)))
            if hip and knee:
                add(
                    "hip_knee_balance",
                    max(int(lo * knee - hip + 0.999), int(hip - hi * knee + 0.999)),
                )
            for action in c.balance.weekly_actions:
                add(
                    f"weekly_action:{action}", 4 * (not any(action in ex.actions for ex, _ in flat))
                )
            for group, need in c.volume.frequency.items():
                hits = sum(any(inst.trains(ex, group) for ex in chosen) for chosen in lifts)
                add(f"muscle_frequency:{group}", 4 * (need - hits))
            for group, members in inst.cornerstones.items():
                ids = {ex.id for ex in members}
                hits = sum(any(ex.id in ids for ex in chosen) for chosen in lifts)
                add(f"cornerstone:{group}", 40 * max(0, self.cornerstone_times[group] - hits))
            for eid in c.exercises.require:
                add(f"require:{eid}", 40 * (not any(ex.id == eid for ex, _ in flat)))
        return miss

    def value(self, templates: list[Template]) -> int:
        """The objective of the block these templates make (README: The objective)."""
        c, obj = self.c, self.c.objective
        total = 0
        for t, week in enumerate(templates):
            quarters: dict[str, int] = {}
            fatigue = 0
            for session in week:
                for eid, sets in session.items():
                    ex = self.by_id[eid]
                    fatigue += ex.fatigue * sets
                    for muscle, share in ex.muscles.items():
                        units = round(4 * share) * sets * self.inst.stimulus(ex)
                        quarters[muscle] = quarters.get(muscle, 0) + units
            gained = 0
            for muscle, (mev, mav, _) in self.landmarks.items():
                weight = obj.muscle_weights.get(muscle, 0)
                low = min(quarters.get(muscle, 0), 4 * STIMULUS_FULL * mev)
                high = min(quarters.get(muscle, 0) - low, 4 * STIMULUS_FULL * (mav - mev))
                gained += weight * (2 * low + high)
            for w in self.inst.loading_weeks(t):
                seconds = sum(self.seconds(session, w) for session in week)
                total += gained - obj.fatigue_cost * fatigue - obj.time_cost * seconds
            liked = set(c.exercises.favourites)
            used = {e for session in week for e in session} & liked
            mesos = sum(k % 2 == t for k in range(len(self.inst.mesocycles)))
            total += obj.favourite_bonus * len(used) * mesos
        return total

    # --- the search ----------------------------------------------------------------------
    def moves(self) -> Iterator[Template]:
        tiers = self.c.volume.sets
        for s in self.slots:
            session = self.template[s]
            for ex in self.candidates:
                lo, hi = tiers[ex.tier or "isolation"]
                if ex.id not in session:
                    yield [*self.template[:s], {**session, ex.id: lo}, *self.template[s + 1 :]]
                elif session[ex.id] < hi:
                    more = {**session, ex.id: session[ex.id] + 1}
                    yield [*self.template[:s], more, *self.template[s + 1 :]]

    def main_lifts(self) -> None:
        """A coach's first move: each session around its own main lift. The cornerstones asked for
        twice a week lead first, those with no lighter (accessory) variant in both templates before
        the others, which can come later as accessories; then a different movement in each session
        while there are enough of them."""
        tiers = self.c.volume.sets
        used: dict[str, int] = {}
        need = {
            group: times
            for group, times in self.cornerstone_times.items()
            if any(ex.tier == "main" for ex in self.inst.cornerstones[group])
        }

        def lighter(group: str) -> bool:
            """An accessory of the group that stays in it in both templates."""
            members = self.inst.cornerstones[group]
            return any(ex.tier != "main" and self.inst.partner[ex.id] in members for ex in members)

        only_main = {g for g in need if not lighter(g)}

        def wanted(ex: Exercise) -> int:
            groups = [g for g in need if need[g] and ex in self.inst.cornerstones[g]]
            return 0 if set(groups) & only_main else 1 if groups else 2

        for s in self.slots:
            mains = [ex for ex in self.inst.main if ex.tier == "main"]
            mains.sort(
                key=lambda ex: (
                    wanted(ex),
                    used.get(ex.pattern, 0),
                    -self.per_minute(ex),
                    ex.id,
                )
            )
            for ex in mains:
                trial = [dict(session) for session in self.template]
                trial[s][ex.id] = tiers["main"][0]
                both = self.both(trial)
                if both is not None and self.within_caps(both):
                    self.template = trial
                    used[ex.pattern] = used.get(ex.pattern, 0) + 1
                    for group in need:
                        if ex in self.inst.cornerstones[group]:
                            need[group] = max(0, need[group] - 1)
                    break

    def solve(self) -> None:
        """Fill the preferred layout (three sessions a week unless the rules fix the count), first
        closing the floors with the moves worth most, then, when that gets stuck, with the leanest
        moves (room left under every ceiling); then with two sessions a week the same way."""
        failure: GreedyFailed | None = None
        for days in self.layouts:
            for lean in (False, True):
                self.use_layout(days)
                try:
                    self.fill(lean)
                    return
                except GreedyFailed as exc:
                    failure = failure or exc
        assert failure is not None
        raise failure

    def pressure(self, templates: list[Template]) -> float:
        """How close the templates come to the muscles' recoverable volume (MRV): the squares of
        the shares used, so that the muscle nearest its MRV counts most."""
        return sum(
            (quarters.get(m, 0) / (4 * mrv)) ** 2
            for quarters in map(self.quarters, templates)
            for m, (_, _, mrv) in self.landmarks.items()
            if mrv
        )

    def progress(self, templates: list[Template], lean: bool) -> tuple[int, ...]:
        """What is still missing: all floors together, or (for the lean fill) what is trained
        before how much."""
        miss = self.missing(templates)
        total = sum(miss.values())
        if not lean:
            return (total,)
        volume = sum(n for f, n in miss.items() if f.split(":")[0] in VOLUME_FLOORS)
        return (total - volume, volume)

    def fill(self, lean: bool) -> None:
        self.main_lifts()
        current = self.both(self.template)
        assert current is not None
        short = self.progress(current, lean)
        while any(short):
            best: tuple[tuple[float, ...], tuple[int, ...], Template] | None = None
            for move in self.moves():
                both = self.both(move)
                if both is None or not self.within_caps(both):
                    continue
                after = self.progress(both, lean)
                if after >= short:
                    continue
                if lean:
                    key = (after[0], self.pressure(both), after[1], -self.value(both))
                else:
                    key = (*after, -self.value(both))
                if best is None or key < best[0]:
                    best = (key, after, move)
            if best is None and len(self.candidates) < len(self.inst.main):
                self.candidates = sorted(self.inst.main, key=coach_order)  # any variant will do
                continue
            if best is None:
                missed = ", ".join(sorted(self.missing(current)))
                raise GreedyFailed(f"no move left that keeps every cap and meets {missed}")
            _, short, self.template = best
            current = self.both(self.template) or current
        current = self.both(self.template)
        assert current is not None
        score = self.value(current)
        while True:
            found: tuple[int, Template] | None = None
            for move in self.moves():
                both = self.both(move)
                if both is None or self.shortfall(both) or not self.within_caps(both):
                    continue
                gain = self.value(both)
                if gain > score and (found is None or gain > found[0]):
                    found = (gain, move)
            if found is None:
                return
            score, self.template = found

    # --- the Choice protocol -----------------------------------------------------------------
    def week(self, k: int) -> Template:
        both = self.both(self.template)
        assert both is not None
        return both[k % 2]

    def exercises(self, k: int, s: int) -> list[tuple[Exercise, int]]:
        return [(self.by_id[e], n) for e, n in self.week(k)[s].items()]

    def warmup_of(self, k: int, s: int) -> list[Exercise]:
        return self.warmup(self.week(k)[s])


class GreedyChoice:
    """The greedy plan read per mesocycle (a ``planner.Choice``)."""

    def __init__(self, greedy: Greedy) -> None:
        self.greedy = greedy

    def exercises(self, k: int, s: int) -> list[tuple[Exercise, int]]:
        return self.greedy.exercises(k, s)

    def warmup(self, k: int, s: int) -> list[Exercise]:
        return self.greedy.warmup_of(k, s)

    def cooldown(self, k: int, s: int) -> list[Exercise]:
        return self.greedy.stretches if self.greedy.week(k)[s] else []
