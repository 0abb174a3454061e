"""``detente.dates.v1``: find date expressions, resolve them, and give every event its governing date.

Reads spaCy's DATE/TIME entities (no second parse) plus a few precompiled patterns spaCy misses, joins
pieces that belong together ("the end of 2023" + "or" + "the beginning of 2024"; "three days" +
"before the invasion ... in February 2022"), and resolves each with :func:`detente.timex.resolve_date`
against the article's publication date. Writes ``doc._.dates`` and replaces each ``Event`` in
``doc._.events`` with its date: the nearest resolved date in its clause, else in a clause governing it,
else the publication date (flagged in ``reason``).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from detente.records import Event, ResolvedDate
from detente.stages.factory import register_stage
from detente.timex import publication_date, resolve_date
from detente.timex_lexicon import MONTHS, WEEKDAYS

__all__ = ["DateStage", "clause_head", "find_dates", "resolve_date"]

DATE_LABELS = frozenset({"DATE", "TIME"})
# Syntactic relations that open a new clause: a date inside one governs that clause only.
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "xcomp", "csubj", "parataxis", "acl", "pcomp"})
_JOINERS = re.compile(r"^\s*(?:,\s*)?(?:or|and|to|until|till|through|into|-|–|—)\s*$", re.IGNORECASE)
_LEFT_WORDS = frozenset({"since", "from", "between", "over", "by", "until"})
# Hedges that belong to the expression: "up to two weeks ago" spans from two weeks ago to publication.
_LEFT_PHRASES = (("as", "much", "as"), ("no", "more", "than"), ("up", "to"), ("less", "than"),
                 ("as", "recently", "as"), ("as", "late", "as"))  # fmt: skip
_ANCHOR_WORDS = frozenset({"before", "after", "following", "prior", "ahead"})
_COUNTED = re.compile(
    r"^(?:about |some |nearly |almost |roughly |around )?(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|[a-z]+teen|twenty|thirty|forty|fifty)(?:[ -][a-z]+)? (?:day|week|month|year|decade)s?$",
    re.IGNORECASE,
)
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE_LEMMAS = frozenset({
    "plan", "schedule", "due", "intend", "expect", "aim", "set", "hope", "promise", "pledge", "vow", "prepare",
})  # fmt: skip
_FUTURE_STEMS = ("plan", "schedul", "intend", "expect", "hope", "hoping", "promis", "pledg", "vow", "prepar")
# Expressions the small English model often leaves untagged. One compiled pass over the text.
_EXTRA = re.compile(
    r"\b(?:(?:over|during) the (?:past |last )?weekend|(?:last|this|next) (?:" + "|".join(WEEKDAYS) + r")"
    r"|(?:earlier|later) this (?:week|month|year)|q[1-4] (?:19|20)\d\d|the (?:\w+ )?anniversary of the \w+"
    r"|the (?:day|week) (?:before|after) (?:yesterday|tomorrow))\b",
    re.IGNORECASE,
)
# "overnight" (not "an overnight curfew"), "the 5th of May" (the model tags "May" alone).
_EXTRA_WIDER = re.compile(
    r"\bovernight\b|\b(?:the )?[0-3]?\d(?:st|nd|rd|th)? of (?:" + "|".join(m for m in MONTHS if len(m) > 3)
    + r"|jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)\b\.?",
    re.IGNORECASE,
)  # fmt: skip
# Newsroom weekday abbreviations, capitalised: "Thurs.", "on Sat", "Tues.-Thurs.", "Sat. night". Without a
# full stop only after "on/last/this/next/early/late" or before a part of the day ("Sun" may be a paper).
_ABBREVIATED = r"(?:Mon|Tues?|Weds?|Thu(?:rs?)?|Fri|Sat|Sun)"
_ABBREVIATED_WEEKDAY = re.compile(
    r"\b(?P<lead>(?:[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate) )?" + _ABBREVIATED + r"(?P<dot>\.)?(?![\w'’])"
    r"(?:\s?(?:-|–|to|and|or|through|until)\s?" + _ABBREVIATED + r"\.?(?![\w'’]))?"
    r"(?P<part>,? (?:morning|afternoon|evening|night))?"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A resolved expression with its place in the doc and the resolved pieces it was joined from."""

    date: ResolvedDate
    span: Span
    parts: tuple[ResolvedDate, ...] = ()


def _pub_date(doc: Doc) -> dt.date | None:
    article = doc._.article if Doc.has_extension("article") else None
    return article.published_date if article is not None else None


