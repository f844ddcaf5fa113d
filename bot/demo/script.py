"""`symmetry demo`: the whole loop with no Slack at all.

A fresh SQLite store, generated verbatims imported through the real importer, the real bot served
over HTTP against the local Slack stand-in, each team's digest run through the real job, an agent
clicking "I'll take it" through a signed request, and what each channel received printed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.db import session_scope
from bot.demo.data import TEAMS, generate
from bot.demo.employees import play_employee_side, wait_until
from bot.sandbox.harness import BotHarness
from bot.sandbox.render import render_channel
from bot.services.customers.importer import ImportOptions, import_rows
from bot.services.customers.records import RecordMapping
from bot.services.people.teams import get_team, save_team
from bot.sources.files import iter_rows
from jobs.daily_digest import run_for_team


def run_demo(*, rows: int, keep: bool, echo: Callable[[str], None]) -> None:
    workdir = Path("symmetry-demo") if keep else Path(tempfile.mkdtemp(prefix="symmetry-demo-"))
    if keep and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        _run(workdir, rows=rows, echo=echo)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            echo(f"\nThe demo store is kept in {workdir}/ (DATABASE_URL=sqlite:///{workdir}/demo.db)")


def _run(workdir: Path, *, rows: int, echo: Callable[[str], None]) -> None:
    harness = BotHarness.start(f"sqlite:///{workdir / 'demo.db'}", SYMMETRY_TIMEZONE="Europe/Paris")
    with harness:
        deps, standin = harness.deps, harness.standin
        now = deps.clock.now()
        echo(f"Local Slack stand-in at {standin.api_url}; bot at {harness.url}/slack/events")
        for name, conf in TEAMS.items():
            standin.add_channel(conf["channel_id"], name.lower().replace(" ", "-"))
            with session_scope(deps.factory) as session:
                save_team(
                    session, name=name, now=now, channel_id=conf["channel_id"], timezone=conf["timezone"]
                )
        data = workdir / "verbatims.jsonl"
        data.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in generate(rows, now=now)),
            encoding="utf-8",
        )
        options = ImportOptions(source="demo", mapping=RecordMapping(timezone=deps.settings.timezone))
        report = import_rows(deps.factory, iter_rows(data), options=options, taxonomy=deps.taxonomy, now=now)
        echo(f"Imported {data.name}: {report.summary()}")
        again = import_rows(deps.factory, iter_rows(data), options=options, taxonomy=deps.taxonomy, now=now)
        echo(f"Imported it again: {again.summary()}")
        for name in TEAMS:
            with session_scope(deps.factory) as session:
                team = get_team(session, name)
            outcome = run_for_team(deps, team, client=harness.client, now=now)
            echo(f"Digest for {name}: {outcome.status}, {outcome.pages_posted} message(s)")
        _click_first_claim(harness, echo)
        for conf in TEAMS.values():
            echo("\n" + "=" * 100)
            echo(render_channel(standin, conf["channel_id"]))
        play_employee_side(harness, next(iter(TEAMS)), echo)
        from bot.demo.survey import run_survey_demo

        run_survey_demo(harness, echo)


def _click_first_claim(harness: BotHarness, echo: Callable[[str], None]) -> None:
    """An agent clicks "I'll take it" on the top item of the first channel, through a signed request."""
    channel = next(iter(TEAMS.values()))["channel_id"]
    messages = harness.standin.messages(channel)
    if not messages:
        return
    message = messages[0]
    for block in message.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == "digest_claim":
                harness.standin.add_user("U0ALICE", "alice", real_name="Alice Martin")
                response = harness.sender.block_action(
                    "digest_claim", element["value"], user_id="U0ALICE", channel_id=channel, message=message
                )
                echo(
                    f'U0ALICE clicked "I\'ll take it" on verbatim {element["value"]}: HTTP {response.status_code}'
                )
                wait_until(lambda: harness.standin.calls_to("chat.update"))
                return
