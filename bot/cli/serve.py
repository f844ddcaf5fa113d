"""`symmetry run`, `serve`, `demo`, `manifest`: start the bot, try it offline, describe it to Slack."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.helpers import friendly


def register(app: typer.Typer) -> None:
    for command in (run, serve, demo, manifest):
        app.command()(command)


@friendly
def run(port: Annotated[int, typer.Option(help="HTTP port when not in Socket Mode")] = 3000) -> None:
    """Start the bot: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP mode (like `serve`)."""
    from bot.entry.runner import run_bot

    run_bot(port=port, host="0.0.0.0")


@friendly
def serve(
    port: Annotated[int, typer.Option(help="port to listen on")] = 3000,
    host: Annotated[str, typer.Option(help="address to bind")] = "0.0.0.0",
) -> None:
    """HTTP mode under uvicorn: POST /slack/events, GET /healthz, POST /ingest/verbatims."""
    from bot.entry.runner import serve_http

    serve_http(port=port, host=host)


@friendly
def demo(
    keep: Annotated[bool, typer.Option(help="keep the demo store (symmetry-demo/) afterwards")] = False,
    rows: Annotated[int, typer.Option(help="verbatims to generate")] = 240,
) -> None:
    """Try it with no Slack at all: generated data, the real bot, the local Slack stand-in."""
    from bot.demo.script import run_demo

    run_demo(rows=rows, keep=keep, echo=typer.echo)


@friendly
def manifest(
    url: Annotated[str, typer.Option(help="public base URL of `symmetry serve` (HTTP mode)")] = "",
    socket: Annotated[bool, typer.Option(help="Socket Mode manifest (no public URL needed)")] = False,
    name: Annotated[str, typer.Option(help="app name shown in Slack")] = "Symmetry",
    employee_features: Annotated[
        bool | None,
        typer.Option(
            help="include /pulse, /bestfailure, /suggest, /enps (default: SYMMETRY_EMPLOYEE_FEATURES)"
        ),
    ] = None,
) -> None:
    """Print the Slack app manifest (YAML): paste it at api.slack.com/apps > Create > From a manifest."""
    from bot.config import load_settings
    from bot.slack.manifest import build_manifest, to_yaml

    employee = load_settings().SYMMETRY_EMPLOYEE_FEATURES if employee_features is None else employee_features
    manifest = build_manifest(
        base_url=url or None, socket_mode=socket or not url, name=name, employee_features=employee
    )
    typer.echo(to_yaml(manifest))
