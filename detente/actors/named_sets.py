"""Sets a phrase names itself: "the Thai and Chinese governments", "ministers from Britain, Canada and
France", "G7 foreign ministers", "the Quad members".

Each stands for the governments (or forces, or people) of several countries at once, and the annotation
guideline codes it one line per member country. Without this, the phrase resolved to one country only
(the conjunct next to the noun: "French leaders"; the first after "from": "ministers from Britain") or,
for a grouping of states, to one IGO ("G7 foreign ministers" IGO), which is no party to a dyad.

The result is a set ref as :mod:`detente.actors.sets` makes for "both countries" (``set:TUR+FRA``, kind
``set``, country ``UNK``), with the sector of the noun, so the events stage makes every member a source or
target. Two forms:

- **countries coordinated on one sector noun**: the nationality words or country names joined by "and",
  "or" or commas before the noun ("U.S., British and French officials") or after its "from", "in" or "of"
  ("politicians in Britain and the United States"). Every coordinated word must be a country the knowledge
  base resolved (a country name or a nationality word), and they must be two or more countries; a
  country's own name with "and" in it ("Antigua and Barbuda authorities") is one ref already and no set,
  and places after a noun that has its nationality already are where its people are ("South Korean
  officials from Seoul and Washington" stay South Korea's).
- **the people of a grouping of states** (``data/groupings.csv``: G7, Quad, BRICS, ..., and regions whose
  states are a fixed list, "the Baltic states"): a plural noun
  of people or states with the grouping's name before it or after its "of"/"from" ("G7 foreign
  ministers", "leaders of the G7", "top diplomats from the Group of Seven leading industrial nations").
  The members are those of the article's date. The grouping named alone ("the G7 said") stays the
  knowledge base's IGO: the body that speaks as one, as the guideline's gold codes "the G7"; one the knowledge
  base has no body for ("the E3", "the Baltics") is its members named alone too.

Precision first: a phrase that also names another actor with a country ("Japan's G7 partners") is left
alone, and so is a grouping whose noun says the members are not all of it ("partners", "counterparts").
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc

from detente.actors.knowledge_base import KnowledgeBase, fold
from detente.actors.matching import doc_text, joined_words
from detente.actors.sets import SET_KIND, SET_PREFIX, THEY, listed_names
from detente.records import ActorRef

NAMED_SET = "named set"
NAMED_SET_CONFIDENCE = 0.85  # as an agent noun placed by its own words; never above its least certain member
# Nouns that stand for the members of a grouping of states: its governments, their people, the states.
GROUPING_NOUNS = frozenset({"leaders", "ministers", "members", "nations", "countries", "states", "governments",
                            "diplomats", "officials", "envoys", "heads", "presidents", "premiers", "economies"})  # fmt: skip
STATE_REF_KINDS = frozenset({"country", "metonym"})
# How a sector noun's country may be given after it: "ministers from Britain", "politicians in Britain".
PLACE_PREPOSITIONS = frozenset({"from", "in", "of"})
MODIFIER_DEPS = frozenset({"amod", "nmod", "compound", "poss"})


@dataclass(frozen=True, slots=True)
class Grouping:
    names: tuple[str, ...]
    members: tuple[tuple[str, int | None], ...]  # (country, year it joined, when after the start)
    pattern: re.Pattern[str]

    def members_on(self, date: dt.date | None) -> list[str]:
        return [code for code, year in self.members if date is None or year is None or year <= date.year]


@cache
def groupings() -> tuple[Grouping, ...]:
    """The groupings of ``data/groupings.csv``."""
    text = resources.files("detente.actors").joinpath("data/groupings.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    out = []
    for row in rows:
        names = tuple(n.strip() for n in row["names"].split("|") if n.strip())
        members = []
        for item in row["members"].split():
            code, _, year = item.partition("@")
            members.append((code, int(year) if year else None))
        words = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        out.append(Grouping(names, tuple(members), re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")))
    return tuple(out)


def named_sets(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]], kb: KnowledgeBase, date: dt.date | None
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """Replace each phrase that names several countries on one noun (and the refs inside it) by one set
    ref; a "they/them/their" linked to a ref it replaces becomes the set too; links are renumbered."""
    made: list[ActorRef] = []
    found = [_coordinated_on_noun(doc, ref, refs, kb) for ref in refs] + _people_of_groupings(
        doc, refs, kb, date
    )
    for one in found:
        if one is not None and not any(m.start < one.end and one.start < m.end for m in made):
            made.append(one)
    if not made:
        return refs, links
    replaced = {i: m for i, r in enumerate(refs) for m in made if m.start <= r.start and r.end <= m.end}
    kept = [(r, i) for i, r in enumerate(refs) if i not in replaced] + [(m, -1) for m in made]
    kept.sort(key=lambda pair: (pair[0].start, pair[0].end))
    position = {old: new for new, (_, old) in enumerate(kept) if old >= 0}
    new_refs = [r for r, _ in kept]
    at = {id(m): n for n, (m, old) in enumerate(kept) if old < 0}
    renumbered = []
    for m, a in links:
        if m in replaced:
            continue
        if a in replaced:
            mention = refs[m]
            if mention.text.lower() in THEY:  # "The Thai and Chinese governments said they ..."
                whole = replaced[a]
                new_refs[position[m]] = ActorRef(mention.text, mention.start, mention.end, whole.actor_id,
                                                 whole.name, whole.country, whole.sector, whole.kind,
                                                 mention.confidence, "coreference")  # fmt: skip
                renumbered.append((position[m], at[id(whole)]))
            continue
        renumbered.append((position[m], position[a]))
    return new_refs, renumbered


def _set_ref(text: str, start: int, end: int, codes: list[str], sector: str | None, confidence: float,
             kb: KnowledgeBase) -> ActorRef:  # fmt: skip
    name = listed_names([kb.country_actor(code).name for code in codes])
    return ActorRef(text[start:end], start, end, SET_PREFIX + "+".join(codes), name, "UNK", sector, SET_KIND,
                    min(NAMED_SET_CONFIDENCE, confidence), NAMED_SET)  # fmt: skip


def _covering(refs: list[ActorRef], token) -> ActorRef | None:  # type: ignore[no-untyped-def]
    return next((r for r in refs if r.start <= token.idx < r.end), None)


def _country_word(ref: ActorRef | None) -> bool:
    return (
        ref is not None
        and ref.kind in STATE_REF_KINDS
        and ref.country not in ("UNK", "IGO", "WST")
        and ref.sector in (None, "GOV")
        and not ref.actor_id.startswith(SET_PREFIX)
    )


def _coordinated_on_noun(
    doc: Doc, noun_ref: ActorRef, refs: list[ActorRef], kb: KnowledgeBase
) -> ActorRef | None:
    """ "The Turkish and French leaders" (the parse: Turkish <-conj- French, Turkish -amod-> leaders), "U.S.,
    British and French officials" (U.S. a second modifier of the noun), "ministers from Britain, Canada and
    France", "politicians in Britain and the United States": a sector noun placed by one of several
    coordinated countries is all of them."""
    if noun_ref.kind != "group" or not noun_ref.reason.startswith("agent noun"):
        return None
    if noun_ref.country in ("UNK", "IGO", "WST"):
        return None
    span = doc.char_span(noun_ref.start, noun_ref.end, alignment_mode="expand")
    if span is None:
        return None
    head = span.root
    for token in span:
        root = token
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        words = joined_words(root)
        # the noun's own country is one of them, and at least one is outside its phrase
        if len(words) < 2 or not any(w.i < span.start or w.i >= span.end for w in words):
            continue
        if not any(span.start <= w.i < span.end for w in words):
            continue
        dangling = _dangling_conjunct(doc, words, refs)
        if not dangling and not any(
            c.dep_ == "cc" and c.lower_ in ("and", "or") for w in words for c in w.children
        ):
            continue
        words += dangling
        # the coordinated words modify the noun, or are what its "from/in/of" names
        before = root.head == head and root.dep_ in MODIFIER_DEPS and root.i < head.i
        after = root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPOSITIONS and root.head.head == head
        if not (before or after) or (after and _nationality_before(doc, head, kb)):
            continue  # "South Korean officials from Seoul and Washington" are South Korea's wherever they are
        if before:  # "U.S., British and French officials": one more modifier, joined to them by a comma only
            words = _comma_joined_modifiers(doc, head, root, refs) + words
        members = []
        for word in words:
            ref = _covering(refs, word)
            if ref is noun_ref:
                members.append(noun_ref.country)
            elif _country_word(ref):
                members.append(ref.country)  # type: ignore[union-attr]
            else:
                return None
        codes = list(dict.fromkeys(members))
        if len(codes) < 2:
            return None
        covered = [r for w in words if (r := _covering(refs, w)) is not None]
        start = min(r.start for r in [noun_ref, *covered])
        end = max(r.end for r in [noun_ref, *covered])
        confidence = min(r.confidence for r in [noun_ref, *covered])
        return _set_ref(doc_text(doc), start, end, codes, noun_ref.sector, confidence, kb)
    return None


def _nationality_before(doc: Doc, head, kb: KnowledgeBase) -> bool:  # type: ignore[no-untyped-def]
    """Does a word or two before the noun name a country ("South Korean officials")?"""
    words = [t for t in doc[head.left_edge.i : head.i] if t.dep_ != "det"]
    spans = [[t] for t in words] + [list(pair) for pair in itertools.pairwise(words)]
    return any(
        kb.lookup(fold(text), text, ("country",)) is not None
        for text in (" ".join(t.text for t in span) for span in spans)
    )


def _dangling_conjunct(doc: Doc, words: list, refs: list[ActorRef]) -> list:  # type: ignore[no-untyped-def]
    """The last country of "Mexico, Canada, and the United States" when the parse hangs it (and its "and")
    on the noun instead of on "Canada": the next words after the list are a comma, "and" or "or", and a
    country the parse calls a conjunct."""
    k = max(w.i for w in words) + 1
    while k < len(doc) and doc[k].text == ",":
        k += 1
    if k >= len(doc) or doc[k].dep_ != "cc" or doc[k].lower_ not in ("and", "or"):
        return []
    k += 1
    while k < len(doc) and doc[k].dep_ == "det":
        k += 1
    ref = _covering(refs, doc[k]) if k < len(doc) else None
    if ref is None or not _country_word(ref):
        return []
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    return [span.root] if span is not None and span.root.dep_ == "conj" else []


def _comma_joined_modifiers(doc: Doc, head, root, refs: list[ActorRef]) -> list:  # type: ignore[no-untyped-def]
    """The noun's modifiers before the coordinated ones that are countries and joined to them by commas
    only (the parse hangs "U.S." of "U.S., British and French officials" on the noun, not on "British")."""
    out: list = []
    at = root.left_edge.i
    for child in sorted((c for c in head.children if c.i < at), key=lambda c: -c.i):
        if (
            child.dep_ not in MODIFIER_DEPS
            or child.right_edge.i >= at
            or not _country_word(_covering(refs, child))
        ):
            break
        between = doc[child.i + 1 : at]  # the comma may hang on the modifier
        if not len(between) or not all(t.text == "," for t in between):
            break
        out.insert(0, child)
        at = child.left_edge.i
    return out


def _people_of_groupings(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase, date: dt.date | None
) -> list[ActorRef]:
    """ "G7 foreign ministers", "the Quad members", "leaders of the G7", "top diplomats from the Group of
    Seven leading industrial nations", "the Baltic states": the member states of the grouping, of the
    article's date. Found in the text, not among the refs: a region's adjective ("Baltic") is no actor."""
    text = doc_text(doc)
    made: list[ActorRef] = []
    for grouping in groupings():
        for found in grouping.pattern.finditer(text):
            name = doc.char_span(found.start(), found.end(), alignment_mode="expand")
            if name is None:
                continue
            g = name.root
            if g.dep_ in MODIFIER_DEPS and g.head.i > g.i and _grouping_noun(g.head):
                noun = g.head  # "the Quad members", "the Group of Seven leading industrial nations"
            elif g.dep_ == "pobj" and g.head.lower_ in ("of", "from") and _grouping_noun(g.head.head):
                noun = g.head.head  # "leaders of the G7"
            elif (
                g.pos_ in ("PROPN", "NOUN") and g.dep_ not in MODIFIER_DEPS
                and kb.lookup(fold(found.group(0)), found.group(0)) is None
            ):  # fmt: skip
                # "accused the E3 of violating the deal": a grouping no body speaks for is its members
                noun = g
            else:
                continue
            outer = None
            if noun.dep_ == "pobj" and noun.head.lower_ in ("of", "from") and _grouping_noun(noun.head.head):
                outer = noun.head.head  # "top diplomats from the Group of Seven ... nations"
            start = (outer or noun).left_edge.idx
            end = max(noun.idx + len(noun), name.end_char)
            # a ref the phrase cuts ("G-8 nations in Japan", one agent noun) is inside it whole
            for r in refs:
                if r.start < end and start < r.end:
                    start, end = min(start, r.start), max(end, r.end)
            nouns = {noun.idx} | ({outer.idx} if outer is not None else set())
            # another actor of a country in the phrase says whose they are ("Japan's G7 partners"); the
            # nouns' own refs may have been lent the sentence's country
            if any(
                start <= r.start and r.end <= end and r.country not in ("UNK", "IGO")
                and not any(r.start <= n < r.end for n in nouns)
                for r in refs
            ):  # fmt: skip
                continue
            # as sure as the grouping's own ref, when it has one (a region's adjective has none)
            named = [r.confidence for r in refs if r.start < name.end_char and name.start_char < r.end]
            confidence = min([NAMED_SET_CONFIDENCE, *named])
            codes = grouping.members_on(date)
            if len(codes) >= 2:
                made.append(_set_ref(text, start, end, codes, "GOV", confidence, kb))
    return made


def _grouping_noun(token) -> bool:  # type: ignore[no-untyped-def]
    return token.tag_ in ("NNS", "NNPS") and token.lower_ in GROUPING_NOUNS
