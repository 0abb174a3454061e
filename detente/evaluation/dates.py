"""Score the date resolver on a JSONL of ``{text, pub_date, expected}`` cases, and on the dates of
background events in the annotated news (:func:`evaluate_background_dates`).

``expected`` holds any of ``start``, ``end`` (ISO dates), ``granularity`` and ``type``; only the keys
given are compared, so a case can pin just what it cares about. ``tolerance_days`` (optional, on the
case) widens the start/end comparison. An unresolved case is ``{"type": "unresolved"}``. ``future``
(optional, default false) says the case's sentence speaks of what will happen, as the dates stage
would find; ``sentence`` (optional) is that sentence, for the reader.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.errors import InputError, RecordError
from detente.records import ResolvedDate, parse_published, to_dict
from detente.timex import is_length, resolve_date

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from detente.stages.dates import FoundDate


@dataclass(frozen=True, slots=True)
class DateCase:
    text: str
    pub_date: dt.date | None
    expected: Mapping[str, Any]
    tolerance_days: int = 0
    note: str = ""
    future: bool = False


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: DateCase
    got: ResolvedDate
    correct: bool
    mismatches: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DateScores:
    total: int
    correct: int
    by_type: Mapping[str, tuple[int, int]]  # expected type -> (correct, total)
    results: tuple[CaseResult, ...] = field(repr=False)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.correct]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "correct": self.correct, "accuracy": round(self.accuracy, 4),
            "by_type": {k: {"correct": c, "total": t} for k, (c, t) in sorted(self.by_type.items())},
            "failures": [
                {"text": r.case.text, "pub_date": r.case.pub_date, "expected": dict(r.case.expected),
                 "got": to_dict(r.got), "mismatches": list(r.mismatches)}
                for r in self.failures()
            ],
        }  # fmt: skip


def _as_date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise ValueError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)")
    return parsed.date() if isinstance(parsed, dt.datetime) else parsed


def load_cases(path: str | Path) -> list[DateCase]:
    """Read a JSONL case file; a bad line raises RecordError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read the case file: {exc.strerror}", hint="check the path") from exc
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            expected = data["expected"]
            if not isinstance(expected, Mapping):
                raise ValueError("'expected' must be an object")
            cases.append(DateCase(
                text=str(data["text"]), pub_date=_as_date(data.get("pub_date"), "pub_date"),
                expected=expected, tolerance_days=int(data.get("tolerance_days", 0)), note=data.get("note", ""),
                future=bool(data.get("future", False)),
            ))  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordError(
                path, f"line {number}: {exc}", hint='each line is {"text", "pub_date", "expected": {...}}'
            ) from exc
    return cases


def score_case(case: DateCase, got: ResolvedDate) -> CaseResult:
    mismatches = []
    for key in ("start", "end"):
        if key not in case.expected:
            continue
        want, have = _as_date(case.expected[key], key), getattr(got, key)
        # both absent, or both present and within the tolerance
        ok = want is have if want is None or have is None else abs((want - have).days) <= case.tolerance_days
        if not ok:
            mismatches.append(f"{key}: expected {want}, got {have}")
    for key in ("granularity", "type"):
        if key in case.expected and case.expected[key] != getattr(got, key):
            mismatches.append(f"{key}: expected {case.expected[key]}, got {getattr(got, key)}")
    return CaseResult(case, got, not mismatches, tuple(mismatches))


def evaluate_dates(cases: Iterable[DateCase]) -> DateScores:
    results = tuple(score_case(c, resolve_date(c.text, c.pub_date, future=c.future)) for c in cases)
    totals: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for r in results:
        kind = str(r.case.expected.get("type", "any"))
        totals[kind] += 1
        hits[kind] += r.correct
    by_type = {k: (hits[k], totals[k]) for k in totals}
    return DateScores(len(results), sum(r.correct for r in results), by_type, results)


# ---------------------------------------------------------------------------------------------
# background events of the annotated news corpus (data/annotations/, docs/annotation.md)

GOLD_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
# A date stated in words, for sentences the finder found nothing in (those count as misses, not as
# sentences without a date).
DATE_CUE = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?|may \d|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|ago|(?:last|this|next|earlier|later) "
    r"(?:week|month|year|decade)|(?:days|weeks|months|years) (?:later|earlier|before|after))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class BackgroundCase:
    """A gold background event with a stated date: its sentence, trigger and the publication date."""

    story: str
    sentence_id: str
    sentence: str
    trigger: str
    gold: str  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    published: dt.date


@dataclass(frozen=True, slots=True)
class BackgroundResult:
    case: BackgroundCase
    stated: bool  # the sentence expresses a date at all
    nearest: ResolvedDate | None  # the resolution of the expression nearest the trigger
    correct: bool
    expressions: tuple[str, ...]  # every expression found in the sentence


