"""The "Treated" button of the App Home: a view has no channel and no response_url, so what the person
must hear (already treated, the database away) comes as a DM from the app, and the Home is redrawn."""

from __future__ import annotations

from sqlmodel import select

from bot.db import make_engine, session_factory, session_scope
from bot.services.customers import verbatims
from bot.slack.ids import DigestAction
from models import Verbatim
from tests.conftest import wait_for
from tests.factories import add_verbatims, make_team, record

AGENT = "U0AGENT"


def _claimed_home(h, now):  # type: ignore[no-untyped-def]
    make_team(h.deps.factory, now=now)
    add_verbatims(h.deps.factory, [record(1, now=now, score=2, text="Nobody called me back")], now=now)
    with session_scope(h.deps.factory) as session:
        verbatim_id = session.exec(select(Verbatim)).one().id
        verbatims.claim(session, verbatim_id=verbatim_id, user_id=AGENT, now=now)
    h.sender.app_home_opened(AGENT)
    return verbatim_id, wait_for(
        lambda: (v := h.standin.home_view(AGENT)) and "Nobody called" in str(v) and v
    )


def _dms(h) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m.get("text")) for m in h.standin.messages(AGENT)]


def test_treated_from_the_home_closes_it_and_a_second_click_is_told_in_a_dm(harness, now) -> None:  # type: ignore[no-untyped-def]
    h = harness
    verbatim_id, home = _claimed_home(h, now)
    assert h.sender.view_action(DigestAction.TREAT, view=home, user_id=AGENT).status_code == 200
    wait_for(lambda: "Nothing in your hands" in str(h.standin.home_view(AGENT)))
    with session_scope(h.deps.factory) as session:
        assert session.get(Verbatim, verbatim_id).status == "treated"  # type: ignore[union-attr]
    h.sender.view_action(
        DigestAction.TREAT, view=home, user_id=AGENT
    )  # the Home as it was, on a second device
    told = wait_for(lambda: [t for t in _dms(h) if "already treated" in t])
    assert len(told) == 1 and "Sorry, something went wrong" not in " ".join(_dms(h))


def test_treated_from_the_home_while_the_database_is_away_says_so_in_a_dm(harness, now, tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _, home = _claimed_home(h, now)
    h.deps.factory = session_factory(make_engine(f"sqlite:///{tmp_path}/missing/dir/x.db"))
    h.sender.view_action(DigestAction.TREAT, view=home, user_id=AGENT)
    told = wait_for(lambda: [t for t in _dms(h) if "database cannot be reached" in t])
    assert "nothing was saved" in told[0]
