"""Classes of wrong events found by reading a coded corpus as an analyst would (bare parse, actors
placed by hand): military strikes read as walkouts, parades read as protests, missiles fired at a
place read as a weapons display. Each test pins the rule and the counterpart that must not change.
"""

from __future__ import annotations

import pytest

from detente.events.lexicon import load_lexicon
from detente.events.rules import extract_events
from detente.records import ActorRef, Article, article_id


def code(parser, text: str, actors: dict[str, str]):
    """``actors``: phrase -> country, marked at every occurrence."""
    doc = parser(text)
    refs = []
    for phrase, country in actors.items():
        start = text.find(phrase)
        while start >= 0:
            refs.append(
                ActorRef(phrase, start, start + len(phrase), phrase.lower(), phrase, country, None, "country")
            )
            start = text.find(phrase, start + 1)
    doc._.article = Article(id=article_id(text), text=text)
    doc._.actors = refs
    doc._.claims = []
    return extract_events(doc, load_lexicon())


def types_of(events, word: str) -> set[str]:
    return {e.event_type for e in events if word in e.trigger.text}


@pytest.mark.parametrize(
    "text, actors",
    [
        ("Libya carried out a strike on Egyptian positions near the border.", {"Libya": "LBY", "Egyptian": "EGY"}),
        ("Chile launched large-scale strikes on Bolivian positions overnight.", {"Chile": "CHL",
                                                                                "Bolivian": "BOL"}),
        ("Peru has not confirmed its role in the Lima strike on Ecuadorian officers.",
         {"Peru": "PER", "Ecuadorian": "ECU"}),
    ],
)  # fmt: skip
def test_a_strike_noun_without_labour_cues_is_an_attack(parser, text, actors):
    events = code(parser, text, actors)
    assert "ASSAULT" in types_of(events, "strike")
    assert "PROTEST" not in types_of(events, "strike")


@pytest.mark.parametrize(
    "text",
    [
        "Chilean workers began an open-ended strike over pay on Monday.",
        "Chilean farmers started a hunger strike outside parliament.",
        "Chilean unions called a general strike against the pension reform.",
    ],
)
def test_a_strike_by_workers_or_of_a_labour_kind_stays_a_protest(parser, text):
    events = code(parser, text, {"Chilean": "CHL"})
    assert "PROTEST" in types_of(events, "strike")
    assert "ASSAULT" not in types_of(events, "strike")


def test_marching_in_a_parade_is_no_protest(parser):
    parade = code(parser, "Peruvian soldiers marched in the parade alongside Chilean troops.",
                  {"Peruvian": "PER", "Chilean": "CHL"})  # fmt: skip
    assert types_of(parade, "march") == set()
    ceremony = code(
        parser, "Bolivian cadets marched at the anniversary ceremony in La Paz.", {"Bolivian": "BOL"}
    )
    assert types_of(ceremony, "march") == set()
    protest = code(parser, "Thousands of Peruvians marched against the government in Lima.",
                   {"Peruvians": "PER", "Lima": "PER"})  # fmt: skip
    assert types_of(protest, "march") == {"PROTEST"}


def test_missiles_fired_at_a_place_are_an_attack_not_a_display(parser):
    at_site = code(parser, "Chile fired several missiles at a military facility in Bolivia.",
                   {"Chile": "CHL", "Bolivia": "BOL"})  # fmt: skip
    assert types_of(at_site, "fired") == {"ASSAULT"}
    test_shot = code(
        parser, "Chile fired several missiles into the sea during the exercise.", {"Chile": "CHL"}
    )
    assert "ASSAULT" not in types_of(test_shot, "fired")


def roles(event) -> tuple[list[str], list[str]]:
    return [r.country for r in event.source], [r.country for r in event.target]


def test_a_state_that_is_a_customer_of_anothers_goods_trades_with_it(parser):
    of_goods = code(
        parser, "Chile is the largest customer of Peruvian copper.", {"Chile": "CHL", "Peruvian": "PER"}
    )
    assert [(e.event_type, roles(e)) for e in of_goods] == [("COOPERATE", (["CHL"], ["PER"]))]
    possessed = code(parser, "Chile is Peru's biggest buyer.", {"Chile": "CHL", "Peru": "PER"})
    assert [(e.event_type, roles(e)) for e in possessed] == [("COOPERATE", (["CHL"], ["PER"]))]
    topic = code(parser, "The largest customer of Peruvian copper is a private smelter.", {"Peruvian": "PER"})
    assert [e.event_type for e in topic] == []


def test_aid_without_recipient_continues_the_previous_cooperation(parser):
    text = "Chile is the largest customer of Peruvian copper and delivers key technologies such as chips."
    events = code(parser, text, {"Chile": "CHL", "Peruvian": "PER"})
    aid = [e for e in events if e.event_type == "AID"]
    assert [roles(e) for e in aid] == [(["CHL"], ["PER"])]
    alone = code(parser, "Chile delivers key technologies such as chips.", {"Chile": "CHL"})
    assert [roles(e) for e in alone if e.event_type == "AID"] in ([], [(["CHL"], [])])