@dataclass(frozen=True, slots=True)
class BackgroundScores:
    results: tuple[BackgroundResult, ...] = field(repr=False)

    @property
    def scored(self) -> list[BackgroundResult]:
        return [r for r in self.results if r.stated]

    @property
    def total(self) -> int:
        return len(self.scored)

    @property
    def correct(self) -> int:
        return sum(r.correct for r in self.scored)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def unstated(self) -> int:
        return len(self.results) - self.total

    def failures(self) -> list[BackgroundResult]:
        return [r for r in self.scored if not r.correct]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "correct": self.correct, "accuracy": round(self.accuracy, 4),
            "unstated": self.unstated, "dated_background_events": len(self.results),
            "failures": [
                {"sentence_id": r.case.sentence_id, "trigger": r.case.trigger, "gold": r.case.gold,
                 "published": r.case.published, "expressions": list(r.expressions),
                 "nearest": to_dict(r.nearest) if r.nearest is not None else None, "sentence": r.case.sentence}
                for r in self.failures()
            ],
        }  # fmt: skip


def gold_period(value: str) -> tuple[dt.date, dt.date]:
    """The calendar period of a gold date: "2022" is the year, "2022-02" the month, "2022-02-24" the day."""
    m = GOLD_DATE.match(value)
    if m is None:
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m["year"])
    if m["day"]:
        day = dt.date(year, int(m["month"]), int(m["day"]))
        return day, day
    if m["month"]:
        month = int(m["month"])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def agrees(gold: tuple[dt.date, dt.date], got: ResolvedDate, published: dt.date) -> bool:
    """Whether a resolution is consistent with a gold date. A point or period agrees when one holds the
    other (the text may be coarser than the annotator's date, "in 2022" for 2022-02-24, or finer, "late
    last year" for 2018); a range when it starts in the gold period, lies within it, or ends in it
    (an open range's end, publication, does not count: "since 2011" dates 2011, not the article)."""
    if got.start is None or got.end is None:
        return False
    first, last = gold
    if got.type != "range":
        return (first <= got.start and got.end <= last) or (got.start <= first and last <= got.end)
    closed_end = got.end != published and first <= got.end <= last
    return first <= got.start <= last or closed_end or (first <= got.start and got.end <= last)


def background_cases(stories: Iterable[Any]) -> list[BackgroundCase]:
    """Gold background events with a stated date (not "before", not null) in VOA news stories
    (ids "voa-...") that have a publication date; ``stories`` as from ``load_corpus()``."""
    cases = []
    for story in stories:
        published = parse_published(story.published)
        if not story.id.startswith("voa-") or published is None:
            continue
        day = published.date() if isinstance(published, dt.datetime) else published
        for sentence in story.sentences:
            for event in sentence.events:
                gold = event.get("date")
                if event.get("background") and isinstance(gold, str) and GOLD_DATE.match(gold):
                    cases.append(
                        BackgroundCase(story.id, sentence.id, sentence.text, event["trigger"], gold, day)
                    )
    return cases


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def expressing_dates(found: Sequence[FoundDate]) -> list[FoundDate]:
    """The found expressions that state a date: not lengths, frequencies or bare numbers."""
    return [f for f in found if not (f.date.type == "unresolved" and is_length(f.span.text))]


def nearest_expression(doc: Doc, found: Sequence[FoundDate], trigger: tuple[int, int]) -> FoundDate | None:
    """The date expression nearest the trigger (by characters), preferring one in a clause of the trigger's
    own words ("told a court on Tuesday that he tried to kill ... in 2022": 2022 for "tried to kill").
    Lengths and counts ("sentenced to six years", "Omarov, 40") express no date and are passed over."""
    from detente.stages.dates import clause_head

    dates = expressing_dates(found)
    if not dates:
        return None
    span = doc.char_span(trigger[0], trigger[1], alignment_mode="expand")
    if span is not None and len(span):
        clauses = {clause_head(token).i for token in span}
        own = [f for f in dates if clause_head(f.span.root).i in clauses]
        dates = own or dates
    return min(dates, key=lambda f: _distance(trigger, (f.span.start_char, f.span.end_char)))


