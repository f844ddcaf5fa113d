"""Write triaged rows into the verbatim table: add new ones, or (with --update) correct stored ones."""

from __future__ import annotations

from sqlalchemy import bindparam, cast, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

from models.types import table_of
from models.verbatim import Verbatim

# What a corrected file may change (mapping, channel, team...); claims, status and the batch stay.
CONTENT = (
    "received_at",
    "text",
    "score",
    "scale",
    "channel",
    "reason",
    "team_id",
    "agent",
    "processing_level",
)
TRIAGE = (
    "language",
    "sentiment",
    "sentiment_label",
    "reasons",
    "risks",
    "priority",
    "priority_why",
    "history",
)


def insert_ignoring_duplicates(session: Session, values: list[dict]) -> int:
    """Insert rows (dicts with the same keys); a (source, external_id) already stored is skipped.
    Returns how many were added.

    Core, not the ORM bulk path: the ORM leaves None values out of each row, so rows with None in different
    columns went as separate statements (one per ~3 rows on mixed data) and their RETURNING rows were
    spliced quadratically. On Postgres the rows go as one array per column (INSERT ... SELECT unnest(...)):
    one short statement per batch, instead of one placeholder per value for psycopg to parse in Python.
    """
    if not values:
        return 0
    stmt, params = _insert(session, values)
    stmt = stmt.on_conflict_do_nothing(index_elements=["source", "external_id"]).returning(
        table_of(Verbatim).c.id
    )
    return len(session.connection().execute(stmt, params).all())


def upsert_rows(session: Session, values: list[dict]) -> tuple[int, int, int]:
    """(added, changed, unchanged): a stored (source, external_id) takes the row's content when it differs.
    Within one batch the last row of an id wins (the earlier ones count as unchanged)."""
    if not values:
        return 0, 0, 0
    last = {(v["source"], v["external_id"]): v for v in values}
    rows = list(last.values())
    table = table_of(Verbatim)
    known = {
        e
        for (e,) in session.connection().execute(
            select(table.c.external_id).where(
                table.c.source == rows[0]["source"], table.c.external_id.in_([r["external_id"] for r in rows])
            )
        )
    }
    stmt, params = _insert(session, rows)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["source", "external_id"],
        set_={c: excluded[c] for c in CONTENT + TRIAGE if c in rows[0]},
        where=or_(*(table.c[c].is_distinct_from(excluded[c]) for c in CONTENT if c in rows[0])),
    ).returning(table.c.external_id)
    touched = [e for (e,) in session.connection().execute(stmt, params)]
    changed = sum(1 for e in touched if e in known)
    added = len(touched) - changed
    return added, changed, len(values) - added - changed


def _insert(session: Session, values: list[dict]):
    table = table_of(Verbatim)
    if session.get_bind().dialect.name == "postgresql":
        columns = [table.c[name] for name in values[0]]
        arrays = [
            cast(bindparam(c.name, [v[c.name] for v in values], type_=ARRAY(c.type)), ARRAY(c.type))
            for c in columns
        ]
        stmt = postgresql.insert(table).from_select(
            [c.name for c in columns], select(*map(func.unnest, arrays))
        )
        return stmt, None
    return sqlite.insert(table), values
