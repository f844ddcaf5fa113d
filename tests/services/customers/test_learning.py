"""The small model: labels from scores, AUC with ties, a fit that separates, weights that round-trip."""

from __future__ import annotations

import numpy as np
import pytest

from bot.services.customers import learning


@pytest.mark.parametrize(
    ("score", "scale", "label"),
    [(0, "nps", True), (6, "nps", True), (7, "nps", None), (8, "nps", None), (9, "nps", False),
     (2, "csat", True), (3, "stars", None), (4, "stars", False), (None, "nps", None)],
)  # fmt: skip
def test_labels_come_from_the_score_band(score: int | None, scale: str, label: bool | None) -> None:
    assert learning.label_of(score, scale) is label


def test_auc_counts_ties_half() -> None:
    assert learning.auc([0.0, 0.1], [0.5, 0.9]) == 1.0
    assert learning.auc([0.9], [0.1]) == 0.0
    assert learning.auc([0.5, 0.5], [0.5, 0.5]) == 0.5
    assert learning.auc([0.1, 0.5], [0.5, 0.9]) == pytest.approx(0.875)


def test_a_fit_learns_words_the_lexicons_do_not_know_and_its_weights_round_trip() -> None:
    texts = [f"order {'zorblaxed' if i % 2 else 'crispy'} number {i}" for i in range(200)]
    negative = [bool(i % 2) for i in range(200)]
    model = learning.fit(texts, negative)
    polarity = model.polarity(["my order was zorblaxed", "my order was crispy"])
    assert polarity[0] < -0.3 < 0.3 < polarity[1]
    again = learning.from_bytes(learning.to_bytes(model))
    assert np.allclose(again.polarity(["zorblaxed"]), model.polarity(["zorblaxed"]))


def test_cross_validation_keeps_the_lexicons_when_the_model_adds_nothing() -> None:
    texts = [f"comment {i}" for i in range(120)]  # no word tells the classes apart
    negative = [i % 2 == 0 for i in range(120)]
    lexicons = [-1.0 if n else 1.0 for n in negative]  # the lexicons already know
    evaluation = learning.cross_validate(texts, negative, lexicons)
    assert evaluation.auc_lexicons == 1.0 and evaluation.weight == 0.0


def test_a_model_saved_before_feature_layouts_keeps_reading_comments_as_it_learnt_them() -> None:
    texts = [f"order {'zorblaxed' if i % 2 else 'crispy'} number {i}" for i in range(200)]
    negative = [bool(i % 2) for i in range(200)]
    old = learning.fit(texts, negative, layout=1)
    blob = learning.to_bytes(old)
    assert len(blob) == 4 * (learning.BUCKETS + 1)  # the layout-1 format, as stored before
    again = learning.from_bytes(blob)
    assert again.layout == 1
    assert np.allclose(again.polarity(["zorblaxed order"]), old.polarity(["zorblaxed order"]))
    assert learning.from_bytes(learning.to_bytes(learning.fit(texts, negative))).layout == learning.LAYOUT


def test_the_weight_is_the_middle_of_the_best_held_out_plateau_and_zero_when_lexicons_tie() -> None:
    assert learning.choose_weight({0.0: 0.90, 0.1: 0.95, 0.2: 0.95, 0.3: 0.95, 0.4: 0.93}) == 0.2
    assert learning.choose_weight({0.0: 0.9498, 0.1: 0.95, 0.2: 0.94}) == 0.0


def test_words_after_a_negation_are_other_features_until_the_clause_ends() -> None:
    from bot.services.customers.learning_features import scoped_words

    assert scoped_words("Not good, but the staff was great") == [
        "not", "!good", ",", "but", "the", "staff", "was", "great"
    ]  # fmt: skip
    assert scoped_words("Je ne recommande pas. Une personne charmante") == [
        "je", "ne", "!recommande", "pas", ".", "une", "personne", "charmante"
    ]  # fmt: skip


def test_a_misspelt_word_shares_most_of_its_features_with_the_word() -> None:
    from bot.services.customers.learning_features import hashes_v2

    right, wrong, other = hashes_v2("disappointing"), hashes_v2("disapointing"), hashes_v2("wonderful")
    assert len(right & wrong) > len(right) / 2 and not right & other
