"""Sentiment of a customer verbatim in English or French: offline, fast, never a fake 0.0.

The polarity is exactly TextBlob's ``PatternAnalyzer`` (English) and textblob-fr's
``PatternAnalyzer`` (French): the same lexicons, read from the installed packages, the same
tokenisation and the same rules (negation, intensifiers, "!", emoticons, sarcasm mark).
Only the call path is ours, and the data is loaded without importing the packages (``pattern_data``:
TextBlob's import pulls in NLTK, 40 MB per process). The packages' path is slow (a lazy dict that re-dispatches every
lookup, a dozen regex replacements per text, an emoticon scan for every non-alphabetic token,
plus TextBlob's object building); this one is 7x (French) to 12x (English) faster on the French
insurance reviews, with identical scores on all 34,000 real comments of ../shared/data.
``tests/services/test_sentiment.py`` checks the equality against the packages' analyzers.

A language we cannot read ("und") gets ``None`` and the label "unknown", never 0.0:
TextBlob scores any text it does not understand as neutral, which would hide angry customers.

Labels (polarity p, -1..1):  p <= -0.5 very negative · p < -0.1 negative ·
-0.1 <= p <= 0.1 neutral · p > 0.1 positive · p >= 0.5 very positive.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.services.customers import pattern_data

pattern_text = pattern_data.pattern_text()  # TextBlob's rules, without importing TextBlob (and NLTK)

MAX_CHARS = 1000  # longer comments are cut at a word boundary before scoring

VERY_NEGATIVE_MAX = -0.5
NEGATIVE_BELOW = -0.1
POSITIVE_ABOVE = 0.1
VERY_POSITIVE_MIN = 0.5
UNKNOWN = "unknown"
UNREADABLE = "unreadable"  # the label of a text that could not be read ("????", mojibake)

_PUNCT = tuple(pattern_text.PUNCTUATION.replace(".", ""))
_LEADING = frozenset(_PUNCT)
_TRAILING = _LEADING | {"."}
_ENDINGS = (*_PUNCT, ".")
_QUOTES = ("“", "”", "‘", "’", "'", '"')
_ABBREVIATION_RES = (pattern_text.RE_ABBR1, pattern_text.RE_ABBR2, pattern_text.RE_ABBR3)
_FR_ELISIONS = "l|c|d|j|m|n|qu|s|t|jusqu|lorsqu|puisqu"
_FR_RSQUO = re.compile(f"({_FR_ELISIONS})’")
_FR_RSQUO_UPPER = re.compile(f"({_FR_ELISIONS.upper()})’")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """One language's PatternAnalyzer data, flattened into plain dicts and sets."""

    words: dict[str, tuple[float, float]]  # word -> (polarity, intensity)
    modifiers: frozenset[str]  # adverbs that intensify the next word ("very", "très")
    negations: frozenset[str]
    modifier_suffix: str  # "ly" / "ment": a modifier that can carry a later negation
    abbreviations: frozenset[str]
    specials: frozenset[str]  # unknown words that still matter: negations, "!", "(!)", emoticons


def _emoticons() -> dict[str, float]:
    """Emoticon -> polarity, keeping PatternAnalyzer's first-match order and its filter."""
    table: dict[str, float] = {}
    for (_name, polarity), faces in pattern_text.EMOTICONS.items():
        for face in faces:
            face = face.lower()
            if not face.isalpha() and len(face) <= 5 and face not in pattern_text.PUNCTUATION:
                table.setdefault(face, polarity)
    return table


_EMOTICONS = _emoticons()


def _flatten(pattern_sentiment: object, suffix: str, abbreviations: set[str] | frozenset[str]) -> _Lexicon:
    len(pattern_sentiment)  # type: ignore[arg-type]  # loads the lazy lexicon once
    entries: list[tuple[str, dict]] = list(dict.items(pattern_sentiment))  # type: ignore[arg-type]
    return _Lexicon(
        words={w: (float(tags[None][0]), float(tags[None][2])) for w, tags in entries},
        modifiers=frozenset(w for w, tags in entries if "RB" in tags),
        negations=frozenset(pattern_sentiment.negations),  # type: ignore[attr-defined]
        modifier_suffix=suffix,
        abbreviations=frozenset(abbreviations),
        specials=frozenset(pattern_sentiment.negations) | {"!", "(!)"} | set(_EMOTICONS),  # type: ignore[attr-defined]
    )


@functools.cache
def lexicon(language: str) -> _Lexicon:
    """The analyzer data for "en" or "fr", loaded once (about 0.1 s each)."""
    if language == "en":
        return _flatten(pattern_data.english_sentiment(), "ly", pattern_text.ABBREVIATIONS)
    if language == "fr":
        return _flatten(pattern_data.french_sentiment(), "ment", pattern_data.french_abbreviations())
    raise ValueError(f"no sentiment lexicon for language {language!r}")


def _is_abbreviation(chunk: str, abbreviations: frozenset[str]) -> bool:
    return chunk in abbreviations or any(r.match(chunk) for r in _ABBREVIATION_RES)


