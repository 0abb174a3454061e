"""Score event coding on news sentences annotated with every event they hold (or none).

The dev gold codes one clean sentence per event, so it measures classification but not what the
stage emits on real news. This file shape measures precision as well: each line is one news
sentence with all its events, ``"events": []`` when it holds none (statements, background).

Each line: ``{"story_id", "split", "text", "events": [{"event_type", "source": [codes],
"target": [codes], "trigger"}], "outlet"?}``. ``split`` is ``dev`` or ``heldout``; ``outlet``
(optional) is the outlet that published the story, passed to the pipeline as the article's outlet.

Rules:

- Each sentence is coded as its own article (no publication date) with the full pipeline.
- **Match.** A predicted event matches a gold event of its sentence when the types agree and the
  triggers share a content word (case-folded, punctuation stripped). Each gold event is matched
  at most once, each prediction too (greedy, most confident prediction first).
- **Precision** = matched predictions / predictions; **recall** = matched gold / gold events.
- **Type+actors** is the stricter match: also, for each role whose gold code set is non-empty,
  the predicted country codes (``UNK`` dropped) equal it.
- Per type: precision and recall of the type+trigger match.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from detente.evaluation import event_label, read_cases
from detente.records import EVENT_TYPES, Article, Event, article_id

STOPWORDS = frozenset({"the", "a", "an", "of", "to", "by", "on", "for", "with", "in", "is", "was", "were",
                       "be", "been", "has", "have", "had", "it", "its", "their", "that"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class NewsEvent:
    event_type: str
    sources: frozenset[str]
    targets: frozenset[str]
    trigger: str


@dataclass(frozen=True, slots=True)
class NewsSentence:
    story_id: str
    split: str
    text: str
    events: tuple[NewsEvent, ...]
    outlet: str | None = None


def is_news_gold(path: Path) -> bool:
    """Whether a gold file is in the news shape (its first record has an ``events`` list)."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    return isinstance(json.loads(line).get("events"), list)
    except (OSError, ValueError, AttributeError):
        return False
    return False


def read_news_gold(path: Path) -> list[NewsSentence]:
    """News sentences from a JSONL file (raises a DetenteError naming the file and line)."""

    def build(number: int, data: dict[str, Any]) -> NewsSentence:
        events = tuple(
            NewsEvent(event_label(item["event_type"]), _codes(item.get("source")), _codes(item.get("target")),
                      str(item.get("trigger") or ""))
            for item in data["events"]
        )  # fmt: skip
        return NewsSentence(str(data.get("story_id", number)), str(data.get("split") or "dev"),
                            str(data["text"]), events, data.get("outlet"))  # fmt: skip

    return read_cases(path, build, hint="each line needs 'text' and an 'events' list")


def _codes(entries: Any) -> frozenset[str]:
    if not isinstance(entries, list):
        return frozenset()
    return frozenset(str(e).upper() for e in entries if e)


def _words(text: str) -> set[str]:
    return {w.strip(".,;:'\"`()“”’‘").lower() for w in text.split()} - {""} - STOPWORDS


def countries(refs: Iterable[Any]) -> frozenset[str]:
    return frozenset(r.country for r in refs if r.country and r.country != "UNK")


def actors_agree(gold: NewsEvent, got: Event) -> bool:
    return (not gold.sources or countries(got.source) == gold.sources) and (
        not gold.targets or countries(got.target) == gold.targets
    )


@dataclass(frozen=True, slots=True)
class SentenceResult:
    gold: NewsSentence
    predicted: tuple[Event, ...]
    matches: tuple[tuple[int, int], ...]  # (gold index, predicted index)

    @property
    def unmatched_predictions(self) -> list[Event]:
        used = {p for _, p in self.matches}
        return [e for k, e in enumerate(self.predicted) if k not in used]

    @property
    def missed(self) -> list[NewsEvent]:
        used = {g for g, _ in self.matches}
        return [e for k, e in enumerate(self.gold.events) if k not in used]


