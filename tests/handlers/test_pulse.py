"""/pulse through real HTTP: the modal round-trip, `/pulse 4`, `/pulse help`, errors, anonymity."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.sandbox.modals import state_for
from bot.slack.blocks import pulse as ui
from models.pulse import PulseAnswer
from tests.conftest import wait_for


def _submit(h, score: str, *, comment: str | None = None, privacy: str = ui.ANONYMOUS, user: str = "U0AGENT"):  # type: ignore[no-untyped-def]
    h.sender.slash_command("/pulse", "", user_id=user)
    view = wait_for(lambda: h.standin.find_open_view(ui.CALLBACK, user))
    values = {ui.SCORE: score, ui.PRIVACY: privacy} | ({ui.COMMENT: comment} if comment is not None else {})
    return h.sender.view_submission(ui.CALLBACK, state_for(view, values), user_id=user)


def _rows(h) -> list[PulseAnswer]:  # type: ignore[no-untyped-def]
    with session_scope(h.deps.factory) as session:
        return list(session.execute(select(PulseAnswer)).scalars())


def test_pulse_opens_the_modal_and_a_submission_is_stored_without_who(harness) -> None:  # type: ignore[no-untyped-def]
    response = _submit(harness, "4", comment="Long day <!channel>")
    assert response.status_code == 200 and response.json()["response_action"] == "update"
    assert "Thanks, noted" in str(response.json()["view"]) and "only you see this" in str(
        response.json()["view"]
    )
    (row,) = _rows(harness)
    assert (row.score, row.comment, row.signed_by) == (4, "Long day <!channel>", None)
    assert "U0AGENT" not in row.person_key and len(row.person_key) == 64
    dm = wait_for(lambda: harness.standin.messages("U0AGENT"))
    assert "Your last 8 weeks" in dm[-1]["text"] and dm[-1]["text"].count("·") == 7  # only this week so far


def test_answering_again_the_same_day_replaces_and_says_so(harness) -> None:  # type: ignore[no-untyped-def]
    _submit(harness, "2")
    second = _submit(harness, "5", privacy=ui.SIGNED)
    assert "replaced" in str(second.json()["view"])
    (row,) = _rows(harness)
    assert (row.score, row.signed_by) == (5, "U0AGENT")


def test_pulse_with_a_number_answers_at_once_and_help_explains_the_promise(harness) -> None:  # type: ignore[no-untyped-def]
    ack = harness.sender.slash_command("/pulse", "3 tired but ok")
    assert "Thanks, noted" in ack.json()["text"] and ack.json()["response_type"] == "ephemeral"
    assert [(r.score, r.comment) for r in _rows(harness)] == [(3, "tired but ok")]
    bad = harness.sender.slash_command("/pulse", "9")
    assert "from 1 (bad) to 5 (great)" in bad.json()["text"] and len(_rows(harness)) == 1
    help_ = harness.sender.slash_command("/pulse", "help")
    assert "K = 5" in help_.json()["text"] and "ANONYMITY.md" in help_.json()["text"]


def test_an_overlong_comment_cannot_be_submitted_and_a_stale_trigger_is_explained(harness) -> None:  # type: ignore[no-untyped-def]
    import pytest

    with pytest.raises(ValueError, match="max_length"):  # Slack's client refuses, as the stand-in does
        _submit(harness, "4", comment="x" * 1001)
    assert _rows(harness) == []
    harness.standin.set_latency("views.open", 0)  # (no-op) the trigger below is already stale
    trigger = harness.standin.issue_trigger_id("U0AGENT")
    harness.standin.register_trigger(trigger, "U0AGENT", issued_at=0.0)
    from bot.errors import InvalidInput
    from handlers.pulse import open_pulse_modal

    with pytest.raises(InvalidInput, match="try /pulse again"):
        open_pulse_modal(harness.client, {"trigger_id": trigger, "channel_id": "C0SUPPORT"})


def test_a_double_submit_is_one_answer(harness) -> None:  # type: ignore[no-untyped-def]
    harness.sender.slash_command("/pulse", "")
    view = wait_for(lambda: harness.standin.find_open_view(ui.CALLBACK, "U0AGENT"))
    state = state_for(view, {ui.SCORE: "4", ui.PRIVACY: ui.ANONYMOUS})
    from bot.sandbox.harness import SIGNING_SECRET
    from bot.sandbox.sender import SlackSender

    # the second click leaves before Slack shows the first ack: the same payload twice, on the wire
    with SlackSender(f"{harness.url}/slack/events", SIGNING_SECRET) as raw:
        acks = [raw.view_submission(ui.CALLBACK, state, view_id=view["id"]) for _ in range(2)]
    assert [a.json()["response_action"] for a in acks] == ["update", "update"]
    assert "replaced" in str(acks[1].json()) and len(_rows(harness)) == 1


def test_the_app_home_shows_my_trend_and_my_team_only_above_k(harness, now) -> None:  # type: ignore[no-untyped-def]
    from bot.services.people import roles as people
    from tests.factories import make_team
    from tests.services.employees.conftest import answer

    small = make_team(harness.deps.factory, name="Small", now=now).id
    big = make_team(harness.deps.factory, name="Big", channel="C0BIG", now=now).id
    with session_scope(harness.deps.factory) as session:
        people.assign_team(session, "U0AGENT", team="Small", now=now)
    answer(harness.deps.factory, small, ["s1", "s2"], 6, 1)
    answer(harness.deps.factory, big, [f"b{i}" for i in range(5)], 6, 4)
    harness.sender.slash_command("/pulse", "4")
    harness.sender.app_home_opened("U0AGENT")
    home = str(wait_for(lambda: harness.standin.home_view("U0AGENT")))
    assert "Your last 8 weeks" in home and "▅" in home
    assert "Team Small: fewer than 5 answers: hidden to protect anonymity" in home
    with session_scope(harness.deps.factory) as session:
        people.assign_team(session, "U0AGENT", team="Big", now=now)
    harness.sender.app_home_opened("U0AGENT")
    assert wait_for(lambda: "4.00/5" in str(harness.standin.home_view("U0AGENT")))
