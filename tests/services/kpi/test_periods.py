from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InvalidInput, UserFacingError
from bot.services.kpi.breakdowns import window
from bot.services.kpi.period_words import MONTHS, PERIOD_PHRASES
from bot.services.kpi.periods import (
    Period,
    PeriodError,
    find_period,
    locate_period,
    parse_date,
    parse_period,
    trend_period,
)

MON = date(2026, 11, 23)  # a Monday
SUN = date(2026, 11, 22)  # a Sunday
FIRST = date(2026, 11, 1)  # the 1st of a month, also a Sunday
NEW_YEAR = date(2027, 1, 1)  # a Friday


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("today", "2026-11-23", "2026-11-23"),
        ("yesterday", "2026-11-22", "2026-11-22"),
        ("this week", "2026-11-23", "2026-11-23"),
        ("last week", "2026-11-16", "2026-11-22"),
        ("this month", "2026-11-01", "2026-11-23"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("this quarter", "2026-10-01", "2026-11-23"),
        ("last quarter", "2026-07-01", "2026-09-30"),
        ("this year", "2026-01-01", "2026-11-23"),
        ("last year", "2025-01-01", "2025-12-31"),
        ("last 7 days", "2026-11-17", "2026-11-23"),
        ("last 30 days", "2026-10-25", "2026-11-23"),
        ("last 3 months", "2026-08-24", "2026-11-23"),
        ("last 12 weeks", "2026-09-01", "2026-11-23"),
        ("since 2026-10-01", "2026-10-01", "2026-11-23"),
        ("2026-10-01..2026-10-15", "2026-10-01", "2026-10-15"),
        ("2026-10-01 to 2026-10-15", "2026-10-01", "2026-10-15"),
        ("october", "2026-10-01", "2026-10-31"),
        ("oct 2026", "2026-10-01", "2026-10-31"),
        ("Q3", "2026-07-01", "2026-09-30"),
        ("Q3 2026", "2026-07-01", "2026-09-30"),
        ("2026", "2026-01-01", "2026-11-23"),
        ("december", "2025-12-01", "2025-12-31"),  # in November, "december" is last year's
        ("november", "2026-11-01", "2026-11-23"),
        ("Q4", "2026-10-01", "2026-11-23"),
        ("2026-10-05", "2026-10-05", "2026-10-05"),
        ("2026-11-01..2026-11-30", "2026-11-01", "2026-11-23"),  # begun, not ended: so far
        # days in words, as a manager types them
        ("15 aug 2023", "2023-08-15", "2023-08-15"),
        ("aug 15, 2023", "2023-08-15", "2023-08-15"),
        ("the 3rd of may 2024", "2024-05-03", "2024-05-03"),
        ("1 aug 2023 to 10 aug 2023", "2023-08-01", "2023-08-10"),
        ("from 1 aug 2023 to 10 aug 2023", "2023-08-01", "2023-08-10"),
        ("between 1 and 10 aug 2023", "2023-08-01", "2023-08-10"),
        ("aug 1-10, 2023", "2023-08-01", "2023-08-10"),
        ("1-10 nov", "2026-11-01", "2026-11-10"),
        ("12 oct", "2026-10-12", "2026-10-12"),
        ("25 dec", "2025-12-25", "2025-12-25"),  # in November, the last 25 December is last year's
        ("since 20 aug 2023", "2023-08-20", "2026-11-23"),
        ("20 dec to 5 jan", "2025-12-20", "2026-01-05"),
    ],
)
def test_english_phrases_on_a_monday(text: str, start: str, end: str) -> None:
    period = parse_period(text, today=MON)
    assert (period.start, period.end) == (d(start), d(end))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("aujourd'hui", "2026-11-23", "2026-11-23"),
        ("hier", "2026-11-22", "2026-11-22"),
        ("cette semaine", "2026-11-23", "2026-11-23"),
        ("semaine dernière", "2026-11-16", "2026-11-22"),
        ("la semaine dernière", "2026-11-16", "2026-11-22"),
        ("ce mois-ci", "2026-11-01", "2026-11-23"),
        ("ce mois", "2026-11-01", "2026-11-23"),
        ("mois dernier", "2026-10-01", "2026-10-31"),
        ("le mois dernier", "2026-10-01", "2026-10-31"),
        ("ce trimestre", "2026-10-01", "2026-11-23"),
        ("trimestre dernier", "2026-07-01", "2026-09-30"),
        ("cette année", "2026-01-01", "2026-11-23"),
        ("l'année dernière", "2025-01-01", "2025-12-31"),
        ("l’année dernière", "2025-01-01", "2025-12-31"),  # typographic apostrophe
        ("année dernière", "2025-01-01", "2025-12-31"),
        ("7 derniers jours", "2026-11-17", "2026-11-23"),
        ("30 derniers jours", "2026-10-25", "2026-11-23"),
        ("3 derniers mois", "2026-08-24", "2026-11-23"),
        ("12 dernières semaines", "2026-09-01", "2026-11-23"),
        ("depuis le 2026-10-01", "2026-10-01", "2026-11-23"),
        ("depuis 01/10/2026", "2026-10-01", "2026-11-23"),  # French dates are day first
        ("du 01/10/2026 au 15/10/2026", "2026-10-01", "2026-10-15"),
        ("octobre", "2026-10-01", "2026-10-31"),
        ("oct. 2026", "2026-10-01", "2026-10-31"),
        ("T3 2026", "2026-07-01", "2026-09-30"),
        ("décembre", "2025-12-01", "2025-12-31"),
        ("du 1er au 10 août 2023", "2023-08-01", "2023-08-10"),
        ("du 1 août 2023 au 10 août 2023", "2023-08-01", "2023-08-10"),
        ("entre le 1 et le 10 août 2023", "2023-08-01", "2023-08-10"),
        ("le 14 juillet 2023", "2023-07-14", "2023-07-14"),
        ("depuis le 1er octobre", "2026-10-01", "2026-11-23"),
    ],
)
def test_french_phrases_on_a_monday(text: str, start: str, end: str) -> None:
    period = parse_period(text, today=MON)
    assert (period.start, period.end) == (d(start), d(end))


