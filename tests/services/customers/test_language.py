"""Language detection on the short, messy comments customers actually write."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.services.customers.language import detect_language

SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"


@pytest.mark.parametrize(
    "text",
    [
        "Good",
        "Very bad service",
        "Thanks",
        "Not bad",
        "Issue not resolved pathetic service",
        "I don't know where my parcel is, nobody answers the phone",
        "My problem has been solved by Madam ji We are happy from customer help & thanks",
        "The agent was really rude and I'm still waiting for my refund.",
    ],
)
def test_english_comments_are_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Nul",
        "Très bien",
        "A fuir !",
        "Je vais résilier",
        "Déçu",
        "Service client injoignable, aucune réponse à mes mails",
        "L'assurance m'a remboursé rapidement, merci",
        "Conseillère très aimable et compétente, je recommande",
        "TRES DECU PAR LE SERVICE",
    ],
)
def test_french_comments_are_french(text: str) -> None:
    assert detect_language(text) == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "????",
        "???? ?? ?? ?? ?????????? ?????? ????",
        "👍👍👍",
        "12345",
        "Chutiya app koi bi isse order mat karo",
        "Mere paise return nahin kiye gaye hain",
        "Baar baar problem aayi ki glat product receive hua to aapki side se koi response nhi",
        "Bahut accha service tha, par delivery late thi",
        "El servicio es muy malo y nunca me devolvieron el dinero",
        "Der Service war sehr schlecht und langsam",
        "Excellent",  # the same word in English and French: do not guess
        "Ok",
    ],
)
def test_other_languages_hinglish_symbols_and_ambiguous_words_are_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


def test_none_is_undetermined() -> None:
    assert detect_language(None) == "und"


def test_english_words_that_french_shares_do_not_make_english_french() -> None:
    # "flexible", "content", "on", "me" and "plus" exist in both languages
    assert detect_language("Flexible hours, content team, plus good pay on weekends") == "en"


def _column(name: str, column: str, limit: int) -> list[str]:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} not found (real data lives outside the project)")
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            row[column] for _, row in zip(range(limit), csv.DictReader(handle), strict=False) if row[column]
        ]


def test_real_french_insurance_reviews_are_read_as_french() -> None:
    texts = _column("fr_insurance_reviews.csv", "avis", 3000)
    french = sum(detect_language(t) == "fr" for t in texts)
    assert french / len(texts) > 0.995


def test_real_english_employee_reviews_are_read_as_english() -> None:
    texts = _column("employee_reviews_uk.csv", "pros", 3000)
    english = sum(detect_language(t) == "en" for t in texts)
    french = sum(detect_language(t) == "fr" for t in texts)
    assert english / len(texts) > 0.9 and french / len(texts) < 0.005
