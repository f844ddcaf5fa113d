"""The reader's copy of TextBlob's data, loaded without importing TextBlob, is the packages' own."""

from __future__ import annotations

import subprocess
import sys

from textblob import _text as package_text
from textblob.en import sentiment as package_english
from textblob_fr import fr as package_french

from bot.services.customers import pattern_data


def _entries(sentiment: dict) -> dict:
    len(sentiment)  # loads the lazy lexicon
    return dict(dict.items(sentiment))


def test_both_lexicons_are_the_packages_own_entry_for_entry() -> None:
    assert _entries(pattern_data.english_sentiment()) == _entries(package_english)
    assert _entries(pattern_data.french_sentiment()) == _entries(package_french.sentiment)
    assert tuple(pattern_data.english_sentiment().negations) == tuple(package_english.negations)
    assert tuple(pattern_data.french_sentiment().negations) == tuple(package_french.sentiment.negations)
    assert pattern_data.french_abbreviations() == frozenset(package_french.ABBREVIATIONS)


def test_the_rules_are_textblobs() -> None:
    text = pattern_data.pattern_text()
    assert text.PUNCTUATION == package_text.PUNCTUATION and text.EMOTICONS == package_text.EMOTICONS
    assert text.ABBREVIATIONS == package_text.ABBREVIATIONS
    assert text.RE_SARCASM.pattern == package_text.RE_SARCASM.pattern
    assert text.RE_EMOTICONS.pattern == package_text.RE_EMOTICONS.pattern


def test_reading_a_comment_imports_neither_textblob_nor_nltk() -> None:
    code = (
        "import sys\n"
        "from bot.services.customers.triage import triage_text\n"
        "from bot.services.customers.taxonomy import load_taxonomy\n"
        "t = load_taxonomy()\n"
        "assert triage_text('not good at all', taxonomy=t).sentiment < 0\n"
        "assert triage_text('pas terrible du tout', taxonomy=t).sentiment < 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nltk', 'textblob', 'textblob_fr')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
