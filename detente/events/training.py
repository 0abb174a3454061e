"""Training and honest evaluation of the learned event decisions.

    python -m detente.events.training train [--out DIR]     # `make train`: fit on the whole corpus, ship
    python -m detente.events.training cv [--folds 5]         # story-grouped cross-validation report
    python -m detente.events.training occurrences           # repeat mentions against the annotator's links
    python -m detente.events.training misses                # where the shipped policy loses recall

The corpus is the annotated news of ``data/annotations/`` (``detente.events.corpus``) and, when
``../shared/eval/plover_gsr_dev.jsonl`` is present, the PLOVER dev gold sentences. Cross-validation
groups by story: no story has sentences on both sides of a split. Every candidate's features come from
the same functions the shipped stage uses (``detente.events.features``), and evaluation runs the
shipped decision procedure (``EventModel.decide``) on the held-out stories.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from detente.events import calibration, party_ceiling
from detente.events.calibration import Calibration, known_countries
from detente.events.corpus import WIRE_PREFIX, WRITTEN_PREFIX, GoldStory, load_corpus, load_wire, load_written
from detente.events.features import (
    SentenceView,
    background_features,
    is_candidate,
    role_features,
    sentence_views,
    trigger_features,
    trigger_vector,
)
from detente.events.lexicon import Lexicon, load_lexicon
from detente.events.linear import train as train_linear
from detente.events.model import (
    MODEL_DIR,
    NO_EVENT,
    ROLE_CLASSES,
    EventModel,
    Policy,
    Scored,
    select,
)
from detente.events.rules import extract_events, speaker_tokens
from detente.records import EVENT_TYPES, LEGACY_TYPES, Article, Event, article_id

TYPE_CLASSES = (*EVENT_TYPES, NO_EVENT)
DEV_GOLD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "plover_gsr_dev.jsonl"
IGNORE = "IGNORE"  # another word of a gold trigger phrase than its label's: neither positive nor negative
TYPE_L2 = 2.0
ROLE_L2 = 1.0
# The type model also reads the sentence's and the clause's embedding (features.trigger_vector);
# measured by story-grouped CV (best policy of the grid, same folds): news F1 0.491 -> 0.501, precision 0.58 -> 0.61
# at the same recall, coded no-event sentences 10.0% -> 8.4%. (The parser's tok2vec rows here instead: 0.488.)
# The background model reads them too: on held-out news gold events (story-grouped CV, the cue rule first)
# accuracy 0.711 -> 0.744, background precision 0.60 -> 0.67, recall 0.30 -> 0.40.
USE_DENSE = True
# Sentences the project wrote and annotated (data/annotations/written/: 885 sentences, 16 types, with
# confusers). Measured by story-grouped CV (best policy of the grid, same folds): news F1 0.501 -> 0.506,
# dev gold type accuracy and macro-F1 unchanged (0.823 / 0.812 -> 0.823 / 0.811): kept, as a small gain.
USE_WRITTEN = True
# The project's wire-style articles, annotated whole (data/annotations/wire/: 97 articles, 1,342 sentences):
# copy of the kind users bring (headlines, datelines, agencies, machine-translated English) that the VOA
# stories are not. Measured by nested CV (twenty-ninth session, docs/events.md): news F1 0.543 -> 0.548,
# both countries 0.735 -> 0.719, dev gold 0.880 / 0.883 -> 0.854 / 0.855; on the held-out read 377 -> 393
# of about 666 coded events right. Kept for the copy users bring.
USE_WIRE = True
# ... but not for the background model: their annotators dated and flagged earlier events in datelines without
# a year in their own ways. Paired CV at one policy, the background model trained without them: the flag on
# matched news events 0.714 -> 0.725, every other figure the same (twenty-ninth session, docs/events.md).
WIRE_TEACHES_BACKGROUND = False


# -- parsed material ----------------------------------------------------------------------------------------


@dataclass
class GoldEvent:
    event_type: str
    trigger: tuple[int, int]  # characters in the doc
    sources: frozenset[str]  # countries (UNK dropped)
    targets: frozenset[str]
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    reciprocal: bool = False
    background: bool = False
    repeat_of: str | None = None  # the id of the sentence where the annotator saw this event first

    @property
    def repeat(self) -> bool:
        """A repeat mention of an event the story reported before."""
        return self.repeat_of is not None


@dataclass
class Sentence:
    id: str
    start: int
    end: int
    gold: list[GoldEvent]


@dataclass
class Parsed:
    """One story (or one dev-gold sentence) parsed once, with the rules' proposals and gold by sentence."""

    group: str  # the cross-validation unit: a story id
    doc: Doc
    proposals: list[Event]
    views: list[SentenceView]
    sentences: list[Sentence]
    is_news: bool
    is_dev_gold: bool = False


def _countries(actors: Iterable[dict[str, Any]]) -> frozenset[str]:
    return frozenset(a.get("country") or "UNK" for a in actors) - {"UNK", ""}


def _find(text: str, needle: str, base: int) -> tuple[int, int] | None:
    at = text.find(needle) if needle else -1
    return (base + at, base + at + len(needle)) if at >= 0 else None


def _gold_event(sentence: str, base: int, event: dict[str, Any]) -> GoldEvent | None:
    trigger = _find(sentence, event.get("trigger") or "", base)
    if trigger is None:
        return None
    spans = {
        role: tuple(
            s for a in event.get(role, []) if (s := _find(sentence, a.get("text", ""), base)) is not None
        )
        for role in ("source", "target")
    }
    return GoldEvent(
        LEGACY_TYPES.get(event["type"], event["type"]), trigger,
        _countries(event.get("source", [])), _countries(event.get("target", [])),
        spans["source"], spans["target"], bool(event.get("reciprocal")),
        bool(event.get("background")), event.get("repeat_of") or None,
    )  # fmt: skip


def nlp_for_training() -> Language:
    """The pipeline up to claims: events are what we learn; dates and places do not feed them."""
    from detente.config import Settings
    from detente.pipeline import load_nlp

    return load_nlp(Settings(stages=("detente.actors.v1", "detente.claims.v1")))


