"""Set-valued references: "both countries", "the two leaders", "the other three countries", "both forces".

Such a phrase stands for several actors named just before it, each of its own country. An ``ActorRef``
has one ``country``, and the record is shared with events, the store and the bundle, so a set ref keeps
that field honest (``UNK``: no one country is right) and carries its members in ``actor_id``
(``set:EGY+TUR``) and ``name`` ("Egypt and Turkey"), kind ``set``; :func:`members` reads them back.

Precision first: the members are the distinct countries of the fitting actors named in the phrase's
sentence before it, then in up to ``SET_WINDOW`` sentences before, and the set is made only when exactly
the phrase's number of countries is reached ("both": two). More than that before the number is reached
(a third country in the same sentence) leaves the phrase as it was. "the other N" leaves out the
countries its own sentence names before it ("Japan held an exercise with the other three countries").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc

from detente.actors.coreference import reported_by, tokens_of, with_linked_mentions
from detente.actors.knowledge_base import KnowledgeBase, fold
from detente.actors.matching import REPORTING_VERBS, doc_text, joined_words
from detente.actors.regions import described_states, lower_words
from detente.records import ActorRef

SET_PREFIX = "set:"
SET_KIND = "set"
SET_WINDOW = 2  # sentences before the phrase's own that may name the members
SET_CONFIDENCE = 0.6  # at most; never above its least certain member
# An uncounted "the leaders", "the countries" takes up two actors named just before it; more (three
# countries that offered, a summit's guests) are as often some other group (one such in the tuning stories).
UNCOUNTED_MOST = 2
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
DEFINITE = frozenset({"the", "these", "those", "all"})

STATE_NOUNS = frozenset({"countries", "nations", "states", "governments", "capitals", "neighbours", "neighbors",
                         "allies", "rivals", "powers"})  # fmt: skip
LEADER_NOUNS = frozenset({"leaders", "presidents", "ministers", "premiers", "counterparts", "heads"})
FORCE_NOUNS = frozenset({"forces", "armies", "militaries", "troops"})
SIDE_NOUNS = frozenset({"sides"})
# "the parties" to a conflict: of one country only (a set of countries is named by "sides" or by states)
PARTY_NOUNS = frozenset({"parties"})
SET_NOUNS = STATE_NOUNS | LEADER_NOUNS | FORCE_NOUNS | SIDE_NOUNS
SET_NOUN_WORDS = re.compile(r"\b(?:" + "|".join(sorted(SET_NOUNS | PARTY_NOUNS)) + r")\b", re.IGNORECASE)
CAPITALISED_HYPHENATED = re.compile(r"(?<![\w-])[A-Z][\w.]*(?:-[A-Z][\w.]*)+")
STATE_KINDS = frozenset({"country", "metonym"})
ARMED_SECTORS = frozenset({"MIL", "COP"})
FORCE_WORDS = frozenset({"force", "forces", "troops", "army", "military", "soldiers"})
# A country named as where something happens ("talks in Jeddah") is no party to it.
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
THEY = frozenset({"they", "them", "their"})
LOCATIVE = frozenset({"in", "at", "near", "inside", "across"})


def is_set(ref: ActorRef) -> bool:
    return ref.actor_id.startswith(SET_PREFIX)


def listed_names(names: list[str]) -> str:
    """A set's ``name``: "Egypt and Turkey", "Chile, Peru and Bolivia" (``events.roles.with_set_members``
    reads the members' names back by these separators)."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def members(ref: ActorRef) -> tuple[str, ...]:
    """The countries a set ref stands for, in the order they were named (``()`` for any other ref)."""
    return tuple(ref.actor_id.removeprefix(SET_PREFIX).split("+")) if is_set(ref) else ()


def _number(head) -> tuple[int, bool] | None:  # type: ignore[no-untyped-def]
    """How many a plural noun phrase counts when it takes up actors named before, and whether it says
    "other": "both countries" 2, "the two leaders" 2, "the other three countries" 3. An indefinite count
    ("two countries signed") introduces new actors and is none."""
    words = [t.lower_ for t in head.doc[head.left_edge.i : head.i]]
    other = "other" in words
    if "both" in words:
        return 2, other
    count = next(
        (NUMBERS[c.lower_] for c in head.children if c.dep_ == "nummod" and c.lower_ in NUMBERS), None
    )
    if count is not None and any(w in DEFINITE for w in words):
        return count, other
    return None


