"""The field's CAMEO verb dictionary as a prior of the type model, for verbs our annotations lack.

``data/cameo_verbs.tsv`` is built from PETRARCH2's ``CAMEO.2.0.txt`` (MIT; notice beside it) by
``scripts/build_cameo_verbs.py``, its codes mapped to PLOVER. The dictionary's curators sorted some 15,000
verb patterns into event codes over two decades of news; our annotated news has a few hundred trigger
verbs. A verb seen rarely or never in training still gets the types the dictionary gives it, as features
the model weighs by what they were worth on the verbs it did see ("cameo_default=ACCUSE" says little on
its own and much once the model has learned how often the dictionary's default is right).

Three kinds of feature, all strings for :mod:`detente.events.linear`:

- ``cameo_default=T``: the type of the verb's own code or of its block;
- ``cameo_major=T``: the commonest type among the verb's patterns ("attack" is more often verbal than
  armed in the dictionary, which the model learns to read with the object);
- ``cameo_pattern=T``: a pattern whose first word after the verb is this candidate's particle,
  preposition or object head ("deny" + "charge" -> REJECT, "call" + "off" -> RETREAT).

Type ``NONE`` is the dictionary's statement and appeal codes (01x, 02x): a verb of speech, not an event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

CAMEO_VERBS = Path(__file__).parent / "data" / "cameo_verbs.tsv"
KEY_DEPS = frozenset({"prt", "prep", "dobj", "dative", "attr", "oprd", "nsubjpass"})


@dataclass
class CameoVerb:
    default: str | None = None
    types: Counter[str] = field(default_factory=Counter)
    patterns: dict[str, set[str]] = field(default_factory=dict)  # first word after the verb -> types

    @property
    def major(self) -> str | None:
        return self.types.most_common(1)[0][0] if self.types else None


@lru_cache(maxsize=1)
def cameo_verbs(path: Path = CAMEO_VERBS) -> dict[str, CameoVerb]:
    """Verb (lower case, phrasal verbs with a space) -> what the dictionary says of it."""
    verbs: dict[str, CameoVerb] = {}
    if not path.exists():
        return verbs
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        verb, kind, word, event_type = line.split("\t")
        entry = verbs.setdefault(verb, CameoVerb())
        if kind == "default":
            entry.default = event_type
            continue
        entry.types[event_type] += 1
        entry.patterns.setdefault(word, set()).add(event_type)
    return verbs


def _matches(word: str, key: str) -> bool:
    # CAMEO words without a trailing "_" are stems: "SANCTION" covers "sanctions".
    return word == key or (len(key) >= 4 and word.startswith(key))


def cameo_features(token: Token) -> list[str]:
    if token.pos_ not in {"VERB", "AUX"}:
        return []
    lemma = token.lemma_.lower()
    table = cameo_verbs()
    names = [lemma] + [f"{lemma} {c.lemma_.lower()}" for c in token.children if c.dep_ == "prt"]
    out: list[str] = []
    for name in names:
        entry = table.get(name)
        if entry is None:
            continue
        if entry.default:
            out.append(f"cameo_default={entry.default}")
        if entry.major:
            out.append(f"cameo_major={entry.major}")
        for child in token.children:
            if child.dep_ not in KEY_DEPS:
                continue
            word = child.lemma_.lower()
            for key, types in entry.patterns.items():
                if _matches(word, key) or _matches(child.lower_, key):
                    out += [f"cameo_pattern={t}" for t in sorted(types)]
    if not out:
        out.append("cameo_unknown" if lemma not in table else "cameo_plain")
    return sorted(set(out))
