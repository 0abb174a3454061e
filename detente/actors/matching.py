"""Find actor mentions in a parsed doc: knowledge-base matches grouped into whole actor phrases.

Three steps, one pass each over the tokens:

1. *Lexical matches*: the longest knowledge-base key starting at each token (dict lookups over
   folded n-grams, tried only where the first word can start a key).
2. *Named leftovers*: PERSON/ORG/NORP entities (and capitalised name runs) the index missed; people and
   organisations among them go through the transliteration-tolerant fuzzy match, the rest stay UNK.
3. *Phrases*: adjacent items merge into one actor phrase by a few rules: a nationality or possessor before
   a sector noun, title or organisation ("Russian scientists", "Russia's FSB"), a title before a name
   ("President Vladimir Putin"), a sector noun before "of/in + country" ("rebels in the Ivory Coast").
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc

from detente.actors.knowledge_base import FAMILY_NAME_FIRST, RANK_PACK, Entry, KnowledgeBase, fold, slug
from detente.doc_table import DocTable, reading, table_of
from detente.records import Actor, ActorRef
from detente.timex_lexicon import MONTH_WORD

NAMED_LABELS = ("PERSON", "ORG", "NORP", "GPE")
PLACE_MIN_POPULATION = 100_000  # a city named as an actor ("Samarra", "Quetta") must be a sizeable one
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
FORMER = frozenset({"former", "ex", "ousted", "exiled", "deposed", "one-time", "onetime", "erstwhile"})
LOCATIVE = frozenset({"in", "from", "throughout", "across", "inside", "near"})
# "in south Serbia", "in northern Iraq": a direction word may stand between the locative and the place.
DIRECTIONS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                        "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
                        "southeastern", "southwestern"})  # fmt: skip
# After an ethnic group: where it lives ("Ethnic Albanians in south Serbia", "ethnic Turks in Sweden").
_LOCATED = re.compile(
    r"\s+(?:in|from|inside)\s+(?:the\s+)?(?:(?:" + "|".join(sorted(DIRECTIONS)) + r")\s+)?$"
)
MODIFIER_LEXES = frozenset({"country", "demonym", "metonym", "place"})
NOUN_LEXES = frozenset({"group", "title"})
NAME_LEXES = frozenset({"person", "org", "unknown"})
# The reason of a sector noun that neither its phrase, its sentence nor the story placed in a country
# ("Authorities say only rain will put the fires out"), or that takes a country only from its own phrase
# ("families", "immigrants": `sectors.csv` alone = p): an actor of its sector for who-is-involved, but no party
# to an event (context.may_be_party).
UNPLACED = "agent noun+unplaced"
DATELINE = "dateline"  # the reason of the city a story was filed from (_dateline_place): no party
DATELINE_AGENCY_CHARS = 40  # from the end of a dateline's city to its agency: ", May 3, 2025 (Reuters)"
NOT_PERSON = ("org", "country", "metonym", "demonym", "title", "group", "ignore")
TEXT_KEY = "detente.actors.text"
# Base confidence of a phrase by the class of its head.
CONFIDENCE = {"person": 0.95, "org": 0.95, "country": 0.95, "demonym": 0.85, "metonym": 0.8, "group": 0.85,
              "title": 0.8, "unknown": 0.5, "place": 0.9}  # fmt: skip
ALONE_CONFIDENCE = 0.45
# Refugees are by definition not of the country they are in: no country from the sentence or the story.
STATELESS_SECTORS = frozenset({"REF"})
# People held or sent away by a state are not thereby its people ("40 detainees were flown from Guantanamo
# Bay"): like refugees, these nouns take no country from the sentence or the story, only from a modifier.
STATELESS_NOUNS = frozenset({"detainees", "deportees", "detainee", "deportee"})
# A state's missions abroad: the place they are in (after "in", or the sentence's or the story's country)
# is where they are, not whose they are ("the embassy in Kabul" is no Afghan body). Only a modifier
# ("the U.S. embassy", "Israel's consulate", "the embassy of France") gives their country.
DIPLOMATIC_POSTS = frozenset({"embassy", "embassies", "consulate", "consulates", "mission", "missions"})


def stateless(ref: ActorRef) -> bool:
    """Does the ref name people whose country the sentence or the story cannot give?"""
    words = ref.text.lower().split()
    if ref.sector in STATELESS_SECTORS or bool(words and words[-1] in STATELESS_NOUNS):
        return True
    noun = words[: words.index("in")] if "in" in words else words  # "embassy in Nairobi": the embassy
    return bool(noun and noun[-1] in DIPLOMATIC_POSTS)


# Sector nouns that, capitalised, are part of a name rather than a sector ("National Guard",
# "Meteorological Services", "Public Prosecutor"): skipped there.
WEAK_IN_NAMES = frozenset({"services", "service", "national", "nationals", "public", "people", "press", "media",
                           "personnel", "staff", "head", "chief", "director"})  # fmt: skip


@dataclass
class Item:
    """A matched stretch of tokens [start, end) before phrase grouping."""

    start: int
    end: int
    lex: str  # an Entry.lex, or "unknown" for a named entity the knowledge base lacks
    entry: Entry | None = None
    label: str = ""  # NER label of an unknown item
    country: str | None = None  # a place's country (from the gazetteer)
    confidence: float = 1.0
    reason: str = ""  # exact, alias, fuzzy, place, unknown (what made this item)


@dataclass
class Phrase:
    items: list[Item] = field(default_factory=list)
    start: int = 0
    end: int = 0
    possessive_at: int = -1  # index in items after which a "'s" stood
    former: bool = False


@lru_cache(maxsize=200_000)
def _fold_token(text: str) -> str:  # fold(text) for any text (whitespace folds to "" either way), cached
    return "" if text.isspace() else fold(text)


def _token_keys(doc: Doc) -> list[str]:
    return [_fold_token(text) for text in table_of(doc).text]


def lexical_items(doc: Doc, kb: KnowledgeBase, keys: list[str], date: dt.date | None = None) -> list[Item]:
    """Longest knowledge-base matches, left to right, never overlapping. An n-gram grows only while it is
    a prefix of some key, so most tokens cost one set lookup."""
    items: list[Item] = []
    n, free = len(doc), 0  # tokens before ``free`` are matched already
    table = table_of(doc)
    text, idx = doc_text(doc), table.idx
    # A person's name must be the whole name written here, not part of a longer one: "Juan Carlos" in
    # "Juan Carlos Alfonso Castillo" is not the king, "Abdullah" in "Abdullah al-Hashimi" not the Saudi.
    # A one-word pack alias ("Total", "Chance") must be a proper name of one word (see CASE_NAME).
    runs = _name_runs(doc, kb)
    # A token may fold to several words ("al-Shabab" kept whole is "al shabab").
    first_words = kb.first_words
    starts = [k for k, key in enumerate(keys) if key and key.split(" ", 1)[0] in first_words]
    for i in starts:
        if i < free:
            continue  # inside the match before
        found = None
        key = ""
        for j in range(i, min(n, i + kb.max_words)):
            if j > i and table.is_sent_start[j]:
                break  # never across a sentence: "the trial. Lawyer X" is no "trial lawyer"
            if keys[j]:
                key = f"{key} {keys[j]}" if key else keys[j]
                if key not in kb.prefixes:
                    break
                if not kb.index.get(key):
                    continue  # only the start of longer keys: nothing to look up, the n-gram grows
                surface = text[
                    idx[i] : idx[j + 1] if j + 1 < n else len(text)
                ]  # the tokens with their spaces
                proper = all(runs[k] == (k, k + 1) for k in range(i, j + 1))  # each a one-word name
                entry = kb.lookup(key, surface, date=date, proper=proper)
                if entry is not None and entry.lex == "person" and not _whole_name(runs, i, j + 1):
                    entry = kb.lookup(key, surface, NOT_PERSON, date=date, proper=proper)
                if entry is not None and not (
                    key in WEAK_IN_NAMES and table.text[i][:1].isupper() and not table.is_sent_start[i]
                ):
                    found = Item(
                        i, j + 1, entry.lex, entry, reason="exact" if kb.is_name(entry, key) else "alias"
                    )
        if found is not None and found.lex in ("country", "demonym", "metonym") and _after_anti(doc, i):
            found = None  # "anti-Pakistan fighters" are against Pakistan, not of it; "pro-Palestinian" for it
        if found is not None and (
            _start_of_longer_name(table, found, n)
            or _end_of_longer_name(table, found)
            or _part_of_persons_name(table, found, kb)
        ):
            found = None
        if found is not None:
            items.append(found)
            free = found.end
    return items


COMPASS = frozenset({"west", "east", "north", "south"})
# Words that make a longer name of an outlet's ("the Foreign Policy Institute" is no magazine).
BODY_WORDS = frozenset({
    "institute", "center", "centre", "foundation", "council", "university", "society", "association", "fund",
    "program", "programme", "project", "initiative", "school", "college", "academy", "trust", "network",
    "commission", "committee", "bureau", "forum", "club", "prize", "award", "awards",
})  # fmt: skip


# The word a body's name ends on ("Rice University", "Dezan Shira & Associates"; before "of", "for", "on" or
# "in" when the name goes on) says its sector where no dictionary knows the body. Only words of one sector: an
# "Institute" or "Center" is a university's or a think tank's, a "Council" or "Association" an industry's or
# a cause's, a "Group" a company or the International Crisis Group; they stay without a sector.
NAME_HEAD_SECTORS = {
    **dict.fromkeys(("university", "college", "academy", "polytechnic"), "EDU"),
    **dict.fromkeys(("foundation", "alliance", "federation", "initiative", "watch", "ngo", "charity"), "SOC"),
    **dict.fromkeys(("brokerage", "inc", "inc.", "corp", "corp.", "corporation", "company", "ltd", "ltd.", "llc",
                     "plc", "associates", "consultancy", "consulting", "holdings", "airlines", "airways",
                     "industries", "enterprises", "research", "partners"), "BUS"),
    **dict.fromkeys(("hospital", "clinic"), "MED"),
    **dict.fromkeys(("church", "mosque", "diocese"), "REL"),
}  # fmt: skip


def _named_sector(name: str) -> str | None:
    words = name.lower().replace(",", " ").split()
    for cut in ("of", "for", "on", "in"):
        if cut in words[1:]:
            words = words[: words.index(cut, 1)]
    return NAME_HEAD_SECTORS.get(words[-1]) if words else None


def _start_of_longer_name(table: DocTable, item: Item, n: int) -> bool:
    """Is the match only the start of a longer name the dictionaries lack? "the West" in "the West African
    kingdom" (a compass word before a capitalised word), an outlet's name in "the Foreign Policy Institute"."""
    if item.end >= n or not table.text[item.end][:1].isupper():
        return False
    last = table.lower[item.end - 1]
    if last in COMPASS and item.entry is not None and item.entry.actor.country == "WST":
        return True
    return (
        item.entry is not None and item.entry.actor.kind == "outlet" and table.lower[item.end] in BODY_WORDS
    )


# Lower-case words inside Romance and Arabic place names: "Mocimboa da Praia", "Ciudad del Este", "Foz do
# Iguaçu", "Bir el Abd". A place matched just after one, itself after a capitalised word, is a longer name's end.
NAME_PARTICLES = frozenset({"da", "de", "do", "das", "dos", "del", "della", "di", "du", "des", "el", "al"})


def _end_of_longer_name(table: DocTable, item: Item) -> bool:
    """Is a country's name only the end of a longer place name ("New South Wales", "New Mexico")? A
    capitalised "New" or compass word just before it that is no part of the match. Or is a place's name
    the end of a longer one joined by a particle ("Mocimboa da Praia" is not Cape Verde's capital; a country stays:
    "Banco de Mexico")?"""
    if item.start == 0:
        return False
    before = table.text[item.start - 1]
    if item.lex in {"place", "metonym"} and before in NAME_PARTICLES and item.start >= 2:
        return table.text[item.start - 2][:1].isupper()
    if item.lex != "country":
        return False
    return before == "New" or (before.lower() in COMPASS and before[:1].isupper())


# A city is also a family name ("Joseph Muscat", "Javier Lima", "Leila de Lima"), and these countries and
# cities are also people's names ("Jordan Bardella", "Chad Wolf", "Michael Jordan"). Only these open a
# person's name, and only these countries are one: "Botswana Border Security officers", "Gabon Energy",
# "Greenpeace Netherlands" and a sentence's "Citing Liberia" are what the recogniser also calls a PERSON, and
# there the country is the country.
PLACE_LEXES = frozenset({"country", "place", "metonym"})
NAMES_OF_PLACES = frozenset({
    "jordan", "chad", "georgia", "india", "israel", "kenya", "paris", "sydney", "austin", "dallas", "houston",
    "florence", "victoria", "madison", "lincoln", "aurora", "adelaide", "savannah", "brooklyn", "sofia",
})  # fmt: skip


def _name_word(table: DocTable, k: int, titles: frozenset[str]) -> bool:
    """Is token ``k`` a capitalised proper noun that is no title or honorific ("Joseph", not "King")?"""
    word = _fold_token(table.text[k])
    return (
        table.pos[k] == "PROPN"
        and table.text[k][:1].isupper()
        and word not in titles
        and word not in HONORIFICS
    )


def _part_of_persons_name(table: DocTable, item: Item, kb: KnowledgeBase) -> bool:
    """Is a country's or a city's name one name of a person the recogniser reads whole ("Jordan Bardella",
    "Chad Wolf", "Joseph Muscat", "Javier Lima")? Only inside a PERSON entity longer than the match, beside
    proper nouns of the name that are no titles ("Jordan King Abdullah" and "Chad President Mahamat Deby",
    where the recogniser took the country in, keep it), a country or a name's first word only when it is one
    of ``NAMES_OF_PLACES``, and never when the rest is a person the knowledge base knows (then the place was
    a modifier the recogniser took in)."""
    if item.lex not in PLACE_LEXES:
        return False
    titles = kb.noun_keys()
    for start, end, label in table.entities:
        inside = start <= item.start and item.end <= end and end - start > item.end - item.start
        if label != "PERSON" or not inside:
            continue
        place = fold(" ".join(table.text[item.start : item.end]))
        if (item.start == start or item.lex == "country") and place not in NAMES_OF_PLACES:
            return False
        beside = [k for k in (item.start - 1, item.end) if start <= k < end]
        if not all(_name_word(table, k, titles) for k in beside):
            return False
        rest = " ".join(table.text[k] for k in range(start, end) if not item.start <= k < item.end)
        return kb.lookup(fold(rest), rest, ("person",)) is None and kb.fuzzy(rest, ("person",)) is None
    return False


def _after_anti(doc: Doc, i: int) -> bool:
    """Is the token after "anti-" or "pro-"? Against a country, or for it ("pro-Palestinian activists" in
    Istanbul), says nothing of the group's own country."""
    return (i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in ("anti", "pro")) or (
        i >= 1 and doc[i - 1].lower_ in ("anti-", "pro-")
    )


def doc_text(doc: Doc) -> str:
    """The doc's text, read once per doc (``Doc.text`` joins every token on each access)."""
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


