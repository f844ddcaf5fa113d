"""/bestfailure: the modal (field errors in the ack), the card in the stories channel, 👏 votes."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import InvalidInput, UserFacingError
from bot.services.employees import stories as service
from bot.services.employees.settings import STORIES_CHANNEL, get_setting
from bot.slack.blocks import stories as ui
from bot.slack.commands import commands_for
from bot.slack.errors import guarded, later, user_message
from bot.slack.listeners import InOrder
from handlers.pulse import open_modal
from models.story import Story

_card_lock = InOrder()  # a story card is posted, voted on and redrawn one change at a time

EMPLOYEE = True  # off with SYMMETRY_EMPLOYEE_FEATURES=false (bot/slack/employees_off.py)


def register(app: App, deps: Deps) -> None:
    for command in commands_for("stories"):
        app.command(command.command)(lambda ack, body, client, respond: handle_story_command(deps=deps, ack=ack, body=body, client=client, respond=respond))  # fmt: skip
    app.view(ui.CALLBACK)(lambda ack, body, view, client: handle_story_submission(deps=deps, ack=ack, body=body, view=view, client=client))  # fmt: skip
    app.action(ui.ACT_VOTE)(lambda ack, body, action, client, respond: handle_story_vote(deps=deps, ack=ack, body=body, action=action, client=client, respond=respond))  # fmt: skip


@guarded
def handle_story_command(deps: Deps, *, ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
    text = (body.get("text") or "").strip().lower()
    if text in ("help", "aide", "?"):
        ack(text=ui.HELP, response_type="ephemeral")
    elif text in ("list", "liste"):
        ack()
        later(deps.answers, _list_stories, deps=deps, body=body, client=client, respond=respond)
    else:
        ack()  # views.open right after: the trigger_id dies in 3 s, the answer queue may be busy
        open_modal(client, body["trigger_id"], ui.build_story_modal(), "/bestfailure")


def _list_stories(*, deps: Deps, body: dict, client: WebClient, respond: Respond) -> None:
    with session_scope(deps.factory) as session:
        respond(text=ui.list_text(service.recent(session)), response_type="ephemeral")


def handle_story_submission(deps: Deps, *, ack: Ack, body: dict, view: dict, client: WebClient) -> None:
    values, user = view["state"]["values"], body["user"]["id"]
    text = {b: (values.get(b, {}).get(b) or {}).get("value") for b in (*service.FIELDS, ui.VERBATIM)}
    signed = ((values.get(ui.PRIVACY, {}).get(ui.PRIVACY) or {}).get("selected_option") or {}).get(
        "value"
    ) != ui.ANONYMOUS
    try:
        with session_scope(deps.factory) as session:
            story = service.tell(session, secret=deps.settings.require_secret(), user_id=user, parts=text,
                                 verbatim_id=text[ui.VERBATIM], signed=signed, now=deps.clock.now(),
                                 default_tz=deps.settings.timezone)  # fmt: skip
            channel = get_setting(session, STORIES_CHANNEL)
    except service.StoryInvalid as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    except UserFacingError as error:
        ack(response_action="errors", errors={"what_went_wrong": user_message(error)[:300]})
        return
    ack()
    later(
        deps.answers, _post_card, deps=deps, body=body, client=client, user=user, story=story, channel=channel
    )


def _post_card(
    *, deps: Deps, body: dict, client: WebClient, user: str, story: Story, channel: str | None
) -> None:
    if channel is None:
        client.chat_postMessage(channel=user, text="Thanks, your story is kept. No stories channel is set yet "
                                "(an admin: symmetry settings set stories_channel C…).")  # fmt: skip
        return
    with _card_lock(story.id):  # a vote that arrives before the card's ts is saved waits, then redraws
        blocks, fallback = ui.build_story_card(story)
        posted = client.chat_postMessage(channel=channel, text=fallback, blocks=blocks)
        with session_scope(deps.factory) as session:
            service.record_card(session, story_id=story.id, channel=posted["channel"], ts=posted["ts"])  # type: ignore[arg-type]
            voted = service.get(session, story.id)  # type: ignore[arg-type]
            if voted.votes:  # counted on another replica before the ts was saved: show them
                blocks, fallback = ui.build_story_card(voted)
                client.chat_update(channel=posted["channel"], ts=posted["ts"], text=fallback, blocks=blocks)


@guarded
def handle_story_vote(
    deps: Deps, *, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    ack()
    later(deps.answers, _vote, deps=deps, body=body, action=action, client=client, respond=respond)


def _vote(*, deps: Deps, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
    try:
        story_id = int(action.get("value", ""))
    except ValueError:
        raise InvalidInput("That button does not point to a story.") from None
    with _card_lock(story_id):  # votes counted and redrawn in order: the card never ends on a stale count
        with session_scope(deps.factory) as session:
            vote = service.toggle_vote(
                session, secret=deps.settings.require_secret(), story_id=story_id, user_id=body["user"]["id"]
            )
        if vote.story.channel_id and vote.story.ts:
            blocks, fallback = ui.build_story_card(vote.story)
            client.chat_update(channel=vote.story.channel_id, ts=vote.story.ts, text=fallback, blocks=blocks)
