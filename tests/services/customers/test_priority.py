"""Treatment priority: the documented formula, bounded, deterministic and monotonic."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.customers.priority import Priority, compute_priority, score_band
from bot.services.customers.sentiment import sentiment_label

DOC = Path(__file__).resolve().parents[3] / "docs" / "PRIORITY.md"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def priority(
    score: int | None,
    scale: str = "nps",
    sentiment: float | None = None,
    risks: tuple[str, ...] = (),
    hours: float = 0,
) -> Priority:
    return compute_priority(
        score=score,
        scale=scale,
        sentiment=sentiment,
        sentiment_label=sentiment_label(sentiment),
        risks=risks,
        received_at=NOW - timedelta(hours=hours),
        now=NOW,
    )


def _documented_examples() -> list[tuple[str, ...]]:
    text = DOC.read_text(encoding="utf-8").split("## Worked examples", 1)[1]
    rows = [line for line in text.splitlines() if line.startswith("|")][2:]  # skip header + rule
    return [tuple(cell.strip() for cell in row.strip("|").split("|")) for row in rows]


def test_the_documentation_has_worked_examples() -> None:
    assert len(_documented_examples()) >= 6


@pytest.mark.parametrize("example", _documented_examples(), ids=lambda e: f"{e[0] or '-'}/{e[1]}")
def test_the_code_computes_the_documented_examples(example: tuple[str, ...]) -> None:
    score, scale, sentiment, risks, waiting, value, why = example
    result = priority(
        int(score) if score else None,
        scale,
        float(sentiment) if sentiment else None,
        tuple(r.strip() for r in risks.split(",") if r.strip()),
        float(re.sub(r"\s*h$", "", waiting)),
    )
    assert (result.value, result.why) == (int(value), why)


def test_an_angry_detractor_about_to_leave_outranks_a_mild_passive() -> None:
    angry = priority(2, sentiment=-0.8, risks=("churn",))
    mild = priority(7, sentiment=0.05, hours=72)  # even one that waited three days
    assert angry.value > mild.value
    assert angry.why == "detractor 2/10 · very negative · mentions cancellation"


def test_why_lists_only_what_counted_largest_first() -> None:
    assert (
        priority(1, "csat", -0.15, ("repeat",), hours=36).why
        == "CSAT 1/5 · repeat contact · waiting 1 day · negative"
    )
    assert (
        priority(1, "csat", -0.3, ("repeat",), hours=30).why
        == "CSAT 1/5 · negative · repeat contact · waiting 1 day"
    )
    assert priority(None, "stars", 0.8).why == "nothing urgent"
    assert priority(1, "stars").why == "1 star" and priority(3, "stars").why == "3 stars"
    assert priority(5, "nps", hours=3).why == "detractor 5/10 · waiting 3 h"


def test_sentiment_counts_over_its_whole_range_bounded() -> None:
    readings = [0.9, 0.5, 0.3, 0.0, -0.05, -0.2, -0.6, -1.0]
    values = [priority(None, "nps", s).value for s in readings]
    assert values == sorted(values) and values[0] == 0 and values[-1] == 25
    assert (
        priority(None, "nps", 0.3).value
        < priority(None, "nps", 0.0).value
        < priority(None, "nps", -0.3).value
    )
    assert priority(None, "nps", -5.0).value == 25  # out of range readings are clamped


def test_a_score_the_comment_contradicts_is_noted_without_points() -> None:
    misclick = priority(1, "csat", 0.7)
    assert misclick.why == "CSAT 1/5 · score and comment disagree" and misclick.value == 45
    assert priority(10, "nps", -0.6).why == "very negative · score and comment disagree"
    assert "disagree" not in priority(2, "nps", -0.6).why
    assert "disagree" not in priority(9, "nps", 0.6).why
    assert "disagree" not in priority(None, "nps", 0.9).why


def test_unreadable_text_is_noted_and_scores_nothing_for_its_sentiment() -> None:
    unreadable = compute_priority(
        score=None,
        scale="nps",
        sentiment=None,
        sentiment_label="unreadable",
        risks=(),
        received_at=NOW,
        now=NOW,
    )
    assert (unreadable.value, unreadable.why) == (5, "text unreadable")


@given(st.integers(0, 10), st.none() | st.floats(-1, 1), st.floats(0, 24 * 10))
def test_the_base_is_the_priority_without_its_age(score: int, sentiment: float | None, hours: float) -> None:
    aged, fresh = (
        priority(score, "nps", sentiment, ("churn",), hours),
        priority(score, "nps", sentiment, ("churn",)),
    )
    assert aged.base == fresh.base == fresh.value
    assert aged.value == min(100, aged.base + (aged.value - fresh.value))


def test_risks_count_once_and_are_capped() -> None:
    assert priority(None, risks=("churn", "churn")).value == 25  # 5: the unknown tone
    assert priority(None, risks=("churn", "legal", "safety", "repeat")).value == 35
    other = priority(None, risks=("data_breach",))
    assert (other.value, other.why) == (15, "data breach risk")


def test_an_unknown_tone_ranks_as_a_neutral_one_without_a_word_in_why() -> None:
    unknown, neutral = priority(None, "nps", None), priority(None, "nps", 0.0)
    assert (
        unknown.value == neutral.value == 5 and unknown.why == "nothing urgent" and neutral.why == "neutral"
    )
    assert priority(None, "nps", 0.6).value < unknown.value < priority(None, "nps", -0.2).value


def test_out_of_range_scores_count_as_the_nearest_end_and_unknown_scales_are_refused() -> None:
    assert priority(11, "nps").value == priority(10, "nps").value
    assert priority(0, "csat").value == priority(1, "csat").value
    with pytest.raises(ValueError, match="unknown scale 'ces'"):
        priority(3, "ces")


def test_future_dates_and_naive_utc_timestamps_are_handled() -> None:
    assert priority(9, hours=-5).value == priority(9).value
    naive = compute_priority(
        score=9,
        scale="nps",
        sentiment=None,
        sentiment_label="unknown",
        risks=(),
        received_at=(NOW - timedelta(hours=8)).replace(tzinfo=None),
        now=NOW,
    )
    assert naive == priority(9, hours=8)


@pytest.mark.parametrize(
    ("scale", "scores", "bands"),
    [
        ("nps", range(11), ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2),
        ("csat", range(1, 6), ["dissatisfied"] * 2 + ["neutral"] + ["satisfied"] * 2),
        ("stars", range(1, 6), ["dissatisfied"] * 2 + ["neutral"] + ["satisfied"] * 2),
    ],
)
def test_score_bands(scale: str, scores: range, bands: list[str]) -> None:
    assert [score_band(s, scale) for s in scores] == bands
    assert score_band(None, scale) == "no score"


SCALES = {"nps": (0, 10), "csat": (1, 5), "stars": (1, 5)}
RISKS = st.lists(st.sampled_from(["churn", "legal", "safety", "repeat", "fraud"]), max_size=5).map(tuple)
SENTIMENTS = st.none() | st.floats(min_value=-1, max_value=1, allow_nan=False)
AGES = st.floats(min_value=-48, max_value=24 * 365, allow_nan=False)


@st.composite
def cases(draw: st.DrawFn) -> tuple[int | None, str, float | None, tuple[str, ...], float]:
    scale = draw(st.sampled_from(sorted(SCALES)))
    low, high = SCALES[scale]
    score = draw(st.none() | st.integers(low, high))
    return score, scale, draw(SENTIMENTS), draw(RISKS), draw(AGES)


@given(cases())
def test_priority_is_bounded_and_deterministic(
    case: tuple[int | None, str, float | None, tuple[str, ...], float],
) -> None:
    first = priority(*case)
    assert 0 <= first.value <= 100
    assert priority(*case) == first
    assert first.why


@given(cases(), st.floats(min_value=0, max_value=24 * 30, allow_nan=False))
def test_waiting_longer_never_lowers_priority(
    case: tuple[int | None, str, float | None, tuple[str, ...], float], extra_hours: float
) -> None:
    score, scale, sentiment, risks, hours = case
    assert priority(score, scale, sentiment, risks, hours + extra_hours).value >= priority(*case).value


@given(cases())
def test_a_worse_score_never_lowers_priority(
    case: tuple[int | None, str, float | None, tuple[str, ...], float],
) -> None:
    score, scale, sentiment, risks, hours = case
    low, _ = SCALES[scale]
    if score is None or score == low:
        return
    assert priority(score - 1, scale, sentiment, risks, hours).value >= priority(*case).value


@given(cases(), st.floats(min_value=0, max_value=2, allow_nan=False))
def test_a_more_negative_comment_never_lowers_priority(
    case: tuple[int | None, str, float | None, tuple[str, ...], float], drop: float
) -> None:
    score, scale, sentiment, risks, hours = case
    if sentiment is None:
        return
    worse = max(-1.0, sentiment - drop)
    assert priority(score, scale, worse, risks, hours).value >= priority(*case).value


def test_the_score_alone_orders_every_step_of_each_scale() -> None:
    for scale, (low, high) in SCALES.items():
        values = [priority(s, scale).value for s in range(low, high + 1)]
        assert values == sorted(values, reverse=True) and len(set(values)) == len(values), scale
    assert priority(0, "nps").value == priority(1, "csat").value == 50


def test_fifty_thousand_priorities_are_cheap() -> None:
    import time

    rows = [(s % 11, -((s % 21) / 20), ("churn",) if s % 7 == 0 else (), s % 97) for s in range(50_000)]
    start = time.perf_counter()
    for score, sentiment, risks, hours in rows:
        priority(score, "nps", sentiment, risks, hours)
    assert time.perf_counter() - start < 2.0  # ~0.2 s on a quiet 2-core machine; generous for busy CI
