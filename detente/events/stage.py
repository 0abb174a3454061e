"""The ``detente.events.v1`` spaCy component: a thin adapter from a parsed doc to ``doc._.events``.

The work is done in this package: ``rules`` (lexicon triggers, roles and modality read off the parse)
proposes events, and ``model`` (trained on the annotated news corpus, ``make train``) decides which
are events, of which type, and who takes part.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from detente.events.lexicon import Lexicon, load_lexicon
from detente.events.rules import extract_events
from detente.stages.factory import register_stage


class EventExtractor:
    """Codes each doc's events with the compiled lexicon (and the learned model when shipped)."""

    def __init__(
        self, nlp: Language, name: str, min_confidence: float, lexicon: Lexicon | None = None
    ) -> None:
        self.name = name
        self.min_confidence = min_confidence
        self.lexicon = lexicon or load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = extract_events(doc, self.lexicon, min_confidence=self.min_confidence)
        return doc


def make_event_extractor(nlp: Language, name: str, min_confidence: float) -> EventExtractor:
    return EventExtractor(nlp, name, min_confidence)


register_stage(
    "detente.events.v1", make_event_extractor, default_config={"min_confidence": 0.35},
    assigns=["doc._.events"], requires=["doc._.actors", "doc._.claims", "doc._.article"],
)  # fmt: skip