def _fits(noun: str, ref: ActorRef) -> bool:
    """Can this ref be one member of a set the noun names?"""
    if ref.country in ("UNK", "WST") or is_set(ref) or ref.text.lower() in FIRST_PERSON:
        return False
    if noun in STATE_NOUNS:
        return ref.country != "IGO" and (ref.kind in STATE_KINDS or ref.sector == "GOV")
    if noun in LEADER_NOUNS:  # a state named stands for its leader ("the United States and Ukraine ... the
        # two leaders"); the members are counted by country, so a state and its president are one
        return (ref.kind == "person" and ref.sector in ("GOV", "ELI", None)) or (
            ref.kind in STATE_KINDS and ref.country != "IGO"
        )
    if noun in FORCE_NOUNS:  # "forces of the United Nations" is a force whatever sector its body has
        return ref.sector in ARMED_SECTORS or bool(FORCE_WORDS & set(ref.text.lower().split()))
    return True  # "the two sides": any actor of a country


def _located(doc: Doc, ref: ActorRef) -> bool:
    """A place named as where ("in Sudan"), or the source of what is reported ("according to the UN")."""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    while root.dep_ in ("appos", "npadvmod") and root.head.ent_type_ in ("GPE", "LOC", "FAC"):
        root = root.head  # "in Kazan, Russia": the country of a place named as where is where too
    if root.dep_ in ("amod", "poss", "compound") and root.head.dep_ == "pobj":
        root = root.head  # "talks in the Qatari capital", "in Qatar's capital"
    if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according":
        return True  # "according to the United Nations": the source of a figure, not one of the sides
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE


def _acronym_alias(doc: Doc, ref: ActorRef) -> bool:
    """ "forces of the United Nations ... Mission in the Central African Republic, or MINUSCA": an acronym
    joined by "or" to the name it abbreviates names that actor again, not one more member."""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    root = span.root
    return (
        root.dep_ == "conj"
        and root.text.isupper()
        and any(c.dep_ == "cc" and c.lower_ == "or" for c in root.head.children)
    )


def _sector(noun: str, chosen: list[ActorRef]) -> str | None:
    if noun in STATE_NOUNS or noun in LEADER_NOUNS:
        return "GOV"
    if noun in FORCE_NOUNS:
        return "MIL"
    sectors = {r.sector for r in chosen}
    return sectors.pop() if len(sectors) == 1 else None


def _each_named_member(ref: ActorRef) -> list[ActorRef]:
    """A set the text named itself ("the Thai and Chinese governments", ``named_sets``) as one country ref
    per member, so that "the two governments" after it takes them up; any other ref as it is."""
    if not is_set(ref) or ref.reason != "named set":
        return [ref]
    return [replace(ref, actor_id=f"country:{code}", country=code, kind="country") for code in members(ref)]


def _named_before(doc: Doc, head, refs: list[ActorRef]) -> Iterator[list[ActorRef]]:  # type: ignore[no-untyped-def]
    """The refs a set phrase can take up, one list per sentence, nearest first: those before the phrase in
    its own sentence, then those of each of the ``SET_WINDOW`` sentences before it; places ("in Sudan")
    and acronyms given as another name ("..., or MINUSCA") are left out."""
    sentences = list(doc.sents)
    at = next(n for n, s in enumerate(sentences) if s.start <= head.i < s.end)
    phrase_start = head.left_edge.idx
    for back in range(0, min(SET_WINDOW, at) + 1):
        sent = sentences[at - back]
        yield [m for r in refs
               if sent.start_char <= r.start < min(sent.end_char, phrase_start) and not _located(doc, r)
               and not _acronym_alias(doc, r) for m in _each_named_member(r)]  # fmt: skip


