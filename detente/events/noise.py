"""What an analyst would not want as an event: topics, things doing things, actors acting on themselves.

The events stage finds triggers by lexicon; these checks decide, from the parse and the roles found,
which candidates are not events in PLOVER's sense:

- **topics**: a nominal trigger with no actor on either side ("Every partnership has a boundary",
  "Concerns about cooperation") names a subject of discussion, not something someone did;
- **inanimate subjects**: "This prevents the verification", "The document provides a view": the
  subject slot is filled by something that is not an actor, and no actor receives the action;
- **self-directed**: a recipient that is the source again ("the US can prevent a scenario ...
  against the United States", "the FSB ordered its agents") is dropped; an event left with no
  recipient when it only had the source as one is an internal matter, not an event between actors;
- **reciprocal nouns**: "the alliance of Russia and China": with no possessor the members of a
  cooperative relation are its actors, not its recipients (manual, "Compound and Reciprocal Actors");
- **news-gathering**: a news outlet asking for comment, reviewing data or opening an inquiry
  ("VOA requests for comment", "VOA's email requesting comment") reports, it is no party to events;
  an outlet stays a possible recipient ("China expelled VOA reporters");
- **no actor**: an event with neither source nor recipient ("support", "met") tells nobody anything;
- **duplicates**: a nominal restatement of a verb event of the same sentence ("blamed India, ...,
  a charge New Delhi rejected") is the same event;
- **word senses and states** (from reading the cross-validated errors, docs/events.md "Fourteenth pass",
  "Fifteenth pass" and "Sixteenth pass"): meeting or hosting a thing, a quantity declining, visits by no
  political actor, agreeing with a view, a standing charge, what someone says or believes can happen, health
  advice to the public, an emergency at a facility, being held, embedded questions and questions asked.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from spacy.tokens import Doc, Token

from detente.events.modality import SPOKEN_OF_VERBS, WITHHELD_VERBS
from detente.events.roles import PRONOUNS, ActorIndex, clause_verb, subject_tokens
from detente.records import ActorRef

PREVENT_VERBS = frozenset({"prevent", "stop", "block", "hinder", "obstruct", "thwart", "foil", "impede"})
RECIPROCAL_TYPES = frozenset({"COOPERATE", "CONSULT", "AGREE"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "which", "what", "it"})
# Things that are said to act in news prose but are no actors: documents and abstractions.
# Natural forces "burn", "destroy" and "kill" too; they are disasters, not events between actors.
NATURAL = frozenset({"fire", "bushfire", "wildfire", "blaze", "flood", "storm", "earthquake", "virus",
                     "disease", "drought", "heat", "smoke", "weather", "hurricane", "typhoon", "cyclone",
                     "tornado", "landslide", "tsunami", "pandemic", "epidemic", "outbreak"})  # fmt: skip
INANIMATE = NATURAL | frozenset({"document", "report", "paper", "study", "article", "letter", "text", "material", "file",
                       "analysis", "fact", "situation", "data", "evidence", "information", "view", "book",
                       "record", "memo", "leak", "footage", "video", "picture", "photo", "image", "map"})  # fmt: skip


def is_topic(token: Token, sources: Sequence[ActorRef], targets: Sequence[ActorRef]) -> bool:
    """A nominal trigger with no actor at all: a topic, not an event."""
    return token.pos_ in {"NOUN", "PROPN"} and not sources and not targets


def natural_subject(token: Token) -> bool:
    """ "bushfires continue to burn", "the storm destroyed", "destroyed by floods": a natural force as the
    (controlling) subject or the passive's doer."""
    verb = clause_verb(token)
    doers = [p for a in verb.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
    if doers:  # "houses were destroyed by floods": the doer of a passive
        return all(d.lemma_.lower() in NATURAL for d in doers)
    for _ in range(2):  # "continue to burn": the subject sits on the governing verb
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
        if subjects:
            return all(s.lemma_.lower() in NATURAL for s in subjects)
        if verb.dep_ != "xcomp":
            return False
        verb = verb.head
    return False


# People one is dismissed as, not shot at: "fired Prime Minister Garry Conille", "sacked the army chief".
POSTS = frozenset({"minister", "premier", "chief", "commander", "director", "head", "coach", "official", "officials",
                   "employee", "employees", "worker", "workers", "staff", "general", "ambassador", "envoy",
                   "spokesman", "spokeswoman", "governor", "manager", "secretary", "president", "judge",
                   "prosecutor", "adviser", "advisor", "editor"})  # fmt: skip


def dismissal(token: Token) -> bool:
    """ "The council fired Prime Minister Garry Conille": "fire" with a person or a post as its direct object
    dismisses someone; one fires weapons, shots and missiles, or fires on or at a target."""
    if token.lemma_.lower() != "fire" or token.pos_ != "VERB":
        return False
    for obj in token.children:
        if obj.dep_ != "dobj":
            continue
        words = {t.lemma_.lower() for t in obj.subtree}
        return obj.ent_type_ == "PERSON" or bool(words & POSTS)
    return False


HOSTING_VERBS = frozenset({"receive", "welcome", "host", "meet"})
PEOPLE_ENTITIES = frozenset({"PERSON", "NORP", "ORG", "GPE"})
# What a proposal or an act meets with: a reaction, even where the actors stage reads the word as a body
# ("the opposition"). "met with opposition from China's mission" meets no one.
REACTIONS = frozenset({"opposition", "criticism", "resistance", "skepticism", "scepticism", "anger", "outrage",
                       "protest", "protests", "condemnation", "silence", "approval", "praise", "success",
                       "derision", "disapproval", "hostility", "indifference", "suspicion", "applause"})  # fmt: skip


def meets_no_one(token: Token, actors: ActorIndex) -> bool:
    """A verb of meeting or hosting whose other side is a thing: "received $94 million", "received a hero
    award", "welcomed the vaccines", "met with opposition from China's mission", "was met with staggering
    brutality". Receiving or meeting a person or a body is a meeting; this is not."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in HOSTING_VERBS:
        return False
    if token.lemma_.lower() == "meet" and any(c.dep_ == "auxpass" for c in token.children):
        return True  # "was met with brutality", "were met by armed men": an encounter
    others = [c for c in token.children if c.dep_ == "dobj"]
    if token.lemma_.lower() == "meet":
        others += [p for c in token.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children
                   if p.dep_ == "pobj"]  # fmt: skip
    return bool(others) and all(_a_thing(o, actors) or o.lower_ in REACTIONS for o in others)


def _a_thing(word: Token, actors: ActorIndex) -> bool:
    """A noun or an amount that names no actor, person or body ("an award", "$94 million"; not "him", not
    "the delegation" when the actors stage reads it as one)."""
    return (
        (word.pos_ in {"NOUN", "NUM", "SYM"} or word.like_num)
        and actors.at(word) is None
        and not any(t.ent_type_ in PEOPLE_ENTITIES for t in (word, *word.children) if t.dep_ != "prep")
    )


VISIT_VERBS = frozenset({"arrive", "visit", "tour"})
# Who travels without visiting anyone in PLOVER's sense: people and bodies that are not parties to
# relations between states ("Chinese tourists visited Vietnam", "migrants arrived in Italy", "security
# forces arrived at the site").
NO_VISITOR_SECTORS = frozenset({"CVL", "REF", "COP", "BUS", "CRM", "MED", "EDU", "LAB", "AGR", "HLH"})


def visits_no_one(token: Token, actors: ActorIndex) -> bool:
    """An arrival or a visit that is no visit between political actors: its traveller is a thing ("the
    Iranian vessel arrived in eastern China"), a crowd ("the first group of immigrants", "hundreds of
    migrants"), people of a sector that does not visit (tourists, refugees, police) or troops arriving
    in numbers ("NATO troops arrived in Estonia": a deployment, not a visit). Officials, delegations,
    lawmakers, a named person or a pronoun visit."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in VISIT_VERBS:
        return False
    travellers, _ = subject_tokens(token)
    if not travellers:
        return False
    for traveller in travellers:
        if traveller.pos_ in {"PRON", "PROPN"} and actors.at(traveller) is None:
            return False  # "He arrived in Beijing", a name the knowledge base lacks: a visitor may be meant
        ref = actors.at(traveller)
        if ref is None:
            continue  # a thing or a crowd
        if ref.sector in NO_VISITOR_SECTORS or (ref.sector == "MIL" and traveller.tag_ in {"NNS", "NNPS"}):
            continue
        return False
    return True


# What one agrees with when one accepts it: a proposal, a plan or its terms (the guideline's "accept a
# proposal" is AGREE).
PROPOSALS = frozenset({"proposal", "plan", "offer", "deal", "term", "terms", "request", "demand", "call",
                       "initiative", "ceasefire", "truce", "agreement", "condition", "framework", "roadmap",
                       "compromise", "settlement", "arrangement"})  # fmt: skip


def agrees_with_a_view(token: Token, actors: ActorIndex) -> bool:
    """ "said she agreed with officials' concerns", "agreed with the president's remark", "'The danger has
    not passed,' agreed X": holding the same opinion, not agreeing to do something. Agreeing with a party
    ("agreed with Kyiv on a prisoner swap") or to a proposal, a plan or terms is an agreement."""
    if token.pos_ != "VERB" or token.lemma_.lower() != "agree":
        return False
    children = list(token.children)
    if any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ in {"to", "on", "upon"}) for c in children):
        return False  # "agreed to a ceasefire", "agreed on a date", "agreed to meet"
    quoted = [c for c in children if c.dep_ in {"ccomp", "parataxis"} and c.i < token.i]
    if quoted:
        return True  # "'The danger has not passed,' agreed X": a speech verb after a quotation
    partners = [
        p for c in children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"
    ]
    return bool(partners) and all(
        p.pos_ == "NOUN" and actors.at(p) is None and p.lemma_.lower() not in PROPOSALS for p in partners
    )  # (a possessor may name someone: "the president's remark" is still a remark)


