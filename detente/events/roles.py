"""Who did it to whom: source and target actors of an event trigger, read off the dependency parse.

The events stage asks two questions of a trigger token: which actor mentions fill its subject
(source) and which its object (target). :class:`ActorIndex` maps tokens to the ``ActorRef``
mentions written by ``detente.actors.v1``; the role functions walk the tree:

- subjects: ``nsubj``; for passives the ``by``-agent; controlled verbs ("agreed to meet") and
  conjuncts ("met and agreed") borrow their head's subject; relative clauses their antecedent;
- objects: ``dobj``, ``dative``, the ``nsubjpass`` of a passive, and prepositional objects
  introduced by against/on/to/with/at/into/from;
- a noun phrase names an actor through its head, a possessive ("Russia's invasion"), an adjective
  or compound ("Israeli soldiers", "U.S. Secretary"), an appositive or an of-phrase ("leaders of
  Azadliq"); conjuncts give several actors ("Jordan and Britain");
- pronouns ("it said it would") resolve to the speaker of the clause they sit in, else to the
  nearest actor mentioned before them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from detente.actors.matching import SPOKESPEOPLE
from detente.actors.sets import is_set, members
from detente.events.modality import main_clause_hung_on_a_later_verb
from detente.records import ActorRef

# A law, decree or order that someone signs or issues is no act between actors (docs/annotation.md,
# "Signing"): what it does is the act, and the one who signs it does it ("Trump signed an executive order
# imposing tariffs on Canada" is SANCTION USA -> CAN; "signed" is no SUPPORT). Agreements, treaties and
# declarations are not here: signing those is SUPPORT.
ENACTING_VERBS = frozenset({"sign", "issue", "enact", "promulgate"})
INSTRUMENTS = frozenset({"decree", "order", "law", "bill", "legislation", "ordinance", "proclamation", "directive",
                         "edict", "statute", "measure", "regulation", "amendment"})  # fmt: skip
# The same holds for any document someone sends or adopts: what it does, its author does ("sent a diplomatic
# note to Washington protesting the treatment of migrants", "adopted a resolution condemning the coup").
DOCUMENTS = INSTRUMENTS | frozenset({"note", "letter", "statement", "complaint", "report", "resolution", "memo",
                                     "communique", "petition", "message"})  # fmt: skip
AUTHORING_VERBS = ENACTING_VERBS | frozenset({"send", "deliver", "submit", "file", "release", "publish", "adopt",
                                              "pass", "approve", "write", "hand"})  # fmt: skip
SET_MEMBER = "set member"  # the reason of a set's member taking part in an event on its own
# Who speak or act for a body named after "for": "a spokesperson for the EU's foreign service" (the actors
# stage gives such a noun the body's country by the same list, ``matching.SPOKESPEOPLE``).
ACTING_FOR_NOUNS = SPOKESPEOPLE | {"representative", "envoy", "negotiator"}
NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos", "npadvmod", "nummod", "det", "case"})
TARGET_PREPS = frozenset(
    {"against", "on", "to", "with", "at", "into", "from", "toward", "towards", "upon", "in", "between", "among"}
)  # fmt: skip
NOUN_TARGET_PREPS = frozenset(
    {"against", "on", "to", "with", "of", "at", "into", "toward", "towards", "upon", "over", "between"}
)
# Nouns that name what someone asked or offered: the one it came from is who the response is to
# ("dismissed an appeal from President Gbagbo").
REQUEST_NOUNS = frozenset({"appeal", "demand", "request", "call", "offer", "proposal", "invitation", "plea",
                           "ultimatum", "suggestion", "initiative", "plan"})  # fmt: skip
# Nouns that name something said: a charge, a claim, a proposal. Judging one (rejecting, welcoming,
# condemning it) is aimed at whoever said it, never at what it is about: "rejected accusations that
# Lai's trial is unfair" answers the accusers, not Lai.
SAID_NOUNS = REQUEST_NOUNS | frozenset({"charge", "accusation", "allegation", "claim", "assertion", "criticism",
                                        "contention", "insinuation", "statement", "remark", "comment"})  # fmt: skip
# "with Albania's help", "with the support of": a means, not a recipient.
MEANS_NOUNS = frozenset({"help", "support", "assistance", "aid", "backing", "cooperation", "consent",
                         "approval", "knowledge", "blessing", "participation", "involvement",
                         # "signed an agreement with the mediation of China": the mediator is no party
                         "mediation", "auspices", "facilitation", "brokering"})  # fmt: skip
# Subjects that name no actor: a device or attack, an anonymous crowd. PLOVER codes such events by
# the country where they happen ("a roadside bomb near Samarra", "thousands of people in Hong Kong").
IMPLICIT_SUBJECTS = frozenset({
    "people", "crowd", "thousand", "hundred", "dozen", "protester", "demonstrator", "resident", "villager",
    "gunman", "assailant", "attacker", "bomber", "bomb", "device", "bombing", "explosion", "blast", "mine",
    "rocket", "shell", "missile", "grenade", "mortar", "attack", "ambush", "fire",
})  # fmt: skip
PLACE_PREPS = frozenset({"in", "near", "outside", "at", "across", "throughout", "of", "around", "inside"})
PRONOUNS = frozenset(
    {"it", "he", "she", "they", "its", "his", "her", "their", "we", "our", "i", "them", "him"}
)
REPORTING = frozenset(
    {"say", "tell", "report", "announce", "declare", "state", "add", "claim", "note", "confirm", "reiterate",
     "write", "believe", "quote", "warn", "insist", "explain", "describe"}
)  # fmt: skip


class ActorIndex:
    """Actor mentions of one doc, addressable by token."""

    def __init__(self, doc: Doc, actors: Sequence[ActorRef] | None) -> None:
        self.doc = doc
        self.known = actors is not None  # whether an actors stage ran (else no actor-based filtering)
        self.by_token: dict[int, ActorRef] = {}
        self.refs: list[tuple[int, ActorRef]] = []  # (first token index, ref), in text order
        for ref in sorted(actors or (), key=lambda r: (r.start, -(r.end - r.start))):
            span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            for token in span:
                self.by_token.setdefault(token.i, ref)
            self.refs.append((span.start, ref))

    def __bool__(self) -> bool:
        return bool(self.refs)

    def at(self, token: Token) -> ActorRef | None:
        return self.by_token.get(token.i)

    def before(self, token: Token, lower: int) -> ActorRef | None:
        """The nearest actor mentioned before ``token`` but not before token index ``lower``."""
        best = None
        for start, ref in self.refs:
            if lower <= start < token.i:
                best = ref
            elif start >= token.i:
                break
        return best

    def phrase(self, head: Token) -> list[ActorRef]:
        """The actors a noun phrase names (its conjuncts included), nearest to the head first."""
        found: list[ActorRef] = []
        for member in (head, *head.conjuncts):
            if member.i < head.i and member != head:
                continue  # conjuncts are reached from the first member only
            for ref in self._one(member):
                if ref not in found:
                    found.append(ref)
        return found

    def _one(self, head: Token) -> list[ActorRef]:
        ref = self.at(head)
        if ref is not None:
            if ref.country in {"", "UNK"}:
                # "the U.S. Treasury Department" split into two mentions: the modifier names the state
                named = [m for m in (self.at(c) for c in head.children if c.dep_ in {"compound", "amod"})
                         if m is not None and m.country not in {"", "UNK"}]  # fmt: skip
                if named:
                    ref = named[0]
            return [ref, *self._coordinated_modifiers(head, ref), *self._coordinated_complements(head, ref)]
        if head.lower_ in PRONOUNS and head.pos_ == "PRON":
            resolved = self.pronoun(head)
            return [resolved] if resolved else []
        if head.pos_ in {"VERB", "AUX"}:
            # A misparsed subject ("The Red Cross operating in Iraq said": "operating" as nsubj):
            # the verb's own subject is the noun phrase meant.
            subjects = [c for c in head.children if c.dep_ == "nsubj"]
            return self._one(subjects[0]) if subjects else []
        # Breadth-first through the modifiers, so the nearest modifier naming an actor wins.
        queue = [head]
        seen = {head.i}
        deferred: Token | None = None
        while queue:
            node = queue.pop(0)
            for child in node.children:
                if child.i in seen:
                    continue
                seen.add(child.i)
                ref = self.at(child)
                if child.dep_ in NP_DEPS or (child.dep_ == "pobj" and node.lower_ in {"of", "by", "for"}):
                    if ref is not None and _is_pronoun(child) and child.dep_ == "poss":
                        deferred = deferred or child  # "its European Community partners": the name wins
                        continue
                    if ref is not None:
                        refs = [ref, *self._coordinated_modifiers(child, ref)]  # "of U.S. and NATO troops"
                        for conj in child.conjuncts:  # "the Turkish and Greek sides"
                            other = self.at(conj)
                            if other is not None and other not in refs:
                                refs.append(other)
                        return refs
                    if child.lower_ in PRONOUNS and child.dep_ == "poss":
                        deferred = (
                            deferred or child
                        )  # "its partners in the European Community": the name wins
                    queue.append(child)
                elif (
                    child.dep_ == "prep"
                    and node == head
                    and (
                        child.lower_ in {"of", "by"}
                        or (child.lower_ == "for" and head.lemma_.lower() in ACTING_FOR_NOUNS)
                    )
                ):  # "leaders of Azadliq", "violations by the Israeli military", "a spokesperson for the EU"
                    queue.append(child)
        if deferred is not None:
            resolved = self.at(deferred) or self.pronoun(deferred)
            return [resolved] if resolved else []
        return []

    def _coordinated_modifiers(self, head: Token, ref: ActorRef) -> list[ActorRef]:
        """ "US and British forces": the mention covers "British forces"; the coordinated modifier
        "US" names a second actor of the same phrase."""
        out: list[ActorRef] = []
        doc = head.doc
        for child in head.children:
            # "a joint Kenya-U.S. military base": a modifier hyphened to the head names a second actor
            hyphened = child.i + 2 == head.i and doc[child.i + 1].text in {"-", "–"}
            if child.dep_ in {"nmod", "amod", "compound"} and (child.conjuncts or hyphened):
                other = self.at(child)
                if other is not None and other != ref and other not in out:
                    out.append(other)
        return out

    def _coordinated_complements(self, head: Token, ref: ActorRef) -> list[ActorRef]:
        """ "ministers from Britain, Canada and France": the mention covers "ministers from Britain"; the
        other conjuncts of its of/from complement are actors of the same phrase."""
        out: list[ActorRef] = []
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"of", "from"}:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj" or self.at(pobj) is not ref:
                    continue
                for conj in pobj.conjuncts:
                    other = self.at(conj)
                    if other is not None and other is not ref and other not in out:
                        out.append(other)
        return out

    def pronoun(self, token: Token) -> ActorRef | None:
        """A pronoun's actor: the subject it anticipates ("Since its invasion ..., Russia has"), the
        speaker of the reported clause it sits in, else the last actor mentioned before it."""
        clause = governing_verb(token.head)
        for subject in clause.children:
            if subject.dep_ == "nsubj" and subject.i > token.i and subject.lower_ not in PRONOUNS:
                ref = self.at(subject)
                if ref is not None:
                    return ref
        node = token
        while node.head != node:
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in REPORTING:
                speakers = [c for c in node.head.children if c.dep_ == "nsubj" and c.i < token.i]
                for speaker in speakers:
                    refs = self.phrase(speaker) if speaker.lower_ not in PRONOUNS else []
                    if refs:
                        return refs[0]
                break
            node = node.head
        if token.dep_ in {"nsubj", "nsubjpass"} and self.before(token, token.sent.start) is None:
            previous = self._previous_subject(token)
            if previous is not None:
                return previous
        return self.before(token, max(0, token.sent.start - 60))

    def _previous_subject(self, token: Token) -> ActorRef | None:
        """ "The FSB ordered its agents ... It also ordered ...": a subject pronoun opening its
        sentence continues the previous sentence's subject, not its last-named actor."""
        start = token.sent.start
        if start == 0:
            return None
        root = self.doc[start - 1].sent.root
        for subject in root.children:
            if subject.dep_ in {"nsubj", "nsubjpass"} and subject.lower_ not in PRONOUNS:
                refs = self.phrase(subject)
                if refs:
                    return refs[0]
        return None