# Honorifics written before a name and no part of it: "Mawlawi Hibatullah Akhundzada" is the Hibatullah
# Akhundzada the knowledge base knows, "Dr. Tedros Adhanom Ghebreyesus" the WHO's chief. Like a title, one
# ends the name run before it, so the known name after it counts as the whole name.
HONORIFICS = frozenset({"mawlawi", "maulvi", "mawlana", "maulana", "mullah", "mulla", "sheikh", "shaikh",
                        "sheik", "ayatollah", "hojatoleslam", "haji", "hajji", "rabbi", "pastor", "reverend",
                        "rev", "cardinal", "archbishop", "dr", "prof", "professor"})  # fmt: skip


def _name_runs(doc: Doc, kb: KnowledgeBase) -> list[tuple[int, int] | None]:
    """Per token, the proper name it is part of as (start, end): its named entity, or the run of proper
    nouns around it; titles ("President", "Minister") are not part of a name. None for other tokens."""
    n = len(doc)
    titles = kb.noun_keys()
    table = table_of(doc)
    texts, pos = table.text, table.pos

    def title(k: int) -> bool:  # read only for the tokens of entities and proper nouns
        return texts[k][:1].isupper() and (
            _fold_token(texts[k]) in titles or _fold_token(texts[k]) in HONORIFICS
        )

    out: list[tuple[int, int] | None] = [None] * n
    for ent_start, ent_end, label in table.entities:
        if label not in NAMED_LABELS:
            continue
        start, end = ent_start, _name_end(table.tag, ent_start, ent_end)
        while start < end and (title(start) or not texts[start][:1].isupper()):
            start += 1
        for k in range(start, end):
            out[k] = (start, end)
    # Runs start only at proper nouns; a run's own tokens are taken when the loop reaches them.
    for k in [k for k, tag in enumerate(pos) if tag == "PROPN"]:
        if out[k] is None and not title(k):
            end = k
            while end < n and out[end] is None and pos[end] == "PROPN" and not title(end):
                end += 1
            for m in range(k, end):
                out[m] = (k, end)
    return out


ADVERB_TAGS = frozenset({"RB", "RBR", "RBS"})


def _name_end(tags: list[str], start: int, end: int) -> int:
    """Where a named entity's name ends: never on an adverb. A heading run into its paragraph ("Reaction
    from President Moise Shortly before the press conference, Moise tweeted") makes the recogniser take the
    next sentence's first word into the name ("Moise Shortly"), which then is nobody the knowledge base
    knows and a second person beside Moise for every pronoun after it."""
    while end - 1 > start and tags[end - 1] in ADVERB_TAGS:
        end -= 1
    return end


def _whole_name(runs: list[tuple[int, int] | None], start: int, end: int) -> bool:
    """Does [start, end) cover the whole proper name its tokens are part of (or no name run at all)?"""
    spans = {runs[k] for k in range(start, end)} - {None}
    return all(s >= start and e <= end for s, e in spans)  # type: ignore[misc]


def _is_name_token(token) -> bool:  # type: ignore[no-untyped-def]
    return token.pos_ in ("PROPN", "X") or (token.text[:1].isupper() and token.pos_ == "NOUN")


def named_items(
    doc: Doc,
    kb: KnowledgeBase,
    taken: list[bool],
    date: dt.date | None,
    context: dict[str, float] | None = None,
) -> list[Item]:
    """Named entities (and name-like runs) the lexical pass did not cover, resolved fuzzily or kept UNK."""
    items: list[Item] = []
    table = table_of(doc)
    spans = [
        (
            _given_names_before(doc, kb, taken, s, e) if label == "PERSON" else s,
            _name_end(table.tag, s, e),
            label,
        )
        for s, e, label in table.entities
        if label in NAMED_LABELS
    ]
    # Capitalised multi-token runs the NER missed ("Si Jin-Pching" in a garbled sentence): fuzzy only.
    in_ent = [False] * len(doc)
    for s, e, _ in spans:
        for k in range(s, e):
            in_ent[k] = True
    i, n = 0, len(doc)
    texts = table.text
    propn = [pos == "PROPN" for pos in table.pos]
    while i < n:
        if not taken[i] and not in_ent[i] and propn[i] and texts[i][:1].isupper():
            j = i
            while j < n and not taken[j] and (propn[j] or texts[j] == "-"):
                j += 1
            if j - i >= 2:
                spans.append((i, j, "NAME"))
            elif j - i == 1 and i > 0 and taken[i - 1] and _person_described(doc, i, j, kb):
                spans.append((i, j, "PERSON"))  # "Military spokesperson Chaundry": one word after a title
            i = j
        else:
            i += 1
    for start, end, label in spans:
        k = start
        while k < end:  # maximal runs inside the entity not covered by a lexical match
            if taken[k]:
                k += 1
                continue
            r = k
            while r < end and not taken[r]:
                r += 1
            s, e = k, r
            while s < e and (
                doc[s].lower_ in ("the", "a", "an") or doc[s].is_punct or doc[s].text in POSSESSIVE
                or _fold_token(doc[s].text) in HONORIFICS  # "Mawlawi" left before a name matched after it
            ):  # fmt: skip
                s += 1
            while e > s and (doc[e - 1].is_punct or doc[e - 1].text in POSSESSIVE):
                e -= 1
            if s < e and label == "GPE" and _first_name_before(doc, s, e, taken, in_ent, kb, context):
                s, label = s - 1, "PERSON"  # "Mahad Wasuge" with only "Wasuge" tagged a place
            if s < e and any(_is_name_token(t) for t in doc[s:e]):
                item = _named_item(doc, kb, s, e, label, context)
                if item is not None:
                    items.append(item)
            k = r
    return items


# Courtesy words before a family name, which are no given names ("Ms. Alinejad", "Madame Diallo").
COURTESY_TITLES = frozenset({"mr", "ms", "mrs", "miss", "dr", "sir", "dame", "madam", "madame", "monsieur"})


def _given_names_before(doc: Doc, kb: KnowledgeBase, taken: list[bool], s: int, e: int) -> int:
    """Where a person's name starts when the recogniser left its first given names out ("Venezuelan Attorney
    General Tarek [William Saab]"): the capitalised proper nouns just before it that the parse makes part of
    the name, up to a title. Left out, the given name stood alone and the title's country never reached the
    person, who then acted as a second, unknown actor."""
    titles = kb.noun_keys()
    while s > 0:
        t = doc[s - 1]
        if (
            taken[t.i] or t.pos_ != "PROPN" or not t.text[:1].isupper() or t.ent_type_ not in ("", "PERSON")
            or t.dep_ != "compound" or not s <= t.head.i < e
            or _fold_token(t.text) in titles or _fold_token(t.text) in HONORIFICS
            or "." in t.text or t.lower_ in COURTESY_TITLES  # "Ms. Alinejad" is Alinejad, named before
        ):  # fmt: skip
            break
        s -= 1
    return s


def _named_item(
    doc: Doc, kb: KnowledgeBase, s: int, e: int, label: str, context: dict[str, float] | None = None
) -> Item | None:
    text = doc[s:e].text
    if label in ("GPE", "ORG", "NAME") and _person_described(doc, s, e, kb):
        label = "PERSON"  # "Turkish presidential adviser Mesut Casin", the name tagged a place or a body
    elif label == "NAME" and _apposed_person(doc, s, e, kb):
        label = "PERSON"  # "Nop Vy, the association's executive director, told VOA": no entity, but a person
    if label in ("PERSON", "ORG", "NAME"):
        lexes = ("person",) if label == "PERSON" else ("org",) if label == "ORG" else ("person", "org")
        found = kb.fuzzy(text, lexes)
        if found is not None and (kb.same_skeleton(found[0], text) or _fuzzy_supported(found[0], context)):
            entry, score = found
            return Item(s, e, entry.lex, entry, label, confidence=round(0.9 * score, 3), reason="fuzzy")
    if (label in ("GPE", "ORG") and not text.isupper()) or (label == "PERSON" and _after_place_word(doc, s)):
        # ("PISA" the survey is not Pisa the city; "Police in Kitwe" with the town tagged a person is in it)
        # A city or province the knowledge base lacks ("Quetta", "Balochistan", or an ORG mislabel of one)
        # stands for its country, as PLOVER codes places named as actors.
        country = _place_country(text, context)
        if country is not None:
            return Item(s, e, "place", None, label, confidence=0.7, country=country, reason="place")
    if label == "NAME" and e - s >= 2 and _ends_on_state_body(doc, e):
        label = (
            "ORG"  # "the Anti-Corruption Agency (of Kazakhstan)": a body's name the recogniser did not tag
        )
    if label in ("NAME", "GPE") or any(c.isdigit() for c in text) or kb.lookup(fold(text), text, NOUN_LEXES):
        return None  # weapons ("S-400"), dates, or a leftover sector noun ("National") are not actors
    if _given_name(doc, s):
        return None  # "drills, code-named Joint Sword-2024B": an operation's name, not a person's
    return Item(s, e, "unknown", None, label, reason="unknown")


# Words after which a name is where something is, not someone ("police in Kitwe", "clashes near Goma"):
# a name the parser tagged a person there is read as a place when the gazetteer knows one by it.
PLACE_WORDS = frozenset({"in", "near", "outside", "inside", "across", "throughout"})


def _after_place_word(doc: Doc, s: int) -> bool:
    return s > 0 and doc[s - 1].lower_ in PLACE_WORDS


NAMING_WORDS = frozenset({"named", "dubbed", "called", "nicknamed"})
# What is given a name that is no actor's: operations, exercises, plans, ships, storms.
NAMED_THINGS = frozenset({"operation", "exercise", "drill", "plan", "mission", "program", "programme", "campaign",
                          "offensive", "project", "initiative", "ship", "vessel", "missile", "system", "storm",
                          "hurricane", "typhoon", "cyclone", "scheme", "app", "application"})  # fmt: skip


def _given_name(doc: Doc, s: int) -> bool:
    """Is the name at ``s`` the name a thing is given ("drills, code-named Joint Sword", "an operation dubbed
    Iron Swords")? A code name always is; a name given to a person stays one ("a thief named Nora Kis")."""
    before = [t for t in doc[max(0, s - 4) : s] if not t.is_punct or t.text == "-"]
    if not before:
        return False
    word = before[-1]
    if word.lower_ == "codenamed" or (
        word.lower_ == "named" and len(before) > 2 and before[-3].lower_ == "code"
    ):
        return True
    return word.lower_ in NAMING_WORDS and word.head.lemma_.lower() in NAMED_THINGS


# Nouns that say a name after them is a person's, though they name no sector ("presidential adviser Mesut
# Casin", "opposition politician Mmusi Maimane"); the sector nouns and titles of the knowledge base count too.
PERSON_NOUNS = frozenset({"adviser", "advisor", "aide", "politician", "activist", "analyst", "expert", "lawyer",
                          "attorney", "businessman", "businesswoman", "tycoon", "billionaire", "candidate",
                          "nominee", "economist", "scholar", "researcher", "professor", "academic", "writer",
                          "author", "novelist", "poet", "artist", "singer", "musician", "rapper", "actor",
                          "actress", "filmmaker", "photographer", "blogger", "dissident", "campaigner",
                          "negotiator", "strategist", "consultant", "entrepreneur", "executive", "banker",
                          "defendant", "suspect", "witness", "survivor", "victim", "mother", "father", "pastor",
                          "imam", "rabbi", "cleric", "priest", "coach", "athlete", "player", "footballer",
                          "journalist", "reporter", "editor", "official", "diplomat", "lawmaker", "legislator",
                          "commander", "officer", "soldier", "judge", "prosecutor"})  # fmt: skip


def person_noun(token, kb: KnowledgeBase) -> bool:  # type: ignore[no-untyped-def]
    """A singular common noun that says who the name after it is ("adviser", "journalist", "minister")."""
    if token.tag_ != "NN" or not token.text.islower():
        return False
    word = token.lower_
    return word in PERSON_NOUNS or kb.lookup(word, word, ("title",), proper=False) is not None


def _person_described(doc: Doc, s: int, e: int, kb: KnowledgeBase) -> bool:
    """Is the name [s, e) described as a person by the noun right before it, which modifies it ("adviser
    Mesut Casin")? Not a body's noun ("opposition party Democratic Alliance" is a party)."""
    if s == 0 or e - s > 4:
        return False
    token = doc[s - 1]
    return token.dep_ == "compound" and s <= token.head.i < e and person_noun(token, kb)


def _apposed_person(doc: Doc, s: int, e: int, kb: KnowledgeBase) -> bool:
    """Is the name run [s, e) set beside a noun for a person ("Nop Vy, the association's executive director")?"""
    root = doc[s:e].root
    partner = (
        root.head if root.dep_ == "appos" else next((c for c in root.children if c.dep_ == "appos"), None)
    )
    return partner is not None and not (s <= partner.i < e) and person_noun(partner, kb)


def _first_name_before(
    doc: Doc, s: int, e: int, taken: list[bool], in_ent: list[bool], kb: KnowledgeBase,
    context: dict[str, float] | None,
) -> bool:  # fmt: skip
    """A one-word place the gazetteer does not know, right after a capitalised proper noun no entity or match
    covers and that modifies it ("Mahad Wasuge is the executive director", with "Wasuge" tagged GPE): the
    two are a person's name."""
    if s == 0 or e - s != 1 or taken[s - 1] or in_ent[s - 1]:
        return False
    first, last = doc[s - 1], doc[s]
    if not (
        first.pos_ == "PROPN" and first.is_alpha and first.text[:1].isupper() and not first.text.isupper()
    ):
        return False
    if first.dep_ != "compound" or first.head.i != s or not last.is_alpha:
        return False
    if s >= 2 and doc[s - 2].pos_ == "PROPN" and not doc[s - 2].is_sent_start:
        return False  # a longer run of names: not a first name and a surname
    return _place_country(last.text, context) is None and _place_country(first.text, context) is None


def _fuzzy_supported(entry: Entry, context: dict[str, float] | None) -> bool:
    """A name matched only roughly through its spelling (not the same skeleton) needs the article to name
    the person's country (or, for a body, its country)."""
    countries = {entry.actor.country, *(r.country for r in entry.roles if r.country)}
    return (bool(context) and bool(countries & set(context or ()))) or entry.actor.country == "IGO"


def _place_country(text: str, context: dict[str, float] | None = None) -> str | None:
    """The country of a sizeable city or a province; the article's countries break ties between namesakes
    as the gazetteer weighs them (population first, so "Paris" stays in France)."""
    try:
        from detente.gazetteer import default_gazetteer

        entry = default_gazetteer().resolve(text, context)
    except (ImportError, AttributeError):  # the gazetteer is optional for this stage
        return None
    if entry is None or not entry.country or entry.kind not in ("city", "admin"):
        return None
    if entry.kind == "city" and (entry.population or 0) < PLACE_MIN_POPULATION:
        return None
    return str(entry.country)


def _gap_kind(doc: Doc, a: int, b: int) -> str:
    """What stands between two items: '', 'poss', 'of', 'loc', 'adj' or 'other'."""
    a, b = max(a, 0), min(b, len(doc))  # as doc[a:b] clips
    if a >= b:
        return ""
    table = table_of(doc)
    gap = range(a, b)
    words = table.lower[a:b]
    if words[0] in POSSESSIVE and len(gap) <= 3 and all(_plain_modifier(table, k) for k in gap[1:]):
        return "poss"  # "Russia's FSB", "Lebanon's new President"
    if words in (["of"], ["of", "the"]):
        return "of"
    if len(gap) <= 3 and words[0] in LOCATIVE and all(w in ("the", *DIRECTIONS) for w in words[1:]):
        return "loc"
    if len(gap) <= 2 and all(_plain_modifier(table, k) for k in gap):
        return "adj"
    return "other"


