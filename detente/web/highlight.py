"""Article text with its evidence highlighted, built server-side from character offsets.

Every piece of text and every attribute value is escaped here; the result is ``Markup`` only because
it is built from escaped parts. Marks may overlap (an actor inside a claim's content): the text is cut
at every mark boundary and each piece carries the classes of all the marks that cover it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from detente.records import Bundle, Claim, Event

KINDS = ("claim", "cue", "actor", "trigger", "date", "place", "modality")


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    kind: str  # one of KINDS
    title: str = ""
    href: str | None = None
    event_id: str | None = None


def _event_title(event: Event) -> str:
    source = ", ".join(a.name for a in event.source) or "?"
    target = ", ".join(a.name for a in event.target) or "?"
    return f"{event.event_type} ({event.modality}): {source} → {target}"


def event_marks(event: Event) -> list[Mark]:
    href = f"/events/{event.id}"
    marks = [Mark(event.trigger.start, event.trigger.end, "trigger", _event_title(event), href, event.id)]
    if event.modality_cue is not None:
        cue = event.modality_cue
        marks.append(Mark(cue.start, cue.end, "modality", f"modality: {event.modality}", None, event.id))
    date = event.date
    if date is not None and date.char_start is not None and date.char_end is not None:
        span = f"{date.start}" + (f" to {date.end}" if date.end and date.end != date.start else "")
        marks.append(
            Mark(date.char_start, date.char_end, "date", f"date: {span} ({date.type})", None, event.id)
        )
    if event.place is not None and event.place.end > event.place.start:
        place = event.place
        marks.append(Mark(place.start, place.end, "place", f"place: {place.name} ({place.country or '?'})"))
    return marks


def claim_marks(claim: Claim) -> list[Mark]:
    speaker = ", ".join(a.name for a in claim.speaker) or "unattributed"
    title = f"claim by {speaker}: {claim.kind}, {claim.channel}, {claim.stance}"
    marks = [Mark(claim.content.start, claim.content.end, "claim", title, f"#claim-{claim.id}")]
    if claim.cue is not None:
        marks.append(Mark(claim.cue.start, claim.cue.end, "cue", f"cue of a claim by {speaker}"))
    return marks


def is_article_voice(claim: Claim, text_length: int) -> bool:
    """The root claim the claims stage gives every article (its outlet reports the whole text)."""
    return claim.parent_id is None and claim.content.end - claim.content.start > text_length / 2


def bundle_marks(bundle: Bundle) -> list[Mark]:
    marks: list[Mark] = []
    for claim in bundle.claims:
        if not is_article_voice(claim, len(bundle.article.text)):  # it would tint the whole text
            marks += claim_marks(claim)
    for ref in bundle.actors:
        title = f"{ref.name} ({ref.country}{'/' + ref.sector if ref.sector else ''})"
        marks.append(Mark(ref.start, ref.end, "actor", title, f"/actors/{ref.actor_id}"))
    for event in bundle.events:
        marks += event_marks(event)
    # Dates and places no event took are still shown, so a reader sees everything the stages found.
    taken = {(m.start, m.end, m.kind) for m in marks}
    for date in bundle.dates:
        if (
            date.char_start is not None
            and date.char_end is not None
            and (date.char_start, date.char_end, "date") not in taken
        ):
            title = f"date: {date.start or '?'}" + (
                f" to {date.end}" if date.end and date.end != date.start else ""
            )
            marks.append(Mark(date.char_start, date.char_end, "date", f"{title} ({date.type})"))
    for place in bundle.places:
        if place.end > place.start and (place.start, place.end, "place") not in taken:
            marks.append(
                Mark(place.start, place.end, "place", f"place: {place.name} ({place.country or '?'})")
            )
    return marks


# When marks overlap, the link of the most specific one wins.
_LINK_PRIORITY = {"trigger": 0, "actor": 1, "claim": 2}


def highlight(text: str, marks: Iterable[Mark], *, offset: int = 0) -> Markup:
    """``text`` (which starts at ``offset`` in the article) as escaped HTML with the marks wrapped."""
    length = len(text)
    valid: list[Mark] = []
    for m in marks:
        start, end = m.start - offset, m.end - offset
        if 0 <= start < end <= length and m.kind in KINDS:
            valid.append(Mark(start, end, m.kind, m.title, m.href, m.event_id))
    # One sweep over the cut points, keeping the marks open at each point (no marks x pieces scan).
    starts: dict[int, list[Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    cuts = sorted({0, length, *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    active: list[Mark] = []
    for left, right in itertools.pairwise(cuts):
        active = [m for m in active if m.end > left] + starts.get(left, [])
        piece = escape(text[left:right])
        out.append(_wrap(piece, active) if active else str(piece))
    return Markup("".join(out))


def _wrap(piece: Markup, covering: Sequence[Mark]) -> str:
    kinds = sorted({m.kind for m in covering}, key=KINDS.index)
    classes = " ".join(["hl", *(f"hl-{k}" for k in kinds)])
    titles = list(dict.fromkeys(m.title for m in covering if m.title))
    events = sorted({m.event_id for m in covering if m.event_id})
    linked = sorted((m for m in covering if m.href), key=lambda m: _LINK_PRIORITY.get(m.kind, 9))
    attrs = f' class="{classes}"'
    if titles:
        attrs += f' title="{escape(" · ".join(titles))}"'
    if events:
        attrs += f' data-events="{escape(" ".join(events))}"'
    if linked:
        return f'<a href="{escape(linked[0].href)}"{attrs}>{piece}</a>'
    return f"<span{attrs}>{piece}</span>"
