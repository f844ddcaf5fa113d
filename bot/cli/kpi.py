"""`symmetry ask`: a KPI question answered in the terminal, by the same service as /nps, /csat and /kpi."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.helpers import friendly


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)


@friendly
def ask_command(
    question: Annotated[
        str, typer.Argument(help='e.g. "nps last week by channel", "participation last round", or "help"')
    ],
    chart: Annotated[Path | None, typer.Option(help="also write the chart (PNG) to this file")] = None,
) -> None:
    """Answer a KPI question in the terminal: the same numbers as /nps, /csat and /kpi (all teams)."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.kpi.ask import ask
    from bot.services.kpi.help import is_help, kpi_help

    if is_help(question):
        typer.echo(kpi_help().replace("*", ""))
        return
    deps = build_deps()
    with session_scope(deps.factory) as session:
        reply = ask(
            session,
            text=question,
            metric=None,
            asker=None,
            now=deps.clock.now(),
            default_tz=deps.settings.timezone,
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
            with_chart=chart is not None,
            headline_chart=True,
            markdown=False,
        )
    typer.echo(reply.text)
    if chart is not None and reply.chart is not None:
        chart.write_bytes(reply.chart)
        typer.echo(f"chart written to {chart}")
