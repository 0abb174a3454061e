"""Import the field's curated dictionaries (Phoenix / PETRARCH2 actors and agents, NGEC's PLOVER agents)
into one actor pack, converting CAMEO codes to ISO countries and PLOVER sectors through ``data/cameo.csv``.

The dictionaries (MIT, Open Event Data Alliance; NGEC, MIT, Andy Halterman) are TABARI-format text:

    HAMID_KARZAI_  # CountryInfo.txt          a primary name (upper case, "_" between words)
    +KARZAI_                                  an alias
        [AFGELI 750101-000101]                a role: country, agent codes, dates (YYMMDD or YYYYMMDD)
        [AFGGOV >011222]                      ">" from then on, "<" until then
        [AFGELI]                              no date: the default, once no dated role applies

and agents (``POLICE_ {} [~COP]``: a noun, its plural in braces, its agent code). Two-digit years 00-30
are 20YY, others 19YY (as TABARI and PETRARCH read them). ``build_phoenix_pack`` is what
``detente kb build`` and ``make kb`` run; the result ships as ``data/packs/phoenix.jsonl.gz``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from detente.actors.packs import Pack, PackActor, PackInfo, PackRole
from detente.errors import KnowledgeBaseError

DATA_DIR = Path(__file__).parent / "data"
MAPPING_FILE = DATA_DIR / "cameo.csv"
PETRARCH_COMMIT = "676801cd9cb2924bbbad09f86d15c9323e7097bf"
NGEC_COMMIT = "a3909e2aa02969ccaaa915a9626a5316e1cac0f8"
ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
AGENT_FILES = (("ngec", "PLOVER_agents.txt"), ("petrarch2", "Phoenix.agents.txt"))  # the first wins a noun
SOURCE = (f"openeventdata/petrarch2@{PETRARCH_COMMIT} (petrarch2/data/dictionaries: {', '.join(ACTOR_FILES)}, "
          f"Phoenix.agents.txt); ahalterman/NGEC-2025@{NGEC_COMMIT} (NGEC/assets/PLOVER_agents.txt)")  # fmt: skip
LICENCE = "MIT (Copyright (c) 2014 Open Event Data Alliance; NGEC: Andy Halterman); see PHOENIX-LICENSE.txt"

# Words that make a name an organisation rather than a person.
ORG_WORDS = frozenset(["ministry", "ministries", "ministers", "department", "army", "navy", "force", "forces", "police", "party", "council", "court", "assembly", "parliament", "congress", "senate", "union", "front", "movement", "organization", "organisation", "committee", "commission", "agency", "bank", "fund", "association", "federation", "league", "government", "office", "bureau", "authority", "institute", "university", "college", "school", "corps", "guard", "guards", "brigade", "brigades", "battalion", "regiment", "division", "command", "group", "groups", "network", "society", "foundation", "company", "corporation", "corp", "inc", "ltd", "airlines", "airways", "news", "radio", "television", "tv", "times", "post", "press", "agency", "service", "services", "cabinet", "administration", "secretariat", "tribunal", "board", "alliance", "coalition", "church", "mission", "program", "programme", "centre", "center", "republic", "kingdom", "state", "states", "chamber", "club", "trust", "initiative", "project", "watch", "international", "people's", "militia", "militias", "rebels", "insurgents", "liberation", "revolutionary", "army's"])  # fmt: skip
SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "del", "la", "le", "da", "dos", "das",
                         "do", "di", "von", "van", "der", "den", "bin", "bint", "ibn", "y", "e", "et", "to", "al"})  # fmt: skip
VOWELS = frozenset("AEIOUY")
# An agent pattern ending in one of these ("AMBASSADOR_TO_") is a fragment of a phrase, not a noun.
FUNCTION_WORDS = frozenset({"to", "of", "for", "in", "at", "on", "from", "with", "and", "the", "by"})


# ---------------------------------------------------------------------------------------------
# The CAMEO -> PLOVER mapping


@dataclass(frozen=True, slots=True)
class CameoMapping:
    """The rows of ``data/cameo.csv``: first-code (country) and agent-code (sector) conversions."""

    countries: dict[str, str]  # CAMEO country code -> ISO alpha-3 / IGO / WST / UNK
    regions: frozenset[str]  # first codes that name no country
    sectors: dict[str, str]  # CAMEO agent code -> PLOVER sector
    modifiers: frozenset[str]
    dropped: frozenset[str]
    iso: frozenset[str] = field(default=frozenset())  # the states of countries.csv (map to themselves)
    # Dependent territories with their own ISO code, which they keep even after their state's ("USAGUM").
    territories: dict[str, str] = field(default_factory=dict)

    def country(self, code: str) -> str | None:
        """The detente country of a first code; None for a region or a code nobody knows."""
        if code in self.countries:
            return self.countries[code]
        return code if code in self.iso else None

    def sector(self, code: str) -> str | None:
        return self.sectors.get(code)


@lru_cache(maxsize=2)
def load_mapping(path: Path = MAPPING_FILE) -> CameoMapping:
    countries: dict[str, str] = {}
    territories: dict[str, str] = {}
    sectors: dict[str, str] = {}
    regions, modifiers, dropped = set(), set(), set()
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.lstrip().startswith("#"))
        for number, row in enumerate(csv.DictReader(lines), start=2):
            code, kind, plover = row["cameo"].strip(), row["kind"].strip(), (row["plover"] or "").strip()
            if kind in ("country", "special"):
                countries[code] = plover
            elif kind == "territory":
                countries[code] = territories[code] = plover
            elif kind == "region":
                regions.add(code)
            elif kind == "sector":
                sectors[code] = plover
            elif kind == "modifier":
                modifiers.add(code)
            elif kind == "drop":
                dropped.add(code)
            else:
                raise KnowledgeBaseError(f"{path}: line {number}: unknown kind {kind!r}",
                                         hint="country, territory, region, special, sector, modifier or drop")  # fmt: skip
    iso = frozenset(_iso_codes())
    return CameoMapping(countries, frozenset(regions), sectors, frozenset(modifiers), frozenset(dropped), iso,
                        territories)  # fmt: skip


def _iso_codes() -> Iterator[str]:
    with (DATA_DIR / "countries.csv").open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.lstrip().startswith("#"))
        for row in csv.DictReader(lines):
            code = row["iso3"].strip()
            if code != "WST":
                yield code


@dataclass(frozen=True, slots=True)
class Code:
    """One converted role code: country (None: none), sector (None: none), and whether to drop the entry."""

    country: str | None
    sector: str | None
    drop: bool = False
    igo: bool = False


def convert_code(code: str, mapping: CameoMapping | None = None) -> Code:
    """A CAMEO role code ("AFGGOVAGR", "IGOUNOREFHCR", "MNCUSA") as a detente country and PLOVER sector.

    The first three letters give the country; the first later triple that maps to a sector gives the
    sector (modifiers and country codes in between are skipped; MNC takes the home country that follows).
    An IGO is GOV unless a later code says military, judiciary, police or legislature: the annotation
    guideline codes intergovernmental bodies and their own officials IGO GOV.
    """
    mapping = mapping or load_mapping()
    code = code.strip().upper()
    triples = [code[i : i + 3] for i in range(0, len(code) - len(code) % 3, 3)]
    if not triples or any(t in mapping.dropped for t in triples[:1]):
        return Code(None, None, drop=True)
    first, rest = triples[0], triples[1:]
    if first in mapping.sectors and first not in mapping.countries and mapping.country(first) is None:
        rest, country = triples, "UNK"  # "[MED]", "[ELI]": an agent without a country
    elif first in mapping.regions:
        country = "UNK"
        if not rest:
            return Code(None, None, drop=True)  # a region alone is no actor (PLOVER)
    else:
        found = mapping.country(first)
        if found is None:
            return Code(None, None, drop=True)
        country = found
        if rest and rest[0] in mapping.territories and country not in ("IGO", "UNK", "WST"):
            # "USAGUM", "GBRFLKGOV": the state's code, then its territory's. The territory's is the
            # country (Guam's governor is GUM GOV); the state's organs there carry the state's own code.
            country, rest = mapping.territories[rest[0]], rest[1:]
    if first == "MNC" and rest and mapping.country(rest[0]) not in (None, "IGO", "UNK"):
        country, rest = mapping.country(rest[0]) or "UNK", rest[1:]
    sector = None
    for triple in rest:
        if triple in mapping.dropped:
            return Code(None, None, drop=True)
        if triple in mapping.sectors:
            sector = mapping.sectors[triple]
            break
    igo = first == "IGO"
    if igo:
        sector = sector if sector in ("MIL", "JUD", "COP", "LEG") else "GOV"
    elif first == "NGO" and sector in (None, "GOV"):
        sector = "SOC"
    elif first == "MNC":
        sector = "BUS"
    elif first == "IMG":
        sector = sector if sector in ("REB", "CRM", "UAF") else "REB"
    return Code(country, sector, igo=igo)


# ---------------------------------------------------------------------------------------------
# Reading TABARI actor files


@dataclass
class RawEntry:
    """An actor record as read: its names and its (code, restriction) pairs, with the line it starts on."""

    line: int
    names: list[str] = field(default_factory=list)
    codes: list[tuple[str, str]] = field(default_factory=list)


_CODE = re.compile(r"\[([^\]]*)\]")


def read_tabari_actors(path: Path) -> Iterator[RawEntry]:
    """Records of a TABARI/PETRARCH actor dictionary. A record without any code is dropped (the null code)."""
    current: RawEntry | None = None
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].rstrip()
            line = re.sub(r"<!--.*?-->", "", line)
            if not line.strip():
                continue
            stripped = line.strip()
            codes = _CODE.findall(stripped)
            text = _CODE.sub(" ", stripped).strip()
            if stripped.startswith("+") and current is not None:
                current.names.extend(n.strip() for n in text[1:].split("+") if n.strip())
            elif raw[:1] in (" ", "\t") and not text and current is not None:
                pass  # an indented role line: its codes are added below
            elif text:
                if current is not None and current.codes:
                    yield current
                current = RawEntry(number, [text])
            if current is not None:
                for code in codes:
                    parts = code.split(None, 1)
                    if parts:
                        current.codes.append((parts[0], parts[1].strip() if len(parts) > 1 else ""))
    if current is not None and current.codes:
        yield current


def parse_tabari_date(text: str) -> dt.date | None:
    """YYMMDD (00-30 are 20YY) or YYYYMMDD; a few typos in the files are read as meant; None when invalid."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 10 and digits.startswith("19"):
        digits = digits[2:]  # "1920030320": "19" typed before an 8-digit date
    elif len(digits) == 9:
        digits = digits[:8]
    try:
        if len(digits) == 6:
            year = int(digits[:2])
            return dt.date(2000 + year if year <= 30 else 1900 + year, int(digits[2:4]), int(digits[4:6]))
        if len(digits) == 8:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return None


