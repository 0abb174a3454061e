"""The rule-based event coder: who did what to whom, in PLOVER, with modality (candidates and features for
the learned model in ``detente.events.model``; the stage itself is ``detente.events.stage``).

Reads ``doc._.actors`` (``ActorRef`` mentions), ``doc._.claims`` (may be None) and ``doc._.article``;
writes ``doc._.events: list[Event]``. One pass per sentence over the parse, three steps:

1. **Triggers.** Each token is looked up by lemma in the compiled lexicon
   (``detente.events.lexicon``): verbs ("attacked"), verb + particle/object pairs ("blew up",
   "set fire", "broke off relations"), nouns ("invasion", "sanctions", "hunger strike") and frames
   ("threatened to", "agreed to", "refused to", "demanded that"). A modal "must" under a speech verb
   ("said Libya must hand over") is a REQUEST by the speaker.
2. **Nesting.** A trigger inside a frame's complement is folded into the frame: "threatened to
   break relations" is one THREATEN (mode relations), not a THREATEN and a SANCTION. A trigger that
   is the object of another trigger of the same clause folds into it ("prevented the demonstration").
   Triggers in separate clauses, conjuncts or temporal phrases ("since its invasion of Ukraine, ...")
   stay separate events.
3. **Classification.** Modality (``detente.events.modality``) and the manual's rules for it: cooperative
   actions in the future are AGREE, future retreats CONCEDE, future or conditional material conflict
   THREATEN, and a refusal in the future ("will not accept") REJECT. Then sources/targets
   (``detente.events.roles``), mode, context codes, quad, intensity, confidence.

No type fits -> no event: plain statements are not events in PLOVER.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from spacy.attrs import DEP, LOWER
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from detente.actors.context import may_be_party
from detente.events.candidates import (
    APPROVAL,
    BACKGROUND_PREPS,
    SPEECH,
    TALK_VERBS,
    Candidate,
    an_amount,
    complement,
    find_candidates,
    granted_request,
    nest,
    obligation,
    path_to,
)
from detente.events.contexts import contexts_for
from detente.events.lexicon import Lexicon, intensity
from detente.events.modality import ALLEGING, Modality, detect_modality
from detente.events.noise import (
    NO_VISITOR_SECTORS,
    VISIT_VERBS,
    agrees_with_a_view,
    asks_a_question,
    dismissal,
    drop_self,
    embedded_question,
    facility_emergency,
    health_advice,
    hedge,
    held_state,
    inanimate_subject,
    is_outlet,
    is_topic,
    meets_no_one,
    names_a_state,
    natural_subject,
    news_gathering,
    plausible_recipients,
    prevents_nothing,
    private_trade,
    quantity_change,
    reciprocal,
    reporting_owner,
    same_actor,
    self_object,
    speculation,
    spoken_of,
    standing_charge,
    visits_no_one,
)
from detente.events.roles import (
    BATTLE_NOUNS,
    MEANS_NOUNS,
    PATIENT_NOUNS,
    REQUEST_NOUNS,
    SAID_NOUNS,
    UNDERGOING,
    ActorIndex,
    battle_opponents,
    between_parties,
    clause_verb,
    doer_unnamed,
    governing_verb,
    implicit_source,
    in_agent,
    is_passive,
    meeting_objects,
    meeting_topics,
    meeting_venues,
    noun_roles,
    object_refs,
    object_tokens,
    passive_place,
    patient,
    reported_by,
    responder,
    roles_with_set_members,
    said_by,
    subject_tokens,
    venue,
    victim_tokens,
    with_set_members,
)
from detente.records import QUAD_OF_TYPE, ActorRef, Article, Claim, Event, Span, event_id

# Frames that give an order: ordering an arrest or a strike is the coercion or attack itself.
COMMAND_FRAMES = frozenset({"order", "authorize", "authorise"})
HOSTING = frozenset({"host", "receive", "welcome"})
# PLOVER manual, AGREE: planned CONSULT, SUPPORT, COOPERATE and AID are AGREE; a future CONCEDE stays CONCEDE
# ("do not reduce to AGREE"), and an announced retreat is CONCEDE (RETREAT, "Potential ambiguities").
COOPERATIVE_FUTURE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
RESIGNING = frozenset({"resign", "quit", "step", "abdicate"})
CONFLICT_MATERIAL = frozenset({"ASSAULT", "COERCE", "SANCTION"})
THREAT_MODE = {"ASSAULT": "violence", "COERCE": "restrict", "SANCTION": "relations", "MOBILIZE": "violence",
               "PROTEST": "restrict"}  # fmt: skip
DEMAND_MODE = {"CONSULT": "meet", "AGREE": "meet", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist",
               "RETREAT": "yield", "CONCEDE": "yield"}  # fmt: skip
# Verbs that judge someone else's deed: their recipient is whoever did it.
JUDGING = frozenset({"SUPPORT", "ACCUSE", "REJECT"})
# Verbs that put something forward for another to accept: refusing with no object of one's own refuses
# that ("the Chinese side proposed a minimum price, but the European side refused").
PROPOSING = frozenset({"propose", "offer", "suggest", "ask", "request", "demand", "invite", "urge", "call",
                       "appeal", "plead", "press"})  # fmt: skip
# Verbs that move people out by force: where to is a destination, not a party (COERCE only; "handed over
# to Britain" in an extradition is the receiving state's cooperation).
REMOVING = frozenset({"deport", "expel", "repatriate", "exile", "banish", "return", "send", "transfer",
                      "fly", "relocate", "remove", "push", "force"})  # fmt: skip
RELEASING = frozenset({"free", "release"})
CUSTODY = frozenset({"captivity", "custody", "detention", "prison", "jail", "gaol"})
EXPELLING = frozenset({"deport", "expel", "banish"})  # (removals whose "from" is the state that removes)
# "claimed responsibility for the attack", "took credit for": the one claiming is the attack's doer.
CLAIMED = frozenset({"responsibility", "credit"})
CLAIMING = frozenset({"claim", "take", "accept", "admit", "acknowledge"})
# Attacks as a clause's subject ("Russian strikes on Kharkiv killed ..."); their target is the clause's.
VIOLENT_SUBJECTS = frozenset({"strike", "airstrike", "attack", "raid", "bombing", "shelling", "offensive",
                              "assault", "bombardment", "barrage"})  # fmt: skip
BASE_CONFIDENCE = {"frame": 0.8, "pair": 0.8, "verb": 0.7, "noun_pair": 0.7, "noun": 0.6, "obligation": 0.6}


# Verbs whose object is a reaction to their subject: "drew condemnation", "sparked protests", "faced
# criticism". The subject is what the reaction is about (its target), never who reacts.
REACTION_VERBS = frozenset({"draw", "spark", "trigger", "prompt", "provoke", "attract", "face", "receive",
                            "earn", "invite", "court", "fuel", "ignite", "suffer", "sustain", "endure",
                            "withstand", "repel", "repulse"})  # fmt: skip
# Nominal triggers whose "from" phrase names who acts (not where from, as in "withdrawal from Syria").
FROM_SOURCE_TYPES = frozenset(
    {"ACCUSE", "REQUEST", "SUPPORT", "THREATEN", "REJECT", "AID", "AGREE", "PROTEST", "ASSAULT", "SANCTION"}
)  # ("came under attack from Islamic State fighters", "sanctions from the EU")


def is_meeting(event_type: str, mode: str | None) -> bool:
    """A CONSULT where the parties meet (not a visit, which has a host as recipient): every participant is
    a source, and what is discussed or where it is held is no party."""
    return event_type == "CONSULT" and mode != "visit"


# A state of emergency, martial law or a curfew is a state's measure over its own territory: an event with no
# recipient (the annotation codes "declared a state of emergency in three provinces" with an empty target),
# not an internal matter to drop like "ordered its agents". So is lifting one.
TERRITORIAL_MEASURES = frozenset({"curfew", "emergency", "martial", "lockdown"})


def _territorial_measure(cand: Candidate, mode: str | None) -> bool:
    if mode in {"martial-law", "curfew"}:
        return True
    words = [cand.token, *([cand.partner] if cand.partner is not None else [])]
    return any(w.lemma_.lower() in TERRITORIAL_MEASURES for w in words)


# Answering what another did: vowed or sworn, a threat whatever its means ("vowed to retaliate", "vows a
# response", "swore to hit back"); the gold codes these THREATEN. Not a friendly answer ("respond positively").
RESPONDING = frozenset({"retaliate", "respond", "react", "reciprocate", "avenge"})
BACK_VERBS = frozenset({"hit", "strike", "fight"})  # "hit back"
RESPONSE_NOUNS = frozenset(
    {"retaliation", "response", "countermeasure", "reprisal", "revenge", "retribution"}
)
FRIENDLY = frozenset({"positively", "favorably", "favourably", "constructively", "generously"})


def _promised_response(frame: Token) -> bool:
    """Does the frame word's complement promise an answer to another's act ("vowed to retaliate", "vowed to
    respond with force", "vows response")?"""
    for child in frame.children:
        lemma = child.lemma_.lower()
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            back = any(c.dep_ in {"prt", "advmod"} and c.lower_ == "back" for c in child.children)
            friendly = any(c.dep_ == "advmod" and c.lower_ in FRIENDLY for c in child.children)
            if (lemma in RESPONDING or (lemma in BACK_VERBS and back)) and not friendly:
                return True
        if child.dep_ == "dobj" and lemma in RESPONSE_NOUNS:
            return not any(c.dep_ == "amod" and c.lower_ in {"positive", "favorable", "favourable", "humanitarian"}
                           for c in child.children)  # fmt: skip
    return False


def _classify(cand: Candidate, modality: Modality, lex: Lexicon) -> tuple[str, str | None, Modality]:
    """Event type and mode, applying the manual's rules for frames and for future/negated actions."""
    event_type, mode = cand.sense.event_type, cand.sense.mode
    expelled = _ordered_out(cand.token)
    if expelled is not None:
        # "Germany ordered two Russian diplomats to leave the country": the expulsion ordered, as "ordered the
        # arrest of Dodik" is the arrest (below); the lexicon's types: diplomats SANCTION expel, others COERCE
        return ("SANCTION", "expel", modality) if _a_diplomat(expelled) else ("COERCE", "deport", modality)
    if (cand.token.lemma_.lower() in EXPELLING and event_type == "COERCE"
            and any(c.dep_ in {"dobj", "nsubjpass"} and _a_diplomat(c) for c in cand.token.children)):  # fmt: skip
        # "expelled Israel's diplomatic delegation": expelling diplomats is SANCTION expel (the lexicon's pair
        # "expel diplomat" names the commonest word; any diplomat is the same act)
        return "SANCTION", "expel", modality
    if (event_type == "ACCUSE" and cand.token.lemma_.lower() == "charge" and cand.token.pos_ == "VERB"
            and _charged_bodily(cand.token)):  # fmt: skip
        # "riot police charged the protesters with batons": a rush, no charge
        return "ASSAULT", None, modality
    inner = complement(cand)
    if cand.kind in {"frame", "obligation"}:
        inner_type = inner.sense.event_type if inner else None
        if (cand.frame_word in COMMAND_FRAMES and inner is not None and inner.token.dep_ == "dobj"
                and inner_type in CONFLICT_MATERIAL | {"ASSAULT", "MOBILIZE"}):  # fmt: skip
            return inner_type, inner.sense.mode, modality  # "ordered the arrest of Dodik", "a mobilization"
        if cand.frame_word in APPROVAL and inner is not None:
            return inner.sense.event_type, inner.sense.mode, modality  # "approved an operation aimed at ..."
        table = lex.by_complement.get(cand.frame_word or "")
        if table is not None:
            quad = QUAD_OF_TYPE.get(inner_type or "", "")
            if inner is None and _promised_response(cand.token):
                quad = "material_conflict"  # "vowed to respond with overwhelming force", "vows response"
            event_type = table.get(quad, table.get("default", event_type))
        if event_type == "THREATEN" and inner_type:
            mode = THREAT_MODE.get(inner_type) or ("expel" if inner and inner.sense.mode == "expel" else None)
            if inner and inner.sense.mode in {"arrest", "expel"}:
                mode = inner.sense.mode
        elif event_type in {"REQUEST", "REJECT"} and inner_type:
            mode = DEMAND_MODE.get(inner_type, "change")
        elif event_type == "ACCUSE":
            mode = "allege" if cand.frame_word in {"accuse", "charge", "blame", "suspect"} else "disapprove"
        return event_type, mode, modality
    manual = _manual_type(cand.token, event_type)
    if manual is not None:
        event_type, mode = manual
    value = modality.value
    if value == "future" and _takes_effect(cand.token):
        return event_type, mode, modality  # "the tariffs would take effect Wednesday": decided, no threat
    if value in {"future", "hypothetical"} and _conditional_or_future(modality):
        if event_type in COOPERATIVE_FUTURE and value == "future":
            return "AGREE", None, modality
        if (
            event_type == "RETREAT"
            and value == "future"
            and not (mode == "resign" or cand.token.lemma_.lower() in RESIGNING)
        ):
            # ("will resign" stays RETREAT, as the PLOVER gold codes it: a person's own act, not a concession)
            return "CONCEDE", None, modality
        if event_type in CONFLICT_MATERIAL and (value == "future" or _has_if(modality)):
            return "THREATEN", THREAT_MODE.get(event_type), modality
    if value == "negated" and QUAD_OF_TYPE[event_type].endswith("cooperation") and _refusal(modality):
        # "will not accept refugees", "would not meet demands": a refusal, asserted.
        return "REJECT", DEMAND_MODE.get(event_type, "change"), Modality("asserted")
    return event_type, mode, modality


# PLOVER manual, SANCTION "withdraw": leaving an organisation, treaty or agreement is a sanction, not a
# retreat (RETREAT is for forces, positions and offices).
LEAVING_VERBS = frozenset({"withdraw", "pull", "quit", "exit", "leave", "abandon", "withdrawal"})
# States named by their initials: left, they are places (troops withdrawn from the DRC), not bodies.
STATE_INITIALS = frozenset({"US", "USA", "UK", "UAE", "DRC", "CAR", "PRC", "DPRK", "ROK", "KSA"})
INSTITUTIONS = frozenset({
    "agreement", "accord", "deal", "treaty", "pact", "convention", "protocol", "organization", "organisation",
    "alliance", "union", "bloc", "council", "court", "commission", "body", "forum", "partnership", "coalition",
    "framework", "initiative", "jcpoa", "nato", "who", "unesco", "unhcr", "opec", "icc", "wto",
})  # fmt: skip
# PLOVER manual, REJECT: barring entry is a refusal ("barred the activists from entering").
BARRING_VERBS = frozenset({"bar", "ban", "block", "prevent", "deny", "refuse", "forbid", "prohibit", "stop"})
ENTRY_WORDS = frozenset({"enter", "entry", "visit", "land", "travel", "cross", "access", "visa", "return"})


def _objects_through(token: Token, preps: frozenset[str]) -> list[Token]:
    """Direct objects and the objects of ``preps`` ("from", "out of") of a verb."""
    out = [c for c in token.children if c.dep_ in {"dobj", "dative"}]
    for child in token.children:
        if child.dep_ in {"prep", "prt"} and child.lower_ in preps:
            out += [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
            out += [g for c in child.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return out


DIPLOMATS = frozenset(
    {"ambassador", "envoy", "diplomat", "chargé", "charge", "consul", "representative", "attache", "d'affaires",
     "liaison"}
)  # fmt: skip


LEAVING = frozenset({"leave", "depart", "quit"})


TERRITORY = frozenset(
    {"country", "territory", "region", "area", "city", "capital", "island", "province", "state"}
)


def _ordered_out(token: Token) -> Token | None:
    """Whom an order tells to leave the country ("ordered two Russian diplomats to leave", "ordered French
    troops to leave Niger"), or None. (Not "ordered villagers to leave within 72 hours": a diplomat is
    ordered out of the country; anyone else only where the text says what they must leave.)"""
    if token.lemma_.lower() not in COMMAND_FRAMES:
        return None
    objects = [c for c in token.children if c.dep_ == "dobj"]
    leaving = [c for c in token.children if c.dep_ == "xcomp" and c.lemma_.lower() in LEAVING]
    if not objects or not leaving:
        return None
    if _a_diplomat(objects[0]) or any(c.dep_ == "dobj" and (c.ent_type_ in {"GPE", "LOC"} or c.lemma_.lower()
                                      in TERRITORY) for c in leaving[0].children):  # fmt: skip
        return objects[0]
    return None


def _a_diplomat(noun: Token) -> bool:
    """ "the ambassador", "the U.S. charge d'affaires", "Kosovo's liaison officer", "the diplomatic
    delegation", "consular staff"."""
    return noun.lemma_.lower() in DIPLOMATS or any(
        (c.dep_ == "compound" and c.lemma_.lower() in DIPLOMATS)
        or (c.dep_ == "amod" and c.lower_ in {"diplomatic", "consular"})
        for c in noun.children
    )


def _manual_type(token: Token, event_type: str) -> tuple[str, str | None] | None:
    lemma = token.lemma_.lower()
    if lemma in LEAVING_VERBS or (event_type == "RETREAT" and token.pos_ == "VERB"):
        # (a noun's "of" names who leaves: "the withdrawal of Rwandan troops from the DRC")
        preps = frozenset({"from"}) if token.pos_ == "NOUN" else frozenset({"from", "out", "of"})
        for obj in _objects_through(token, preps):
            if obj.text in STATE_INITIALS:
                continue
            words = {obj.lemma_.lower(), obj.lower_} | {
                c.lower_ for c in obj.children if c.dep_ == "compound"
            }
            initials = obj.text.isupper() and len(obj.text) >= 3  # a bloc by its initials: ECOWAS, SADC
            if words & INSTITUTIONS or (obj.ent_type_ == "ORG" and obj.pos_ == "PROPN") or initials:
                return "SANCTION", "withdraw"
    if event_type == "MOBILIZE" and lemma == "send" and _sent_to_help(token):
        return "AID", None
    if lemma in BARRING_VERBS:
        for obj in _objects_through(token, frozenset({"from"})):
            if obj.lemma_.lower() in ENTRY_WORDS:
                return "REJECT", None
        if any(c.dep_ == "dobj" and c.lemma_.lower() in {"entry", "visa", "access"} for c in token.children):
            return "REJECT", None
    return None


FORCE_SECTORS = frozenset({"MIL", "COP", "SPY", "REB"})


def _own_forces(event_type: str, sources: Sequence[ActorRef], targets: Sequence[ActorRef]) -> list[ActorRef]:
    """The source's own forces among the recipients of a deployment or a withdrawal: what is moved, not
    whom the move is aimed at (the annotated news leaves such a MOBILIZE's recipient empty)."""
    if event_type not in {"MOBILIZE", "RETREAT"}:
        return []
    own = {s.country for s in sources} - {"UNK", ""}
    return [t for t in targets if t.country in own and t.sector in FORCE_SECTORS]


# What a charge is made with when it is bodily ("charged the protesters with batons", not "with murder").
CHARGING_WEAPONS = frozenset({"baton", "batons", "truncheon", "truncheons", "club", "clubs", "stick", "sticks",
                              "horse", "horses", "horseback", "bayonet", "bayonets", "shield", "shields", "whip",
                              "whips", "cannon", "gas"})  # fmt: skip


def _charged_bodily(verb: Token) -> bool:
    """Is "charge" a rush at people ("riot police charged the protesters with batons", "charged into the
    crowd") rather than an accusation? An assault (PLOVER ASSAULT), not an ACCUSE."""
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if prep.lower_ == "with" and any(o.lower_ in CHARGING_WEAPONS for o in objects):
            return True
        if prep.lower_ in {"at", "into"} and objects:
            return True
    return False


HELPING_VERBS = frozenset({"help", "support", "assist", "aid", "bolster", "defend", "protect", "back"})


def _sent_to_help(verb: Token) -> bool:
    """Are the troops sent to help another party ("sent troops to fight for Russia", "to help the government")?
    Then they are military aid (AID); troops sent to a border or into a region are a deployment (MOBILIZE)."""
    for purpose in verb.children:
        if purpose.dep_ not in {"xcomp", "advcl"}:
            continue
        lemma = purpose.lemma_.lower()
        if lemma in HELPING_VERBS:
            return True
        if lemma == "fight" and any(
            c.dep_ == "prep" and c.lower_ in {"for", "alongside"} for c in purpose.children
        ):
            return True
    return False


def _takes_effect(token: Token) -> bool:
    """A nominal event that is the subject of "take effect", "come into force", "go into effect", "begin"."""
    if token.pos_ != "NOUN" or token.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    verb = token.head
    if verb.lemma_.lower() in {"begin", "start", "kick"}:
        return True
    return verb.lemma_.lower() in {"take", "come", "go", "enter"} and any(
        c.lower_ in {"effect", "force"} or any(g.lower_ in {"effect", "force"} for g in c.children)
        for c in verb.children
    )


# Firing into these is a test or a warning (MOBILIZE weapons display), not an attack.
AIMLESS = frozenset({"air", "sky", "sea", "water", "ocean", "range"})


def _fired_at(token: Token, actors: ActorIndex) -> bool:
    """ "fired missiles at Israel", "fired missiles at a military facility": weapons aimed at an actor or
    a place are an attack, not a display (manual, MOBILIZE vs ASSAULT)."""
    return any(prep.dep_ == "prep" and prep.lower_ in {"at", "into", "on", "toward", "towards", "against"}
               and any(p.dep_ == "pobj" and (actors.phrase(p) or (p.lemma_.lower() not in AIMLESS
                                                    and p.ent_type_ not in {"DATE", "TIME"}))
                       for p in prep.children)
               for prep in token.children)  # fmt: skip


def _conditional_or_future(modality: Modality) -> bool:
    return any(t.lower_ in {"will", "shall", "'ll", "wo", "would", "if", "unless"} or t.pos_ == "VERB"
               or t.lemma_.lower() in SCHEDULED for t in modality.cue)  # fmt: skip


SCHEDULED = frozenset({"due", "slate", "poise"})  # "is due to meet": an adjective that plans the act


def _has_if(modality: Modality) -> bool:
    return any(t.lower_ in {"if", "unless"} for t in modality.cue)


# Not wanting to do a cooperative act is refusing it (docs/annotation.md: "does not want to meet" is REJECT,
# not a negated CONSULT), where "has not met" only reports that it did not happen.
UNWILLING_HEADS = frozenset({"want", "wish", "intend", "plan", "mean", "care", "desire", "seek"})


def _refusal(modality: Modality) -> bool:
    sent = modality.cue[0].sent if modality.cue else None
    if sent is None:
        return False
    head = modality.cue[0].head
    if head.lemma_.lower() in UNWILLING_HEADS and any(c.dep_ == "xcomp" for c in head.children):
        return True
    return any(
        c.dep_ == "aux" and c.lower_ in {"will", "would", "wo", "can", "could", "ca"} for c in head.children
    )


def extract_events(doc: Doc, lex: Lexicon, *, min_confidence: float = 0.0) -> list[Event]:
    """All events of a parsed doc (the stage body, usable without a pipeline)."""
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    article: Article | None = doc._.article if doc.has_extension("article") else None
    article_key = article.id if article is not None else ""
    refs = doc._.actors if doc.has_extension("actors") else None
    actors = ActorIndex(doc, None if refs is None else [r for r in refs if may_be_party(r)])
    claims: list[Claim] = list(doc._.claims or ()) if doc.has_extension("claims") else []
    speakers = speaker_tokens(doc, claims)
    events: list[Event] = []
    seen: set[str] = set()
    conjunct_sources: dict[int, tuple[ActorRef, ...]] = {}  # trigger token -> sources, for its conjuncts
    outlet = article.outlet if article is not None else None
    previous: list[Event] = []  # the events of the last sentence that had any
    for sent in doc.sents:
        candidates = find_candidates(sent, lex)
        if not candidates:
            continue
        found: list[tuple[Event, bool]] = []  # (event, nominal trigger)
        for cand in nest(candidates):
            event = _build(cand, sent, lex, actors, claims, speakers, article_key, conjunct_sources, outlet)
            if event is not None and event.confidence >= min_confidence and event.id not in seen:
                seen.add(event.id)
                found.append((event, cand.kind in {"noun", "noun_pair"}))
        kept = [e for e, nominal in found if not (nominal and _restates(e, found))]
        kept = [_aid_recipient(e, previous + kept[:i], article_key) for i, e in enumerate(kept)]
        events += kept
        previous = kept
    return events


# Cooperative events whose recipient an aid event continues ("the largest customer of Russian oil and
# delivers key technologies": to Russia).
COOPERATIVE = frozenset({"COOPERATE", "AID", "SUPPORT", "AGREE"})


def _aid_recipient(event: Event, before: Sequence[Event], article_key: str) -> Event:
    """An AID event with no recipient takes the one of the nearest cooperative event before it (this
    sentence, else the previous ones) with the same source, at lower confidence."""
    if event.event_type != "AID" or event.target or not event.source:
        return event
    ids = {r.actor_id for r in event.source}
    for other in reversed(before):
        if other.event_type in COOPERATIVE and other.target and ids & {r.actor_id for r in other.source}:
            target = tuple(r for r in other.target if r.actor_id not in ids)
            if not target:
                continue
            return replace(event, target=target, confidence=round(event.confidence - 0.05, 2),
                           id=event_id(article_key, event.trigger, event.event_type, event.source, target))  # fmt: skip
    return event


def _restates(event: Event, found: Sequence[tuple[Event, bool]]) -> bool:
    """A nominal event that restates a verbal one of the same sentence ("blamed India, accusing it
    ..., a charge New Delhi rejected"): same type, and the same actor or recipient."""
    ids = {r.actor_id for r in event.source}, {r.actor_id for r in event.target}
    for other, nominal in found:
        if nominal or other.event_type != event.event_type:
            continue
        if ids[0] & {r.actor_id for r in other.source} or ids[1] & {r.actor_id for r in other.target}:
            return True
    return False


def speaker_tokens(doc: Doc, claims: Sequence[Claim]) -> set[int]:
    """Tokens of speakers and attributions ("X said", "according to X"): not actors of what they report."""
    out: set[int] = set()
    # Only subjects and "according" can open an attribution: find them in the doc's arrays rather than
    # making a Token of every word (this walk was a fifth of the events stage).
    deps = doc.to_array([DEP]).reshape(-1)
    lowers = doc.to_array([LOWER]).reshape(-1)
    nsubj, prep, according = (
        doc.vocab.strings["nsubj"],
        doc.vocab.strings["prep"],
        doc.vocab.strings["according"],
    )
    for i in np.flatnonzero((deps == nsubj) | ((lowers == according) & (deps == prep))):
        token = doc[int(i)]
        if (
            token.dep_ == "nsubj"
            and token.head.lemma_.lower() in SPEECH | {"report", "quote"}
            and not obligation(token.head)
        ) or (token.lower_ == "according" and token.dep_ == "prep"):
            if _misparsed_report(token):
                continue
            out.update(t.i for t in token.subtree)
    for claim in claims:
        for ref in claim.speaker:
            span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
            if span is not None:
                out.update(range(span.start, span.end))
    return out


def _misparsed_report(subject: Token) -> bool:
    """ "Palestinian youths resorted to ..., officials said": the parser hangs the reported clause
    under a second subject of "said"; that subject is an actor of the report, not its speaker."""
    others = [c for c in subject.head.children if c.dep_ == "nsubj" and c.i > subject.i]
    return bool(others) and any(c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB" for c in subject.children)


def _refs(index: ActorIndex, tokens: Sequence[Token]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for token in tokens:
        for ref in index.phrase(token):
            if ref not in out:
                out.append(ref)
    return out


# "China is the largest customer of Russian oil", "China is Russia's largest customer": the subject buys
# from the possessor or from whoever the bought goods belong to (COOPERATE, economic: trade between states).
BUYER_NOUNS = frozenset({"customer", "buyer", "importer", "purchaser", "client"})


def _trade_roles(token: Token, actors: ActorIndex) -> tuple[list[ActorRef], list[ActorRef], bool] | None:
    """Buyer and seller of a buyer noun predicated of its subject; None when it is not one."""
    if token.lemma_.lower() not in BUYER_NOUNS or token.dep_ not in {"attr", "oprd", "appos"}:
        return None
    buyers = _refs(actors, subject_tokens(token.head)[0] if token.dep_ != "appos" else [token.head])
    if not buyers:
        return None
    goods = [p for prep in token.children if prep.dep_ == "prep" and prep.lower_ in {"of", "for"}
             for p in prep.children if p.dep_ == "pobj"]  # fmt: skip
    owners = [c for c in token.children if c.dep_ == "poss"] + goods
    return buyers, [r for r in _refs(actors, owners) if r not in buyers], True


def _asked_by_granted_request(noun: Token, event_type: str) -> list[Token] | None:
    """Who was asked in "at the request of X", "at X's request", "on the invitation of X": the subject of
    what was done because of the request (the parser may hang the phrase on that subject: "Nigeria, at the
    request of Benin, deployed jets"); None when the noun is no such phrase."""
    if not granted_request(noun, event_type) or noun.lemma_.lower() not in REQUEST_NOUNS:
        return None
    head = noun.head.head
    if head.pos_ in {"VERB", "AUX"}:
        return subject_tokens(head)[0]
    if head.dep_ in {"nsubj", "nsubjpass"}:
        return [head]
    return None


def _roles(cand: Candidate, actors: ActorIndex, lex: Lexicon) -> tuple[list[ActorRef], list[ActorRef], bool]:
    """Sources and targets of a top-level candidate; the flag says whether the source is syntactic."""
    token = cand.token
    if cand.kind == "obligation" and cand.partner is not None:
        speakers, _ = subject_tokens(token)
        demanded, _ = subject_tokens(cand.partner)
        return (
            _refs(actors, speakers),
            _refs(actors, demanded) or _refs(actors, object_tokens(cand.partner)),
            bool(speakers),
        )
    if token.pos_ in {"NOUN", "PROPN"}:
        trade = _trade_roles(token, actors)
        if trade is not None:
            return trade
        granted_to = _asked_by_granted_request(token, cand.sense.event_type)
        if granted_to is not None:
            # "Nigeria, at the request of the Beninese authorities, deployed jets": the requester asks the
            # one who then acts
            asker = _refs(actors, said_by(token) + _of_objects(token))
            return asker, _others(_refs(actors, granted_to), asker), bool(asker)
        src_tokens, tgt_tokens = noun_roles(token)
        parties = _refs(actors, between_parties(token)) if not _refs(actors, src_tokens) else []
        if (len(with_set_members(parties)) >= 2 and cand.sense.event_type in MUTUAL_TYPES
                and cand.sense.mode != "third-party"):  # fmt: skip
            # "a week of fighting between the neighbours", "an agreement between Chad and Niger": both sides
            # do it, and no one else named near it is a party
            return parties, [], True
        meeting = is_meeting(cand.sense.event_type, cand.sense.mode)
        if meeting:
            venues = meeting_venues(token, actors)
            src_tokens = [t for t in src_tokens if t.i not in venues]
        sources = _refs(actors, src_tokens)
        targets = _refs(actors, tgt_tokens)
        imposer = _imposer_of_named_measure(token, cand.sense.event_type, actors, sources)
        if imposer:
            # "The EU adopted new Russia sanctions": the country before the measure is whom it targets when
            # the one imposing it is the verb's subject
            sources, targets = imposer, sources + [t for t in targets if t not in sources]
        if meeting and not sources and targets and not src_tokens:
            # "Pakistan said talks with the IMF are progressing": talks with one side named, told by the
            # other side, who is the other party
            sources = _others(_refs(actors, reported_by(token)), targets)
        if not sources and cand.sense.event_type in FROM_SOURCE_TYPES:
            # "condemnation from the United States", "a request from Kyiv", "aid from Japan"
            sources = [r for r in _refs(actors, [p for prep in token.children if prep.dep_ == "prep"
                       and prep.lower_ == "from" for p in prep.children if p.dep_ == "pobj"]) if r not in targets]  # fmt: skip
        governor = token.head
        if governor.dep_ == "prep" and token.dep_ == "pobj":
            if (
                governor.lower_ in BACKGROUND_PREPS
            ):  # "despite Western sanctions, the economy ...": not its subject
                sources = _refs(actors, src_tokens)
                targets = _refs(actors, tgt_tokens)
                if (
                    not targets
                    and governor.lower_ in {"despite", "amid"}
                    and QUAD_OF_TYPE[cand.sense.event_type].endswith("conflict")
                ):
                    # "Despite Western sanctions, the Russian economy did not collapse": who withstands it
                    verb = governing_verb(governor.head)  # (a heading glued before the phrase may take it)
                    after = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i > token.i]
                    targets = [r for r in _refs(actors, after or subject_tokens(verb)[0]) if r not in sources]
                return sources, targets, bool(sources)
            governor = governor.head
            if (
                token.head.lower_ in {"in", "of"}
                and an_amount(governor)
                and governor.dep_ in {"dobj", "nsubjpass"}
            ):
                # "Japan announced $6 million in emergency aid for Myanmar": the amount stands for the aid
                governor = governor.head
            if (governor.lemma_.lower() in CLAIMED and governor.dep_ == "dobj"
                    and governor.head.lemma_.lower() in CLAIMING):  # fmt: skip
                # "al-Shabab claimed responsibility for the attack": who claims it did it
                governor = governor.head
        reaction = (token.dep_ == "dobj" and governor.lemma_.lower() in REACTION_VERBS) or (
            token.dep_ == "pobj"
            and token.head.lower_ == "under"
            and governor.lemma_.lower() in UNDERGOING  # the subject undergoes it
        )
        if reaction and not targets:
            # "Mech Dara's arrest drew international condemnation": what drew it is what the
            # condemnation is about, never who condemns
            subj, _ = subject_tokens(governor)
            targets = [r for r in _refs(actors, [t for s in subj for t in s.subtree]) if r not in sources]
        if (
            not sources
            and token.dep_ in {"dobj", "attr", "pobj", "oprd", "nsubjpass"}
            and governor.pos_ in {"VERB", "AUX"}
        ):
            subj, _ = subject_tokens(governor)
            if not reaction:
                sources = _refs(actors, subj)
                if not targets:
                    targets = [r for r in _refs(actors, object_tokens(governor)) if r not in sources]
        if cand.sense.event_type == "RETREAT" and not sources:
            # "the withdrawal of U.S. troops": who is withdrawn is who withdraws
            sources = _refs(actors, _of_objects(token))
            targets = [t for t in targets if t not in sources]
        victims = _refs(actors, victim_tokens(token)) if cand.sense.event_type == "ASSAULT" else []
        if victims:
            targets = victims + [t for t in targets if t not in victims]
            sources = [s for s in sources if s not in victims]
        sources = [s for s in sources if s not in targets] or sources
        return sources, targets, bool(sources)
    frame = cand.kind == "frame"
    stative = frame and (cand.frame_word or token.lemma_.lower()) in lex.stative_passive
    subj, _passive = subject_tokens(token, stative=stative)
    if not subj and cand.sense.event_type == "ASSAULT":
        subj = battle_opponents(clause_verb(token))  # "was killed in a gun battle with police"
    if not subj and cand.sense.event_type == "MOBILIZE" and is_passive(clause_verb(token)):
        # "several hundred troops were deployed to the villages": the force deployed is the one that
        # mobilizes (PLOVER codes a deployment by the force's own state), not its recipient
        subj = [c for c in clause_verb(token).children if c.dep_ == "nsubjpass"]
    if not subj and token.lemma_.lower() in EXPELLING and (is_passive(token) or token.tag_ == "VBN"):
        # "Venezuelan migrants deported from the United States": a state expels from its own land
        subj = [p for prep in token.children if prep.dep_ == "prep" and prep.lower_ == "from"
                for p in prep.children if p.dep_ == "pobj" and (ref := actors.by_token.get(p.i)) is not None
                and ref.kind in {"country", "metonym"} and _a_state(ref, token.doc)]  # fmt: skip
    if not subj and token.lemma_.lower() in RELEASING and (is_passive(token) or token.tag_ == "VBN"):
        # "150 servicemen had been freed from Ukrainian captivity", "released from Russian custody": who
        # held them releases them
        subj = [m for prep in token.children if prep.dep_ == "prep" and prep.lower_ == "from"
                for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in CUSTODY
                for m in p.children if m.dep_ in {"amod", "poss", "compound"}]  # fmt: skip
    sources = _refs(actors, subj)
    objects = [t for t in object_tokens(token) if t not in subj]
    inner = complement(cand)
    if cand.sense.event_type == "REQUEST" and inner is not None:
        # "demanded the release of political prisoners": the act asked for is no addressee (who must
        # do it is, below: the complement's subject or doer)
        asked_for = {c.token.i for c in cand.absorbed or ()}
        objects = [t for t in objects if t.i not in asked_for]
    # A MOBILIZE object is the actor's own force, a PROTEST's the street it blocks: where it stands
    # is no recipient.
    meeting = is_meeting(cand.sense.event_type, cand.sense.mode)
    places = cand.sense.event_type not in {"MOBILIZE", "PROTEST"} and not meeting
    if meeting:
        # "met in Oman", "held talks in Oman": where a meeting is held is its venue, not a party
        objects = [t for t in objects if not (t.dep_ == "pobj" and t.head.lower_ == "in")]
        objects = meeting_objects(objects, actors)
    never = _no_party_of(token, cand.sense.event_type)
    objects = [t for t in objects if t.i not in never]
    said = said_objects(token, objects) if cand.sense.event_type in JUDGING else []
    makers = _others(_refs(actors, [t for noun in said for t in said_by(noun)]), sources)
    if makers or charges(said):
        # "rejected accusations that Lai's trial is unfair", "a charge New Delhi rejected": aimed at who
        # made the charge (when the text says), never at what the charge is about. (An offer or
        # invitation that names no maker keeps the reading below: "rejected an invitation to a meeting
        # of Palestinian factions" answers the factions.)
        return sources, makers, bool(sources)
    targets = _others(object_refs(actors, objects, sources, places=places), sources)
    suffered = _victims_of_judged_deeds(cand)
    if suffered:
        targets = [t for t in targets if not _suffered(t, token.doc, suffered)]
    if (not targets and cand.sense.event_type == "REJECT" and token.dep_ == "conj"
            and token.head.lemma_.lower() in PROPOSING and not (objects or complement(cand))):  # fmt: skip
        # "the Chinese side proposed ..., but the European side refused": aimed at who proposed
        targets = _others(_refs(actors, subject_tokens(token.head)[0]), sources)
    if not targets and cand.sense.event_type == "ACCUSE":
        # "[Croatian authorities are failing ...], a rights group protested": who the complaint is about
        for clause in token.children:
            if clause.dep_ in {"ccomp", "parataxis"}:
                targets = _others(_refs(actors, subject_tokens(clause)[0]), sources)
                break
    if not targets and cand.sense.event_type in JUDGING:
        targets = _others(_doers(actors, objects, lex), sources)  # "praised the withdrawal of U.S. troops"
    if not targets and subj and cand.sense.event_type in {"ASSAULT", "COERCE"}:
        # "Russian strikes on Kharkiv killed five people": the attack's target is the killing's
        targets = _others(_refs(actors, [t for s in subj if s.lemma_.lower() in VIOLENT_SUBJECTS
                                         for t in noun_roles(s)[1]]), sources)  # fmt: skip
    if frame and inner is not None and not targets:
        # "demanded that the US cancel ...": the complement's subject is the target, else its object.
        inner_subj, _ = (
            subject_tokens(inner.token) if inner.token.pos_ not in {"NOUN", "PROPN"} else ([], False)
        )
        targets = _others(_refs(actors, inner_subj), sources)
        if not targets:
            # A request is addressed to whoever must do what it asks ("demanded the withdrawal of
            # Somali troops"), never to whom that act would be done ("demanded the release of political
            # prisoners" asks the jailers; docs/annotation.md, "Roles"). A threat or a refusal is aimed
            # at what its act would hit.
            if cand.sense.event_type == "REQUEST":
                asked = _asked(inner, actors, lex)
                if not asked and self_object(token, actors, sources):
                    # "the FSB ordered its agents to prevent leaks to Beijing": an order to one's own
                    # people is the source acting through them, aimed where their act is aimed
                    _, asked, _ = _roles(Candidate(inner.token, inner.sense, inner.kind), actors, lex)
                targets = _others(asked, sources)
            elif cand.sense.event_type == "ACCUSE" and suffered:
                # "condemned the attack on Chinese workers": aimed at who did it, never at who suffered it
                inner_sources, _, named = _roles(Candidate(inner.token, inner.sense, inner.kind), actors, lex)
                targets = _others(inner_sources, sources) if named else []
            else:
                _, inner_targets, _ = _roles(Candidate(inner.token, inner.sense, inner.kind), actors, lex)
                targets = _others(inner_targets, sources)
    if not sources:
        implicit = implicit_source(actors, subj, token) or passive_place(actors, token)
        if implicit:
            return implicit, [t for t in targets if t.actor_id != implicit[0].actor_id] or targets, False
    return sources, targets, bool(sources)


SENDING = frozenset({"send", "deploy", "dispatch"})
# Verbs of going somewhere: the place they go in or at is whom they visit ("arrived in Tehran for talks").
ARRIVING = VISIT_VERBS | frozenset({"travel", "fly", "come", "go", "return", "land", "reach"})


def _victims_of_judged_deeds(cand: Candidate) -> set[int]:
    """ "condemned the violence against demonstrators in Tbilisi", "condemned the arrest of its spokesman by
    gendarmes": who suffered the deed a condemnation is about, or where, is not who is condemned; its doer
    is, when named (the deed's possessor, modifier or by-phrase). The tokens of the deed's phrase but its
    doer's. (Not for a blame or a charge: "blamed the attacks on militants" names the accused.)"""
    if cand.sense.event_type != "ACCUSE" or cand.token.lemma_.lower() in ALLEGING:
        return set()
    out: set[int] = set()
    for deed in cand.absorbed or ():
        if deed.sense.event_type not in {"ASSAULT", "COERCE"} or deed.token.pos_ != "NOUN":
            continue
        doers = {t.i for d in noun_roles(deed.token)[0] for t in d.subtree}
        out |= {t.i for t in deed.token.subtree if t.i != deed.token.i and t.i not in doers}
    return out


def _suffered(ref: ActorRef, doc: Doc, suffered: set[int]) -> bool:
    """Does the mention start in the deed's phrase ("demonstrators in Tbilisi", its place hung elsewhere)?"""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    first = next((t for t in span or () if t.dep_ != "det"), None)
    return first is not None and first.i in suffered


def _no_party_of(token: Token, event_type: str) -> set[int]:
    """Tokens that name no recipient of this type of act, read off the syntax or guessed: where a COERCE
    sends people ("deported 40 others to China"), the force a MOBILIZE sends ("deployed troops to Juba",
    "sent warships"), where a PROTEST is held ("rallied in Tbilisi against the government"), and where
    parties agree, sign, promise or praise ("signed a peace deal in Washington", "at the State
    Department"): in the annotated news no such place was a party, unless someone arrived there."""
    if (
        QUAD_OF_TYPE[event_type] == "verbal_cooperation"
        and token.pos_ in {"VERB", "AUX"}
        and token.lemma_.lower() not in ARRIVING
    ):
        verb = clause_verb(token)  # (a place, not what is done: "will cooperate in building a parliament")
        return {t.i for p in verb.children if p.dep_ == "prep" and p.lower_ in {"in", "at"}
                for o in p.children if o.dep_ == "pobj" for t in o.subtree}  # fmt: skip
    if event_type == "COERCE":
        return destination(token)
    if event_type == "MOBILIZE" or (event_type == "AID" and token.lemma_.lower() in SENDING):
        # (an AID sends its force or goods to someone: "sent thousands of troops to fight for Russia")
        return {t.i for c in token.children if c.dep_ == "dobj" for t in c.subtree}
    if event_type == "PROTEST":
        return {t.i for p in token.children if p.dep_ == "prep" and p.lower_ == "in" for t in p.subtree}
    return set()


def _no_recipients(
    cand: Candidate, event_type: str, actors: ActorIndex, sources: Sequence[ActorRef]
) -> set[int]:
    """Tokens whose actors are never an event's guessed recipient (``_fallback``): what a request asks for
    ("demanded the release of political prisoners" asks the jailers, who would have been found in the
    complement already; except an order to one's own people), what a charge is about ("rejected
    accusations that Lai's trial is unfair"), what a meeting is about ("met to discuss Iran's nuclear
    program"), and what names no party of the type at all (``_no_party_of``)."""
    token = cand.token
    out: set[int] = set()
    if event_type == "REQUEST" and not (self_object(token, actors, sources) or unaddressed_order(token)):
        out = {t.i for c in cand.absorbed or () for t in c.token.subtree} | request_content(token)
    said = said_objects(token, object_tokens(token)) if event_type in JUDGING else []
    if charges(said):
        out |= {t.i for noun in said for t in noun.subtree}
    out |= _no_party_of(token, event_type)
    suffered = _victims_of_judged_deeds(cand)
    if suffered:
        # (every token of a mention that starts there: "demonstrators in Tbilisi", "in Tbilisi" hung on the verb)
        out |= suffered | {i for i, ref in actors.by_token.items() if _suffered(ref, token.doc, suffered)}
    if is_meeting(event_type, cand.sense.mode):
        out |= meeting_topics(token, actors)  # "met to discuss Iran's nuclear program": Iran is talked about
    return out


def said_objects(token: Token, objects: Sequence[Token]) -> list[Token]:
    """The nouns naming something said that a judging verb acts on: its object ("rejected the
    accusations"), or the noun its relative clause describes ("a charge New Delhi rejected")."""
    said = [t for t in objects if t.pos_ == "NOUN" and t.lemma_.lower() in SAID_NOUNS]
    if not any(c.dep_ == "dobj" for c in token.children):
        # "..., a charge Somali officials rejected": the parser may fold "a charge" into the subject
        for subject in subject_tokens(token)[0]:
            first = subject.left_edge
            said += [c for c in subject.children if c.dep_ in {"amod", "compound"} and c.i == first.i + 1
                     and first.lower_ in {"a", "an"} and c.lemma_.lower() in SAID_NOUNS]  # fmt: skip
    if (token.dep_ in {"relcl", "acl"} and token.head.lemma_.lower() in SAID_NOUNS
            and not any(c.dep_ in {"nsubjpass", "dobj"} for c in token.children)):  # fmt: skip
        said.append(token.head)
    return said


def destination(token: Token) -> set[int]:
    """Where people are deported or expelled to ("deported 173 Uyghurs to Turkey", "many of whom were
    deported to Honduras"): a destination, not the target, who are the people moved."""
    if token.lemma_.lower() not in REMOVING:
        return set()
    return {t.i for prep in token.children if prep.dep_ == "prep" and prep.lower_ in {"to", "into"}
            for t in prep.subtree}  # fmt: skip


def unaddressed_order(token: Token) -> bool:
    """ "It also ordered to follow the users of WeChat": an order naming nobody it is given to goes to
    one's own people, so it is aimed where their act is aimed (as with "ordered its agents to")."""
    return token.lemma_.lower() in COMMAND_FRAMES and not any(
        c.dep_ in {"dobj", "dative"} for c in token.children
    )


def charges(said: Sequence[Token]) -> bool:
    """Whether something said is a charge or claim (not an offer or request: see ``REQUEST_NOUNS``)."""
    return any(noun.lemma_.lower() not in REQUEST_NOUNS for noun in said)


def request_content(token: Token) -> set[int]:
    """The words stating what a request asks for ("calling for an end to violence and for the protection
    of civilians", "demanded that his party be eliminated"): whoever they name is not asked; who must act
    was read off the content already (``_asked``)."""
    out: set[int] = set()
    for child in token.children:
        heads = []
        if child.dep_ in {"ccomp", "xcomp"} or (child.dep_ == "dobj" and child.pos_ == "NOUN"):
            heads = [child]
        elif child.dep_ == "prep" and child.lower_ == "for":
            heads = [p for c in (child, *child.conjuncts) for p in c.children if p.dep_ in {"pobj", "pcomp"}]
        for head in heads:
            # (who must do it stays: the clause's subject, the deed's doer: "demanded that Iceland
            # reopen the port", "called for Russia's withdrawal")
            doers = noun_roles(head)[0] if head.pos_ in {"NOUN", "PROPN"} else subject_tokens(head)[0]
            kept = {t.i for d in doers for t in d.subtree}
            out |= {t.i for t in head.subtree} - kept
    return out


def _asked(inner: Candidate, actors: ActorIndex, lex: Lexicon) -> list[ActorRef]:
    """Who a request asks to act, read off the act it asks for: the subject of a verb ("demanded that Iran
    release"), the possessor or by-agent of a noun, and the one who withdraws in "the withdrawal of Somali
    troops" — never whom the act would be done to ("the release of political prisoners")."""
    if inner.token.pos_ not in {"NOUN", "PROPN"}:
        doers, _, named = _roles(Candidate(inner.token, inner.sense, inner.kind), actors, lex)
        return doers if named else []
    return _doers(actors, [inner.token], lex)


def _doers(actors: ActorIndex, objects: Sequence[Token], lex: Lexicon) -> list[ActorRef]:
    """Who did the deed a judging verb's object names: its possessor or modifier ("Russia's
    invasion"), who withdraws ("the withdrawal of U.S. troops"), or the subject of its clause ("the
    announcement that Ukraine had agreed")."""
    nouns = lex.nouns
    for obj in objects:
        if obj.pos_ != "NOUN":
            continue
        doers = []
        if obj.lemma_.lower() in nouns:
            doers = _refs(actors, noun_roles(obj)[0])
            if (not doers and nouns[obj.lemma_.lower()].event_type == "RETREAT"
                    and obj.lemma_.lower() not in PATIENT_NOUNS):  # fmt: skip
                # "the withdrawal of U.S. troops" was done by the troops; "the release of the hostages"
                # was not done by the hostages
                doers = _refs(actors, _of_objects(obj))
        if not doers:
            for clause in obj.children:
                if clause.dep_ in {"acl", "ccomp"} and clause.pos_ in {"VERB", "AUX"}:
                    doers = _refs(actors, subject_tokens(clause)[0])
                    break
        if doers:
            return doers
    return []


def _of_objects(noun: Token) -> list[Token]:
    """The objects of a noun's "of" phrases ("the withdrawal of U.S. troops")."""
    return [p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ == "of"
            for p in prep.children if p.dep_ == "pobj"]  # fmt: skip


def _hosting(cand: Candidate) -> bool:
    """ "Mitterrand welcomed de Klerk", "hosted", "received": a host and a visitor, so the
    visitor stays the recipient (manual: CONSULT's host/visit distinction)."""
    words = {cand.token.lemma_.lower(), cand.partner.lemma_.lower() if cand.partner is not None else ""}
    return bool(words & HOSTING)


def _others(refs: Sequence[ActorRef], sources: Sequence[ActorRef]) -> list[ActorRef]:
    """Targets that are not the source again ("Benin opened its borders to ...": "its" is Benin)."""
    ids = {s.actor_id for s in sources}
    return [r for r in refs if r.actor_id not in ids and r not in sources]


def _fallback(actors: ActorIndex, token: Token, sent: SpacySpan, taken: Sequence[ActorRef], speakers: set[int],
              after: bool) -> list[ActorRef]:  # fmt: skip
    """The nearest actor mention in the sentence before (or after) the trigger, speakers excluded; after
    it, only inside the trigger's own clause (the subtree of its verb): an actor of a later clause is
    that clause's. Measured by story-grouped CV (not nested): news target country 0.811 -> 0.816, written
    sentences both countries 0.688 -> 0.692, dev-gold type accuracy 0.842 -> 0.848."""
    order = range(token.i - 1, sent.start - 1, -1) if not after else range(token.i + 1, sent.end)
    doc = token.doc
    clause = governing_verb(token)
    own = range(clause.left_edge.i, clause.right_edge.i + 1)
    # (less its coordinated clauses, "condemned the attack, and Israel said ...", was measured and not
    # kept: news target country 0.816 -> 0.804; the parser hangs many objects on a conjunct)
    for i in order:
        if "\n" in doc[i].text:
            break  # a heading or paragraph break glued into the sentence: nothing across it
        if after and i not in own:
            continue  # "while condemning the violence, says ... Washington needs to act": another clause's
        if after and _in_object_clause(doc[i], token):
            continue  # "warning citizens working with Beijing": Beijing is who they work with
        if after and in_agent(doc[i], token):
            continue  # "sanctioned by the U.S. Treasury Department": the agent is no recipient
        if after and _in_side_clause(doc[i], clause):
            continue  # "fired missiles on Tuesday, a week before Donald Trump returns": when, not to whom
        ref = actors.by_token.get(i)
        if (ref is not None and i not in speakers and ref not in taken and not _in_means(doc[i])
                and not is_outlet(ref) and not any(same_actor(ref, t) for t in taken)):  # fmt: skip
            # (a pronoun standing for the source, "to press their demands", is no recipient)
            return [ref]
    return []


# Subordinators of a clause that says when or despite what, whose actors are its own, never the main act's
# recipient. ("after" and "since" are left out: "retaliated after Israel struck its embassy" names whom.)
SIDE_CLAUSE_MARKS = frozenset({"before", "until", "while", "whereas", "although", "though"})


def _in_side_clause(token: Token, verb: Token) -> bool:
    """Whether ``token`` sits in a time or concessive clause of ``verb`` with a subject of its own ("before
    Donald Trump returns"; not "rejected the accusations while responding to the Taliban chief"). The parser
    may make such a subject a compound of its verb ("Donald Trump returns" read as a noun phrase)."""
    path = path_to(token, verb) or []
    return any(n.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SIDE_CLAUSE_MARKS for c in n.children)
               and any(c.dep_ in {"nsubj", "nsubjpass", "compound"} and c.i < n.i for c in n.children)
               for n in path)  # fmt: skip


def _in_object_clause(token: Token, trigger: Token) -> bool:
    """Whether ``token`` sits in a clause modifying one of the trigger's objects."""
    path = path_to(token, trigger)
    if not path:
        return False
    return path[-1].dep_ in {"dobj", "dative"} and any(n.dep_ in {"acl", "relcl"} for n in path)


def _in_means(token: Token) -> bool:
    """ "with Qatar's help", "with the support of Qatar": a helper, not a party to the event."""
    node = token
    for _ in range(3):
        if node.dep_ not in {"poss", "compound", "amod", "pobj", "prep", "case"} or node.head == node:
            return False
        node = node.head
        if node.lemma_.lower() in MEANS_NOUNS and node.head.lower_ == "with":
            return True
    return False


COPULAS = frozenset({"be", "remain", "become"})


def _threat_as_description(
    token: Token, actors: ActorIndex, claim: Claim | None, outlet: str | None
) -> tuple[ActorRef, ...] | None:
    """Is a threat noun a description of an actor rather than a threat made? ``()`` when it is a threat
    made ("Trump's threat to impose tariffs"); the described actors when a political speaker describes
    them ("Russia is a threat, Stoltenberg said"); ``None`` when nobody acts ("the China threat", an
    opinion with no political speaker)."""
    made: tuple[ActorRef, ...] = ()
    if token.dep_ == "attr" and token.head.lemma_.lower() in COPULAS:  # "Russia is the biggest threat"
        described = [
            r for c in token.head.children if c.dep_ == "nsubj" for r in [actors.at(c)] if r is not None
        ]
        if not described:
            return made
    else:
        own = [c for c in token.children if c.dep_ in {"poss", "acl", "relcl", "prep"} and c.lower_ != "to"]
        modifiers = [
            r
            for c in token.children
            if c.dep_ in {"compound", "amod"}
            for r in [actors.at(c)]
            if r is not None
        ]
        if own or not modifiers or any(c.dep_ in {"xcomp", "ccomp"} for c in token.children):
            return made
        return None  # "the China threat": a topic, nobody threatens anyone here
    speakers = [r for r in (claim.speaker if claim else ()) if r.country not in ("", "UNK")]
    if not speakers or all(is_outlet(r, outlet) for r in speakers):
        return None
    return tuple(described)


def innermost_claim(claims: Sequence[Claim], start: int, end: int) -> Claim | None:
    best = None
    for claim in claims:
        c = claim.content
        if (
            c.start <= start
            and end <= c.end
            and (best is None or c.end - c.start < best.content.end - best.content.start)
        ):
            best = claim
    return best


def _trigger_span(cand: Candidate) -> Span:
    doc = cand.token.doc
    tokens = [cand.token]
    if cand.partner is not None and abs(cand.partner.i - cand.token.i) <= 6:
        tokens.append(cand.partner)
    if cand.token.pos_ in {"NOUN", "PROPN"}:
        # Keep the nominal trigger's compound/adjective modifiers that are part of the name ("hunger strike").
        tokens += [c for c in cand.token.children if c.dep_ == "compound" and c.i == cand.token.i - 1]
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    start, end = first.idx, last.idx + len(last.text)
    return Span(doc[first.i : last.i + 1].text, start, end)  # not doc.text: rebuilt on every access


# Types whose sources of two or more countries are the parties of one act together (a meeting, an agreement,
# a signing), with no one else to guess as its recipient.
TOGETHER_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE", "SUPPORT"})
EXCHANGING = frozenset({"exchange", "swap", "trade"})
# What two or more parties do to or with each other with no recipient: the parties named "between" a noun, and
# the manual's reciprocal events (`model._reciprocal`).
MUTUAL_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE", "ASSAULT"})


PLACE_KINDS = frozenset({"place", "metonym"})


def _talk_parties(verb: Token, actors: ActorIndex, outlet: str | None) -> list[ActorRef]:
    """The political actors a talk is held between (``candidates.talk_between_parties``): those its subject
    names, "of" phrase included ("the leaders of Putin and Xi"), and those it is held "with"; never an
    outlet (an interview) nor people of no political role (``noise.NO_VISITOR_SECTORS``)."""
    heads = [c for c in verb.children if c.dep_ == "nsubj"]
    heads += [p for h in list(heads) for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children if p.dep_ == "pobj"]  # fmt: skip
    heads += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children
              if p.dep_ == "pobj"]  # fmt: skip
    parties: list[ActorRef] = []
    for head in heads:
        for ref in actors.phrase(head):
            if ref not in parties and not is_outlet(ref, outlet) and ref.sector not in NO_VISITOR_SECTORS:
                parties.append(ref)
    return parties


def _fight_between_sides(token: Token, event_type: str, sources: Sequence[ActorRef]) -> bool:
    """Is this a clash or an exchange of fire ("clashes", "exchanged fire") whose sources are of two or more
    countries?"""
    lemma = token.lemma_.lower()
    fighting = lemma in BATTLE_NOUNS - {"exchange"} or (
        lemma == "exchange"
        and any(c.lemma_.lower() in {"fire", "gunfire", "shot", "blow"} for c in token.subtree)
    )
    return event_type == "ASSAULT" and fighting and len({s.country for s in sources} - {"UNK", ""}) >= 2


def _parties_together(event_type: str, sources: Sequence[ActorRef]) -> bool:
    """ "Vietnam and China signed 14 agreements during a visit by Xi to Hanoi": two countries acting together
    have no guessed recipient (the nearest name after it, Hanoi, is where)."""
    return (
        event_type in TOGETHER_TYPES
        and len({s.country for s in sources if s.country not in {"", "UNK"}}) >= 2
    )


# Verbs whose object "protest" is a note handed to a state, not a crowd's act ("expressed the protest to the
# Ukrainian side", "lodged a strong protest with the embassy"), whoever speaks for the state.
PROTEST_CONVEYED = frozenset(
    {"express", "lodge", "convey", "deliver", "hand", "register", "voice", "file", "send"}
)


def _protest_conveyed(token: Token) -> bool:
    return token.dep_ == "dobj" and token.head.lemma_.lower() in PROTEST_CONVEYED


STATE_KINDS = frozenset({"country", "metonym"})  # a country or its capital; not a city of it


def _a_state(ref: ActorRef, doc: Doc) -> bool:
    """A state or its government speaking as such: a country or its capital named as a noun ("China",
    "Manila"; not a nationality word, "Chilean workers"), its government or a ministry."""
    if ref.country in {"", "UNK", "IGO", "WST"}:
        return False
    if ref.sector == "GOV":
        return ref.kind != "person"  # a government, a ministry; not a person ("the anti-Trump protest")
    return names_a_state(doc, ref, STATE_KINDS)


MEASURE_TYPES = frozenset({"SANCTION"})


def _imposer_of_named_measure(
    noun: Token, event_type: str, actors: ActorIndex, named: Sequence[ActorRef]
) -> list[ActorRef]:
    """The subject of the verb that imposes a measure named by its target ("adopted new Russia sanctions",
    "imposed Iran sanctions"), when the country before the noun is not the subject's own; else none."""
    if event_type not in MEASURE_TYPES or noun.dep_ != "dobj" or not named:
        return []
    if any(c.dep_ != "compound" for c in noun.children if actors.at(c) in named):
        return []  # ("Russia's sanctions on ..." names the imposer by the possessive)
    subjects = _refs(actors, subject_tokens(noun.head)[0])
    countries = {s.country for s in subjects} - {"", "UNK"}
    if not countries or any(r.country in countries for r in named):
        return []
    return subjects


def _warned_of_an_act(cand: Candidate) -> bool:
    """Does a warning name an act in its own clauses, not only inside a relative clause describing a place or
    a thing ("warned that famine is spreading in Darfur, where RSF forces have besieged El Fasher")?"""
    for inner in cand.absorbed or ():
        path = path_to(inner.token, cand.token) or []
        if not any(node.dep_ in {"relcl", "nsubj", "nsubjpass"} for node in path):
            return True  # (not "Aid agencies warned": who warns is no act warned of)
    return False


def _own_people(ref: ActorRef, sources: Sequence[ActorRef], doc: Doc) -> bool:
    """ "China opposed the listings and would take measures to protect its companies", "Turkey condemned the
    operation and said its prosecutors had opened an investigation": a body the source calls its own ("its",
    "their" before it, of the source's country) is no recipient guessed for the source's judgement."""
    if not any(s.country == ref.country for s in sources) or ref.country in {"", "UNK"}:
        return False
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root
    return any(c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in head.children) or (
        head.i > 0 and doc[head.i - 1].lower_ in {"its", "their"}
    )


def _recipient_slot_filled(cand: Candidate) -> bool:
    """ "warns against spying and attempts to obtain Russian technologies": the preposition that
    marks the recipient is there and names an activity, so the next actor is not the recipient. A noun's
    "between" phrase names all its parties ("agreements between Syria's authorities and the SDF")."""
    if cand.sense.event_type in MUTUAL_TYPES and cand.token.pos_ == "NOUN" and between_parties(cand.token):
        return True
    if cand.kind != "pair" or cand.partner is None or cand.partner.dep_ != "prep":
        return False
    return any(p.dep_ == "pobj" and p.pos_ == "NOUN" for p in cand.partner.children)


def _build(cand: Candidate, sent: SpacySpan, lex: Lexicon, actors: ActorIndex, claims: Sequence[Claim],
           speakers: set[int], article_key: str,
           conjunct_sources: dict[int, tuple[ActorRef, ...]], outlet: str | None = None) -> Event | None:  # fmt: skip
    trigger = _trigger_span(cand)
    claim = innermost_claim(claims, trigger.start, trigger.end)
    modality = detect_modality(cand.token, claim_stance=claim.stance if claim else None)
    event_type, mode, modality = _classify(cand, modality, lex)
    if news_gathering(cand.token, event_type):
        return None  # "requesting comment", "declined to comment": news-gathering, not a demand or refusal
    sources, targets, syntactic = _roles(cand, actors, lex)
    if cand.token.lemma_.lower() == "summon" and any(
        c.dep_ in {"dobj", "nsubjpass"} and _a_diplomat(c) for c in cand.token.children
    ):
        # "summoned China's ambassador": the manual codes it ACCUSE disapprove (grievances presented), not a
        # meeting or a demand
        event_type, mode = "ACCUSE", "disapprove"
    if (
        event_type == "PROTEST"
        and cand.token.lemma_.lower() == "protest"
        and sources
        and (all(_a_state(r, sent.doc) for r in sources) or _protest_conveyed(cand.token))
    ):
        # "The Philippines protested ...", "a protest from Beijing": a state's protest is diplomatic, ACCUSE
        # disapprove (the manual: PROTEST "presumes significant physical/material activity"). Only the word
        # "protest": states that march, rally or demonstrate are the rules' misreadings of a venue or a topic
        # ("Rome's demonstration", "a demonstration against military intervention by France")
        event_type, mode = "ACCUSE", "disapprove"
    if (
        event_type == "PROTEST"
        and mode == "obstruct"
        and syntactic
        and sources
        and all(_a_state(r, sent.doc) or r.sector in {"MIL", "COP"} for r in sources)
    ):
        # "Israel has maintained a naval blockade of Gaza": a state's or a force's blockade is COERCE restrict
        # (the manual: "cordoning off areas"); PROTEST obstruct is civilians blocking a road
        event_type, mode = "COERCE", "restrict"
    if event_type == "THREATEN" and cand.kind == "noun":
        view = _threat_as_description(cand.token, actors, claim, outlet)
        if view is None:
            return None  # "We know about the China threat", "experts say China is a threat": a topic or an opinion
        if view:
            # "Russia is the biggest threat to NATO, Stoltenberg said": a view of Russia, not a threat it made.
            # Calling an actor a threat is disapproval (docs/annotation.md: "the European Union is the greatest
            # danger for us" is ACCUSE by the speaker).
            event_type, mode, syntactic = "ACCUSE", "disapprove", True
            sources, targets = list(claim.speaker if claim else ()), list(view)
    if event_type == "MOBILIZE" and mode == "weapons" and _fired_at(cand.token, actors):
        event_type, mode = "ASSAULT", "heavy-weapons"
    owners = reporting_owner(cand.token, actors) + (sources if syntactic else [])
    if owners and all(is_outlet(r, outlet) for r in owners):
        return None  # "VOA requests ...", "VOA's email requesting ...": the outlet reports, it does not act
    sources = [s for s in sources if not is_outlet(s, outlet)]
    if not targets and not syntactic and inanimate_subject(cand.token, actors):
        return None  # "This prevents the verification", "The document provides a view"
    if cand.kind in {"verb", "pair"} and natural_subject(cand.token):
        return None  # "bushfires continue to burn": a disaster, not an event between actors
    if event_type == "ASSAULT" and dismissal(cand.token):
        return None  # "the council fired Prime Minister Garry Conille": a dismissal
    if event_type == "CONSULT" and meets_no_one(cand.token, actors):
        return None  # "UNHCR Kenya received $94 million", "met with opposition": no one is met
    if event_type == "CONSULT" and mode == "visit" and visits_no_one(cand.token, actors):
        return None  # "the first Chinese immigrants arrived in Houston", "Chinese tourists visited Vietnam"
    if event_type == "AGREE" and agrees_with_a_view(cand.token, actors):
        return None  # "she agreed with officials' concerns": the same opinion, no agreement
    if event_type == "ACCUSE" and standing_charge(cand.token):
        return None  # "Lai stands accused of collusion": a charge that stands, told to say who he is
    if event_type == "REJECT" and quantity_change(cand.token):
        return None  # "the number of refugees declined to 230,000": a quantity, not a refusal
    if event_type == "REQUEST" and asks_a_question(cand.token):
        return None  # "reporters asked whether troops had fired": a question, not a request
    if event_type == "REQUEST" and health_advice(cand.token):
        return None  # "urged people to seek medical attention": advice to the public, not a demand
    if event_type == "COERCE" and mode == "martial-law" and facility_emergency(cand.token):
        return None  # "an emergency was declared at the government hospital": an alert, no state measure
    if event_type == "COERCE" and mode == "arrest" and held_state(cand.token):
        return None  # "the coup plotters are detained there", "prisoners in detention": a state
    if cand.kind == "noun" and spoken_of(cand.token):
        return None  # "it did not mention the visa request": a topic, not an act
    if embedded_question(cand.token):
        return None  # "explained why they were not deported": what is asked, not what happened
    if (
        cand.kind == "frame"
        and cand.frame_word == "prepare"
        and cand.token.tag_ != "VBN"
        and complement(cand) is None
    ):
        return None  # "the Senate prepares to vote on measures": a plan with no event in it yet
    if modality.value == "hypothetical" and speculation(cand.token, modality.cue):
        return None  # "they believe the US can weaken Russian ties to China": what someone thinks possible
    if hedge(cand.token):
        return None  # "I suspect the administration sees little opportunity": an opinion, no accusation
    if private_trade(cand.token, event_type, actors):
        return None  # "an Iranian ship ... to import fuel from China": commerce, not state cooperation
    if cand.kind == "frame" and cand.frame_word == "warn" and not _warned_of_an_act(cand):
        return None  # "warns that countries could become targets": a statement, no action threatened
    if cand.kind == "verb" and prevents_nothing(cand.token, actors, lex.nouns):
        return None  # "the US can prevent a scenario when ...": no one and no action is restricted
    confidence = BASE_CONFIDENCE[cand.kind]
    shared = conjunct_sources.get(cand.token.head.i) if cand.token.dep_ == "conj" else None
    if not sources and shared:
        sources = list(shared)  # "a unit that perceives China as a threat and warns against spying"
        confidence -= 0.1  # borrowed, as from the nearest actor
    had_targets = bool(targets)
    if actors:
        if not sources and not doer_unnamed(cand.token, lex.stative_passive):
            # (an agentless passive names no doer, and the guide leaves its source empty: "a man was shot
            # dead in Kabul"; the nearest name before it is who underwent it or a bystander)
            blocked = speakers | patient(cand.token) | responder(cand.token)
            if is_meeting(event_type, mode):
                blocked |= meeting_venues(cand.token, actors)  # "the Istanbul talks": held there
            sources = _fallback(actors, cand.token, sent, targets, blocked, after=False)
            if not sources and targets and cand.kind == "noun" and victim_tokens(cand.token):
                # "a prisoner died of torture in Israeli police custody": the victim comes first
                sources = _fallback(actors, cand.token, sent, targets, speakers, after=True)
            confidence -= 0.1 if sources else 0.15
        elif syntactic:
            confidence += 0.1
        if not targets and not _recipient_slot_filled(cand) and not _parties_together(event_type, sources):
            never = speakers | _no_recipients(cand, event_type, actors, sources)
            targets = _fallback(actors, cand.token, sent, sources, never, after=True)
            if event_type in JUDGING:  # (a guess for a material act may be its own people: "walked out of
                # their hospitals in protest at a government plan")
                targets = [t for t in targets if not _own_people(t, sources, sent.doc)]
            if is_meeting(event_type, mode) and targets and venue(sent, targets[0]):
                targets = []  # "met in Oman": the venue is no participant
            had_targets = False
            if targets:
                confidence -= 0.05
    if not had_targets:
        targets = [t for t in targets if not is_outlet(t, outlet)]  # guessed recipients: never the reporter
    if (cand.token.lemma_.lower() in EXCHANGING and len({s.country for s in sources} - {"UNK", ""}) >= 2
            and not any(t.country not in {"UNK", ""} for t in targets)):  # fmt: skip
        # "Russia and Ukraine exchanged 150 prisoners each": an exchange is done by both to each other; the
        # people exchanged, of no one country, are no recipient
        targets, had_targets = [], False
    if actors.known and not sources and not targets:
        return None  # "support", "met": nobody did anything to anybody
    if actors.known and cand.kind in {"noun", "noun_pair"} and not syntactic and not had_targets:
        return None  # a nominal trigger with no argument of its own ("threats of violence"): a topic
    own_forces = _own_forces(event_type, sources, targets)
    if own_forces:  # "sent 3,000 troops to its border", "withdrew its troops": what moved, not whom at
        targets = [t for t in targets if t not in own_forces]
        had_targets = bool(targets)
    kept = drop_self(sources, targets)
    if (
        (had_targets or (self_object(cand.token, actors, sources) and not own_forces))
        and not kept
        and event_type not in {"CONSULT", "AGREE"}
        and not _territorial_measure(cand, mode)
    ):
        return None  # only the source itself as recipient: an internal matter ("ordered its agents")
    targets = plausible_recipients(event_type, cand.token, sources, kept)
    if cand.kind == "verb" and event_type == "CONSULT" and cand.token.lemma_.lower() in TALK_VERBS:
        sources, targets = _talk_parties(cand.token, actors, outlet), []
        if len({s.actor_id for s in sources}) < 2:
            # "the minister spoke with VOA", "farmers talked about prices": no talks between parties
            return None
    sources, targets = roles_with_set_members(sources, targets)
    if _fight_between_sides(cand.token, event_type, sources):
        # "Pakistani and Afghan forces exchanged fire near Chaman", "Pakistan-Afghanistan border clashes:
        # Torkham shut": each side is an actor (the manual's reciprocal rule); where, or a side again, is none
        # (a third side stays: "U.S. and Iraqi forces clashed with Islamic State fighters")
        sides = {s.country for s in sources} | {"UNK", ""}
        targets = [t for t in targets if t.kind not in PLACE_KINDS and t.country not in sides]
    sources, targets = reciprocal(cand.token, event_type, sources, targets)
    if is_topic(cand.token, sources, targets):
        return None  # "Every partnership has a boundary": a topic, not an event
    if cand.kind != "noun" and sources:
        conjunct_sources[cand.token.i] = tuple(sources)
    if is_meeting(event_type, mode) and not _hosting(cand):
        # PLOVER: without a clear host and visitor, every participant is an actor (no recipient).
        sources, targets = sources + _others(targets, sources), []
    if mode is None:
        inner = complement(cand)
        if inner is not None and inner.sense.event_type == event_type:
            mode = inner.sense.mode
    confidence = round(max(0.0, min(1.0, confidence)), 3)
    sentence = Span(sent.text, sent.start_char, sent.end_char)
    source, target = tuple(sources), tuple(targets)
    article_id = article_key
    return Event(
        id=event_id(article_id, trigger, event_type, source, target),
        article_id=article_id, event_type=event_type, mode=mode or None,
        context=contexts_for(sent), quad=QUAD_OF_TYPE[event_type], intensity=intensity(event_type, mode),
        modality=modality.value, source=source, target=target, trigger=trigger, sentence=sentence,
        claim_id=claim.id if claim else None, confidence=confidence, modality_cue=modality.cue_span(),
    )  # fmt: skip
