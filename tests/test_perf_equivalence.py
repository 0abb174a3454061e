"""The events model's shortcuts give exactly what the plain spaCy and numpy reads they replace give.

The shipped type model was trained on these features and dense columns, so a shortcut that changed one
string or one float32 bit would change the coder's output. Speed itself is measured in benchmarks/.
"""

from __future__ import annotations

import numpy as np

from detente.doc_table import QUOTES, DocTable
from detente.events.embedding import context_vector, shipped_embedding
from detente.events.features import SentenceView, sentence_views
from detente.events.linear import LinearModel

TEXT = (
    "Officials said the army shelled the port on Monday , and  the talks resumed. "
    'Did Moscow agree to "withdraw its troops" from the region? '
    "Ukraine's foreign minister, who visited Beijing last week, condemned the strike."
)


def test_sentence_view_reads_are_the_spans_reads(parser):
    doc = parser(TEXT)
    views = sentence_views(doc, [], set())
    assert len(views) >= 2
    for view in views:
        assert view.text == view.sent.text
        assert view.root_index == view.sent.root.i
        assert view.is_question == view.sent.text.rstrip().endswith("?")
        for token in view.sent:
            plain = doc[token.left_edge.i : token.right_edge.i + 1].text
            assert view.clause_text(token) == plain
    assert any(view.is_question for view in views) and not all(view.is_question for view in views)


def test_parse_table_reads_are_the_tokens_reads(parser):
    doc = parser(TEXT)
    parse = DocTable(doc)
    for token in doc:
        i = token.i
        assert parse.lemma[i] == token.lemma_.lower()
        assert (parse.pos[i], parse.dep[i], parse.head[i]) == (token.pos_, token.dep_, token.head.i)
        assert parse.children(i) == [c.i for c in token.children]
        assert parse.quote[i] == (token.text in QUOTES or (token.text == "'" and token.is_punct))
    assert any(parse.children(i) for i in range(len(doc))) and any(token.head.i > token.i for token in doc)
    assert any(parse.quote) and not all(parse.quote)


def test_each_view_reads_its_own_docs_parse(parser):
    # One table per doc: a view never reads another doc's words (all the views of one doc share one).
    first, second = parser("Russia attacked Ukraine."), parser("Talks between Peru and Chile resumed today.")
    views = sentence_views(first, [], set()) + sentence_views(second, [], set())
    for view in views:
        assert [view.parse.lemma[t.i] for t in view.sent] == [t.lemma_.lower() for t in view.sent]
    built = SentenceView(next(iter(second.sents)), [], {}, set())  # a view made without a table reads its doc
    assert [built.parse.lemma[t.i] for t in built.sent] == [t.lemma_.lower() for t in built.sent]


def test_context_vector_with_texts_given_is_the_one_read_from_the_doc(parser):
    doc = parser(TEXT)
    for view in sentence_views(doc, [], set()):
        for token in view.sent:
            given = context_vector(token, view.text, clause=view.clause_text(token))
            assert given.tobytes() == context_vector(token).tobytes()


def test_embedding_is_the_mean_row_normalised_to_the_bit():
    table = shipped_embedding()
    for text in [*TEXT.split(". "), "x", "Kyiv", "the 2014 annexation of Crimea by Russia"]:
        ids = [k for word in text.split() for k in table.word_pieces(word)]
        mean = table.rows[ids].mean(axis=0)
        norm = float(np.linalg.norm(mean))
        expected = (mean / norm if norm else mean).astype(np.float32)
        assert table._embed(text).tobytes() == expected.tobytes()


def test_linear_scores_are_the_plain_sum_to_the_bit():
    rng = np.random.default_rng(7)
    vocabulary = {f"f{k}": k for k in range(300)}
    weights = rng.standard_normal((300 + 8, 5)).astype(np.float32)
    bias = rng.standard_normal(5).astype(np.float32)
    model = LinearModel(list("abcde"), vocabulary, weights, bias, dense_size=8)
    for _ in range(50):
        features = [f"f{k}" for k in rng.integers(0, 300, 30)] + ["unknown"]
        dense = rng.standard_normal(8).astype(np.float32)
        rows = sorted({vocabulary[f] for f in features if f in vocabulary})
        total = bias.astype(np.float64) + weights[rows].sum(axis=0, dtype=np.float64)
        total += dense.astype(np.float64) @ weights[300:].astype(np.float64)
        assert model.scores(features, dense).tobytes() == total.tobytes()
        exp = np.exp(total - total.max())
        exp /= exp.sum()
        assert model.probabilities(features, dense) == {
            c: float(p) for c, p in zip("abcde", exp, strict=True)
        }


def test_probabilities_of_many_are_each_rows_probabilities_to_the_bit():
    rng = np.random.default_rng(11)
    vocabulary = {f"f{k}": k for k in range(300)}
    weights = rng.standard_normal((300 + 512, 17)).astype(np.float32)
    bias = rng.standard_normal(17).astype(np.float32)
    classes = [f"c{k}" for k in range(17)]
    for dense_size in (0, 512):
        model = LinearModel(classes, vocabulary, weights[: 300 + dense_size], bias, dense_size=dense_size)
        rows = [[f"f{k}" for k in rng.integers(0, 300, int(rng.integers(0, 80)))] for _ in range(200)]
        rows += [[], ["unknown"], ["f1", "f1", "unknown"]]  # no known feature: the bias alone
        dense = [rng.standard_normal(512).astype(np.float32) for _ in rows] if dense_size else None
        one_by_one = [model.probabilities(row, dense[k] if dense else None) for k, row in enumerate(rows)]
        assert model.probabilities_of_many(rows, dense) == one_by_one
    assert model.probabilities_of_many([], []) == []
