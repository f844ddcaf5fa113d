"""KPI questions from Slack: signed slash commands and mentions, answered through the stand-in."""

from __future__ import annotations

from datetime import timedelta

from bot.db import session_scope
from bot.services.people import roles as people
from tests.conftest import wait_for
from tests.factories import add_verbatims, make_team, record


def _store(h, now) -> None:  # type: ignore[no-untyped-def]
    make_team(h.deps.factory, name="Care", now=now)
    make_team(h.deps.factory, name="Sales", channel="C0SALES", now=now)
    last_week = now - timedelta(
        days=5
    )  # now is Monday 23 Nov: last week is 16-22 Nov; rows go back 40 h from Wed 18
    rows = [
        record(i, now=last_week, score=s, team="Care", channel=ch, hours_ago=i)
        for i, (s, ch) in enumerate([(10, "phone"), (9, "phone"), (3, "email"), (8, "chat")] * 10)
    ]
    rows += [record(100 + i, now=last_week, score=2, team="Sales", hours_ago=i) for i in range(5)]
    add_verbatims(h.deps.factory, rows, now=now)
    with session_scope(h.deps.factory) as session:
        people.assign_team(session, "U0AGENT", team="Care", now=now)


def _reply(h, user: str = "U0AGENT"):  # type: ignore[no-untyped-def]
    return wait_for(lambda: [r for r in h.standin.responses if r.user_id == user])[-1].payload


def test_nps_last_week_answers_privately_with_the_exact_figure(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    ack = harness.sender.slash_command("/nps", "last week")
    assert ack.status_code == 200
    answer = _reply(harness)
    assert answer["response_type"] == "ephemeral"
    # Care only (the agent's team): 20 promoters, 10 passives, 10 detractors of 40 -> NPS +25
    assert "NPS +25.0" in answer["text"] and "40 responses" in answer["text"]
    assert "16" in answer["text"] and "22" in answer["text"]  # the dates of last week
    assert not harness.standin.messages("C0SUPPORT")


def test_a_breakdown_shared_in_the_channel_comes_with_a_chart(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.slash_command("/nps", "last week by channel share")
    answer = _reply(harness)
    assert answer["response_type"] == "in_channel"
    assert "phone" in answer["text"] and "email" in answer["text"]
    files = wait_for(lambda: harness.standin.files)
    assert files[0].channel == "C0SUPPORT" and files[0].content[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_private_trend_sends_its_chart_by_dm(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.slash_command("/kpi", "nps trend 4 weeks")
    answer = _reply(harness)
    assert answer["response_type"] == "ephemeral" and "DM" in str(answer["blocks"])
    files = wait_for(lambda: harness.standin.files)
    assert files[0].channel.startswith("D")


def test_another_teams_numbers_are_refused_politely(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.slash_command("/nps", "last week for Sales")
    answer = _reply(harness)
    assert (
        "can't share the numbers of Sales" in answer["text"]
        and "NPS" not in answer["text"].split("Sales")[0][-20:]
    )
    assert "-100" not in answer["text"]


def test_a_question_it_cannot_read_gets_examples_not_a_guess(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.slash_command("/nps", "last weak by chanel")
    answer = _reply(harness)["text"]
    assert (
        "Did you mean" in answer
        and '"last week"' in answer
        and '"channel"' in answer
        and "For example" in answer
    )


def test_a_mention_is_answered_to_the_asker_only(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.app_mention("what was NPS last week for phone?")
    ephemeral = wait_for(lambda: harness.standin.ephemerals(user="U0AGENT"))
    assert "NPS +100.0" in str(ephemeral[-1]) and "channel phone" in str(ephemeral[-1])


def test_only_admins_manage_people_from_slack(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.slash_command("/symmetry", "grant <@U0AGENT|agent> admin")
    assert "Only admins" in _reply(harness)["text"]
    harness.standin.add_user("U0BOSS", "boss", is_admin=True)
    harness.sender.slash_command("/symmetry", "manage <@U0AGENT|agent> Sales", user_id="U0BOSS")
    assert "<@U0AGENT> now manages Sales" in _reply(harness, "U0BOSS")["text"]
    harness.sender.slash_command("/nps", "last week for Sales")
    assert (
        "NPS -100.0"
        in wait_for(
            lambda: [
                r
                for r in harness.standin.responses
                if "Sales" in str(r.payload) and r.user_id == "U0AGENT" and "NPS -100" in str(r.payload)
            ]
        )[0].payload["text"]
    )


def test_the_ack_does_not_wait_for_slow_work(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.standin.set_latency("users.info", 4.0)  # Slack slow to tell us who asks: the ack must not wait
    ack = harness.sender.slash_command("/nps", "last week")  # the sender gives up after 3 s, like Slack
    assert ack.status_code == 200
    assert "NPS +25.0" in wait_for(lambda: [r for r in harness.standin.responses])[0].payload["text"]


def test_kpi_admin_words_point_to_the_symmetry_command(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.standin.add_user("U0BOSS", "boss", is_admin=True)
    harness.sender.slash_command("/kpi", "grant <@U0AGENT|agent>   admin", user_id="U0BOSS")
    pointer = _reply(harness, "U0BOSS")["text"]
    assert pointer == "Admin commands moved to /symmetry: type `/symmetry grant <@U0AGENT|agent> admin`."
    harness.sender.slash_command("/nps", "last week")  # the agent is still an agent: sees Care only
    assert "40 responses" in _reply(harness)["text"]


def test_symmetry_help_lists_every_command(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.sender.slash_command("/symmetry", "")
    text = _reply(harness)["text"]
    for command in ("/nps", "/csat", "/kpi", "/symmetry grant", "/symmetry people"):
        assert f"`{command}" in text
    harness.sender.slash_command("/symmetry", "grnat <@U0AGENT|agent> admin")
    replies = wait_for(lambda: [r for r in harness.standin.responses if r.user_id == "U0AGENT"][1:])
    assert "Did you mean `/symmetry grant`?" in replies[0].payload["text"]


def test_a_french_slack_locale_gets_french_answers_to_the_documented_commands(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.standin.add_user("U0FR", "amelie", locale="fr-FR")
    with session_scope(harness.deps.factory) as session:
        people.assign_team(session, "U0FR", team="Care", now=now)
    harness.sender.slash_command("/nps", "last week", user_id="U0FR")
    answer = _reply(harness, "U0FR")["text"]
    # the same figure as in English, said in French: comma decimal, French words and dates
    assert "NPS +25,0" in answer and "40 réponses" in answer and "la semaine dernière" in answer
    assert "responses" not in answer and "last week" not in answer
    harness.sender.slash_command("/nps", "last week")  # an English-locale colleague: English
    assert "NPS +25.0" in _reply(harness)["text"]
