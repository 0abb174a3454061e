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
    result = divergence([make_bundle()], "BOR", "ARL", min_items=1)
    assert result.public.stance == 1.0 and result.internal.stance == -1.0
    assert result.score == 1.0
    assert [e.id for e in result.public.evidence] == ["c1"]
    assert [e.id for e in result.internal.evidence] == ["c2"]
    assert [e.id for e in result.material.evidence] == ["e1"] and result.material.stance == -0.9
    evidence = result.internal.evidence[0]
    assert TEXT[evidence.start : evidence.end] == evidence.text and "threat" in evidence.cues
    assert "public cooperative" in result.summary and "internal documents hostile" in result.summary
    assert "1 public item against 1 item of internal documents" in result.summary
    assert result.article_ids == ("art",)
    assert result.public.speakers == ("the president",) and result.internal.speakers == ("ministry",)


def test_material_actions_stand_in_without_documents():
    result = divergence([make_bundle(claims=(PUBLIC,))], "BOR", "ARL", min_items=1)
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
        assert divergence(store, "BOR", "ARL", min_items=1).score == 1.0
    finally:
        store.close()


def copy_of(bundle: Bundle, article_id: str, outlet: str) -> Bundle:
    """A syndicated copy: the same text and records under another article id and outlet."""
    import dataclasses

    article = dataclasses.replace(bundle.article, id=article_id, outlet=outlet, story_id="story")
    return Bundle(
        article, bundle.actors,
        tuple(dataclasses.replace(c, id=f"{c.id}-{article_id}", article_id=article_id) for c in bundle.claims),
        tuple(dataclasses.replace(e, id=f"{e.id}-{article_id}", article_id=article_id) for e in bundle.events),
    )  # fmt: skip


def test_syndicated_copies_are_one_item_and_a_thin_side_is_not_enough_evidence():
    original = copy_of(make_bundle(), "art", "Post")
    copies = [original, copy_of(make_bundle(), "art2", "Wire"), copy_of(make_bundle(), "art3", "Gazette")]
    result = divergence(copies, "BOR", "ARL")
    # Three copies of one statement, one memo and one shelling: one item each, carried by three articles.
    assert [e.article_ids for e in result.public.evidence] == [("art", "art2", "art3")]
    assert (result.public.items, result.internal.items, result.material.items) == (1, 1, 1)
    assert result.material.evidence[0].mentions == 3
    assert result.score is None and result.min_items == 3 and not result.enough_evidence
    assert "not enough evidence to compare (1 public item against 1 item of internal documents; " \
        "needs one a side and 3 in all)" in result.summary  # fmt: skip
    assert result.article_ids == ("art", "art2", "art3")
    # A second, different public statement makes three items in all: enough.
    second_public = claim("c3", PRESIDENT, "praised the partnership with Arland", "public_statement")
    more = Bundle(make_bundle().article, make_bundle().actors, (PUBLIC, MEMO, second_public), (SHELLING,))
    result = divergence([more], "BOR", "ARL")
    assert (result.public.items, result.internal.items) == (2, 1) and result.score is not None
    assert "divergence 1.00 (2 public items against 1 item of internal documents)" in result.summary
    # Three in all, but none on the compared side: still not enough.
    alone = Bundle(more.article, more.actors, (PUBLIC, second_public), ())
    assert divergence([alone], "BOR", "ARL").score is None


@pytest.mark.model
def test_example_article_russia_china_divergence(example_bundle):
    result = divergence([example_bundle], "RUS", "CHN")
    assert result.public.stance is not None and result.public.stance > 0.5
    assert any("golden era" in e.text for e in result.public.evidence)
    assert result.internal.stance is not None and result.internal.stance < 0
    assert all(e.channel == "leaked_document" for e in result.internal.evidence)
    assert result.score is not None and result.score >= 0.5
    assert ("RUS", "CHN") in [(d.a, d.b) for d in article_divergences(example_bundle)]
