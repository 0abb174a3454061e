"""Public-versus-internal divergence: hand-built bundles, then the motivating article through the pipeline."""

from __future__ import annotations

import pytest

from detente.analytics.divergence import article_divergences, divergence, lexical_stance
from detente.records import ActorRef, Article, Bundle, Claim, Event, Span

TEXT = (
    "In public, the president praised the partnership with Arland as unshakable. "
    "A leaked ministry memo calls Arland a threat and warns of spying. "
    "The army shelled the Arland border post on Monday."
)


def ref(text: str, country: str, kind: str = "country") -> ActorRef:
    start = TEXT.index(text)
    return ActorRef(text, start, start + len(text), f"{kind}:{country}", text, country, None, kind)


PRESIDENT = ref("the president", "BOR", "person")
ARLAND_1 = ref("Arland", "ARL")
MINISTRY = ref("ministry", "BOR", "organization")


def span(piece: str, start_at: int = 0) -> Span:
    start = TEXT.index(piece, start_at)
    return Span(piece, start, start + len(piece))


def claim(cid: str, speaker: ActorRef, content: str, channel: str, kind: str = "indirect") -> Claim:
    return Claim(
        cid, "art", (speaker,), span(content.split()[0]), span(content), kind, channel, parent_id="root"
    )


PUBLIC = claim("c1", PRESIDENT, "the partnership with Arland as unshakable", "public_statement")
MEMO = claim("c2", MINISTRY, "calls Arland a threat and warns of spying", "leaked_document", "document")
SHELLING = Event(
    id="e1", article_id="art", event_type="ASSAULT", mode=None, context=(), quad="material_conflict",
    intensity=-9.0, modality="asserted", source=(ref("The army", "BOR", "organization"),),
    target=(ref("Arland border", "ARL"),), trigger=span("shelled"),
    sentence=span("The army shelled the Arland border post on Monday."),
)  # fmt: skip
ARLAND_2 = ActorRef(
    "Arland", TEXT.index("Arland a threat"), TEXT.index("Arland a threat") + 6, "country:ARL", "Arland", "ARL"
)


def make_bundle(
    claims: tuple[Claim, ...] = (PUBLIC, MEMO), events: tuple[Event, ...] = (SHELLING,)
) -> Bundle:
    return Bundle(
        Article(id="art", text=TEXT),
        actors=(PRESIDENT, ARLAND_1, MINISTRY, ARLAND_2),
        claims=claims,
        events=events,
    )


def test_lexical_stance():
    assert lexical_stance("relations entering a golden era of partnership")[0] == 1.0
    assert lexical_stance("China is an enemy and a threat")[0] == -1.0
    assert lexical_stance("the weather was fine") == (None, ())
    assert lexical_stance("a partnership, yet a threat")[0] == 0.0


def test_public_praise_against_a_leaked_threat_assessment():
    result = divergence([make_bundle()], "BOR", "ARL")
    assert result.public.stance == 1.0 and result.internal.stance == -1.0
    assert result.score == 1.0
    assert [e.id for e in result.public.evidence] == ["c1"]
    assert [e.id for e in result.internal.evidence] == ["c2"]
    assert [e.id for e in result.material.evidence] == ["e1"] and result.material.stance == -0.9
    evidence = result.internal.evidence[0]
    assert TEXT[evidence.start : evidence.end] == evidence.text and "threat" in evidence.cues
    assert "public cooperative" in result.summary and "internal documents hostile" in result.summary
    assert result.article_ids == ("art",)


def test_material_actions_stand_in_without_documents():
    result = divergence([make_bundle(claims=(PUBLIC,))], "BOR", "ARL")
    assert result.internal.stance is None and result.score == pytest.approx(0.95)
    assert "material actions hostile" in result.summary


def test_no_public_side_means_no_score():
    result = divergence([make_bundle(claims=(MEMO,))], "BOR", "ARL")
    assert result.score is None and "not enough evidence" in result.summary


def test_direction_matters_and_unknown_actors_have_no_evidence():
    assert divergence([make_bundle()], "ARL", "BOR").score is None
    assert divergence([], "BOR", "ARL").public.evidence == ()


def test_actor_ids_work_like_country_codes():
    result = divergence([make_bundle()], "person:BOR", "ARL")
    assert [e.id for e in result.public.evidence] == ["c1"] and result.internal.stance is None


def test_article_divergences_lists_divergent_pairs():
    found = article_divergences(make_bundle())
    assert [(d.a, d.b) for d in found] == [("BOR", "ARL")]
    assert article_divergences(make_bundle(claims=(PUBLIC,)), min_score=0.99) == []


def test_divergence_reads_a_store(tmp_path):
    from detente.store import open_store

    store = open_store(tmp_path / "div.db")
    try:
        store.migrate()
        store.write_bundles([make_bundle()])
        assert divergence(store, "BOR", "ARL").score == 1.0
    finally:
        store.close()


@pytest.mark.model
def test_example_article_russia_china_divergence(example_bundle):
    result = divergence([example_bundle], "RUS", "CHN")
    assert result.public.stance is not None and result.public.stance > 0.5
    assert any("golden era" in e.text for e in result.public.evidence)
    assert result.internal.stance is not None and result.internal.stance < 0
    assert all(e.channel == "leaked_document" for e in result.internal.evidence)
    assert result.score is not None and result.score >= 0.5
    assert ("RUS", "CHN") in [(d.a, d.b) for d in article_divergences(example_bundle)]
