"""One question, one answer: the path `/nps`, `/csat`, `/kpi`, a mention and `symmetry ask` share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services.kpi.charts import has_chart, render_chart
from bot.services.kpi.dimensions import known
from bot.services.kpi.engine import KpiAnswer, compute_kpi
from bot.services.kpi.questions import KpiQuery, Metric, parse_kpi_query
from bot.services.kpi.text import format_kpi
from bot.services.people.roles import team_names, timezone_for, visible_team_ids


@dataclass(frozen=True)
class KpiReply:
    query: KpiQuery
    answer: KpiAnswer
    text: str
    chart: bytes | None


def ask(
    session: Session,
    *,
    text: str,
    metric: Metric | None,
    asker: str | None,
    now: datetime,
    default_tz: ZoneInfo,
    slack_admins_are_admins: bool,
    with_chart: bool = True,
    markdown: bool = True,
) -> KpiReply:
    """`asker` is a Slack user id (their timezone and visibility apply); None is the terminal (sees all).

    `slack_admins_are_admins` has no default: it guards access, so every caller passes the setting."""
    tz = timezone_for(session, asker, default=default_tz) if asker else default_tz
    query = parse_kpi_query(
        text,
        metric=metric,
        today=now.astimezone(tz).date(),
        known_channels=known(session, "channel"),
        known_teams=list(team_names(session).values()),
        known_reasons=known(session, "reason"),
    )
    visible = (
        visible_team_ids(session, asker, slack_admins_are_admins=slack_admins_are_admins) if asker else None
    )
    answer = compute_kpi(session, query, tz=tz, team_ids=visible)
    chart = render_chart(answer) if with_chart and has_chart(answer) else None
    return KpiReply(query=query, answer=answer, text=format_kpi(answer, markdown=markdown), chart=chart)
