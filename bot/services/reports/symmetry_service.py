"""The symmetry report as asked in words: a team name and a period phrase, checked for the asker."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services.customers.taxonomy import Taxonomy
from bot.services.kpi.periods import parse_period
from bot.services.people.roles import not_allowed, visible_team_ids
from bot.services.people.teams import get_team
from bot.services.reports.symmetry import SymmetryReport, build_report


def report_for(
    session: Session,
    *,
    team: str,
    period: str,
    language: str,
    taxonomy: Taxonomy,
    now: datetime,
    viewer: str | None,
    slack_admins_are_admins: bool,
) -> SymmetryReport:
    """`viewer` None: the terminal (an operator sees everything); else the person's role applies."""
    found = get_team(session, team)
    if viewer is not None:
        visible = visible_team_ids(session, viewer, slack_admins_are_admins=slack_admins_are_admins)
        if visible is not None and found.id not in visible:
            raise not_allowed(found.name)
    today = now.astimezone(ZoneInfo(found.timezone)).date()
    return build_report(
        session,
        team=found,
        period=parse_period(period, today=today),
        taxonomy=taxonomy,
        language="fr" if language.lower().startswith("fr") else "en",
    )
