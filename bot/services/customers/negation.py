"""A risk keyword right after a negation is no threat: "I won't cancel", "je ne vais pas résilier", "no lawyer
needed". Words are those of ``taxonomy.comment_words`` (lowercase, unaccented, apostrophes split)."""

from __future__ import annotations

NEGATORS = frozenset(
    "no not never t nobody without cannot dont wont cant didnt doesnt isnt pas jamais ne n aucun aucune "
    "sans ni".split()
)
FILLERS = frozenset(
    "be going to gonna want wanting need needed have ever a an the any will would plan planning intend take "
    "taking file filing start "
    "for my our your me vais veux voulons compte souhaite pense va vas allons en de d l le la les un "
    "une m y plus ai".split()
)
NEGATION_REACH = 3


def negated(words: list[str], i: int) -> bool:
    """Whether the keyword starting at ``words[i]`` follows a negation (a few filler words apart)."""
    for back in range(i - 1, max(-1, i - 2 - NEGATION_REACH), -1):
        if words[back] in NEGATORS:
            return True
        if words[back] not in FILLERS:
            return False
    return False
