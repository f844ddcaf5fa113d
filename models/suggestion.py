"""Suggestions sent with /suggest and the replies relayed between managers and the (anonymous) author."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import utc_column


class SuggestionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    WONT_DO = "wont_do"


class Suggestion(SQLModel, table=True):
    __tablename__ = "suggestion"

    id: int | None = Field(default=None, primary_key=True)
    author_key: str = Field(max_length=64, index=True)  # HMAC (purpose "suggest")
    author_box: str = Field(max_length=200)  # the Slack id sealed with the secret: only the bot can DM
    signed_by: str | None = Field(default=None, max_length=40)  # Slack id when the author signed
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)  # None: kept for admins
    day: date = Field(index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=SuggestionStatus.OPEN.value, max_length=10)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    channel_id: str | None = Field(default=None, max_length=40)
    ts: str | None = Field(default=None, max_length=40)


class RelayMessage(SQLModel, table=True):
    """A reply on its way: delivered by the relay job at `due_at` (a batch boundary), not at once.

    Either about a suggestion (to its author, or the author's answer to the managers) or about a
    survey comment (`survey_response_id`): that one goes to everyone the round was sent to, through
    `RelayRecipient` rows, since nobody can know (nor may learn) who wrote the comment."""

    __tablename__ = "relay_message"

    id: int | None = Field(default=None, primary_key=True)
    suggestion_id: int | None = Field(default=None, foreign_key="suggestion.id", index=True)
    survey_response_id: int | None = Field(default=None, foreign_key="survey_response.id", index=True)
    to_author: bool  # True: a manager's reply or a status change; False: the author's answer
    text: str = Field(sa_column=Column(Text, nullable=False))
    signed_by: str | None = Field(default=None, max_length=40)  # a manager who chose to sign
    due_at: datetime = Field(sa_column=utc_column(index=True))
    delivered: bool = Field(default=False, index=True)


class RecipientStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # intent recorded, Slack's answer not yet: looked up before any resend
    SENT = "sent"
    FAILED = "failed"


class RelayRecipient(SQLModel, table=True):
    """One DM of a relayed reply to a survey comment: one row per (message, person), sent once."""

    __tablename__ = "relay_recipient"
    __table_args__ = (
        UniqueConstraint("message_id", "slack_user_id", name="uq_relay_recipient_message_user"),
        Index("ix_relay_recipient_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="relay_message.id", index=True)
    slack_user_id: str = Field(max_length=40)
    language: str = Field(default="en", max_length=2)
    due_at: datetime = Field(sa_column=utc_column())
    status: str = Field(default=RecipientStatus.PENDING.value, max_length=10)
    attempts: int = 0
    intent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    channel_id: str | None = Field(default=None, max_length=40)
    ts: str | None = Field(default=None, max_length=40)
    error: str | None = Field(default=None, max_length=80)
