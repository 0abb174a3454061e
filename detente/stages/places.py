"""``detente.places.v1``: place mentions resolved against the offline gazetteer, and each event's place.

Mentions come from spaCy's GPE/LOC/FAC entities (no second parse) and from a phrase matcher over the
gazetteer's named regions, built once per stage ("the Russian Far East", "Central Asia", which the small
model splits or misses). Demonyms are never places ("Russian" is not Russia); a metonym is both ("Moscow"
an actor and a place). Ambiguous names are settled by the article's countries (its actors' countries
and the countries it names unambiguously) and then by population (:mod:`detente.gazetteer`).

An event takes a place only when the text supports one: a place governed by a locative preposition
("in", "at", "near", ...) in the event's clause, else in a clause that governs it ("In Kabul, officials
said they had arrested ..."), never one from a clause below or beside it, and never one of the event's
own actors.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from detente.gazetteer import Entry, Gazetteer, default_gazetteer
from detente.records import Event, Place, ResolvedDate
from detente.stages.dates import clause_head
from detente.stages.factory import register_stage

PLACE_LABELS = frozenset({"GPE", "LOC"})  # FAC names buildings and roads ("the White House"), not places here
# The small model often tags places ORG or PERSON ("Crimea", "Kinshasa"). Such an entity is a place when
# it names a country, a region, a capital or a place of a million people, or when a locative preposition
# governs it ("near Goma"); a bare small city or division name is too easily a person's or a company's.
LOOSE_LABELS = frozenset({"ORG", "PERSON", "NORP"})
LOOSE_KINDS = frozenset({"country", "region"})
BIG_PLACE = 1_000_000  # a city or division this large is unmistakable under any label ("Kharkiv" as PERSON)
LOCATIVE_PREPS = frozenset({
    "in", "at", "near", "outside", "inside", "across", "throughout", "around", "within", "into", "along",
    "off", "from", "towards", "toward", "to", "onto",
})  # fmt: skip
# "to"/"from" mark places of movement ("flew to Beijing"), kept only for movement verbs.
MOVEMENT_PREPS = frozenset({"to", "from", "towards", "toward", "onto"})
MOVEMENT_LEMMAS = frozenset({
    "travel", "fly", "go", "come", "arrive", "return", "visit", "move", "deploy", "send", "march", "flee",
    "advance", "withdraw", "retreat", "evacuate", "transfer", "ship", "head", "sail", "enter", "launch",
})  # fmt: skip
PLACE_TARGET_TYPES = frozenset({"ASSAULT", "COERCE"})
PLACE_NOUNS = frozenset({
    "city", "town", "village", "capital", "port", "province", "region", "district", "state", "county",
    "area", "suburb", "outskirts", "centre", "center", "island", "enclave", "territory", "oblast", "governorate",
})  # fmt: skip
NO_ACTOR_COUNTRIES = frozenset({"UNK", "IGO", "WST", ""})


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    entry: Entry

    @property
    def place(self) -> Place:
        return self.entry.to_place(self.span.text, self.span.start_char, self.span.end_char)


def article_countries(doc: Doc, candidates: list[tuple[Span, list[Entry]]]) -> Counter[str]:
    """The countries an article is about: its actors' countries, or without actors the countries it
    names without ambiguity (actors already count the countries named as actors)."""
    counts: Counter[str] = Counter()
    for actor in doc._.actors or ():
        if actor.country not in NO_ACTOR_COUNTRIES:
            counts[actor.country] += 1
    if counts:
        return counts
    for _, entries in candidates:
        if len(entries) == 1 and entries[0].country:
            counts[entries[0].country] += 1
    return counts


def _strip_the(span: Span) -> Span:
    return span[1:] if len(span) > 1 and span[0].lower_ == "the" else span


def _locative_prep(span: Span) -> Token | None:
    """The preposition governing a place mention ("in [Central Asia] and [the Arctic]"), if any."""
    token = span.root
    while token.head.i != token.i:
        if token.dep_ in ("conj", "appos"):  # "in Central Asia and [the Arctic]", "in Jeddah, [Saudi Arabia]"
            token = token.head
        elif (
            token.dep_ == "pobj"
            and token.head.lower_ == "of"
            and token.head.head.lemma_.lower() in PLACE_NOUNS
        ):
            token = token.head.head  # "in the port city of [Jeddah]"
        else:
            break
    if token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS:
        prep = token.head
        if prep.lower_ in MOVEMENT_PREPS and prep.head.lemma_.lower() not in MOVEMENT_LEMMAS:
            return None
        return prep
    return None


class PlaceStage:
    """Writes ``doc._.places`` and each event's ``place``."""

    def __init__(self, nlp: Language, name: str, min_confidence: float = 0.35,
                 gazetteer: Gazetteer | None = None) -> None:  # fmt: skip
        self.name = name
        self.min_confidence = min_confidence
        self.gazetteer = gazetteer or default_gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher.add("REGION", [nlp.make_doc(name) for name in self.gazetteer.region_names()])

    def find_places(self, doc: Doc) -> list[Mention]:
        regions = filter_spans([doc[s:e] for _, s, e in self.matcher(doc)])
        taken = {i for span in regions for i in range(span.start, span.end)}
        candidates: list[tuple[Span, list[Entry]]] = []
        for span in regions:
            if not self.gazetteer.is_demonym(span.text):
                candidates.append((span, self.gazetteer.lookup(span.text)))
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS and ent.label_ not in LOOSE_LABELS:
                continue
            if any(i in taken for i in range(ent.start, ent.end)) or self.gazetteer.is_demonym(ent.text):
                continue
            span = _strip_the(ent)
            entries = self.gazetteer.lookup(span.text)
            if ent.label_ in LOOSE_LABELS and _locative_prep(span) is None:
                # "Kinshasa" tagged ORG is still a place after "in"; otherwise only unmistakable names
                entries = [
                    e for e in entries if e.kind in LOOSE_KINDS or e.capital or e.population >= BIG_PLACE
                ]
            if entries:
                candidates.append((span, entries))
        context = article_countries(doc, candidates)
        mentions: list[Mention] = []
        chosen: set[Entry] = set()  # a set: a list made this quadratic in the article's length
        for span, entries in sorted(candidates, key=lambda c: c[0].start):
            # One sense per article: after "the Russian Far East", "the Far East" means the same place.
            earlier = [e for e in entries if e in chosen]
            if earlier:
                entry: Entry | None = earlier[0]
            else:
                entry = self.gazetteer.resolve(span.text, context) if len(entries) > 1 else entries[0]
            if entry is None or entry not in entries:
                entry = entries[0]
            mentions.append(Mention(span, entry))
            chosen.add(entry)
        return mentions

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.find_places(doc)
        doc._.places = [m.place for m in mentions]
        events = doc._.events
        if events:
            places = _PlaceIndex(mentions, doc._.dates or ())
            doc._.events = [
                dataclasses.replace(e, place=event_place(doc, e, mentions, places)) for e in events
            ]
        return doc


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


