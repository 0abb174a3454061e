"""Each event sits on the innermost claim that reports it (issue 13): a reported account runs on in the
sentences of its paragraph that name no other source, so their events belong to it, not to the outlet.
Articles are our own, plus the motivating example."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.events.rules import innermost_claim
from detente.pipeline import make_doc
from detente.records import Article, Claim, article_id

pytestmark = pytest.mark.model


def _claims(nlp, text: str) -> list[Claim]:
    article = Article(id=article_id(text), text=text, outlet="Example Daily", published=dt.date(2025, 6, 9))
    return list(nlp(make_doc(nlp, article))._.claims)


def _on(claims: list[Claim], text: str, word: str, occurrence: int = 0) -> Claim:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(word, at + 1)
    claim = innermost_claim(claims, at, at + len(word))
    assert claim is not None
    return claim


def _chain(claims: list[Claim], claim: Claim) -> list[Claim]:
    by_id = {c.id: c for c in claims}
    chain = [claim]
    while chain[-1].parent_id is not None:
        chain.append(by_id[chain[-1].parent_id])
    return chain


LEAK = (
    "Moscow and Beijing call their ties unshakable.\n"
    "According to the leaked report, the security service sees China as a threat. The service ordered its "
    "agents to watch Chinese students. It also banned contacts with Chinese firms.\n"
    "China is Russia's largest trading partner."
)


def test_a_documents_account_runs_on_to_the_end_of_its_paragraph(nlp):
    claims = _claims(nlp, LEAK)
    report = _on(claims, LEAK, "sees China")
    assert report.channel == "leaked_document" and report.parent_id is not None
    assert _on(claims, LEAK, "ordered") is report
    assert _on(claims, LEAK, "banned") is report
    assert report.content.text.endswith("It also banned contacts with Chinese firms")
    # the next paragraph is the outlet's own again
    assert _on(claims, LEAK, "largest trading partner").parent_id is None


def test_a_turn_away_ends_the_account(nlp):
    text = (
        "According to the report, the service fears Chinese spying. However, Moscow expanded its trade with "
        "Beijing last year."
    )
    claims = _claims(nlp, text)
    assert _on(claims, text, "fears").parent_id is not None
    assert _on(claims, text, "expanded").parent_id is None


def test_a_speakers_account_does_not_run_on(nlp):
    text = "The minister said that troops had left the border. Rebels shelled the town on Sunday."
    claims = _claims(nlp, text)
    assert _on(claims, text, "left").parent_id is not None
    assert _on(claims, text, "shelled").parent_id is None  # the reporter's own sentence


def test_another_source_starts_its_own_account(nlp):
    text = (
        "According to the leaked report, the service fears Chinese spying. According to Reuters, Moscow "
        "expanded its trade with Beijing."
    )
    claims = _claims(nlp, text)
    report, reuters = _on(claims, text, "fears"), _on(claims, text, "expanded")
    assert report is not reuters and reuters.id not in {c.id for c in _chain(claims, report)}


def test_a_pronoun_cue_continues_the_outlets_account_and_nests_in_it(nlp):
    text = (
        "According to The New York Times, the document is eight pages long. It describes a spy war between "
        "Russia and China."
    )
    claims = _claims(nlp, text)
    times = _on(claims, text, "eight pages")
    assert times.channel == "media_report"
    # the cue's own words ("describes") are the Times' report; what is described is the document's
    assert _on(claims, text, "describes") is times
    described = _on(claims, text, "spy war")
    assert described is not times and times in _chain(claims, described)


def test_the_example_events_sit_on_the_nyt_fsb_chain(example_bundle, example_text):
    claims = list(example_bundle.claims)
    by_id = {c.id: c for c in claims}

    def claim_of(word: str, occurrence: int = 0) -> Claim:
        at = -1
        for _ in range(occurrence + 1):
            at = example_text.index(word, at + 1)
        [event] = [e for e in example_bundle.events if e.trigger.start <= at < e.trigger.end]
        return by_id[event.claim_id]

    def names(claim: Claim) -> set[str]:
        return {a.name for c in _chain(claims, claim) for a in c.speaker}

    # "According to the report, there is a spy duel ... the FSB approved ... The FSB ordered ... It also ordered"
    for word, occurrence in (("approved", 0), ("ordered", 0), ("ordered", 1), ("warn against", 0)):
        claim = claim_of(word, occurrence)
        assert claim.channel == "leaked_document", (word, claim.content.text)
        assert {"FSB", "The New York Times"} <= names(claim), word
    # the outlet's own background paragraph stays on the outlet's claim
    for word in ("sanctions", "customer"):
        assert claim_of(word).parent_id is None
    # nothing the report or the FSB is named in hangs on the outlet (16 of 24 events hung on it before; the
    # outlet's own background paragraphs, "Since the beginning of its invasion ...", "It is the largest
    # customer ...", stay there, however many events a model codes in them)
    told = ("FSB", "NYT", "New York Times", "the report", "document")
    on_root = [e for e in example_bundle.events if by_id[e.claim_id].parent_id is None]
    assert on_root and not [e.sentence.text for e in on_root if any(w in e.sentence.text for w in told)]
