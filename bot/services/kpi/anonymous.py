"""The engine's path for metrics about people (a `person_column`: pulse, stories, suggestions).

compute_kpi sends every such metric here, so no adapter can skip the anonymity rules
(docs/ANONYMITY.md): figures cover whole finished weeks, are sums of atoms of at least K distinct
people (K from the settings table, locked per week), hidden cells are left out of every total, and
below K nothing is shown, not even how many answered.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.services.employees.figures import AtomAnswer, Figure, answer_atoms
from bot.services.employees.sources import Tally as CellTally
from bot.services.kpi.answers import BreakdownRow, KpiAnswer, TrendPoint
from bot.services.kpi.breakdowns import time_windows
from bot.services.kpi.metrics import Metric, Tally
from bot.services.kpi.period_words import fmt_range
from bot.services.kpi.periods import Period

if TYPE_CHECKING:
    from bot.services.kpi.engine import _Ask


def anonymous_answer(session: Session, ask: _Ask, names: dict[int, str], *, now: datetime) -> KpiAnswer:
    q, metric = ask.query, ask.metric
    unit = q.breakdown if q.breakdown in ("week", "month") else (q.trend_unit or "week")
    assert unit != "round", "round questions go to employees/round_figures.py"
    timed = bool(q.trend) or q.breakdown in ("week", "month")
    buckets = (
        [(w.start, w.end) for w in time_windows(q.period.start, q.period.end, unit, ask.tz)] if timed else []
    )
    found = answer_atoms(
        session, metric=metric, start=q.period.start, end=q.period.end, teams=ask.teams, names=names,
        now=now, by_team=q.breakdown == "team", buckets=buckets,
    )  # fmt: skip
    period = _period(q.period, found)
    span = found.last_week - found.first_week + timedelta(weeks=1)
    before = Period(found.first_week - span, found.first_week - timedelta(days=1), "the weeks before")
    extra: dict = {}
    if q.breakdown == "team":
        extra = {"breakdown": "team", "rows": tuple(_row(metric, f) for f in found.rows)}
    elif timed:
        labels = [fmt_range(s, e) for s, e in buckets]
        if q.trend:
            pts = (
                _point(metric, f, lbl, s, e)
                for f, lbl, (s, e) in zip(found.buckets, labels, buckets, strict=True)
            )
            extra = {"trend_unit": unit, "points": tuple(pts)}
        else:
            rows = (
                _row(metric, f, lbl, s) for f, lbl, (s, _) in zip(found.buckets, labels, buckets, strict=True)
            )
            extra = {"breakdown": unit, "rows": tuple(rows)}
    return KpiAnswer(
        metric=metric, period=period, previous_period=before, timezone=ask.tz.key,
        scope=ask.scope + _notes(found), counts=metric.counts(_tally(found.total)),
        previous_counts=metric.counts(_tally(found.previous)), hidden=not found.total.shown,
        previous_hidden=not found.previous.shown, min_people=found.k, min_group_size=1, **extra,
    )  # fmt: skip


def _period(asked: Period, found: AtomAnswer) -> Period:
    weeks = fmt_range(found.first_week, found.end)
    label = asked.label if not found.moved else f"{weeks} ({found.moved}; asked: {asked.label})"
    return Period(found.first_week, found.end, label)


def _notes(found: AtomAnswer) -> tuple[str, ...]:
    if not found.left_out:
        return ()
    return (
        f"{found.left_out} group(s) left out of every figure (fewer than {found.k} people, or weeks across "
        "the period's edge), so no figure can be subtracted from another",
    )


def _tally(f: Figure) -> Tally:
    t: CellTally = f.tally
    return Tally(n=t.n, top=t.top, bottom=t.bottom, total=t.total, squares=t.squares)


def _label(f: Figure) -> str:
    label = f.label
    if f.shown and f.first and f.last and f.first != f.last:
        label += f" (weeks {fmt_range(f.first, f.last + timedelta(days=6))} pooled)"
    if f.needed:
        label += f" ({f.needed} more {'person' if f.needed == 1 else 'people'} needed)"
    return label


def _row(metric: Metric, f: Figure, label: str | None = None, start: date | None = None) -> BreakdownRow:
    if not f.shown:
        return BreakdownRow(label or _label(f), None, None, None, None, False, start, hidden=True)
    counts = metric.counts(_tally(f))
    return BreakdownRow(label or _label(f), counts.n, counts.value, counts.margin, None, False, start)


def _point(metric: Metric, f: Figure, label: str, start: date, end: date) -> TrendPoint:
    if not f.shown:
        return TrendPoint(label, start, end, None, None, None, False, hidden=True)
    counts = metric.counts(_tally(f))
    return TrendPoint(label, start, end, counts.n, counts.value, counts.margin, False)