def _members(doc: Doc, head, refs: list[ActorRef], count: int | None, other: bool) -> list[ActorRef] | None:  # type: ignore[no-untyped-def]
    """The first ref of each member making up the set, or None when the count is not met exactly (with no
    count, "the leaders": the members named nearest, from two to ``UNCOUNTED_MOST``, as soon as two are). For
    "countries", "sides" and "leaders" a member is a country (a president and a capital of one country are
    one member; the two sides of a civil war are left alone); for "forces" an actor (an army and a
    paramilitary force of one country are two). Who reports it is no member ("the United Nations
    says both sides ..."), nor a speaker's "we" in a quotation."""
    noun = head.lower_

    def key(r: ActorRef) -> str:
        return r.country if noun in STATE_NOUNS | SIDE_NOUNS | LEADER_NOUNS else r.actor_id

    speakers = _speakers(head)
    # "the three European countries" after Iran and the envoys of Britain, France and Germany: the three
    placed = described_states(lower_words(head.doc, head.left_edge.i, head.i))
    own = head.sent
    excluded = (
        {key(r) for r in refs if own.start_char <= r.start < head.left_edge.idx and _fits(noun, r)}
        if other
        else set()
    )
    # Who acts on the set is none of it: "Rubio spoke with Sharif and Jaishankar and urged both countries",
    # "Trump hosted the two ministers".
    doers = _subject_of_governor(head)
    excluded |= {key(r) for r in refs if any(r.start <= doc[i].idx < r.end for i in doers) and _fits(noun, r)}
    seen: dict[str, ActorRef] = {}
    for named in _named_before(doc, head, refs):
        for r in named:
            if (
                _fits(noun, r)
                and (placed is None or r.country in placed)
                and not any(r.start <= doc[i].idx < r.end for i in speakers)
            ):
                seen.setdefault(key(r), r)
        found = [r for k, r in seen.items() if k not in excluded]
        if count is None and len(found) >= 2:
            # several of one country ("the parties" of one state's politics) are no set of countries
            ok = len(found) <= UNCOUNTED_MOST and len({r.country for r in found}) == len(found)
            return sorted(found, key=lambda r: r.start) if ok else None
        if len(found) == count:
            return sorted(found, key=lambda r: r.start)
        if count is not None and len(found) > count:
            return None
    if count is None or other:
        return None
    listed = _listed_earlier(doc, head, refs, count, key, excluded)
    if listed is None and noun in STATE_NOUNS | LEADER_NOUNS | SIDE_NOUNS:
        return _the_storys_states(head, refs, count, excluded)
    return listed


def _the_storys_states(head, refs: list[ActorRef], count: int, excluded: set[str]) -> list[ActorRef] | None:  # type: ignore[no-untyped-def]
    """ "the extradition treaty signed by the two countries" in a story about Bangladesh and India, when no
    sentence near names both and no list of two came before: the story's own states, when exactly that many
    stand out (each named by itself at least twice, and at least twice as often as any other state), as a
    reader takes "the two countries" of a bilateral story. A state that acts on the phrase is none of it."""
    counts: Counter[str] = Counter()
    first: dict[str, ActorRef] = {}
    for r in refs:
        if r.start >= head.left_edge.idx or r.reason == "coreference" or r.reason.endswith("+context"):
            continue
        state = r.kind in STATE_KINDS or (r.sector == "GOV" and r.kind != "person")
        if state and r.country not in ("UNK", "IGO", "WST", "") and not is_set(r):
            counts[r.country] += 1
            first.setdefault(r.country, r)
    ranked = counts.most_common(count + 1)
    if len(ranked) < count or ranked[count - 1][1] < 2:
        return None
    if len(ranked) > count and ranked[count][1] * 2 > ranked[count - 1][1]:
        return None
    chosen = [first[c] for c, _ in ranked[:count]]
    if excluded & {r.country for r in chosen}:
        return None
    return sorted(chosen, key=lambda r: r.start)


