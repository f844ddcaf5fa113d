"""A whole survey round through real HTTP and the stand-in: open -> DMs -> clicks -> reminder ->
close -> results, exactly once, and the bad clicks the issue lists."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.db import session_scope
from bot.services.employees.survey_pacer import Pacer
from bot.services.employees.surveys import set_schedule
from bot.services.people.roles import assign_team, grant_role, manage_team
from jobs import survey_close, survey_open, survey_remind, survey_send
from models.survey import SurveyAnswered, SurveyDelivery, SurveyResponse, SurveyRound
from models.team import Team
from tests.conftest import wait_for
from tests.factories import make_team

PEOPLE = [f"U0P{n}" for n in range(1, 7)]
FAST = Pacer(rate=500, burst=500)


def _setup(h, now):  # type: ignore[no-untyped-def]
    s = h.standin
    for uid in PEOPLE:
        s.add_user(uid, uid.lower(), tz="Europe/Paris", locale="fr-FR" if uid == "U0P6" else "en-GB")
    s.add_user("U0HELPER", "helperbot", is_bot=True)
    s.add_user("U0LEFT", "left", deleted=True)
    s.add_user("U0MGR", "manager")
    s.add_channel("C0CARE", "care", members=[*PEOPLE[:5], "U0HELPER", "U0LEFT", "U0BOT"])
    s.add_channel("C0MGRS", "care-managers")
    team = make_team(h.deps.factory, name="Care", channel="C0CARE", now=now)
    with session_scope(h.deps.factory) as session:
        row = session.get(Team, team.id)
        row.managers_channel = "C0MGRS"
        set_schedule(session, team=row, now=now, weekday=0, at="10:00", days_open=3)
        assign_team(session, "U0P6", team="Care", now=now)  # assigned, not in the channel
        grant_role(session, "U0MGR", role="manager", now=now)
        manage_team(session, "U0MGR", team="Care", now=now)
    return team


def _dm(h, uid):  # type: ignore[no-untyped-def]
    return h.standin.messages(uid)[0]


def _click(h, uid, action_id, value=None):  # type: ignore[no-untyped-def]
    message = _dm(h, uid)
    return h.sender.block_action(
        action_id, value, message=message, user_id=uid, channel_id=message["channel"]
    )


def _answer_all(h, uid, round_id, score):  # type: ignore[no-untyped-def]
    for q in ("quality", "recommend", "enps"):
        _click(h, uid, f"survey:{q}:{score}")
    _click(h, uid, f"survey:driver:{min(score, 5)}")
    _click(h, uid, "survey:reason", f"{round_id}:delivery")


def test_a_round_from_opening_to_results_exactly_once(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    clock.advance(hours=1)  # Monday 10:00 Paris
    _setup(h, clock.now())
    (opened,) = survey_open.tick(h.deps, client=h.client)
    assert (opened.status, opened.invited) == (
        "open",
        6,
    )  # 5 in the channel + 1 assigned; no bot, no deactivated
    assert survey_open.tick(h.deps, client=h.client) == []  # the same week never opens twice
    report = survey_send.send_due(h.deps, client=h.client, pacer=FAST)
    assert report.sent == 6 and report.failed == 0
    assert survey_send.send_due(h.deps, client=h.client, pacer=FAST).sent == 0
    assert all(len(h.standin.messages(uid)) == 1 for uid in PEOPLE)
    assert "Sondage" in _dm(h, "U0P6")["blocks"][0]["text"]["text"]  # French locale, French DM

    round_id = opened.round_id
    for n, uid in enumerate(PEOPLE[:5]):
        _answer_all(h, uid, round_id, 10 - n)
    wait_for(lambda: "All answered" in json.dumps(_dm(h, "U0P1")["blocks"]))
    _click(h, "U0P1", "survey:quality:3")  # changed before the close
    _click(h, "U0P1", "survey:quality:3")  # a second identical click counts once
    wait_for(lambda: "*3*" in json.dumps(_dm(h, "U0P1")["blocks"]))
    with session_scope(h.deps.factory) as session:
        assert session.execute(select(func.count()).select_from(SurveyResponse)).scalar() == 5
        assert "U0P1" not in json.dumps(
            [r.respondent for r in session.execute(select(SurveyResponse)).scalars()]
        )
        session.get(SurveyResponse, 1).comment = "More staff on Mondays please"

    clock.advance(days=1, hours=12)  # half-way
    assert survey_remind.tick(h.deps, client=h.client, pacer=FAST) == {round_id: 1}
    assert survey_remind.tick(h.deps, client=h.client, pacer=FAST) == {}
    reminded = [uid for uid in PEOPLE if h.standin.messages(uid)[0]["replies"]]
    assert reminded == ["U0P6"] and "rappel" in h.standin.messages("U0P6")[0]["replies"][0]["text"]

    clock.advance(days=2)
    survey_close.tick(h.deps, client=h.client)
    survey_close.tick(h.deps, client=h.client)  # nothing posted twice
    results, shared = h.standin.messages("C0MGRS")  # the results, then the chart's file_share message
    assert shared.get("subtype") == "file_share" or shared.get("files"), shared
    assert "5 of 6 answered (83%)" in json.dumps(results["blocks"])
    assert "More staff on Mondays please" in json.dumps(results["blocks"])
    assert len(h.standin.messages("C0CARE")) == 1
    (chart,) = [f for f in h.standin.files if f.channel == "C0MGRS"]  # once, though the job ran twice
    assert chart.content.startswith(b"\x89PNG") and chart.title == "Survey results, Care, round 1"
    assert not [f for f in h.standin.files if f.channel == "C0CARE"]  # the team channel: the short text only
    with session_scope(h.deps.factory) as session:
        assert session.execute(select(func.count()).select_from(SurveyAnswered)).scalar() == 0  # purged
        assert session.get(SurveyRound, round_id).status == "closed"

    late = _click(h, "U0P2", "survey:enps:0")
    assert late.status_code == 200
    note = wait_for(lambda: [e for e in h.standin.ephemerals(user="U0P2") if "closed" in e["text"]])
    assert note
    with session_scope(h.deps.factory) as session:
        assert json.loads(session.get(SurveyRound, round_id).results)["figures"]["enps"]["n"] == 5

    comment_block = next(b for b in results["blocks"] if b.get("block_id", "").startswith("comment_"))
    h.sender.block_action(
        comment_block["accessory"]["action_id"],
        comment_block["accessory"]["options"][2]["value"],
        message=results,
        user_id="U0MGR",
        channel_id="C0MGRS",
        block_id=comment_block["block_id"],
    )
    wait_for(lambda: "We'll act" in json.dumps(h.standin.messages("C0MGRS")[0]["blocks"]))


def test_a_click_from_someone_not_surveyed_is_refused_and_not_counted(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    _setup(h, clock.now())
    with session_scope(h.deps.factory) as session:
        team = session.get(Team, 1)
    outcome = survey_open.open_for_team(h.deps, team, client=h.client, now=clock.now())
    survey_send.send_due(h.deps, client=h.client, pacer=FAST)
    message = _dm(h, "U0P1")
    h.sender.block_action("survey:enps:9", message=message, user_id="U0MGR", channel_id=message["channel"])
    wait_for(lambda: [e for e in h.standin.ephemerals(user="U0MGR") if "someone else" in e["text"]])
    with session_scope(h.deps.factory) as session:
        assert session.execute(select(func.count()).select_from(SurveyResponse)).scalar() == 0
        assert session.execute(select(func.count()).select_from(SurveyDelivery)).scalar() == 6
    assert outcome.status == "open"


def test_a_team_without_channel_or_members_is_skipped_and_others_go_on(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    clock.advance(hours=1)
    _setup(h, clock.now())
    lonely = make_team(h.deps.factory, name="Lonely", channel="C0NOWHERE", now=clock.now())
    with session_scope(h.deps.factory) as session:
        set_schedule(session, team=session.get(Team, lonely.id), now=clock.now())
    outcomes = {o.team: o for o in survey_open.tick(h.deps, client=h.client)}
    assert outcomes["Care"].status == "open"
    assert outcomes["Lonely"].status == "skipped" and "channel_not_found" in outcomes["Lonely"].detail
    from bot.services.employees.survey_status import survey_status

    with session_scope(h.deps.factory) as session:
        _, lines = survey_status(session)
    assert any(line.team == "Lonely" and line.skip_reason for line in lines)
    clock.advance(days=3)
    survey_close.tick(h.deps, client=h.client)  # a skipped round is never closed nor posted
    assert h.standin.messages("C0MGRS")[0]["text"].startswith("Survey results, Care")


def test_a_comment_through_the_modal_and_the_report_in_slack(harness, clock) -> None:  # type: ignore[no-untyped-def]
    from bot.sandbox.modals import state_for
    from bot.slack.blocks import survey as ui

    h = harness
    _setup(h, clock.now())
    with session_scope(h.deps.factory) as session:
        team = session.get(Team, 1)
    survey_open.open_for_team(h.deps, team, client=h.client, now=clock.now())
    survey_send.send_due(h.deps, client=h.client, pacer=FAST)
    _click(h, "U0P1", "survey:comment")
    view = wait_for(lambda: h.standin.find_open_view(ui.COMMENT_CALLBACK, "U0P1"))
    with pytest.raises(ValueError, match="max_length"):  # Slack itself would not submit 1,001 characters
        h.sender.view_submission(
            ui.COMMENT_CALLBACK, state_for(view, {"comment": "x" * 1001}), user_id="U0P1"
        )
    ok = h.sender.view_submission(
        ui.COMMENT_CALLBACK, state_for(view, {"comment": "Too many tickets <!channel>"}), user_id="U0P1"
    )
    assert ok.status_code == 200
    wait_for(lambda: "Too many tickets &lt;!channel&gt;" in json.dumps(_dm(h, "U0P1")["blocks"]))
    with session_scope(h.deps.factory) as session:
        (row,) = session.execute(select(SurveyResponse)).scalars().all()
        assert row.comment == "Too many tickets <!channel>"  # stored intact, shown escaped

    h.sender.slash_command("/symmetry", "report last month for Care", user_id="U0MGR")
    answer = wait_for(
        lambda: [e for e in h.standin.ephemerals(user="U0MGR") if "Symmetry report" in e["text"]]
    )
    assert "Care" in answer[0]["text"] and "Chart sent to you in a DM" in answer[0]["text"]
    (chart,) = wait_for(lambda: [f for f in h.standin.files if "Symmetry" in (f.title or "")])
    assert chart.content.startswith(b"\x89PNG") and chart.channel != "C0MGRS"  # the asker's DM
    h.sender.slash_command("/symmetry", "survey status", user_id="U0P2")
    wait_for(lambda: [e for e in h.standin.ephemerals(user="U0P2") if "Only admins" in e["text"]])


def test_a_rate_limited_chart_is_posted_on_the_next_run_once(harness, clock) -> None:  # type: ignore[no-untyped-def]
    h = harness
    answered_round(h, clock, best=9)
    clock.advance(days=3)
    h.standin.fail_next("files.getUploadURLExternal", status=429, retry_after=0)
    survey_close.tick(h.deps, client=h.client)
    assert h.standin.messages("C0MGRS")[0]["text"].startswith("Survey results, Care")
    assert not h.standin.files  # Slack took nothing: the text results stand, the chart waits
    survey_close.tick(h.deps, client=h.client)
    survey_close.tick(h.deps, client=h.client)
    assert len([f for f in h.standin.files if f.channel == "C0MGRS"]) == 1


def answered_round(h, clock, *, best: int) -> int:  # type: ignore[no-untyped-def]
    """Monday 10:00: a round opens for six people, its DMs go, five answer (scores best, best-1, ...)."""
    clock.advance(hours=1)
    _setup(h, clock.now())
    (opened,) = survey_open.tick(h.deps, client=h.client)
    survey_send.send_due(h.deps, client=h.client, pacer=FAST)
    for n, uid in enumerate(PEOPLE[:5]):
        _answer_all(h, uid, opened.round_id, best - n)
    wait_for(lambda: "All answered" in json.dumps(_dm(h, "U0P5")["blocks"]))
    return opened.round_id
