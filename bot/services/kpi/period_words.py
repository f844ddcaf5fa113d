"""Words behind periods.py and kpi_query.py: folding, month names, labels, calendar units, the
vocabulary of a KPI question and the tokens it is read as. No parsing decisions live here."""

from __future__ import annotations

import calendar
import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, TypeVar

Unit = Literal["day", "week", "month", "quarter", "year"]
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Lower-case, accent-free text, and for each of its characters the index it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
        for c in folded.translate(_APOSTROPHES):
            if not unicodedata.combining(c):
                chars.append(c)
                origin.append(i)
    return "".join(chars), origin


def fold(text: str) -> str:
    """'La Semaine Dernière' -> 'la semaine derniere'."""
    return fold_with_map(text)[0]


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

FRENCH_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
# Folded spellings (lower case, no accents) -> month number, English and French.
MONTHS: dict[str, int] = {
    **{fold(name)[:n]: i for i, name in enumerate(MONTH_NAMES, 1) for n in (3, len(name))},
    **{fold(name): i for i, name in enumerate(FRENCH_MONTHS, 1)},
    "sept": 9, "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7,
}  # fmt: skip

# Phrases offered as "did you mean" for a period, as shown to people.
PERIOD_PHRASES: tuple[str, ...] = (
    "today", "yesterday", "this week", "last week", "this month", "last month", "this quarter",
    "last quarter", "this year", "last year", "last 7 days", "last 30 days", "last 3 months",
    "last 12 weeks", "since", "aujourd'hui", "hier", "cette semaine", "semaine dernière",
    "la semaine dernière", "ce mois-ci", "ce mois", "mois dernier", "le mois dernier",
    "ce trimestre", "trimestre dernier", "cette année", "l'année dernière", "année dernière",
    "7 derniers jours", "30 derniers jours", "3 derniers mois", "depuis",
    *(name.lower() for name in MONTH_NAMES), *FRENCH_MONTHS,
)  # fmt: skip

PERIOD_VOCAB: dict[str, str] = {fold(p): p for p in PERIOD_PHRASES}  # folded -> as shown
# Every single word that can belong to a period phrase (used to stop name-guessing in queries).
PERIOD_WORDS: frozenset[str] = frozenset(
    {w for phrase in PERIOD_VOCAB for w in phrase.replace("-", " ").split()}
    | set(MONTHS)
    | {"days", "day", "weeks", "months", "years", "jours", "semaines", "dernieres", "derniers", "past"}
)


def add_months(day: date, months: int) -> date:
    """Same day of month `months` later (or earlier), clamped to the month's last day."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def unit_start(day: date, unit: Unit) -> date:
    """First day of the calendar day/week (Monday)/month/quarter/year holding `day`."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def shift(day: date, unit: Unit, count: int) -> date:
    """`day` moved by `count` calendar units (negative goes back)."""
    if unit in ("day", "week"):
        return day + timedelta(days=count * (7 if unit == "week" else 1))
    return add_months(day, count * {"month": 1, "quarter": 3, "year": 12}[unit])


def fmt_day(day: date, *, year: bool = True) -> str:
    """'Mon 16 Nov 2026' (or 'Mon 16 Nov'), never locale-dependent."""
    text = f"{DAY_ABBR[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    return f"{text} {day.year}" if year else text


def fmt_range(start: date, end: date) -> str:
    """'Mon 16 Nov – Sun 22 Nov 2026'; a single day is just that day."""
    if start == end:
        return fmt_day(start)
    return f"{fmt_day(start, year=start.year != end.year)} – {fmt_day(end)}"


def unit_name(unit: Unit, start: date, count: int = 1) -> str:
    """Human name of `count` calendar units from `start`: 'October 2026', 'Q3 2026', '12 weeks'."""
    if count != 1:
        return f"{count} {unit}s"
    if unit == "day":
        return "day"
    if unit == "week":
        return f"week of {start.day} {MONTH_NAMES[start.month - 1][:3]} {start.year}"
    if unit == "month":
        return f"{MONTH_NAMES[start.month - 1]} {start.year}"
    if unit == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


