"""The built-in catalog: valid as a whole, complete against the source articles, coach-grade
(families, tiers, loads, stimulus, tempo, warm-ups and stretches), and strict with bad entries."""

from __future__ import annotations

import hashlib
import os
import sys
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from planner.catalog import (
    ACTIONS,
    LOW_CEILING_REPS,
    MUSCLES,
    TIER_REPS,
    Catalog,
    Exercise,
    builtin_catalog,
    builtin_sources,
    builtin_toml,
    catalog_dir,
    keep,
    read_catalog,
    read_kept,
)
from planner.instance import top_of_ladder

NAMED_IN_ARTICLES = [
    "romanian-deadlift",
    "good-morning",
    "kettlebell-swing",
    "glute-ham-raise",
    "leg-curl",
    "nordic",
    "stability-ball",
    "hip-thrust",
    "glute-bridge",
    "back-squat",
    "lunge",
    "step-up",
    "calf-raise",
    "stiff-leg",
    "pull-through",
    "kickback",
    "side-step",
    "clamshell",
    "monster-walk",
    "side-lying",
    "hyperextension",
    "deadlift",
    "pull-up",
    "lat-pulldown",
    "row",
    "shrug",
    "reverse-fly",
    "bird-dog",
    "lateral-walk",
    "hip-hinge",
    "leg-swing",
    "figure-four",
    "pigeon",
    "hamstring-stretch",
    "downward",
]
# Article 001's sample session, one set of acceptable ids per line of it.
SAMPLE_SESSION = [
    {"romanian-deadlift-barbell", "romanian-deadlift-dumbbell"},
    {"hip-thrust-barbell"},
    {"walking-lunge-bodyweight", "walking-lunge-dumbbell", "walking-lunge-barbell"},
    {"hamstring-curl-stability-ball", "leg-curl-lying-machine", "leg-curl-seated-machine"},
    {"kickback-band", "pull-through-cable"},
    {"glute-bridge-hold"},
]
SAMPLE_WARMUP = ["banded-glute-bridge", "bird-dog", "banded-lateral-walk", "hip-hinge-drill"]
KNEE_FLEXION = {"leg_curl", "supine_leg_curl", "nordic", "glute_ham_raise"}
ISOLATION = {
    "standing_calf_raise",
    "seated_calf_raise",
    "abduction",
    "kickback",
    "rear_delt",
    "shrug",
}


def main_block() -> list[Exercise]:
    return [ex for ex in builtin_catalog().exercises if ex.block == "main"]


def test_whole_catalog_validates_with_at_least_60_entries() -> None:
    catalog = builtin_catalog()
    assert len(catalog.exercises) >= 60
    blocks = {ex.block for ex in catalog.exercises}
    assert blocks == {"main", "warmup", "cooldown"}


@pytest.mark.parametrize("fragment", NAMED_IN_ARTICLES)
def test_every_exercise_named_in_the_articles_is_there(fragment: str) -> None:
    assert any(fragment in ex.id for ex in builtin_catalog().exercises), fragment


def test_the_sample_session_of_article_001_can_be_built() -> None:
    ids = set(builtin_catalog().by_id())
    for line in [*SAMPLE_SESSION, *({i} for i in SAMPLE_WARMUP)]:
        assert line & ids, line


def test_entries_cite_titled_sources_and_use_the_vocabulary() -> None:
    sources = builtin_sources()
    assert {"000", "001", "002", "003"} <= set(sources)
    assert "ISSA" in sources["002"].publisher
    assert "Healthline" in sources["003"].publisher
    for key, source in sources.items():
        assert source.title and source.publisher, key
    for ex in builtin_catalog().exercises:
        assert set(ex.actions) <= set(ACTIONS)
        assert set(ex.muscles) <= set(MUSCLES)
        assert set(ex.sources) <= set(sources), ex.id


