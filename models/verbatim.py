"""A customer verbatim: a survey comment with its score, and the triage given at ingest."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from bot.scales import scale
from models.types import utc_column


class Scale(StrEnum):
    NPS = "nps"  # 0-10
    CSAT = "csat"  # 1-5
    STARS = "stars"  # 1-5

    @property
    def bounds(self) -> tuple[int, int]:
        return scale(self.value).bounds


class Status(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    TREATED = "treated"


class VerbatimIn(SQLModel):
    """The canonical record, as imported from a file or pushed to /ingest/verbatims."""

    external_id: str | None = None
    received_at: datetime
    text: str = ""
    score: int | None = None
    scale: Scale | None = None  # needed only with a score: text-only feedback has none
    channel: str | None = None
    reason: str | None = None
    team: str | None = None
    agent: str | None = None
    processing_level: str | None = None
    language: str | None = None


class Verbatim(SQLModel, table=True):
    __tablename__ = "verbatim"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_verbatim_source_external_id"),
        Index("ix_verbatim_team_received", "team_id", "received_at"),
        Index("ix_verbatim_team_status_priority", "team_id", "status", "priority"),
        Index("ix_verbatim_team_imported", "team_id", "imported_at"),
        Index(  # covers the digest's ranking and summary: read from the index alone, in import order
            "ix_verbatim_team_digest",
            "team_id",
            "history",
            "imported_at",
            "status",
            "priority_base",
            "received_at",
            "sentiment",
            "reason",
            "score",
            "scale",
            "treated_at",
            "id",  # Postgres reads it from the index too (SQLite's index ends with the rowid anyway)
        ),  # fmt: skip
        Index("ix_verbatim_batch_id", "batch_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64)
    external_id: str = Field(max_length=200)
    received_at: datetime = Field(sa_column=utc_column(index=True))
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    score: int | None = None
    scale: str = Field(max_length=8)
    channel: str | None = Field(default=None, max_length=80)
    reason: str | None = Field(default=None, max_length=120)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    agent: str | None = Field(default=None, max_length=120)
    processing_level: str | None = Field(default=None, max_length=80)
    language: str = Field(default="und", max_length=8)
    sentiment: float | None = None
    sentiment_label: str = Field(default="unknown", max_length=20)
    reasons: str = Field(default="", max_length=400)  # detected reason keys, comma-joined
    risks: str = Field(default="", max_length=120)  # risk keys, comma-joined
    priority: int = Field(default=0)  # at import; the digest recomputes it with the current age
    priority_base: int = Field(default=0)  # the priority without its age points (the digest adds them in SQL)
    priority_why: str = Field(default="", max_length=400)
    status: str = Field(default=Status.OPEN.value, max_length=10)
    claimed_by: str | None = Field(default=None, max_length=40)
    claimed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    treated_by: str | None = Field(default=None, max_length=40)
    treated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    imported_at: datetime = Field(sa_column=utc_column())
    batch_id: int | None = Field(default=None)  # import_batch.id (no FK: SQLite adds none without a rebuild)
    # Old feedback imported for the KPIs, never put in a digest. A server default (no Python one): rows written
    # by code that does not know the column yet (an older release during an upgrade) are not history.
    history: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
