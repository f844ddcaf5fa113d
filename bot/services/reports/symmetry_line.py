"""The one-line symmetry summary a round's results carry: this round's beliefs vs the customers'
figures over the round's four weeks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from bot.services.customers.taxonomy import Taxonomy
from bot.services.kpi.period_words import fmt_range
from bot.services.kpi.periods import Period
from bot.services.reports.symmetry import build_report
from models.team import Team


def symmetry_line(session: Session, *, team: Team, results: dict[str, Any], taxonomy: Taxonomy) -> str | None:
    if not results.get("shown"):
        return None
    from datetime import date

    end = date.fromisoformat(results["opens_on"])
    start = end - timedelta(days=27)
    period = Period(start, end, fmt_range(start, end))
    report = build_report(session, team=team, period=period, taxonomy=taxonomy)
    return f"*Symmetry* (customers over {period.label}): {report.headline}"
