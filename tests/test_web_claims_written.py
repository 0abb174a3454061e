"""Claims that read right (issue 13 item 4) on two articles written for this test, coded by the whole
pipeline, stored and read back through the article page, ``detente claims`` and ``detente show``:
verification language with its polarity (card marks and the CLI's column), each event on the innermost
claim that reports it, and the chain graph with one node per source and who obtained the document.

The motivating example is tested the same way in ``tests/test_web.py`` (graph, cards) and
``tests/test_claims.py`` / ``tests/test_claims_continuation.py`` (polarity, innermost claims). What these
articles show the claim finder does not yet read is written down as strict xfails, each naming the defect:
they fail loudly once it is fixed, so the marker can go."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.cli import cli
from detente.records import Article, Bundle, Claim, article_id
from detente.web.charts import claim_graph

pytestmark = pytest.mark.model

GEORGIA = """Leaked defence memo shows Moscow planned pressure on Georgia
A memo from Russia's defence ministry, obtained by the hacker group Cyber Partisans and passed to Reuters, describes plans to pressure Georgia. According to the memo, the ministry ordered new exercises near the Georgian border. It also told commanders to prepare drills in Abkhazia. Reuters could not independently verify the memo, but three former officials who read it judged it authentic.
Reuters reported that the ministry had demanded talks with Tbilisi on border crossings. The Times of London, citing the same memo, said Russia threatened to close the Verkhny Lars crossing.
Georgia's foreign minister said on Tuesday that Tbilisi would not negotiate under pressure.
"""
HORMUZ = """Leaked document shows Iran plans more patrols in the Strait of Hormuz
Iran's navy plans to expand patrols in the Strait of Hormuz, according to a leaked document seen by Reuters. The document was obtained by the hacker group Black Reward, but it did not say how. Reuters could not independently verify the document, though two analysts who examined it judged it authentic.
According to the document, the navy ordered new patrols near the strait. It also ordered commanders to follow American warships.
Reuters reported that Iran had warned Oman against hosting American ships. Reuters also reported that Iran's foreign minister met his Omani counterpart in Muscat on Sunday.
The United States condemned the plans on Tuesday.
"""
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def coded(nlp, tmp_path_factory) -> dict[str, Bundle]:
    from detente.pipeline import code_articles

    articles = [
        Article(article_id(text), text, title=text.splitlines()[0], outlet="Harbour Herald",
                published=dt.date(2025, 3, 14), language="en")
        for text in (GEORGIA, HORMUZ)
    ]  # fmt: skip
    georgia, hormuz = code_articles(articles, nlp=nlp)
    return {"georgia": georgia, "hormuz": hormuz}


@pytest.fixture(scope="module")
def db(coded, tmp_path_factory) -> str:
    from detente.store import open_store

    path = str(tmp_path_factory.mktemp("written") / "written.db")
    store = open_store(path)
    store.write_bundles(list(coded.values()))
    store.close()
    return path


@pytest.fixture(scope="module")
def page(db):
    from detente.store import open_store

    store = open_store(db)
    client = TestClient(create_app(store))
    yield lambda bundle: client.get(f"/articles/{bundle.article.id}", headers=HTML).text
    store.close()


def event_on(bundle: Bundle, word: str, occurrence: int = 0) -> Claim:
    """The claim the event whose trigger holds ``word`` (its n-th occurrence) sits on."""
    at = -1
    for _ in range(occurrence + 1):
        at = bundle.article.text.index(word, at + 1)
    [event] = [e for e in bundle.events if e.trigger.start <= at < e.trigger.end]
    return next(c for c in bundle.claims if c.id == event.claim_id)


def card(html: str, claim: Claim) -> str:
    block = html[html.index(f'id="claim-{claim.id}"') :]
    return block[: block.index('<div id="claim-', 1)] if '<div id="claim-' in block[1:] else block


def marks(block: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'class="verification v-(\w+)" data-polarity="\w+"><span class="v-mark" aria-hidden="true">(.)</span>'
        r' <span class="v-label">[^<]*</span> ([^<]*)</div>',
        block,
    )


def nodes(svg: str) -> dict[str, tuple[int, str]]:
    return {
        m.group("title"): (int(m.group("n")), m.group("meta"))
        for m in re.finditer(
            r'data-claims="(?P<n>\d+)">.*?class="node-title">(?P<title>[^<]*)</text>.*?'
            r'class="node-meta">(?P<meta>[^<]*)</text>',
            svg,
            re.S,
        )
    }


# ------------------------------------------------------------------ polarity


def test_a_memo_doubted_and_judged_authentic_reads_mixed_on_its_card_and_in_the_cli(coded, page, db):
    bundle = coded["georgia"]
    memo = next(c for c in bundle.claims if c.verification)
    assert memo.channel == "leaked_document"
    assert [(v.text, v.polarity) for v in memo.verification] == [
        ("Reuters could not independently verify the memo", "doubts"),
        ("three former officials who read it judged it authentic", "confirms"),
    ]
    assert memo.verification_status == "mixed"
    block = card(page(bundle), memo)
    assert marks(block) == [
        ("doubts", "⚠", "Reuters could not independently verify the memo"),
        ("confirms", "✔", "three former officials who read it judged it authentic"),
    ]
    assert ">verification mixed</span>" in block
    # No other card of the article claims a verdict.
    assert page(bundle).count('class="badge verify-') == 1
    # The CLI: 'detente claims' sums it up and marks each piece; 'detente show' words it.
    rows = list(csv.DictReader(io.StringIO(
        CliRunner().invoke(cli, ["claims", "--db", db, "--format", "csv", "--article", bundle.article.id]).stdout
    )))  # fmt: skip
    [row] = [r for r in rows if r["verification"]]
    assert row["verification"] == "mixed" and row["verification_text"] == (
        "- Reuters could not independently verify the memo; + three former officials who read it judged it authentic"
    )
    shown = CliRunner().invoke(cli, ["show", bundle.article.id, "--db", db]).stdout
    assert "      - casts doubt: Reuters could not independently verify the memo\n" in shown
    assert "      + confirms: three former officials who read it judged it authentic\n" in shown


def test_could_not_verify_is_never_a_tick(coded, page):
    bundle = coded["hormuz"]
    block = card(page(bundle), next(c for c in bundle.claims if c.verification))
    found = marks(block)
    assert (
        found
        and found[0][:2] == ("doubts", "⚠")
        and found[0][2].startswith("Reuters could not independently")
    )
    assert ("confirms", "✔") not in {m[:2] for m in found if "could not" in m[2]}


def test_though_starts_a_confirming_piece(coded):
    memo = next(c for c in coded["hormuz"].claims if c.verification)
    assert ("two analysts who examined it judged it authentic", "confirms") in [
        (v.text, v.polarity) for v in memo.verification
    ]
    assert memo.verification_status == "mixed"


# ------------------------------------------------------------------ innermost claims


def test_events_sit_on_the_innermost_claim_that_reports_them(coded):
    georgia, hormuz = coded["georgia"], coded["hormuz"]
    assert event_on(georgia, "ordered").channel == "leaked_document"  # "According to the memo, ..."
    assert {a.name for a in event_on(georgia, "demanded").speaker} == {"Reuters"}  # "Reuters reported that"
    assert {a.name for a in event_on(georgia, "negotiate").speaker} != {"Harbour Herald"}  # the minister's
    # "According to the document, the navy ordered ... It also ordered ...": the second, an order to its own
    # commanders, the twenty-ninth session's model no longer codes (no act between two actors); when coded,
    # it sits on the document too
    assert event_on(hormuz, "ordered").channel == "leaked_document"
    second = hormuz.article.text.index("ordered", hormuz.article.text.index("ordered") + 1)
    for event in [e for e in hormuz.events if e.trigger.start <= second < e.trigger.end]:
        assert next(c for c in hormuz.claims if c.id == event.claim_id).channel == "leaked_document"
    for word in ("warned", "met"):
        assert {a.name for a in event_on(hormuz, word).speaker} == {"Reuters"}, word
    outlet = event_on(hormuz, "condemned")  # the outlet's own sentence stays on the outlet
    assert outlet.parent_id is None and {a.name for a in outlet.speaker} == {"Harbour Herald"}


def test_a_document_seen_by_an_outlet_is_relayed_by_it(coded):
    bundle = coded["hormuz"]
    by_id = {c.id: c for c in bundle.claims}
    document = event_on(bundle, "ordered")
    relays = by_id[document.parent_id] if document.parent_id else None
    assert relays is not None and {a.name for a in relays.speaker} == {"Reuters"}


# ------------------------------------------------------------------ the chain graph


def test_the_graph_draws_each_source_once(coded, page):
    bundle = coded["hormuz"]
    svg = str(claim_graph(bundle.claims, article_label="Harbour Herald"))
    found = nodes(svg)
    titles = re.findall(r'class="node-title">([^<]*)</text>', svg)
    assert len(titles) == len(set(titles)), titles
    reuters = [c for c in bundle.claims if {a.name for a in c.speaker} == {"Reuters"}]
    # "Reuters reported that" twice, and Reuters relaying "a leaked document seen by Reuters": one node.
    assert len(reuters) == 3 and found["Reuters"] == (3, "media report · 3 claims")
    # "a leaked document ... The document ... According to the document": one unnamed document, one node.
    documents = [c for c in bundle.claims if c.channel == "leaked_document"]
    [(_, (n, meta))] = [(t, v) for t, v in found.items() if v[1].startswith("leaked document")]
    assert n == len(documents) > 1 and meta == f"leaked document · {n} claims"
    assert svg.count('class="node-obtained">') == 1  # who obtained it, once
    assert svg.count('class="node-obtained">obtained by') == 1
    # The article page draws the same graph.
    assert page(bundle).count('class="node-title">Reuters</text>') == 1


def test_who_obtained_the_document_is_named(coded):
    document = next(c for c in coded["hormuz"].claims if c.channel == "leaked_document")
    assert [a.name for a in document.obtained_by] == ["Black Reward"]


def test_the_times_of_london_is_not_the_new_york_times(coded):
    claim = event_on(coded["georgia"], "threatened")
    assert "The New York Times" not in {a.name for a in claim.speaker}
