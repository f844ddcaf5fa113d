"""Survey figures by whole closed rounds: the engine's path for metrics that declare a `round_column`.

A *block* is one team's closed round. It is shown when at least K people are behind it (K: the larger
of the K locked when the round opened and the K in force, so raising K hides more, lowering it never
shows a round answered under a higher promise). A figure is the sum of the shown blocks it covers:
- a period ("/enps last month"): the closed rounds that opened in it;
- rounds ("/kpi enps last round", "trend 8 rounds"): each team's last N closed rounds, point i of a
  trend being each team's i-th round from the end.
Hidden blocks are left out of every figure, totals included, and the answer says how many. Open rounds
are not counted (a figure that moves while people answer would show who just answered), and rounds are
never split by weeks, so any difference of two figures is a sum of whole blocks: never under K people.
Participation (answered of surveyed) is a block like the others: shown only when K people answered.
docs/ANONYMITY.md ("Survey rounds") explains it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlmodel import Session

from bot.services.employees.anonymity import anonymity_threshold
from bot.services.kpi.answers import BreakdownRow, KpiAnswer, TrendPoint
from bot.services.kpi.breakdowns import time_windows
from bot.services.kpi.metrics import Headline, Metric, Tally
from bot.services.kpi.period_words import MONTH_NAMES, fmt_day, fmt_range
from bot.services.kpi.periods import Period
from models.survey import RoundStatus, SurveyRound

if TYPE_CHECKING:
    from bot.services.kpi.engine import _Ask


@dataclass(frozen=True)
class Block:
    round_id: int
    team_id: int
    number: int
    opens_on: date
    tally: Tally  # empty when nobody answered what the metric counts
    shown: bool


def round_answer(session: Session, ask: _Ask, names: dict[int, str], *, now: datetime | None) -> KpiAnswer:
    """The answer to a question about a round metric; `now` is unused (closed rounds never change)."""
    q, metric = ask.query, ask.metric
    k = anonymity_threshold(session)
    if q.rounds:
        current, before = last_rounds(session, metric, ask.teams, count=q.rounds, k=k)
    else:
        prev = q.period.previous()
        found = rounds_between(session, metric, ask.teams, start=prev.start, end=q.period.end, k=k)
        current = [b for b in found if b.opens_on >= q.period.start]
        before = [b for b in found if b.opens_on < q.period.start]
    extra: dict[str, Any] = {}
    if q.breakdown == "team":
        extra = {"breakdown": "team", "rows": team_rows(metric, current, names, one_round=q.rounds == 1)}
    elif q.trend_unit == "round":
        extra = {
            "trend_unit": "round",
            "points": round_points(metric, current, q.rounds or 0, today=q.period.end),
        }
    elif q.trend or q.breakdown in ("week", "month"):
        extra = _by_time(metric, ask, current)
    left_out = sum(1 for b in current if b.tally.n and not b.shown)
    notes = (f"{left_out} round(s) left out of every figure (fewer than {k} answers)",) if left_out else ()
    total, previous = summed(current), summed(before)
    return KpiAnswer(
        metric=metric, period=_period(q.period, current, q.rounds), timezone=ask.tz.key,
        previous_period=_period(q.period.previous(), before, q.rounds, before=True) if q.rounds else q.period.previous(),
        scope=ask.scope + notes, counts=metric.counts(total), previous_counts=metric.counts(previous),
        hidden=_hidden(current), previous_hidden=_hidden(before), min_people=k, min_group_size=1,
        by_round=bool(q.rounds), **extra,
    )  # fmt: skip


def _hidden(blocks: Sequence[Block]) -> bool:
    """Nothing to show although people answered: every block is under K."""
    return any(b.tally.n for b in blocks) and not any(b.shown for b in blocks)


def summed(blocks: Sequence[Block]) -> Tally:
    return sum((b.tally for b in blocks if b.shown), Tally())


def _rounds_query(metric: Metric, teams: Collection[int] | None) -> Select:
    r = SurveyRound.__table__.c  # type: ignore[attr-defined]
    stmt = select(r.id, r.team_id, r.number, r.opens_on, r.threshold, r.results).where(
        r.status == RoundStatus.CLOSED.value
    )
    if teams is not None:
        stmt = stmt.where(r.team_id.in_(sorted(teams)))
    return stmt.where(*[r[c] == v for c, v in metric.where.items() if c in r])  # a driver: its rounds


def rounds_between(
    session: Session, metric: Metric, teams: Collection[int] | None, *, start: date, end: date, k: int
) -> list[Block]:
    """The closed rounds that opened in [start, end] (team-local days), as blocks."""
    r = SurveyRound.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(_rounds_query(metric, teams).where(r.opens_on >= start, r.opens_on <= end)).all()
    return _blocks(session, metric, rows, k)


def last_rounds(
    session: Session, metric: Metric, teams: Collection[int] | None, *, count: int, k: int
) -> tuple[list[Block], list[Block]]:
    """Each team's last `count` closed rounds, and the `count` before them (for the change)."""
    r = SurveyRound.__table__.c  # type: ignore[attr-defined]
    rank = func.row_number().over(partition_by=r.team_id, order_by=r.number.desc()).label("rank")
    inner = _rounds_query(metric, teams).add_columns(rank).subquery()
    rows = session.execute(select(inner).where(inner.c.rank <= 2 * count)).all()
    blocks = {b.round_id: b for b in _blocks(session, metric, [row[:6] for row in rows], k)}
    current = [blocks[row[0]] for row in rows if row[6] <= count]
    before = [blocks[row[0]] for row in rows if row[6] > count]
    return current, before