def match(gold: Sequence[NewsEvent], predicted: Sequence[Event]) -> tuple[tuple[int, int], ...]:
    """Greedy one-to-one matching on type and a shared trigger word, most confident first."""
    order = sorted(range(len(predicted)), key=lambda k: -predicted[k].confidence)
    taken: set[int] = set()
    out = []
    for k in order:
        event = predicted[k]
        words = _words(event.trigger.text)
        for g, item in enumerate(gold):
            if g not in taken and item.event_type == event.event_type and words & _words(item.trigger):
                taken.add(g)
                out.append((g, k))
                break
    return tuple(sorted(out))


def evaluate_news(nlp: Language, gold: Iterable[NewsSentence]) -> NewsScores:
    """Code every sentence as an article and match its events against the gold."""
    from detente.pipeline import code_articles

    cases = list(gold)
    articles = [
        Article(id=article_id(c.text, f"{c.story_id}:{k}"), text=c.text, language="en", outlet=c.outlet)
        for k, c in enumerate(cases)
    ]
    results = []
    for case, bundle in zip(cases, code_articles(articles, nlp=nlp), strict=True):
        events = tuple(bundle.events)
        results.append(SentenceResult(case, events, match(case.events, events)))
    return NewsScores(tuple(results))


@dataclass(frozen=True, slots=True)
class NewsScores:
    results: tuple[SentenceResult, ...] = field(repr=False)

    def split(self, name: str) -> NewsScores:
        return NewsScores(tuple(r for r in self.results if r.gold.split == name))

    @property
    def splits(self) -> list[str]:
        return sorted({r.gold.split for r in self.results})

    def figures(self) -> dict[str, Any]:
        predicted = sum(len(r.predicted) for r in self.results)
        gold = sum(len(r.gold.events) for r in self.results)
        matched = sum(len(r.matches) for r in self.results)
        strict = sum(
            actors_agree(r.gold.events[g], r.predicted[p]) for r in self.results for g, p in r.matches
        )
        empty = [r for r in self.results if not r.gold.events]
        return {
            "sentences": len(self.results),
            "gold_events": gold,
            "predicted_events": predicted,
            "matched": matched,
            **_prf(matched, predicted, gold),
            "type_actors": {"matched": strict, **_prf(strict, predicted, gold)},
            "no_event_sentences": len(empty),
            "no_event_clean": _ratio(sum(not r.predicted for r in empty), len(empty)),
        }

    def per_type(self) -> dict[str, dict[str, float | int]]:
        gold = Counter(e.event_type for r in self.results for e in r.gold.events)
        predicted = Counter(e.event_type for r in self.results for e in r.predicted)
        correct = Counter(r.gold.events[g].event_type for r in self.results for g, _ in r.matches)
        out: dict[str, dict[str, float | int]] = {}
        for label in EVENT_TYPES:
            if gold[label] or predicted[label]:
                out[label] = {"gold": gold[label], "predicted": predicted[label], "correct": correct[label],
                              **_prf(correct[label], predicted[label], gold[label])}  # fmt: skip
        return out

    def as_dict(self, failures: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            **self.figures(),
            "splits": {name: self.split(name).figures() for name in self.splits},
            "per_type": self.per_type(),
        }
        if failures:
            data["failures"] = [
                {
                    "story_id": r.gold.story_id,
                    "split": r.gold.split,
                    "text": r.gold.text,
                    "spurious": [_show(e) for e in r.unmatched_predictions],
                    "missed": [_show_gold(e) for e in r.missed],
                }
                for r in self.results
                if r.unmatched_predictions or r.missed
            ]
        return data


def _show(e: Event) -> str:
    return (f"{e.event_type} {sorted(countries(e.source))}->{sorted(countries(e.target))} "
            f"({e.trigger.text!r}, {e.confidence})")  # fmt: skip


def _show_gold(e: NewsEvent) -> str:
    return f"{e.event_type} {sorted(e.sources)}->{sorted(e.targets)} ({e.trigger!r})"


def _prf(hits: int, predicted: int, gold: int) -> dict[str, float]:
    p, r = _ratio(hits, predicted), _ratio(hits, gold)
    return {"precision": p, "recall": r, "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0
