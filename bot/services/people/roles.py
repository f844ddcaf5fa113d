"""Who may see what: roles, team membership, managed teams, and the sync from Slack's users.info.

An agent sees their own team, a manager their own team and the teams they manage, an admin
everything. Slack workspace admins and owners count as admins unless `slack_admins_are_admins` is
off: that is decided when asked, so losing the Slack flag (or turning the setting off) takes effect
at once, and an explicit grant is never overwritten by a sync.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.errors import InvalidInput, NotAllowed, NotFound
from models.person import Person, Role, TeamManager
from models.team import Team

ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True, slots=True)
class PersonView:
    slack_user_id: str
    name: str
    role: str  # the effective role
    granted_role: str  # what was granted in the store
    is_slack_admin: bool
    team: str | None
    manages: tuple[str, ...]
    timezone: str | None


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown role {value!r}: roles are {', '.join(ROLES)}") from None


def find_person(session: Session, slack_user_id: str) -> Person | None:
    return session.exec(select(Person).where(Person.slack_user_id == slack_user_id)).first()


def effective_role(person: Person | None, *, slack_admins_are_admins: bool) -> Role:
    if person is None:
        return Role.AGENT
    if person.role == Role.ADMIN or (slack_admins_are_admins and person.is_slack_admin):
        return Role.ADMIN
    return Role(person.role)


def visible_team_ids(
    session: Session, slack_user_id: str, *, slack_admins_are_admins: bool
) -> set[int] | None:
    """The teams this person may see; None means every team (admins). Unknown people see nothing."""
    person = find_person(session, slack_user_id)
    if person is None:
        return set()
    role = effective_role(person, slack_admins_are_admins=slack_admins_are_admins)
    if role is Role.ADMIN:
        return None
    teams = {person.team_id} if person.team_id is not None else set()
    if role is Role.MANAGER:
        teams |= set(session.exec(select(TeamManager.team_id).where(TeamManager.person_id == person.id)))
    return teams


def not_allowed(team_name: str) -> NotAllowed:
    return NotAllowed(
        f"Sorry, I can't share the numbers of {team_name} with you: agents see their own team, "
        "managers the teams they manage.",
        hints=["If you need them, ask an admin to add you as a manager of that team."],
    )


def require_admin(session: Session, slack_user_id: str, *, slack_admins_are_admins: bool) -> None:
    """For people management from Slack: only admins may change roles and teams."""
    role = effective_role(
        find_person(session, slack_user_id), slack_admins_are_admins=slack_admins_are_admins
    )
    if role is not Role.ADMIN:
        raise NotAllowed("Only admins can change roles and teams.")


def resolve_team(names: Mapping[int, str], name: str, *, visible: set[int] | None = None) -> int:
    """Team name (any case) -> id. Unknown: NotFound with a did-you-mean among the visible teams;
    known but not visible: the polite refusal."""
    wanted = name.strip().casefold()
    for team_id, team_name in names.items():
        if team_name.casefold() == wanted:
            if visible is not None and team_id not in visible:
                raise not_allowed(team_name)
            return team_id
    offered = {n.casefold(): n for i, n in names.items() if visible is None or i in visible}
    close = difflib.get_close_matches(wanted, list(offered), n=3, cutoff=0.6)
    hints = [f"Did you mean {' or '.join(repr(offered[c]) for c in close)}?"] if close else []
    if not close and offered:
        hints = [f"Teams: {', '.join(sorted(offered.values()))}"]
    raise NotFound(f"I don't know a team called {name.strip()!r}.", hints=hints)


def team_names(session: Session) -> dict[int, str]:
    return {team_id: name for team_id, name in session.exec(select(Team.id, Team.name))}  # type: ignore[misc]


def timezone_for(session: Session, slack_user_id: str, *, default: ZoneInfo) -> ZoneInfo:
    """The asker's timezone (from Slack), else their team's, else `default`."""
    person = find_person(session, slack_user_id)
    names = [person.timezone] if person else []
    if person is not None and person.team_id is not None:
        team = session.get(Team, person.team_id)
        names.append(team.timezone if team else None)
    for name in names:
        zone = _zone(name)
        if zone is not None:
            return zone
    return default


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def ensure_person(
    session: Session,
    slack_user_id: str,
    *,
    name: str,
    tz: str | None,
    is_admin: bool,
    is_owner: bool,
    now: datetime,
    locale: str | None = None,
) -> Person:
    """Create or refresh a person from Slack's users.info. Never changes a granted role."""
    person = find_person(session, slack_user_id) or _insert(session, slack_user_id, now=now)
    person.name = name or person.name or slack_user_id
    person.timezone = tz if _zone(tz) is not None else person.timezone
    person.is_slack_admin = bool(is_admin or is_owner)
    person.locale = locale[:16] if locale else person.locale
    person.updated_at = now
    session.add(person)
    session.flush()
    return person