def test_sources_list_names_every_key() -> None:
    listing = (catalog_dir() / "SOURCES.md").read_text("utf-8")
    for key, source in builtin_sources().items():
        assert f"`{key}`" in listing and source.title.split(" (")[0] in listing, key


def test_calf_raises_standing_and_seated() -> None:
    families = {ex.family for ex in main_block() if ex.pattern == "calf_raise"}
    assert families == {"standing_calf_raise", "seated_calf_raise"}


def test_home_kit_has_loaded_curls_and_hinges() -> None:
    home = set(builtin_catalog().resolve_equipment("home"))
    at_home = [ex for ex in main_block() if set(ex.equipment) <= home and ex.weighted]
    assert any(ex.family in KNEE_FLEXION for ex in at_home)
    assert any(ex.pattern == "hinge" and ex.tier == "main" for ex in at_home)


def test_tiers_follow_the_load_and_the_movement() -> None:
    for ex in main_block():
        if ex.tier == "main":
            assert ex.weighted and not ex.unilateral, ex.id
        if ex.family in KNEE_FLEXION:
            assert ex.tier == "accessory", ex.id
        assert (ex.tier == "isolation") == (ex.family in ISOLATION), ex.id


def test_increments_match_the_kit() -> None:
    allowed = {
        "barbell": {2.5, 5.0},
        "dumbbell": {2.0},
        "kettlebell": {4.0},
        "machine": {2.5, 5.0},
        "cable": {2.5, 5.0},
        "band": {None},
        "bodyweight": {None},
    }
    for ex in main_block():
        assert ex.load is not None and ex.increment_kg in allowed[ex.load], ex.id


def test_a_loaded_variant_beats_its_stand_ins_for_trained_lifters() -> None:
    by_family: dict[str, list[Exercise]] = defaultdict(list)
    for ex in main_block():
        by_family[str(ex.family)].append(ex)
    compared = 0
    for family, entries in by_family.items():
        loaded = [ex for ex in entries if ex.weighted]
        stand_ins = [ex for ex in entries if not ex.weighted]
        for level in ("intermediate", "advanced"):
            for heavy in loaded:
                for light in stand_ins:
                    assert heavy.stimulus and light.stimulus
                    assert heavy.stimulus[level] > light.stimulus[level], (
                        family,
                        heavy.id,
                        light.id,
                    )
                    compared += 1
    assert compared > 50


def test_a_gym_gives_an_advanced_lifter_loaded_work_first() -> None:
    gym = set(builtin_catalog().resolve_equipment("gym"))
    for pattern in ("hinge", "bridge", "knee_curl", "vertical_pull"):
        options = [ex for ex in main_block() if ex.pattern == pattern and set(ex.equipment) <= gym]
        best = max(options, key=lambda ex: ex.stimulus["advanced"] if ex.stimulus else 0)
        assert best.weighted or best.family in ("nordic", "glute_ham_raise"), pattern


def test_beginners_in_a_gym_get_loaded_anchors_and_the_hard_lifts_wait() -> None:
    by_id = builtin_catalog().by_id()
    for eid in (
        "romanian-deadlift-dumbbell",
        "hip-thrust-dumbbell",
        "hip-thrust-barbell",
        "goblet-squat-dumbbell",
        "leg-curl-seated-machine",
        "leg-curl-standing-cable",
        "step-up-dumbbell-box",
        "walking-lunge-dumbbell",
        "standing-calf-raise-machine",
        "pull-through-cable",
        "hyperextension-loaded",
    ):
        assert by_id[eid].level == "beginner", eid
    for eid in (
        "romanian-deadlift-barbell",
        "deadlift-conventional-barbell",
        "good-morning-barbell",
        "back-squat-barbell",
        "nordic-hamstring-curl",
        "glute-ham-raise",
    ):
        assert by_id[eid].level != "beginner", eid
    beginner_main = {
        ex.pattern for ex in main_block() if ex.tier == "main" and ex.level == "beginner"
    }
    assert {"hinge", "bridge", "squat"} <= beginner_main


