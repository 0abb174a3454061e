"""The article around a mention: the country a phrase does not name itself, from the story it is in.

News names a country once and then writes "authorities", "passengers", "the rebels", "police", or a
person's name without a nationality. A reader takes the country from the story. This module does the
same, conservatively (a wrong country is worse than UNK):

- the *story's country* is the one the article names far more than any other (``focus_country``): at
  least ``FOCUS_MIN`` mentions by countries, nationality words, capitals and known people and bodies, and
  at least ``FOCUS_RATIO`` times the next; a story about two countries has none;
- an agent noun or an unknown person whose sentence names no country (the sentence rule is in
  ``matching``) takes the story's country, at a lower confidence, with ``+context`` in its reason;
- nothing that names its own country, no IGO, no coreferent mention, no people of several countries.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

from spacy.tokens import Doc

from detente.actors.bylines import OWN
from detente.actors.coreference import SAY_VERBS
from detente.actors.knowledge_base import KnowledgeBase
from detente.actors.matching import DATELINE, DATELINE_AGENCY_CHARS, UNPLACED, body_title, stateless
from detente.records import ActorRef

FOCUS_MIN = 3
FOCUS_RATIO = 2.5
STORY_FACTOR = 0.75  # confidence of a country taken from the story, relative to the mention's own
STORY_MIN_CONFIDENCE = 0.38  # above the default min_confidence (0.35): kept, but the first to go
STATE_KINDS = frozenset({"country", "metonym", "place", "person", "institution", "party", "outlet"})
# What names a story's country when it carries one of its own: states and their people and bodies, sector
# nouns, and bodies named with their country ("the Bank of England").
COUNTED_KINDS = STATE_KINDS | {"group", "organization"}
# Refs that may take the story's country: nouns of a sector ("authorities", "passengers"), people and
# bodies the knowledge base does not know.
OPEN_REASONS = frozenset({"agent noun", "unknown"})


def may_be_party(ref: ActorRef) -> bool:
    """May the event coder take this ref as a source or target? Not an UNPLACED sector noun: offered to the
    event roles, such refs took the place of parties the text does place (news both countries right 0.757 ->
    0.732 by nested CV, twentieth session). Nor the city of a dateline ("KYIV, March 20 — Ukraine accused
    ..."): where the story was filed, which the parser at times makes the subject."""
    return ref.reason not in (UNPLACED, DATELINE)


def story_countries(refs: Iterable[ActorRef]) -> Counter[str]:
    """How often the article names each country, by refs that carry a country of their own."""
    counts: Counter[str] = Counter()
    for ref in refs:
        if (
            ref.country in ("UNK", "IGO", "WST")
            or ref.reason == "coreference"
            or ref.reason.endswith(("+context", OWN))  # lent, or the outlet's own staff (bylines.py)
        ):
            continue
        if ref.kind in COUNTED_KINDS and ref.kind != "outlet":  # an outlet says who reports, not about whom
            counts[ref.country] += 1
    return counts


def focus_country(counts: Counter[str]) -> str | None:
    """The country a story is about, when one dominates; None for a story about several."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < FOCUS_MIN:
        return None
    if len(ranked) > 1 and ranked[0][1] < FOCUS_RATIO * ranked[1][1]:
        return None
    return ranked[0][0]


def open_country(ref: ActorRef) -> bool:
    """Does this ref lack a country it could take from the story? Not refugees (of another country by
    definition) or detainees and deportees (held or sent away by the story's state), not a body named by
    an acronym the knowledge base lacks ("MINUSCA": often international)."""
    return (
        ref.country == "UNK"
        and ref.reason in OPEN_REASONS
        and ref.kind in ("group", "title", "person", "organization")
        and not stateless(ref)
        and not (ref.kind == "organization" and ref.text.strip().isupper())
        and not body_title(ref)
    )


def with_story_country(
    refs: list[ActorRef], kb: KnowledgeBase, focus: str | None, of_no_country: Callable[[ActorRef], bool] | None = None
) -> list[ActorRef]:  # fmt: skip
    """Refs without a country take the story's, when the story has one (not those ``of_no_country`` says
    are of several or none: "other African leaders", "both forces")."""
    if focus is None:
        return refs
    out = []
    for ref in refs:
        if not open_country(ref) or (of_no_country is not None and of_no_country(ref)):
            out.append(ref)
            continue
        confidence = max(STORY_MIN_CONFIDENCE, round(ref.confidence * STORY_FACTOR, 3))
        if ref.kind == "group" and ref.sector is not None:
            actor = kb.group_actor(focus, ref.sector)
            out.append(ActorRef(ref.text, ref.start, ref.end, actor.actor_id, actor.name, actor.country,
                                actor.sector, actor.kind, confidence, f"{ref.reason}+context"))  # fmt: skip
        else:
            out.append(ActorRef(ref.text, ref.start, ref.end, ref.actor_id, ref.name, focus, ref.sector, ref.kind,
                                confidence, f"{ref.reason}+context"))  # fmt: skip
    return out


# Names many countries' parties share: "the Democratic Party" is Albania's in a story about Albania. (Not
# "Democrats" and "Republicans": in English news those are the American parties.)
GENERIC_PARTY_NAMES = frozenset({
    "democratic party", "socialist party", "labour party", "labor party", "conservative party", "liberal party",
    "people's party", "national party", "green party", "communist party", "republican party", "progressive party",
    "social democratic party", "labour", "labor", "liberals", "conservatives", "greens", "socialists",
})  # fmt: skip


def generic_party(ref: ActorRef) -> bool:
    """A party the knowledge base knows under a name many countries' parties share, named here without a
    country ("the Democratic Party", "Labour"; not "the U.S. Democratic Party")."""
    name = " ".join(w for w in ref.text.lower().split() if w != "the")
    return ref.kind == "party" and name in GENERIC_PARTY_NAMES


def parties_in_context(
    refs: list[ActorRef], sentence_of: Callable[[int], int], focus: str | None
) -> list[ActorRef]:
    """A generic party name keeps its dictionary country only where the story is about that country or its
    sentence names it; in a story about another country it is that country's party when its sentence names
    one country, else of no country the text says (a wrong country is worse than UNK)."""
    named: dict[int, Counter[str]] = {}
    for ref in refs:
        own = not ref.reason.endswith("+context") and ref.reason != "coreference" and not generic_party(ref)
        if own and ref.country not in ("UNK", "IGO", "WST"):
            named.setdefault(sentence_of(ref.start), Counter())[ref.country] += 1
    out = []
    for ref in refs:
        if not generic_party(ref) or ref.country in ("UNK", focus):
            out.append(ref)
            continue
        here = named.get(sentence_of(ref.start), Counter())
        if ref.country in here:
            out.append(ref)
            continue
        others = list(here)
        country = others[0] if len(others) == 1 else (focus or "UNK")
        reason = ref.reason + "+context" if country != "UNK" else "unknown"
        out.append(ActorRef(ref.text, ref.start, ref.end, f"party:{country.lower()}:{ref.actor_id.split(':')[-1]}",
                            ref.text, country, ref.sector, ref.kind, round(ref.confidence * 0.8, 3), reason))  # fmt: skip
    return out


# Words two countries share, with the country each means when the article says nothing more. "Congolese"
# is the Democratic Republic of the Congo's: the annotated news codes it so every time, and that country
# is the one the news reports on. "Congo" alone stays the Republic of the Congo, as the field's country
# table (NGEC) and the synthetic stories have it, though much wire copy means the DRC by it.
SHARED_COUNTRY_WORDS: dict[str, tuple[str, str]] = {"congo": ("COG", "COD"), "congolese": ("COG", "COD")}
# Words of a phrase that say which of the two it is ("the Democratic Republic of Congo", "Congo-Brazzaville").
_SETTLING_WORDS = re.compile(
    r"democratic|republic|\bdrc?\b|\bd\.r\.|brazzaville|kinshasa|zaire", re.IGNORECASE
)
_WORD = re.compile(r"[a-z]+")


def _shared_word(ref: ActorRef) -> tuple[str, str] | None:
    """The two countries a ref's country word may mean, when its own words do not settle which. (A person
    or body the knowledge base knows by name has its own country: "Congolese President Felix Tshisekedi".)"""
    if ref.kind not in {"country", "group", "metonym"} or _SETTLING_WORDS.search(ref.text):
        return None
    pairs = [SHARED_COUNTRY_WORDS[w] for w in _WORD.findall(ref.text.lower()) if w in SHARED_COUNTRY_WORDS]
    return pairs[0] if pairs and ref.country in pairs[0] else None


def shared_country_words(refs: list[ActorRef], kb: KnowledgeBase) -> list[ActorRef]:
    """ "Congo and Rwanda sign peace deal" in a story that names Kinshasa or Tshisekedi is the DRC: a word two
    countries share means the one the article's other actors name, when they name exactly one of them."""
    shared = {id(r): pair for r in refs if (pair := _shared_word(r)) is not None}
    if not shared:
        return refs
    out = []
    for ref in refs:
        pair = shared.get(id(ref))
        if pair is None:
            out.append(ref)
            continue
        named = {r.country for r in refs if id(r) not in shared and r.country in pair}
        if len(named) != 1 or ref.country in named:
            out.append(ref)
            continue
        (code,) = named
        actor = kb.group_actor(code, ref.sector, kind=ref.kind)  # (a country itself when it has no sector)
        out.append(replace(ref, actor_id=actor.actor_id, name=actor.name, country=code))
    return out