def parse_corpus(nlp: Language, stories: Sequence[GoldStory], lexicon: Lexicon) -> list[Parsed]:
    articles = []
    for story in stories:
        text = story.text
        articles.append(story.article or Article(id=article_id(text, story.id), text=text, language="en",
                                                 published=_date(story.published), outlet=story.outlet))  # fmt: skip
    docs = nlp.pipe((_doc(nlp, a) for a in articles), batch_size=16)
    out = []
    for story, doc in zip(stories, docs, strict=True):
        sentences = []
        for s in story.sentences:
            gold = [g for e in s.events if (g := _gold_event(s.text, s.start, e)) is not None]
            sentences.append(Sentence(s.id, s.start, s.start + len(s.text), gold))
        out.append(_prepare(story.group, doc, sentences, lexicon, is_news=story.is_news))
    return out


def parse_dev_gold(nlp: Language, path: Path, lexicon: Lexicon) -> list[Parsed]:
    """The PLOVER dev gold: one sentence, one event; its group is the sentence id."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        text = case["text"].strip()
        doc = nlp(_doc(nlp, Article(id=article_id(text, case["id"]), text=text, language="en")))
        event = {
            "type": case["event"], "trigger": _dev_trigger(doc, case.get("eventText") or ""),
            "source": [{"text": a.get("actorText", ""), "country": a.get("code")} for a in case.get("source") or []],
            "target": [{"text": a.get("actorText", ""), "country": a.get("code")} for a in case.get("target") or []],
        }  # fmt: skip
        gold = [g for g in [_gold_event(text, 0, event)] if g is not None]
        parsed = _prepare(case["id"], doc, [Sentence(case["id"], 0, len(text), gold)], lexicon, is_news=False)
        parsed.is_dev_gold = True
        out.append(parsed)
    return out


def _dev_trigger(doc: Doc, event_text: str) -> str:
    """The dev gold names its trigger as loose words ("offered to hand over suspected"): the first word of
    them, in tree order, that is a verb or noun of the sentence."""
    words = {w.lower() for w in event_text.split()}
    found = [t for t in doc if t.lower_ in words and t.pos_ in {"VERB", "NOUN", "ADJ", "AUX", "PROPN"}]
    if not found:
        return ""
    best = min(found, key=lambda t: (len(list(t.ancestors)), t.i))
    return best.text


def _date(value: str | None) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _doc(nlp: Language, article: Article) -> Doc:
    """The article's tokens made as coding makes them (``pipeline.make_doc``: the same neutralised text and
    headline boundary), so the model learns from the docs it will code. On the annotated texts both are no-ops
    (no runs of marks, no titles in the texts): the training rows are the same as with a bare tokenizer."""
    from detente.pipeline import make_doc

    return make_doc(nlp, article)


def _prepare(group: str, doc: Doc, sentences: list[Sentence], lexicon: Lexicon, *, is_news: bool) -> Parsed:
    proposals = extract_events(doc, lexicon, min_confidence=0.0)
    speakers = speaker_tokens(doc, list(doc._.claims or ()))
    return Parsed(group, doc, proposals, sentence_views(doc, proposals, speakers), sentences, is_news)


# -- examples -----------------------------------------------------------------------------------------------


@dataclass
class TypeExample:
    group: str
    lemma: str
    pos: str
    ruled: bool
    features: list[str]
    label: str
    vector: Any = None  # the candidate's dense columns (``trigger_vector``), when the model uses them


@dataclass
class RoleExample:
    group: str
    features: list[str]
    label: str
    vector: Any = None  # dense columns (the background model's sentence and clause embedding)


@dataclass
class Examples:
    types: list[TypeExample] = field(default_factory=list)
    roles: list[RoleExample] = field(default_factory=list)
    background: list[RoleExample] = field(default_factory=list)  # (features, "background" | "news")


def _view_of(parsed: Parsed, token: Token) -> SentenceView | None:
    for view in parsed.views:
        if view.sent.start <= token.i < view.sent.end:
            return view
    return None


def _anchor(
    doc: Doc, gold: GoldEvent, eligible: set[int], rule_events: dict[int, Event] | None = None
) -> Token | None:
    """The word of a gold trigger phrase that carries its label: the word where the rules proposed the
    gold's type, when they did inside the phrase, else the phrase's head.

    Why the rules' word first: the policy keeps or drops a rule proposal by the model's probabilities at
    that word. Labelled at the head instead ("does not want to meet": "want"), the proposal's own word
    ("meet") was only an ignored second word of the phrase, and the model never learned to keep it."""
    span = doc.char_span(*gold.trigger, alignment_mode="expand")
    if span is None or not len(span):
        return None
    inside = [t for t in span if t.i in eligible]
    if not inside:
        return None
    rules = rule_events or {}
    proposed = [t for t in inside if t.i in rules and rules[t.i].event_type == gold.event_type]
    if proposed:
        return proposed[0]
    heads = [t for t in inside if not (span.start <= t.head.i < span.end) or t.head is t]
    return (heads or inside)[0]


def gold_anchors(
    parsed: Parsed, view: SentenceView, eligible: set[int]
) -> tuple[dict[int, str], list[tuple[Token, GoldEvent]]]:
    """The gold events of a sentence view at their anchor words (:func:`_anchor`), one per word, and each
    eligible word's label: the gold type at an anchor, ``IGNORE`` on the other words of a gold trigger phrase.
    Training reads both; the role ceiling (``party_ceiling``) reads the anchors, so it scores the events
    training learns from."""
    doc = parsed.doc
    labels: dict[int, str] = {}
    anchored: list[tuple[Token, GoldEvent]] = []
    for sentence in parsed.sentences:
        for gold in sentence.gold:
            if not (view.sent.start_char <= gold.trigger[0] < view.sent.end_char):
                continue
            anchor = _anchor(doc, gold, eligible, view.rule_events)
            if anchor is None or (anchor.i in labels and labels[anchor.i] != IGNORE):
                continue
            labels[anchor.i] = gold.event_type
            anchored.append((anchor, gold))
            span = doc.char_span(*gold.trigger, alignment_mode="expand")
            for token in span or ():
                if token.i in eligible and token.i not in labels:
                    labels[token.i] = IGNORE
    return labels, anchored


def examples_of(parsed: Parsed, lexicon: Lexicon, vocabulary: frozenset[str]) -> Examples:
    """Every candidate with its gold label, and every (gold event, mention) pair with its gold role."""
    out = Examples()
    doc = parsed.doc
    for view in parsed.views:
        eligible = {t.i for t in view.sent if is_candidate(t, view, lexicon, vocabulary)}
        labels, anchored = gold_anchors(parsed, view, eligible)
        for i in sorted(eligible):
            token = doc[i]
            out.types.append(TypeExample(parsed.group, token.lemma_.lower(), token.pos_, i in view.rule_events,
                                         trigger_features(token, view, lexicon), labels.get(i, NO_EVENT),
                                         trigger_vector(token, view.sent.text) if USE_DENSE else None))  # fmt: skip
        published = parsed.doc._.article.published_date
        for anchor, gold in anchored:
            if not parsed.is_dev_gold:
                label = "background" if gold.background else "news"
                out.background.append(
                    RoleExample(parsed.group, background_features(anchor, view, lexicon, published), label,
                                trigger_vector(anchor, view.sent.text) if USE_DENSE else None)
                )  # fmt: skip
            for mention in view.mentions:
                if anchor.i in mention.tokens:
                    continue
                label = _role_label(mention.ref.start, mention.ref.end, gold)
                out.roles.append(
                    RoleExample(parsed.group, role_features(anchor, mention, view, gold.event_type), label)
                )
    return out


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _role_label(start: int, end: int, gold: GoldEvent) -> str:
    if _overlaps(start, end, gold.source_spans):
        return "source"
    if _overlaps(start, end, gold.target_spans):
        return "target"
    return "none"


def gold_vocabulary(parsed: Iterable[Parsed]) -> frozenset[str]:
    """Lemmas of nouns and adjectives that annotators marked as triggers (verbs are always candidates)."""
    out = set()
    for p in parsed:
        for sentence in p.sentences:
            for gold in sentence.gold:
                span = p.doc.char_span(*gold.trigger, alignment_mode="expand")
                if span is not None and len(span) and span.root.pos_ in {"NOUN", "ADJ", "PROPN"}:
                    out.add(span.root.lemma_.lower())
    return frozenset(out)


# -- fitting ------------------------------------------------------------------------------------------------


def fit(parsed: Sequence[Parsed], lexicon: Lexicon, *, policy: Policy | None = None,
        calibration: Calibration | None = None) -> EventModel:  # fmt: skip
    vocabulary = gold_vocabulary(parsed)
    type_rows: list[list[str]] = []
    type_vectors: list[Any] = []
    type_labels: list[str] = []
    role_rows, role_labels, bg_rows, bg_labels = [], [], [], []
    bg_vectors: list[Any] = []
    for p in parsed:
        ex = examples_of(p, lexicon, vocabulary)
        for t in ex.types:
            if t.label != IGNORE:
                type_rows.append(t.features)
                type_vectors.append(t.vector)
                type_labels.append(t.label)
        for r in ex.roles:
            role_rows.append(r.features)
            role_labels.append(r.label)
        teaches_background = WIRE_TEACHES_BACKGROUND or not p.group.startswith(WIRE_PREFIX)
        for b in ex.background if teaches_background else ():
            bg_rows.append(b.features)
            bg_labels.append(b.label)
            bg_vectors.append(b.vector)
    dense = None
    if USE_DENSE and type_vectors and all(v is not None for v in type_vectors):
        import numpy as np

        dense = np.vstack(type_vectors)
    types = train_linear(type_rows, type_labels, classes=TYPE_CLASSES, l2=TYPE_L2, dense=dense)
    roles = train_linear(role_rows, role_labels, classes=ROLE_CLASSES, l2=ROLE_L2)
    bg_dense = None
    if USE_DENSE and bg_vectors and all(v is not None for v in bg_vectors):
        import numpy as np

        bg_dense = np.vstack(bg_vectors)
    background = train_linear(bg_rows, bg_labels, classes=("background", "news"), l2=ROLE_L2, dense=bg_dense)
    return EventModel(types, roles, vocabulary, policy, calibration, background, lexicon)


# -- scoring ------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One predicted event against the gold of its sentence."""

    group: str
    sentence: str
    predicted: Event | None
    gold: GoldEvent | None
    is_news: bool

    @property
    def raw(self) -> float:
        """The type model's own probability, which is the confidence when scored without a calibration
        (as :func:`outcomes` does while policies are chosen)."""
        return self.predicted.confidence if self.predicted is not None else 0.0

    @property
    def hit(self) -> bool:
        return self.predicted is not None and self.gold is not None

    @property
    def right(self) -> bool:
        """Wholly right: matched, with the source and target countries right (what ``confidence`` means)."""
        return self.hit and all(roles_right(self.predicted, self.gold))  # type: ignore[arg-type]


