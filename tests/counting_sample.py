"""A store with known answers for counting (issue 12): five short articles of our own, coded by hand.

Built from records, not from the coder, so the counts do not move when the coder does. The hand count:

=====  ==============  ==========  =========  ==========================================================
event  what            mentions    counted    why
=====  ==============  ==========  =========  ==========================================================
E1     SANCTION        5           2025-03    one entry ban: three sentences of A1, A2 and its
       RUS->CHN                               syndicated copy A3 (one story); 2 independent outlets
E2     ACCUSE CHN->RUS 1           2025-03    no date of its own: A1's publication date
E3     CONSULT RUS,CHN 2           2025-06    reciprocal meeting, said twice in A4
E4     AGREE RUS,CHN   1           before     reciprocal, background, no date ("since ... signed")
E5     ACCUSE CHN->RUS 1           2025-05    month-only date ("in May"), shown as 2025-05
E6     AGREE RUS,CHN   1           2025-06    reciprocal, month-only date ("In June")
E7     COOPERATE       1           2025-06    low confidence (0.45)
       RUS->CHN
E8     ASSAULT         2           2022-02    background in A4 and A5 (two stories): one event at its
       RUS->UKR                               own date, never in June 2025
=====  ==============  ==========  =========  ==========================================================

Store: 14 mentions, 8 events. RUS–CHN: 12 mentions, 7 events (RUS->CHN 2, CHN->RUS 2, reciprocal 3);
months 2025-03: 2 events (6 mentions), 2025-05: 1, 2025-06: 3 (4 mentions); 1 before the article.
RUS: 8 events (14 mentions); CHN: 7 events (12 mentions).
"""

from __future__ import annotations

import datetime as dt

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
from detente.timex import publication_date

INTENSITY = {
    "SANCTION": -4.0,
    "ACCUSE": -2.0,
    "CONSULT": 1.0,
    "AGREE": 4.0,
    "COOPERATE": 6.0,
    "ASSAULT": -10.0,
}
ACTORS = {
    "Russia": ("RUS", "Russia", "RUS", "country"),
    "Moscow": ("RUS", "Russia", "RUS", "country"),
    "China": ("CHN", "China", "CHN", "country"),
    "Beijing": ("CHN", "China", "CHN", "country"),
    "Chinese inspectors": ("CHN", "China", "CHN", "country"),
    "Ukraine": ("UKR", "Ukraine", "UKR", "country"),
    "Putin": ("Q7747", "Vladimir Putin", "RUS", "person"),
    "Xi": ("Q15031", "Xi Jinping", "CHN", "person"),
}

BAN = (
    "Russia banned Chinese inspectors from entering the Far East on Monday. The ban, Moscow said, is "
    "temporary. Beijing protested against the decision. Russia's ban drew criticism in the region."
)
WIRE = "Russia barred Chinese inspectors from entering the Far East on Monday, officials said."
SUMMIT = (
    "Putin met Xi in Moscow on Wednesday. The two leaders met for three hours. Relations have deepened "
    "since Russia and China signed a friendship treaty. The talks came three years after Russia's invasion "
    "of Ukraine in February 2022."
)
PIPELINE = (
    "China accused Russia in May of stalling a pipeline deal. In June, Russia and China agreed to resume "
    "talks. Russia shipped oil to China on June 16, a blog said. The war began with Russia's invasion of "
    "Ukraine in February 2022."
)


class Coder:
    """Records for one article: actors and events placed on phrases of its text."""

    def __init__(self, text: str, published: dt.date, outlet: str, url: str) -> None:
        self.article = Article(
            id=article_id(text, url), text=text, title=text.split(".")[0], url=url, outlet=outlet,
            published=published, language="en",
        )  # fmt: skip
        self.events: list[Event] = []
        self.actors: list[ActorRef] = []

    def span(self, phrase: str, after: int = 0) -> Span:
        start = self.article.text.index(phrase, after)
        return Span(phrase, start, start + len(phrase))

    def actor(self, phrase: str, after: int = 0) -> ActorRef:
        span = self.span(phrase, after)
        actor_id, name, country, kind = ACTORS[phrase]
        ref = ActorRef(phrase, span.start, span.end, actor_id, name, country, None, kind)
        self.actors.append(ref)
        return ref

    def sentence(self, inside: Span) -> Span:
        text = self.article.text
        start = text.rfind(". ", 0, inside.start)
        start = start + 2 if start >= 0 else 0
        end = text.find(".", inside.end) + 1 or len(text)
        return Span(text[start:end], start, end)

    def event(
        self, trigger: str, etype: str, source: list[ActorRef], target: list[ActorRef] = (), *,  # type: ignore[assignment]
        after: int = 0, date: ResolvedDate | None = None, reciprocal: bool = False, background: bool = False,
        confidence: float = 0.9,
    ) -> Event:  # fmt: skip
        span = self.span(trigger, after)
        if date is None and not background:
            date = publication_date(self.article.published_date)  # no date of its own
        event = Event(
            id=event_id(self.article.id, span, etype, tuple(source), tuple(target)), article_id=self.article.id,
            event_type=etype, mode=None, context=(), quad=QUAD_OF_TYPE[etype], intensity=INTENSITY[etype],
            modality="asserted", source=tuple(source), target=tuple(target), trigger=span,
            sentence=self.sentence(span), date=date, confidence=confidence, reciprocal=reciprocal,
            background=background,
        )  # fmt: skip
        self.events.append(event)
        return event

    def bundle(self) -> Bundle:
        return Bundle(self.article, tuple(self.actors), (), tuple(self.events))


