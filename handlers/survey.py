"""Survey DM clicks (answers, reason, comment modal) and managers' acknowledgements of comments.

Each click is stored before the ack returns (one indexed write), then the DM is redrawn through the
click's response_url (no Web API tier spent) on the answer queue (bot/entry/answers.py). Bad clicks (closed round, not surveyed, forged
value) get an ephemeral note and change nothing.
"""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import InvalidInput
from bot.services.employees.survey_answers import check_can_answer, own_answers, record_answer
from bot.services.employees.survey_followup import acknowledge
from bot.services.employees.survey_view import dm_for_person
from bot.slack.blocks import survey as ui
from bot.slack.blocks.survey_relay import REPLY_OPTION
from bot.slack.blocks.survey_results import ACK_ACTION, comment_block
from bot.slack.errors import guarded, later
from bot.slack.listeners import InOrder
from handlers.survey_replies import open_reply_modal
from models.survey import SurveyResponse, SurveyRound

_person_lock = InOrder()  # a person's clicks are stored and redrawn in order


ANSWER = re.compile(r"^survey:(quality|recommend|enps|driver|reason):?\d*$")


EMPLOYEE = True  # off with SYMMETRY_EMPLOYEE_FEATURES=false (bot/slack/employees_off.py)


def register(app: App, deps: Deps) -> None:
    app.action(ANSWER)(
        lambda ack, body, action, client, respond: handle_survey_answer(
            deps=deps, ack=ack, body=body, action=action, client=client, respond=respond
        )
    )
    app.action("survey:comment")(
        lambda ack, body, action, client: handle_survey_comment_button(
            deps=deps, ack=ack, body=body, action=action, client=client
        )
    )
    app.view(ui.COMMENT_CALLBACK)(
        lambda ack, body, view, client: handle_survey_comment(
            deps=deps, ack=ack, body=body, view=view, client=client
        )
    )
    app.action(ACK_ACTION)(
        lambda ack, body, action, client, respond: handle_survey_ack(
            deps=deps, ack=ack, body=body, action=action, client=client, respond=respond
        )
    )


def _round_and_value(action: dict) -> tuple[int, str]:
    raw = str((action.get("selected_option") or {}).get("value") or action.get("value") or "")
    round_id, _, value = raw.partition(":")
    if not round_id.isdigit():
        raise InvalidInput("That button does not belong to a survey.")
    return int(round_id), value