def _plain_modifier(table: DocTable, k: int) -> bool:
    return table.pos[k] in ("ADJ", "NOUN") and table.text[k].islower()


def _mission_abroad(doc: Doc, phrase: Phrase) -> bool:
    """Does the phrase end in a state's mission ("the U.S. embassy", "Israel's consulate", "embassies")? The
    place after it is where it is: left a mention of its own (the story's count of countries keeps it),
    never the mission's country. A capitalised "Mission" after a body's name ("Support and Stabilization
    Mission in Somalia") is part of that body's name and keeps its place."""
    last = phrase.items[-1]
    word = doc[last.start : last.end].text
    if last.lex not in NOUN_LEXES or word.lower() not in DIPLOMATIC_POSTS:
        return False
    before = phrase.items[-2] if len(phrase.items) > 1 else None
    return word.islower() or (before is not None and before.lex in MODIFIER_LEXES)


def _merges(phrase: Phrase, nxt: Item, gap: str, doc: Doc | None = None) -> bool:
    last = phrase.items[-1]
    a, b = last.lex, nxt.lex
    # "the Tourism Authority of Thailand", "Breakthrough Action Nigeria": the country ends the body's own name
    if gap == "" and a == "unknown" and b in ("country", "demonym") and doc is not None:
        return _one_body(doc, last, nxt)
    if gap == "":
        if (
            a == "group"
            and b == "unknown"
            and nxt.label == "PERSON"
            and doc is not None
            and _singular_noun(doc, last)
        ):
            return True  # "Cambodian journalist Mech Dara": a one-person sector noun before a name is a title
        if a in MODIFIER_LEXES and (b in NOUN_LEXES or b in NAME_LEXES):
            if b in ("person", "unknown") and doc is not None and _posted_for(doc, phrase.items[0]):
                return False  # "UN special envoy for Yemen Hans Grundberg": Yemen is the post's, not his
            return not (a == "metonym" and b in ("person", "unknown"))
        if a in ("country", "demonym") and b == "demonym":
            return True  # "Bosnian Serb army", "Kosovo Albanians": the first names the country
        if a == "title" and b in ("person", "unknown") and _is_person(nxt):
            return True
        if a in NOUN_LEXES and b in NOUN_LEXES:
            return True
        if a in ("org", "unknown") and b == "group":
            return True  # "FSB agents", "Ares Leaks hacker group": a named body before a sector noun
        if a == "org" and b == "title":
            return True  # "U.N. Secretary-General Kofi Annan"
        if a == "org" and _is_person(nxt) and doc is not None and _an_office(doc, last):
            return True  # "U.S. President Donald Trump": the office (a Phoenix entry) names its holder
        # "Bush administration"
        return a == "person" and b == "group" and nxt.entry is not None and nxt.entry.actor.sector == "GOV"
    if gap == "poss":
        if a in NOUN_LEXES and b == "title":
            return True  # "the company's chairman", "the party's leader"
        return a in MODIFIER_LEXES | NAME_LEXES and (b in NOUN_LEXES or b in NAME_LEXES)
    if gap == "of":
        if a == "unknown" and b == "country" and doc is not None and _ends_on_state_body(doc, last.end):
            return True  # "the Anti-Corruption Agency of Kazakhstan", "the Border Guard Service of Estonia"
        return (a in NOUN_LEXES or (a in ("person", "unknown") and _has_title(phrase))) and b in (
            "country",
            "metonym",
            "org",
        )
    if gap == "loc":
        if doc is not None and _mission_abroad(doc, phrase):
            return False  # "the U.S. embassy in Bamako": the city stays a mention of its own country
        return a in NOUN_LEXES and b in ("country", "metonym", "place")
    if gap == "adj":
        return a in ("demonym", "country") and b in NOUN_LEXES
    return False


# The words a state body's own name ends on. A name the dictionaries lack, ending on one and followed by
# "of" and a country, is that country's body, as a reader takes "the State Border Service of Azerbaijan".
STATE_BODY_WORDS = frozenset({
    "agency", "bureau", "service", "committee", "ministry", "directorate", "department", "office", "inspectorate",
    "administration", "commission", "authority", "court", "tribunal", "police", "guard", "army", "navy", "command",
    "prosecutor", "procuracy", "chamber", "assembly", "parliament", "senate", "government", "cabinet",
    "presidency", "secretariat", "forces", "force", "gendarmerie", "militia", "council",
})  # fmt: skip


def _ends_on_state_body(doc: Doc, end: int) -> bool:
    """Does the name ending before token ``end`` end on a capitalised state body's word ("... Agency")?"""
    last = doc[end - 1]
    return last.text[:1].isupper() and last.lower_ in STATE_BODY_WORDS


def _one_body(doc: Doc, name: Item, place: Item) -> bool:
    """Does a country end an unknown body's name, after "of" or right after the name ("the Distilled Spirits
    Council of the United States", "Breakthrough Action Nigeria"), the two one ORG entity? Then the body is of
    that country. Not a country inside the name ("Carnegie Russia Eurasia Center" is in Berlin) or after
    another word ("the Inter-Parliamentary Alliance on China" is about China)."""
    table = table_of(doc)
    if name.label != "ORG" or not any(
        label == "ORG" and start <= name.start and place.end == end for start, end, label in table.entities
    ):
        return False
    before = table.lower[place.start - 1] if place.start > name.start else ""
    if before == "the" and place.start - 2 >= name.start:
        before = table.lower[place.start - 2]
    return before == "of" or table.pos[place.start - 1] == "PROPN"


def _singular_noun(doc: Doc, item: Item) -> bool:
    """Is the item a singular common noun ("journalist", not "journalists", not "Russian")?"""
    last = doc[item.end - 1]
    return last.tag_ == "NN" and last.text.islower()


def _an_office(doc: Doc, item: Item) -> bool:
    """Is the item a state office the dictionaries know by its title ("U.S. President", "U.S. Secretary of
    State", "U.S. Defense Secretary")? A person named right after it holds it; a body named so ("the
    Kremlin", "the Pentagon") is no title and stays apart."""
    if item.entry is None or item.entry.actor.kind != "institution":
        return False
    words = [t for t in doc[item.start : item.end] if t.is_alpha]
    return bool(words) and words[-1].text[:1].isupper() and any(t.lower_ in OFFICE_WORDS for t in words)


def _is_person(item: Item) -> bool:
    return item.lex == "person" or item.label in ("PERSON", "NAME")


def _who_clause(doc: Doc, item: Item) -> bool:
    """Does a relative clause opened by "who" describe the name ("Chalida Tajaroensuk, who heads ...")? Only
    people are "who"; the recogniser tags such a name ORG at times."""
    root = doc[item.start : item.end].root
    return any(
        c.dep_ == "relcl" and any(w.dep_ in ("nsubj", "nsubjpass") and w.lower_ == "who" for w in c.children)
        for c in root.children
    )


def _has_title(phrase: Phrase) -> bool:
    return any(i.lex == "title" for i in phrase.items)


def group_phrases(doc: Doc, items: list[Item]) -> list[Phrase]:
    phrases: list[Phrase] = []
    for item in sorted(items, key=lambda x: x.start):
        if phrases:
            cur = phrases[-1]
            gap = _gap_kind(doc, cur.end, item.start) if item.start >= cur.end else "other"
            if (
                gap != "other"
                and doc[cur.end : item.start].text.count("\n") == 0
                and _merges(cur, item, gap, doc)
            ):
                if gap == "poss":
                    cur.possessive_at = len(cur.items)
                cur.items.append(item)
                cur.end = item.end
                continue
        phrases.append(Phrase([item], item.start, item.end))
    for phrase in phrases:
        if not any(i.lex in ("title", "person") or _is_person(i) for i in phrase.items):
            continue
        if any(doc[i.start].lower_ in FORMER for i in phrase.items if i.lex == "title"):
            phrase.former = True  # "former president" is itself a dictionary title
            continue
        prev = phrase.start - 1
        # "former President X", "Former Socialist prime minister X": the cue may stand one word back.
        while prev >= 0 and prev >= phrase.start - 2 and doc[prev].lower_ not in FORMER:
            if doc[prev].pos_ not in ("ADJ", "PROPN") or doc[prev].ent_type_ in ("PERSON", "ORG", "GPE"):
                break
            prev -= 1
        if prev >= 0 and prev >= phrase.start - 2 and doc[prev].lower_ in FORMER:
            phrase.former = True
            phrase.start = prev
    return phrases


_HEAD_RANK = {"person": 0, "org": 1, "unknown": 2, "group": 3, "title": 3, "metonym": 4, "country": 5, "place": 5,
              "demonym": 6}  # fmt: skip


