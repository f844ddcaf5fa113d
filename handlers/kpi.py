"""`/nps`, `/csat`, `/kpi` and "@Symmetry what was NPS last week?": ack at once, answer after.

The commands are those of bot/slack/commands.py whose handler is "kpi"; the metric a command asks
for is the one whose declaration (bot/services/kpi/metrics.py) names that command.

Answers are ephemeral to the asker; with the word `share` they are posted in the channel. A chart
goes to the asker's DM (private) or to the channel (shared), uploaded with files upload v2.
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.answers import BUSY
from bot.entry.deps import Deps
from bot.services.kpi.ask import KpiReply, ask
from bot.services.kpi.help import is_help, kpi_help
from bot.services.kpi.metrics import all_metrics
from bot.slack.blocks.kpi import build_kpi_blocks
from bot.slack.commands import commands_for, moved_to_symmetry
from bot.slack.errors import guarded, report_error
from bot.slack.files import upload_png, upload_to_dm
from bot.slack.people_sync import sync_person
from handlers.people import is_people_command

_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


def register(app: App, deps: Deps) -> None:
    def ack_kpi_command(ack: Ack) -> None:
        if deps.answers_full():  # still accepted: the answer waits its turn
            ack(text=BUSY)
        else:
            ack()

    def answer_kpi_command(body: dict, client: WebClient, respond: Respond) -> None:
        answer_command(deps=deps, body=body, client=client, respond=respond)

    def answer_kpi_mention(event: dict, client: WebClient, body: dict) -> None:
        answer_mention(deps=deps, event=event, client=client, body=body)

    # acked on the request path, answered on the answer queue (bot/entry/answers.py)
    for command in commands_for("kpi"):
        app.command(command.command)(ack=ack_kpi_command, lazy=[answer_kpi_command])
    app.event("app_mention")(ack=ack_event, lazy=[answer_kpi_mention])


def ack_event(ack: Ack) -> None:
    ack()


def metric_for(command: str) -> str | None:
    """/nps -> "nps": the metric whose declaration names this command; /kpi -> None (read from the text)."""
    return next((m.key for m in all_metrics() if m.command == command), None)


@guarded
def answer_command(*, deps: Deps, body: dict, client: WebClient, respond: Respond) -> None:
    user, text = body["user_id"], body.get("text", "")
    if body["command"] == "/kpi" and is_people_command(text):
        respond(text=moved_to_symmetry(text), response_type="ephemeral")
        return
    if is_help(text):
        respond(text=kpi_help(), response_type="ephemeral")
        return
    sync_person(deps, client, user)
    reply = _ask(deps, text=text, metric=metric_for(body["command"]), user=user)
    deliver(client, respond, reply, user=user, channel=body["channel_id"])


def answer_mention(*, deps: Deps, event: dict, client: WebClient, body: dict) -> None:
    user, channel = event["user"], event["channel"]
    try:
        sync_person(deps, client, user)
        reply = _ask(deps, text=_MENTION.sub(" ", event.get("text", "")), metric=None, user=user)
    except Exception as error:  # noqa: BLE001 - shown to the asker, like the commands
        report_error(error, body, client=client)
        return
    deliver(client, None, reply, user=user, channel=channel, thread_ts=event.get("thread_ts"))


def _ask(deps: Deps, *, text: str, metric: str | None, user: str) -> KpiReply:
    with session_scope(deps.factory) as session:
        return ask(
            session,
            text=text,
            metric=metric,
            asker=user,
            now=deps.clock.now(),
            default_tz=deps.settings.timezone,
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
            draw=deps.charts.draw,
        )


def deliver(
    client: WebClient,
    respond: Respond | None,
    reply: KpiReply,
    *,
    user: str,
    channel: str,
    thread_ts: str | None = None,
) -> None:
    share = reply.query.share
    chart_note = None
    if reply.chart is not None:
        title = reply.text.split("\n")[0]
        filename = f"{reply.answer.metric.key}.png"
        if share:
            upload_png(
                client, channel=channel, png=reply.chart, filename=filename, title=title, thread_ts=thread_ts
            )
        else:
            upload_to_dm(client, user=user, png=reply.chart, filename=filename, title=title)
        chart_note = "Chart above" if share else "Chart sent to you in a DM"
    blocks = build_kpi_blocks(reply.text, chart_note=chart_note, shared_by=user if share else None)
    if respond is not None:
        respond(
            text=reply.text[:3000],
            blocks=blocks,
            response_type="in_channel" if share else "ephemeral",
            replace_original=False,
        )
    elif share:
        client.chat_postMessage(channel=channel, text=reply.text[:3000], blocks=blocks, thread_ts=thread_ts)
    else:
        client.chat_postEphemeral(channel=channel, user=user, text=reply.text[:3000], blocks=blocks)
