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
import calendar
import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from detente import known_events
from detente.known_events import KnownEvents, KnownMatch, default_known_events
from detente.records import Event, ResolvedDate
from detente.stages.factory import register_stage
from detente.timex import publication_date, resolve_date
from detente.timex_lexicon import MONTHS, NUMBERS, WEEKDAYS

__all__ = [
    "DateStage",
    "clause_head",
    "date_events",
    "date_step",
    "find_dates",
    "resolve_date",
    "resolve_from",
]

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
    r"|the (?:day|week) (?:before|after) (?:yesterday|tomorrow)|(?:at|by) (?:the|that) time(?! of\b))\b",
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


_TEMPORAL_WORDS = frozenset({"since", "anniversary"})
_SUBORDINATE = "subordinate clause"
_GOVERNING = "governs the event's sentence"


def _told_relative_to(head: Token) -> Token | None:
    """For an event placed by its relation to another time ("the talks since Russia's invasion", "on the
    eve of the second anniversary of the invasion", "... since Russia invaded Ukraine"): the head of the
    phrase that names it (under "since", "anniversary"), else None."""
    token = head
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_WORDS for c in token.children):
            return token
        parent = token.head
        if parent.i == token.i or token.dep_ not in ("pobj", "prep", "poss", "compound", "amod"):
            return None
        if parent.lower_ in _TEMPORAL_WORDS or parent.lemma_.lower() in _TEMPORAL_WORDS:
            return token
        token = parent
    return None


