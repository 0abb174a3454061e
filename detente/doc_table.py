"""One doc's token attributes as plain lists, read once per doc by the stages that walk its words.

Every ``doc[k]``, every ``.head`` or ``.children`` and every loop over a doc makes a new spaCy Token object,
and the stages' rules read the same few attributes of the same words many times over (the actors their
text, lower-case form and part of speech; the events the lemma, dependency, head and children of each
candidate and its neighbours): making those Tokens was the larger part of what the two stages cost.
``doc.to_array`` reads an attribute of every token at once; each list here is built from it on first use
and equals what the Token attribute of the same name gives (``tests/test_perf_equivalence.py``,
``tests/test_actors_perf_equivalence.py``).

The actors stage holds one table per doc while it runs (``reading``) and removes it when done, so a table
never outlives a stage's reading of its doc (the doc may be changed or serialised after it). Outside that,
``table_of`` builds a fresh table on each call: correct, only not shared. The events stage builds one per
doc for all its sentence views.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import numpy as np
from spacy.attrs import DEP, HEAD, IDX, IS_ALPHA, IS_PUNCT, LEMMA, LOWER, ORTH, POS, SENT_START, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc

TABLE_KEY = "detente.doc_table"
QUOTES = frozenset({'"', "“", "”", "«", "»"})
_QUOTE_IDS = frozenset(get_string_id(q) for q in QUOTES)
_APOSTROPHE_ID = get_string_id("'")


class DocTable:
    """Lists indexed by token position, each equal to the Token attribute of the same name (``lemma`` is
    ``lemma_.lower()``; ``head`` is the head's index; ``children(i)`` the children's indices)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    @cached_property
    def lemma(self) -> list[str]:
        return self._strings(LEMMA, lower=True)

    @cached_property
    def dep(self) -> list[str]:
        return self._strings(DEP)

    @cached_property
    def head(self) -> list[int]:
        # HEAD is stored as an offset from the token (unsigned in the array: negative offsets wrap)
        return (np.arange(len(self.doc)) + self.doc.to_array(HEAD).astype(np.int64)).tolist()  # type: ignore[no-any-return]

    @cached_property
    def _children_index(self) -> tuple[list[int], list[int]]:
        # Children as slices of one list, the tokens ordered by head (stably, so by index within a head):
        # one list per token would be tens of thousands of objects per doc for the garbage collector.
        heads = np.array(self.head, dtype=np.int64)
        by_head = np.argsort(heads, kind="stable")
        first = np.searchsorted(heads, np.arange(len(self.doc) + 1), sorter=by_head)
        return by_head.tolist(), first.tolist()

    def children(self, i: int) -> list[int]:
        """The token's children in index order, as ``Token.children`` gives them (the root is its own head)."""
        by_head, first = self._children_index
        return [j for j in by_head[first[i] : first[i + 1]] if j != i]

    @cached_property
    def quote(self) -> list[bool]:
        """Whether the word opens or closes a quotation: a quotation mark, or an apostrophe that is
        punctuation (by string id: ``token.text in QUOTES`` for every word was a Token per word)."""
        columns = self.doc.to_array([ORTH, IS_PUNCT]).tolist()
        return [orth in _QUOTE_IDS or (orth == _APOSTROPHE_ID and bool(punct)) for orth, punct in columns]

    def _strings(self, attr: int, lower: bool = False) -> list[str]:
        """The strings of an attribute, each distinct value looked up once (a doc repeats most of them)."""
        strings = self.doc.vocab.strings
        values = self.doc.to_array(attr).tolist()
        table = {
            value: (str(strings[value]).lower() if lower else str(strings[value])) for value in set(values)
        }
        return [table[value] for value in values]

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


def table_of(doc: Doc) -> DocTable:
    """The doc's table: the one a stage holds while it reads the doc, else a fresh one."""
    table = doc.user_data.get(TABLE_KEY)
    return table if isinstance(table, DocTable) and table.doc is doc else DocTable(doc)


@contextmanager
def reading(doc: Doc) -> Iterator[DocTable]:
    """Share one table among the rules that read ``doc`` inside the block; removed when it ends (also on
    an error), so the doc's user data holds nothing of it after (it is serialised with the doc)."""
    held = doc.user_data.get(TABLE_KEY)
    if isinstance(held, DocTable) and held.doc is doc:
        yield held  # an outer block holds it already
        return
    table = doc.user_data[TABLE_KEY] = DocTable(doc)
    try:
        yield table
    finally:
        doc.user_data.pop(TABLE_KEY, None)
