"""Periods people ask for ("last week", "T3 2026", "depuis le 01/10/2026") as real local date ranges.

Weeks start on Monday. "last week" is the previous full calendar week, "last 7 days" is rolling and
ends today. "this …" periods and periods that have begun but not ended stop at today ("so far").
Every parsed period is a non-empty range with start <= end <= today; anything else is a PeriodError
that says what was wrong.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from bot.errors import InvalidInput
from bot.services.kpi.period import Period
from bot.services.kpi.period_words import (
    MONTH_NAMES,
    MONTHS,
    PERIOD_VOCAB,
    Unit,
    add_months,
    did_you_mean,
    fmt_day,
    fmt_range,
    fold,
    fold_with_map,
    shift,
    unit_start,
)

__all__ = ["Period", "PeriodError", "Unit", "find_period", "locate_period", "parse_period", "trend_period"]

MIN_DATE = date(1970, 1, 1)
ALL_TIME_START = date(1990, 1, 1)  # the importer refuses earlier dates, so "all time" starts here
MAX_LENGTH = 100  # characters of a period phrase given on its own
TRY_HINT = "Try: today, last week, this month, last 30 days, october, Q3 2026, 2026-10-01..2026-10-15"
DATE_HINT = "Write dates as 2026-10-31 or 31/10/2026."


class PeriodError(InvalidInput):
    """A period phrase that cannot be turned into a real, past, non-empty date range."""


def parse_period(text: str, *, today: date) -> Period:
    """The whole of `text` as one period, or a PeriodError saying what could not be read."""
    if len(text) > MAX_LENGTH:
        raise PeriodError(f"That is too long for a period ({len(text)} characters).", hints=[TRY_HINT])
    best = _best(text, _LOOSE)
    if best is None:
        message = f'I can\'t read "{text.strip()}" as a period.' if text.strip() else "No period given."
        raise PeriodError(message, hints=[*_did_you_mean(text), TRY_HINT])
    match, build, start, end = best
    period = build(match, today, text[start:end])
    rest = text[:start] + " " + text[end:]
    if (other := locate_period(rest)) is not None:
        message = f'Two periods: "{text[start:end]}" and "{rest[other[0] : other[1]]}". Which one?'
        raise PeriodError(message, hints=[TRY_HINT])
    leftover = " ".join(w for w in re.findall(r"[^\W_]+", fold(rest)) if w not in _SOFT)
    if leftover:
        message = f'I read "{text[start:end]}" as {period.label}, but not "{leftover}".'
        raise PeriodError(message, hints=[*_did_you_mean(leftover), TRY_HINT])
    return period


def find_period(text: str, *, today: date) -> tuple[Period | None, str]:
    """The first period phrase inside longer text, and the text without it (None, text if none)."""
    best = _best(text, _LOOSE)
    if best is None:
        return None, text
    match, build, start, end = best
    return build(match, today, text[start:end]), " ".join((text[:start] + " " + text[end:]).split())


def locate_period(text: str, *, whole_words: bool = False) -> tuple[int, int] | None:
    """Where the first period phrase is in `text` (without judging it). `whole_words`: only
    phrases bounded by spaces or the ends of the text."""
    best = _best(text, _WHOLE if whole_words else _LOOSE)
    return None if best is None else (best[2], best[3])


def trend_period(
    count: int, unit: Literal["week", "month"], *, today: date, until: date | None = None
) -> Period:
    """The `count` calendar weeks (months) ending with the current one (or the one holding `until`)."""
    last = min(until, today) if until else today
    start = shift(unit_start(last, unit), unit, -(count - 1))
    name = f"{unit}ly trend over {count} {unit}s" + (f" to {fmt_day(last)}" if until else "")
    end = last if until else shift(start, unit, count) - timedelta(days=1)
    return _finish(name, start, today, f"trend {count} {unit}s", unit, count, end=min(end, today))


def parse_date(text: str, *, today: date | None = None) -> date:
    """One date as people write it (2023-08-31, 31/08/2023, 31 Aug 2023, Aug 31), or a PeriodError."""
    folded = fold(text).strip()
    if not _A_DATE.fullmatch(folded):  # "12", "to": not a date at all
        raise PeriodError(f'"{text}" is not a date.', hints=[DATE_HINT])
    return _date(folded, today)


def _did_you_mean(text: str) -> list[str]:
    return [f'Did you mean "{PERIOD_VOCAB[hit]}"?' for hit in [did_you_mean(text, PERIOD_VOCAB, 0.7)] if hit]


def _finish(
    name: str,
    start: date,
    today: date,
    written: str,
    unit: Unit | None = None,
    count: int = 1,
    end: date | None = None,
) -> Period:
    """Check a candidate range against today and label it; `end` defaults to the end of the units."""
    if start < MIN_DATE:
        raise _too_far(written)
    if start > today:
        message = f'"{written}" is in the future: it starts {fmt_day(start)}.'
        raise PeriodError(message, hints=[f"Today is {fmt_day(today)}."])
    full_end = end if end is not None else shift(start, unit or "day", count) - timedelta(days=1)
    so_far = full_end > today
    end = min(full_end, today)
    rng = fmt_range(start, end)
    if not name:
        return Period(start, end, f"{rng} (so far)" if so_far else rng, unit, count)
    return Period(start, end, f"{name}{' so far' if so_far else ''} ({rng})", unit, count)


def _too_far(written: str) -> PeriodError:
    message = f'"{written}" goes back too far: I only know dates from {fmt_day(MIN_DATE)}.'
    return PeriodError(message, hints=[TRY_HINT])


def _year(text: str, written: str) -> int:
    year = int(text)
    if year < MIN_DATE.year:
        raise _too_far(written)
    return year


def _date(text: str, today: date | None = None) -> date:
    """2026-10-01, 2026/10/01, 01/10/2026 (day first), or in words (folded): "1 oct 2026", "1er octobre",
    "oct 1, 2026"; without a year, the latest such day up to `today`. Checked to be a real date."""
    if words := _WORD_DAY.fullmatch(text) or _WORD_DAY_US.fullmatch(text):
        return _day_in_words(int(words["d"]), MONTHS[words["mon"]], words["y"], today, text)
    parts = re.split(r"[-/.]", text)
    y, mo, d = (int(p) for p in (parts if len(parts[0]) == 4 else parts[::-1]))
    return _real_day(y, mo, d, text)


def _day_in_words(d: int, month: int, year: str | None, today: date | None, text: str) -> date:
    if year:
        return _real_day(int(year), month, d, text)
    if today is None:
        raise PeriodError(f"{text}: which year?", hints=[DATE_HINT])
    this_year = _real_day(today.year, month, d, text) if (month, d) != (2, 29) else None
    if this_year is not None and this_year <= today:
        return this_year
    return _real_day(today.year - 1, month, d, text)


def _real_day(y: int, mo: int, d: int, text: str) -> date:
    _year(str(y), text)
    if not 1 <= mo <= 12:
        raise PeriodError(f"{text} is not a real date: there is no month {mo}.", hints=[DATE_HINT])
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        message = f"{text} is not a real date: {MONTH_NAMES[mo - 1]} {y} has {last} days."
        raise PeriodError(message, hints=[DATE_HINT])
    return date(y, mo, d)


Builder = Callable[[re.Match[str], date, str], Period]


def _named(name: str, unit: Unit, offset: int) -> Builder:
    def build(m: re.Match[str], today: date, written: str) -> Period:
        return _finish(name, shift(unit_start(today, unit), unit, offset), today, written, unit)

    return build


_ROLL: dict[str, tuple[Unit, int]] = {
    **dict.fromkeys(("day", "days", "jour", "jours"), ("day", 3660)),
    **dict.fromkeys(("week", "weeks", "semaine", "semaines"), ("week", 520)),
    **dict.fromkeys(("month", "months", "mois"), ("month", 120)),
    **dict.fromkeys(("year", "years", "an", "ans", "annee", "annees"), ("year", 10)),
}


def _rolling(m: re.Match[str], today: date, written: str) -> Period:
    unit, most = _ROLL[m["u"]]
    n = int(m["n"]) if len(m["n"]) <= 6 else 10**6
    if n < 1:
        raise PeriodError(f'"{written}" is empty: ask for at least 1 {unit}.', hints=[TRY_HINT])
    if n > most:
        raise PeriodError(f'"{written}" is too long: at most {most} {unit}s (10 years).', hints=[TRY_HINT])
    if unit in ("day", "week"):
        start = today - timedelta(days=n * (7 if unit == "week" else 1) - 1)
    else:
        start = add_months(today, -n * (12 if unit == "year" else 1)) + timedelta(days=1)
    return _finish(f"last {n} {unit}{'s' if n > 1 else ''}", start, today, written, end=today)


def _month(m: re.Match[str], today: date, written: str) -> Period:
    named = m.groupdict().get("mon")
    month = MONTHS[named] if named else int(m["mo"])
    if not 1 <= month <= 12:
        raise PeriodError(f'"{written}": there is no month {month}.', hints=[DATE_HINT])
    year = _year(m["y"], written) if m["y"] else today.year - (month > today.month)
    return _finish(f"{MONTH_NAMES[month - 1]} {year}", date(year, month, 1), today, written, "month")


def _quarter(m: re.Match[str], today: date, written: str) -> Period:
    q = int(m["q"])
    year = _year(m["y"], written) if m["y"] else today.year - (3 * q - 2 > today.month)
    return _finish(f"Q{q} {year}", date(year, 3 * q - 2, 1), today, written, "quarter")


def _whole_year(m: re.Match[str], today: date, written: str) -> Period:
    return _finish(m["y"], date(_year(m["y"], written), 1, 1), today, written, "year")


def _range(m: re.Match[str], today: date, written: str) -> Period:
    first, last = _date(m["a"], today), _date(m["b"], today)
    if last < first:
        hint = f"Put the earlier date first: {m['b']}..{m['a']}"
        raise PeriodError(f'"{written}" ends before it starts.', hints=[hint])
    return _finish("", first, today, written, end=last)


def _days_of_a_month(m: re.Match[str], today: date, written: str) -> Period:
    """ "du 1 au 10 août 2023", "1-10 aug", "aug 1-10, 2023": two days of one month."""
    month, year = MONTHS[m["mon"]], m["y"]
    d1, d2 = (int(re.match(r"[0-9]+", m[k])[0]) for k in ("d1", "d2"))  # type: ignore[index]
    last = _day_in_words(d2, month, year, today, written)
    first = _real_day(last.year, month, d1, written)
    if last < first:
        raise PeriodError(f'"{written}" ends before it starts.', hints=[TRY_HINT])
    return _finish("", first, today, written, end=last)


def _since(m: re.Match[str], today: date, written: str) -> Period:
    first = _date(m["a"], today)
    return _finish(f"since {fmt_day(first)}", first, today, written, end=today)


def _since_named(m: re.Match[str], today: date, written: str) -> Period:
    """ "since august 2023", "depuis 2022": from the start of that month (year) to today, compared with the
    same number of days just before (no calendar unit: a "since" period is as long as it is)."""
    if m["mon"]:
        month = MONTHS[m["mon"]]
        first = date(_year(m["y2"], written) if m["y2"] else today.year - (month > today.month), month, 1)
    else:
        first = date(_year(m["y"], written), 1, 1)
    return _finish(f"since {fmt_day(first)}", first, today, written, end=today)


def _all_time(m: re.Match[str], today: date, written: str) -> Period:
    return Period(ALL_TIME_START, today, f"all time ({fmt_range(ALL_TIME_START, today)})")


def _one_day(m: re.Match[str], today: date, written: str) -> Period:
    return _finish("", _date(m["a"], today), today, written, "day")


_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th|er)?"
_IN_WORDS = (  # a day in words, in folded text: "1 aug 2023", "1er aout", "the 3rd of may"; "aug 1, 2023"
    rf"{_DAY}\s+(?:of\s+)?(?:{_MONTH})\.?(?:\s+[0-9]{{4}})?"
    rf"|(?:{_MONTH})\.?\s+{_DAY}(?:,?\s+[0-9]{{4}})?"
)
_WORD_DAY = re.compile(
    rf"(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?(?P<mon>{_MONTH})\.?(?:\s+(?P<y>[0-9]{{4}}))?"
)
_WORD_DAY_US = re.compile(
    rf"(?P<mon>{_MONTH})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>[0-9]{{4}}))?"
)
_DATE = (
    rf"[0-9]{{4}}[-/.][0-9]{{1,2}}[-/.][0-9]{{1,2}}|[0-9]{{1,2}}[/.][0-9]{{1,2}}[/.][0-9]{{4}}|{_IN_WORDS}"
)
_A_DATE = re.compile(_DATE)
_THE = r"(?:(?:le|the)\s+)?"
_SEP = rf"(?:\s*(?:\.{{2,3}}|-|–|—|→)\s*|\s+(?:to|au|until|till|through|and|et|a|jusqu'au|jusqu'a)\s+{_THE})"
_SOFT = frozenset("the le la les l of de du des d in en over sur during pendant for pour from".split())

_RULES: list[tuple[str, Builder]] = [
    (r"today|aujourd'?\s?hui", _named("today", "day", 0)),
    (r"yesterday|hier", _named("yesterday", "day", -1)),
    (r"(?:this|current)\s+week|week\s+to\s+date|wtd|cette\s+semaine(?:[\s-]?ci)?"
     r"|(?:la\s+)?semaine\s+en\s+cours",
     _named("this week", "week", 0)),
    (r"(?:last|previous)\s+week|(?:la\s+)?semaine\s+(?:derniere|passee|precedente)",
     _named("last week", "week", -1)),
    (r"(?:this|current)\s+month|month\s+to\s+date|mtd|ce\s+mois(?:[\s-]?ci)?|(?:le\s+)?mois\s+en\s+cours",
     _named("this month", "month", 0)),
    (r"(?:last|previous)\s+month|(?:le\s+)?mois\s+(?:dernier|passe|precedent)",
     _named("last month", "month", -1)),
    (r"(?:this|current)\s+quarter|ce\s+trimestre(?:[\s-]?ci)?|(?:le\s+)?trimestre\s+en\s+cours",
     _named("this quarter", "quarter", 0)),
    (r"(?:last|previous)\s+quarter|(?:le\s+)?trimestre\s+(?:dernier|passe|precedent)",
     _named("last quarter", "quarter", -1)),
    (r"(?:this|current)\s+year|year\s+to\s+date|ytd|cette\s+annee|(?:l'\s?)?annee\s+en\s+cours",
     _named("this year", "year", 0)),
    (r"(?:last|previous)\s+year|(?:l'\s?)?(?:annee|an)\s+(?:derniere?|passee?|precedente?)",
     _named("last year", "year", -1)),
    (r"(?:last|past|previous)\s+(?P<n>[0-9]+)\s*(?P<u>days?|weeks?|months?|years?)", _rolling),
    (r"(?:les\s+)?(?P<n>[0-9]+)\s+dernier(?:e?s)?\s+(?P<u>jours?|semaines?|mois|ans|annees?)", _rolling),
    (rf"(?P<mon>{_MONTH})\.?(?:\s+(?:of\s+|de\s+)?(?P<y>[0-9]{{4}}))?", _month),
    (r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})", _month),
    (r"[qt](?P<q>[1-4])(?:[\s-]*(?P<y>[0-9]{4}))?", _quarter),
    (r"(?P<y>[0-9]{4})[\s-]*[qt](?P<q>[1-4])", _quarter),
    (r"(?P<y>(?:19|20)[0-9]{2})", _whole_year),
    (rf"(?:(?:from|du|between|entre)\s+)?{_THE}(?P<a>{_DATE}){_SEP}(?P<b>{_DATE})", _range),
    (rf"(?:(?:from|du|between|entre)\s+)?{_THE}(?P<d1>{_DAY}){_SEP}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})"
     rf"\.?(?:\s+(?P<y>[0-9]{{4}}))?", _days_of_a_month),
    (rf"(?:(?:from|between)\s+)?(?P<mon>{_MONTH})\.?\s+(?P<d1>{_DAY}){_SEP}(?P<d2>{_DAY})(?:,?\s+(?P<y>[0-9]{{4}}))?",
     _days_of_a_month),
    (rf"(?:since|depuis|from)\s+{_THE}(?P<a>{_DATE})", _since),
    (rf"(?:since|depuis)\s+(?:(?P<mon>{_MONTH})\.?(?:\s+(?:of\s+|de\s+)?(?P<y2>[0-9]{{4}}))?|(?P<y>(?:19|20)[0-9]{{2}}))",
     _since_named),
    (r"all[\s-]+time|ever|depuis\s+(?:toujours|le\s+debut)|(?:tout\s+)?l'?\s?historique", _all_time),
    (rf"(?P<a>{_DATE})", _one_day),
]  # fmt: skip
_LOOSE = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])"), b) for p, b in _RULES]
_WHOLE = [(re.compile(rf"(?<!\S)(?:{p})(?!\S)"), b) for p, b in _RULES]


Found = tuple[re.Match[str], Builder, int, int]


def _best(text: str, rules: list[tuple[re.Pattern[str], Builder]]) -> Found | None:
    """The earliest, then longest, period phrase in `text`, with its span in `text` itself."""
    folded, origin = fold_with_map(text)
    found = [(m, build) for rx, build in rules if (m := rx.search(folded))]
    if not found:
        return None
    m, build = min(found, key=lambda hit: (hit[0].start(), -hit[0].end()))
    return m, build, origin[m.start()], origin[m.end() - 1] + 1
