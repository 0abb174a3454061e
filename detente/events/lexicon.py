"""The event lexicon: trigger words and patterns mapped to PLOVER types, modes and scores.

``detente/data/events/lexicon.yaml`` is written from the PLOVER manual's category definitions; this
module compiles it once into plain dicts keyed by lemma, so the events stage does one dict lookup
per token (no regex, no scan over the lexicon per article).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from detente.errors import ConfigError
from detente.records import EVENT_TYPES

LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.yaml"

# PLOVER_MANUAL.tex, "Numeric conflict/cooperation scores". The manual prints ACCUSE as +3, but every
# ACCUSE mode is negative and ACCUSE is verbal conflict: we read it as -3 (a sign typo).
BASE_SCORES: Mapping[str, float] = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10.0,
    "RETREAT": 6.5, "REQUEST": 0.0, "ACCUSE": -3.0, "REJECT": -2.0, "THREATEN": -3.5, "PROTEST": -5.0,
    "SANCTION": -6.0, "MOBILIZE": -5.5, "COERCE": -7.0, "ASSAULT": -9.0,
}  # fmt: skip
MODE_SCORES: Mapping[tuple[str, str], float] = {
    ("CONSULT", "visit"): 4.0, ("CONSULT", "third-party"): 1.0, ("CONSULT", "multilateral"): 4.0,
    ("CONSULT", "phone"): 1.5,
    ("RETREAT", "withdraw"): 8.0, ("RETREAT", "release"): 6.5, ("RETREAT", "disarm"): 10.0,
    ("RETREAT", "ceasefire"): 7.5, ("RETREAT", "access"): 6.5, ("RETREAT", "resign"): 4.5,
    ("REQUEST", "assist"): 0.5, ("REQUEST", "change"): -1.0, ("REQUEST", "yield"): -1.0,
    ("REQUEST", "meet"): 0.0,
    ("ACCUSE", "disapprove"): -2.0, ("ACCUSE", "investigate"): -3.5, ("ACCUSE", "allege"): -3.5,
    ("REJECT", "assist"): -1.5, ("REJECT", "change"): -2.0, ("REJECT", "yield"): -2.0, ("REJECT", "meet"): -2.0,
    ("THREATEN", "restrict"): -3.0, ("THREATEN", "arrest"): -3.5, ("THREATEN", "relations"): -3.5,
    ("THREATEN", "expel"): -3.5, ("THREATEN", "territory"): -4.0, ("THREATEN", "violence"): -3.5,
    ("PROTEST", "demo"): -5.0, ("PROTEST", "riot"): -7.0, ("PROTEST", "strike"): -5.0,
    ("PROTEST", "hunger"): -4.5, ("PROTEST", "boycott"): -4.5, ("PROTEST", "obstruct"): -4.5,
    ("SANCTION", "convict"): -6.0, ("SANCTION", "expel"): -5.5, ("SANCTION", "withdraw"): -6.0,
    ("SANCTION", "discontinue"): -6.0,
    ("MOBILIZE", "troops"): -6.5, ("MOBILIZE", "weapons"): -6.5, ("MOBILIZE", "police"): -5.5,
    ("MOBILIZE", "militia"): -6.0,
    ("COERCE", "seize"): -7.0, ("COERCE", "restrict"): -7.0, ("COERCE", "censor"): -6.5,
    ("COERCE", "curfew"): -6.5, ("COERCE", "martial-law"): -7.5, ("COERCE", "arrest"): -7.0,
    ("COERCE", "deport"): -7.0, ("COERCE", "withhold"): -7.0, ("COERCE", "misinformation"): -6.5,
    ("COERCE", "cyber"): -7.0,
    ("ASSAULT", "abduct"): -8.5, ("ASSAULT", "beat"): -7.5, ("ASSAULT", "torture"): -8.5,
    ("ASSAULT", "sexual"): -8.5, ("ASSAULT", "targeted"): -9.5, ("ASSAULT", "destroy"): -8.5,
    ("ASSAULT", "primitive"): -8.0, ("ASSAULT", "firearms"): -9.0, ("ASSAULT", "explosives"): -9.0,
    ("ASSAULT", "suicide-attack"): -9.5, ("ASSAULT", "aerial"): -9.5, ("ASSAULT", "drone"): -9.5,
    ("ASSAULT", "heavy-weapons"): -9.5, ("ASSAULT", "crowd-control"): -7.5, ("ASSAULT", "unconventional"): -10.0,
}  # fmt: skip


def intensity(event_type: str, mode: str | None) -> float:
    """The PLOVER conflict-cooperation score of a type, refined by its mode when the manual scores it."""
    if mode and (event_type, mode) in MODE_SCORES:
        return MODE_SCORES[(event_type, mode)]
    return BASE_SCORES[event_type]


@dataclass(frozen=True, slots=True)
class Sense:
    """What a trigger word means: a PLOVER type and optional mode."""

    event_type: str
    mode: str | None = None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled lexicon. Two-word keys are (lemma, child lemma); see lexicon.yaml for the forms."""

    verbs: Mapping[str, Sense]
    verb_pairs: Mapping[tuple[str, str], Sense]
    nouns: Mapping[str, Sense]
    noun_pairs: Mapping[tuple[str, str], Sense]
    frames: Mapping[str, str]
    frame_pairs: Mapping[tuple[str, str], str]
    by_complement: Mapping[str, Mapping[str, str]]
    light_verbs: frozenset[str]
    reporting: frozenset[str]
    # First words of two-word entries, so a token only inspects its children when it could match.
    pair_heads: frozenset[str] = field(default_factory=frozenset)
    # Verbs that end or reduce what their object names ("ended mediation efforts"): SANCTION when
    # the object is a cooperative event (manual: "all reductions in ... cooperative relations").
    terminative: frozenset[str] = field(default_factory=frozenset)
    # Frames whose passive participle states the subject's own stance ("Israel is opposed to"): the
    # passive subject is the source. Every other frame's passive is done to its subject.
    stative_passive: frozenset[str] = field(default_factory=frozenset)
    # Verbs that are events only as what is denied or alleged ("denied arming the RSF", "accused France
    # of arming Armenia", "denied targeting civilians"); alone they are too often something else
    # ("sanctions targeting banks", "heavily armed men").
    alleged_acts: Mapping[str, Sense] = field(default_factory=dict)


