"""How negative a comment reads, per language, offline: an ensemble of lexicons with rules.

Components, each -1 (worst) .. 1 (best):

* ``vader``: the VADER lexicon of the language (English: vaderSentiment's; French: vaderSentiment-fr's)
  plus VADER's emoji (named in words, scored in English) and ASCII emoticons, read with our rules:
  a negation ("not", "never", "pas", "jamais", "aucun"... up to three words back in the same clause,
  or French "ne ... pas" around the word) flips and damps a word (x -0.74, VADER's factor);
  an intensifier ("very", "très") or a softener ("slightly", "peu") just before scales it by 1.3/0.7;
  phrases that mean more than their words are looked up first ("never again", "pas terrible",
  "pas mal", "à fuir"); after "but"/"mais" the words count 1.5x, before it 0.5x (VADER's rule).
  The score is the mean valence of the sentiment words found, divided by 4 (the lexicon's bound).
* ``textblob``: TextBlob's polarity (English) or textblob-fr's (French), see ``sentiment.py``.

The ensemble is their weighted mean (``WEIGHTS``). A comment with no sentiment word at all reads 0.0
(neutral); a language we cannot read gives None (``sentiment.polarity``'s rule).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.services.customers.lexicons import CLAUSE_BREAKS, CONTRASTS, emoji_valences, emoticons, vader_lexicon
from bot.services.customers.sentiment import clip, polarity

NEGATION_FACTOR = -0.74  # VADER's N_SCALAR
NEGATION_WINDOW = 3
MISSING = -1.0  # a negation that negates no sentiment word: something the customer did not get
BOUND = 4.0  # VADER valences are -4..4
WEIGHTS = {"vader": 0.6, "textblob": 0.4}
_TOKENS = {
    "en": re.compile(r"[^\W_]+(?:'[^\W\d_]+)?|[.,;:!?]"),  # keeps "don't", "isn't"
    "fr": re.compile(r"[^\W_]+|[.,;:!?]"),  # "n'est" -> "n", "est"
}
_FR_AFTER = frozenset("pas jamais plus guère point".split())
_FR_NE = frozenset(("ne", "n"))


@dataclass(frozen=True, slots=True)
class Reading:
    value: float  # the ensemble, -1..1
    vader: float
    textblob: float


@functools.cache
def _emoticon_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(face) for face in emoticons()))


def _symbols(text: str) -> tuple[str, list[float]]:
    """The text without its emoticons, and the valences of its emoticons and emoji."""
    found: list[float] = []
    if ":" in text or ";" in text or "=" in text or "<3" in text:
        faces = emoticons()
        found.extend(faces[m] for m in _emoticon_re().findall(text))
        if found:
            text = _emoticon_re().sub(" ", text)
    if not text.isascii():
        table = emoji_valences()
        for char in set(text):
            if char in table:
                found.extend([table[char]] * text.count(char))
    return text, found


def _negated(tokens: list[str], i: int, negations: frozenset[str], french: bool) -> bool:
    for back in range(1, NEGATION_WINDOW + 1):
        if i - back < 0 or tokens[i - back] in CLAUSE_BREAKS:
            break
        if tokens[i - back] in negations:
            return True
    if french and i + 1 < len(tokens) and tokens[i + 1] in _FR_AFTER:
        return any(t in _FR_NE for t in tokens[max(0, i - 3) : i])
    return False


def vader_score(text: str, language: str) -> float:
    """The ``vader`` component of ``text`` read as "en" or "fr" (see the module docstring)."""
    lex = vader_lexicon(language)
    text, symbols = _symbols(clip(text).lower().replace("’", "'"))
    tokens = _TOKENS[language].findall(text)
    hits: list[tuple[float, int]] = [(v, -1) for v in symbols]  # (valence, token position)
    words, pairs, triples, boosts = lex.words, lex.pairs, lex.triples, lex.intensifiers
    starts, negation_words, french = lex.starts, lex.negations, language == "fr"
    contrast, n, negations, negated, skip_to = -1, len(tokens), 0, 0, 0
    notable = lex.notable
    for i in [i for i, token in enumerate(tokens) if token in notable]:  # most tokens: nothing to do
        if i < skip_to:  # inside a phrase already read
            continue
        token, size = tokens[i], 1
        value = None
        if i + 1 < n and token in starts:
            if i + 2 < n:
                value = triples.get(f"{token} {tokens[i + 1]} {tokens[i + 2]}")
                size = 3
            if value is None:
                value, size = pairs.get(f"{token} {tokens[i + 1]}"), 2
        if value is None:
            value, size = words.get(token), 1
        if token in CONTRASTS:
            contrast = i
        elif token in negation_words:
            negations += 1
        if value:
            if i and tokens[i - 1] in boosts:
                value *= 1 + boosts[tokens[i - 1]]
            if _negated(tokens, i, negation_words, french):
                value *= NEGATION_FACTOR
                negated += 1
            hits.append((value, i))
        skip_to = i + size
    hits.extend([(MISSING, -1)] * (negations - negated))  # "no answer", "pas de réponse", "never came"
    if not hits:
        return 0.0
    total = weight = 0.0
    for value, at in hits:
        w = 1.0 if contrast < 0 or at < 0 else (0.5 if at < contrast else 1.5)
        total, weight = total + w * value, weight + w
    return max(-1.0, min(1.0, total / weight / BOUND))


def read_sentiment(text: str, language: str) -> Reading | None:
    """The ensemble and its components; None when the language is neither "en" nor "fr"."""
    blob = polarity(text, language)
    if blob is None:
        return None
    vader = _cached_vader(clip(text), language)
    value = WEIGHTS["vader"] * vader + WEIGHTS["textblob"] * blob
    return Reading(value=max(-1.0, min(1.0, value)), vader=vader, textblob=blob)


@functools.lru_cache(maxsize=4096)
def _cached_vader(text: str, language: str) -> float:
    return vader_score(text, language)
