"""The words and date arithmetic behind periods.py: folding, month names, labels, calendar units."""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date, timedelta
from typing import Literal

Unit = Literal["day", "week", "month", "quarter", "year"]

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Folded spellings (lower case, no accents) -> month number, English and French.
MONTHS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)},
    **{name.lower()[:3]: i for i, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
    **dict(zip(
        "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split(),
        range(1, 13),
        strict=True,
    )),
    "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7,
}  # fmt: skip

# Phrases offered as "did you mean" for a period, all folded.
PERIOD_PHRASES: tuple[str, ...] = (
    "today", "yesterday", "this week", "last week", "this month", "last month", "this quarter",
    "last quarter", "this year", "last year", "last 7 days", "last 30 days", "last 3 months",
    "last 12 weeks", "since", "aujourd'hui", "hier", "cette semaine", "semaine derniere",
    "la semaine derniere", "ce mois-ci", "ce mois", "mois dernier", "le mois dernier",
    "ce trimestre", "trimestre dernier", "cette annee", "l'annee derniere", "annee derniere",
    "7 derniers jours", "30 derniers jours", "3 derniers mois", "depuis",
    *(name.lower() for name in MONTH_NAMES),
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre",
)  # fmt: skip

# Every single word that can belong to a period phrase (used to stop name-guessing in queries).
PERIOD_WORDS: frozenset[str] = frozenset(
    {w for phrase in PERIOD_PHRASES for w in phrase.replace("-", " ").split()}
    | set(MONTHS)
    | {"days", "day", "weeks", "months", "years", "jours", "semaines", "dernieres", "derniers", "past"}
)

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
