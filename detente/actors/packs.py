"""Actor packs: the file format users extend the knowledge base with, and reading, writing, merging it.

A pack is a JSONL file (optionally gzipped), one actor per line, after an optional header line::

    {"pack": "my-cabinet", "source": "where it comes from", "licence": "CC0", "until": "2026-01-01"}
    {"id": "person:ana-kova", "name": "Ana Kova", "kind": "person", "country": "CZE",
     "aliases": ["Kova"], "roles": [{"sector": "GOV", "title": "Minister of Finance",
     "start": "2024-01-15", "end": null}], "after": "ELI"}
    {"id": "org:blue-heron", "name": "Blue Heron Collective", "kind": "ngo", "country": "FRA",
     "sector": "SOC", "aliases": ["BHC"]}
    {"kind": "agent", "name": "farm worker", "sector": "AGR", "aliases": ["farm workers"]}

or a CSV with the columns ``id, name, kind, country, sector, aliases, title, start, end, after`` (aliases
separated by ``|``), one row per actor or one row per post: rows sharing an ``id`` (or, without one, a
``name``) are one actor, and each row with a ``title``, ``start`` or ``end`` adds a role. A country's
cabinet is one row per minister. ``until`` in the header says when the pack's knowledge stops: after
that date detente's own curated entries win over the pack's (docs/actors.md, "Precedence").

A role's ``country`` defaults to the actor's; a role ends the day before ``end`` (``end`` is the first
day out of office). ``kind: agent`` lines are nouns that name a sector ("police" COP), not actors.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from srsly import json_loads  # ujson underneath: the shipped packs load in a fraction of the time

from detente.errors import KnowledgeBaseError
from detente.records import SECTORS

PACK_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv")
# Country-like codes an actor may carry besides ISO alpha-3 (DESIGN §2).
SPECIAL_COUNTRIES = frozenset({"IGO", "WST", "UNK"})
KINDS = frozenset({"person", "organization", "institution", "igo", "ngo", "party", "company", "outlet",
                   "group", "country", "agent"})  # fmt: skip
_COUNTRY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class PackRole:
    """A post held over a period: ``start`` inclusive, ``end`` the first day after it (None: open)."""

    sector: str
    title: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    country: str | None = None  # when not the actor's own (an IGO post, a post abroad)


@dataclass(frozen=True, slots=True)
class PackActor:
    """One actor (or agent noun) of a pack, as written in the file."""

    id: str
    name: str
    kind: str
    country: str = "UNK"
    sector: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[PackRole, ...] = ()
    before: str | None = None  # sector before the first role
    after: str | None = None  # sector once every role has ended (None: the default, ELI for people)
    # Compiled lookup keys of (name, *aliases): (folded key, case rule). Only shipped packs carry them
    # (``write_pack(..., compiled=True)``), so loading skips the folding; users never write them.
    keys: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class PackInfo:
    name: str
    source: str = ""
    licence: str = ""
    until: dt.date | None = None  # the pack knows nothing after this date


@dataclass(frozen=True, slots=True)
class Pack:
    info: PackInfo
    actors: tuple[PackActor, ...] = field(default=(), repr=False)


# ---------------------------------------------------------------------------------------------
# Checking values


def _fail(path: object, where: object, message: str, hint: str = "see docs/actors.md") -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{path}: entry {where}: {message}", hint=hint)


def check_country(path: object, where: object, country: str | None) -> str | None:
    if country in (None, ""):
        return None
    if not _COUNTRY.fullmatch(str(country)):
        raise _fail(path, where, f"country {country!r} is not a 3-letter code",
                    "use an ISO 3166 alpha-3 code such as RUS, or IGO, WST, UNK")  # fmt: skip
    return str(country)


def check_sector(path: object, where: object, sector: str | None) -> str | None:
    if sector in (None, ""):
        return None
    if sector not in SECTORS:
        raise _fail(path, where, f"unknown sector {sector!r}", f"use one of {', '.join(SECTORS)}")
    return str(sector)


def parse_date(path: object, where: object, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise _fail(path, where, f"bad date {value!r}", "write YYYY-MM-DD") from exc


def slug(text: str) -> str:
    from detente.actors.knowledge_base import slug as kb_slug

    return kb_slug(text)


def _aliases(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = value.split("|") if isinstance(value, str) else [str(v) for v in value]
    return tuple(dict.fromkeys(a.strip() for a in items if a and a.strip()))


def actor_from_mapping(path: object, where: object, data: dict[str, Any]) -> PackActor:
    """A pack actor from one JSON object (or YAML mapping), checked."""
    name = str(data.get("name") or "").strip()
    if not name:
        raise _fail(path, where, "has no name", "every actor needs a name")
    kind = str(data.get("kind") or ("person" if data.get("roles") else "organization")).strip()
    if kind not in KINDS:
        raise _fail(path, where, f"unknown kind {kind!r}", f"use one of {', '.join(sorted(KINDS))}")
    country = check_country(path, where, data.get("country")) or "UNK"
    sector = check_sector(path, where, data.get("sector"))
    roles = []
    for number, role in enumerate(data.get("roles") or (), start=1):
        if not isinstance(role, dict):
            raise _fail(path, where, f"role {number} is not an object")
        role_sector = check_sector(path, where, role.get("sector"))
        if role_sector is None:
            raise _fail(path, where, f"role {number} needs a sector")
        roles.append(PackRole(
            role_sector, str(role.get("title") or ""), parse_date(path, where, role.get("start")),
            parse_date(path, where, role.get("end")), check_country(path, where, role.get("country")),
        ))  # fmt: skip
    if kind == "person" and country == "UNK" and not any(r.country for r in roles):
        raise _fail(path, where, "a person needs a country", "give the country they serve, e.g. CZE")
    default_id = f"{'person' if kind == 'person' else 'agent' if kind == 'agent' else 'org'}:{slug(name)}"
    return PackActor(
        id=str(data.get("id") or data.get("actor_id") or default_id), name=name, kind=kind, country=country,
        sector=sector, aliases=tuple(a for a in _aliases(data.get("aliases")) if a != name),
        roles=tuple(roles), before=check_sector(path, where, data.get("before")),
        after=check_sector(path, where, data.get("after")),
    )  # fmt: skip


def actor_to_mapping(actor: PackActor) -> dict[str, Any]:
    """The JSON object of one pack line (empty fields left out)."""
    data: dict[str, Any] = {"id": actor.id, "name": actor.name, "kind": actor.kind, "country": actor.country}
    if actor.sector:
        data["sector"] = actor.sector
    if actor.aliases:
        data["aliases"] = list(actor.aliases)
    if actor.roles:
        data["roles"] = [
            {k: v for k, v in (("sector", r.sector), ("title", r.title), ("country", r.country),
                               ("start", r.start and r.start.isoformat()), ("end", r.end and r.end.isoformat()))
             if v}
            for r in actor.roles
        ]  # fmt: skip
    if actor.before:
        data["before"] = actor.before
    if actor.after:
        data["after"] = actor.after
    if actor.keys:
        data["keys"] = [list(k) for k in actor.keys]
    return data


# ---------------------------------------------------------------------------------------------
# Reading


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8", newline="")


def read_pack(path: str | Path, *, trusted: bool = False) -> Pack:
    """A pack file (JSONL, JSONL.gz or CSV), checked line by line; errors name the file and the line.
    ``trusted``: a pack detente built and checked (the shipped ones), read without checks."""
    path = Path(path)
    if not path.exists():
        raise KnowledgeBaseError(f"{path}: no such pack file", hint="check the path")
    name = path.name
    if not name.endswith(PACK_SUFFIXES):
        raise KnowledgeBaseError(
            f"{path}: packs are .jsonl, .jsonl.gz or .csv files", hint="see docs/actors.md"
        )
    stem = re.sub(r"(\.jsonl)?(\.gz)?$|\.csv$", "", name)
    if name.endswith(".csv"):
        return Pack(PackInfo(stem), tuple(_csv_actors(path)))
    info = PackInfo(stem)
    actors = []
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json_loads(line)
            except ValueError as exc:
                raise _fail(
                    path, f"on line {number}", f"not JSON ({exc})", "one JSON object per line"
                ) from exc
            if not isinstance(data, dict):
                raise _fail(path, f"on line {number}", "not a JSON object", "one JSON object per line")
            if "pack" in data and "name" not in data:
                info = PackInfo(str(data["pack"]), str(data.get("source") or ""), str(data.get("licence") or ""),
                                parse_date(path, "header", data.get("until")))  # fmt: skip
                continue
            actors.append(
                _trusted_actor(data) if trusted else actor_from_mapping(path, f"on line {number}", data)
            )
    return Pack(info, tuple(actors))


def _trusted_actor(data: dict[str, Any]) -> PackActor:
    """A line of a pack detente built and checked itself (the shipped ones): read without checks, fast."""
    day = dt.date.fromisoformat
    roles: tuple[PackRole, ...] = ()
    if "roles" in data:
        roles = tuple(
            PackRole(r["sector"], r.get("title", ""), day(r["start"]) if "start" in r else None,
                     day(r["end"]) if "end" in r else None, r.get("country"))
            for r in data["roles"]
        )  # fmt: skip
    return PackActor(data["id"], data["name"], data["kind"], data.get("country", "UNK"), data.get("sector"),
                     tuple(data.get("aliases", ())), roles, data.get("before"), data.get("after"),
                     tuple(map(tuple, data.get("keys", ()))))  # fmt: skip


def _csv_actors(path: Path) -> Iterator[PackActor]:
    """CSV rows grouped into actors: rows sharing an id (or a name) are one actor, each row one role."""
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    with _open_text(path) as handle:
        lines = (line for line in handle if not line.lstrip().startswith("#"))
        reader = csv.DictReader(lines)
        if reader.fieldnames is None or "name" not in reader.fieldnames:
            raise KnowledgeBaseError(f"{path}: a pack CSV needs a header with at least 'name'",
                                     hint="columns: id, name, kind, country, sector, aliases, title, start, end")  # fmt: skip
        for number, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items() if k}
            key = row.get("id") or row.get("actor_id") or row.get("name", "")
            groups.setdefault(key, []).append((number, row))
    for rows in groups.values():
        number, first = rows[0]
        roles = [
            {"sector": row.get("sector") or first.get("sector"), "title": row.get("title"), "start": row.get("start"),
             "end": row.get("end"), "country": row.get("country") if row.get("country") != first.get("country") else None}
            for _, row in rows if row.get("title") or row.get("start") or row.get("end")
        ]  # fmt: skip
        aliases = [a for _, row in rows for a in _aliases(row.get("aliases"))]
        data: dict[str, Any] = {**first, "aliases": aliases, "roles": roles}
        if roles and not first.get("kind"):
            data["kind"] = "person"
        if roles:
            data["sector"] = None  # the roles carry the sectors
        yield actor_from_mapping(path, number, data)


# ---------------------------------------------------------------------------------------------
# Writing and merging


def write_pack(pack: Pack, path: str | Path, *, compiled: bool = False) -> Path:
    """Write a pack as JSONL (gzipped when the name ends in .gz), header first, actors in order.
    ``compiled``: also write each actor's lookup keys (for packs shipped in the package)."""
    path = Path(path)
    if compiled:
        from detente.actors.knowledge_base import RANK_PACK, alias_keys

        pack = Pack(
            pack.info,
            tuple(replace(a, keys=alias_keys((a.name, *a.aliases), RANK_PACK)) for a in pack.actors),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    header: dict[str, Any] = {"pack": pack.info.name}
    for key, value in (("source", pack.info.source), ("licence", pack.info.licence),
                       ("until", pack.info.until and pack.info.until.isoformat())):  # fmt: skip
        if value:
            header[key] = value
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(actor_to_mapping(a), ensure_ascii=False, separators=(",", ":")) for a in pack.actors]
    body = ("\n".join(lines) + "\n").encode("utf-8")
    if path.name.endswith(".gz"):
        # mtime=0: the same pack gives the same bytes (a rebuild without changes leaves git clean)
        with (
            path.open("wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as handle,
        ):
            handle.write(body)
    else:
        path.write_bytes(body)
    return path


def merge_packs(packs: Sequence[Pack], name: str = "merged") -> Pack:
    """One pack from several: a later pack's actor replaces an earlier one with the same id, whose aliases
    it keeps; ``until`` is the latest of the packs' (a pack without one has no end)."""
    merged: dict[str, PackActor] = {}
    for pack in packs:
        for actor in pack.actors:
            old = merged.get(actor.id)
            if old is not None:
                actor = replace(actor, aliases=_union(actor, old))
            merged[actor.id] = actor
    untils = [p.info.until for p in packs]
    until = None if any(u is None for u in untils) or not untils else max(u for u in untils if u)
    sources = "; ".join(dict.fromkeys(p.info.source or p.info.name for p in packs))
    licences = "; ".join(dict.fromkeys(p.info.licence for p in packs if p.info.licence))
    return Pack(PackInfo(name, sources, licences, until), tuple(merged.values()))


def _union(actor: PackActor, old: PackActor) -> tuple[str, ...]:
    names = (*actor.aliases, old.name, *old.aliases)
    return tuple(a for a in dict.fromkeys(names) if a != actor.name)


def iter_actors(packs: Iterable[Pack]) -> Iterator[tuple[PackInfo, PackActor]]:
    for pack in packs:
        for actor in pack.actors:
            yield pack.info, actor