@pytest.mark.parametrize(
    "text", ["LAST WEEK", "Last Week", "SEMAINE DERNIERE", "Semaine Dernière", "la  semaine   dernière"]
)
def test_case_accents_and_spaces_do_not_matter(text: str) -> None:
    assert parse_period(text, today=MON) == parse_period("last week", today=MON)


@pytest.mark.parametrize(
    ("today", "text", "start", "end"),
    [
        (SUN, "this week", "2026-11-16", "2026-11-22"),  # Sunday still belongs to the current week
        (SUN, "last week", "2026-11-09", "2026-11-15"),
        (SUN, "last 7 days", "2026-11-16", "2026-11-22"),
        (SUN, "yesterday", "2026-11-21", "2026-11-21"),
        (FIRST, "this month", "2026-11-01", "2026-11-01"),
        (FIRST, "last month", "2026-10-01", "2026-10-31"),
        (FIRST, "this week", "2026-10-26", "2026-11-01"),
        (FIRST, "november", "2026-11-01", "2026-11-01"),
        (FIRST, "last 30 days", "2026-10-03", "2026-11-01"),
        (NEW_YEAR, "this year", "2027-01-01", "2027-01-01"),
        (NEW_YEAR, "last year", "2026-01-01", "2026-12-31"),
        (NEW_YEAR, "l'année dernière", "2026-01-01", "2026-12-31"),
        (NEW_YEAR, "this quarter", "2027-01-01", "2027-01-01"),
        (NEW_YEAR, "last quarter", "2026-10-01", "2026-12-31"),
        (NEW_YEAR, "Q4", "2026-10-01", "2026-12-31"),
        (NEW_YEAR, "Q1", "2027-01-01", "2027-01-01"),
        (NEW_YEAR, "december", "2026-12-01", "2026-12-31"),
        (NEW_YEAR, "january", "2027-01-01", "2027-01-01"),
        (NEW_YEAR, "last week", "2026-12-21", "2026-12-27"),
        (NEW_YEAR, "this week", "2026-12-28", "2027-01-01"),
        (NEW_YEAR, "2026", "2026-01-01", "2026-12-31"),
        (NEW_YEAR, "last 3 months", "2026-10-02", "2027-01-01"),
        (date(2028, 3, 31), "last month", "2028-02-01", "2028-02-29"),  # leap year
    ],
)
def test_edges_of_weeks_months_quarters_and_years(today: date, text: str, start: str, end: str) -> None:
    period = parse_period(text, today=today)
    assert (period.start, period.end) == (d(start), d(end))


