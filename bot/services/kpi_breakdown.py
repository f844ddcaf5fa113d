"""The SQL behind /nps and /csat: score histograms per time window and group, counted in the database.

One statement per question: a UNION ALL of one aggregate per time window (the previous period, the
period, or each week/month of it). Each branch is a range on the covering index
(scale, received_at, ...), so the work follows the rows in the period, never the store size, and
window edges are exact local midnights computed in Python (DST and half-hour zones included).
Each branch returns (window, group, score, count): at most 11 scores per group, folded here.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, literal_column, null, select, union_all
from sqlmodel import Session

from bot.services.kpi_math import CsatCounts, NpsCounts
from models.verbatim import Verbatim

Metric = Literal["nps", "csat"]
TimeUnit = Literal["week", "month"]
Counts = NpsCounts | CsatCounts
Histogram = Mapping[int, int]  # score -> responses

SCALE_OF: dict[str, tuple[str, int, int]] = {"nps": ("nps", 0, 10), "csat": ("csat", 1, 5)}
GROUP_COLUMNS = ("channel", "team", "reason", "agent", "processing_level")
MAX_VARIANTS = 16

_V = Verbatim.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Window:
    """Local dates [start, end] and their exact UTC edges [lo, hi)."""

    start: date
    end: date
    lo: datetime
    hi: datetime


def window(start: date, end: date, tz: ZoneInfo) -> Window:
    return Window(start, end, local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz))


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def time_windows(start: date, end: date, unit: TimeUnit, tz: ZoneInfo) -> list[Window]:
    """The calendar weeks (Monday first) or months that meet [start, end], clipped to it."""
    out: list[Window] = []
    cursor = start
    while cursor <= end:
        if unit == "week":
            nxt = cursor - timedelta(days=cursor.weekday()) + timedelta(days=7)
        else:
            nxt = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = min(nxt - timedelta(days=1), end)
        out.append(window(cursor, last, tz))
        cursor = nxt
    return out


def column_for(group: str) -> ColumnElement:
    return _V.team_id if group == "team" else _V[group]


def text_filter(column: str, value: str) -> ColumnElement[bool]:
    """Case-insensitive equality. SQLite's lower() only folds ASCII, so the stored value's
    lower() is compared with every ASCII-lowered spelling of the non-ASCII letters' cases."""
    return func.lower(_V[column]).in_(sorted(lower_variants(value)))


def lower_variants(value: str) -> set[str]:
    value = value.strip()
    wide = [i for i, ch in enumerate(value) if not ch.isascii() and ch.lower() != ch.upper()][:4]
    variants = {value.lower()}
    for cases in itertools.product((str.lower, str.upper), repeat=len(wide)):
        chars = list(value)
        for i, case in zip(wide, cases, strict=True):
            chars[i] = case(chars[i])
        variants.add("".join(c.lower() if c.isascii() else c for c in chars))
    return set(itertools.islice(sorted(variants), MAX_VARIANTS))


def score_histograms(
    session: Session, *, metric: Metric, windows: Sequence[Window], group: str | None = None,
    where: Iterable[ColumnElement[bool]] = (),
) -> dict[tuple[int, object], Counter[int]]:
    """(window index, group value) -> score histogram, counted by the database."""
    scale, low, high = SCALE_OF[metric]
    conditions = [_V.scale == scale, _V.score.between(low, high), *where]
    key = column_for(group) if group else null()
    branches = [
        select(literal_column(str(i)).label("w"), key.label("g"), _V.score, func.count().label("n"))
        .where(_V.received_at >= w.lo, _V.received_at < w.hi, *conditions)
        .group_by(*([key] if group else []), _V.score)
        for i, w in enumerate(windows)
    ]
    stmt = branches[0] if len(branches) == 1 else union_all(*branches)
    out: dict[tuple[int, object], Counter[int]] = defaultdict(Counter)
    for w, g, score, n in session.execute(stmt):
        out[(int(w), g)][int(score)] += int(n)
    return out


def counts_from(metric: Metric, histogram: Histogram) -> Counts:
    """Reuse the shared arithmetic: a histogram becomes NpsCounts or CsatCounts."""
    if metric == "nps":
        return NpsCounts(
            promoters=sum(n for s, n in histogram.items() if s >= 9),
            passives=sum(n for s, n in histogram.items() if 7 <= s <= 8),
            detractors=sum(n for s, n in histogram.items() if s <= 6),
        )
    return CsatCounts(
        satisfied=sum(n for s, n in histogram.items() if s >= 4),
        n=sum(histogram.values()),
        total=sum(s * n for s, n in histogram.items()),
    )


def per_window(histograms: Mapping[tuple[int, object], Counter[int]], count: int) -> list[Counter[int]]:
    """Histograms summed over groups, one per window index."""
    out = [Counter[int]() for _ in range(count)]
    for (w, _g), hist in histograms.items():
        out[w].update(hist)
    return out


def per_group(
    histograms: Mapping[tuple[int, object], Counter[int]], window_index: int, *, fold_case: bool,
) -> dict[object, tuple[str | None, Counter[int]]]:
    """Group key -> (most frequent spelling, histogram) for one window. Text values that differ
    only by case ("Email", "email") are one group."""
    merged: dict[object, Counter[int]] = defaultdict(Counter)
    spellings: dict[object, Counter[object]] = defaultdict(Counter)
    for (w, g), hist in histograms.items():
        if w != window_index:
            continue
        key = g.casefold() if fold_case and isinstance(g, str) else g
        merged[key].update(hist)
        spellings[key][g] += sum(hist.values())
    return {k: (spellings[k].most_common(1)[0][0], hist) for k, hist in merged.items()}  # type: ignore[misc]
