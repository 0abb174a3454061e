"""Per-token attributes of a doc as plain lists, read once per doc while the actors stage runs.

Every ``doc[k]`` and every loop over a doc makes a new spaCy Token object, and the actors' rules read the
same few attributes of every token many times over (its text, lower-case form, part of speech): making
those Tokens was the larger part of what the stage cost. ``doc.to_array`` reads an attribute of every
token at once; the lists here are built from it on first use and equal what the Tokens give.

``ActorStage`` holds one table per doc while it runs (``reading``) and removes it when done, so a table
never outlives the stage's reading of its doc (the doc may be changed or serialised after it). Outside
that, ``tokens_of_doc`` builds a fresh table on each call: correct, only not shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from spacy.attrs import IDX, IS_ALPHA, LOWER, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc

TABLE_KEY = "detente.actors.tokens"


class Tokens:
    """Lists indexed by token position, each equal to the Token attribute of the same name."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def _strings(self, attr: int) -> list[str]:
        strings = self.doc.vocab.strings
        return [strings[value] for value in self.doc.to_array(attr).tolist()]

    @cached_property
    def text(self) -> list[str]:
        return self._strings(ORTH)

    @cached_property
    def lower(self) -> list[str]:
        return self._strings(LOWER)

    @cached_property
    def pos(self) -> list[str]:
        return self._strings(POS)

    @cached_property
    def tag(self) -> list[str]:
        return self._strings(TAG)

    @cached_property
    def idx(self) -> list[int]:
        return self.doc.to_array(IDX).tolist()  # type: ignore[no-any-return]

    @cached_property
    def is_alpha(self) -> list[bool]:
        return [bool(value) for value in self.doc.to_array(IS_ALPHA).tolist()]

    @cached_property
    def is_sent_start(self) -> list[bool | None]:
        # Token.is_sent_start: True for 1, False for -1, None where the parse left it unset (0)
        values = self.doc.to_array(SENT_START).astype("int64").tolist()
        return [None if value == 0 else value > 0 for value in values]

    @cached_property
    def entities(self) -> list[tuple[int, int, str]]:
        """(start, end, label) of the doc's named entities, in order."""
        return [(ent.start, ent.end, ent.label_) for ent in self.doc.ents]


def tokens_of_doc(doc: Doc) -> Tokens:
    """The doc's table: the one the stage holds while it reads the doc, else a fresh one."""
    table = doc.user_data.get(TABLE_KEY)
    return table if isinstance(table, Tokens) and table.doc is doc else Tokens(doc)


@contextmanager
def reading(doc: Doc) -> Iterator[Tokens]:
    """Share one table among the rules that read ``doc`` inside the block; removed when it ends (also on
    an error), so the doc's user data holds nothing of it after (it is serialised with the doc)."""
    held = doc.user_data.get(TABLE_KEY)
    if isinstance(held, Tokens) and held.doc is doc:
        yield held  # an outer block holds it already
        return
    table = doc.user_data[TABLE_KEY] = Tokens(doc)
    try:
        yield table
    finally:
        doc.user_data.pop(TABLE_KEY, None)