def test_labels_say_the_phrase_and_the_dates() -> None:
    assert parse_period("last week", today=MON).label == "last week (Mon 16 Nov – Sun 22 Nov 2026)"
    assert parse_period("ce mois-ci", today=MON).label == "this month so far (Sun 1 Nov – Mon 23 Nov 2026)"
    assert parse_period("T3 2026", today=MON).label == "Q3 2026 (Wed 1 Jul – Wed 30 Sep 2026)"
    assert parse_period("décembre", today=MON).label == "December 2025 (Mon 1 Dec – Wed 31 Dec 2025)"
    assert parse_period("yesterday", today=MON).label == "yesterday (Sun 22 Nov 2026)"
    assert parse_period("2026-10-01..2026-10-15", today=MON).label == "Thu 1 Oct – Thu 15 Oct 2026"


@pytest.mark.parametrize(
    ("text", "in_message"),
    [
        ("2026-02-30", "2026-02-30 is not a real date: February 2026 has 28 days"),
        ("since 2026-02-30", "2026-02-30 is not a real date"),
        ("31/02/2026", "31/02/2026 is not a real date"),
        ("2026-13-01", "there is no month 13"),
        ("10/31/2026", "there is no month 31"),  # US order is not guessed
        ("december 2026", '"december 2026" is in the future: it starts Tue 1 Dec 2026'),
        ("2027", "is in the future"),
        ("Q1 2027", "is in the future"),
        ("2026-12-01..2026-12-31", "is in the future"),
        ("2026-10-15..2026-10-01", '"2026-10-15..2026-10-01" ends before it starts'),
        ("last 0 days", "is empty"),
        ("last 999 months", "at most 120 months"),
        ("last 99999999999999999999999 days", "too long"),
        ("since 1900-01-01", "goes back too far"),
        ("last week yesterday", 'Two periods: "last week" and "yesterday"'),
        ("last week blah", 'but not "blah"'),
        ("blah", 'I can\'t read "blah" as a period'),
        ("", "No period given"),
        ("last week " * 20, "too long for a period"),
        ("31 feb 2023", "31 feb 2023 is not a real date: February 2023 has 28 days"),
        ("10-1 aug 2023", '"10-1 aug 2023" ends before it starts'),
        ("10 aug 2023 to 1 aug 2023", "ends before it starts"),
        ("1 dec 2026", "is in the future"),
    ],
)
def test_errors_say_what_is_wrong(text: str, in_message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, today=MON)
    assert in_message in caught.value.message
    assert isinstance(caught.value, InvalidInput) and caught.value.hints


