"""Closed rounds' survey DMs redrawn without buttons (chat.update), paced, once each; run by survey-send.

chat.update is limited by Slack on its own (Tier 3, about 50 a minute), apart from chat.postMessage,
so it has its own bucket (SYMMETRY_SURVEY_UPDATES_PER_MINUTE) in the same one-thread pacer design,
and each tick spends at most `budget` seconds on it: the DMs of a round opening meanwhile are never
held up behind a big round's redraws. See bot/services/employees/survey_closed.py for the rules.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.survey_closed import (
    DONE,
    FAILED,
    ClosedDm,
    closed_dms_due,
    closed_words,
    mark_closed_view,
)
from bot.services.employees.survey_fanout import PERMANENT, RateLimited, Refused, Transient
from bot.services.employees.survey_pacer import Pacer
from bot.slack.blocks.survey_relay import build_closed_dm
from bot.slack.survey_dm import bare_client, call

log = logging.getLogger(__name__)
GONE = PERMANENT | {"message_not_found", "cant_update_message", "edit_window_closed", "not_in_channel"}


def update_pacer(deps: Deps) -> Pacer:
    per_minute = deps.settings.SYMMETRY_SURVEY_UPDATES_PER_MINUTE
    return Pacer(rate=per_minute / 60, burst=min(5.0, per_minute / 10))


def redraw_closed(
    deps: Deps,
    *,
    client: WebClient,
    pacer: Pacer | None = None,
    budget: float = 20.0,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Redraw what is due within `budget` seconds; returns how many DMs now show the closed state."""
    pacer, slack, started, done = pacer or update_pacer(deps), bare_client(client), clock(), 0
    words: dict[tuple[int, str], tuple[list[dict], str]] = {}
    while clock() - started < budget:
        with session_scope(deps.factory) as session:
            due = closed_dms_due(session, limit=50)
            for dm in due:
                if (dm.round_id, dm.language) not in words:
                    title, day = closed_words(session, round_id=dm.round_id, language=dm.language)
                    words[(dm.round_id, dm.language)] = build_closed_dm(dm.language, title=title, day=day)
        if not due:
            break
        for dm in due:
            if clock() - started >= budget:
                break
            outcome = _redraw(slack, dm, pacer=pacer, view=words[(dm.round_id, dm.language)])
            if outcome is None:
                return done  # Slack is failing: the rest waits for the next tick
            with session_scope(deps.factory) as session:
                mark_closed_view(session, delivery_id=dm.delivery_id, outcome=outcome)
            done += outcome == DONE
    return done


def _redraw(slack: WebClient, dm: ClosedDm, *, pacer: Pacer, view: tuple[list[dict], str]) -> str | None:
    blocks, text = view
    for _ in range(5):
        pacer.acquire()
        try:
            call(slack.chat_update, channel=dm.channel_id, ts=dm.ts, text=text, blocks=blocks)
            return DONE
        except RateLimited as exc:
            pacer.refund()
            pacer.pause(exc.retry_after)
        except (Refused, Transient) as exc:
            if str(exc) in GONE:
                log.info("closed survey DM %s not redrawn: %s", dm.delivery_id, exc)
                return FAILED
            pacer.refund()
            log.warning("closed survey DM %s: %s; tried again on the next tick", dm.delivery_id, exc)
            return None
    return None