def _background_candidates(
    doc: Doc,
    event: Event,
    trigger: Token,
    heads: list[tuple[FoundDate, Token]],
    in_clause: list[FoundDate],
    governing: list[FoundDate],
) -> tuple[list[FoundDate], list[FoundDate], list[FoundDate]]:
    """The dates that can be a background event's own. Any word of the trigger counts ("began arriving
    ... in February": the date hangs on "arriving"). An event placed by its relation to another time
    ("the highest-level talks since Russia's full-scale invasion", "on the eve of the anniversary of the
    invasion", "the most since Russia invaded") precedes the time of its clause: only a date in its own
    phrase ("the invasion in February 2022") is its own, not the clause's (the news). Returns the dates of
    the event's clause, of clauses it governs, and of clauses governing it."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    tokens = list(span) if span is not None and len(span) else [trigger]
    head = span.root if span is not None and len(span) else trigger
    if (phrase := _told_relative_to(head)) is not None:
        own = [f for f, _ in heads if phrase.is_ancestor(f.span.root)]
        return own, [], []
    clause_heads = {clause_head(t) for t in tokens}
    clauses = {c.i for c in clause_heads}
    # A clause the event's own governs tells how or when it happened ("caught entering the country in
    # 2014", "arrested and sentenced in 2011", "a lawsuit filed in February alleged", "resigned after
    # being defeated in 2013"): a better time for an earlier event than the clause that reports it.
    subordinate = [
        f for f, h in heads if h.i not in clauses and any(c.is_ancestor(h) for c in clause_heads)
    ]  # fmt: skip
    return [f for f, h in heads if h.i in clauses] or in_clause, subordinate, governing


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
    subordinate: list[FoundDate] = []
    if event.background:
        in_clause, subordinate, governing = _background_candidates(
            doc, event, trigger, heads, in_clause, governing
        )
    for scope, candidates in (("clause", in_clause), (_SUBORDINATE, subordinate), ("sentence", governing)):
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


# Expressions that name a time by the story's ("later that year", "the following day", "two weeks later",
# "at the time"): unresolved alone, they resolve against the time of the story they continue.
_UNIT = r"(?P<{}>day|night|morning|afternoon|evening|week|month|year)"
_ANAPHORA = re.compile(
    r"^(?:(?:later|earlier) )?(?:in |on |during |by )?(?:that|the same|that same|the very same) " + _UNIT.format("same")
    + r"$|^(?:on |in |during )?the (?P<step>next|following|previous|preceding|prior) " + _UNIT.format("unit")
    + r"$|^(?:(?:about|some|nearly|almost|roughly|around|just) )?(?P<n>an?|\d+|" + "|".join(NUMBERS)
    + r")(?:[ -]and[ -]a[ -]half)? " + _UNIT.format("counted") + r"s? (?P<way>later|afterwards?|after|earlier|before)"
    + r"$|^(?P<then>at the time|at that time|by then|by that time|then)$",
    re.IGNORECASE,
)  # fmt: skip
_ORDER = ("day", "week", "month", "year")


def resolve_from(text: str, reference: ResolvedDate) -> ResolvedDate | None:
    """An expression that names a time by the story's ("later that year", "the following day", "two days
    later", "at the time") resolved against ``reference``, the time of the story it continues; None when
    ``text`` is not such an expression or the reference has no dates. A unit finer than the reference
    ("two days later" after "in 2018") cannot be placed inside it: the reference's period, approximate."""
    m = _ANAPHORA.match(text.strip().rstrip(",."))
    if m is None or reference.start is None or reference.end is None:
        return None
    fine = reference.granularity if reference.granularity in _ORDER else "year"
    start, end = reference.start, reference.end
    unit, steps = "day", 0
    if m["same"]:
        unit = (
            "day" if m["same"].lower() in ("night", "morning", "afternoon", "evening") else m["same"].lower()
        )
    elif m["unit"]:
        unit = (
            "day" if m["unit"].lower() in ("night", "morning", "afternoon", "evening") else m["unit"].lower()
        )
        steps = 1 if m["step"].lower() in ("next", "following") else -1
    elif m["counted"]:
        unit = (
            "day"
            if m["counted"].lower() in ("night", "morning", "afternoon", "evening")
            else m["counted"].lower()
        )
        number = m["n"].lower()
        steps = 1 if number in ("a", "an") else int(number) if number.isdigit() else NUMBERS[number]
        steps = steps if m["way"].lower().startswith(("later", "after")) else -steps
    if m["then"]:
        return dataclasses.replace(
            reference, text=text, reason=f"'{text}': the story's time ({reference.text or reference.start})"
        )
    how = f"'{text}' after the story's time" if steps > 0 else f"'{text}' before the story's time" if steps else (
        f"'{text}': the story's time")  # fmt: skip
    if _ORDER.index(unit) < _ORDER.index(fine):
        # finer than what the story gave: the story's period is all that can be said
        return ResolvedDate(start, end, reference.granularity, "approximate", text,
                            f"{how} ({reference.text or reference.start}), finer than it: its period")  # fmt: skip
    base = start
    if unit == "day":
        base += dt.timedelta(days=steps)
        first, last = base, base
    elif unit == "week":
        base += dt.timedelta(weeks=steps)
        first = base - dt.timedelta(days=base.weekday())
        last = first + dt.timedelta(days=6)
    elif unit == "month":
        index = base.year * 12 + base.month - 1 + steps
        year, month = divmod(index, 12)
        first = dt.date(year, month + 1, 1)
        last = dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])
    else:
        first, last = dt.date(base.year + steps, 1, 1), dt.date(base.year + steps, 12, 31)
    if unit == "day" and not steps and (start, end) != (first, last):
        first, last = start, end
    exact = "exact" if reference.type == "exact" else "approximate"
    return ResolvedDate(first, last, unit, exact, text, f"{how} ({reference.text or reference.start})")


def _anaphor(doc: Doc, event: Event, index: _FoundIndex) -> FoundDate | None:
    """An expression in the event's clause, or a clause governing it, that names its time by the story's
    ("Two days later, the army retook the town"), unresolved alone; the nearest to the trigger."""
    trigger = _token_at(doc, event.trigger.start)
    if trigger is None:
        return None
    clause = clause_head(trigger)
    sentence = trigger.sent
    near = [
        f for f in index.starting_in(sentence.start, sentence.end)
        if f.date.type == "unresolved" and _ANAPHORA.match(f.span.text.strip().rstrip(",."))
        and (clause_head(f.span.root).i == clause.i or clause_head(f.span.root).is_ancestor(clause))
    ]  # fmt: skip
    return min(near, key=lambda f: abs(f.span.start - trigger.i)) if near else None


def _continued(found: FoundDate | None, reference: ResolvedDate | None) -> ResolvedDate | None:
    """The story's time moved by the event's own anaphoric expression, when it has one; else the story's."""
    if found is None or reference is None:
        return reference
    moved = resolve_from(found.span.text, reference)
    if moved is None:
        return reference
    told = reference.reason[reference.reason.find(_STORY_TIME) :] if _STORY_TIME in reference.reason else ""
    return dataclasses.replace(
        moved,
        reason=f"{moved.reason}; {told}" if told else moved.reason,
        char_start=found.span.start_char,
        char_end=found.span.end_char,
    )


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
            doc._.events = date_events(doc, events, found, pub)
        return doc