# A state's own bodies, as wire copy names them without their country when they are the home state's
# ("ALGIERS (APS) - The Ministry of Foreign Affairs has summoned ...", "The government said ...").
STATE_BODY_HEADS = frozenset({"ministry", "government", "presidency", "cabinet", "parliament", "chancellery"})


def _dateline(refs: list[ActorRef]) -> ActorRef | None:
    """The city of the article's dateline ("HANOI, May 3 (VNA) -"), when it is of a country."""
    return next((r for r in refs if r.reason == DATELINE and r.country not in ("UNK", "IGO", "")), None)


def dateline_country(refs: list[ActorRef]) -> str | None:
    """The country of the article's dateline, if it has one."""
    dateline = _dateline(refs)
    return None if dateline is None else dateline.country


def home_country(refs: list[ActorRef]) -> str | None:
    """The country of the article's dateline, as the state its bare state bodies are. A foreign agency's
    bureau ("NAIROBI, May 3 (Reuters) - South Sudan's president ...") often files about another state, whose
    bodies "the government" then stands for: with a known agency of another country, the dateline's state
    must be the one the article names most. A state's own agency (or one the knowledge base does not know)
    names its home bodies bare whatever it reports on ("KUWAIT (KUNA) - The Ministry ... Iraq ...")."""
    dateline = _dateline(refs)
    if dateline is None:
        return None
    home = dateline.country
    agency = next(
        (r for r in refs if r.kind == "outlet" and 0 <= r.start - dateline.end <= DATELINE_AGENCY_CHARS), None
    )
    if agency is None or agency.country in (home, "UNK", ""):
        return home
    counts = story_countries(refs)
    return home if all(n <= counts[home] for n in counts.values()) else None