def _listed_earlier(
    doc: Doc, head, refs: list[ActorRef], count: int, key, excluded: set[str]
) -> list[ActorRef] | None:  # type: ignore[no-untyped-def]
    """ "Armenia and Azerbaijan said ... [three sentences on one of them] ... The two countries fought two
    wars": when the sentences just before do not name the phrase's number of members, the nearest earlier
    list of exactly that many, joined by "and" ("Niger, Mali and Burkina Faso", often the lede's or the
    headline's), or a set phrase already taken up ("proposed that the two countries start talks"), is what
    it takes up. A list of more or fewer, or one with a member who acts on the phrase, is no answer."""
    noun = head.lower_
    before = [
        r for r in refs if r.end <= head.left_edge.idx and not _located(doc, r) and not _acronym_alias(doc, r)
    ]
    lists: dict[int, list[ActorRef]] = {}
    for r in before:
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        top = span.root
        while top.dep_ == "conj" and top.head.i < top.i:
            top = top.head
        lists.setdefault(top.i, []).append(r)
    candidates: list[tuple[int, list[ActorRef]]] = []
    for group in lists.values():
        named = [m for r in group for m in _each_named_member(r)]
        if len(group) > 1 and all(_fits(noun, m) for m in named):
            candidates.append((max(r.start for r in group), named))
    candidates += [(r.start, [replace(r, actor_id=f"country:{c}", country=c, kind="country") for c in members(r)])
                   for r in before if is_set(r) and len(members(r)) == count]  # fmt: skip
    for _, named in sorted(candidates, key=lambda pair: -pair[0]):
        seen: dict[str, ActorRef] = {}
        for m in named:
            seen.setdefault(key(m), m)
        if len(seen) == count and not excluded & set(seen):
            return sorted(seen.values(), key=lambda r: r.start)
        if len(seen) >= 2:
            return None  # the nearest list names another number: do not look past it
    return None


# The words of a minister's title that may stand before an uncounted "the ministers" taking up who was named
# ("the prime ministers", "the foreign ministers"); any other word says who they are ("the African leaders").
TITLE_WORDS = frozenset({"prime", "foreign", "defense", "defence", "finance", "trade", "interior", "vice"})


def _bare(head) -> bool:  # type: ignore[no-untyped-def]
    """A plural after "the", "these" or "those" with nothing said of it but a minister's title and nothing
    after it ("the prime ministers", "the countries" -- not "the countries of the region", "the leaders who
    met", "the foreign armies"; "the two leaders' aides" is the leaders' too). "all countries" is everyone,
    not the ones just named."""
    determiners = [c for c in head.children if c.dep_ in ("det", "predet")]
    if not determiners or any(c.lower_ not in ("the", "these", "those") for c in determiners):
        return False
    before = [c for c in head.children if c.i < head.i and c.dep_ not in ("det", "predet", "punct")]
    after = [c for c in head.children if c.i > head.i and c.dep_ not in ("punct", "case")]
    titled = head.lower_ == "ministers"
    return not after and all(titled and c.lower_ in TITLE_WORDS for c in before)


def _definite(head) -> bool:  # type: ignore[no-untyped-def]
    """ "the parties", "all sides", "the warring parties": a phrase that takes up who was named."""
    return any(c.dep_ in ("det", "predet") and c.lower_ in DEFINITE for c in head.children)


# What "the warring parties", "both opposing sides" may say of the sides without making them others.
SIDE_WORDS = frozenset(
    {"warring", "rival", "opposing", "conflicting", "two", "both", "all", "the", "these", "those"}
)


def _unqualified(head) -> bool:  # type: ignore[no-untyped-def]
    """No word of the phrase but its determiner, count or "warring" ("all opposition parties", "the
    Moroccan and independent parties" say who they are themselves)."""
    return all(c.lower_ in SIDE_WORDS or c.dep_ == "punct" for c in head.children if c.i < head.i)


