"""Import an external exercise library (the free-exercise-db ``exercises.json`` format) as a catalog
in the format of catalog/exercises.toml.

The library has muscles, equipment, level, mechanic and category, but no movement pattern,
dominance or joint actions: those are inferred from the name, and every entry whose pattern,
equipment or muscles cannot be mapped is skipped with its reason (never guessed silently).

Mapping into this project's vocabulary (planner/catalog.py, catalog/equipment.toml):

* muscles: hamstrings, glutes -> gluteus_maximus, calves -> gastrocnemius (soleus secondary; the
  reverse for seated calf work), lower back -> erector_spinae, lats -> latissimus_dorsi,
  middle back -> rhomboids, traps -> trapezius, abductors -> gluteus_medius, quadriceps; shoulders
  -> posterior_deltoid only for rear-delt work. Primary muscles count 1.0, secondary 0.5. Others
  (chest, arms, abdominals, ...) are not in the vocabulary and are left out, counted in the report.
* an entry that trains no posterior-chain muscle is skipped.
* level: expert -> advanced. category: strength, powerlifting and strongman -> main block;
  stretching -> cool-down (a 30 s hold, one set); cardio, plyometrics and olympic weightlifting are
  skipped (not programmed as 3-5 sets of 8-15 reps).
* equipment: by the library's field, refined by the name (bench, box, rack, pull-up bar, machines).
* fatigue (1-5): compound 3 / isolation 2, +1 barbell, +1 powerlifting or strongman, +1 expert,
  -1 bodyweight. seconds_per_rep: 4 compound, 3 isolation.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.catalog import MUSCLES as OUR_MUSCLES
from planner.catalog import Catalog, Exercise, builtin_catalog
from planner.toml_text import toml_value

POSTERIOR = set(OUR_MUSCLES) - {"quadriceps"}
MUSCLES = {
    "hamstrings": "hamstrings",
    "glutes": "gluteus_maximus",
    "calves": "gastrocnemius",
    "lower back": "erector_spinae",
    "lats": "latissimus_dorsi",
    "middle back": "rhomboids",
    "traps": "trapezius",
    "abductors": "gluteus_medius",
    "quadriceps": "quadriceps",
}
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
BLOCKS = {"strength": "main", "powerlifting": "main", "strongman": "main", "stretching": "cooldown"}
EQUIPMENT = {
    "barbell": ("barbell",),
    "dumbbell": ("dumbbell",),
    "kettlebells": ("kettlebell",),
    "bands": ("band",),
    "cable": ("cable",),
    "exercise ball": ("stability_ball",),
    "body only": (),
}
# Machines and "other" kit, recognised by name; the first match wins.
NAMED_KIT = (
    (r"seated calf", "seated_calf_machine"),
    (r"calf", "calf_raise_machine"),
    (r"(leg|hamstring) curl", "leg_curl_machine"),
    (r"pulldown|pull-down", "lat_pulldown_machine"),
    (r"hyperextension|back extension", "hyperextension_bench"),
    (r"glute[- ]ham", "glute_ham_developer"),
)
# Movement pattern by name, the first match wins (lunges before squats: "split squat").
PATTERNS = (
    (
        r"nordic|glute[- ]ham raise|leg curl|hamstring curl|\bcurl\b.*\b(ball|leg)\b|ball leg curl",
        "knee_curl",
    ),
    (r"reverse hyper|hyperextension|back extension|superman", "back_extension"),
    (r"deadlift|good ?morning|stiff[- ]leg|romanian|pull[- ]?through|\bswing\b|rack pull", "hinge"),
    (r"hip thrust|bridge|hip lift|butt lift|hip extension", "bridge"),
    (r"lunge|split squat", "lunge"),
    (r"step[- ]?up", "step_up"),
    (r"squat|leg press", "squat"),
    (r"calf|calves|heel raise", "calf_raise"),
    (r"pulldown|pull-down|pull[- ]?up|chin[- ]?up|pullover", "vertical_pull"),
    (r"\brows?\b|rowing", "horizontal_pull"),
    (r"shrug", "shrug"),
    (r"rear delt|reverse fl[yi]|face pull|rear lateral", "rear_delt"),
    (
        r"abduct|clam|side[- ]lying leg|monster walk|band walk|lateral walk|fire hydrant",
        "abduction",
    ),
    (r"kickback|kick[- ]back|donkey kick|glute kick", "kickback"),
)
ACTIONS: dict[str, tuple[str, ...]] = {
    "hinge": ("hip_extension",),
    "bridge": ("hip_extension",),
    "knee_curl": ("knee_flexion",),
    "squat": ("hip_extension",),
    "lunge": ("hip_extension",),
    "step_up": ("hip_extension",),
    "calf_raise": ("ankle_plantarflexion",),
    "back_extension": ("spinal_extension", "hip_extension"),
    "vertical_pull": ("shoulder_extension",),
    "horizontal_pull": ("scapular_retraction", "shoulder_extension"),
    "shrug": ("scapular_elevation",),
    "rear_delt": ("scapular_retraction",),
    "abduction": ("hip_abduction",),
    "kickback": ("hip_extension",),
}
UNILATERAL = re.compile(
    r"single[- ]leg|one[- ]leg|single[- ]arm|one[- ]arm|unilateral|lunge|"
    r"split squat|step[- ]?up|side[- ]lying|kickback|alternat"
)
ECCENTRIC = re.compile(r"nordic|glute[- ]ham raise")
SOURCE = "free-exercise-db/exercises.json"


class LibraryError(ValueError):
    """The file is not an exercise library in the free-exercise-db format."""


class Skip(Exception):
    """An entry that cannot be mapped; the message says why."""


@dataclass
class Imported:
    """The catalog text, what was imported, and what could not be mapped (with reasons)."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unmapped: dict[str, Counter[str]] = field(default_factory=dict)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    total: int = 0
    toml: str = ""

    def missed(self, what: str, value: str) -> None:
        self.unmapped.setdefault(what, Counter())[value] += 1

    def summary(self) -> list[str]:
        reasons = Counter(reason.split(":")[0] for _, reason in self.skipped)
        lines = [
            f"imported {len(self.entries)} of {self.total} exercises; skipped {len(self.skipped)}:"
        ]
        lines += [f"  {n:4d}  {reason}" for reason, n in reasons.most_common()]
        for what, values in sorted(self.unmapped.items()):
            listed = ", ".join(f"{v} ({n})" for v, n in values.most_common())
            lines.append(f"not mapped ({what}): {listed}")
        if self.renamed:
            lines.append(
                f"renamed {len(self.renamed)} ids already in the built-in catalog (suffix -fedb)"
            )
        return lines

    def report(self) -> str:
        out = [*self.summary(), "", "skipped entries:"]
        out += [f"  {eid}: {reason}" for eid, reason in self.skipped]
        if self.renamed:
            out += ["", "renamed ids:"] + [f"  {a} -> {b}" for a, b in self.renamed]
        return "\n".join(out) + "\n"


def kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _muscles(entry: dict[str, Any], name: str, rear_delt: bool, out: Imported) -> dict[str, float]:
    shares: dict[str, float] = {}
    for share, key in ((1.0, "primaryMuscles"), (0.5, "secondaryMuscles")):
        for raw in entry.get(key) or []:
            muscle = MUSCLES.get(raw)
            if raw == "shoulders" and rear_delt:
                muscle = "posterior_deltoid"
            if muscle is None:
                out.missed("muscle", raw)
                continue
            shares[muscle] = max(shares.get(muscle, 0.0), share)
            if muscle == "gastrocnemius":  # the soleus works in every calf raise, most when seated
                seated = "seated" in name
                shares["soleus"] = max(shares.get("soleus", 0.0), share if seated else share / 2)
                if seated:
                    shares["gastrocnemius"] = share / 2
    return {m: s for m, s in shares.items() if s >= 0.25}


def _equipment(raw: str | None, name: str, out: Imported) -> tuple[str, ...]:
    kit: set[str] = set()
    if raw in ("machine", "other"):
        found = next((item for pattern, item in NAMED_KIT if re.search(pattern, name)), None)
        if found is None:
            out.missed("equipment", raw)
            raise Skip(f"equipment: {raw!r} with no machine this catalog knows in the name")
        kit.add(found)
    elif raw is None:
        kit.update(())  # the library gives none: treated as bodyweight (noted in the report)
        out.missed("equipment", "(none given: taken as bodyweight)")
    elif raw in EQUIPMENT:
        kit.update(EQUIPMENT[raw])
    else:
        out.missed("equipment", raw)
        raise Skip(f"equipment: {raw!r} is not in catalog/equipment.toml")
    if re.search(r"\bbench\b", name) and "bench press" not in name:
        kit.add("bench")
    if re.search(r"\bbox\b", name):
        kit.add("box")
    if re.search(r"pull[- ]?up|chin[- ]?up", name):
        kit.add("pull_up_bar")
    if "barbell" in kit and re.search(r"squat|good ?morning|lunge|step[- ]?up|calf", name):
        kit.add("squat_rack")
    return tuple(sorted(kit))


