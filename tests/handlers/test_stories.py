"""/bestfailure through real HTTP: field errors, the card, 👏 votes, the story of the week once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.db import session_scope
from bot.sandbox.modals import state_for
from bot.services.employees.settings import set_setting
from bot.slack.blocks import stories as ui
from jobs import story_of_week
from models.story import Story
from tests.conftest import wait_for

STORIES = "C0STORIES"
GOOD = {
    "what_went_wrong": "Parcel lost <!channel>",
    "what_i_did": "Called the carrier",
    "how_it_ended": "Refunded, happy",
}


def _setup(h) -> None:  # type: ignore[no-untyped-def]
    h.standin.add_channel(STORIES, "best-failures")
    h.standin.add_user("U0FAN", "fan")
    with session_scope(h.deps.factory) as session:
        set_setting(session, "stories_channel", STORIES)


def _tell(h, values: dict, user: str = "U0AGENT"):  # type: ignore[no-untyped-def]
    h.sender.slash_command("/bestfailure", "", user_id=user)
    view = wait_for(lambda: h.standin.find_open_view(ui.CALLBACK, user))
    return h.sender.view_submission(ui.CALLBACK, state_for(view, values), user_id=user)


def _votes(h) -> str:  # type: ignore[no-untyped-def]
    return str(h.standin.messages(STORIES)[0]["blocks"][-1])


def test_field_errors_then_a_card_with_votes_one_per_person(harness) -> None:  # type: ignore[no-untyped-def]
    _setup(harness)
    bad = _tell(harness, {**GOOD, "how_it_ended": "   ", ui.VERBATIM: "#999"}).json()
    assert bad["response_action"] == "errors" and set(bad["errors"]) == {"how_it_ended", ui.VERBATIM}
    assert _tell(harness, GOOD).status_code == 200
    card = wait_for(lambda: harness.standin.messages(STORIES))[0]
    assert (
        "&lt;!channel&gt;" in str(card["blocks"])
        and "<@U0AGENT>" in str(card["blocks"])
        and "· 0" in str(card)
    )
    harness.sender.block_action(ui.ACT_VOTE, message=card, user_id="U0FAN", channel_id=STORIES)
    assert wait_for(lambda: "· 1" in _votes(harness))
    harness.sender.block_action(ui.ACT_VOTE, message=card, user_id="U0AGENT", channel_id=STORIES)
    assert wait_for(lambda: "· 2" in _votes(harness))
    harness.sender.block_action(ui.ACT_VOTE, message=card, user_id="U0FAN", channel_id=STORIES)  # taken back
    assert wait_for(lambda: "· 1" in _votes(harness))
    with session_scope(harness.deps.factory) as session:
        story = session.execute(select(Story)).scalar_one()
        assert story.votes == 1 and story.what_went_wrong == "Parcel lost <!channel>"
        story.deleted = True
    harness.sender.block_action(ui.ACT_VOTE, message=card, user_id="U0FAN", channel_id=STORIES)
    note = wait_for(lambda: [r for r in harness.standin.responses if "deleted" in r.payload.get("text", "")])
    assert note[0].user_id == "U0FAN"


def test_the_story_of_the_week_is_posted_once_on_friday_afternoon(harness, clock) -> None:  # type: ignore[no-untyped-def]
    _setup(harness)
    _tell(harness, GOOD)
    _tell(harness, {**GOOD, "what_went_wrong": "Second story"}, user="U0FAN")
    cards = wait_for(
        lambda: len(harness.standin.messages(STORIES)) == 2 and harness.standin.messages(STORIES)
    )
    harness.sender.block_action(ui.ACT_VOTE, message=cards[1], user_id="U0AGENT", channel_id=STORIES)
    wait_for(lambda: "· 1" in str(harness.standin.messages(STORIES)[1]["blocks"]))
    assert story_of_week.tick(deps=harness.deps, client=harness.client) == "not due"  # Monday
    clock._at = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)  # Friday 16:05, company time (UTC here)
    assert story_of_week.tick(deps=harness.deps, client=harness.client) == "posted"
    assert story_of_week.tick(deps=harness.deps, client=harness.client) == "already done"
    posted = harness.standin.messages(STORIES)[-1]
    assert "Story of the week" in posted["text"] and "Second story" in posted["text"]
    harness.sender.slash_command("/bestfailure", "list")
    assert wait_for(
        lambda: [r for r in harness.standin.responses if "Recent best failures" in r.payload.get("text", "")]
    )


def test_a_vote_while_the_card_is_still_being_saved_shows_on_the_card(harness, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The card is in the channel but its ts is not saved yet (a slow store): a vote in that moment used to
    be counted and never drawn, so the card showed 0 until the next vote."""
    import time

    from bot.services.employees import stories as service

    record_card = service.record_card

    def slow_record_card(session, **kw):  # type: ignore[no-untyped-def]
        time.sleep(1.0)
        record_card(session, **kw)

    monkeypatch.setattr(service, "record_card", slow_record_card)
    _setup(harness)
    _tell(harness, GOOD)
    card = wait_for(lambda: harness.standin.messages(STORIES))[0]  # posted; its ts being saved
    harness.sender.block_action(ui.ACT_VOTE, message=card, user_id="U0FAN", channel_id=STORIES)
    assert wait_for(lambda: "· 1" in _votes(harness))
    with session_scope(harness.deps.factory) as session:
        assert session.execute(select(Story)).scalar_one().votes == 1