# ---- The words of a KPI question, and the tokens it is read as (used by questions.py) ----
# The metric names are not here: each metric declares its own (metrics.py), read at parse time.

Breakdown = Literal["channel", "team", "reason", "agent", "processing_level", "week", "month"]
Dimension = Literal["team", "channel", "reason", "agent"]
TimeUnit = Literal["week", "month"]
TrendUnit = Literal["week", "month", "round"]  # a round: one point per team's survey round
T = TypeVar("T")


def _each(words: str, value: T) -> dict[str, T]:
    return dict.fromkeys(words.split(), value)


SHARE_WORDS = dict.fromkeys(
    ("share", "partager", "partage", "share in channel", "share in the channel", "share to channel",
     "share to the channel", "partager dans le canal", "partager sur le canal"), True,
)  # fmt: skip
BREAKDOWN_WORDS: dict[str, Breakdown] = {
    **_each("channel channels canal canaux", "channel"), **_each("team teams equipe equipes", "team"),
    **_each("reason reasons motif motifs raison", "reason"),
    **_each("agent agents conseiller conseillers", "agent"),
    **_each("level levels niveau niveaux processing_level", "processing_level"),
    **dict.fromkeys(("processing level", "processing levels", "niveau de traitement"), "processing_level"),
    **_each("week weeks semaine semaines", "week"), **_each("month months mois", "month"),
}  # fmt: skip
BREAKDOWN_ADVERBS: dict[str, Breakdown] = {
    **_each("weekly hebdo hebdomadaire", "week"),
    **_each("monthly mensuel", "month"),
}
BY_WORDS = frozenset("by per par".split())
TREND_WORDS = frozenset("trend trends tendance evolution".split())
TREND_UNTIL = frozenset("to until till ending jusqu'au au".split())  # "trend 12 weeks to 2023-08-31"
TREND_SOFT = frozenset("over sur on for of the les la last past de des".split())  # only before a number
ROUND_WORDS = frozenset("round rounds tour tours vague vagues".split())
TREND_UNITS: dict[str, TrendUnit] = {
    **_each("week weeks semaine semaines", "week"),
    **_each("month months mois", "month"),
    **dict.fromkeys(ROUND_WORDS, "round"),
}
TREND_LIMITS: dict[TrendUnit, tuple[int, int]] = {"week": (12, 104), "month": (6, 36), "round": (8, 52)}
# "last round", "dernier tour", "la dernière vague": each team's last closed survey round (1); "last 3 rounds",
# "3 derniers tours" (N). Read by questions.py (`read_last_rounds`), never as a period.
LAST_WORDS = frozenset("last latest past previous recent dernier derniere derniers dernieres".split())
LAST_ROUND_PHRASES = ("last round", "latest round", "dernier tour", "le dernier tour", "dernière vague",
                      "la dernière vague", "last 3 rounds", "3 derniers tours")  # fmt: skip
FILTER_WORDS: dict[str, Dimension] = {
    **_each("team equipe", "team"), **_each("channel canal", "channel"),
    **_each("reason motif raison", "reason"), **_each("agent conseiller conseillere", "agent"),
}  # fmt: skip
EXAMPLE_VALUES: dict[Dimension, str] = {"team": "support", "channel": "chat", "reason": "billing",
                                        "agent": "Alice"}  # fmt: skip