# "stands accused of", "who is accused of": the state of being charged, told to describe someone
STANDING_VERBS = frozenset({"stand", "remain", "sit"})


def standing_charge(token: Token) -> bool:
    """ "Lai stands accused of collusion", "Belizaire, who is accused of conspiring ...": a charge that
    stands, told to say who someone is, not an accusation made now. A past passive ("he was accused of
    inciting unrest") and a passive with its accuser ("is accused by prosecutors of ...") are accusations."""
    if token.lemma_.lower() != "accuse" or token.tag_ != "VBN":
        return False
    if token.dep_ in {"acomp", "oprd", "xcomp"} and token.head.lemma_.lower() in STANDING_VERBS:
        return True  # "stands accused of"
    if any(c.dep_ == "agent" for c in token.children):
        return False
    auxiliaries = [c for c in token.children if c.dep_ == "auxpass"]
    return (
        bool(auxiliaries)
        and all(a.tag_ in {"VBZ", "VBP"} for a in auxiliaries)
        and not any(c.dep_ == "aux" for c in token.children)
    )  # "is accused of" (present), not "has been accused", "will be accused"


def quantity_change(token: Token) -> bool:
    """ "the number of refugees declined to 230,000", "exports declined by 5%": a verb of refusal used for a
    quantity going down (no object or infinitive refused; a number after "to", "by" or "from")."""
    if token.pos_ != "VERB" or any(c.dep_ in {"dobj", "xcomp", "ccomp"} for c in token.children):
        return False
    return any(
        t.like_num or t.pos_ == "NUM"
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in {"to", "by", "from"}
        for obj in prep.children
        for t in obj.subtree
    )


