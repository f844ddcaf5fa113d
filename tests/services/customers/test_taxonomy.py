"""Reasons for contact and risks: the shipped taxonomy, the matching rules, clear file errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import ConfigError
from bot.services.customers.taxonomy import comment_words, load_taxonomy, normalise

TAXONOMY = load_taxonomy()


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        ("My parcel never arrived", "en", "delivery"),
        ("Livraison en retard, colis abîmé", "fr", "delivery"),
        ("I was charged twice on my invoice", "en", "billing"),
        ("Double prélèvement sur ma facture", "fr", "billing"),
        ("Still waiting for my refund", "en", "refund"),
        ("Toujours pas remboursé", "fr", "refund"),
        ("Impossible de déclarer un sinistre", "fr", "claims"),
        ("The adviser was rude", "en", "staff_attitude"),
        ("Très bon accueil", "fr", "staff_attitude"),
        ("Tarifs en hausse chaque année", "fr", "pricing"),
        ("I forgot my password and cannot log in", "en", "account_access"),
        ("Délai d'attente au téléphone interminable", "fr", "waiting_time"),
        ("L'application plante sans arrêt", "fr", "website_app"),
    ],
)
def test_reasons_are_found_in_english_and_french(text: str, language: str, reason: str) -> None:
    assert reason in TAXONOMY.match(text, language)


def test_matching_ignores_case_accents_and_accepts_plurals() -> None:
    for text in ("DÉLAI", "delai", "Délais", "les délais"):
        assert "waiting_time" in TAXONOMY.match(text, "fr"), text
    assert "product_quality" in TAXONOMY.match("produits endommagés", "fr")  # plural + feminine forms


@given(st.text(st.sampled_from(list("aeEéÉèêëàÀâçÇîïôœŒæßùûü’'-_.,!? \n\t07\u0301\u00a0😀жİ"))))
def test_the_fast_word_split_is_exactly_words_of_the_normalised_text(text: str) -> None:
    assert comment_words(text) == re.findall(r"\w+", normalise(text))


def test_matching_is_on_whole_words() -> None:
    assert "waiting_time" not in TAXONOMY.match("un dossier délaissé", "fr")  # "délai" is not "délaissé"
    assert "pricing" not in TAXONOMY.match("our costumer care", "en")  # "cost" is not in "costumer"
    assert "claims" not in TAXONOMY.match("volley-ball", "fr")  # "vol" (theft) is not in "volley"


def test_the_most_mentioned_reason_comes_first() -> None:
    text = "Le prix a augmenté, le tarif est trop cher. Sinon conseiller aimable."
    assert TAXONOMY.match(text, "fr")[:2] == ("pricing", "staff_attitude")


def test_keywords_are_used_in_their_own_language_and_all_of_them_when_undetermined() -> None:
    assert TAXONOMY.match("refund", "fr") == ()
    assert TAXONOMY.match("refund", "en") == ("refund",)
    assert TAXONOMY.match("refund not received", "und") == ("refund",)


@pytest.mark.parametrize(
    ("text", "language", "risk"),
    [
        ("I will cancel my subscription", "en", "churn"),
        ("Switching to a competitor next month", "en", "churn"),
        ("je vais résilier", "fr", "churn"),
        ("Je vais changer d'assureur", "fr", "churn"),
        ("My lawyer will hear about this", "en", "legal"),
        ("I'll take this to the ombudsman", "en", "legal"),
        ("Je saisis le médiateur et UFC Que Choisir", "fr", "legal"),
        ("This is the third time I call", "en", "repeat"),
        ("Toujours pas de réponse, j'ai relancé à plusieurs reprises", "fr", "repeat"),
        ("The charger caught fire", "en", "safety"),
        ("Mon fils a été blessé", "fr", "safety"),
    ],
)
def test_risks_are_flagged(text: str, language: str, risk: str) -> None:
    assert risk in TAXONOMY.match_risks(text, language)


def test_a_calm_comment_has_no_risk() -> None:
    assert TAXONOMY.match_risks("Very helpful agent, quick answer, thank you", "en") == ()
    assert TAXONOMY.match_risks("J'ai grillé un feu rouge, l'expert est passé", "fr") == ()


def test_scan_gives_reasons_and_risks_together() -> None:
    reasons, risks = TAXONOMY.scan("Je vais résilier : trois mois de retard de livraison", "fr")
    assert "cancellation" in reasons and "delivery" in reasons and risks == ("churn",)


def test_labels_in_both_languages() -> None:
    assert TAXONOMY.label("billing", "fr") == "Facturation et paiement"
    assert TAXONOMY.label("billing") == "Billing and payment"
    assert TAXONOMY.label("churn", "fr") == "Risque de départ"
    assert TAXONOMY.label("no_such_reason") == "no_such_reason"


def test_a_company_file_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        """
reasons:
  - key: gift_cards
    label: {en: Gift cards, fr: Cartes cadeaux}
    keywords: {en: [gift card*, voucher], fr: [carte cadeau, bon d'achat]}
risks:
  - key: fraud
    label: Fraud
    keywords: {en: [fraud*, scam]}
""",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.match("My gift cards expired", "en") == ("gift_cards",)
    assert taxonomy.match("Ma carte cadeau ne marche pas", "fr") == ("gift_cards",)
    assert taxonomy.match_risks("This is a scam", "en") == ("fraud",)
    assert taxonomy.match("My parcel never arrived", "en") == ()  # the default reasons are gone
    assert taxonomy.label("gift_cards", "fr") == "Cartes cadeaux" and taxonomy.label("fraud", "fr") == "Fraud"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("reasons: [\n  - key: a\n", "invalid YAML"),
        ("- just\n- a list\n", "must be a mapping with 'reasons'"),
        ("risks: []\n", "reasons: must be a non-empty list"),
        ("reasons:\n  - key: Billing\n    label: B\n    keywords: {en: [bill]}\n", "key 'Billing'"),
        ("reasons:\n  - key: billing\n    keywords: {en: [bill]}\n", "reasons[0] (billing): label"),
        (
            "reasons:\n  - key: billing\n    label: B\n    keywords: {de: [rechnung]}\n",
            "keywords.de: unknown language",
        ),
        (
            "reasons:\n  - key: billing\n    label: B\n    keywords: {en: bill}\n",
            "keywords.en must be a non-empty list",
        ),
        (
            "reasons:\n  - key: billing\n    label: B\n    keywords: {en: ['***']}\n",
            "'***' is not a usable keyword",
        ),
        (
            "reasons:\n  - {key: a, label: A, keywords: {en: [x]}}\n  - {key: a, label: B, keywords: {en: [y]}}\n",
            "duplicate key(s) a",
        ),
        ("reasons:\n  - {key: a, label: A, keywords: {en: [x]}}\nreason: []\n", "unknown section(s) reason"),
    ],
)
def test_a_malformed_file_stops_with_an_error_naming_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_taxonomy(path)
    assert str(path) in str(error.value) and problem in str(error.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.yaml.*cannot be read"):
        load_taxonomy(tmp_path / "missing.yaml")


def test_the_yaml_line_of_a_syntax_error_is_given(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("reasons:\n  - key: a\n\tlabel: A\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 3"):
        load_taxonomy(path)
