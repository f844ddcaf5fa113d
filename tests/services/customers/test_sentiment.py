"""Sentiment: the same numbers as TextBlob's analyzers, faster, and never a fake 0.0."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textblob.en.sentiments import PatternAnalyzer as EnglishAnalyzer
from textblob_fr.sentiments import PatternAnalyzer as FrenchAnalyzer

from bot.services.customers.sentiment import (
    MAX_CHARS,
    clip,
    polarity,
    raw_textblob_sentiment,
    sentiment_label,
)

ENGLISH = EnglishAnalyzer()
FRENCH = FrenchAnalyzer()

ENGLISH_SAMPLES = [
    "The agent was very helpful and polite!",
    "Worst service ever. I don't recommend them at all!!",
    "not good, not bad",
    "It isn't really a good product :( and delivery was late...",
    "Great (!) another week without my refund",
    "I'm NOT happy. Mr. Smith said it's e.g. fine, U.S. shipping ... meh :-)",
    "\"Excellent\" support, 'truly' amazing <3 but the app crashed ;)",
    "",
]
FRENCH_SAMPLES = [
    "Service client très réactif, je suis satisfait.",
    "Je ne suis pas du tout content, c'est nul !",
    "L’assurance m’a remboursé rapidement, merci",
    "Très déçu... Aucune réponse depuis 3 semaines :( Inadmissible !!",
    "C'est vraiment pas terrible, l'agence est désagréable et le prix excessif",
    "Ça ne marche pas, jamais bon, M. Dupont (!) QU’IL se débrouille",
]


@pytest.mark.parametrize("text", ENGLISH_SAMPLES)
def test_english_polarity_is_exactly_textblobs(text: str) -> None:
    assert polarity(text, "en") == pytest.approx(ENGLISH.analyze(text).polarity, abs=1e-12)


@pytest.mark.parametrize("text", FRENCH_SAMPLES)
def test_french_polarity_is_exactly_textblob_frs(text: str) -> None:
    assert polarity(text, "fr") == pytest.approx(FRENCH.analyze(text)[0], abs=1e-12)


# Words that exercise every rule: lexicon words, intensifiers, negations, "!", emoticons, sarcasm,
# abbreviations, quotes and apostrophes (typographic or not), in both languages.
_PIECES = st.sampled_from(
    "good bad very really not never no n't don't isn't terrible great happy sadly ! ? . , ... ;) :( :-) <3 8) (8-) *) xD :'( "
    "(!) ( ) \" ' ’ Mr. e.g. U.S. etc. a the service refund late très pas ne n' jamais bon mauvais nul "
    "vraiment super l’agence qu’il L’AVIS c'est déçu satisfait rien sans terriblement ! GOOD NOT".split()
)
_TEXTS = st.lists(_PIECES, max_size=25).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", "", "  ", "\n", "\n\n"]), min_size=len(words), max_size=len(words)
    ).map(lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)))
)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_any_mix_of_tricky_tokens_scores_like_the_analyzers(text: str) -> None:
    assert polarity(text, "en") == pytest.approx(ENGLISH.analyze(text).polarity, abs=1e-12)
    assert polarity(text, "fr") == pytest.approx(FRENCH.analyze(text)[0], abs=1e-12)


def test_a_language_we_cannot_read_has_no_polarity_not_zero() -> None:
    assert polarity("Bahut accha service tha", "und") is None
    assert polarity("Sehr schlecht", "de") is None
    assert sentiment_label(None) == "unknown"


def test_french_is_read_with_the_french_lexicon() -> None:
    text = "Service nul, conseiller désagréable, très déçu"
    assert polarity(text, "fr") < -0.3  # what a French reader hears
    assert polarity(text, "en") == 0.0  # what the English analyzer would have made of it


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-1.0, "very negative"),
        (-0.5, "very negative"),
        (-0.49, "negative"),
        (-0.11, "negative"),
        (-0.1, "neutral"),
        (0.0, "neutral"),
        (0.1, "neutral"),
        (0.11, "positive"),
        (0.49, "positive"),
        (0.5, "very positive"),
        (1.0, "very positive"),
    ],
)
def test_labels_follow_the_documented_thresholds(value: float, label: str) -> None:
    assert sentiment_label(value) == label


def test_long_comments_are_scored_on_their_first_thousand_characters_cut_between_words() -> None:
    head = "The agent was helpful and kind. " * 40
    text = head + "terrible awful horrible " * 200
    cut = clip(text)
    assert len(cut) <= MAX_CHARS and text.startswith(cut) and text[len(cut)] == " "  # no half word
    assert polarity(text, "en") > 0  # the rant after 1,000 characters is not read
    assert polarity(text, "en") == pytest.approx(ENGLISH.analyze(cut).polarity)


def test_raw_textblob_baseline_is_the_english_analyzer() -> None:
    assert raw_textblob_sentiment("Very bad service") == pytest.approx(
        ENGLISH.analyze("Very bad service").polarity
    )
