"""Rule-based coreference for what news uses, on the parse: precision over recall.

- definite descriptions: "the daily" -> the newspaper named before it; "the unit" / "the service" -> the
  last state body; "the ministry" -> the last ministry; "the president" -> the last person in office;
  "the government" / "the army" -> that body of the last country mentioned;
- pronouns: "he/she/his/her" -> the one person named in this or the previous sentence (no guess when two
  are); "it/its" as a subject or possessor -> the organisation or country that was the subject just before;
- "its" for a body that is not the subject but governs the pronoun ("accused Beijing ... over its treatment");
- "they/them/their" -> the plural actor that was the subject just before, or the only one in reach (one
  person, "a senior official", is neither antecedent nor rival; nor is a plural noun inside another
  noun's phrase, "anger over rising prices"); inside a quotation never its speaker; a "they" after a
  linked "they" links to the name, not to the pronoun;
- "the administration" -> the nearest official or named administration; none when officials of two states
  are equally near (one sentence);
- '"...," he said' -> the speaker named before the quotation; "the insurgents" -> the named armed group;
- short names after full names: "Tanaev" after "Nikolai Tanaev".

A coreferent mention is an ``ActorRef`` with the antecedent's actor fields, its own text and offsets, and a
lower confidence. The links are kept on the doc; :func:`antecedents` and :func:`antecedent_of` read them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cached_property

from spacy.tokens import Doc

from detente.actors.knowledge_base import FAMILY_NAME_FIRST, KnowledgeBase
from detente.actors.matching import PERSON_NOUNS, doc_text, person_noun, told_outlet
from detente.actors.regions import described_states, lower_words
from detente.doc_table import DocTable, reading, table_of
from detente.records import ActorRef

LINKS_KEY = "detente.coref.links"
COREF_FACTOR = 0.75  # confidence of a coreferent mention relative to its antecedent
ORG_KINDS = frozenset({"institution", "organization", "group", "igo", "ngo", "party", "company"})
Predicate = Callable[[ActorRef], bool]


def with_added(
    refs: list[ActorRef], links: list[tuple[int, int]], added: list[ActorRef]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """``refs`` and ``added`` in text order, with the coreference ``links`` (pairs of positions in ``refs``)
    moved to the refs' new positions."""
    if not added:
        return refs, links
    merged = refs + added
    order = sorted(range(len(merged)), key=lambda k: (merged[k].start, merged[k].end))
    position = {old: new for new, old in enumerate(order)}
    return [merged[k] for k in order], [(position[m], position[a]) for m, a in links]


def _outlet(r: ActorRef) -> bool:
    return r.sector == "JRN" and r.kind == "outlet"


def _state_body(r: ActorRef) -> bool:
    return r.kind == "institution" or (r.kind == "organization" and r.sector in ("SPY", "MIL", "COP"))


def _ministry(r: ActorRef) -> bool:
    return "ministr" in r.text.lower() or "ministr" in r.name.lower() or "department" in r.text.lower()


def _official(r: ActorRef) -> bool:
    return r.kind == "person" and r.sector == "GOV"


def _administration(r: ActorRef) -> bool:
    """What "the administration" takes up: an official, or a government named as an administration before
    ("the Trump administration")."""
    return _official(r) or (
        r.text.lower().rstrip().endswith("administration") and r.country not in ("UNK", "IGO")
    )


def _person(r: ActorRef) -> bool:
    return r.kind == "person"


def _organisation(r: ActorRef) -> bool:
    return r.kind in ORG_KINDS | {"outlet"} and r.country != "UNK"


def _alliance(r: ActorRef) -> bool:
    return r.kind == "igo"


def _company(r: ActorRef) -> bool:
    return r.sector == "BUS" and r.kind in ("company", "organization")


def _group(r: ActorRef) -> bool:
    return (
        r.kind in ("group", "organization")
        and r.sector in ("REB", "CRM", "PRM", "UAF", "OPP", None)
        and not r.actor_id.startswith("group:")  # a named group, not "terrorists" or "3R rebels"
    ) or (
        r.kind == "igo"  # "the G7 statement said the group ..."
    )


def _armed_group(r: ActorRef) -> bool:
    return r.actor_id.startswith("org:") and r.sector in ("REB", "CRM", "PRM", "UAF")


def _plural_actor(r: ActorRef) -> bool:
    """What 'they' can stand for: groups (named or "security forces"), parties, NGOs, and an international
    body only when named in the plural ("G7 leaders"): "the UN" is "it", so "they" after "the UN condemned
    the militants" is the militants, never the UN."""
    return r.kind in ("group", "party", "ngo") or (r.kind == "igo" and r.text.rstrip().endswith("s"))


# Determiners of one: "a senior State Department official" is one person, whatever the sector noun's kind.
SINGULAR_DETS = frozenset({"a", "an", "one", "another", "each", "every"})