class _PlaceIndex:
    """Mentions by start token and date spans by start character, each with the furthest end so far: an
    event reads the mentions of its sentence and the dates around a mention by bisection, not by scanning
    all of them (quadratic in the article's length)."""

    def __init__(self, mentions: list[Mention], dates: Iterable[ResolvedDate]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.span.start)
        self.starts = [m.span.start for m in self.mentions]
        self.dates = sorted(
            (d.char_start, d.char_end) for d in dates if d.char_start is not None and d.char_end is not None
        )
        self.date_starts = [s for s, _ in self.dates]
        self.date_reach = list(itertools.accumulate((e for _, e in self.dates), max))

    def in_sentence(self, sentence: Span) -> list[Mention]:
        lo = bisect.bisect_left(self.starts, sentence.start)
        return self.mentions[lo : bisect.bisect_left(self.starts, sentence.end)]

    def dates_around(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Date spans (characters) holding ``start``..``end``."""
        k = bisect.bisect_right(self.date_starts, start) - 1
        while k >= 0 and self.date_reach[k] >= end:
            if self.dates[k][1] >= end:
                yield self.dates[k]
            k -= 1


def event_place(
    doc: Doc, event: Event, mentions: list[Mention], index: _PlaceIndex | None = None
) -> Place | None:
    """The place the text gives for an event, or None (abstain rather than guess)."""
    trigger = _token_at(doc, event.trigger.start)
    if trigger is None or not mentions:
        return None
    index = index or _PlaceIndex(mentions, doc._.dates or ())
    # The event's own actors are not where it happened ("Moscow condemned"), except the target of an
    # attack or coercion, which is ("the invasion of Ukraine", "shelled Kharkiv").
    targets_are_places = event.event_type in PLACE_TARGET_TYPES
    actors = [(a.start, a.end) for a in (*event.source, *(() if targets_are_places else event.target))]
    # Only a place that is the actor ("Moscow condemned") is excluded, not one inside the actor's phrase
    # ("Russian officials in Riyadh"): the actor's head word decides.
    actor_heads = [span.root.idx for s, e in actors if (span := doc.char_span(s, e, alignment_mode="expand"))]
    # A place inside a date phrase ("three days before the invasion at Ukraine in February 2022")
    # belongs to the phrase's anchor event, unless the trigger is in that phrase too.
    sentence = trigger.sent
    clause = clause_head(trigger)
    in_clause, in_sentence = [], []
    for mention in index.in_sentence(sentence):
        span = mention.span
        if any(span.start_char <= head < span.end_char for head in actor_heads):
            continue  # the event's own actor (a metonym) is not where it happened
        dates = index.dates_around(span.start_char, span.end_char)
        if any(not s <= event.trigger.start < e for s, e in dates):
            continue
        prep = _locative_prep(span)
        if prep is None:
            if _object_of_noun_trigger(span, trigger):
                in_clause.append(mention)
            continue
        if prep.head.dep_ in ("nsubj", "nsubjpass") and trigger.i not in (prep.head.i, prep.head.head.i):
            continue  # "officials in Kinshasa said [they attacked]": where the speakers are, not the attack
        governing = clause_head(prep)
        if governing.i == clause.i:
            in_clause.append(mention)
        elif governing.is_ancestor(clause):
            in_sentence.append(mention)  # a main clause sets the scene for what it reports
    for candidates in (in_clause, in_sentence):
        if candidates:
            best = min(candidates, key=lambda m: abs(m.span.start - trigger.i))
            return best.place
    return None


def _object_of_noun_trigger(span: Span, trigger: Token) -> bool:
    """ "the invasion of Ukraine", "strikes on Kharkiv": a nominal event's object is its place."""
    token = span.root
    return (
        trigger.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ in ("of", "on", "against")
        and token.head.head.i == trigger.i
    )  # fmt: skip


def make_place_stage(nlp: Language, name: str, min_confidence: float) -> PlaceStage:
    return PlaceStage(nlp, name, min_confidence)


register_stage(
    "detente.places.v1", make_place_stage, default_config={"min_confidence": 0.35},
    assigns=["doc._.places", "doc._.events"], requires=["doc._.events", "doc._.actors"],
)  # fmt: skip
