"""SYMMETRY_EMPLOYEE_FEATURES=false, through real HTTP: every employee command, button and modal is
still heard and answers a clear ephemeral note (in French for a French-speaking person); the customer
side answers as before; the manifest made with the features off leaves the employee commands out."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db import session_factory, session_scope
from bot.entry.deps import Deps
from bot.sandbox.harness import BotHarness, sandbox_settings
from bot.sandbox.standin import SlackStandIn
from bot.slack.blocks import pulse as pulse_ui
from bot.slack.blocks import stories as stories_ui
from bot.slack.manifest import build_manifest
from models.pulse import PulseAnswer
from tests.conftest import wait_for

EN = "Employee features are turned off in this workspace: ask your Symmetry admin."
FR = "Les fonctions employés sont désactivées dans cet espace de travail"


@pytest.fixture
def off(engine, clock):  # type: ignore[no-untyped-def]
    """The bot with the employee features off and, as such a workspace would, no secret key."""
    standin = SlackStandIn().start()
    settings = sandbox_settings(
        "sqlite://", standin.api_url, SYMMETRY_EMPLOYEE_FEATURES=False, SYMMETRY_SECRET_KEY=None
    )
    bot = BotHarness.start("", deps=Deps(settings=settings, factory=session_factory(engine), clock=clock),
                           standin=standin)  # fmt: skip
    bot.standin.add_user("U0MARIE", "marie", locale="fr-FR")
    yield bot
    bot.stop()


def _card(h, channel: str, action_id: str) -> dict:  # type: ignore[no-untyped-def]
    """A message carrying an employee button, as an old story card or survey DM still would."""
    button = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": "go"},
        "value": "1",
    }
    h.client.chat_postMessage(channel=channel, text="old", blocks=[{"type": "actions", "elements": [button]}])
    return h.standin.messages(channel)[-1]


@pytest.mark.parametrize(
    "command, text",
    [
        ("/pulse", ""),
        ("/pulse", "4"),
        ("/bestfailure", ""),
        ("/suggest", "more coffee"),
        ("/enps", "last month"),
    ],  # fmt: skip
)
def test_each_employee_command_answers_the_note_and_does_nothing_else(off, command, text) -> None:  # type: ignore[no-untyped-def]
    ack = off.sender.slash_command(command, text)
    assert ack.status_code == 200 and ack.json() == {"response_type": "ephemeral", "text": EN}
    assert off.standin.opened_views == [] and off.standin.responses == []
    with session_scope(off.deps.factory) as session:
        assert session.execute(select(func.count()).select_from(PulseAnswer)).scalar_one() == 0


def test_buttons_modals_and_symmetry_subcommands_answer_it_too_in_the_persons_language(off) -> None:  # type: ignore[no-untyped-def]
    card = _card(off, "C0SUPPORT", stories_ui.ACT_VOTE)
    assert off.sender.block_action(stories_ui.ACT_VOTE, message=card, user_id="U0AGENT").status_code == 200
    note = wait_for(lambda: [r for r in off.standin.responses if r.payload.get("text") == EN])
    assert note[0].user_id == "U0AGENT"
    off.sender.slash_command("/symmetry", "survey status", user_id="U0MARIE")  # Marie's Slack locale: fr-FR
    said = wait_for(lambda: [r for r in off.standin.responses if r.user_id == "U0MARIE"])
    assert FR in said[0].payload["text"]
    dm = off.standin.dm_channel_id("U0MARIE")
    survey = _card(off, dm, "survey:enps:7")  # a survey DM sent before the features were turned off
    off.sender.block_action("survey:enps:7", message=survey, user_id="U0MARIE", channel_id=dm)
    assert wait_for(lambda: len([r for r in off.standin.responses if FR in r.payload.get("text", "")]) == 2)
    submitted = off.sender.view_submission(pulse_ui.CALLBACK, {}, user_id="U0AGENT").json()
    assert submitted["response_action"] == "update" and EN in str(submitted["view"]["blocks"])


def test_the_customer_side_answers_as_before(off) -> None:  # type: ignore[no-untyped-def]
    off.sender.slash_command("/nps", "last week")
    answer = wait_for(lambda: off.standin.responses)
    assert "You're not in a team yet" in answer[0].payload["text"]  # the usual answer, not the note
    off.sender.slash_command("/symmetry", "help")
    help_ = wait_for(lambda: off.standin.responses[1:])
    assert "Symmetry commands" in help_[0].payload["text"] and EN not in help_[0].payload["text"]


def test_the_manifest_made_with_the_features_off_leaves_the_employee_commands_out() -> None:
    on = build_manifest(base_url=None, socket_mode=True)
    off = build_manifest(base_url=None, socket_mode=True, employee_features=False)
    names = lambda m: {c["command"] for c in m["features"]["slash_commands"]}  # noqa: E731
    assert names(on) - names(off) == {"/pulse", "/bestfailure", "/suggest", "/enps"}
    assert names(off) == {"/nps", "/csat", "/kpi", "/symmetry"}
    assert set(on["oauth_config"]["scopes"]["bot"]) - set(off["oauth_config"]["scopes"]["bot"]) == {
        "groups:read",
        "im:history",
    }