def inanimate_subject(token: Token, actors: ActorIndex) -> bool:
    """Whether a verb trigger's subject is there but names no actor ("This prevents ...")."""
    if token.pos_ in {"NOUN", "PROPN"}:
        return False
    verb = clause_verb(token)
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
    if not subjects:
        return False
    for subject in subjects:
        if actors.at(subject) is not None:
            return False
        if subject.lower_ in DEMONSTRATIVES:
            if subject.lower_ == "it" and actors.pronoun(subject) is not None:
                return False
        elif subject.lemma_.lower() not in INANIMATE:
            return False  # "Leaders of the coalition", "gunmen": people, even when no actor is named
    return True


def same_actor(a: ActorRef, b: ActorRef) -> bool:
    """The same actor, also when one side is a pronoun standing for the other ("the FSB ... its")."""
    if a.actor_id == b.actor_id and (a.kind != "group" or a.text.lower() == b.text.lower()):
        return True  # (two mentions of a generic group, "Iraqi youths" and "Iraqi villagers", may differ)
    pronoun = a.text.lower() in PRONOUNS or b.text.lower() in PRONOUNS
    return pronoun and a.country == b.country and a.sector == b.sector


def drop_self(sources: Sequence[ActorRef], targets: Sequence[ActorRef]) -> list[ActorRef]:
    """Recipients that are not the source again."""
    return [t for t in targets if not any(same_actor(t, s) for s in sources)]


# Sectors of a state's own organs, which act for it.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "SPY", "LEG"})
# Refs that name a state itself (its name, its capital standing for it, a city of it), not one of its people
# or bodies.
STATE_NAME_KINDS = frozenset({"country", "metonym", "place"})


