"""What a sentence and a clause are about, as a static embedding: the type model's dense columns.

The sparse trigger features (``features.trigger_features``) read the word and its place in the parse;
they cannot tell that "demonstrates a complete disregard for human dignity" is criticism or that "the
report was released" is not a release of prisoners, which is what the sentence around the trigger says.
A static sub-word embedding averaged over the sentence and over the trigger's own clause says it at
almost no cost (a tokenizer pass and a mean of table rows, cached per text).

The table is WordLlama's (``wordllama`` on PyPI, MIT, Lee Miller: sub-word embeddings of large language
models distilled to 256 dimensions), reduced by ``scripts/build_embedding.py`` to the 25,195 pieces made of
printable ASCII and quantised to int8 (``data/embedding/``, 6 MB, notice beside it). A text is cut into
pieces greedily, longest piece first, word by word ("\u2581" marks a piece that starts a word), so no
tokenizer library is needed; training and coding cut the same way. Measured by story-grouped
cross-validation before it was kept (``docs/events.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Token

TABLE = Path(__file__).parent / "data" / "embedding" / "table.npz"
DIMENSIONS = 256
WORD_START = "\u2581"
LONGEST_PIECE = 16


class EmbeddingUnavailable(RuntimeError):
    """The shipped table is missing or unreadable."""


class StaticEmbedding:
    """The mean of a text's piece rows, L2-normalised (zeros for a text with no known piece)."""

    def __init__(self, pieces: Sequence[str], rows: np.ndarray) -> None:
        self.index = {piece: k for k, piece in enumerate(pieces)}
        self.rows = rows
        self.embed = lru_cache(maxsize=4096)(self._embed)
        self.word_pieces = lru_cache(maxsize=65536)(self._word_pieces)

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        """Greedy longest match from the left; a character no piece covers is skipped."""
        text, at, out = WORD_START + word, 0, []
        while at < len(text):
            for end in range(min(len(text), at + LONGEST_PIECE), at, -1):
                k = self.index.get(text[at:end])
                if k is not None:
                    out.append(k)
                    at = end
                    break
            else:
                at += 1
        return tuple(out)

    def _embed(self, text: str) -> np.ndarray:
        ids = [k for word in text.split() for k in self.word_pieces(word)]
        if not ids:
            return np.zeros(self.rows.shape[1], dtype=np.float32)
        # ``self.rows[ids].mean(axis=0)`` and ``np.linalg.norm(vector)`` spelled out as the ufunc calls they
        # make (same operations in the same order, so the same float32 bits): their Python wrappers cost as
        # much as the arithmetic on these short texts, and this runs for every clause of every article.
        vector = np.add.reduce(self.rows.take(ids, axis=0), axis=0)
        np.true_divide(vector, np.intp(len(ids)), out=vector, casting="unsafe")
        norm = float(np.sqrt(vector.dot(vector)))
        return (vector / norm if norm else vector).astype(np.float32)


@lru_cache(maxsize=1)
def shipped_embedding() -> StaticEmbedding:
    try:
        with np.load(TABLE, allow_pickle=False) as arrays:
            pieces = str(arrays["pieces"]).split("\n")
            rows = arrays["rows"].astype(np.float32) * arrays["scales"][:, None]
    except (OSError, KeyError, ValueError) as error:
        raise EmbeddingUnavailable(
            f"{TABLE} is missing or unreadable ({error}); rebuild it with scripts/build_embedding.py"
        ) from error
    return StaticEmbedding(pieces, rows.astype(np.float32))


def context_vector(
    token: Token,
    sentence: str | None = None,
    embedding: StaticEmbedding | None = None,
    clause: str | None = None,
) -> np.ndarray:
    """The candidate's dense columns: the embedding of its sentence, then of its own clause (the span from
    its subtree's left edge to its right edge). ``sentence`` and ``clause``: their texts when the caller
    has them (``token.sent`` walks the doc to find the sentence, the clause's ``.text`` its tokens, for
    every candidate)."""
    embedding = embedding or shipped_embedding()
    if clause is None:
        clause = token.doc[token.left_edge.i : token.right_edge.i + 1].text
    text = sentence if sentence is not None else token.sent.text
    return np.concatenate([embedding.embed(text), embedding.embed(clause)])