def roles_right(event: Event, gold: GoldEvent) -> tuple[bool, bool]:
    if gold.reciprocal or event.reciprocal:
        both = known_countries(event.source) | known_countries(event.target)
        ok = both == gold.sources | gold.targets
        return ok, ok
    return known_countries(event.source) == gold.sources, known_countries(event.target) == gold.targets


def match_sentence(parsed: Parsed, sentence: Sentence, predicted: Sequence[Event]) -> list[Outcome]:
    """One-to-one by type; among same-type pairs, overlapping triggers first."""
    gold = list(sentence.gold)
    outcomes: list[Outcome] = []
    remaining = list(predicted)
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(remaining):
            if p.event_type == g.event_type:
                overlap = p.trigger.start < g.trigger[1] and g.trigger[0] < p.trigger.end
                pairs.append((not overlap, abs(p.trigger.start - g.trigger[0]), gi, pi))
    used_g, used_p = set(), set()
    for _, _, gi, pi in sorted(pairs):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        outcomes.append(Outcome(parsed.group, sentence.id, remaining[pi], gold[gi], parsed.is_news))
    outcomes += [
        Outcome(parsed.group, sentence.id, p, None, parsed.is_news)
        for i, p in enumerate(remaining)
        if i not in used_p
    ]
    outcomes += [
        Outcome(parsed.group, sentence.id, None, g, parsed.is_news)
        for i, g in enumerate(gold)
        if i not in used_g
    ]
    return outcomes