def _span_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text`` off the doc's text by the tokens' offsets, without making the Tokens."""
    if start >= end:
        return ""
    table = table_of(doc)
    return doc_text(doc)[table.idx[start] : table.idx[end - 1] + len(table.text[end - 1])]


def _of_the_head(doc: Doc, head: Item, item: Item) -> bool:
    """Is the item the object of an "of" right after the head ("the Embassy of China", "of the Philippines")?"""
    between = [t.lower_ for t in doc[head.end : item.start]]
    return between in (["of"], ["of", "the"])


def phrase_ref(
    doc: Doc, kb: KnowledgeBase, phrase: Phrase, date: dt.date | None, pending: list[ActorRef] | None = None
) -> ActorRef | None:
    """One ActorRef for a phrase: the head gives identity, modifiers give country, titles give sector.
    A sector noun that names no country ("authorities", "the ministry") is no ref here; with ``pending``
    it is added there, for coreference to claim first and the sentence or the story to give a country."""
    items = phrase.items
    scope = items[phrase.possessive_at :] if phrase.possessive_at > 0 else items
    head = min(scope, key=lambda i: (_HEAD_RANK[i.lex], -items.index(i) if i.lex in NOUN_LEXES else 0))
    for prev, cur in itertools.pairwise(scope):
        if cur.lex == "group" and prev.lex in ("org", "person"):
            head = cur  # "FSB agents", "al-Qaeda leaders", "Bush administration": the noun is the actor
    modifiers = [i for i in items if i is not head]
    if head.lex in NOUN_LEXES and _span_text(doc, head.start, head.end).lower() in DIPLOMATIC_POSTS:
        # "Israel's consulate in Istanbul", "the embassy in Kabul": the place after a mission is where it
        # is, not whose it is; only a word before it, or its "of" ("the Embassy of China in Hanoi"), gives
        # its country.
        modifiers = [i for i in modifiers if i.end <= head.start or _of_the_head(doc, head, i)]
    mod_country = next((_country_of(kb, i, date) for i in modifiers if _country_of(kb, i, date)), None)
    hyphenated = _american_of_origin(doc, items)
    if hyphenated is not None:
        mod_country = hyphenated
    title = next((i for i in items if i.lex == "title" and i is not head), None)
    span = doc[phrase.start : phrase.end]
    phrase_text = _span_text(doc, phrase.start, phrase.end)  # span.text, without making its Tokens
    confidence = head.confidence * CONFIDENCE[head.lex]
    actor: Actor
    holder: Entry | None = None
    if head.lex == "person" and head.entry is not None:
        actor = head.entry.at(date)
        in_office = date is None or any(r.active(date) for r in head.entry.roles)
        surname = _span_text(doc, head.start, head.end)
        if title is not None and title.entry is not None and not in_office and " " not in surname:
            # "President Bush" in 1990 is the Bush in office then, not the one the alias names.
            holder = kb.office_holder(surname, date, mod_country, title.entry.actor.sector)
            if holder is not None:
                actor, in_office = holder.at(date), True
        written = _title_in_name(kb, doc[head.start : head.end]) if title is None else None
        if written is not None and not phrase.former and not in_office:
            # "President Barack Obama" in 2019, "Egyptian President Mohamed Morsi" in 2021 (a dictionary alias
            # that holds the title): news writes the post without "former" when it tells of the tenure.
            actor = Actor(actor.actor_id, actor.name, actor.country, written, "person")
        if title is not None and title.entry is not None and not phrase.former and not in_office:
            # The text's title speaks when the knowledge base has no post for that date ("President Bush", 1990);
            # "Hezbollah chief X": a leader of a body is of the body's sector, not GOV.
            sector = title.entry.actor.sector
            body = next((i.entry.actor for i in modifiers if i.lex == "org" and i.entry is not None), None)
            if sector == "GOV" and body is not None and body.sector not in (None, "GOV"):
                sector = body.sector
            actor = Actor(actor.actor_id, actor.name, actor.country, sector, "person")
    elif head.lex == "org" and head.entry is not None:
        actor = (
            head.entry.at(date) if date is not None else head.entry.actor
        )  # the Taliban: REB, GOV from 2021
        if actor.kind == "ngo" and actor.actor_id.startswith("org:ngo-") and mod_country:
            actor = kb.group_actor(mod_country, "SOC")  # "Russian rights groups": domestic civil society
        elif (
            mod_country
            and actor.country not in (mod_country, "IGO", "UNK")
            and actor.kind in ("institution", "party")
        ):
            # "the Iraqi Congress": an institution name reused by another country is that country's body.
            actor = kb.group_actor(mod_country, actor.sector)
        elif actor.country == "UNK" and mod_country:
            actor = Actor(
                f"{actor.actor_id}:{mod_country.lower()}", actor.name, mod_country, actor.sector, actor.kind
            )
    elif head.lex == "unknown":
        name = phrase_text if head.label == "NORP" else _span_text(doc, head.start, head.end)
        tail = items[-1]
        if tail is not head and tail.start == head.end and _one_body(doc, head, tail):
            # "Tourism Authority of Thailand": the country that ends the body's name is part of it
            name = _span_text(doc, head.start, tail.end)
        noun = next((i for i in items if i.lex == "group" and i.start > head.start), None)
        # "Cambodian journalist Mech Dara": a sector noun before a person's name says what the person is.
        before = next((i for i in reversed(items) if i.lex == "group" and i.end <= head.start), None)
        cue = noun or title or (before if _is_person(head) else None)
        sector = cue.entry.actor.sector if cue is not None and cue.entry is not None else None
        body = next((i.entry.actor for i in modifiers if i.lex == "org" and i.entry is not None), None)
        if cue is title and sector == "GOV" and body is not None and body.sector not in (None, "GOV"):
            sector = body.sector  # "Hamas leader X", "Taliban spokesman X": the body's sector, not GOV
        if sector is None and head.label == "NORP":
            sector = "CVL"  # "Iraqi Kurds": a people named by its ethnicity
        # "Chalida Tajaroensuk, who heads ...", tagged ORG: a person (a people, "the Asians who settled", stays)
        who = head.label == "ORG" and _who_clause(doc, head)
        # "SSI Institutional Brokerage" BUS, "Rice University" EDU: a body by the word its name ends on,
        # whatever the recogniser's label (no person's name ends on "Brokerage")
        named = _named_sector(name) if " " in name.strip() and head.label != "NORP" else None
        kind = "organization" if (head.label == "ORG" and not who) or noun or named else (
            "person" if _is_person(head) or who else "group")  # fmt: skip
        sector = sector or named
        prefix = {"person": "person", "organization": "org"}.get(kind, "group")
        actor = Actor(f"{prefix}:{slug(name)}", name, mod_country or "UNK", sector, kind)
        if title is not None and title.entry is not None and " " not in name:
            holder = kb.office_holder(name, date, mod_country, title.entry.actor.sector)
        if mod_country is None and _congress_party(doc, phrase, title):
            actor = Actor(actor.actor_id, actor.name, "USA", actor.sector, kind)  # "Republican Senator X"
        if holder is not None:
            # "President Lai" (2025), "President Bush" (1990): the one known person of that surname in office.
            actor = holder.at(date)
            confidence = 0.75
    elif head.lex in NOUN_LEXES and head.entry is not None:
        sector = head.entry.actor.sector
        # The possessor is the item right before "'s" ("the company's chairman"), not a noun further back
        # ("opposition from China's U.N. mission").
        owner = items[phrase.possessive_at - 1] if phrase.possessive_at > 0 else None
        owner = owner if owner is not None and owner.lex in NOUN_LEXES else None
        if (
            sector == "GOV"
            and owner is not None
            and owner.entry is not None
            and owner.entry.actor.sector not in (None, "GOV")
        ):
            sector = owner.entry.actor.sector  # "the company's chairman" leads a business, not a government
        if mod_country is None:
            if not (head.lex == "group" and head.entry.alone and len(items) == 1):
                if pending is not None and not phrase.former:
                    actor = kb.group_actor("UNK", sector)
                    kind = "group" if head.lex == "group" else "title"
                    # a noun of no one country by nature ("families") waits for none: it is UNPLACED
                    # unless its own phrase names one ("Chinese immigrants", already a ref) or its possessor does
                    reason = "agent noun" if head.entry.lent else UNPLACED
                    pending.append(ActorRef(phrase_text, span.start_char, span.end_char, actor.actor_id, actor.name,
                                            "UNK", sector, kind, ALONE_CONFIDENCE, reason))  # fmt: skip
                return None  # "the ministry", "the president": left to coreference
            confidence = ALONE_CONFIDENCE
        actor = kb.group_actor(mod_country or "UNK", sector)
    elif head.lex == "place" and head.country is not None:
        country = kb.country_actor(head.country)
        actor = Actor(country.actor_id, country.name, country.country, None, "place")
    elif head.entry is not None:  # country, demonym, metonym
        actor = kb.actor_of(head.entry, date)
        if len(items) > 1 and items[0].entry is not None and items[0].lex in ("country", "demonym"):
            actor = kb.actor_of(items[0].entry, date)  # "Kosovo Albanians", "Bosnian Serb": the first one
            if hyphenated is not None:
                actor = kb.country_actor(hyphenated)  # "Iranian Americans": Americans of Iranian origin
        nxt = doc[phrase.end] if phrase.end < len(doc) else None
        if items[-1].lex == "demonym" and phrase_text.endswith("s") and (
                nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")):  # fmt: skip
            actor = kb.group_actor(actor.country, "CVL")  # "Russians", "Algerians": the people
        elif items[-1].lex == "demonym" and _counted_people(span):
            actor = kb.group_actor(actor.country, "CVL")  # "thousands of Sudanese", "hundreds of Chinese"
    else:
        return None
    nationality = _stated_nationality(doc, kb, phrase, head)
    if nationality is not None and head.entry is not None and _contradicts(head.entry, actor, *nationality):
        stated = nationality[0]
        # The text's own nationality word beats the dictionary's country ("Jordanian Muslim Brotherhood",
        # "American Red Cross", "Norwegian President X" where the dictionary's X is Austrian): a national
        # branch, a namesake or a stale entry, never the dictionary's country. The sector stays the
        # body's (or the title's, for a person); a person becomes a name of that country.
        if head.lex == "person":
            name = _span_text(doc, head.start, head.end)
            sector = title.entry.actor.sector if title is not None and title.entry is not None else None
            sector = sector or _title_in_name(kb, doc[head.start : head.end])  # "President X" matched whole
            actor = Actor(f"person:{slug(name)}", name, stated, sector, "person")
            confidence = min(confidence, CONFIDENCE["unknown"])  # as a name the knowledge base lacks
        else:
            actor = Actor(f"{actor.actor_id}:{stated.lower()}", actor.name, stated, actor.sector, actor.kind)
            confidence = min(confidence, CONFIDENCE["title"])
    if phrase.former and actor.sector not in (None, "ELI"):
        actor = Actor(actor.actor_id, actor.name, actor.country, "ELI", actor.kind)
    if (
        actor.kind == "group"
        and actor.sector is not None
        and head.lex in NOUN_LEXES
        and actor.country != "UNK"
    ):
        actor = kb.group_actor(actor.country, actor.sector)
    reason = "agent noun" if head.lex in NOUN_LEXES else head.reason
    if head.lex == "unknown" and holder is not None:
        reason = "title"  # "President Lai": the one person of that surname in that post
    return ActorRef(phrase_text, span.start_char, span.end_char, actor.actor_id, actor.name, actor.country,
                    actor.sector, actor.kind, round(confidence, 3), reason)  # fmt: skip


# "Democratic Representative Jason Crow", "Republican Sen. X": a US party before a post of the US Congress
# makes an unknown member American (the party word alone is no actor of its own there).
US_PARTIES = frozenset({"Democratic", "Republican", "Democrat"})
OFFICE_WORDS = frozenset({"president", "secretary", "minister", "chancellor", "premier", "governor", "attorney",
                          "ambassador", "envoy", "director", "chief", "speaker", "leader", "commissioner",
                          "representative", "adviser", "advisor", "general", "spokesman", "spokeswoman",
                          "spokesperson", "king", "queen", "emir", "sultan", "prince"})  # fmt: skip
CONGRESS_TITLES = frozenset({"representative", "rep", "senator", "sen", "congressman", "congresswoman"})


def _congress_title(doc: Doc, item: Item | None) -> bool:
    return (
        item is not None and item.lex == "title" and fold(doc[item.start : item.end].text) in CONGRESS_TITLES
    )


def _party_of_congress(doc: Doc, item: Item, items: list[Item]) -> bool:
    """Is the item the party word right before a congressional title?"""
    if item.end - item.start != 1 or doc[item.start].text not in US_PARTIES:
        return False
    return any(i.start == item.end and _congress_title(doc, i) for i in items)


def _congress_party(doc: Doc, phrase: Phrase, title: Item | None) -> bool:
    return (
        _congress_title(doc, title)
        and title is phrase.items[0]
        and phrase.start > 0
        and doc[phrase.start - 1].text in US_PARTIES
    )


REMOVE_VERBS = frozenset({"oust", "remove", "topple", "overthrow", "depose", "impeach", "unseat"})
REMOVAL_NOUNS = frozenset(
    {"ouster", "removal", "overthrow", "toppling", "impeachment", "ousting", "downfall"}
)


def _removed(span) -> bool:  # type: ignore[no-untyped-def]
    """Is the person the one removed from office here ("removed Bashir", "was ousted", "Bashir's ouster")?"""
    root = span.root
    head = root.head
    if root.dep_ in ("dobj", "nsubjpass") and head.lemma_ in REMOVE_VERBS:
        return True
    return root.dep_ == "poss" and head.lower_ in REMOVAL_NOUNS


def _last_post(entry: Entry, date: dt.date) -> str | None:
    """The sector of the last post a person held before ``date``."""
    ended = [r for r in entry.roles if r.end is not None and r.end <= date]
    return max(ended, key=lambda r: r.end or dt.date.min).sector if ended else None


def in_office_when_removed(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase, date: dt.date | None
) -> list[ActorRef]:
    """A former official (ELI at the article's date) who is the one removed here ("the military removed
    Bashir", "Bashir's ouster", also a short name or pronoun coreference found) held the post then: the
    sector of their last post, as the events of the removal code them."""
    if date is None:
        return refs
    out = list(refs)
    for i, ref in enumerate(refs):
        if ref.kind != "person" or ref.sector != "ELI":
            continue
        span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if span is None or not len(span) or not _removed(span):
            continue
        if any(t.lower_ in FORMER for t in doc[max(0, span.start - 2) : span.end]):
            continue  # "former president X" written here: the text says former
        entry = kb.person_entry(ref.actor_id)
        last = _last_post(entry, date) if entry is not None else None
        if last is not None:
            out[i] = replace(ref, sector=last)
    return out


QUANTITIES = frozenset({"tens", "hundreds", "thousands", "millions", "dozens", "scores", "number", "group"})


def _counted_people(span) -> bool:  # type: ignore[no-untyped-def]
    """Is a nationality word the people counted ("thousands of Sudanese", "a group of Chinese")? A
    nationality that does not take a plural -s is a noun there, not a modifier."""
    root = span.root
    if root.dep_ != "pobj" or root.head.lower_ != "of":
        return False
    if root.i + 1 < len(root.doc) and root.doc[root.i + 1].pos_ in ("NOUN", "PROPN"):
        return False  # "thousands of Chinese officials": a modifier
    counted = root.head.head
    return counted.lower_ in QUANTITIES or counted.like_num


# "Iranian American journalist", "Chinese Americans": US usage names an American by origin first and
# citizenship last, unlike "Bosnian Serb" or "Kosovo Albanians", where the first word is the country.
OF_ORIGIN = frozenset({"american", "americans"})


def _american_of_origin(doc: Doc, items: list[Item]) -> str | None:
    """The country of "<nationality> American" written as two words: the United States, not the origin."""
    for prev, cur in itertools.pairwise(items):
        if (
            prev.lex == "demonym"
            and cur.lex == "demonym"
            and cur.start == prev.end
            and doc[cur.start : cur.end].text.lower() in OF_ORIGIN
            and cur.entry is not None
        ):
            return cur.entry.actor.country
    return None


def _title_in_name(kb: KnowledgeBase, span) -> str | None:  # type: ignore[no-untyped-def]
    """The sector of a post written inside a person's matched name ("President Barack Obama", "Egyptian
    President Mohamed Morsi"): a title among its first words, never its last (the name itself)."""
    for k in range(min(2, len(span) - 1)):
        for n in (3, 2, 1):
            if k + n >= len(span):
                continue
            key = " ".join(w for w in (fold(t.text) for t in span[k : k + n]) if w)
            entry = next((e for e, _ in kb.index.get(key, ()) if e.lex == "title"), None)
            if entry is not None and entry.actor.sector is not None:
                return entry.actor.sector
    return None


# Adjectives of former federations name every successor state ("Yugoslav warlord" for a Bosnian Serb).
FEDERATION_WORDS = frozenset({"soviet", "soviets", "yugoslav", "yugoslavs", "czechoslovak"})
# Codes that are no state: an entry of one of these has no nationality a word could contradict.
_NOT_STATES = frozenset({"IGO", "UNK", "WST", "IMG", "NGO", "MNC", "ISM", "EUR", "UNO"})


def _stated_nationality(doc: Doc, kb: KnowledgeBase, phrase: Phrase, head: Item) -> tuple[str, bool] | None:
    """The country a plain nationality word in the phrase gives the named head ("Jordanian" in "Jordanian
    Muslim Brotherhood", "American" in the alias "American Red Cross"). Only one country's own name or
    nationality word (countries.csv), never a word joined on by a hyphen ("Iran-backed", "Ukrainian-born"),
    and a possessor only before a titled person (``_possessor_of_person``: "Iran's Hezbollah" is Iran's ally,
    not an Iranian body). The flag says
    whether the word is a nationality adjective or inside the matched alias itself (not a country's name
    set before the head)."""
    if head.lex not in ("person", "org"):
        return None
    if phrase.possessive_at > 0:
        return _possessor_of_person(doc, phrase, head)
    if head.lex == "org" and head.reason == "alias":
        country = kb.national_name(doc[head.start : head.end].text)
        if country is not None:
            return country, True
    # The words right before the head, each touching the next: nationalities and titles ("Saudi King
    # Abdullah", "Ethiopian Foreign Minister X"); anything else between leaves the head alone.
    before = [i for i in phrase.items if i.end <= head.start]
    found, adjective = None, False
    at = head.start
    for item in reversed(before):
        if item.end != at or item.lex not in ("demonym", "country", "title"):
            break
        at = item.start
        if item.lex == "title":
            continue
        if item.lex == "country" and item.end == head.start:
            # "... into the U.S. Sheinbaum sent troops": a country's name run into a name is no nationality
            return None
        word = fold(doc[item.start : item.end].text)
        country = kb.national_words.get(word)
        after = doc[item.end] if item.end < len(doc) else None
        if (
            country is None
            or word in FEDERATION_WORDS
            or (after is not None and after.text in ("-", "–"))
            or "-" in doc[item.start].text
        ):
            return None
        if found is not None and found != country:
            return None  # "Bosnian Serb", "Turkish Cypriot": two peoples, leave the dictionary's
        found = country
        adjective = item.lex == "demonym"
    return (found, adjective) if found is not None else None


def _possessor_of_person(doc: Doc, phrase: Phrase, head: Item) -> tuple[str, bool] | None:
    """A country's possessive before a person, with only titles between, is the person's country: "Saudi
    Arabia's King Abdullah" is no Jordanian, "Mongolia's Prime Minister X" Mongolian. Not for a body ("Iran's
    Hezbollah" is an ally), and not past any other word ("Russia's ally Lukashenko")."""
    if head.lex != "person":
        return None
    owner = phrase.items[phrase.possessive_at - 1]
    if owner.lex != "country" or owner.entry is None:
        return None
    titled = {k for i in phrase.items if i.lex == "title" for k in range(i.start, i.end)}
    if any(k not in titled and doc[k].text not in POSSESSIVE for k in range(owner.end, head.start)):
        return None
    country = owner.entry.actor.country
    return (country, False) if country and country not in _NOT_STATES else None


def _contradicts(entry: Entry, actor: Actor, stated: str, adjective: bool) -> bool:
    """Does a nationality word name a state other than every one the entry is of (its own country and
    the countries of its posts)? Entries of no state (IGO officials, Islamic State) are never
    contradicted by a person's nationality; an IGO body only by a nationality adjective ("American Red
    Cross", an alias Phoenix gives the ICRC; "the Afghan Red Crescent"), not by a country's name before it."""
    if stated in _NOT_STATES:
        return False
    own = {actor.country, entry.actor.country, *(r.country for r in entry.roles if r.country)}
    if entry.lex == "person" and own & _NOT_STATES:
        return False
    if entry.lex == "org" and (own - {"IGO"} if adjective else own) & _NOT_STATES:
        return False
    return stated not in own


def _country_of(kb: KnowledgeBase, item: Item, date: dt.date | None) -> str | None:
    if item.lex == "place":
        return item.country
    if item.entry is None or item.lex in NOUN_LEXES:
        return None
    country = item.entry.at(date).country if item.lex == "person" else item.entry.actor.country
    return None if country == "UNK" else country


def match_actors(doc: Doc, kb: KnowledgeBase, date: dt.date | None = None) -> list[ActorRef]:
    """Every actor phrase in the doc, in text order, never overlapping."""
    return find_actors(doc, kb, date)[0]


def find_actors(
    doc: Doc, kb: KnowledgeBase, date: dt.date | None = None
) -> tuple[list[ActorRef], list[ActorRef]]:
    """The actor phrases of the doc, and the sector nouns that named no country (see ``phrase_ref``)."""
    if len(doc) == 0:
        return [], []
    with reading(doc):  # the rules below share one read of every token's attributes (detente/doc_table.py)
        return _find_actors(doc, kb, date)


def _find_actors(doc: Doc, kb: KnowledgeBase, date: dt.date | None) -> tuple[list[ActorRef], list[ActorRef]]:
    keys = _token_keys(doc)
    items = lexical_items(doc, kb, keys, date)
    taken = [False] * len(doc)
    for item in items:
        for k in range(item.start, item.end):
            taken[k] = True
    items = [_dateline_place(doc, i) for i in items if i.lex != "ignore"]
    sent_of, sent_counts, doc_counts = _country_mentions(doc, items, kb, date)
    items = [_namesake_city(doc, i, sent_counts[sent_of[i.start]]) for i in items]
    items += named_items(doc, kb, taken, date, dict(doc_counts))
    items = _without_dateline_agency(doc, items)
    refs: list[ActorRef] = []
    pending: list[ActorRef] = []
    named: dict[str, ActorRef] = {}  # family name -> the person named in full before
    items = [i for i in items if not _party_of_congress(doc, i, items)]
    for phrase in group_phrases(doc, items):
        ref = phrase_ref(doc, kb, phrase, date, pending)
        if ref is None:
            continue
        ref = _article_namesake(ref, phrase, named)
        if ref.kind == "person" and " " in ref.text.strip():
            named.setdefault(_family_key(ref.text.split()[-1]), ref)
        refs.append(ref)
    refs = [r for r in _split_names(doc, refs) if not _names_a_treaty(doc, r, refs)]
    refs = _bodies_of_known_organisations(doc, refs)
    refs = _described_people(doc, refs, kb, pending)
    refs = _acronyms_in_context(doc, refs, kb, date)
    refs = _europe_as_union(doc, refs, kb, date)
    return _named_again(
        _family(doc, _appositions(doc, countries_from_sentence(doc, refs, kb), pending))
    ), pending


BODY_KINDS = frozenset({"igo", "organization", "institution", "party"})


def _bodies_of_known_organisations(doc: Doc, refs: list[ActorRef]) -> list[ActorRef]:
    """ "The Commission of ECOWAS", "the Secretariat of the African Union": the recogniser names the whole
    body, the knowledge base knows only the organisation, and the rest ("Commission of") was left as an
    unknown body. A body of an organisation is that organisation: one ref over both, the organisation's.
    So is a body named after an international organisation's name ("the United Nations Assistance Mission
    in Afghanistan"), which the state body rule would otherwise give to the country it works in."""
    out: list[ActorRef] = []
    text = doc_text(doc)
    for ref in refs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.reason == "unknown"
            and prev.kind == "organization"
            and re.search(r"\s(?:of|of the)\s*$", text[prev.start : ref.start])
            and not text[prev.end : ref.start].strip()
            and ref.kind in BODY_KINDS
            and ref.country != "UNK"
        ):
            out[-1] = replace(ref, text=text[prev.start : ref.end], start=prev.start)
            continue
        if (
            prev is not None
            and prev.country == "IGO"
            and ref.reason == "unknown"
            and ref.kind == "organization"
            and not text[prev.end : ref.start].strip()
            and {w.lower() for w in ref.text.split()} & (STATE_BODY_WORDS | BODY_WORDS | {"mission"})
        ):  # "the African Union Transition Mission in Somalia": the union's mission, not Somalia's body
            # (a body's name only: a headline's "Asian NATO Ishiba's call" runs two phrases together)
            out[-1] = replace(prev, text=text[prev.start : ref.end], end=ref.end)
            continue
        out.append(ref)
    return out


