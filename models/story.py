"""Best failures: a story told with /bestfailure, its votes, and the story-of-the-week ledger."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import utc_column


class Story(SQLModel, table=True):
    __tablename__ = "story"

    id: int | None = Field(default=None, primary_key=True)
    author_key: str = Field(max_length=64, index=True)  # HMAC of the teller (purpose "story")
    signed_by: str | None = Field(default=None, max_length=40)  # Slack id when signed (the default)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    day: date = Field(index=True)  # local day told (no time: anonymous stories exist)
    what_went_wrong: str = Field(sa_column=Column(Text, nullable=False))
    what_i_did: str = Field(sa_column=Column(Text, nullable=False))
    how_it_ended: str = Field(sa_column=Column(Text, nullable=False))
    verbatim_id: int | None = Field(default=None, foreign_key="verbatim.id")
    channel_id: str | None = Field(default=None, max_length=40)
    ts: str | None = Field(default=None, max_length=40)
    votes: int = 0
    deleted: bool = False


class StoryVote(SQLModel, table=True):
    __tablename__ = "story_vote"
    __table_args__ = (UniqueConstraint("story_id", "voter_key", name="uq_story_vote_story_voter"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    voter_key: str = Field(max_length=64)  # HMAC (purpose "vote"): one vote per person, nobody named


class StoryOfWeek(SQLModel, table=True):
    """Ledger: one post per week, whatever reruns or replicas do."""

    __tablename__ = "story_of_week"

    week_start: date = Field(primary_key=True)
    story_id: int | None = Field(default=None, foreign_key="story.id")
    status: str = Field(default="planned", max_length=12)  # planned | posted | empty
    channel_id: str | None = Field(default=None, max_length=40)
    ts: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(sa_column=utc_column())
