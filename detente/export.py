"""Exports that pandas and R read directly: events, mentions, claims and actors as CSV, JSON lines or
Parquet, and events as PLOVER JSON records (``detente export``; docs/export.md lists every column).

Every export starts from one selection of events, made with the filters of ``detente events`` (an
``EventQuery``): ``events`` are those events as ``detente.analytics.counting`` counts them (one row per
real-world event), ``mentions`` the sentences reporting them (one row per coded event record),
``actors`` the actors taking part in them, ``claims`` the claims of the articles they come from (every
stored claim when nothing is filtered). Rows are flat: one value per cell, several values joined by
``;``, dates as ``YYYY-MM-DD``, booleans as ``TRUE``/``FALSE`` in CSV, missing values empty (CSV) or
null. The columns and their types are fixed (``COLUMNS``), so an empty export still has its header and
its Parquet schema.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from detente.errors import ConfigError
from detente.records import QUADS, ActorRef, Claim, Event
from detente.store.base import EventQuery, Store
from detente.version import __version__

KINDS: tuple[str, ...] = ("events", "mentions", "claims", "actors")
FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet", "plover-json")
# Joins several values in one cell ("RUS;CHN").
SEPARATOR = ";"

_SIDE = (
    ("{side}", "str"), ("{side}_country", "str"), ("{side}_sector", "str"), ("{side}_actor_id", "str"),
    ("{side}_name", "str"),
)  # fmt: skip
_PLACE = (("place", "str"), ("place_country", "str"), ("lat", "float"), ("lon", "float"))


def _side(side: str) -> tuple[tuple[str, str], ...]:
    return tuple((name.format(side=side), kind) for name, kind in _SIDE)


# Column name -> type (str, int, float, bool, date), per kind, in order.
SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    "events": (
        ("event_id", "str"), ("date", "date"), ("date_end", "date"), ("when", "str"), ("month", "str"),
        ("event_type", "str"), ("mode", "str"), ("context", "str"), ("quad", "str"), ("quad_code", "int"),
        ("intensity", "float"), ("modality", "str"), ("reciprocal", "bool"), ("background", "bool"),
        *_side("source"), *_side("target"),
        ("mentions", "int"), ("articles", "int"), ("outlets", "int"), ("outlet_names", "str"),
        ("story_id", "str"), ("confidence", "float"), ("low_confidence", "bool"), ("single_source", "bool"),
        ("trigger", "str"), ("sentence", "str"), ("article_id", "str"), ("article_ids", "str"),
        ("mention_ids", "str"), *_PLACE, ("claim_id", "str"),
    ),
    "mentions": (
        ("mention_id", "str"), ("event_id", "str"), ("article_id", "str"), ("outlet", "str"),
        ("published", "date"), ("date", "date"), ("date_end", "date"), ("date_granularity", "str"),
        ("date_type", "str"), ("date_text", "str"), ("event_type", "str"), ("mode", "str"), ("context", "str"),
        ("quad", "str"), ("quad_code", "int"), ("intensity", "float"), ("modality", "str"),
        ("modality_cue", "str"), ("reciprocal", "bool"), ("background", "bool"), *_side("source"),
        *_side("target"), ("trigger", "str"), ("trigger_start", "int"), ("trigger_end", "int"),
        ("sentence", "str"), ("sentence_start", "int"), ("sentence_end", "int"), *_PLACE, ("claim_id", "str"),
        ("confidence", "float"),
    ),
    "claims": (
        ("claim_id", "str"), ("article_id", "str"), ("outlet", "str"), ("published", "date"), ("kind", "str"),
        ("channel", "str"), ("stance", "str"), ("speaker", "str"), ("speaker_actor_id", "str"),
        ("speaker_country", "str"), ("cue", "str"), ("content", "str"), ("content_start", "int"),
        ("content_end", "int"), ("parent_id", "str"), ("obtained_by", "str"), ("verification", "str"),
        ("verification_text", "str"), ("confidence", "float"),
    ),
    "actors": (
        ("actor_id", "str"), ("name", "str"), ("country", "str"), ("sector", "str"), ("kind", "str"),
        ("events", "int"), ("as_source", "int"), ("as_target", "int"), ("mentions", "int"),
        ("first_date", "date"), ("last_date", "date"),
    ),
}  # fmt: skip
COLUMNS: dict[str, tuple[str, ...]] = {kind: tuple(c for c, _ in schema) for kind, schema in SCHEMAS.items()}
POLARITY_MARKS = {"confirms": "+", "doubts": "-", "unclear": "?"}


def _join(values: Iterable[Any]) -> str | None:
    """Several values in one cell; None (missing, not an empty string) when there are none."""
    return SEPARATOR.join(str(v) for v in values if v not in (None, "")) or None


def _actors(side: str, refs: Sequence[ActorRef]) -> dict[str, Any]:
    label = [f"{r.country} {r.sector}" if r.sector else r.country for r in refs]
    return {
        side: "+".join(label) or None, f"{side}_country": _join(r.country for r in refs),
        f"{side}_sector": _join(r.sector or "" for r in refs), f"{side}_actor_id": _join(r.actor_id for r in refs),
        f"{side}_name": _join(r.name for r in refs),
    }  # fmt: skip


def _place(event: Event) -> dict[str, Any]:
    place = event.place
    if place is None:
        return {"place": None, "place_country": None, "lat": None, "lon": None}
    return {"place": place.name, "place_country": place.country, "lat": place.lat, "lon": place.lon}


def _quad_code(quad: str) -> int | None:
    return QUADS.index(quad) + 1 if quad in QUADS else None


def _filtered(query: EventQuery) -> bool:
    blank = EventQuery()
    return any(
        getattr(query, f.name) != getattr(blank, f.name)
        for f in dataclasses.fields(EventQuery)
        if f.name not in ("limit", "offset")
    )


def select_events(
    store: Store, query: EventQuery | None = None, keep: Callable[[Any], bool] | None = None
) -> list[Any]:
    """The events a query selects, counted (``detente.analytics.counting.Occurrence``), newest first.

    With a dyad, only events between the two (either direction, or reciprocal with both), as the
    dashboard's dyad page counts them. ``keep``: a further test of each counted event (the dashboard's
    filters that apply to events, not mentions: ``detente.api.filters.EventFilter.keeps``).
    """
    from detente.analytics.counting import count_in_store, direction

    events = count_in_store(store, query, limit=max(store.stats().mentions, 1)).events
    dyad = query.dyad if query is not None else None
    return [
        e for e in events
        if (dyad is None or direction(e, *dyad) is not None) and (keep is None or keep(e))
    ]  # fmt: skip


def event_rows(events: Sequence[Any]) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        lead: Event = event.lead
        everyone = (*event.source, *event.target)
        rows.append({
            "event_id": event.id, "date": event.day, "date_end": event.date.end if event.date else None,
            "when": event.when, "month": event.month, "event_type": event.event_type, "mode": lead.mode,
            "context": _join(lead.context), "quad": event.quad, "quad_code": _quad_code(event.quad),
            "intensity": event.intensity, "modality": event.modality, "reciprocal": event.reciprocal,
            "background": event.background,
            **_actors("source", everyone if event.reciprocal else event.source),
            **_actors("target", () if event.reciprocal else event.target),
            "mentions": len(event.mentions), "articles": len(event.article_ids), "outlets": event.corroboration,
            "outlet_names": _join(event.outlets), "story_id": event.story_id, "confidence": event.confidence,
            "low_confidence": event.low_confidence, "single_source": event.single_source,
            "trigger": lead.trigger.text, "sentence": lead.sentence.text, "article_id": lead.article_id,
            "article_ids": _join(event.article_ids), "mention_ids": _join(m.id for m in event.mentions),
            **_place(lead), "claim_id": lead.claim_id,
        })  # fmt: skip
    return rows


def mention_rows(store: Store, events: Sequence[Any]) -> list[dict[str, Any]]:
    pairs = [(m, e) for e in events for m in e.mentions]
    facts = store.article_facts({m.article_id for m, _ in pairs})
    rows = []
    for mention, event in pairs:
        fact = facts.get(mention.article_id)
        date = mention.date
        rows.append({
            "mention_id": mention.id, "event_id": event.id, "article_id": mention.article_id,
            "outlet": fact.outlet if fact else None, "published": fact.published if fact else None,
            "date": date.start if date else None, "date_end": date.end if date else None,
            "date_granularity": date.granularity if date else None, "date_type": date.type if date else None,
            "date_text": date.text if date else None, "event_type": mention.event_type, "mode": mention.mode,
            "context": _join(mention.context), "quad": mention.quad, "quad_code": _quad_code(mention.quad),
            "intensity": mention.intensity, "modality": mention.modality,
            "modality_cue": mention.modality_cue.text if mention.modality_cue else None,
            "reciprocal": mention.reciprocal, "background": mention.background,
            **_actors("source", mention.source), **_actors("target", mention.target),
            "trigger": mention.trigger.text, "trigger_start": mention.trigger.start,
            "trigger_end": mention.trigger.end, "sentence": mention.sentence.text,
            "sentence_start": mention.sentence.start, "sentence_end": mention.sentence.end, **_place(mention),
            "claim_id": mention.claim_id, "confidence": mention.confidence,
        })  # fmt: skip
    return rows


def claim_rows(store: Store, claims: Sequence[Claim]) -> list[dict[str, Any]]:
    facts = store.article_facts({c.article_id for c in claims})
    rows = []
    for claim in claims:
        fact = facts.get(claim.article_id)
        rows.append({
            "claim_id": claim.id, "article_id": claim.article_id, "outlet": fact.outlet if fact else None,
            "published": fact.published if fact else None, "kind": claim.kind, "channel": claim.channel,
            "stance": claim.stance, "speaker": _join(a.name for a in claim.speaker),
            "speaker_actor_id": _join(a.actor_id for a in claim.speaker),
            "speaker_country": _join(a.country for a in claim.speaker),
            "cue": claim.cue.text if claim.cue else None, "content": claim.content.text,
            "content_start": claim.content.start, "content_end": claim.content.end, "parent_id": claim.parent_id,
            "obtained_by": _join(a.name for a in claim.obtained_by), "verification": claim.verification_status,
            "verification_text": _join(f"{POLARITY_MARKS.get(v.polarity, '?')} {v.text}" for v in claim.verification),
            "confidence": claim.confidence,
        })  # fmt: skip
    return rows


def select_claims(
    store: Store, query: EventQuery, events: Sequence[Any], *, filtered: bool = False
) -> list[Claim]:
    """The claims of the articles the selected events come from; every stored claim when nothing is filtered."""
    if not (filtered or _filtered(query)):
        return store.claims(limit=max(store.stats().claims, 1))
    articles = sorted({a for e in events for a in e.article_ids})
    return [c for a in articles for c in store.claims(article_id=a, limit=max(store.stats().claims, 1))]


def actor_rows(events: Sequence[Any]) -> list[dict[str, Any]]:
    """Each actor taking part in the events, as a sector of it ("RUS MIL" and "RUS GOV" apart, as the
    event tables show them): how many events it is in, on which side, how many mentions, first and last
    date."""
    seen: dict[tuple[str, str | None], dict[str, Any]] = {}
    for event in events:
        sides = [("source", r) for r in event.source] + [("target", r) for r in event.target]
        for side, ref in {(s, r.actor_id, r.sector): (s, r) for s, r in sides}.values():
            row = seen.setdefault((ref.actor_id, ref.sector), {
                "actor_id": ref.actor_id, "name": ref.name, "country": ref.country, "sector": ref.sector,
                "kind": ref.kind, "events": 0, "as_source": 0, "as_target": 0, "mentions": 0,
                "first_date": None, "last_date": None, "_events": set(),
            })  # fmt: skip
            if event.id not in row["_events"]:
                row["_events"].add(event.id)
                row["events"] += 1
                row["mentions"] += len(event.mentions)
                if event.day is not None:
                    row["first_date"] = min(filter(None, (row["first_date"], event.day)))
                    row["last_date"] = max(filter(None, (row["last_date"], event.day)))
            row["as_source" if side == "source" else "as_target"] += 1
    rows = sorted(seen.values(), key=lambda r: (-r["events"], r["actor_id"], r["sector"] or ""))
    for row in rows:
        del row["_events"]
    return rows


def export_rows(
    store: Store, kind: str, query: EventQuery | None = None, keep: Callable[[Any], bool] | None = None
) -> list[dict[str, Any]]:
    """The rows of one export kind for the events ``query`` selects (and ``keep`` keeps), with exactly
    ``COLUMNS[kind]``."""
    if kind not in KINDS:
        raise ConfigError(f"unknown export {kind!r}; use one of: {', '.join(KINDS)}")
    query = query or EventQuery()
    events = select_events(store, query, keep)
    if kind == "events":
        rows = event_rows(events)
    elif kind == "mentions":
        rows = mention_rows(store, events)
    elif kind == "claims":
        rows = claim_rows(store, select_claims(store, query, events, filtered=keep is not None))
    else:
        rows = actor_rows(events)
    return [{c: _value(row.get(c)) for c in COLUMNS[kind]} for row in rows]


def _value(value: Any) -> Any:
    """An empty text is a missing value: empty in CSV, null in JSON and Parquet alike."""
    return None if value == "" else value


# ------------------------------------------------------------------------------------------ PLOVER


def _entity(ref: ActorRef) -> dict[str, Any]:
    entity: dict[str, Any] = {"code": ref.country, "entity_text": ref.text, "identifier_id": ref.actor_id,
                              "identifier_text": ref.name}  # fmt: skip
    if ref.sector:
        entity["sector"] = ref.sector
    return entity


def plover_records(
    store: Store, query: EventQuery | None = None, *, kind: str = "events",
    keep: Callable[[Any], bool] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Events (one record per event) or mentions (one per coded sentence) as PLOVER JSON records, with the
    field names of the PLOVER manual's JSON table; detente's own fields (modality, confidence, mentions,
    corroboration, article and claim ids) ride along under names of their own."""
    if kind not in ("events", "mentions"):
        raise ConfigError(
            f"plover-json holds events, not {kind}",
            hint="export events or mentions, or use csv, jsonl or parquet",
        )
    events = select_events(store, query or EventQuery(), keep)
    items = (
        [(e.lead, e) for e in events] if kind == "events" else [(m, e) for e in events for m in e.mentions]
    )
    facts = store.article_facts({m.article_id for m, _ in items})
    records = []
    for mention, event in items:
        fact = facts.get(mention.article_id)
        date = event.day if kind == "events" else (mention.date.start if mention.date else None)
        date = date or (fact.published if fact else None)
        end = (event.date if kind == "events" else mention.date) or None
        everyone = (*mention.source, *mention.target)
        record: dict[str, Any] = {
            "id": event.id if kind == "events" else mention.id, "has_event": True,
            "date": date.isoformat() if date else None,
            "actor": [_entity(r) for r in (everyone if mention.reciprocal else mention.source)],
            "recipient": [] if mention.reciprocal else [_entity(r) for r in mention.target],
            "event": [mention.event_type], "event_text": [mention.trigger.text],
            "quad_code": _quad_code(mention.quad), "event_scale": event.intensity if kind == "events" else mention.intensity,
            "mode": [mention.mode] if mention.mode else [], "context": list(mention.context),
            "text": mention.sentence.text,
            "text_info": {"start": mention.sentence.start, "end": mention.sentence.end},
            "cite_info": {"publication": fact.outlet if fact else None, "coder": f"detente {__version__}",
                          "codebook": "plover"},
            "coder": f"detente {__version__}",
            "modality": mention.modality, "confidence": event.confidence if kind == "events" else mention.confidence,
            "article_id": mention.article_id, "claim_id": mention.claim_id,
        }  # fmt: skip
        if end is not None and end.end is not None and end.end != date:
            record["enddate"] = end.end.isoformat()
        if mention.place is not None:
            p = mention.place
            record["event_loc"] = {"extracted_place": p.text, "resolved_place": p.name,
                                   "geonameid": p.gazetteer_id, "lat": p.lat, "lon": p.lon,
                                   "country_code": p.country}  # fmt: skip
        if kind == "events":
            record.update({"mentions": len(event.mentions), "corroboration": event.corroboration,
                           "article_ids": list(event.article_ids)})  # fmt: skip
        records.append(record)
    return records