def _entries(group: Any, where: str) -> list[tuple[str, str | None]]:
    """Lexicon items of one type: ``word`` or ``{word: mode}``."""
    out: list[tuple[str, str | None]] = []
    for item in group or ():
        if isinstance(item, str):
            out.append((item.lower(), None))
        elif isinstance(item, Mapping) and len(item) == 1:
            ((word, mode),) = item.items()
            out.append((str(word).lower(), str(mode) if mode else None))
        else:
            raise ConfigError(
                f"bad event lexicon entry {item!r} in {where}", hint="use 'word' or 'word: mode'"
            )
    return out


def _check_type(event_type: str, where: str) -> str:
    if event_type not in EVENT_TYPES:
        raise ConfigError(f"unknown PLOVER type {event_type!r} in {where}", hint=f"use one of {EVENT_TYPES}")
    return event_type


def _alleged_acts(data: Mapping[str, Any]) -> dict[str, Sense]:
    acts: dict[str, Sense] = {}
    for event_type, group in data.items():
        _check_type(event_type, "alleged_acts")
        for word, mode in _entries(group, f"alleged_acts.{event_type}"):
            acts.setdefault(word, Sense(event_type, mode))
    return acts


def compile_lexicon(data: Mapping[str, Any]) -> Lexicon:
    """Compile the YAML structure into lookup dicts (exposed for tests and custom lexicons)."""
    verbs: dict[str, Sense] = {}
    verb_pairs: dict[tuple[str, str], Sense] = {}
    nouns: dict[str, Sense] = {}
    noun_pairs: dict[tuple[str, str], Sense] = {}
    for section, single, pairs in (("verbs", verbs, verb_pairs), ("nouns", nouns, noun_pairs)):
        for event_type, group in (data.get(section) or {}).items():
            _check_type(event_type, section)
            for word, mode in _entries(group, f"{section}.{event_type}"):
                sense = Sense(event_type, mode)
                parts = word.split()
                if len(parts) == 1:
                    single.setdefault(word, sense)
                elif section == "verbs":
                    pairs.setdefault((parts[0], parts[-1]), sense)
                else:
                    # "hunger strike" (modifier + head) and "state emergency" (head + of-complement).
                    pairs.setdefault((parts[-1], parts[0]), sense)
                    pairs.setdefault((parts[0], parts[-1]), sense)
    characterisations = data.get("characterisations") or {}
    for event_type, words in characterisations.items():
        if event_type == "verbs":
            continue
        _check_type(event_type, "characterisations")
        mode = "disapprove" if event_type == "ACCUSE" else None
        for verb in characterisations.get("verbs") or ():
            for word in words or ():
                verb_pairs.setdefault((str(verb).lower(), str(word).lower()), Sense(event_type, mode))
    frames: dict[str, str] = {}
    frame_pairs: dict[tuple[str, str], str] = {}
    for event_type, group in (data.get("frames") or {}).items():
        _check_type(event_type, "frames")
        for word, _mode in _entries(group, f"frames.{event_type}"):
            parts = word.split()
            if len(parts) == 1:
                frames.setdefault(word, event_type)
            else:
                frame_pairs.setdefault((parts[0], parts[-1]), event_type)
    by_complement = {str(k): dict(v) for k, v in (data.get("by_complement") or {}).items()}
    for word, table in by_complement.items():
        for event_type in table.values():
            _check_type(event_type, f"by_complement.{word}")
    pair_heads = frozenset(k[0] for k in (*verb_pairs, *noun_pairs, *frame_pairs))
    return Lexicon(
        verbs=verbs, verb_pairs=verb_pairs, nouns=nouns, noun_pairs=noun_pairs, frames=frames,
        frame_pairs=frame_pairs, by_complement=by_complement,
        light_verbs=frozenset(data.get("light_verbs") or ()), reporting=frozenset(data.get("reporting") or ()),
        pair_heads=pair_heads, terminative=frozenset(data.get("terminative") or ()),
        stative_passive=frozenset(data.get("stative_passive") or ()),
        alleged_acts=_alleged_acts(data.get("alleged_acts") or {}),
    )  # fmt: skip


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged lexicon, compiled once per process."""
    try:
        data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"cannot read the event lexicon {LEXICON_PATH}: {exc}", hint="reinstall detente"
        ) from exc
    return compile_lexicon(data or {})
