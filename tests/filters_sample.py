"""A store for the dashboard's filters and paging (issue 13): 90 short articles of our own, one event each.

Built from records, not from the coder, so what each filter selects is known from ``SPEC`` alone: every
article is its own story, so each event is one event of one mention, and a test counts the expected
answer by reading the spec, never through the code under test.

Article ``i`` (0-89), published weekly from 2024-01-01:

- outlet: Northern Post, Eastern Wire, Coast Gazette in turn (``i % 3``);
- pair: Russia -> China, China -> Russia, the United States -> Ukraine in turn (``i % 3`` shifted: see PAIRS);
- type: ACCUSE, CONSULT, SANCTION, AGREE in turn (``i % 4``), so quads verbal conflict, verbal cooperation,
  material conflict, verbal cooperation;
- modality: negated when ``i % 10 == 3``, hypothetical when ``i % 10 == 7``, else asserted;
- confidence: 0.4, 0.5, ... 0.9 in turn (``i % 6``): below 0.6 is low confidence;
- corroboration: 2 outlets when ``i % 4 == 0``, else 1 (single source);
- background when ``i % 9 == 4``: an earlier event told as context, dated a year before publication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from detente.records import (
    QUAD_OF_TYPE,
    ActorRef,
    Article,
    Bundle,
    Event,
    ResolvedDate,
    Span,
    article_id,
    event_id,
)
from detente.store.base import Store

COUNT = 90
FIRST_DAY = dt.date(2024, 1, 1)
OUTLETS = ("Northern Post", "Eastern Wire", "Coast Gazette")
NAMES = {"Russia": "RUS", "China": "CHN", "the United States": "USA", "Ukraine": "UKR"}
PAIRS = (("Russia", "China"), ("the United States", "Ukraine"), ("China", "Russia"))
TYPES = ("ACCUSE", "CONSULT", "SANCTION", "AGREE")
VERBS = {"ACCUSE": "accused", "CONSULT": "consulted", "SANCTION": "sanctioned", "AGREE": "agreed with"}
INTENSITY = {"ACCUSE": -2.0, "CONSULT": 1.0, "SANCTION": -4.0, "AGREE": 4.0}


@dataclass(frozen=True)
class Row:
    """What article ``i`` holds, as the tests count it."""

    i: int
    article_id: str
    event_id: str
    outlet: str
    published: dt.date
    day: dt.date  # the date the event is counted at
    event_type: str
    quad: str
    modality: str
    confidence: float
    corroboration: int
    background: bool
    source: str  # country code
    target: str

    @property
    def uncertain(self) -> bool:
        return self.confidence < 0.6 or self.corroboration <= 1


def _ref(text: str, phrase: str) -> ActorRef:
    start = text.index(phrase)
    code = NAMES[phrase]
    name = phrase.removeprefix("the ")
    return ActorRef(phrase, start, start + len(phrase), code, name, code, None, "country")


def _day(value: dt.date, text: str) -> ResolvedDate:
    return ResolvedDate(value, value, "day", "exact", text, "test: written in the sentence")


def build() -> tuple[list[Bundle], list[Row]]:
    bundles, rows = [], []
    for i in range(COUNT):
        published = FIRST_DAY + dt.timedelta(days=7 * i)
        source, target = PAIRS[i % 3]
        etype = TYPES[i % 4]
        modality = "negated" if i % 10 == 3 else "hypothetical" if i % 10 == 7 else "asserted"
        background = i % 9 == 4
        day = published - dt.timedelta(days=365) if background else published
        verb = VERBS[etype]
        text = f"In report {i}, {source} {verb} {target}. Officials confirmed it."
        outlet = OUTLETS[i % 3]
        url = f"https://{outlet.split()[0].lower()}.example.org/report-{i}"
        article = Article(id=article_id(text, url), text=text, title=f"Report {i}: {source} and {target}",
                          url=url, outlet=outlet, published=published, language="en")  # fmt: skip
        src, tgt = _ref(text, source), _ref(text, target)
        start = text.index(verb)
        trigger = Span(verb, start, start + len(verb))
        sentence_end = text.index(".") + 1
        confidence = round(0.4 + (i % 6) * 0.1, 2)
        event = Event(
            id=event_id(article.id, trigger, etype, (src,), (tgt,)), article_id=article.id, event_type=etype,
            mode=None, context=(), quad=QUAD_OF_TYPE[etype], intensity=INTENSITY[etype], modality=modality,
            source=(src,), target=(tgt,), trigger=trigger, sentence=Span(text[:sentence_end], 0, sentence_end),
            date=_day(day, "written"), confidence=confidence, reciprocal=False, background=background,
        )  # fmt: skip
        bundles.append(Bundle(article, (src, tgt), (), (event,)))
        rows.append(Row(i, article.id, event.id, outlet, published, day, etype, QUAD_OF_TYPE[etype], modality,
                        confidence, 2 if i % 4 == 0 else 1, background, NAMES[source], NAMES[target]))  # fmt: skip
    return bundles, rows


def fill(store: Store) -> list[Row]:
    """Write the 90 articles with their corroboration as story clustering records it."""
    bundles, rows = build()
    store.write_bundles(bundles)
    store.set_corroboration({r.event_id: r.corroboration for r in rows})
    return rows


SPEC: list[Row] = build()[1]