def _one_of(doc: Doc, r: ActorRef, kb: KnowledgeBase | None = None) -> bool:
    """Is the ref one individual by its own words: a singular noun after "a/an/one" ("a senior official told
    reporters"), or a singular noun for a person ("The U.S. leader said")? "they" never stands for it, even
    when its sector noun resolves to a collective actor."""
    span = doc.char_span(r.start, r.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    if root.tag_ != "NN":
        return False
    if kb is not None and root.i == span.end - 1 and (person_noun(root, kb) or root.lower_ in UNNAMED_PEOPLE):
        return True
    # the noun's own determiner, also outside the ref ("a" before "senior State Department official")
    return any(c.dep_ == "det" and c.lower_ in SINGULAR_DETS for c in root.children)


def _former_official(r: ActorRef) -> bool:
    return r.kind == "person" and r.sector == "ELI"


def _doer_country(noun, refs: list[ActorRef]) -> str | None:  # type: ignore[no-untyped-def]
    """The country of the subject of the verb a description is the object of ("Quito accused the South
    American country of ..."): a state acting on "the country" is not acting on itself, which English
    would say with "itself"."""
    verb = noun.head if noun.dep_ in ("dobj", "dative") else noun.head.head if noun.dep_ == "pobj" else None
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    owner = next((r for r in refs if r.start <= subject.idx < r.end), None)
    if (
        owner is None
        or owner.country in ("UNK", "IGO")
        or not (_country(owner) or owner.sector in STATE_SECTORS)
    ):
        # (a parliament, the opposition or critics accuse their own government: "critics in Kenya's
        # parliament have accused the government")
        return None
    return owner.country


STATE_SECTORS = frozenset({"GOV", "MIL"})  # who acts for a state on another: not itself (``_doer_country``)


def _country(r: ActorRef) -> bool:
    return r.country not in ("UNK", "IGO") and r.kind in ("country", "metonym")


# "The Kingdom", "the emirate", "the sultanate" name a monarchy of that style only: "voiced the readiness of the
# Kingdom" after "the Saudi foreign minister" in a story about Iran is Saudi Arabia, never Iran.
MONARCHIES: dict[str, frozenset[str]] = {
    "kingdom": frozenset({"SAU", "JOR", "MAR", "GBR", "ESP", "NLD", "BEL", "SWE", "NOR", "DNK", "THA", "BTN",
                          "KHM", "LSO", "SWZ", "TON", "BHR"}),
    "emirate": frozenset({"ARE", "QAT", "KWT"}),
    "sultanate": frozenset({"OMN", "BRN"}),
}  # fmt: skip


def _monarchy(style: str) -> Predicate:
    """An antecedent for "the <style>": a state of that style, named as a country or by its government."""
    states = MONARCHIES[style]
    return lambda r: r.country in states and (_country(r) or r.sector == "GOV")


# Description noun -> (which antecedent, sector of the coreferent actor when it is "<country> <sector>").
DESCRIPTIONS: dict[str, tuple[Predicate, str | None]] = {
    **dict.fromkeys(("daily", "newspaper", "paper", "weekly", "magazine", "outlet", "broadcaster",
                     "tabloid", "publication", "news agency", "website"), (_outlet, None)),
    **dict.fromkeys(("unit", "service", "agency", "directorate", "body"), (_state_body, None)),
    **dict.fromkeys(("ministry", "department"), (_ministry, None)),
    **dict.fromkeys(("president", "prime minister", "premier", "chancellor", "foreign minister", "minister",
                     "secretary of state", "leader", "king"), (_official, None)),
    **dict.fromkeys(("organization", "organisation"), (_organisation, None)),
    **dict.fromkeys(("alliance", "bloc"), (_alliance, None)),
    **dict.fromkeys(("company", "firm"), (_company, None)),
    **dict.fromkeys(("group", "movement", "militia", "outfit"), (_group, None)),
    # "if the state did not release political prisoners": the country's government (a US state in a US
    # story is of the same country); never "the Islamic State", "the state-run media"
    **dict.fromkeys(("government", "regime", "authorities", "leadership", "state"), (_country, "GOV")),
    "administration": (_administration, "GOV"),  # the government of the official (or administration) named before
    **dict.fromkeys(("army", "military", "armed forces"), (_country, "MIL")),
    **dict.fromkeys(("country", "nation"), (_country, "")),
    **{style: (_monarchy(style), "") for style in MONARCHIES},
}  # fmt: skip
MAX_WORDS = max(len(k.split()) for k in DESCRIPTIONS)
# "the insurgents" after "the Taliban": a generic armed noun the matcher resolved on its own.
ARMED_NOUNS = frozenset(
    {
        "insurgents",
        "militants",
        "rebels",
        "fighters",
        "extremists",
        "jihadists",
        "separatists",
        "insurgency",
        "militia",
        "militias",
        "guerrillas",
        "gunmen",
    }
)
SAY_VERBS = frozenset({"say", "add", "tell", "write", "explain", "note", "insist", "continue", "warn", "tweet",
                       "post", "declare", "stress", "argue", "recall"})  # fmt: skip
QUOTE_MARKS = frozenset('"“”')
QUOTE_MARK = re.compile("[" + "".join(sorted(QUOTE_MARKS)) + "]")
QUOTE_REACH = 4  # sentences a quotation may run before its '... he said'
PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "across", "throughout", "near", "inside", "within", "into", "from"}
)
CLOSED_QUOTE = re.compile(r'[,.!?]["”]\s*$')
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
IT_PRONOUNS = frozenset({"it", "its"})
INTERNATIONAL = frozenset({"international", "global", "world", "multilateral", "intergovernmental"})
COPULAS = frozenset({"is", "was", "'s", "’s", "be", "been", "being", "are", "were"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
DESCRIPTION_WINDOW = 6  # sentences back a description may reach
PLACE_NOUNS = frozenset(
    {"island", "archipelago", "gulf", "mountain", "desert", "landlocked"}
)  # "the island nation"
# Capitalised words of a region that describe a country, not name one: "the Gulf state", "the Southeast
# Asian country", "the Central American nation" ("the Islamic State" stays a name: "Islamic" is none).
REGION_WORDS = frozenset({"gulf", "southeast", "southeastern", "northeast", "northeastern", "southwest",
                          "southwestern", "northwest", "northwestern", "north", "northern", "south", "southern",
                          "east", "eastern", "west", "western", "central", "asian", "african", "european", "arab",
                          "latin", "american", "caribbean", "pacific", "baltic", "balkan", "nordic", "himalayan",
                          "andean", "sahel", "sahelian", "horn", "middle", "mediterranean", "alpine"})  # fmt: skip
FORMER_WORDS = frozenset({"former", "ousted", "exiled", "deposed", "late"})
OUTLET_WINDOW = 60  # "the daily" can refer to the paper named at the top of the article


class Sentences:
    """A doc's sentence starts and quotations by character offset, read once (shared by the rules that ask
    which sentence a mention is in)."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc_text(doc)  # Doc.text joins every token on each access: read it once
        if doc.has_annotation("SENT_START"):
            self.starts = [s.start_char for s in doc.sents]
        else:
            self.starts = [0]

    def index(self, char: int) -> int:
        return bisect.bisect_right(self.starts, char) - 1

    def end(self, n: int) -> int:
        """Where sentence ``n`` ends (the next one's start)."""
        return self.starts[n + 1] if n + 1 < len(self.starts) else len(self.text)

    @cached_property
    def quotations(self) -> list[tuple[int, int]]:
        """The article's quotations as (start, end) character spans, across sentences: a speaker's words
        often run over several sentences before (or after) the one that says who spoke. An opening mark
        never closed within QUOTE_REACH + 1 sentences is taken to end with its sentence (a stray mark)."""
        spans: list[tuple[int, int]] = []
        opened = -1
        for mark in QUOTE_MARK.finditer(self.text):  # a search for the marks, not a loop over every character
            at, char = mark.start(), mark.group()
            if opened < 0:
                if char != "”":
                    opened = at
                continue
            if char == "“":
                opened = at  # a new opening mark: the previous one was stray
                continue
            spans.append((opened, at + 1))
            opened = -1
        if opened >= 0:
            spans.append((opened, len(self.text)))
        out = []
        for start, end in spans:
            first = self.index(start)
            if self.index(end - 1) - first > QUOTE_REACH:
                limit = self.starts[first + 1] if first + 1 < len(self.starts) else len(self.text)
                end = limit
            out.append((start, end))
        return out

    def quotation_at(self, char: int) -> tuple[int, int] | None:
        """The quotation holding the character at ``char``, if any."""
        spans = self.quotations
        k = bisect.bisect_right(spans, (char, len(self.text) + 1)) - 1
        if k >= 0 and spans[k][0] < char < spans[k][1]:
            return spans[k]
        return None


TRIGGER_WORDS = frozenset({"the"}) | PERSON_PRONOUNS | PLURAL_PRONOUNS | IT_PRONOUNS


def tokens_of(doc: Doc, words: frozenset[str]) -> list[int]:
    """Indices of the tokens whose lower-case form is one of ``words``, from the doc's LOWER array: a loop
    over the doc makes a Token object per word, the larger part of a rule that wants a few of them."""
    return [k for k, lower in enumerate(table_of(doc).lower) if lower in words]


def _copy(antecedent: ActorRef, text: str, start: int, end: int, factor: float = COREF_FACTOR) -> ActorRef:
    return ActorRef(text, start, end, antecedent.actor_id, antecedent.name, antecedent.country,
                    antecedent.sector, antecedent.kind, round(antecedent.confidence * factor, 3),
                    "coreference")  # fmt: skip


class _Refs:
    """Refs in text order with their starts, for the refs of the last few sentences before a position by
    bisection: each pronoun and description used to read every ref of the article (quadratic in its
    length), and a person pronoun re-sorted them all."""

    def __init__(self, refs: list[ActorRef]) -> None:
        self.refs = refs
        self.starts = [r.start for r in refs]

    def append(self, ref: ActorRef) -> None:
        self.refs.append(ref)
        self.starts.append(ref.start)

    def window(self, before: int, sents: Sentences, back: int) -> tuple[int, list[ActorRef]]:
        """(offset, refs) starting in the ``back`` sentences before the one holding ``before``, or in it,
        and before ``before``."""
        first = sents.starts[max(sents.index(before) - back, 0)]
        lo = bisect.bisect_left(self.starts, first)
        return lo, self.refs[lo : bisect.bisect_left(self.starts, before)]


def _nearest(refs: list[ActorRef], before: int, pred: Predicate, sents: Sentences, window: int) -> int | None:
    limit = sents.index(before) - window
    for idx in range(len(refs) - 1, -1, -1):
        r = refs[idx]
        if r.start >= before:
            continue
        if sents.index(r.start) < limit:
            return None
        if pred(r):
            return idx
    return None


def _nearest_one_state(
    refs: list[ActorRef], before: int, pred: Predicate, sents: Sentences, window: int
) -> int | None:
    """The nearest antecedent as :func:`_nearest`, unless its sentence also holds one of another state: "the
    clash between U.S. President Donald Trump and Ukrainian President Volodymyr Zelenskyy ... lifted by the
    administration" has two presidents equally near, and the nearer in the text is no better (UNK)."""
    idx = _nearest(refs, before, pred, sents, window)
    if idx is None:
        return None
    here = sents.index(refs[idx].start)
    states = {r.country for r in refs if r.start < before and sents.index(r.start) == here and pred(r)}
    return idx if len(states - {"UNK"}) == 1 else None


def _head_dep(doc: Doc, ref: ActorRef) -> str:
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    return span.root.dep_ if span is not None and len(span) else ""


def resolve_coreference(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """Add coreferent mentions to ``refs`` (text order kept); return them with (mention, antecedent) links."""
    with reading(doc):  # the rules below share one read of every token's attributes (detente/doc_table.py)
        return _resolve_coreference(doc, refs, kb)


def _resolve_coreference(
    doc: Doc, refs: list[ActorRef], kb: KnowledgeBase
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    sents = Sentences(doc)
    covered = [False] * len(doc)
    for r in refs:
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is not None:
            for k in range(span.start, span.end):
                covered[k] = True
    out = sorted(refs, key=lambda r: r.start)  # text order (stable): the windows below bisect on it
    pairs: list[tuple[ActorRef, ActorRef]] = []  # (mention, antecedent) by identity, indexed at the end

    # Short names after full names: an unknown one-word person equal to the surname of an earlier person.
    # The people so far are indexed by the names they may be called by (a scan back per name was quadratic).
    people: dict[str, list[int]] = {}
    for i, r in enumerate(out):
        if (
            r.country == "UNK"
            and r.actor_id.split(":")[0] in ("person", "org", "group")
            and " " not in r.text
        ):
            for j in reversed(people.get(_short_name(r.text), ())):
                prev = out[j]
                if prev.text != r.text:
                    out[i] = _copy(prev, r.text, r.start, r.end, 0.9)
                    pairs.append((out[i], prev))
                    break
        if out[i].kind == "person":
            for part in _name_parts(out[i]):
                people.setdefault(part, []).append(i)
    _names_missed(doc, covered, out, people, pairs)
    out.sort(key=lambda r: r.start)
    known = _Refs(out)

    # "the insurgents" / "the militants": the armed group named before, not a new anonymous one.
    for i, r in enumerate(out):
        words = r.text.lower().split()
        if (
            words
            and words[0] in ARMED_NOUNS
            and r.start >= 4
            and sents.text[r.start - 4 : r.start].lower() == "the "
        ):
            lo, near = known.window(r.start, sents, DESCRIPTION_WINDOW)
            idx = _nearest(near, r.start, _armed_group, sents, DESCRIPTION_WINDOW)
            if idx is not None:
                idx += lo
                out[i] = _copy(out[idx], sents.text[r.start - 4 : r.end], r.start - 4, r.end)
                pairs.append((out[i], out[idx]))

    # "The Council strongly condemns ...": a body's head word alone, capitalised as in a communique's own
    # text, is the body of that name named before ("the African Union's Peace and Security Council").
    for i, r in enumerate(out):
        words = r.text.lower().split()
        if (
            r.reason == "unknown"
            and r.kind == "organization"
            and words
            and words[-1] in BODY_HEADS
            and (words[:-1] in ([], ["the"]))
        ):
            lo, near = known.window(r.start, sents, DESCRIPTION_WINDOW)
            ante = _same_word(doc, words[-1], r.start, near, known, sents)
            if ante is not None:
                out[i] = _copy(ante, r.text, r.start, r.end)
                pairs.append((out[i], ante))

    added: list[ActorRef] = []
    new = _Refs(added)  # in text order too: found token by token
    speakers: dict[tuple[int, int], str | None] = {}  # quotation -> its speaker's actor, for he/she inside it
    # Only "the" and the pronouns start a mention: the tokens holding them, read off the doc's LOWER array
    # (making a Token of every word of the article cost more than all the rules below).
    for k in tokens_of(doc, TRIGGER_WORDS):
        if covered[k]:
            continue
        token = doc[k]
        lower = token.lower_
        if lower == "the":
            found = _description(doc, k, covered, kb.noun_keys())
            if found is None:
                same = _same_head(doc, k, covered, known, sents, kb, new)
                if same is not None:
                    end_tok, ante = same
                    start, end = token.idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
                    mention = _copy(ante, sents.text[start:end], start, end)
                    new.append(mention)
                    pairs.append((mention, ante))
                    for j in range(k, end_tok):
                        covered[j] = True
                continue
            end_tok, noun = found
            pred, sector = DESCRIPTIONS[noun]
            if doc[k + 1].lower_ in INTERNATIONAL and pred in (_state_body, _organisation, _group):
                pred = _alliance  # "the international body", "the global organization": an IGO
            if doc[k + 1].lower_ in FORMER_WORDS:
                if pred is not _official:
                    continue
                pred = _former_official  # "the former president": someone out of office now
            start, end = token.idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
            window = OUTLET_WINDOW if pred is _outlet else DESCRIPTION_WINDOW
            lo, near = known.window(start, sents, window)
            if pred is _country:
                # "the nation" needs a country; "the Gulf state", "the island nation" one of those states
                placed = described_states(lower_words(doc, k + 1, end_tok - len(noun.split())))
                # "Quito accused the South American country": never Quito's own
                doer = _doer_country(doc[end_tok - 1], near)
                idx = _sentence_country(doc, token, near, among=placed, not_of=doer)
                if idx is None:
                    idx = _topic_country(
                        near, start, sents, window, groups=bool(sector), among=placed, not_of=doer
                    )
            elif pred is _administration:
                idx = _nearest_one_state(near, start, pred, sents, window)
            else:
                idx = _nearest(near, start, pred, sents, window)
            if idx is None:
                continue
            ante = near[idx]
            mention = _copy(ante, sents.text[start:end], start, end)
            if sector is not None:
                actor = kb.group_actor(ante.country, sector or None)
                mention = ActorRef(mention.text, start, end, actor.actor_id, actor.name, actor.country, actor.sector,
                                   actor.kind, mention.confidence, "coreference")  # fmt: skip
            new.append(mention)
            pairs.append((mention, ante))
            for j in range(k, end_tok):
                covered[j] = True
        elif lower in PERSON_PRONOUNS and token.pos_ == "PRON":
            # Inside a quotation too: '"He opened fire on a police patrol ...' is the one person named before.
            # Earlier pronouns count as mentions of their person: "Aurangzeb ... He stated ... '...,' he said".
            # QUOTE_REACH + 1 sentences back: as far as a pronoun may look (_quotation_reach)
            both = (
                known.window(token.idx, sents, QUOTE_REACH + 1)[1]
                + new.window(token.idx, sents, QUOTE_REACH + 1)[1]
            )
            # the refs after the pronoun to its sentence's end (named again in its clause: not it)
            after = known.refs[bisect.bisect_right(known.starts, token.idx) : bisect.bisect_left(
                known.starts, sents.end(sents.index(token.idx)))]  # fmt: skip
            person = _pronoun_person(doc, token, sorted(both, key=lambda r: r.start), sents, after, kb,
                                     _quotation_speaker(doc, token, known, new, sents, speakers))  # fmt: skip
            if person is not None and any(person is m for m in added):
                person = next(a for m, a in pairs if m is person)  # link to the name, not to the pronoun
            if person is not None and _own_subject(doc, token, person, out + added):
                person = None
            if person is not None and _gender_clash(lower, person, out, sents.text):
                person = None
            if person is not None and _unnamed_rival(token, person, out + added):
                person = None
            if person is not None:
                mention = _copy(person, token.text, token.idx, token.idx + len(token), 0.7)
                new.append(mention)
                pairs.append((mention, person))
        elif lower in PLURAL_PRONOUNS and token.pos_ == "PRON":
            conjunct = _their_conjunct(token, out + added)
            group = _pronoun_they(doc, token, known.window(token.idx, sents, 1)[1], sents, kb)
            if conjunct is not None:
                # "Lai's son Sebastien and their legal team": "their" takes in the conjunct before it, so
                # it is that conjunct when it is a plural actor, and no actor named elsewhere otherwise.
                group = conjunct if _plural_actor(conjunct) else None
            elif group is not None and _own_subject(doc, token, group, out + added):
                group = None
            if group is None and conjunct is None:
                reach = (
                    known.window(token.idx, sents, QUOTE_REACH)[1]
                    + new.window(token.idx, sents, QUOTE_REACH)[1]
                )
                group = _they_who_attack(doc, token, sorted(reach, key=lambda r: r.start), sents)
            if group is None:
                group = _they_again(doc, token, pairs, sents)
            # Not inside a quotation, also one opened sentences before: its speaker is "we", "they" others.
            quoted = _in_quotation(doc, token, sents) or sents.quotation_at(token.idx) is not None
            if group is None and not quoted:
                group = _name_of(reported_by(doc, token, sorted(out + added, key=lambda r: r.start), _plural_actor),
                                 pairs)  # fmt: skip
            if group is None and conjunct is None:
                group = _they_a_state(doc, token, known.window(token.idx, sents, 1)[1], out + added,
                                      _quotation_speaker(doc, token, known, new, sents, speakers))  # fmt: skip
            # Link to the name, not to a "they" linked before: a chain of pronouns would discount the
            # confidence at every step and fall under the stage's threshold ("They shot ... they killed them").
            group = _name_of(group, pairs)
            if group is not None:
                mention = _copy(group, token.text, token.idx, token.idx + len(token), 0.65)
                new.append(mention)
                pairs.append((mention, group))
        elif lower == "its" and (owner := _object_owner(doc, token, out + added)) is not None:
            # "Pyongyang demanded that Washington change its stance", also inside a quotation: whoever
            # does something to their own thing
            named = _name_of(owner, pairs) or owner
            mention = _copy(named, token.text, token.idx, token.idx + len(token), 0.65)
            new.append(mention)
            pairs.append((mention, named))
        elif (
            lower in IT_PRONOUNS
            and (token.dep_ in SUBJECT_DEPS or lower == "its")
            # "it's not just ...", "it is clear that ...": expletive; "It is the largest customer", "it is
            # ready to accept": not.
            and not (
                lower == "it"
                and token.head.lower_ in COPULAS
                and not _has_noun_attribute(token.head)
                and not _agent_adjective(token.head)
            )
            and not _in_quotation(doc, token, sents)
        ):
            # a description linked before counts too ("the group said it had killed ...")
            near = sorted(
                known.window(token.idx, sents, 1)[1]
                + [r for r in new.window(token.idx, sents, 1)[1] if r.kind != "person"],
                key=lambda r: r.start,
            )
            body = _pronoun_it(doc, near, token, sents)
            if body is None and lower == "its":
                body = _governing_body(doc, token, near, sents)
            if body is None and lower == "it":
                body = _name_of(
                    reported_by(doc, token, sorted(out + added, key=lambda r: r.start), _body), pairs
                )
            if body is not None:
                mention = _copy(body, token.text, token.idx, token.idx + len(token), 0.65)
                new.append(mention)
                pairs.append((mention, body))
        elif (
            lower == "it"
            and token.dep_ in ("dobj", "dative", "pobj")
            and not _in_quotation(doc, token, sents)
        ):
            # "the Thai government said Beijing had assured it": the object of what a body reports
            body = _name_of(reported_by(doc, token, sorted(out + added, key=lambda r: r.start), _body), pairs)
            if body is not None:
                mention = _copy(body, token.text, token.idx, token.idx + len(token), 0.65)
                new.append(mention)
                pairs.append((mention, body))
    _first_person_in_quotes(doc, covered, out, added, pairs, sents)
    merged = sorted(out + added, key=lambda r: (r.start, r.end))
    position = {id(r): i for i, r in enumerate(merged)}
    links = [(position[id(m)], position[id(a)]) for m, a in pairs if id(m) in position and id(a) in position]
    return merged, links


def _first_person_in_quotes(
    doc: Doc, covered: list[bool], out: list[ActorRef], added: list[ActorRef],
    pairs: list[tuple[ActorRef, ActorRef]], sents: Sentences,
) -> None:  # fmt: skip
    """'"We will not negotiate," the minister said': "I/we/my/our" inside a quotation is its speaker, the
    subject of a verb of saying outside the quotation: in the sentence where the quotation closes, else
    where it opens ('Trump said, "We've been ripped off ... No, I'm not going to bend."'), else the
    sentence after it or before it; nothing when no speaker is found or the speaker is no actor."""
    speakers: dict[tuple[int, int], ActorRef | None] = {}
    refs = sorted(out + added, key=lambda r: r.start)
    antecedent = {id(m): a for m, a in pairs}
    for k in tokens_of(doc, FIRST_PERSON):
        token = doc[k]
        if covered[k] or token.pos_ != "PRON":
            continue
        quotation = sents.quotation_at(token.idx)
        if quotation is None:
            continue
        if quotation not in speakers:
            first, last = sents.index(quotation[0]), sents.index(quotation[1] - 1)
            speakers[quotation] = next(
                (found for n in dict.fromkeys((last, first, last + 1, first - 1)) if 0 <= n < len(sents.starts)
                 and (found := _sentence_speaker(doc, n, refs, sents)) is not None), None)  # fmt: skip
        speaker = speakers[quotation]
        if speaker is None:
            continue
        speaker = antecedent.get(id(speaker), speaker)  # "he said": the person "he" stands for
        mention = _copy(speaker, token.text, token.idx, token.idx + len(token), 0.65)
        added.append(mention)
        pairs.append((mention, speaker))


def _sentence_speaker(doc: Doc, n: int, refs: list[ActorRef], sents: Sentences) -> ActorRef | None:
    start = sents.starts[n]
    end = sents.starts[n + 1] if n + 1 < len(sents.starts) else len(sents.text)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for verb in span:
        if (
            verb.lemma_ not in SAY_VERBS
            or verb.pos_ not in ("VERB", "AUX")
            or sents.quotation_at(verb.idx) is not None
        ):
            continue
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                found = [r for r in refs if r.start <= child.idx < r.end]
                if found:
                    return found[0]
    return None


def _names_missed(
    doc: Doc, covered: list[bool], out: list[ActorRef], people: dict[str, list[int]],
    pairs: list[tuple[ActorRef, ActorRef]],
) -> None:  # fmt: skip
    """A surname the entity recogniser missed or mislabelled ("slammed Moise", "Omarov, 40" as a place) after
    the person was named in full: that person, when the name is one of theirs alone (two people called
    Joseph: neither). One or two capitalised proper nouns standing alone, not part of a longer name."""
    found: list[ActorRef] = []
    table = table_of(doc)
    texts, pos, n = table.text, table.pos, len(doc)
    for k in range(n):
        if covered[k] or not texts[k][:1].isupper() or not table.is_alpha[k]:
            continue
        if pos[k] != "PROPN" and not _surname_as_noun(table, k, people):
            continue
        if k > 0 and pos[k - 1] == "PROPN" and not covered[k - 1]:
            continue  # inside a run: its first word is where it is looked at
        end = k + 1
        while end < n and pos[end] == "PROPN" and not covered[end] and end - k < 3:
            end += 1
        if end - k > 2 or (end < n and pos[end] == "PROPN"):
            continue
        if (
            k > 0
            and texts[k - 1][:1].isupper()
            and pos[k - 1] in ("PROPN", "ADJ")
            and not table.is_sent_start[k - 1]
        ):
            continue  # "Mr", "Dr", a nationality: a phrase of its own the matcher saw
        start = table.idx[k]
        candidates = [out[i] for i in people.get(_short_name(texts[end - 1]), ()) if out[i].start < start]
        if not candidates or len({c.actor_id for c in candidates}) != 1:
            continue
        ante = next((a for m, a in pairs if m is candidates[-1]), candidates[-1])
        stop = table.idx[end - 1] + len(texts[end - 1])
        mention = _copy(ante, doc_text(doc)[start:stop], start, stop, 0.85)
        found.append(mention)
        pairs.append((mention, ante))
        for j in range(k, end):
            covered[j] = True
    out.extend(found)


def _surname_as_noun(table: DocTable, k: int, people: dict[str, list[int]]) -> bool:
    """A surname the parser took for a common noun opening a sentence ("Mehdiyev, who is Azerbaijani,
    said": NN): one word, capitalised, not the first of a run, that a person named before goes by. A common
    noun capitalised there ("Officials said") is no one's name, so the index of names decides."""
    text, pos = table.text[k], table.pos
    return (
        pos[k] == "NOUN"
        and table.tag[k] == "NN"
        and len(text) >= 4
        and not text.isupper()
        and not (k + 1 < len(pos) and pos[k + 1] in ("PROPN", "NOUN"))
        and _short_name(text) in people
    )


def _short_name(text: str) -> str:
    return re.sub(r"^(al|el|ad|as)-", "", text, flags=re.I).lower()


def _name_parts(ref: ActorRef) -> set[str]:
    """The words a person may be called by alone: the family name (first for Chinese, Korean, ... names)."""
    words = [_short_name(w) for w in (ref.name.strip() or ref.text).split()]
    if not words:
        return set()
    last = {words[-1], _short_name(ref.text.split()[-1])}
    return last | {words[0]} if ref.country in FAMILY_NAME_FIRST else last


def _modifier(token) -> bool:  # type: ignore[no-untyped-def]
    """A word before a description's noun: an adjective, "the island nation", "the banned separatist
    militant group" (a participle and nouns the parser takes as modifiers)."""
    if token.pos_ == "ADJ" or token.lower_ in PLACE_NOUNS or token.lower_ in REGION_WORDS:
        return True
    return token.dep_ in ("amod", "compound") and token.text.islower() and token.head.i > token.i


def _description(doc: Doc, k: int, covered: list[bool], nouns: frozenset[str]) -> tuple[int, str] | None:
    """'the' [adjective] NOUN(S) ending a noun phrase, where NOUN(S) is a description: (end token, noun). A
    possessive ends one too when what it owns is no actor ("the country's ability", "the ministry's
    statement"); before an actor noun ("the president's spokesman", "the country's foreign minister") the
    whole phrase is that actor, which the matcher reads (``nouns``: the knowledge base's sector nouns)."""
    table = table_of(doc)
    lower, pos, text, n = table.lower, table.pos, table.text, len(doc)
    starts = [k + 1]
    j = k + 1
    while j + 1 < n and j - k <= 3 and _modifier(doc[j]) and not covered[j]:
        j += 1
        starts.append(
            j
        )  # "the secret unit", "the American daily", "the central African nation", "the island nation"
    for j in starts:
        for size in range(MAX_WORDS, 0, -1):
            end = j + size
            if end > n or any(covered[j:end]):
                continue
            words = " ".join(lower[j:end])
            if words in DESCRIPTIONS:
                nxt = end if end < n else None  # the token after the phrase
                if words == "state" and (
                    text[j] != "state"
                    or (nxt is not None and text[nxt] in ("-", "–"))
                    or any(pos[m] != "ADJ" and lower[m] not in REGION_WORDS for m in range(k + 1, j))
                ):
                    continue  # "the Islamic State" is a name, "the state-run media" none, "members state" a slip
                if nxt is not None and text[nxt] in ("'s", "’s") and _owns_no_actor(
                    lower, pos, nxt + 1, nouns
                ):  # fmt: skip
                    return end, words
                charge = nxt is not None and text[nxt] == "of" and nxt + 1 < n and doc[nxt + 1].tag_ == "VBG"
                # ("accusing the Gulf state of supplying drones": what it is accused of, not whose state)
                if (
                    nxt is not None
                    and not charge
                    and (pos[nxt] in ("NOUN", "PROPN") or text[nxt] in ("'s", "’s", "of"))
                ):
                    return (
                        None  # "the daily newspaper X", "the president's", "the leader of X": names its own
                    )
                return end, words
    return None


def _owns_no_actor(lower: list[str], pos: list[str], at: int, nouns: frozenset[str]) -> bool:
    """Is the phrase a possessive owns (from token ``at``: up to two modifiers, then its noun) no actor? Its
    noun and the two-word noun ending on it are no sector noun or title, and it is a common noun."""
    n = len(lower)
    j = at
    while j < n and j - at < 2 and pos[j] in ("ADJ", "NOUN") and j + 1 < n and pos[j + 1] in ("ADJ", "NOUN"):
        j += 1
    if j >= n or pos[j] != "NOUN":
        return False
    words = {lower[m] for m in range(at, j + 1)} | {f"{lower[m]} {lower[m + 1]}" for m in range(at, j)}
    return not (words & nouns)


# Head nouns of a body's proper name that "the <noun>" may take up ("the 15-nation Security Council ... the
# council"); other capitalised words are part of a name, not a description ("Islamic State" is no "state").
BODY_HEADS = frozenset({"council", "court", "commission", "committee", "agency", "association", "party", "union",
                        "assembly", "parliament", "congress", "police", "army", "bank", "board", "tribunal",
                        "mission", "coalition", "front", "forces", "senate"})  # fmt: skip


def _same_head(
    doc: Doc,
    k: int,
    covered: list[bool],
    known: _Refs,
    sents: Sentences,
    kb: KnowledgeBase | None = None,
    linked: _Refs | None = None,
) -> tuple[int, ActorRef] | None:
    """'the' [adjective] NOUN taking up an actor named before with that noun: "the spokesperson" after "a
    U.S. State Department spokesperson", "the journalist" after "Cambodian journalist Mech Dara", "the
    council" after "the 15-nation Security Council". The nearest such actor within DESCRIPTION_WINDOW
    sentences, only one with a country; (end token, antecedent)."""
    table = table_of(doc)
    pos, tag, n = table.pos, table.tag, len(doc)
    j = k + 1
    while j < n and j - k <= 3 and pos[j] == "ADJ" and not covered[j]:
        j += 1
    if j + 2 < n and pos[j] == "NUM" and table.text[j + 1] == "-" and not covered[j + 2]:
        j += 3  # "the 15-member council", "the 27-nation bloc"
    if j >= n or covered[j] or tag[j] not in ("NN", "NNS") or not table.text[j].isalpha():
        return None
    if j + 1 < n and (pos[j + 1] in ("NOUN", "PROPN") or table.lower[j + 1] == "of"):
        return None  # "the journalist association", "the head of X": a phrase of its own
    noun = table.lower[j]
    start = table.idx[k]
    near = known.window(start, sents, DESCRIPTION_WINDOW)[1]
    found = _same_word(doc, noun, start, near, known, sents)
    if found is not None or kb is None or tag[j] != "NN":
        return None if found is None else (j + 1, found)
    # "The reporter" after "Cambodian journalist Mech Dara": a singular noun of a sector takes up the one
    # person of that sector named in this or the three sentences before (two such people: neither).
    entry = kb.lookup(noun, table.text[j], ("group", "title"))
    if entry is None or entry.actor.sector is None or not (entry.lex == "title" or noun in PERSON_NOUNS):
        return None  # "the opposition", "the army" are bodies: never the one person of their sector
    here = sents.index(start)
    if linked is not None:  # the pronouns linked so far count as mentions of their person
        near = sorted(near + linked.window(start, sents, 3)[1], key=lambda r: r.start)
    people = {r.actor_id: r for r in near if r.kind == "person" and r.sector == entry.actor.sector
              and r.country != "UNK" and here - sents.index(r.start) <= 3}  # fmt: skip
    if len(people) != 1:
        return None
    ante = [r for r in near if r.actor_id in people][-1]
    return j + 1, next(iter(people.values())) if ante.reason == "coreference" else ante


def _same_word(
    doc: Doc, noun: str, start: int, near: list[ActorRef], known: _Refs, sents: Sentences
) -> ActorRef | None:
    for ref in reversed(near):
        if ref.country == "UNK" or ref.start >= start:
            continue
        words = ref.text.split()
        if ref.kind == "person":
            hit = any(w == noun for w in words)  # a title before the name: "journalist Mech Dara"
        else:
            last = words[-1] if words else ""
            hit = last == noun or (last.lower() == noun and noun in BODY_HEADS)
        if hit:
            # "members of parliament from the opposition" in a sentence about Zimbabwe: not South Africa's
            return None if _other_country_here(start, ref.country, known, sents) else ref
    return None


def _other_country_here(start: int, country: str, known: _Refs, sents: Sentences) -> bool:
    """Does the sentence at ``start`` name a country, place or capital other than ``country``?"""
    here = sents.index(start)
    lo = sents.starts[here]
    hi = sents.starts[here + 1] if here + 1 < len(sents.starts) else len(sents.text)
    return any(
        r.kind in ("country", "metonym", "place") and r.country != country
        for r in known.refs[bisect.bisect_left(known.starts, lo) : bisect.bisect_left(known.starts, hi)]
    )


def _sentence_country(
    doc: Doc, token, refs: list[ActorRef], among: frozenset[str] | None = None, not_of: str | None = None
) -> int | None:  # type: ignore[no-untyped-def]  # fmt: skip
    """'the government' whose clause's subject names one state, by its name, capital, people or state bodies,
    and does not act for it ("Critics in Kenya's parliament have accused the government", in a story about
    Haiti; a state acting on "the government" is ``not_of`` it): that state's nearest mention. The story's
    subject (``_topic_country``) decides otherwise. The subject only: "the withdrawal of U.S. troops from the
    country" and "Washington was concerned, and the EU urged the authorities" name other states beside it."""
    clause = token
    while (
        clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i
    ):  # ("head is not" holds at the root)
        clause = clause.head
    subjects = (
        [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        if clause.pos_ in ("VERB", "AUX")
        else []
    )
    if not subjects or any(s.i <= token.i <= s.right_edge.i for s in subjects):
        return None
    spans = [(doc[s.left_edge.i].idx, doc[s.right_edge.i].idx + len(doc[s.right_edge.i])) for s in subjects]
    here = [(idx, r) for idx, r in enumerate(refs) if any(lo <= r.start < hi for lo, hi in spans)
            and r.country not in ("UNK", "IGO", "WST") and r.reason != "coreference"]  # fmt: skip
    named = {r.country for _, r in here}
    states = [
        (idx, r) for idx, r in here if _country(r) or r.kind == "place" or r.sector in STATE_BODY_SECTORS
    ]
    if len(named) != 1 or not states:
        return None
    (country,) = named
    if country == not_of or (among is not None and country not in among):
        return None
    return states[-1][0]


# Sectors of the state's own bodies and people, whose country a clause lends to "the government"
STATE_BODY_SECTORS = frozenset({"GOV", "LEG", "MIL", "COP", "JUD"})


def _topic_country(
    refs: list[ActorRef], before: int, sents: Sentences, window: int, groups: bool = False,
    among: frozenset[str] | None = None, not_of: str | None = None,
) -> int | None:  # fmt: skip
    """'the country', 'the government': the country named most often in the window (the story's subject),
    its nearest mention as antecedent; no antecedent when two countries tie (precision over recall). Its
    people and bodies count too ("the Taliban leader ... troops left the country" is about Afghanistan).
    ``among``: the states the description allows ("the island nation" after "India sent a team to the
    Maldives" is the Maldives, however often the story names India); none of them in the window, no
    antecedent. ``not_of``: a country the description cannot be (the one acting on it)."""
    limit = sents.index(before) - window
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    nearest: dict[
        str, int
    ] = {}  # "Passengers of a Pakistani train ... the military": a national group will do
    anyone: dict[str, int] = {}
    for idx, r in enumerate(refs):
        if (among is not None and r.country not in among) or r.country == not_of:
            continue
        if r.start < before and sents.index(r.start) >= limit and r.country not in ("UNK", "IGO"):
            counts[r.country] = counts.get(r.country, 0) + 1
            # a person or body, not a group noun, not who tells the story ("according to reports by SABC")
            if r.kind not in ("outlet", "group") and r.sector != "JRN" and r.country != "WST":
                anyone[r.country] = idx
            if _country(r):
                last[r.country] = idx
            elif groups and r.kind == "group" and r.reason == "agent noun":
                nearest[r.country] = idx
    last = {**nearest, **last}
    if not counts:
        return None
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None
    best = max(counts, key=lambda c: counts[c])
    if best not in last and best in anyone and len(ranked) == 1:
        # "The BLA had warned ... if the state did not release", "Chilean economist X said the government
        # should act": the window names no other country, and this one only by its people and bodies (or a
        # nationality inside a person's phrase); the nearest of them stands for it
        return anyone[best]
    return last.get(best)


def _in_quotation(doc: Doc, token, sents: Sentences) -> bool:  # type: ignore[no-untyped-def]
    """Is the token inside a quotation (an odd number of quote marks before it in its sentence)?"""
    before = sents.text[sents.starts[sents.index(token.idx)] : token.idx]
    if CLOSED_QUOTE.search(before):
        return False  # 'Nothing has changed," he said': a quotation opened a sentence earlier just closed
    straight = before.count('"')
    return straight % 2 == 1 or before.count("“") > before.count("”")


def _pronoun_person(
    doc: Doc, token, refs: list[ActorRef], sents: Sentences, after: list[ActorRef] | None = None,
    kb: KnowledgeBase | None = None, speaker: str | None = None,
) -> ActorRef | None:  # type: ignore[no-untyped-def]  # fmt: skip
    before = token.idx
    here = sents.index(before)
    reach = _quotation_reach(token, sents) if token.dep_ == "nsubj" and token.head.lemma_ in SAY_VERBS else 1
    if token.dep_ in ("nsubj", "nsubjpass") and here > 0:
        # "He" opening a sentence after a quotation reaches back to where it opened: 'The U.S. leader said
        # the newspaper "has no idea ... They are owned by ..." He said'
        quotation = sents.quotation_at(sents.starts[here] - 2)
        if quotation is not None:
            reach = max(reach, min(here - sents.index(quotation[0]), QUOTE_REACH + 1))
    # A person named again later in the pronoun's own clause is not the pronoun ("some have called on him to
    # cut ties with Berisha" is not Berisha), nor is the speaker of a quotation "he" is inside ('"I know her
    # as Masih," Mehdiyev told jurors' is not Mehdiyev).
    ruled_out = _named_in_scope(doc, token, after or [])
    if speaker is not None:
        ruled_out.add(speaker)
    people = [
        r for r in refs if r.start < before and here - sents.index(r.start) <= reach
        and _person_like(doc, r, kb) and r.actor_id not in ruled_out
    ]  # fmt: skip
    said = _reporting_subject(token, people)
    if said is not None:
        return said  # "Khalid Mehdiyev told jurors that he was arrested": who says it, of himself
    candidates = people
    if len({r.actor_id for r in people}) > 1 and token.dep_ in ("nsubj", "nsubjpass"):
        # '"...," he said' after "Beledweyne District Commissioner Omar Osman Alasow": a name the recogniser
        # split off as a compound is no rival ("Putin met Trump. He said" stays unresolved).
        people = [r for r in people if _head_dep(doc, r) != "compound"]
        # "Before Ishiba was elected, he wrote ...": one person the subject of a clause earlier in the
        # pronoun's own sentence is who it continues, whoever the sentences before named.
        here_subjects = [
            r for r in people if sents.index(r.start) == here and _head_dep(doc, r) in ("nsubj", "nsubjpass")
        ]
        if len({r.actor_id for r in here_subjects}) == 1:
            people = here_subjects
    elif len({r.actor_id for r in people}) > 1:
        # "Trump confirmed al-Rufay'i's killing in a post on his platform": the clause's subject.
        people = [
            r for r in people if sents.index(r.start) == here and _head_dep(doc, r) in ("nsubj", "nsubjpass")
        ]
    if len({r.actor_id for r in people}) > 1 or (not people and candidates):
        # Several people in reach, all of one country: whichever it is, the country is theirs. The subject
        # nearest before is the likelier one ("He is running against Yoweri Museveni ... his concerts").
        people = _one_country(doc, candidates)
    if not people or len({r.actor_id for r in people}) != 1:
        return None  # nobody, or more than one candidate: do not guess
    ante = people[-1]
    there = sents.index(ante.start)
    if token.dep_ in ("nsubj", "nsubjpass") and there < here and not any(
        r.actor_id == ante.actor_id and sents.index(r.start) == there and (
            _head_dep(doc, r) in ("nsubj", "nsubjpass", "poss", "appos", "compound")
            or (r.reason == "coreference" and r.text.lower() in PERSON_PRONOUNS and _no_rival_subject(doc, r, sents)))
        for r in people):  # fmt: skip
        # A new sentence's "He" continues its subject; the one person named was not the subject (in any of
        # their mentions in that sentence: "Wine says he's hopeful ... for him"). A pronoun is the passage's
        # topic already ("Law enforcement charged him ... He was also charged"), unless another actor was
        # the subject there.
        return None
    return ante


def _person_like(doc: Doc, r: ActorRef, kb: KnowledgeBase | None) -> bool:
    """A person named, or one a ref describes by a singular noun for a person as the subject of a clause
    ("The UNICEF director said ... She", "The U.S. leader said ... He"): either may be what "he/she" stands
    for, and a rival. A noun for a person elsewhere ("works at the office of the government spokesperson",
    "X, a Chinese student,") is no one the story follows, or is the name beside it. Nor is a name in
    capitals the knowledge base lacks: the recogniser tags initials a person ("The #PNH is instructed"), but
    people are not named by their initials, and as a person it was a rival for every "he" near it."""
    if r.kind == "person":
        return not (r.reason.startswith("unknown") and INITIALS.fullmatch(r.text))
    if kb is None:
        return False
    span = doc.char_span(r.start, r.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    return (
        root.i == span.end - 1
        and root.dep_ in ("nsubj", "nsubjpass")
        and (person_noun(root, kb) or (root.tag_ == "NN" and root.lower_ in UNNAMED_PEOPLE))
    )


def _named_in_scope(doc: Doc, token, after: list[ActorRef]) -> set[str]:  # type: ignore[no-untyped-def]
    """People named after a subject or object pronoun inside its own clause: the pronoun cannot be them
    ("He said Berisha would resign", "called on him to cut ties with Berisha", "She and Lockyear"); that
    would be "himself" or a repeated name. Not across a clause joined by "and", and not for a possessive
    ("his successor praised Berisha" may be Berisha's)."""
    if token.dep_ in ("nsubj", "nsubjpass", "dobj", "dative"):
        verb = token.head
    elif token.dep_ == "pobj" and token.head.head.pos_ in ("VERB", "AUX"):
        verb = token.head.head  # "called on him to ..."
    else:
        return set()
    spans = [(c.left_edge.i, c.right_edge.i) for c in verb.children
             if c.i > token.i and c.dep_ not in ("conj", "cc", "parataxis", "punct")]  # fmt: skip
    spans.append((token.i + 1, token.right_edge.i))  # "She and Lockyear": a conjunct of the pronoun
    out = set()
    for r in after:
        if r.kind != "person" or r.start <= token.idx:
            continue
        k = doc.char_span(r.start, r.end, alignment_mode="expand")
        if k is not None and len(k) and any(lo <= k.start <= hi for lo, hi in spans):
            out.add(r.actor_id)
    return out


def _reporting_subject(token, people: list[ActorRef]) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """The person who says or tells what a subject "he/she" is the subject of: "X told jurors that he was
    arrested", "The official said she would resign" (a clause reported by a verb of saying, or joined to
    one that is)."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = token.head
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    verb = clause.head
    if clause.dep_ != "ccomp" or verb.lemma_ not in SAY_VERBS or verb.pos_ not in ("VERB", "AUX"):
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i]
    for subject in subjects:
        found = [r for r in people if r.start <= subject.idx < r.end]
        if found:
            return found[-1]
    return None


def _one_country(doc: Doc, people: list[ActorRef]) -> list[ActorRef]:
    """Of several people in reach who are all of one known country, the nearest subject (or the nearest):
    the pronoun's country is certain even when its person is not; people of different countries, or of
    none known, leave it unresolved."""
    countries = {r.country for r in people}
    if len(countries) != 1 or countries & {"UNK", "IGO", "WST"}:
        return []
    subjects = [r for r in people if _head_dep(doc, r) in ("nsubj", "nsubjpass")]
    return (subjects or people)[-1:]


def _quotation_speaker(
    doc: Doc, token, known: _Refs, new: _Refs, sents: Sentences, cache: dict[tuple[int, int], str | None]
) -> str | None:  # type: ignore[no-untyped-def]
    """The actor who speaks a quotation the pronoun is inside: the subject of a verb of saying where the
    quotation closes, else where it opens (as for "I/we"); None outside quotations."""
    quotation = sents.quotation_at(token.idx)
    if quotation is None:
        return None
    if quotation not in cache:
        refs = sorted(known.refs + new.refs, key=lambda r: r.start)
        first, last = sents.index(quotation[0]), sents.index(quotation[1] - 1)
        found = next((s for n in dict.fromkeys((last, first)) if (s := _sentence_speaker(doc, n, refs, sents))), None)  # fmt: skip
        cache[quotation] = None if found is None or found.kind != "person" else found.actor_id
    return cache[quotation]


INITIALS = re.compile(r"[A-Z][A-Z&]{1,7}")  # "PNH", "SADC": a body's initials, also when tagged a person


FEMININE = frozenset({"she", "her", "hers", "herself"})
MASCULINE = frozenset({"he", "him", "his", "himself"})
_HONORIFIC = re.compile(r"\b(Ms|Mrs|Miss|Mr)\.?\s*$")


def _gender_clash(pronoun: str, person: ActorRef, refs: list[ActorRef], text: str) -> bool:
    """Does the article call this person "Ms." or "Mrs." while the pronoun is "he" (or "Mr." and "she")?
    Then '..." he told the court' after "Ms. Alinejad" is someone else. Only honorifics count: a pronoun
    linked earlier may itself be wrong ("In his testimony, Mehdiyev said" before the name)."""
    said: set[str] = set()
    for ref in refs:
        if (
            ref.actor_id == person.actor_id
            and ref.text[:1].isupper()
            and ref.text.lower() not in PERSON_PRONOUNS
        ):
            title = _HONORIFIC.search(text[max(0, ref.start - 6) : ref.start])
            if title:
                said.add("m" if title.group(1) == "Mr" else "f")
    this = "f" if pronoun in FEMININE else "m"
    return bool(said) and this not in said


# Singular nouns for a person whom the story does not name: no actor the knowledge base can resolve, but a
# rival for "he" all the same (with the nouns for a person of the matching module).
UNNAMED_PEOPLE = PERSON_NOUNS | frozenset({
    "man", "woman", "boy", "girl", "killer", "gunman", "attacker", "assailant", "shooter", "bomber", "kidnapper",
    "abductor", "hijacker", "murderer", "robber", "thief", "driver", "passenger", "resident", "student",
    "teacher", "doctor", "nurse", "worker", "farmer", "villager", "neighbor", "neighbour", "friend", "relative",
    "son", "daughter", "husband", "wife", "brother", "sister", "owner", "customer", "patient", "prisoner",
    "detainee", "hostage", "captive", "guard", "spokesman", "spokeswoman", "spokesperson",
})  # fmt: skip


def _unnamed_rival(token, person: ActorRef, refs: list[ActorRef]) -> bool:  # type: ignore[no-untyped-def]
    """Is a person named only by a noun, or a pronoun of the same gender left unresolved, the subject of a
    clause the pronoun is in, after ``person``? Then "him" and "he" are as likely that person: 'De Felice
    said the killer asked the foreigners whether they could give him money, which he later demanded' is not
    De Felice's money. (A noun inside a ref is the ref's own: "Police spokesman X" is X. The subject of the
    pronoun's own clause is never it: "the soldier who shot him" is not him, so the soldier is no rival.)"""
    own = {token.i, token.head.head.i if token.head.dep_ == "relcl" else token.i}
    own |= {c.i for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")}
    node = token
    while node.head.i != node.i:
        node = node.head
        for child in node.children:
            if (
                child.dep_ in ("nsubj", "nsubjpass")
                and child.i not in own
                and (
                    (child.tag_ == "NN" and child.lower_ in UNNAMED_PEOPLE)
                    # "She became pregnant when the officer raped her", "She" left unresolved: "her" too
                    or (child.pos_ == "PRON" and _same_gender(child.lower_, token.lower_))
                )
                and person.end <= child.idx < token.idx
                and not any(r.start <= child.idx < r.end for r in refs)
            ):
                return True
    return False


def _same_gender(a: str, b: str) -> bool:
    return (a in FEMININE and b in FEMININE) or (a in MASCULINE and b in MASCULINE)


def _no_rival_subject(doc: Doc, ref: ActorRef, sents: Sentences) -> bool:
    """Is no person or named body other than ``ref`` the subject of ``ref``'s sentence? ("Law enforcement
    charged him": a body of no name; "Putin met him": a rival.)"""
    n = sents.index(ref.start)
    start = sents.starts[n]
    end = sents.starts[n + 1] if n + 1 < len(sents.starts) else len(sents.text)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    return not any(t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN" for t in span)


def _quotation_reach(token, sents: Sentences) -> int:  # type: ignore[no-untyped-def]
    """How many sentences back '"...," he said' may look: past the sentences of the quotation, to the
    one before it (where the speaker was named); 1 when the pronoun's sentence quotes nobody."""
    here = sents.index(token.idx)
    if not QUOTE_MARKS & set(sents.text[sents.starts[here] : token.idx]):
        return 1
    reach = 1
    while reach < QUOTE_REACH and here - reach >= 0:
        start = sents.starts[here - reach]
        end = sents.starts[here - reach + 1]
        if not QUOTE_MARKS & set(sents.text[start:end]):
            break
        reach += 1
    return reach


def _has_noun_attribute(verb) -> bool:  # type: ignore[no-untyped-def]
    return any(child.dep_ == "attr" and child.pos_ in ("NOUN", "PROPN") for child in verb.children)


# Adjectives said of an agent ("it is ready to accept", "it was unwilling to"), which an expletive "it" never
# has ("it is clear that", "it is important to").
AGENT_ADJECTIVES = frozenset({"ready", "willing", "unwilling", "prepared", "able", "unable", "determined",
                              "committed", "keen", "eager", "reluctant", "open", "confident", "opposed",
                              "responsible", "interested", "unprepared"})  # fmt: skip


def _agent_adjective(verb) -> bool:  # type: ignore[no-untyped-def]
    return any(child.dep_ == "acomp" and child.lower_ in AGENT_ADJECTIVES for child in verb.children)


def _object_owner(doc: Doc, token, refs: list[ActorRef]) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """The body or country whose own thing is the direct object of its verb: "Washington change its stance",
    "China will use domestic laws to enforce its jurisdiction", "aiming to topple the government and impose
    its interpretation" (the subject shared through "to" and "and"). Not "its" inside a prepositional phrase
    ("accused Beijing of genocide over its treatment" is Beijing's, not the accuser's)."""
    noun = token.head
    if token.dep_ != "poss" or noun.dep_ != "dobj":
        return None
    verb = noun.head
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            if subject.i > token.i or subject.lower_ in IT_PRONOUNS | PLURAL_PRONOUNS:
                return None  # a pronoun subject is the rules' own business ("it had held")
            return next((r for r in refs if r.start <= subject.idx < r.end and _body(r)), None)
        if verb.dep_ not in ("xcomp", "conj") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _pronoun_it(doc: Doc, refs: list[ActorRef], token, sents: Sentences) -> ActorRef | None:  # type: ignore[no-untyped-def]
    before = token.idx
    here = sents.index(before)
    cands = [r for r in refs if r.start < before and here - sents.index(r.start) <= 1
             and (_organisation(r) or _country(r)) and _head_dep(doc, r) in ("nsubj", "nsubjpass")]  # fmt: skip
    if cands and len({r.actor_id for r in cands}) > 1:  # the subject of its own sentence first
        cands = [r for r in cands if sents.index(r.start) == here]
    if not cands or len({r.actor_id for r in cands}) != 1:
        return None
    # Another organisation or country named between the subject and "it" makes the pronoun ambiguous,
    # unless it sits in a side phrase that does not govern the pronoun ("reset relations with Egypt").
    # Only the main clause's subject gets this benefit: "the Senate prepares to vote on measures against
    # Turkey over its ..." stays ambiguous.
    ancestors = {t.i for t in token.ancestors}
    main = _anchor(doc, cands[-1]) is not None and _anchor(doc, cands[-1]).dep_ == "ROOT"  # type: ignore[union-attr]
    # "The Foreign Ministry condemned the strike that hit a hospital in Gaza City. It called on the Security
    # Council ...": a sentence that opens on "It" as its subject continues the last sentence's subject; the
    # objects and side phrases of that sentence do not compete, only another subject would.
    continues = (
        main
        and token.dep_ == "nsubj"
        and token.head.dep_ == "ROOT"
        and sents.index(cands[-1].start) == here - 1
    )
    between = [r for r in refs if cands[-1].end <= r.start < before and (_organisation(r) or _country(r))
               and (not main or sents.index(r.start) < here or _anchor_index(doc, r) in ancestors)
               and (not continues or _head_dep(doc, r) in ("nsubj", "nsubjpass"))]  # fmt: skip
    if any(r.actor_id != cands[-1].actor_id for r in between):
        return None
    return cands[-1]


def _name_of(ref: ActorRef | None, pairs: list[tuple[ActorRef, ActorRef]]) -> ActorRef | None:
    """A linked mention's antecedent (link "they" to the group's name, not to the "It" before it)."""
    if ref is None:
        return None
    return next((a for m, a in pairs if m is ref), ref)


def _body(r: ActorRef) -> bool:
    """What "it" can stand for: a body or a country, or a country's government ("the Thai government"),
    never people ("Thai officials")."""
    if r.kind == "group":
        return r.sector == "GOV" and r.country not in ("UNK", "IGO") and not r.text.rstrip().endswith("s")
    return (_organisation(r) or _country(r)) and r.kind != "person"


REPORTING = frozenset(
    {"say", "claim", "tell", "add", "state", "announce", "insist", "confirm", "allege", "report"}
)
# "it" as the subject of these is the event or the situation, not an actor ("police said it happened").
NOT_AGENTIVE = frozenset({"happen", "occur", "seem", "appear", "remain", "take", "mean", "be", "look", "come",
                          "begin", "start", "end", "matter", "cost", "need", "become", "go", "make"})  # fmt: skip
SPEAKER_LINKS = frozenset({"for", "of", "at"})  # "a spokesperson for the State Department"


def reported_by(doc: Doc, token, refs: list[ActorRef], fits: Predicate) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """A pronoun inside what a body reports is that body when nothing else can be: "It later claimed
    they were holding over 200 hostages", "the Thai government said Beijing had assured it", "A
    spokesperson for the State Department told VOA it had been working ...". The pronoun must be the
    reported clause's subject (an act, not "it happened") or the object of a verb with another subject;
    the speaker is the reporting verb's subject, or the body a spokesperson speaks for; another actor
    that fits between them, or a plural noun before "they", leaves it unlinked."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        if token.head.lemma_ in NOT_AGENTIVE or token.head.lower_ in COPULAS:
            return None
    elif token.dep_ in ("dobj", "dative", "pobj"):
        verb = token.head.head if token.dep_ == "pobj" else token.head
        if not any(c.dep_ in ("nsubj", "nsubjpass") and c.i != token.i for c in verb.children):
            return None
    else:
        return None
    node, through_clause = token.head, False
    while node.i != node.head.i and not (through_clause and node.lemma_ in REPORTING and node.pos_ == "VERB"):
        through_clause = through_clause or node.dep_ == "ccomp"
        node = node.head
    if not (through_clause and node.lemma_ in REPORTING):
        return None
    subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    speaker = next((r for r in refs if r.start <= subject.idx < r.end), None)
    if speaker is None or not fits(speaker):
        # a spokesperson speaks for the body named after it
        bodies = [r for t in subject.children if t.dep_ == "prep" and t.lower_ in SPEAKER_LINKS
                  for o in t.children if o.dep_ == "pobj" for r in refs if r.start <= o.idx < r.end]  # fmt: skip
        speaker = bodies[0] if len(bodies) == 1 and fits(bodies[0]) else None
    if speaker is None:
        return None
    # The subject of the pronoun's own verb is no rival ("Beijing had assured it" is not Beijing), nor is
    # the outlet the speaker talks to ("told VOA").
    own = {
        c.i
        for c in (token.head.head if token.dep_ == "pobj" else token.head).children
        if c.dep_ in ("nsubj", "nsubjpass")
    }
    rivals = [r for r in refs if speaker.end <= r.start < token.idx and fits(r) and r.actor_id != speaker.actor_id
              and not any(r.start <= doc[i].idx < r.end for i in own) and not told_outlet(doc, r)]  # fmt: skip
    if rivals or (token.lower_ in PLURAL_PRONOUNS and _plural_rival(doc, refs, speaker.end, token)):
        return None
    return speaker


def _anchor(doc: Doc, ref: ActorRef):  # type: ignore[no-untyped-def]
    """The word a ref hangs from: its head, or for "against Turkey" the word the preposition attaches to."""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root.head
    return head.head if span.root.dep_ == "pobj" else head


def _anchor_index(doc: Doc, ref: ActorRef) -> int:
    anchor = _anchor(doc, ref)
    return -1 if anchor is None else anchor.i


def _governing_body(
    doc: Doc,
    token,
    refs: list[ActorRef],
    sents: Sentences,  # type: ignore[no-untyped-def]
    pred: Predicate | None = None,
) -> ActorRef | None:
    """'it/its' for an organisation or country that is not the subject: the nearest one in the sentence
    whose governing word dominates the pronoun ("accused Beijing of genocide over its treatment",
    "measures against Turkey over its procuring"), not one inside a side phrase ("relations with Egypt")."""
    pred = pred or (lambda r: (_organisation(r) or _country(r)) and r.kind != "group")  # "it" is no people
    here = sents.index(token.idx)
    ancestors = {t.i for t in token.ancestors}
    for r in reversed(refs):
        if r.start >= token.idx or r.kind == "person":
            continue
        if sents.index(r.start) != here:
            return None
        if not pred(r) or r.country == "UNK" or _head_dep(doc, r) in ("nsubj", "nsubjpass"):
            continue  # subjects are _pronoun_it's business
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ in PLACE_PREPOSITIONS:
            continue  # "attacks in Somalia, aiming to impose its ...": a place, not the agent
        anchor = _anchor(doc, r)
        if anchor is not None and anchor.i in ancestors:
            return r
    return None


def _pronoun_they(
    doc: Doc, token, refs: list[ActorRef], sents: Sentences, kb: KnowledgeBase | None = None
) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """'they/them/their' -> the plural actor that was the subject in this or the previous sentence, or
    the only plural actor there; nothing when several compete."""
    if token.lower_ == "their":  # "pleading with civilians to go back to their villages"
        near = _governing_body(doc, token, refs, sents, _plural_actor)
        if near is not None:
            return near
    here = sents.index(token.idx)
    cands = [r for r in refs if r.start < token.idx and here - sents.index(r.start) <= 1 and _plural_actor(r)
             and not _one_of(doc, r, kb)]  # fmt: skip
    # An object pronoun is never its own clause's subject: that one is no candidate at all, so the other
    # plural actor in reach is ("Ukrainian soldiers retreated. Russian forces shelled them"); before, the
    # subject was chosen and then refused, which left the pronoun unlinked.
    cands = [r for r in cands if not _own_subject(doc, token, r, refs)]
    if not cands or _plural_rival(doc, refs, cands[-1].end, token):
        return None
    subjects = [r for r in cands if _head_dep(doc, r) in ("nsubj", "nsubjpass")]
    if subjects:
        last = max(sents.index(r.start) for r in subjects)
        subjects = [r for r in subjects if sents.index(r.start) == last]
        if len({r.actor_id for r in subjects}) == 1:
            return subjects[-1]
        return None
    return cands[-1] if len({r.actor_id for r in cands}) == 1 else None


def _they_a_state(
    doc: Doc, token, refs: list[ActorRef], everyone: list[ActorRef], speaker: str | None
) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """'they' for a state, when a state is all there is: "If the United States approaches us positively, we
    will also react positively. But if they take negative toward us" (its people or its government: either
    way its country). Only when the one country named in this and the previous sentence was a subject there,
    no actor of people (a group, a party, a person) is in reach, no plural noun comes between, and the
    country is not the quotation's speaker's own."""
    near = [r for r in refs if r.start < token.idx]
    if any(r.kind in ("group", "party", "ngo", "igo", "person", "organization", "institution", "company")
           and r.text.lower() not in FIRST_PERSON for r in near):  # fmt: skip
        return None  # "we" and "us" are the speaker's, no rival
    states = [r for r in near if _country(r)]
    if not states or len({r.country for r in states}) != 1:
        return None
    ante = states[-1]
    if not any(_head_dep(doc, r) in ("nsubj", "nsubjpass") for r in states):
        return None
    if speaker is not None and any(r.actor_id == speaker and r.country == ante.country for r in everyone):
        return None
    if _plural_rival(doc, refs, ante.end, token) or _own_subject(doc, token, ante, everyone):
        return None
    return ante


# Acts of armed force: their subject "they" is an armed side ("They shot and killed people on the train").
VIOLENT_VERBS = frozenset({"shoot", "kill", "attack", "ambush", "abduct", "kidnap", "execute", "bomb", "shell",
                           "storm", "hijack", "behead", "massacre", "torture", "fire", "open"})  # fmt: skip
ARMED_SECTORS = frozenset({"REB", "CRM", "UAF", "PRM", "MIL", "COP"})


def _they_who_attack(doc: Doc, token, refs: list[ActorRef], sents: Sentences) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """'they' as the subject of an act of force (also of a verb joined to one: "they picked out ten
    people and shot them") is the one armed side named in the last few sentences: a victim's quotation
    about "the Baloch Liberation Army" says "They shot ..."; two armed sides there (rebels and the
    army) leave it unlinked."""
    if token.dep_ != "nsubj" or token.lower_ == "their":
        return None
    verbs: set[str] = set()
    todo = [token.head]
    while todo and len(verbs) < 8:  # the verb and those joined to it ("picked out ..., tied ... and shot")
        verb = todo.pop()
        verbs.add(verb.lemma_)
        todo.extend(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")
    if not verbs & VIOLENT_VERBS:
        return None
    armed = [r for r in refs if _plural_actor(r) and r.sector in ARMED_SECTORS and r.country != "IGO"]
    # Those who acted (subjects) first: "police officers" they picked out are victims, not the side.
    acting = [r for r in armed if _head_dep(doc, r) in ("nsubj", "nsubjpass")] or armed
    return acting[-1] if acting and len({r.actor_id for r in acting}) == 1 else None


def _they_again(doc: Doc, token, pairs: list[tuple[ActorRef, ActorRef]], sents: Sentences) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """A subject 'they' right after a sentence whose subject was a linked 'they' is the same side ("They
    shot ... They said, 'Come out'")."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    here = sents.index(token.idx)
    for mention, ante in reversed(pairs):
        if mention.start >= token.idx or mention.text.lower() != "they":
            continue
        if here - sents.index(mention.start) != 1:
            return None
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return ante if span is not None and span.root.dep_ in ("nsubj", "nsubjpass") else None
    return None


def _own_subject(doc: Doc, token, ante: ActorRef, refs: list[ActorRef]) -> bool:  # type: ignore[no-untyped-def]
    """Is the antecedent the subject of the verb the pronoun is the object of? "militants pulled them off
    the train", "they picked out officers and shot them": an object pronoun is never its own clause's
    subject (that would be "themselves"). The subject may be shared with a joined verb, and may be a
    pronoun already linked to the antecedent."""
    if token.dep_ not in ("dobj", "dative", "iobj"):
        return False
    verb = token.head
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    for subject in subjects:
        for r in refs:
            if r.start <= subject.idx < r.end and (
                r is ante or r.actor_id == ante.actor_id or _same_state(r, ante)
            ):
                return True
    return False


def _speaks_for_state(r: ActorRef) -> bool:
    return r.kind in ("country", "metonym") or (r.kind == "group" and r.sector == "GOV")


def _same_state(a: ActorRef, b: ActorRef) -> bool:
    """A country and its government are one actor: "Thai officials ... Thailand turned them down" cannot
    be the officials (that would be "themselves")."""
    return (
        a.country == b.country and a.country not in ("UNK", "IGO", "WST")
        and _speaks_for_state(a) and _speaks_for_state(b)
    )  # fmt: skip


def _their_conjunct(token, refs: list[ActorRef]) -> ActorRef | None:  # type: ignore[no-untyped-def]
    """The actor named in the conjunct before a noun that "their" possesses ("Lai's son Sebastien and their
    international legal team"): the pronoun includes it."""
    if token.lower_ != "their":
        return None
    owned = token.head
    if owned.dep_ != "conj" or owned.head.i >= token.i:
        return None
    first = owned.head
    if first.pos_ not in ("NOUN", "PROPN"):
        return None  # a clause before ("China never condemned ..., and their partnership"): no conjunct
    words = [first.idx] + [c.idx for c in first.children if c.dep_ == "appos"]
    return next((r for r in refs if any(r.start <= i < r.end for i in words) and r.start < token.idx), None)


def _plural_rival(doc: Doc, refs: list[ActorRef], after: int, token) -> bool:  # type: ignore[no-untyped-def]
    """A plural noun that is no actor between the candidate and 'they' ("Aid agencies ... where they could",
    "three people ... after their boat") may be what the pronoun means: do not guess."""
    for i in range(token.i - 1, -1, -1):
        t = doc[i]
        if t.idx < after:
            break
        if (
            (t.tag_ in ("NNS", "NNPS") or _quantifier_head(t))
            and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos")
            # a noun inside a singular noun's prepositional phrase is no participant ("in anger over rising
            # food prices ... They demanded"); one after a verb's preposition is ("went with civilians"), and
            # so is one describing people ("protesters from many groups")
            and not (t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.tag_ == "NN")
            and not any(r.start <= t.idx < r.end for r in refs)
        ):
            return True
    return False


# Quantifiers standing alone for a plural ("some had, without naming them"): as much a rival as a noun.
QUANTIFIERS = frozenset({"some", "others", "many", "several", "most", "few", "both", "all"})


def _quantifier_head(token) -> bool:  # type: ignore[no-untyped-def]
    return token.lower_ in QUANTIFIERS and token.pos_ in ("DET", "PRON", "ADJ", "NOUN") and not any(
        c.dep_ == "prep" and c.lower_ == "of" for c in token.children)  # fmt: skip


def store_links(doc: Doc, links: list[tuple[int, int]]) -> None:
    """Keep (mention index, antecedent index) pairs into ``doc._.actors`` on the doc."""
    doc.user_data[LINKS_KEY] = list(links)


def antecedents(doc: Doc) -> list[tuple[ActorRef, ActorRef]]:
    """(coreferent mention, its antecedent) pairs, e.g. ("the daily", "The New York Times")."""
    actors = doc._.actors or []
    return [
        (actors[m], actors[a])
        for m, a in doc.user_data.get(LINKS_KEY, ())
        if m < len(actors) and a < len(actors)
    ]


def antecedent_of(doc: Doc, ref: ActorRef) -> ActorRef | None:
    """The antecedent of a coreferent mention (None for a mention that names its actor itself)."""
    for mention, ante in antecedents(doc):
        if mention == ref:
            return ante
    return None


def with_linked_mentions(
    refs: list[ActorRef], links: list[tuple[int, int]], added: list[tuple[ActorRef, ActorRef]]
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """``refs`` with the ``added`` (mention, antecedent) pairs merged in text order, and the coreference
    ``links`` (mention index, antecedent index) renumbered with one link per added mention."""
    if not added:
        return refs, links
    merged = sorted([*refs, *(m for m, _ in added)], key=lambda r: (r.start, r.end))
    position = {id(r): i for i, r in enumerate(merged)}
    old = {i: position[id(r)] for i, r in enumerate(refs)}
    return merged, [(old[m], old[a]) for m, a in links] + [
        (position[id(m)], position[id(a)]) for m, a in added
    ]


MACHINES = frozenset({"drones", "aircraft", "jets", "helicopters", "tanks", "warships", "ships", "vessels",
                      "missiles", "rockets", "submarines", "planes", "boats", "strikes"})  # fmt: skip


def _machine(r: ActorRef) -> bool:
    words = r.text.lower().split()
    return bool(words) and words[-1] in MACHINES


def they_for_sector_nouns(
    doc: Doc, refs: list[ActorRef], links: list[tuple[int, int]], nouns: list[ActorRef], kb: KnowledgeBase
) -> tuple[list[ActorRef], list[tuple[int, int]]]:
    """'they/them/their' for a sector noun that took its country after coreference ran ("residents of
    Dadaab say they have no safe alternatives", "urged people to seek care if they have symptoms"): the
    same plural rules (``_pronoun_they``, then the body that reports the clause), run again for the
    pronouns left unlinked, with the sector nouns (``nouns``) now among the refs. Only a sector noun may be
    the answer: the first pass already answered, or declined, for the others."""
    if not nouns:
        return refs, links
    with reading(doc):
        sents = Sentences(doc)
        ordered = sorted(refs, key=lambda r: r.start)
        starts = {r.start for r in refs}
        # A machine's country from the sentence is a guess at whose it is ("Ukraine said it shot down dozens
        # of drones"): a pronoun would spread the guess, so it is no answer here.
        late = {id(n) for n in nouns if not (n.reason.endswith("+context") and _machine(n))}
        added: list[tuple[ActorRef, ActorRef]] = []
        for k in tokens_of(doc, PLURAL_PRONOUNS):
            token = doc[k]
            if token.pos_ != "PRON" or token.idx in starts:
                continue
            here = sents.index(token.idx)
            near = [r for r in ordered if r.start < token.idx and here - sents.index(r.start) <= 1]
            group = _pronoun_they(doc, token, near, sents, kb)
            if group is not None and _own_subject(doc, token, group, ordered):
                group = None
            if group is None and not (
                _in_quotation(doc, token, sents) or sents.quotation_at(token.idx) is not None
            ):
                group = reported_by(doc, token, ordered, _plural_actor)
            if group is None or id(group) not in late:
                continue
            added.append((_copy(group, token.text, token.idx, token.idx + len(token), 0.65), group))
    return with_linked_mentions(refs, links, added)
