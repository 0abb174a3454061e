"""What a sentence and a clause are about, as a static embedding: the type model's dense columns.

The sparse trigger features (``features.trigger_features``) read the word and its place in the parse;
they cannot tell that "demonstrates a complete disregard for human dignity" is criticism or that "the
report was released" is not a release of prisoners, which is what the sentence around the trigger says.
A static sub-word embedding averaged over the sentence and over the trigger's own clause says it at
almost no cost (a tokenizer pass and a mean of table rows, cached per text).

The table and its tokenizer are WordLlama's (``wordllama`` on PyPI, MIT: the token embeddings of
Llama 2 distilled to 256 dimensions), read straight from the installed package's files: WordLlama's own
loader would try to download its tokenizer configuration, and nothing here may go to the network.
Measured by story-grouped cross-validation before it was kept (``docs/events.md``, "What moved it").
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Token

WEIGHTS = ("weights", "l2_supercat_256.safetensors")
TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
DIMENSIONS = 256
PARTS = 2  # the sentence, then the trigger's clause (its subtree)


class EmbeddingUnavailable(RuntimeError):
    """The ``wordllama`` package (or its files) is not installed."""


def _package_dir() -> Path:
    # Located without importing wordllama: its import pulls in modules the table does not need.
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable("the wordllama package is not installed (pip install -e . installs it)")
    return Path(next(iter(spec.submodule_search_locations)))


class StaticEmbedding:
    """The mean of a text's sub-word rows, L2-normalised (zeros for a text with no sub-words)."""

    def __init__(self, table: np.ndarray, tokenizer: object) -> None:
        self.table = table
        self.tokenizer = tokenizer
        self.embed = lru_cache(maxsize=4096)(self._embed)

    def _embed(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids  # type: ignore[attr-defined]
        if not ids:
            return np.zeros(self.table.shape[1], dtype=np.float32)
        vector = self.table[ids].mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return (vector / norm if norm else vector).astype(np.float32)


@lru_cache(maxsize=1)
def shipped_embedding() -> StaticEmbedding:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    base = _package_dir()
    weights, tokenizer_file = base.joinpath(*WEIGHTS), base.joinpath(*TOKENIZER)
    if not weights.exists() or not tokenizer_file.exists():
        raise EmbeddingUnavailable(f"wordllama's files are missing under {base}; reinstall it (make demo)")
    table = load_file(str(weights))["embedding.weight"].astype(np.float32)
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return StaticEmbedding(table, tokenizer)


def context_vector(token: Token, embedding: StaticEmbedding | None = None) -> np.ndarray:
    """The candidate's dense columns: the embedding of its sentence, then of its own clause."""
    embedding = embedding or shipped_embedding()
    subtree = list(token.subtree)
    clause = token.doc[subtree[0].i : subtree[-1].i + 1].text
    return np.concatenate([embedding.embed(token.sent.text), embedding.embed(clause)])