def evaluate_background_dates(nlp: Language, stories: Iterable[Any]) -> BackgroundScores:
    """For each gold background event with a stated date, find and resolve the date expressions of its
    sentence (the dates stage's finder on the story's parse, against the publication date) and check
    the expression nearest the trigger against the gold date (:func:`agrees`, also through the pieces a
    joined expression was made of). An event whose sentence states no date is counted apart."""
    from detente.stages.dates import find_dates

    stories = [s for s in stories if s.id.startswith("voa-")]
    cases = background_cases(stories)
    wanted = {c.story for c in cases}
    by_story = {s.id: s for s in stories if s.id in wanted}
    results: list[BackgroundResult] = []
    texts = ((by_story[sid].text, sid) for sid in by_story)
    for doc, story_id in nlp.pipe(texts, as_tuples=True):
        story = by_story[story_id]
        story_cases = [c for c in cases if c.story == story_id]
        found = find_dates(doc, story_cases[0].published)
        offsets = {s.id: s.start for s in story.sentences}
        for case in story_cases:
            start = offsets[case.sentence_id]
            end = start + len(case.sentence)
            in_sentence = [f for f in found if start <= f.span.start_char < end]
            at = start + case.sentence.index(case.trigger)
            trigger = (at, at + len(case.trigger))
            stated = bool(expressing_dates(in_sentence)) or DATE_CUE.search(case.sentence) is not None
            nearest = nearest_expression(doc, in_sentence, trigger)
            gold = gold_period(case.gold)
            correct = nearest is not None and any(
                agrees(gold, got, case.published) for got in (nearest.date, *nearest.parts)
            )
            results.append(BackgroundResult(
                case, stated, nearest.date if nearest else None, correct, tuple(f.span.text for f in in_sentence)
            ))  # fmt: skip
    return BackgroundScores(tuple(results))


# ---------------------------------------------------------------------------------------------
# the dates stage on gold background events: which date each one ends up with


@dataclass(frozen=True, slots=True)
class StageResult:
    """A gold background event dated by the dates stage (given the gold events of its story)."""

    story: str
    sentence_id: str
    sentence: str
    trigger: str
    gold: str  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or "before"
    published: dt.date
    got: ResolvedDate | None

    @property
    def correct(self) -> bool:
        """A gold date: the stage's date agrees with it. "before" (no date given): undated, or a date that
        ends before the article."""
        if self.gold == "before":
            return self.got is None or (self.got.end is not None and self.got.end < self.published)
        return self.got is not None and agrees(gold_period(self.gold), self.got, self.published)


@dataclass(frozen=True, slots=True)
class StageScores:
    results: tuple[StageResult, ...] = field(repr=False)
    # with the coder's own events (evaluate_background_coded): gold events left unscored, by why
    missed: Mapping[str, int] = field(default_factory=dict)

    def part(self, dated: bool) -> list[StageResult]:
        return [r for r in self.results if (r.gold != "before") is dated]

    def as_dict(self) -> dict[str, Any]:
        def row(results: list[StageResult]) -> dict[str, Any]:
            right = sum(r.correct for r in results)
            return {"total": len(results), "correct": right,
                    "accuracy": round(right / len(results), 4) if results else None}  # fmt: skip

        from detente.stages.dates import date_step

        steps: dict[str, dict[str, list[StageResult]]] = {}
        for r in self.results:
            steps.setdefault(date_step(r.got), {"dated": [], "before": []})[
                "dated" if r.gold != "before" else "before"
            ].append(r)
        return {
            "dated": row(self.part(True)), "before": row(self.part(False)), "all": row(list(self.results)),
            "undated_when_gold_dated": sum(r.got is None for r in self.part(True)),
            # which step of the stage gave each date, and how often it agrees with the gold one
            "by_step": {step: {part: row(rs) for part, rs in parts.items()} for step, parts in sorted(steps.items())},
            "missed": dict(self.missed),
            "failures": [
                {"sentence_id": r.sentence_id, "trigger": r.trigger, "gold": r.gold, "published": r.published,
                 "got": to_dict(r.got) if r.got is not None else None, "sentence": r.sentence}
                for r in self.results if not r.correct
            ],
        }  # fmt: skip


def _gold_actor_refs(items: Iterable[Mapping[str, Any]], sentence: Any) -> tuple[Any, ...]:
    from detente.records import ActorRef

    refs = []
    for item in items:
        text = str(item.get("text") or "")
        at = sentence.text.find(text) if text else -1
        start = sentence.start + max(at, 0)
        refs.append(ActorRef(text=text, start=start, end=start + len(text) if at >= 0 else start,
                             actor_id=f"gold:{item.get('country') or 'UNK'}", name=str(item.get("name") or text),
                             country=str(item.get("country") or "UNK"), sector=item.get("sector")))  # fmt: skip
    return tuple(refs)


