"""After a round closes, through real HTTP and the stand-in: every survey DM redrawn closed (no
button left), once, across a failure mid-way; a manager's reply to a comment relayed through the
/suggest relay to everyone surveyed, once each, across a crash, naming nobody."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.db import session_scope
from bot.sandbox.modals import state_for
from bot.slack.blocks import survey_relay as ui
from bot.slack.blocks.survey_relay import build_closed_dm
from jobs import survey_close, survey_send
from jobs.survey_closed_dms import redraw_closed
from models.suggestion import RelayMessage, RelayRecipient
from models.survey import SurveyDelivery, SurveyResponse
from tests.conftest import wait_for
from tests.test_e2e_survey import FAST, PEOPLE, _click, _dm, answered_round


def _closed_round(h, clock) -> int:  # type: ignore[no-untyped-def]
    """Six people surveyed, five answered, one comment; the round closed and its results posted."""
    round_id = answered_round(h, clock, best=10)
    with session_scope(h.deps.factory) as session:
        session.execute(select(SurveyResponse)).scalars().first().comment = (  # type: ignore[union-attr]
            "The new ticket tool loses my drafts every afternoon and I rewrite replies twice"
        )
    clock.advance(days=3)
    survey_close.tick(h.deps, client=h.client)
    return round_id


def _has_buttons(message: dict) -> bool:
    return any(b.get("type") == "actions" or "accessory" in b for b in message["blocks"])


def test_closed_rounds_dms_are_redrawn_once_without_buttons(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _closed_round(h, clock)
    assert all(_has_buttons(_dm(h, uid)) for uid in PEOPLE)  # closing itself redraws nothing
    h.standin.fail_next("chat.update", status=500, times=1)  # Slack fails on the first redraw
    assert redraw_closed(h.deps, client=h.client) == 0  # the rest waits for the next tick
    assert redraw_closed(h.deps, client=h.client) == 6
    assert redraw_closed(h.deps, client=h.client) == 0  # nothing redrawn twice
    for uid in PEOPLE:
        dm = _dm(h, uid)
        assert not _has_buttons(dm), uid
        assert "closed" in dm["text"] or "clos" in dm["text"]
    assert "clos depuis" in _dm(h, "U0P6")["text"]  # in the person's language
    # the five who answered and the one who did not (U0P6) see the round's words, nothing of their own
    words = {lang: build_closed_dm(lang, title=f"{t}, Care", day="2026-11-26")[1]
             for lang, t in (("en", "Weekly survey"), ("fr", "Sondage de la semaine"))}  # fmt: skip
    assert [_dm(h, uid)["text"] for uid in PEOPLE] == [words["en"]] * 5 + [words["fr"]]
    updates = [c for c in h.standin.calls_to("chat.update") if c.http_status == 200]
    assert sorted(c.args["channel"] for c in updates) == sorted({c.args["channel"] for c in updates})
    with session_scope(h.deps.factory) as session:
        marks = session.execute(select(SurveyDelivery.closed_view)).scalars().all()
    assert marks == ["done"] * 6


def test_a_click_on_a_button_of_a_closed_round_gets_the_note_before_and_after_the_redraw(
    harness, clock
) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _closed_round(h, clock)
    stale = _dm(h, "U0P6")  # the DM as the person's client still shows it
    _click(h, "U0P6", "survey:enps:3")
    wait_for(lambda: [e for e in h.standin.ephemerals(user="U0P6") if "closed" in e["text"]])
    survey_send.tick(h.deps, client=h.client)  # the job redraws (and sends nothing new)
    assert not _has_buttons(_dm(h, "U0P6"))
    h.sender.block_action("survey:enps:3", message=stale, user_id="U0P6", channel_id=stale["channel"])
    wait_for(lambda: len([e for e in h.standin.ephemerals(user="U0P6") if "closed" in e["text"]]) == 2)


def _reply(h, text: str, *, user: str = "U0MGR", signed: bool = False):  # type: ignore[no-untyped-def]
    results = h.standin.messages("C0MGRS")[0]
    block = next(b for b in results["blocks"] if b.get("block_id", "").startswith("comment_"))
    reply = next(o for o in block["accessory"]["options"] if o["value"].endswith(":reply"))
    h.sender.block_action(
        block["accessory"]["action_id"], reply["value"], message=results, user_id=user,
        channel_id="C0MGRS", block_id=block["block_id"],
    )  # fmt: skip
    if user != "U0MGR":
        return None
    view = wait_for(lambda: h.standin.find_open_view(ui.REPLY_CALLBACK, user))
    values = {ui.TEXT: text} | ({ui.PRIVACY: "signed"} if signed else {})
    return h.sender.view_submission(ui.REPLY_CALLBACK, state_for(view, values), user_id=user)


def test_a_reply_to_a_comment_reaches_everyone_surveyed_once_naming_nobody(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _closed_round(h, clock)
    _reply(h, "We reported the drafts bug; a fix ships Thursday.")
    wait_for(lambda: h.standin.messages("C0MGRS")[0]["replies"])  # the other managers see it
    wait_for(lambda: _count(h, RelayRecipient) == 6)  # no relay delay here: expanded at once

    class Crash(Exception):
        pass

    def crash_on_third(row) -> None:  # type: ignore[no-untyped-def]
        if row.slack_user_id == "U0P3":
            raise Crash

    with pytest.raises(Crash):
        survey_send.send_replies(h.deps, client=h.client, pacer=FAST, after_send=crash_on_third)
    report = survey_send.send_replies(h.deps, client=h.client, pacer=FAST)
    assert report.recovered >= 1  # Slack had it: found by its metadata, not sent again
    assert survey_send.send_replies(h.deps, client=h.client, pacer=FAST).sent == 0
    for uid in PEOPLE:  # the five who answered and the one who did not: one reply each
        replies = [m for m in h.standin.messages(uid) if "replied to a comment" in m["text"]
                   or "répondu à un commentaire" in m["text"]]  # fmt: skip
        assert len(replies) == 1, uid
        assert "drafts bug" in replies[0]["text"] and "U0MGR" not in json.dumps(replies[0])
        assert "The new ticket tool loses my drafts" in replies[0]["text"]
    with session_scope(h.deps.factory) as session:
        (message,) = session.execute(select(RelayMessage)).scalars().all()
        assert message.delivered and message.signed_by is None and message.suggestion_id is None


def test_a_signed_reply_names_the_manager_and_others_cannot_reply(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _closed_round(h, clock)
    _reply(h, "anything", user="U0P1")  # an agent picks "Reply…": refused, nothing queued
    wait_for(lambda: [e for e in h.standin.ephemerals(user="U0P1") if "managers" in e["text"]])
    assert _count(h, RelayMessage) == 0
    assert h.standin.find_open_view(ui.REPLY_CALLBACK, "U0P1") is None
    _reply(h, "Thanks, on it.", signed=True)
    wait_for(lambda: _count(h, RelayRecipient) == 6)
    survey_send.send_replies(h.deps, client=h.client, pacer=FAST)
    assert "<@U0MGR> replied to a comment" in h.standin.messages("U0P2")[-1]["text"]


def _count(h, model) -> int:  # type: ignore[no-untyped-def]
    with session_scope(h.deps.factory) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar() or 0)
