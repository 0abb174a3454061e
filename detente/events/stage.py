"""The ``detente.events.v1`` spaCy component: a thin adapter from a parsed doc to ``doc._.events``.

The work is done in this package: ``rules`` (lexicon triggers, roles and modality read off the parse)
proposes events, and ``model`` (trained on the annotated news corpus by ``make train``, shipped in
``detente/events/data/model/``) decides which are events, of which type, who takes part and whether an
event is background. Without a shipped model the rules' events above ``min_confidence`` are the output.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from detente.events.lexicon import Lexicon, load_lexicon
from detente.events.model import EventModel, shipped_model
from detente.events.rules import extract_events
from detente.stages.factory import register_stage


class EventExtractor:
    """Rules propose, the learned model decides (the rules alone when no model is shipped)."""

    def __init__(self, nlp: Language, name: str, min_confidence: float, lexicon: Lexicon | None = None,
                 model: EventModel | None = None, use_model: bool = True) -> None:  # fmt: skip
        self.name = name
        self.min_confidence = min_confidence
        self.lexicon = lexicon or load_lexicon()
        self.model = (model or shipped_model()) if use_model else None

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            doc._.events = extract_events(doc, self.lexicon, min_confidence=self.min_confidence)
        else:
            # The model sees every proposal, however unsure the rules were; its policy decides.
            proposals = extract_events(doc, self.lexicon, min_confidence=0.0)
            doc._.events = self.model.decide(doc, proposals)
        return doc


def make_event_extractor(nlp: Language, name: str, min_confidence: float, use_model: bool) -> EventExtractor:
    return EventExtractor(nlp, name, min_confidence, use_model=use_model)


register_stage(
    "detente.events.v1", make_event_extractor, default_config={"min_confidence": 0.35, "use_model": True},
    assigns=["doc._.events"], requires=["doc._.actors", "doc._.claims", "doc._.article"],
)  # fmt: skip
