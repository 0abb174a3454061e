"""Typed records: the contract between stages, the store and every interface.

All records are frozen, slotted dataclasses. They serialise to the article-bundle format
(DESIGN §2) with :func:`to_dict` and come back with the ``*_from_dict`` helpers, so the
store, the CLI, the REST API and the JSONL output share one shape.

Character offsets (``start``/``end``) always index into ``Article.text``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# 2: every date and place found; 3: actor refs carry their reason; 4: verification entries carry their
# polarity; 5: events carry their coder. All additive: older bundles still read.
BUNDLE_VERSION = 5

# PLOVER vocabulary (reference/PLOVER_MANUAL.tex). Kept here so every module checks against one list.
EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
QUADS: tuple[str, ...] = (
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
)
QUAD_OF_TYPE: Mapping[str, str] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), "verbal_cooperation"),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), "material_cooperation"),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), "verbal_conflict"),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), "material_conflict"),
}
# Older PLOVER draft labels used by the dev gold.
LEGACY_TYPES: Mapping[str, str] = {
    "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE",
}  # fmt: skip
SECTORS: tuple[str, ...] = (
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK",
    "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC",
)  # fmt: skip
MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "future", "possible", "denied")
CLAIM_KINDS: tuple[str, ...] = ("direct_quote", "indirect", "according_to", "document")
CHANNELS: tuple[str, ...] = (
    "public_statement", "leaked_document", "official_document", "media_report", "anonymous_source",
    "unattributed",
)  # fmt: skip
STANCES: tuple[str, ...] = ("asserts", "denies", "hedges")
# Which way verification language points: "six outlets judged it authentic" confirms; "this prevents
# definitive verification", "could not be independently verified" doubt; "sought to verify" is unclear.
VERIFICATION_POLARITIES: tuple[str, ...] = ("confirms", "doubts", "unclear")
GRANULARITIES: tuple[str, ...] = ("day", "week", "month", "quarter", "year", "decade")
DATE_TYPES: tuple[str, ...] = ("exact", "approximate", "range", "unresolved")
PLACE_KINDS: tuple[str, ...] = ("country", "admin", "city", "region")


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, stable hex id from its parts (same input, same id, across runs and machines)."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article text: evidence for a coded field."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | dt.datetime | None = None
    language: str | None = None
    story_id: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    # Why the article was stored but not coded (e.g. not English); None when coded.
    skip_reason: str | None = None

    @property
    def published_date(self) -> dt.date | None:
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published


def article_id(text: str, url: str | None = None) -> str:
    """Article id = hash of its normalised text plus url (DESIGN §1: stable ids)."""
    return stable_id(" ".join(text.split()), url or "")


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved entity in the knowledge base."""

    actor_id: str
    name: str
    country: str  # ISO 3166 alpha-3, or IGO / WST / UNK
    sector: str | None = None  # PLOVER sector code
    kind: str = "unknown"  # country, person, organization, igo, outlet, group, ...


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as mentioned in the text."""

    text: str
    start: int
    end: int
    actor_id: str
    name: str
    country: str
    sector: str | None = None
    kind: str = "unknown"
    confidence: float = 1.0
    # How the mention was resolved: exact (the actor's own name), alias, fuzzy (a spelling seen through
    # transliteration), agent noun ("police", "Ukrainian farm workers"), place, coreference, unknown;
    # "+context" when the country came from the sentence or the story rather than the phrase, "+possessor"
    # when from a possessive pronoun coreference resolved ("Iran said its diplomats"), "+outlet" when it is
    # an outlet's own: a language service or a journalist of it ("VOA Urdu's Murtaza Zehri").
    reason: str = ""

    @property
    def span(self) -> Span:
        return Span(self.text, self.start, self.end)


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    start: dt.date | None
    end: dt.date | None
    granularity: str | None  # one of GRANULARITIES
    type: str  # one of DATE_TYPES
    text: str  # the expression as written ("" when taken from the publication date)
    reason: str  # how it was resolved, or why not
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    gazetteer_id: str | None
    kind: str  # one of PLACE_KINDS
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Verification:
    """Verification language about a claim: a span of the text plus the way it points."""

    text: str
    start: int
    end: int
    polarity: str = "unclear"  # one of VERIFICATION_POLARITIES

    @property
    def span(self) -> Span:
        return Span(self.text, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    article_id: str
    speaker: tuple[ActorRef, ...]
    cue: Span | None
    content: Span
    kind: str  # one of CLAIM_KINDS
    channel: str  # one of CHANNELS
    stance: str = "asserts"  # one of STANCES
    parent_id: str | None = None
    # Verification language about this claim ("could not be verified", "evaluated it as authentic"),
    # each with its polarity.
    verification: tuple[Verification, ...] = ()
    confidence: float = 1.0
    # Who obtained or leaked the document this claim comes from ("obtained by the Ares Leaks group").
    obtained_by: tuple[ActorRef, ...] = ()

    @property
    def verification_status(self) -> str | None:
        """What the verification language adds up to: confirmed, doubted, mixed (both), unclear; None
        when the text says nothing about checking the claim."""
        return verification_status(self.verification)


def verification_status(entries: Iterable[Verification]) -> str | None:
    polarities = {v.polarity for v in entries}
    if not polarities:
        return None
    if {"confirms", "doubts"} <= polarities:
        return "mixed"
    if "doubts" in polarities:
        return "doubted"
    return "confirmed" if "confirms" in polarities else "unclear"


def claim_id(article: str, content: Span, kind: str) -> str:
    return stable_id("claim", article, content.start, content.end, kind)


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    article_id: str
    event_type: str  # one of EVENT_TYPES
    mode: str | None
    context: tuple[str, ...]
    quad: str  # one of QUADS
    intensity: float  # PLOVER conflict-cooperation score, -10..+10
    modality: str  # one of MODALITIES
    source: tuple[ActorRef, ...]
    target: tuple[ActorRef, ...]
    trigger: Span
    sentence: Span
    date: ResolvedDate | None = None
    place: Place | None = None
    claim_id: str | None = None
    confidence: float = 1.0
    # The words that decided the modality ("did not", "could", "plan to"), when not asserted.
    modality_cue: Span | None = None
    # Independent outlets reporting this event across the store (syndicated copies count once);
    # filled by the store after story clustering, None before.
    corroboration: int | None = None
    # Reciprocal: every participant is in ``source`` and none is the recipient ("Putin met Xi"; PLOVER
    # manual, "Compound and Reciprocal Actors"). Dyad counts take each unordered pair once.
    reciprocal: bool = False
    # Background: a reference to an earlier event told as context ("since Russia's invasion"), not news
    # of the article; ``date`` is then the event's own date, or None when the text gives none.
    background: bool = False
    # The learned model that decided the event (``detente.events.calibration.model_identity``: a digest of its
    # saved file), None when the rules alone coded it: what its confidence can be read back as depends on it.
    coder: str | None = None


def event_id(article: str, trigger: Span, event_type: str, source: tuple[ActorRef, ...] = (),
             target: tuple[ActorRef, ...] = ()) -> str:  # fmt: skip
    return stable_id(
        "event", article, trigger.start, trigger.end, event_type,
        ",".join(a.actor_id for a in source), ",".join(a.actor_id for a in target),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bundle:
    """Everything coded from one article: the unit of output and storage."""

    article: Article
    actors: tuple[ActorRef, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    # Every date expression and place found in the text, whether or not an event took it.
    dates: tuple[ResolvedDate, ...] = ()
    places: tuple[Place, ...] = ()


FAILURE_KINDS: tuple[str, ...] = ("time", "memory", "error", "worker_lost")


@dataclass(frozen=True, slots=True)
class Failure:
    """An article that could not be coded. It is stored uncoded (``skip_reason`` says why) and recorded
    as failed, so ``detente code --retry-failed`` can code it again."""

    article_id: str
    kind: str  # one of FAILURE_KINDS
    stage: str | None  # the step running when it stopped: "tokenizer" or a pipeline component name
    elapsed: float  # seconds spent on the article
    message: str  # one line for people: what happened, in which stage, after how long
    source: str | None = None  # where the article came from (input file:line, URL), when known


# ---------------------------------------------------------------------------------------------
# Serialisation to and from the article-bundle format.


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def to_dict(record: Any) -> Any:
    """Any record (or list of them) as plain JSON-ready data."""
    return _jsonable(record)


def parse_published(value: Any) -> dt.date | dt.datetime | None:
    """ISO date or datetime text (or an existing date) to a date/datetime; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value).strip().replace("Z", "+00:00")
    try:
        if len(text) <= 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def span_from_dict(data: Mapping[str, Any] | None) -> Span | None:
    return Span(data["text"], data["start"], data["end"]) if data else None


