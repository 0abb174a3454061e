"""Stream a Wikidata JSON dump (one you downloaded: ``latest-all.json.gz`` or a filtered extract) into an
actor pack: people with the positions they held and when, and the bodies news names as actors.

The PLOVER manual recommends Wikidata for currency: the Phoenix dictionaries stop in 2015, Wikidata is
updated within hours. A dump is a JSON array with one entity per line; it is read twice, streaming (no
entity is kept but what the pack needs):

1. *places and posts*: countries (``P298``, ISO 3166 alpha-3), international organisations, and every
   entity with a jurisdiction or country (``P1001``/``P17``) that a position can name;
2. *actors*: humans (``P31`` Q5) with ``P39`` (position held) become people whose roles are the positions,
   dated by the ``P580``/``P582`` qualifiers, in the position's country (or IGO for an international
   body's post); organisations whose ``P31`` class names a sector (``ORG_CLASSES``) become organisations of
   their ``P17`` country.

A position's sector comes from its English label (``SECTOR_WORDS``: "member of parliament" LEG, "judge"
JUD, "chief of staff of the army" MIL, otherwise GOV). Nothing is fetched: the importer reads the file.
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from detente.actors.packs import Pack, PackActor, PackInfo, PackRole
from detente.errors import InputError

HUMAN = "Q5"
# Classes whose members are international bodies (their posts and staff are IGO).
IGO_CLASSES = frozenset({"Q484652", "Q1335818", "Q245065", "Q1127126"})  # int. organisation, supranational
# union, intergovernmental organisation, military alliance
# Organisation classes that make an actor, and the sector they give (kind in parentheses).
ORG_CLASSES: dict[str, tuple[str, str]] = {
    "Q7278": ("PTY", "party"),  # political party
    "Q20746389": ("SPY", "institution"),  # intelligence agency
    "Q732717": ("COP", "institution"),  # law enforcement agency
    "Q35535": ("COP", "institution"),  # police
    "Q772547": ("MIL", "institution"),  # armed forces
    "Q192350": ("GOV", "institution"),  # ministry
    "Q327333": ("GOV", "institution"),  # government agency
    "Q41487": ("JUD", "institution"),  # court
    "Q11204": ("LEG", "institution"),  # legislature
    "Q11032": ("JRN", "outlet"),  # newspaper
    "Q192283": ("JRN", "outlet"),  # news agency
    "Q1110794": ("JRN", "outlet"),  # daily newspaper
    "Q15265344": ("JRN", "outlet"),  # broadcaster
    "Q4830453": ("BUS", "company"),  # business
    "Q783794": ("BUS", "company"),  # company
    "Q163740": ("SOC", "ngo"),  # nonprofit organisation
    "Q79913": ("SOC", "ngo"),  # non-governmental organisation
    "Q17149090": ("REB", "organization"),  # armed organisation
    "Q7210356": ("REB", "organization"),  # political organisation (militant wings are usually tagged so)
    "Q2334061": ("REB", "organization"),  # terrorist organisation
    "Q1371037": ("REB", "organization"),  # rebel group
    "Q13414953": ("REL", "organization"),  # religious organisation
}
# Words in a position's label and the sector they give, tried in order (the first that occurs wins).
SECTOR_WORDS: tuple[tuple[str, str], ...] = (
    ("member of parliament", "LEG"), ("member of the", "LEG"), ("parliament", "LEG"), ("senator", "LEG"),
    ("representative", "LEG"), ("deputy of", "LEG"), ("legislat", "LEG"), ("speaker of", "LEG"),
    ("judge", "JUD"), ("justice", "JUD"), ("prosecutor", "JUD"), ("court", "JUD"),
    ("chief of staff", "MIL"), ("general staff", "MIL"), ("commander", "MIL"), ("armed forces", "MIL"),
    ("army", "MIL"), ("navy", "MIL"), ("air force", "MIL"), ("intelligence", "SPY"), ("police", "COP"),
)  # fmt: skip
PRECISIONS_TO_DAY = 11  # Wikidata time precision: 9 year, 10 month, 11 day


@dataclass
class _Places:
    """What the first pass keeps: ISO codes of countries, the international bodies, and posts' places."""

    iso: dict[str, str] = field(default_factory=dict)  # country QID -> ISO alpha-3
    igos: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)  # post QID -> English label
    where: dict[str, str] = field(default_factory=dict)  # post QID -> jurisdiction/country QID


