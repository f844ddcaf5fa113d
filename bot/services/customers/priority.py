"""Treatment priority 0-100 of a customer verbatim: one deterministic formula, see docs/PRIORITY.md.

    priority = min(100, score points + sentiment points + risk points + age points)

    score      0..45  how bad the score is on its scale (NPS 0 = 45, 10 = 0; CSAT/stars 1 = 45, 5 = 0)
    sentiment  0..25  continuous: 25 at -1 (very negative), 5 at 0 (neutral), 0 from +0.5 (positive);
                      5 when unknown (no text, a language we cannot read), not shown in ``why``
    risks      0..30  churn 20, legal 20, safety 20, repeat 10, any other risk 10; capped at 30
    age        0..12  1 point per 4 hours waiting, capped at 12 (two days)

Every component is rounded half up to a whole number before the sum. ``why`` lists the components
that gave points, largest first, in words a team lead reads at a glance, then notes that give no
points: a score the comment contradicts, a text that could not be read.

``base`` is the priority without its age: what the store keeps at import (``priority_base``), so the
digest adds the age in SQL and ranks with an index (``digest.rank_for_digest``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import scales
from bot.clock import ensure_utc
from bot.services.customers.sentiment import UNREADABLE, sentiment_label

SCORE_MAX = 45
SENTIMENT_MAX = 25
SENTIMENT_NEUTRAL = 5  # points of a neutral comment (polarity 0)
SENTIMENT_CALM = 0.5  # from this polarity up, no points
CONTRADICTS_ABOVE = 0.4  # a low score with a comment reading at least this positive...
CONTRADICTS_BELOW = -0.3  # ...or a high score with one reading at most this negative
CONTRADICTION = "score and comment disagree"
UNREADABLE_NOTE = "text unreadable"
RISK_POINTS = {"churn": 20, "legal": 20, "safety": 20, "repeat": 10}
OTHER_RISK_POINTS = 10
RISKS_CAP = 30
HOURS_PER_AGE_POINT = 4
AGE_CAP = 12
NOTHING_URGENT = "nothing urgent"

SCALES = {key: scales.scale(key).bounds for key in scales.CUSTOMER_SCALES}
_RISK_WORDS = {
    "churn": "mentions cancellation",
    "legal": "legal threat",
    "safety": "safety issue",
    "repeat": "repeat contact",
}
_RISK_ORDER = {key: n for n, key in enumerate(_RISK_WORDS)}
_NOTHING = (0, "")


@dataclass(frozen=True, slots=True)
class Priority:
    value: int  # 0..100
    why: str  # e.g. "detractor 2/10 · very negative · mentions cancellation · waiting 2 days"
    base: int = 0  # the value without the age points (0..100)


def half_up(x: float) -> int:
    """Round half up (2.5 -> 3), unlike round()'s half-to-even."""
    return math.floor(x + 0.5)


def score_band(score: int | None, scale: str) -> str:
    """detractor/passive/promoter (NPS) or dissatisfied/neutral/satisfied (CSAT, stars)."""
    return scales.band(score, scale)


def _score_text(score: int, scale: str) -> str:
    if scale == "nps":
        return f"{score_band(score, scale)} {score}/{scales.NPS.high}"
    if scale == "csat":
        return f"CSAT {score}/{scales.CSAT.high}"
    return f"{score} star" if score == 1 else f"{score} stars"


def _score_table(scale: str) -> dict[int, tuple[int, str]]:
    low, high = SCALES[scale]
    return {
        s: (half_up(SCORE_MAX * (high - s) / (high - low)), _score_text(s, scale))
        for s in range(low, high + 1)
    }


_SCORES = {scale: _score_table(scale) for scale in SCALES}


def _score_part(score: int | None, scale: str) -> tuple[int, str]:
    if score is None:  # text-only feedback has no scale
        return _NOTHING
    table = _SCORES.get(scale)
    if table is None:
        raise ValueError(f"unknown scale {scale!r}: expected one of {', '.join(SCALES)}")
    part = table.get(score)
    if part is None:  # out of range: the nearest end of the scale
        low, high = SCALES[scale]
        part = table[min(max(int(score), low), high)]
    return part


