"""A multinomial logistic regression over sparse string features: trained here with numpy and SciPy's
L-BFGS (deterministic: same data, same weights), applied with a dictionary lookup and a dot product.

Why not a library classifier: inference must be cheap inside the spaCy pipeline (a few features per
candidate), the weights ship inside the package as a small ``.npz`` plus a vocabulary, and training must
give the same result twice on any machine (``make train``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class LinearModel:
    """Softmax over ``classes`` of a weighted sum of features present (each counts once)."""

    def __init__(self, classes: Sequence[str], vocabulary: dict[str, int], weights: np.ndarray, bias: np.ndarray,
                 dense_size: int = 0) -> None:  # fmt: skip
        self.classes = list(classes)
        self.vocabulary = vocabulary
        self.weights = weights  # (features + dense_size, classes): sparse features first, then dense
        self.bias = bias  # (classes,)
        self.dense_size = dense_size
        # The dense rows and the bias as float64, converted once per model rather than once per candidate.
        self._dense64 = self.weights[len(vocabulary) :].astype(np.float64) if dense_size else None
        self._bias64 = self.bias.astype(np.float64)

    def scores(self, features: Sequence[str], dense: np.ndarray | None = None) -> np.ndarray:
        index = self.vocabulary.get
        rows = sorted({row for row in map(index, features) if row is not None})
        total = self._bias64.copy()
        if rows:
            # (``take`` and ``add.reduce``: the same rows summed in the same order as ``weights[rows].sum``,
            # without the fancy-indexing and wrapper costs that dominate at a few dozen rows)
            total += np.add.reduce(self.weights.take(rows, axis=0), axis=0, dtype=np.float64)
        if self._dense64 is not None and dense is not None:
            total += dense.astype(np.float64) @ self._dense64
        return total

    def probabilities(self, features: Sequence[str], dense: np.ndarray | None = None) -> dict[str, float]:
        scores = self.scores(features, dense)
        scores -= scores.max()
        exp = np.exp(scores)
        exp /= exp.sum()
        return dict(zip(self.classes, exp.tolist(), strict=True))

    def probabilities_of_many(
        self, rows: Sequence[Sequence[str]], dense: Sequence[np.ndarray] | None = None
    ) -> list[dict[str, float]]:
        """:meth:`probabilities` of many rows (a doc's candidates) at once, equal to it to the bit: each row's
        sparse sum and dense product are made as there, one by one (a matrix product of all the dense rows
        would sum in another order and change the last bits); the bias, the sums and the softmax, a dozen
        numpy calls per row there, are one call each here."""
        if not rows:
            return []
        index, weights = self.vocabulary.get, self.weights
        none = np.zeros(len(self.classes))
        sums = []
        for features in rows:
            found = sorted({row for row in map(index, features) if row is not None})
            sums.append(
                np.add.reduce(weights.take(found, axis=0), axis=0, dtype=np.float64) if found else none
            )
        total = np.array(sums)
        total += self._bias64  # (bias + sum, as there: addition is commutative to the bit)
        if self._dense64 is not None and dense is not None:
            total += np.array([vector.astype(np.float64) @ self._dense64 for vector in dense])
        total -= total.max(axis=1, keepdims=True)
        np.exp(total, out=total)
        total /= total.sum(axis=1, keepdims=True)
        classes = self.classes
        return [dict(zip(classes, row, strict=True)) for row in total.tolist()]

    # -- persistence -------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        np.savez_compressed(path.with_suffix(".npz"), weights=self.weights.astype(np.float16), bias=self.bias)
        features = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = {"classes": self.classes, "dense_size": self.dense_size, "features": features}
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path.with_suffix(".npz")) as arrays:
            weights = arrays["weights"].astype(np.float32)
            bias = arrays["bias"].astype(np.float32)
        vocabulary = {feature: index for index, feature in enumerate(meta["features"])}
        return cls(meta["classes"], vocabulary, weights, bias, int(meta.get("dense_size", 0)))


def train(
    rows: Sequence[Sequence[str]], labels: Sequence[str], *, classes: Sequence[str] | None = None,
    l2: float = 1.0, min_count: int = 2, max_iterations: int = 300, class_weight: dict[str, float] | None = None,
    dense: np.ndarray | None = None,
) -> LinearModel:  # fmt: skip
    """Fit by L-BFGS on the mean log-loss plus ``l2``/n times the squared weights (the bias is free)."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    classes = list(classes or sorted(set(labels)))
    counts = Counter(f for row in rows for f in set(row))
    features = sorted(f for f, c in counts.items() if c >= min_count)
    vocabulary = {f: i for i, f in enumerate(features)}
    indptr, indices = [0], []
    for row in rows:
        indices += sorted({vocabulary[f] for f in row if f in vocabulary})
        indptr.append(len(indices))
    n, k = len(rows), len(classes)
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n, len(features)))
    dense_size = 0
    if dense is not None:
        from scipy.sparse import hstack

        dense_size = dense.shape[1]
        x = hstack([x, csr_matrix(dense)]).tocsr()
    d = x.shape[1]
    y = np.array([classes.index(label) for label in labels])
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    sample = np.ones(n)
    if class_weight:
        sample = np.array([class_weight.get(label, 1.0) for label in labels])
    sample = sample / sample.sum()
    xt = x.T.tocsr()

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1, keepdims=True))
        log_p = z - log_norm
        loss = -(sample * (log_p * onehot).sum(axis=1)).sum() + l2 / n * 0.5 * (w * w).sum()
        residual = (np.exp(log_p) - onehot) * sample[:, None]
        grad_w = xt @ residual + l2 / n * w
        grad_b = residual.sum(axis=0)
        return float(loss), np.concatenate([grad_w.ravel(), grad_b])

    theta0 = np.zeros(d * k + k)
    result = minimize(objective, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iterations})
    weights = result.x[: d * k].reshape(d, k).astype(np.float32)
    bias = result.x[d * k :].astype(np.float32)
    return LinearModel(classes, vocabulary, weights, bias, dense_size)
