"""Finding event triggers in a sentence and nesting them (steps 1 and 2 of ``detente.events.stage``).

Each token is looked up by lemma in the compiled lexicon: verbs, verb + particle/object pairs, nouns and
frames ("threatened to", "agreed to"); a trigger inside a frame's complement, or the object of another
trigger of the same clause, folds into it. Classification and roles stay in ``detente.events.stage``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from detente.events.lexicon import Lexicon, Sense
from detente.events.modality import ALLEGING, DENIAL_VERBS, governor, main_clause_hung_on_a_later_verb
from detente.events.noise import (
    FEELING_VERBS,
    a_price,
    ceremonial_march,
    fights_for_a_cause,
    labour_strike,
    struck_target,
)
from detente.records import QUAD_OF_TYPE

PAIR_DEPS = frozenset({"prt", "dobj", "attr", "oprd", "acomp", "prep", "dative", "nsubjpass"})


# Prepositions that put an event in the background of another: never fold across them.
BACKGROUND_PREPS = frozenset({"since", "after", "before", "during", "despite", "following", "amid", "until",
                              "as", "like", "unlike", "because", "due"})  # fmt: skip


OBLIGATION = frozenset({"must", "should"})


# "demonstrate strength", "show resolve": with an object these verbs display something, no protest.
DISPLAY_VERBS = frozenset({"demonstrate", "march", "rally"})


# "seeks to counter China": with a clause these verbs mean "try"; only "seek help" asks for something.
TRY_VERBS = frozenset({"seek", "push", "press"})


# "approved an operation aimed at revealing Chinese spying": approving one's own operation is no
# SUPPORT of anyone; the operation's aim is the event.
APPROVAL = frozenset({"approve", "authorize", "authorise", "adopt", "endorse"})


SPEECH = frozenset(
    {"say", "declare", "announce", "tell", "reiterate", "state", "insist", "add", "stress", "warn"}
)


# "spoke by phone with Xi", "talked by video link with his French counterpart": a consultation held at a
# distance (the manual's CONSULT mode "phone": "via phone or some other remote medium").
TALK_VERBS = frozenset({"speak", "talk", "confer", "converse", "chat"})
REMOTE_MEDIA = frozenset(
    {"phone", "telephone", "video", "videoconference", "teleconference", "videolink", "link"}
)


@dataclass(slots=True)
class Candidate:
    """A trigger found in a sentence, before nesting and classification."""

    token: Token
    sense: Sense
    kind: str  # frame, pair, verb, noun_pair, noun, obligation
    partner: Token | None = None  # the second word of a pair ("up" in "blew up")
    frame_word: str | None = None  # the lemma of a frame, for by_complement
    absorbed: list[Candidate] | None = None


AMOUNT_NOUNS = frozenset({"tonne", "ton", "worth", "package", "batch", "shipment", "consignment"})


def an_amount(token: Token) -> bool:
    """A sum or quantity ("$6 million", "2,300 tonnes", "a package") that a nominal event is counted in."""
    return token.like_num or token.ent_type_ in {"MONEY", "QUANTITY"} or token.lemma_.lower() in AMOUNT_NOUNS


def object_heads(noun: Token) -> list[Token]:
    """The words an object phrase is about: the head, its compounds and, through a measure or
    part ("700 kg of medicine", "part of a military aid program", "$95 million in military aid"), its
    of-complement's."""
    out = [noun, *(c for c in noun.children if c.dep_ == "compound")]
    for prep in noun.children:
        if prep.dep_ == "prep" and (prep.lower_ == "of" or (prep.lower_ == "in" and an_amount(noun))):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    out += [pobj, *(c for c in pobj.children if c.dep_ in {"compound", "amod"})]
    return out


def _pair(
    token: Token, pairs: Mapping[tuple[str, str], Sense] | Mapping[tuple[str, str], str], lemma: str
) -> tuple[object, Token] | None:
    for child in token.children:
        small_clause = child.dep_ == "ccomp" and child.pos_ == "NOUN"  # "considers Russia the biggest threat"
        if child.dep_ in PAIR_DEPS or child.dep_ in {"compound", "amod", "xcomp", "advmod"} or small_clause:
            for word in object_heads(child) if child.dep_ in {"dobj", "nsubjpass"} else (child,):
                hit = pairs.get((lemma, word.lemma_.lower()))
                if hit is not None:
                    return hit, word
            if child.dep_ == "dobj":  # "described the plan as a disaster": "as" hung on the object
                for word in _as_complements(child):
                    hit = pairs.get((lemma, word.lemma_.lower()))
                    if hit is not None:
                        return hit, word
            if child.dep_ in {"prep", "agent"}:
                for pobj in child.children:
                    if pobj.dep_ in {
                        "pobj",
                        "amod",
                        "acomp",
                    }:  # "perceive X as a threat", "describe X as unshakable"
                        hit = pairs.get((lemma, pobj.lemma_.lower()))
                        if hit is not None:
                            return hit, pobj
    return None


