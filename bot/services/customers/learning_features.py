"""What the learnt model sees of a comment: hashed features, one layout per version of the rule.

* Layout 1 (models saved before 2026-11-30): the comment's words and word pairs (lowercase, ``\\w+``).
* Layout 2 (``LAYOUT``, new models): words and word pairs read with the reader's negation rule (a word
  after "not", "never", "pas", "jamais"... in the same clause becomes another feature, "!good", so
  "not good" does not teach the model that "good" is bad), plus the character 3- to 5-grams of each
  word ("<disa", "ppoint", "ing>"), which carry misspellings, inflections and French word endings
  that a whole-word feature misses. Chosen by cross-validation on the learning half only (en: held-out
  AUC of the model 0.862 -> 0.882, fr 0.983 -> 0.984; ``benchmarks/bench_reading.py``).

Every feature is hashed with CRC32 into ``BUCKETS`` buckets (stable across processes and versions) and
counted once per comment. A model remembers its layout, so a model saved with layout 1 keeps reading
comments exactly as it learnt them.
"""

from __future__ import annotations

import re
import zlib

from bot.services.customers.lexicons import CLAUSE_BREAKS, NEGATIONS

BUCKETS = 1 << 18
LAYOUT = 2
LAYOUTS = (1, 2)
MAX_CHARS = 2000
CHAR_GRAMS = (3, 4, 5)
_MASK = BUCKETS - 1
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W\d_]+)?|[.,;:!?]")  # the reader's English tokens: keeps "don't"
_NEGATIONS = (NEGATIONS["en"] | NEGATIONS["fr"] | {"ne"}) - {"personne"}  # "une personne charmante"
_BREAKS = CLAUSE_BREAKS
_MEMO_LIMIT = 300_000  # distinct words whose character grams are remembered, then afresh
_word_memo: dict[str, tuple[int, ...]] = {}


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode()) & _MASK


def hashes_v1(text: str) -> set[int]:
    words = _WORD.findall(text[:MAX_CHARS].lower())
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return {_hash(g) for g in grams}


def _char_hashes(word: str) -> tuple[int, ...]:
    found = _word_memo.get(word)
    if found is None:
        if len(_word_memo) > _MEMO_LIMIT:
            _word_memo.clear()
        marked = f"<{word}>"
        found = _word_memo[word] = tuple(
            {_hash("#" + marked[i : i + n]) for n in CHAR_GRAMS for i in range(len(marked) - n + 1)}
        )
    return found


def scoped_words(text: str) -> list[str]:
    """The comment's tokens, a word negated in its clause prefixed with "!" ("not", "!good")."""
    out: list[str] = []
    negated = False
    for token in _TOKEN.findall(text[:MAX_CHARS].lower().replace("’", "'")):
        if token in _BREAKS:
            negated = False
        elif token in _NEGATIONS:
            negated = True
        elif negated:
            token = "!" + token
        out.append(token)
    return out


def hashes_v2(text: str) -> set[int]:
    tokens = scoped_words(text)
    found = {_hash(f"{a} {b}") for a, b in zip(tokens, tokens[1:], strict=False)}
    for token in set(tokens):
        if token[0].isalnum() or token[0] == "!":
            found.add(_hash(token))
            found.update(_char_hashes(token.lstrip("!")))
    return found


HASHERS = {1: hashes_v1, 2: hashes_v2}