def actor_ref_from_dict(data: Mapping[str, Any]) -> ActorRef:
    return ActorRef(**{f.name: data[f.name] for f in dataclasses.fields(ActorRef) if f.name in data})


def article_from_dict(data: Mapping[str, Any]) -> Article:
    values = {f.name: data[f.name] for f in dataclasses.fields(Article) if f.name in data}
    values["published"] = parse_published(values.get("published"))
    values["meta"] = dict(values.get("meta") or {})
    return Article(**values)


def date_from_dict(data: Mapping[str, Any] | None) -> ResolvedDate | None:
    if not data:
        return None
    values: dict[str, Any] = {f.name: data.get(f.name) for f in dataclasses.fields(ResolvedDate)}
    values["start"], values["end"] = _date(values["start"]), _date(values["end"])
    return ResolvedDate(**values)


def place_from_dict(data: Mapping[str, Any] | None) -> Place | None:
    if not data:
        return None
    values: dict[str, Any] = {f.name: data.get(f.name) for f in dataclasses.fields(Place)}
    return Place(**values)


def verification_from_dict(data: Mapping[str, Any]) -> Verification:
    """A verification entry; bundles before version 4 stored bare spans, read as polarity unclear."""
    return Verification(data["text"], data["start"], data["end"], data.get("polarity") or "unclear")