def _sides_of_one_country(doc: Doc, head, refs: list[ActorRef], kb: KnowledgeBase) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """ "The Rapid Support Forces has been fighting the Sudanese Armed Forces ... the parties": the sides of
    a civil war, or the parties of one country's politics, are that country's, though no set of countries
    can be made of them. The actors that fit "sides" in the phrase's sentence before it, then up to
    ``SET_WINDOW`` sentences before (all of them, as far as a set reaches), must be two or more, all of one
    country; who reports it counts too (who speaks of "all parties" may be one of them)."""
    seen: dict[str, ActorRef] = {}
    countries: set[str] = set()
    for named in _named_before(doc, head, refs):
        for r in named:
            if _fits("sides", r) and r.country != "IGO":
                countries.add(r.country)
                # The state named whole ("Washington", "Russia") is no side of its own politics: beside one of
                # its officials it is one side, not two ("Rubio said Washington would continue talks with both
                # sides"). It still shows the sides may be of two countries.
                if r.kind not in ("country", "metonym"):
                    seen.setdefault(r.actor_id, r)
    if len(seen) < 2 or len(countries) > 1:
        return None
    chosen = list(seen.values())
    country = chosen[0].country
    sectors = {r.sector for r in chosen}
    # the sides' shared sector ("the two sides" of a cabinet: GOV), else none: a government and its rebels
    # are people of the country, not its state (kind group, not country)
    sector = sectors.pop() if len(sectors) == 1 else None
    actor = kb.group_actor(country, sector)
    start, end = head.left_edge.idx, head.idx + len(head)
    return ActorRef(doc_text(doc)[start:end], start, end, actor.actor_id, actor.name, actor.country, sector, "group",
                    min(SET_CONFIDENCE, *(r.confidence for r in chosen)), "coreference")  # fmt: skip


def _subject_of_governor(head) -> set[int]:  # type: ignore[no-untyped-def]
    """Tokens of the subject of the verb whose object (direct, or of a preposition) the phrase is; a verb
    coordinated with another ("spoke with ... and urged both countries") shares its subject."""
    verb = head.head
    if head.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    elif head.dep_ not in ("dobj", "dative"):
        return set()
    for _ in range(3):
        if verb.pos_ not in ("VERB", "AUX"):
            return set()
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects:
            # The subject and the names coordinated with it, or in apposition anywhere in it (the parser may
            # hang the apposition on a modifier), with their own modifiers; not the names inside its
            # modifiers ("the EU's envoy for the Belgrade-Pristina dialogue ... urged both sides").
            heads = [n for c in subjects for n in [c, *(k for k in c.children if k.dep_ == "conj"),
                                                   *(k for k in c.subtree if k.dep_ == "appos")]]  # fmt: skip
            return {n.i for n in heads} | {
                t.i for n in heads for t in n.children if t.dep_ in ("compound", "poss", "amod")
            }
        if verb.dep_ != "conj" or verb.head == verb:
            return set()
        verb = verb.head
    return set()


def _speakers(head) -> set[int]:  # type: ignore[no-untyped-def]
    """Tokens of the subject of a reporting verb whose reported clause holds the phrase."""
    out: set[int] = set()
    for node in head.ancestors:  # any reporting verb above the phrase: the parse may not call it ccomp
        if node.lemma_ in REPORTING_VERBS and node.pos_ == "VERB":
            for c in node.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i < head.i:
                    out.update(t.i for t in c.subtree)
    return out


def set_references(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]], kb: KnowledgeBase
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """Replace each set-valued phrase (and any ref inside it) by one set ref; links are renumbered."""
    made: list[ActorRef] = []
    text = doc_text(doc)
    for found in SET_NOUN_WORDS.finditer(text):  # a scan of the text: iterating the doc's tokens costs more
        span = doc.char_span(found.start(), found.end())
        if span is None or len(span) != 1:
            continue
        token = span[0]
        if token.tag_ not in ("NNS", "NNPS"):
            continue
        counted = _number(token)
        sides = token.lower_ in SIDE_NOUNS | PARTY_NOUNS
        chosen = (
            _members(doc, token, refs + made, *counted)
            if counted is not None and token.lower_ in SET_NOUNS
            else None
        )
        if chosen is None and sides and (counted is not None or _definite(token)) and _unqualified(token):
            one = _sides_of_one_country(doc, token, refs, kb)  # "the parties" to a civil war
            if one is not None:
                made.append(one)
                continue
        if chosen is None and counted is None and _definite(token) and _bare(token):
            # "Japan and the Philippines signed a pact. The countries will ...": with no count, the actors
            # named just before ("the parties" too, when they are of two countries: talks between states)
            chosen = _members(doc, token, refs, None, False)
        if chosen is None:
            continue
        start, end = token.left_edge.idx, token.idx + len(token)
        codes = [r.country for r in chosen]
        names = [kb.country_actor(r.country).name if token.lower_ in STATE_NOUNS else r.name for r in chosen]
        made.append(ActorRef(
            text[start:end], start, end, SET_PREFIX + "+".join(codes),
            listed_names(names),
            "UNK", _sector(token.lower_, chosen), SET_KIND,
            min(SET_CONFIDENCE, *(r.confidence for r in chosen)), "coreference",
        ))  # fmt: skip
    if not made:
        return refs, links
    keep = [i for i, r in enumerate(refs) if not any(m.start < r.end and r.start < m.end for m in made)]
    merged = [(refs[i], i) for i in keep] + [(m, -1) for m in made]
    merged.sort(key=lambda pair: (pair[0].start, pair[0].end))
    position = {old: new for new, (_, old) in enumerate(merged) if old >= 0}
    out = [r for r, _ in merged]
    renumbered = [(position[m], position[a]) for m, a in links if m in position and a in position]
    return _they_reported_by_sets(doc, *_they_for_sets(doc, out, renumbered))