# A drill, exercise or patrol held together with another party is cooperation, held alone a show of force
# (PLOVER manual, MOBILIZE "Potential ambiguities": joint operations COOPERATE, single-country exercises
# MOBILIZE).
JOINT = frozenset({"joint", "combined", "multinational", "bilateral", "trilateral", "multilateral"})


def joint_posture(sense: Sense, word: Token) -> Sense:
    """MOBILIZE read on ``word`` (the exercise, drill or patrol), made COOPERATE when a modifier says it is
    held jointly ("multinational exercises", "held joint drills")."""
    if sense.event_type != "MOBILIZE":
        return sense
    if any(c.dep_ in {"amod", "compound"} and c.lemma_.lower() in JOINT for c in word.children):
        return Sense("COOPERATE")
    return sense


def _as_complements(noun: Token) -> list[Token]:
    """What an object is called: the words of an "as" phrase on it ("the plan as a strategic disaster",
    "as 'baseless'") or the second object the parser hangs on it as an apposition ("designated BLA a
    terrorist group")."""
    words: list[Token] = []
    for child in noun.children:
        if child.dep_ == "appos":
            words.append(child)
        elif child.dep_ == "prep" and child.lower_ == "as":
            words += [w for w in child.children if w.dep_ in {"pobj", "amod", "acomp"}]
    return words


def _has_complement(token: Token, clausal: bool = False) -> bool:
    """Whether a frame word has what it frames; ambiguous frames ("prepare", "warn") need a clause."""
    deps = {"xcomp", "ccomp"} if clausal else {"xcomp", "ccomp", "dobj", "prep", "pcomp", "dative"}
    return any(c.dep_ in deps for c in token.children)


def denied_or_alleged(verb: Token) -> bool:
    """Whether ``verb`` is what a denial or an accusation names: "denied arming the RSF", "denies that it
    targeted civilians", "accused France of arming Armenia"."""
    head = governor(verb)
    return head is not None and head.lemma_.lower() in DENIAL_VERBS | ALLEGING


