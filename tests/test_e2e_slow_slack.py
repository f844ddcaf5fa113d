"""When Slack's Web API is slow, employee clicks and submissions are still acknowledged at once (the
slow call runs on the answer queue, bot/entry/answers.py), and the slow work still happens, once."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from bot.db import session_scope
from bot.sandbox.modals import state_for
from bot.slack.blocks import pulse as pulse_ui
from bot.slack.blocks import survey as survey_ui
from jobs import survey_open, survey_send
from models.pulse import PulseAnswer
from models.survey import SurveyResponse
from models.team import Team
from tests.conftest import wait_for
from tests.test_e2e_survey import FAST, _click, _dm, _setup

SLOW = 3.5  # longer than Slack waits for an ack: any of these calls before the ack would time it out
WELL_WITHIN = 3.0  # Slack's ack limit: an ack that waited for any slowed call would take 3.5 s or more


def _timed(send):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def test_survey_click_comment_and_pulse_are_acked_at_once_while_slack_is_slow(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _setup(h, clock.now())
    with session_scope(h.deps.factory) as session:
        team = session.get(Team, 1)
    survey_open.open_for_team(h.deps, team, client=h.client, now=clock.now())
    survey_send.send_due(h.deps, client=h.client, pacer=FAST)
    h.sender.slash_command("/pulse", "", user_id="U0P2")  # views.open is not slowed: the modals open
    pulse_view = wait_for(lambda: h.standin.find_open_view(pulse_ui.CALLBACK, "U0P2"))
    _click(h, "U0P1", "survey:comment")
    comment_view = wait_for(lambda: h.standin.find_open_view(survey_ui.COMMENT_CALLBACK, "U0P1"))
    for method in ("chat.update", "chat.postMessage", "response_url"):
        h.standin.set_latency(method, SLOW)

    click, click_s = _timed(lambda: _click(h, "U0P3", "survey:quality:4"))
    comment, comment_s = _timed(
        lambda: h.sender.view_submission(
            survey_ui.COMMENT_CALLBACK,
            state_for(comment_view, {"comment": "Too many tickets"}),
            user_id="U0P1",
        )
    )
    pulse, pulse_s = _timed(
        lambda: h.sender.view_submission(
            pulse_ui.CALLBACK, state_for(pulse_view, {pulse_ui.SCORE: "4", pulse_ui.PRIVACY: pulse_ui.ANONYMOUS}),
            user_id="U0P2",
        )
    )  # fmt: skip
    assert [r.status_code for r in (click, comment, pulse)] == [200, 200, 200]
    assert max(click_s, comment_s, pulse_s) < WELL_WITHIN, (click_s, comment_s, pulse_s)
    assert pulse.json()["response_action"] == "update"  # the confirmation still comes in the ack

    # the slow work completes, exactly once each
    redraws = wait_for(lambda: [r for r in h.standin.responses if r.user_id == "U0P3"])
    updates = wait_for(lambda: h.standin.calls_to("chat.update"))
    thanks = wait_for(lambda: [m for m in h.standin.messages("U0P2") if "Thanks, noted" in m["text"]])
    h.deps.answers.join()
    assert len(redraws) == 1 and redraws[0].payload["replace_original"] in (True, "true")
    assert len(updates) == 1 and "Too many tickets" in json.dumps(_dm(h, "U0P1")["blocks"])
    assert len(thanks) == 1
    assert len([r for r in h.standin.responses if r.user_id == "U0P3"]) == 1
    with session_scope(h.deps.factory) as session:
        answers = session.execute(select(SurveyResponse)).scalars().all()
        assert {(a.quality, a.comment) for a in answers} == {(None, "Too many tickets"), (4, None)}
        assert len(session.execute(select(PulseAnswer)).scalars().all()) == 1
