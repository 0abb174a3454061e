"""Modality of an event trigger: asserted, negated, hypothetical, future, possible or denied.

PLOVER names auxiliary modes (negation, future, hypothetical) but no coder implements them; detente
reads them off the dependency parse around the trigger and keeps the words that decided it as the
evidence (``Event.modality_cue``). Everything here is a few set lookups over the trigger's
neighbourhood in the tree, so it costs nothing next to the parse.

Precedence when several cues apply: denied > negated > hypothetical > possible > future > asserted.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from detente.records import Span

NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor"})
# Verbs whose object is what is spoken of: "the communique did not address the raid", "it did not mention the
# visa request", "the ministers discussed sanctions". A confirmation or acknowledgement is of an event told
# elsewhere, and spoken of only when withheld ("the ministry did not confirm the visit").
SPOKEN_OF_VERBS = frozenset({"mention", "address", "discuss", "cite", "raise", "comment", "detail"})
WITHHELD_VERBS = frozenset({"confirm", "acknowledge"})


DENIAL_VERBS = frozenset({"deny", "refute", "dispute", "reject"})  # "denied attacking": the attack is denied
PROPOSAL_VERBS = frozenset(
    {"propose", "recommend", "want", "wish"}
)  # (not "suggest": "suggested Russia had")
FAILURE_VERBS = frozenset({"fail", "refrain", "avoid"})  # "failed to reach": the event did not happen
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})  # "wo" is the first half of "won't"
FUTURE_VERBS = frozenset(
    {
        "plan",
        "intend",
        "aim",
        "expect",
        "schedule",
        "prepare",
        "mean",
        "hope",
        "seek",
        "due",
        "slate",
        "poise",
    }
)  # "is due to meet", "is slated to visit", "poised to sign"
PLOTTING_VERBS = frozenset(
    {"plot", "conspire"}
)  # "plotted attacks": planned in secret, not done nor threatened
FUTURE_ADJ = frozenset({"planned", "future", "upcoming", "proposed", "forthcoming", "scheduled"})
HYPOTHETICAL_AUX = frozenset({"would", "could", "can", "should"})
HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})
POSSIBLE_AUX = frozenset({"may", "might"})
POSSIBLE_ADV = frozenset(
    {"reportedly", "allegedly", "possibly", "apparently", "perhaps", "probably", "likely", "purportedly",
     "supposedly", "presumably"}
)  # fmt: skip
POSSIBLE_ADJ = frozenset({"alleged", "suspected", "reported", "purported", "possible", "potential"})
HEARSAY_VERBS = frozenset({"believe", "suspect", "allege", "rumor", "rumour", "say", "think", "report"})
REPORTING_VERBS = frozenset(
    {"say", "announce", "tell", "declare", "state", "add", "confirm", "report", "claim"}
)

# A nominal event in a background phrase does not share its clause's modality.
BACKGROUND_PREPS = frozenset({"since", "after", "before", "during", "despite", "following", "amid", "until"})

_PRECEDENCE = ("denied", "negated", "hypothetical", "possible", "future")


@dataclass(frozen=True, slots=True)
class Modality:
    """The modality of one event and the tokens that decided it (empty when asserted)."""

    value: str
    cue: tuple[Token, ...] = ()

    def cue_span(self) -> Span | None:
        """The cue as a Span over the article text (first to last cue word), or None."""
        if not self.cue:
            return None
        first = min(self.cue, key=lambda t: t.i)
        last = max(self.cue, key=lambda t: t.i)
        start, end = first.idx, last.idx + len(last.text)
        # The tokens' own text, not doc.text: spaCy rebuilds doc.text on every access (quadratic on long articles).
        return Span(first.doc[first.i : last.i + 1].text, start, end)


# Verbs that say whether a nominal event subject happens ("the talks did not take place").
OCCURRENCE_VERBS = frozenset({"happen", "occur", "take", "go", "begin", "start", "proceed", "materialize",
                              "materialise", "resume", "continue", "come", "end", "be", "commence"})  # fmt: skip


# "the tariffs are aimed at raising revenue": the purpose of an event, not a plan to hold it.
PURPOSE_VERBS = frozenset({"aim", "design", "intend", "mean", "target", "direct"})


# Nouns of what someone says happened: a clause they head states a claim, not a fact. (Not `roles.SAID_NOUNS`,
# the things said that a judgement answers: requests and statements are in it, reports and rumours are not.)
CLAIM_NOUNS = frozenset({"accusation", "allegation", "claim", "report", "rumor", "rumour", "charge", "assertion",
                         "suggestion", "speculation", "contention", "insinuation"})  # fmt: skip


def _claim_of(clause: Token) -> Token | None:
    """The claim noun whose content the clause is ("accusations that it had shelled the plant"), or None."""
    head = clause.head
    if (clause.dep_ not in {"acl", "ccomp", "appos"} or head.pos_ != "NOUN"
            or head.lemma_.lower() not in CLAIM_NOUNS or head.i > clause.i):  # fmt: skip
        return None
    own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children)
    that = any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    return head if own_subject and (that or clause.dep_ == "ccomp") else None


def _clause_chain(trigger: Token) -> list[Token]:
    """The trigger, the verb that governs a nominal trigger, and the verbs above it through xcomp (and
    through a purpose or "until" clause).

    "planning cooperation" -> [cooperation, planning]; "agreed to allow" -> [allow, agreed].
    """
    chain = [trigger]
    node = trigger
    if trigger.pos_ in {"NOUN", "PROPN"}:
        head = trigger.head
        if trigger.dep_ == "pobj" and head.dep_ == "prep":
            if head.lower_ in BACKGROUND_PREPS:
                return chain  # "did not collapse after the invasion": the invasion is not negated
            head = head.head
        if (trigger.dep_ == "nsubj" and head.lemma_.lower() not in OCCURRENCE_VERBS) or (
            trigger.dep_ == "nsubjpass" and head.lemma_.lower() in PURPOSE_VERBS
        ):
            return chain  # "Washington's call ... did not mesh": the predicate is about the call, not it
        if trigger.dep_ == "dobj" and head.lemma_.lower() in SPOKEN_OF_VERBS | WITHHELD_VERBS:
            return chain  # "the communique did not address Ecuador's raid": the raid is spoken of, not undone
        if head.pos_ in {"VERB", "AUX", "ADJ"} and head != trigger:
            chain.append(head)
            node = head
    elif (trigger.dep_ in {"acomp", "attr"} and trigger.head.pos_ in {"VERB", "AUX"}
          and any(c.dep_ == "neg" or c.lower_ == "longer" for c in trigger.head.children)):  # fmt: skip
        # "the diplomats were no longer welcome": the copula carries the negation (only that: "would be ready
        # to host" is an offer made, asserted)
        node = trigger.head
        chain.append(node)
    while (node.dep_ in {"xcomp", "auxpass"} or _bound_clause(node)) and node.head != node:
        node = node.head
        chain.append(node)
    return chain


# Verbs of going somewhere: what one goes to do is as real as the going.
GOING_VERBS = frozenset({"travel", "go", "come", "fly", "head", "return", "visit", "arrive"})


def _bound_clause(node: Token) -> bool:
    """A clause whose act stands or falls with the one it modifies: the purpose of a trip ("would travel to
    Washington to sign an agreement": the signing is as future as the trip) or an "until" ("would keep
    fighting until Kinshasa agreed to talks": no agreement yet). (Any purpose clause was measured: "will
    provide funds to protect activists from arrest" made the arrest a threat, read over the annotated
    material's rule proposals.)"""
    if node.dep_ != "advcl":
        return False
    children = list(node.children)
    if any(c.dep_ == "mark" and c.lower_ == "until" for c in children):
        return True
    return node.head.lemma_.lower() in GOING_VERBS and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in children
    )


