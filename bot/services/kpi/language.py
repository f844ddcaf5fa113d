"""The language of an answer: French for a French question, a French Slack locale or a team set to French.

Answers are composed in English by text.py, elsewhere.py and charts.py (one place for the wording); a
French answer is that text with every phrase those modules write replaced by its French form, longest
first, on word boundaries: figures, team names and other values are never touched (a phrase is only
replaced where the whole phrase stands). Dates become "lun. 16 nov. 2026".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from sqlmodel import Session

from bot.services.kpi.period_words import fold
from models.person import Person
from models.team import Team

LANGUAGES = ("en", "fr")
# Words only a French question has ("par équipe", "la semaine dernière", "depuis", "tendance"...).
_FRENCH_CUES = frozenset(
    "par equipe semaine semaines derniere dernier derniers dernieres mois depuis tendance canal motif "
    "aujourd'hui hier trimestre annee jours cette ce les pour etoiles toujours avis note moyenne".split()
)
_ENGLISH_CUES = frozenset(
    "by last week month since trend channel reason today yesterday year days this".split()
)

_PHRASES: dict[str, str] = {
    # headline, comparison, notes (text.py)
    "No star reviews in": "Aucun avis noté sur",
    "star reviews": "avis notés",
    "(not set)": "(non renseigné)",
    **{
        f"No {en} is recorded for these": f"Aucun {fr} n'est renseigné pour ces"
        for en, fr in (
            ("channel", "canal"),
            ("reason", "motif"),
            ("agent", "agent"),
            ("processing level", "niveau de traitement"),
        )
    },  # fmt: skip
    "import them with": "importez-les avec",
    "(no team)": "(sans équipe)",
    "responses": "réponses",
    "vs the previous period": "par rapport à la période précédente",
    "No responses in the previous period": "Aucune réponse sur la période précédente",
    "to compare with": "pour comparer",
    "Previous period": "Période précédente",
    "Small sample: only": "Petit échantillon : seulement",
    "read this with care": "à lire avec prudence",
    "Dates in": "Dates en",
    "all teams": "toutes les équipes",
    "team": "équipe",  # "· team Paris" (names themselves are kept as written, see translate's keep)
    "teams": "équipes",
    "(under": "(moins de",
    "points": "points",
    "Δ points": "Écart (points)",
    "mean": "moyenne",
    "hidden (fewer than": "masqué (moins de",
    "people": "personnes",
    "too small": "trop petit",
    "no responses": "aucune réponse",
    "Groups under": "Les groupes de moins de",
    "are shown as too small": "sont marqués trop petits",
    "are hidden, with the smallest others": "sont masqués, avec les plus petits autres",
    "Groups of fewer than": "Les groupes de moins de",
    "(sorted by value)": "(triés par valeur)",
    "By team": "Par équipe",
    "By channel": "Par canal",
    "By reason": "Par motif",
    "By agent": "Par agent",
    "By week": "Par semaine",
    "By month": "Par mois",
    "By processing level": "Par niveau de traitement",
    "Team": "Équipe",
    "Channel": "Canal",
    "Reason": "Motif",
    "Week": "Semaine",
    "Month": "Mois",
    "Weekly trend": "Tendance hebdomadaire",
    "Monthly trend": "Tendance mensuelle",
    "weekly trend over": "tendance hebdomadaire sur",
    "monthly trend over": "tendance mensuelle sur",
    "weeks": "semaines",
    "months": "mois",
    "low": "min",
    "high": "max",
    "or under": "ou moins de",
    "hidden": "masqué",
    "No": "Aucune",
    "in": "sur",
    "to": "au",
    # survey rounds (employees/round_figures.py)
    "are hidden and left out of every total": "sont masqués et exclus de tous les totaux",
    "round(s) left out of every figure": "tour(s) exclu(s) de tous les chiffres",
    "fewer than": "moins de",
    "answers": "réponses",
    "answered": "ont répondu",
    "surveyed": "interrogés",
    "opened": "ouvert le",
    "last round": "dernier tour",
    "the round before": "le tour précédent",
    "vs the round before": "par rapport au tour précédent",
    "Round before": "Tour précédent",
    "no closed round": "aucun tour clos",
    "No closed round before this one to compare with.": "Aucun tour clos avant celui-ci pour comparer.",
    "Round by round": "Tour par tour",
    "% of surveyed who answered": "% des interrogés qui ont répondu",
    "round by round": "tour par tour",
    "no answers": "aucune réponse",
    "Driver score": "Score du levier",
    "Driver:": "Levier :",
    "Service quality (employees)": "Qualité de service (employés)",
    "Predicted NPS": "NPS prédit",
    **{
        en: fr
        for en, fr in (
            ("recognition", "reconnaissance"),
            ("workload", "charge de travail"),
            ("tools", "outils"),
            ("training", "formation"),
            ("manager support", "soutien du manager"),
            ("autonomy", "autonomie"),
            ("customer focus", "orientation client"),
        )
    },  # the drivers' labels
    "round": "tour",
    "rounds": "tours",
    "Round": "Tour",
    # periods
    "last week": "la semaine dernière",
    "this week": "cette semaine",
    "last month": "le mois dernier",
    "this month": "ce mois-ci",
    "last quarter": "le trimestre dernier",
    "this quarter": "ce trimestre",
    "last year": "l'année dernière",
    "this year": "cette année",
    "today": "aujourd'hui",
    "yesterday": "hier",
    "so far": "à ce jour",
    "no period given": "aucune période donnée",
    "since": "depuis le",
    "all time": "depuis le début",
    "previous": "précédents",
    "days": "jours",
    "last": "derniers",
    "week of": "semaine du",
    # elsewhere.py
    "No CSAT here;": "Pas de CSAT ici ;",
    "No NPS here;": "Pas de NPS ici ;",
    "No Rating here;": "Pas de note ici ;",
    "The latest are older:": "Les plus récentes sont plus anciennes :",
    "in all: ask": "en tout : demandez",
    "No chart: no responses in the period.": "Pas de graphique : aucune réponse sur la période.",
    "No chart: the figure is hidden (too few people).": "Pas de graphique : le chiffre est masqué (trop peu de personnes).",
    # charts.py
    "Overall": "Ensemble",
    "are not shown as numbers": "ne sont pas chiffrés",
    "starting": "commençant le",
    "95% margin": "marge à 95 %",
    "% of 4-5 answers": "% de réponses 4-5",
    "mean, 1-5": "moyenne, 1-5",
    "% promoters − % detractors": "% promoteurs − % détracteurs",
    "others:": "autres :",
    "smaller groups": "groupes plus petits",
    "see the table": "voir le tableau",
    "Rating": "Note",
    "by team": "par équipe",
    "by channel": "par canal",
    "by reason": "par motif",
    "by agent": "par agent",
    "Group": "Groupe",
}
_DAYS = dict(
    zip("Mon Tue Wed Thu Fri Sat Sun".split(), "lun. mar. mer. jeu. ven. sam. dim.".split(), strict=True)
)
_MONTHS_EN = "January February March April May June July August September October November December".split()
_MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
_SHORT_FR = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split()


def question_language(text: str) -> str | None:
    """'fr' or 'en' when the words of the question say so, None when they do not (e.g. "nps q3")."""
    words = set(re.findall(r"[a-z']+", fold(text)))
    french, english = len(words & _FRENCH_CUES), len(words & _ENGLISH_CUES)
    if french > english:
        return "fr"
    return "en" if english else None


def answer_language(session: Session, *, text: str, asker: str | None, locale: str | None = None) -> str:
    """A French question is answered in French. Otherwise the asker's Slack locale decides (`locale`, else
    the one people_sync stored): a French-locale user typing the documented `/nps last week` gets French.
    Then English words in the question, then the asker's team setting, then English."""
    asked = question_language(text)
    if asked == "fr":
        return asked
    stored_locale, team_language = _person_settings(session, asker) if asker else (None, None)
    locale = locale or stored_locale
    if locale:
        return "fr" if locale.lower().startswith("fr") else "en"
    if asked:
        return asked
    return team_language if team_language in LANGUAGES else "en"


