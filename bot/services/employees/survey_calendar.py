"""When a round opens: the team's weekday, moved past weekends and holidays to the next working day.

Holidays: dates listed per team, and/or a country's public holidays (FR, GB, US, CA) computed by
rule for any year (fixed dates, Easter-based days, "nth Monday" days, observed substitutes).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput

COUNTRIES = ("FR", "GB", "US", "CA")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def easter(year: int) -> date:
    """Western Easter Sunday (Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (0 Monday) of the month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """US style: Saturday -> Friday, Sunday -> Monday."""
    return (
        day - timedelta(days=1)
        if day.weekday() == 5
        else day + timedelta(days=1)
        if day.weekday() == 6
        else day
    )


def _substitutes(days: list[date]) -> set[date]:
    """GB/CA style: a holiday on a weekend moves to the next weekday not already a holiday."""
    result: set[date] = set()
    for day in sorted(days):
        while day.weekday() >= 5 or day in result:
            day += timedelta(days=1)
        result.add(day)
    return result


@cache
def country_holidays(country: str, year: int) -> frozenset[date]:
    e = easter(year)
    if country == "FR":
        days = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
        return frozenset([date(year, m, d) for m, d in days] + [e + timedelta(days=n) for n in (1, 39, 50)])
    if country == "GB":
        moving = [e - timedelta(days=2), e + timedelta(days=1), nth_weekday(year, 5, 0, 1)]
        moving += [nth_weekday(year, 5, 0, -1), nth_weekday(year, 8, 0, -1)]
        return frozenset(
            _substitutes([date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)]) | set(moving)
        )
    if country == "US":
        federal = [date(year, m, d) for m, d in [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)]]
        rules = [(1, 0, 3), (2, 0, 3), (5, 0, -1), (9, 0, 1), (10, 0, 2), (11, 3, 4)]
        return frozenset({_observed(d) for d in federal} | {nth_weekday(year, *r) for r in rules})
    if country == "CA":
        victoria = date(year, 5, 24) - timedelta(days=date(year, 5, 24).weekday())
        statutory = [date(year, m, d) for m, d in [(1, 1), (7, 1), (11, 11), (12, 25), (12, 26)]]
        floating = {e - timedelta(days=2), victoria, nth_weekday(year, 9, 0, 1), nth_weekday(year, 10, 0, 2)}
        return frozenset(_substitutes(statutory) | floating)
    raise InvalidInput(f"no holiday list for {country!r}: use one of {', '.join(COUNTRIES)} or list dates")


def parse_holidays(text: str) -> tuple[date, ...]:
    """'2026-12-24, 2026-12-31' -> dates; a malformed date is one clear message."""
    days = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        try:
            days.append(date.fromisoformat(part))
        except ValueError:
            raise InvalidInput(
                f"not a date: {part!r} (write holidays as YYYY-MM-DD, comma-separated)"
            ) from None
    return tuple(sorted(set(days)))


def is_working_day(day: date, *, holidays: set[date] | frozenset[date], country: str | None) -> bool:
    if day.weekday() >= 5 or day in holidays:
        return False
    return not (country and day in country_holidays(country, day.year))


def round_day(week_day: date, *, holidays: set[date] | frozenset[date], country: str | None) -> date:
    """The scheduled day itself, or the next working day after it."""
    day = week_day
    for _ in range(60):
        if is_working_day(day, holidays=holidays, country=country):
            return day
        day += timedelta(days=1)
    raise InvalidInput(f"no working day within 60 days after {week_day}: check the holiday list")


def scheduled_day(local_today: date, weekday: int) -> date:
    """This week's scheduled day (the week of `local_today`, Monday first)."""
    return local_today - timedelta(days=local_today.weekday()) + timedelta(days=weekday)


def parse_weekday(value: str) -> int:
    word = value.strip().lower()
    for n, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            return n
    raise InvalidInput(f"not a weekday: {value!r} (monday ... sunday)")


def local_moment(day: date, at: str, tz: ZoneInfo) -> datetime:
    hour, minute = (int(p) for p in at.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=tz)
