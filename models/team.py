"""A frontline team: its Slack channel, its timezone and when its digest is posted."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import utc_column


class TeamBase(SQLModel):
    name: str = Field(max_length=120, unique=True, index=True)
    channel_id: str | None = Field(default=None, max_length=40)
    timezone: str = Field(default="UTC", max_length=64)
    digest_at: str = Field(default="08:30", max_length=5)  # HH:MM, team-local
    post_empty_digest: bool = Field(default=False)
    managers_channel: str | None = Field(default=None, max_length=40)  # where /suggest lands
    language: str | None = Field(
        default=None, max_length=8
    )  # answers and digest labels ("fr"); None: English


class Team(TeamBase, table=True):
    __tablename__ = "team"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_column=utc_column())