def test_an_inverted_range_hint_puts_the_dates_in_order() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("2026-10-15..2026-10-01", today=MON)
    assert "Put the earlier date first: 2026-10-01..2026-10-15" in caught.value.hints


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("last weak", "last week"),
        ("yesterdy", "yesterday"),
        ("octber", "october"),
        ("mois derneir", "mois dernier"),
    ],
)
def test_near_misses_get_a_did_you_mean(typo: str, meant: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(typo, today=MON)
    assert f'Did you mean "{meant}"?' in caught.value.hints


def test_find_period_takes_the_phrase_out_of_longer_text() -> None:
    period, rest = find_period("what was NPS last week for chat?", today=MON)
    assert period == parse_period("last week", today=MON)
    assert rest == "what was NPS for chat?"
    period, rest = find_period("NPS du 01/10/2026 au 15/10/2026 par canal", today=MON)
    assert period is not None and (period.start, period.end) == (d("2026-10-01"), d("2026-10-15"))
    assert rest == "NPS par canal"
    assert find_period("NPS by channel", today=MON) == (None, "NPS by channel")


def test_find_period_raises_for_a_period_that_cannot_be() -> None:
    with pytest.raises(PeriodError, match="in the future"):
        find_period("nps for december 2026 please", today=MON)


def test_period_words_are_not_found_inside_other_words() -> None:
    assert locate_period("chat-2026 marsupial q3x") is None
    assert locate_period("nps last week?") == (4, 13)
    assert locate_period("nps (last week)", whole_words=True) is None
    assert locate_period("nps last week", whole_words=True) == (4, 13)


def test_a_periods_utc_window_is_its_local_midnights_across_a_clock_change() -> None:
    paris = ZoneInfo("Europe/Paris")
    day = Period(d("2026-10-25"), d("2026-10-25"), "Sun 25 Oct 2026")  # summer time ends that night
    cut = window(day.start, day.end, paris)
    assert cut.lo == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert cut.hi == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert cut.hi - cut.lo == timedelta(hours=25) and cut.lo.tzinfo is not None
    week = parse_period("last week", today=MON)
    cut = window(week.start, week.end, ZoneInfo("America/New_York"))
    assert (cut.lo, cut.hi) == (
        datetime(2026, 11, 16, 5, 0, tzinfo=UTC),
        datetime(2026, 11, 23, 5, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("last week", "2026-11-09", "2026-11-15"),
        ("this week", "2026-11-22", "2026-11-22"),  # so far (Monday only): the same length just before
        ("last month", "2026-09-01", "2026-09-30"),
        ("this month", "2026-10-09", "2026-10-31"),  # 1-23 Nov so far -> the 23 days before
        ("this year", "2025-02-08", "2025-12-31"),
        ("Q1 2026", "2025-10-01", "2025-12-31"),
        ("last year", "2024-01-01", "2024-12-31"),
        ("yesterday", "2026-11-21", "2026-11-21"),
        ("last 7 days", "2026-11-10", "2026-11-16"),
        ("2026-10-01..2026-10-15", "2026-09-16", "2026-09-30"),
        ("since 2026-11-20", "2026-11-16", "2026-11-19"),
    ],
)
def test_previous_is_the_previous_calendar_unit_or_the_same_number_of_days(
    text: str, start: str, end: str
) -> None:
    previous = parse_period(text, today=MON).previous()
    assert (previous.start, previous.end) == (d(start), d(end))


def test_previous_of_a_trend_is_the_same_number_of_weeks_before() -> None:
    trend = trend_period(12, "week", today=MON)
    assert (trend.start, trend.end) == (d("2026-09-07"), MON)
    previous = trend.previous()
    assert (previous.start, previous.end) == (d("2026-06-15"), d("2026-09-06"))
    months = trend_period(6, "month", today=MON)
    assert (months.start, months.previous().start, months.previous().end) == (
        d("2026-06-01"), d("2025-12-01"), d("2026-05-31")
    )  # fmt: skip


# ---- properties -------------------------------------------------------------------------------------------

TODAYS = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31))
WORDS = sorted(
    {w for phrase in PERIOD_PHRASES for w in phrase.split()} | set(MONTHS)
    | {"last", "past", "since", "depuis", "le", "du", "au", "to", "..", "q3", "T4", "2026", "1969", "the", "weeks",
       "days", "months", "years", "jours", "semaines", "dernieres", "from", "-", "–", "de", "of", "9999"}
)  # fmt: skip
TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.integers(min_value=-3, max_value=10**7).map(str),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)).map(date.isoformat),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)).map(lambda x: x.strftime("%d/%m/%Y")),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-01-01", "31/02/2026", "q5", "2026-00"]),
    st.text(max_size=5),
)
PHRASES = st.lists(TOKENS, max_size=6).map(" ".join)