def coordinated_they(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """ "Washington and Pyongyang have been locked in their positions", "unless the U.S. or North Korea
    change their position", "Duterte and Suga are off to a good start in their relationship": a "they",
    "them" or "their" in the clause whose subject coordinates actors of two or more countries is all of
    them, one set ref (a "their" the rules gave to one of them is the set too). Only when every
    coordinated word is an actor with a country."""
    pronouns = tokens_of(doc, THEY)
    if not pronouns:
        return refs, links
    spans = [doc.char_span(r.start, r.end, alignment_mode="expand") for r in refs]
    at_root = {s.root.i: i for i, s in enumerate(spans) if s is not None}
    at_start = {r.start: i for i, r in enumerate(refs)}
    replaced: dict[int, ActorRef] = {}
    added: list[ActorRef] = []
    made: dict[int, ActorRef] = {}  # the sets made here, by the pronoun's token
    for k in pronouns:
        token = doc[k]
        if token.pos_ != "PRON":
            continue
        mine = at_start.get(token.idx)
        if mine is not None and refs[mine].reason != "coreference":
            continue
        chosen = _coordinated_subject(token, refs, at_root)
        if chosen is not None:
            ref = _pronoun_set(token, chosen)
        elif mine is None and (before := _previous_subject_set(token, refs, at_root, made)) is not None:
            ref = replace(before, text=token.text, start=token.idx, end=token.idx + len(token),
                          reason="coreference")  # fmt: skip
        else:
            continue
        made[k] = ref
        if mine is not None:
            replaced[mine] = ref
        else:
            added.append(ref)
    if not replaced and not added:
        return refs, links
    kept = [(replaced.get(i, r), i) for i, r in enumerate(refs)] + [(r, -1) for r in added]
    kept.sort(key=lambda pair: (pair[0].start, pair[0].end))
    position = {old: new for new, (_, old) in enumerate(kept) if old >= 0}
    renumbered = [(position[m], position[a]) for m, a in links if m not in replaced]
    return [r for r, _ in kept], renumbered


def _previous_subject_set(
    token, refs: list[ActorRef], at_root: dict[int, int], made: dict[int, ActorRef]
) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """A "They" that opens its sentence as the subject of its main verb, and that nothing else took, after a
    sentence whose main subject is states coordinated ("Russia and China held drills. They said ...") or a
    "they" made their set just before ("... they are not marching in lockstep. They are very different")."""
    sent = token.sent
    verb = token.head  # the main verb, or the quotation's that the sentence's "he said" reports
    while verb.dep_ == "ccomp" and verb.i != sent.root.i:
        verb = verb.head
    main = verb.i == sent.root.i
    if token.dep_ not in ("nsubj", "nsubjpass") or not main:
        return None
    if any(not t.is_punct for t in token.doc[sent.start : token.i]):
        return None  # not the sentence's first word (an opening quotation mark may come before it)
    if token.i + 1 < len(token.doc) and token.doc[token.i + 1].text == "(":
        return None  # "They (rebel leaders) have ...": the text says who
    if sent.start == 0:
        return None
    previous = token.doc[sent.start - 1].sent
    root = previous.root  # the parse may hang the subject on an auxiliary ("they/nsubj> are/aux> marching")
    heads = [root, *(c for c in root.children if c.dep_ in ("aux", "auxpass"))]
    subject = next((c for h in heads for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    if subject.i in made:
        return made[subject.i]
    chosen = _coordinated_actors(subject, refs, at_root)
    return _pronoun_set(token, chosen) if chosen is not None else None


def _pronoun_set(token, chosen: list[ActorRef]) -> ActorRef:  # type: ignore[no-untyped-def]
    """The pronoun as one set ref of the coordinated actors' countries."""
    codes = sorted({r.country for r in chosen})
    sectors = {r.sector for r in chosen}
    return ActorRef(token.text, token.idx, token.idx + len(token), SET_PREFIX + "+".join(codes),
                    " and ".join(r.name for r in chosen), "UNK", sectors.pop() if len(sectors) == 1 else None,
                    SET_KIND, min(SET_CONFIDENCE, *(r.confidence for r in chosen)), "coreference")  # fmt: skip


def _coordinated_subject(token, refs: list[ActorRef], at_root: dict[int, int]) -> list[ActorRef] | None:  # type: ignore[no-untyped-def]
    """The actors of two or more countries coordinated as the subject of the pronoun's clause, before it;
    when the pronoun is that clause's subject itself, or the clause has none, the subject of the clause it
    depends on ("Russia and China said they would ...", "Japan and Korea agreed to expand their ...") or of
    a subordinate clause before it ("While Russia and China have common interests, they are not ...")."""
    head = token.head
    for _ in range(6):  # "their" -> "positions" -> "in" -> "locked": up to the clause's verb
        if head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
            break
        head = head.head
    for _ in range(CLAUSES_UP):
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.i < token.i and subject.lower_ not in THEY:
            return _coordinated_actors(subject, refs, at_root)
        before = [c for c in head.children if c.dep_ == "advcl" and c.i < token.i]
        for clause in before:
            inner = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if inner is not None and (chosen := _coordinated_actors(inner, refs, at_root)) is not None:
                return chosen
        if subject is not None and subject.i != token.i and subject.lower_ not in THEY:
            return None  # a subject of its own after the pronoun ("In their statement, Chile and Peru said")
        if head.dep_ not in DEPENDENT_CLAUSES or head.head.i == head.i:
            return None
        head = head.head
    return None


# How far up "they" may look for its clause's coordinated subject, and through which links: the reported
# clause ("said they would"), the infinitive ("agreed to expand their"), the clause joined by "and".
CLAUSES_UP = 3
DEPENDENT_CLAUSES = frozenset({"ccomp", "xcomp", "conj"})


def _coordinated_actors(subject, refs: list[ActorRef], at_root: dict[int, int]) -> list[ActorRef] | None:  # type: ignore[no-untyped-def]
    words = joined_words(subject)
    if len(words) < 2 or not any(c.dep_ == "cc" and c.lower_ in ("and", "or") for c in subject.subtree):
        return None
    chosen = []
    for word in words:
        i = at_root.get(word.i)
        if i is None or refs[i].country in ("UNK", "IGO") or is_set(refs[i]):
            return None
        chosen.append(refs[i])
    return chosen if len({r.country for r in chosen}) >= 2 else None


def _they_reported_by_sets(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """An unlinked "they" in what a set reports is the set ("Both forces said they had destroyed it")."""
    covered = {(r.start, r.end) for r in refs}
    added: list[tuple[ActorRef, ActorRef]] = []
    for k in tokens_of(doc, THEY):
        token = doc[k]
        if token.pos_ == "PRON" and (token.idx, token.idx + len(token)) not in covered:
            speaker = reported_by(doc, token, refs, is_set)
            if speaker is not None:
                added.append(
                    (replace(speaker, text=token.text, start=token.idx, end=token.idx + len(token)), speaker)
                )
    return with_linked_mentions(refs, links, added)


def _they_for_sets(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """A "they/them/their" that coreference gave to one actor takes the set phrase standing between the
    two, in its own or the previous sentence ("Kenyan troops and Somali soldiers ... Both forces said they
    had killed 20 militants": they are both forces, not the Kenyans)."""
    sets = [i for i, r in enumerate(refs) if is_set(r)]
    if not sets:
        return refs, links
    starts = [s.start_char for s in doc.sents]

    def sentence(char: int) -> int:
        return bisect.bisect_right(starts, char) - 1

    out, relinked = list(refs), []
    for m, a in links:
        mention = out[m]
        between = [i for i in sets if out[a].start < out[i].start < mention.start]
        if (
            between
            and mention.text.lower() in THEY
            and sentence(mention.start) - sentence(out[between[-1]].start) <= 1
        ):
            out[m] = replace(out[between[-1]], text=mention.text, start=mention.start, end=mention.end,
                             confidence=mention.confidence)  # fmt: skip
            relinked.append((m, between[-1]))
        else:
            relinked.append((m, a))
    return out, relinked


def hyphen_pairs(doc: Doc, refs: list[ActorRef], kb: KnowledgeBase) -> list[ActorRef]:
    """Countries joined by a hyphen inside one token ("U.S.-Ukraine talks", "the U.S.-Japan alliance": the
    tokenizer keeps "U.S." whole with what follows) are one country ref each, as "Russia-Ukraine" is when
    the tokenizer splits it. Only when every part is a country's own name or alias; the ref the whole
    token got (an unknown name) gives way."""
    made = _abbreviated_compounds(doc, kb, refs)
    for found in CAPITALISED_HYPHENATED.finditer(doc_text(doc)):
        span = doc.char_span(found.start(), found.end())
        if span is None or len(span) != 1:
            continue
        token = span[0]
        parts = token.text.split("-")
        # exact names only (no fuzzy match per hyphenated word: "well-known" costs two set lookups)
        entries = [kb.lookup(fold(part), part, ("country",)) for part in parts]
        if not all(e is not None and e.lex == "country" for e in entries):
            continue
        at = token.idx
        for part, entry in zip(parts, entries, strict=True):
            a = kb.actor_of(entry)  # type: ignore[arg-type]
            method = "exact" if kb.is_name(entry, fold(part)) else "alias"  # type: ignore[arg-type]
            made.append(ActorRef(part, at, at + len(part), a.actor_id, a.name, a.country, a.sector, a.kind, 0.95,
                                 method))  # fmt: skip
            at += len(part) + 1
    if not made:
        return refs
    kept = [r for r in refs if not any(m.start < r.end and r.start < m.end for m in made)]
    return sorted(kept + made, key=lambda r: (r.start, r.end))


# "U.S.-led", "U.N.-backed", "U.K.-made": the tokenizer keeps an abbreviation with its periods whole with the
# word it is hyphened to, where it splits "Russia-led" into "Russia", "-", "led".
ABBREVIATED_COMPOUND = re.compile(r"(?<![\w.-])((?:[A-Z]\.){2,})-([a-z]+)\b")
# Participles that say where something is, not who acts: "the U.S.-based global lender" is no U.S. actor.
# "U.S.-listed Toyota" is traded there.
WHERE_PARTICIPLES = frozenset({"based", "born", "headquartered", "registered", "flagged", "bound", "located",
                               "listed", "traded"})  # fmt: skip


def _abbreviated_compounds(doc: Doc, kb: KnowledgeBase, refs: list[ActorRef]) -> list[ActorRef]:
    """The abbreviation of "U.S.-led forces", "U.N.-backed talks" as the ref of its own that "Russia" is in
    "Russia-led forces" (a country or a body the knowledge base knows by that abbreviation); not before a
    participle of place ("U.S.-based"), nor inside a longer name matched whole ("U.S.-led North Atlantic
    Treaty Organization" stays NATO)."""
    made: list[ActorRef] = []
    for found in ABBREVIATED_COMPOUND.finditer(doc_text(doc)):
        if found.group(2) in WHERE_PARTICIPLES or any(
            r.start < found.end()
            and found.start() < r.end
            and (r.start < found.start() or r.end > found.end())
            for r in refs
        ):
            continue
        span = doc.char_span(found.start(), found.end())
        if span is None or len(span) != 1:
            continue
        part = found.group(1)
        entry = kb.lookup(fold(part), part, ("country", "org"))
        if entry is None:
            continue
        a = kb.actor_of(entry)
        method = "exact" if kb.is_name(entry, fold(part)) else "alias"
        made.append(ActorRef(part, found.start(), found.start() + len(part), a.actor_id, a.name, a.country, a.sector,
                             a.kind, 0.95, method))  # fmt: skip
    return made
