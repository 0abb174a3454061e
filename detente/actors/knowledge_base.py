"""The actor knowledge base: load the data files (and users' own), index them, resolve a mention.

Data lives in ``detente/actors/data/`` (format in ``docs/actors.md``):

    countries.csv   iso3, name, aliases, demonyms, metonyms (capitals and seats of power)
    orgs.csv        named organisations: IGOs, state institutions, outlets, parties, armed groups, companies
    ethnic.csv      peoples whose country is clear ("Tamil" -> LKA); they act like nationality words
    nonactors.csv   regions and religions that look like actors but never are ("the Sahel", "Islam")
    sectors.csv     generic sector nouns and titles ("officials" -> GOV, "troops" -> MIL, "president")
    people.yaml     people with their posts over time (the article's date picks the role)
    leaders.csv     heads of state and government, ministers, IGO chiefs: one row per post, with dates

and packs (``detente.actors.packs``): the shipped ``phoenix`` pack (the Phoenix/PETRARCH2 dictionaries,
``data/packs/``) and users' own. Users add files (packs, CSV with the orgs.csv columns, or YAML lists of
orgs/people) with ``load_kb(extra=[...])`` or the ``DETENTE_ACTORS`` environment variable (paths
separated by ``:``).

Precedence when two entries share a name: users' files, then detente's curated data, then the shipped
packs. A pack that knows nothing after some date (``until``: the Phoenix dictionaries end in 2015) wins
over curated data only for articles dated before then, and only with a post held at that date.

Every alias becomes a *key*: ascii-folded, lowercased, punctuation dropped, hyphens as spaces. Exact
lookup is a dict access; names the index misses go through :meth:`KnowledgeBase.fuzzy`, which
compares transliteration-tolerant skeletons ("Si Jin-Pching" ~ "Xi Jinping") over people and orgs only.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from srsly import json_loads
from unidecode import unidecode

from detente.actors.packs import PACK_SUFFIXES, PackActor, PackInfo, actor_from_mapping, read_pack
from detente.errors import KnowledgeBaseError
from detente.records import SECTORS, Actor

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there
DATA_DIR = Path(__file__).parent / "data"
PACK_DIR = DATA_DIR / "packs"
DEFAULT_PACKS: tuple[str, ...] = ("phoenix",)  # Settings.actor_packs
# Where an entry comes from decides which of two namesakes wins (lower first).
RANK_USER, RANK_CURATED, RANK_PACK = 0, 1, 2
ENV_VAR = "DETENTE_ACTORS"
# Where the family name comes first ("Kim Jong Un" is Kim, "Xi Jinping" is Xi).
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "KOR", "PRK", "VNM", "KHM", "HUN", "MNG"})
# "Indian" also names the indigenous peoples of the Americas ("Indian Law Resource Center", a US body);
# a body's name opening with it says nothing sure of its country.
AMBIGUOUS_NATIONAL = frozenset({"indian", "indians"})
# Country-like codes that are not ISO alpha-3 states but are valid actor countries (PLOVER table).
SPECIAL_COUNTRIES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC", "UNK", "WST", "XKX"})

# Lexical classes, in the order a key's candidates are tried (first passing case rule wins).
LEX_ORDER = ("org", "person", "country", "metonym", "demonym", "title", "group", "ignore")
SECTOR_LABELS = {
    "GOV": "government", "MIL": "military", "SPY": "intelligence", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "PTY": "party", "REB": "rebels", "PRM": "paramilitary", "UAF": "armed men",
    "BUS": "business", "CRM": "criminals", "CVL": "civilians", "EDU": "education", "ELI": "former officials",
    "JRN": "media", "LAB": "labour", "MED": "health", "REF": "refugees", "OPP": "opposition",
    "REL": "religious", "AGR": "agriculture", "SOC": "society", "PRE": "breakaway entity", "UNK": "unknown",
}  # fmt: skip

_DROP = re.compile(r"[.'’`]")
_SPLIT = re.compile(r"[^a-z0-9&/]+")
# "People's" is a word of its own and "'s" (the tokenizer splits them): both fold to "people s".
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|^'s$")


def fold(text: str) -> str:
    """The lookup key of a text: ascii, lowercase, no dots or apostrophes, other punctuation as spaces."""
    return _SPLIT.sub(" ", _DROP.sub("", _POSSESSIVE.sub(" s", unidecode(text).lower()))).strip()


def slug(text: str) -> str:
    return "-".join(fold(text).replace("/", " ").replace("&", " ").split()) or "x"


# Transliteration skeleton: Czech/Polish/German/French renderings of the same name collapse together.
_CZECH_PRE = (("ť", "j"), ("čch", "ch"), ("č", "ch"), ("ch", "ch"), ("š", "sh"), ("ž", "zh"))
_SKELETON_RULES = (
    ("tsch", "ch"), ("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("pch", "p"), ("tch", "t"), ("kch", "k"),
    ("cch", "c"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("x", "s"), ("q", "ch"), ("sh", "s"), ("ch", "c"),
    ("ph", "f"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("h", ""), ("w", "v"), ("y", "i"), ("j", "i"),
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ck", "k"), ("k", "c"), ("ts", "s"), ("tz", "s"), ("z", "s"),
)  # fmt: skip


def skeleton(text: str) -> str:
    """A spelling-tolerant key for names seen through translation and transliteration."""
    s = text.lower()
    for a, b in _CZECH_PRE:
        s = s.replace(a, b)
    s = re.sub(r"[^a-z]", "", unidecode(s).lower())
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


@dataclass(frozen=True, slots=True)
class Role:
    sector: str
    title: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    country: str | None = None  # when the post is in another country or an IGO (Rutte: NLD, then NATO)

    def active(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)


@dataclass(frozen=True, slots=True)
class Entry:
    """One knowledge-base item with the words that name it."""

    actor: Actor
    lex: str  # one of LEX_ORDER
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    before: str | None = None  # sector before the first role
    after: str | None = "ELI"  # sector once every role has ended (former official)
    alone: bool = True  # group nouns: may stand without a country cue
    lent: bool = True  # group nouns: may take the sentence's or story's country (else only their phrase's)
    source: str = ""
    rank: int = RANK_CURATED  # RANK_USER, RANK_CURATED or RANK_PACK: the lower wins between namesakes
    until: dt.date | None = None  # the entry's pack knows nothing after this date

    def in_office(self, date: dt.date) -> bool:
        """Does a post of this entry cover ``date``, by what its source can know?"""
        if self.until is not None and date >= self.until:
            return False
        return any(r.active(date) for r in self.roles)

    def at(self, date: dt.date | None = None) -> Actor:
        """The actor as of ``date`` (today when None): a person's sector follows their roles."""
        if not self.roles:
            return self.actor
        if date is None:  # an undated mention: the post the person is best known by, their latest
            role = max(self.roles, key=lambda r: r.start or dt.date.min)
            return replace(self.actor, sector=role.sector, country=role.country or self.actor.country)
        active = [r for r in self.roles if r.active(date)]
        if active:
            role = max(active, key=lambda r: r.start or dt.date.min)
            return replace(self.actor, sector=role.sector, country=role.country or self.actor.country)
        if all(r.start and r.start > date for r in self.roles):
            first = min(self.roles, key=lambda r: r.start or dt.date.min)
            return replace(
                self.actor,
                sector=self.before or self.actor.sector,
                country=first.country or self.actor.country,
            )
        last = max(self.roles, key=lambda r: r.end or dt.date.max)
        home = last.country if last.country not in (None, "IGO") else self.actor.country
        return replace(self.actor, sector=self.after or self.actor.sector, country=home)

    def title_at(self, date: dt.date | None = None) -> str:
        date = date or dt.date.today()
        return next((r.title for r in self.roles if r.active(date)), "")


