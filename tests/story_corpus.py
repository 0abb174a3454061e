"""A seeded corpus of hand-built bundles where stories, near-duplicates and shared events occur on purpose:
syndicated copies (some published before the article they copy, some by no outlet), rewrites telling the
same events, events dated apart and undated, partial dyads, unrelated articles sharing one common event,
articles bridging two stories, undated articles and one with no words. The incremental story index is
tested equal to clustering all of it at once (tests/test_stories.py, tests/test_store_contract.py)."""

from __future__ import annotations

import datetime as dt
import random

from detente.records import ActorRef, Article, Bundle, Event, ResolvedDate, Span, article_id, event_id

_VOCABULARY = (
    "minister government forces talks border attack drones port city officials said statement sanctions "
    "troops ceasefire negotiations envoy summit agreement oil gas exports grain missiles village region "
    "president parliament vote election protest police capital court ruling embassy ambassador aid convoy "
    "refugees hospital water power plant bridge railway harbour coast island navy army air defence"
)
WORDS = tuple(_VOCABULARY.split())
ACTORS = {
    code: ActorRef(code, 0, 3, f"country:{code}", code, code, "GOV", "country")
    for code in ("RUS", "UKR", "USA", "CHN", "IRN", "ISR", "TUR", "FRA")
}
NOBODY = ActorRef("officials", 0, 9, "unresolved:officials", "officials", "UNK")
TYPES = ("ASSAULT", "ACCUSE", "CONSULT", "SANCTION", "AID", "THREATEN", "REQUEST", "AGREE")
OUTLETS = ("AP", "Reuters", "AFP", "BBC", "Daily Herald", "Evening Post", "VOA", "Nation", None)
START = dt.date(2025, 1, 1)


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 16))).capitalize() + "."


def _events(aid: str, specs: list[tuple[str, ActorRef, ActorRef, dt.date | None]]) -> tuple[Event, ...]:
    events = []
    for i, (event_type, source, target, day) in enumerate(specs):
        trigger = Span(event_type.lower(), i * 10, i * 10 + 5)
        date = ResolvedDate(day, day, "day", "exact", str(day), "test") if day else None
        events.append(Event(
            id=event_id(aid, trigger, event_type, (source,), (target,)), article_id=aid, event_type=event_type,
            mode=None, context=(), quad="verbal_conflict", intensity=-2.0, modality="asserted", source=(source,),
            target=(target,), trigger=trigger, sentence=Span("s", 0, 1), date=date,
        ))  # fmt: skip
    return tuple(events)


def _bundle(text: str, outlet: str | None, published: dt.date | None, specs: list) -> Bundle:
    aid = article_id(text, None)
    article = Article(id=aid, text=text, outlet=outlet, published=published)
    return Bundle(article=article, events=_events(aid, specs))


def story_corpus(stories: int = 40, seed: int = 7) -> list[Bundle]:
    """About 3 articles a story; deterministic for a seed."""
    rng = random.Random(seed)
    bundles: list[Bundle] = []
    countries = list(ACTORS)
    for _ in range(stories):
        day = START + dt.timedelta(days=rng.randint(0, 120))
        a, b = rng.sample(countries, 2)
        specs = [(rng.choice(TYPES), ACTORS[a], ACTORS[b], None) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            specs.append((rng.choice(TYPES), ACTORS[a], NOBODY, None))  # a partial dyad
        if rng.random() < 0.2:  # an event dated a few days before publication
            specs.append(
                (rng.choice(TYPES), ACTORS[b], ACTORS[a], day - dt.timedelta(days=rng.randint(1, 5)))
            )
        text = " ".join(_sentence(rng) for _ in range(rng.randint(5, 9)))
        published: dt.date | None = None if rng.random() < 0.05 else day
        bundles.append(_bundle(text, rng.choice(OUTLETS), published, specs))
        for _ in range(rng.choices((0, 1, 2, 3), (3, 4, 2, 1))[0]):  # syndicated copies
            copy = f"{_sentence(rng)} {text}" if rng.random() < 0.5 else text[: -rng.randint(1, 20)] + "."
            shift = rng.choice((-1, 0, 0, 1, 2))  # some appear a day before the "original"
            when = day + dt.timedelta(days=shift) if published else None
            bundles.append(_bundle(copy, rng.choice(OUTLETS), when, specs))
        if rng.random() < 0.6:  # a rewrite telling the same events in other words
            rewrite = " ".join(_sentence(rng) for _ in range(rng.randint(4, 7)))
            when = day + dt.timedelta(days=rng.randint(0, 4))
            kept = specs[: rng.randint(1, len(specs))]
            bundles.append(_bundle(rewrite, rng.choice(OUTLETS), when, kept))
        if rng.random() < 0.3:  # an unrelated article sharing one common event, another day nearby
            other = " ".join(_sentence(rng) for _ in range(5))
            bundles.append(_bundle(other, rng.choice(OUTLETS), day + dt.timedelta(days=1), specs[:1]))
    # Undated events and an article bridging two stories (two events, one of each).
    for _ in range(max(1, stories // 10)):
        x, y = rng.sample(bundles, 2)
        specs = [
            (e.event_type, e.source[0], e.target[0], None)
            for e in (x.events[:1] + y.events[:1])
            if e.target and e.source
        ]
        bridge = " ".join(_sentence(rng) for _ in range(6))
        bundles.append(_bundle(bridge, rng.choice(OUTLETS), x.article.published, specs))
    bundles.append(_bundle("", "AP", START, []))  # no words at all
    by_id = {b.article.id: b for b in bundles}  # a copy identical to its original is one article
    return list(by_id.values())