def _is_pronoun(token: Token) -> bool:
    return token.lower_ in PRONOUNS


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    return [c for c in token.children if c.dep_ in wanted]


def governing_verb(token: Token) -> Token:
    """The token itself when it is a verb, else the nearest verb above it (the root when there is none)."""
    while token.pos_ not in {"VERB", "AUX"} and token.head != token:
        token = token.head
    return token


def enacted_instrument(verb: Token) -> Token | None:
    """The law, decree or order that ``verb`` signs or issues ("signed an executive order", "the decree was
    signed"), or None."""
    if verb.lemma_.lower() not in ENACTING_VERBS:
        return None
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass"} and child.lemma_.lower() in INSTRUMENTS:
            return child
    return None


def enactor(document: Token) -> list[Token]:
    """Who signed, issued, sent or adopted ``document``: the subject (or by-agent) of the verb it is the object
    of; none for a document that is no one's act here ("the report said")."""
    if (
        document.dep_ not in {"dobj", "nsubjpass"}
        or document.lemma_.lower() not in DOCUMENTS
        or document.head.lemma_.lower() not in AUTHORING_VERBS
    ):
        return []
    found, _ = subject_tokens(document.head)
    return found


def clause_verb(token: Token) -> Token:
    """For an adjective frame ("is ready to host") the copula carries the subject."""
    if token.dep_ in {"acomp", "attr"} and token.head.pos_ in {"AUX", "VERB"}:
        return token.head
    return token