def without_own_state(
    event_type: str, trigger: Token, sources: Sequence[ActorRef], targets: Sequence[ActorRef]
) -> list[ActorRef]:
    """Recipients less those that only name a state a source is of: "the strong protest of Algeria" notified
    by Algeria's ministry, "North Korea has long denounced the drills ... Pyongyang would take
    countermeasures". A state does not act on itself: its name beside its own organ is the doer again, or
    where the act took place (eleven of the 180 wrong
    events of the thirtieth session's held-out batch had the source's own country as recipient). Not an
    attack's: "government forces shelled Idlib" is aimed at the place, the state's own or not. Nor a place
    that locates the act's object ("Spain banned a separatist group in the Basque Country"), standing for
    the object the text names without a country."""
    if event_type == "ASSAULT":
        return list(targets)
    # (the state or its organs: rebels or protesters of a state do act on it, "Rebels in the Ivory Coast
    # blocked transport into Abidjan")
    countries = {s.country for s in sources if s.kind in STATE_NAME_KINDS or s.sector in STATE_SECTORS}
    countries -= {"UNK", "IGO", "WST", ""}
    if not countries:
        return list(targets)
    doc = trigger.doc
    return [t for t in targets
            if not (names_a_state(doc, t) and t.country in countries and not _locates_a_noun(doc, t, trigger))]  # fmt: skip


def names_a_state(doc: Doc, ref: ActorRef, kinds: frozenset[str] = STATE_NAME_KINDS) -> bool:
    """Does the ref name a state itself as a noun ("Algeria", "Pyongyang", "Chisinau"), not its people by a
    nationality word ("a meeting of Palestinian factions", "Peruvians marched")?"""
    if ref.kind not in kinds:
        return False
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    return span is not None and span.root.pos_ == "PROPN" and span.root.ent_type_ != "NORP"


def plausible_recipients(
    event_type: str, trigger: Token, sources: Sequence[ActorRef], targets: Sequence[ActorRef]
) -> list[ActorRef]:
    """The recipients less the doer's own state (:func:`without_own_state`) and less where the act took place
    (:func:`not_where_it_happened`): the two ways a state's name stands in a sentence without receiving.
    An arrest's or a detention's place is kept when nothing else receives it: "Moldovan police detained in
    Chisinau four persons" names the detained only by where they were taken, and Moldova is theirs."""
    kept = not_where_it_happened(
        event_type, trigger, without_own_state(event_type, trigger, sources, targets)
    )
    return list(targets) if event_type == "COERCE" and not kept else kept


# Prepositions that say where an act takes place ("detained in Tehran", "In Dakar, the president called
# for calm"), unlike those that say whom it reaches ("a visit to Kyiv", "talks with Beijing", "hit out at Japan").
WHERE_PREPS = frozenset({"in", "near", "inside", "outside", "across", "throughout", "around"})


# What is sought from the state it is sought in ("Iraqi Kurds sought refuge in Germany").
SOUGHT_IN = frozenset({"refuge", "asylum", "shelter", "sanctuary", "protection"})


def not_where_it_happened(event_type: str, trigger: Token, targets: Sequence[ActorRef]) -> list[ActorRef]:
    """Recipients less the places that only say where the act happened: a city, capital or country after
    "in" or "near" on the trigger's own verb (the guideline: "a place where something happens" is no role). Not
    an attack's, where the place is what was hit and stands for those in it ("shelled targets in Kharkiv"),
    nor a visit's ("a Chinese delegation arrived in Moscow": Russia is visited), nor a deployment's ("troops
    remained on alert in the West Bank", as the dev gold codes it)."""
    verb = clause_verb(trigger)
    # (a meeting's venue is read by the meeting rules; "arrived in Moscow" visits Russia; "sought refuge in
    # Germany" asks it of Germany)
    placed_by_the_act = verb.lemma_.lower() in VISIT_VERBS or any(
        c.lemma_.lower() in SOUGHT_IN for c in verb.children
    )
    if event_type in ("ASSAULT", "CONSULT", "MOBILIZE") or not targets or placed_by_the_act:
        return list(targets)
    doc = trigger.doc
    verbs = {trigger.i, verb.i}

    def where(ref: ActorRef) -> bool:
        span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if ref.kind not in STATE_NAME_KINDS or span is None or span.root.dep_ != "pobj":
            return False
        prep = span.root.head
        return prep.lower_ in WHERE_PREPS and prep.head.i in verbs

    return [t for t in targets if not where(t)]


def _locates_a_noun(doc: Doc, ref: ActorRef, trigger: Token) -> bool:
    """Is the ref the object of a preposition on a noun other than the trigger ("a group in the Basque
    Country", "the deputy governor of Almaty region")?"""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None or span.root.dep_ != "pobj":
        return False
    owner = span.root.head.head
    return owner.pos_ in ("NOUN", "PROPN") and owner.i != trigger.i