def test_tempo_follows_the_articles() -> None:
    for ex in main_block():
        if ex.family in ("romanian_deadlift", "leg_curl"):
            assert ex.tempo == "3-0-1-0", ex.id
        if ex.family == "nordic":
            assert ex.tempo == "4-0-1-0", ex.id
        if ex.family == "hip_thrust_bridge":
            assert ex.tempo == "1-0-1-2", ex.id
        if ex.tempo:
            seconds = sum(int(d) for d in ex.tempo.split("-"))
            assert ex.seconds_per_rep == max(2, seconds), ex.id
        assert ex.lengthened is not None
    by_id = builtin_catalog().by_id()
    assert by_id["romanian-deadlift-barbell"].lengthened
    assert by_id["leg-curl-seated-machine"].lengthened
    assert not by_id["hip-thrust-barbell"].lengthened
    assert not by_id["leg-curl-lying-machine"].lengthened


def test_rep_ranges_fall_back_to_the_tier_except_where_the_movement_differs() -> None:
    by_id = builtin_catalog().by_id()
    assert by_id["nordic-hamstring-curl"].rep_range("general") == (4, 6)
    assert by_id["glute-ham-raise"].rep_range("strength") == (3, 5)
    assert by_id["kettlebell-swing"].rep_range("endurance") == (20, 24)
    assert by_id["pull-up"].rep_range("strength") == (3, 6)
    rdl = by_id["romanian-deadlift-barbell"]
    assert rdl.reps == {"endurance": (10, 12)}  # a hinge stays at 12 reps or fewer
    assert rdl.rep_range("strength") == TIER_REPS["main"]["strength"]
    calf = by_id["standing-calf-raise-machine"]
    assert calf.rep_range("endurance") == TIER_REPS["isolation"]["endurance"]
    with pytest.raises(ValueError, match="only main-block entries"):
        by_id["bird-dog"].rep_range("general")


def test_light_band_and_bodyweight_work_takes_enough_reps_to_reach_its_rir() -> None:
    by_id = builtin_catalog().by_id()
    # Two-legged and one leg at a time, for every goal.
    for goal in ("general", "strength", "hypertrophy", "endurance"):
        assert by_id["good-morning-bodyweight"].rep_range(goal) == LOW_CEILING_REPS[False][goal]
        assert by_id["row-band"].rep_range(goal) == LOW_CEILING_REPS[False][goal]
        assert by_id["single-leg-rdl-bodyweight"].rep_range(goal) == LOW_CEILING_REPS[True][goal]
    assert by_id["good-morning-bodyweight"].rep_range("general") == (16, 20)
    assert by_id["forward-lunge-bodyweight"].rep_range("general") == (10, 14)
    # Loadable work, and hard bodyweight work that overrides the default, keep fewer reps.
    assert by_id["good-morning-barbell"].rep_range("general") == TIER_REPS["main"]["general"]
    assert by_id["sliding-leg-curl"].rep_range("general") == (8, 12)
    assert by_id["pull-up-band-assisted"].rep_range("general") == (6, 10)
    assert by_id["nordic-hamstring-curl"].rep_range("general") == (4, 6)  # moderate ceiling


def test_every_rep_range_is_climbed_to_its_top_in_a_mesocycle() -> None:
    # Double progression adds load (or a harder variant) once every set reaches the top of the
    # range: a mesocycle of three loading weeks must get there at REP_STEP reps a week.
    ranges = [
        r
        for table in (TIER_REPS, LOW_CEILING_REPS)
        for by_goal in table.values()
        for r in by_goal.values()
    ]
    catalog = builtin_catalog()
    ranges += [
        ex.rep_range(goal)
        for ex in catalog.exercises
        if ex.block == "main"
        for goal in ("general", "strength", "hypertrophy", "endurance")
    ]
    assert {(lo, hi) for lo, hi in ranges if top_of_ladder(lo, hi, 3) != hi} == set()
    assert top_of_ladder(10, 15, 3) == 14  # what a range one rep wider would leave unreached