def parse_restriction(text: str) -> tuple[dt.date | None, dt.date | None] | None:
    """A date restriction as (start, end-exclusive); (None, None) for none; None when unreadable."""
    text = text.replace(" ", "")
    if not text:
        return None, None
    if text[0] == ">":
        start = parse_tabari_date(text[1:])
        return (start, None) if start else None
    if text[0] == "<":
        end = parse_tabari_date(text[1:])
        return (None, end + dt.timedelta(days=1)) if end else None
    if "-" in text:
        a, b = text.split("-", 1)
        start, end = parse_tabari_date(a), parse_tabari_date(b)
        if start and end and start <= end:
            return start, end + dt.timedelta(days=1)
    return None


# ---------------------------------------------------------------------------------------------
# Names


def display_name(raw: str, acronym_max: int = 0) -> tuple[str, list[str]]:
    """A dictionary phrase as news would write it, and aliases found inside it:
    "HAMID_KARZAI_" -> "Hamid Karzai"; "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_" -> ("Aden Abyan Islamic Army",
    ["AAIA"]); words without vowels stay upper case ("UN_SECURITY_COUNCIL_" -> "UN Security Council"),
    and so does a single word of at most ``acronym_max`` letters ("IAEA", "NATO")."""
    extra = [m.strip("_ ").replace("_", " ") for m in re.findall(r"\(([^)]*)\)", raw)]
    text = re.sub(r"\([^)]*\)", " ", raw).replace("_", " ")
    words = text.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[
            1:
        ]  # "THE_UN_": news writes "the UN" as often as "UN"; the article is no part of the name
    out = []
    for i, word in enumerate(words):
        short = (
            acronym_max > 0 and len(word) <= 2 and word.lower() not in SMALL_WORDS
        )  # "UN", "EU" in a body's name
        out.append(_word_case(word, i == 0, short or (len(words) == 1 and len(word) <= acronym_max)))
    return " ".join(out).strip(), [e for e in extra if e]


