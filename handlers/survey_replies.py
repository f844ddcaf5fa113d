"""Managers' replies to survey comments: the "Reply to everyone surveyed…" entry of a comment's
acknowledgement menu opens a modal; the reply is queued on the /suggest relay (next batch) and a
note goes to the results message's thread for the other managers. Rules: survey_replies service.
"""

from __future__ import annotations

import json

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import UserFacingError
from bot.services.employees.survey_followup import check_manages
from bot.services.employees.survey_replies import commented_round, excerpt, queue_reply
from bot.slack.blocks import survey_relay as ui
from bot.slack.errors import later, user_message
from handlers.pulse import open_modal
from jobs import suggestion_relay


def register(app: App, deps: Deps) -> None:
    app.view(ui.REPLY_CALLBACK)(
        lambda ack, body, view, client: handle_survey_reply_submission(
            deps=deps, ack=ack, body=body, view=view, client=client
        )
    )


def open_reply_modal(*, deps: Deps, body: dict, comment_id: int, client: WebClient) -> None:
    """Called right after the ack of the menu click: two indexed reads, then views.open (3 s)."""
    with session_scope(deps.factory) as session:
        row, survey_round = commented_round(session, response_id=comment_id)
        check_manages(session, user_id=body["user"]["id"], team_id=survey_round.team_id,
                      slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS)  # fmt: skip
        quote = excerpt(row.comment or "")
    container = body.get("container") or {}
    view = ui.build_reply_modal(comment_id=comment_id, quote=quote, channel=container.get("channel_id", ""),
                                ts=container.get("message_ts", ""))  # fmt: skip
    open_modal(client, body["trigger_id"], view, "the reply")


def handle_survey_reply_submission(
    *, deps: Deps, ack: Ack, body: dict, view: dict, client: WebClient
) -> None:
    values, user = view["state"]["values"], body["user"]["id"]
    meta = json.loads(view.get("private_metadata") or "{}")
    text = ((values.get(ui.TEXT) or {}).get(ui.TEXT) or {}).get("value") or ""
    privacy = ((values.get(ui.PRIVACY) or {}).get(ui.PRIVACY) or {}).get("selected_option") or {}
    try:
        with session_scope(deps.factory) as session:
            message = queue_reply(session, response_id=int(meta.get("comment") or 0), text=text, user_id=user,
                                  signed=privacy.get("value") == "signed", now=deps.clock.now(),
                                  delay_minutes=deps.settings.SYMMETRY_RELAY_DELAY_MINUTES,
                                  slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS)  # fmt: skip
            signed = message.signed_by is not None
    except UserFacingError as error:
        ack(response_action="errors", errors={ui.TEXT: user_message(error)[:300]})
        return
    ack()
    later(
        deps.answers, _after_reply, deps=deps, body=body, client=client, meta=meta, text=text, signed=signed
    )


def _after_reply(*, deps: Deps, body: dict, client: WebClient, meta: dict, text: str, signed: bool) -> None:
    """The other managers see the reply in the results' thread; with no relay delay it leaves now."""
    if meta.get("channel") and meta.get("ts"):
        how = "signed" if signed else "unsigned"
        client.chat_postMessage(channel=meta["channel"], thread_ts=meta["ts"], text=(
            f"<@{body['user']['id']}> replied to a comment ({how}), to everyone surveyed in that round, "
            f"with the relay's next batch:\n> {text.strip()[:2500]}"))  # fmt: skip
    if deps.settings.SYMMETRY_RELAY_DELAY_MINUTES == 0:
        suggestion_relay.tick(deps=deps, client=client)