def test_bodyweight_drills_prepare_every_main_pattern() -> None:
    catalog = builtin_catalog()
    drills = [ex for ex in catalog.exercises if ex.block == "warmup"]
    prepared = {p for ex in drills if not ex.equipment for p in ex.prepares}
    anchors = {ex.pattern for ex in catalog.exercises if ex.tier == "main"}
    assert anchors == {"hinge", "bridge", "squat"}
    assert anchors <= prepared
    assert all(ex.default_sets == 2 for ex in drills)


def test_the_sample_warm_up_takes_five_to_ten_minutes() -> None:
    by_id = builtin_catalog().by_id()
    seconds = 0
    for eid in SAMPLE_WARMUP:
        ex = by_id[eid]
        per_set = ex.hold_seconds or (ex.default_reps or 0) * (ex.seconds_per_rep or 0)
        seconds += (ex.default_sets or 0) * per_set * ex.sides
    assert 300 <= seconds <= 600
    assert (by_id["banded-glute-bridge"].default_reps, by_id["bird-dog"].default_reps) == (15, 10)


def test_stretches_are_held_at_least_30_seconds_and_cover_the_glutes() -> None:
    stretches = [ex for ex in builtin_catalog().exercises if ex.block == "cooldown"]
    assert all(ex.hold_seconds and 30 <= ex.hold_seconds <= 60 for ex in stretches)
    ids = " ".join(ex.id for ex in stretches)
    assert "pigeon" in ids and "figure-four" in ids


def test_profiles_cover_the_rules_each_week_needs() -> None:
    catalog = builtin_catalog()
    home = set(catalog.resolve_equipment("home"))
    assert home == {"dumbbell", "kettlebell", "band", "bench", "stability_ball"}
    assert set(catalog.resolve_equipment("gym")) == set(catalog.equipment)
    assert catalog.resolve_equipment("bodyweight") == ()
    for profile in ("home", "gym", "bodyweight"):
        have = set(catalog.resolve_equipment(profile))
        main = [ex for ex in catalog.exercises if ex.block == "main" and set(ex.equipment) <= have]
        assert {ex.dominance for ex in main} >= {"hip", "knee"}, profile
        assert any("ankle_plantarflexion" in ex.actions for ex in main), profile


def test_unknown_equipment_lists_the_known_names() -> None:
    with pytest.raises(ValueError, match="known: bodyweight, gym, home"):
        builtin_catalog().resolve_equipment("home,rowing-machine")


# --- bad entries: one per rule ---------------------------------------------------------------


def raw_entry(eid: str) -> dict[str, Any]:
    raw = tomllib.loads((catalog_dir() / "exercises.toml").read_text("utf-8"))
    return dict(next(e for e in raw["exercise"] if e["id"] == eid))


def changed(eid: str, **changes: Any) -> dict[str, Any]:
    entry = raw_entry(eid)
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