def match_events(parsed: Parsed, events: Sequence[Event]) -> list[Outcome]:
    out: list[Outcome] = []
    for sentence in parsed.sentences:
        inside = [e for e in events if sentence.start <= e.trigger.start < sentence.end]
        found = match_sentence(parsed, sentence, inside)
        if not found:  # a sentence with no gold and nothing predicted still counts as a negative kept clean
            found = [Outcome(parsed.group, sentence.id, None, None, parsed.is_news)]
        out += found
    return out


@dataclass
class Report:
    outcomes: list[Outcome]

    def _prf(self, hits: int, predicted: int, gold: int) -> dict[str, float]:
        p = hits / predicted if predicted else 0.0
        r = hits / gold if gold else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        }

    def summary(self) -> dict[str, Any]:
        o = self.outcomes
        hits = [x for x in o if x.hit]
        predicted = sum(x.predicted is not None for x in o)
        gold = sum(x.gold is not None for x in o)
        by_sentence: dict[str, list[Outcome]] = defaultdict(list)
        for x in o:
            by_sentence[x.sentence].append(x)
        negatives = [s for s, xs in by_sentence.items() if all(x.gold is None for x in xs)]
        coded_negatives = [s for s in negatives if any(x.predicted is not None for x in by_sentence[s])]
        roles = [roles_right(x.predicted, x.gold) for x in hits]  # type: ignore[arg-type]
        per_type = {}
        for label in EVENT_TYPES:
            h = sum(x.hit and x.gold.event_type == label for x in o)  # type: ignore[union-attr]
            pr = sum(x.predicted is not None and x.predicted.event_type == label for x in o)
            g = sum(x.gold is not None and x.gold.event_type == label for x in o)
            if pr or g:
                per_type[label] = {"gold": g, "predicted": pr, **self._prf(h, pr, g)}
        macro = [v["f1"] for v in per_type.values() if v["gold"]]
        return {
            "sentences": len(by_sentence), "gold_events": gold, "predicted_events": predicted, "hits": len(hits),
            **self._prf(len(hits), predicted, gold),
            "source_country_right": round(sum(s for s, _ in roles) / len(roles), 3) if roles else 0.0,
            "target_country_right": round(sum(t for _, t in roles) / len(roles), 3) if roles else 0.0,
            "both_countries_right": round(sum(s and t for s, t in roles) / len(roles), 3) if roles else 0.0,
            "negative_sentences": len(negatives),
            "negatives_coded": round(len(coded_negatives) / len(negatives), 3) if negatives else 0.0,
            "macro_f1": round(sum(macro) / len(macro), 3) if macro else 0.0,
            "background_flag_right": round(sum(x.predicted.background == x.gold.background for x in hits) / len(hits), 3) if hits else 0.0,  # type: ignore[union-attr]
            "per_type": per_type,
        }  # fmt: skip

    def operating_points(
        self, floors: Sequence[float] = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
    ) -> list[dict[str, Any]]:
        """What a user who keeps only the events at or above a confidence (``--min-confidence``, the
        dashboard's filter) gets: precision, recall and F1, both countries right on the hits, and the share
        of no-event sentences still coded. Counted on the matches made with every event kept (an event
        dropped under the floor is not rematched), so it is the filter applied to the coder's output."""
        gold = sum(x.gold is not None for x in self.outcomes)
        by_sentence: dict[str, list[Outcome]] = defaultdict(list)
        for x in self.outcomes:
            by_sentence[x.sentence].append(x)
        negatives = [xs for xs in by_sentence.values() if all(x.gold is None for x in xs)]
        rows = []
        for floor in floors:
            kept = [x for x in self.outcomes if x.predicted is not None and x.predicted.confidence >= floor]
            hits = [x for x in kept if x.hit]
            both = [all(roles_right(x.predicted, x.gold)) for x in hits]  # type: ignore[arg-type]
            coded = sum(
                any(x.predicted is not None and x.predicted.confidence >= floor for x in xs)
                for xs in negatives
            )
            rows.append({"min_confidence": floor, "events": len(kept), **self._prf(len(hits), len(kept), gold),
                         "wholly_right": round(sum(x.right for x in kept) / len(kept), 3) if kept else 0.0,
                         "both_countries_right": round(sum(both) / len(both), 3) if both else 0.0,
                         "negatives_coded": round(coded / len(negatives), 3) if negatives else 0.0})  # fmt: skip
        return rows

    def reliability(
        self, bins: Sequence[float] = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
    ) -> list[dict[str, Any]]:
        """Among predicted events whose confidence falls in a bin, the share wholly right (what the confidence
        means: matched, with both countries right) and the share that match a gold event whatever the roles."""
        rows = []
        for low, high in itertools.pairwise(bins):
            inside = [
                x for x in self.outcomes if x.predicted is not None and low <= x.predicted.confidence < high
            ]
            if inside:
                right, matched = sum(x.right for x in inside), sum(x.hit for x in inside)
                mean = sum(x.predicted.confidence for x in inside if x.predicted is not None) / len(inside)
                rows.append({"bin": f"{low:.1f}-{min(high, 1.0):.1f}", "events": len(inside),
                             "mean_confidence": round(mean, 3), "share_right": round(right / len(inside), 3),
                             "share_matched": round(matched / len(inside), 3)})  # fmt: skip
        return rows


def fold_of(group: str, folds: int) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % folds


@dataclass
class HeldOut:
    """One held-out story scored by the model of its fold (policy-free, so policies are cheap to try)."""

    fold: int
    model: EventModel
    parsed: Parsed
    scored: list[tuple[SentenceView, list[Scored]]]
    role_cache: dict[tuple[int, str], Any] = field(default_factory=dict)


