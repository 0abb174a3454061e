"""Score event coding on gold sentences in the PLOVER dev-gold shape.

Each gold line: ``{"id", "text", "event", "source": [{"actorText", "code"}], "target": [...],
"eventText", ...}``. Legacy labels map through ``records.LEGACY_TYPES`` (DEMAND->REQUEST,
DISAPPROVE->ACCUSE, FIGHT->ASSAULT, INVESTIGATE->ACCUSE).

Rules (the same for every run, so scores compare):

- Each sentence is coded as its own article (no publication date) with the full pipeline.
- **Which predicted event is compared.** A gold line codes one event; the sentence may yield
  several. We compare the most confident predicted event whose trigger shares a word with the
  gold ``eventText``; when none does, the most confident event of the sentence. A sentence with
  no predicted event counts as wrong for type, source and target. ``top_type_accuracy`` reports the
  stricter rule that ignores ``eventText`` (most confident event only).
- **Type**: accuracy, and macro-F1 over the gold types (per-type precision counts the sentences
  where that type was chosen; "no event" is never a prediction of a type).
- **Countries**: the set of country codes of the chosen event's source (target) against the gold
  set; codes ``UNK`` are dropped from the prediction. Accuracy is over the sentences whose gold set
  is non-empty; sentences with an empty gold set are reported apart (``*_empty_agreement``: the
  share where the prediction is empty too) and do not enter the accuracy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from detente.evaluation import event_label, read_cases
from detente.records import EVENT_TYPES, Article, Event, article_id, stable_id

NO_EVENT = "NONE"


@dataclass(frozen=True, slots=True)
class GoldEvent:
    case_id: str
    text: str
    event_type: str  # a current PLOVER type (legacy labels mapped)
    sources: frozenset[str]
    targets: frozenset[str]
    event_text: str = ""


@dataclass(frozen=True, slots=True)
class EventResult:
    gold: GoldEvent
    got: Event | None
    top: Event | None  # the most confident event, whatever its trigger

    @property
    def predicted_type(self) -> str:
        return self.got.event_type if self.got else NO_EVENT

    @property
    def type_ok(self) -> bool:
        return self.predicted_type == self.gold.event_type

    def countries(self, role: str) -> frozenset[str]:
        if self.got is None:
            return frozenset()
        refs = self.got.source if role == "source" else self.got.target
        return frozenset(r.country for r in refs if r.country and r.country != "UNK")


def read_gold(path: Path) -> list[GoldEvent]:
    """Gold events from a JSONL file (raises a DetenteError naming the file and line)."""

    def build(number: int, data: dict[str, Any]) -> GoldEvent:
        return GoldEvent(
            case_id=str(data.get("id", number)),
            text=str(data["text"]),
            event_type=event_label(data["event"]),
            sources=_codes(data.get("source")),
            targets=_codes(data.get("target")),
            event_text=str(data.get("eventText") or ""),
        )

    return read_cases(path, build, hint="each line needs 'text' and 'event'")


def _codes(entries: Any) -> frozenset[str]:
    if not isinstance(entries, list):
        return frozenset()
    return frozenset(str(e["code"]).upper() for e in entries if isinstance(e, dict) and e.get("code"))


def choose_event(events: Sequence[Event], event_text: str) -> Event | None:
    """The predicted event compared with a gold line (see the module docstring)."""
    if not events:
        return None
    words = {w.strip(".,;:'\"`()").lower() for w in event_text.split()} - {""}
    matching = [e for e in events if words & {w.lower() for w in e.trigger.text.split()}]
    return max(matching or events, key=lambda e: e.confidence)


def evaluate(nlp: Language, gold: Iterable[GoldEvent], batch_size: int = 32) -> EventScores:
    """Code every gold sentence as an article and compare."""
    from detente.pipeline import code_articles

    cases = list(gold)
    articles = [Article(id=article_id(g.text, g.case_id), text=g.text, language="en") for g in cases]
    results = []
    for case, bundle in zip(cases, code_articles(articles, nlp=nlp), strict=True):
        events = list(bundle.events)
        top = max(events, key=lambda e: e.confidence) if events else None
        results.append(EventResult(case, choose_event(events, case.event_text), top))
    return EventScores(tuple(results))


@dataclass(frozen=True, slots=True)
class EventScores:
    results: tuple[EventResult, ...] = field(repr=False)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def type_accuracy(self) -> float:
        return _ratio(sum(r.type_ok for r in self.results), self.total)

    @property
    def top_type_accuracy(self) -> float:
        hits = sum(r.top is not None and r.top.event_type == r.gold.event_type for r in self.results)
        return _ratio(hits, self.total)

    def per_type(self) -> dict[str, dict[str, float | int]]:
        gold = Counter(r.gold.event_type for r in self.results)
        predicted = Counter(r.predicted_type for r in self.results if r.got is not None)
        correct = Counter(r.gold.event_type for r in self.results if r.type_ok)
        out: dict[str, dict[str, float | int]] = {}
        for label in EVENT_TYPES:
            if not gold[label] and not predicted[label]:
                continue
            p = _ratio(correct[label], predicted[label])
            r = _ratio(correct[label], gold[label])
            f1 = round(2 * p * r / (p + r), 4) if p + r else 0.0
            out[label] = {"gold": gold[label], "predicted": predicted[label], "correct": correct[label],
                          "precision": p, "recall": r, "f1": f1}  # fmt: skip
        return out

    @property
    def macro_f1(self) -> float:
        rows = [row for row in self.per_type().values() if row["gold"]]
        return round(sum(float(row["f1"]) for row in rows) / len(rows), 4) if rows else 0.0

    def country(self, role: str) -> dict[str, float | int]:
        scored = [r for r in self.results if (r.gold.sources if role == "source" else r.gold.targets)]
        empty = [r for r in self.results if not (r.gold.sources if role == "source" else r.gold.targets)]
        correct = sum(
            r.countries(role) == (r.gold.sources if role == "source" else r.gold.targets) for r in scored
        )
        agree_empty = sum(r.got is not None and not r.countries(role) for r in empty)
        return {"correct": correct, "total": len(scored), "accuracy": _ratio(correct, len(scored)),
                "empty_gold": len(empty), "empty_agreement": _ratio(agree_empty, len(empty))}  # fmt: skip

    def confusion(self) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = {}
        for r in self.results:
            table.setdefault(r.gold.event_type, Counter())[r.predicted_type] += 1
        return {gold: dict(sorted(row.items())) for gold, row in sorted(table.items())}

    def as_dict(self, failures: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "sentences": self.total,
            "type_accuracy": self.type_accuracy,
            "top_type_accuracy": self.top_type_accuracy,
            "macro_f1": self.macro_f1,
            "source_country": self.country("source"),
            "target_country": self.country("target"),
            "per_type": self.per_type(),
            "confusion": self.confusion(),
        }
        if failures:
            data["failures"] = [
                {
                    "id": r.gold.case_id,
                    "gold": r.gold.event_type,
                    "got": r.predicted_type,
                    "trigger": r.got.trigger.text if r.got else None,
                    "gold_source": sorted(r.gold.sources),
                    "got_source": sorted(r.countries("source")),
                    "gold_target": sorted(r.gold.targets),
                    "got_target": sorted(r.countries("target")),
                    "text": r.gold.text,
                }
                for r in self.results
                if not r.type_ok
                or (r.gold.sources and r.countries("source") != r.gold.sources)
                or (r.gold.targets and r.countries("target") != r.gold.targets)
            ]
        return data


def fold_of(case_id: str, folds: int) -> int:
    """A gold line's fold: the number its id ends with, modulo ``folds`` (ids without a number go
    by a stable hash), so a 2-fold split is the odd and even records of every event type."""
    digits = "".join(ch for ch in case_id[-6:] if ch.isdigit())
    key = int(digits) if digits else int(stable_id(case_id), 16)
    return key % folds


def fold_scores(scores: EventScores, folds: int) -> list[EventScores]:
    """The scores of each fold (see :func:`fold_of`), for a held-out style estimate: rules checked
    against one half are measured on the other."""
    return [
        EventScores(tuple(r for r in scores.results if fold_of(r.gold.case_id, folds) == k))
        for k in range(folds)
    ]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0