def is_passive(verb: Token) -> bool:
    """A passive verb: it has its own passive auxiliary ("was freed", "after being freed"), or it is a bare
    participle sharing one with the verb it is coordinated with ("had been arrested and sentenced")."""
    if any(c.dep_ == "auxpass" for c in verb.children):
        return True
    return (
        verb.dep_ == "conj"
        and verb.tag_ == "VBN"
        and not any(c.dep_ in {"aux", "nsubj", "nsubjpass"} for c in verb.children)
        and any(c.dep_ == "auxpass" for c in verb.head.children)
    )


# "The convoy came under attack", "Kyiv is under fire", "fell under sanctions": the subject undergoes the
# event the noun names, as the subject of a reaction verb does.
UNDERGOING = frozenset({"come", "fall", "be", "remain", "stay", "find", "go"})


def doer_unnamed(token: Token, stative: Container[str] = ()) -> bool:
    """Whether the text leaves the doer of the act at ``token`` unsaid, so no source is guessed: a passive
    with no agent ("David Gee was detained at Angel Island") or an attack that something came under ("the
    train came under attack while passing through a tunnel"): whoever is named before it underwent it.
    ``stative``: frames whose passive form states the subject's stance ("Peru is opposed to"; the
    lexicon's ``stative_passive``), which are no passives here."""
    if token.pos_ in {"VERB", "AUX"}:
        verb = clause_verb(token)
        if verb.lemma_.lower() in stative or token.lemma_.lower() in stative:
            return False
        return (
            (is_passive(verb) or reduced_passive(verb))
            and not _children(verb, ("agent",))
            and not far_agent(verb)
            and not battle_opponents(verb)
            and not between_parties(verb)
        )  # fmt: skip  ("the agreement signed between the two countries")
    return (token.dep_ == "pobj" and token.head.lower_ == "under" and token.head.head.lemma_.lower() in UNDERGOING
            and not any(p.lower_ in {"by", "from"} for p in token.children if p.dep_ == "prep"))  # fmt: skip


