"""The actors stage on texts written for these tests (one bare model + the stage, built once)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from detente.actors.coreference import antecedents
from detente.pipeline import register_extensions
from detente.records import Article

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_nlp):
    nlp = actors_nlp

    def code(text: str, published: dt.date | None = dt.date(2025, 6, 9)):
        doc = nlp.make_doc(text)
        doc._.article = Article(id="t", text=text, published=published)
        return nlp(doc)

    return code


def refs(doc):
    return {r.text: r for r in doc._.actors}


def test_refs_cover_whole_phrases_and_never_overlap(coder):
    doc = coder(
        "Russia's FSB said the Russian Foreign Ministry had warned Chinese agents. "
        "Dissatisfied Russian scientists met President Vladimir Putin in Moscow on Monday."
    )
    got = refs(doc)
    assert (got["Russia's FSB"].country, got["Russia's FSB"].sector) == ("RUS", "SPY")
    assert (got["Russian Foreign Ministry"].country, got["Russian Foreign Ministry"].sector) == ("RUS", "GOV")
    assert (got["Chinese agents"].country, got["Chinese agents"].sector) == ("CHN", "SPY")
    assert (got["Russian scientists"].country, got["Russian scientists"].sector) == ("RUS", "EDU")
    assert got["President Vladimir Putin"].actor_id == "person:vladimir-putin"
    assert (got["Moscow"].country, got["Moscow"].sector, got["Moscow"].kind) == ("RUS", "GOV", "metonym")
    spans = sorted((r.start, r.end) for r in doc._.actors)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    for r in doc._.actors:
        assert doc.text[r.start : r.end] == r.text


def test_demonym_on_a_non_actor_noun_is_still_the_country(coder):
    got = refs(coder("China is the largest buyer of Russian oil."))
    assert got["Russian"].country == "RUS"
    assert got["China"].actor_id == "country:CHN"


def test_roles_follow_the_article_date(coder):
    text = "Donald Trump spoke with Marco Rubio about Ukraine."
    in_2025 = refs(coder(text, dt.date(2025, 6, 9)))
    in_2022 = refs(coder(text, dt.date(2022, 6, 9)))
    in_2019 = refs(coder(text, dt.date(2019, 6, 9)))
    assert in_2025["Donald Trump"].sector == "GOV" and in_2025["Marco Rubio"].sector == "GOV"
    assert in_2022["Donald Trump"].sector == "ELI"
    assert in_2019["Donald Trump"].sector == "GOV" and in_2019["Marco Rubio"].sector == "LEG"


def test_titles_give_sector_and_former_gives_eli(coder):
    got = refs(coder("Bulgarian President Todor Zhivkov met former Prime Minister Andrej Novak in Sofia."))
    zhivkov = got["Bulgarian President Todor Zhivkov"]
    assert (zhivkov.country, zhivkov.sector, zhivkov.kind) == ("BGR", "GOV", "person")
    assert got["former Prime Minister Andrej Novak"].sector == "ELI"


def test_unknown_named_actors_stay_as_unk(coder):
    got = refs(coder("The document was obtained by the Ares Leaks hacker group."))
    ares = next(r for t, r in got.items() if "Ares Leaks" in t)
    assert ares.country == "UNK"
    assert ares.actor_id.startswith("org:ares-leaks")


def test_transliterated_leader_inside_an_article(coder):
    got = refs(coder("The leaders of Putin and Si Jin-Pching talk about the partnership without borders."))
    xi = got["Si Jin-Pching"]
    assert (xi.actor_id, xi.country, xi.sector) == ("person:xi-jinping", "CHN", "GOV")
    assert xi.confidence < got["Putin"].confidence


def test_definite_description_links_back_to_the_newspaper(coder):
    doc = coder(
        "The New York Times obtained the leaked report. The FSB did not comment. "
        "According to the daily, the report is authentic."
    )
    daily = refs(doc)["the daily"]
    assert (daily.actor_id, daily.country, daily.sector) == ("org:nyt", "USA", "JRN")
    links = {m.text: a.text for m, a in antecedents(doc)}
    assert links["the daily"] == "The New York Times"


def test_pronouns_only_with_one_candidate(coder):
    one = coder("Vladimir Putin arrived in Beijing. He praised the partnership.")
    assert {m.text: a.actor_id for m, a in antecedents(one)}.get("He") == "person:vladimir-putin"
    two = coder("Vladimir Putin met Donald Trump. He praised the partnership.")
    assert "He" not in {m.text for m, _ in antecedents(two)}


def test_empty_doc(coder):
    assert coder("").__getattribute__("_").actors == []


def test_dev_gold_accuracy_floor():
    """Accuracy gate on the PLOVER dev gold (read from ../shared; skipped where it is absent)."""
    import os
    from pathlib import Path

    from detente.actors.evaluation import read_gold, score_actors
    from detente.actors.stage import actor_nlp

    shared = Path(os.environ.get("DETENTE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    gold = shared / "eval" / "plover_gsr_dev.jsonl"
    if not gold.exists():
        pytest.skip(f"{gold} is absent (shared material is not in this checkout)")
    scores = score_actors(actor_nlp(), read_gold(gold)).as_dict(False)
    assert scores["mentions"] > 300
    # Floors restated for the conventions of docs/annotation.md (issue 11), which this older gold predates:
    # international NGOs are UNK SOC, not IGO (Amnesty twice, "human rights group"); security forces are COP
    # and an intergovernmental body is GOV ("Palestinian security forces" MIL, "UN refugee agency" REF here).
    assert scores["country"]["accuracy"] >= 0.935
    assert scores["sector"]["accuracy"] >= 0.89


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israeli warplanes struck Hezbollah positions.", {"Israeli warplanes": ("ISR", "MIL"), "Hezbollah": ("LBN", "REB")}),
        ("Chinese Foreign Ministry spokesman Zhao Lijian criticised Washington.",
         {"Chinese Foreign Ministry spokesman Zhao Lijian": ("CHN", "GOV"), "Washington": ("USA", "GOV")}),
        ("Turkish security forces clashed with PKK guerrillas.",
         {"Turkish security forces": ("TUR", "COP"), "PKK guerrillas": ("TUR", "REB")}),  # COP: docs/annotation.md
        ("Venezuelan opposition leader Juan Guaido called for elections.",
         {"Venezuelan opposition leader Juan Guaido": ("VEN", "OPP")}),
        ("Hezbollah chief Hassan Nasrallah threatened Israel.", {"Hezbollah chief Hassan Nasrallah": ("LBN", "REB")}),
        ("Italian aid workers in Somalia were released.", {"Italian aid workers in Somalia": ("ITA", "CVL")}),
        ("The head of the Bush administration spoke.", {"Bush administration": ("USA", "GOV")}),
        ("Bosnian Serb army units advanced.", {"Bosnian Serb army units": ("BIH", "MIL")}),
        ("Hundreds of Kosovo Albanians protested.", {"Kosovo Albanians": ("XKX", "CVL")}),
        ("Russian rights groups condemned the arrest.", {"Russian rights groups": ("RUS", "SOC")}),
        ("A human rights group accused the police.", {"human rights group": ("UNK", "SOC")}),  # NGOs: no state
        ("U.N. officials said the talks had failed.", {"U.N. officials": ("IGO", "GOV")}),
    ],
)  # fmt: skip
def test_news_phrases(coder, text, expected):
    got = {r.text: (r.country, r.sector) for r in coder(text, dt.date(2023, 6, 1))._.actors}
    for phrase, codes in expected.items():
        assert got.get(phrase) == codes, (phrase, got)


def test_example_article_targets(example_bundle):
    """The motivating article (published 2025-06-09) through the full pipeline."""
    by_text: dict[str, set[tuple[str, str | None, str]]] = {}
    for r in example_bundle.actors:
        by_text.setdefault(r.text, set()).add((r.country, r.sector, r.actor_id))
    assert ("RUS", "SPY", "org:fsb") in by_text["FSB"]
    assert by_text["Si Jin-Pching"] == {("CHN", "GOV", "person:xi-jinping")}
    assert by_text["The New York Times"] == by_text["NYT"] == {("USA", "JRN", "org:nyt")}
    assert by_text["Foreign Minister Marco Rubio"] == {("USA", "GOV", "person:marco-rubio")}
    assert by_text["Donald Trump"] == {("USA", "GOV", "person:donald-trump")}
    assert by_text["WeChat"] == {("CHN", "BUS", "org:wechat")}
    assert by_text["the daily"] == {("USA", "JRN", "org:nyt")}
    assert {c for c, _, _ in by_text["Russia"] | by_text["China"] | by_text["Ukraine"]} == {
        "RUS",
        "CHN",
        "UKR",
    }
    ares = [r for r in example_bundle.actors if r.text.startswith("Ares Leaks")]
    assert ares and ares[0].country == "UNK"


def test_regions_are_never_actors_and_cities_stand_for_their_country(coder):
    got = refs(coder("Militants in the Sahel attacked a convoy. Officials in Quetta condemned the attack."))
    assert not any("Sahel" in t for t in got)
    quetta = next(r for t, r in got.items() if "Quetta" in t)
    assert quetta.country == "PAK"


def test_title_and_surname_pick_the_person_in_office(coder):
    lai = refs(coder("President Lai visited a military base.", dt.date(2025, 6, 1)))["President Lai"]
    assert (lai.actor_id, lai.country, lai.sector) == ("person:lai-ching-te", "TWN", "GOV")
    bush = refs(coder("President Bush met the allies.", dt.date(1990, 6, 1)))["President Bush"]
    assert bush.actor_id == "person:george-h-w-bush"
    kim = refs(coder("President Kim spoke.", dt.date(2025, 6, 1)))["President Kim"]
    assert kim.country == "UNK"  # several Kims in office: no guess


def test_stage_works_without_a_parser_or_entities():
    import spacy

    import detente.actors.stage  # noqa: F401

    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("detente.actors.v1")
    got = {r.text: (r.country, r.sector) for r in nlp("Russia's FSB warned Chinese agents.")._.actors}
    assert got == {"Russia's FSB": ("RUS", "SPY"), "Chinese agents": ("CHN", "SPY")}
    assert nlp("")._.actors == []
