"""/suggest: to the managers' channel of the sender's team; replies relayed both ways in batches.

`/suggest <text>` sends at once, `/suggest` opens the form, `/suggest list` (managers), `/suggest
help`. Card buttons: Reply to the author, Mark as done, Won't do (each a modal). The author answers
from the DM's Answer button. With SYMMETRY_RELAY_DELAY_MINUTES=0 replies are delivered at once.
"""

from __future__ import annotations

import json

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import InvalidInput, NotAllowed, UserFacingError
from bot.services.employees import suggestions as service
from bot.services.people.roles import team_names
from bot.slack.blocks import suggestions as ui
from bot.slack.commands import commands_for
from bot.slack.errors import guarded, later, user_message
from handlers.pulse import open_modal
from jobs import suggestion_relay

COMMAND = "/suggest"


EMPLOYEE = True  # off with SYMMETRY_EMPLOYEE_FEATURES=false (bot/slack/employees_off.py)


def register(app: App, deps: Deps) -> None:
    for command in commands_for("suggestions"):
        app.command(command.command)(lambda ack, body, client, respond: handle_suggest_command(deps=deps, ack=ack, body=body, client=client, respond=respond))  # fmt: skip
    app.view(ui.SUBMIT)(lambda ack, body, view, client: handle_suggest_submission(deps=deps, ack=ack, body=body, view=view, client=client))  # fmt: skip
    for action in (ui.ACT_REPLY, ui.ACT_DONE, ui.ACT_WONT, ui.ACT_ANSWER):
        app.action(action)(lambda ack, body, action, client, respond: handle_suggest_button(deps=deps, ack=ack, body=body, action=action, client=client, respond=respond))  # fmt: skip
    for callback in (ui.REPLY, ui.CLOSE, ui.ANSWER):
        app.view(callback)(lambda ack, body, view, client: handle_relay_submission(deps=deps, ack=ack, body=body, view=view, client=client))  # fmt: skip


