"""Job `suggestion-relay`: deliver the replies whose batch time has come, each exactly once.

A manager's reply (or a status change) goes to the anonymous author by DM, with an Answer button;
the author's answer goes to the card's thread in the managers' channel. Delivery waits for the
batch boundary (SYMMETRY_RELAY_DELAY_MINUTES), so the moment someone typed reveals nothing.

A manager's reply to a survey comment is relayed the same way, at the same batch time, but to
everyone the round was sent to: here it is expanded into one recipient row per person (in the
same transaction as its claim), and the survey fan-out (job survey-send, its one pacer) sends them.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees import suggestions as service
from bot.services.employees import survey_replies
from bot.slack.blocks import suggestions as ui
from models.suggestion import RelayMessage, Suggestion

JOB_ID = "suggestion-relay"
log = logging.getLogger(__name__)


def tick(*, deps: Deps, client: WebClient) -> int:
    """Deliver what is due; returns how many messages were delivered."""
    with session_scope(deps.factory) as session:
        due = [m.id for m in service.due(session, now=deps.clock.now()) if m.id is not None]
    return sum(_deliver(deps, client, message_id) for message_id in due)


def _deliver(deps: Deps, client: WebClient, message_id: int) -> bool:
    with session_scope(deps.factory) as session:
        if not service.claim(session, message_id):
            return False  # another run delivered it
        message = session.get(RelayMessage, message_id)
        if message is not None and message.survey_response_id is not None:
            survey_replies.expand(session, message=message)
            return True
        suggestion = (
            session.get(Suggestion, message.suggestion_id) if message and message.suggestion_id else None
        )
    if message is None or suggestion is None:
        return False
    try:
        _post(deps, client, message, suggestion)
    except SlackApiError as exc:
        log.warning(
            "relay of message %s failed: %s", message_id, exc.response.get("error")
        )  # no content, no id
        if exc.response.get("error") not in (
            "cannot_dm_bot",
            "user_not_found",
            "account_inactive",
            "channel_not_found",
        ):
            with session_scope(deps.factory) as session:
                row = session.get(RelayMessage, message_id)
                if row is not None:
                    row.delivered = False  # retried at the next tick
        return False
    return True


def _post(deps: Deps, client: WebClient, message: RelayMessage, suggestion: Suggestion) -> None:
    if message.to_author:
        author = service.author_of(suggestion, secret=deps.settings.require_secret())
        blocks, text = ui.build_author_dm(suggestion.id, message.text, message.signed_by)  # type: ignore[arg-type]
        client.chat_postMessage(channel=author, text=text, blocks=blocks)
    elif suggestion.channel_id:
        client.chat_postMessage(
            channel=suggestion.channel_id, thread_ts=suggestion.ts,
            text=ui.thread_note(message.text, from_author=True, signed_by=None),
        )  # fmt: skip