def with_home_country(
    nouns: list[ActorRef], kb: KnowledgeBase, refs: list[ActorRef], doc: Doc
) -> list[ActorRef]:
    """A state body of no country after the sentence and the story ("the Foreign Ministry", "the government")
    is the dateline's state's: always when ``home_country`` says the article is the home state's, and in a
    foreign agency's copy when the body reports an act of the dateline's state ("SANTIAGO (Reuters) - Chile
    summoned Argentina's ambassador ..., the foreign ministry said"), which wire copy names first and then
    lets its own ministry tell. (Not an act of another state: "KYIV (Reuters) - Russia launched drones, the
    ministry said" is the victim's ministry telling.)"""
    home, dateline = home_country(refs), dateline_country(refs)
    if dateline is None:
        return nouns
    out = []
    told: set[str] = set()  # heads of bodies that told an act of the dateline's state: "the ministry" again
    for ref in sorted(nouns, key=lambda r: r.start):
        words = re.findall(r"[a-z]+", doc.text[ref.start : ref.end].lower())
        heads = STATE_BODY_HEADS & set(words)
        # (a country the sentence lent yields to a home state's: "HANOI (VNA) - The Ministry of Foreign
        # Affairs met a representative of the Chinese Embassy" is Vietnam's ministry, not China's)
        lent = ref.reason.endswith("+context") and home is not None
        if (ref.country == "UNK" or lent) and ref.sector == "GOV" and heads and ref.kind == "group":
            state = home
            if state is None and (heads & told or _reported_subject_state(doc, ref, refs) == dateline):
                state = dateline
                told |= heads
            if state is not None:
                actor = kb.group_actor(state, ref.sector)
                reason = ref.reason if lent else f"{ref.reason}+context"
                ref = ActorRef(ref.text, ref.start, ref.end, actor.actor_id, actor.name, actor.country,
                               actor.sector, actor.kind, STORY_MIN_CONFIDENCE, reason)  # fmt: skip
        out.append(ref)
    return out


