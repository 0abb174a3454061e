"""Claims and provenance: who says so, through whom (``detente.claims.v1``).

Reads ``doc._.article`` and ``doc._.actors``; writes ``doc._.claims`` (list[Claim]).

Every article gets a root claim: its own outlet reports the whole text (channel media_report). Each
attribution found in the parse becomes a claim whose ``parent_id`` is the innermost claim whose content
contains its cue, or the root. Documents chain through the outlet that relayed them, so the example
article yields: leaked FSB document -> The New York Times -> the article. See docs/claims.md.

Cues come from the dependency parse (one pass over tokens, set lookups): speech verbs with a clausal
complement, "according to X", document subjects ("the report says"), relays ("referring to the leaked
document"), and quote marks (straight, curly, guillemets; unbalanced marks never raise).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from detente import attribution_cues as cues
from detente.claim_finder import ClaimFinder, Draft, outlet_ref
from detente.records import Claim, Span, Verification, claim_id, stable_id
from detente.stages.factory import register_stage


class ClaimsStage:
    """The spaCy component: finds claims, nests them into chains and captures verification language."""

    def __init__(self, nlp: Language, name: str, min_confidence: float = 0.35) -> None:
        self.name = name
        self.min_confidence = min_confidence
        # A Matcher would do too; a token walk with set lookups is cheaper for these few patterns.

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            doc._.claims = []
            return doc
        finder = ClaimFinder(doc, self.min_confidence)
        drafts = finder.find()
        root = self.root(finder)
        self.nest(root, drafts)
        self.verification(finder, root, drafts)
        self.obtained(finder, drafts)
        doc._.claims = self.freeze(finder, root, drafts)
        return doc

    @staticmethod
    def root(finder: ClaimFinder) -> Draft:
        speaker = (outlet_ref(finder.outlet),) if finder.outlet else ()
        end = len(finder.text.rstrip())
        return Draft(speaker, None, (0, end), "document", "media_report", "asserts", 0, 1.0)

    @staticmethod
    def nest(root: Draft, drafts: list[Draft]) -> None:
        """Parent = the smallest other claim whose content holds this claim's cue; documents chain through their relay."""
        # Candidates are found by bisecting on content start, walking left only while a content could
        # still hold the anchor and be no longer than the best so far: a scan of every other draft for
        # every draft was quadratic in the article's length.
        order = {id(d): k for k, d in enumerate(drafts)}
        by_start = sorted(drafts, key=lambda d: d.content[0])
        starts = [d.content[0] for d in by_start]
        reach = list(itertools.accumulate((d.content[1] for d in by_start), max))  # furthest end so far
        for draft in drafts:
            if draft.parent is not None:
                continue
            anchor = draft.cue.start if draft.cue is not None else draft.content[0]
            best: Draft | None = None
            i = bisect.bisect_right(starts, anchor) - 1
            while i >= 0 and reach[i] > anchor:
                other = by_start[i]
                i -= 1
                s, e = other.content
                if best is not None and anchor - s >= best.content[1] - best.content[0]:
                    break  # every content further left that holds the anchor is longer than the best
                if other is draft or not s <= anchor < e:
                    continue
                if other.content == draft.content and draft.parent is not other:
                    continue
                size, best_size = e - s, (best.content[1] - best.content[0] if best is not None else 0)
                # the smallest content wins; of equal ones, the draft found first (as a full scan would)
                better = (
                    best is None
                    or size < best_size
                    or (size == best_size and order[id(other)] < order[id(best)])
                )
                if better and not _descends_from(other, draft):  # a parent is never its own descendant
                    best = other
            draft.parent = best
        # A document claim the article cites directly was still only seen through the outlet that relayed it.
        relay: Draft | None = None
        for draft in drafts:
            if draft.is_document and draft.parent is not None and draft.parent.channel == "media_report":
                relay = relay or draft.parent
            elif (draft.is_document and draft.parent is None and draft.channel == "leaked_document" and relay
                  and not _descends_from(relay, draft)):  # fmt: skip
                draft.parent = relay
        for draft in drafts:
            if draft.parent is None:
                draft.parent = root

    @staticmethod
    def verification(finder: ClaimFinder, root: Draft, drafts: list[Draft]) -> None:
        """Verification clauses, each with its polarity, attach to the document they discuss, else the
        innermost claim around them."""
        if not finder.parsed:
            return
        doc = finder.doc
        for sent in doc.sents:
            anchors = [t for t in sent if _is_verification_anchor(t)]
            if not anchors:
                continue
            spans: list[Verification] = []
            for tok in anchors:
                clause = _clause_of(tok)
                skip = [c for c in clause.children if c.dep_ in ("conj", "cc") or _concessive(c)]
                start, end = finder.subtree_chars(clause, skip=skip)
                if end <= start:
                    continue
                polarity = verification_polarity(tok)
                held = next((k for k, s in enumerate(spans) if s.start <= start and end <= s.end), None)
                if held is None:
                    spans.append(Verification(finder.text[start:end], start, end, polarity))
                elif polarity == "doubts":  # one clause, two words: any doubt makes the clause doubt
                    spans[held] = dataclasses.replace(spans[held], polarity="doubts")
            clauses = list(spans)
            for checker in _checkers(sent):
                if not any(s.start == checker.start and s.end == checker.end for s in spans):
                    polarity = _checker_polarity(checker, clauses)
                    spans.append(Verification(checker.text, checker.start, checker.end, polarity))
            target = _verification_target(sent, drafts) or root
            target.verification.extend(s for s in spans if s not in target.verification)

    @staticmethod
    def obtained(finder: ClaimFinder, drafts: list[Draft]) -> None:
        """'The document was obtained by X': X on every claim of that leaked or official document."""
        if not finder.parsed:
            return
        for tok in finder.doc:
            if tok.lemma_.lower() not in cues.OBTAIN_LEMMAS or tok.pos_ != "VERB":
                continue
            children = list(tok.children)
            passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
            obj = passive or next((c for c in children if c.dep_ == "dobj"), None)
            if obj is None or obj.lemma_.lower() not in cues.DOCUMENT_NOUNS:
                continue
            if passive is not None:
                agent = next((c for c in children if c.dep_ == "agent"), None)
                who = (
                    next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                )
            else:
                who = next((c for c in children if c.dep_ == "nsubj"), None)
            if who is None:
                continue
            named = next((c for c in who.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
            if who.pos_ == "NOUN" and named is not None:
                who = named  # "the hacker group Black Reward": the description's name is who obtained it
            phrase = finder.noun_phrase(who)
            refs = finder.refs_in(phrase.start_char, phrase.end_char) or (finder._nominal_ref(phrase),)
            for draft in drafts:
                if draft.is_document and not draft.obtained_by:
                    draft.obtained_by = refs

    def freeze(self, finder: ClaimFinder, root: Draft, drafts: list[Draft]) -> list[Claim]:
        """Frozen claims, parents before children, ids stable and unique."""
        ordered = [root, *sorted(drafts, key=lambda d: (_depth(d), d.content[0], d.content[1]))]
        seen: set[str] = set()
        claims: list[Claim] = []
        for draft in ordered:
            if draft.confidence < self.min_confidence:
                continue
            content = Span(finder.text[draft.content[0] : draft.content[1]], *draft.content)
            cid = claim_id(finder.article_id, content, draft.kind)
            if cid in seen:  # the same content and kind twice: a second cue adds no claim
                cid = stable_id(cid, draft.cue.start if draft.cue else "", draft.channel)
                if cid in seen:
                    draft.id = next((c.id for c in claims if c.content == content), cid)
                    continue
            draft.id = cid
            seen.add(cid)
            # A dropped parent: link to the nearest kept ancestor.
            parent = next((node for node in _ancestors(draft) if node.id), None)
            claims.append(_make_claim(finder.article_id, draft, content, parent.id if parent else None))
        return claims


def _make_claim(article: str, draft: Draft, content: Span, parent_id: str | None) -> Claim:
    return Claim(
        id=draft.id, article_id=article, speaker=draft.speaker, cue=draft.cue, content=content,
        kind=draft.kind, channel=draft.channel, stance=draft.stance, parent_id=parent_id,
        verification=tuple(sorted(draft.verification, key=lambda s: s.start)), confidence=draft.confidence,
        obtained_by=draft.obtained_by,
    )  # fmt: skip


def _ancestors(draft: Draft) -> list[Draft]:
    """The parent chain, nearest first; stops at a repeat so that no input can make it loop."""
    chain: list[Draft] = []
    node = draft.parent
    while node is not None and node is not draft and all(node is not seen for seen in chain):
        chain.append(node)
        node = node.parent
    return chain


def _descends_from(draft: Draft, ancestor: Draft) -> bool:
    return any(node is ancestor for node in _ancestors(draft))


def _depth(draft: Draft) -> int:
    return len(_ancestors(draft))


def _checkers(sent: SpacySpan) -> list[Span]:
    """'six Western news services': a counted group of outlets that checked a document."""
    found = []
    for tok in sent:
        if tok.lemma_.lower() in cues.CHECKER_NOUNS and tok.pos_ == "NOUN":
            nums = [
                c for c in tok.children if c.like_num or c.lower_ in ("several", "multiple", "many", "all")
            ]
            if nums:
                left = min(nums[0].i, tok.left_edge.i)
                span = sent.doc[left : tok.i + 1]
                found.append(Span(span.text, span.start_char, span.end_char))
    return found


def _clause_of(tok: Token) -> Token:
    """The verb whose clause holds ``tok``, through "to" infinitives and open questions: "Reuters was
    unable to verify ...", "It is unclear whether the letter is genuine"."""
    # Tokens are compared by index: spaCy makes a new Token object on every read of ``.head``, so
    # ``clause.head is clause`` never holds, and a verification word under a sentence rooted in a noun
    # ("The authentic FSB document.") walked up from the root to itself for ever.
    clause = tok
    while True:
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        opens = any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children)
        if clause.head.i == clause.i or not (clause.dep_ in ("xcomp", "acomp") or opens):
            return clause
        clause = clause.head


def _is_verification_anchor(tok: Token) -> bool:
    """A word that talks about checking a claim: "verify", "authentic", "unverified"; "confirm" only as
    "independently confirmed" or "could not / unable to confirm" (otherwise it is a speech verb)."""
    lemma = tok.lemma_.lower()
    if lemma in cues.VERIFICATION_LEMMAS or tok.lower_ in cues.VERIFICATION_LEMMAS:
        return True
    if lemma not in cues.CONFIRM_LEMMAS or tok.pos_ != "VERB":
        return False
    children = list(tok.children)
    if any(c.lower_ == "independently" for c in children) or tok.head.lemma_.lower() == "unable":
        return True
    negated = any(c.dep_ == "neg" for c in children)
    return negated and any(c.lemma_.lower() in ("can", "could") for c in children)


# Dependencies that open a new clause: verification language is read up to its own clause, so that in
# "This prevents verification, but ... they all evaluated it as authentic" each half keeps its polarity.
_CLAUSE_DEPS = frozenset(("conj", "ccomp", "parataxis", "relcl", "advcl", "acl", "csubj", "ROOT"))
# Children that belong to another clause or add nothing to the polarity.
_OTHER_CLAUSE_DEPS = frozenset(("conj", "cc", "ccomp", "parataxis", "relcl", "advcl", "acl", "punct"))


# "X could not verify it, though Y judged it authentic": a concessive clause is a piece of its own, as after
# "but"; its marker belongs to neither piece.
_CONCESSIVE_MARKS = frozenset(("though", "although", "while", "whereas"))


def _concessive(child: Token) -> bool:
    if child.dep_ == "mark":
        return child.lower_ in _CONCESSIVE_MARKS
    return child.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in _CONCESSIVE_MARKS for c in child.children
    )


