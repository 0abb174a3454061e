"""Interview transcripts: turns labelled with who speaks ("VOA: ...", "Richard Armitage, former U.S.
deputy secretary of state: ...").

In a turn, "I", "we", "my" and "our" outside quotation marks are the labelled speaker, up to the next
label; "you" and "your" in the interviewer's turn (an outlet's label) are the one who answers in the turn
after it. An article is taken for a transcript only when at least two labels open a sentence each, one
of them a person's: a single "Update:" or "Editor's note:" is no interview.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from detente.actors.coreference import with_linked_mentions
from detente.actors.matching import doc_text
from detente.records import ActorRef

TURN_START = re.compile(r"(?:^|[.?!\"”\]]\s+|\n\s*)$")  # what may stand before a label: a sentence's end
# After the speaker's name: nothing, or an apposition ("Richard Armitage, former U.S. deputy secretary of
# state"), then the colon; no sentence break in between.
AFTER_NAME = re.compile(r"(?:,[^:\n\"“”?!]{0,100}?)?:\s+\S")
SENTENCE_BREAK = re.compile(r"[.?!]\s+[A-Z]")
SAID = re.compile(
    r"\b(?:said|says|told|tells|added|wrote|asked)\b"
)  # "X, an expert, told VOA: ..." is no label
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
SECOND_PERSON = frozenset({"you", "your"})
TURN_CONFIDENCE = 0.6
QUOTES = '"“”'


def _labels(text: str, refs: list[ActorRef]) -> list[tuple[int, ActorRef]]:
    """(where the turn starts, speaker) for each person or outlet named as a turn's label."""
    found = []
    for r in refs:
        if r.kind not in ("person", "outlet") or not TURN_START.search(text[max(0, r.start - 3) : r.start]):
            continue
        after = AFTER_NAME.match(text, r.end)
        if (
            after is not None
            and not SENTENCE_BREAK.search(after.group(0))
            and not SAID.search(after.group(0))
        ):
            found.append((r.start, r))
    return found


def interview_turns(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """Add the first- and second-person pronouns of a transcript's turns as refs of their speakers."""
    text = doc_text(doc)
    labels = _labels(text, refs)
    if len(labels) < 2 or not any(label.kind == "person" for _, label in labels):
        return refs, links
    covered = {(r.start, r.end) for r in refs}
    added: list[tuple[ActorRef, ActorRef]] = []
    for k, (_, speaker) in enumerate(labels):
        stop = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        answer = next((label for _, label in labels[k + 1 :] if label.kind == "person"), None)
        turn = doc.char_span(speaker.end, stop, alignment_mode="contract")
        if turn is None:
            continue
        for token in turn:
            lower = token.lower_
            if token.pos_ != "PRON" or (token.idx, token.idx + len(token)) in covered:
                continue
            # Outside quotation marks only: a quotation inside a turn is someone else's words.
            if sum(text.count(q, speaker.end, token.idx) for q in QUOTES) % 2:
                continue
            if lower in FIRST_PERSON and speaker.kind == "person":
                who = speaker
            elif lower in SECOND_PERSON and speaker.kind == "outlet" and answer is not None:
                who = answer
            else:
                continue
            mention = ActorRef(token.text, token.idx, token.idx + len(token), who.actor_id, who.name,
                               who.country, who.sector, who.kind, round(who.confidence * TURN_CONFIDENCE, 3),
                               "coreference")  # fmt: skip
            added.append((mention, who))
    return with_linked_mentions(refs, links, added)
