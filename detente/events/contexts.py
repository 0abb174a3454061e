"""PLOVER context codes for an event, from the words of its sentence.

The manual's contexts ("why": military, economic, intelligence, ...) are usually coded at the
sentence or paragraph level; we tag a sentence with every context whose keywords it contains. The
keywords are written from the manual's context table (PLOVER_MANUAL.tex, "General contexts").
One set intersection per sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from spacy.tokens import Span as SpacySpan

CONTEXT_KEYWORDS: Mapping[str, frozenset[str]] = {
    "military": frozenset({"military", "army", "troop", "soldier", "navy", "air force", "defence", "defense",
                           "warhead", "missile", "tank", "artillery", "weapon", "arm"}),
    "intelligence": frozenset({"intelligence", "spy", "spying", "espionage", "counterintelligence", "fsb", "cia",
                               "kgb", "agent", "counter-intelligence", "secret"}),
    "economic": frozenset({"economy", "economic", "trade", "export", "import", "tariff", "oil", "gas", "investment",
                           "finance", "loan", "debt", "market", "customer", "grant", "dollar"}),
    "legal": frozenset({"court", "judge", "tribunal", "law", "lawsuit", "trial", "prosecutor", "judiciary",
                        "constitutional"}),
    "election": frozenset({"election", "vote", "ballot", "candidate", "campaign", "electoral"}),
    "diplomatic": frozenset({"diplomatic", "ambassador", "embassy", "envoy", "diplomat", "minister", "summit"}),
    "human_rights": frozenset({"rights", "amnesty"}),
    "terrorism": frozenset({"terror", "terrorist", "terrorism", "qaeda", "bomber", "militant"}),
    "cbrn": frozenset({"nuclear", "chemical", "biological", "radiological", "uranium"}),
    "cyber": frozenset({"cyber", "hacker", "hack", "hacking", "website", "cyberattack"}),
    "technology": frozenset({"chip", "technology", "software", "semiconductor"}),
    "territory": frozenset({"territory", "territorial", "border", "annexation", "occupied"}),
    "peacekeeping": frozenset({"peacekeeping", "peacekeeper", "unifil"}),
    "migration": frozenset({"refugee", "migrant", "migration", "displace"}),
    "asylum": frozenset({"asylum"}),
    "health": frozenset({"health", "disease", "epidemic", "hospital", "medicine", "vaccine"}),
    "natural_resource": frozenset({"water", "oil", "mining", "mineral", "resource"}),
    "repression": frozenset({"crackdown", "repression", "torture", "detainee"}),
    "crime": frozenset({"crime", "criminal", "gang", "fraud", "kickback"}),
    "corruption": frozenset({"corruption", "bribery", "kickback"}),
    "religion_ethnicity": frozenset({"ethnic", "religious", "muslim", "christian", "jewish", "tamil", "kurd"}),
}  # fmt: skip


@lru_cache(maxsize=64)
def _contexts(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(name for name, keys in CONTEXT_KEYWORDS.items() if not words.isdisjoint(keys))


def contexts_for(sent: SpacySpan) -> tuple[str, ...]:
    """Context codes whose keywords occur (as lemmas or lower-cased words) in the sentence."""
    return _contexts(frozenset({t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}))