def _open(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    if path.name.endswith(".bz2"):
        return io.TextIOWrapper(bz2.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def iter_entities(path: Path) -> Iterator[dict[str, Any]]:
    """The entities of a dump, one per line, streaming (the enclosing ``[``/``]`` and commas skipped)."""
    if not path.exists():
        raise InputError(path, "no such Wikidata dump", hint="download one from dumps.wikimedia.org")
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip().rstrip(",")
            if line in ("", "[", "]"):
                continue
            try:
                entity = json.loads(line)
            except ValueError as exc:
                raise InputError(path, f"line {number} is not a JSON entity",
                                 hint="give a Wikidata JSON dump (one entity per line)") from exc  # fmt: skip
            if isinstance(entity, dict):
                yield entity


def _ids(entity: dict[str, Any], prop: str) -> list[str]:
    out = []
    for claim in entity.get("claims", {}).get(prop, ()):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and "id" in value:
            out.append(value["id"])
    return out


def _strings(entity: dict[str, Any], prop: str) -> list[str]:
    out = []
    for claim in entity.get("claims", {}).get(prop, ()):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, str):
            out.append(value)
    return out


def _label(entity: dict[str, Any], language: str) -> str:
    return str(entity.get("labels", {}).get(language, {}).get("value") or "")


def _aliases(entity: dict[str, Any], language: str) -> list[str]:
    return [a["value"] for a in entity.get("aliases", {}).get(language, ()) if a.get("value")]


def wikidata_time(value: Any) -> dt.date | None:
    """A Wikidata time value ({"time": "+2013-12-17T00:00:00Z", "precision": 11}) as a date; a year or a
    month precision gives its first day."""
    if not isinstance(value, dict) or not isinstance(value.get("time"), str):
        return None
    match = re.match(r"^\+(\d{4})-(\d{2})-(\d{2})", value["time"])
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, max(month, 1), max(day, 1))
    except ValueError:
        return None


def _qualifier_date(claim: dict[str, Any], prop: str) -> dt.date | None:
    for qualifier in claim.get("qualifiers", {}).get(prop, ()):
        found = wikidata_time(qualifier.get("datavalue", {}).get("value"))
        if found is not None:
            return found
    return None


def position_sector(label: str) -> str:
    text = label.lower()
    return next((sector for word, sector in SECTOR_WORDS if word in text), "GOV")


def _first_pass(path: Path, language: str) -> _Places:
    places = _Places()
    for entity in iter_entities(path):
        qid = entity.get("id", "")
        iso = _strings(entity, "P298")
        if iso:
            places.iso[qid] = iso[0].upper()
        classes = set(_ids(entity, "P31"))
        if classes & IGO_CLASSES:
            places.igos.add(qid)
        if HUMAN in classes:
            continue
        where = _ids(entity, "P1001") or _ids(entity, "P17")
        if where:
            places.where[qid] = where[0]
            places.labels[qid] = _label(entity, language)
    return places


def _place_code(places: _Places, qid: str | None) -> str | None:
    if qid is None:
        return None
    if qid in places.iso:
        return places.iso[qid]
    if qid in places.igos:
        return "IGO"
    return None


def _person(entity: dict[str, Any], places: _Places, language: str) -> PackActor | None:
    name = _label(entity, language)
    if not name:
        return None
    roles = []
    for claim in entity.get("claims", {}).get("P39", ()):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        post = value.get("id") if isinstance(value, dict) else None
        if post is None:
            continue
        country = _place_code(places, places.where.get(post)) or (
            "IGO" if places.where.get(post) in places.igos else None
        )
        title = places.labels.get(post, "")
        roles.append(PackRole(position_sector(title), title, _qualifier_date(claim, "P580"),
                              _qualifier_date(claim, "P582"), country))  # fmt: skip
    citizenship = next((places.iso[q] for q in _ids(entity, "P27") if q in places.iso), None)
    if not roles:
        return None  # a person with no post is no political actor we can date
    dated = sorted(roles, key=lambda r: r.start or dt.date.min)
    home = citizenship or next((r.country for r in reversed(dated) if r.country not in (None, "IGO")), None)
    if home is None:
        return None
    roles = [r if r.country != home else PackRole(r.sector, r.title, r.start, r.end) for r in roles]
    return PackActor(f"wikidata:{entity['id']}", name, "person", home, None,
                     tuple(a for a in _aliases(entity, language) if a != name), tuple(roles), after="ELI")  # fmt: skip


def _organisation(entity: dict[str, Any], places: _Places, language: str) -> PackActor | None:
    name = _label(entity, language)
    classes = _ids(entity, "P31")
    if not name:
        return None
    if entity.get("id") in places.igos:
        return PackActor(f"wikidata:{entity['id']}", name, "igo", "IGO", "GOV",
                         tuple(a for a in _aliases(entity, language) if a != name))  # fmt: skip
    found = next((ORG_CLASSES[c] for c in classes if c in ORG_CLASSES), None)
    if found is None:
        return None
    sector, kind = found
    country = next((places.iso[q] for q in _ids(entity, "P17") if q in places.iso), None)
    if country is None and sector not in ("SOC", "BUS"):
        return None  # a state body of no known state
    return PackActor(f"wikidata:{entity['id']}", name, kind, country or "UNK", sector,
                     tuple(a for a in _aliases(entity, language) if a != name))  # fmt: skip


def import_dump(path: str | Path, *, language: str = "en", name: str | None = None) -> Pack:
    """A pack of the people (with dated posts) and organisations of a Wikidata JSON dump."""
    path = Path(path)
    places = _first_pass(path, language)
    actors = []
    for entity in iter_entities(path):
        classes = set(_ids(entity, "P31"))
        actor = (
            _person(entity, places, language) if HUMAN in classes else _organisation(entity, places, language)
        )
        if actor is not None:
            actors.append(actor)
    pack_name = name or re.sub(r"\.json(\.gz|\.bz2)?$", "", path.name)
    return Pack(PackInfo(pack_name, f"Wikidata dump {path.name}", "CC0 (Wikidata)"), tuple(actors))