def date_events(doc: Doc, events: Sequence[Event], found: list[FoundDate], pub: dt.date | None,
                known: KnownEvents | None = None) -> list[Event]:  # fmt: skip
    """Each event with its date (the stage's work on ``doc._.events``; also run on gold events by
    :func:`detente.evaluation.dates.evaluate_background_stage`).

    A background event takes the date written for it; else the date of the same event where the article
    states one (:func:`_same_event_date`); else that of the known event it names (``known``, the shipped
    pack by default: :mod:`detente.known_events`); else the time of the story the article was telling
    before it (:meth:`_Story.time`); else none ("before the article"). A date that is part of a known
    event's name ("the October 7 attack") gives way to the known event's; a date that only frames the
    sentence reporting a background event ("prosecutors said on Tuesday that Tehran offered ...") gives
    way to the known event's and to the same event's dated elsewhere. Events are dated in the order of
    the text (a story's time passes forward), whatever the order they come in; the order is kept.
    """
    known = known if known is not None else default_known_events()
    index = _FoundIndex(found)
    text = doc.text
    dated = [dataclasses.replace(e, date=_governing_date(doc, e, index, pub)) for e in events]
    named = [known.match(e, text, pub) if e.background else None for e in dated]
    # A known event's date wins over one that is part of its name or frames the sentence around it.
    dated = [
        dataclasses.replace(e, date=n.date()) if n is not None and e.date is not None and _gives_way(e.date, n) else e
        for e, n in zip(dated, named, strict=True)
    ]  # fmt: skip
    story = _Story(doc, dated, index, pub)
    out = list(dated)
    done: list[Event] = []
    for k in sorted(range(len(dated)), key=lambda k: (dated[k].trigger.start, k)):
        event, name = dated[k], named[k]
        framed = event.date is not None and event.date.reason.endswith(_GOVERNING)
        if event.background and (event.date is None or framed):
            date = _same_event_date(doc, event, dated, pub)
            reported = event.date is not None and _frames_the_report(event.date, pub)
            if date is None and event.date is None:
                date = name.date() if name is not None else story.time(event, done, reach=1)
            if date is None and (event.date is None or reported):
                date = _same_act_date(doc, event, dated, pub)
            if date is None and event.date is None:
                date = story.time(event, done)
            if date is not None and _STORY_TIME in date.reason:
                date = _continued(_anaphor(doc, event, index), date)
            event = dataclasses.replace(event, date=date or event.date)
        elif (
            not event.background
            and event.date is not None
            and event.date.reason.startswith("publication")
            and (anaphor := _anaphor(doc, event, index)) is not None
            and (reference := story.news_time(event, done)) is not None
        ):
            # "Protesters gathered on Monday. The next day, police dispersed them.": the news told just before
            event = dataclasses.replace(event, date=_continued(anaphor, reference))
        out[k] = event
        done.append(event)
    return out


def _frames_the_report(date: ResolvedDate, pub: dt.date | None) -> bool:
    """A date taken from a clause governing the event's that falls in the news' days ("prosecutors said
    on Tuesday that Tehran offered ..."): the time the earlier event was reported, not its own. A past
    one ("relations soured in 2010 after commandos stormed the ship") stays the event's."""
    if not date.reason.endswith(_GOVERNING) or date.end is None or pub is None:
        return False
    return date.end >= pub - dt.timedelta(days=_NEWS_DAYS)


def _gives_way(date: ResolvedDate, named: KnownMatch) -> bool:
    """Whether a background event's date yields to the known event it names: the date is part of the
    name ("the October 7 attack" read as last October 7), or a governing clause's ("China's presence
    today remains smaller than before Russia invaded Ukraine"), which frames the report, not the event."""
    return _inside(date, named) or date.reason.endswith("governs the event's sentence")


def _inside(date: ResolvedDate, named: KnownMatch) -> bool:
    return (
        date.char_start is not None
        and date.char_end is not None
        and (named.start <= date.char_start and date.char_end <= named.end)
    )


