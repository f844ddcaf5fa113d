"""The ledger of posted digests: one run per (job, scope, period), its pages and their messages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import utc_column


class RunStatus(StrEnum):
    """Where a day's digest stands (stored as these strings)."""

    PLANNED = "planned"  # pages fixed, nothing posted yet
    POSTING = "posting"  # some pages posted: a rerun resumes after the last one
    POSTED = "posted"  # every page posted
    EMPTY = "empty"  # nothing new and the team wants no note: nothing to post


class PageKind(StrEnum):
    """What one page of a digest is in Slack (stored as these strings)."""

    BLOCKS = "blocks"  # a message: page 0 in the channel, the others in its thread
    FILE = "file"  # the overflow, as a CSV file in the thread


class DigestRun(SQLModel, table=True):
    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("job", "scope", "period", name="uq_digest_run_job_scope_period"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=40)
    scope: str = Field(max_length=80)  # "team:<id>"
    period: str = Field(max_length=20)  # local date, YYYY-MM-DD
    team_id: int = Field(foreign_key="team.id")
    channel_id: str | None = Field(default=None, max_length=40)
    window_start: datetime = Field(sa_column=utc_column())
    window_end: datetime = Field(sa_column=utc_column())
    status: str = Field(default=RunStatus.PLANNED.value, max_length=12)  # a RunStatus
    verbatim_count: int = 0
    parent_ts: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(sa_column=utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    lease_owner: str | None = Field(default=None, max_length=64)  # the process posting it now
    lease_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class DigestPage(SQLModel, table=True):
    """One Slack message of a digest (page 0 is the channel message, the rest go in its thread)."""

    __tablename__ = "digest_page"
    __table_args__ = (UniqueConstraint("run_id", "page_no", name="uq_digest_page_run_page"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="digest_run.id", index=True)
    page_no: int
    kind: str = Field(default=PageKind.BLOCKS.value, max_length=10)  # a PageKind
    verbatim_ids: str = Field(default="", sa_column=Column(Text, nullable=False))  # comma-joined
    channel_id: str | None = Field(default=None, max_length=40)
    ts: str | None = Field(default=None, max_length=40, index=True)
    posted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    intent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))  # before the call
    file_id: str | None = Field(default=None, max_length=40)  # the overflow file, known before it is shared


class ProcessedEvent(SQLModel, table=True):
    """Slack redelivers events up to 3 times: an event id is handled once."""

    __tablename__ = "processed_event"
    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(sa_column=utc_column())


class SeenRequest(SQLModel, table=True):
    """Signatures of the signed requests of the last minutes: a replayed request is processed once."""

    __tablename__ = "seen_request"
    signature: str = Field(primary_key=True, max_length=80)
    received_at: datetime = Field(sa_column=utc_column(index=True))