def cross_validate(parsed: Sequence[Parsed], lexicon: Lexicon, folds: int = 5) -> list[HeldOut]:
    held: list[HeldOut] = []
    for k in range(folds):
        train = [p for p in parsed if fold_of(p.group, folds) != k]
        model = fit(train, lexicon)
        for p in parsed:
            if fold_of(p.group, folds) == k:
                held.append(HeldOut(k, model, p, model.scored_sentences(p.doc, p.proposals)))
    return held


def outcomes(
    held: Iterable[HeldOut], policy: Policy, calibration: Calibration | None = None
) -> list[Outcome]:
    out: list[Outcome] = []
    for h in held:
        h.model.calibration = calibration or Calibration()
        events = h.model.events_from(h.parsed.doc, h.scored, policy, h.role_cache)
        out += match_events(h.parsed, events)
    return out


def policy_grid() -> list[Policy]:
    grid = []
    for drop in (0.5, 0.65, 0.8, 0.9, 1.01):
        for keep in (0.0, 0.1, 0.2, 0.3):
            for override in (0.6, 0.75, 0.9):
                for add in (0.5, 0.65, 1.01):
                    for protect in (0.9, 1.01):
                        # protect_drop only means something for a protected proposal
                        for protect_drop in (1.01, 0.95) if protect < 1.01 else (1.01,):
                            grid.append(Policy(drop=drop, keep=keep, override=override, add=add, protect=protect,
                                               protect_drop=protect_drop))  # fmt: skip
    return grid


MAX_NEGATIVES_CODED = 0.10  # issue 10: at most one sentence in ten without an event may be coded


MIN_DEV_GOLD = 0.80  # issue 10: type accuracy and macro-F1 on the PLOVER dev gold, by cross-validation
# The policy is chosen on cross-validated predictions of other folds, and a policy that holds the dev gold
# at 0.80 there need not hold it on the next fold: in the sixth release two nested folds chose one that
# did (0.80 inside) and the nested dev gold came out at 0.797 / 0.787. Asking the choice for a margin
# (0.82) gave nested 0.810 / 0.803 at the same news F1 (docs/events.md).
DEV_GOLD_MARGIN = 0.02
# The shipped policy keeps its place while it stays within this of the margin: one dev sentence is 0.006 of
# type accuracy, and in the thirty-first session one sentence a fold's model read differently (0.816 against
# 0.82) moved the whole-corpus choice to another policy, which lost the motivating example's leaders' talk.
# A band for the incumbent, as F1_TIE is for F1: a retrain leaves the policy for a wobble of one or two
# sentences, not for nothing; a new policy still has to clear the full margin.
DEV_GOLD_TIE = 0.01


def objective(
    report: Report, dev: dict[str, Any] | None = None, margin: float = DEV_GOLD_MARGIN
) -> tuple[float, float, float, float]:
    """Best F1 on news among policies that code at most 10% of the sentences without events, keep the
    dev gold's type accuracy and macro-F1 at 0.80 (with ``DEV_GOLD_MARGIN``) and precision at 0.75; each limit is dropped, last
    first, when no policy meets it.

    Cross-validated F1 is nearly flat along the policies' precision/recall curve (0.49 at P 0.51, 0.48 at
    P 0.60), and an analyst pays more for a non-event in a series than for a missed mention of a reported
    event (most are reported more than once), so the limit on coded non-events decides first. The dev-gold
    limit is there because precision on news can be bought by dropping the weaker rule proposals, and
    that costs the sentences of other sources where every sentence has an event: dropping rule proposals
    whose own type the model gives under 0.1-0.3 raised news precision from 0.57 to 0.62-0.65 at 2-3
    points of recall, and took dev-gold type accuracy from 0.82 to 0.69 (measured by nested CV).
    """
    s = report.summary()
    dev_ok = dev is None or (
        dev.get("type_accuracy", 0.0) >= MIN_DEV_GOLD + margin
        and dev.get("macro_f1", 0.0) >= MIN_DEV_GOLD + margin
    )
    return (
        1.0 if s["negatives_coded"] <= MAX_NEGATIVES_CODED else 0.0,
        1.0 if dev_ok else 0.0,
        1.0 if s["precision"] >= 0.75 else 0.0,
        s["f1"],
    )


F1_TIE = 0.005  # policies this close in cross-validated F1 are the same within noise


def choose_policy(held: Sequence[HeldOut], incumbent: Policy | None = None) -> Policy:
    """The best policy by :func:`objective`; among those that meet the same limits within ``F1_TIE`` of
    its F1, the ``incumbent`` (the policy the shipped model was trained with) when it is one of them, else
    the one that changes the rules' output least (drops fewest proposals, adds fewest words). The incumbent
    meets the dev-gold limit within ``DEV_GOLD_TIE`` of its margin.

    Without the tie rule the choice flipped between neighbouring policies when a few annotations changed,
    and with it what the shipped coder says about a given article. Choosing the most precise policy within
    a point of the best F1 instead was measured by nested CV (news P 0.648, R 0.395, F1 0.491, coded
    no-event sentences 6.6 %, against P 0.60, R 0.42 for this rule) and not kept: it drops rule proposals
    the model gives "no event" at 0.65, among them the motivating example's public stance ("describes
    relations with China as unshakable") and the Western sanctions, which an analyst reads there. A user
    who wants that precision filters by the calibrated confidence instead (docs/events.md)."""
    news = [h for h in held if h.parsed.is_news]
    dev = [h for h in held if h.parsed.is_dev_gold]
    candidates = policy_grid()
    if incumbent is not None and incumbent.as_dict() not in [p.as_dict() for p in candidates]:
        candidates.append(incumbent)  # a policy shipped from outside today's grid is still scored
    scored = []
    for policy in candidates:
        report = Report(outcomes(news, policy))
        dev_scores = dev_gold_scores(outcomes(dev, policy)) if dev else None
        shipped = incumbent is not None and policy.as_dict() == incumbent.as_dict()
        margin = DEV_GOLD_MARGIN - DEV_GOLD_TIE if shipped else DEV_GOLD_MARGIN
        scored.append((objective(report, dev_scores, margin), policy))
    return pick_policy(scored, incumbent, lambda policy: changes_to_rules(news, policy))


