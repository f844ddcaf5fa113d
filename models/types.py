"""Column types shared by the tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Table
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from bot.clock import ensure_utc


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core Table, for queries that skip the ORM (SQLModel sets `__table__` at run time)."""
    return model.__table__  # type: ignore[attr-defined]


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as UTC, always handed back tz-aware (SQLite otherwise returns naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return ensure_utc(value)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return ensure_utc(value)


def utc_column(*, nullable: bool = False, index: bool = False):
    from sqlalchemy import Column

    return Column(UTCDateTime(), nullable=nullable, index=index)
