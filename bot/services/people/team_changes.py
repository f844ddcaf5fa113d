"""Renaming, removing and merging teams; removing a person. Every table that points at a team follows
(found from the models, so a table added later follows too); KPI tallies follow the verbatims by trigger."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, SQLModel, col

from bot.errors import InvalidInput, NotFound
from bot.services.people.teams import find_team, get_team, name_key
from models.digest import DigestPage, DigestRun
from models.person import Person, TeamManager
from models.team import Team
from models.verbatim import Verbatim


def rename_team(session: Session, *, name: str, new_name: str) -> Team:
    team = get_team(session, name)
    new_name = " ".join(new_name.split())
    if not new_name:
        raise InvalidInput("a team needs a name")
    other = find_team(session, new_name)
    if other is not None and other.id != team.id:
        raise InvalidInput(
            f"a team {other.name!r} exists: to put both together, symmetry teams merge {team.name!r} {other.name!r}"
        )
    team.name = new_name
    session.add(team)
    session.flush()
    return team


def remove_team(session: Session, *, name: str, detach: bool = False) -> dict[str, int]:
    """Remove a team. One with verbatims is refused unless `detach` (they stay, without a team)."""
    team = get_team(session, name)
    count = session.execute(
        select(func.count()).select_from(Verbatim).where(col(Verbatim.team_id) == team.id)
    ).scalar_one()
    if count and not detach:
        raise InvalidInput(
            f"{team.name} has {count:,} verbatims: merge it into another team (symmetry teams merge "
            f"{team.name!r} OTHER), or pass --detach to keep them without a team"
        )
    moved = _repoint(session, team.id, None)
    session.delete(team)
    session.flush()
    return moved


def merge_teams(session: Session, *, name: str, into: str) -> dict[str, int]:
    """Everything of `name` (verbatims, people, managers) goes to `into`; `name` is removed."""
    team, target = get_team(session, name), get_team(session, into)
    if team.id == target.id:
        raise InvalidInput(f"{team.name} and {target.name} are the same team")
    moved = _repoint(session, team.id, target.id)
    session.delete(team)
    session.flush()
    return moved


def _repoint(session: Session, old: int | None, new: int | None) -> dict[str, int]:
    """Point every row at team `old` to `new` (None: no team). Digest ledgers of `old` go with it;
    manager links that would repeat are dropped."""
    runs = select(col(DigestRun.id)).where(col(DigestRun.team_id) == old)
    conn = session.connection()
    conn.execute(delete(DigestPage).where(col(DigestPage.run_id).in_(runs)))
    conn.execute(delete(DigestRun).where(col(DigestRun.team_id) == old))
    repeated = [col(TeamManager.team_id) == old]
    if new is not None:
        managed = select(col(TeamManager.person_id)).where(col(TeamManager.team_id) == new)
        repeated.append(col(TeamManager.person_id).in_(managed))
    conn.execute(delete(TeamManager).where(*repeated))
    moved: dict[str, int] = {}
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != "team" or table.name == "team":
                continue
            if new is None and not fk.parent.nullable:
                conn.execute(delete(table).where(fk.parent == old))
                continue
            result = conn.execute(update(table).where(fk.parent == old).values({fk.parent.name: new}))
            if result.rowcount:
                moved[table.name] = result.rowcount
    return moved


def remove_person(session: Session, *, slack_user_id: str) -> Person:
    person = (
        session.execute(select(Person).where(col(Person.slack_user_id) == slack_user_id.strip()))
        .scalars()
        .first()
    )
    if person is None:
        raise NotFound(f"no person {slack_user_id!r} (symmetry people list shows who is known)")
    conn = session.connection()
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "person" and table.name != "person":
                if fk.parent.nullable:
                    conn.execute(update(table).where(fk.parent == person.id).values({fk.parent.name: None}))
                else:
                    conn.execute(delete(table).where(fk.parent == person.id))
    session.delete(person)
    session.flush()
    return person


__all__ = ["merge_teams", "name_key", "remove_person", "remove_team", "rename_team"]