def assert_real_period(period: Period, today: date) -> None:
    assert isinstance(period.start, date) and isinstance(period.end, date)
    assert period.start <= period.end <= today
    assert period.days() >= 1 and period.label
    previous = period.previous()
    assert previous.end + timedelta(days=1) == period.start
    assert previous.start <= previous.end


@given(text=st.text(max_size=60), today=TODAYS)
def test_any_text_is_a_real_period_or_a_user_facing_error(text: str, today: date) -> None:
    try:
        period = parse_period(text, today=today)
    except UserFacingError:
        return
    assert_real_period(period, today)


@settings(max_examples=400)
@given(text=PHRASES, today=TODAYS)
def test_any_mix_of_period_words_is_a_real_period_or_a_user_facing_error(text: str, today: date) -> None:
    try:
        period = parse_period(text, today=today)
        found, _rest = find_period(text, today=today)
    except UserFacingError:
        return
    assert_real_period(period, today)
    assert found is not None
    assert_real_period(found, today)


@settings(max_examples=300)
@given(text=PHRASES, today=TODAYS)
def test_previous_of_a_rolling_period_has_the_same_length_and_touches_it(text: str, today: date) -> None:
    try:
        period = parse_period(text, today=today)
    except UserFacingError:
        return
    previous = period.previous()
    assert previous.end + timedelta(days=1) == period.start
    so_far = period.unit is not None and previous.unit is None  # a unit cut at today: same length just before
    if period.unit is None or so_far:
        assert previous.days() == period.days()
    else:  # a whole calendar unit (or `count` of them): as long as such units are
        assert previous.unit == period.unit and previous.count == period.count
        assert previous.previous().end + timedelta(days=1) == previous.start


@given(n=st.integers(min_value=1, max_value=3660), today=TODAYS)
def test_last_n_days_is_n_days_ending_today(n: int, today: date) -> None:
    period = parse_period(f"last {n} days", today=today)
    assert period.end == today and period.days() == n
    assert period.previous().days() == n


def test_all_time_since_a_month_and_trends_that_end_at_a_date() -> None:
    from bot.services.kpi.periods import ALL_TIME_START, trend_period

    today = date(2026, 11, 23)
    every = parse_period("all time", today=today)
    assert (every.start, every.end) == (ALL_TIME_START, today)
    assert parse_period("depuis toujours", today=today).start == ALL_TIME_START
    since = parse_period("since august 2023", today=today)
    assert (since.start, since.end) == (date(2023, 8, 1), today)
    before = since.previous()  # the same length just before, not a run of years
    assert before.end == date(2023, 7, 31) and before.days() == since.days()
    assert parse_period("depuis 2025", today=today).start == date(2025, 1, 1)
    trend = trend_period(12, "week", today=today, until=date(2023, 8, 31))
    assert (trend.start, trend.end) == (date(2023, 6, 12), date(2023, 8, 31))
    assert "to Thu 31 Aug 2023" in trend.label


@pytest.mark.parametrize("text", ["12", "to", "", "2026-10", "aug"])
def test_a_date_that_is_not_one_is_a_period_error(text: str) -> None:
    """ "trend to 12" once reached parse_date("12") and raised a ValueError (found by hypothesis)."""
    with pytest.raises(PeriodError):
        parse_date(text)
