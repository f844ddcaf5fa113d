"""The ledger of posted digests: one run per (job, scope, period), its pages and their messages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
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
    # The header's figures, counted once when the run is planned (a redraw reads them, never recounts).
    # None for a run planned before they were kept: counted again from the verbatims (`summarise_run`).
    summary_new: int | None = None
    summary_detractors: int | None = None
    summary_nps: float | None = None
    summary_nps_n: int | None = None
    summary_csat: float | None = None
    summary_csat_n: int | None = None


class DigestPage(SQLModel, table=True):
    """One Slack message of a digest (page 0 is the channel message, the rest go in its thread)."""

    __tablename__ = "digest_page"
    __table_args__ = (UniqueConstraint("run_id", "page_no", name="uq_digest_page_run_page"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="digest_run.id", index=True)
    page_no: int
    kind: str = Field(default=PageKind.BLOCKS.value, max_length=10)  # a PageKind
    item_count: int = 0  # its verbatims, listed in digest_page_item
    channel_id: str | None = Field(default=None, max_length=40)
    ts: str | None = Field(default=None, max_length=40, index=True)
    posted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    intent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))  # before the call
    file_id: str | None = Field(default=None, max_length=40)  # the overflow file, known before it is shared


class DigestPageItem(SQLModel, table=True):
    """One verbatim of a planned page, at its place in the digest: written by one INSERT ... SELECT when the
    run is planned (the store orders them), read back a page at a time by its key."""

    __tablename__ = "digest_page_item"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the table: one b-tree on SQLite

    # No foreign key: the items are written with their run, in its transaction, and a per-row check would
    # cost Postgres a trigger call for each of the run's 50,000 rows.
    run_id: int = Field(primary_key=True)
    page_no: int = Field(primary_key=True)
    position: int = Field(primary_key=True)  # 0, 1, 2... across the whole run, in display order
    verbatim_id: int


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
