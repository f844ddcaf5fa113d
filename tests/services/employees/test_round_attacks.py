"""Attacks on survey figures asked by round (K = 5): subtracting teams, rounds, periods and questions.

Beside test_attacks.py (weeks): each test plays the attacker with what `/kpi` shows (n, and the value
times n) and asserts that what is left after subtracting is empty or about K people or more.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.db import session_scope
from bot.services.employees.anonymity import set_anonymity_threshold
from tests.factories import make_team
from tests.services.employees.test_round_questions import _ask, add_round

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def teams(factory, now):  # type: ignore[no-untyped-def]
    return {
        n: make_team(factory, name=n, channel=f"C0{n.upper()}", now=now).id
        for n in ("Alpha", "Beta", "Gamma")
    }


def _sum(answer) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(n, promoters - detractors) of an eNPS answer: what an attacker can read back from n and the value."""
    return (answer.n or 0, round((answer.value or 0) * (answer.n or 0) / 100))


def test_the_company_minus_the_teams_shown_leaves_nothing_of_a_small_team(factory, teams) -> None:  # type: ignore[no-untyped-def]
    add_round(factory, teams["Alpha"], 1, [10] * 6, invited=9, day=date(2026, 11, 16))
    add_round(factory, teams["Gamma"], 1, [9, 9, 3, 3, 3, 8, 7], invited=12, day=date(2026, 11, 16))
    add_round(factory, teams["Beta"], 1, [0, 0, 10], invited=4, day=date(2026, 11, 16))  # 3 people
    with session_scope(factory) as session:
        for metric in ("enps", "participation"):
            company = _ask(session, "last round", metric=metric)
            by_team = _ask(session, "last round by team", metric=metric)
            shown = [r for r in by_team.answer.rows if not r.hidden]
            assert {r.label.split(" (")[0] for r in shown} == {"Alpha", "Gamma"}
            beta = next(r for r in by_team.answer.rows if r.label.startswith("Beta"))
            assert beta.hidden and beta.n is None and beta.value is None
            assert company.answer.n == sum(r.n or 0 for r in shown)  # nothing left to attribute to Beta
        participation = _ask(session, "last round", metric="participation")
        assert participation.answer.counts.satisfied == 6 + 7  # Beta's 3 answers are in no total


def test_a_longer_run_of_rounds_minus_a_shorter_one_is_a_whole_round(factory, teams) -> None:  # type: ignore[no-untyped-def]
    alpha = teams["Alpha"]
    add_round(factory, alpha, 1, [10] * 6, invited=8, day=date(2026, 11, 2))
    add_round(factory, alpha, 2, [0, 0], invited=8, day=date(2026, 11, 9))  # 2 people: hidden
    add_round(factory, alpha, 3, [9, 9, 9, 1, 1], invited=8, day=date(2026, 11, 16))
    with session_scope(factory) as session:
        one, two, three = (
            _ask(session, f"enps last {n} rounds" if n > 1 else "enps last round") for n in (1, 2, 3)
        )
        month = _ask(session, "enps this month")
        trend = _ask(session, "enps trend 3 rounds")
    figures = [_sum(a.answer) for a in (one, two, three, month)]
    assert figures[0] == figures[1] == (5, 1)  # round 2 is in neither: "last 2" minus "last 1" is empty
    assert figures[2] == figures[3] == (11, 7)  # rounds 1 and 3 whole; round 2 left out of every total
    for a in figures:
        for b in figures:
            assert (a[0] - b[0]) in (0, 5, 6, 11, -5, -6, -11)  # only whole rounds of 5 or more people
    assert [p.hidden for p in trend.answer.points] == [False, True, False]


def test_a_period_minus_the_last_round_never_splits_a_round(factory, teams) -> None:  # type: ignore[no-untyped-def]
    """A round opened on a Friday stays open into the next week: a period counts the rounds that opened in
    it, whole, so no pair of periods (or a period and a round) can cut a round in two."""
    alpha = teams["Alpha"]
    add_round(factory, alpha, 1, [10, 10, 10, 0, 0, 0], invited=6, day=date(2026, 11, 13))  # Friday
    with session_scope(factory) as session:
        week_of_friday = _ask(session, "enps 2026-11-09..2026-11-15")
        week_after = _ask(session, "enps 2026-11-16..2026-11-22")
        last_round = _ask(session, "enps last round")
    assert _sum(week_of_friday.answer) == _sum(last_round.answer) == (6, 0)
    assert week_after.answer.n == 0


def test_participation_below_k_shows_neither_answered_nor_surveyed(factory, teams) -> None:  # type: ignore[no-untyped-def]
    add_round(factory, teams["Beta"], 1, [8, 9, 10, 7], invited=11, day=date(2026, 11, 16))
    with session_scope(factory) as session:
        reply = _ask(session, "participation last round for Beta")
    assert reply.answer.hidden and reply.answer.n is None
    assert "11" not in reply.text.split("Dates in")[0].replace("2026", "") and " 4 " not in reply.text
    assert "fewer than 5 answers: hidden" in reply.text


def test_an_open_round_moves_no_figure_while_people_answer(factory, teams) -> None:  # type: ignore[no-untyped-def]
    alpha = teams["Alpha"]
    add_round(factory, alpha, 1, [10] * 6, invited=8, day=date(2026, 11, 9))
    add_round(factory, alpha, 2, [0] * 7, invited=8, day=date(2026, 11, 23), status="open")
    with session_scope(factory) as session:
        for text in ("enps last round", "enps this month", "participation this month", "enps trend 8 rounds"):
            reply = _ask(session, text)
            assert reply.answer.n in (6, 8), text  # round 1 only: the open round's answers are nowhere


def test_raising_k_hides_past_rounds_and_lowering_it_never_shows_one(factory, teams) -> None:  # type: ignore[no-untyped-def]
    alpha = teams["Alpha"]
    add_round(factory, alpha, 1, [10] * 6, invited=8, day=date(2026, 11, 16))
    with session_scope(factory) as session:
        set_anonymity_threshold(session, 7)
    with session_scope(factory) as session:
        assert _ask(session, "enps last round").answer.hidden  # 6 people, K now 7
        set_anonymity_threshold(session, 3)
    add_round(factory, alpha, 2, [10, 10, 10, 10], invited=8, day=date(2026, 11, 23))  # locked at 5 (default)
    with session_scope(factory) as session:
        assert _ask(session, "enps last round").answer.hidden  # 4 people: under the K it was answered under
        assert _ask(session, "enps last 2 rounds").answer.n == 6