def verification_polarity(tok: Token) -> str:
    """Which way the verification language on ``tok`` points: confirms, doubts or unclear.

    Read on the words from ``tok`` up to the head of its clause and their direct dependents: a doubting
    word itself ("unverified", "forgery"), a negation or a doubt word around it ("could not be verified",
    "this prevents the definitive verification", "unable to verify", "no independent verification",
    "unclear whether it is genuine") doubts; an attempt or a modal ("sought to verify", "may be genuine")
    leaves it unclear; otherwise it confirms ("six outlets judged it authentic").
    """
    if tok.lemma_.lower() in cues.DOUBTING_VERIFICATION or tok.lower_ in cues.DOUBTING_VERIFICATION:
        return "doubts"
    path = [tok]
    while path[-1].dep_ not in _CLAUSE_DEPS and path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    top = path[-1]
    # "It is unclear whether the letter is genuine": an open question takes its governor's words.
    if top.head.i != top.i and any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in top.children):
        path.append(top.head)
    on_path = {t.i for t in path}
    words = [
        *path,
        *(c for t in path for c in t.children if c.i not in on_path and c.dep_ not in _OTHER_CLAUSE_DEPS),
    ]
    if any(
        w.dep_ == "neg" or w.lemma_.lower() in cues.DOUBT_WORDS or w.lower_ in cues.DOUBT_WORDS for w in words
    ):
        return "doubts"
    if any(w.lemma_.lower() in cues.OPEN_WORDS or w.lower_ in cues.OPEN_WORDS for w in words):
        return "unclear"
    return "confirms"