def _stem(doc: Doc, event: Event) -> str:
    """The trigger's head word cut to four letters: "invasion" and "invaded", "annexation" and "annexed"."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    word = span.root.lemma_ if span is not None and len(span) else event.trigger.text
    return word.lower()[:4]


_STORY_TIME = "the time of the story told before it"
# How many sentences back a background event looks for the time of the story it belongs to (a paragraph);
# a sentence reporting news ends the search sooner.
STORY_SENTENCES = 4
# A date from the text that ends less than this before publication is the news' time, not a past story's.
_NEWS_DAYS = 7


# How a date's reason names the step that gave it (the last one named wins: a story's time inherited from
# a same-event date is the story's time).
_STEP_MARKS = (
    ("pack", "known event: "),
    ("a clause its own governs", "governs the event's subordinate clause"),
    ("same event", "the same event, dated"),
    ("same act", "the same act in other words"),
    ("story's time", _STORY_TIME),
    ("story's time", "the story's time"),
)


def date_step(date: ResolvedDate | None) -> str:
    """Which step of :func:`date_events` gave an event its date, read from the date's reason: "own",
    "a clause its own governs", "same event", "pack", "same act", "story's time", "publication date", or
    "none" (undated: before the article)."""
    if date is None:
        return "none"
    if date.reason.startswith("publication"):
        return "publication date"
    found = [(date.reason.rfind(mark), step) for step, mark in _STEP_MARKS if mark in date.reason]
    return max(found)[1] if found else "own"


class _Story:
    """The sentences of an article, which of them report news, and the dates each states: what an
    undated background event needs to find the time of the story it belongs to."""

    def __init__(self, doc: Doc, events: Sequence[Event], index: _FoundIndex, pub: dt.date | None) -> None:
        self.doc = doc
        self.index = index
        self.pub = pub
        self.sentences = list(doc.sents)
        self.starts = [s.start_char for s in self.sentences]
        self.news = {self.sentence_of(e) for e in events if not e.background}

    def sentence_of(self, event: Event) -> int:
        return max(0, bisect.bisect_right(self.starts, event.trigger.start) - 1)

    def time(
        self, event: Event, before: Sequence[Event], reach: int = STORY_SENTENCES
    ) -> ResolvedDate | None:
        """The time of the earlier story an article is telling, for a background event it gives no date:
        that of the nearest dated background event before it in its sentence or the few before ("... a
        brazen assault on the base in January 2020. Three Americans were killed."; "... in 2018 ... The
        relatives refused."), which may itself have taken it so (a story told over several sentences).
        A sentence reporting news ends the search: the article is back to the present. Open ranges up
        to the article (a series) do not count. Only an event narrated in the past takes a story's time
        (:func:`_told_in_the_past`), and an event told "since" or as an anniversary is a landmark pointed
        at, not part of the story told: it neither takes nor gives a story's time."""
        if _pointed_at(self.doc, event) or not _told_in_the_past(self.doc, event):
            return None
        here = self.sentence_of(event)
        by_sentence: dict[int, list[Event]] = {}
        for other in before:
            by_sentence.setdefault(self.sentence_of(other), []).append(other)
        for j in range(here, max(-1, here - reach - 1), -1):
            if j != here and j in self.news:
                break
            for other in reversed(by_sentence.get(j, [])):
                if other.background and self._gives(other):
                    assert other.date is not None
                    return dataclasses.replace(
                        other.date,
                        reason=f"{_cut(other.date.reason)}; {_STORY_TIME} ('{other.trigger.text}')",
                    )
        return None

    def news_time(self, event: Event, before: Sequence[Event]) -> ResolvedDate | None:
        """The date the text gives the nearest news event before this one, in its sentence or the one
        before ("Protesters gathered on Monday. The next day, police dispersed them."), or None."""
        here = self.sentence_of(event)
        for other in reversed(before):
            if self.sentence_of(other) < here - 1:
                break
            date = other.date
            if (
                other.background
                or date is None
                or date.start is None
                or date.reason.startswith("publication")
            ):
                continue
            return dataclasses.replace(date, reason=f"{date.reason}; {_STORY_TIME} ('{other.trigger.text}')")
        return None

    def _gives(self, other: Event) -> bool:
        date = other.date
        if date is None or date.start is None or date.reason.startswith("publication"):
            return False
        return not (date.type == "range" and date.end == self.pub) and not _pointed_at(self.doc, other)


def _cut(reason: str) -> str:
    """A reason without the story-time part it inherited: a chain is named by its last link."""
    return reason.split(f"; {_STORY_TIME}")[0]


_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_PERFECT_AUX = frozenset({"has", "have", "'s", "'ve"})


def _told_in_the_past(doc: Doc, event: Event) -> bool:
    """Whether the event is narrated in the simple past ("the relatives refused", "they were ignored"),
    as a story's next step is. A present or present perfect ("the group opposes Chinese investment",
    "Beijing has rejected the ruling", "has been fighting an insurgency") tells a state that lasts to the
    article, not a moment of the story before it."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if span is None or not len(span):
        return True
    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return True  # a noun phrase with no verb to say: nothing tells against it
    if verb.dep_ == "ccomp" and verb.head.tag_ == "VBD":
        return (
            True  # said in the past, reported in the present ("the judges added that Britain is under ...")
        )
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _PERFECT_AUX or a.tag_ in _PRESENT_TAGS for a in auxiliaries):
        return False
    return not (verb.tag_ in _PRESENT_TAGS and not auxiliaries)


def _pointed_at(doc: Doc, event: Event) -> bool:
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and _told_relative_to(span.root) is not None


def _same_event_date(
    doc: Doc, event: Event, dated: Sequence[Event], pub: dt.date | None
) -> ResolvedDate | None:
    """The date of another background mention of the same event in the article, where its text dates
    it: the same type, a trigger of the same word ("invasion", "invaded"), and actors of the same
    countries when both name any; the nearest earlier mention first, then the nearest later one.
    Publication dates, dates after the article, dates of a report's clause and open ranges up to the
    article (a series: "attacks since January") do not count (:func:`_dates_itself`). News events are
    not looked at: they are other occurrences."""
    stem = _stem(doc, event)
    countries = known_events.countries_of(event)
    start = event.trigger.start
    earlier = sorted((o for o in dated if o.trigger.start < start), key=lambda o: -o.trigger.start)
    later = sorted((o for o in dated if o.trigger.start > start), key=lambda o: o.trigger.start)
    candidates = [
        o for o in [*earlier, *later]
        if o.background and o.event_type == event.event_type and _dates_itself(o.date, pub)
    ]  # fmt: skip
    for other in candidates:
        theirs = known_events.countries_of(other)
        if _stem(doc, other) == stem and not (countries and theirs and not countries & theirs):
            return _same_as(event, other, "the same event")
    return None


def _same_act_date(
    doc: Doc, event: Event, dated: Sequence[Event], pub: dt.date | None
) -> ResolvedDate | None:
    """Another word for the same act ("the Oval Office clash ... on Feb. 28" and "the two leaders publicly
    disagreed"; "tried to kill ... in 2022" and "hired Mehdiyev to kill"): another background mention of
    the same type between exactly the same countries, when both name some, and only when every such
    mention the text dates gives one date (two dates mean two events, and which one is meant cannot be
    told). Weaker than the story told around the event (tried first by :func:`date_events`)."""
    countries = known_events.countries_of(event)
    if not countries:
        return None
    start = event.trigger.start
    other_words = sorted(
        (o for o in dated if o.trigger.start != start and o.background and o.event_type == event.event_type
         and _dates_itself(o.date, pub) and known_events.countries_of(o) == countries),
        key=lambda o: (o.trigger.start > start, abs(o.trigger.start - start)),
    )  # fmt: skip
    if len({(o.date.start, o.date.end) for o in other_words if o.date is not None}) != 1:
        return None
    return _same_as(event, other_words[0], "the same act in other words")


def _dates_itself(date: ResolvedDate | None, pub: dt.date | None) -> bool:
    """Whether a mention's date, as the text gives it, can date the same event elsewhere: not the
    publication date, not after the article, not an open range up to it (a series: "attacks since the
    start of the year") and not the time of a clause reporting it."""
    if date is None or date.start is None or date.end is None or date.reason.startswith("publication date"):
        return False
    if pub is not None and (date.end > pub or (date.type == "range" and date.end == pub)):
        return False
    return not _frames_the_report(date, pub)


def _same_as(event: Event, other: Event, what: str) -> ResolvedDate:
    assert other.date is not None
    where = "earlier" if other.trigger.start < event.trigger.start else "later"
    return dataclasses.replace(
        other.date,
        reason=f"{other.date.reason}; {what}, dated {where} in the article ('{other.trigger.text}')",
    )


def make_date_stage(nlp: Language, name: str, min_confidence: float) -> DateStage:
    return DateStage(nlp, name, min_confidence)


register_stage(
    "detente.dates.v1", make_date_stage, default_config={"min_confidence": 0.35},
    assigns=["doc._.dates", "doc._.events"], requires=["doc._.events", "doc._.article"],
)  # fmt: skip
