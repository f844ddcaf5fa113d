"""What a customer comment says, read once at import: language, sentiment, reasons, risks.

The treatment priority, which also needs the score and the age, is ``bot.services.customers.priority``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.customers.language import UNDETERMINED, detect_language, is_unreadable
from bot.services.customers.reading import read_sentiment
from bot.services.customers.sentiment import UNKNOWN, UNREADABLE, sentiment_label
from bot.services.customers.taxonomy import Taxonomy

CALM_ABOVE = 0.3  # a comment reading at least this positive carries no risk (a happy repeat visit)

# Language hints from imports ("language" column, webhook field): code, locale or name.
_HINTS = {
    "en": "en", "eng": "en", "english": "en", "anglais": "en",
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "francais": "fr",
}  # fmt: skip
_NO_HINT = frozenset({"", "und", "auto", "unknown", "?"})


@dataclass(frozen=True, slots=True)
class TextTriage:
    language: str  # "en" | "fr" | "und"
    sentiment: float | None  # -1..1 (the lexicons' reading), None when the language can't be read or no text
    sentiment_label: str
    reasons: tuple[str, ...]
    risks: tuple[str, ...]


NO_TEXT = TextTriage(language=UNDETERMINED, sentiment=None, sentiment_label=UNKNOWN, reasons=(), risks=())


def language_from_hint(hint: str | None) -> str | None:
    """ "en"/"fr" for a hint naming them ("fr-CA", "English"), "und" for another language,
    None when there is no usable hint (then the language is detected)."""
    if hint is None:
        return None
    code = hint.strip().lower().replace("_", "-")
    if code in _NO_HINT:
        return None
    return _HINTS.get(code) or _HINTS.get(code.split("-")[0]) or UNDETERMINED


def triage_text(text: str | None, *, language_hint: str | None = None, taxonomy: Taxonomy) -> TextTriage:
    """Language (an explicit hint wins over detection), sentiment, reasons and risks of one comment."""
    if not text or text.isspace():
        hinted = language_from_hint(language_hint)
        return NO_TEXT if hinted is None else TextTriage(hinted, None, UNKNOWN, (), ())
    if is_unreadable(text):  # "????", mojibake: no guess, a note in the priority's explanation
        return TextTriage(UNDETERMINED, None, UNREADABLE, (), ())
    language = language_from_hint(language_hint) or detect_language(text)
    reading = read_sentiment(text, language)
    value = None if reading is None else reading.value
    reasons, risks = taxonomy.scan(text, language)
    if risks and value is not None and value >= CALM_ABOVE:  # "second time here, amazing as ever"
        risks = ()
    return TextTriage(
        language=language,
        sentiment=value,
        sentiment_label=sentiment_label(value),
        reasons=reasons,
        risks=risks,
    )
