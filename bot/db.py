"""Engine, sessions and schema migrations. One session per unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

import models  # noqa: F401  (registers the tables)
from bot.errors import UserFacingError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

SessionFactory = Callable[[], Session]


class DatabaseUnavailable(UserFacingError):
    """The store cannot be reached: say so plainly, lose nothing."""

    default_code = "database_unavailable"


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` use the psycopg 3 driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, *, schema: str | None = None, echo: bool = False) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        kwargs: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if memory:
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, object] = {"connect_timeout": 5}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def session_factory(engine: Engine) -> SessionFactory:
    def factory() -> Session:
        return Session(engine, expire_on_commit=False)

    return factory


@contextmanager
def session_scope(factory: SessionFactory) -> Iterator[Session]:
    """Commit on success, roll back on error; a dead database becomes a clear message."""
    session = factory()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise DatabaseUnavailable(
            f"the database cannot be reached right now ({_short(exc)}); nothing was saved"
        ) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _short(exc: OperationalError) -> str:
    return str(exc.orig).strip().splitlines()[0][:160] if exc.orig else "operational error"


DATABASE_ONLY_INDEXES = {"ix_verbatim_kpi"}  # differs by database (INCLUDE on Postgres): not on the models


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """What Alembic compares between the models and a store."""
    return not (type_ == "index" and name in DATABASE_ONLY_INDEXES)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (idempotent). `symmetry db upgrade` calls this."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise DatabaseUnavailable(f"the database cannot be reached ({_short(exc)})") from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