def _word_case(word: str, first: bool, acronym: bool) -> str:
    letters = [c for c in word if c.isalpha()]
    if acronym or not letters or "." in word or not (VOWELS & set(c.upper() for c in letters)):
        return word  # "U.N.", "UNHCR", "BBC"
    parts = re.split(r"([-'’])", word)
    cased = []
    for k, part in enumerate(parts):
        low = part.lower()
        if part in ("-", "'", "’"):
            cased.append(part)
        elif (
            k == 0
            and low in ("al", "el", "ad", "as", "ash", "at", "az", "ar")
            and len(parts) > 1
            and parts[1] == "-"
        ):
            cased.append(low if not first else low.capitalize())
        elif k == 0 and not first and low in SMALL_WORDS:
            cased.append(low)
        elif k > 0 and parts[k - 1] in ("'", "’") and len(part) <= 2:
            cased.append(low)  # "People's", "Children's"
        else:
            cased.append(part[:1].upper() + part[1:].lower())
    return "".join(cased)


def _looks_like_org(name: str) -> bool:
    words = {w.lower().strip("'’") for w in re.split(r"[\s-]+", name)}
    return bool(words & ORG_WORDS) or (len(words) == 1 and name.isupper())


# ---------------------------------------------------------------------------------------------
# Converting records


