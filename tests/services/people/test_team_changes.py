"""Teams renamed, removed, merged; names matched whatever the case, close names suggested."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.errors import InvalidInput, NotFound
from bot.services.people.roles import assign_team, manage_team
from bot.services.people.team_changes import merge_teams, remove_person, remove_team, rename_team
from bot.services.people.teams import find_team, get_team, save_team
from models import Person, Team, TeamManager, Verbatim
from tests.factories import add_verbatims, record


def _tally_by_team(session) -> dict[int, int]:  # type: ignore[no-untyped-def]
    rows = session.exec(text("SELECT team_key, sum(n) FROM kpi_hour GROUP BY team_key HAVING sum(n) <> 0"))
    return {k: int(n) for k, n in rows}


def test_close_names_are_suggested_and_case_does_not_matter(session, now) -> None:  # type: ignore[no-untyped-def]
    save_team(session, name="Jackson Park", now=now)
    with pytest.raises(InvalidInput, match="did you mean 'Jackson Park'.*--new"):
        save_team(session, name="Jakson Park", now=now)
    with pytest.raises(NotFound, match="did you mean 'Jackson Park'"):
        get_team(session, "Jakson Park")
    assert save_team(session, name="jackson  park", now=now, channel_id="C0JP").name == "Jackson Park"
    assert save_team(session, name="Jakson Park", now=now, new=True).name == "Jakson Park"
    assert len(session.exec(select(Team)).all()) == 2


def test_imported_team_names_match_existing_teams_whatever_the_case(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    add_verbatims(factory, [record(1, now=now, team="Care"), record(2, now=now, team="CARE ")], now=now)
    assert [t.name for t in session.exec(select(Team))] == ["Care"]


def test_merge_moves_verbatims_people_managers_and_tallies(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    add_verbatims(
        factory,
        [record(i, now=now, team="Care" if i % 2 else "Care Paris", hours_ago=i) for i in range(1, 9)],
        now=now,
    )
    assign_team(session, "U1", team="Care Paris", now=now)
    manage_team(session, "U2", team="Care Paris", now=now)
    manage_team(session, "U2", team="Care", now=now)
    session.commit()
    care, paris = find_team(session, "Care"), find_team(session, "Care Paris")
    assert _tally_by_team(session) == {care.id: 4, paris.id: 4}
    moved = merge_teams(session, name="care paris", into="Care")
    session.commit()
    assert moved["verbatim"] == 4 and moved["person"] == 1
    assert find_team(session, "Care Paris") is None
    assert _tally_by_team(session) == {care.id: 8}
    assert {v.team_id for v in session.exec(select(Verbatim))} == {care.id}
    assert session.exec(select(Person).where(Person.slack_user_id == "U1")).one().team_id == care.id
    assert [m.team_id for m in session.exec(select(TeamManager))] == [care.id]


def test_rename_and_remove(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    add_verbatims(factory, [record(1, now=now, team="Care")], now=now)
    save_team(session, name="Sales", now=now)
    with pytest.raises(InvalidInput, match="merge"):
        rename_team(session, name="Care", new_name="sales")
    assert rename_team(session, name="care", new_name="Customer Care").name == "Customer Care"
    remove_team(session, name="Sales")
    with pytest.raises(InvalidInput, match="1 verbatims.*--detach"):
        remove_team(session, name="Customer Care")
    remove_team(session, name="Customer Care", detach=True)
    session.commit()
    assert session.exec(select(Team)).all() == [] and session.exec(select(Verbatim.team_id)).one() is None
    assert _tally_by_team(session) == {0: 1}


def test_people_remove(session, now) -> None:  # type: ignore[no-untyped-def]
    save_team(session, name="Care", now=now)
    manage_team(session, "U9", team="Care", now=now - timedelta(days=1))
    remove_person(session, slack_user_id="U9")
    session.commit()
    assert session.exec(select(Person)).all() == [] and session.exec(select(TeamManager)).all() == []
    with pytest.raises(NotFound):
        remove_person(session, slack_user_id="U9")
