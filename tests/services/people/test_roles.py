"""Who sees what: roles and teams kept in the store, Slack admins, the `symmetry people` commands."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import roles as people
from models.team import Team

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def make_teams(session: Session, *names: str, tz: str = "UTC") -> list[int]:
    rows = [Team(name=n, timezone=tz, created_at=NOW) for n in names]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]  # type: ignore[misc]


def sync(
    session: Session, user: str, *, admin: bool = False, owner: bool = False, tz: str | None = "Europe/Paris"
):  # type: ignore[no-untyped-def]
    return people.ensure_person(
        session, user, name=user.lower(), tz=tz, is_admin=admin, is_owner=owner, now=NOW
    )


def test_an_agent_sees_their_own_team_only(session: Session) -> None:
    paris, _lyon = make_teams(session, "Paris", "Lyon")
    sync(session, "UAGENT")
    people.assign_team(session, "UAGENT", team="paris", now=NOW)
    assert people.visible_team_ids(session, "UAGENT", slack_admins_are_admins=True) == {paris}


def test_a_manager_sees_their_team_and_the_teams_they_manage(session: Session) -> None:
    paris, lyon, nice = make_teams(session, "Paris", "Lyon", "Nice")
    people.assign_team(session, "UBOSS", team="Paris", now=NOW)
    people.manage_team(session, "UBOSS", team="Lyon", now=NOW)
    people.manage_team(session, "UBOSS", team="Lyon", now=NOW)  # twice is fine
    assert people.visible_team_ids(session, "UBOSS", slack_admins_are_admins=True) == {paris, lyon}
    assert people.find_person(session, "UBOSS").role == "manager"  # type: ignore[union-attr]
    assert nice not in people.visible_team_ids(session, "UBOSS", slack_admins_are_admins=True)  # type: ignore[operator]


def test_revoking_manager_takes_the_managed_teams_away(session: Session) -> None:
    paris, _lyon = make_teams(session, "Paris", "Lyon")
    people.assign_team(session, "UBOSS", team="Paris", now=NOW)
    people.manage_team(session, "UBOSS", team="Lyon", now=NOW)
    people.revoke_role(session, "UBOSS", role="manager", now=NOW)
    assert people.visible_team_ids(session, "UBOSS", slack_admins_are_admins=True) == {paris}
    people.grant_role(session, "UBOSS", role="manager", now=NOW)
    assert people.visible_team_ids(session, "UBOSS", slack_admins_are_admins=True) == {
        paris
    }  # the old links do not come back


def test_admins_see_everything_and_slack_admins_are_admins_unless_configured_otherwise(
    session: Session,
) -> None:
    (paris,) = make_teams(session, "Paris")
    people.grant_role(session, "UADMIN", role="ADMIN", now=NOW)
    sync(session, "UOWNER", owner=True)
    people.assign_team(session, "UOWNER", team="Paris", now=NOW)
    assert people.visible_team_ids(session, "UADMIN", slack_admins_are_admins=True) is None
    assert people.visible_team_ids(session, "UOWNER", slack_admins_are_admins=True) is None
    assert people.visible_team_ids(session, "UOWNER", slack_admins_are_admins=False) == {paris}


def test_a_sync_from_slack_never_overwrites_a_granted_role(session: Session) -> None:
    people.grant_role(session, "UX", role="manager", now=NOW)
    person = sync(session, "UX", tz="America/New_York")
    assert (person.role, person.name, person.timezone) == ("manager", "ux", "America/New_York")
    sync(session, "UX", admin=True)
    sync(session, "UX", admin=False)  # no longer a Slack admin: back to what was granted
    assert people.visible_team_ids(session, "UX", slack_admins_are_admins=True) == set()


def test_unknown_people_see_nothing(session: Session) -> None:
    make_teams(session, "Paris")
    assert people.visible_team_ids(session, "UNOBODY", slack_admins_are_admins=True) == set()


def test_only_admins_may_manage_people_from_slack(session: Session) -> None:
    sync(session, "UAGENT")
    sync(session, "UOWNER", owner=True)
    people.require_admin(session, "UOWNER", slack_admins_are_admins=True)
    with pytest.raises(NotAllowed):
        people.require_admin(session, "UAGENT", slack_admins_are_admins=True)


def test_bad_roles_and_teams_are_explained(session: Session) -> None:
    make_teams(session, "Support FR")
    with pytest.raises(InvalidInput, match="roles are agent, manager, admin"):
        people.grant_role(session, "UX", role="boss", now=NOW)
    with pytest.raises(NotFound) as missing:
        people.assign_team(session, "UX", team="suport fr", now=NOW)
    assert missing.value.hints == ["Did you mean 'Support FR'?"]
    with pytest.raises(InvalidInput, match="not a manager"):
        people.revoke_role(session, "UX", role="manager", now=NOW)


def test_timezone_is_the_askers_else_their_teams_else_the_default(session: Session) -> None:
    make_teams(session, "Pune", tz="Asia/Kolkata")
    default = ZoneInfo("UTC")
    sync(session, "UWITH", tz="America/Chicago")
    people.assign_team(session, "UWITH", team="Pune", now=NOW)
    sync(session, "UNONE", tz=None)
    people.assign_team(session, "UNONE", team="Pune", now=NOW)
    assert people.timezone_for(session, "UWITH", default=default).key == "America/Chicago"
    assert people.timezone_for(session, "UNONE", default=default).key == "Asia/Kolkata"
    assert people.timezone_for(session, "UNKNOWN", default=default) is default


def test_people_commands_in_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli.people import people_app
    from bot.db import make_engine, session_factory, session_scope, upgrade

    url = f"sqlite:///{tmp_path / 'people.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(session_factory(engine)) as session:
        make_teams(session, "Paris", "Lyon")
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(people_app, list(args))

    assert "sees Paris" in run("assign", "U1", "Paris").output
    assert "is manager; sees Lyon, Paris" in run("manage", "U1", "lyon").output
    listed = run("list").output
    assert "U1" in listed and "manager" in listed and "manages Lyon" in listed
    wrong = run("grant", "U1", "boss")
    assert wrong.exit_code == 1 and "unknown role 'boss'" in wrong.output
    unknown = run("assign", "U1", "Pariss")
    assert unknown.exit_code == 1 and "Did you mean 'Paris'" in unknown.output
    assert "sees every team" in run("grant", "U2", "admin").output