def convert_entry(
    entry: RawEntry, source: str, mapping: CameoMapping, given_names: frozenset[str] = frozenset()
) -> list[PackActor]:
    """One dictionary record as pack actors (none for regions, the null code, junk or unreadable codes).

    TABARI gives an organisation's leaders as its aliases ("HEZBOLLAH_ +HASSAN_NASRALLAH_"), which codes
    the same for CAMEO but makes the man the organisation: an alias that reads as a person's name (2 to 4
    words, the first a given name of the dictionaries' people, no organisation word) becomes a person of
    the organisation's country and sector."""
    actor = _convert(entry, source, mapping)
    if actor is None or actor.kind in ("person", "country") or not given_names:
        return [actor] if actor is not None else []
    people = [a for a in actor.aliases if _reads_as_person(a, given_names)]
    if not people:
        return [actor]
    out = [replace(actor, aliases=tuple(a for a in actor.aliases if a not in people))]
    for name in people:
        out.append(PackActor(f"phoenix:person:{_slug(name)}", name, "person", actor.country, actor.sector))
    return out


def _reads_as_person(name: str, given_names: frozenset[str]) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 4
        and words[0].lower() in given_names
        and not _looks_like_org(name)
        and all(w[:1].isupper() or w.lower().startswith(("al-", "el-", "bin", "ibn", "abu")) for w in words)
    )