def _insert(session: Session, slack_user_id: str, *, now: datetime) -> Person:
    """A new person, safe against two first messages arriving at once."""
    person = Person(slack_user_id=slack_user_id, name=slack_user_id, created_at=now, updated_at=now)
    try:
        with session.begin_nested():
            session.add(person)
    except IntegrityError:
        existing = find_person(session, slack_user_id)
        if existing is None:
            raise
        return existing
    return person


def _person(session: Session, slack_user_id: str, *, now: datetime) -> Person:
    slack_user_id = slack_user_id.strip()
    if not slack_user_id or " " in slack_user_id:
        raise InvalidInput(
            f"{slack_user_id!r} is not a Slack user id (like U0123ABCD: profile > ⋮ > Copy member ID)"
        )
    return find_person(session, slack_user_id) or _insert(session, slack_user_id, now=now)


def _team(session: Session, name: str) -> Team:
    team_id = resolve_team(team_names(session), name)
    team = session.get(Team, team_id)
    assert team is not None
    return team


def grant_role(session: Session, slack_user_id: str, *, role: str, now: datetime) -> Person:
    person = _person(session, slack_user_id, now=now)
    person.role = parse_role(role).value
    person.updated_at = now
    session.add(person)
    session.flush()
    return person


def revoke_role(session: Session, slack_user_id: str, *, role: str, now: datetime) -> Person:
    """Back to agent. Revoking manager also removes the teams they managed."""
    revoked = parse_role(role)
    person = find_person(session, slack_user_id.strip())
    if revoked is Role.AGENT:
        raise InvalidInput(
            "agent is the base role: give another role with grant, or change the team with assign"
        )
    if person is None or person.role != revoked:
        raise InvalidInput(f"{slack_user_id} is not {'an' if revoked is Role.ADMIN else 'a'} {revoked} here")
    if revoked is Role.MANAGER:
        session.execute(delete(TeamManager).where(col(TeamManager.person_id) == person.id))
    person.role = Role.AGENT.value
    person.updated_at = now
    session.add(person)
    session.flush()
    return person


def assign_team(session: Session, slack_user_id: str, *, team: str, now: datetime) -> Person:
    person = _person(session, slack_user_id, now=now)
    person.team_id = _team(session, team).id
    person.updated_at = now
    session.add(person)
    session.flush()
    return person


def manage_team(session: Session, slack_user_id: str, *, team: str, now: datetime) -> Person:
    """Link a manager to a team; an agent becomes a manager (an admin stays an admin)."""
    person = _person(session, slack_user_id, now=now)
    target = _team(session, team)
    if person.role == Role.AGENT:
        person.role = Role.MANAGER.value
    linked = session.exec(
        select(TeamManager).where(TeamManager.person_id == person.id, TeamManager.team_id == target.id)
    ).first()
    if linked is None:
        session.add(TeamManager(person_id=person.id, team_id=target.id))  # type: ignore[arg-type]
    person.updated_at = now
    session.add(person)
    session.flush()
    return person


def list_people(session: Session, *, slack_admins_are_admins: bool) -> list[PersonView]:
    names = team_names(session)
    managed: dict[int, list[str]] = {}
    for link in session.exec(select(TeamManager)):
        managed.setdefault(link.person_id, []).append(names.get(link.team_id, "?"))
    return [
        PersonView(
            slack_user_id=p.slack_user_id,
            name=p.name,
            role=effective_role(p, slack_admins_are_admins=slack_admins_are_admins).value,
            granted_role=p.role,
            is_slack_admin=p.is_slack_admin,
            team=names.get(p.team_id) if p.team_id is not None else None,
            manages=tuple(sorted(managed.get(p.id, []))) if p.id is not None else (),
            timezone=p.timezone,
        )
        for p in session.exec(select(Person).order_by(Person.name, Person.slack_user_id))
    ]
