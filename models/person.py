"""People the bot knows: their role, their team, the teams they manage and their timezone."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import utc_column


class Role(StrEnum):
    AGENT = "agent"  # sees their own team
    MANAGER = "manager"  # sees their own team and the teams they manage
    ADMIN = "admin"  # sees everything


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    role: str = Field(default=Role.AGENT.value, max_length=12)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    timezone: str | None = Field(default=None, max_length=64)  # IANA name, from Slack
    is_slack_admin: bool = Field(default=False)  # workspace admin or owner, from Slack
    locale: str | None = Field(default=None, max_length=16)  # "fr-FR", from Slack (users.info include_locale)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class TeamManager(SQLModel, table=True):
    """A manager sees the teams linked to them here."""

    __tablename__ = "team_manager"
    __table_args__ = (UniqueConstraint("person_id", "team_id", name="uq_team_manager_person_team"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
