"""Digest buttons: "I'll take it" claims a verbatim, "Treated" closes it; the message redraws for everyone."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import InvalidInput
from bot.services.customers import verbatims
from bot.services.customers.digest_runs import page_view
from bot.slack.blocks.digest import build_digest_page
from bot.slack.errors import guarded
from bot.slack.ids import DigestAction


def register(app: App, deps: Deps) -> None:
    @guarded
    def handle_digest_claim(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        _change(deps, verbatims.claim, body, action, client, respond)

    @guarded
    def handle_digest_treat(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        _change(deps, verbatims.treat, body, action, client, respond)

    # acked on the request path, the claim and the redraw on the answer queue (bot/entry/answers.py)
    app.action(DigestAction.CLAIM)(ack=_ack, lazy=[handle_digest_claim])
    app.action(DigestAction.TREAT)(ack=_ack, lazy=[handle_digest_treat])


def _ack(ack: Ack) -> None:
    ack()


def _change(deps: Deps, change, body: dict, action: dict, client: WebClient, respond: Respond) -> None:  # type: ignore[no-untyped-def]
    now, user = deps.clock.now(), body["user"]["id"]
    try:
        with session_scope(deps.factory) as session:
            change(session, verbatim_id=_verbatim_id(action), user_id=user, now=now)
    except verbatims.AlreadyTaken as taken:
        who = "you" if taken.by == user else f"<@{taken.by}>"
        respond(text=f"{taken.message[:-1]} by {who}.", response_type="ephemeral", replace_original=False)
    _redraw(deps, body, client)


def _redraw(deps: Deps, body: dict, client: WebClient) -> None:
    container = body.get("container") or {}
    if container.get("type") != "message":  # the button was in the App Home
        from handlers.home import publish_home

        publish_home(deps, client, body["user"]["id"])
        return
    channel, ts = container["channel_id"], container["message_ts"]
    with session_scope(deps.factory) as session:
        view = page_view(session, channel_id=channel, ts=ts, now=deps.clock.now())
    if view is None:
        return
    blocks, text = build_digest_page(
        view.summary,
        view.items,
        page_no=view.page_no,
        total_pages=view.total_pages,
        overflow=view.overflow,
        label=deps.taxonomy.label,
    )
    client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)


def _verbatim_id(action: dict) -> int:
    try:
        return int(action.get("value", ""))
    except ValueError:
        raise InvalidInput("That button does not point to a verbatim.") from None