def _person_settings(session: Session, asker: str) -> tuple[str | None, str | None]:
    """(Slack locale, team language) of a person, (None, None) when unknown."""
    row = session.exec(
        Person.__table__.select()  # type: ignore[attr-defined]
        .with_only_columns(Person.locale, Team.language)
        .outerjoin(Team, Person.team_id == Team.id)
        .where(Person.slack_user_id == asker)
    ).first()
    return (row[0], row[1]) if row else (None, None)


_DONE_START, _DONE_END = "\ue002", "\ue003"


def translated(text: str) -> str:
    """`text` is already in the answer's language: `translate` leaves it exactly as it is (a second pass
    would read the French decimal "0,045" as the English thousands "0,045" and write "0 045")."""
    return f"{_DONE_START}{text}{_DONE_END}"


def translate(
    text: str, language: str, phrases: Mapping[str, str] | None = None, keep: Iterable[str] = ()
) -> str:
    """`text` as composed in English by the answer modules, in `language` (English: unchanged).
    `phrases`: another English -> French table with the same rules (the digest's words).
    `keep`: names (teams, channels, reasons) left exactly as written: "Support in Paris" stays so."""
    if language != "fr" or not text:
        return text
    if _DONE_START in text:  # parts already said in French (a table laid out after translating its cells)
        parts = re.split(f"({_DONE_START}.*?{_DONE_END})", text, flags=re.S)
        return "".join(
            p[1:-1] if p.startswith(_DONE_START) else translate(p, language, phrases, keep) for p in parts
        )
    names, whole = _names_pattern(keep if isinstance(keep, tuple) else tuple(keep))
    if text in whole:  # a table's label cell: a name, said as it is
        return text
    kept: dict[str, str] = {}  # name -> its private-use mark, which no phrase or number rule can touch

    def mark(m: re.Match[str]) -> str:
        return kept.setdefault(m.group(0), f"\ue000{chr(0xE100 + len(kept))}\ue001")

    text = names.sub(mark, text) if names is not None else text
    text = _translate_answer(text) if phrases is None else _translate(text, phrases)
    if kept:
        back = {v: k for k, v in kept.items()}
        text = re.sub("\ue000.\ue001", lambda m: back[m.group(0)], text)
    return text