@guarded
def handle_suggest_command(deps: Deps, *, ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
    text = (body.get("text") or "").strip()
    if not text:
        ack()  # views.open right after: the trigger_id dies in 3 s, the answer queue may be busy
        open_modal(client, body["trigger_id"], ui.build_suggest_modal(channel_id=body["channel_id"]), COMMAND)
    elif text.lower() in ("help", "aide", "?"):
        ack(text=ui.HELP, response_type="ephemeral")
    else:
        ack()
        later(deps.answers, _answer_command, deps=deps, body=body, client=client, respond=respond)


def _answer_command(*, deps: Deps, body: dict, client: WebClient, respond: Respond) -> None:
    """`/suggest list` or `/suggest <text>`, answered on the answer queue."""
    text, user = (body.get("text") or "").strip(), body["user_id"]
    if text.lower() in ("list", "liste"):
        with session_scope(deps.factory) as session:
            rows = service.list_for(
                session, user_id=user, admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS
            )
            respond(text=ui.list_text(rows, team_names(session)), response_type="ephemeral")
        return
    note = send_suggestion(deps, client, user=user, text=text, signed=False)
    respond(text=note, response_type="ephemeral")


def handle_suggest_submission(deps: Deps, *, ack: Ack, body: dict, view: dict, client: WebClient) -> None:
    values = view["state"]["values"]
    text = values[ui.TEXT][ui.TEXT].get("value") or ""
    signed = (values[ui.PRIVACY][ui.PRIVACY].get("selected_option") or {}).get("value") == ui.SIGNED
    if not text.strip():
        ack(response_action="errors", errors={ui.TEXT: "A suggestion needs a few words."})
        return
    ack()
    later(
        deps.answers,
        _send_submitted,
        deps=deps,
        body=body,
        view=view,
        client=client,
        text=text,
        signed=signed,
    )


def _send_submitted(
    *, deps: Deps, body: dict, view: dict, client: WebClient, text: str, signed: bool
) -> None:
    user = body["user"]["id"]
    channel = json.loads(view.get("private_metadata") or "{}").get("channel") or user
    try:
        note = send_suggestion(deps, client, user=user, text=text, signed=signed)
    except UserFacingError as error:
        note = user_message(error)
    client.chat_postEphemeral(
        channel=channel, user=user, text=note
    ) if channel != user else client.chat_postMessage(channel=user, text=note)


def send_suggestion(deps: Deps, client: WebClient, *, user: str, text: str, signed: bool) -> str:
    """Store, post the card in the managers' channel; the text the sender is told."""
    with session_scope(deps.factory) as session:
        sent = service.submit(session, secret=deps.settings.require_secret(), user_id=user, text=text, signed=signed,
                              now=deps.clock.now(), default_tz=deps.settings.timezone)  # fmt: skip
    if sent.channel is None:
        where = (
            f"team {sent.team_name} has no managers' channel yet"
            if sent.team_name
            else "you are not in a team yet"
        )
        return (f"Thanks, your suggestion is kept for the admins ({where}). To join a team, ask an admin: "
                "symmetry people assign <your Slack id> <team>.")  # fmt: skip
    blocks, fallback = ui.build_card(sent.suggestion)
    posted = client.chat_postMessage(channel=sent.channel, text=fallback, blocks=blocks)
    with session_scope(deps.factory) as session:
        service.record_card(
            session, suggestion_id=service.id_of(sent.suggestion), channel=posted["channel"], ts=posted["ts"]
        )
    how = "signed" if signed else "anonymously"
    return f"Thanks, your suggestion went to the managers of {sent.team_name}, {how}. Replies come by DM."


@guarded
def handle_suggest_button(
    deps: Deps, *, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    ack()
    user, suggestion_id = body["user"]["id"], _id(action.get("value"))
    with session_scope(deps.factory) as session:
        suggestion = service.get(session, suggestion_id)
        if action["action_id"] == ui.ACT_ANSWER:
            if not service.is_author(suggestion, secret=deps.settings.require_secret(), user_id=user):
                raise NotAllowed("Only the author can answer here.")
        else:
            service.check_manager(
                session,
                user_id=user,
                suggestion=suggestion,
                admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
            )
        if suggestion.status != "open":
            raise InvalidInput(f"That suggestion is closed ({service.status_words(suggestion.status)}).")
    views = {ui.ACT_REPLY: ui.build_reply_modal(suggestion_id), ui.ACT_ANSWER: ui.build_answer_modal(suggestion_id),
             ui.ACT_DONE: ui.build_close_modal(suggestion_id, "done"), ui.ACT_WONT: ui.build_close_modal(suggestion_id, "wont_do")}  # fmt: skip
    # views.open on the request path after two indexed reads: the trigger_id dies 3 s after the click
    open_modal(client, body["trigger_id"], views[action["action_id"]], "the button")


def handle_relay_submission(deps: Deps, *, ack: Ack, body: dict, view: dict, client: WebClient) -> None:
    """A manager's reply or status change (to the author), or the author's answer (to the managers)."""
    values, user, meta = (
        view["state"]["values"],
        body["user"]["id"],
        json.loads(view.get("private_metadata") or "{}"),
    )
    block = ui.REASON if view["callback_id"] == ui.CLOSE else ui.TEXT
    text = (values.get(block, {}).get(block) or {}).get("value") or ""
    signed = ((values.get(ui.PRIVACY, {}).get(ui.PRIVACY) or {}).get("selected_option") or {}).get(
        "value"
    ) == ui.SIGNED
    try:
        card = _relay(deps, view["callback_id"], meta, user=user, text=text, signed=signed)
    except UserFacingError as error:
        ack(response_action="errors", errors={block: user_message(error)[:300]})
        return
    ack()
    later(deps.answers, _redraw_relayed, deps=deps, body=body, client=client, card=card)


def _redraw_relayed(*, deps: Deps, body: dict, client: WebClient, card: tuple | None) -> None:
    if card is not None and card[2] is not None and card[3] is not None:
        blocks, fallback, channel, ts, note = card
        client.chat_update(channel=card[2], ts=card[3], text=fallback, blocks=blocks)
        client.chat_postMessage(channel=card[2], thread_ts=card[3], text=note)
    if deps.settings.SYMMETRY_RELAY_DELAY_MINUTES == 0:
        suggestion_relay.tick(deps=deps, client=client)


def _relay(
    deps: Deps, callback: str, meta: dict, *, user: str, text: str, signed: bool
) -> tuple[list[dict], str, str | None, str | None, str] | None:
    now, delay, admins = (
        deps.clock.now(),
        deps.settings.SYMMETRY_RELAY_DELAY_MINUTES,
        deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
    )
    with session_scope(deps.factory) as session:
        s = service.get(session, _id(meta.get("id")))
        if callback == ui.ANSWER:
            if not service.is_author(s, secret=deps.settings.require_secret(), user_id=user):
                raise NotAllowed("Only the author can answer here.")
            service.queue(
                session,
                suggestion=s,
                text=text,
                to_author=False,
                signed_by=None,
                now=now,
                delay_minutes=delay,
            )
            return None
        service.check_manager(session, user_id=user, suggestion=s, admins=admins)
        if callback == ui.CLOSE:
            service.close(
                session,
                suggestion=s,
                status=meta.get("status", ""),
                reason=text,
                by=user,
                signed=signed,
                now=now,
                delay_minutes=delay,
            )
            note = f"<@{user}> marked it *{service.status_words(s.status)}*."
        else:
            service.queue(
                session,
                suggestion=s,
                text=text,
                to_author=True,
                signed_by=user if signed else None,
                now=now,
                delay_minutes=delay,
            )
            note = ui.thread_note(text, from_author=False, signed_by=user) + (
                "" if signed else " _(sent unsigned)_"
            )
        blocks, fallback = ui.build_card(s)
        return blocks, fallback, s.channel_id, s.ts, note


def _id(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise InvalidInput("That button does not point to a suggestion.") from None
