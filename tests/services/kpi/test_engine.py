"""/nps and /csat numbers as a person reads them: exact values, periods in their timezone, privacy."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlmodel import Session

from bot.errors import NotAllowed, NotFound
from bot.services.kpi.engine import MIN_GROUP_SIZE, KpiAnswer, compute_kpi
from bot.services.kpi.periods import Period, parse_period, trend_period
from bot.services.kpi.questions import KpiQuery
from bot.services.kpi.stats import NpsCounts
from models.verbatim import Verbatim
from tests.factories import add_team, kpi_query

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 23)  # a Monday
LAST_WEEK = parse_period("last week", today=TODAY)  # Mon 16 – Sun 22 Nov 2026
NOON = datetime(2026, 11, 18, 12, tzinfo=UTC)  # Wednesday of last week


def ask(metric: str, period: Period = LAST_WEEK, **kw: object) -> KpiQuery:
    return kpi_query(metric, period, **kw)  # type: ignore[no-any-return]


IDS = itertools.count()


def add(
    session: Session, scores: list[int | None], *, at: datetime = NOON, scale: str = "nps", **cols: object
) -> None:
    session.execute(
        insert(Verbatim),
        [
            {
                "source": "t",
                "external_id": f"v{next(IDS)}",
                "received_at": at,
                "text": "",
                "score": s,
                "scale": scale,
                "imported_at": at,
                **cols,
            }
            for s in scores
        ],
    )


def team(session: Session, name: str) -> int:
    return add_team(session, name, now=NOON)


def kpi(
    session: Session, query: KpiQuery, *, tz: ZoneInfo = PARIS, team_ids: set[int] | None = None
) -> KpiAnswer:
    return compute_kpi(session, query, tz=tz, team_ids=team_ids)


def test_nps_is_promoters_minus_detractors_with_its_margin_and_sample_size(session: Session) -> None:
    add(session, [10, 9, 9, 10, 9, 7, 8, 8, 3, 6])  # 5 promoters, 3 passives, 2 detractors
    answer = kpi(session, ask("nps"))
    assert (answer.n, answer.value) == (10, pytest.approx(30.0))
    assert answer.margin == NpsCounts(5, 3, 2).margin
    assert answer.small_sample


def test_csat_is_the_share_of_4_and_5_with_the_mean(session: Session) -> None:
    add(session, [5, 4, 4, 3, 1], scale="csat")
    add(session, [5, 5], scale="stars")  # another scale: not CSAT
    add(session, [10], scale="nps")
    answer = kpi(session, ask("csat"))
    assert (answer.n, answer.value, answer.mean) == (5, pytest.approx(60.0), pytest.approx(3.4))


def test_responses_without_a_score_are_not_counted(session: Session) -> None:
    add(session, [10, None, None])
    assert kpi(session, ask("nps")).n == 1


def test_change_against_the_previous_period_of_the_same_length(session: Session) -> None:
    add(session, [10, 10, 0, 0], at=NOON - timedelta(days=7))  # the week before: 0
    add(session, [10, 10, 10, 0])  # last week: +50
    answer = kpi(session, ask("nps"))
    assert (answer.previous_period.start, answer.previous_period.end) == (
        date(2026, 11, 9),
        date(2026, 11, 15),
    )
    assert (answer.previous_n, answer.previous_value, answer.delta) == (4, 0.0, pytest.approx(50.0))


def test_a_sunday_2330_paris_response_belongs_to_that_week_in_paris_time(session: Session) -> None:
    sunday_2330_paris = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    monday_0030_paris = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # still Sunday in UTC
    add(session, [10], at=sunday_2330_paris)
    add(session, [0], at=monday_0030_paris)
    in_paris = kpi(session, ask("nps"), tz=PARIS)
    in_utc = kpi(session, ask("nps"), tz=ZoneInfo("UTC"))
    assert (in_paris.n, in_paris.value) == (1, 100.0)
    assert (in_utc.n, in_utc.value) == (2, 0.0)


def test_weeks_of_a_breakdown_are_cut_at_local_midnight(session: Session) -> None:
    add(session, [10] * 10, at=datetime(2026, 11, 15, 22, 30, tzinfo=UTC))  # Sun 15 Nov 23:30 Paris
    add(session, [0] * 10, at=datetime(2026, 11, 15, 23, 30, tzinfo=UTC))  # Mon 16 Nov 00:30 Paris
    period = parse_period("2026-11-09..2026-11-22", today=TODAY)
    answer = kpi(session, ask("nps", period, breakdown="week"))
    assert [(r.label, r.n, r.value) for r in answer.rows] == [
        ("9–15 Nov 2026", 10, 100.0),
        ("16–22 Nov 2026", 10, -100.0),
    ]


def test_breakdown_rows_are_sorted_by_value_and_small_groups_show_no_number(session: Session) -> None:
    add(session, [10] * 8 + [0] * 4, channel="Phone")
    add(session, [10] * 12, channel="Chat")
    add(session, [0, 0, 10], channel="Store")
    add(session, [0] * 6 + [10] * 6, channel="Email")
    add(session, [8] * 6, channel="email")  # same channel, other spelling
    rows = kpi(session, ask("nps", breakdown="channel")).rows
    assert [(r.label, r.n) for r in rows] == [("Chat", 12), ("Phone", 12), ("Email", 18), ("Store", 3)]
    assert [r.value for r in rows[:3]] == [100.0, pytest.approx(100 * 4 / 12), 0.0]
    assert rows[-1].too_small and rows[-1].value is None and rows[-1].margin is None
    assert MIN_GROUP_SIZE > 3


def test_filters_match_whatever_the_case_accents_included(session: Session) -> None:
    add(session, [10], channel="Téléphone", reason="Délai", agent="Zoé")
    add(session, [0], channel="TÉLÉPHONE", reason="délai", agent="ZOÉ")
    add(session, [5], channel="Chat")
    answer = kpi(session, ask("nps", channel="téléphone", reason="DÉLAI", agent="zoé"))
    assert (answer.n, answer.value) == (2, 0.0)
    assert "channel téléphone" in answer.scope


def test_by_team_names_the_teams_and_respects_what_the_asker_may_see(session: Session) -> None:
    paris, lyon = team(session, "Paris"), team(session, "Lyon")
    add(session, [10] * 10, team_id=paris)
    add(session, [0] * 10, team_id=lyon)
    admin = kpi(session, ask("nps", breakdown="team"))
    assert [(r.label, r.value) for r in admin.rows] == [("Paris", 100.0), ("Lyon", -100.0)]
    agent = kpi(session, ask("nps", breakdown="team"), team_ids={lyon})
    assert [r.label for r in agent.rows] == ["Lyon"] and agent.value == -100.0
    assert agent.scope == ("team Lyon",)


def test_a_team_the_asker_may_not_see_is_refused_politely_without_the_number(session: Session) -> None:
    paris, lyon = team(session, "Paris"), team(session, "Lyon")
    add(session, [10] * 10, team_id=paris)
    with pytest.raises(NotAllowed) as refused:
        kpi(session, ask("nps", team="paris"), team_ids={lyon})
    assert "Paris" in refused.value.message and "100" not in refused.value.message
    with pytest.raises(NotAllowed):
        kpi(session, ask("nps"), team_ids=set())  # in no team: nothing to show


def test_an_unknown_team_gets_a_did_you_mean(session: Session) -> None:
    team(session, "Support FR")
    with pytest.raises(NotFound) as missing:
        kpi(session, ask("nps", team="suport fr"))
    assert "Support FR" in " ".join(missing.value.hints)


def test_team_names_are_matched_whatever_the_case(session: Session) -> None:
    paris = team(session, "Paris")
    add(session, [10] * 3, team_id=paris)
    add(session, [0] * 3)
    answer = kpi(session, ask("nps", team="PARIS"))
    assert (answer.n, answer.scope) == (3, ("team Paris",))


def test_a_trend_has_one_point_per_week_and_hides_tiny_weeks(session: Session) -> None:
    period = trend_period(4, "week", today=TODAY)  # 2 Nov .. 23 Nov (so far)
    add(session, [10] * 12, at=datetime(2026, 11, 3, 12, tzinfo=UTC))
    add(session, [0] * 12, at=datetime(2026, 11, 17, 12, tzinfo=UTC))
    add(session, [10] * 2, at=datetime(2026, 11, 23, 8, tzinfo=UTC))
    answer = kpi(session, ask("nps", period, trend=4, trend_unit="week"))
    assert [(p.start, p.n, p.value) for p in answer.points] == [
        (date(2026, 11, 2), 12, 100.0),
        (date(2026, 11, 9), 0, None),
        (date(2026, 11, 16), 12, -100.0),
        (date(2026, 11, 23), 2, None),
    ]
    assert answer.n == 26 and answer.points[-1].too_small


def test_by_month_follows_calendar_months_in_the_asker_timezone(session: Session) -> None:
    add(session, [10] * 10, at=datetime(2026, 9, 30, 22, 30, tzinfo=UTC))  # 1 Oct 00:30 in Paris
    period = parse_period("2026-09-01..2026-10-31", today=TODAY)
    rows = kpi(session, ask("nps", period, breakdown="month")).rows
    assert [(r.label, r.n) for r in rows] == [("Sep 2026", 0), ("Oct 2026", 10)]


def test_no_responses_is_an_answer_not_an_error(session: Session) -> None:
    answer = kpi(session, ask("csat"))
    assert (answer.n, answer.value, answer.margin, answer.delta) == (0, None, None, None)


def test_hourly_tallies_stay_exact_through_updates_and_deletes(session: Session) -> None:
    paris, lyon = team(session, "Paris"), team(session, "Lyon")
    add(session, [10, 10, 3], team_id=paris)
    add(session, [10], at=NOON + timedelta(minutes=30), team_id=lyon)
    v = Verbatim.__table__.c  # type: ignore[attr-defined]
    session.execute(update(Verbatim).where(v.score == 3).values(score=9, team_id=lyon))  # a corrected answer
    session.execute(update(Verbatim).values(status="treated"))  # claiming/treating changes no number
    first_paris = session.execute(select(func.min(v.id)).where(v.team_id == paris)).scalar()
    session.execute(delete(Verbatim).where(v.id == first_paris))  # one of the two 10s
    session.execute(update(Verbatim).where(v.team_id == lyon).values(received_at=NOON - timedelta(days=7)))
    assert (kpi(session, ask("nps")).n, kpi(session, ask("nps", team="Paris")).value) == (1, 100.0)
    previous = kpi(session, ask("nps", team="Lyon"))
    assert (previous.n, previous.previous_n, previous.previous_value) == (0, 2, 100.0)
    session.execute(delete(Verbatim))
    assert kpi(session, ask("nps", period=parse_period("2026-11-01..2026-11-22", today=TODAY))).n == 0


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_responses_stored_before_the_upgrade_are_counted(backend: str, tmp_path, request) -> None:  # type: ignore[no-untyped-def]
    from bot.db import make_engine, upgrade

    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    else:  # a fresh schema next to the shared test one
        shared = request.getfixturevalue("postgres_engine")
        schema = f"kpi_upgrade_{uuid.uuid4().hex[:8]}"
        with shared.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        request.addfinalizer(lambda: _drop_schema(shared, schema))
        engine = make_engine(shared.url.render_as_string(hide_password=False), schema=schema)
    upgrade(engine, "0001")
    with engine.begin() as conn:  # the columns of that release only: later ones did not exist yet
        for n, score in enumerate([10, 10, 0, None]):
            conn.execute(
                text(
                    "INSERT INTO verbatim (source, external_id, received_at, text, score, scale, language, "
                    "sentiment_label, reasons, risks, priority, priority_why, status, imported_at) VALUES "
                    "('t', :id, :at, '', :score, 'nps', 'und', 'unknown', '', '', 0, '', 'open', :at)"
                ),
                {"id": f"old{n}", "score": score, "at": datetime(2026, 11, 17, 8, 15, tzinfo=UTC)},
            )
    upgrade(engine)
    with Session(engine) as s:
        answer = kpi(s, ask("nps"))
    engine.dispose()
    assert (answer.n, answer.value) == (3, pytest.approx(100 / 3))


def _drop_schema(engine, schema: str) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
