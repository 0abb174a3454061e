"""Score actor resolution on gold mentions: the annotated news corpus, or a JSONL file of the dev-gold shape.

*News gold* (the default of ``detente eval actors``): every source and target actor of the annotated VOA
stories (``data/annotations/``, read at run time through :func:`detente.events.corpus.load_corpus`, so
stories the annotators finish later count at once). Each story is coded whole, with its publication
date, and a gold mention is answered by the coded ref overlapping it most (coreference included: "he"
is gold too). Stories split by a hash of their id into a *tuning* half (the one rules may be improved
on) and a *held-out* half (reported, never looked into while tuning).

*Dev-gold files*: each line ``{"id", "text", "source": [{"actorText", "code", "sector"?}], "target":
[...]}``; a ``"published"`` key (ISO date) is used when present. Each actorText is resolved in the
context of its sentence; when it is not in the sentence, the text is coded alone.

Country accuracy counts every mention; a mention nothing answers counts as UNK (abstaining is right
when the gold says UNK). *Wrong country* counts answers that name a country (not UNK) other than the
gold one: the errors that hurt. A set ref ("both countries", :mod:`detente.actors.sets`) answers the gold
mention of each of its member countries, and is a wrong country for any other. Sector accuracy counts mentions whose gold gives a sector (dev gold: its
first three letters, "CVLkur" is CVL; "-" and "***" mean none); a country, capital or seat of power named
as an actor is the state, GOV, as the annotation guideline codes it (detente gives it no sector of its own).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from detente.actors.sets import is_set, members
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
    story: str = ""  # news gold: the story id, and where the mention starts in the story's text
    start: int | None = None
    # mention gold: the annotator's label of the actor, the same for a story's coreferent mentions
    entity: str = ""

    @property
    def split(self) -> str:
        return split_of(self.story) if self.story else "all"


@dataclass(frozen=True, slots=True)
class MentionResult:
    gold: GoldMention
    got: ActorRef | None

    @property
    def country(self) -> str:
        if self.got is None:
            return "UNK"
        if is_set(self.got):
            # A set ref ("both countries" -> Egypt and Turkey) answers the gold mention of each of its
            # members; naming countries none of which is the gold one is a wrong country.
            codes = members(self.got)
            return self.gold.country if self.gold.country in codes else "+".join(codes)
        return self.got.country

    @property
    def sector(self) -> str:
        got = self.got
        if got is None:
            return "UNK"
        if got.sector is None and got.kind in STATE_KINDS:
            return "GOV"  # "Russia", "Moscow", "the Kremlin" named as actors: the state
        return got.sector or "UNK"

    @property
    def country_ok(self) -> bool:
        return self.country == self.gold.country

    @property
    def wrong_country(self) -> bool:
        """A country named, and not the gold one (abstaining with UNK is not wrong)."""
        return self.country != "UNK" and not self.country_ok

    @property
    def sector_ok(self) -> bool | None:
        if self.gold.sector is None:
            return None
        return self.sector == self.gold.sector


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

    @property
    def wrong_country(self) -> int:
        return sum(r.wrong_country for r in self.results)

    def only(self, split: str) -> ActorScores:
        """The scores of one split (tuning or held-out) of news gold."""
        return ActorScores(tuple(r for r in self.results if r.gold.split == split))

    def by_kind(self) -> dict[str, ActorScores]:
        """The scores of names, descriptions and pronouns apart (:func:`mention_kind`), in that order;
        kinds with no mention are left out."""
        kinds: dict[str, list[MentionResult]] = {kind: [] for kind in MENTION_KINDS}
        for r in self.results:
            kinds[mention_kind(r.gold.actor_text)].append(r)
        return {kind: ActorScores(tuple(results)) for kind, results in kinds.items() if results}

    def outcomes(self) -> list[dict[str, Any]]:
        """One row per scored mention, to save a run and compare a later one with it
        (:func:`compare_outcomes`, ``detente eval actors --save/--against``)."""
        return [
            {"id": r.gold.case_id, "start": r.gold.start, "actorText": r.gold.actor_text,
             "split": r.gold.split, "gold": [r.gold.country, r.gold.sector],
             "got": [r.country, r.sector, r.got.reason] if r.got is not None else None,
             "country_ok": r.country_ok, "sector_ok": r.sector_ok, "wrong_country": r.wrong_country}
            for r in self.results
        ]  # fmt: skip

    def as_dict(self, failures: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "mentions": self.total,
            "country": {"correct": self.country_correct, "total": self.total,
                        "accuracy": round(self.country_correct / self.total, 4) if self.total else 0.0},
            "sector": {"correct": self.sector_correct, "total": self.sector_total,
                       "accuracy": round(self.sector_correct / self.sector_total, 4) if self.sector_total else 0.0},
            "wrong_country": {"count": self.wrong_country, "total": self.total,
                              "rate": round(self.wrong_country / self.total, 4) if self.total else 0.0},
        }  # fmt: skip
        if failures:
            data["failures"] = [
                {"id": r.gold.case_id, "actorText": r.gold.actor_text, "gold": [r.gold.country, r.gold.sector],
                 "got": [r.got.country, r.got.sector, r.got.actor_id, r.got.text, getattr(r.got, "reason", "")] if r.got else None}
                for r in self.results if not r.country_ok or r.sector_ok is False
            ]  # fmt: skip
        return data


STATE_KINDS = frozenset({"country", "metonym", "place"})
MENTION_KINDS = ("names", "descriptions", "pronouns")
PRONOUN_WORDS = frozenset({
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
    "itself", "they", "them", "their", "theirs", "themselves",
})  # fmt: skip
# Where a mention's head phrase ends: "The head of MSF" and "Xu Quan, a media commentator" are told by the
# words before.
_HEAD_PHRASE_END = re.compile(r",|\s(?:of|from|at|in|for|with|who|whom|which|that|based)\s")
_WORD = re.compile(r"[\w.&’'-]+")


def mention_kind(text: str) -> str:
    """Which kind of mention a gold text is, read off its form: a pronoun ("they"), a name (its head
    phrase ends on a capitalised word or initials: "The White House", "Prime Minister Yoshihide Suga",
    "Istanbul's Kadir Has University", "U.S.") or a description ("Chinese immigrants", "Taiwan's new
    president", "the head of MSF"). The gaps of the three differ in kind: a name the knowledge base lacks,
    a description the lexicon lacks or places nowhere, a pronoun coreference leaves unlinked, so
    ``detente eval actors --by-kind`` reports them apart. (A description whose head phrase is one word
    opening a sentence, "People ...", "Sixty of those who escaped", reads as a name.)"""
    if text.strip().lower() in PRONOUN_WORDS:
        return "pronouns"
    words = _WORD.findall(_HEAD_PHRASE_END.split(text.strip(), maxsplit=1)[0])
    # ("al-Shabab": a capitalised part of a hyphenated word)
    return "names" if words and any(part[:1].isupper() for part in words[-1].split("-")) else "descriptions"


SPLITS = ("tuning", "held-out")


def split_of(story_id: str) -> str:
    """A story's half, fixed by its id: the held-out half is never looked into while rules are tuned."""
    return SPLITS[hashlib.sha256(story_id.encode("utf-8")).digest()[0] % 2]


def _sector(value: Any) -> str | None:
    code = str(value or "")[:3].upper()
    return code if code in SECTORS else None


def _records(path: Path, hint: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of a JSONL gold file, blank lines skipped; a line that is no JSON object is an
    error naming the file and the line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise RecordError(path, f"line {number}: {exc}", hint=hint) from exc
            if not isinstance(data, dict):
                raise RecordError(path, f"line {number}: not a JSON object", hint=hint)
            yield number, data


def read_gold(path: str | Path) -> list[GoldMention]:
    """Gold mentions from a JSONL file of the dev-gold shape."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such gold file", hint="give a JSONL file like plover_gsr_dev.jsonl")
    hint = "each line needs text and actorText/code"
    mentions = []
    for number, data in _records(path, hint):
        try:
            for role in ("source", "target"):
                for actor in data.get(role) or []:
                    mentions.append(GoldMention(
                        str(data.get("id", number)), data["text"], actor["actorText"].strip(), actor["code"],
                        _sector(actor.get("sector")), role, parse_published(data.get("published")),
                    ))  # fmt: skip
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RecordError(path, f"line {number}: {exc!r}", hint=hint) from exc
    return mentions


def score_actors(nlp: Language, mentions: Iterable[GoldMention]) -> ActorScores:
    results = []
    cache: dict[Any, Any] = {}
    for gold in mentions:
        refs: Sequence[ActorRef] = resolve_mention(nlp, gold.actor_text, gold.published, gold.sentence, cache)
        results.append(MentionResult(gold, refs[0] if refs else None))
    return ActorScores(tuple(results))


def news_mentions(stories: Iterable[Any]) -> list[GoldMention]:
    """Gold mentions from annotated news stories (:class:`detente.events.corpus.GoldStory`): each
    distinct source/target actor of each sentence, with its offset in the story's text. Actors whose
    text is not in their sentence are skipped (the corpus checker rejects them anyway)."""
    mentions = []
    for story in stories:
        published = parse_published(story.published)
        for sentence in story.sentences:
            seen = set()
            for event in sentence.events:
                for role in ("source", "target"):
                    for actor in event.get(role) or ():
                        text = str(actor.get("text") or "")
                        at = _word_offset(sentence.text, text) if text else -1
                        key = (text, actor.get("country"), actor.get("sector"))
                        if at < 0 or key in seen:
                            continue
                        seen.add(key)
                        mentions.append(GoldMention(
                            sentence.id, sentence.text, text, str(actor.get("country") or "UNK"),
                            _sector(actor.get("sector")), role, published, story.id, sentence.start + at,
                        ))  # fmt: skip
    return mentions


def _word_offset(sentence: str, text: str) -> int:
    """Where a gold actor's text first stands as whole words ("he" not inside "the", "we" not inside
    "Ing-wen"); a plain substring match when it never does."""
    match = re.search(r"(?<!\w)" + re.escape(text) + r"(?!\w)", sentence)
    return match.start() if match else sentence.find(text)


def news_stories(split: str = "all") -> list[Any]:
    """The complete annotated VOA stories of one split (tuning, held-out or all), read now."""
    from detente.events.corpus import RESERVED_VOA_IDS, load_corpus

    # Only the VOA news (not the synthetic stories), never a story reserved for outside evaluation.
    stories = [
        s
        for s in load_corpus()
        if s.id.startswith("voa-") and s.id.removeprefix("voa-") not in RESERVED_VOA_IDS
    ]
    return stories if split == "all" else [s for s in stories if split_of(s.id) == split]


def mention_gold(files: Iterable[Path] | None = None, *, with_overlap: bool = False) -> list[GoldMention]:
    """Every actor mention of the stories annotated for it (``data/annotations/actors/``, the guideline's
    "Actor mentions"), not only the events' sources and targets. Each line names its story, sentence, exact
    text and the occurrence of that text in the sentence (1 by default); lines of an annotator's overlap
    copy are left out (``overlap`` true; kept with ``with_overlap``, for agreement), so each mention counts
    once."""
    from detente.events.corpus import ANNOTATIONS, RESERVED_VOA_IDS, load_corpus

    stories = {s.id: s for s in load_corpus()}
    sentences = {x.id: (s, x) for s in stories.values() for x in s.sentences}
    paths = sorted(files) if files is not None else sorted((ANNOTATIONS / "actors").glob("actors-*.jsonl"))
    hint = "each line needs a known sentence id and the text copied from it"
    mentions = []
    for path in paths:
        for number, data in _records(path, hint):
            try:
                story, sentence = sentences[data["sentence"]]
                text, nth = str(data["text"]), int(data.get("occurrence") or 1)
            except (ValueError, KeyError, TypeError) as exc:
                raise RecordError(path, f"line {number}: {exc!r}", hint=hint) from exc
            if (data.get("overlap") and not with_overlap) or story.id.removeprefix(
                "voa-"
            ) in RESERVED_VOA_IDS:
                continue
            at = _nth_word_offset(sentence.text, text, nth)
            if at < 0:
                raise RecordError(
                    path, f"line {number}: {text!r} is not in sentence {sentence.id}", hint=hint
                )
            mentions.append(GoldMention(
                sentence.id, sentence.text, text, str(data.get("country") or "UNK"), _sector(data.get("sector")),
                "mention", parse_published(story.published), story.id, sentence.start + at,
                str(data.get("entity") or ""),
            ))  # fmt: skip
    return mentions


def _nth_word_offset(sentence: str, text: str, nth: int) -> int:
    starts = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(text) + r"(?!\w)", sentence)]
    if not starts:
        starts = [m.start() for m in re.finditer(re.escape(text), sentence)]
    return starts[nth - 1] if 0 < nth <= len(starts) else -1


def mention_agreement(first: Sequence[GoldMention], second: Sequence[GoldMention]) -> dict[str, Any]:
    """Two annotators' mentions of the same stories: which mentions both marked (same sentence, overlapping
    words; one to one, a set phrase's lines matched country by country), F1 of one against the other, and
    on the shared mentions how often country and sector agree, with Cohen's kappa for the country."""
    from detente.events.agreement import cohen_kappa

    def span(m: GoldMention) -> tuple[int, int]:
        return m.start or 0, (m.start or 0) + len(m.actor_text)

    used: set[int] = set()
    pairs: list[tuple[GoldMention, GoldMention]] = []
    for a in first:
        (a0, a1) = span(a)
        candidates = [
            (k, b) for k, b in enumerate(second)
            if k not in used and b.story == a.story and span(b)[0] < a1 and a0 < span(b)[1]
        ]  # fmt: skip
        if candidates:
            k, b = min(candidates, key=lambda kb: (kb[1].country != a.country, abs(span(kb[1])[0] - a0)))
            used.add(k)
            pairs.append((a, b))
    shared = len(pairs)
    precision = shared / len(second) if second else 0.0
    recall = shared / len(first) if first else 0.0
    sectors = [(a.sector or "UNK", b.sector or "UNK") for a, b in pairs]
    return {
        "first": len(first), "second": len(second), "shared": shared,
        "mention_f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "country_agreement": round(sum(a.country == b.country for a, b in pairs) / shared, 3) if shared else 0.0,
        "country_kappa": round(cohen_kappa([(a.country, b.country) for a, b in pairs]), 3) if shared else 0.0,
        "sector_agreement": round(sum(x == y for x, y in sectors) / shared, 3) if shared else 0.0,
    }  # fmt: skip


def scored_before(mention: GoldMention, event_gold: Iterable[GoldMention]) -> bool:
    """Does the mention overlap an event participant of the same story (gold that rules were tuned on or
    read against)? The rest were never scored before the mention gold was written."""
    end = (mention.start or 0) + len(mention.actor_text)
    return any(
        g.story == mention.story
        and (g.start or 0) < end
        and (mention.start or 0) < (g.start or 0) + len(g.actor_text)
        for g in event_gold
    )


def score_mentions(nlp: Language, mentions: Sequence[GoldMention]) -> ActorScores:
    """Code each story of the mention gold whole and score its mentions (as :func:`score_stories`)."""
    from detente.events.corpus import load_corpus

    wanted = {m.story for m in mentions}
    stories = [s for s in load_corpus() if s.id in wanted]
    return score_stories(nlp, stories, lambda story: [m for m in mentions if m.story == story.id])


def score_stories(
    nlp: Language, stories: Iterable[Any], gold_of: Callable[[Any], list[GoldMention]] | None = None
) -> ActorScores:
    """Code each story whole (with its date) and score its gold mentions against the refs (the events'
    participants unless ``gold_of`` gives a story's mentions)."""
    from detente.records import Article

    results = []
    for story in stories:
        golds = gold_of(story) if gold_of is not None else news_mentions([story])
        if not golds:
            continue
        doc = nlp.make_doc(story.text)
        doc._.article = Article(id=story.id, text=story.text, published=parse_published(story.published),
                                outlet=getattr(story, "outlet", None))  # fmt: skip
        refs = list(nlp(doc)._.actors or ())
        for gold in golds:
            start = gold.start or 0
            end = start + len(gold.actor_text)
            hits = [r for r in refs if r.start < end and start < r.end]
            best = max(hits, key=lambda r: (min(end, r.end) - max(start, r.start), -abs((r.end - r.start) - (end - start))),
                       default=None)  # fmt: skip
            results.append(MentionResult(gold, best))
    return ActorScores(tuple(results))


# Splits whose changed mentions may be listed: the held-out half is only ever scored, never read.
LISTED_SPLITS = frozenset({"tuning", "all"})


def compare_outcomes(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What moved between two saved runs of the same gold (:meth:`ActorScores.outcomes`): per split, how
    many mentions became right or stopped being right (country), became or stopped being a wrong country,
    and gained or lost the sector; the changed mentions themselves only for the splits one may read (not the
    held-out half). Mentions are matched by sentence, offset, text and gold country, so a gold edited
    between the runs shows as mentions added or dropped."""

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return row["id"], row.get("start"), row["actorText"], tuple(row["gold"])

    earlier: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in before:
        earlier.setdefault(key(row), []).append(row)
    splits: dict[str, dict[str, Any]] = {}
    unmatched = 0
    for row in after:
        old_rows = earlier.get(key(row))
        if not old_rows:
            unmatched += 1
            continue
        old = old_rows.pop(0)
        counts = splits.setdefault(row.get("split") or "all", {
            "right_gained": 0, "right_lost": 0, "wrong_gained": 0, "wrong_lost": 0, "sector_gained": 0,
            "sector_lost": 0, "changed": [],
        })  # fmt: skip
        moved = False
        for outcome, gained, lost in (("country_ok", "right_gained", "right_lost"),
                                    ("wrong_country", "wrong_gained", "wrong_lost"),
                                    ("sector_ok", "sector_gained", "sector_lost")):  # fmt: skip
            if bool(row[outcome]) != bool(old[outcome]):
                counts[gained if row[outcome] else lost] += 1
                moved = True
        if moved and (row.get("split") or "all") in LISTED_SPLITS:
            counts["changed"].append({"id": row["id"], "actorText": row["actorText"], "gold": row["gold"],
                                     "before": old["got"], "after": row["got"]})  # fmt: skip
    for name, data in splits.items():
        if name not in LISTED_SPLITS:
            del data["changed"]
    left = sum(len(rows) for rows in earlier.values())
    return {"splits": splits, "only_before": left, "only_after": unmatched}