def claim_from_dict(data: Mapping[str, Any]) -> Claim:
    return Claim(
        id=data["id"], article_id=data["article_id"],
        speaker=tuple(actor_ref_from_dict(a) for a in data.get("speaker", ())),
        cue=span_from_dict(data.get("cue")), content=span_from_dict(data["content"]),  # type: ignore[arg-type]
        kind=data["kind"], channel=data["channel"], stance=data.get("stance", "asserts"),
        parent_id=data.get("parent_id"),
        verification=tuple(verification_from_dict(v) for v in data.get("verification", ())),
        confidence=data.get("confidence", 1.0),
        obtained_by=tuple(actor_ref_from_dict(a) for a in data.get("obtained_by", ())),
    )  # fmt: skip


def event_from_dict(data: Mapping[str, Any]) -> Event:
    return Event(
        id=data["id"], article_id=data["article_id"], event_type=data["event_type"],
        mode=data.get("mode"), context=tuple(data.get("context") or ()), quad=data["quad"],
        intensity=data["intensity"], modality=data.get("modality", "asserted"),
        source=tuple(actor_ref_from_dict(a) for a in data.get("source", ())),
        target=tuple(actor_ref_from_dict(a) for a in data.get("target", ())),
        trigger=span_from_dict(data["trigger"]), sentence=span_from_dict(data["sentence"]),  # type: ignore[arg-type]
        date=date_from_dict(data.get("date")), place=place_from_dict(data.get("place")),
        claim_id=data.get("claim_id"), confidence=data.get("confidence", 1.0),
        modality_cue=span_from_dict(data.get("modality_cue")),
        corroboration=data.get("corroboration"),
        reciprocal=bool(data.get("reciprocal", False)), background=bool(data.get("background", False)),
        coder=data.get("coder"),
    )  # fmt: skip


def bundle_to_dict(bundle: Bundle) -> dict[str, Any]:
    return {
        "article": to_dict(bundle.article),
        "actors": to_dict(bundle.actors),
        "claims": to_dict(bundle.claims),
        "events": to_dict(bundle.events),
        "dates": to_dict(bundle.dates),
        "places": to_dict(bundle.places),
    }


def bundle_from_dict(data: Mapping[str, Any]) -> Bundle:
    return Bundle(
        article=article_from_dict(data["article"]),
        actors=tuple(actor_ref_from_dict(a) for a in data.get("actors", ())),
        claims=tuple(claim_from_dict(c) for c in data.get("claims", ())),
        events=tuple(event_from_dict(e) for e in data.get("events", ())),
        dates=tuple(d for d in (date_from_dict(x) for x in data.get("dates", ())) if d is not None),
        places=tuple(p for p in (place_from_dict(x) for x in data.get("places", ())) if p is not None),
    )
