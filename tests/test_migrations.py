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


OLD_DIGEST = [
    "INSERT INTO team (name, channel_id, timezone, digest_at, post_empty_digest, created_at)"
    " VALUES ('Care', 'C1', 'UTC', '08:30', false, :at)",
    *(
        "INSERT INTO verbatim (team_id, source, external_id, received_at, text, score, scale, language,"
        " sentiment_label, reasons, risks, priority, priority_why, status, imported_at) VALUES"
        f" (1, 'old', 'x{n}', :at, 'text {n}', {n}, 'nps', 'en', 'negative', '', '', 50, '', 'open', :at)"
        for n in (1, 2, 3)
    ),
    "INSERT INTO digest_run (job, scope, period, team_id, channel_id, window_start, window_end, status,"
    " verbatim_count, created_at) VALUES ('daily-digest', 'team:1', '2026-11-20', 1, 'C1', :start, :end,"
    " 'posted', 3, :end)",
    "INSERT INTO digest_page (run_id, page_no, kind, verbatim_ids, channel_id, ts)"
    " VALUES (1, 0, 'blocks', '3,1', 'C1', '1.1'), (1, 1, 'file', '2', 'C1', 'file:F1')",
]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_digest_posted_before_the_upgrade_still_redraws(kind: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from bot.db import session_factory, session_scope
    from bot.services.customers.digest_pages import page_view

    engine, cleanup = _engine(kind, tmp_path)
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    times = {"at": at, "start": at - timedelta(days=1), "end": at + timedelta(hours=1)}
    try:
        upgrade(engine, "0011")
        with engine.begin() as conn:
            for statement in OLD_DIGEST:
                conn.execute(text(statement), {k: v for k, v in times.items() if f":{k}" in statement})
        upgrade(engine)
        with session_scope(session_factory(engine)) as session:
            view = page_view(session, channel_id="C1", ts="1.1", now=times["end"])
        assert view is not None and [i.text for i in view.items] == ["text 3", "text 1"]  # its order kept
        assert (view.total_pages, view.overflow) == (1, 1)
        assert (view.summary.new, view.summary.detractors) == (
            3,
            3,
        )  # counted again: no figures were kept then
    finally:
        engine.dispose()
        if cleanup:
            drop_postgres_schema(cleanup[0], engine, cleanup[1])
