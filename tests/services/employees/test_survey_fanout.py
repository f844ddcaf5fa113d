"""The fan-out ledger against the stand-in: paced, Retry-After honoured, 500s retried, refusals
recorded, a crash between Slack's accept and the ledger, and a kill -9 half-way: exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from slack_sdk import WebClient
from sqlalchemy import select, text

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.sandbox import SlackStandIn
from bot.sandbox.harness import BOT_TOKEN, sandbox_settings
from bot.services.employees.survey_fanout import deliver_due
from bot.services.employees.survey_pacer import Pacer
from bot.services.employees.survey_questions import load_questions
from bot.services.employees.surveys import Member, open_round
from bot.slack.survey_dm import SlackDmSender
from jobs.survey_send import renderer, send_due
from models.survey import SurveyDelivery
from tests.factories import make_team

BANK = load_questions()


def _round(factory, now, people: list[str]) -> int:  # type: ignore[no-untyped-def]
    team = make_team(factory, name="Care", channel="C0CARE", now=now)
    with session_scope(factory) as session:
        survey_round = open_round(session, team=team, members=[Member(p) for p in people], bank=BANK, now=now)
        return survey_round.id  # type: ignore[return-value]


def _deps(factory, clock, api_url: str) -> Deps:  # type: ignore[no-untyped-def]
    return Deps(settings=sandbox_settings("sqlite://", api_url), factory=factory, clock=clock)


def _dm_counts(slack: SlackStandIn, people: list[str]) -> Counter:
    return Counter({p: len(slack.messages(p)) for p in people if p in slack.user_names()})


def _rows(factory) -> list[SurveyDelivery]:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        return list(session.exec(select(SurveyDelivery)).scalars())


def test_rate_limited_and_failing_slack_still_gets_everyone_exactly_once(factory, clock) -> None:  # type: ignore[no-untyped-def]
    people = [f"U{n:04d}" for n in range(60)]
    with SlackStandIn() as slack:
        for p in people:
            slack.add_user(p, p.lower())
        slack.add_user("U0GONE", "gone", deleted=True)
        slack.add_user("U0ABOT", "abot", is_bot=True)
        slack.sustained_rate("chat.postMessage", per_second=40, burst=5)
        slack.inject_errors("chat.postMessage", 0.15, seed=3)
        round_id = _round(factory, clock.now(), [*people, "U0GONE", "U0ABOT", "U0NOBODY"])
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
        report = send_due(
            _deps(factory, clock, slack.api_url),
            client=client,
            pacer=Pacer(rate=40, burst=5),
            round_id=round_id,
        )
        assert set(_dm_counts(slack, people).values()) == {1}
        assert report.sent == 60 and report.rate_limited + report.retried > 0
        assert report.errors == {"account_inactive": 1, "cannot_dm_bot": 1, "user_not_found": 1}
        statuses = Counter(r.status for r in _rows(factory))
        assert statuses == {"sent": 60, "failed": 3}
        calls = [c for c in slack.calls_to("chat.postMessage") if c.http_status == 200]
        assert len([c for c in calls if c.response.get("ok")]) == 60  # the refused ones were asked once each


def test_a_crash_after_slack_accepted_and_before_the_ledger_is_found_not_resent(factory, clock) -> None:  # type: ignore[no-untyped-def]
    people = [f"U{n:04d}" for n in range(8)]

    class Crash(Exception):
        pass

    def crash_on_fourth(row: SurveyDelivery) -> None:
        if row.slack_user_id == "U0003":
            raise Crash

    with SlackStandIn() as slack:
        for p in people:
            slack.add_user(p, p.lower())
        _round(factory, clock.now(), people)
        deps = _deps(factory, clock, slack.api_url)
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
        with pytest.raises(Crash):
            send_due(deps, client=client, pacer=Pacer(rate=500, burst=500), after_send=crash_on_fourth)
        assert [r.status for r in _rows(factory) if r.slack_user_id == "U0003"] == ["sending"]
        report = send_due(deps, client=client, pacer=Pacer(rate=500, burst=500))
        # the crash hit a group claimed together: the four Slack accepted are found, the rest sent once
        assert report.recovered == 4 and report.sent == 4
        assert set(_dm_counts(slack, people).values()) == {1}
        (row,) = [r for r in _rows(factory) if r.slack_user_id == "U0003"]
        assert row.status == "sent" and row.ts == slack.messages("U0003")[0]["ts"]


def test_a_crash_before_slack_answered_is_sent_once_after_restart(factory, clock) -> None:  # type: ignore[no-untyped-def]
    with SlackStandIn() as slack:
        slack.add_user("U0001", "one")
        round_id = _round(factory, clock.now(), ["U0001"])
        with session_scope(factory) as session:  # intent recorded, then the process died before the call
            row = session.exec(select(SurveyDelivery)).scalars().one()
            row.status = "sending"
        deps = _deps(factory, clock, slack.api_url)
        sender = SlackDmSender(WebClient(token=BOT_TOKEN, base_url=slack.api_url), renderer(deps))
        report = deliver_due(factory, sender, pacer=Pacer(rate=100), now=clock.now, round_id=round_id)
        assert (report.recovered, report.sent) == (0, 1)
        assert len(slack.messages("U0001")) == 1


def test_kill_9_half_way_then_restart_reaches_everyone_once(engine, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.db import session_factory

    factory = session_factory(engine)
    url = engine.url.render_as_string(hide_password=False)
    schema = ""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar()
    people = [f"U{n:04d}" for n in range(120)]
    with SlackStandIn() as slack:
        for p in people:
            slack.add_user(p, p.lower())
        _round(factory, clock.now(), people)
        cmd = [
            sys.executable,
            "-m",
            "tests.jobs.survey_fanout_child",
            url,
            slack.api_url,
            "60",
            "5",
            *([schema] if schema else []),
        ]
        child = subprocess.Popen(cmd, cwd=os.getcwd(), stdout=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while sum(_dm_counts(slack, people).values()) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
        child.wait()
        half = sum(_dm_counts(slack, people).values())
        assert 0 < half < len(people)
        rerun = subprocess.run(cmd, cwd=os.getcwd(), capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        assert set(_dm_counts(slack, people).values()) == {1}
        assert {r.status for r in _rows(factory)} == {"sent"}
