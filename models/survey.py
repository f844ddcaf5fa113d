"""The weekly survey: schedules, rounds, the fan-out ledger, who-answered (apart), answers, posts.

Privacy by layout: `SurveyDelivery` knows whom a DM went to, never what they answered;
`SurveyAnswered` knows that someone answered (a keyed hash), never what, and is emptied when the
round closes; `SurveyResponse` holds what was answered under another keyed hash, dated to the day.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import utc_column


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSING = "closing"  # claimed by one closer; results being computed
    CLOSED = "closed"
    SKIPPED = "skipped"  # no channel, no members: a line in `survey status`


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # intent recorded, Slack's answer not yet: checked before any resend
    SENT = "sent"
    FAILED = "failed"  # deactivated, cannot_dm_bot...: recorded, not retried, not "missing"


class SurveySchedule(SQLModel, table=True):
    __tablename__ = "survey_schedule"

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    weekday: int = Field(default=0)  # 0 Monday .. 6 Sunday, team-local
    at: str = Field(default="10:00", max_length=5)  # HH:MM, each person's local time
    days_open: int = Field(default=3)
    holidays: str = Field(default="", sa_column=Column(Text, nullable=False))  # YYYY-MM-DD, comma-joined
    holiday_country: str | None = Field(default=None, max_length=2)  # FR GB US CA
    enabled: bool = Field(default=True)
    updated_at: datetime = Field(sa_column=utc_column())


class SurveyRound(SQLModel, table=True):
    __tablename__ = "survey_round"
    __table_args__ = (
        UniqueConstraint("team_id", "opens_on", name="uq_survey_round_team_day"),
        Index("ix_survey_round_status", "status", "closes_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    number: int  # 1, 2, ... per team
    opens_on: date  # the team-local day it opens
    status: str = Field(default=RoundStatus.OPEN.value, max_length=10)
    skip_reason: str | None = Field(default=None, max_length=200)
    driver: str = Field(default="", max_length=40)
    threshold: int = Field(default=5)  # K locked when the round opens
    opened_at: datetime = Field(sa_column=utc_column())
    remind_at: datetime = Field(sa_column=utc_column())
    closes_at: datetime = Field(sa_column=utc_column())
    reminded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    reminders_sent: int = 0
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    results: str = Field(default="", sa_column=Column(Text, nullable=False))  # JSON, fixed at close


class SurveyDelivery(SQLModel, table=True):
    """The fan-out ledger: one row per (round, person), the DM's fate and its Slack ts."""

    __tablename__ = "survey_delivery"
    __table_args__ = (
        UniqueConstraint("round_id", "slack_user_id", name="uq_survey_delivery_round_user"),
        Index("ix_survey_delivery_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="survey_round.id", index=True)
    slack_user_id: str = Field(max_length=40)
    language: str = Field(default="en", max_length=2)
    due_at: datetime = Field(sa_column=utc_column())
    status: str = Field(default=DeliveryStatus.PENDING.value, max_length=10)
    attempts: int = 0
    intent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    channel_id: str | None = Field(default=None, max_length=40)
    ts: str | None = Field(default=None, max_length=40)
    error: str | None = Field(default=None, max_length=80)
    reminder: str | None = Field(default=None, max_length=10)  # sending | sent; emptied at close
    closed_view: str | None = Field(default=None, max_length=10)  # the DM redrawn closed: done | failed


class SurveyAnswered(SQLModel, table=True):
    """ "Answered this round" for reminders only: a keyed hash, no link to the answers; purged at close."""

    __tablename__ = "survey_answered"

    round_id: int = Field(foreign_key="survey_round.id", primary_key=True)
    person: str = Field(primary_key=True, max_length=64)


class SurveyResponse(SQLModel, table=True):
    __tablename__ = "survey_response"
    __table_args__ = (UniqueConstraint("round_id", "respondent", name="uq_survey_response_round_person"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="survey_round.id", index=True)
    respondent: str = Field(max_length=64)  # keyed hash, per round: unlinkable across rounds
    team_id: int = Field(foreign_key="team.id", index=True)  # the round's, for the KPI engine
    driver: str = Field(default="", max_length=40)  # the round's driver, for /kpi driver
    answered_on: date  # the day only
    quality: int | None = None  # 0-10
    recommend: int | None = None  # 0-10, predicted customer NPS
    enps: int | None = None  # 0-10
    driver_score: int | None = None  # 1-5
    reason: str | None = Field(default=None, max_length=120)  # taxonomy key
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    ack: str | None = Field(default=None, max_length=10)  # seen | thanks | act | cant
    ack_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class SurveyPost(SQLModel, table=True):
    """Results messages of a round (managers, team): posted exactly once."""

    __tablename__ = "survey_post"
    __table_args__ = (UniqueConstraint("round_id", "kind", name="uq_survey_post_round_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="survey_round.id", index=True)
    kind: str = Field(max_length=10)  # managers | chart (the PNG, in the managers channel) | team
    channel_id: str = Field(max_length=40)
    intent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    ts: str | None = Field(default=None, max_length=40)
    posted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
