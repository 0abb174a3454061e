"""Where the gold parties stand against the actors stage: the ceiling any role decision works under.

The role decision (rules or model) can only choose among the mentions the actors stage found, with the
countries it gave them. So two questions come before any role model:

- *spans*: for each gold source or target span, is there a mention over it, and of the gold country? A
  span with no mention ("the host", "11 people") or a mention of another country cannot be made right by
  choosing roles better;
- *oracle*: if every mention got its gold role, how often would both countries of the event be right?

This is the thirtieth session's analysis made one command, so each change to the actors stage is measured
the same way: ``python -m detente.events.training parties`` (parses the material once, about two minutes;
no training). Gold triggers are anchored as training anchors them. The figures are on annotated material
the rules and models are tuned on: diagnostics, not held-out quality.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.actors.sets import is_set
from detente.events.calibration import known_countries
from detente.events.corpus import WIRE_PREFIX, WRITTEN_PREFIX
from detente.events.features import SentenceView, is_candidate
from detente.events.lexicon import Lexicon
from detente.records import ActorRef

if TYPE_CHECKING:  # (training imports this module for its command)
    from detente.events.training import GoldEvent, Parsed

SPAN_KINDS = ("right", "set", "unknown country", "other country", "no mention", "no gold country")


@dataclass(frozen=True)
class AnchoredGold:
    part: str  # news, wire, written, synthetic or dev
    view: SentenceView
    anchor: int  # token index of the anchored trigger word
    gold: GoldEvent


def part_of(group: str, *, is_news: bool, is_dev_gold: bool) -> str:
    if is_dev_gold:
        return "dev"
    if is_news:
        return "news"
    if group.startswith(WIRE_PREFIX):
        return "wire"
    return "written" if group.startswith(WRITTEN_PREFIX) else "synthetic"


def anchored_gold(
    parsed: Iterable[Parsed], lexicon: Lexicon, vocabulary: frozenset[str]
) -> list[AnchoredGold]:
    """Every gold event whose trigger anchors on a candidate word, as training anchors it."""
    from detente.events.training import gold_anchors  # (training imports this module for its command)

    out = []
    for p in parsed:
        part = part_of(p.group, is_news=p.is_news, is_dev_gold=p.is_dev_gold)
        for view in p.views:
            eligible = {t.i for t in view.sent if is_candidate(t, view, lexicon, vocabulary)}
            out += [
                AnchoredGold(part, view, anchor.i, gold)
                for anchor, gold in gold_anchors(p, view, eligible)[1]
            ]
    return out


def span_kind(mentions: Sequence[ActorRef], countries: frozenset[str]) -> str:
    """What the actors stage made of one gold party span, given the mentions overlapping it."""
    if not countries:
        return "no gold country"
    if not mentions:
        return "no mention"
    if any(m.country in countries for m in mentions):
        return "right"
    if any(is_set(m) for m in mentions):  # members are taken at event time
        return "set"
    if all(m.country in ("UNK", "") for m in mentions):
        return "unknown country"
    return "other country"


def party_spans(
    events: Iterable[AnchoredGold], parts: Sequence[str] = ("news", "wire")
) -> dict[str, Counter[str]]:
    """Per part, how many gold source and target spans fall in each of ``SPAN_KINDS``."""
    out: dict[str, Counter[str]] = {part: Counter() for part in parts}
    for item in events:
        if item.part not in out:
            continue
        for spans, countries in ((item.gold.source_spans, item.gold.sources),
                                 (item.gold.target_spans, item.gold.targets)):  # fmt: skip
            for start, end in spans:
                over = [m.ref for m in item.view.mentions if m.ref.start < end and start < m.ref.end]
                out[item.part][span_kind(over, frozenset(countries))] += 1
    return out


def both_right(sources: Iterable[ActorRef], targets: Iterable[ActorRef], gold: GoldEvent) -> bool:
    """Both countries of the event right (a reciprocal gold event: its participants, whatever the roles)."""
    found_sources, found_targets = known_countries(sources), known_countries(targets)
    if gold.reciprocal:
        return found_sources | found_targets == gold.sources | gold.targets
    return found_sources == gold.sources and found_targets == gold.targets


def oracle(events: Iterable[AnchoredGold]) -> dict[str, float]:
    """Per part, the share of gold events with both countries right if every mention got its gold role."""
    from detente.events.training import _role_label

    hits: dict[str, list[bool]] = {}
    for item in events:
        mentions = [m for m in item.view.mentions if item.anchor not in m.tokens]
        roles = [(m.ref, _role_label(m.ref.start, m.ref.end, item.gold)) for m in mentions]
        sources = [ref for ref, role in roles if role == "source"]
        targets = [ref for ref, role in roles if role == "target"]
        hits.setdefault(item.part, []).append(both_right(sources, targets, item.gold))
    return {part: round(sum(v) / len(v), 3) for part, v in sorted(hits.items())}


def report(parsed: Sequence[Parsed], lexicon: Lexicon, vocabulary: frozenset[str]) -> dict[str, object]:
    events = anchored_gold(parsed, lexicon, vocabulary)
    return {
        "gold_events_anchored": dict(Counter(e.part for e in events)),
        "perfect_role_choice_both_countries": oracle(events),
        "gold_party_spans": {part: {k: c[k] for k in SPAN_KINDS} for part, c in party_spans(events).items()},
    }