def reduced_passive(verb: Token) -> bool:
    """A participle that says what its noun underwent ("soldiers captured during the defence of Mariupol",
    "the Estonian citizen detained at the border"): a passive without its auxiliary, the noun its patient."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and not misparsed_predicate(verb)


def passive_patient(verb: Token) -> list[Token]:
    """Who undergoes a passive that has no subject of its own: the subject it shares with the verb it is
    coordinated with ("Joseph had been arrested and sentenced"), or the subject of the clause it depends
    on ("Mech Dara thanked his supporters after being freed", "agreed to be questioned")."""
    if not is_passive(verb) or _children(verb, ("nsubjpass", "nsubj")):
        return []
    node = verb
    for _ in range(4):
        if node.dep_ == "pcomp" and node.head.dep_ == "prep":
            node = node.head.head
        elif node.dep_ in {"conj", "xcomp", "advcl"} and node.head != node:
            node = node.head
        else:
            return []
        if node.pos_ in {"VERB", "AUX"}:
            found = _children(node, ("nsubjpass", "nsubj"))
            if found:
                return found
    return []


# The prepositions by which a verb hands its object a gerund's act ("warned Washington against sending",
# "accused Benin of hosting", "blamed India for attacking", "barred him from entering"), not those of time
# or manner ("held talks before flying to Riyadh", "served years for killing a man").
CONTROL_PREPS = frozenset({"of", "against", "for", "from"})
QUANTITY_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"})


def subject_tokens(verb: Token, stative: bool = False) -> tuple[list[Token], bool]:
    """Subject tokens of a verb and whether they come from a passive by-agent (else active nsubj).

    ``stative``: the word is a frame whose passive form is adjectival ("Israel is opposed to",
    "Vietnam is committed to"), so a passive subject is the source.
    """
    verb = clause_verb(verb)
    if stative:
        passive = _children(verb, ("nsubjpass",))
        if passive and not _children(verb, ("agent",)):
            return passive, False
    node, via = verb, ""
    for _ in range(4):
        if node.i != verb.i and via == "xcomp" and is_passive(node) and _children(node, ("nsubjpass",)):
            # "Modi and Xi are expected to meet", "the envoys were told to leave", "Iran was urged by the EU
            # to return to talks": who undergoes the passive does what its complement says
            return _children(node, ("nsubjpass",)), False
        agents = [p for a in _children(node, ("agent",)) for p in _children(a, ("pobj",))]
        if agents:
            return agents, True
        if node.i == verb.i and is_passive(node) and not stative and passive_patient(node):
            # "after being freed", "arrested and sentenced": the subject reached through the clause above
            # is who underwent it (object_tokens), not who did it
            far = far_agent(node)
            return (far, True) if far else ([], False)
        subjects = _children(node, ("nsubj", "csubj", "expl"))
        if not subjects:
            # "Egypt and Qatar are mediating": the parser at times hangs the subject on the auxiliary
            subjects = [s for aux in _children(node, ("aux",)) for s in _children(aux, ("nsubj",))]
        subjects = [s for s in subjects if s.dep_ != "expl"]
        author = enactor(node.head) if node.dep_ in {"relcl", "acl"} else []
        if author and node.dep_ == "relcl" and all(s.tag_ == "WDT" for s in subjects):
            return author, False  # "signed a law that sanctions Chinese officials"
        if subjects:
            return subjects, False
        if _children(node, ("nsubjpass",)):
            # "were attacked on Sunday in the capital by Syrian forces": the parser may hang the
            # by-phrase on a nearby noun; it is still the passive's agent.
            far = far_agent(node)
            return (far, True) if far else ([], False)
        if author:
            # "signed a decree banning imports", "issued an order to deploy troops": the signer does it
            return author, False
        if (
            node.dep_ == "relcl"
            or (node.dep_ == "acl" and node.tag_ in {"VBG", "VBD"})
            or misparsed_predicate(node)
        ):
            # "the rebels who attacked", "troops attacking the town", "youths resorted to" (a
            # finite verb misparsed as a modifier of its subject)
            return [node.head], False
        if node.dep_ == "ccomp" and node.head.dep_ == "relcl" and node.head.head.pos_ in {"NOUN", "PROPN"}:
            # "Chinese firms it said had supplied missile parts": the relative's gap is the embedded
            # clause's subject, not the one who says it
            return [node.head.head], False
        if node.dep_ == "conj" and node.head != node:
            grammatical = _children(node.head, ("nsubj", "nsubjpass"))
            if grammatical and not _children(node.head, ("nsubj",)):
                # "the minister has been indicted by the court and will resign": the conjunct's
                # subject is the passive's subject, not its agent
                return grammatical, False
        if node.dep_ in {"xcomp", "conj", "advcl"} and node.head != node:
            via = node.dep_
            node = node.head  # "agreed to meet", "met and agreed", "..., saying he must"
            continue
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.pos_ in {"VERB", "AUX"}:
            objects = [o for o in _children(node.head.head, ("dobj",))
                       if o.pos_ in {"NOUN", "PROPN", "PRON"} and o.ent_type_ not in QUANTITY_ENTITIES]  # fmt: skip
            if objects and node.head.lower_ in CONTROL_PREPS:
                # "warned Washington against sending weapons", "accused Benin of hosting French bases":
                # the object of the verb above does it
                return objects, False
            node, via = node.head.head, "pcomp"  # "resorted to throwing stones", "began by shelling"
            continue
        break
    return [], False


def misparsed_predicate(verb: Token) -> bool:
    """A sentence's own predicate that the parser hung on its subject as a modifier, the subject left as the
    root: "Oman, which has mediated between Washington and Tehran, offered to host new talks". A participle
    that modifies a root noun ("Five civilians killed in strike", a headline) takes no object or
    to-infinitive of its own; a predicate does."""
    return (
        verb.dep_ == "acl"
        and verb.tag_ in {"VBD", "VBN"}
        and verb.head.dep_ == "ROOT"
        and verb.head.pos_ in {"NOUN", "PROPN"}
        and any(c.dep_ in {"dobj", "xcomp", "ccomp"} for c in verb.children)
    )


def far_agent(verb: Token) -> list[Token]:
    """The by-agent of a passive attached to one of its prepositional objects instead of the verb."""
    for prep in _children(verb, ("prep",)):
        if prep.lower_ == "by":
            return _children(prep, ("pobj",))
        for pobj in _children(prep, ("pobj",)):
            for inner in _children(pobj, ("prep",)):
                if inner.lower_ == "by":
                    return _children(inner, ("pobj",))
    return []


def object_tokens(verb: Token, preps: frozenset[str] = TARGET_PREPS) -> list[Token]:
    """Object tokens of a verb: passive subject, direct/indirect object, prepositional targets."""
    verb = clause_verb(verb)
    out = _children(verb, ("nsubjpass",)) or passive_patient(verb)
    if reduced_passive(verb):
        out.append(verb.head)  # "civilians killed by the army"
    if verb.dep_ == "relcl" and any(t.tag_ in {"WP", "WDT"} for s in out for t in s.subtree):
        out.append(verb.head)  # "200 detainees, many of whom were deported": the relative names them
    out += _children(verb, ("dative", "dobj", "oprd"))
    for prep in _children(verb, ("prep",)):
        if prep.lower_ in preps:
            out += [p for p in _children(prep, ("pobj",)) if not (prep.lower_ == "with" and _means(p))]
    for prt in _children(verb, ("prt",)):  # "handed over to Britain"
        for prep in _children(prt, ("prep",)):
            out += _children(prep, ("pobj",))
    return out


def _means(token: Token) -> bool:
    return token.lemma_.lower() in MEANS_NOUNS


def object_refs(
    index: ActorIndex, tokens: Sequence[Token], sources: Sequence[ActorRef] = (), places: bool = True
) -> list[ActorRef]:
    """Actors of object phrases; a non-actor object noun passes to its prepositional complement
    ("broke off relations with Congo and Costa Rica", "sent arms to Pakistan", "a meeting between
    X and Y", "an appeal from the President"), or to the country it is placed in ("outlawed the
    largest extremist organization in Northern Ireland"). An object that only names the source
    again ("mounted its invasion of South Lebanon") passes on the same way."""
    out: list[ActorRef] = []
    source_ids = {s.actor_id for s in sources}
    for token in tokens:
        refs = [r for r in index.phrase(token) if r.actor_id not in source_ids]
        if not refs and token.pos_ == "NOUN" and not (token.dep_ == "pobj" and token.head.lower_ == "in"):
            # ("in the talks with the Palestinians" is a setting: its complements are not recipients)
            refs = _complement_refs(index, token, self_named=bool(index.phrase(token)), places=places)
            refs = [r for r in refs if r.actor_id not in source_ids]
        out += [r for r in refs if r not in out]
    return out


def _complement_refs(index: ActorIndex, noun: Token, self_named: bool, places: bool) -> list[ActorRef]:
    preps = NOUN_TARGET_PREPS | {"between", "among"}
    if not self_named:
        preps = preps - {"of"}
    if noun.lemma_.lower() in REQUEST_NOUNS:
        preps = preps | {"from", "by"}
    refs: list[ActorRef] = []
    placed: list[ActorRef] = []
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            if prep.lower_ in preps:
                refs += index.phrase(pobj)
            elif prep.lower_ == "in" and places:
                placed += [r for r in index.phrase(pobj) if r.kind == "country"]
    return refs or placed


# Event nouns whose possessor, when no "of" names the one it happens to, is that one: "Mech Dara's arrest",
# "his release", "their abduction" (against "Russia's invasion", where the possessor acts). English marks
# the patient this way with nouns of acts done *to* a person (PLOVER's COERCE, ASSAULT, RETREAT-release).
# Nouns of something said, decided or launched whose "of" names who did it, as formal and translated copy
# writes them ("the request of the International Atomic Energy Agency", "the protest of Algeria", "the attack
# of the drones", "the decision of the government", "rejected the accusations of the Kyiv regime"); not acts
# done to someone ("the release of the prisoners", "the invasion of Ukraine") nor words "of" may take either
# way ("the condemnation of Russia").
MADE_BY_OF_NOUNS = REQUEST_NOUNS | frozenset({"protest", "decision", "statement", "warning", "refusal", "reply",
                                              "response", "pledge", "promise", "announcement", "position",
                                              "accusation", "allegation", "claim", "attack", "offensive"})  # fmt: skip
PATIENT_NOUNS = frozenset({
    "arrest", "detention", "release", "deportation", "extradition", "abduction", "kidnapping", "killing",
    "murder", "assassination", "imprisonment", "execution", "expulsion", "capture", "conviction", "sentencing",
    "torture", "jailing", "trial", "indictment", "prosecution", "ouster", "rearrest", "disappearance",
})  # fmt: skip


def noun_roles(noun: Token) -> tuple[list[Token], list[Token]]:
    """Source and target tokens of a nominal trigger ("Russia's invasion of Ukraine", "sanctions on Russia",
    "Mech Dara's arrest by the police")."""
    sources = [c for c in noun.children if c.dep_ in {"poss", "amod", "compound", "nmod"}]
    preps = [prep for prep in noun.children if prep.dep_ == "prep"]
    targets = [p for prep in preps if prep.lower_ in NOUN_TARGET_PREPS
               for p in prep.children if p.dep_ == "pobj" and not (prep.lower_ == "with" and _means(p))]  # fmt: skip
    if noun.lemma_.lower() in MADE_BY_OF_NOUNS:  # "the request of the IAEA", "the strong protest of Algeria"
        makers = [p for prep in preps if prep.lower_ == "of" for p in prep.children if p.dep_ == "pobj"]
        sources += makers
        targets = [t for t in targets if t not in makers]
    if noun.lemma_.lower() in PATIENT_NOUNS and not any(prep.lower_ == "of" for prep in preps):
        patients = [c for c in sources if c.dep_ == "poss"]
        sources = [c for c in sources if c.dep_ != "poss"]
        targets = patients + targets
    agents = [p for prep in preps if prep.lower_ == "by" for p in prep.children if p.dep_ == "pobj"]
    if agents:
        sources = agents + [c for c in sources if c.dep_ != "poss"]
    for acl in noun.children:  # "an operation aimed at Chinese spying"
        if acl.dep_ == "acl":
            targets += [
                p
                for prep in acl.children
                if prep.dep_ == "prep"
                for p in prep.children
                if p.dep_ in {"pobj", "pcomp"}
            ]
            if acl.tag_ == "VBG":  # "attacks targeting security forces", "a raid killing five soldiers"
                targets += [c for c in acl.children if c.dep_ == "dobj"]
    return sources, targets


def between_parties(noun: Token) -> list[Token]:
    """The objects of a noun's "between" or "among" ("fighting between the army and the rebels", "talks
    among the parties")."""
    return [p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ in {"between", "among"}
            for p in prep.children if p.dep_ == "pobj"]  # fmt: skip


def said_by(noun: Token) -> list[Token]:
    """Who made the claim, charge or proposal a noun names: its possessor or modifier ("Beijing's
    proposal", "a Chinese proposal"), its by- or from-phrase ("accusations by Kyiv", "a request from
    Kyiv"); for an appositive that sums up what the sentence said before it ("Pakistani officials blamed
    India ..., a charge New Delhi rejected"), the subject of the sentence's main verb."""
    makers, _ = noun_roles(noun)
    makers += [p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ == "from"
               for p in prep.children if p.dep_ == "pobj"]  # fmt: skip
    if makers:
        return makers
    if noun.dep_ == "dobj" and noun.head.pos_ in {"VERB", "AUX"}:
        main = [c for c in noun.head.children if main_clause_hung_on_a_later_verb(c, noun.head)]
        if main:
            # "Niger's junta accused Benin ..., a charge Cotonou rejected", the first clause parsed as the
            # second verb's complement: the charge is the first clause's, made by its subject
            return subject_tokens(main[0])[0]
        # "Bugti reiterated the claim that ..., a charge Balkhi rejected": who voices it made it
        return subject_tokens(noun.head)[0]
    if noun.dep_ not in {"appos", "amod", "compound", "npadvmod"}:
        return []
    root = noun
    while root.head != root:
        root = root.head
    return subject_tokens(root)[0] if root.pos_ in {"VERB", "AUX"} else []


def implicit_source(index: ActorIndex, subjects: Sequence[Token], verb: Token) -> list[ActorRef]:
    """The country where an actor-less subject acts: a bomb, gunmen, a crowd (see IMPLICIT_SUBJECTS)."""
    if not subjects or any(index.phrase(s) for s in subjects):
        return []
    head = subjects[0]
    heads = [head, *(p for prep in head.children if prep.lower_ == "of" for p in prep.children)]
    if not any(h.lemma_.lower() in IMPLICIT_SUBJECTS for h in heads):
        return []
    scopes = [head, *(c for c in clause_verb(verb).children if c.dep_ == "prep" and c.lower_ in PLACE_PREPS)]
    scopes += [p for obj in _children(clause_verb(verb), ("dobj",)) for p in _children(obj, ("prep",))
               if p.lower_ in PLACE_PREPS]  # fmt: skip
    for scope in scopes:
        for token in scope.subtree:
            ref = index.at(token)
            if ref is not None and ref.kind == "country":
                return [ref]
    return []


SUFFER_VERBS = frozenset(
    {"die", "suffer", "succumb", "perish", "injure", "hurt", "flee", "escape", "wound", "kill", "lose"}
)


def victim_tokens(noun: Token) -> list[Token]:
    """ "A prisoner died as a result of torture", "civilians fled from the shelling", "21 passengers died in
    the attack": the subject of the suffering verb is who the violence was done to."""
    node = noun
    for _ in range(4):
        if node.dep_ != "pobj" or node.head.lower_ not in {"of", "from", "after", "as", "in", "during"}:
            return []
        node = node.head.head
        if node.pos_ in {"VERB", "AUX"}:
            return _children(node, ("nsubj", "nsubjpass")) if node.lemma_.lower() in SUFFER_VERBS else []
    return []


def passive_place(index: ActorIndex, verb: Token) -> list[ActorRef]:
    """ "was arrested in Lebanon": a passive with no agent names its implicit agent by the country
    where it happened (the authorities there)."""
    verb = clause_verb(verb)
    if not _children(verb, ("nsubjpass",)) or _children(verb, ("agent",)):
        return []
    for prep in _children(verb, ("prep",)):
        if prep.lower_ == "in":
            for pobj in _children(prep, ("pobj",)):
                refs = [r for r in index.phrase(pobj) if r.kind == "country"]
                if refs:
                    return refs[:1]
    return []


RESPONSE_NOUNS = frozenset({"response", "retaliation", "reprisal", "revenge", "reaction", "answer"})


def responder(token: Token) -> set[int]:
    """ "Iran fired missiles at Israel in response to the killing of its commander": whoever responds
    did not do what they respond to, so the clause's subject is never the deed's guessed source."""
    node = token
    for _ in range(3):
        if node.dep_ != "pobj" or node.head.dep_ != "prep":
            return set()
        holder = node.head.head
        if holder.lemma_.lower() in RESPONSE_NOUNS:
            verb = governing_verb(holder)
            return {t.i for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}
        node = holder
    return set()


def patient(token: Token) -> set[int]:
    """Tokens naming who undergoes a passive ("detainees, many of whom were deported"): they are
    never its guessed source."""
    if not any(c.dep_ == "auxpass" for c in token.children):
        return set()
    out = {t.i for c in token.children if c.dep_ == "nsubjpass" for t in c.subtree}
    if token.dep_ in {"relcl", "acl"}:
        head = token.head
        out |= set(range(head.left_edge.i, head.i + 1))
    return out


def venue(sent: SpacySpan, ref: ActorRef) -> bool:
    """Whether an actor mention sits in an in/at place phrase ("in Oman", "at the Singapore summit")."""
    span = sent.doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ in {"in", "at"}:
            return True
        if node.head == node:
            break
        node = node.head
    return False


def place_name(ref: ActorRef) -> bool:
    """Whether a mention names a place rather than a state: a city or province ("Jeddah", "Geneva"), or a
    capital standing for its government ("Moscow"), which before a meeting noun is where it is held."""
    if ref.kind in {"place", "metonym"}:
        return True
    from detente.gazetteer import default_gazetteer

    kinds = {e.kind for e in default_gazetteer().lookup(ref.text)}
    return bool(kinds & {"city", "admin"}) and "country" not in kinds


def meeting_venues(noun: Token, index: ActorIndex) -> set[int]:
    """Modifiers of a meeting noun that name where it is held ("the Jeddah talks", "the Geneva
    conference"): no party to it. A country or a demonym stays a party ("Russia-Ukraine talks")."""
    return {c.i for c in noun.children if c.dep_ in {"compound", "nmod", "npadvmod"}
            and (ref := index.at(c)) is not None and place_name(ref)}  # fmt: skip


def meeting_objects(objects: Sequence[Token], index: ActorIndex) -> list[Token]:
    """What a meeting verb's direct object names when it is no actor is the topic ("discussed Russia's
    demands", "to discuss Iran's nuclear program"): whoever it mentions is talked about, not a party.
    Only its with/between/among complements are ("held talks with Iran")."""
    out: list[Token] = []
    for token in objects:
        if token.dep_ != "dobj" or token.pos_ != "NOUN" or index.at(token) is not None:
            out.append(token)
            continue
        out += [p for prep in token.children if prep.dep_ == "prep" and prep.lower_ in {"with", "between", "among"}
                for p in prep.children if p.dep_ == "pobj"]  # fmt: skip
    return out


def meeting_topics(token: Token, index: ActorIndex) -> set[int]:
    """The tokens of what a meeting is about: the direct objects that are no actor of the meeting verb and
    of its purpose clause ("met to discuss Iran's nuclear program"), minus their with-complements."""
    verbs = [token, *(c for c in token.children if c.dep_ in {"xcomp", "advcl"} and c.pos_ == "VERB")]
    out: set[int] = set()
    for verb in verbs:
        for obj in verb.children:
            if obj.dep_ == "dobj" and obj.pos_ == "NOUN" and index.at(obj) is None:
                keep = {t.i for p in meeting_objects([obj], index) for t in p.subtree}
                out |= {t.i for t in obj.subtree} - keep
    return out


# Fighting between two sides: who someone was killed "in a gun battle with" is who killed them.
BATTLE_NOUNS = frozenset({"battle", "gunbattle", "clash", "fighting", "fight", "firefight", "gunfight", "shootout",
                          "skirmish", "exchange", "encounter", "confrontation", "combat"})  # fmt: skip


def battle_opponents(verb: Token) -> list[Token]:
    """The other side of the fighting an agentless passive or a death happened in: "killed in a gun battle
    with police" (police), "killed in the attack and the ensuing battle with militants" (militants)."""
    out: list[Token] = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"in", "during"}:
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            for noun in (pobj, *pobj.conjuncts):
                if noun.lemma_.lower() not in BATTLE_NOUNS:
                    continue
                out += [p for inner in noun.children if inner.dep_ == "prep" and inner.lower_ == "with"
                        for p in inner.children if p.dep_ == "pobj"]  # fmt: skip
    return out


