"""/suggest through real HTTP: the card in the managers' channel, replies relayed both ways without
anyone learning who the other is, done / won't do, closed suggestions, people in no team."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.sandbox.modals import state_for
from bot.services.people import roles as people
from bot.slack.blocks import suggestions as ui
from models.suggestion import Suggestion
from tests.conftest import wait_for
from tests.factories import make_team

MANAGERS = "C0MANAGERS"


def _setup(h, now) -> None:  # type: ignore[no-untyped-def]
    h.standin.add_channel(MANAGERS, "care-managers", is_private=True)
    h.standin.add_user("U0BOSS", "boss", real_name="Bea Boss")
    make_team(h.deps.factory, name="Care", now=now)
    with session_scope(h.deps.factory) as session:
        from bot.services.people.teams import save_team

        save_team(session, name="Care", now=now, managers_channel=MANAGERS)
        people.assign_team(session, "U0AGENT", team="Care", now=now)
        people.manage_team(session, "U0BOSS", team="Care", now=now)


def _said(h, user: str, words: str) -> str:  # type: ignore[no-untyped-def]
    """The ephemeral answer to `user` that contains `words` (waits for it)."""
    found = wait_for(
        lambda: [r for r in h.standin.responses if r.user_id == user and words in r.payload.get("text", "")]
    )
    return found[-1].payload["text"]


def _modal_submit(h, callback: str, user: str, values: dict):  # type: ignore[no-untyped-def]
    view = wait_for(lambda: h.standin.find_open_view(callback, user))
    return h.sender.view_submission(callback, state_for(view, values), user_id=user)


def test_a_suggestion_round_trip_keeps_both_sides_anonymous(harness, now) -> None:  # type: ignore[no-untyped-def]
    _setup(harness, now)
    ack = harness.sender.slash_command("/suggest", "More coffee <!channel> " + "x" * 3000, user_id="U0AGENT")
    assert ack.status_code == 200
    card = wait_for(lambda: harness.standin.messages(MANAGERS))[0]
    assert (
        "U0AGENT" not in str(card)
        and "&lt;!channel&gt;" in str(card["blocks"])
        and "<!channel>" not in str(card)
    )
    with session_scope(harness.deps.factory) as session:
        (row,) = session.execute(select(Suggestion)).scalars()
        assert row.text.endswith("x" * 3000) and "U0AGENT" not in row.author_key + row.author_box
    # a manager replies, unsigned
    harness.sender.block_action(ui.ACT_REPLY, message=card, user_id="U0BOSS", channel_id=MANAGERS)
    _modal_submit(harness, ui.REPLY, "U0BOSS", {ui.TEXT: "Good idea, which brand?", ui.PRIVACY: ui.ANONYMOUS})
    dm = wait_for(lambda: harness.standin.messages("U0AGENT"))[-1]
    assert "which brand" in dm["text"] and "U0BOSS" not in str(dm) and "Your managers" in dm["text"]
    # the author answers from the DM; the managers see it in the card's thread, unnamed
    harness.sender.block_action(
        ui.ACT_ANSWER, message=dm, user_id="U0AGENT", channel_id=harness.standin.dm_channel_id("U0AGENT")
    )
    _modal_submit(harness, ui.ANSWER, "U0AGENT", {ui.TEXT: "The fair-trade one"})
    thread = wait_for(
        lambda: [m for m in harness.standin.thread(MANAGERS, card["ts"]) if "fair-trade" in m["text"]]
    )
    assert thread[0]["text"].startswith("The author:") and "U0AGENT" not in str(thread)
    # won't do, with a reason: the card redraws, the author is told
    harness.sender.block_action(ui.ACT_WONT, message=card, user_id="U0BOSS", channel_id=MANAGERS)
    _modal_submit(harness, ui.CLOSE, "U0BOSS", {ui.REASON: "Budget", ui.PRIVACY: ui.ANONYMOUS})
    assert wait_for(lambda: "Won't do" in str(harness.standin.messages(MANAGERS)[0]["blocks"]))
    told = wait_for(lambda: [m for m in harness.standin.messages("U0AGENT") if "won't do" in m["text"]])
    assert "Budget" in told[0]["text"]
    # a reply to the closed suggestion (from an old copy of the card): a clear note
    harness.sender.block_action(ui.ACT_REPLY, message=card, user_id="U0BOSS", channel_id=MANAGERS)
    assert "won't do" in _said(harness, "U0BOSS", "closed")


def test_an_agent_cannot_reply_and_someone_in_no_team_is_kept_for_admins(harness, now) -> None:  # type: ignore[no-untyped-def]
    _setup(harness, now)
    harness.sender.slash_command("/suggest", "Idea", user_id="U0AGENT")
    card = wait_for(lambda: harness.standin.messages(MANAGERS))[0]
    harness.sender.block_action(ui.ACT_REPLY, message=card, user_id="U0AGENT", channel_id=MANAGERS)
    _said(harness, "U0AGENT", "Only the team's managers")
    harness.standin.add_user("U0LONER", "loner")
    harness.sender.slash_command("/suggest", "Orphan idea", user_id="U0LONER")
    assert "symmetry people assign" in _said(harness, "U0LONER", "kept for the admins")
    with session_scope(harness.deps.factory) as session:
        orphan = session.execute(select(Suggestion).where(Suggestion.team_id.is_(None))).scalar_one()
        assert orphan.text == "Orphan idea"
    listed = harness.sender.slash_command("/suggest", "list", user_id="U0BOSS")
    assert listed.status_code == 200
    assert "Orphan" not in _said(harness, "U0BOSS", "*Suggestions*")  # the no-team one is for admins
