"""The admins' "Survey rounds" section of the App Home, through real HTTP and the stand-in: signed
block_actions from the published Home, confirm dialogs, the redraw, and a forged click refused."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db import session_scope
from bot.services.people.roles import assign_team, grant_role
from bot.slack.ids import SurveyHomeAction
from models.survey import SurveyDelivery, SurveyRound
from models.team import Team
from tests.conftest import wait_for
from tests.factories import make_team

PEOPLE = [f"U0P{n}" for n in range(1, 7)]
ADMIN, AGENT = "U0ADMIN", "U0AGENT"


def _setup(h, now) -> int:  # type: ignore[no-untyped-def]
    s = h.standin
    for uid in PEOPLE:
        s.add_user(uid, uid.lower(), tz="Europe/Paris")
    s.add_user(ADMIN, "admin")
    s.add_channel("C0CARE", "care", members=PEOPLE)
    s.add_channel("C0MGRS", "care-managers")
    team = make_team(h.deps.factory, name="Care", channel="C0CARE", now=now)
    with session_scope(h.deps.factory) as session:
        session.get(Team, team.id).managers_channel = "C0MGRS"  # type: ignore[union-attr]
        grant_role(session, ADMIN, role="admin", now=now)
        assign_team(session, AGENT, team="Care", now=now)
    return team.id


def _home(h, user: str, needle: str) -> dict:  # type: ignore[no-untyped-def]
    return wait_for(lambda: (v := h.standin.home_view(user)) and needle in str(v) and v)


def _buttons(view: dict) -> dict[str, dict]:
    return {e["action_id"]: e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]}


def _rounds(h) -> list[SurveyRound]:  # type: ignore[no-untyped-def]
    with session_scope(h.deps.factory) as session:
        return list(session.exec(select(SurveyRound)).scalars())


def test_an_admin_opens_checks_and_closes_a_round_from_the_home(harness, now) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _setup(h, now)
    h.sender.app_home_opened(ADMIN)
    home = _home(h, ADMIN, "Survey rounds")
    assert "*Care* · no round yet" in str(home)
    opening = _buttons(home)[SurveyHomeAction.OPEN]
    assert (
        opening["confirm"]["title"]["text"] == "Open a round now?"
        and opening["confirm"]["deny"]["text"] == "Cancel"
    )

    h.sender.view_action(SurveyHomeAction.OPEN, view=home, user_id=ADMIN)
    home = _home(h, ADMIN, "round 1 open")
    assert "Care: round 1 open; DMs sent 7, failed 0." in str(home)  # the redraw says what the click did
    assert "fewer than 5 answered" in str(home) and "closes Thu 26 Nov 10:00 (Europe/Paris)" in str(home)
    assert all(
        h.standin.messages(uid) for uid in [*PEOPLE, AGENT]
    )  # the same service as /symmetry survey open
    assert SurveyHomeAction.OPEN not in _buttons(home)  # a round is open: Close instead of Open
    assert _buttons(home)[SurveyHomeAction.CLOSE]["confirm"]["title"]["text"] == "Close the round now?"

    h.sender.view_action(SurveyHomeAction.STATUS, view=home, user_id=ADMIN)
    home = _home(h, ADMIN, "sent 7, failed 0, waiting 0")

    h.sender.view_action(SurveyHomeAction.CLOSE, view=home, user_id=ADMIN)
    home = _home(h, ADMIN, "round 1 closed")
    assert "Closed." in str(home) and [r.status for r in _rounds(h)] == ["closed"]
    assert h.standin.messages("C0MGRS")  # results posted, as `/symmetry survey close` does


def test_non_admins_never_see_the_section_and_a_forged_click_is_refused(harness, now) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _setup(h, now)
    h.sender.app_home_opened(AGENT)
    agent_home = _home(h, AGENT, "Your verbatims")
    assert "Survey rounds" not in str(agent_home) and SurveyHomeAction.OPEN not in str(agent_home)
    h.sender.app_home_opened(ADMIN)
    admin_home = _home(h, ADMIN, "Survey rounds")
    # the agent replays the admin's button (a forged payload): refused, nothing opened, a clear note
    h.sender.view_action(SurveyHomeAction.OPEN, view=admin_home, user_id=AGENT)
    agent_home = _home(h, AGENT, "Only admins can open, close or check survey rounds")
    assert "Survey rounds" not in str(agent_home)
    assert _rounds(h) == []
    with session_scope(h.deps.factory) as session:
        assert session.execute(select(func.count()).select_from(SurveyDelivery)).scalar_one() == 0
    assert not any(h.standin.messages(uid) for uid in PEOPLE)


def test_a_close_click_without_an_open_round_says_so_in_the_home(harness, now) -> None:  # type: ignore[no-untyped-def]
    h = harness
    team_id = _setup(h, now)
    h.sender.app_home_opened(ADMIN)
    home = _home(h, ADMIN, "Survey rounds")
    stale = {  # the Home as it was drawn while a round was open, clicked after the round closed
        **home,
        "blocks": [*home["blocks"], {"type": "actions", "block_id": "stale", "elements": [{
            "type": "button", "action_id": SurveyHomeAction.CLOSE, "value": str(team_id),
            "text": {"type": "plain_text", "text": "Close round now"}}]}],
    }  # fmt: skip
    h.sender.view_action(SurveyHomeAction.CLOSE, view=stale, user_id=ADMIN)
    assert "Care has no open survey round." in str(_home(h, ADMIN, "no open survey round"))