@lru_cache(maxsize=8192)
def _translate_answer(text: str) -> str:
    """The answers' words (a table of 1,000 rows repeats the same figures and phrases): cached."""
    return _translate(text, _PHRASES)


@cache
def _names_pattern(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    """One pass over the text for every name (longest first), and the names as a set: an answer by
    team keeps 1,000 of them."""
    unique = frozenset(n for n in names if n)
    # whole words only: a reason "vie" must not be kept inside "reviews" (which then stayed in English)
    return (re.compile(rf"(?<!\w)(?:{_trie_pattern(unique)})(?!\w)") if unique else None), unique


def _trie_pattern(words: frozenset[str]) -> str:
    """A regex matching any of `words`, the longest at a position first, as a trie ("Team (?:0(?:01|02)...")
    so that a position where no name starts fails at its first character."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        alternatives = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _translate(text: str, table: Mapping[str, str]) -> str:
    text = re.sub(r"\bNo (\S+) responses in\b", r"Aucune réponse \1 sur", text)
    text = re.sub(r"\blast (\d+) rounds\b", r"\1 derniers tours", text)
    text = re.sub(r"\bthe (\d+) rounds before\b", r"les \1 tours précédents", text)
    text = re.sub(r"\b(\d+) rounds? before\b", r"\1 tour(s) avant", text)
    text = re.sub(r"\b(\d[\d,]*) of (\d[\d,]*)\b", r"\1 sur \2", text)  # "6 of 18 answered"
    text = re.sub(r"(\d),(?=\d{3}(?!\d))", "\\1\u202f", text)  # 24,104 -> 24 104 (before 3.5 -> 3,5)
    text = re.sub(r"\b(the )?(last|previous) (\d+) (week|month|day)s?\b", _french_span, text)
    text = _pattern(tuple(table)).sub(lambda m: table[m.group(0)], text)
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) ([A-Z][a-z]{2})\b", _french_day, text)
    text = re.sub(rf"\b({'|'.join(_MONTHS_EN)})\b", lambda m: _MONTHS_FR[_MONTHS_EN.index(m.group(1))], text)
    short = [m[:3] for m in _MONTHS_EN]  # "2–8 Nov 2026" (a week of a breakdown) -> "2–8 nov. 2026"
    text = re.sub(rf"(?<=\d )({'|'.join(short)})\b", lambda m: _SHORT_FR[short.index(m.group(1))], text)
    text = re.sub(r"(\d)\.(\d)", r"\1,\2", text)  # 82.4 -> 82,4
    return re.sub(r"(\d)[ \u202f]?%", "\\1\u00a0%", text)  # 82,4% -> 82,4 % (no-break space)


_UNITS_FR = {"week": ("semaine", "f"), "month": ("mois", "m"), "day": ("jour", "m")}


def _french_span(m: re.Match[str]) -> str:
    """Say "last 4 weeks" as "4 dernières semaines" and "the previous 3 months" as "les 3 mois précédents"."""
    the, which, n, unit = m.group(1), m.group(2), int(m.group(3)), m.group(4)
    noun, gender = _UNITS_FR[unit]
    plural = "s" if n > 1 else ""
    noun += plural if not noun.endswith("s") else ""
    ending = ("e" if gender == "f" else "") + plural
    article = ("les " if n > 1 else "la " if gender == "f" else "le ") if the else ""
    if which == "last":
        return f"{article}{n} {'dernière' if gender == 'f' else 'dernier'}{plural} {noun}"
    return f"{article}{n} {noun} précédent{ending}"


def _french_day(m: re.Match[str]) -> str:
    short = [s[:3] for s in _MONTHS_EN]
    month = _SHORT_FR[short.index(m.group(3))] if m.group(3) in short else m.group(3)
    return f"{_DAYS[m.group(1)]} {m.group(2)} {month}"


@cache
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    phrases = tuple(sorted(phrases, key=len, reverse=True))
    return re.compile("|".join(rf"(?<![\w-]){re.escape(p)}(?![\w-])" for p in phrases))