# Case rules keep "US" from matching "us" and "China" from matching "china" (porcelain).
CASE_ANY, CASE_CAPITAL, CASE_UPPER, CASE_LAST = 0, 1, 2, 4  # bits; CASE_LAST: last word capitalised too
# A one-word alias from a pack matches only a proper name (a PROPN or inside a named entity): the
# dictionaries name companies and people "Total", "Target", "Chance", which are words as often.
CASE_NAME = 8
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


_STRICTNESS = {CASE_ANY: 0, CASE_CAPITAL: 1, CASE_CAPITAL | CASE_LAST: 2, CASE_UPPER: 3}


def _strictness(rule: int) -> int:
    return _STRICTNESS[rule & ~CASE_NAME] + (4 if rule & CASE_NAME else 0)


def case_rule(alias: str) -> int:
    if alias.isupper() and sum(c.isalpha() for c in alias) <= 6:
        return CASE_UPPER
    words = _WORD.findall(alias)
    if not words or not words[0][0].isupper():
        return CASE_ANY
    return CASE_CAPITAL | (CASE_LAST if len(words) > 1 and words[-1][0].isupper() else 0)


_INITIAL = re.compile(r"^[A-Z]\.?$")


def without_initials(name: str) -> str | None:
    """A person's name as news writes it, without middle initials ("William P. Barr" is "William Barr",
    "Richard V. Allen" "Richard Allen"); None when there are none to drop. The dictionaries write the
    initials, news mostly does not, and the matcher only takes whole names."""
    words = name.split()
    if len(words) < 3:
        return None
    kept = [words[0], *(w for w in words[1:-1] if not _INITIAL.match(w)), words[-1]]
    return " ".join(kept) if len(kept) < len(words) else None


def alias_keys(aliases: Iterable[str], rank: int = RANK_CURATED) -> tuple[tuple[str, int], ...]:
    """(lookup key, case rule) of each alias; one-word aliases of packs must be proper names."""
    out = []
    for alias in aliases:
        key = fold(alias)
        rule = case_rule(alias)
        if rank == RANK_PACK and " " not in key and not alias.isupper():
            rule |= CASE_NAME
        out.append((key, rule))
    return tuple(out)


