"""One import: its file, its source, its counts, who ran it and when; `imports undo ID` removes its rows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.types import utc_column


class BatchStatus(StrEnum):
    DONE = "done"
    UNDONE = "undone"


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64, index=True)
    file_name: str = Field(default="", max_length=255)
    created_by: str = Field(default="", max_length=120)
    created_at: datetime = Field(sa_column=utc_column())
    mode: str = Field(default="add", max_length=10)  # add | update
    read: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    history: int = 0  # rows imported as history (KPIs, not the digest)
    status: str = Field(default=BatchStatus.DONE.value, max_length=10)
    undone_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    removed: int = 0  # rows the undo removed
