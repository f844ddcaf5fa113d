"""Digest buttons: "I'll take it" claims a verbatim, "Treated" closes it; the message redraws for everyone."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import InvalidInput
from bot.services.customers import verbatims
from bot.services.customers.digest_pages import page_view
from bot.slack.blocks.digest import build_page_message, claim_notice
from bot.slack.errors import guarded, tell_user
from bot.slack.ids import DigestAction
from bot.slack.listeners import with_deps
from handlers.home import publish_home

Change = Callable[..., object]  # verbatims.claim or verbatims.treat


def register(app: App, deps: Deps) -> None:
    # acked on the request path, the claim and the redraw on the answer queue (bot/entry/answers.py)
    app.action(DigestAction.CLAIM)(ack=ack_action, lazy=[with_deps(handle_digest_claim, deps)])
    app.action(DigestAction.TREAT)(ack=ack_action, lazy=[with_deps(handle_digest_treat, deps)])


def ack_action(ack: Ack) -> None:
    ack()


@guarded
def handle_digest_claim(
    ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond, *, deps: Deps
) -> None:
    ack()
    change_and_redraw(deps, verbatims.claim, body=body, action=action, client=client, respond=respond)


@guarded
def handle_digest_treat(
    ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond, *, deps: Deps
) -> None:
    ack()
    change_and_redraw(deps, verbatims.treat, body=body, action=action, client=client, respond=respond)


def change_and_redraw(
    deps: Deps, change: Change, *, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    now, user = deps.clock.now(), body["user"]["id"]
    taken = None
    try:
        with session_scope(deps.factory) as session:
            change(session, verbatim_id=_verbatim_id(action), user_id=user, now=now)
    except verbatims.AlreadyTaken as error:
        taken = error
    language = redraw(deps, body, client)
    if taken is not None:  # said in the digest's language, after the redraw that shows who has it
        who = None if taken.by == user else f"<@{taken.by}>"
        text = claim_notice(who, treated=taken.code == verbatims.Taken.TREATED, language=language)
        tell_user(body, text, client=client, respond=respond)  # from the App Home: in a DM


def redraw(deps: Deps, body: dict, client: WebClient) -> str | None:
    """The message (or App Home) the button was in, drawn again with every item's current status.
    Returns the language of the digest redrawn (None: the App Home, or a message that is not one)."""
    container = body.get("container") or {}
    if container.get("type") != "message":  # the button was in the App Home
        publish_home(deps, client, body["user"]["id"])
        return None
    channel, ts = container["channel_id"], container["message_ts"]
    with session_scope(deps.factory) as session:
        view = page_view(session, channel_id=channel, ts=ts, now=deps.clock.now())
    if view is None:
        return None
    blocks, text = build_page_message(view, deps.taxonomy.label)
    client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
    return view.summary.language


def _verbatim_id(action: dict) -> int:
    try:
        return int(action.get("value", ""))
    except ValueError:
        raise InvalidInput("That button does not point to a verbatim.") from None