def case_ok(rule: int, surface: str, proper: bool = True) -> bool:
    """Does the text's capitalisation fit the alias ("The Hill" is not "the hill", "US" is not "us")?
    ``proper``: the text is a proper name (needed by CASE_NAME aliases)."""
    if rule & CASE_NAME:
        if not proper:
            return False
        rule &= ~CASE_NAME
    if rule == CASE_ANY:
        return True
    if rule == CASE_UPPER:
        letters = [c for c in surface if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)
    words = _WORD.findall(surface)
    if not words or not words[0][0].isupper():
        return False
    return not (rule & CASE_LAST) or words[-1][0].isupper()


@dataclass(frozen=True, slots=True)
class Resolution:
    """A mention resolved to an actor, with how sure we are and how we got there."""

    actor: Actor
    confidence: float
    method: str  # exact, alias, fuzzy, unknown
    entry: Entry | None = None


@dataclass
class KnowledgeBase:
    entries: list[Entry] = field(default_factory=list)
    # key -> [(entry, case rule)], candidates sorted by LEX_ORDER
    index: dict[str, list[tuple[Entry, int]]] = field(default_factory=dict)
    first_words: set[str] = field(default_factory=set)
    prefixes: set[str] = field(
        default_factory=set
    )  # every word prefix of every key: stops n-gram growth early
    max_words: int = 1
    countries: dict[str, Entry] = field(default_factory=dict)
    surnames: dict[str, list[Entry]] = field(default_factory=dict)  # family-name key -> people
    # folded ethnic term -> every country the people lives in, the usual one first ("shona": ZWE, MOZ)
    ethnic_countries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # folded name or nationality word of a country (countries.csv only) -> its code: what a body's own
    # name says of its country ("American Civil Liberties Union"), see ``national_name``
    national_words: dict[str, str] = field(default_factory=dict)
    _noun_keys: frozenset[str] | None = None
    _people_by_id: dict[str, Entry] | None = None
    _skeletons: dict[str, list[Entry]] = field(default_factory=dict)
    _skeleton_keys: list[str] = field(default_factory=list)
    # (text length, cutoff) -> the skeleton keys a text of that length can reach the cutoff against, in
    # _skeleton_keys order; built on first use, dropped when keys are added (see ``_fuzzy_choices``)
    _choices_by_length: dict[tuple[int, float], list[str]] = field(default_factory=dict)
    _choices_built_for: int = 0
    _folded_names: dict[str, str] = field(default_factory=dict)  # actor name -> fold(name), see ``is_name``

    # -- building ---------------------------------------------------------------------------------
    def add(self, entry: Entry, keys: Sequence[tuple[str, int]] = ()) -> None:
        """Index an entry under each of its names; ``keys`` are its (key, case rule) pairs when a
        compiled pack already holds them (:func:`alias_keys`)."""
        keys = keys or alias_keys(entry.aliases, entry.rank)
        if (
            entry.rank == RANK_PACK
            and entry.lex == "org"
            and entry.actor.country == "UNK"
            and entry.actor.kind != "igo"
        ):
            country = self.national_name(entry.actor.name)
            if country is not None:
                entry = replace(entry, actor=replace(entry.actor, country=country))
        if entry.rank == RANK_PACK and entry.lex in ("person", "org") and keys:
            same = self._curated_twin(entry, keys[0][0])
            if same is not None:
                # The pack's "Vladimir Putin" is detente's: its spellings ("President Vladimir Putin") lead to
                # the curated entry, whose posts are kept up to date; no second Putin that might win a match.
                self._index_keys(same, entry.aliases, keys)
                return
        self.entries.append(entry)
        if entry.lex == "country":
            self.countries[entry.actor.country] = entry
        if entry.lex == "person":
            words = (keys[0][0] if keys else fold(entry.actor.name)).split()
            family = {words[-1], words[0]} if entry.actor.country in FAMILY_NAME_FIRST else {words[-1]}
            for word in family:
                self.surnames.setdefault(word, []).append(entry)
        self._index_keys(entry, entry.aliases, keys)
        if entry.lex == "person":
            shorter = [short for alias in entry.aliases if (short := without_initials(alias))]
            if shorter:
                self._index_keys(entry, shorter, alias_keys(shorter))

    def _curated_twin(self, entry: Entry, key: str) -> Entry | None:
        for other, _ in self.index.get(key, ()):
            if (
                other.rank < RANK_PACK
                and other.lex == entry.lex
                and other.actor.country == entry.actor.country
            ):
                return other
        return None

    def _index_prefixes(self, key: str) -> None:
        """The word prefixes of a new key, which the longest-match scan walks (a key seen before has them)."""
        words = key.split()
        prefix = words[0]
        self.first_words.add(prefix)
        prefixes = self.prefixes
        prefixes.add(prefix)
        for word in words[1:]:
            prefix = f"{prefix} {word}"
            prefixes.add(prefix)
        if len(words) > self.max_words:
            self.max_words = len(words)

    def _index_keys(self, entry: Entry, aliases: Sequence[str], keys: Sequence[tuple[str, int]]) -> None:
        named = entry.lex in ("person", "org")
        for alias, (key, rule) in zip(aliases, keys, strict=False):
            if not key:
                continue
            # (the entry's own folded name is asked for only here: folding it for every entry of a pack
            # was a third of the knowledge base's load time)
            if named and key in self.national_words and key != fold(entry.actor.name):
                # A country's name never names a body or a person ("Bolivia" for a Bolivian guerrilla,
                # "South Africa" for the ANC: the dictionaries write a body's country beside its name);
                # only a body whose own name it is ("Palestinian Authority") keeps it.
                continue
            cands = self.index.get(key)
            if cands is None:
                self.index[key] = [(entry, rule)]
                self._index_prefixes(key)
            else:
                known = next((n for n, (e, _) in enumerate(cands) if e is entry), None)
                if known is not None:
                    # Two spellings of one key ("Al-Shabab", "al-Shabab"): keep the more permissive case rule.
                    if _strictness(rule) < _strictness(cands[known][1]):
                        cands[known] = (entry, rule)
                    continue
                cands.append((entry, rule))
                cands.sort(key=lambda c: (c[0].rank, LEX_ORDER.index(c[0].lex)))
            if named and len(key) >= 5 and entry.rank <= RANK_CURATED:
                # Transliteration matches reach packs only through their surnames (see ``fuzzy``).
                sk = skeleton(alias)
                if sk not in self._skeletons:
                    self._skeleton_keys.append(sk)
                bucket = self._skeletons.setdefault(sk, [])
                if entry not in bucket:
                    bucket.append(entry)

    def national_name(self, name: str) -> str | None:
        """The country a body's own name gives it when its dictionary gives none: a name that opens with
        one country's name or nationality word and names no other ("American Civil Liberties Union" USA,
        "Egyptian Organization for Human Rights" EGY). The dictionaries leave such national bodies
        without a country (Phoenix codes them NGO), and the text then cannot give one either, since the
        nationality is inside the matched name. Names that name a second place ("Burma Campaign UK",
        "Danish Afghan Committee", "Indian Council of South America") keep none; "<X> American" is the
        United States, as in running text."""
        words = fold(name).split()
        found: list[tuple[int, str]] = []  # (word index, country) of every country word in the name
        k = 0
        while k < len(words):
            for n in (3, 2, 1):
                country = self.national_words.get(" ".join(words[k : k + n]))
                if country is not None:
                    found.append((k, country))
                    k += n
                    break
            else:
                k += 1
        if not found or found[0][0] != 0:
            return None
        if len(found) >= 2 and found[1][0] == 1 and words[1] in ("american", "americans"):
            found = found[1:]  # "Estonian American Fund": an American body of Estonian origin
        if len({c for _, c in found}) != 1 or words[0] in AMBIGUOUS_NATIONAL:
            return None
        return found[0][1]

    # -- lookup -----------------------------------------------------------------------------------
    def lookup(
        self, key: str, surface: str, lexes: Iterable[str] | None = None, date: dt.date | None = None,
        proper: bool = True,
    ) -> Entry | None:  # fmt: skip
        """The best entry for a folded key whose case rule the surface text satisfies: users' entries
        first, then curated, then packs. Two people sharing a name ("George Bush") are told apart by who
        was in office at ``date``; a pack's person wins over a curated one only while the pack knows."""
        cands = self.index.get(key)
        if not cands:
            return None  # most n-grams tried are a prefix of some key and no key themselves
        allowed = set(lexes) if lexes is not None else None
        fits = [
            e for e, rule in cands if (allowed is None or e.lex in allowed) and case_ok(rule, surface, proper)
        ]
        if not fits:
            return None
        if date is not None and len(fits) > 1 and any(e.lex == "person" for e in fits):
            best = fits[0]
            if best.lex == "person":
                people = [e for e in fits if e.lex == "person"]
                return next((e for e in people if e.in_office(date)), best)
        return fits[0]

    def noun_keys(self) -> frozenset[str]:
        """Every key that can be a sector noun or a title ("president", "minister"), computed once."""
        if self._noun_keys is None:
            self._noun_keys = frozenset(
                k for k, cands in self.index.items() if any(e.lex in ("group", "title") for e, _ in cands)
            )
        return self._noun_keys

    def is_name(self, entry: Entry, key: str) -> bool:
        """Is ``key`` the entry's own name (an exact match) rather than one of its aliases?"""
        name = entry.actor.name
        folded = self._folded_names.get(name)
        if folded is None:
            folded = self._folded_names[name] = fold(name)
        return folded == key

    def office_holder(
        self, surname: str, date: dt.date | None, country: str | None = None, sector: str | None = None
    ) -> Entry | None:
        """The one known person with this family name in office at ``date`` (of ``country``, in ``sector``
        when given), for a title before a bare surname; None when nobody or several fit."""
        key = fold(re.sub(r"^(al|el|ad|as)-", "", surname, flags=re.I))
        fits = [
            e for e in self.surnames.get(key, ())
            if (date is None or e.in_office(date))
            and (country is None or e.at(date).country == country)
            and (sector is None or e.at(date).sector == sector)
        ]  # fmt: skip
        return fits[0] if len(fits) == 1 else None

    def fuzzy(
        self, text: str, lexes: Sequence[str] = ("person", "org"), cutoff: float = 88.0
    ) -> tuple[Entry, float] | None:
        """Nearest person/org by transliteration skeleton; score in 0..1, None below the cutoff. A person
        must share the family name ("Si Jin-Pching" ~ "Xi Jinping"; "Juan Carlos Castillo" is no king) and
        no generational suffix may tell them apart ("Donald Trump Jr.")."""
        sk = skeleton(text)
        if len(sk) < 5:
            return None
        exact = [e for e in self._skeletons.get(sk, ()) if e.lex in lexes and _same_family(e, text)]
        if exact:
            return exact[0], 0.9
        hit = process.extractOne(
            sk, self._fuzzy_choices(len(sk), cutoff), scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if hit is None:
            return None
        cands = [e for e in self._skeletons[hit[0]] if e.lex in lexes and _same_family(e, text)]
        return (cands[0], hit[1] / 100.0) if cands else None

    def _fuzzy_choices(self, length: int, cutoff: float) -> list[str]:
        """The skeleton keys a skeleton of ``length`` characters can reach ``cutoff`` against. fuzz.ratio is
        100 * (1 - indel distance / (a + b)) and the distance is at least |a - b|, so a key of length b scores
        at most 200 * min(a, b) / (a + b): most keys cannot reach 88 and need not be scored. The keys keep
        their order, so the first best match is the one the whole list gives."""
        if self._choices_built_for != len(self._skeleton_keys):
            self._choices_by_length.clear()
            self._choices_built_for = len(self._skeleton_keys)
        choices = self._choices_by_length.get((length, cutoff))
        if choices is None:
            # One point of slack: a key at the bound is scored, never dropped on a rounding of the bound.
            choices = [
                k for k in self._skeleton_keys if 200 * min(length, len(k)) / (length + len(k)) >= cutoff - 1
            ]
            self._choices_by_length[length, cutoff] = choices
        return choices

    def same_skeleton(self, entry: Entry, text: str) -> bool:
        """Is ``text`` one of the entry's names seen through transliteration ("Si Jin-Pching" for Xi
        Jinping), not merely near one?"""
        return any(e is entry for e in self._skeletons.get(skeleton(text), ()))

    def resolve(self, text: str, date: dt.date | None = None) -> Resolution:
        """Resolve a mention out of context: exact alias, then fuzzy name, else UNK with its text."""
        text = text.strip()
        key = fold(re.sub(r"^(the|a|an)\s+", "", text, flags=re.I))
        entry = self.lookup(key, text, date=date) or self.lookup(fold(text), text, date=date)
        if entry is not None:
            method = "exact" if self.is_name(entry, key) or self.is_name(entry, fold(text)) else "alias"
            return Resolution(self.actor_of(entry, date), 0.95, method, entry)
        found = self.fuzzy(text)
        if found is not None:
            entry, score = found
            return Resolution(entry.at(date), round(0.9 * score, 3), "fuzzy", entry)
        return Resolution(Actor(f"unknown:{slug(text)}", text, "UNK", None, "unknown"), 0.3, "unknown")

    def person_entry(self, actor_id: str) -> Entry | None:
        """The person entry of an actor id (built once, on first use)."""
        if self._people_by_id is None:
            self._people_by_id = {e.actor.actor_id: e for e in self.entries if e.lex == "person"}
        return self._people_by_id.get(actor_id)

    def actor_of(self, entry: Entry, date: dt.date | None = None, country: str | None = None) -> Actor:
        """The actor an entry stands for; group nouns and titles need a country to be an actor."""
        if entry.lex in ("group", "title"):
            return self.group_actor(country or "UNK", entry.actor.sector)
        if entry.lex == "metonym":
            return self.group_actor(entry.actor.country, "GOV", kind="metonym")
        return entry.at(date)

    def group_actor(self, country: str, sector: str | None, kind: str = "group") -> Actor:
        """The collective actor "<country> <sector>" (Russian scientists, the Kremlin)."""
        if sector is None:
            return self.country_actor(country)
        cname = self.countries[country].actor.name if country in self.countries else country
        return Actor(f"group:{country}-{sector}".lower(), f"{cname} {SECTOR_LABELS.get(sector, sector)}", country,
                     sector, kind)  # fmt: skip

    def country_actor(self, country: str) -> Actor:
        if country in self.countries:
            return self.countries[country].actor
        return Actor(f"country:{country}", country, country, None, "country")


SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _same_family(entry: Entry, text: str) -> bool:
    """Could ``text`` name this entry's person: the same family name, seen through transliteration, and
    no generational suffix the entry lacks? (Organisations pass.)"""
    if entry.lex != "person":
        return True
    words = fold(text).split()
    names = [fold(a).split() for a in entry.aliases if len(fold(a).split()) > 1] or [
        fold(entry.actor.name).split()
    ]
    if words and words[-1] in SUFFIXES and not any(n[-1] == words[-1] for n in names):
        return False
    if len(words) < 2:
        return True
    first = entry.actor.country in FAMILY_NAME_FIRST
    mine = skeleton(words[0] if first else words[-1])
    return any(_close(mine, skeleton(n[0] if first else n[-1])) for n in names)


def _close(a: str, b: str) -> bool:
    """Two skeletons of one family name, allowing a declension ending ("Trumpa", "Putinem")."""
    short, long = sorted((a, b), key=len)
    return bool(short) and long.startswith(short) and len(long) - len(short) <= 2


# ---------------------------------------------------------------------------------------------
# Loading


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.lstrip().startswith("#"))
        for number, row in enumerate(csv.DictReader(lines), start=2):
            yield number, {k: (v or "").strip() for k, v in row.items() if k}