def given_names_of(entries: list[tuple[RawEntry, str]]) -> frozenset[str]:
    """First words of the people's names in the dictionaries (those with dated posts), seen at least
    three times: "hassan", "mohammad", "john" (for telling a leader listed as an alias from a body)."""
    counts: dict[str, int] = {}
    for entry, _ in entries:
        if any(restriction for _, restriction in entry.codes):
            first = display_name(entry.names[0])[0].split(" ", 1)[0].lower()
            counts[first] = counts.get(first, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= 3 and len(w) > 2)


def _convert(entry: RawEntry, source: str, mapping: CameoMapping) -> PackActor | None:
    default: Code | None = None
    roles: list[PackRole] = []
    for code_text, restriction in entry.codes:
        code = convert_code(code_text, mapping)
        if code.drop:
            if restriction or default is None:
                continue
            return None
        dates = parse_restriction(restriction)
        if dates is None:
            continue
        if dates == (None, None):
            default = code
        elif code.sector is not None:
            roles.append(PackRole(code.sector, "", dates[0], dates[1], code.country))
        elif code.country not in (None, "UNK", "IGO", "WST") and default is None:
            default = code  # "IRAQ_ [IRQ <20030320] [IRQOCC ...]": a country whatever its period
    if default is None and not roles:
        return None
    people_like = bool(roles) or source.endswith("Countries.actors.txt")
    name, extra = display_name(entry.names[0], acronym_max=0 if people_like else 6)
    if not name:
        return None
    if default is not None and default.sector is None and default.country not in (None, "UNK", "IGO", "WST"):
        # "CANADA_ [CAN]" and its spellings: more names of the country. Its cities and provinces are left
        # to the gazetteer, which knows where they are (a city named as an actor stands for its country).
        names = [display_name(n)[0] for n in entry.names]
        names = [n for n in names if n and not _is_place(n)]
        # A territory with its own code keeps it (docs/actors.md, Territories): a block named after one
        # ("MAYOTTE_ [FRA]") is the territory's, and a territory is no other block's name (Phoenix gives
        # Western Sahara to Morocco, Christmas Island to Australia, Jersey to the United States).
        territories = set(mapping.territories.values())
        country = default.country
        own = _country_named(names[0]) if names else None
        if own in territories and own != country:
            country = own
        names = [n for n in names if _country_named(n) not in territories - {country}]
        if not names:
            return None
        return PackActor(f"phoenix:country:{country.lower()}:{_slug(names[0])}", names[0], "country",
                         country, None, tuple(dict.fromkeys(names[1:])))  # fmt: skip
    is_org = _looks_like_org(name) or (not roles and (default is not None and default.igo))
    kind = (
        "person" if roles and not is_org else _org_kind(default or Code(roles[-1].country, roles[-1].sector))
    )
    if kind == "person" and len(name.split()) == 1 and not roles:
        kind = "organization"
    aliases = []
    for alias in entry.names[1:]:
        text, inner = display_name(alias, acronym_max=0 if kind == "person" else 6)
        aliases += [text, *inner]
    aliases += extra
    home = default.country if default is not None and default.country else None
    if home is None:
        home = next((r.country for r in sorted(roles, key=lambda r: r.start or dt.date.min, reverse=True)
                     if r.country not in (None, "IGO", "UNK")), None) or (roles[-1].country if roles else None)  # fmt: skip
    home = home or "UNK"
    if kind == "person" and home == "UNK":
        return None
    sector = default.sector if default is not None else None
    if kind == "person":
        roles = [r if r.country != home else PackRole(r.sector, r.title, r.start, r.end) for r in roles]
    prefix = "person" if kind == "person" else "org"
    return PackActor(
        id=f"phoenix:{prefix}:{_slug(name)}", name=name, kind=kind, country=home,
        sector=None if kind == "person" and roles else sector,
        aliases=tuple(a for a in dict.fromkeys(aliases) if a and a != name), roles=tuple(roles),
        before=sector if kind == "person" and roles else None,
        after=sector if kind == "person" and roles else None,
    )  # fmt: skip