def gold_events(story: Any) -> list[tuple[Any, Any, Mapping[str, Any]]]:
    """The story's gold events as ``Event`` records (type, actors' countries, trigger and background flag
    as annotated; no date), each with its sentence and gold record. Events whose trigger is not in
    their sentence are left out."""
    from detente.records import QUAD_OF_TYPE, Event, Span

    out = []
    for sentence in story.sentences:
        for number, gold in enumerate(sentence.events):
            at = sentence.text.find(gold.get("trigger") or "\0")
            if at < 0:
                continue
            start = sentence.start + at
            trigger = Span(gold["trigger"], start, start + len(gold["trigger"]))
            event = Event(
                id=f"{sentence.id}-{number}", article_id=story.id, event_type=str(gold.get("type")),
                mode=gold.get("mode"), context=(), quad=QUAD_OF_TYPE.get(str(gold.get("type")), ""),
                intensity=0.0, modality=str(gold.get("modality") or "asserted"),
                source=_gold_actor_refs(gold.get("source") or (), sentence),
                target=_gold_actor_refs(gold.get("target") or (), sentence), trigger=trigger,
                sentence=Span(sentence.text, sentence.start, sentence.start + len(sentence.text)),
                background=bool(gold.get("background")), reciprocal=bool(gold.get("reciprocal")),
            )  # fmt: skip
            out.append((event, sentence, gold))
    return out


def _dated_news_stories(stories: Iterable[Any]) -> list[tuple[Any, dt.date]]:
    """VOA news stories with a publication date and a background event whose gold date is stated or
    "before"."""
    chosen = []
    for story in stories:
        published = parse_published(story.published) if story.published else None
        if not story.id.startswith("voa-") or published is None:
            continue
        day = published.date() if isinstance(published, dt.datetime) else published
        if any(_scored_gold(e) for s in story.sentences for e in s.events):
            chosen.append((story, day))
    return chosen


def _scored_gold(gold: Mapping[str, Any]) -> bool:
    value = gold.get("date")
    return (
        bool(gold.get("background"))
        and isinstance(value, str)
        and (value == "before" or bool(GOLD_DATE.match(value)))
    )


def evaluate_background_coded(stories: Iterable[Any], nlp: Language | None = None) -> StageScores:
    """The dates of background events as the whole pipeline gives them: each story is coded (the coder's
    own events, roles and background flags; ``nlp`` is the full pipeline, loaded when None), each gold
    background event is matched to the coded event whose trigger overlaps its own, and those the coder
    also marks background are scored as :func:`evaluate_background_stage` scores them. The others are
    counted in ``missed`` ("dated: not coded", "before: coded as news", ...). The coder learned from these
    stories, so which events it finds is in-sample; the dates are not."""
    from detente.pipeline import code_articles
    from detente.records import Article

    chosen = _dated_news_stories(stories)
    by_id = {story.id: (story, day) for story, day in chosen}
    articles = [
        Article(id=story.id, text=story.text, title=story.title, published=day) for story, day in chosen
    ]
    results: list[StageResult] = []
    missed: Counter[str] = Counter()
    for bundle in code_articles(articles, nlp=nlp):
        story, day = by_id[bundle.article.id]
        for sentence in story.sentences:
            for gold in sentence.events:
                at = sentence.text.find(gold.get("trigger") or "\0")
                if not _scored_gold(gold) or at < 0:
                    continue
                part = "before" if gold["date"] == "before" else "dated"
                lo, hi = sentence.start + at, sentence.start + at + len(gold["trigger"])
                hits = [e for e in bundle.events if e.trigger.start < hi and lo < e.trigger.end]
                if not hits or not hits[0].background:
                    missed[f"{part}: {'coded as news' if hits else 'not coded'}"] += 1
                    continue
                results.append(StageResult(story.id, sentence.id, sentence.text, hits[0].trigger.text, gold["date"],
                                           day, hits[0].date))  # fmt: skip
    return StageScores(tuple(results), dict(sorted(missed.items())))


def evaluate_background_stage(nlp: Language, stories: Iterable[Any]) -> StageScores:
    """The dates stage as a whole on the gold background events of the annotated VOA news: each story
    is parsed, its gold events (with their types, countries and background flags) are dated by
    :func:`detente.stages.dates.date_events`, and every background event's date is checked against its
    gold date ("before" included). This scores dating alone, on events coded right."""
    from detente.records import Article
    from detente.stages.dates import date_events, find_dates

    chosen = _dated_news_stories(stories)
    by_id = {story.id: (story, day) for story, day in chosen}
    results: list[StageResult] = []
    texts = ((story.text, story.id) for story, _ in chosen)
    for doc, story_id in nlp.pipe(texts, as_tuples=True):
        story, day = by_id[story_id]
        if doc.has_extension("article"):
            doc._.article = Article(id=story.id, text=story.text, title=story.title, published=day)
        found = find_dates(doc, day)
        triples = gold_events(story)
        dated = date_events(doc, [e for e, _, _ in triples], found, day)
        for event, (_, sentence, gold) in zip(dated, triples, strict=True):
            value = gold.get("date")
            if not event.background or not isinstance(value, str):
                continue
            if value != "before" and not GOLD_DATE.match(value):
                continue
            results.append(StageResult(story.id, sentence.id, sentence.text, event.trigger.text, value, day,
                                       event.date))  # fmt: skip
    return StageScores(tuple(results))
