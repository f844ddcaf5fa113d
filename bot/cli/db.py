"""`symmetry db upgrade`, `symmetry db current`: the store's schema."""

from __future__ import annotations

import typer

from bot.cli.helpers import friendly


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="The store's schema.", no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
    db_app.command("current")(db_current)
    app.add_typer(db_app, name="db")


@friendly
def db_upgrade() -> None:
    """Create or upgrade the schema to the latest version (safe to run again)."""
    from bot.config import load_settings
    from bot.db import current_revision, make_engine, upgrade

    engine = make_engine(load_settings().DATABASE_URL)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    typer.echo(f"schema at {after}" + (f" (was {before})" if before != after else " (already up to date)"))


@friendly
def db_current() -> None:
    """Print the schema version of the store."""
    from bot.config import load_settings
    from bot.db import current_revision, make_engine

    typer.echo(
        current_revision(make_engine(load_settings().DATABASE_URL))
        or "empty store (run: symmetry db upgrade)"
    )
