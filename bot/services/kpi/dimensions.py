"""The channels and reasons the store knows, kept up to date by the importer (a tiny table, read instantly)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from models.dimension import DimensionValue

KINDS = ("channel", "reason")


def remember(session: Session, rows: Iterable[dict]) -> None:
    """Record the channel and reason values of freshly imported rows (duplicates ignored)."""
    values = {(kind, str(row[kind])[:120]) for row in rows for kind in KINDS if row.get(kind)}
    if not values:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(DimensionValue).on_conflict_do_nothing(index_elements=["kind", "value"])
    session.execute(stmt, [{"kind": k, "value": v} for k, v in sorted(values)])


def known(session: Session, kind: str) -> list[str]:
    return list(
        session.exec(
            select(DimensionValue.value).where(DimensionValue.kind == kind).order_by(DimensionValue.value)
        )
    )
