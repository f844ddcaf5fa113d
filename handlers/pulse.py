"""/pulse: the modal (opened at once with the command's trigger_id), `/pulse 4`, `/pulse help`.

The submission is validated and stored before the ack (a few ms), so field errors and the
confirmation come back in the ack itself; the DM thank-you goes on the answer queue after it.
"""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import InvalidInput, UserFacingError
from bot.services.employees.anonymity import anonymity_threshold
from bot.services.employees.pulse import PulseSaved, record_pulse, validate_comment
from bot.slack.blocks import pulse as ui
from bot.slack.commands import commands_for
from bot.slack.errors import guarded, later, user_message

log = logging.getLogger(__name__)
COMMAND = "/pulse"


EMPLOYEE = True  # off with SYMMETRY_EMPLOYEE_FEATURES=false (bot/slack/employees_off.py)


def register(app: App, deps: Deps) -> None:
    for command in commands_for("pulse"):
        app.command(command.command)(
            lambda ack, body, client, respond: handle_pulse_command(
                deps=deps, ack=ack, body=body, client=client, respond=respond
            )
        )
    app.view(ui.CALLBACK)(
        lambda ack, body, view, client: handle_pulse_submission(
            deps=deps, ack=ack, body=body, view=view, client=client
        )
    )


@guarded
def handle_pulse_command(deps: Deps, *, ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
    text, user = (body.get("text") or "").strip(), body["user_id"]
    if not text:
        ack()
        # views.open stays on the request path, right after the ack: the trigger_id dies 3 s after
        # the click, and on the answer queue it could wait behind a survey's worth of redraws.
        open_pulse_modal(client, body)
        return
    if text.lower() in ("help", "aide", "?"):
        with session_scope(deps.factory) as session:
            k = anonymity_threshold(session)
        ack(text=ui.HELP.format(k=k), response_type="ephemeral")
        return
    score, _, comment = text.partition(" ")
    try:
        saved = _save(deps, user=user, score=score, comment=comment, signed=False)
    except UserFacingError as error:
        ack(text=user_message(error), response_type="ephemeral")
        return
    ack(text=ui.thanks_text(saved), response_type="ephemeral")


def open_pulse_modal(client: WebClient, body: dict) -> None:
    open_modal(client, body["trigger_id"], ui.build_pulse_modal(channel_id=body["channel_id"]), COMMAND)


def open_modal(client: WebClient, trigger_id: str, view: dict, what: str) -> None:
    """views.open right away (the trigger_id lives 3 s); a stale trigger is told plainly."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        if exc.response.get("error") not in ("expired_trigger_id", "exchanged_trigger_id"):
            raise
        raise InvalidInput(f"That took too long and Slack closed the door: try {what} again.") from None


def handle_pulse_submission(deps: Deps, *, ack: Ack, body: dict, view: dict, client: WebClient) -> None:
    values, user = view["state"]["values"], body["user"]["id"]
    score = ((values.get(ui.SCORE) or {}).get(ui.SCORE) or {}).get("selected_option") or {}
    comment = ((values.get(ui.COMMENT) or {}).get(ui.COMMENT) or {}).get("value")
    privacy = ((values.get(ui.PRIVACY) or {}).get(ui.PRIVACY) or {}).get("selected_option") or {}
    try:
        validate_comment(comment)
        saved = _save(
            deps,
            user=user,
            score=score.get("value"),
            comment=comment,
            signed=privacy.get("value") == ui.SIGNED,
        )
    except UserFacingError as error:
        block = ui.COMMENT if "comment" in error.message.lower() else ui.SCORE
        ack(response_action="errors", errors={block: error.message})
        return
    ack(response_action="update", view=ui.build_pulse_confirmation(saved))
    later(deps.answers, _thank_by_dm, client=client, body=body, user=user, saved=saved, view=view)


def _save(deps: Deps, *, user: str, score: object, comment: str | None, signed: bool) -> PulseSaved:
    with session_scope(deps.factory) as session:
        return record_pulse(
            session,
            secret=deps.settings.require_secret(),
            user_id=user,
            score=score,  # type: ignore[arg-type]
            comment=comment,
            signed=signed,
            now=deps.clock.now(),
            default_tz=deps.settings.timezone,
        )


def _thank_by_dm(*, client: WebClient, body: dict, user: str, saved: PulseSaved, view: dict) -> None:
    """A DM by user id (chat:write). Never logs the answer next to the person."""
    try:
        client.chat_postMessage(channel=user, text=ui.thanks_text(saved))
    except SlackApiError as exc:
        channel = json.loads(view.get("private_metadata") or "{}").get("channel")
        log.warning("pulse thank-you DM failed: %s", exc.response.get("error"))
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=ui.thanks_text(saved))