def home_officials(refs: list[ActorRef], home: str | None) -> list[ActorRef]:
    """An official the knowledge base does not know, whose title makes them a state's (a minister, a
    spokesman, a president) and whom neither the sentence nor the story placed, is the home state's when the
    article is the home state's own copy ("TEHRAN (IRNA) - Deputy Foreign Minister Kazem Gharibabadi met the
    Saudi ambassador"): agency copy names its own officials by title alone."""
    if home is None:
        return refs
    return [
        replace(ref, country=home, confidence=STORY_MIN_CONFIDENCE, reason=f"{ref.reason}+context")
        if ref.kind == "person" and ref.country == "UNK" and ref.sector == "GOV" and ref.reason == "unknown"
        and not body_title(ref)
        else ref
        for ref in refs
    ]  # fmt: skip


# Sectors whose bare nouns ("police", "security forces", "riot police") act at home: a reader takes them as
# the state where the story happens when nothing else places them.
DOMESTIC_SECTORS = frozenset({"COP", "MIL", "JUD"})
# Words that make such a force someone else's ("foreign troops", "international forces", "UN peacekeepers").
FOREIGN_WORDS = frozenset({"foreign", "international", "multinational", "un", "u.n.", "peacekeeping", "allied",
                           "coalition", "regional", "african", "western", "nato", "peacekeepers", "mercenaries"})  # fmt: skip


def home_police(refs: list[ActorRef], kb: KnowledgeBase, home: str | None) -> list[ActorRef]:
    """Police and security forces that neither their sentence nor the story placed are the dateline state's,
    when the article is told from it (``home_country``): "BISSAU (Reuters) - ... Police fired tear gas and
    arrested 20 protesters" is Guinea-Bissau's police. Left UNK, the commonest domestic act (an arrest, a
    crowd dispersed) reached no dyad. Only when no other state is named more: a state's own agency reports
    other states' streets too ("ABUJA (Premium Times) - ... In Bissau ... Police fired tear gas")."""
    counts = story_countries(refs)
    if home is None or any(n > counts[home] for n in counts.values()):
        return refs
    out = []
    for ref in refs:
        if (
            ref.country == "UNK"
            and ref.sector in DOMESTIC_SECTORS
            and ref.kind == "group"
            and ref.reason == "agent noun"
            and not stateless(ref)
            and not FOREIGN_WORDS & set(ref.text.lower().split())
        ):
            actor = kb.group_actor(home, ref.sector)
            ref = ActorRef(ref.text, ref.start, ref.end, actor.actor_id, actor.name, actor.country, actor.sector,
                           actor.kind, STORY_MIN_CONFIDENCE, f"{ref.reason}+context")  # fmt: skip
        out.append(ref)
    return out


def _reported_subject_state(doc: Doc, body: ActorRef, refs: list[ActorRef]) -> str | None:
    """The country of a state, or of its government, that is the subject of the clause ``body`` reports
    ("Chile summoned ..., the foreign ministry said" -> CHL), if any."""
    span = doc.char_span(body.start, body.end, alignment_mode="expand")
    if span is None or span.root.dep_ != "nsubj" or span.root.head.lemma_ not in SAY_VERBS:
        return None
    for clause in span.root.head.children:
        if clause.dep_ != "ccomp":
            continue
        for subject in clause.children:
            if subject.dep_ not in ("nsubj", "nsubjpass"):
                continue
            ref = next((r for r in refs if r.start <= subject.idx < r.end), None)
            if (
                ref is not None
                and (ref.kind == "country" or ref.sector == "GOV")
                and ref.country not in ("UNK", "IGO", "WST")
                and ref.reason != "coreference"
                and not ref.reason.endswith("+context")
            ):
                return ref.country
    return None