def find_candidates(sent: SpacySpan, lex: Lexicon) -> list[Candidate]:
    """Every token of the sentence that the lexicon reads as an event trigger."""
    found: list[Candidate] = []
    for token in sent:
        lemma = token.lemma_.lower()
        pos = token.pos_
        if pos in {"VERB", "AUX", "ADJ"}:
            if lemma in DISPLAY_VERBS and any(c.dep_ == "dobj" for c in token.children):
                continue
            if lemma in {"march", "parade"} and ceremonial_march(token):
                continue  # a parade or a ceremony: no protest
            if lemma == "charge" and a_price(token):
                continue  # "hospitals charge less": a price, not an accusation
            if (
                lemma in TRY_VERBS
                and any(c.dep_ == "xcomp" for c in token.children)
                and not any(c.dep_ == "dobj" for c in token.children)
            ):
                continue
            frame_type: str | None = None
            if lemma in lex.pair_heads:
                hit = _pair(token, lex.frame_pairs, lemma)
                if hit is not None:
                    frame_type = str(hit[0])
                elif pos != "ADJ" and token.dep_ != "amod":
                    hit = _pair(
                        token, lex.verb_pairs, lemma
                    )  # "warn against": a fixed phrase beats the frame
                    if hit is not None:
                        sense, partner = hit
                        sense = joint_posture(sense, partner)  # type: ignore[arg-type]
                        found.append(Candidate(token, sense, "pair", partner=partner))  # type: ignore[arg-type]
                        continue
            frame_word = lemma if lemma in lex.frames else token.lower_
            if (
                frame_type is None
                and frame_word in lex.frames
                and _has_complement(token, clausal=frame_word in lex.by_complement)
            ):
                frame_type = lex.frames[frame_word]
            if frame_type is not None and (pos != "ADJ" or token.dep_ in {"acomp", "amod", "attr", "ROOT"}):
                found.append(Candidate(token, Sense(frame_type), "frame", frame_word=lemma))
                continue
            if pos == "ADJ" or token.dep_ == "amod":
                continue  # "the detained fishermen", "the banned party": a state, not this sentence's event
            if lemma in lex.terminative:
                ended = _ended(token, lemma, lex)
                if ended is not None:
                    found.append(Candidate(token, ended[0], "pair", partner=ended[1]))
                    continue
            sense = lex.verbs.get(lemma)
            if lemma == "fight" and fights_for_a_cause(token):
                continue  # "Ukrainians who are fighting for their freedom": a cause, no one attacked
            if lemma == "strike" and struck_target(token):
                # "its forces struck a refinery": a labour strike has no object
                sense = Sense("ASSAULT", "aerial")
            elif lemma == "strike" and any(c.dep_ == "dobj" for c in token.children):
                continue  # "struck a deal", "struck a balance": neither a walkout nor an attack
            if sense is None and lemma in lex.alleged_acts and denied_or_alleged(token):
                sense = lex.alleged_acts[lemma]
            if sense is not None:
                if lemma == "protest" and any(c.dep_ in {"ccomp", "parataxis"} for c in token.children):
                    sense = Sense("ACCUSE", "disapprove")  # "..., a rights group protested": a statement
                found.append(Candidate(token, sense, "verb"))
                continue
            if lemma in TALK_VERBS:
                medium = remote_talk(token)
                if medium is not None:
                    found.append(Candidate(token, Sense("CONSULT", "phone"), "pair", partner=medium))
                    continue
                if talk_between_parties(token):
                    found.append(Candidate(token, Sense("CONSULT"), "verb"))
                    continue
            if lemma in SPEECH:
                must = obligation(token)
                if must is not None:
                    found.append(Candidate(token, Sense("REQUEST"), "obligation", partner=must))
        elif pos in {"NOUN", "PROPN"}:
            if lemma in {"exchange", "return"} and token.head.lower_ == "in":
                continue  # "released three hostages in exchange for 183 prisoners": "in return for", no swap
            if lemma in lex.pair_heads:
                hit = _pair(token, lex.noun_pairs, lemma)
                if hit is not None:
                    sense, partner = hit
                    found.append(Candidate(token, sense, "noun_pair", partner=partner))  # type: ignore[arg-type]
                    continue
            sense = lex.nouns.get(lemma)
            if lemma == "talk" and token.tag_ == "NN":
                # "The leaders of Putin and Xi talk about ...": the parser read the verb as a noun
                if talk_between_parties(token):
                    found.append(Candidate(token, Sense("CONSULT"), "verb"))
                continue  # "there was talk about ...": discussion; negotiations are "talks"
            if lemma == "relief" and (token.dep_ == "attr" or token.head.lemma_.lower() in FEELING_VERBS):
                continue  # "expressing relief", "is a big relief": a feeling, not aid
            if (
                lemma == "strike"
                and sense is not None
                and sense.event_type == "PROTEST"
                and not labour_strike(token)
            ):
                sense = Sense("ASSAULT", "aerial")  # "a strike on its consulate": an attack, not a walkout
            if sense is not None and pos == "NOUN":
                found.append(Candidate(token, joint_posture(sense, token), "noun"))
    return found


def _ended(verb: Token, lemma: str, lex: Lexicon) -> tuple[Sense, Token] | None:
    """ "ended mediation efforts", "suspended military aid", "talks were suspended": a cooperative
    event as the object of a terminative verb reduces relations (SANCTION); cancelling a meeting
    rejects it (REJECT, manual)."""
    for child in verb.children:
        if child.dep_ not in {"dobj", "nsubjpass"}:
            continue
        for word in object_heads(child):
            sense = lex.nouns.get(word.lemma_.lower())
            if sense is None or not QUAD_OF_TYPE[sense.event_type].endswith("cooperation"):
                continue
            if sense.event_type == "CONSULT":
                return Sense(
                    "REJECT" if lemma == "cancel" else "SANCTION", "meet" if lemma == "cancel" else "withdraw"
                ), word
            return Sense("SANCTION", "discontinue"), word
    return None