def main_clause_hung_on_a_later_verb(clause: Token, verb: Token) -> bool:
    """ "Niger's junta accused Benin of hosting French bases, a charge Cotonou rejected": the parser may make
    the first clause a complement of the verb after it. A complement before its verb, when that verb has a
    direct object of its own, is no complement: it is the sentence's main clause."""
    return clause.dep_ == "ccomp" and clause.i < verb.i and any(c.dep_ == "dobj" for c in verb.children)


def governor(clause: Token) -> Token | None:
    """The verb whose complement this clause is ("said [it would allow]"), or None."""
    if main_clause_hung_on_a_later_verb(clause, clause.head):
        return None
    if clause.dep_ in {"ccomp", "xcomp", "pcomp", "advcl"} or (
        clause.dep_ == "dobj" and clause.tag_ == "VBG"
    ):
        head = clause.head
        if head.dep_ == "prep":  # "accused of violating", "denied involvement in attacking"
            head = head.head
        return head
    return None


NOBODY = frozenset({"nobody", "none", "nothing", "noone"})
ALLEGING = frozenset({"accuse", "charge", "suspect", "blame"})


def _with_no(word: Token) -> bool:
    """ "no country", "no evidence": a noun with the determiner "no"."""
    return any(g.dep_ == "det" and g.lower_ == "no" for g in word.children)


