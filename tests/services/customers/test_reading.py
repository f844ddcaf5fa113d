"""The offline reader: lexicon ensemble with negation, intensifiers, phrases, emoji and emoticons."""

from __future__ import annotations

import pytest

from bot.services.customers.reading import read_sentiment, vader_score


def value(text: str, language: str = "en") -> float:
    reading = read_sentiment(text, language)
    assert reading is not None
    return reading.value


@pytest.mark.parametrize(
    ("worse", "better", "language"),
    [
        ("not good", "good", "en"),
        ("never again", "again", "en"),
        ("bad", "not bad at all", "en"),
        ("pas terrible", "bien", "fr"),
        ("pas bien du tout", "bien", "fr"),
        ("je ne recommande pas", "je recommande", "fr"),
        ("plus jamais", "encore", "fr"),
        ("good", "very good", "en"),
        ("bon", "très bon", "fr"),
        ("bad", "slightly bad", "en"),
        ("Delivery :(", "Delivery :)", "en"),
        ("Livraison 😡", "Livraison 😍", "fr"),
        ("Okay 👎", "Okay 👍", "en"),
        ("Nice staff but the food was awful", "The food was awful but nice staff", "en"),
    ],
)
def test_what_reads_worse_scores_lower(worse: str, better: str, language: str) -> None:
    assert value(worse, language) < value(better, language)


def test_negative_and_positive_comments_land_on_their_side() -> None:
    assert value("Not good, never again") < -0.2
    assert value("pas terrible, je déconseille", "fr") < -0.1
    assert value("No answer to my emails") < 0  # a negation with nothing to negate: something missing
    assert value("Excellent service, thank you!") > 0.4
    assert value("Très bon accueil, merci", "fr") > 0.3


def test_the_reading_is_bounded_and_shows_its_components() -> None:
    reading = read_sentiment("TERRIBLE!!! worst awful horrible disgusting 😡😡😡", "en")
    assert reading is not None and -1.0 <= reading.value < -0.5
    assert -1.0 <= reading.vader <= 1.0 and -1.0 <= reading.textblob <= 1.0


def test_no_sentiment_word_reads_neutral_and_other_languages_are_not_read() -> None:
    assert vader_score("the parcel is at the post office", "en") == 0.0
    assert read_sentiment("Sehr schlecht", "de") is None
