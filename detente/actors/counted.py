"""Counted people: a number standing for people of a group named just before.

News counts the people it has just named and then writes the number alone: "eight Uyghurs remain in
custody since authorities deported 40 others", "the day after the 40 were deported", "these three, who
also hail from China". Such a number is a mention of that group
(country and sector), linked like a pronoun, when:

- the number is the head of its phrase (no noun after it) with a determiner or "others" ("40 others",
  "the 40", "these three"), a subject or object of a verb; a bare number ("you need two", "sent 109")
  is too often something else, and years, dates, money and "40 of them" (the pronoun is the mention)
  are not;
- exactly one group of people (civilians or refugees, of a known country) is named in its sentence
  before it or in the two sentences before; bodies ("authorities") and armed groups are not counted this
  way, and a plural noun that is no actor in between ("40 villages") leaves it unlinked.
"""

from __future__ import annotations

import bisect

from spacy.attrs import LIKE_NUM
from spacy.tokens import Doc

from detente.actors.coreference import COREF_FACTOR, with_linked_mentions
from detente.actors.matching import doc_text
from detente.doc_table import table_of
from detente.records import ActorRef

PEOPLE_SECTORS = frozenset({"CVL", "REF"})
COUNTED_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
DETERMINERS = frozenset({"the", "these", "those"})
NOT_PEOPLE = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
REACH = 2  # sentences before the number's own


def _number_head(token) -> bool:  # type: ignore[no-untyped-def]
    """Is the token a number standing alone for what is counted ("the 40", "109", "these three")?"""
    if not token.like_num or token.pos_ != "NUM" or token.ent_type_ in NOT_PEOPLE:
        return False
    if token.text.isdigit() and len(token.text) == 4:
        return False  # a year
    if any(c.dep_ in ("prep", "compound") or c.pos_ in ("NOUN", "PROPN") for c in token.children):
        return False  # "40 of them", "40 villages"
    return token.dep_ in COUNTED_DEPS


def _mention(token) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    """Token span [start, end) of a counted mention headed by ``token``, or None."""
    if token.lower_ == "others" and token.dep_ in COUNTED_DEPS:
        counts = [c for c in token.children if c.dep_ == "nummod" and c.like_num]
        return (counts[0].i, token.i + 1) if counts else None  # "40 others"
    if not _number_head(token):
        return None
    dets = [c.i for c in token.children if c.dep_ == "det" and c.lower_ in DETERMINERS and c.i < token.i]
    # a bare number is too often something else ("For tango, you need two"): "the 40", "these three" only
    return (min(dets), token.i + 1) if dets else None


def counted_people(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """``refs`` with counted mentions of a group named just before added as coreferent refs."""
    if not refs or not doc.has_annotation("DEP"):
        return refs, links
    text = doc_text(doc)
    starts = [s.start_char for s in doc.sents]
    taken = sorted((r.start, r.end) for r in refs)
    added: list[tuple[ActorRef, ActorRef]] = []
    # Only numbers and "others" can be counted mentions: their tokens from the doc's arrays (detente/doc_table.py),
    # not a Token object made for every word of the article.
    numbers = doc.to_array(LIKE_NUM).tolist()
    for k, lower in enumerate(table_of(doc).lower):
        if not numbers[k] and lower != "others":
            continue
        token = doc[k]
        span = _mention(token)
        if span is None:
            continue
        start, end = doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1])
        at = bisect.bisect_left(taken, (start, start))
        if (at < len(taken) and taken[at][0] < end) or (at > 0 and taken[at - 1][1] > start):
            continue  # already a ref
        here = bisect.bisect_right(starts, start)
        groups = [
            r for r in refs
            if r.end <= start and here - bisect.bisect_right(starts, r.start) <= REACH
            and r.kind == "group" and r.sector in PEOPLE_SECTORS and r.country not in ("UNK", "IGO", "WST")
        ]  # fmt: skip
        if (
            not groups
            or len({r.actor_id for r in groups}) != 1
            or _plural_between(doc, groups[-1].end, token, refs)
        ):
            continue
        ante = groups[-1]
        mention = ActorRef(text[start:end], start, end, ante.actor_id, ante.name, ante.country, ante.sector,
                           ante.kind, round(ante.confidence * COREF_FACTOR, 3), "coreference")  # fmt: skip
        added.append((mention, ante))
    return with_linked_mentions(refs, links, added)


def _plural_between(doc: Doc, after: int, token, refs: list[ActorRef]) -> bool:  # type: ignore[no-untyped-def]
    """A plural noun that is no actor between the group and the number ("40 villages", "the camps ...
    40 were closed") may be what is counted: do not guess."""
    table = table_of(doc)
    for k in range(bisect.bisect_left(table.idx, after), token.i):  # the tokens from ``after`` to the number
        idx = table.idx[k]
        if table.tag[k] in ("NNS", "NNPS") and not any(r.start <= idx < r.end for r in refs):
            return True
    return False
