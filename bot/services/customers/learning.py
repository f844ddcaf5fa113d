"""A small model per language, learnt from the company's own rated comments, blended with the lexicons.

Every comment that comes with a score is a label: a low score (NPS 0-6, CSAT or stars 1-2) marks a
negative comment, a high one (NPS 9-10, CSAT or stars 4-5) a positive one; the middle is left out.

* Features: ``learning_features`` (words and word pairs read with the negation rule, character grams
  of each word), hashed into ``BUCKETS`` buckets, present or not, scaled to unit length. A model
  keeps the feature layout it learnt with.
* Model: logistic regression (L2), fitted by full-batch gradient descent with Adagrad, in numpy.
* Blend: ``(1 - weight) x lexicons + weight x model``, the model read as 1 - 2 x P(negative) (-1..1).
  The weight is chosen by cross-validation on the same labels (each fold scored by a model that did
  not learn from it), among ``WEIGHTS`` (0 to 0.9 in steps of 0.05): 0 when the model does not beat the
  lexicons held out, else the middle of the weights within ``PLATEAU`` of the best (``choose_weight``).

Pure functions here; the store's side (training on scored verbatims, versions) is ``triage_models``.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot import scales
from bot.services.customers.learning_features import BUCKETS, HASHERS, LAYOUT

EPOCHS = 60
LEARNING_RATE = 0.5
L2 = 1e-6  # chosen by cross-validation on the learnt halves of bench_reading (1e-4 .. 0: 1e-6 and 0 best)
FOLDS = 4
WEIGHTS = tuple(round(0.05 * i, 2) for i in range(19))  # 0, 0.05 ... 0.9: the model's share in the blend
MIN_PER_CLASS = 10
PLATEAU = 0.0005  # held-out AUCs this close to the best count as as good


def label_of(score: int | None, scale: str) -> bool | None:
    """True for a negative comment (low score), False for a positive one, None otherwise."""
    bands = scales.scale(scale)
    return True if bands.is_bottom(score) else False if bands.is_top(score) else None


@dataclass(frozen=True)
class Rows:
    """Texts as a sparse binary matrix (CSR arrays), rows scaled to unit length. Compact (4 bytes per
    feature): a comment's feature set is turned into array items at once, never kept as Python ints."""

    indptr: np.ndarray
    indices: np.ndarray  # int32 buckets
    values: np.ndarray  # float32, 1/sqrt(features of the row)
    ids: np.ndarray  # int32 row of each feature

    @classmethod
    def of(cls, texts: Sequence[str], layout: int = LAYOUT) -> Rows:
        hashes = HASHERS[layout]
        found, sizes = array("i"), array("q")
        for text in texts:
            features = hashes(text)
            found.extend(features)
            sizes.append(len(features))
        size = np.frombuffer(sizes, dtype=np.int64) if sizes else np.zeros(0, dtype=np.int64)
        indptr = np.concatenate(([0], np.cumsum(size)))
        indices = np.frombuffer(found, dtype=np.int32) if found else np.zeros(0, dtype=np.int32)
        ids = np.repeat(np.arange(len(size), dtype=np.int32), size)
        values = np.repeat((1.0 / np.sqrt(np.maximum(size, 1))).astype(np.float32), size)
        return cls(indptr, indices, values, ids)

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def dot(self, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.ids, weights=weights[self.indices] * self.values, minlength=self.n)


@dataclass(frozen=True)
class Model:
    weights: np.ndarray  # BUCKETS float32
    bias: float
    layout: int = LAYOUT  # the features it learnt with (``learning_features``)

    def negative_probability(self, texts: Sequence[str]) -> np.ndarray:
        rows = Rows.of(texts, self.layout)
        logits = rows.dot(self.weights.astype(np.float64)) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    def polarity(self, texts: Sequence[str]) -> np.ndarray:
        """-1 (surely negative) .. 1 (surely positive)."""
        return 1.0 - 2.0 * self.negative_probability(texts)


def fit(texts: Sequence[str], negative: Sequence[bool], *, layout: int = LAYOUT) -> Model:
    rows = Rows.of(texts, layout)
    y = np.asarray(negative, dtype=np.float64)
    ids = rows.ids
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
    return Model(weights=w.astype(np.float32), bias=b, layout=layout)


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
    weight = choose_weight(aucs)
    return Evaluation(len(y), int(y.sum()), aucs[0.0], auc_of(held, y), aucs[weight], weight)


def choose_weight(aucs: dict[float, float]) -> float:
    """0 when the lexicons alone do within ``PLATEAU`` of the best blend held out; otherwise the middle
    of the weights that do (a flat top is common on few labels: its middle is the least noisy choice)."""
    best = max(aucs.values())
    if aucs[0.0] >= best - PLATEAU:
        return 0.0
    near = sorted(w for w, value in aucs.items() if value >= best - PLATEAU)
    return near[len(near) // 2]


def enough(negative: Sequence[bool], minimum: int) -> bool:
    n_neg = sum(1 for v in negative if v)
    return len(negative) >= minimum and min(n_neg, len(negative) - n_neg) >= MIN_PER_CLASS


def to_bytes(model: Model) -> bytes:
    """Little-endian float32: [bias, weights] for layout 1 (as saved before layouts), else [layout, bias, weights]."""
    head = [model.bias] if model.layout == 1 else [model.layout, model.bias]
    return np.concatenate([np.asarray(head, dtype=np.float32), model.weights]).astype("<f4").tobytes()


def from_bytes(blob: bytes) -> Model:
    array = np.frombuffer(blob, dtype="<f4")
    if len(array) == BUCKETS + 1:  # saved before layouts: words and word pairs
        return Model(weights=array[1:].copy(), bias=float(array[0]), layout=1)
    return Model(weights=array[2:].copy(), bias=float(array[1]), layout=int(array[0]))
