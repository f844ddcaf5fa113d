"""The symmetry report: what a team's employees believe beside what its customers say.

For one team and period: employees' predicted NPS (survey question "recommend") vs customers' NPS;
employees' service-quality rating (0-10, x10) vs customers' CSAT (% of 4-5), both 0-100; and the
reasons employees think customers complain about vs the reasons found in customer complaints
(detractor / dissatisfied scores or negative comments), top 5, rank against rank.

Employee side: only rounds closed with their results shown (at least K answers) count, so no
hidden round can be recovered by subtracting figures; when none, the side says so. Gaps of
GAP_POINTS or more are highlighted; the biggest gap is one plain sentence at the top.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

from bot.services.customers.taxonomy import Taxonomy
from bot.services.kpi.breakdowns import tallies, window
from bot.services.kpi.metrics import Tally, get_metric
from bot.services.kpi.periods import Period
from bot.services.kpi.stats import nps_counts
from models.survey import RoundStatus, SurveyResponse, SurveyRound
from models.team import Team
from models.verbatim import Verbatim

GAP_POINTS = 15
TOP = 5


@dataclass(frozen=True)
class Pair:
    key: str  # nps | quality
    employees: float | None
    employees_n: int
    customers: float | None
    customers_n: int

    @property
    def gap(self) -> float | None:
        if self.employees is None or self.customers is None:
            return None
        return self.employees - self.customers

    @property
    def highlighted(self) -> bool:
        return self.gap is not None and abs(self.gap) >= GAP_POINTS


@dataclass(frozen=True)
class ReasonRank:
    rank: int
    employees: str | None  # taxonomy key
    employees_n: int
    customers: str | None
    customers_n: int


@dataclass(frozen=True)
class SymmetryReport:
    team: str
    period: Period
    language: str
    pairs: tuple[Pair, ...]
    reasons: tuple[ReasonRank, ...]
    rounds: int  # rounds counted on the employee side
    rounds_hidden: int  # closed rounds left out (fewer than K answers)
    k: int
    headline: str = ""
    employee_reasons_total: int = 0
    customer_reasons_total: int = 0
    unmatched: tuple[str, ...] = field(
        default=()
    )  # employees' top reasons customers do not name in their top 5


def employee_side(session: Session, team: Team, period: Period) -> tuple[list[tuple], int, int, int]:
    """(responses of shown rounds, rounds used, rounds hidden, K) for rounds opening in the period."""
    rounds = session.exec(
        select(SurveyRound.id, SurveyRound.results, SurveyRound.threshold).where(
            SurveyRound.team_id == team.id,
            SurveyRound.status == RoundStatus.CLOSED,
            SurveyRound.opens_on >= period.start,
            SurveyRound.opens_on <= period.end,
        )
    ).all()
    shown = [rid for rid, results, _ in rounds if results and json.loads(results).get("shown")]
    k = max((t for _, _, t in rounds), default=5)
    if not shown:
        return [], 0, len(rounds), k
    rows = session.exec(
        select(SurveyResponse.recommend, SurveyResponse.quality, SurveyResponse.reason).where(
            SurveyResponse.round_id.in_(shown)  # type: ignore[attr-defined]
        )
    ).all()
    return list(rows), len(shown), len(rounds) - len(shown), k


def customer_reasons(session: Session, team: Team, lo, hi) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Complaints' detected reasons, counted once per verbatim for each reason it names."""
    complaint = or_(
        (Verbatim.scale == "nps") & (Verbatim.score <= 6),
        (Verbatim.scale != "nps") & (Verbatim.score <= 2),
        Verbatim.sentiment_label == "negative",
    )
    rows = session.exec(
        select(Verbatim.reasons, func.count())
        .where(
            Verbatim.team_id == team.id,
            Verbatim.received_at >= lo,
            Verbatim.received_at < hi,
            Verbatim.reasons != "",
            complaint,
        )
        .group_by(Verbatim.reasons)
    ).all()
    counts: dict[str, int] = {}
    for keys, n in rows:
        for key in {k for k in keys.split(",") if k}:
            counts[key] = counts.get(key, 0) + int(n)
    return counts


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]


def build_report(
    session: Session, *, team: Team, period: Period, taxonomy: Taxonomy, language: str = "en"
) -> SymmetryReport:
    tz = ZoneInfo(team.timezone)
    w = window(period.start, period.end, tz)
    rows, used, hidden, k = employee_side(session, team, period)
    recommend = [r[0] for r in rows if r[0] is not None]
    quality = [r[1] for r in rows if r[1] is not None]
    ours: dict[str, int] = {}
    for r in rows:
        if r[2]:
            ours[r[2]] = ours.get(r[2], 0) + 1
    nps = sum(tallies(session, metric=get_metric("nps"), windows=[w], teams=[team.id]).values(), Tally())
    csat = sum(tallies(session, metric=get_metric("csat"), windows=[w], teams=[team.id]).values(), Tally())
    theirs = customer_reasons(session, team, w.lo, w.hi)
    pairs = (
        Pair("nps", _nps(recommend), len(recommend), _nps_tally(nps), nps.n),
        Pair(
            "quality",
            round(10 * sum(quality) / len(quality), 1) if quality else None,
            len(quality),
            round(100 * csat.top / csat.n, 1) if csat.n else None,
            csat.n,
        ),
    )
    top_ours, top_theirs = _ranked(ours), _ranked(theirs)
    reasons = tuple(
        ReasonRank(
            i + 1,
            *(top_ours[i] if i < len(top_ours) else (None, 0)),
            *(top_theirs[i] if i < len(top_theirs) else (None, 0)),
        )
        for i in range(max(len(top_ours), len(top_theirs)))
    )
    theirs_keys = {key for key, _ in top_theirs}
    report = SymmetryReport(
        team=team.name,
        period=period,
        language=language,
        pairs=pairs,
        reasons=reasons,
        rounds=used,
        rounds_hidden=hidden,
        k=k,
        employee_reasons_total=sum(ours.values()),
        customer_reasons_total=sum(theirs.values()),
        unmatched=tuple(key for key, _ in top_ours if key not in theirs_keys),
    )
    from bot.services.reports.symmetry_text import headline

    return SymmetryReport(**{**report.__dict__, "headline": headline(report, taxonomy)})


def _nps(scores: list[int]) -> float | None:
    value = nps_counts(scores).value
    return round(value, 1) if value is not None else None


def _nps_tally(tally: Tally) -> float | None:
    if not tally.n:
        return None
    return round(100 * (tally.top - tally.bottom) / tally.n, 1)