# Nouns a city names without being a party: "the Paris climate agreement", "the Minsk agreements", "the Oslo
# Accords", "the Geneva Conventions", "the Astana process" are no act of France, Belarus, Norway or Kazakhstan.
TREATY_NOUNS = frozenset({
    "agreement", "accord", "treaty", "pact", "protocol", "convention", "declaration", "format", "process",
    "memorandum", "charter", "communique", "consensus", "framework",
})  # fmt: skip


def _names_a_treaty(doc: Doc, ref: ActorRef, refs: list[ActorRef]) -> bool:
    """Is the ref a city (a capital read as its government) in the name of a treaty or process? Not when
    another place shares the name ("the Washington-Tehran agreement" names its parties)."""
    if ref.kind not in ("metonym", "place"):
        return False
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None:
        return False
    word = span.root
    chain = [word]
    while word.dep_ == "compound" and word.head.i > word.i:
        word = word.head
        chain.append(word)
    if word is chain[0] or word.lemma_.lower() not in TREATY_NOUNS:
        return False
    others = [t for t in word.subtree if t.i < word.i and not (span.start <= t.i < span.end)]
    return not any(
        r is not ref
        and r.kind in ("country", "metonym", "place")
        and any(r.start <= t.idx < r.end for t in others)
        for r in refs
    )


def _split_names(doc: Doc, refs: list[ActorRef]) -> list[ActorRef]:
    """A body's name the knowledge base knows only in part: "the Libyan Government of National Accord" (one
    entity) matched "Libyan Government" and left "of National Accord" an unknown name. The rest of the
    name, starting with "of" or "for" inside the same entity, is part of the body before it."""
    out: list[ActorRef] = []
    ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("ORG", "NORP", "FAC")]
    for ref in refs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and ref.reason == "unknown"
            and ref.text.split(" ", 1)[0] in ("of", "for")
            and prev.country not in ("UNK",)
            and prev.kind in ("group", "organization", "institution", "igo")
            and 0 <= ref.start - prev.end <= 1
            and any(s <= prev.start and ref.end <= e for s, e in ents)
        ):
            text = doc_text(doc)[prev.start : ref.end]
            out[-1] = replace(prev, text=text, end=ref.end)
            continue
        out.append(ref)
    return out


# Sectors whose noun before a person's noun makes the person one of its officials ("opposition candidate",
# "military commander"); not "intelligence analyst" (a trade, often private) or "business reporter".
POLITICAL = frozenset({"GOV", "OPP", "PTY", "LEG", "MIL", "JUD", "COP"})
STATE_PEOPLE = POLITICAL | {"ELI"}  # people who stand for their country: its officials, former leaders


def _described_people(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase, pending: list[ActorRef] | None = None
) -> list[ActorRef]:
    """A person the knowledge base lacks, named after a nationality and a noun that says who they are, is of
    that nationality: "Turkish presidential adviser Mesut Casin" TUR, "South African opposition politician
    Mmusi Maimane" ZAF OPP (a national group before the noun gives its sector too). The nationality word was
    a ref of its own (the noun is none the knowledge base knows, so the phrase did not join); it becomes part
    of the person's ref, as "Cambodian journalist Mech Dara" is one. Only modifiers of the noun may stand
    between ("presidential"), and the noun must modify the name. A sector noun of no country there
    ("opposition candidate X", waiting in ``pending``) gives the person its sector: an official then takes
    the sentence's country like any titled name."""
    out: list[ActorRef] = []
    waiting = list(pending or ())
    for ref in refs:
        if ref.kind != "person" or ref.reason != "unknown" or ref.country != "UNK":
            out.append(ref)
            continue
        prev = out[-1] if out else None
        national = prev is not None and prev.country not in ("UNK", "IGO", "WST") and (
            prev.kind == "country" or (prev.kind == "group" and prev.reason == "agent noun"))  # fmt: skip
        if prev is not None and national and _describes(doc, prev, ref, kb):
            sector = prev.sector if prev.kind == "group" else None
            out[-1] = ActorRef(doc_text(doc)[prev.start : ref.end], prev.start, ref.end, ref.actor_id, ref.name,
                               prev.country, sector, "person", ref.confidence, "unknown")  # fmt: skip
            continue
        noun = next((p for p in waiting if p.end <= ref.start and p.kind == "group" and p.sector in POLITICAL
                     and _describes(doc, p, ref, kb)), None)  # fmt: skip
        if noun is not None and pending is not None:
            pending.remove(noun)
            out.append(ActorRef(doc_text(doc)[noun.start : ref.end], noun.start, ref.end, ref.actor_id, ref.name,
                                "UNK", noun.sector, "person", ref.confidence, "unknown"))  # fmt: skip
            continue
        out.append(ref)
    return out


def _describes(doc: Doc, prev: ActorRef, ref: ActorRef, kb: KnowledgeBase) -> bool:
    """Does ``prev`` end right before a noun for a person that modifies the name ``ref``, with only
    modifiers of that noun between ("Turkish [presidential] adviser Mesut Casin")?"""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    before = doc.char_span(prev.start, prev.end, alignment_mode="expand")
    if span is None or before is None or span.start < 1 or before.end >= span.start:
        return False
    noun = doc[span.start - 1]
    if not (noun.dep_ == "compound" and span.start <= noun.head.i < span.end and person_noun(noun, kb)):
        return False
    between = doc[before.end : noun.i]
    chain = {noun.i}
    for t in reversed(between):
        if (
            t.dep_ in ("amod", "compound")
            and t.head.i in chain
            and t.pos_ in ("ADJ", "NOUN")
            and t.text.islower()
        ):
            chain.add(t.i)
        else:
            break
    last = doc[before.end - 1]
    return (
        len(chain) == len(between) + 1 and last.dep_ in ("amod", "compound", "poss") and last.head.i in chain
    )


def _europe_as_union(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase, date: dt.date | None
) -> list[ActorRef]:
    """ "Europe quickly retaliated with its own tariffs": in an article that names the European Union,
    "Europe" acting (the subject of a verb, or a party "between the U.S. and Europe") is the Union. A
    region is otherwise no actor (``nonactors.csv``). So is "Brussels" when the article names no Belgian."""
    union = next((r for r in refs if r.actor_id == "org:eu"), None)
    if union is None:
        return refs
    if not any(r.country == "BEL" and r.text.lower() != "brussels" for r in refs):
        # "Brussels had already frozen the assets": where the Union is named and Belgium is not, its seat
        refs = [_as_union(r, union) if r.text == "Brussels" and r.country == "BEL" else r for r in refs]
    taken = [(r.start, r.end) for r in refs]
    added = []
    for token in doc:
        if token.text != "Europe" or any(s <= token.idx < e for s, e in taken):
            continue
        acting = token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX")
        party = token.dep_ == "conj" and token.head.ent_type_ == "GPE" and any(
            t.lower_ == "between" for t in token.head.ancestors)  # fmt: skip
        if acting or party:
            added.append(ActorRef(token.text, token.idx, token.idx + len(token), union.actor_id, union.name,
                                  union.country, union.sector, union.kind, 0.6, "alias+context"))  # fmt: skip
    return sorted(refs + added, key=lambda r: r.start) if added else refs


def _as_union(ref: ActorRef, union: ActorRef) -> ActorRef:
    return replace(ref, actor_id=union.actor_id, name=union.name, country=union.country, sector=union.sector,
                   kind=union.kind, reason="alias+context")  # fmt: skip


KIN_OF = re.compile(
    r"^(.+?)['’]s (?:son|daughter|wife|husband|brother|sister|father|mother|widow|nephew|niece) \S"
)


def _family(doc: Doc, refs: list[ActorRef]) -> list[ActorRef]:
    """A person the knowledge base lacks who bears the family name of the one known person named in the
    same or the two sentences before ("Berisha, his wife, Liri Berisha, his son, Shkëlzen Berisha") is of
    that person's country; no sector (kin share a country, not a post). Not where family names are few and
    shared by millions (Kim, Li: FAMILY_NAME_FIRST countries)."""
    if not doc.has_annotation("SENT_START"):
        return refs
    starts = [s.start_char for s in doc.sents]
    known: dict[str, list[tuple[int, ActorRef]]] = {}
    out = list(refs)
    for i, ref in enumerate(refs):
        words = ref.text.split()
        if not words or not (ref.kind == "person" or (ref.kind == "organization" and KIN_OF.match(ref.text))):
            continue
        family = _family_key(words[-1])
        here = bisect.bisect_right(starts, ref.start) - 1
        if ref.reason in ("exact", "alias", "title") and ref.country not in ("UNK", "IGO"):
            known.setdefault(family, []).append((here, ref))
            continue
        if ref.reason != "unknown" or ref.country != "UNK" or len(words) < 2:
            continue
        related = KIN_OF.match(ref.text)
        if related is not None:  # "Lai's son Sebastien": the family of the Lai named before
            family = _family_key(related.group(1).split()[-1])
        kin = {(r.actor_id, r.country) for n, r in known.get(family, ()) if here - n <= 2}
        if len(kin) != 1:
            continue
        country = next(iter(kin))[1]
        if country in FAMILY_NAME_FIRST and related is None:
            continue  # a shared Chinese or Korean family name says nothing; "Lai's son" does
        actor_id = f"person:{slug(ref.text.split()[-1])}" if related is not None else ref.actor_id
        out[i] = ActorRef(ref.text, ref.start, ref.end, actor_id, ref.name, country, None, "person",
                          round(ref.confidence * 0.8, 3), "unknown+context")  # fmt: skip
    return out


def _named_again(refs: list[ActorRef]) -> list[ActorRef]:
    """A person the knowledge base lacks is the same person each time the article names them: what the
    first mention said ("Cambodian journalist Mech Dara" KHM JRN) holds for a bare "Mech Dara" later."""
    learnt: dict[str, ActorRef] = {}
    out = []
    for ref in refs:
        # one word ("Lai") may be the short name of someone else the article named in full: coreference decides
        if ref.kind == "person" and ref.reason.startswith("unknown") and " " in ref.text.strip():
            first = learnt.get(ref.actor_id)
            if first is None:
                if ref.country != "UNK" or ref.sector is not None:
                    learnt[ref.actor_id] = ref
            elif ref.country == "UNK" and ref.sector is None:
                ref = ActorRef(ref.text, ref.start, ref.end, ref.actor_id, ref.name, first.country, first.sector,
                               "person", ref.confidence, first.reason)  # fmt: skip
        out.append(ref)
    return out


ACRONYM = re.compile(r"[A-Z][A-Z&]{1,7}")  # up to 8 letters: MINUSCA, UNAMID
_BRACKETED = re.compile(r"\s*\((" + ACRONYM.pattern + r")\)")  # "... Appeals (BIA)"
_KNOWN_AS = re.compile(
    r"[^,.;()]{0,25}?,?\s*(?:also\s+|better\s+)?known as\s+(?:the\s+)?(" + ACRONYM.pattern + r")\b"
)  # "..., known as MINUSCA"