def remote_talk(verb: Token) -> Token | None:
    """The medium of a talk held by phone or video with a party: "spoke by phone with ...", "Duterte and
    Suga spoke by phone". Without a party it is how a quotation was obtained ("said by telephone", "spoke to
    Reuters by phone" names no party "with" whom), no consultation."""
    medium = None
    parties = any(c.dep_ == "conj" for s in verb.children if s.dep_ == "nsubj" for c in s.children)
    for child in verb.children:
        if child.dep_ != "prep":
            continue
        if child.lower_ == "with":
            parties = True
        if child.lower_ in {"by", "via", "over"}:
            for pobj in (w for w in child.children if w.dep_ == "pobj"):
                # "by phone Sunday": the parser may make the medium a compound of the day
                for word in (pobj, *(c for c in pobj.children if c.dep_ == "compound")):
                    if word.lemma_.lower() not in REMOTE_MEDIA:
                        continue
                    medium = word
                    # "by video link last week with his counterpart": the party may hang on the medium
                    parties = parties or any(c.dep_ == "prep" and c.lower_ == "with" for c in word.children)
                    break
    return medium if parties else None


def talk_between_parties(verb: Token) -> bool:
    """A talk held between parties the sentence names together: "Putin and Xi talked about trade", "the
    leaders of Russia and China talk about the partnership" (the subject coordinated, or its "of"), "Putin
    spoke with Trump on Wednesday". Not how a quotation was obtained ("a diplomat who spoke to Reuters",
    "speaking to reporters", "he told VOA"): a talk "to" someone, or in a relative or adverbial clause, is
    none; and the events stage keeps it only when both sides are political actors (rules)."""
    if verb.dep_ in {"relcl", "advcl", "acl", "amod", "xcomp", "pcomp"} or verb.tag_ == "VBG":
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return False
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
        return True
    for subject in subjects:
        heads = [subject] + [p for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                             for p in c.children if p.dep_ == "pobj"]  # fmt: skip
        if any(c.dep_ == "conj" for h in heads for c in h.children):
            return True
    return False


def obligation(verb: Token) -> Token | None:
    """The verb of "X said [Y must do Z]": a demand by the speaker on Y."""
    for clause in verb.children:
        if clause.dep_ == "ccomp" and any(
            a.dep_ == "aux" and a.lower_ in OBLIGATION for a in clause.children
        ):
            return clause
    return None


def path_to(child: Token, ancestor: Token) -> list[Token] | None:
    """Tokens from child up to (excluding) ancestor, or None when ancestor does not govern child."""
    path = []
    node = child
    while node != ancestor:
        if node.head == node:
            return None
        path.append(node)
        node = node.head
    return path


# Nominal triggers whose infinitive is what they threaten, ask, offer or refuse, not an act done.
CONTENT_NOUN_TYPES = frozenset({"THREATEN", "REQUEST", "AGREE", "REJECT"})


def _to_clause(node: Token) -> bool:
    return node.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)


# "at the request of Benin", "on the invitation of Xi", "upon Kyiv's request": a request granted, made by
# someone else before the act it is hung on
# ("talks on downstream countries' demands" is what the talks are about: "on" only with these nouns.)
GRANTED_ON = frozenset({"request", "invitation", "behest"})


def granted_request(noun: Token, event_type: str) -> bool:
    """Is the noun a request named as why an act was done ("deployed jets at the request of Benin")?"""
    if event_type != "REQUEST" or noun.dep_ != "pobj":
        return False
    prep = noun.head.lower_
    return prep == "at" or (prep in {"on", "upon"} and noun.lemma_.lower() in GRANTED_ON)


def _folds_into(inner: Candidate, outer: Candidate) -> bool:
    """Whether ``inner`` is the content of ``outer`` rather than a separate event."""
    path = path_to(inner.token, outer.token)
    if not path or granted_request(inner.token, inner.sense.event_type):
        return False
    for node in path:
        if node.dep_ in {"conj", "parataxis", "appos", "cc", "npadvmod"}:
            return False
        if node.dep_ == "prep" and node.lower_ in BACKGROUND_PREPS:
            return False
        if node.dep_ == "advcl" and outer.kind not in {"frame", "obligation"}:
            return False
        if node.dep_ == "relcl" and outer.kind not in {"frame", "obligation"}:
            return False
    if outer.kind in {"frame", "obligation"}:
        return not main_clause_hung_on_a_later_verb(path[-1], outer.token)
    if outer.token.pos_ == "NOUN" and outer.sense.event_type in CONTENT_NOUN_TYPES and _to_clause(path[-1]):
        # "Trump's threat to impose tariffs", "calls to lift the ban": the act threatened or asked
        return True
    # Same clause: fold when the inner trigger is the object of the outer ("prevented the demonstration")
    # or restates it ("killed in a bomb attack").
    if inner.token.pos_ in {"NOUN", "PROPN"} and len(path) <= 3:
        return True
    return inner.sense.event_type == outer.sense.event_type and len(path) <= 3