@guarded
def handle_survey_answer(
    *, deps: Deps, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    ack()
    question = action["action_id"].split(":")[1]
    round_id, value = _round_and_value(action)
    user = body["user"]["id"]
    with _person_lock(round_id, user):  # one indexed write, in click order; the redraw is queued
        store_answer(deps, round_id=round_id, user=user, question=question, raw=value)
    later(deps.answers, _locked_redraw, deps=deps, body=body, client=client, respond=respond,
          round_id=round_id, user=user)  # fmt: skip


def _locked_redraw(
    *, deps: Deps, body: dict, client: WebClient, respond: Respond, round_id: int, user: str
) -> None:
    """Reads the answers and redraws under the person's lock: the last redraw shows the last click."""
    with _person_lock(round_id, user):
        redraw(deps, respond=respond, round_id=round_id, user=user)


def store_answer(deps: Deps, *, round_id: int, user: str, question: str, raw: str) -> None:
    reasons = {t.key for t in deps.taxonomy.reasons}
    with session_scope(deps.factory) as session:
        tz = ZoneInfo(_team_tz(session, round_id))
        record_answer(
            session, secret=deps.settings.require_secret(), round_id=round_id, user_id=user,
            question=question, raw=raw, reasons=reasons, now=deps.clock.now(), tz=tz,
        )  # fmt: skip


def _team_tz(session, round_id: int) -> str:
    from bot.services.employees.survey_followup import team_of

    return team_of(session, round_id).timezone


def _survey_dm(deps: Deps, *, round_id: int, user: str) -> tuple[list[dict], str]:
    """The person's survey DM as it stands now (blocks, text): one reading for every redraw."""
    with session_scope(deps.factory) as session:
        dm = dm_for_person(
            session,
            secret=deps.settings.require_secret(),
            round_id=round_id,
            user_id=user,
            bank=deps.survey_questions,
            taxonomy=deps.taxonomy,
            now=deps.clock.now(),
        )
        k = session.get(SurveyRound, round_id).threshold  # type: ignore[union-attr]
    return ui.build_survey_dm(dm, k=k)


def redraw(deps: Deps, *, respond: Respond, round_id: int, user: str) -> None:
    blocks, text = _survey_dm(deps, round_id=round_id, user=user)
    respond(blocks=blocks, text=text, replace_original=True)


@guarded
def handle_survey_comment_button(
    *, deps: Deps, ack: Ack, body: dict, action: dict, client: WebClient
) -> None:
    ack()
    round_id = int(action.get("value") or 0)
    user = body["user"]["id"]
    with session_scope(deps.factory) as session:
        check_can_answer(session, round_id=round_id, user_id=user, now=deps.clock.now())
        current = own_answers(
            session, secret=deps.settings.require_secret(), round_id=round_id, user_id=user
        ).get("comment")
    container = body.get("container") or {}
    view = ui.build_comment_modal(
        round_id=round_id,
        channel=container.get("channel_id", ""),
        ts=container.get("message_ts", ""),
        current=str(current) if current else None,
        language=_language(body),
    )
    # views.open stays on the request path, right after the ack and two indexed reads: the
    # trigger_id dies 3 s after the click, and the answer queue may be busy with survey redraws.
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _language(body: dict) -> str:
    return "fr" if str((body.get("user") or {}).get("locale") or "").startswith("fr") else "en"


def handle_survey_comment(*, deps: Deps, ack: Ack, body: dict, view: dict, client: WebClient) -> None:
    meta = json.loads(view.get("private_metadata") or "{}")
    text = ((view["state"]["values"].get("comment") or {}).get("text") or {}).get("value") or ""
    user, round_id = body["user"]["id"], int(meta.get("round") or 0)
    try:
        with session_scope(deps.factory) as session:
            record_answer(
                session,
                secret=deps.settings.require_secret(),
                round_id=round_id,
                user_id=user,
                question="comment",
                raw=text,
                reasons=set(),
                now=deps.clock.now(),
                tz=ZoneInfo(_team_tz(session, round_id)),
            )
    except InvalidInput as error:
        ack(response_action="errors", errors={"comment": error.message})
        return
    except Exception as error:  # noqa: BLE001 - closed round, stranger: said in the modal itself
        ack(
            response_action="errors",
            errors={"comment": getattr(error, "message", "Could not save the comment.")},
        )
        return
    ack()
    if meta.get("channel") and meta.get("ts"):
        later(deps.answers, _update_dm, deps=deps, client=client, body=body, round_id=round_id, user=user,
              channel=meta["channel"], ts=meta["ts"])  # fmt: skip


def _update_dm(
    *, deps: Deps, client: WebClient, body: dict, round_id: int, user: str, channel: str, ts: str
) -> None:
    with _person_lock(round_id, user):
        blocks, text = _survey_dm(deps, round_id=round_id, user=user)
    client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)


@guarded
def handle_survey_ack(
    *, deps: Deps, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
) -> None:
    ack()
    comment_id, _, kind = str(action["selected_option"]["value"]).partition(":")
    if kind == REPLY_OPTION:  # the menu's "Reply…": a modal, no acknowledgement stored
        open_reply_modal(deps=deps, body=body, comment_id=int(comment_id), client=client)
        return
    later(deps.answers, acknowledge_comment, deps=deps, body=body, action=action, client=client,
          respond=respond)  # fmt: skip


def acknowledge_comment(*, deps: Deps, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
    """A manager's acknowledgement, stored and drawn into the results message (on the answer queue)."""
    comment_id, kind = str(action["selected_option"]["value"]).split(":")
    with session_scope(deps.factory) as session:
        row: SurveyResponse = acknowledge(
            session,
            response_id=int(comment_id),
            ack=kind,
            user_id=body["user"]["id"],
            now=deps.clock.now(),
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
        )
        new_block = comment_block(row.id, row.comment or "", row.ack)  # type: ignore[arg-type]
    message = body.get("message") or {}
    blocks = [
        new_block if b.get("block_id") == new_block["block_id"] else b for b in message.get("blocks", [])
    ]
    client.chat_update(
        channel=body["container"]["channel_id"],
        ts=body["container"]["message_ts"],
        blocks=blocks,
        text=message.get("text") or "Survey results",
    )
