"""Finding attributions in a parsed article: the cue, the speaker, the content span, the channel.

``ClaimFinder`` makes one pass over the parse (set lookups on lemmas and dependency labels) and
returns drafts; ``detente.stages.claims`` turns drafts into chained ``Claim`` records. Quote marks
of every style are handled here; unbalanced marks never raise.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from detente import attribution_cues as cues
from detente.records import ActorRef, Article, Span, Verification, article_id

T = TypeVar("T")
_SLUG = re.compile(r"[^a-z0-9]+")
_EDGE_PUNCT = frozenset(",;:-–—()[]\"'“”«»„‘’")
_SUBJECTS = frozenset(("nsubj", "nsubjpass", "csubj"))
_SPEAKER_EXCLUDE = frozenset(("relcl", "acl", "punct", "cc", "conj", "advcl", "appos"))
_SPEECH_LEMMAS = cues.SPEECH_LEMMAS | cues.DESCRIBE_LEMMAS
_CUE_LEMMAS = _SPEECH_LEMMAS | cues.DOCUMENT_VERBS
_SEEN_LEMMAS = frozenset(("see", "review", "view", "examine", "obtain"))  # "a document seen by Reuters"
_ENTITY_KIND = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group"}


@dataclass(slots=True)
class Draft:
    """A claim under construction (mutable while parents and verification are worked out)."""

    speaker: tuple[ActorRef, ...]
    cue: Span | None
    content: tuple[int, int]
    kind: str
    channel: str
    stance: str
    sent_start: int
    confidence: float = 0.8
    parent: Draft | None = None
    verification: list[Verification] = field(default_factory=list)
    obtained_by: tuple[ActorRef, ...] = ()
    is_document: bool = False
    first_person: bool = False  # the speaker was "I"/"we": inside a quote, that is the quote's speaker
    id: str = ""


def _from_index(items: Sequence[T], first: int, more: Callable[[T], bool]) -> Iterator[T]:
    """``items[first:]`` while ``more`` holds, without copying the tail: lookups in sorted lists stay
    proportional to what they find, not to the article's length."""
    for i in range(first, len(items)):
        if not more(items[i]):
            return
        yield items[i]


def _one_ref_per_actor(refs: tuple[ActorRef, ...]) -> tuple[ActorRef, ...]:
    """A speaker named twice in one phrase ("the President's administration": both words resolve to the US
    government) is one speaker, kept at its last word, the phrase's head."""
    last = {_stands_for(ref): ref for ref in refs}
    return tuple(ref for ref in refs if last[_stands_for(ref)] is ref)


def _stands_for(ref: ActorRef) -> object:
    """Who a ref names: its entry, or for an agent noun ("President", "administration") the sector of its
    country it stands for, whichever entry the noun resolved to (a title keeps its own id)."""
    return (ref.country, ref.sector) if ref.reason.startswith("agent noun") else ref.actor_id


def _one_person_beside_a_group(head: Token, appositive_refs: Sequence[ActorRef]) -> bool:
    """A plural noun ("members", "officials") with one named person as its appositive: a misparse, since a
    group cannot be one person ("two envoys, Witkoff and Kellogg" names as many people as it counts)."""
    return (
        "Plur" in head.morph.get("Number", [])
        and len(appositive_refs) == 1
        and appositive_refs[0].kind == "person"
    )


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "unnamed"


def outlet_ref(outlet: str) -> ActorRef:
    """The article's own outlet as an actor. It is not in the text, so its offsets are 0, 0."""
    return ActorRef(
        text=outlet, start=0, end=0, actor_id=f"outlet:{slug(outlet)}", name=outlet, country="UNK",
        sector="JRN", kind="outlet",
    )  # fmt: skip


def _is_media_ref(ref: ActorRef) -> bool:
    return ref.kind in ("outlet", "media") or ref.sector == "JRN" or ref.name.lower() in cues.KNOWN_OUTLETS


