"""A new source is a declaration, not a second engine: a toy 1-5 mood table, declared in a few lines,
answers "/kpi mood last week by team" through the same parser, engine and text as /nps, and the
minimum group size hides small groups (no number, not even n) whatever asks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from sqlmodel import Session

from bot import scales
from bot.errors import InvalidInput
from bot.services.kpi.ask import ask
from bot.services.kpi.metrics import Dim, Headline, Metric, get_metric, registered
from bot.services.kpi.questions import QueryNotUnderstood
from models.types import UTCDateTime
from tests.factories import add_team

NOW = datetime(2026, 11, 23, 13, tzinfo=UTC)  # Monday; "last week" (16-22 Nov) is over everywhere
LAST_WEEK = datetime(2026, 11, 18, 12, tzinfo=UTC)
FLOOR = {"people": 5}  # what a setting would hold

MOOD_TABLE = Table(
    "toy_mood",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("answered_at", UTCDateTime(), nullable=False),
    Column("score", Integer),
    Column("person", String(20), nullable=False),
    Column("team_id", Integer),
)
MOOD = Metric(
    key="mood",
    label="Mood",
    words=("humeur", "team mood"),
    table=MOOD_TABLE,
    time_column="answered_at",
    score_column="score",
    scale=scales.PULSE,
    headline=Headline.MEAN,
    dimensions={"team": Dim("team_id", team=True)},
    person_column="person",
    min_group=lambda: FLOOR["people"],
)


@pytest.fixture
def mood(session: Session) -> Iterator[Session]:
    MOOD_TABLE.create(session.connection())
    with registered(MOOD):
        yield session
    session.rollback()
    MOOD_TABLE.drop(session.connection(), checkfirst=True)
    session.commit()


def team(session: Session, name: str) -> int:
    return add_team(session, name, now=NOW)


def answers(session: Session, team_id: int, people: int, scores: list[int], *, tag: str) -> None:
    """Each of `people` people answers every score of `scores` once."""
    rows = [
        {"answered_at": LAST_WEEK, "score": s, "person": f"{tag}{p}", "team_id": team_id}
        for p in range(people)
        for s in scores
    ]
    session.execute(insert(MOOD_TABLE), rows)


def question(session: Session, text: str):  # type: ignore[no-untyped-def]
    return ask(
        session,
        text=text,
        metric=None,
        asker=None,
        now=NOW,
        default_tz=ZoneInfo("UTC"),
        slack_admins_are_admins=False,
        with_chart=False,
    )


def test_a_declared_metric_is_asked_by_team_and_small_groups_are_hidden(mood: Session) -> None:
    paris, lyon, pune = team(mood, "Paris"), team(mood, "Lyon"), team(mood, "Pune")
    answers(mood, paris, 6, [5, 4], tag="p")  # 6 people, 12 answers: mean 4.5
    answers(mood, lyon, 3, [1, 2, 3, 4], tag="l")  # 3 people, 12 answers
    answers(mood, pune, 2, [5] * 6, tag="u")  # 2 people, 12 answers
    reply = question(mood, "mood last week by team")
    answer = reply.answer
    assert answer.metric is get_metric("mood") and answer.min_people == 5
    # a metric about people goes through the anonymity rules: small teams are left out of the total too
    assert (answer.n, answer.value) == (12, 4.5)
    rows = {r.label.split(" (")[0]: r for r in answer.rows}
    assert (rows["Paris"].n, rows["Paris"].value, rows["Paris"].hidden) == (12, 4.5, False)
    for small in ("Lyon", "Pune"):  # 12 answers each, but from 3 and 2 people
        assert (rows[small].n, rows[small].value, rows[small].margin, rows[small].hidden) == (
            None,
            None,
            None,
            True,
        )
    assert rows["Lyon"].label == "Lyon (2 more people needed)"
    table = reply.text[reply.text.index("```") :]
    assert "Paris" in table and "4.50/5" in table
    lyon_line = next(line for line in table.splitlines() if line.startswith("Lyon"))
    assert lyon_line.split()[-1] == "hidden" and "12" not in lyon_line  # no n either
    assert "left out of every figure" in reply.text


def test_a_small_group_is_left_out_of_the_total_so_nothing_can_be_subtracted(mood: Session) -> None:
    paris, lyon, nantes = team(mood, "Paris"), team(mood, "Lyon"), team(mood, "Nantes")
    answers(mood, paris, 6, [4], tag="p")
    answers(mood, lyon, 3, [1], tag="l")
    answers(mood, nantes, 12, [5], tag="n")
    answer = question(mood, "humeur la semaine dernière par équipe").answer
    rows = {r.label.split(" (")[0]: r for r in answer.rows}
    assert (rows["Lyon"].hidden, rows["Paris"].hidden, rows["Nantes"].hidden) == (True, False, False)
    assert answer.n - rows["Paris"].n - rows["Nantes"].n == 0  # total minus the shown rows: nothing
    assert rows["Nantes"].value == 5.0


def test_a_headline_on_too_few_people_is_hidden_even_its_n(mood: Session) -> None:
    from bot.services.employees.anonymity import set_anonymity_threshold

    lyon = team(mood, "Lyon")
    answers(mood, lyon, 3, [2, 2, 2, 2, 2], tag="l")
    reply = question(mood, "mood last week team Lyon")
    assert reply.answer.hidden and (reply.answer.n, reply.answer.value, reply.answer.margin) == (
        None,
        None,
        None,
    )
    assert reply.text.splitlines()[0].startswith(
        "*Mood: fewer than 5 answers: hidden to protect anonymity* · last week (Mon 16 Nov – Sun 22 Nov 2026)"
        " · team Lyon"
    )
    assert "15 answers" not in reply.text and "2.00" not in reply.text
    set_anonymity_threshold(mood, 3)  # the setting is read when asked, not when declared
    shown = question(mood, "mood last week team Lyon").answer
    assert (shown.hidden, shown.n, shown.value) == (False, 15, 2.0)


def test_a_small_week_pools_with_the_next_and_neither_is_shown_alone(mood: Session) -> None:
    paris = team(mood, "Paris")
    answers(mood, paris, 6, [3], tag="p")  # last week: 6 people
    mood.execute(
        insert(MOOD_TABLE),
        [{"answered_at": datetime(2026, 11, 11, 12, tzinfo=UTC), "score": 1, "person": "x", "team_id": paris}]
        * 12,
    )  # the week before: 12 answers from one person
    answer = question(mood, "mood trend 4 weeks").answer
    points = {p.start.day: p for p in answer.points}
    assert points[9].hidden and points[9].n is None
    # week 9 (one person) pools with week 16 (6 more): shown together over both weeks, never apart
    assert points[16].hidden and (answer.n, answer.value) == (18, pytest.approx((12 + 18) / 18))


def test_the_parser_knows_registered_metrics_and_offers_them(mood: Session) -> None:
    with pytest.raises(QueryNotUnderstood) as which:
        question(mood, "last week")
    assert which.value.message.startswith(
        "Which metric: NPS or CSAT or Rating or Pulse or Best-failure stories or Suggestions or eNPS or "
        "Service quality (employees) or Predicted NPS or Driver score or Participation or Mood?"
    )
    with pytest.raises(QueryNotUnderstood) as typo:
        question(mood, "moood last week")
    assert 'Did you mean "mood"?' in typo.value.hints


def test_a_dimension_the_metric_lacks_is_refused_by_name(mood: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        question(mood, "mood last week by channel")
    assert refused.value.message == "Mood has no channel."


def test_the_customer_metrics_are_declarations_too() -> None:
    nps, csat = get_metric("nps"), get_metric("csat")
    assert (nps.scale, nps.headline, nps.group_floor(), nps.person_column) == (
        scales.NPS,
        Headline.NPS,
        0,
        None,
    )
    assert (csat.scale, csat.headline, csat.tally and csat.tally.key) == (
        scales.CSAT,
        Headline.TOP_BOX,
        "csat",
    )


def test_a_declaration_that_cannot_be_answered_exactly_fails_when_declared() -> None:
    with pytest.raises(ValueError, match="not in table toy_mood"):
        Metric(key="x", label="X", words=(), table=MOOD_TABLE, time_column="at", score_column="score",
               scale=scales.PULSE, headline=Headline.MEAN, dimensions={})  # fmt: skip
    with pytest.raises(ValueError, match="a count metric has no score column"):
        Metric(key="x", label="X", words=(), table=MOOD_TABLE, time_column="answered_at", score_column="score",
               scale=None, headline=Headline.COUNT, dimensions={})  # fmt: skip