def _split_chunk(chunk: str, abbreviations: frozenset[str]) -> str:
    """Pattern's rule: leading and trailing punctuation become tokens, abbreviations keep their dot."""
    if len(chunk) > 1 and chunk[0] not in _LEADING and chunk[-2] not in _TRAILING:  # "merci," "fin."
        if chunk[-1] != ".":
            return f"{chunk[:-1]} {chunk[-1]}"
        return chunk if _is_abbreviation(chunk, abbreviations) else f"{chunk[:-1]} ."
    out: list[str] = []
    tail: list[str] = []
    while chunk.startswith(_PUNCT):
        out.append(chunk[0])
        chunk = chunk[1:]
    while chunk.endswith(_ENDINGS):
        if chunk.endswith(_PUNCT):
            tail.append(chunk[-1])
            chunk = chunk[:-1]
        if chunk.endswith("..."):
            tail.append("...")
            chunk = chunk[:-3].rstrip(".")
        if chunk.endswith("."):
            if _is_abbreviation(chunk, abbreviations):
                break
            tail.append(".")
            chunk = chunk[:-1]
    if chunk:
        out.append(chunk)
    out.extend(reversed(tail))
    return " ".join(out)


def _tokens(text: str, language: str, abbreviations: frozenset[str]) -> list[str]:
    """The lowercase tokens PatternAnalyzer would assess for this text."""
    if language == "fr":
        if "’" in text:  # French elisions with a typographic apostrophe stay one token: "l’"
            text = _FR_RSQUO.sub(r"\1&rsquo; ", text)
            text = _FR_RSQUO_UPPER.sub(r"\1&RSQUO; ", text)
    elif "n't" in text:
        text = text.replace("n't", " n't")
    for quote in _QUOTES:
        if quote in text:
            text = text.replace(quote, f" {quote} ")
    leading, trailing = _LEADING, _TRAILING
    joined = " ".join(
        [
            _split_chunk(chunk, abbreviations) if chunk[0] in leading or chunk[-1] in trailing else chunk
            for chunk in text.split()
        ]
    )
    if "!" in joined:
        joined = pattern_text.RE_SARCASM.sub("(!)", joined)
    if ":" in joined or ";" in joined or "=" in joined or "*" in joined or "8 " in joined:
        joined = pattern_text.RE_EMOTICONS.sub(_join_emoticon, joined)  # ": )" back to ":)"
    if language == "fr":
        joined = joined.replace("&rsquo ;", "’")
    return joined.lower().split()


def _join_emoticon(match: object) -> str:
    return match.group(1).replace(" ", "") + match.group(2)  # type: ignore[attr-defined]


def _polarity_of_tokens(words: list[str], lex: _Lexicon) -> float:
    """PatternAnalyzer's assessment rules, on plain dicts. Each hit is [polarity, intensity, sign]."""
    hits: list[list[float]] = []
    mod: str | None = None  # preceding intensifier ("very good")
    neg: str | None = None  # preceding negation ("not good", "not a good")
    known, modifiers, negations, specials = lex.words, lex.modifiers, lex.negations, lex.specials
    for w in words:
        entry = known.get(w)
        if entry is None and mod is None and neg is None and w not in specials:
            continue  # an unknown word with nothing pending changes nothing
        if entry is not None:
            if mod is None:
                hits.append([entry[0], entry[1], 1.0])
            else:
                last = hits[-1]
                last[0], last[1] = max(-1.0, min(entry[0] * last[1], 1.0)), entry[1]
            if neg is not None:
                hits[-1][1], hits[-1][2] = 1.0 / hits[-1][1], -1.0
            mod = w if w in modifiers else None
            neg = w if w in negations else None
            continue
        if w in negations:
            neg = w
        elif neg and len(w.strip("'")) > 1:
            neg = None
        if neg is not None and mod is not None and mod.endswith(lex.modifier_suffix):
            hits[-1][2], neg = -1.0, None  # "really not good"
        elif mod and len(w) > 2:
            mod = None
        if w == "!":
            if hits:
                hits[-1][0] = max(-1.0, min(hits[-1][0] * 1.25, 1.0))
        elif w == "(!)":
            hits.append([0.0, 1.0, 1.0])  # sarcasm mark: a neutral, subjective hit
        elif w in _EMOTICONS:
            hits.append([_EMOTICONS[w], 1.0, 1.0])
    total = 0.0
    for polarity, _intensity, sign in hits:
        total += polarity * -0.5 if sign < 0 else polarity  # "not good" = slightly bad
    return total / len(hits) if hits else 0.0


def clip(text: str, limit: int = MAX_CHARS) -> str:
    """The first ``limit`` characters, cut at the last space when there is one in the tail."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit - 100, limit)
    return text[: cut if cut > 0 else limit]


def polarity(text: str, language: str) -> float | None:
    """Polarity -1..1 of ``text`` read as ``language``; None when the language is not en/fr."""
    if language not in ("en", "fr"):
        return None
    return _cached_polarity(clip(text), language)


@functools.lru_cache(maxsize=4096)  # short comments repeat ("Good", "Très bien"); keys are clipped
def _cached_polarity(text: str, language: str) -> float:
    lex = lexicon(language)
    return _polarity_of_tokens(_tokens(text, language, lex.abbreviations), lex)


def clear_cache() -> None:
    """Forget remembered scores (benchmarks start cold with it)."""
    _cached_polarity.cache_clear()


def sentiment_label(value: float | None) -> str:
    """Human label for a polarity; "unknown" when there is none."""
    if value is None:
        return UNKNOWN
    if value <= VERY_NEGATIVE_MAX:
        return "very negative"
    if value < NEGATIVE_BELOW:
        return "negative"
    if value >= VERY_POSITIVE_MIN:
        return "very positive"
    if value > POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def raw_textblob_sentiment(text: str) -> float:
    """``TextBlob(text).sentiment.polarity``, the slow reference path. Benchmarks only."""
    from textblob import TextBlob

    return float(TextBlob(text).sentiment.polarity)
