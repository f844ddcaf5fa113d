"""The `symmetry` command: run, serve, demo, import, teams, digest, ask, people, db, manifest."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.helpers import friendly

app = typer.Typer(
    help="Symmetry: customer verbatims and employee voice, in Slack.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="The store's schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
@friendly
def run(port: Annotated[int, typer.Option(help="HTTP port when not in Socket Mode")] = 3000) -> None:
    """Start the bot: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP mode (like `serve`)."""
    from bot.entry.runner import run_bot

    run_bot(port=port, host="0.0.0.0")


@app.command()
@friendly
def serve(
    port: Annotated[int, typer.Option(help="port to listen on")] = 3000,
    host: Annotated[str, typer.Option(help="address to bind")] = "0.0.0.0",
) -> None:
    """HTTP mode under uvicorn: POST /slack/events, GET /healthz, POST /ingest/verbatims."""
    from bot.entry.runner import serve_http

    serve_http(port=port, host=host)


@app.command()
@friendly
def demo(
    keep: Annotated[bool, typer.Option(help="keep the demo store (symmetry-demo/) afterwards")] = False,
    rows: Annotated[int, typer.Option(help="verbatims to generate")] = 240,
) -> None:
    """Try it with no Slack at all: generated data, the real bot, the local Slack stand-in."""
    from bot.demo.script import run_demo

    run_demo(rows=rows, keep=keep, echo=typer.echo)


@app.command()
@friendly
def manifest(
    url: Annotated[str, typer.Option(help="public base URL of `symmetry serve` (HTTP mode)")] = "",
    socket: Annotated[bool, typer.Option(help="Socket Mode manifest (no public URL needed)")] = False,
    name: Annotated[str, typer.Option(help="app name shown in Slack")] = "Symmetry",
) -> None:
    """Print the Slack app manifest (YAML): paste it at api.slack.com/apps > Create > From a manifest."""
    from bot.slack.manifest import build_manifest, to_yaml

    typer.echo(to_yaml(build_manifest(base_url=url or None, socket_mode=socket or not url, name=name)))


@db_app.command("upgrade")
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


@db_app.command("current")
@friendly
def db_current() -> None:
    """Print the schema version of the store."""
    from bot.config import load_settings
    from bot.db import current_revision, make_engine

    typer.echo(
        current_revision(make_engine(load_settings().DATABASE_URL))
        or "empty store (run: symmetry db upgrade)"
    )


def _mount() -> None:
    from bot.cli import data as cli_data

    cli_data.register(app)
    from bot.cli.people import people_app

    app.add_typer(people_app, name="people")
    from bot.cli.survey import report_app, survey_app

    app.add_typer(survey_app, name="survey")
    app.add_typer(report_app, name="report")
    from bot.cli import employees as cli_employees

    cli_employees.register(app)


_mount()


def main() -> None:
    app()
