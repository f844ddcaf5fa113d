"""Answers people can read: a range instead of ±0.0 at 0%/100%, deltas in points, empty weeks say so,
all time, trends that end at a date."""

from __future__ import annotations

from datetime import timedelta

from bot.services.kpi.stats import CsatCounts, NpsCounts, wilson
from tests.factories import add_verbatims, answer, record


def test_wilson_interval_is_never_zero_wide_nor_outside_the_scale() -> None:
    lo, hi = wilson(10, 10)
    assert 0.69 < lo < 0.73 and hi == 1.0
    assert CsatCounts(satisfied=0, n=20, total=20).interval[0] == 0.0  # type: ignore[index]
    nps = NpsCounts(promoters=12, passives=0, detractors=0).interval
    assert nps is not None and nps[1] == 100.0 and 40 < nps[0] < 80


def test_a_perfect_score_shows_its_95_range_not_plus_minus_zero(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    # Wrong before: "CSAT 100.0% ±0.0" on 12 answers.
    add_verbatims(factory, [record(i, now=now, score=5, scale="csat") for i in range(12)], now=now)
    text = answer(session, "csat last 7 days", now=now)
    assert "±0.0" not in text and "CSAT 100.0% (95%: 75.7–100.0)" in text


def test_changes_are_in_points_and_empty_weeks_say_no_responses(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    rows = [record(i, now=now, score=10, hours_ago=24 * 15 + i) for i in range(10)]
    rows += [record(100 + i, now=now, score=0 if i < 5 else 10, hours_ago=24 * 13 + i) for i in range(10)]
    add_verbatims(factory, rows, now=now)
    text = answer(session, "nps last 4 weeks by week", now=now)
    assert "no responses" in text and "too small (n=0)" not in text
    assert "Δ points" in text
    assert "▼ -100.0 points vs the previous period" in answer(session, "nps 2026-11-09..2026-11-15", now=now)


def test_all_time_and_a_trend_to_a_date(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    old = now - timedelta(days=800)
    add_verbatims(factory, [record(i, now=old, score=9) for i in range(10)], now=now)
    text = answer(session, "nps all time", now=now)
    assert "all time" in text and "10 responses" in text and "previous period" not in text
    until = (old + timedelta(days=1)).date().isoformat()
    trend = answer(session, f"nps trend 4 weeks to {until}", now=now)
    assert "weekly trend over 4 weeks to" in trend and "10" in trend