def changes_to_rules(held: Iterable[HeldOut], policy: Policy) -> int:
    """How far ``policy`` moves the coder's output from the rules' on held-out stories: rule proposals it
    drops or retypes, plus words the rules did not propose that it makes events."""
    changed = 0
    for h in held:
        for _, items in h.scored:
            for item in items:
                chosen = select([item], policy)
                rule = item.rule
                if rule is not None and rule.confidence >= policy.rule_min_confidence:
                    changed += not chosen or chosen[0].event_type != rule.event_type
                else:
                    changed += bool(chosen)
    return changed


def pick_policy(
    scored: Sequence[tuple[tuple[float, ...], Policy]],
    incumbent: Policy | None = None,
    changes: Callable[[Policy], int] | None = None,
) -> Policy:
    """From (objective, policy) pairs: the best objective's limits met, F1 within ``F1_TIE`` of the
    best; the incumbent among those, else the one with the fewest ``changes`` to the rules' output
    (counted on the held-out stories), the thresholds' order breaking what remains of a tie.

    Why counted: until the fourteenth session "least change" was read off the thresholds in a fixed order,
    ``drop`` first, and that order preferred drop 1.01 / keep 0.2 (never drop for "no event", but drop every
    proposal whose own type the model gives under 0.2) to drop 0.8 / keep 0, which drops fewer proposals.
    Twice that swap lost the motivating example's Western sanctions and China's oil sales to Russia.

    Why the incumbent: the thirteenth session retrained after changes that moved the training rows of 9 of
    721 stories, and the least-change order (a ranking of thresholds, first ``drop``) then preferred a
    policy that had just come within the noise band — drop 1.01 / keep 0.2 / override 0.9 / add 0.5
    instead of drop 0.8 / keep 0 / override 0.6 / add 0.65, at the same nested news F1 (0.494) — and it lost
    the motivating example's Western sanctions and China's oil sales to Russia. Within noise, a retrain
    keeps what the coder says; it changes policy when another is better by more than the noise, or when the
    shipped one breaks a limit."""
    best_key = max(key for key, _ in scored)
    near = [p for key, p in scored if key[:-1] == best_key[:-1] and key[-1] >= best_key[-1] - F1_TIE]
    if incumbent is not None:
        for p in near:
            if p.as_dict() == incumbent.as_dict():
                return p

    def gentleness(p: Policy) -> tuple[float, ...]:
        return (-(changes(p) if changes is not None else 0), p.drop, -p.keep, p.add, p.override, p.protect)

    return max(near, key=gentleness)


def shipped_policy(directory: Path | None = None) -> Policy | None:
    """The policy of the model in ``directory`` (the shipped one by default), or None without one."""
    meta_path = (directory or MODEL_DIR) / "model.json"
    if not meta_path.exists():
        return None
    return Policy(**json.loads(meta_path.read_text(encoding="utf-8"))["policy"])


def fit_calibration(items: Sequence[Outcome]) -> Calibration:
    """The confidence's calibration (``detente.events.calibration``) from events scored without one."""
    return calibration.fit(
        [(o.predicted, o.raw, o.right, o.is_news) for o in items if o.predicted is not None]
    )


def nested_outcomes(
    held: Sequence[HeldOut], folds: int, incumbent: Policy | None = None
) -> tuple[list[Outcome], list[Policy]]:
    """Each fold scored with the policy and calibration chosen on the other folds' held-out stories only
    (the incumbent, fixed before any fold is seen, is kept within noise as in :func:`choose_policy`)."""
    out, chosen = [], []
    for k in range(folds):
        others = [h for h in held if h.fold != k]
        policy = choose_policy(others, incumbent)
        calibration = fit_calibration(outcomes(others, policy))
        chosen.append(policy)
        out += outcomes([h for h in held if h.fold == k], policy, calibration)
    return out, chosen


# -- commands -----------------------------------------------------------------------------------------------


def load_material(
    with_dev_gold: bool = True, with_written: bool | None = None
) -> tuple[list[Parsed], Lexicon]:
    lexicon = load_lexicon()
    nlp = nlp_for_training()
    stories = load_corpus()
    if USE_WRITTEN if with_written is None else with_written:
        stories += load_written()
    if USE_WIRE:
        stories += load_wire()
    parsed = parse_corpus(nlp, stories, lexicon)
    if with_dev_gold and DEV_GOLD.exists():
        parsed += parse_dev_gold(nlp, DEV_GOLD, lexicon)
    return parsed, lexicon


# -- is the shipped model what `make train` makes? -----------------------------------------------------------

# The eleventh session shipped a model trained part way through a change to the actors stage, which the
# features read (subjects and objects that are actors, their sectors): `make train` at its last commit gave
# other weights (docs/events.md). The training rows of a few stories stand for all of them: the model records
# their digest, and a test recomputes it from the current code, so a change to what the features read fails
# until the model is retrained.
FINGERPRINT_PER_KIND = 2  # the first news and the first synthetic stories by id


def fingerprint_groups(groups: Iterable[str]) -> list[str]:
    """The stories whose rows stand for all: the first ``FINGERPRINT_PER_KIND`` news, synthetic and wire ones
    (the wire articles' rows also read how an article is ingested: its headline and dateline)."""
    ordered = sorted(set(groups))
    return [g for prefix in ("voa-", "syn-", WIRE_PREFIX)
            for g in [g for g in ordered if g.startswith(prefix)][:FINGERPRINT_PER_KIND]]  # fmt: skip


def rows_fingerprint(parsed: Sequence[Parsed], lexicon: Lexicon, vocabulary: frozenset[str]) -> str:
    """A digest of the sparse training rows of ``parsed`` (each type, role and background example's features
    and label): the same code, corpus and vocabulary give the same digest."""
    digest = hashlib.sha256()
    for p in sorted(parsed, key=lambda p: p.group):
        examples = examples_of(p, lexicon, vocabulary)
        for kind, rows in (("type", examples.types), ("role", examples.roles), ("bg", examples.background)):
            for row in rows:
                digest.update(json.dumps([kind, p.group, row.features, row.label]).encode())
    return digest.hexdigest()