def convert(entry: dict[str, Any], out: Imported) -> dict[str, Any]:
    """One library entry as a catalog entry; raises ``Skip`` with the reason when it cannot."""
    name = str(entry.get("name") or "").lower()
    category = entry.get("category")
    block = BLOCKS.get(str(category))
    if block is None:
        raise Skip(f"category: {category!r} is not programmed as 3-5 sets of 8-15 reps")
    pattern = (
        "stretch"
        if block == "cooldown"
        else next((p for regex, p in PATTERNS if re.search(regex, name)), None)
    )
    muscles = _muscles(entry, name, pattern == "rear_delt", out)
    if not set(muscles) & POSTERIOR:
        primary = ", ".join(entry.get("primaryMuscles") or []) or "none"
        raise Skip(f"trains no posterior-chain muscle: primary {primary}")
    if pattern is None:
        raise Skip("pattern: no movement pattern of this catalog recognised in the name")
    level = LEVELS.get(str(entry.get("level")))
    if level is None:
        out.missed("level", str(entry.get("level")))
        raise Skip(f"level: {entry.get('level')!r} unknown")
    kit = _equipment(entry.get("equipment"), name, out)
    result: dict[str, Any] = {
        "id": kebab(str(entry["id"])),
        "name": str(entry["name"]),
        "block": block,
        "equipment": list(kit),
        "pattern": pattern,
    }
    compound = entry.get("mechanic") == "compound"
    if block == "main":
        if 1.0 not in muscles.values():
            raise Skip("muscles: no primary muscle in this catalog's vocabulary")
        actions = ACTIONS[pattern]
        dominance = None
        if muscles.get("hamstrings") == 1.0:
            if "knee_flexion" in actions:
                dominance = "knee"
            elif "hip_extension" in actions:
                dominance = "hip"
            else:
                muscles["hamstrings"] = 0.5  # hamstrings work without a hip or knee action
        if dominance:
            result["dominance"] = dominance
        fatigue = (
            (3 if compound else 2)
            + ("barbell" in kit)
            + (category != "strength")
            + (entry.get("level") == "expert")
            - (not kit)
        )
        result |= {
            "actions": list(actions),
            "muscles": muscles,
            "level": level,
            "unilateral": bool(UNILATERAL.search(name)),
            "fatigue": max(1, min(5, fatigue)),
            "high_fatigue_eccentric": bool(ECCENTRIC.search(name)),
            "seconds_per_rep": 4 if compound else 3,
        }
    else:
        result |= {
            "actions": [],
            "muscles": muscles,
            "level": level,
            "unilateral": bool(UNILATERAL.search(name)) or "side" in name,
            "fatigue": 0,
            "hold_seconds": 30,
            "default_sets": 1,
        }
    result["sources"] = [f"{SOURCE}#{entry['id']}"]
    try:
        Exercise.model_validate(result)
    except ValidationError as exc:
        raise Skip(f"invalid: {exc.errors(include_url=False)[0]['msg']}") from None
    return result


def to_toml(entries: list[dict[str, Any]], source: Path) -> str:
    head = [
        f"# Exercise catalog imported from {source.name} (free-exercise-db, public domain) by",
        "# `planner catalog import`. Same format as catalog/exercises.toml; use it with",
        '# `catalog = "this-file.toml"` in a constraint file. Patterns, dominance, actions,',
        "# fatigue and timing are inferred (see planner/catalog_import.py): review them.",
    ]
    out = ["\n".join(head)]
    for entry in entries:
        lines = ["[[exercise]]"] + [f"{k} = {toml_value(v)}" for k, v in entry.items()]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def import_library(source: Path) -> Imported:
    """Read a free-exercise-db ``exercises.json`` and map what fits into a catalog."""
    try:
        data = json.loads(source.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LibraryError(f"cannot read: {exc}") from None
    if not isinstance(data, list) or not all(
        isinstance(e, dict) and "id" in e and "name" in e for e in data
    ):
        raise LibraryError("expected a JSON array of exercises with id and name")
    out = Imported(total=len(data))
    taken = set(builtin_catalog().by_id())
    for entry in data:
        try:
            converted = convert(entry, out)
        except Skip as why:
            out.skipped.append((str(entry["id"]), str(why)))
            continue
        if converted["id"] in taken:
            new = f"{converted['id']}-fedb"
            out.renamed.append((converted["id"], new))
            converted["id"] = new
        if converted["id"] in taken:
            out.skipped.append((str(entry["id"]), f"duplicate id {converted['id']}"))
            continue
        taken.add(converted["id"])
        out.entries.append(converted)
    out.toml = to_toml(out.entries, source)
    base = builtin_catalog()
    Catalog(
        equipment=base.equipment,
        profiles=base.profiles,
        exercises=tomllib.loads(out.toml)["exercise"] if out.entries else [],
    )
    return out