def _check(path: Path, where: object, country: str | None, sector: str | None) -> None:
    if country and not (re.fullmatch(r"[A-Z]{3}", country)):
        raise KnowledgeBaseError(f"{path}: entry {where}: country {country!r} is not a 3-letter code",
                                 hint="use an ISO 3166 alpha-3 code such as RUS, or IGO")  # fmt: skip
    if sector and sector not in SECTORS:
        raise KnowledgeBaseError(f"{path}: entry {where}: unknown sector {sector!r}",
                                 hint=f"use one of {', '.join(SECTORS)}")  # fmt: skip


def _load_countries(kb: KnowledgeBase, path: Path) -> None:
    for number, row in _rows(path):
        iso, name = row["iso3"], row["name"]
        _check(path, number, iso, None)
        if iso not in SPECIAL_COUNTRIES:  # "Western ..." companies are not of the West
            for word in (name, *_split(row.get("aliases")), *_split(row.get("demonyms"))):
                kb.national_words.setdefault(fold(word), iso)
        actor = Actor(f"country:{iso}", name, iso, None, "country")
        kb.add(Entry(actor, "country", (name, *_split(row.get("aliases"))), source=str(path)))
        if row.get("demonyms"):
            kb.add(Entry(actor, "demonym", tuple(_split(row["demonyms"])), source=str(path)))
        if row.get("metonyms"):
            metonym = Actor(f"group:{iso.lower()}-gov", f"{name} government", iso, "GOV", "metonym")
            kb.add(Entry(metonym, "metonym", tuple(_split(row["metonyms"])), source=str(path)))