def _acronyms_in_context(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase | None = None, date: dt.date | None = None
) -> list[ActorRef]:
    """An acronym is what the article says it is, or nothing a dictionary knows from elsewhere:

    - "the Board of Immigration Appeals (BIA)": later "BIA" is that board, whatever else BIA stands for;
    - an acronym the knowledge base gives to several bodies is the one of a country the article names, when
      only one is ("RSF" in a story about Sudan is the Rapid Support Forces, not Reporters Without Borders);
    - an acronym the knowledge base gives to a state body of a country the article never names (BIA,
      Serbia's intelligence agency, in a story about U.S. immigration) is left UNK.
    """
    text = doc_text(doc)
    defined: dict[str, ActorRef] = {}
    for ref in refs:
        after = text[ref.end : ref.end + 40]
        match = _BRACKETED.match(after)
        if match is None and ref.kind in ("igo", "organization", "institution", "party", "group"):
            # "the U.N. peacekeeping mission, known as MINUSCA": a body's name, a few words on (not a
            # country's: "the rebel coalition in Chad, known as FACT" is not Chad)
            match = _KNOWN_AS.match(after)
        if (
            match
            and not ACRONYM.fullmatch(ref.text.strip())
            and not (ref.actor_id.startswith("group:") and ref.country == "UNK")
        ):  # not a bare sector noun ("... High Commission for Refugees (UNHCR)": the ref is "Refugees")
            defined[match.group(1)] = ref
    for ref in refs:
        initials = _initials(ref)
        if initials is not None:
            defined.setdefault(initials, ref)
    refs = refs + _unmatched_acronyms(doc, refs, defined)
    refs.sort(key=lambda r: (r.start, r.end))
    named = {r.country for r in refs if not _is_acronym(r) and r.country not in ("UNK", "IGO", "WST")}
    out = []
    for ref in refs:
        # (the all-caps city of a dateline, "ANKARA, May 3 (Reuters) -", is no acronym)
        word = _acronym_of(ref) if ref.reason != DATELINE else None
        if word is None:
            out.append(ref)
        elif word in defined and defined[word].actor_id != ref.actor_id and ref.kind != "outlet":
            # (an agency after a dateline, "NAIROBI, Kenya (AP) -", is the agency, not Kenya's acronym)
            d = defined[word]
            out.append(ActorRef(ref.text, ref.start, ref.end, d.actor_id, d.name, d.country, d.sector, d.kind,
                                round(d.confidence * 0.9, 3), "alias+context"))  # fmt: skip
        elif (reading := _reading_named(kb, word, ref, named, date)) is not None:
            out.append(ActorRef(ref.text, ref.start, ref.end, reading.actor_id, reading.name, reading.country,
                                reading.sector, reading.kind, round(ref.confidence * 0.9, 3), "alias+context"))  # fmt: skip
        elif (
            named
            and ref.country not in named
            and ref.country not in ("UNK", "IGO", "WST")
            and ref.kind != "country"
        ):
            out.append(ActorRef(ref.text, ref.start, ref.end, f"org:{slug(word)}", word, "UNK", None,
                                "organization", CONFIDENCE["unknown"], "unknown"))  # fmt: skip
        else:
            out.append(ref)
    return out


def _reading_named(
    kb: KnowledgeBase | None, word: str, ref: ActorRef, named: set[str], date: dt.date | None
) -> Actor | None:
    """Another body the knowledge base spells ``word`` for, the one reading of a country the article names,
    when the ref's own reading is of none of them."""
    if kb is None or ref.country in named:
        return None
    readings = [
        kb.actor_of(e, date) for e, _ in kb.index.get(fold(word), ()) if e.lex not in ("group", "title")
    ]
    placed = {a.actor_id: a for a in readings if a.country in named and a.actor_id != ref.actor_id}
    return next(iter(placed.values())) if len(placed) == 1 else None


_NOT_INITIAL = frozenset({"of", "and", "for", "the", "on", "in", "&"})


def _initials(ref: ActorRef) -> str | None:
    """The acronym an organisation's full name spells ("Immigration and Customs Enforcement" ICE), for a
    body of three capitalised words or more; short names spell too many things."""
    if ref.kind not in ("organization", "institution", "igo", "party", "group") or ref.actor_id.startswith(
        "group:"
    ):
        return None
    words = [w for w in re.split(r"[\s-]+", ref.text.strip()) if w and w.lower() not in _NOT_INITIAL]
    if len(words) < 3 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def _unmatched_acronyms(doc: Doc, refs: list[ActorRef], defined: dict[str, ActorRef]) -> list[ActorRef]:
    """Later uses of an acronym the article defined ("... Immigration and Customs Enforcement. ... ICE
    deported 177 detainees") that the knowledge base does not know: refs of the defined body."""
    if not defined:
        return []
    first = {word: ref.end for word, ref in defined.items()}
    out = []
    table = table_of(doc)
    for word, idx in zip(table.text, table.idx, strict=True):
        if word not in first or idx < first[word] or not ACRONYM.fullmatch(word):
            continue
        if any(r.start < idx + len(word) and idx < r.end for r in refs):
            continue
        d = defined[word]
        out.append(ActorRef(word, idx, idx + len(word), d.actor_id, d.name, d.country, d.sector, d.kind,
                            round(d.confidence * 0.9, 3), "alias+context"))  # fmt: skip
    return out


def _acronym_of(ref: ActorRef) -> str | None:
    """The acronym a ref is named by ("BIA", "the FSB"), when it is named by one alone."""
    words = [w for w in ref.text.split() if w.lower() != "the"]
    return words[0] if len(words) == 1 and ACRONYM.fullmatch(words[0]) else None


def _is_acronym(ref: ActorRef) -> bool:
    return _acronym_of(ref) is not None


def _appositions(doc: Doc, refs: list[ActorRef], nouns: list[ActorRef] | None = None) -> list[ActorRef]:
    """A person the knowledge base lacks, set beside a description that says who they are, is what it says:
    "Iran's ambassador to the United Nations, Amir Saeid Iravani" IRN GOV; "Nop Vy, the association's
    director"; "Metin Topuz, a local U.S. consulate employee" USA; "the U.N. secretary-general's special
    representative in Haiti, Helen La Lime" IGO GOV; "Arnel Joseph, the leader of the Village de Dieu gang"
    CRM (a leader is of the body's sector). The country comes from the description's own words, never from
    a place it is in or from ("representative in Haiti" is not Haitian), and only when they name one."""
    out = list(refs)
    spans = [doc.char_span(r.start, r.end, alignment_mode="expand") for r in refs]
    surnames = (
        set()
    )  # "Lai, a 77-year-old British national" after "Jimmy Lai": him (coreference), not a new person
    for i, ref in enumerate(refs):
        if ref.kind == "person" and " " in ref.text.strip():
            surnames.add(_family_key(ref.text.split()[-1]))
        if ref.kind != "person" or ref.reason != "unknown" or ref.country != "UNK" or spans[i] is None:
            continue
        if " " not in ref.text.strip() and _family_key(ref.text.strip()) in surnames:
            continue
        root = spans[i].root  # type: ignore[union-attr]
        partner = (
            root.head if root.dep_ == "appos" else next((c for c in root.children if c.dep_ == "appos"), None)
        )
        if partner is None:
            partner = _coordinated_title(root)
        if partner is None:
            partner = _affiliation(doc, root, refs)
        if partner is None:
            continue
        if any(r.kind in ("country", "metonym", "place") and r.start <= partner.idx < r.end for r in refs):
            continue  # "... in Mali, Anna Lindqvist": a parse that sets the name beside the place
        said = _described_by(doc, partner, spans[i], refs)  # type: ignore[arg-type]
        if said is None:
            # "Ilyas Ali Hassan, a member of the upper house": a sector noun with no country still says what
            # the person is; the country may come later from the story.
            sector = _held(_described_sector(doc, partner, [*(nouns or []), *refs]), partner)
            if sector is not None:
                out[i] = replace(ref, sector=sector)
            continue
        country, sector, confidence = said
        sector = _held(sector, partner)
        out[i] = ActorRef(ref.text, ref.start, ref.end, ref.actor_id, ref.name, country, sector or ref.sector,
                          "person", round(min(ref.confidence, confidence), 3), "unknown+context")  # fmt: skip
    return out


# Sectors of an office: who held one and no longer does is ELI.
FORMER_SECTORS = frozenset({"GOV", "LEG"})


def _held(sector: str | None, head) -> str | None:  # type: ignore[no-untyped-def]
    """The sector a description gives, or ELI when it says the office is past ("a former senior State
    Department official", "ex-minister"): out of office, an elite (the guideline's ELI)."""
    if sector in FORMER_SECTORS and any(t.lower_ in FORMER or t.lower_ == "ex-" for t in head.lefts):
        return "ELI"
    return sector


def _coordinated_title(name):  # type: ignore[no-untyped-def]
    """The first of two titles one determiner gives a name: "the Iranian American journalist and VOA host
    Masih Alinejad" (the name is the parse's conjunct of "journalist"). Only a singular common noun with
    "the/a" and a second title written right before the name: "the journalist and Masih Alinejad" may be
    two people."""
    head = name.head
    if name.dep_ == "conj" and _bare_title(head):
        return head if any(c.dep_ == "compound" and c.ent_type_ == "" for c in name.lefts) else None
    if name.dep_ != "conj" or head.tag_ != "NN" or not head.text.islower():
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("the", "a", "an") for c in head.children):
        return None
    titled = any(
        c.dep_ == "compound" and c.tag_ == "NN" and c.text.islower() for c in name.subtree if c.i < name.i
    )
    return head if titled else None


def _bare_title(head) -> bool:  # type: ignore[no-untyped-def]
    """A capitalised title with no name of its own, first of two joined before a name: "Pakistani Deputy
    Prime Minister and Foreign Minister Mohammad Ishaq Dar" (one person, or two of the same state: the
    nationality is both titles' either way). Not a name ("Prime Minister Modi and President Xi")."""
    return (
        head.tag_ == "NNP" and head.ent_type_ == "" and head.text[:1].isupper()
        and not any(c.ent_type_ == "PERSON" or c.dep_ == "appos" for c in head.lefts)
    )  # fmt: skip


# Bodies a person works "at": their country is the person's ("a senior fellow at the Lowy Institute").
AFFILIATIONS = frozenset({"organization", "institution", "company", "outlet", "ngo"})


def _affiliation(doc: Doc, name, refs: list[ActorRef]):  # type: ignore[no-untyped-def]
    """The "of"/"at"/"with" phrase a name hangs its body on ("Janusz Bugajski of the Jamestown Foundation",
    "Sarah Lee with Human Rights Watch"), when its object is a body of a known country: a description of
    who the person works for, read as an apposition is."""
    for prep in name.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "at", "with"):
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and any(
                r.kind in AFFILIATIONS and r.country not in ("UNK", "IGO") and r.start <= obj.idx < r.end
                for r in refs
            ):
                return prep
    return None


def _described_by(doc: Doc, partner, name, refs: list[ActorRef]) -> tuple[str, str | None, float] | None:  # type: ignore[no-untyped-def]
    """(country, sector, confidence) an apposition gives a name: the refs inside the description's words,
    leaving out what hangs on a place preposition ("in Haiti", "from Calgary") and the country a post is for
    or sent to ("the UN's deputy humanitarian coordinator for Sudan", "the UN envoy to Libya": IGO)."""
    lo = min(t.i for t in partner.subtree)
    hi = max(t.i for t in partner.subtree) + 1
    placed: dict[int, str] = {}  # token -> the place preposition it hangs on
    for t in partner.subtree:
        if t.dep_ == "prep" and t.lower_ in LOCATIVE | {"at", "on"}:
            placed.update((x.i, t.lower_) for x in t.subtree)
        elif _portfolio(t):
            placed.update((x.i, "portfolio") for x in t.children if x.dep_ == "pobj")
    inside = []
    for r in refs:
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is None or span.start < lo or span.end > hi or (name.start <= span.start < name.end):
            continue
        how = placed.get(span.root.i)
        # "air component commander for U.S. Indo-Pacific Command": a body after a post's "for" employs it
        employer = how == "portfolio" and r.kind not in ("country", "metonym", "place")
        if how is not None and not employer and not (how == "at" and r.kind in AFFILIATIONS):
            # "representative in Haiti", "coordinator for Sudan", not "leader in Kenya's National Assembly";
            # but "a senior fellow at the Hudson Institute" works for the institute: where it is based is
            # where the fellow is
            continue
        if span.root.dep_ == "compound" and span.root.pos_ != "ADJ" and span.root.head.lower_ in EXPERT_NOUNS:
            continue  # "a senior Iran analyst" studies Iran; "an Italian Sinologist" is Italian
        inside.append(r)
    if not inside:
        return None
    titled = next((r for r in inside if r.kind in ("group", "title") and r.sector is not None), None)
    if titled is not None and titled.country not in ("UNK",):
        return (
            titled.country,
            titled.sector,
            titled.confidence,
        )  # "Iran's ambassador", "Haiti's secretary of state"
    countries = {r.country for r in inside if r.country not in ("UNK", "WST")}
    if len(countries) != 1:
        return None
    country = countries.pop()
    sector = titled.sector if titled is not None else None
    if sector is None:
        body = next((r for r in inside if r.kind not in ("country", "person") and r.sector is not None), None)
        sector = body.sector if body is not None else ("GOV" if country == "IGO" else None)
    return country, sector, 0.6


# Posts whose "to" names where they are sent, not whom they serve ("the UN envoy to Libya", "ambassador to
# Russia"); any post's "for" a country does the same ("the UN's deputy humanitarian coordinator for Sudan",
# "special envoy for Yemen"), except a spokesperson's, who speaks for the body named ("a spokesman for the
# Kremlin", read by ``_spoken_for``).
POSTED_TO = frozenset({"envoy", "envoys", "ambassador", "ambassadors", "representative", "representatives",
                       "emissary", "delegate", "rapporteur", "mission", "coordinator", "commissioner"})  # fmt: skip


def _posted_for(doc: Doc, item: Item) -> bool:
    """Does the item follow a post's "for"/"to" (``_portfolio``: "envoy for", "ambassador to"), so that it
    names the post's area, which a name written right after it does not take?"""
    k = item.start - 1
    return k >= 1 and _portfolio(doc[k]) and doc[k].head.i == k - 1


def _portfolio(prep) -> bool:  # type: ignore[no-untyped-def]
    """Is ``prep`` the "for"/"to" of a post, whose object is the post's area and not the holder's country? Only
    the preposition's own object is left out: "Minister for Foreign Affairs of Iran" keeps Iran."""
    if prep.dep_ != "prep" or prep.head.pos_ not in ("NOUN", "PROPN"):
        return False
    post = prep.head.lower_
    if prep.lower_ == "to":
        return post in POSTED_TO
    return prep.lower_ == "for" and not post.startswith("spokes")  # (SPOKESPEOPLE and "spokesmen")


# A title of these sectors is a post any body may have ("director", "head", "commander"); a title of
# another sector is a calling whatever the employer ("professor", "judge", "imam").
POST_SECTORS = frozenset({"GOV", "MIL"})


def _described_sector(doc: Doc, partner, nouns: list[ActorRef]) -> str | None:  # type: ignore[no-untyped-def]
    """The one sector the group nouns or bodies of an apposition give ("a member of the upper house" LEG,
    "the leader of the Village de Dieu gang" CRM: a leader is of the body's sector)."""
    # The description's own noun or what it is "of", not a word inside a name further down; group nouns and
    # bodies only: a post ("president of the Committee for Freedom") is a state's or a body's alike.
    heads = [partner] + [
        o for p in partner.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"
    ]
    sectors = {
        n.sector
        for n in nouns
        if n.sector is not None
        and (
            n.kind in ("group", "organization", "institution", "party")
            or (n.kind == "title" and n.sector not in POST_SECTORS)
        )
        and n.country in ("UNK", "IGO")
        and any(n.start <= t.idx < n.end for t in heads)
    }
    return sectors.pop() if len(sectors) == 1 else None