def reciprocal(
    token: Token, event_type: str, sources: list[ActorRef], targets: list[ActorRef]
) -> tuple[list[ActorRef], list[ActorRef]]:
    """ "the alliance of Russia and China", "talks between X and Y": the members are the actors."""
    if token.pos_ == "NOUN" and event_type in RECIPROCAL_TYPES and not sources and len(targets) >= 2:
        return targets, []
    return sources, targets


def self_object(token: Token, actors: ActorIndex, sources: Sequence[ActorRef]) -> bool:
    """Whether the direct object only names the source again ("the FSB ordered its agents", "the US
    can prevent a scenario ... against the United States"): an internal matter, no recipient."""
    if not sources:
        return False
    objects = [c for c in clause_verb(token).children if c.dep_ in {"dobj", "dative"}]
    named = [ref for obj in objects for t in obj.subtree if (ref := actors.at(t)) is not None]
    return bool(named) and all(any(same_actor(r, s) for s in sources) for r in named)


def prevents_nothing(token: Token, actors: ActorIndex, event_nouns: Container[str]) -> bool:
    """ "prevent a scenario", "stop the speculation": preventing is COERCE only when what is
    prevented is an actor or an action (an event noun, a "from"-clause), not an abstraction."""
    if token.lemma_.lower() not in PREVENT_VERBS:
        return False
    verb = clause_verb(token)
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if not objects or any(c.dep_ == "prep" and c.lower_ == "from" for c in verb.children):
        return False
    return all(
        not actors.phrase(obj) and obj.lemma_.lower() not in event_nouns and obj.pos_ == "NOUN"
        for obj in objects
    )


# Objects that make a request news-gathering rather than a demand ("requesting comment").
PRESS_OBJECTS = frozenset({"comment", "response", "reaction", "interview", "clarification", "confirmation",
                           "anonymity"})  # fmt: skip
# "asked not to be named": a source's condition for speaking to a reporter
UNNAMED_SOURCE_VERBS = frozenset({"name", "identify", "quote"})


def is_outlet(ref: ActorRef, outlet: str | None = None) -> bool:
    """A news organisation (the article's own outlet, or any outlet the actors stage marks as one)."""
    if ref.kind in {"outlet", "media"}:
        return True
    if outlet:
        name = outlet.strip().lower()
        return name in {ref.name.lower(), ref.text.lower()}
    return False


def reporting_owner(token: Token, actors: ActorIndex) -> list[ActorRef]:
    """The actors owning the noun a verb trigger modifies ("VOA's email requesting comment")."""
    if token.dep_ not in {"acl", "relcl"}:
        return []
    head = token.head
    return [ref for c in head.children if c.dep_ in {"poss", "compound"} for ref in actors.phrase(c)]


# What a source declines to give a reporter: "declined to comment", "refused to respond to questions",
# "declining to give details", "would not disclose".
PRESS_VERBS = frozenset({"comment", "respond", "answer", "confirm", "elaborate", "reply", "speak", "disclose",
                         "specify", "speculate", "identify"})  # fmt: skip
GIVEN_TO_THE_PRESS = frozenset(
    {"detail", "details", "information", "figure", "figures", "timeline", "name", "names"}
)