def _org_entry(path: Path, where: object, data: dict[str, Any]) -> Entry:
    name = str(data.get("name") or "").strip()
    if not name:
        raise KnowledgeBaseError(f"{path}: entry {where} has no name", hint="every actor needs a name")
    country = str(data.get("country") or "").strip() or None
    sector = str(data.get("sector") or "").strip() or None
    _check(path, where, country, sector)
    aliases = data.get("aliases") or []
    aliases = _split(aliases) if isinstance(aliases, str) else [str(a) for a in aliases]
    actor_id = str(data.get("actor_id") or data.get("id") or f"org:{slug(name)}")
    actor = Actor(actor_id, name, country or "UNK", sector, str(data.get("kind") or "organization"))
    roles = _sector_changes(path, where, sector, str(data.get("since") or ""))
    return Entry(actor, "org", (name, *aliases), roles, after=None, source=str(path))


def _sector_changes(path: Path, where: object, sector: str | None, since: str) -> tuple[Role, ...]:
    """A body whose sector changed on a date ("GOV@2021-08-15": the Taliban took power; "REB@2023-04-15":
    Sudan's RSF turned on the army), as dated roles: the first sector until the change, then the next."""
    if not since:
        return ()
    changes = []
    for part in _split(since):
        new_sector, _, day = part.partition("@")
        _check(path, where, None, new_sector)
        date = _date_of(path, where, day)
        if date is None:
            raise KnowledgeBaseError(f"{path}: entry {where}: 'since' needs SECTOR@YYYY-MM-DD, not {part!r}")
        changes.append((date, new_sector))
    changes.sort()
    roles, start, current = [], None, sector or "UNK"
    for date, new_sector in changes:
        roles.append(Role(current, "", start, date))
        start, current = date, new_sector
    roles.append(Role(current, "", start, None))
    return tuple(roles)