FOR_WORDS = frozenset("for pour".split())
FILLERS = frozenset((
    "what what's whats was is are were the our for pour in on at how how's hows quel quelle quels quelles "
    "etait est sont le la les l de du des d me show give tell us please svp plait vous il a an of and et to "
    "do did does doing we nous notre nos it its has been score scores kpi kpis hey hi hello bonjour salut so "
    "far about over sur en dans au aux chez pendant during get see voir montre montrez donne donnez moi je i "
    "can could you peux pouvez qu est-ce que c my mon ma mes"
).split())  # fmt: skip
STRUCTURAL = BY_WORDS | FOR_WORDS | frozenset(FILTER_WORDS) | TREND_WORDS
_ACCENTED = {"equipe": "équipe", "equipes": "équipes", "evolution": "évolution", "conseillere": "conseillère"}
VOCAB: dict[str, str] = {**PERIOD_VOCAB, **{key: " ".join(_ACCENTED.get(w, w) for w in key.split()) for key in (
    *SHARE_WORDS, *FILTER_WORDS, *TREND_WORDS, *BREAKDOWN_ADVERBS, "trend 12 weeks", "trend 6 months",
    "trend 8 rounds", *map(fold, LAST_ROUND_PHRASES),
    *(f"{by} {word}" for by in ("by", "par") for word in BREAKDOWN_WORDS),
)}}  # folded -> as shown  # fmt: skip
ALL_WORDS = frozenset(w for phrase in VOCAB for w in phrase.split()) | PERIOD_WORDS | FILLERS
PUNCT = "?!,;:\"'«»()[]{}¿¡“”‘’…"
_ELISION = re.compile(r"^(?:l|d|qu|c|j|s|n)'")
_MENTION = re.compile(r"<@[^>\s]*>")


