"""The states a description of a country can mean by the words that place it: "the Gulf state", "the West
African nation", "the island nation", "the three European countries" (``data/described_regions.csv``).
Coreference takes a described country back only to one of these states, and a counted set ("the three
European countries") only from them."""

from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Doc

DESCRIBED_REGIONS = Path(__file__).parent / "data" / "described_regions.csv"
REGION_PHRASE_WORDS = 3  # "the tiny Western African nation": the longest region phrase read


@functools.cache
def described_regions() -> dict[str, frozenset[str]]:
    """The region words of ``data/described_regions.csv``, each with the states it allows."""
    out: dict[str, frozenset[str]] = {}
    with DESCRIBED_REGIONS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.lstrip().startswith("#"))
        for row in rows:
            members = frozenset(row["members"].split())
            for words in row["words"].split("|"):
                out[words.strip()] = members
    return out


def lower_words(doc: Doc, start: int, end: int) -> list[str]:
    """The doc's tokens ``start`` to ``end`` in lower case (none when the range is empty)."""
    return [doc[i].lower_ for i in range(start, max(start, end))]


def described_states(words: Sequence[str]) -> frozenset[str] | None:
    """The states a description's modifiers allow ("west african" and "island" both constrain; "tiny",
    "impoverished" do not), or None when no modifier places the country."""
    table = described_regions()
    allowed: frozenset[str] | None = None
    for size in range(REGION_PHRASE_WORDS, 0, -1):
        for i in range(len(words) - size + 1):
            members = table.get(" ".join(words[i : i + size]))
            if members is not None:
                allowed = members if allowed is None else allowed & members
    return allowed