def _date_of(path: Path, where: object, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise KnowledgeBaseError(
            f"{path}: entry {where}: bad date {value!r}", hint="write YYYY-MM-DD"
        ) from exc


def _load_leaders(kb: KnowledgeBase, path: Path) -> None:
    """leaders.csv: one row per post held; rows sharing a name form one person."""
    people: dict[str, list[dict[str, str]]] = {}
    for number, row in _rows(path):
        _check(path, number, row["country"], row["sector"])
        people.setdefault(row["name"], []).append(row)
    for name, rows in people.items():
        roles = tuple(
            Role(r["sector"], r.get("title", ""), _date_of(path, name, r.get("start")), _date_of(path, name, r.get("end")),
                 r["country"])
            for r in rows
        )  # fmt: skip
        latest = max(roles, key=lambda r: r.start or dt.date.min)
        home = next((r.country for r in sorted(roles, key=lambda r: r.start or dt.date.min, reverse=True)
                     if r.country != "IGO"), latest.country)  # fmt: skip
        aliases = [a for r in rows for a in _split(r.get("aliases"))]
        actor = Actor(f"person:{slug(name)}", name, home or "UNK", latest.sector, "person")
        kb.add(Entry(actor, "person", (name, *dict.fromkeys(aliases)), roles, source=str(path)))


def _load_sectors(kb: KnowledgeBase, path: Path) -> None:
    for number, row in _rows(path):
        term, sector, kind = row["term"], row["sector"], row.get("type") or "group"
        _check(path, number, None, sector)
        actor = Actor(f"sector:{sector.lower()}", term, "UNK", sector, kind)
        alone = row.get("alone")
        kb.add(Entry(actor, kind, (term,), alone=alone == "y", lent=alone != "p", source=str(path)))


def _load_yaml(kb: KnowledgeBase, path: Path, rank: int = RANK_CURATED) -> None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or []
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path}: not valid YAML: {exc}", hint="check the indentation") from exc
    if isinstance(data, dict):  # {people: [...], orgs: [...]} or a single entry
        data = (
            [*(data.get("people") or []), *(data.get("orgs") or [])]
            if "people" in data or "orgs" in data
            else [data]
        )
    info = PackInfo(path.stem)
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise KnowledgeBaseError(f"{path}: entry {number} is not a mapping", hint="see docs/actors.md")
        is_person = (
            "roles" in item
            or str(item.get("kind", "")) == "person"
            or str(item.get("id", "")).startswith("person:")
        )
        item = {**item, "kind": "person"} if is_person else item
        if is_person and item.get("after") is None:
            item["after"] = "ELI"
        add_pack_actor(kb, actor_from_mapping(path, number, item), info, rank, str(path))