# ------------------------------------------------------------------------------------------ writers


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # what both pandas and R's read.csv read as booleans
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_lines(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """The CSV text a line at a time, header first (the dashboard's download streams it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for values in itertools.chain([columns], ([_csv_cell(row.get(c)) for c in columns] for row in rows)):
        writer.writerow(values)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: IO[str]) -> None:
    out.writelines(csv_lines(rows, columns))


def write_jsonl(records: Iterable[Mapping[str, Any]], out: IO[str]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def write_parquet(rows: Sequence[Mapping[str, Any]], kind: str, path: Path | IO[bytes]) -> None:
    """A Parquet file with the kind's fixed schema (pyarrow: ``pip install 'detente[parquet]'``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError(
            "Parquet needs pyarrow, which is not installed",
            hint="pip install 'detente[parquet]', or export csv",
        ) from exc
    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }
    schema = pa.schema([(name, types[kind_]) for name, kind_ in SCHEMAS[kind]])
    table = pa.Table.from_pylist([dict(r) for r in rows], schema=schema)
    pq.write_table(table, path)


def write_export(
    store: Store, kind: str, fmt: str, query: EventQuery | None, out: Path | IO[str],
    keep: Callable[[Any], bool] | None = None,
) -> int:  # fmt: skip
    """Write one export to a file, or to a text stream (not Parquet, which is binary). Returns the number
    of records written. ``keep`` as in ``export_rows`` (the dashboard's counted-event filters)."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise ConfigError(
                "Parquet is binary: give a file to write it to",
                hint="detente export --format parquet --out events.parquet",
            )
        rows = export_rows(store, kind, query, keep)
        write_parquet(rows, kind, out)
        return len(rows)
    records = (
        plover_records(store, query, kind=kind, keep=keep)
        if fmt == "plover-json"
        else export_rows(store, kind, query, keep)
    )
    buffer = io.StringIO()
    if fmt == "csv":
        write_csv(records, COLUMNS[kind], buffer)
    else:
        write_jsonl(records, buffer)
    if isinstance(out, Path):
        out.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        out.write(buffer.getvalue())
    return len(records)