def news_gathering(token: Token, event_type: str) -> bool:
    """ "requesting comment", "requests for comment": what journalists ask for, "requested anonymity", "asked
    not to be named": what their sources ask for; and its answer, "declined
    to comment", "refused to respond to questions", "declined comment": news-gathering, not a rejection
    (the annotated news codes none of its twelve such sentences)."""
    if event_type == "REJECT":
        return any(c.dep_ == "xcomp" and _press_answer(c) for c in token.children) or any(
            c.dep_ == "dobj" and c.lemma_.lower() in PRESS_OBJECTS for c in token.children
        )
    if event_type != "REQUEST":
        return False
    if token.lemma_.lower() == "ask" and any(
        c.dep_ == "prep" and c.lower_ == "about" for c in token.children
    ):
        return True  # "a spokesman, asked about the note at a briefing, said ...": a reporter's question
    if any(
        c.dep_ == "xcomp"
        and c.lemma_.lower() in UNNAMED_SOURCE_VERBS
        and any(a.dep_ == "auxpass" for a in c.children)
        for c in token.children
    ):
        return True  # "a diplomat, who asked not to be named, said ...": a source speaking to a reporter
    words = [c for c in token.children if c.dep_ in {"dobj", "pobj"}]
    words += [p for c in token.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    return any(w.lemma_.lower() in PRESS_OBJECTS for w in words)


def _press_answer(verb: Token) -> bool:
    """Is the complement what a source gives a reporter ("to comment", "to give details")?"""
    if verb.lemma_.lower() in PRESS_VERBS:
        return True
    return verb.lemma_.lower() in {"give", "provide", "offer", "release"} and any(
        c.dep_ == "dobj" and c.lower_ in GIVEN_TO_THE_PRESS for c in verb.children
    )


# Buying and selling is commerce; PLOVER's COOPERATE (economic) is cooperation between states or
# governments, so a trade verb counts only when a state is the one trading.
TRADE_WORDS = frozenset({"buy", "purchase", "import", "export", "trade", "sell", "customer", "buyer",
                         "ship", "supply"})  # fmt: skip
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
STATE_KINDS = frozenset({"country", "igo", "metonym"})


def _state(ref: ActorRef | None) -> bool:
    return ref is not None and (ref.kind in STATE_KINDS or ref.sector in STATE_SECTORS)


def private_trade(token: Token, event_type: str, actors: ActorIndex) -> bool:
    """ "A second Iranian ship ... to import an ingredient from China": a trade word whose trader is
    not a state or government (a ship, a company; a country adjective on it names no trader)."""
    if event_type != "COOPERATE" or token.lemma_.lower() not in TRADE_WORDS or not actors.known:
        return False
    if (
        token.pos_ in {"NOUN", "PROPN"}
        and token.dep_ in {"attr", "oprd"}
        and token.head.pos_ in {"VERB", "AUX"}
    ):
        traders, _ = subject_tokens(token.head)  # "China is Russia's largest customer": China trades
    elif token.pos_ in {"NOUN", "PROPN"}:
        traders = [c for c in token.children if c.dep_ == "poss"]
    else:
        traders, _ = subject_tokens(token)
    return not any(_state(actors.at(t)) or (t.lower_ in PRONOUNS and _state(actors.pronoun(t)))
                   for s in traders for t in (s, *s.conjuncts))  # fmt: skip


# "strike a deal", "struck a balance": objects that make "strike" no attack.
STRUCK_NON_TARGETS = frozenset({"deal", "agreement", "accord", "pact", "bargain", "balance", "tone", "chord",
                                "note", "compromise", "match", "blow", "nerve", "pose", "figure"})  # fmt: skip


def struck_target(verb: Token) -> bool:
    """Whether a "strike" verb hits something (an object or an against/on phrase)."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.lemma_.lower() not in STRUCK_NON_TARGETS:
            return True
        if (
            child.dep_ == "prep"
            and child.lower_ in {"against", "on", "at"}
            and any(p.dep_ == "pobj" and p.ent_type_ not in {"DATE", "TIME"} for p in child.children)
        ):
            return True  # (not "struck on Monday")
    return False


PRICE_WORDS = frozenset({"less", "more", "much", "little", "fee", "fees", "price", "prices", "rate", "rates",
                         "dollar", "cent", "interest", "tariff", "toll", "premium"})  # fmt: skip


def a_price(verb: Token) -> bool:
    """Whether a "charge" verb asks a price ("charge less", "charged $20") rather than accuses."""
    return any(c.dep_ == "dobj" and (c.lower_ in PRICE_WORDS or c.like_num or c.ent_type_ in {"MONEY", "QUANTITY"})
               for c in verb.children)  # fmt: skip


FEELING_VERBS = frozenset({"express", "feel", "voice", "bring", "sigh", "breathe", "share"})


def fights_for_a_cause(verb: Token) -> bool:
    """ "fighting for their freedom": a "for"-phrase and nobody fought against or with."""
    deps = {(c.dep_, c.lower_) for c in verb.children}
    if "dobj" in {d for d, _ in deps} or any(t.dep_ == "prep" and t.lower_ in {"against", "with"}
                                             for t in verb.subtree):  # fmt: skip
        return False
    return ("prep", "for") in deps


# Saying or believing that something can or could happen is speculation (docs/annotation.md, "Not events"):
# "the US can weaken Russian ties", they believe; "critics say the agreement could threaten ...". In the
# annotated material none of the ten such rule proposals was a gold event.
BELIEF_VERBS = frozenset({"believe", "think", "say", "argue", "suggest", "expect", "predict", "speculate",
                          "fear", "feel", "estimate"})  # fmt: skip
POSSIBILITY_MODALS = frozenset({"can", "could", "might", "may"})


def speculation(token: Token, cue: Sequence[Token]) -> bool:
    """An act under "can / could / might / may" in what someone says or believes is possible.

    The belief verb is looked for up to four heads above, not only as the clause's governor (what
    ``detect_modality`` reads): "they believe rebels have retreated and could again attack villages" puts
    the act in a conjunct of the believed clause. Reading the governor alone (measured) lets three more
    rule proposals of the annotated material through, none of them a gold event."""
    if not any(c.lower_ in POSSIBILITY_MODALS for c in cue):
        return False
    node = token
    for _ in range(4):
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in BELIEF_VERBS:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def hedge(token: Token) -> bool:
    """ "I suspect ...", "we suspect that ...": a first-person belief in a quote, not an accusation."""
    return (
        token.lemma_.lower() in {"suspect", "fear", "doubt"}
        and any(c.dep_ == "nsubj" and c.lower_ in {"i", "we"} for c in token.children)
        and any(c.dep_ == "ccomp" for c in token.children)
    )


# What makes a "strike" noun a walkout (PROTEST strike, manual) and not a military strike: its kind
# ("hunger strike", "general strike") or workers and pay in the sentence. International news uses the bare
# noun mostly for attacks ("a strike on its consulate", "the Damascus strike", "the first such strike").
LABOUR_KINDS = frozenset({"hunger", "general", "labour", "labor", "worker", "union", "nationwide", "national",
                          "wildcat", "indefinite", "open", "ended", "warning", "token", "sympathy", "teacher",
                          "transport", "rail", "dock", "miner", "student", "day"})  # fmt: skip
LABOUR_WORDS = frozenset({"worker", "workers", "union", "unions", "employee", "employees", "staff", "pay",
                          "wage", "wages", "salary", "salaries", "pension", "pensions", "labour", "labor",
                          "teachers", "miners", "doctors", "nurses", "drivers", "dockers", "walkout",
                          "picket", "strikers"})  # fmt: skip


def labour_strike(noun: Token) -> bool:
    """Whether a "strike" noun is a walkout: a labour kind among its modifiers, "on strike", or labour
    words in its sentence."""
    if any(c.dep_ in {"compound", "amod", "nmod"} and (c.lemma_.lower() in LABOUR_KINDS
                                                       or c.lower_ in LABOUR_KINDS)
           for c in noun.subtree if c.i < noun.i):  # fmt: skip
        return True
    if (
        noun.head.lower_ == "on"
        and noun.dep_ == "pobj"
        and noun.head.head.lemma_.lower() in {"go", "be", "remain"}
    ):
        return True  # "workers went on strike"
    return any(t.lower_ in LABOUR_WORDS for t in noun.sent)


# A march in a parade or ceremony displays nothing against anyone (no PROTEST demo, manual).
CEREMONIES = frozenset({"parade", "ceremony", "celebration", "commemoration", "anniversary", "procession",
                        "festival", "funeral", "rehearsal", "honour", "honor"})  # fmt: skip


def ceremonial_march(verb: Token) -> bool:
    """ "Chinese soldiers marched in the parade alongside Russian troops": a ceremony, not a protest;
    "marched against the reform" stays one."""
    if any(t.lemma_.lower() in {"protest", "demand", "against", "oppose"} for t in verb.subtree):
        return False
    return any(t.lemma_.lower() in CEREMONIES and t.pos_ == "NOUN" for t in verb.sent)


# -- sixteenth pass (docs/events.md, "Sixteenth pass") ---------------------------------------------------

# Advice on health to the public is no political request (the events issue's list of non-events: "health
# advice"): "urged people to seek medical attention if they experience symptoms".
ADVICE_VERBS = frozenset(
    {"urge", "advise", "encourage", "ask", "call", "tell", "remind", "recommend", "warn"}
)
HEALTH_WORDS = frozenset({"medical", "symptom", "hygiene", "vaccinate", "vaccine", "vaccination", "doctor",
                          "hospital", "clinic", "treatment", "infection", "infect", "preventive", "mask",
                          "sanitizer", "quarantine", "isolate", "disease", "illness", "wash", "test",
                          "health", "healthcare", "precaution", "hydrate", "outbreak"})  # fmt: skip
# Whom health advice is given to: the public, never a party that can be asked to act politically.
PUBLIC = frozenset({"people", "public", "resident", "citizen", "everyone", "everybody", "parent", "traveler",
                    "traveller", "population", "individual", "consumer", "patient", "family", "community"})  # fmt: skip


def health_advice(token: Token) -> bool:
    """A request about health ("to seek medical attention", "to adhere to preventive measures such as ...
    good hygiene") addressed to the public. Without such an addressee it is a request like any other:
    "called for the release of the detained doctors", "urged China to share data on the outbreak"."""
    if token.lemma_.lower() not in ADVICE_VERBS:
        return False
    content = [c for c in token.children if c.dep_ in {"xcomp", "ccomp", "prep", "advcl"}]
    if not any(w.lemma_.lower() in HEALTH_WORDS for c in content for w in c.subtree):
        return False
    addressees = [c for c in token.children if c.dep_ in {"dobj", "dative"}]
    addressees += [s for c in content if c.dep_ == "xcomp" for s in c.children if s.dep_ == "nsubj"]
    return bool(addressees) and all(word.lemma_.lower() in PUBLIC for word in addressees)


# "An emergency was declared at the government hospital to receive the injured": a hospital's alert, not a
# state of emergency (COERCE martial-law is a state's measure over a territory).
FACILITIES = frozenset({"hospital", "clinic", "school", "airport", "plant", "factory", "facility", "mine",
                        "port", "station", "prison", "university", "center", "centre"})  # fmt: skip


def facility_emergency(token: Token) -> bool:
    """An emergency declared at a facility (the trigger or the emergency noun has "at <facility>"). "In" is
    no such mark: "a state of emergency in its prisons" is a state's measure over its prison system."""
    words = [token, *(c for c in token.children if c.lemma_.lower() == "emergency")]
    if token.lemma_.lower() != "emergency" and len(words) == 1:
        words += [c for c in token.children if c.dep_ in {"nsubjpass", "dobj"}]
    for word in words:
        for prep in (c for c in word.children if c.dep_ == "prep" and c.lower_ == "at"):
            if any(p.dep_ == "pobj" and p.lemma_.lower() in FACILITIES for p in prep.children):
                return True
    return False


# "The coup plotters are also detained there", "1,542 prisoners were in detention": being held, a state told
# to say where people are, not an arrest (a past passive "were detained" is one).
DETENTION_NOUNS = frozenset({"detention", "custody", "jail", "prison"})


def held_state(token: Token) -> bool:
    """A detention told as a state: a present passive of an arrest verb ("are detained", "is held", not
    "are being detained") or the detention noun after "in" ("in detention", "remain in custody")."""
    if token.pos_ == "VERB" and token.tag_ == "VBN":
        aux = [c for c in token.children if c.dep_ in {"auxpass", "aux"}]
        present = [a for a in aux if a.tag_ in {"VBZ", "VBP"} and a.lemma_.lower() == "be"]
        ongoing = any(a.lower_ == "being" for a in aux) or any(a.lemma_.lower() == "have" for a in aux)
        return bool(present) and not ongoing
    if token.lemma_.lower() in DETENTION_NOUNS and token.dep_ == "pobj":
        return token.head.lower_ == "in"
    return False


# "has explained why they were not deported", "asked whether troops had fired": an embedded question tells
# what is asked, not what happened.
QUESTION_VERBS = frozenset({"explain", "ask", "wonder", "know", "question", "understand", "clarify",
                            "determine", "investigate", "examine", "unclear", "clear"})  # fmt: skip
QUESTION_WORDS = frozenset({"why", "whether", "how", "if"})


def embedded_question(token: Token) -> bool:
    """The trigger heads a clause introduced by why/whether/how/if under a verb of asking or explaining."""
    if token.dep_ not in {"ccomp", "advcl", "xcomp", "acomp", "pcomp"}:
        return False
    asks = token.head.lemma_.lower() in QUESTION_VERBS
    introduced = any(c.dep_ in {"advmod", "mark"} and c.lower_ in QUESTION_WORDS for c in token.children)
    return asks and introduced


def asks_a_question(token: Token) -> bool:
    """ "Reporters asked whether troops had fired", "asked why the talks failed": asking a question is no
    request (asking someone *to* act, or *for* something, is)."""
    if token.lemma_.lower() != "ask":
        return False
    return any(
        c.dep_ == "ccomp"
        and any(
            m.dep_ in {"advmod", "mark", "nsubj", "dobj"}
            and m.lower_ in QUESTION_WORDS | {"what", "who", "when", "where"}
            for m in c.children
        )
        for c in token.children
    )


def spoken_of(token: Token) -> bool:
    """Is a nominal trigger the object of a verb that speaks of it, with no party of its own (no possessor,
    no preposition)? Then it is a topic, not an event someone did (the guideline: topics of discussion)."""
    if token.pos_ != "NOUN" or token.dep_ != "dobj":
        return False
    verb = token.head
    lemma = verb.lemma_.lower()
    withheld = lemma in WITHHELD_VERBS and any(c.dep_ == "neg" for c in verb.children)
    if lemma not in SPOKEN_OF_VERBS and not withheld:
        return False
    return not any(c.dep_ in {"poss", "prep"} for c in token.children)
