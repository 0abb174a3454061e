"""Hand-made bundles for the API, page and browser tests (no model needed, deterministic).

The first is the motivating article (examples/fsb-china-partnership.txt) coded by hand with spans
found in its real text; the second carries XSS payloads in its text, title, outlet and url; the
third is an earlier RUS–CHN report so a dyad has more than one month.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from detente.records import (
    QUAD_OF_TYPE,
    ActorRef,
    Article,
    Bundle,
    Claim,
    Event,
    Place,
    ResolvedDate,
    Span,
    Verification,
    article_id,
    claim_id,
    event_id,
)  # fmt: skip

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "fsb-china-partnership.txt"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
XSS_URL = "javascript:window.__xss=1"
INTENSITY = {"ACCUSE": -2.0, "COOPERATE": 6.0, "SUPPORT": 3.5, "MOBILIZE": -5.0, "AGREE": 4.0}

ACTORS = {
    "FSB": ("Q5441", "Federal Security Service", "RUS", "SPY", "organization"),
    "China": ("CHN", "China", "CHN", None, "country"),
    "Beijing": ("CHN", "China", "CHN", None, "country"),
    "Russia": ("RUS", "Russia", "RUS", None, "country"),
    "Moscow": ("RUS", "Russia", "RUS", None, "country"),
    "Vladimir Putin": ("Q7747", "Vladimir Putin", "RUS", "GOV", "person"),
    "The New York Times": ("Q9684", "The New York Times", "USA", "JRN", "organization"),
    "NYT": ("Q9684", "The New York Times", "USA", "JRN", "organization"),
    "Ares Leaks": ("group:ares-leaks", "Ares Leaks", "UNK", None, "group"),
}


class Spans:
    """Find phrases in a text (the n-th occurrence after a point) and make records from them."""

    def __init__(self, text: str) -> None:
        self.text = text

    def span(self, phrase: str, after: int = 0) -> Span:
        start = self.text.index(phrase, after)
        return Span(phrase, start, start + len(phrase))

    def verification(self, phrase: str, polarity: str) -> Verification:
        s = self.span(phrase)
        return Verification(s.text, s.start, s.end, polarity)

    def actor(self, phrase: str, after: int = 0) -> ActorRef:
        s = self.span(phrase, after)
        actor_id_, name, country, sector, kind = ACTORS[phrase]
        return ActorRef(phrase, s.start, s.end, actor_id_, name, country, sector, kind)

    def sentence(self, inside: Span) -> Span:
        stop = self.text.rfind(". ", 0, inside.start)
        start = max(stop + 2 if stop >= 0 else 0, self.text.rfind("\n", 0, inside.start) + 1)
        end = self.text.find(".", inside.end) + 1 or len(self.text)
        return Span(self.text[start:end], start, end)


def _event(sp: Spans, aid: str, trigger: str, etype: str, source: list[ActorRef], target: list[ActorRef],
           *, after: int = 0, day: dt.date | None = None, claim: str | None = None, modality: str = "asserted",
           place: Place | None = None) -> Event:  # fmt: skip
    trig = sp.span(trigger, after)
    date = ResolvedDate(day, day, "day", "exact", "", "publication date") if day else None
    return Event(
        id=event_id(aid, trig, etype, tuple(source), tuple(target)), article_id=aid, event_type=etype, mode=None,
        context=(), quad=QUAD_OF_TYPE[etype], intensity=INTENSITY[etype], modality=modality,
        source=tuple(source), target=tuple(target), trigger=trig, sentence=sp.sentence(trig), date=date,
        place=place, claim_id=claim,
    )  # fmt: skip


def example_bundle() -> Bundle:
    text = EXAMPLE.read_text(encoding="utf-8")
    aid = article_id(text)
    sp = Spans(text)
    article = Article(
        id=aid, text=text, title=text.splitlines()[0], outlet="Example Daily", published=dt.date(2025, 6, 9),
        language="en",
    )  # fmt: skip
    # Claim chain as the claims stage builds it: parent_id is the claim relaying this one, and the
    # article's own voice is the root. Leaked FSB document -> The New York Times -> Example Daily.
    outlet = ActorRef("Example Daily", 0, 0, "outlet:example-daily", "Example Daily", "UNK", "JRN", "outlet")
    whole = Span(text, 0, len(text))
    root = Claim(
        id=claim_id(aid, whole, "document"), article_id=aid, speaker=(outlet,), cue=None, content=whole,
        kind="document", channel="media_report",
    )  # fmt: skip
    nyt_content = sp.span("Unofficial Moscow considers Beijing to be an enemy")
    nyt_claim = Claim(
        id=claim_id(aid, nyt_content, "indirect"), article_id=aid, speaker=(sp.actor("The New York Times"),),
        cue=sp.span("He said it"), content=nyt_content, kind="indirect", channel="media_report", parent_id=root.id,
    )  # fmt: skip
    doc_content = sp.span("Beijing to be an enemy who floats territorial claims to the Russian Far East")
    doc_claim = Claim(
        id=claim_id(aid, doc_content, "document"), article_id=aid, speaker=(sp.actor("FSB"),), cue=None,
        content=doc_content, kind="document", channel="leaked_document", parent_id=nyt_claim.id,
        verification=(
            sp.verification("This prevents the definitive verification of the authenticity of the material", "doubts"),
            sp.verification("they all evaluated it as authentic", "confirms"),
        ),
        obtained_by=(sp.actor("Ares Leaks"),),
    )  # fmt: skip
    putin_content = sp.span("describes relations with China as unshakable")
    putin_claim = Claim(
        id=claim_id(aid, putin_content, "indirect"), article_id=aid, speaker=(sp.actor("Vladimir Putin"),),
        cue=sp.span("In public"), content=putin_content, kind="indirect", channel="public_statement",
        parent_id=root.id,
    )  # fmt: skip
    moscow = sp.actor("Moscow", sp.span("Unofficial").start)
    beijing = sp.actor("Beijing")
    fsb = sp.actor("FSB")
    putin = sp.actor("Vladimir Putin")
    china_putin = sp.actor("China", putin.end)
    russia = sp.actor("Russia", sp.span("Since the beginning").start)
    china_coop = sp.actor("China", russia.end)
    fsb_unit = sp.actor("FSB", sp.span("Inside the FSB").start)
    china_threat = sp.actor("China", fsb_unit.end)
    day = dt.date(2025, 6, 9)
    moscow_place = Place("Moscow", "RUS", 55.75, 37.62, "524901", "city", "Moscow", moscow.start, moscow.end)
    events = (
        _event(sp, aid, "considers", "ACCUSE", [moscow], [beijing], after=moscow.end, day=day, claim=nyt_claim.id,
               place=moscow_place),
        _event(sp, aid, "describes", "SUPPORT", [putin], [china_putin], day=day, claim=putin_claim.id),
        _event(sp, aid, "established deeper cooperation", "COOPERATE", [russia], [china_coop],
               day=dt.date(2022, 2, 24)),
        _event(sp, aid, "perceives", "ACCUSE", [fsb_unit], [china_threat], day=day, claim=doc_claim.id),
    )  # fmt: skip
    actors = (fsb, moscow, beijing, putin, china_putin, russia, china_coop, fsb_unit, china_threat,
              sp.actor("The New York Times"))  # fmt: skip
    return Bundle(article, actors, (root, nyt_claim, doc_claim, putin_claim), events)


def xss_bundle() -> Bundle:
    text = f"Russia and China agreed on a plan. {XSS} The text ends here."
    aid = article_id(text, XSS_URL)
    sp = Spans(text)
    article = Article(
        id=aid, text=text, title=f"Title {XSS}", url=XSS_URL, outlet=f"Outlet {XSS}",
        published=dt.date(2025, 3, 2), language="en",
    )  # fmt: skip
    russia, china = sp.actor("Russia"), sp.actor("China")
    event = _event(sp, aid, "agreed", "AGREE", [russia], [china], day=dt.date(2025, 3, 1))
    return Bundle(article, (russia, china), (), (event,))


def earlier_bundle() -> Bundle:
    text = "Russia moved troops toward the border with China, officials said. China did not respond."
    aid = article_id(text)
    sp = Spans(text)
    article = Article(
        id=aid, text=text, title="Troops near the border", outlet="Wire", published=dt.date(2024, 11, 5)
    )
    russia, china = sp.actor("Russia"), sp.actor("China")
    event = _event(sp, aid, "moved troops", "MOBILIZE", [russia], [china], day=None)  # dated by publication
    return Bundle(article, (russia, china), (), (event,))


def sample_bundles() -> list[Bundle]:
    return [example_bundle(), xss_bundle(), earlier_bundle()]