def _checker_polarity(checker: Span, clauses: list[Verification]) -> str:
    """Who checked takes the polarity of the verification clause that follows it ("six Western news
    services, and they all evaluated it as authentic"), else of the one before it."""
    after = [c for c in clauses if c.start >= checker.end]
    if after:
        return min(after, key=lambda c: c.start).polarity
    before = [c for c in clauses if c.end <= checker.start]
    return max(before, key=lambda c: c.end).polarity if before else "unclear"


def _verification_target(sent: SpacySpan, drafts: list[Draft]) -> Draft | None:
    """The document claim most recently introduced, when the sentence talks about a document; else nearest claim."""
    before = [d for d in drafts if d.sent_start <= sent.start_char]
    talks_of_document = any(t.lemma_.lower() in cues.DOCUMENT_NOUNS | {"material"} for t in sent)
    if talks_of_document:
        docs = [d for d in before if d.is_document]
        if docs:
            return docs[-1]
    inside = [d for d in drafts if d.content[0] <= sent.start_char and sent.end_char <= d.content[1] + 1]
    if inside:
        return min(inside, key=lambda d: d.content[1] - d.content[0])
    return before[-1] if before else None


def make_claims_stage(nlp: Language, name: str, min_confidence: float) -> ClaimsStage:
    return ClaimsStage(nlp, name, min_confidence)


register_stage(
    "detente.claims.v1", make_claims_stage, default_config={"min_confidence": 0.35},
    assigns=["doc._.claims"], requires=["doc._.actors", "doc._.article"],
)  # fmt: skip
