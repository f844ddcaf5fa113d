"""The text people read in the terminal and as Slack's fallback: dates, n, ±, arrow, tables, sparkline."""

from __future__ import annotations

from datetime import date

from bot.services.kpi.engine import BreakdownRow, KpiAnswer, TrendPoint
from bot.services.kpi.metrics import get_metric
from bot.services.kpi.periods import parse_period, trend_period
from bot.services.kpi.stats import CsatCounts, NpsCounts
from bot.services.kpi.text import format_kpi, sparkline

TODAY = date(2026, 11, 23)
LAST_WEEK = parse_period("last week", today=TODAY)


def answer(counts, previous, **kw) -> KpiAnswer:  # type: ignore[no-untyped-def]
    period = kw.pop("period", LAST_WEEK)
    return KpiAnswer(
        metric=get_metric(kw.pop("metric", "nps")),
        period=period,
        previous_period=period.previous(),
        timezone="Europe/Paris",
        scope=kw.pop("scope", ("team Paris",)),
        counts=counts,
        previous_counts=previous,
        **kw,
    )


def test_the_headline_states_value_margin_dates_n_and_the_change_with_an_arrow() -> None:
    text = format_kpi(answer(NpsCounts(60, 25, 15), NpsCounts(40, 30, 30)), markdown=False)
    first, second = text.splitlines()[:2]
    assert first.startswith("NPS +45.0 ±")
    assert "Mon 16 Nov – Sun 22 Nov 2026" in first and "100 responses" in first and "team Paris" in first
    assert second.startswith(
        "▲ +35.0 points vs the previous period (Mon 9 Nov – Sun 15 Nov 2026: +10.0, 100 responses)"
    )
    assert "Small sample" not in text and "Europe/Paris" in text


def test_a_drop_gets_a_down_arrow_and_csat_shows_the_mean() -> None:
    text = format_kpi(
        answer(
            CsatCounts(satisfied=60, n=100, total=380),
            CsatCounts(satisfied=80, n=100, total=420),
            metric="csat",
        )
    )
    assert text.startswith("*CSAT 60.0%* ±9.6 (mean 3.80/5)")
    assert "▼ -20.0" in text


def test_small_samples_are_flagged() -> None:
    text = format_kpi(answer(NpsCounts(5, 3, 2), NpsCounts(0, 0, 0)))
    assert "Small sample: only 10 responses" in text
    assert "No responses in the previous period (Mon 9 Nov – Sun 15 Nov 2026)" in text


def test_no_responses_says_so_without_a_number() -> None:
    text = format_kpi(answer(NpsCounts(0, 0, 0), NpsCounts(3, 0, 0)))
    assert text.startswith("No NPS responses in last week")
    assert "+100" not in text.splitlines()[0]


def test_a_breakdown_is_a_monospace_table_with_n_and_too_small_rows() -> None:
    rows = (
        BreakdownRow("Chat", 1204, 32.4, 4.1, None, False),
        BreakdownRow("Phone", 830, 12.0, 5.6, None, False),
        BreakdownRow("Store", 4, None, None, None, True),
    )
    text = format_kpi(
        answer(NpsCounts(900, 700, 438), NpsCounts(800, 700, 500), breakdown="channel", rows=rows)
    )
    table = text[text.index("```") + 4 : text.rindex("```")].splitlines()
    assert table[0].split() == ["Channel", "n", "NPS", "±"]
    assert table[1].split() == ["Chat", "1,204", "+32.4", "±4.1"]
    assert table[2].split() == ["Phone", "830", "+12.0", "±5.6"]
    assert table[3].split() == ["Store", "4", "too", "small", "(n=4)"]
    n_ends = {line.index(f" {n}") + len(n) for line, n in zip(table, ["n", "1,204", "830", "4"], strict=True)}
    assert len(n_ends) == 1  # the n column is right-aligned
    assert "By channel (sorted by value):" in text


def test_weeks_in_a_table_show_the_change_from_one_week_to_the_next() -> None:
    rows = (
        BreakdownRow("9–15 Nov 2026", 300, 20.0, 9.0, None, False, date(2026, 11, 9)),
        BreakdownRow("16–22 Nov 2026", 310, 16.75, 9.1, -3.25, False, date(2026, 11, 16)),
    )
    text = format_kpi(
        answer(NpsCounts(200, 250, 160), NpsCounts(1, 1, 1), breakdown="week", rows=rows), markdown=False
    )
    lines = [line.split() for line in text.splitlines()]
    assert ["Week", "n", "NPS", "±", "Δ", "points"] in lines
    assert ["16–22", "Nov", "2026", "310", "+16.8", "±9.1", "▼", "-3.2"] in lines
    assert "By week:" in text


def test_a_trend_has_a_sparkline_and_one_line_per_point() -> None:
    period = trend_period(4, "week", today=TODAY)
    points = (
        TrendPoint("2–8 Nov 2026", date(2026, 11, 2), date(2026, 11, 8), 40, 10.0, 9.0, False),
        TrendPoint("9–15 Nov 2026", date(2026, 11, 9), date(2026, 11, 15), 3, None, None, True),
        TrendPoint("16–22 Nov 2026", date(2026, 11, 16), date(2026, 11, 22), 50, 30.0, 8.0, False),
        TrendPoint("23 Nov 2026", date(2026, 11, 23), date(2026, 11, 23), 0, None, None, True),
    )
    text = format_kpi(
        answer(NpsCounts(40, 30, 23), NpsCounts(40, 30, 30), period=period, trend_unit="week", points=points),
        markdown=False,
    )
    assert "Weekly trend: 2 Nov ▁·█· 23 Nov" in text
    lines = [line.split("  ") for line in text.splitlines()]
    cells = [[c.strip() for c in line if c.strip()] for line in lines]
    assert ["9–15 Nov 2026", "3", "too small (n=3)"] in cells
    assert ["16–22 Nov 2026", "50", "+30.0"] in cells
    assert ["23 Nov 2026", "0", "no responses"] in cells


def test_sparkline_scales_between_lowest_and_highest() -> None:
    assert sparkline([0.0, 50.0, 100.0]) == "▁▅█"
    assert sparkline([5.0, 5.0]) == "▅▅"
    assert sparkline([None, None]) == "··"
