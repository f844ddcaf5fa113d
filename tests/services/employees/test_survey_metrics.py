"""Survey figures through the one KPI engine: /enps, /kpi enps by team, predicted NPS; anonymity holds."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.db import session_scope
from bot.services.kpi.ask import ask
from models.survey import SurveyResponse, SurveyRound
from tests.factories import make_team

PARIS = ZoneInfo("Europe/Paris")


def _answers(factory, team_id: int, day: date, scores: list[int | None], number: int) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    with session_scope(factory) as session:
        r = SurveyRound(
            team_id=team_id,
            number=number,
            opens_on=day,
            status="closed",
            driver="tools",
            opened_at=at,
            remind_at=at,
            closes_at=at + timedelta(days=3),
        )
        session.add(r)
        session.flush()
        session.add_all([
            SurveyResponse(round_id=r.id, respondent=f"{number}-{n}", team_id=team_id, driver="tools",
                           answered_on=day + timedelta(days=1), enps=s, recommend=s, quality=4 if s is None else s)
            for n, s in enumerate(scores)
        ])  # fmt: skip


def test_enps_by_team_hides_a_team_under_k_and_the_total_leaves_it_out(factory, now) -> None:  # type: ignore[no-untyped-def]
    big = make_team(factory, name="Paris", channel="C0PARIS", now=now)
    small = make_team(factory, name="Lyon", channel="C0LYON", now=now)
    # 4 promoters, 1 detractor of 6; a seventh person skipped the eNPS question (answered quality 4)
    _answers(factory, big.id, date(2026, 11, 9), [10, 10, 9, 8, 3, 10, None], 1)
    _answers(factory, small.id, date(2026, 11, 9), [0, 0], 2)  # 2 people: under K=5
    with session_scope(factory) as session:
        reply = ask(
            session,
            text="last 3 weeks by team",
            metric="enps",
            asker=None,
            now=now,
            default_tz=PARIS,
            slack_admins_are_admins=True,
        )
        rows = {r.label: r for r in reply.answer.rows}
        assert rows["Paris"].value == 50.0 and not rows["Paris"].hidden
        assert "Lyon" not in rows or rows["Lyon"].value is None
        assert reply.answer.value == 50.0  # Lyon's two zeros are not in the total
        assert "eNPS" in reply.text
        predicted = ask(
            session,
            text="predicted nps last 3 weeks",
            metric=None,
            asker=None,
            now=now,
            default_tz=PARIS,
            slack_admins_are_admins=True,
        )
        assert predicted.answer.metric.key == "predicted_nps" and predicted.answer.value == 50.0
        assert rows["Paris"].n == 6  # the skipped question is not an answer
        quality = ask(
            session,
            text="service quality last 3 weeks for Paris",
            metric=None,
            asker=None,
            now=now,
            default_tz=PARIS,
            slack_admins_are_admins=True,
        )
        assert quality.answer.value == (50 + 4) / 7