def training_rows_record(
    parsed: Sequence[Parsed], lexicon: Lexicon, vocabulary: frozenset[str]
) -> dict[str, Any]:
    """What the model records of its training rows (``model.json`` ``training_rows``)."""
    groups = fingerprint_groups(p.group for p in parsed if not p.is_dev_gold)
    chosen = [p for p in parsed if p.group in set(groups)]
    return {"stories": groups, "sha256": rows_fingerprint(chosen, lexicon, vocabulary)}


# -- one event, several mentions ------------------------------------------------------------------------------


def gold_occurrences(sentences: Sequence[Sentence]) -> dict[int, int]:
    """Each gold event of a story (by ``id``) mapped to its occurrence: a repeat mention (``repeat_of``,
    the sentence the annotator saw the event in first) joins the event of its type in that sentence (else
    that sentence's first event), and through it the occurrence that one joined."""
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    by_id = {s.id: s for s in sentences}
    for sentence in sentences:
        for gold in sentence.gold:
            parent.setdefault(id(gold), id(gold))
            first = by_id.get(gold.repeat_of or "")
            if first is None or not first.gold:
                continue
            earlier = next((g for g in first.gold if g.event_type == gold.event_type), first.gold[0])
            parent[root(id(gold))] = root(id(earlier))
    return {key: root(key) for key in parent}


def pair_agreement(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | int]:
    """(gold says one event, the coder counts one event) for every pair of matched mentions of a story:
    how often the coder's "the same event" is the annotator's (precision) and the annotator's is the
    coder's (recall)."""
    gold_same = coder_same = both = total = 0
    for gold, coder in pairs:
        total += 1
        gold_same += gold
        coder_same += coder
        both += gold and coder
    return {"pairs": total, "gold_same": gold_same, "coder_same": coder_same, "both": both,
            "precision": round(both / coder_same, 3) if coder_same else 0.0,
            "recall": round(both / gold_same, 3) if gold_same else 0.0}  # fmt: skip


def occurrence_links(held: Sequence[HeldOut], policy: Policy) -> dict[str, Any]:
    """Whether the coder counts repeat mentions as one event where the annotator did (news stories,
    held-out predictions): every pair of matched mentions of a story is compared, the coder's pairs as
    counting groups them in one article (``counting.article_groups``: type, modality, background, the
    sides' countries and compatible dates; the dates stage is run on the held-out events for this), the
    annotator's through ``repeat_of``."""
    from detente.analytics.counting import article_groups
    from detente.pipeline import load_nlp

    dates = load_nlp().get_pipe("detente.dates.v1")
    pairs: list[tuple[bool, bool]] = []
    for h in held:
        if not h.parsed.is_news:
            continue
        h.model.calibration = Calibration()
        doc = h.parsed.doc
        doc._.events = h.model.events_from(doc, h.scored, policy, h.role_cache)
        events = list(dates(doc)._.events)
        group_of = {e.id: k for k, group in enumerate(article_groups(events)) for e in group}
        gold_of = gold_occurrences(h.parsed.sentences)
        hits = [(o.predicted, o.gold) for o in match_events(h.parsed, events) if o.hit]
        for (p1, g1), (p2, g2) in itertools.combinations(hits, 2):
            assert p1 is not None and p2 is not None and g1 is not None and g2 is not None
            pairs.append((gold_of[id(g1)] == gold_of[id(g2)], group_of[p1.id] == group_of[p2.id]))
    return pair_agreement(pairs)


# -- where recall is lost ------------------------------------------------------------------------------------

# The model's probability of a missed event's type at its trigger, in bands: how many misses a threshold could
# ever reach (docs/events.md, "Where the misses are").
MISS_BANDS = (
    (0.5, "P(type) >= 0.5"),
    (0.3, "P(type) 0.3-0.5"),
    (0.1, "P(type) 0.1-0.3"),
    (0.0, "P(type) < 0.1"),
)


def miss_reason(items: Sequence[Scored], gold_type: str) -> str:
    """Why a gold event was missed, read from the scored candidates at the words of its trigger: none of them
    a candidate; the rules proposed its type and the policy dropped or retyped it; else the band of the
    model's highest probability of its type there."""
    if not items:
        return "no candidate"
    if any(item.rule is not None and item.rule.event_type == gold_type for item in items):
        return "rule proposed it, policy dropped it"
    p = max(item.probabilities.get(gold_type, 0.0) for item in items)
    return next(name for floor, name in MISS_BANDS if p >= floor)


def misses(held: Sequence[HeldOut], policy: Policy) -> dict[str, Any]:
    """The held-out news gold events ``policy`` misses, by :func:`miss_reason` and by type, with how many of
    them the model ranks first among the types (its "no event" winning) and how many sit in sentences where
    nothing was coded."""
    reasons: Counter[str] = Counter()
    top_type: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    empty = 0
    for h in held:
        if not h.parsed.is_news:
            continue
        h.model.calibration = Calibration()
        events = h.model.events_from(h.parsed.doc, h.scored, policy, h.role_cache)
        scored_at = {item.token.i: item for _, items in h.scored for item in items}
        doc = h.parsed.doc
        for sentence in h.parsed.sentences:
            inside = [e for e in events if sentence.start <= e.trigger.start < sentence.end]
            for o in match_sentence(h.parsed, sentence, inside):
                if o.predicted is not None or o.gold is None:
                    continue
                start, end = o.gold.trigger
                items = [scored_at[t.i] for t in doc.char_span(start, end, alignment_mode="expand") or ()
                         if t.i in scored_at]  # fmt: skip
                reason = miss_reason(items, o.gold.event_type)
                reasons[reason] += 1
                by_type[o.gold.event_type][reason] += 1
                top_type[reason] += any(item.best == o.gold.event_type for item in items)
                empty += not inside
    return {
        "missed": sum(reasons.values()), "in_sentences_coded_nothing": empty,
        "by_reason": {r: {"missed": n, "model_ranks_the_type_first": top_type[r]} for r, n in reasons.most_common()},
        "by_type": {t: dict(c) for t, c in sorted(by_type.items())},
    }  # fmt: skip