def _blocks(session: Session, metric: Metric, rows: Sequence[Any], k: int) -> list[Block]:
    if metric.headline is Headline.RATE:
        tallies = {row[0]: _participation(row[5]) for row in rows}
    else:
        tallies = _answer_tallies(session, metric, [row[0] for row in rows])
    out = []
    for round_id, team_id, number, opens_on, threshold, _ in rows:
        tally = tallies.get(round_id, Tally())
        out.append(Block(round_id, team_id, number, opens_on, tally, tally.people >= max(threshold, k)))
    return sorted(out, key=lambda b: (b.opens_on, b.team_id, b.number))


def _participation(results: str) -> Tally:
    """Surveyed (DMs delivered) and answered, as fixed when the round closed."""
    data = json.loads(results) if results else {}
    invited, answered = int(data.get("invited", 0)), int(data.get("answered", 0))
    return Tally(n=max(invited, answered), top=answered, total=answered, people=answered)


def _answer_tallies(session: Session, metric: Metric, round_ids: list[int]) -> dict[int, Tally]:
    """Per round: answers with a score, top and bottom box, sum and squares (one answer per person)."""
    if not round_ids or metric.score_column is None or metric.scale is None or metric.round_column is None:
        return {}
    c = metric.table.c
    score, scale = c[metric.score_column], metric.scale
    stmt = (
        select(
            c[metric.round_column], func.count(), func.count().filter(score >= scale.top_min),
            func.count().filter(score <= scale.bottom_max), func.sum(score), func.sum(score * score),
        )
        .where(c[metric.round_column].in_(round_ids), score.is_not(None))
        .where(*[c[col] == v for col, v in metric.where.items()])
        .group_by(c[metric.round_column])
    )  # fmt: skip
    bottom = metric.headline is Headline.NPS
    return {
        rid: Tally(
            n=n, top=top, bottom=low if bottom else 0, total=int(s or 0), squares=int(sq or 0), people=n
        )
        for rid, n, top, low, s, sq in session.execute(stmt)
    }


def team_rows(
    metric: Metric, blocks: Sequence[Block], names: dict[int, str], *, one_round: bool
) -> tuple[BreakdownRow, ...]:
    """One row per team with answers: the sum of its shown rounds; hidden when none is shown."""
    by_team: dict[int, list[Block]] = defaultdict(list)
    for b in blocks:
        if b.tally.n:
            by_team[b.team_id].append(b)
    rows = []
    for team_id, team_blocks in by_team.items():
        label = names.get(team_id, "?")
        if one_round:
            label += f" (round {team_blocks[0].number})"
        rows.append(_row(metric, label, team_blocks))
    return tuple(sorted(rows, key=lambda r: (r.hidden, -(r.value or 0.0), r.label)))


