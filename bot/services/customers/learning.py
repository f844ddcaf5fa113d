"""A small model per language, learnt from the company's own rated comments, blended with the lexicons.

Every comment that comes with a score is a label: a low score (NPS 0-6, CSAT or stars 1-2) marks a
negative comment, a high one (NPS 9-10, CSAT or stars 4-5) a positive one; the middle is left out.

* Features: the comment's words and word pairs (lowercase, ``\\w+``), each hashed with CRC32 into
  ``BUCKETS`` buckets (stable across processes and versions), present or not, scaled to unit length.
* Model: logistic regression (L2), fitted by full-batch gradient descent with Adagrad, in numpy.
* Blend: ``(1 - weight) x lexicons + weight x model``, the model read as 1 - 2 x P(negative) (-1..1).
  The weight is chosen by cross-validation on the same labels (each fold scored by a model that did
  not learn from it), among ``WEIGHTS``; 0 when the model does not beat the lexicons held out.

Pure functions here; the store's side (training on scored verbatims, versions) is ``triage_models``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot import scales

BUCKETS = 1 << 18
EPOCHS = 60
LEARNING_RATE = 0.5
L2 = 1e-4
FOLDS = 4
WEIGHTS = (0.0, 0.25, 0.4, 0.55, 0.7, 0.85)
MIN_PER_CLASS = 10
_WORD = re.compile(r"\w+")


def label_of(score: int | None, scale: str) -> bool | None:
    """True for a negative comment (low score), False for a positive one, None otherwise."""
    bands = scales.scale(scale)
    return True if bands.is_bottom(score) else False if bands.is_top(score) else None


def _hashes(text: str) -> set[int]:
    words = _WORD.findall(text[:2000].lower())
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return {zlib.crc32(g.encode()) & (BUCKETS - 1) for g in grams}


@dataclass(frozen=True)
class Rows:
    """Texts as a sparse binary matrix (CSR arrays), rows scaled to unit length."""

    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> Rows:
        sets = [_hashes(t) for t in texts]
        sizes = np.array([len(s) for s in sets], dtype=np.int64)
        indptr = np.concatenate(([0], np.cumsum(sizes)))
        indices = np.fromiter((h for s in sets for h in s), dtype=np.int64, count=int(indptr[-1]))
        norms = np.repeat(1.0 / np.sqrt(np.maximum(sizes, 1)), sizes)
        return cls(indptr, indices, norms.astype(np.float64))

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.n), np.diff(self.indptr))

    def dot(self, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.row_ids(), weights=weights[self.indices] * self.values, minlength=self.n)


@dataclass(frozen=True)
class Model:
    weights: np.ndarray  # BUCKETS float32
    bias: float

    def negative_probability(self, texts: Sequence[str]) -> np.ndarray:
        rows = Rows.of(texts)
        logits = rows.dot(self.weights.astype(np.float64)) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    def polarity(self, texts: Sequence[str]) -> np.ndarray:
        """-1 (surely negative) .. 1 (surely positive)."""
        return 1.0 - 2.0 * self.negative_probability(texts)


def fit(texts: Sequence[str], negative: Sequence[bool]) -> Model:
    rows = Rows.of(texts)
    y = np.asarray(negative, dtype=np.float64)
    ids = rows.row_ids()
    w, b = np.zeros(BUCKETS), float(np.log((y.mean() + 1e-3) / (1 - y.mean() + 1e-3)))
    g2, b2 = np.full(BUCKETS, 1e-8), 1e-8
    for _ in range(EPOCHS):
        logits = np.bincount(ids, weights=w[rows.indices] * rows.values, minlength=rows.n) + b
        residual = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30))) - y
        grad = np.bincount(rows.indices, weights=residual[ids] * rows.values, minlength=BUCKETS) / rows.n
        grad += L2 * w
        gb = float(residual.mean())
        g2 += grad * grad
        b2 += gb * gb
        w -= LEARNING_RATE * grad / np.sqrt(g2)
        b -= LEARNING_RATE * gb / np.sqrt(b2)
    return Model(weights=w.astype(np.float32), bias=b)


def blend(lexicons: np.ndarray, model: np.ndarray, weight: float) -> np.ndarray:
    return (1.0 - weight) * lexicons + weight * model


def auc(negative_scores: Sequence[float], positive_scores: Sequence[float]) -> float:
    """P(a negative comment reads lower than a positive one), ties counted half (Mann-Whitney)."""
    neg, pos = np.asarray(negative_scores, float), np.asarray(positive_scores, float)
    if not len(neg) or not len(pos):
        return float("nan")
    values = np.concatenate([neg, pos])
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    _, starts, counts = np.unique(sorted_values, return_index=True, return_counts=True)
    ranks[order] = np.repeat(starts + (counts + 1) / 2.0, counts)
    pos_ranks = ranks[len(neg) :].sum()
    return float((pos_ranks - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def auc_of(scores: np.ndarray, negative: np.ndarray) -> float:
    return auc(scores[negative], scores[~negative])


@dataclass(frozen=True)
class Evaluation:
    """Held-out AUCs on the labels (each comment scored by a model that did not learn from it)."""

    labels: int
    negatives: int
    auc_lexicons: float
    auc_model: float
    auc_blend: float
    weight: float


def cross_validate(texts: Sequence[str], negative: Sequence[bool], lexicons: Sequence[float]) -> Evaluation:
    """Held-out AUCs of the lexicons, the model and the best blend; the blend's weight."""
    y = np.asarray(negative, dtype=bool)
    lex = np.asarray(lexicons, dtype=np.float64)
    folds = np.arange(len(y)) % FOLDS
    held = np.zeros(len(y))
    for k in range(FOLDS):
        train, test = folds != k, folds == k
        model = fit([t for t, keep in zip(texts, train, strict=True) if keep], y[train])
        held[test] = model.polarity([t for t, keep in zip(texts, test, strict=True) if keep])
    aucs = {w: auc_of(blend(lex, held, w), y) for w in WEIGHTS}
    best = max(WEIGHTS, key=lambda w: (round(aucs[w], 4), -w))
    return Evaluation(len(y), int(y.sum()), aucs[0.0], auc_of(held, y), aucs[best], best)


def enough(negative: Sequence[bool], minimum: int) -> bool:
    n_neg = sum(1 for v in negative if v)
    return len(negative) >= minimum and min(n_neg, len(negative) - n_neg) >= MIN_PER_CLASS


def to_bytes(model: Model) -> bytes:
    return np.concatenate([[np.float32(model.bias)], model.weights]).astype("<f4").tobytes()


def from_bytes(blob: bytes) -> Model:
    array = np.frombuffer(blob, dtype="<f4")
    return Model(weights=array[1:].copy(), bias=float(array[0]))