def nest(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Fold each candidate into its nearest governing candidate when it is that one's content."""
    partners = {c.partner.i for c in candidates if c.partner is not None and c.kind != "obligation"}
    candidates = [c for c in candidates if c.token.i not in partners]  # "threat" in "perceive X as a threat"
    tops: list[Candidate] = []
    by_token = {c.token.i: c for c in candidates}
    by_depth = sorted(candidates, key=lambda c: len(list(c.token.ancestors)))
    for cand in by_depth:
        owner = None
        for anc in cand.token.ancestors:
            match = by_token.get(anc.i)
            if match is not None:
                if _folds_into(cand, match):
                    owner = match
                break
        if owner is not None:
            (owner.absorbed if owner.absorbed is not None else _init(owner)).append(cand)
        else:
            tops.append(cand)
    for cand in list(tops):
        aim = _approved_aim(cand, tops)
        if aim is not None:
            # The approval is the aim's event, done by the approver: one event, typed by the aim.
            tops.remove(aim)
            cand.kind, cand.frame_word, cand.absorbed = "frame", cand.token.lemma_.lower(), [aim]
            continue
        aim = _approved_object(cand)
        if aim is not None:
            cand.kind, cand.frame_word = "frame", cand.token.lemma_.lower()
            cand.absorbed = [aim, *(c for c in cand.absorbed or () if c is not aim)]
    return _fold_protest_aims(sorted(tops, key=lambda c: c.token.i))


def _approved_aim(cand: Candidate, tops: Sequence[Candidate]) -> Candidate | None:
    """ "approved a new operation aimed at revealing Chinese spying": the approved object holds an
    event of its own (through a clause on the object), which is what happened."""
    if cand.token.lemma_.lower() not in APPROVAL or cand.kind not in {"verb", "pair"}:
        return None
    for other in tops:
        path = path_to(other.token, cand.token) if other is not cand else None
        if path and path[-1].dep_ == "dobj" and any(n.dep_ in {"acl", "relcl"} for n in path):
            return other
    return None


def _approved_object(cand: Candidate) -> Candidate | None:
    """ "adopted new sanctions", "approved the bloc's 20th package of sanctions against Russia": an event
    noun that is the approval's object (or its "of" phrase's) is the act approved, the approver its source.
    (Folded in as the verb's object, it had left the approval a SUPPORT of the sanctions' target.)"""
    if cand.token.lemma_.lower() not in APPROVAL or cand.kind not in {"verb", "pair"} or not cand.absorbed:
        return None
    for inner in cand.absorbed:
        path = path_to(inner.token, cand.token)
        if (
            inner.kind == "noun"
            and path
            and path[-1].dep_ == "dobj"
            and all(n.dep_ in {"dobj", "pobj"} or (n.dep_ == "prep" and n.lower_ == "of") for n in path)
        ):
            return inner
    return None


def _fold_protest_aims(tops: list[Candidate]) -> list[Candidate]:
    """ "staged demonstrations to demand reforms", "demonstrated calling for independence": the
    demand is what the protest is for, one PROTEST event (as the manual codes such protests)."""
    protests = [c for c in tops if c.sense.event_type == "PROTEST"]
    if not protests:
        return tops
    out = []
    for cand in tops:
        if cand.sense.event_type == "REQUEST" and cand.token.dep_ in {"advcl", "xcomp", "acl"}:
            governor = cand.token.head
            owner = next((p for p in protests if governor in (p.token, p.token.head)), None)
            if owner is not None:
                (owner.absorbed if owner.absorbed is not None else _init(owner)).append(cand)
                continue
        out.append(cand)
    return out


def _init(cand: Candidate) -> list[Candidate]:
    cand.absorbed = []
    return cand.absorbed


def complement(cand: Candidate) -> Candidate | None:
    """The folded-in trigger that best states what a frame is about (nearest to it)."""
    if not cand.absorbed:
        return None
    return min(cand.absorbed, key=lambda c: len(path_to(c.token, cand.token) or ()))