def _family_key(word: str) -> str:
    return _fold_token(re.sub(r"^(al|el|ad|as)-", "", word, flags=re.I))


def _article_namesake(ref: ActorRef, phrase: Phrase, named: dict[str, ActorRef]) -> ActorRef:
    """ "Hashimi" after "Abdullah al-Hashimi" is the man the article named, not a namesake a pack knows by
    that one word: the ref becomes an unknown person, for coreference to link to the full name."""
    head = phrase.items[0]
    if (
        len(phrase.items) != 1 or head.lex != "person" or head.entry is None or head.entry.rank < RANK_PACK
        or " " in ref.text.strip()
    ):  # fmt: skip
        return ref
    earlier = named.get(_family_key(ref.text.strip()))
    if earlier is None or earlier.actor_id == ref.actor_id:
        return ref
    return ActorRef(ref.text, ref.start, ref.end, f"person:{slug(ref.text)}", ref.text, "UNK", None, "person",
                    CONFIDENCE["unknown"], "unknown")  # fmt: skip


def _country_mentions(
    doc: Doc, items: list[Item], kb: KnowledgeBase, date: dt.date | None
) -> tuple[list[int], list[Counter[str]], Counter[str]]:
    """Which sentence each token is in, and how often each country is named per sentence and in the doc
    (by country names, nationality words and capitals): the context that picks between namesakes."""
    sent_of = [0] * len(doc)
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for k, sent in enumerate(sents):
        for t in range(sent.start, sent.end):
            sent_of[t] = k
    per_sent: list[Counter[str]] = [Counter() for _ in sents]
    for item in items:
        if item.lex in ("country", "demonym", "metonym"):
            country = _country_of(kb, item, date)
            if country is not None and country != "IGO":
                per_sent[sent_of[item.start]][country] += 1
    total: Counter[str] = Counter()
    for counts in per_sent:
        total.update(counts)
    return sent_of, per_sent, total


# What follows the place of a dateline: its region or country, the date, the agency, then the dash that opens
# the story ("KYIV, March 20, 2025 —", "SAN JOSE, Costa Rica, May 3 (AP) -", "MOSCOW —").
_MONTH_WORD = rf"(?i:{MONTH_WORD})"
_AFTER_DATELINE = re.compile(
    rf"^(?:,\s*(?P<region>[A-Z][\w .'’-]{{0,30}}?))?,?\s*(?:(?:{_MONTH_WORD}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH_WORD})(?:,?\s+\d{{4}})?)?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:--|[—–-])\s"
)  # (also "Tehran, IRNA --": an agency in capitals after the city, and a double hyphen for the dash)


def _dateline_place(doc: Doc, item: Item) -> Item:
    """The city a story was filed from, at the head of a paragraph ("WASHINGTON, March 20, 2025 — Ukraine
    accused Russia ..."), is where the reporter was, not the government its name stands for elsewhere: a
    place of its country, which names no party and lends no country to the story's people."""
    if item.lex != "metonym" or item.entry is None:
        return item
    if item.start > 0 and not (doc[item.start - 1].is_space and "\n" in doc[item.start - 1].text):
        return item
    text = doc_text(doc)
    end = doc[item.end - 1].idx + len(doc[item.end - 1])
    after = _AFTER_DATELINE.match(text[end : end + 80])
    if after is None:
        return item
    # "Beijing - the government's critics say": a dash alone (no date, no agency) makes a dateline in capitals only
    agency = (after.group("region") or "").strip()
    if (not any(c.isdigit() or c == "(" for c in after.group()) and not doc[item.start].text.isupper()
            and not (agency.isupper() and len(agency) >= 2)):  # fmt: skip
        return item
    return Item(item.start, item.end, "place", None, confidence=0.9, country=item.entry.actor.country,
                reason=DATELINE)  # fmt: skip


def _without_dateline_agency(doc: Doc, items: list[Item]) -> list[Item]:
    """Leave out a name the dictionaries lack that stands in a dateline's parentheses ("ASTANA, March 3,
    2026 (Kazinform) -"): the agency that filed the story, never a party to what it reports. Unknown, it
    had been taken as the subject's partner and made a second, country-less source."""
    datelines = [i for i in items if i.reason == DATELINE]
    if not datelines:
        return items
    text = doc_text(doc)

    def agency(item: Item) -> bool:
        if item.lex != "unknown" or item.start == 0 or item.end >= len(doc):
            return False
        if doc[item.start - 1].text != "(" or doc[item.end].text != ")":
            return False
        start = doc[item.start].idx
        return any(
            0 <= start - (doc[d.end - 1].idx + len(doc[d.end - 1])) <= DATELINE_AGENCY_CHARS and "\n" not in text[doc[d.end - 1].idx : start]
            for d in datelines
        )  # fmt: skip

    return [i for i in items if not agency(i)]


def _namesake_city(doc: Doc, item: Item, sentence: Counter[str]) -> Item:
    """A capital that shares its name with a city elsewhere ("Tripoli": Libya's capital, Lebanon's port)
    is that city when the sentence names its country and not the capital's."""
    if item.lex != "metonym" or item.entry is None or not doc[item.start].text[:1].isupper():
        return item
    own = item.entry.actor.country
    others = sentence - Counter({own: 1})  # the capital's own mention does not count for itself
    if not others or others.get(own):
        return item
    try:
        from detente.gazetteer import default_gazetteer

        candidates = default_gazetteer().lookup(doc[item.start : item.end].text)
    except (ImportError, AttributeError):
        return item
    namesakes = {
        e.country for e in candidates
        if e.kind == "city" and e.country and e.country != own and e.country in others
        and (e.population or 0) >= PLACE_MIN_POPULATION
    }  # fmt: skip
    if len(namesakes) != 1:
        return item
    return Item(item.start, item.end, "place", None, confidence=0.8, country=namesakes.pop(), reason="place")


# Modifiers that say a group is not of the country around it: of several ("both forces", "other African
# leaders"), of a region, or from abroad.
NOT_NATIONAL = frozenset({"international", "foreign", "multinational", "global", "coalition", "allied",
                          "overseas", "regional", "western", "outside", "both", "other", "african", "european",
                          "asian", "arab", "latin"})  # fmt: skip
# Prepositions that place a group in a country: "militants present on Afghan soil", "rebels based in Mali".
PLACED_BY = frozenset({"in", "on", "from", "inside", "within", "across", "throughout"})


# Posts that organisations have more often than states: an unknown "Secretary General X" in a story
# about Sudan is MSF's or the UN's as likely as Sudan's.
BODY_TITLES = ("secretary general", "secretary-general", "executive director", "director-general",
               "director general", "chief executive")  # fmt: skip


def body_title(ref: ActorRef) -> bool:
    """Is the ref an unknown person with a post an organisation has as often as a state?"""
    text = ref.text.lower()
    return ref.kind == "person" and any(t in text for t in BODY_TITLES)


# Plural nouns that are several states by definition ("as governments continue climate talks in Madrid").
SEVERAL_STATES = frozenset({"governments", "countries", "nations", "states"})


# Who comments on a story from outside it: their country is their institution's, which the story seldom
# says, and seldom the story's ("Rogier Creemers, assistant professor at Leiden University" in a story
# about China; "Gregory Brew, a senior Iran analyst at the Eurasia Group").
EXPERT_NOUNS = frozenset({"analyst", "professor", "researcher", "scholar", "fellow", "economist", "lecturer",
                          "expert", "consultant", "specialist", "academic", "commentator", "sinologist"})  # fmt: skip


def outside_expert(span) -> bool:  # type: ignore[no-untyped-def]
    """Is the phrase, or the apposition beside it, an expert's description ("Political analyst X", "X, a
    senior fellow at ...")? Such a person takes no country from the sentence or the story; one their own
    description states ("a Turkish presidential adviser", "of Malawi's meteorological department") is read
    before, by the appositions."""
    root = span.root
    partner = (
        root.head if root.dep_ == "appos" else next((c for c in root.children if c.dep_ == "appos"), None)
    )
    words = [t for t in span] + ([partner] if partner is not None else [])
    return any(t.lower_ in EXPERT_NOUNS or t.lemma_.lower() in EXPERT_NOUNS for t in words)


def not_national(span) -> bool:  # type: ignore[no-untyped-def]
    """Does a modifier of the phrase's head say the group is of no one country around it? ("other",
    "African", "anti-Pakistan": against a country says nothing of its own; "governments": several.)"""
    root = span.root
    left = root.doc[root.left_edge.i : root.i]
    if root.lower_ in SEVERAL_STATES or moved_to(span) or audience(span):
        return True
    return any(
        c.lower_ in NOT_NATIONAL and not _governing_coalition(c) and not _foreign_portfolio(c)
        for c in root.children
    ) or any(t.lower_ in ("anti", "anti-", "pro", "pro-") for t in left)


# A state's office for its relations abroad: "the Foreign Ministry", "the foreign minister" are one state's.
FOREIGN_PORTFOLIOS = frozenset({"ministry", "minister", "office", "secretary", "affairs", "service"})


def _foreign_portfolio(token) -> bool:  # type: ignore[no-untyped-def]
    """ "foreign" naming a state's own portfolio ("the Foreign Ministry", "the foreign minister"), not foreigners
    ("foreign forces", "foreign ministers" of several states)."""
    head = token.head
    return token.lower_ == "foreign" and head.lower_ in FOREIGN_PORTFOLIOS


def _governing_coalition(token) -> bool:  # type: ignore[no-untyped-def]
    """ "ruling coalition lawmakers": a country's governing parties, not a coalition of several countries."""
    return token.lower_ == "coalition" and any(c.lower_ in ("ruling", "governing") for c in token.children)


# Verbs of coming to live somewhere: where people arrive or settle says nothing of where they are from.
MOVE_VERBS = frozenset(
    {"arrive", "settle", "emigrate", "immigrate", "migrate", "resettle", "relocate", "defect"}
)
DESTINATION = frozenset({"in", "to", "into"})


PRESS_NOUNS = frozenset({"reporter", "journalist", "media", "press", "correspondent", "newsman"})
TOLD_IN = frozenset({"statement", "statements", "interview", "interviews", "remarks", "briefing", "comments"})


def audience(span) -> bool:  # type: ignore[no-untyped-def]
    """Is the phrase the press someone speaks to ("told reporters", "in a statement to media", "asked by a
    reporter")? Like an outlet told, the audience is of no country the story or sentence names."""
    root = span.root
    if root.lemma_.lower() not in PRESS_NOUNS and root.lower_ not in PRESS_NOUNS:  # "media": lemma "medium"
        return False
    if root.dep_ in ("dobj", "dative", "iobj"):
        return root.head.lemma_ in TOLD_VERBS
    if root.dep_ == "pobj" and root.head.lower_ in ("to", "with", "by"):
        governor = root.head.head
        return governor.lemma_ in TOLD_VERBS | {"ask"} or governor.lower_ in TOLD_IN
    return False


def _place_name(token) -> bool:  # type: ignore[no-untyped-def]
    # the recogniser tags some countries oddly ("settled in Mauritius": PRODUCT), so any proper name but a date
    return token.ent_type_ in ("GPE", "LOC") or (
        token.pos_ == "PROPN" and token.ent_type_ not in ("DATE", "TIME", "PERSON")
    )


def moved_to(span) -> bool:  # type: ignore[no-untyped-def]
    """Is the phrase who arrived or settled in a named place ("After arriving in the U.S., David Gee was
    detained", "many Chagossians settled in Mauritius", "migrants who arrived in Italy")? Then neither that
    place's country nor the story's is theirs."""
    root = span.root
    verbs = [c for c in root.children if c.dep_ in ("relcl", "acl")]
    if root.dep_ in ("nsubj", "nsubjpass"):
        verb = root.head
        verbs.append(verb)
        for c in verb.children:  # clauses sharing the subject: "After arriving in the U.S., X was detained"
            if c.dep_ in ("advcl", "xcomp", "conj") and not any(
                g.dep_ in ("nsubj", "nsubjpass") for g in c.children
            ):
                verbs.append(c)
            elif c.dep_ == "prep":
                verbs.extend(g for g in c.children if g.dep_ == "pcomp")
    return any(
        v.lemma_ in MOVE_VERBS and any(
            p.dep_ == "prep" and p.lower_ in DESTINATION and any(_place_name(o) for o in p.subtree)
            for p in v.children)
        for v in verbs
    )  # fmt: skip


# Who speak for a body named after "for" or "of": "a spokesperson for the EU's foreign service".
SPOKESPEOPLE = frozenset({"spokesperson", "spokesman", "spokeswoman", "spokespeople", "spokesmen"})


def _spoken_for(span, refs: list[ActorRef]) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """The body a spokesperson speaks for, named in the phrase's "for"/"of" complement ("a spokesman for
    the Foreign Ministry", "a spokesperson for the EU's foreign service"), when it names one actor of known
    country (or an international body)."""
    root = span.root
    if root.lemma_.lower() not in SPOKESPEOPLE and root.lower_ not in SPOKESPEOPLE:
        return None
    for prep in root.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"for", "of"}:
            continue
        phrase = [tok for tok in prep.subtree if not _through_a_verb(tok, prep)]  # (not "..., called on X")
        named = {(r.actor_id, r.country): r for tok in phrase for r in refs
                 if r.start <= tok.idx < r.end and r.country not in ("UNK", "")}  # fmt: skip
        if len({country for _, country in named}) == 1:
            return next(iter(named.values()))
    return None


def _through_a_verb(token, top) -> bool:  # type: ignore[no-untyped-def]
    """Is there a verb between ``token`` and its ancestor ``top`` (a clause inside a phrase)?"""
    node = token
    while node.i != top.i and node.head.i != node.i:
        if node.pos_ in ("VERB", "AUX"):
            return True
        node = node.head
    return False


def _placed_country(span, refs: list[ActorRef]) -> str | None:  # type: ignore[no-untyped-def]
    """The country a group is placed in by a phrase after it ("militants present on Afghan soil",
    "fighters based in Syria"): a country, capital, place or nationality word reached from the group's head
    through one of PLACED_BY, within eight words."""
    root = span.root
    found = set()
    for tok in root.subtree:
        if tok.i <= root.i or tok.i > root.i + 12:
            continue
        hit = next((r for r in refs if r.start <= tok.idx < r.end and r.kind in ("country", "metonym", "place")
                    and r.country not in ("UNK", "IGO", "WST")), None)  # fmt: skip
        if hit is None:
            continue
        node, placed = tok, False
        while node.i != root.i and node.i != node.head.i:
            if node.dep_ == "prep" and node.lower_ in PLACED_BY:
                placed = True
            node = node.head
        if placed and node.i == root.i and tok.i <= root.i + 8:
            found.add(hit.country)
        elif node.i == root.i:
            found.add("")  # another country in the phrase ("fleeing wars in Somalia and Sudan"): none
    return found.pop() if len(found) == 1 and "" not in found else None


