"""Every word the digest writes, English -> French, read through the KPI answers' translate().

The renderer (bot/slack/blocks/digest.py) composes English phrases around the values (team names,
figures, customer text) and passes only its own phrases through `say`, never the values. The
"why" of a priority is also our own wording (bot/services/customers/priority.py), so it is said
piece by piece; a piece this table does not know stays in English rather than being guessed.
A key ending in " (one)" is the singular where French agrees and English does not ("1 new").
"""

from __future__ import annotations

from bot.services.kpi.language import translate

ONE = " (one)"
DIGEST_PHRASES: dict[str, str] = {
    # header, pages, notes
    "Customer digest": "Synthèse clients",
    "Customer digest for": "Synthèse clients pour",
    "Digest for": "Synthèse pour",
    "new": "nouveaux",
    "new (one)": "nouveau",
    "detractor": "détracteur",
    "detractors": "détracteurs",
    "Highest priority first.": "Les plus prioritaires d'abord.",
    "more page in the thread": "page de plus dans le fil",
    "more pages in the thread": "pages de plus dans le fil",
    "and": "et",
    "more in the attached file.": "de plus dans le fichier joint.",
    "Nothing new since the last digest.": "Rien de nouveau depuis la dernière synthèse.",
    "Nothing new for": "Rien de nouveau pour",
    "since the last digest.": "depuis la dernière synthèse.",
    "page": "page",
    # the overflow file
    "more, by priority": "de plus, par priorité",
    "more verbatims did not fit in the thread: the full list, highest priority first.": (
        "verbatims de plus ne tenaient pas dans le fil : la liste complète, les plus prioritaires d'abord."
    ),
    # tiers and groups
    "Urgent": "Urgent",
    "High": "Prioritaire",
    "To read": "À lire",
    "Other": "Autre",
    # an item
    "I'll take it": "Je m'en occupe",
    "Treated": "Traité",
    "Treated by": "Traité par",
    "is on it": "s'en occupe",
    "Why:": "Pourquoi :",
    "no signal": "aucun signal",
    "no score": "sans note",
    "agent": "agent",
    "star": "étoile",
    "stars": "étoiles",
    "Detractor": "Détracteur",
    "Passive": "Passif",
    "Promoter": "Promoteur",
    "Dissatisfied": "Insatisfait",
    "Neutral": "Neutre",
    "Satisfied": "Satisfait",
    # the why of a priority (priority.py's words)
    "passive": "passif",
    "promoter": "promoteur",
    "very negative": "très négatif",
    "negative": "négatif",
    "neutral": "neutre",
    "positive": "positif",
    "very positive": "très positif",
    "score and comment disagree": "note et commentaire en désaccord",
    "text unreadable": "texte illisible",
    "mentions cancellation": "parle de résilier",
    "legal threat": "menace juridique",
    "safety issue": "problème de sécurité",
    "repeat contact": "relance",
    "nothing urgent": "rien d'urgent",
    "waiting": "en attente depuis",
    "day": "jour",
    "days": "jours",
    # claim notices
    "This one is already taken by": "Celui-ci est déjà pris par",
    "This one is already treated by": "Celui-ci est déjà traité par",
    "you": "vous",
}


def say(phrase: str, language: str | None) -> str:
    """`phrase` (the renderer's English, with figures but no names or customer text) in `language`."""
    if (language or "en") != "fr":
        return phrase.replace(ONE, "")
    return translate(phrase, "fr", DIGEST_PHRASES).replace(ONE, "")


def say_count(n: int, many: str, language: str | None, *, one: str | None = None) -> str:
    """'*3* new', '*1* detractor' in `language`; `one` is the English singular when it differs."""
    word = (one or f"{many}{ONE}") if n == 1 else many
    return f"*{n}* {say(word, language)}"
