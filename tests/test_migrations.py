"""A later release upgrades a store without losing data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.db import current_revision, make_engine, upgrade
from tests.conftest import drop_postgres_schema, new_postgres_schema

INSERT = text(
    "INSERT INTO verbatim (source, external_id, received_at, text, score, scale, channel, reason, language, "
    "sentiment_label, reasons, risks, priority, priority_why, status, imported_at) VALUES "
    "('old', 'x1', :at, 'kept', 3, 'nps', 'phone', 'billing', 'en', 'negative', '', '', 50, '', 'open', :at)"
)


def _engine(kind: str, tmp_path):  # type: ignore[no-untyped-def]
    if kind == "sqlite":
        return make_engine(f"sqlite:///{tmp_path}/upgrade.db"), None
    admin, engine, schema = new_postgres_schema("symmetry_mig")
    return engine, (admin, schema)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_upgrading_from_the_first_release_keeps_every_row(kind: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine, cleanup = _engine(kind, tmp_path)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(INSERT, {"at": datetime(2026, 11, 20, 9, tzinfo=UTC)})
        upgrade(engine)
        upgrade(engine)  # idempotent
        assert current_revision(engine) not in (None, "0001")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT text, score FROM verbatim")).all() == [("kept", 3)]
            dims = set(conn.execute(text("SELECT kind, value FROM dimension_value")).all())
        assert dims == {("channel", "phone"), ("reason", "billing")}
    finally:
        engine.dispose()
        if cleanup:
            drop_postgres_schema(cleanup[0], engine, cleanup[1])


def test_the_models_and_the_migrations_describe_the_same_schema(engine) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from bot.db import include_object

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": False, "include_object": include_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
