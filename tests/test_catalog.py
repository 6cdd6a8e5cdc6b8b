"""The built-in catalog: valid as a whole, complete against the source articles."""

from __future__ import annotations

import tomllib

import pytest

from planner.catalog import ACTIONS, MUSCLES, builtin_catalog, catalog_dir

SEEDS = catalog_dir().parent.parent / "shared" / "seeds"

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


def test_whole_catalog_validates_with_at_least_60_entries() -> None:
    catalog = builtin_catalog()
    assert len(catalog.exercises) >= 60
    blocks = {ex.block for ex in catalog.exercises}
    assert blocks == {"main", "warmup", "cooldown"}


@pytest.mark.parametrize("fragment", NAMED_IN_ARTICLES)
def test_every_exercise_named_in_the_articles_is_there(fragment: str) -> None:
    assert any(fragment in ex.id for ex in builtin_catalog().exercises), fragment


def test_entries_cite_existing_articles_and_use_the_vocabulary() -> None:
    articles = {p.name for p in SEEDS.glob("*.txt")} if SEEDS.is_dir() else None
    for ex in builtin_catalog().exercises:
        assert set(ex.actions) <= set(ACTIONS)
        assert set(ex.muscles) <= set(MUSCLES)
        if articles is not None:
            assert set(ex.sources) <= articles, ex.id


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


def test_a_bad_entry_is_rejected_with_a_precise_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from planner.catalog import read_catalog

    raw = tomllib.loads((catalog_dir() / "exercises.toml").read_text())
    entry = dict(raw["exercise"][0])
    entry["dominance"] = "knee"  # a hinge cannot be knee-dominant hamstring work
    bad = tmp_path / "bad.toml"
    lines = [f"{k} = {_toml(v)}" for k, v in entry.items()]
    bad.write_text("[[exercise]]\n" + "\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="knee-dominant work must list knee_flexion"):
        read_catalog(bad)


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