def add_pack_actor(kb: KnowledgeBase, actor: PackActor, info: PackInfo, rank: int, source: str = "") -> None:
    """Add one pack actor as a knowledge-base entry (an agent noun as a sector noun, a country's extra
    names to the country)."""
    source = source or info.name
    until = info.until if rank == RANK_PACK else None
    names = (actor.name, *actor.aliases)
    if actor.kind == "agent":
        _add_agent(kb, actor.name, names, actor.sector, source, rank, actor.keys)
        return
    if actor.kind == "country":
        kb.add(Entry(kb.country_actor(actor.country), "country", names, source=source, rank=rank))
        return
    if actor.kind != "person":
        org = Actor(actor.id, actor.name, actor.country, actor.sector, actor.kind)
        kb.add(Entry(org, "org", names, source=source, rank=rank, until=until), actor.keys)
        return
    roles = tuple(Role(r.sector, r.title, r.start, r.end, r.country) for r in actor.roles)
    latest = max(roles, key=lambda r: r.start or dt.date.min) if roles else None
    sector = actor.sector or (latest.sector if latest else None)
    person = Actor(actor.id, actor.name, actor.country, sector, "person")
    after = actor.after or ("ELI" if rank != RANK_PACK else None)
    kb.add(Entry(person, "person", names, roles, before=actor.before, after=after or "ELI", source=source,
                 rank=rank, until=until), actor.keys)  # fmt: skip


def _load_shipped_pack(kb: KnowledgeBase, path: Path) -> None:
    """A pack shipped in the package: built and checked by ``detente kb build``, with compiled keys, so
    each line becomes an entry directly (the Phoenix pack's 29,000 lines load in a fraction of a second)."""
    day = dt.date.fromisoformat
    until = None
    source = path.name
    with gzip.open(path, "rb") as handle:
        for line in handle:
            data = json_loads(line)
            if "pack" in data:
                until = day(data["until"]) if data.get("until") else None
                continue
            kind, name, keys = data["kind"], data["name"], data.get("keys", ())
            names = (name, *data.get("aliases", ()))
            keys = tuple(map(tuple, keys))
            if kind == "agent":
                _add_agent(kb, name, names, data.get("sector"), source, RANK_PACK, keys)
            elif kind == "person":
                roles = tuple(
                    Role(r["sector"], r.get("title", ""), day(r["start"]) if "start" in r else None,
                         day(r["end"]) if "end" in r else None, r.get("country"))
                    for r in data.get("roles", ())
                )  # fmt: skip
                sector = data.get("sector") or (max(roles, key=_role_start).sector if roles else None)
                person = Actor(data["id"], name, data["country"], sector, "person")
                kb.add(Entry(person, "person", names, roles, before=data.get("before"), after=data.get("after") or "ELI",
                             source=source, rank=RANK_PACK, until=until), keys)  # fmt: skip
            elif kind == "country":
                kb.add(
                    Entry(kb.country_actor(data["country"]), "country", names, source=source, rank=RANK_PACK),
                    keys,
                )
            else:
                org = Actor(data["id"], name, data["country"], data.get("sector"), kind)
                kb.add(Entry(org, "org", names, source=source, rank=RANK_PACK, until=until), keys)