def _country_named(name: str) -> str | None:
    """The country countries.csv gives this name (or nationality word), if any."""
    return _country_names().get(_fold(name))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    with (DATA_DIR / "countries.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(line for line in handle if not line.lstrip().startswith("#")):
            for word in (
                row["name"],
                *(row["aliases"] or "").split("|"),
                *(row["demonyms"] or "").split("|"),
            ):
                if word.strip():
                    names.setdefault(_fold(word), row["iso3"].strip())
    return names


def _fold(text: str) -> str:
    from detente.actors.knowledge_base import fold

    return fold(text)


def _is_place(name: str) -> bool:
    """Does the gazetteer know this name as a city or province and not as a country (then it is a place,
    not a name of the country)?"""
    from detente.gazetteer import default_gazetteer

    kinds = {e.kind for e in default_gazetteer().lookup(name)}
    return bool(kinds & {"city", "admin"}) and "country" not in kinds


def _org_kind(code: Code) -> str:
    if code.igo:
        return "igo"
    return {"SOC": "ngo", "BUS": "company", "PTY": "party", "JRN": "outlet", "REB": "organization",
            "CRM": "organization", "REL": "organization", "EDU": "organization", "MED": "organization",
            None: "organization"}.get(code.sector, "institution")  # fmt: skip


def _slug(text: str) -> str:
    from detente.actors.knowledge_base import slug

    return slug(text)


# ---------------------------------------------------------------------------------------------
# Agents


_AGENT = re.compile(r"^(?P<noun>[^{\[]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]]*)\]")


def read_agents(path: Path, mapping: CameoMapping) -> Iterator[tuple[str, list[str], str]]:
    """(noun, forms, sector) for each agent line whose code maps to a sector; ``!X!`` substitution sets
    expand; regular plurals are formed as PETRARCH forms them unless braces give the plural (or none)."""
    subs: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            sub = re.fullmatch(r"(!\w+!)\s*=\s*(.+)", line)
            if sub:
                subs[sub.group(1)] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
                continue
            match = _AGENT.match(line)
            if match is None:
                continue
            code = match.group("code").replace("~", "").strip()
            sector = _agent_sector(code, mapping)
            if sector is None:
                continue
            noun = match.group("noun").strip()
            plural = match.group("plural")
            for form in _expand(noun, subs):
                forms = [form]
                if "!" not in noun:
                    if plural is None:
                        forms.append(_plural(form))
                    elif plural.strip():
                        forms.append(plural.strip())
                words = [f.strip("_ ").replace("_", " ").lower() for f in forms]
                words = [w for w in dict.fromkeys(words) if w and w.split()[-1] not in FUNCTION_WORDS]
                if words:
                    yield words[0], words[1:], sector


def _agent_sector(code: str, mapping: CameoMapping) -> str | None:
    triples = [code[i : i + 3] for i in range(0, len(code) - len(code) % 3, 3)]
    for triple in triples:
        if triple in mapping.dropped or triple == "IGO":
            return None
        if triple in mapping.sectors:
            return mapping.sectors[triple]
    return None


def _expand(noun: str, subs: dict[str, list[str]]) -> list[str]:
    for marker, words in subs.items():
        if marker in noun:
            return [w for word in words for w in _expand(noun.replace(marker, word), subs)]
    return [noun]


def _plural(noun: str) -> str:
    stem = noun.rstrip("_")
    if stem.endswith("Y") and stem[-2:-1] not in ("A", "E", "O", "U"):
        return stem[:-1] + "IES"
    if stem.endswith(("SS", "SH", "CH", "X")):
        return stem + "ES"
    return stem + "S"


# ---------------------------------------------------------------------------------------------
# The pack


def build_phoenix_pack(shared: Path) -> Pack:
    """The Phoenix pack from ``shared/reference/`` (``petrarch2/`` and ``ngec/``); errors say what is missing."""
    reference = shared / "reference" if (shared / "reference").is_dir() else shared
    mapping = load_mapping()
    actors: dict[str, PackActor] = {}
    latest = dt.date.min
    records: list[tuple[RawEntry, str]] = []
    for name in ACTOR_FILES:
        path = reference / "petrarch2" / name
        if not path.exists():
            raise KnowledgeBaseError(
                f"{path}: not found", hint="give --shared DIR holding reference/petrarch2/"
            )
        records += [(entry, name) for entry in read_tabari_actors(path)]
    given = given_names_of(records)
    for entry, name in records:
        for actor in convert_entry(entry, name, mapping, given):
            for role in actor.roles:
                for day in (role.start, role.end):
                    if day is not None and day.year <= 2016:
                        latest = max(latest, day)
            old = actors.get(actor.id)
            if old is not None:  # the same name twice (a person listed under two countries): keep both posts
                actor = PackActor(old.id, old.name, old.kind, old.country, old.sector,
                                  tuple(dict.fromkeys((*old.aliases, *actor.aliases))), (*old.roles, *actor.roles),
                                  old.before, old.after)  # fmt: skip
            actors[actor.id] = actor
    seen: set[str] = set()
    for folder, name in AGENT_FILES:
        path = reference / folder / name
        if not path.exists():
            raise KnowledgeBaseError(
                f"{path}: not found", hint=f"give --shared DIR holding reference/{folder}/"
            )
        for noun, forms, sector in read_agents(path, mapping):
            if noun in seen:
                continue
            seen.add(noun)
            agent_id = f"phoenix:agent:{_slug(noun)}"
            if agent_id in actors:
                continue
            actors[agent_id] = PackActor(agent_id, noun, "agent", "UNK", sector, tuple(forms))
    until = latest + dt.timedelta(days=1) if latest > dt.date.min else None
    return Pack(PackInfo("phoenix", SOURCE, LICENCE, until), tuple(actors.values()))


LICENSE_NAME = "PHOENIX-LICENSE.txt"


def ship_phoenix_pack(shared: Path, directory: Path | None = None) -> tuple[Path, Pack]:
    """Build the Phoenix pack from ``shared`` and write it where the package ships it (or ``directory``),
    compiled, with the MIT notice and the source commits beside it. Returns the pack's path and the pack."""
    from detente.actors.knowledge_base import PACK_DIR
    from detente.actors.packs import write_pack

    directory = directory or PACK_DIR
    pack = build_phoenix_pack(shared)
    path = write_pack(pack, directory / "phoenix.jsonl.gz", compiled=True)
    reference = shared / "reference" if (shared / "reference").is_dir() else shared
    notice = (reference / "petrarch2" / "LICENSE").read_text(encoding="utf-8").strip()
    (directory / LICENSE_NAME).write_text(
        "phoenix.jsonl.gz is converted by detente (`detente kb build`, detente/actors/phoenix.py) from:\n\n"
        f"- openeventdata/petrarch2 at commit {PETRARCH_COMMIT}, petrarch2/data/dictionaries/:\n"
        f"  {', '.join(ACTOR_FILES)}, Phoenix.agents.txt\n"
        f"- ahalterman/NGEC-2025 at commit {NGEC_COMMIT}, NGEC/assets/PLOVER_agents.txt\n"
        "  (the repository declares the MIT licence in its pyproject.toml; author Andy Halterman)\n\n"
        "CAMEO codes are converted to ISO 3166 alpha-3 countries and PLOVER sectors with\n"
        "detente/actors/data/cameo.csv. The original notice of the dictionaries follows.\n\n"
        f"{notice}\n",
        encoding="utf-8",
    )
    return path, pack