class ClaimFinder:
    """Finds the claims of one parsed doc. Built per doc by :class:`ClaimsStage`; holds no model."""

    def __init__(self, doc: Doc, min_confidence: float) -> None:
        self.doc = doc
        # Doc.text joins every token and doc.ents builds every entity on each access: read them once.
        self.text = doc.text
        self.ents: list[SpacySpan] = list(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self.min_confidence = min_confidence
        article: Article | None = doc._.article
        self.article_id = article.id if article is not None else article_id(self.text)
        self.outlet = article.outlet if article is not None else None
        self.actors: list[ActorRef] = sorted(doc._.actors or (), key=lambda a: (a.start, -a.end))
        self._actor_starts = [a.start for a in self.actors]
        self.quotes = cues.find_quotes(self.text)
        self.drafts: list[Draft] = []
        self.cue_tokens: set[int] = set()
        self.last_media: tuple[ActorRef, ...] = ()
        self.doc_author: tuple[ActorRef, ...] = ()
        self.leak_seen = False
        self.parsed = doc.has_annotation("DEP")

    # ------------------------------------------------------------------ speakers
    def refs_in(self, start: int, end: int) -> tuple[ActorRef, ...]:
        """Actor mentions inside a character range; falls back to named entities without an actors stage."""
        found = tuple(
            a for a in _from_index(self.actors, bisect_left(self._actor_starts, start), lambda a: a.start < end)
            if a.end <= end and a.end > a.start
        )  # fmt: skip
        if found or self.actors:
            return found
        ents = [
            e for e in self.ents if e.start_char >= start and e.end_char <= end and e.label_ in _ENTITY_KIND
        ]
        named = [e for e in ents if e.label_ in ("PERSON", "ORG")]
        return tuple(self._entity_ref(e) for e in named or ents)

    def _entity_ref(self, ent: SpacySpan) -> ActorRef:
        name = ent.text
        if ent.label_ in ("ORG", "PERSON") and name.lower() in cues.KNOWN_OUTLETS:
            kind, sector = "outlet", "JRN"
        else:
            kind, sector = _ENTITY_KIND.get(ent.label_, "unknown"), None
        return ActorRef(
            text=name, start=ent.start_char, end=ent.end_char, actor_id=f"unresolved:{slug(name)}", name=name,
            country="UNK", sector=sector, kind=kind, confidence=0.5,
        )  # fmt: skip

    def _nominal_ref(self, span: SpacySpan, kind: str = "unknown", like: ActorRef | None = None) -> ActorRef:
        """A speaker the actors stage did not resolve, kept as written ("the unit", "officials"); ``like``
        lends it the country and sector of the person the phrase names as its own."""
        prefix = "anonymous" if kind == "anonymous" else "unresolved"
        return ActorRef(
            text=span.text, start=span.start_char, end=span.end_char, actor_id=f"{prefix}:{slug(span.text)}",
            name=span.text, country=like.country if like else "UNK", sector=like.sector if like else None,
            kind=kind, confidence=0.4,
        )  # fmt: skip

    def noun_phrase(self, head: Token) -> SpacySpan:
        """The head's phrase without relative clauses, appositions and conjoined clauses."""
        left, right = head.i, head.i
        stack = [head]
        while stack:
            tok = stack.pop()
            left, right = min(left, tok.i), max(right, tok.i)
            # Keep conjoined names ("Putin and Xi") but not conjoined clauses.
            stack.extend(c for c in tok.children if c.dep_ not in _SPEAKER_EXCLUDE or (c.dep_ == "conj"
                         and tok.pos_ in ("PROPN", "NOUN") and c.pos_ == "PROPN"))  # fmt: skip
        span = self.doc[left : right + 1]
        while len(span) > 1 and span[-1].text in _EDGE_PUNCT:
            span = span[:-1]
        return span

    def speaker_of(self, head: Token) -> tuple[tuple[ActorRef, ...], str]:
        """Speaker refs for a subject or ``according to`` object, and the channel that kind of speaker implies."""
        phrase = self.noun_phrase(head)
        lemma = head.lemma_.lower()
        if lemma == "letter" and self.last_media and any(c.ent_type_ == "NORP" for c in head.children):
            return self.last_media, "media_report"  # "the American letter": machine translation of "daily"
        if lemma in cues.DOCUMENT_NOUNS and head.pos_ == "NOUN":
            return self.document_author(head, phrase), self.document_channel(phrase)
        refs = self.resolve_coref(phrase) or self.refs_in(phrase.start_char, phrase.end_char)
        # "his daughter Linda Wu", "retired Turkish admiral Cem Gurdeniz": the mention on the head is the speaker.
        on_head = tuple(r for r in refs if r.start <= head.idx < r.end)
        if on_head and len(refs) > 1 and head.pos_ == "PROPN":
            refs = on_head
        # "Air Force Chief of Staff, General Dave Goldfein": the named appositive is the speaker.
        for appos in (c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"):
            named_refs = self.refs_in(appos.left_edge.idx, appos.right_edge.idx + len(appos.right_edge))
            if _one_person_beside_a_group(head, named_refs):
                # "Some members of the President's administration Donald Trump believe" (machine-translated
                # "of the administration of President Donald Trump"): a group is not the one person the
                # parser hung beside it. The group speaks, from that person's country and sector.
                if not refs:
                    refs = (self._nominal_ref(phrase, "anonymous", like=named_refs[0]),)
                break
            if any(r.kind in ("person", "organization", "outlet") for r in named_refs) and not any(
                r.kind == "person" for r in refs
            ):
                refs = named_refs
                break
        named = any(t.pos_ == "PROPN" for t in phrase) or any(r.kind in ("person", "organization", "outlet")
                                                              for r in refs)  # fmt: skip
        if lemma in cues.MEDIA_NOUNS and not named:
            refs = refs or self.last_media
            return refs, "media_report"
        if refs and all(_is_media_ref(r) for r in refs):
            self.last_media = refs
            return refs, "media_report"
        # "NATO officials", "a senior U.S. official": unnamed people of a named body are still anonymous.
        # A name inside a body's name ("members of the Biden administration") names no speaker.
        person = any(
            t.ent_type_ == "PERSON" and not any(r.start <= t.idx < r.end for r in refs) for t in phrase
        ) or any(r.kind == "person" for r in refs)
        if lemma in cues.ANONYMOUS_NOUNS and not person:
            return refs or (self._nominal_ref(phrase, "anonymous"),), "anonymous_source"
        if not refs and head.pos_ in ("NOUN", "PROPN"):
            refs = (self._nominal_ref(phrase),)
        return refs, "public_statement" if refs else "unattributed"

    def resolve_coref(self, phrase: SpacySpan) -> tuple[ActorRef, ...]:
        """Nominal mentions of an outlet ("the daily") resolve to the last outlet named. The actors stage's
        coreference (detente.actors.coreference) already puts such mentions in ``doc._.actors``; this covers docs without it."""
        head = phrase.root
        if head.lemma_.lower() in cues.MEDIA_NOUNS and not any(t.pos_ == "PROPN" for t in phrase):
            return self.last_media
        return ()

    def pronoun_speaker(self, verb: Token, allow_after: bool = True) -> tuple[ActorRef, ...]:
        """A pronoun subject: a name earlier in the sentence, one right after the cue, a speaker or the subject
        of the previous sentence."""
        sent = verb.sent
        before = [
            r
            for r in self.refs_in(sent.start_char, verb.idx)
            if not self.is_cue_speaker(r) and not self.quoted(r)
        ]
        if before:
            return (before[-1],)
        # "He said it The New York Times": the name right after the cue (machine-translated word order).
        window_end = self.doc[min(verb.i + 6, sent.end - 1)]
        after = [r for r in self.refs_in(verb.idx, window_end.idx + len(window_end)) if not self.quoted(r)]
        if after and allow_after:
            return (after[0],)
        if sent.start == 0:
            return ()
        prev = self.doc[sent.start - 1].sent
        for draft in reversed(self.drafts):
            if draft.speaker and prev.start_char <= draft.sent_start < sent.start_char:
                return draft.speaker
        subject = next((t for t in prev if t.dep_ in _SUBJECTS and t.lower_ not in cues.PRONOUNS), None)
        if subject is None and not any(t.pos_ in ("VERB", "AUX") for t in prev):
            subject = (
                prev.root
            )  # a verbless fragment ("Some members of the administration") names the speaker
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            return self.speaker_of(subject)[0]
        return ()

    def from_leaked_author(self, speaker: tuple[ActorRef, ...], sent: SpacySpan) -> bool:
        """After a leak is named, its author "claiming" something with no public venue speaks through the leak
        ("The unit claims that ..." in an article about the unit's leaked document)."""
        if not (self.leak_seen and speaker and self.doc_author):
            return False
        authors = {r.actor_id for r in self.doc_author}
        if not all(r.actor_id in authors for r in speaker):
            return False
        return not any(t.lower_ in cues.PUBLIC_VENUE_WORDS for t in sent)

    def quoted(self, ref: ActorRef) -> bool:
        return any(q.start <= ref.start and ref.end <= q.end for q in self.quotes)

    def is_cue_speaker(self, ref: ActorRef) -> bool:
        return any(ref in d.speaker for d in self.drafts)

    def document_subject(self, subj: Token) -> bool:
        """A document noun, or 'it' right after a sentence whose subject was a document."""
        if subj.lemma_.lower() in cues.DOCUMENT_NOUNS and subj.pos_ == "NOUN":
            return True
        if subj.lower_ not in ("it", "this") or subj.sent.start == 0:
            return False
        prev = self.doc[subj.sent.start - 1].sent
        return any(t.dep_ in _SUBJECTS and t.lemma_.lower() in cues.DOCUMENT_NOUNS for t in prev)

    # ------------------------------------------------------------------ documents
    def document_author(self, head: Token, phrase: SpacySpan) -> tuple[ActorRef, ...]:
        """Who wrote the document: a name inside its phrase ("the FSB document", "of the FSB"), else the last author."""
        refs = self.refs_in(phrase.start_char, phrase.end_char)
        if (
            not self.actors
        ):  # without an actors stage prefer a named body ("FSB") over an adjective ("Russian")
            names = [t for t in phrase if t.pos_ == "PROPN" and t.ent_type_ != "NORP"]
            if names and not any(r.kind in ("organization", "person") for r in refs):
                refs = (self._nominal_ref(self.doc[names[0].i : names[-1].i + 1]),)
        if refs:
            self.doc_author = refs
        # An unsigned document with no earlier author speaks for itself ("the leaked report says").
        return self.doc_author or (self._nominal_ref(phrase, "document"),)

    def document_channel(self, phrase: SpacySpan) -> str:
        if any(t.lower_ in cues.LEAK_WORDS for t in phrase):
            self.leak_seen = True
            return "leaked_document"
        # A definite "the document" after a leak was named refers back to the leak.
        if self.leak_seen and phrase[0].lower_ in ("the", "this", "that"):
            return "leaked_document"
        return "official_document"

    # ------------------------------------------------------------------ spans
    def trim(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets without edge punctuation, spaces and a leading 'that'."""
        text = self.text
        while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT):
            start += 1
        while end > start and (
            text[end - 1].isspace() or text[end - 1] in _EDGE_PUNCT or text[end - 1] == "."
        ):
            end -= 1
        if text.startswith("that ", start) and end - start > 5:
            start += 5
        return start, end

    def subtree_chars(self, tok: Token, skip: Iterable[Token] = ()) -> tuple[int, int]:
        """The character range of a token's subtree, cut at any ``skip`` subtree lying on its edge."""
        left, right = tok.left_edge.i, tok.right_edge.i
        for s in skip:
            if s.i > tok.i:
                right = min(right, s.left_edge.i - 1)
            elif s.i < tok.i:
                left = max(left, s.right_edge.i + 1)
        while right > left and (self.doc[right].is_punct or self.doc[right].dep_ == "cc"):
            right -= 1
        if right < left:
            return tok.idx, tok.idx
        return self.trim(self.doc[left].idx, self.doc[right].idx + len(self.doc[right]))

    def quotes_in(self, start: int, end: int) -> list[cues.Quote]:
        return [q for q in self.quotes if q.start < end and q.end > start]

    # ------------------------------------------------------------------ finding
    def add(self, speaker: tuple[ActorRef, ...], cue_tok: Sequence[Token] | None, content: tuple[int, int],
            kind: str, channel: str, sent: SpacySpan, confidence: float = 0.8) -> Draft | None:  # fmt: skip
        start, end = content
        if end - start < 2:
            return None
        cue_span = None
        stance = "asserts"
        if cue_tok:
            first, last = cue_tok[0], cue_tok[-1]
            cue_span = Span(self.text[first.idx : last.idx + len(last)], first.idx, last.idx + len(last))
            stance = self.stance_of(cue_tok[0], start, end)
            self.cue_tokens.update(t.i for t in cue_tok)
        if not speaker and channel in ("public_statement", "media_report"):
            channel = "unattributed"
        speaker = _one_ref_per_actor(speaker)
        draft = Draft(speaker, cue_span, (start, end), kind, channel, stance, sent.start_char, confidence)
        draft.is_document = channel in ("leaked_document", "official_document")
        self.drafts.append(draft)
        return draft

    def stance_of(self, cue: Token, start: int, end: int) -> str:
        lemma = cue.lemma_.lower()
        if lemma in cues.DENY_CUES:
            return "denies"
        if lemma in cues.HEDGE_CUES or any(c.lower_ in cues.HEDGE_ADVERBS for c in cue.children):
            return "hedges"
        if any(
            t.lower_ in cues.HEDGE_ADVERBS
            for t in self.doc.char_span(start, end, alignment_mode="expand") or ()
        ):
            return "hedges"
        return "asserts"

    def find(self) -> list[Draft]:
        if self.parsed:
            for sent in self.doc.sents:
                self.find_in_sentence(sent)
            self.continue_accounts()
        self.attach_quotes()
        self.first_person_in_quotes()
        return self.drafts

    def continue_accounts(self) -> None:
        """A reported account runs on in the sentences after its cue's that go on telling it: "According
        to the report, there is a spy duel ... the FSB approved ... The FSB ordered its agents ... It also
        ordered ..." all come from the report. The account (the innermost claim of its sentence whose
        content runs to the sentence's end, with the claims around it that do too) takes in each next
        sentence of its paragraph that names no other source and goes on about the account's own matter
        (:meth:`goes_on`), and one whose cue's speaker is a pronoun ("It describes mutual distrust": the
        document, as the account reports it; that claim then nests inside). The first sentence that does
        neither ends it, and so do a new paragraph and a turn ("However, ...", "On the other hand, ...").
        Only documents and media reports run on (``cues.CONTINUED_CHANNELS``)."""
        by_sentence: dict[int, list[Draft]] = {}
        for draft in self.drafts:
            if draft.cue is not None:
                by_sentence.setdefault(draft.sent_start, []).append(draft)
        chain: list[Draft] = []  # the account first, then the claims around it that reach its end
        paragraph = -1
        for sent in self.doc.sents:
            end = self.trim(sent.start_char, sent.end_char)[1]
            if end <= sent.start_char:
                continue
            here = self.text.rfind("\n", 0, sent.start_char) + 1
            own = by_sentence.get(sent.start_char, [])
            open_account = bool(chain) and here == paragraph and not self.turns_away(sent)
            if open_account and (
                (own and all(self.pronoun_cue(d) for d in own)) or (not own and self.goes_on(sent, chain[0]))
            ):
                for draft in chain:
                    draft.content = (draft.content[0], max(draft.content[1], end))
            else:
                chain = []
            reaching = [d for d in own if d.content[1] >= end - 1 and d.content[0] < end]
            if reaching:
                innermost = min(reaching, key=lambda d: d.content[1] - d.content[0])
                if innermost.channel in cues.CONTINUED_CHANNELS:
                    around = [
                        d for d in reaching if d is not innermost and d.content[0] <= innermost.content[0]
                    ]
                    chain = [innermost, *around, *(d for d in chain if d not in around)]
            paragraph = here

    def goes_on(self, sent: SpacySpan, account: Draft) -> bool:
        """Whether a sentence without a cue goes on with an account: its subject is a pronoun ("It also
        ordered ...", not "It is ..."), the account's speaker or one of its kind ("The FSB ordered ..."
        after the FSB's document; "Russian services" for the FSB), or "the" thing the account told of
        ("The service ordered ..."); or its verb says "also"."""
        root = sent.root
        if root.lemma_.lower() == "be":
            return False
        if any(
            c.dep_ == "advmod" and c.lower_ in ("also", "further", "additionally", "moreover")
            for c in root.children
        ):
            return True
        subj = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
        if subj is None:
            return False
        if subj.lower_ in ("it", "they", "he", "she"):
            return True
        if subj.pos_ == "NOUN" and any(c.lower_ == "the" for c in subj.children):
            # "The service ordered ..." after "... the security service sees China as a threat"
            told = self.doc.char_span(*account.content, alignment_mode="expand")
            if told is not None and any(t.lemma_ == subj.lemma_ and t.pos_ == "NOUN" for t in told):
                return True
        refs = self.refs_in(subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge))
        return any(
            ref.actor_id == own.actor_id
            or (ref.sector is not None and (ref.country, ref.sector) == (own.country, own.sector))
            for ref in refs
            for own in account.speaker
        )

    def turns_away(self, sent: SpacySpan) -> bool:
        words = tuple(t.lower_ for t in sent[:4] if not t.is_punct)
        return any(words[: len(opening)] == opening for opening in cues.TURN_OPENINGS)

    def pronoun_cue(self, draft: Draft) -> bool:
        """A cue whose subject is a pronoun ("It describes ...", "It also ordered ...")."""
        if draft.cue is None:
            return False
        span = self.doc.char_span(draft.cue.start, draft.cue.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        return any(c.dep_ in _SUBJECTS and c.lower_ in cues.PRONOUNS for c in span[0].children)

    def first_person_in_quotes(self) -> None:
        """'"If fentanyl ends, I think these will come off," Lutnick told NBC': "I" is Lutnick."""
        quotes = [d for d in self.drafts if d.kind == "direct_quote" and d.speaker]
        for draft in self.drafts:
            if draft.first_person and draft.cue is not None:
                outer = next((q for q in quotes if q.content[0] <= draft.cue.start < q.content[1]), None)
                if outer is not None:
                    draft.speaker, draft.channel = outer.speaker, outer.channel

    def find_in_sentence(self, sent: SpacySpan) -> None:
        for tok in sent:
            lower = tok.lower_
            if lower == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                self.according_to(tok, sent)
            elif tok.pos_ in ("VERB", "AUX", "NOUN") and tok.lemma_.lower() in _CUE_LEMMAS:
                self.speech_verb(tok, sent)
            elif lower == "in" and tok.head.pos_ in ("VERB", "AUX"):
                self.in_document(tok, sent)

    def according_to(self, tok: Token, sent: SpacySpan) -> None:
        to = self.doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            return
        speaker, channel = self.speaker_of(objs[0])
        phrase_end = max(tok.right_edge.i, to.right_edge.i)
        head = tok.head if tok.head != tok else sent.root
        if head.i == tok.i or not (sent.start <= head.i < sent.end):
            head = sent.root
        # The clause the phrase attaches to, minus the phrase itself.
        phrase_start = tok.i
        left, right = head.left_edge.i, head.right_edge.i
        # "However, according to X, ...": only connectives before the phrase, so the content starts after it.
        if all(t.is_punct or t.pos_ in ("ADV", "CCONJ", "SCONJ") for t in self.doc[left:phrase_start]):
            left = phrase_start
        # "..., according to X." closing the sentence: the content is everything before it, whatever it hangs on.
        if all(t.is_punct for t in self.doc[phrase_end + 1 : sent.end]) or self.relay_follows(
            phrase_end, sent
        ):
            left, right = sent.start, phrase_start - 1
        elif phrase_start <= left:
            left = phrase_end + 1
        elif phrase_end >= right:
            right = phrase_start - 1
        if right < left:
            return
        content = self.trim(self.doc[left].idx, self.doc[right].idx + len(self.doc[right]))
        kind = "document" if channel in ("leaked_document", "official_document") else "according_to"
        draft = self.add(speaker, [tok, to], content, kind, channel, sent, 0.9)
        if draft is not None:
            self.relays(head, draft, sent)
            if draft.is_document:
                self.seen_by(objs[0], draft, sent)

    def seen_by(self, noun: Token, document: Draft, sent: SpacySpan) -> None:
        """'according to a leaked document seen by Reuters': the outlet that saw the document relays it, so
        the document's claim nests under the outlet's (who obtained it is another matter: ``obtained_by``)."""
        for acl in noun.children:
            if acl.dep_ != "acl" or acl.lemma_.lower() not in _SEEN_LEMMAS:
                continue
            agent = next((c for c in acl.children if c.dep_ == "agent"), None)
            who = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if who is None:
                continue
            speaker, channel = self.speaker_of(who)
            if channel != "media_report" or not speaker:
                continue
            outer = self.add(speaker, [acl], self.trim(sent.start_char, sent.end_char), "according_to",
                             channel, sent, 0.8)  # fmt: skip
            if outer is not None and outer.content != document.content:
                document.parent = outer
            return

    def relay_follows(self, phrase_end: int, sent: SpacySpan) -> bool:
        """'according to Kyodo News, citing government sources.': only a relay after the phrase."""
        rest = [t for t in self.doc[phrase_end + 1 : sent.end] if not t.is_punct]
        return (
            bool(rest)
            and rest[0].lemma_.lower() in cues.RELAY_LEMMAS
            and rest[0].dep_ in ("advcl", "xcomp", "acl")
        )

    def speech_verb(self, verb: Token, sent: SpacySpan) -> None:
        lemma = verb.lemma_.lower()
        children = list(verb.children)
        subj = next((c for c in children if c.dep_ in _SUBJECTS), None)
        agent = next((c for c in children if c.dep_ == "agent"), None)
        comp = next((c for c in children if c.dep_ in ("ccomp", "parataxis")), None)
        dobj = next((c for c in children if c.dep_ == "dobj"), None)
        inverted = False
        if subj is None and agent is not None:
            subj = next((c for c in agent.children if c.dep_ == "pobj"), None)
        finite = verb.tag_ in ("VBD", "VBZ", "VBP") and lemma in cues.SPEECH_LEMMAS
        finite = finite and dobj is not None and self.speaker_like(dobj)
        if (
            subj is None
            and dobj is not None
            and finite
            and verb.i > sent.start
            and self.doc[verb.i - 1].text == ","
        ):
            # ", recalls the American letter": an inverted cue after the content.
            subj, inverted = dobj, True
        if subj is None and verb.dep_ in ("ccomp", "parataxis") and verb.head.i < verb.i:
            comp = verb.head  # "China will help, he said" parsed with the content as head
        if subj is None and comp is not None:
            subj = self.name_before(verb)
        if subj is None:
            return
        is_document = not inverted and self.document_subject(subj)
        if is_document and lemma not in cues.DOCUMENT_VERBS:
            return
        if not is_document and lemma not in _SPEECH_LEMMAS:
            return
        quotes = [
            q
            for q in self.quotes_in(sent.start_char, sent.end_char)
            if not (subj.idx >= q.start and subj.idx < q.end)
        ]
        content: tuple[int, int] | None = None
        kind = "indirect"
        if quotes and lemma not in cues.DESCRIBE_LEMMAS and not inverted:
            quote = self.quote_of(verb, comp, quotes)
            if quote is not None:
                content, kind = (quote.start, quote.end), "direct_quote"
        if content is None and comp is not None:
            # When the content is our head, take its subtree minus this cue's own subtree.
            content = self.subtree_chars(comp) if comp.head == verb else self.subtree_chars(comp, skip=[verb])
        if content is None and lemma == "tell" and not inverted:
            content = self.after_addressee(verb)
        if content is None and lemma in cues.DESCRIBE_LEMMAS and dobj is not None and not inverted:
            right = [c for c in children if c.i > verb.i and c.dep_ not in ("conj", "cc", "punct")]
            if right:
                last = right[-1].right_edge
                content = self.trim(self.doc[verb.i + 1].idx, last.idx + len(last))
                # "called a meeting", "praised the troops": only a characterisation in quotes is a claim.
                if lemma in cues.QUOTE_ONLY_LEMMAS and not self.quotes_in(*content):
                    content = None
        if content is None and (inverted or (dobj is not None and dobj.lower_ in cues.ANAPHORIC_OBJECTS)):
            content = self.previous_content(sent, verb)
            whole = next((q for q in quotes if content and min(content[1], q.end) - max(content[0], q.start)
                          >= 0.6 * (content[1] - content[0])), None)  # fmt: skip
            if whole is not None:
                content, kind = (whole.start, whole.end), "direct_quote"
        if content is None or content[1] <= content[0]:
            return
        if is_document and subj.lower_ in cues.PRONOUNS:
            speaker, channel = self.doc_author, "leaked_document" if self.leak_seen else "official_document"
        elif subj.lower_ in cues.PRONOUNS:
            # The actors stage resolves some pronouns itself (detente.actors.coreference); otherwise we look around.
            own = self.refs_in(subj.idx, subj.idx + len(subj)) if self.actors else ()
            speaker = (
                own
                or self.pronoun_speaker(verb, allow_after=comp is None)
                or (self._nominal_ref(self.doc[subj.i : subj.i + 1], "pronoun"),)
            )
            channel = "public_statement"
            if speaker and all(_is_media_ref(r) for r in speaker):
                channel = "media_report"
                self.last_media = speaker
        else:
            speaker, channel = self.speaker_of(subj)
        if (
            channel == "public_statement"
            and lemma in cues.DOCUMENT_VERBS
            and subj.lemma_.lower() in cues.DOCUMENT_NOUNS
        ):
            channel = "official_document"
        if channel == "public_statement" and self.from_leaked_author(speaker, sent):
            channel = "leaked_document"
        if channel in ("leaked_document", "official_document"):
            kind = "document" if kind != "direct_quote" else kind
        cue_toks = [verb, *(t for t in children if t.dep_ == "prt")]
        draft = self.add(speaker, cue_toks, content, kind, channel, sent)
        if draft is not None:
            draft.first_person = subj.lower_ in ("i", "we")
            self.relays(verb, draft, sent)
            if draft.is_document:
                self.seen_by(subj, draft, sent)  # "A memo seen by Reuters says ..."

    def after_addressee(self, verb: Token) -> tuple[int, int] | None:
        """'told VOA the Taliban jettison ...' with the clause misparsed: everything after the addressee."""
        right = [c for c in verb.children if c.i > verb.i and not c.is_punct]
        if len(right) < 2 or right[0].dep_ not in ("dobj", "dative", "npadvmod"):
            return None
        start, end = right[0].right_edge.i + 1, verb.right_edge.i
        if end - start < 3:
            return None
        return self.trim(self.doc[start].idx, self.doc[end].idx + len(self.doc[end]))

    def speaker_like(self, tok: Token) -> bool:
        """Could this object of an inverted cue be its speaker? A name, an actor, an outlet or unnamed source,
        and nothing after it but punctuation (", recalls the American letter.")."""
        if not all(t.is_punct for t in self.doc[tok.right_edge.i + 1 : tok.sent.end]):
            return False
        lemma = tok.lemma_.lower()
        if tok.pos_ == "PROPN" or lemma in cues.MEDIA_NOUNS | cues.ANONYMOUS_NOUNS or lemma == "letter":
            return True
        return bool(self.refs_in(tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)))

    def name_before(self, verb: Token) -> Token | None:
        """A misparsed subject: the name just before the cue ("Dodik's lawyer, Anto Nobilo, said")."""
        i = verb.i - 1
        while i >= verb.sent.start and self.doc[i].is_punct:
            i -= 1
        if (
            i >= verb.sent.start
            and self.doc[i].pos_ == "PROPN"
            and self.doc[i].ent_type_ in ("PERSON", "ORG")
        ):
            return self.doc[i]
        # "In Abidjan, Willy Neth, coordinator for ..., says": the first person named before the cue.
        first = bisect_left(self._ent_starts, verb.sent.start)
        people = [
            e for e in _from_index(self.ents, first, lambda e: e.start < verb.i)
            if e.label_ == "PERSON" and e.end <= verb.i
        ]  # fmt: skip
        return people[0].root if people else None

    def quote_of(self, verb: Token, comp: Token | None, quotes: list[cues.Quote]) -> cues.Quote | None:
        """The quote this cue introduces: one right next to the cue, or one that is most of its complement."""
        cue_start, cue_end = verb.left_edge.idx, verb.idx + len(verb)
        for quote in quotes:
            gap = (
                self.text[quote.end : cue_start]
                if quote.end <= cue_start
                else self.text[cue_end : quote.start]
            )
            if len(gap) <= 4 and not any(ch.isalnum() for ch in gap):
                return quote
            subj_gap = self.text[quote.end : verb.idx]
            if quote.end <= verb.idx and len(subj_gap) < 60 and subj_gap.strip(' ,\u201d"\u00bb')[:0] == "":
                # '"...," Trump wrote' / '"...," the ministry said': only the speaker between quote and cue.
                between = self.doc.char_span(quote.end, verb.idx, alignment_mode="expand")
                if between is not None and all(t.is_punct or t.dep_ in _SUBJECTS or t.head.dep_ in _SUBJECTS
                                               or t.head.head.dep_ in _SUBJECTS for t in between if t.i != verb.i):  # fmt: skip
                    return quote
        if comp is not None:
            start, end = self.subtree_chars(comp)
            for quote in quotes:
                overlap = min(end, quote.end) - max(start, quote.start)
                if end > start and overlap >= 0.6 * (end - start):
                    return quote
        return None

    def previous_content(self, sent: SpacySpan, verb: Token) -> tuple[int, int] | None:
        """'X said it' / ', recalls X': the content is what came before in the paragraph."""
        if verb.i > sent.start and self.doc[verb.i - 1].text == ",":
            return self.trim(sent.start_char, self.doc[verb.i - 1].idx)
        para_start = self.text.rfind("\n", 0, sent.start_char) + 1
        start = para_start
        for draft in self.drafts:  # do not reach back over an earlier claim
            if para_start <= draft.content[1] <= sent.start_char:
                start = max(start, draft.content[1])
        if start >= sent.start_char:
            return None
        return self.trim(start, sent.start_char)

    def relays(self, verb: Token, outer: Draft, sent: SpacySpan) -> None:
        """'..., referring to the leaked document of the FSB': a source nested inside ``outer``."""
        for child in verb.children:
            if child.lemma_.lower() not in cues.RELAY_LEMMAS or child.dep_ not in (
                "advcl",
                "xcomp",
                "prep",
                "acl",
            ):
                continue
            objs = [c for c in child.children if c.dep_ in ("dobj", "pobj")]
            objs += [g for c in child.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            if not objs:
                continue
            speaker, channel = self.speaker_of(objs[0])
            kind = "document" if channel in ("leaked_document", "official_document") else "according_to"
            inner = self.add(speaker, [child], outer.content, kind, channel, sent, 0.8)
            if inner is not None:
                inner.parent = outer
                # The relay's content also covers the sentence that names the source, so nesting is strict.
                outer.content = (
                    min(outer.content[0], sent.start_char),
                    max(outer.content[1], self.trim(sent.start_char, sent.end_char)[1]),
                )

    def in_document(self, prep: Token, sent: SpacySpan) -> None:
        """'In the eight-page document, officers warn ...': the document is the source of its clause."""
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None or obj.lemma_.lower() not in cues.DOCUMENT_NOUNS or obj.pos_ != "NOUN":
            return
        if prep.i != sent.start and not (prep.i > sent.start and self.doc[prep.i - 1].is_punct):
            return
        speaker, channel = self.speaker_of(obj)
        head = prep.head
        left, right = prep.right_edge.i + 1, head.right_edge.i
        if right < left:
            return
        content = self.trim(self.doc[left].idx, self.doc[right].idx + len(self.doc[right]))
        draft = self.add(
            speaker, [prep, *self.doc[prep.i + 1 : obj.i + 1]], content, "document", channel, sent, 0.7
        )
        if draft is not None and draft.is_document:
            self.seen_by(obj, draft, sent)  # "In a memo seen by Reuters, officers warn ..."

    def attach_quotes(self) -> None:
        """Quotes no claim covers: the speaker of the previous quote (a continued quote), else unattributed."""
        # A quote is covered when some claim starting at or before it reaches past its end: contents
        # sorted by start with the furthest end so far answer that by bisection (not a scan per quote).
        covered = sorted(d.content for d in self.drafts)
        starts = [s for s, _ in covered]
        reach = list(itertools.accumulate((e for _, e in covered), max))
        quoted: dict[tuple[int, int], Draft] = {}
        for d in self.drafts:
            if d.kind == "direct_quote":
                quoted.setdefault(d.content, d)
        previous: Draft | None = None
        for quote in self.quotes:
            i = bisect_right(starts, quote.start) - 1
            if i >= 0 and reach[i] >= quote.end:
                previous = quoted.get((quote.start, quote.end), previous)
                continue
            words = self.text[quote.start : quote.end].split()
            if len(words) < 4:  # scare quotes and titles, not statements
                continue
            sent = self.doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if sent is None:
                continue
            speaker: tuple[ActorRef, ...] = ()
            channel = "unattributed"
            if previous is not None and quote.start - previous.content[1] < 400:
                speaker, channel = previous.speaker, previous.channel
            draft = Draft(speaker, None, (quote.start, quote.end), "direct_quote", channel, "asserts",
                           sent[0].sent.start_char if self.parsed else 0, 0.6)  # fmt: skip
            self.drafts.append(draft)
            previous = draft
