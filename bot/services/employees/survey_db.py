"""Conditional UPDATEs of the survey ledgers: how many rows a claim changed (1: this process won)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult
from sqlmodel import Session


def rows_changed(session: Session, statement: Any) -> int:
    result: CursorResult = session.execute(statement)  # type: ignore[assignment]  # an UPDATE gives a CursorResult
    return int(result.rowcount)


def row_id(value: int | None) -> int:
    """The id of a row that has been flushed (a team, a round): never None past that point."""
    if value is None:
        raise ValueError("the row has no id yet: flush it first")
    return value