def _candidate_spans(doc: Doc, text: str) -> list[Span]:
    spans = [ent for ent in doc.ents if ent.label_ in DATE_LABELS]
    taken = {i for span in spans for i in range(span.start, span.end)}
    for match in _EXTRA.finditer(text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and not any(i in taken for i in range(span.start, span.end)):
            spans.append(span)
            taken.update(range(span.start, span.end))
    wider = [
        m for m in _EXTRA_WIDER.finditer(text) if m.group(0).lower() != "overnight" or _overnight(doc, m)
    ]
    abbreviated = [m for m in _ABBREVIATED_WEEKDAY.finditer(text) if m["lead"] or m["dot"] or m["part"]]
    for match in wider + abbreviated:
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        inside = [s for s in spans if s.start < span.end and span.start < s.end]
        # an entity the pattern holds whole gives way to it ("May" in "the 5th of May")
        if all(span.start <= s.start and s.end <= span.end for s in inside):
            spans = [s for s in spans if s not in inside] + [span]
    return sorted(spans, key=lambda s: s.start)


def _overnight(doc: Doc, match: re.Match[str]) -> bool:
    span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
    return span is not None and span.root.dep_ != "amod"  # not "an overnight curfew"


def _left_phrase(doc: Doc, start: int) -> int:
    """The start of a hedge just before an expression ("up to" two weeks ago), else ``start``."""
    for phrase in _LEFT_PHRASES:
        first = start - len(phrase)
        if first >= 0 and tuple(t.lower_ for t in doc[first:start]) == phrase:
            return first
    return start


def _before_verb(span: Span) -> Span | None:
    """An entity the model ran on past its date ("Nov. 2 ended two years"): the part before the verb."""
    for token in span[1:]:
        if token.pos_ in ("VERB", "AUX"):
            return span.doc[span.start : token.i]
    return None


def _anchor_end(doc: Doc, span: Span, following: list[Span]) -> int | None:
    """For "three days before <anchor>": the token index where the anchor phrase ends."""
    if span.end >= len(doc) or doc[span.end].lower_ not in _ANCHOR_WORDS:
        return None
    if not _COUNTED.match(span.text):  # only a counted length ("three days") is an offset from an anchor
        return None
    sentence_end = doc[span.end].sent.end
    for other in following:
        if other.start >= sentence_end or other.start - span.end > 12:
            break
        return other.end
    prep = doc[span.end]
    return min(max(t.i for t in prep.subtree) + 1, sentence_end)


def speaks_of_future(span: Span) -> bool:
    """Whether the verb governing a date phrase speaks of the future ("will meet on Friday", "is
    scheduled for June 12", "plans to visit in September"): then year-less dates look ahead."""
    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for token in (verb, verb.head):
        if any(child.dep_ == "aux" and child.lower_ in _FUTURE_AUX for child in token.children):
            return True
        # surface stems too: the small model lemmatises "hopes" as "hop"
        if token.lemma_.lower() in _FUTURE_LEMMAS or token.lower_.startswith(_FUTURE_STEMS):
            return True
        if token.dep_ != "xcomp":
            break
    return False


def find_dates(doc: Doc, pub_date: dt.date | None = None) -> list[FoundDate]:
    """Every date expression in the doc, resolved (unresolved ones keep their reason)."""
    # Doc.text joins every token on each access: read once, not once per date (quadratic on long articles).
    text = doc.text
    spans = _candidate_spans(doc, text)
    found: list[FoundDate] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        start, end, consumed = span.start, span.end, 1
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        # "the end of 2023 or the beginning of 2024": two entities, one expression
        if nxt is not None and _JOINERS.match(text[span.end_char : nxt.start_char]):
            end, consumed = nxt.end, 2
        elif (anchor := _anchor_end(doc, span, spans[i + 1 :])) is not None:
            end = anchor
            consumed = 1 + sum(1 for s in spans[i + 1 :] if s.end <= anchor)
        if start > 0 and doc[start - 1].lower_ in _LEFT_WORDS and doc[start].lower_ not in _LEFT_WORDS:
            start -= 1
        start = _left_phrase(doc, start)
        pieces = spans[i : i + consumed]
        whole = doc[start:end]
        future = speaks_of_future(whole)
        date = resolve_date(
            whole.text, pub_date, future=future, char_start=whole.start_char, char_end=whole.end_char
        )
        if date.type == "unresolved" and (whole.start, whole.end) != (span.start, span.end):
            # The joined reading failed: fall back to the entity alone.
            consumed, whole = 1, span
            date = resolve_date(
                span.text, pub_date, future=future, char_start=span.start_char, char_end=span.end_char
            )
            pieces = [span]
        if date.type == "unresolved" and (shorter := _before_verb(whole)) is not None:
            retry = resolve_date(shorter.text, pub_date, future=future, char_start=shorter.start_char,
                                 char_end=shorter.end_char)  # fmt: skip
            if retry.type != "unresolved":
                date, whole, pieces = retry, shorter, [shorter]
        parts = tuple(
            resolve_date(p.text, pub_date, char_start=p.start_char, char_end=p.end_char) for p in pieces
        ) if len(pieces) > 1 or whole.start != pieces[0].start or whole.end != pieces[0].end else ()  # fmt: skip
        found.append(FoundDate(date, whole, parts))
        i += consumed
    return found


def clause_head(token: Token) -> Token:
    """The head of the clause a token belongs to (shared with the places stage)."""
    while token.dep_ not in CLAUSE_DEPS and token.head.i != token.i:
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX"):
            break
        token = token.head
    return token


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


class _FoundIndex:
    """The doc's dates sorted by start token, with the furthest end so far: the dates around a token and
    those of one sentence come by bisection, so dating every event is not a scan of every date (that was
    quadratic in the article's length)."""

    def __init__(self, found: list[FoundDate]) -> None:
        self.found = sorted(found, key=lambda f: f.span.start)
        self.starts = [f.span.start for f in self.found]
        self.reach = list(itertools.accumulate((f.span.end for f in self.found), max))

    def containing(self, i: int) -> list[FoundDate]:
        """Dates whose span holds token ``i``, in order."""
        k = bisect.bisect_right(self.starts, i) - 1
        hits = []
        while k >= 0 and self.reach[k] > i:
            if self.found[k].span.end > i:
                hits.append(self.found[k])
            k -= 1
        return hits[::-1]

    def starting_in(self, start: int, end: int) -> list[FoundDate]:
        """Dates whose span starts in tokens ``start``..``end - 1``, in order."""
        return self.found[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]


def _governing_date(doc: Doc, event: Event, index: _FoundIndex, pub: dt.date | None) -> ResolvedDate | None:
    trigger = _token_at(doc, event.trigger.start)
    if trigger is None:
        return None if event.background else publication_date(pub)
    # A trigger inside a date expression ("three days before the invasion in February 2022") takes the
    # date written for itself, not the offset computed from it.
    for f in index.containing(trigger.i):
        own = [p for p in f.parts if p.type != "unresolved" and (p.char_start or 0) > event.trigger.start]
        if own:
            return dataclasses.replace(own[0], reason=f"{own[0].reason}; written for the event itself")
    clause = clause_head(trigger)
    sentence = trigger.sent
    here = index.starting_in(sentence.start, sentence.end)
    in_sentence = [f for f in here if f.date.type != "unresolved"]
    heads = [(f, clause_head(f.span.root)) for f in in_sentence]
    in_clause = [f for f, head in heads if head.i == clause.i]
    # A date in a governing clause frames what it reports ("said on Tuesday that rebels attacked");
    # one in a sibling or subordinate clause dates another event ("..., which fell in 2019").
    governing = [f for f, head in heads if head.i != clause.i and head.is_ancestor(clause)]
    for scope, candidates in (("clause", in_clause), ("sentence", governing)):
        if candidates:
            best = min(
                candidates, key=lambda f: min(abs(f.span.start - trigger.i), abs(f.span.end - 1 - trigger.i))
            )
            return dataclasses.replace(best.date, reason=f"{best.date.reason}; governs the event's {scope}")
    if event.background:
        return None  # an earlier event told as context: "before the article", never the publication date
    fallback = publication_date(pub)
    refused = [
        f.date for f in here if f.date.type == "unresolved" and clause_head(f.span.root).i == clause.i
    ]  # fmt: skip
    if refused:  # say why the clause's own expression did not date the event
        fallback = dataclasses.replace(
            fallback, reason=f"{fallback.reason}; '{refused[0].text}': {refused[0].reason}"
        )
    return fallback


class DateStage:
    """Writes ``doc._.dates`` and each event's ``date``."""

    def __init__(self, nlp: Language, name: str, min_confidence: float = 0.35) -> None:
        self.name = name
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        pub = _pub_date(doc)
        found = find_dates(doc, pub)
        doc._.dates = [f.date for f in found]
        events = doc._.events
        if events:
            index = _FoundIndex(found)
            doc._.events = [dataclasses.replace(e, date=_governing_date(doc, e, index, pub)) for e in events]
        return doc


def make_date_stage(nlp: Language, name: str, min_confidence: float) -> DateStage:
    return DateStage(nlp, name, min_confidence)


register_stage(
    "detente.dates.v1", make_date_stage, default_config={"min_confidence": 0.35},
    assigns=["doc._.dates", "doc._.events"], requires=["doc._.events", "doc._.article"],
)  # fmt: skip