BAD_ENTRIES = [
    ("dominance", changed("romanian-deadlift-barbell", dominance="knee"), "must list knee_flexion"),
    ("no family", changed("romanian-deadlift-barbell", family=None), "need family"),
    ("unknown family", changed("romanian-deadlift-barbell", family="hinge"), "romanian_deadlift"),
    (
        "family of another pattern",
        changed("romanian-deadlift-barbell", family="leg_curl"),
        "family leg_curl belongs to pattern knee_curl, not hinge",
    ),
    (
        "tier main without external load",
        changed("good-morning-band", tier="main"),
        "tier main is for bilateral lifts with an external load",
    ),
    (
        "tier main unilateral",
        changed("single-leg-rdl-dumbbell", tier="main"),
        "tier main is for bilateral lifts",
    ),
    (
        "ceiling",
        changed("romanian-deadlift-barbell", load_ceiling="low"),
        "load_ceiling of barbell work is high",
    ),
    (
        "load without its equipment",
        changed("romanian-deadlift-barbell", load="dumbbell", load_ceiling="moderate"),
        "dumbbell load: list 'dumbbell' in equipment",
    ),
    (
        "increment missing",
        changed("romanian-deadlift-barbell", increment_kg=None),
        "increment_kg: none for band and bodyweight work",
    ),
    (
        "increment on a band",
        changed("good-morning-band", increment_kg=2.5),
        "increment_kg: none for band and bodyweight work",
    ),
    (
        "stimulus missing a level",
        changed("romanian-deadlift-barbell", stimulus={"beginner": 8, "advanced": 10}),
        "stimulus: give beginner, intermediate and advanced",
    ),
    (
        "stimulus above 10",
        changed(
            "romanian-deadlift-barbell", stimulus={"beginner": 8, "intermediate": 11, "advanced": 9}
        ),
        "less than or equal to 10",
    ),
    ("tempo format", changed("romanian-deadlift-barbell", tempo="3-0-1"), "like 3-0-1-0"),
    (
        "tempo against seconds",
        changed("romanian-deadlift-barbell", tempo="4-0-1-0"),
        "tempo 4-0-1-0 takes seconds_per_rep = 5",
    ),
    (
        "reps reversed",
        changed("romanian-deadlift-barbell", reps={"general": [10, 8]}),
        "reps.general: \\[min, max\\]",
    ),
    (
        "reps repeating the tier",
        changed("romanian-deadlift-barbell", reps={"strength": [4, 6]}),
        "repeats the main tier's default",
    ),
    (
        "reps too wide to climb",
        changed("sliding-leg-curl", reps={"general": [8, 13]}),
        r"reps.general: \[8, 13\] is wider than 4 reps",
    ),
    (
        "reps repeating the light default",
        changed("good-morning-bodyweight", reps={"general": [16, 20]}),
        "repeats the low-ceiling band and bodyweight default",
    ),
    (
        "unknown goal",
        changed("romanian-deadlift-barbell", reps={"power": [1, 3]}),
        "'general', 'strength', 'hypertrophy' or 'endurance'",
    ),
    (
        "main field on a warm-up",
        changed("hip-hinge-drill", family="romanian_deadlift", tier="accessory"),
        "warmup entries do not take main-block fields: family, tier",
    ),
    (
        "warm-up without prepares",
        changed("hip-hinge-drill", prepares=None),
        "prepares: required for warm-up drills",
    ),
    (
        "prepares on a main entry",
        changed("romanian-deadlift-barbell", prepares=["hinge"]),
        "prepares: required for warm-up drills",
    ),
    (
        "short stretch",
        changed("pigeon-pose", hold_seconds=20),
        "held 30 to 60 seconds",
    ),
    (
        "assisted without a band",
        changed("pull-up", assisted=True),
        "assisted: only for band work",
    ),
    (
        "assisted warm-up drill",
        changed("hip-hinge-drill", assisted=True),
        "warmup entries are not assisted lifts",
    ),
]


@pytest.mark.parametrize(
    ("entry", "message"), [b[1:] for b in BAD_ENTRIES], ids=[b[0] for b in BAD_ENTRIES]
)
def test_a_bad_entry_is_rejected_with_a_precise_message(
    tmp_path: Path, entry: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Exercise.model_validate(entry)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[exercise]]\n" + "\n".join(f"{k} = {_toml(v)}" for k, v in entry.items()))
    with pytest.raises(ValueError, match=message):
        read_catalog(bad)