def reported_by(token: Token) -> list[Token]:
    """The speakers of the reported clause a token sits in ("Pakistan said talks with the IMF are
    progressing": Pakistan), or none."""
    node = token
    while node.head != node:
        if node.dep_ in {"ccomp", "parataxis"} and node.head.lemma_.lower() in REPORTING:
            return [c for c in node.head.children if c.dep_ == "nsubj"]
        if node.dep_ in {"advcl", "relcl", "acl", "xcomp"}:
            return []
        node = node.head
    return []


def in_agent(token: Token, trigger: Token) -> bool:
    """Whether ``token`` sits in the trigger's by-agent phrase."""
    node = token
    while node != trigger and node.head != node:
        if node.dep_ == "agent" or (node.dep_ == "prep" and node.lower_ == "by"):
            # its own agent, or one the parser hung on its prepositional object (see far_agent)
            return node.head == trigger or (node.head.dep_ == "pobj" and node.head.head.head == trigger)
        node = node.head
    return False


def roles_with_set_members(
    sources: Sequence[ActorRef], targets: Sequence[ActorRef]
) -> tuple[list[ActorRef], list[ActorRef]]:
    """An event's roles with each set ref as its members (:func:`with_set_members`), less the targets that
    are members of a set whose country is a source already: "Japan and South Korea agreed to expand their
    cooperation" is no act of the two on themselves (their "their" is a set ref of both). A target named on
    its own keeps its place, though of a source's country ("Russian police arrested Russian activists")."""
    sources, targets = with_set_members(sources), with_set_members(targets)
    codes = {s.country for s in sources}
    return sources, [t for t in targets if not (t.reason == SET_MEMBER and t.country in codes)]


def with_set_members(refs: Sequence[ActorRef]) -> list[ActorRef]:
    """A set ref ("both countries", "the two leaders") takes part in an event as each of its members.

    The actors stage keeps a set as one ref of country UNK (no one country is right for the phrase); an
    event is between countries, so "the two leaders met" is a meeting of both, reciprocal, and reaches
    their dyad. Each member becomes a country ref over the phrase's own span, with the set's sector and
    confidence; a member already taking part through another mention is not repeated.
    """
    out: list[ActorRef] = []
    for ref in refs:
        if not is_set(ref):
            out.append(ref)
            continue
        codes = members(ref)
        names = ref.name.replace(" and ", ", ").split(", ")
        names = names if len(names) == len(codes) else list(codes)
        for code, name in zip(codes, names, strict=True):
            if any(o.country == code for o in out):
                continue
            out.append(ActorRef(ref.text, ref.start, ref.end, f"country:{code}", name, code, ref.sector,
                                "country", ref.confidence, SET_MEMBER))  # fmt: skip
    return out
