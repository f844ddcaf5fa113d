"""Round questions through the one engine: /kpi participation last round, driver workload trend 8 rounds,
enps last round, by team, in French, and the same text from `symmetry ask` (both stores)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db import session_scope
from bot.errors import InvalidInput
from bot.services.kpi.ask import ask
from bot.services.kpi.questions import QueryNotUnderstood, parse_kpi_query
from models.survey import SurveyResponse, SurveyRound
from tests.factories import make_team

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 23)
DRIVERS = ("recognition", "workload", "tools", "training")


def add_round(  # type: ignore[no-untyped-def]
    factory, team_id: int, number: int, scores: list[int | None], *, invited: int, driver: str | None = None,
    status: str = "closed", day: date | None = None,
) -> int:  # fmt: skip
    """A round of `team_id` opened on `day` (default: weekly, round 1 on 28 Sep), `scores` answering eNPS,
    quality and recommend with the same score and the driver with score // 2 (1-5)."""
    day = day or date(2026, 9, 28) + timedelta(weeks=number - 1)
    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    driver = driver or DRIVERS[(number - 1) % len(DRIVERS)]
    with session_scope(factory) as session:
        r = SurveyRound(
            team_id=team_id, number=number, opens_on=day, status=status, driver=driver, opened_at=at,
            remind_at=at, closes_at=at + timedelta(days=3),
            results=json.dumps({"invited": invited, "answered": len(scores)}) if status == "closed" else "",
        )  # fmt: skip
        session.add(r)
        session.flush()
        session.add_all([
            SurveyResponse(round_id=r.id, respondent=f"{team_id}-{number}-{i}", team_id=team_id, driver=driver,
                           answered_on=day + timedelta(days=1), enps=s, recommend=s, quality=s,
                           driver_score=None if s is None else max(1, s // 2))
            for i, s in enumerate(scores)
        ])  # fmt: skip
        assert r.id is not None
        return r.id


def _ask(session, text: str, metric: str | None = None, now=None):  # type: ignore[no-untyped-def]
    return ask(session, text=text, metric=metric, asker=None, now=now or datetime(2026, 11, 23, 9, tzinfo=UTC),
               default_tz=PARIS, slack_admins_are_admins=True)  # fmt: skip


@pytest.fixture
def two_teams(factory, now):  # type: ignore[no-untyped-def]
    paris = make_team(factory, name="Paris", channel="C0PARIS", now=now).id
    lyon = make_team(factory, name="Lyon", channel="C0LYON", now=now).id
    for n in range(1, 9):  # Paris: 8 weekly rounds (28 Sep .. 16 Nov), 6 to 9 people answering out of 18
        add_round(factory, paris, n, [10] * (n % 4 + 3) + [2, 6, 8], invited=18)
    add_round(factory, lyon, 1, [10, 9, 9, 9, 3, 8], invited=7, day=date(2026, 11, 9))
    add_round(factory, lyon, 2, [0, 0, 0], invited=6, day=date(2026, 11, 16))  # 3 answered: under K
    add_round(
        factory, paris, 9, [0] * 6, invited=6, status="open", day=date(2026, 11, 23)
    )  # open: not counted
    return {"Paris": paris, "Lyon": lyon}


def test_participation_last_round_is_answered_of_surveyed_per_team(factory, two_teams) -> None:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        reply = _ask(session, "participation last round by team")
        rows = {r.label.split(" (")[0]: r for r in reply.answer.rows}
        assert rows["Paris"].n == 18 and rows["Paris"].value == pytest.approx(100 * 6 / 18)
        assert "6 of 18" in rows["Paris"].label
        assert rows["Lyon"].hidden and rows["Lyon"].n is None  # 3 answered, under K: not even the count
        # the total leaves Lyon's hidden round out: Paris alone, so nothing can be subtracted
        assert (reply.answer.n, reply.answer.value) == (18, pytest.approx(100 * 6 / 18))
        assert "1 round(s) left out of every figure" in reply.text
        assert "Participation 33.3%* (6 of 18 answered)" in reply.text
        assert "last round (opened" in reply.text


def test_participation_this_month_by_team_counts_the_rounds_opened_in_it(factory, two_teams) -> None:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        reply = _ask(session, "participation this month by team")
        rows = {r.label.split(" ·")[0]: r for r in reply.answer.rows}
        # Paris: rounds 6-8 opened 2, 9, 16 Nov (round 9, still open, is not counted): 8 + 9 + 6 of 3 x 18
        assert rows["Paris"].n == 3 * 18 and rows["Paris"].value == pytest.approx(100 * 23 / 54)
        assert "23 of 54" in next(r.label for r in reply.answer.rows if r.label.startswith("Paris"))
        assert rows["Lyon"].n == 7 and rows["Lyon"].value == pytest.approx(100 * 6 / 7)  # round 2 left out


def test_driver_workload_trend_8_rounds_is_one_point_per_workload_round(factory, two_teams) -> None:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        reply = _ask(session, "driver workload trend 8 rounds for Paris")
        assert reply.query.metric == "driver_workload" and reply.query.trend_unit == "round"
        points = reply.answer.points
        # Paris asked about workload in rounds 2 and 6 only: two points (no empty point before any round)
        assert len(points) == 2
        shown = [p for p in points if p.n]
        assert [p.label for p in shown] == ["round 2 (5 Oct)", "round 6 (2 Nov)"]
        assert all(p.value is not None for p in shown)
        assert reply.chart is not None and reply.chart.startswith(b"\x89PNG")
        assert "Round by round" in reply.text


def test_enps_last_round_and_the_round_before(factory, two_teams) -> None:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        reply = _ask(session, "last round", metric="enps")
        # Paris round 8 (3 tens + 2, 6, 8 -> 3 promoters, 2 detractors of 6... plus Lyon round 2 hidden)
        assert reply.answer.n == 6 and reply.answer.value == pytest.approx(100 * (3 - 2) / 6)
        assert "vs the round before" in reply.text or "Round before" in reply.text
        same = _ask(session, "/kpi enps last round".removeprefix("/kpi "))
        assert same.text == reply.text  # the slash command and `symmetry ask` print the same thing


def test_quality_trend_8_rounds_across_teams_aligns_rounds_from_the_end(factory, two_teams) -> None:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        reply = _ask(session, "quality trend 8 rounds")
        last, before = reply.answer.points[-1], reply.answer.points[-2]
        assert last.label == "last round" and last.n == 6  # Paris round 8; Lyon round 2 hidden, left out
        assert before.n == 9 + 6  # Paris round 7 and Lyon round 1


def test_french_round_questions(factory, two_teams) -> None:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        reply = _ask(session, "participation dernier tour par équipe")
        assert reply.language == "fr" and reply.query.rounds == 1
        assert "dernier tour" in reply.text and "6 sur 18 ont répondu" in reply.text
        vague = _ask(session, "enps de la dernière vague")
        assert vague.query.rounds == 1 and vague.answer.n == 6
        trend = _ask(session, "levier charge de travail tendance 8 tours")
        assert trend.query.metric == "driver_workload" and len(trend.answer.points) == 2
        assert "Tour par tour" in trend.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("participation last round", (1, None, "participation")),
        ("kpi driver workload last round", (1, None, "driver_workload")),
        ("driver workload trend 8 rounds", (8, "round", "driver_workload")),
        ("enps last 3 rounds", (3, None, "enps")),
        ("enps 3 derniers tours", (3, None, "enps")),
        ("qualité de service tendance 8 tours", (8, "round", "service_quality")),
        ("participation la dernière vague", (1, None, "participation")),
    ],
)
def test_the_parser_reads_rounds(text: str, expected: tuple) -> None:
    q = parse_kpi_query(text, metric=None, today=TODAY)
    assert (q.rounds, q.trend_unit, q.metric) == expected


def test_a_misspelt_driver_and_rounds_for_a_customer_metric_say_what_to_do() -> None:
    with pytest.raises(QueryNotUnderstood) as caught:
        parse_kpi_query("driver worklod last round", metric=None, today=TODAY)
    assert any('"driver workload"' in hint for hint in caught.value.hints)
    with pytest.raises(InvalidInput) as nps:
        parse_kpi_query("last round", metric="nps", today=TODAY)
    assert "not counted by survey round" in nps.value.message and "/kpi participation" in nps.value.message
    with pytest.raises(InvalidInput) as both:
        parse_kpi_query("enps last round last month", metric=None, today=TODAY)
    assert "Rounds name their own dates" in both.value.message