RULES_ALONE = Policy(drop=1.01, override=1.01, add=1.01, rule_roles=True, fill_roles=False)


def main(argv: Sequence[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m detente.events.training")
    parser.add_argument("command", choices=["train", "cv", "occurrences", "misses", "parties"])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--report", type=Path, help="write the cross-validation report (JSON) here")
    args = parser.parse_args(argv)
    parsed, lexicon = load_material()
    if args.command == "parties":  # the gold parties against the actors stage's mentions (party_ceiling.py)
        print(json.dumps(party_ceiling.report(parsed, lexicon, gold_vocabulary(parsed)), indent=1))
        return 0
    held = cross_validate(parsed, lexicon, args.folds)
    if args.command == "occurrences":  # the shipped policy's repeat mentions against the annotation
        print(json.dumps(occurrence_links(held, EventModel.load().policy), indent=1))
        return 0
    if args.command == "misses":  # where the shipped policy loses recall
        print(json.dumps(misses(held, EventModel.load().policy), indent=1))
        return 0
    incumbent = shipped_policy(args.out)
    nested, policies = nested_outcomes(held, args.folds, incumbent)
    report = {
        "folds": args.folds, "policies_chosen_per_fold": [p.as_dict() for p in policies],
        "model": cv_report(nested), "rules_alone": cv_report(outcomes(held, RULES_ALONE)),
    }  # fmt: skip
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(brief(report), indent=1))
    if args.command == "train":
        policy = choose_policy(held, incumbent)
        calibration = fit_calibration(outcomes(held, policy))
        model = fit(parsed, lexicon, policy=policy, calibration=calibration)
        stories = sorted({p.group for p in parsed
                          if not p.is_dev_gold and not p.group.startswith((WRITTEN_PREFIX, WIRE_PREFIX))})  # fmt: skip
        wire = sorted({p.group for p in parsed if p.group.startswith(WIRE_PREFIX)})
        written = sum(len(p.sentences) for p in parsed if p.group.startswith(WRITTEN_PREFIX))
        model.save(args.out, {
            "trained_on": {"stories": len(stories), "written_sentences": written, "wire_articles": len(wire),
                           "dev_gold_sentences": sum(p.is_dev_gold for p in parsed)},
            "cross_validation": brief(report),
            "training_rows": training_rows_record(parsed, lexicon, model.vocabulary),
        })  # fmt: skip
    return 0


def brief(report: dict[str, Any]) -> dict[str, Any]:
    """The report without per-type tables and reliability rows."""
    keep = {}
    for name in ("model", "rules_alone"):
        keep[name] = {
            part: {k: v for k, v in report[name][part].items() if k not in ("per_type",)}
            for part in ("news", "synthetic", "written", "wire", "dev_gold")
            if part in report[name]  # (a report of a model trained before the wire articles has none)
        }
    return keep


def cv_report(items: Sequence[Outcome]) -> dict[str, Any]:
    news = [o for o in items if o.is_news]
    written = [o for o in items if o.group.startswith(WRITTEN_PREFIX)]
    wire = [o for o in items if o.group.startswith(WIRE_PREFIX)]
    synthetic = [
        o for o in items if not o.is_news and not o.group.startswith(("PLOVER", WRITTEN_PREFIX, WIRE_PREFIX))
    ]
    dev = [o for o in items if o.group.startswith("PLOVER")]
    return {
        "news": Report(news).summary(), "synthetic": Report(synthetic).summary(), "dev_gold": dev_gold_scores(dev),
        "written": Report(written).summary(), "wire": Report(wire).summary(), "reliability_news": Report(news).reliability(),
        "operating_points_news": Report(news).operating_points(),
    }  # fmt: skip


def dev_gold_scores(items: Sequence[Outcome]) -> dict[str, Any]:
    """The dev gold's own measure: per sentence, the most confident predicted event's type."""
    by_sentence: dict[str, list[tuple[float, Outcome]]] = defaultdict(list)
    for o in items:
        by_sentence[o.sentence].append((o.raw, o))
    gold_types: dict[str, str] = {}
    chosen: dict[str, str | None] = {}
    roles: dict[str, list[bool]] = {"source": [], "target": []}
    for sentence, scored in by_sentence.items():
        golds = [o.gold for _, o in scored if o.gold is not None]
        if not golds:
            continue
        gold_types[sentence] = golds[0].event_type
        preds = [(p, o.predicted) for p, o in scored if o.predicted is not None]
        best = max(preds, key=lambda x: x[0])[1] if preds else None
        chosen[sentence] = best.event_type if best is not None else None
        # as `detente eval` scores the dev gold: the chosen event's countries (UNK dropped) equal the
        # gold's, over the sentences whose gold names that role
        for role, gold_countries in (("source", golds[0].sources), ("target", golds[0].targets)):
            if gold_countries:
                refs = () if best is None else best.source if role == "source" else best.target
                roles[role].append(known_countries(refs) == gold_countries)
    total = len(gold_types)
    right = sum(chosen[s] == g for s, g in gold_types.items())
    counts = Counter(gold_types.values())
    f1s = []
    for label in counts:
        tp = sum(chosen[s] == label and g == label for s, g in gold_types.items())
        pr = sum(chosen[s] == label for s in gold_types)
        p = tp / pr if pr else 0.0
        r = tp / counts[label]
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return {"sentences": total, "type_accuracy": round(right / total, 3) if total else 0.0,
            "macro_f1": round(sum(f1s) / len(f1s), 3) if f1s else 0.0,
            "source_country": round(sum(roles["source"]) / len(roles["source"]), 3) if roles["source"] else 0.0,
            "target_country": round(sum(roles["target"]) / len(roles["target"]), 3) if roles["target"] else 0.0}  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
