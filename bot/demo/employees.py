"""The employee side of `symmetry demo`, through the stand-in: people answer /pulse with the real
modal round-trip, one tells a best failure, another votes, one suggestion gets a reply, and the
terminal shows what each person and channel received."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.db import session_scope
from bot.sandbox.harness import BotHarness
from bot.sandbox.modals import state_for
from bot.sandbox.render import render_channel
from bot.services.employees.settings import set_setting
from bot.services.people import roles as people
from bot.services.people.teams import save_team
from bot.slack.blocks import pulse as pulse_ui
from bot.slack.blocks import stories as story_ui
from bot.slack.blocks import suggestions as suggest_ui

STORIES, MANAGERS = "C0DEMOSTORIES", "C0DEMOMANAGERS"
PEOPLE = {
    "U0EMMA": "Emma",
    "U0HUGO": "Hugo",
    "U0LEA": "Léa",
    "U0NOAH": "Noah",
    "U0CHLOE": "Chloé",
    "U0MIA": "Mia",
}


def wait_until(condition: Callable[[], object], timeout: float = 20.0) -> object:
    """Bolt acks first and finishes the listener after: wait for its effect to show (the value, or None
    after `timeout` seconds; a busy machine can take several seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.02)
    return None


def _submit(h: BotHarness, callback: str, user: str, values: dict) -> None:
    view = wait_until(lambda: h.standin.find_open_view(callback, user))
    if view is not None:
        h.sender.view_submission(callback, state_for(view, values), user_id=user)  # type: ignore[arg-type]


def play_employee_side(h: BotHarness, team: str, echo: Callable[[str], None]) -> None:
    deps, standin, now = h.deps, h.standin, h.deps.clock.now()
    standin.add_channel(STORIES, "best-failures")
    standin.add_channel(MANAGERS, "care-managers", is_private=True)
    with session_scope(deps.factory) as session:
        save_team(session, name=team, now=now, managers_channel=MANAGERS)
        set_setting(session, "stories_channel", STORIES)
        for user, name in PEOPLE.items():
            standin.add_user(user, name.lower(), real_name=name)
            people.assign_team(session, user, team=team, now=now)
        people.manage_team(session, "U0MIA", team=team, now=now)
    echo("\n" + "=" * 100 + "\nEmployee side: /pulse through the modal, a best failure, a vote, a suggestion")
    for i, user in enumerate(list(PEOPLE)[:5]):
        h.sender.slash_command("/pulse", "", user_id=user)
        _submit(
            h, pulse_ui.CALLBACK, user, {pulse_ui.SCORE: str(3 + i % 3), pulse_ui.PRIVACY: pulse_ui.ANONYMOUS}
        )
    h.sender.slash_command("/bestfailure", "", user_id="U0EMMA")
    _submit(h, story_ui.CALLBACK, "U0EMMA", {"what_went_wrong": "A customer's refund got lost twice",
            "what_i_did": "Called finance, then the customer, every day", "how_it_ended": "Refunded, and a thank-you note"})  # fmt: skip
    card: list = wait_until(lambda: standin.messages(STORIES))  # type: ignore[assignment]
    if card:
        h.sender.block_action(story_ui.ACT_VOTE, message=card[0], user_id="U0HUGO", channel_id=STORIES)
        wait_until(lambda: "· 1" in str(standin.messages(STORIES)[0]["blocks"]))
    h.sender.slash_command("/suggest", "Could we get a shared macro for refund delays?", user_id="U0LEA")
    suggestion: list = wait_until(lambda: standin.messages(MANAGERS))  # type: ignore[assignment]
    if suggestion:
        h.sender.block_action(
            suggest_ui.ACT_REPLY, message=suggestion[0], user_id="U0MIA", channel_id=MANAGERS
        )
        _submit(
            h,
            suggest_ui.REPLY,
            "U0MIA",
            {suggest_ui.TEXT: "Good idea: draft one and we'll review it Friday."},
        )
        wait_until(lambda: len(standin.messages("U0LEA")) >= 2)
    for channel in (STORIES, MANAGERS, "U0LEA", "U0EMMA"):
        echo("\n" + render_channel(standin, channel))
