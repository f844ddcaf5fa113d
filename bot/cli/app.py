"""The `symmetry` command: the root app, with one module per command group mounted on it.

serve.py   run, serve, demo, manifest      db.py       db upgrade, db current
data.py    import                          teams.py    teams add, teams list
digest.py  digest                          kpi.py      ask
people.py  people grant/revoke/assign/manage/list
employees.py  pulse summary, stories list, suggestions list, settings set/show
survey.py  survey schedule/questions/open/close/status, report symmetry
triage.py  triage train/status/rescore

The CLI imports the entry points (bot.entry) and the services; nothing under bot.entry, bot.services or
models imports the CLI (tests/test_layering.py).
"""

from __future__ import annotations

import typer

from bot.cli import data, db, digest, employees, kpi, people, serve, survey, teams, triage

app = typer.Typer(
    help="Symmetry: customer verbatims and employee voice, in Slack.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for group in (serve, db, data, teams, digest, kpi, people, triage, employees, survey):
    group.register(app)


def main() -> None:
    app()