def _row(metric: Metric, label: str, blocks: Sequence[Block], start: date | None = None) -> BreakdownRow:
    if _hidden(blocks):
        return BreakdownRow(label, None, None, None, None, False, start, hidden=True)
    counts = metric.counts(summed(blocks))
    if metric.headline is Headline.RATE and counts.n:
        label += f" · {getattr(counts, 'satisfied', 0)} of {counts.n}"
    interval = getattr(counts, "interval", None)
    return BreakdownRow(label, counts.n, counts.value, counts.margin, None, False, start, interval=interval)


def round_points(
    metric: Metric, blocks: Sequence[Block], count: int, *, today: date
) -> tuple[TrendPoint, ...]:
    """Point i: each team's i-th round from the end (the last point: every team's last round)."""
    by_team: dict[int, list[Block]] = defaultdict(list)
    for b in sorted(blocks, key=lambda b: b.number):
        by_team[b.team_id].append(b)
    first = min((b.opens_on for b in blocks), default=today)  # only dates an empty point
    count = max(
        1, min(count, max((len(bs) for bs in by_team.values()), default=1))
    )  # no point before any round
    points = []
    for i in range(count):
        back = count - 1 - i
        at = [bs[len(bs) - 1 - back] for bs in by_team.values() if len(bs) > back]
        points.append(_point(metric, at, back, single=len(by_team) == 1, empty=first))
    return tuple(points)


def _point(metric: Metric, at: Sequence[Block], back: int, *, single: bool, empty: date) -> TrendPoint:
    start = min((b.opens_on for b in at), default=empty)
    end = max((b.opens_on for b in at), default=empty)
    if single and at:
        label = f"round {at[0].number} ({start.day} {MONTH_NAMES[start.month - 1][:3]})"
    else:
        label = "last round" if back == 0 else f"{back} round{'s' if back > 1 else ''} before"
    if _hidden(at):
        return TrendPoint(label, start, end, None, None, None, False, hidden=True)
    counts = metric.counts(summed(at))
    if not counts.n:
        return TrendPoint(label, start, end, 0, None, None, True)
    interval = getattr(counts, "interval", None)
    return TrendPoint(label, start, end, counts.n, counts.value, counts.margin, False, interval=interval)


def _by_time(metric: Metric, ask: _Ask, blocks: Sequence[Block]) -> dict[str, Any]:
    """ "trend 8 weeks", "by month": the rounds grouped by the week (month) they opened in."""
    q = ask.query
    unit = q.breakdown if q.breakdown in ("week", "month") else (q.trend_unit or "week")
    windows = time_windows(q.period.start, q.period.end, unit, ask.tz)  # type: ignore[arg-type]
    cells = [[b for b in blocks if w.start <= b.opens_on <= w.end] for w in windows]
    labels = [fmt_range(w.start, w.end) for w in windows]
    if q.trend:
        pts = []
        for w, label, inside in zip(windows, labels, cells, strict=True):
            point = _point(metric, inside, 0, single=False, empty=w.start)
            pts.append(TrendPoint(label, w.start, w.end, *_fields(point)))
        return {"trend_unit": unit, "points": tuple(pts)}
    rows = tuple(
        _row(metric, label, inside, w.start) for w, label, inside in zip(windows, labels, cells, strict=True)
    )
    return {"breakdown": unit, "rows": rows}


def _fields(p: TrendPoint) -> tuple:
    return (p.n, p.value, p.margin, p.too_small, p.hidden, p.interval)


def _period(asked: Period, blocks: Sequence[Block], rounds: int | None, *, before: bool = False) -> Period:
    """For rounds: the days they opened on, named; for a period: the period asked."""
    if not rounds:
        return asked
    what = "last round" if rounds == 1 else f"last {rounds} rounds"
    if before:
        what = "the round before" if rounds == 1 else f"the {rounds} rounds before"
    if not blocks:
        return Period(asked.start, asked.end, f"{what} (no closed round)")
    first, last = min(b.opens_on for b in blocks), max(b.opens_on for b in blocks)
    days = fmt_day(first) if first == last else fmt_range(first, last)
    return Period(first, last, f"{what} (opened {days})")