def test_an_unknown_source_is_rejected_and_a_file_may_add_its_own(tmp_path: Path) -> None:
    base = builtin_catalog()
    entry = changed("romanian-deadlift-barbell", sources=["000_acd3cb67cc6dba39.txt"])
    with pytest.raises(ValueError, match=r"unknown source 000_acd3cb67cc6dba39\.txt"):
        Catalog(equipment=base.equipment, profiles=base.profiles, exercises=[entry])
    own = tmp_path / "own.toml"
    entry = changed("romanian-deadlift-barbell", sources=["coach#week-3", "000"])
    lines = [f"{k} = {_toml(v)}" for k, v in entry.items()]
    own.write_text(
        '[sources.coach]\ntitle = "Coaching notes"\npublisher = "Our gym"\n\n'
        "[[exercise]]\n" + "\n".join(lines) + "\n"
    )
    catalog = read_catalog(own)
    assert set(catalog.sources) >= {"coach", "000"}
    bad = tmp_path / "bad.toml"
    bad.write_text(own.read_text().replace('publisher = "Our gym"\n', ""))
    with pytest.raises(ValueError, match="publisher"):
        read_catalog(bad)


BUILT_IN_FILES = ["exercises.toml", "equipment.toml", "sources.toml", "log_names.toml"]


@pytest.fixture
def kept_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The parsed built-in files kept in ``tmp_path``, written as when bytecode is."""
    monkeypatch.setattr("planner.catalog.parsed_dir", lambda: tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path


def toml_of(name: str) -> tuple[dict[str, Any], str]:
    raw = (catalog_dir() / name).read_bytes()
    return tomllib.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("name", BUILT_IN_FILES)
def test_a_built_in_file_kept_parsed_reads_as_its_toml(kept_in: Path, name: str) -> None:
    fresh, digest = toml_of(name)
    assert builtin_toml(name) == fresh  # parsed, and kept
    assert read_kept(kept_in / f"catalog-{name}.json", digest) == fresh
    assert builtin_toml(name) == fresh  # read back from the kept copy


def test_the_kept_copy_is_used_only_for_the_toml_it_came_from(kept_in: Path) -> None:
    fresh, digest = toml_of("equipment.toml")
    kept = kept_in / "catalog-equipment.toml.json"
    marked = {**fresh, "profiles": {**fresh["profiles"], "marker": ["band"]}}
    keep(kept, digest, marked)
    assert builtin_toml("equipment.toml") == marked  # it is read
    keep(kept, "0" * 64, marked)  # as after an edit of equipment.toml
    assert builtin_toml("equipment.toml") == fresh
    assert read_kept(kept, digest) == fresh  # written again
    text = kept.read_bytes()
    for broken in (text.replace(b"band", b"bend", 1), text[:-10], b"{not json", b""):
        kept.write_bytes(broken)  # an edit of the data, a truncated write, junk
        assert builtin_toml("equipment.toml") == fresh


def test_a_link_or_a_fifo_at_the_kept_name_is_replaced_not_followed(kept_in: Path) -> None:
    fresh, digest = toml_of("sources.toml")
    kept = kept_in / "catalog-sources.toml.json"
    victim = kept_in / "victim.txt"
    victim.write_text("mine", "utf-8")
    kept.symlink_to(victim)
    assert builtin_toml("sources.toml") == fresh
    assert victim.read_text("utf-8") == "mine" and not kept.is_symlink()
    kept.unlink()
    os.mkfifo(kept)  # opening it to read would wait for a writer
    assert builtin_toml("sources.toml") == fresh
    assert read_kept(kept, digest) == fresh


def test_no_copy_is_written_without_bytecode_or_where_it_cannot_be(
    kept_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert builtin_toml("sources.toml")["sources"]
    assert list(kept_in.iterdir()) == []
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr("planner.catalog.parsed_dir", lambda: kept_in / "missing" / "deeper")
    assert builtin_toml("sources.toml")["sources"]  # the folder cannot be made: parsed anyway
    assert list(kept_in.iterdir()) == []


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)