def _add_agent(
    kb: KnowledgeBase, name: str, names: tuple[str, ...], sector: str | None, source: str, rank: int,
    keys: Sequence[tuple[str, int]] = (),
) -> None:  # fmt: skip
    """An agent noun: its singular is a title ("chief Hassan Nasrallah", "farmer X"), its plurals name
    groups ("farm workers"); both need a country from the phrase or the sentence."""
    keys = keys or alias_keys(names, rank)
    group = Actor(f"sector:{(sector or 'unk').lower()}", name, "UNK", sector, "group")
    kb.add(Entry(group, "title", names[:1], alone=False, source=source, rank=rank), keys[:1])
    if len(names) > 1:
        kb.add(Entry(group, "group", names[1:], alone=False, source=source, rank=rank), keys[1:])


def _role_start(role: Role) -> dt.date:
    return role.start or dt.date.min


def load_file(kb: KnowledgeBase, path: Path, rank: int = RANK_USER) -> None:
    """Add one user file to the knowledge base: a pack (.jsonl, .jsonl.gz, .csv) or YAML."""
    if not path.exists():
        raise KnowledgeBaseError(f"{path}: no such actor file", hint="check the path")
    if path.suffix.lower() in (".yaml", ".yml"):
        _load_yaml(kb, path, rank)
    elif path.parent == PACK_DIR and path.name.endswith(".jsonl.gz"):
        _load_shipped_pack(kb, path)
    elif path.name.lower().endswith(PACK_SUFFIXES):
        pack = read_pack(path)
        for actor in pack.actors:
            add_pack_actor(kb, actor, pack.info, rank, str(path))
    else:
        raise KnowledgeBaseError(
            f"{path}: actor files are packs (.jsonl, .jsonl.gz, .csv) or .yaml", hint="see docs/actors.md"
        )


def pack_path(name: str | Path) -> Path:
    """A shipped pack by name ("phoenix") or a pack file by path."""
    text = str(name)
    if "/" not in text and os.sep not in text and not text.endswith(PACK_SUFFIXES):
        shipped = PACK_DIR / f"{text}.jsonl.gz"
        if not shipped.exists():
            known = ", ".join(sorted(p.name.removesuffix(".jsonl.gz") for p in PACK_DIR.glob("*.jsonl.gz")))
            raise KnowledgeBaseError(
                f"no shipped actor pack {text!r}", hint=f"shipped packs: {known or 'none'}"
            )
        return shipped
    return Path(text)


def build_kb(extra: Sequence[str | Path] = (), packs: Sequence[str | Path] = DEFAULT_PACKS) -> KnowledgeBase:
    """A fresh knowledge base: the curated data, the ``packs`` (shipped names or paths) below it, and
    ``extra`` user files above it (later files add aliases)."""
    kb = KnowledgeBase()
    _load_countries(kb, DATA_DIR / "countries.csv")
    for _, row in _rows(DATA_DIR / "orgs.csv"):
        kb.add(_org_entry(DATA_DIR / "orgs.csv", row.get("actor_id"), row))
    for number, row in _rows(DATA_DIR / "ethnic.csv"):
        countries = _split(
            row["country"]
        )  # "ZWE|MOZ": the usual country first, the sentence may pick another
        for country in countries:
            _check(DATA_DIR / "ethnic.csv", number, country, None)
        kb.ethnic_countries[fold(row["term"])] = tuple(countries)
        kb.add(Entry(kb.country_actor(countries[0]), "demonym", (row["term"],), source="ethnic.csv"))
    for _, row in _rows(DATA_DIR / "nonactors.csv"):
        kb.add(
            Entry(
                Actor(f"none:{slug(row['term'])}", row["term"], "UNK", None, "none"), "ignore", (row["term"],)
            )
        )
    _load_yaml(kb, DATA_DIR / "people.yaml")
    _load_leaders(kb, DATA_DIR / "leaders.csv")
    _load_sectors(kb, DATA_DIR / "sectors.csv")
    for name in packs:
        pack = pack_path(name)
        load_file(kb, pack, RANK_PACK if pack.parent == PACK_DIR else RANK_USER)
    for path in extra:
        load_file(kb, Path(path))
    return kb


@lru_cache(maxsize=8)
def _cached(extra: tuple[str, ...], stamp: tuple[float, ...], packs: tuple[str, ...]) -> KnowledgeBase:
    return build_kb(extra, packs)


def user_dir() -> Path:
    """Where ``detente actors add`` keeps users' actor files ($DETENTE_HOME/actors, default ~/.detente)."""
    return Path(os.environ.get("DETENTE_HOME") or Path.home() / ".detente") / "actors"


def user_files() -> list[Path]:
    folder = user_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.lower().endswith((*PACK_SUFFIXES, ".yaml", ".yml")))


def load_kb(extra: Sequence[str | Path] = (), packs: Sequence[str | Path] = DEFAULT_PACKS) -> KnowledgeBase:
    """The knowledge base for this process: built-in data, the ``packs``, files added with ``detente
    actors add``, ``$DETENTE_ACTORS`` and ``extra``; built once per set of files (and their mtimes),
    then cached."""
    env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    files = tuple(str(p) for p in (*user_files(), *env, *extra))
    stamp = tuple(Path(f).stat().st_mtime if Path(f).exists() else 0.0 for f in files)
    return _cached(files, stamp, tuple(str(p) for p in packs))