def tone_points(sentiment: float) -> float:
    """Unrounded sentiment points: linear from 25 (-1) to 5 (0), then to 0 (+0.5 and above)."""
    s = max(-1.0, min(sentiment, 1.0))
    if s <= 0:
        return SENTIMENT_NEUTRAL - (SENTIMENT_MAX - SENTIMENT_NEUTRAL) * s
    return max(0.0, SENTIMENT_NEUTRAL * (1 - s / SENTIMENT_CALM))


def _tone_part(sentiment: float | None) -> tuple[int, str]:
    if sentiment is None:  # no text, or none we can read: the tone is unknown, ranked as a neutral one
        return SENTIMENT_NEUTRAL, ""
    return half_up(tone_points(sentiment)), sentiment_label(sentiment)


def _notes(score: int | None, scale: str, sentiment: float | None, label: str) -> tuple[str, ...]:
    if label == UNREADABLE:
        return (UNREADABLE_NOTE,)
    if score is None or sentiment is None:
        return ()
    bands = scales.scale(scale)
    low, high = bands.is_bottom(score), bands.is_top(score)
    if (low and sentiment >= CONTRADICTS_ABOVE) or (high and sentiment <= CONTRADICTS_BELOW):
        return (CONTRADICTION,)
    return ()


@functools.lru_cache(maxsize=4096)
def _waiting(hours: int) -> str:
    if hours < 24:
        return f"waiting {max(1, hours)} h"
    days = hours // 24
    return "waiting 1 day" if days == 1 else f"waiting {days} days"


def _age_part(received_at: datetime, now: datetime) -> tuple[int, str]:
    try:
        seconds = (now - received_at).total_seconds()
    except TypeError:  # one side without tzinfo (SQLite gives naive UTC): read both as UTC
        seconds = (ensure_utc(now) - ensure_utc(received_at)).total_seconds()
    points = min(AGE_CAP, half_up(seconds / (3600 * HOURS_PER_AGE_POINT))) if seconds > 0 else 0
    return (points, _waiting(int(seconds // 3600))) if points else _NOTHING


def _risk_parts(risks: tuple[str, ...]) -> list[tuple[int, int, str]]:
    parts = []
    for key in dict.fromkeys(risks):  # each risk once
        words = _RISK_WORDS.get(key) or f"{key.replace('_', ' ')} risk"
        parts.append(
            (-RISK_POINTS.get(key, OTHER_RISK_POINTS), 2 + _RISK_ORDER.get(key, len(_RISK_ORDER)), words)
        )
    return parts


@functools.lru_cache(maxsize=65536)
def _combine(
    score: tuple[int, str],
    tone: tuple[int, str],
    risks: tuple[str, ...],
    age: tuple[int, str],
    notes: tuple[str, ...] = (),
) -> Priority:
    """The sum and the explanation; cached, as the same few combinations come back all the time."""
    risk_parts = _risk_parts(risks)
    risk_points = min(RISKS_CAP, -sum(p for p, _, _ in risk_parts))
    base = min(100, score[0] + tone[0] + risk_points)
    parts = [(-score[0], 0, score[1]), (-tone[0], 1, tone[1]), (-age[0], 9, age[1]), *risk_parts]
    shown = [words for _, _, words in sorted(p for p in parts if p[0] < 0 and p[2])]  # largest first, then
    why = " · ".join(shown + list(notes)) or NOTHING_URGENT  # score, tone, risks, age; notes last
    return Priority(value=min(100, base + age[0]), why=why, base=base)


def compute_priority(
    *,
    score: int | None,
    scale: str,
    sentiment: float | None,
    sentiment_label: str,
    risks: Sequence[str],
    received_at: datetime,
    now: datetime,
) -> Priority:
    """The treatment priority (see the module docstring and docs/PRIORITY.md)."""
    return _combine(
        _score_part(score, scale),
        _tone_part(sentiment),
        tuple(risks) if risks else (),
        _age_part(received_at, now),
        _notes(score, scale, sentiment, sentiment_label),
    )
