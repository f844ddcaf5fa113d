"""Triage of one customer comment, as the import does it, end to end with the shipped taxonomy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.customers.priority import compute_priority
from bot.services.customers.reading import read_sentiment
from bot.services.customers.taxonomy import load_taxonomy
from bot.services.customers.triage import TextTriage, language_from_hint, triage_text

TAXONOMY = load_taxonomy()
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_an_angry_english_customer_about_to_cancel() -> None:
    result = triage_text(
        "Terrible service, the worst. I am going to cancel my subscription.", taxonomy=TAXONOMY
    )
    assert result.language == "en"
    assert result.sentiment is not None and result.sentiment <= -0.5
    assert result.sentiment_label == "very negative"
    assert result.risks == ("churn",) and "cancellation" in result.reasons


def test_a_french_customer_who_will_cancel_gets_french_sentiment_and_a_churn_flag() -> None:
    text = "Service nul, je vais résilier mon contrat"
    result = triage_text(text, taxonomy=TAXONOMY)
    assert result.language == "fr"
    assert "churn" in result.risks
    assert result.sentiment == read_sentiment(text, "fr").value and result.sentiment < -0.1  # type: ignore[union-attr]
    assert "cancellation" in result.reasons and "contract" in result.reasons


@pytest.mark.parametrize("text", ["Bahut accha service tha, par delivery late thi", "🙂🙂"])
def test_hinglish_text_has_unknown_sentiment_not_zero(text: str) -> None:
    result = triage_text(text, taxonomy=TAXONOMY)
    assert result.language == "und"
    assert result.sentiment is None and result.sentiment_label == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "????",
        "???? ?? ???",
        "Very bad ???? ????? ???? ???",
        "Ã©tÃ© trÃ¨s dÃ©Ã§u",
        "Itâ€™s broken",
        "\ufffd\ufffd\ufffd",
    ],
)
def test_unreadable_text_gets_no_language_no_sentiment_and_a_note(text: str) -> None:
    result = triage_text(text, taxonomy=TAXONOMY)
    assert (result.language, result.sentiment, result.sentiment_label) == ("und", None, "unreadable")


@pytest.mark.parametrize("text", ["Is it ok? Really?? Thanks", "Très bien, merci !!", "Why?? I paid twice"])
def test_question_marks_in_readable_text_are_not_unreadable(text: str) -> None:
    assert triage_text(text, taxonomy=TAXONOMY).sentiment_label != "unreadable"


@pytest.mark.parametrize(
    "text",
    [
        "I won't cancel, you fixed it quickly",
        "I am not going to cancel my subscription after all",
        "Je ne vais pas résilier, vous avez été efficaces",
        "Problem solved, no lawyer needed",
        "I don't want to take legal action, just a refund",
        "The claim form is very dangerous to fill in wrong",
        "Dangerous customer service, they lie",
    ],
)
def test_negated_threats_and_figurative_danger_are_no_risk(text: str) -> None:
    assert triage_text(text, taxonomy=TAXONOMY).risks == ()


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("I will cancel my account tomorrow", "churn"),
        ("Je vais résilier mon contrat", "churn"),
        ("My lawyer will contact you", "legal"),
        ("The charger caught fire in my kitchen", "safety"),
        ("My son had an allergic reaction to the cream", "safety"),
        ("Le radiateur a pris feu", "safety"),
        ("Not happy, I want to cancel my subscription", "churn"),
    ],
)
def test_real_threats_and_physical_hazards_are_risks(text: str, risk: str) -> None:
    assert risk in triage_text(text, taxonomy=TAXONOMY).risks


def test_undetermined_comments_still_get_reasons_from_every_language() -> None:
    assert (
        "delivery" in triage_text("Bahut accha service tha, par delivery late thi", taxonomy=TAXONOMY).reasons
    )


@pytest.mark.parametrize("text", [None, "", "   \n"])
def test_no_text_means_nothing_to_read(text: str | None) -> None:
    assert triage_text(text, taxonomy=TAXONOMY) == TextTriage("und", None, "unknown", (), ())


def test_an_explicit_language_from_the_import_wins_over_detection() -> None:
    # "Excellent" alone is ambiguous: undetermined without a hint, read as told with one
    assert triage_text("Excellent", taxonomy=TAXONOMY).sentiment is None
    hinted = triage_text("Excellent", language_hint="fr-FR", taxonomy=TAXONOMY)
    assert hinted.sentiment == read_sentiment("Excellent", "fr").value > 0.5  # type: ignore[union-attr]
    told_english = triage_text("Service nul", language_hint="en", taxonomy=TAXONOMY)
    assert told_english.language == "en" and told_english.sentiment == 0.0  # as told, even if it reads French


def test_a_hint_naming_another_language_means_we_cannot_read_it() -> None:
    result = triage_text("Sehr schlecht", language_hint="de", taxonomy=TAXONOMY)
    assert (result.language, result.sentiment, result.sentiment_label) == ("und", None, "unknown")


@pytest.mark.parametrize(
    ("hint", "language"),
    [
        ("en", "en"),
        ("EN-GB", "en"),
        ("English", "en"),
        ("fr", "fr"),
        ("fr_CA", "fr"),
        ("Français", "fr"),
        ("de", "und"),
        ("hi", "und"),
        (None, None),
        ("", None),
        ("und", None),
        ("auto", None),
    ],
)
def test_language_hints(hint: str | None, language: str | None) -> None:
    assert language_from_hint(hint) == language


def test_the_angry_french_detractor_comes_before_the_happy_english_promoter() -> None:
    def rank(text: str, score: int) -> int:
        tri = triage_text(text, taxonomy=TAXONOMY)
        return compute_priority(
            score=score,
            scale="stars",
            sentiment=tri.sentiment,
            sentiment_label=tri.sentiment_label,
            risks=tri.risks,
            received_at=NOW - timedelta(hours=2),
            now=NOW,
        ).value

    angry = rank("Honteux. Aucune réponse après trois relances, je vais porter plainte contre vous.", 1)
    happy = rank("Great support, very helpful, thank you!", 5)
    assert angry >= 70 > 10 > happy


def test_a_clearly_happy_comment_carries_no_risk() -> None:
    assert triage_text("Second time here and amazing as ever, great staff!", taxonomy=TAXONOMY).risks == ()
    assert triage_text("Second time I call and still no answer", taxonomy=TAXONOMY).risks == ("repeat",)
