"""People named again by their role in a case: "the defendants", "the suspects", "the accused".

A court or crime story names the people it is about and then calls them by their role: "Tehran offered to
pay Amirov and Omarov $500,000 ... 'The defendants were hired guns for the government of Iran,' the
prosecutor said". Such a phrase is a mention of the people coordinated just before it ("Amirov and
Omarov": two or more people joined by "and"), the last such coordination in its own sentence before it or
in the ``REACH`` sentences before, when:

- the role noun heads its phrase and has a determiner ("the defendants", "both suspects", "the accused";
  not "the accused men", whose head is "men", nor a bare "suspects", which introduces new people);
- every coordinated person is of one known country: the phrase takes it, and their sector when they share
  one. People of several countries, or of none known, or no coordinated people in reach, leave the phrase
  no ref, as before ("The defendants are being tried in absentia" after no names: nobody to take up).

The phrase is added as a ref of its own (the people together), not linked to one of them: "the
defendants" is not Amirov.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from detente.actors.coreference import with_added
from detente.actors.matching import doc_text
from detente.records import ActorRef

ROLE_NOUNS = ("defendants", "co-defendants", "codefendants", "suspects", "accused")
ROLE_WORDS = re.compile(r"\b(?:" + "|".join(ROLE_NOUNS) + r")\b", re.IGNORECASE)
DETERMINERS = frozenset({"the", "these", "those", "both", "all"})
REACH = 3  # sentences before the phrase's own that may name the people
NO_COUNTRY = frozenset({"UNK", "IGO", "WST"})
# At most; never above its least certain person (not discounted like a pronoun's link: the phrase is not
# linked to a person, so a discounted confidence would fall under the stage's threshold on its own)
ROLE_CONFIDENCE = 0.6
PRONOUNS = frozenset({"he", "him", "his", "she", "her", "they", "them", "their", "i", "we", "you"})


def _role_phrase(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Token span [first, last + 1) of "the defendants" whose head is the role noun at [start, end) chars."""
    span = doc.char_span(start, end)
    if span is None or len(span) != 1:
        return None
    head = span[0]
    if head.pos_ not in ("NOUN", "ADJ", "VERB") or head.dep_ in ("amod", "compound"):
        return None  # "the accused men": the head is "men"; "suspects" as a verb
    if head.lower_ != "accused" and head.tag_ not in ("NNS", "NNPS"):
        return None
    dets = [c.i for c in head.children if c.i < head.i and c.lower_ in DETERMINERS]
    return (min(dets), head.i + 1) if dets else None


def _coordinations(doc: Doc, people: list[ActorRef]) -> list[list[ActorRef]]:
    """People joined by "and" ("Amirov and Omarov", "Amirov, 45, and Omarov, 40"), each group in text
    order, groups ordered by where they end."""
    at: dict[int, ActorRef] = {}
    for ref in people:
        span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if span is not None and len(span):
            at[span.root.i] = ref
    groups: dict[int, list[ActorRef]] = {}
    for i, ref in at.items():
        token = doc[i]
        first = token
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        if first.i != token.i and first.i in at:
            groups.setdefault(first.i, [at[first.i]]).append(ref)
    coordinated = [sorted(g, key=lambda r: r.start) for g in groups.values()]
    return sorted(coordinated, key=lambda g: g[-1].end)


def legal_role_people(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """``refs`` with "the defendants"-like phrases added as refs of the people coordinated before them."""
    text = doc_text(doc)
    found = list(ROLE_WORDS.finditer(text))  # a scan of the text: most stories have no such word
    if not found or not doc.has_annotation("DEP"):
        return refs, links
    starts = [s.start_char for s in doc.sents]
    taken = sorted((r.start, r.end) for r in refs)
    people = [r for r in refs if r.kind == "person" and r.text.lower() not in PRONOUNS]
    added: list[ActorRef] = []
    for match in found:
        phrase = _role_phrase(doc, match.start(), match.end())
        if phrase is None:
            continue
        start, end = doc[phrase[0]].idx, match.end()
        k = bisect.bisect_left(taken, (start, start))
        if (k < len(taken) and taken[k][0] < end) or (k > 0 and taken[k - 1][1] > start):
            continue  # already a ref
        here = bisect.bisect_right(starts, start)
        near = [r for r in people if r.end <= start and here - bisect.bisect_right(starts, r.start) <= REACH]
        groups = _coordinations(doc, near)
        if not groups:
            continue
        group = groups[-1]
        countries = {r.country for r in group}
        if len(countries) != 1 or countries & NO_COUNTRY:
            continue
        sectors = {r.sector for r in group}
        sector = sectors.pop() if len(sectors) == 1 else None
        added.append(ActorRef(
            text[start:end], start, end, "people:" + "+".join(r.actor_id.split(":", 1)[-1] for r in group),
            " and ".join(r.name or r.text for r in group), group[0].country, sector, "group",
            min(ROLE_CONFIDENCE, *(r.confidence for r in group)), "coreference",
        ))  # fmt: skip
    return with_added(refs, links, added)
