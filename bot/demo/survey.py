"""The weekly survey in `symmetry demo`: a round for Paris Sinistres through the real jobs and signed
clicks, from the DMs to the results, the reminder and the symmetry report."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from bot.db import session_scope
from bot.sandbox.harness import BotHarness
from bot.sandbox.render import render_channel
from bot.services.employees.survey_admin import close_now
from bot.services.employees.survey_db import row_id
from bot.services.employees.survey_pacer import Pacer
from bot.services.employees.surveys import set_schedule
from bot.services.people.teams import get_team
from bot.services.reports.symmetry_service import report_for
from bot.services.reports.symmetry_text import report_text
from jobs import survey_close, survey_open, survey_remind, survey_send

TEAM, CHANNEL, MANAGERS = "Paris Sinistres", "C0PARIS", "C0PARISMGR"
PEOPLE = [("U0CAMILLE", "fr-FR"), ("U0HUGO", "fr-FR"), ("U0LINA", "fr-FR"), ("U0NOAH", "en-GB"),
          ("U0EMMA", "fr-FR"), ("U0JADE", "fr-FR"), ("U0LEO", "fr-FR")]  # fmt: skip


def run_survey_demo(harness: BotHarness, echo: Callable[[str], None]) -> None:
    deps, standin = harness.deps, harness.standin
    for uid, locale in PEOPLE:
        standin.add_user(uid, uid[3:].lower(), real_name=uid[3:].title(), locale=locale)
    standin.add_user("U0GONE", "gone", deleted=True)
    standin.add_channel(CHANNEL, "paris-sinistres", members=[u for u, _ in PEOPLE] + ["U0GONE", "U0BOT"])
    standin.add_channel(MANAGERS, "paris-managers")
    now = deps.clock.now()
    with session_scope(deps.factory) as session:
        team = get_team(session, TEAM)
        team.managers_channel = MANAGERS
        set_schedule(session, team=team, now=now, weekday=0, at="10:00", days_open=3, country="FR")
    opened = survey_open.open_for_team(deps, team, client=harness.client, now=now)
    round_id = row_id(opened.round_id)
    sent = survey_send.send_due(
        deps, client=harness.client, pacer=Pacer(rate=50, burst=50), round_id=round_id
    )
    echo(f"\nSurvey round {opened.number} for {TEAM}: {opened.invited} people, {sent.sent} DMs sent "
         "(the deactivated account and the bot left out)")  # fmt: skip
    timings = [_answer(harness, uid, round_id, random.Random(n)) for n, (uid, _) in enumerate(PEOPLE[:5])]
    echo(f"5 people answered in the DM itself: 5 clicks each, one message, no form; the slowest person's "
         f"clicks took {max(timings) * 1000:.0f} ms of round trips in all (the rest is reading time)")  # fmt: skip
    reminded = survey_remind.tick(deps, client=harness.client, now=opened_remind(deps, round_id))
    echo(f"Half-way: {reminded.get(round_id, 0)} reminder(s), in the DM thread of those who had not answered")
    with session_scope(deps.factory) as session:
        close_now(session, team=TEAM, now=deps.clock.now())
    for line in survey_close.tick(deps, client=harness.client):
        echo(f"Closed and posted: {line}")
    echo("\n" + "=" * 100 + f"\nWhat {PEOPLE[0][0]} sees in their DM:")
    echo(render_channel(standin, PEOPLE[0][0], include_ephemeral=False))
    for channel in (MANAGERS, CHANNEL):
        echo("\n" + "=" * 100)
        echo(render_channel(standin, channel, include_ephemeral=False)[-4000:])
    with session_scope(deps.factory) as session:
        report = report_for(session, team=TEAM, period="last 30 days", language="fr", taxonomy=deps.taxonomy,
                            now=deps.clock.now(), viewer=None,
                            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS)  # fmt: skip
        echo("\n" + "=" * 100 + "\n" + report_text(report, deps.taxonomy).replace("*", ""))


def opened_remind(deps, round_id: int):
    from models.survey import SurveyRound

    with session_scope(deps.factory) as session:
        return session.get(SurveyRound, round_id).remind_at  # type: ignore[union-attr]


def survey_dm(harness: BotHarness, uid: str) -> dict:
    """The person's survey DM (the employee demo may have sent them other DMs before)."""
    return next(m for m in harness.standin.messages(uid) if "survey:quality:0" in str(m.get("blocks")))


def _answer(harness: BotHarness, uid: str, round_id: int, rng: random.Random) -> float:
    """One person's five clicks (and a comment for the first), each through a signed request."""
    started = time.perf_counter()
    dm = survey_dm(harness, uid)
    for question in ("quality", "recommend", "enps"):
        harness.sender.block_action(
            f"survey:{question}:{rng.randint(7, 10)}", message=dm, user_id=uid, channel_id=dm["channel"]
        )
    harness.sender.block_action(
        f"survey:driver:{rng.randint(2, 5)}", message=dm, user_id=uid, channel_id=dm["channel"]
    )
    reason = rng.choice(["pricing", "claims", "waiting_time"])
    harness.sender.block_action(
        "survey:reason", f"{round_id}:{reason}", message=dm, user_id=uid, channel_id=dm["channel"]
    )
    return time.perf_counter() - started
