"""The role ceiling (``python -m detente.events.training parties``): how a gold party span is classed against
the mentions the actors stage found."""

from __future__ import annotations

from detente.actors.sets import SET_KIND, SET_PREFIX
from detente.events.party_ceiling import both_right, span_kind
from detente.records import ActorRef


def ref(text: str, country: str, kind: str = "country", actor_id: str | None = None) -> ActorRef:
    return ActorRef(text, 0, len(text), actor_id or f"country:{country.lower()}", text, country, None, kind)


def test_a_span_is_classed_by_what_overlaps_it():
    assert span_kind([ref("Kenya", "KEN")], frozenset({"KEN"})) == "right"
    assert span_kind([], frozenset({"KEN"})) == "no mention"
    assert span_kind([ref("police", "UNK", "group")], frozenset({"KEN"})) == "unknown country"
    assert span_kind([ref("Uganda", "UGA")], frozenset({"KEN"})) == "other country"
    both = ref("both countries", "UNK", SET_KIND, SET_PREFIX + "KEN+UGA")
    assert span_kind([both], frozenset({"KEN"})) == "set"
    assert span_kind([ref("Kenya", "KEN")], frozenset()) == "no gold country"
    # one right mention among several is enough
    assert span_kind([ref("Uganda", "UGA"), ref("Kenya", "KEN")], frozenset({"KEN"})) == "right"


class Gold:
    def __init__(self, sources, targets, reciprocal=False):
        self.sources, self.targets, self.reciprocal = frozenset(sources), frozenset(targets), reciprocal


def test_both_countries_right_reads_reciprocal_events_by_their_participants():
    kenya, uganda, unknown = ref("Kenya", "KEN"), ref("Uganda", "UGA"), ref("police", "UNK", "group")
    assert both_right([kenya], [uganda, unknown], Gold({"KEN"}, {"UGA"}))
    assert not both_right([uganda], [kenya], Gold({"KEN"}, {"UGA"}))
    assert both_right([uganda], [kenya], Gold({"KEN", "UGA"}, set(), reciprocal=True))
    assert not both_right([kenya], [], Gold({"KEN", "UGA"}, set(), reciprocal=True))
