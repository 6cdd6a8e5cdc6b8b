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
  -1 bodyweight. seconds_per_rep: 4 compound, 3 isolation, or the sum of the tempo.
* family: by name keywords within the pattern ("romanian", "seated calf", "nordic", ...), else the
  pattern's usual family (guessed). tier: isolation for calf, abduction, kickback, rear-delt and
  shrug work; main for a compound (``mechanic``) bilateral lift with an external load in an anchor
  family (RDL, deadlift, good morning, hip thrust and bridge, squat); accessory otherwise (guessed
  when the library gives no mechanic). load: from ``equipment`` (machines, benches, balls, the GHD
  and no equipment are bodyweight or machine loads; none given is guessed as bodyweight); the load
  ceiling, increment and stimulus follow from it as in the header of catalog/exercises.toml
  (stimulus is always a guess: the library has no measure of training value). lengthened and tempo
  come from name keywords (lengthened = false when none matches: guessed). The library has no
  warm-up category, so no entry gets ``prepares``.

Every written entry carries a ``# guessed: ...`` comment naming the fields set by a default rather
than by the library's data or a name keyword; the report lists them per entry and counts them per
field. Text from the library is written as valid TOML whatever it holds (emoji, control characters,
a list where a string belongs, null muscles); an entry whose fields cannot be read is skipped with
the reason.
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

from planner.catalog import (
    FAMILY_PATTERN,
    LOAD_CEILINGS,
    UNWEIGHTED,
    Catalog,
    Exercise,
    builtin_catalog,
)
from planner.catalog import LEVELS as LEVELS_ORDER
from planner.catalog import MUSCLES as OUR_MUSCLES
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
# Family by name keywords, within a pattern; the first match wins, else the pattern's usual family.
FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("hinge", r"romanian|\brdl\b|stiff[- ]leg", "romanian_deadlift"),
    ("hinge", r"good ?morning", "good_morning"),
    ("hinge", r"\bswing", "swing"),
    ("hinge", r"pull[- ]?through", "pull_through"),
    ("hinge", r"deadlift|rack pull", "deadlift"),
    ("knee_curl", r"nordic|natural glute[- ]ham", "nordic"),
    ("knee_curl", r"glute[- ]ham raise", "glute_ham_raise"),
    ("knee_curl", r"\bball\b|slid|towel", "supine_leg_curl"),
    ("knee_curl", r"leg curl|hamstring curl", "leg_curl"),
    ("calf_raise", r"seated", "seated_calf_raise"),
    ("calf_raise", r"calf|calves|heel raise", "standing_calf_raise"),
    ("back_extension", r"reverse hyper", "reverse_hyper"),
    ("back_extension", r"hyperextension|back extension|superman", "back_extension"),
)
# Patterns with several families: a family found by no keyword is a guess.
SEVERAL = {p for p in set(FAMILY_PATTERN.values()) if list(FAMILY_PATTERN.values()).count(p) > 1}
USUAL_FAMILY = {
    "hinge": "deadlift",
    "bridge": "hip_thrust_bridge",
    "knee_curl": "leg_curl",
    "squat": "squat",
    "lunge": "lunge",
    "step_up": "step_up",
    "calf_raise": "standing_calf_raise",
    "back_extension": "back_extension",
    "vertical_pull": "vertical_pull",
    "horizontal_pull": "row",
    "shrug": "shrug",
    "rear_delt": "rear_delt",
    "abduction": "abduction",
    "kickback": "kickback",
}
ANCHORS = {"romanian_deadlift", "deadlift", "good_morning", "hip_thrust_bridge", "squat"}
ISOLATION = {
    "standing_calf_raise",
    "seated_calf_raise",
    "abduction",
    "kickback",
    "rear_delt",
    "shrug",
}
LOADS = {
    "barbell": "barbell",
    "dumbbell": "dumbbell",
    "kettlebells": "kettlebell",
    "bands": "band",
    "cable": "cable",
    "exercise ball": "bodyweight",
    "body only": "bodyweight",
}
MACHINES = {"seated_calf_machine", "calf_raise_machine", "leg_curl_machine", "lat_pulldown_machine"}
INCREMENT_KG = {"barbell": 2.5, "dumbbell": 2.0, "kettlebell": 4.0, "machine": 5.0, "cable": 2.5}
STIMULUS = {
    "barbell": (8, 10, 10),
    "machine": (8, 10, 10),
    "dumbbell": (8, 8, 7),
    "kettlebell": (8, 8, 7),
    "cable": (8, 8, 8),
    "band": (6, 4, 2),
    "bodyweight": (6, 3, 1),
}
# Work that is hard at bodyweight: its stimulus, and a moderate load ceiling.
HARD_AT_BODYWEIGHT = {"nordic": (7, 9, 10), "glute_ham_raise": (8, 10, 10), "pull_up": (9, 9, 8)}
PULL_UP = re.compile(r"pull[- ]?up|chin[- ]?up")
LENGTHENED = re.compile(
    r"romanian|\brdl\b|stiff[- ]leg|good ?morning|deficit|split squat|nordic|glute[- ]ham|"
    r"seated leg curl|hyperextension|45"
)
TEMPO = {
    "romanian_deadlift": "3-0-1-0",
    "leg_curl": "3-0-1-0",
    "supine_leg_curl": "3-0-1-0",
    "nordic": "4-0-1-0",
    "hip_thrust_bridge": "1-0-1-2",
}
FEW_REPS = {"general": (4, 6), "strength": (3, 5), "hypertrophy": (4, 8), "endurance": (6, 10)}
REPS = {
    "nordic": FEW_REPS,
    "glute_ham_raise": FEW_REPS,
    "swing": {
        "general": (12, 15),
        "strength": (8, 10),
        "hypertrophy": (12, 15),
        "endurance": (20, 24),
    },
    "pull_up": {
        "general": (6, 10),
        "strength": (3, 6),
        "hypertrophy": (6, 10),
        "endurance": (10, 14),
    },
}
UNILATERAL = re.compile(
    r"single[- ]leg|one[- ]leg|single[- ]arm|one[- ]arm|unilateral|lunge|"
    r"split squat|step[- ]?up|side[- ]lying|kickback|alternat"
)
ECCENTRIC = re.compile(r"nordic|glute[- ]ham raise")
SOURCE = "free-exercise-db"  # the key of catalog/sources.toml


