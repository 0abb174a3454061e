"""Events of set-valued references: "the two leaders met", "both countries agreed" are events of each member.

The actors stage keeps "both countries" as one ref of country UNK that names its members
(``detente.actors.sets``); an event counts between countries, so its roles carry each member."""

from __future__ import annotations

import pytest

from detente.events.roles import roles_with_set_members, with_set_members
from detente.records import ActorRef
from tests.test_events_roles import code, countries

EGY_TUR = ("UNK", "set", "set:EGY+TUR")


def set_ref(text: str = "both countries", start: int = 0) -> ActorRef:
    return ActorRef(text, start, start + len(text), "set:EGY+TUR", "Egypt and Turkey", "UNK", "GOV", "set", 0.6,
                    "coreference")  # fmt: skip


def test_a_set_ref_becomes_one_country_ref_per_member_over_its_span():
    refs = with_set_members([set_ref()])
    assert [(r.country, r.actor_id, r.name) for r in refs] == [
        ("EGY", "country:EGY", "Egypt"),
        ("TUR", "country:TUR", "Turkey"),
    ]
    assert all((r.start, r.end, r.sector, r.kind) == (0, 14, "GOV", "country") for r in refs)


def test_a_member_already_taking_part_is_not_repeated_and_other_refs_pass_unchanged():
    egypt = ActorRef("Cairo", 20, 25, "country:EGY", "Egypt", "EGY", "GOV", "metonym")
    refs = with_set_members([egypt, set_ref()])
    assert [r.country for r in refs] == ["EGY", "TUR"] and refs[0] is egypt


def test_the_two_leaders_meeting_is_a_meeting_of_both_countries(parser):
    events = code(parser, "The two leaders met in Ankara on Tuesday.", {"The two leaders": EGY_TUR})
    meeting = next(e for e in events if e.event_type == "CONSULT")
    assert countries(meeting.source) | countries(meeting.target) == {"EGY", "TUR"}
    assert "UNK" not in countries(meeting.source)


def test_a_set_as_target_gives_each_member_as_target(parser):
    events = code(parser, "Russia accused both countries of sabotage.",
                  {"Russia": ("RUS",), "both countries": EGY_TUR})  # fmt: skip
    accusation = next(e for e in events if e.event_type == "ACCUSE")
    assert countries(accusation.source) == {"RUS"} and countries(accusation.target) == {"EGY", "TUR"}


@pytest.mark.model
def test_whole_pipeline_two_leaders_meeting_reaches_both_countries(nlp):
    from detente.pipeline import code_articles
    from detente.records import Article, article_id

    text = ("Egyptian President Abdel Fattah el-Sisi and Turkish President Recep Tayyip Erdogan spoke by phone on "
            "Monday. The two leaders met in Ankara on Tuesday to discuss trade.")  # fmt: skip
    bundle = next(iter(code_articles([Article(id=article_id(text), text=text)], nlp=nlp)))
    meetings = [e for e in bundle.events if e.event_type == "CONSULT" and "met" in e.trigger.text]
    assert meetings, [(e.event_type, e.trigger.text) for e in bundle.events]
    assert countries(meetings[0].source) | countries(meetings[0].target) == {"EGY", "TUR"}
    assert meetings[0].reciprocal


def test_a_set_of_the_sources_themselves_is_no_target():
    egypt = ActorRef("Egypt", 0, 5, "country:EGY", "Egypt", "EGY", None, "country")
    turkey = ActorRef("Turkey", 10, 16, "country:TUR", "Turkey", "TUR", None, "country")
    their = set_ref("their", 30)  # "Egypt and Turkey agreed to expand their trade"
    assert roles_with_set_members([egypt, turkey], [their]) == ([egypt, turkey], [])
    # a target of a source's country named on its own stays ("Egyptian police arrested Egyptian activists")
    activists = ActorRef(
        "Egyptian activists", 40, 58, "group:egy-cvl", "Egypt civilians", "EGY", "CVL", "group"
    )
    assert roles_with_set_members([egypt], [activists]) == ([egypt], [activists])
    # a set's member that is no source stays a target ("Russia accused both countries")
    russia = ActorRef("Russia", 0, 6, "country:RUS", "Russia", "RUS", None, "country")
    assert [t.country for t in roles_with_set_members([russia], [their])[1]] == ["EGY", "TUR"]
