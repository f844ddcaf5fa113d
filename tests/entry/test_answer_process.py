"""A real `symmetry serve` answers in a child process: acks come while charts are drawn and uploaded,
every chart reaches its asker, and a killed answer process is replaced without losing a question
(an answer under way at two deaths is given up and the person is told)."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import make_engine, session_factory, upgrade
from bot.entry.answer_process import GAVE_UP
from bot.sandbox.harness import SIGNING_SECRET
from bot.sandbox.replicas import Replicas
from bot.sandbox.sender import SlackSender
from bot.sandbox.standin import SlackStandIn
from tests.conftest import wait_for
from tests.factories import add_verbatims, make_team, record

BOSS = "U0BOSS"  # a Slack admin: sees every team


@dataclass
class Served:
    fleet: Replicas
    slack: SlackStandIn
    sender: SlackSender

    def answer_process(self) -> int:
        """The pid of the serve process's answer child (multiprocessing's spawn_main)."""
        serve = self.fleet.procs[0]
        assert serve is not None
        return wait_for(lambda: _spawned_child(serve.pid))

    def ask(self, text: str) -> int:
        return self.sender.slash_command("/nps", text, user_id=BOSS).status_code

    def answers(self) -> list[str]:
        """What the boss was answered (the text and the blocks, as JSON)."""
        return [json.dumps(r.payload) for r in self.slack.responses if r.user_id == BOSS]


def _spawned_child(parent: int) -> int | None:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in cmdline:
            return int(entry)
    return None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    url = f"sqlite:///{tmp_path}/serve.db"
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    factory = session_factory(engine)
    make_team(factory, name="Care", now=now)
    add_verbatims(factory, [record(i, now=now, score=i % 11, hours_ago=i * 5) for i in range(400)], now=now)
    engine.dispose()
    with (
        SlackStandIn() as slack,
        Replicas(1, database_url=url, api_url=slack.api_url, log_dir=tmp_path) as fleet,
    ):
        slack.add_user(BOSS, "boss", is_admin=True)
        fleet.wait_ready()
        sender = SlackSender(f"{fleet.urls[0]}/slack/events", SIGNING_SECRET, standin=slack)
        yield Served(fleet, slack, sender)
        sender.close()


def test_an_ack_comes_while_charts_are_drawn_and_every_chart_reaches_its_asker(served: Served) -> None:
    served.slack.set_latency("files.completeUploadExternal", 1.0)  # charts in flight take a while
    questions = [f"trend {weeks} weeks" for weeks in range(4, 12)]  # eight different charts
    with ThreadPoolExecutor(len(questions)) as pool:
        assert set(pool.map(served.ask, questions)) == {200}
    assert served.ask("last week") == 200  # acked (within Slack's 3 s) while the charts are still going
    assert len(served.answers()) < len(questions) + 1
    answers = wait_for(lambda: a if len(a := served.answers()) == len(questions) + 1 else None, timeout=120)
    assert sum("Chart sent to you in a DM" in a for a in answers) == len(questions)
    charts = wait_for(lambda: f if len(f := [f for f in served.slack.files if f.completed]) >= 8 else None)
    assert len(charts) == len(questions)
    dm = served.slack.dm_channel_id(BOSS)
    assert all(f.channel == dm and (f.content or b"").startswith(b"\x89PNG") for f in charts)


def test_a_killed_answer_process_is_replaced_and_every_question_is_answered(served: Served) -> None:
    served.slack.set_latency("files.completeUploadExternal", 1.5)
    first = served.answer_process()
    questions = [f"trend {weeks} weeks" for weeks in range(4, 10)]
    with ThreadPoolExecutor(len(questions)) as pool:
        assert set(pool.map(served.ask, questions)) == {200}
    os.kill(first, signal.SIGKILL)
    answers = wait_for(lambda: a if len(a := served.answers()) >= len(questions) else None, timeout=120)
    assert sum("Chart sent to you in a DM" in a for a in answers) >= len(questions)
    assert served.answer_process() != first
    assert "the answer process stopped" in served.fleet.log(0)
    assert served.ask("last week") == 200  # the new one answers the next question too
    wait_for(lambda: any("NPS" in a and "DM" not in a for a in served.answers()), timeout=60)


def test_an_answer_under_way_at_two_deaths_is_given_up_and_the_asker_told(served: Served) -> None:
    served.slack.set_latency("files.completeUploadExternal", 10.0)  # the answer sits in the upload
    assert served.ask("trend 9 weeks") == 200
    for attempt in (1, 2):
        wait_for(lambda n=attempt: len(served.slack.calls_to("files.getUploadURLExternal")) >= n, timeout=60)
        os.kill(served.answer_process(), signal.SIGKILL)
        wait_for(lambda n=attempt: served.fleet.log(0).count("the answer process stopped") >= n)
    told = wait_for(lambda: served.slack.ephemerals(user=BOSS), timeout=30)
    assert [m["text"] for m in told] == [GAVE_UP]