class LibraryError(ValueError):
    """The file is not an exercise library in the free-exercise-db format."""


class Skip(Exception):
    """An entry that cannot be mapped; the message says why."""


@dataclass
class Imported:
    """The catalog text, what was imported, and what could not be mapped (with reasons)."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    guessed: dict[str, list[str]] = field(default_factory=dict)
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
        guesses = Counter(name for names in self.guessed.values() for name in names)
        if guesses:
            counted = ", ".join(f"{name} ({n})" for name, n in guesses.most_common())
            lines.append(f"guessed (review them): {counted}")
        if self.renamed:
            lines.append(
                f"renamed {len(self.renamed)} ids already in the built-in catalog (suffix -fedb)"
            )
        return lines

    def report(self) -> str:
        out = [*self.summary(), "", "skipped entries:"]
        out += [f"  {eid}: {reason}" for eid, reason in self.skipped]
        out += ["", "guessed fields:"]
        out += [f"  {eid}  guessed = [{', '.join(names)}]" for eid, names in self.guessed.items()]
        if self.renamed:
            out += ["", "renamed ids:"] + [f"  {a} -> {b}" for a, b in self.renamed]
        return "\n".join(out) + "\n"


def kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def unicode(text: str) -> str:
    """Text any file can hold: lone surrogates (JSON "\\ud83d" without its pair) become U+FFFD."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def one_line(text: str) -> str:
    """Text for a report or comment line: control characters (newlines too) become spaces."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", unicode(text)).strip()


def _toml(value: Any) -> str:
    """A value as TOML; strings hold any text (emoji as UTF-8, control characters escaped)."""
    if isinstance(value, str):
        return '"' + "".join(_char(c) for c in value) + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return toml_value(value)


def _char(c: str) -> str:
    if c in '"\\':
        return "\\" + c
    if c < " " or c == "\x7f":
        return f"\\u{ord(c):04X}"
    return c


def _text(entry: dict[str, Any], key: str) -> str | None:
    """A text field: a string, or a list holding one string; ``None`` when absent."""
    value = entry.get(key)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or isinstance(value, str):
        return value and unicode(value)
    raise Skip(f"{key}: expected one text value, got {json.dumps(value)[:40]}")


def _names(entry: dict[str, Any], key: str) -> list[str]:
    """A list-of-names field: a list of strings, or one string; empty when absent or null."""
    value = entry.get(key)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Skip(f"{key}: expected a list of names, got {json.dumps(value)[:40]}")
    return [unicode(v) for v in values]


def _muscles(entry: dict[str, Any], name: str, rear_delt: bool, out: Imported) -> dict[str, float]:
    shares: dict[str, float] = {}
    for share, key in ((1.0, "primaryMuscles"), (0.5, "secondaryMuscles")):
        for raw in _names(entry, key):
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
        out.missed("equipment", "(none given: taken as bodyweight)")
    elif raw in EQUIPMENT:
        kit.update(EQUIPMENT[raw])
    else:
        out.missed("equipment", one_line(raw))
        raise Skip(f"equipment: {one_line(raw)!r} is not in catalog/equipment.toml")
    if re.search(r"\bbench\b", name) and "bench press" not in name:
        kit.add("bench")
    if re.search(r"\bbox\b", name):
        kit.add("box")
    if PULL_UP.search(name):
        kit.add("pull_up_bar")
    if "barbell" in kit and re.search(r"squat|good ?morning|lunge|step[- ]?up|calf", name):
        kit.add("squat_rack")
    return tuple(sorted(kit))


def _coach_fields(
    name: str, pattern: str, raw_kit: str | None, kit: tuple[str, ...], mechanic: str | None
) -> tuple[dict[str, Any], list[str]]:
    """family, tier, load and the fields that follow from them, and the names of those guessed."""
    guessed: list[str] = []
    family = next((f for p, rx, f in FAMILIES if p == pattern and re.search(rx, name)), None)
    if family is None:
        family = USUAL_FAMILY[pattern]
        if pattern in SEVERAL:
            guessed.append("family")
    if raw_kit is None:
        guessed.append("load")
    load = LOADS.get(str(raw_kit), "bodyweight")
    if MACHINES & set(kit):
        load = "machine"
    movement = "pull_up" if PULL_UP.search(name) else family
    hard = movement if load == "bodyweight" else None
    unilateral = bool(UNILATERAL.search(name))
    if family in ISOLATION:
        tier = "isolation"
    else:
        if mechanic not in ("compound", "isolation"):
            guessed.append("tier")
        anchor = family in ANCHORS and load not in UNWEIGHTED and not unilateral
        tier = "main" if anchor and mechanic == "compound" else "accessory"
    fields: dict[str, Any] = {"family": family, "tier": tier, "load": load}
    fields["load_ceiling"] = (
        "moderate" if hard in HARD_AT_BODYWEIGHT else LOAD_CEILINGS[load][0]  # type: ignore[index]
    )
    if load in INCREMENT_KG:
        fields["increment_kg"] = INCREMENT_KG[load]
    stimulus = HARD_AT_BODYWEIGHT.get(str(hard)) or STIMULUS[load]
    if tier == "isolation" and load in ("dumbbell", "kettlebell"):
        stimulus = (8, 8, 8)
    fields["stimulus"] = dict(zip(LEVELS_ORDER, stimulus, strict=True))
    guessed.append("stimulus")
    fields["lengthened"] = bool(LENGTHENED.search(name)) and load != "band"
    if not LENGTHENED.search(name):
        guessed.append("lengthened")
    if family in TEMPO:
        fields["tempo"] = TEMPO[family]
    if movement in REPS:
        fields["reps"] = REPS[movement]
    return fields, guessed


def convert(entry: dict[str, Any], out: Imported) -> tuple[dict[str, Any], list[str]]:
    """One library entry as a catalog entry and the fields guessed for it; raises ``Skip`` with the
    reason when it cannot."""
    name = (_text(entry, "name") or "").lower()
    category = _text(entry, "category")
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
        primary = ", ".join(_names(entry, "primaryMuscles")) or "none"
        raise Skip(f"trains no posterior-chain muscle: primary {one_line(primary)}")
    if pattern is None:
        raise Skip("pattern: no movement pattern of this catalog recognised in the name")
    level = LEVELS.get(str(_text(entry, "level")))
    if level is None:
        out.missed("level", one_line(str(entry.get("level"))))
        raise Skip(f"level: {one_line(str(entry.get('level')))!r} unknown")
    raw_kit = _text(entry, "equipment")
    kit = _equipment(raw_kit, name, out)
    result: dict[str, Any] = {
        "id": kebab(str(entry["id"])),
        "name": str(_text(entry, "name") or ""),
        "block": block,
        "equipment": list(kit),
        "pattern": pattern,
    }
    guessed: list[str] = []
    compound = _text(entry, "mechanic") == "compound"
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
            + (_text(entry, "level") == "expert")
            - (not kit)
        )
        coach, guessed = _coach_fields(name, pattern, raw_kit, kit, _text(entry, "mechanic"))
        tempo = coach.get("tempo")
        seconds = max(2, sum(map(int, tempo.split("-")))) if tempo else 4 if compound else 3
        result |= {
            "actions": list(actions),
            "muscles": muscles,
            "level": level,
            "unilateral": bool(UNILATERAL.search(name)),
            "fatigue": max(1, min(5, fatigue)),
            "high_fatigue_eccentric": bool(ECCENTRIC.search(name)),
            "seconds_per_rep": seconds,
            **coach,
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
    result["sources"] = [f"{SOURCE}#{one_line(str(entry['id']))}"]
    try:
        Exercise.model_validate(result)
    except ValidationError as exc:
        raise Skip(f"invalid: {exc.errors(include_url=False)[0]['msg']}") from None
    return result, guessed


def to_toml(entries: list[dict[str, Any]], guessed: dict[str, list[str]], source: Path) -> str:
    head = [
        f"# Exercise catalog imported from {one_line(source.name)}",
        "# (free-exercise-db, public domain) by `planner catalog import`. Same format as",
        '# catalog/exercises.toml; use it with `catalog = "this-file.toml"` in a constraint file.',
        "# Patterns, dominance, actions, family, tier, load, stimulus, tempo, fatigue and",
        "# timing are inferred (see planner/catalog_import.py); each entry's `# guessed:` line",
        "# names the fields set by a default rather than by the library's data or a name",
        "# keyword: review them.",
    ]
    out = ["\n".join(head)]
    for entry in entries:
        lines = [f"# guessed: {', '.join(guessed[entry['id']]) or 'nothing'}", "[[exercise]]"]
        lines += [f"{k} = {_toml(v)}" for k, v in entry.items()]
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
        label = one_line(str(entry["id"]))
        try:
            converted, guessed = convert(entry, out)
        except Skip as why:
            out.skipped.append((label, str(why)))
            continue
        if converted["id"] in taken:
            new = f"{converted['id']}-fedb"
            out.renamed.append((converted["id"], new))
            converted["id"] = new
        if converted["id"] in taken:
            out.skipped.append((label, f"duplicate id {converted['id']}"))
            continue
        taken.add(converted["id"])
        out.entries.append(converted)
        out.guessed[converted["id"]] = guessed
    out.toml = to_toml(out.entries, out.guessed, source)
    base = builtin_catalog()
    Catalog(
        equipment=base.equipment,
        profiles=base.profiles,
        exercises=tomllib.loads(out.toml)["exercise"] if out.entries else [],
    )
    return out