def did_you_mean(text: str, pool: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The closest phrase of `pool` to `text` (folded), if close enough."""
    hits = difflib.get_close_matches(" ".join(fold(text).split()), list(pool), n=1, cutoff=cutoff)
    return hits[0] if hits else None


@dataclass
class Token:
    raw: str  # as written, without edge punctuation
    key: str  # folded, without a French elision ("l'équipe" -> "equipe")
    used: bool = False


@functools.lru_cache(maxsize=16384)
def word_key(raw: str) -> str:
    """Pure and asked for every known team name on every question: cached."""
    return _ELISION.sub("", fold(raw))


def keyed(values: Sequence[str]) -> dict[str, str]:
    """Known names by the key their words would have as tokens."""
    return {" ".join(word_key(w) for w in value.split()): value for value in values if value.strip()}


def tokenize(text: str) -> list[Token]:
    """Whitespace words without edge punctuation. User mentions are the bot's, unless after "agent"."""
    toks: list[Token] = []
    for word in _MENTION.sub(lambda m: f" {m.group(0)} ", text).split():
        raw = word.strip(PUNCT)
        if raw not in ("..", "...") and not re.search(
            r"[0-9]\.\.\.?$", raw
        ):  # "2026-10-01.." is half a range
            raw = raw.rstrip(".")
        if _MENTION.fullmatch(raw) and not (toks and FILTER_WORDS.get(toks[-1].key) == "agent"):
            continue
        if raw:
            toks.append(Token(raw, word_key(raw)))
    return toks


def phrase_at(toks: list[Token], i: int, table: Mapping[str, T]) -> tuple[T, int] | None:
    """The longest run of unused tokens starting at i that is a key of `table`: (value, length)."""
    for n in range(4, 0, -1):
        run = toks[i : i + n]
        if len(run) == n and not any(t.used for t in run) and (key := " ".join(t.key for t in run)) in table:
            return table[key], n
    return None


def claim(toks: list[Token], i: int, n: int) -> str:
    """Mark n tokens from i as understood; their text as written."""
    for t in toks[i : i + n]:
        t.used = True
    return " ".join(t.raw for t in toks[i : i + n])


def claim_all(toks: list[Token], table: Mapping[str, T]) -> list[tuple[T, str]]:
    """Every phrase of `table` among the unused tokens, claimed: (value, text as written)."""
    return [(hit[0], claim(toks, i, hit[1])) for i in range(len(toks)) if (hit := phrase_at(toks, i, table))]


def name_at(toks: list[Token], j: int) -> str:
    """A name: the word at j plus up to two capitalised, non-vocabulary words after it ("Alice Martin")."""
    n = 1
    while n < 3 and j + n < len(toks) and not toks[j + n].used and toks[j + n].raw[:1].isupper():
        if toks[j + n].key in ALL_WORDS or toks[j + n].key in STRUCTURAL:
            break
        n += 1
    return claim(toks, j, n)


def read_last_rounds(toks: list[Token], i: int) -> tuple[int, int] | None:
    """At i: "[the|le|la] last [N] round(s)", "N derniers tours", "dernier tour", "dernière vague",
    "latest round" -> (N, tokens read); None when no such phrase starts at i."""

    def key(k: int) -> str:
        return toks[k].key if k < len(toks) and not toks[k].used else ""

    j = i + (key(i) in ("the", "le", "la", "les"))
    count: int | None = None
    if re.fullmatch(r"[0-9]{1,3}", key(j)) and key(j + 1) in LAST_WORDS and key(j + 2) in ROUND_WORDS:
        count, j = int(key(j)), j + 2  # "3 derniers tours"
    elif key(j) in LAST_WORDS and re.fullmatch(r"[0-9]{1,3}", key(j + 1)) and key(j + 2) in ROUND_WORDS:
        count, j = int(key(j + 1)), j + 2  # "last 3 rounds"
    elif key(j) in LAST_WORDS and key(j + 1) in ROUND_WORDS:
        count, j = 1, j + 1  # "last round", "dernière vague"
    elif key(j) in ROUND_WORDS and key(j + 1) in LAST_WORDS:
        count, j = 1, j + 1  # "le tour dernier"
    return None if count is None else (count, j + 1 - i)


def read_trend(toks: list[Token], i: int) -> tuple[int | None, TrendUnit | None, int]:
    """After "trend" at i: [[over] [the] [last] N [derniers]] [weeks|months] [derniers] -> N, unit, end."""

    def key(k: int) -> str:
        return toks[k].key if k < len(toks) and not toks[k].used else ""

    j = i + 1
    while key(j) and key(j) in TREND_SOFT:
        j += 1
    count = int(key(j)) if re.fullmatch(r"[0-9]{1,6}", key(j)) else None
    j = i + 1 if count is None else j + 1 + key(j + 1).startswith("dernier")  # "over the last" needs a number
    unit = TREND_UNITS.get(key(j))
    if unit is not None:
        j += 1 + key(j + 1).startswith("dernier")
    return count, unit, j


def corrections(run: list[Token], pool: Mapping[str, str]) -> list[str]:
    """For each stretch of 1-3 words of `run`, the closest phrase of `pool` (key -> shown), as advice."""
    lines, i = [], 0
    while i < len(run):
        near = []
        for n in range(1, min(3, len(run) - i) + 1):
            key = " ".join(t.key for t in run[i : i + n])
            if hit := did_you_mean(key, pool):
                near.append((difflib.SequenceMatcher(None, key, hit).ratio(), n, hit))
        if not near:
            i += 1
            continue
        _, n, hit = max(near)
        typed, meant, shown = [t.raw for t in run[i : i + n]], hit.split(), pool[hit].split()
        changed = [(a, c) for a, b, c in zip(typed, meant, shown, strict=False) if fold(a) != b]
        one_word = n > 1 and len(meant) == len(shown) == n and len(changed) == 1
        lines.append(
            f'Did you mean "{pool[hit]}"?' + (f' ("{changed[0][0]}" → "{changed[0][1]}")' if one_word else "")
        )
        i += n
    return lines


def unused_runs(toks: list[Token]) -> list[list[Token]]:
    """Consecutive unused tokens, grouped."""
    return [list(run) for used, run in itertools.groupby(toks, key=lambda t: t.used) if not used]