def detect_modality(trigger: Token, *, claim_stance: str | None = None) -> Modality:
    """The modality of the event anchored at ``trigger``.

    ``claim_stance`` is the stance of the innermost claim containing the trigger: a claim that
    denies ("X denied that Y attacked Z") makes the event denied.
    """
    found: dict[str, list[Token]] = {}

    def add(kind: str, *tokens: Token) -> None:
        found.setdefault(kind, []).extend(tokens)

    chain = _clause_chain(trigger)
    # Each Token read (.dep_, .lower_, .children) looks up a string or makes new Token objects, and this
    # runs for every candidate of every sentence: each word's attributes are read once here.
    for node in chain:
        is_trigger = node.i == trigger.i
        if not is_trigger:
            lemma = node.lemma_.lower()
            if lemma in FUTURE_VERBS:
                add("future", node)
            elif lemma in FAILURE_VERBS:
                add("negated", node)
            elif lemma in PLOTTING_VERBS:
                add("possible", node)
            elif lemma in DENIAL_VERBS:
                add("denied", node)
            elif _passive_hearsay(node):
                add("possible", node)
        children = list(node.children)
        nominal = node.pos_ in {"NOUN", "PROPN"}
        for child in children:
            word, dep = child.lower_, child.dep_
            if dep == "neg" or (word in NEGATORS and dep in {"advmod", "det"} and not is_trigger):
                add("negated", child)
            elif dep in {"aux", "auxpass"}:
                if word in FUTURE_AUX:
                    add("future", child)
                elif word in POSSIBLE_AUX:
                    add("possible", child)
                elif word in HYPOTHETICAL_AUX:
                    add("modal", child)
                elif word == "going" or child.lemma_ == "go":
                    add("future", child)
            elif dep == "advmod" and word in POSSIBLE_ADV:
                add("possible", child)
            elif dep == "advmod" and word == "longer" and any(g.lower_ == "no" for g in child.children):
                add("negated", *[g for g in child.children if g.lower_ == "no"], child)
            elif dep == "amod" and nominal:
                if word in POSSIBLE_ADJ:
                    add("possible", child)
                elif word in FUTURE_ADJ:
                    add("future", child)
            elif dep == "mark" and word in HYPOTHETICAL_MARKS:
                add("hypothetical", child)
        if node.dep_ in {"pcomp", "pobj"} and node.head.lower_ == "without":
            # "held talks for a decade without reaching an agreement", "ended without a deal": not done
            add("negated", node.head)
        if is_trigger and node.dep_ == "pcomp" and node.head.lower_ == "against":
            add("hypothetical", node.head)  # "warned Washington against sending weapons": opposed, not done
        if (node.dep_ == "pcomp" and node.head.lower_ in {"of", "for"}
                and node.head.head.lemma_.lower() in ALLEGING):  # fmt: skip
            # "accused Kinshasa of launching drone strikes": what is alleged may have happened (the
            # annotation codes it so)
            add("possible", node.head.head)
        claim = _claim_of(node)
        if claim is not None:
            # "accusations that it had shelled the plant", "reports that troops had crossed": what a claim
            # says may have happened; a denied claim ("Russia denied accusations that ...") is denied
            if claim.dep_ == "dobj" and claim.head.lemma_.lower() in DENIAL_VERBS:
                add("denied", claim.head)
            else:
                add("possible", claim)
        if is_trigger:
            for child in children:
                if child.dep_ in {"nsubj", "nsubjpass"} and (child.lower_ in NOBODY or _with_no(child)):
                    add(
                        "negated", child
                    )  # "No country has recognized ...", "nobody attacked": nothing happened
                elif child.dep_ == "dobj" and _with_no(child):
                    add("negated", child)  # "offered no evidence", "made no concessions"
                elif node.pos_ == "NOUN" and child.dep_ == "det" and child.lower_ == "no":
                    add("negated", child)  # a nominal trigger's own negation: "no attack took place"

    top = chain[-1]
    governing = governor(top)
    if governing is not None:
        glemma = governing.lemma_.lower()
        if top.dep_ == "ccomp" and not _wh_clause(top) and any(c.dep_ == "neg" for c in governing.children):
            # "the visit did not mean Washington recognized Maduro", "did not confirm (or deny) that its
            # forces struck the plant": not said to have happened, nor not to
            add("possible", *[c for c in governing.children if c.dep_ == "neg"])
        elif glemma in DENIAL_VERBS:
            add("denied", governing)
        elif glemma in PROPOSAL_VERBS and top.dep_ == "ccomp":
            add("hypothetical", governing)  # "proposed that the two countries start talks": not begun
        elif _passive_hearsay(governing):
            add("possible", governing)
        # An if-clause attached to the governing clause ("if ..., X would attack") sits on the head.
        for child in top.children:
            if child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in HYPOTHETICAL_MARKS for m in child.children
            ):
                add("hypothetical", *[m for m in child.children if m.dep_ == "mark"])
    else:
        for child in top.children:
            if child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in HYPOTHETICAL_MARKS for m in child.children
            ):
                add("hypothetical", *[m for m in child.children if m.dep_ == "mark"])

    if "modal" in found:
        # "would" in reported speech is a future in the past ("said it would allow"); any other
        # would/could/can/should is conditional.
        modal = found.pop("modal")
        if (
            governing is not None
            and governing.lemma_.lower() in REPORTING_VERBS
            and all(m.lower_ == "would" for m in modal)
            and "hypothetical" not in found
        ):
            add("future", *modal)
        else:
            add("hypothetical", *modal)
    if claim_stance == "denies" and "denied" not in found:
        add("denied")
    for kind in _PRECEDENCE:
        if kind in found:
            return Modality(kind, tuple(sorted(set(found[kind]), key=lambda t: t.i)))
    return Modality("asserted")


def _wh_clause(clause: Token) -> bool:
    """ "did not say when the troops withdrew": a question about an act told as done."""
    return any(
        t.tag_ in {"WRB", "WP", "WDT"} or t.lower_ in {"whether", "if"}
        for t in clause.subtree
        if t.i < clause.i
    )


def _passive_hearsay(governor: Token) -> bool:
    """ "X is said/believed/reported to have attacked": hearsay, so only possible."""
    return governor.lemma_.lower() in HEARSAY_VERBS and any(c.dep_ == "auxpass" for c in governor.children)