def day(value: dt.date, text: str) -> ResolvedDate:
    return ResolvedDate(value, value, "day", "exact", text, "test: written in the sentence")


def month(year: int, mon: int, text: str) -> ResolvedDate:
    start = dt.date(year, mon, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return ResolvedDate(start, end, "month", "exact", text, "test: month")


MONDAY = dt.date(2025, 3, 10)
STORIES = {"ban": "story-ban", "summit": "story-summit", "pipeline": "story-pipeline"}


def known_bundles() -> dict[str, Bundle]:
    """The five articles by name: ban, wire, copy (syndicated wire), summit, pipeline."""
    a1 = Coder(BAN, dt.date(2025, 3, 12), "Northern Post", "https://north.example.org/ban")
    russia, inspectors = a1.actor("Russia"), a1.actor("Chinese inspectors")
    ban = a1.event("banned", "SANCTION", [russia], [inspectors], date=day(MONDAY, "on Monday"))
    moscow, beijing = a1.actor("Moscow"), a1.actor("Beijing")
    a1.event("ban", "SANCTION", [moscow], [inspectors], after=ban.trigger.end)  # restated, no date of its own
    a1.event("protested", "ACCUSE", [beijing], [moscow])
    later = a1.span("Russia's ban")
    a1.event(
        "ban", "SANCTION", [a1.actor("Russia", later.start)], [inspectors], after=later.start
    )  # restated

    wire = Coder(WIRE, dt.date(2025, 3, 11), "Eastern Wire", "https://east.example.org/barred")
    wire.event("barred", "SANCTION", [wire.actor("Russia")], [wire.actor("Chinese inspectors")],
               date=day(MONDAY, "on Monday"))  # fmt: skip
    copy = Coder(WIRE, dt.date(2025, 3, 11), "Coast Gazette", "https://coast.example.org/wire/barred")
    copy.event("barred", "SANCTION", [copy.actor("Russia")], [copy.actor("Chinese inspectors")],
               date=day(MONDAY, "on Monday"))  # fmt: skip

    a4 = Coder(SUMMIT, dt.date(2025, 6, 20), "Northern Post", "https://north.example.org/summit")
    putin, xi = a4.actor("Putin"), a4.actor("Xi")
    a4.event("met", "CONSULT", [putin, xi], reciprocal=True, date=day(dt.date(2025, 6, 18), "on Wednesday"))
    a4.event("met", "CONSULT", [putin, xi], after=a4.span("two leaders").start, reciprocal=True)  # restated
    a4.event("signed", "AGREE", [a4.actor("Russia"), a4.actor("China")], reciprocal=True, background=True)
    a4.event("invasion", "ASSAULT", [a4.actor("Russia", a4.span("invasion").start - 10)], [a4.actor("Ukraine")],
             background=True, date=month(2022, 2, "in February 2022"))  # fmt: skip

    a5 = Coder(PIPELINE, dt.date(2025, 6, 21), "Eastern Wire", "https://east.example.org/pipeline")
    a5.event("accused", "ACCUSE", [a5.actor("China")], [a5.actor("Russia")], date=month(2025, 5, "in May"))
    agreed = a5.span("agreed")
    a5.event("agreed", "AGREE", [a5.actor("Russia", agreed.start - 30), a5.actor("China", agreed.start - 30)],
             reciprocal=True, date=month(2025, 6, "In June"))  # fmt: skip
    shipped = a5.span("shipped")
    a5.event("shipped", "COOPERATE", [a5.actor("Russia", shipped.start - 10)], [a5.actor("China", shipped.end)],
             date=day(dt.date(2025, 6, 16), "on June 16"), confidence=0.45)  # fmt: skip
    invasion = a5.span("invasion")
    a5.event("invasion", "ASSAULT", [a5.actor("Russia", invasion.start - 10)], [a5.actor("Ukraine")],
             background=True, date=month(2022, 2, "in February 2022"))  # fmt: skip
    return {name: c.bundle() for name, c in
            (("ban", a1), ("wire", wire), ("copy", copy), ("summit", a4), ("pipeline", a5))}  # fmt: skip


def fill(store: Store) -> dict[str, Bundle]:
    """Write the known bundles with their stories and corroboration as clustering records them."""
    bundles = known_bundles()
    store.write_bundles(bundles.values())
    story = {"ban": "ban", "wire": "ban", "copy": "ban", "summit": "summit", "pipeline": "pipeline"}
    store.set_story_ids({bundles[name].article.id: STORIES[s] for name, s in story.items()})
    # The ban: Northern Post and Eastern Wire (the Coast Gazette copy counts once with Eastern Wire).
    ban_ids = {
        e.id for name in ("ban", "wire", "copy") for e in bundles[name].events if e.event_type == "SANCTION"
    }
    store.set_corroboration({e.id: (2 if e.id in ban_ids else 1) for b in bundles.values() for e in b.events})
    return bundles


# The hand count (see the module docstring).
STORE_MENTIONS, STORE_EVENTS = 14, 8
DYAD_MENTIONS, DYAD_EVENTS = 12, 7
DYAD_DIRECTIONS = {"a>b": 2, "b>a": 2, "mutual": 3}
DYAD_MONTHS = {"2025-03": (2, 6), "2025-05": (1, 1), "2025-06": (3, 4)}  # month: (events, mentions)
DYAD_BEFORE_ARTICLE = 1
ACTOR_COUNTS = {"RUS": (8, 14), "CHN": (7, 12)}  # actor: (events, mentions)
