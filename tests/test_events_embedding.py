"""The type model's dense columns: static sentence and clause embeddings from the shipped WordLlama-derived table."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from detente.events import embedding
from detente.events.embedding import (
    DIMENSIONS,
    EmbeddingUnavailable,
    StaticEmbedding,
    context_vector,
    shipped_embedding,
)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_loads_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    shipped_embedding.cache_clear()
    try:
        table = shipped_embedding()
        assert table.rows.shape == (len(table.index), DIMENSIONS)
    finally:
        shipped_embedding.cache_clear()


def test_a_text_is_a_unit_vector_and_the_same_text_the_same_vector():
    table = shipped_embedding()
    one = table.embed("Russia condemned the missile strike on Kyiv.")
    assert one.shape == (DIMENSIONS,) and abs(float(np.linalg.norm(one)) - 1.0) < 1e-5
    assert np.array_equal(one, table.embed("Russia condemned the missile strike on Kyiv."))
    assert not np.any(table.embed(""))


def test_criticism_is_nearer_criticism_than_the_weather():
    table = shipped_embedding()
    condemned = table.embed("The minister condemned the attack as a crime.")
    denounced = table.embed("The government denounced the assault as criminal.")
    weather = table.embed("Heavy rain is expected in the capital on Sunday.")
    assert cosine(condemned, denounced) > cosine(condemned, weather)


def test_context_vector_is_the_sentence_then_the_clause(parser):
    doc = parser("Officials said the army shelled the port. Talks resumed on Monday.")
    shelled = next(t for t in doc if t.text == "shelled")
    vector = context_vector(shelled)
    table = shipped_embedding()
    assert vector.shape == (2 * DIMENSIONS,)
    assert np.allclose(vector[:DIMENSIONS], table.embed("Officials said the army shelled the port."))
    assert np.allclose(vector[DIMENSIONS:], table.embed("the army shelled the port"))


def test_a_missing_table_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(embedding, "TABLE", tmp_path / "table.npz")
    shipped_embedding.cache_clear()
    try:
        with pytest.raises(EmbeddingUnavailable, match="build_embedding"):
            embedding.shipped_embedding()
    finally:
        shipped_embedding.cache_clear()


def test_words_are_cut_into_the_longest_pieces_first():
    table = StaticEmbedding(["\u2581con", "\u2581condem", "ned", "n", "e", "d"], np.eye(6, dtype=np.float32))
    assert table.word_pieces("condemned") == (1, 2)  # not con + ...: the longest piece that fits
    assert table.word_pieces("cond\u00e9") == (
        0,
        5,
    )  # "\u2581con", "d"; the "\u00e9" no piece covers is skipped
    assert table.word_pieces("\u00e9") == ()
