"""Score actor resolution on gold ``actorText -> code/sector`` pairs (the PLOVER dev gold shape).

Each line: ``{"id", "text", "source": [{"actorText", "code", "sector"?}], "target": [...]}``; a
``"published"`` key (ISO date) is used when present. Each actorText is resolved in the context of its
sentence (the coded ref overlapping it); when it is not in the sentence, the text is coded alone.
Country accuracy counts every mention; sector accuracy only mentions whose gold gives a sector code
(its first three letters: "CVLkur" is CVL; "-" and "***" mean none given).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from detente.actors.stage import resolve_mention
from detente.errors import InputError, RecordError
from detente.records import SECTORS, ActorRef, parse_published


@dataclass(frozen=True, slots=True)
class GoldMention:
    case_id: str
    sentence: str
    actor_text: str
    country: str
    sector: str | None
    role: str  # source or target
    published: Any = None


@dataclass(frozen=True, slots=True)
class MentionResult:
    gold: GoldMention
    got: ActorRef | None

    @property
    def country_ok(self) -> bool:
        return self.got is not None and self.got.country == self.gold.country

    @property
    def sector_ok(self) -> bool | None:
        if self.gold.sector is None:
            return None
        return self.got is not None and self.got.sector == self.gold.sector


@dataclass(frozen=True, slots=True)
class ActorScores:
    results: tuple[MentionResult, ...] = field(repr=False)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def country_correct(self) -> int:
        return sum(r.country_ok for r in self.results)

    @property
    def sector_total(self) -> int:
        return sum(r.sector_ok is not None for r in self.results)

    @property
    def sector_correct(self) -> int:
        return sum(r.sector_ok is True for r in self.results)

    def as_dict(self, failures: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "mentions": self.total,
            "country": {"correct": self.country_correct, "total": self.total,
                        "accuracy": round(self.country_correct / self.total, 4) if self.total else 0.0},
            "sector": {"correct": self.sector_correct, "total": self.sector_total,
                       "accuracy": round(self.sector_correct / self.sector_total, 4) if self.sector_total else 0.0},
        }  # fmt: skip
        if failures:
            data["failures"] = [
                {"id": r.gold.case_id, "actorText": r.gold.actor_text, "gold": [r.gold.country, r.gold.sector],
                 "got": [r.got.country, r.got.sector, r.got.actor_id, r.got.text] if r.got else None}
                for r in self.results if not r.country_ok or r.sector_ok is False
            ]  # fmt: skip
        return data


def _sector(value: Any) -> str | None:
    code = str(value or "")[:3].upper()
    return code if code in SECTORS else None


def read_gold(path: str | Path) -> list[GoldMention]:
    """Gold mentions from a JSONL file of the dev-gold shape."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such gold file", hint="give a JSONL file like plover_gsr_dev.jsonl")
    mentions = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                for role in ("source", "target"):
                    for actor in data.get(role) or []:
                        mentions.append(GoldMention(
                            str(data.get("id", number)), data["text"], actor["actorText"].strip(), actor["code"],
                            _sector(actor.get("sector")), role, parse_published(data.get("published")),
                        ))  # fmt: skip
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise RecordError(
                    path, f"line {number}: {exc!r}", hint="each line needs text and actorText/code"
                ) from exc
    return mentions


def score_actors(nlp: Language, mentions: Iterable[GoldMention]) -> ActorScores:
    results = []
    cache: dict[Any, Any] = {}
    for gold in mentions:
        refs: Sequence[ActorRef] = resolve_mention(nlp, gold.actor_text, gold.published, gold.sentence, cache)
        results.append(MentionResult(gold, refs[0] if refs else None))
    return ActorScores(tuple(results))