def countries_from_sentence(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase, around: list[ActorRef] | None = None
) -> list[ActorRef]:
    """Refs whose country the phrase does not give take it from the sentence, at a lower confidence:
    an unknown official ("President Yoweri Museveni ... Ugandan opposition"), a bare sector noun
    coordinated with a national one ("Russian officials, experts, journalists") or alone in a sentence
    naming one country ("hostage-takers ... Iraqi"), an unknown party, "ethnic X" living in another named
    country (the one after "in", else the one named most), and a people of several countries
    ("Shona rebels" in a sentence about Mozambique). With no or several candidate countries they stay."""
    if not doc.has_annotation("SENT_START"):
        return refs
    text = doc_text(doc)
    out = list(refs)
    context = refs if around is None else around  # the refs that name the sentence's countries
    # A private person the knowledge base lacks says where they are from, not where the sentence's other
    # nouns are ("American energy consultant John Rockhold said his wife stayed in a hospital", a story
    # about Vietnam), nor do their later mentions; a person in a state's politics (an official, a former
    # leader, an opposition politician, and their pronouns) does stand for the country their sentence is
    # about, and one whose country the sentence or story lent ("unknown+context") only gives it back.
    unknown_people = {r.actor_id for r in context if r.kind == "person" and r.reason == "unknown"}
    for i, ref in enumerate(refs):
        # An unknown person takes the sentence's country only with a title that makes them an official
        # there ("President Yoweri Museveni ... Ugandan"): a bare foreign name in a sentence about another
        # country is often a foreigner ("Rafat Amirov ... a U.S. court").
        official = (
            ref.country == "UNK"
            and ref.kind == "person"
            and ref.reason == "unknown"
            and ref.sector is not None
            and not body_title(ref)
        )
        bare = (
            ref.country == "UNK" and ref.kind in ("group", "title") and ref.sector is not None
            and not stateless(ref)
        )  # fmt: skip
        ethnic = ref.kind == "group" and ref.sector == "CVL" and ref.start >= 7 and (
            text[max(0, ref.start - 7) : ref.start].lower().strip() == "ethnic")  # fmt: skip
        party = ref.country == "UNK" and ref.kind == "organization" and ref.sector in ("PTY", "OPP")
        homes = kb.ethnic_countries.get(_fold_token(ref.text.split(" ", 1)[0]), ())
        if not (official or bare or ethnic or party or len(homes) > 1):
            continue
        span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if span is None:
            continue
        if bare and not_national(span):
            continue  # "other African opposition leaders" in a sentence naming South Africa: not South Africans
        if official and outside_expert(span):
            continue  # "Rogier Creemers, assistant professor ..." in a sentence about China: not Chinese
        if bare:
            placed = _placed_country(span, context)
            if placed is not None:
                actor = kb.group_actor(placed, ref.sector)
                out[i] = ActorRef(ref.text, ref.start, ref.end, actor.actor_id, actor.name, actor.country, actor.sector,
                                  actor.kind, 0.6, _in_context(ref.reason))  # fmt: skip
                continue
            spoken_for = _spoken_for(span, context)
            if spoken_for is not None:  # "a spokesperson for the EU's foreign service": the EU's
                out[i] = ActorRef(ref.text, ref.start, ref.end, spoken_for.actor_id, spoken_for.name,
                                  spoken_for.country, ref.sector, spoken_for.kind, 0.7, _in_context(ref.reason))  # fmt: skip
                continue
            conj = _conjunct_country(span, context)
            if conj is not None:
                actor = kb.group_actor(conj, ref.sector)
                out[i] = ActorRef(ref.text, ref.start, ref.end, actor.actor_id, actor.name, actor.country, actor.sector,
                                  actor.kind, 0.7, _in_context(ref.reason))  # fmt: skip
                continue
        s, e = span.sent.start_char, span.sent.end_char
        reported = _reported_span(span)
        named = Counter(
            r.country
            for r in context
            if s <= r.start < e
            and r.country not in ("UNK", "IGO")
            and r is not ref
            and not (r.kind == "person" and r.actor_id in unknown_people and r.sector not in STATE_PEOPLE)
            and r.kind
            != "outlet"  # "told VOA", "a VOA reporter in the town": an outlet's home is not the story's
            and not _outlet_staff(r, kb)  # "... charged groups of young people, AFP journalists saw"
            and not (reported[0] <= r.start < reported[1])
            and not _of_a_thing(doc, r, context)
            and not (from_elsewhere(r) and _apart(doc, span, r))
            and not _across_a_border(doc, r)
        )
        if len(homes) > 1 and not ethnic:
            if ref.country in named or len(set(homes) & set(named)) != 1:
                continue
            actor = kb.group_actor(next(c for c in homes if c in named), ref.sector)
            out[i] = ActorRef(ref.text, ref.start, ref.end, actor.actor_id, actor.name, actor.country, actor.sector,
                              actor.kind, round(ref.confidence * 0.9, 3), _in_context(ref.reason))  # fmt: skip
            continue
        if ethnic:
            named.pop(ref.country, None)
            home = _located_in(ref, context, text)
            if home is not None and home != ref.country:
                named = Counter({home: 1})
            elif len(named) > 1:  # "... near Macedonia's border with Bulgaria, Macedonian officials said"
                (top, n1), (_, n2) = named.most_common(2)
                named = Counter({top: 1}) if n1 > n2 else named
        near = set(named)
        if len(near) != 1:
            continue
        if bare and _judged_by_the_only_country(span, context, near):
            continue  # "the EU and the United States condemned the violence against demonstrators"
        country = near.pop()
        if official or party:
            out[i] = ActorRef(ref.text, ref.start, ref.end, ref.actor_id, ref.name, country, ref.sector, ref.kind,
                              round(ref.confidence * 0.8, 3), _in_context(ref.reason))  # fmt: skip
        else:
            actor = kb.group_actor(country, ref.sector)
            out[i] = ActorRef(ref.text, ref.start, ref.end, actor.actor_id, actor.name, actor.country, actor.sector,
                              actor.kind, 0.4 if bare else round(ref.confidence * 0.8, 3), _in_context(ref.reason))  # fmt: skip
    return out


def _outlet_staff(ref: ActorRef, kb: KnowledgeBase) -> bool:
    """Is the ref an outlet's own people ("AFP journalists", "a Reuters reporter"), whose country is the
    outlet's home and says nothing of the sentence they witness?"""
    if ref.sector != "JRN" or ref.kind == "outlet":
        return False
    words = re.sub(r"^(the|a|an)\s+", "", ref.text.strip(), flags=re.I).split()
    for n in range(len(words) - 1, 0, -1):
        prefix = " ".join(words[:n])
        entry = kb.lookup(fold(prefix), prefix)
        if entry is not None:
            return entry.actor.kind == "outlet"
    return False


# Verbs by which a state judges what is done to others: the people in their object are not the judge's.
JUDGING_VERBS = frozenset({"condemn", "criticize", "criticise", "denounce", "deplore", "decry", "praise", "hail",
                           "welcome", "slam", "protest"})  # fmt: skip


def _judged_by_the_only_country(span, refs: list[ActorRef], countries: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """Is the noun inside what a judging verb's subject judges, and is that subject where the sentence's only
    country comes from ("The European Union and the United States condemned the violence against
    demonstrators": the demonstrators are not American)?"""
    node = span.root
    while node.dep_ not in ("dobj", "ROOT") and node.head != node:
        node = node.head
    verb = node.head
    if node.dep_ != "dobj" or verb.lemma_.lower() not in JUDGING_VERBS:
        return False
    subject = {t.i for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
    doc = span.doc
    subject_countries = {r.country for r in refs if any(r.start <= doc[i].idx < r.end for i in subject)}
    return countries <= subject_countries


REPORTING_VERBS = frozenset({"say", "tell", "claim", "allege", "report", "accuse", "warn", "insist", "add"})
# Verbs that report a view, whose content is about anyone ("said Russia is a threat", "believe that Russia
# will not attack"). Not "announce", "confirm", "pledge": an official announces their own state's acts
# ("Interior Minister Fred Matiangi announced Kenya had given ..."), where the content's country is theirs.
VIEW_VERBS = REPORTING_VERBS | frozenset(
    {"believe", "think", "fear", "suspect", "expect", "doubt", "argue", "worry"}
    # what one demands names who must act, not who demands ("the ministry demanded that China investigate")
    | {"demand", "urge", "insist", "request"}
)
# Verbs whose "of" or "for" phrase is the charge, said like a reported clause ("accused X of favouring Chinese
# investors", "blamed X for ...").
CHARGING_VERBS = frozenset({"accuse", "blame", "charge", "criticize", "criticise", "condemn", "fault"})
TOLD_VERBS = frozenset({"tell", "say", "speak", "talk", "confirm", "explain", "describe"})


def told_outlet(doc: Doc, ref: ActorRef) -> bool:
    """Is the ref an outlet someone speaks to ("told VOA", "said to Reuters", "speaking to VOA", "in an
    interview with VOA")? The channel of a story says nothing of where its actors are from."""
    if ref.kind != "outlet":
        return False
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    if root.dep_ in ("dobj", "dative", "iobj") and root.head.lemma_ in TOLD_VERBS:
        return True
    prep = root.head if root.dep_ == "pobj" else None
    if prep is None or prep.lower_ not in ("to", "with"):
        return False
    return prep.head.lemma_ in TOLD_VERBS or prep.head.lower_ in ("interview", "interviews")


SPEAKER_PHRASE_DEPS = frozenset({"appos", "pobj", "prep", "poss", "compound"})


# Parties that are, by what they are, of a country other than the one they deal with: an envoy or a
# mission abroad, a counterpart, a visiting delegation. (Foreigners named as such, "two Chinese nationals",
# were measured and left out: the sentence's one other country then went to a company or a leader named
# beside them.)
ELSEWHERE_WORDS = frozenset({"ambassador", "ambassadors", "envoy", "envoys", "embassy", "embassies", "consul",
                             "consulate", "diplomat", "diplomats", "chargé", "charge", "attaché", "counterpart",
                             "counterparts", "delegation", "delegations"})  # fmt: skip


def from_elsewhere(ref: ActorRef) -> bool:
    """Is the ref a state's envoy or mission abroad ("the Chinese ambassador", "the Saudi embassy"), someone's
    counterpart ("his Iranian counterpart") or a visiting delegation, by the head of its phrase (not "the
    National Assembly")? It is of another country than those it deals with, so it gives
    the other parties of its sentence no country: "The head of state received the Chinese ambassador" is
    not China's head of state, nor is "the minister" who "declined to meet his Iranian counterpart" Iran's
    (but "diplomats of the French Embassy" and "the American ambassador in Tashkent, Ayo Nogwizhko",
    phrases that hang on it, are its)."""
    words = re.findall(r"[a-zé]+", ref.text.lower())
    head = next((w for w in words if w in ELSEWHERE_WORDS), None)  # "ambassador of France", "Saudi embassy"
    return head is not None and not any(w in ("of", "to") for w in words[: words.index(head)])


BORDER_WORDS = frozenset({"border", "borders", "frontier", "frontiers", "boundary"})


def _across_a_border(doc: Doc, ref: ActorRef) -> bool:
    """Is the ref the other side of a border ("troops to the border with Belarus", "a post near the border
    with Somalia")? The neighbour named is whom the sentence's people are not."""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None:
        return False
    prep = span.root.head
    return span.root.dep_ == "pobj" and prep.lower_ == "with" and prep.head.lower_ in BORDER_WORDS


def _apart(doc: Doc, span, ref: ActorRef) -> bool:  # type: ignore[no-untyped-def]
    """Is neither phrase inside the other's subtree (two parties of a clause, not one phrase)?"""
    other = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if other is None:
        return False
    return not (span.root.is_ancestor(other.root) or other.root.is_ancestor(span.root))


def _reported_span(span) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Where the words a speaker reports lie, when the phrase is the speaker ("Security sources have said
    the handlers ... are based in Afghanistan"): countries there are what is said, not who says it."""
    root = span.root
    while root.dep_ in SPEAKER_PHRASE_DEPS and root.head.i != root.i:
        # up to the head of the speaker's phrase: "Air Force Chief of Staff, General Dave Goldfein, said
        # Russia is a threat", "Some members of the President's administration believe that Russia ..."
        root = root.head
    verb = root.head
    if root.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_ not in VIEW_VERBS:
        return (0, 0)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None and verb.lemma_ in CHARGING_VERBS:
        # what one is accused of is said too: "Lawmakers accused the government of favouring Chinese investors"
        clause = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    if clause is None:
        return (0, 0)
    tokens = list(clause.subtree)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _of_a_thing(doc: Doc, ref: ActorRef, refs: list[ActorRef]) -> bool:
    """Is the ref a nationality word on a noun that is no actor ("Dutch gin", "Venetian beads")? The origin
    of a thing places no one: "trading with Europeans - Dutch gin" does not make the Europeans Dutch."""
    if ref.kind != "country":
        return False
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None or len(span) != 1 or span.root.pos_ != "ADJ":
        return False
    word = span.root
    while word.dep_ == "conj" and word.head.pos_ == "ADJ" and word.head.i < word.i:
        word = word.head  # "Russian and Chinese opinions": both words modify the noun
    if word.dep_ != "amod":
        return False
    noun = word.head
    return noun.pos_ == "NOUN" and not any(r.start <= noun.idx < r.end for r in refs)


def _in_context(reason: str) -> str:
    """The reason of a ref whose country the sentence (or the story) gave."""
    return reason if reason.endswith("+context") else f"{reason}+context"


def _located_in(ref: ActorRef, refs: list[ActorRef], text: str) -> str | None:
    """The country of the place right after "in" following ``ref`` ("Albanians in south Serbia")."""
    after = next((r for r in refs if r.start >= ref.end), None)
    if after is None or after.country in ("UNK", "IGO") or after.start - ref.end > 30:
        return None
    return after.country if _LOCATED.match(text[ref.end : after.start]) else None


def joined_words(token, deps: frozenset[str] = frozenset({"conj"})) -> list:  # type: ignore[no-untyped-def]
    """The token and the words joined to it by ``deps``, recursively: its conjuncts ("Washington and
    Pyongyang"), or with appositions and compounds too ("stringers Abdiaziz Barrow and Khadar Hared")."""
    out = [token]
    for child in token.children:
        if child.dep_ in deps:
            out += joined_words(child, deps)
    return out


def in_enumeration(token) -> bool:  # type: ignore[no-untyped-def]
    """A later item of an enumeration: a conjunct, or the appositive the parser sometimes makes of the
    second item ("Pakistan's army, air force, frontier corps and commandos")."""
    return token.dep_ == "conj" or (token.dep_ == "appos" and any(c.dep_ == "conj" for c in token.children))


def _conjunct_country(span, refs: list[ActorRef]) -> str | None:  # type: ignore[no-untyped-def]
    """The country of a national group this bare noun is coordinated with ("Russian officials, ... and
    journalists")."""
    root = span.root
    chain = [root]
    while in_enumeration(chain[-1]) and chain[-1].head.i != chain[-1].i and len(chain) < 8:
        chain.append(chain[-1].head)
    for tok in chain[1:]:
        for r in refs:
            if r.start <= tok.idx < r.end and r.kind == "group" and r.country not in ("UNK", "IGO"):
                return r.country
    return None
