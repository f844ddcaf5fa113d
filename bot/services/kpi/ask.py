"""One question, one answer: the path `/nps`, `/csat`, `/kpi`, a mention and `symmetry ask` share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services.kpi.charts import ChartUnavailable, Draw, draw_here, has_chart, render_chart
from bot.services.kpi.dimensions import known
from bot.services.kpi.elsewhere import where_the_data_is
from bot.services.kpi.engine import KpiAnswer, compute_kpi
from bot.services.kpi.language import answer_language, translate
from bot.services.kpi.periods import trend_period
from bot.services.kpi.questions import KpiQuery, Metric, parse_kpi_query
from bot.services.kpi.text import format_kpi
from bot.services.people.roles import team_names, timezone_for, visible_team_ids

NO_CHART = "No chart this time: drawing it failed. Ask again in a moment for the chart."


@dataclass(frozen=True)
class KpiReply:
    query: KpiQuery
    answer: KpiAnswer
    text: str
    chart: bytes | None
    language: str = "en"


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
    headline_chart: bool = False,
    locale: str | None = None,
    draw: Draw = draw_here,
) -> KpiReply:
    """`asker` is a Slack user id (their timezone and visibility apply); None is the terminal (sees all).
    `slack_admins_are_admins` has no default: it guards access, so every caller passes the setting.
    `headline_chart`: a single number gets the chart of its trend (12 weeks, or the months of a long
    period, ending with the period), or a line saying why there is none."""
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
    answer = compute_kpi(session, query, tz=tz, team_ids=visible, now=now)
    language = answer_language(session, text=text, asker=asker, locale=locale)
    reply = format_kpi(answer, markdown=markdown, language=language)
    chart = None
    try:
        if with_chart and has_chart(answer):
            chart = draw(render_chart, answer, language=language)
        elif with_chart and headline_chart:
            chart, why_not = _headline_chart(
                session, query, answer, tz=tz, team_ids=visible, language=language, now=now, draw=draw
            )
            reply += f"\n{why_not}" if why_not else ""
    except ChartUnavailable:
        reply += f"\n{NO_CHART}"
    if answer.n == 0 and (
        hint := where_the_data_is(
            session,
            metric_key=query.metric,
            team_ids=_asked_teams(session, query, visible),
            tz=tz,
            language=language,
        )
    ):
        reply = reply.replace("\n", f"\n{hint}\n", 1)
    return KpiReply(
        query=query,
        answer=answer,
        text=translate(reply, language, keep=answer.names),
        chart=chart,
        language=language,
    )


def _headline_chart(
    session: Session,
    query: KpiQuery,
    answer: KpiAnswer,
    *,
    tz: ZoneInfo,
    team_ids: set[int] | None,
    language: str,
    now: datetime,
    draw: Draw,
) -> tuple[bytes | None, str | None]:
    if answer.hidden:
        return None, "No chart: the figure is hidden (too few people)."
    if not answer.n:
        return None, "No chart: no responses in the period."
    if answer.metric.round_column is not None:  # survey figures: the last 8 rounds, a point each
        rounds = replace(query, breakdown=None, trend=8, trend_unit="round", rounds=8)
        return render_chart(
            compute_kpi(session, rounds, tz=tz, team_ids=team_ids, now=now), language=language
        ), None
    period = query.period
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    unit, count = ("week", 12) if period.days() <= 92 else ("month", min(24, max(2, months)))
    today = period.end
    trend = replace(
        query,
        period=trend_period(count, unit, today=today, until=period.end),  # type: ignore[arg-type]
        breakdown=None,
        trend=count,
        trend_unit=unit,  # type: ignore[arg-type]
    )
    return draw(
        render_chart, compute_kpi(session, trend, tz=tz, team_ids=team_ids, now=now), language=language
    ), None


def _asked_teams(session: Session, query: KpiQuery, visible: set[int] | None) -> set[int] | None:
    """The teams a "where is the data" hint may count: the asked team if any, within what the asker sees."""
    if not query.team:
        return visible
    asked = {i for i, name in team_names(session).items() if name.casefold() == query.team.casefold()}
    return asked if visible is None else asked & set(visible)
