"""A digest survives a kill between Slack accepting a page and the ledger recording it, and two runs
at once post each page once (the run is leased)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from slack_sdk import WebClient

from bot.services.customers.digest_lease import claim_run
from jobs.daily_digest import run_for_team
from tests.factories import add_verbatims, make_team, record
from tests.test_e2e_digest import _team


class KilledAfterSlackAccepted(WebClient):
    """The process dies right after Slack accepted call number `after` of `method`."""

    def __init__(self, method: str, after: int, **kw) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kw)
        self.method, self.left = method, after

    def api_call(self, api_method: str, **kw):  # type: ignore[no-untyped-def,override]
        response = super().api_call(api_method, **kw)
        if api_method == self.method:
            self.left -= 1
            if self.left == 0:
                raise SystemExit("killed before the ledger recorded it")
        return response


def _load(h, now, n: int) -> None:  # type: ignore[no-untyped-def]
    make_team(h.deps.factory, now=now)
    add_verbatims(h.deps.factory, [record(i, now=now, score=i % 11) for i in range(n)], now=now)


def _pages(h) -> Counter:  # type: ignore[no-untyped-def]
    """How many Slack messages carry each page's metadata, channel and thread together."""
    top = h.standin.messages("C0SUPPORT")
    every = top + [r for m in top for r in m.get("replies", [])]
    return Counter(m["metadata"]["event_payload"]["page"] for m in every if m.get("metadata"))


def _killed(h, method: str, after: int) -> WebClient:  # type: ignore[no-untyped-def]
    return KilledAfterSlackAccepted(method, after, token=h.client.token, base_url=h.client.base_url)


@pytest.mark.parametrize("after", [1, 3])  # the channel message, a thread page
def test_a_page_slack_accepted_before_the_kill_is_found_not_posted_again(harness, now, after) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 40)
    with pytest.raises(SystemExit):
        run_for_team(
            harness.deps, _team(harness), client=_killed(harness, "chat.postMessage", after), now=now
        )
    assert sum(_pages(harness).values()) == after
    outcome = run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    assert outcome.status == "posted"
    assert _pages(harness) == Counter({0: 1, 1: 1, 2: 1, 3: 1})
    assert harness.standin.calls_to("conversations.history" if after == 1 else "conversations.replies")


def test_an_overflow_file_shared_before_the_kill_is_not_shared_again(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.deps.settings = harness.deps.settings.model_copy(update={"SYMMETRY_DIGEST_THREAD_PAGES": 1})
    _load(harness, now, 35)
    client = _killed(harness, "files.completeUploadExternal", 1)
    with pytest.raises(SystemExit):
        run_for_team(harness.deps, _team(harness), client=client, now=now)
    assert len([f for f in harness.standin.files if f.completed]) == 1
    assert run_for_team(harness.deps, _team(harness), client=harness.client, now=now).status == "posted"
    assert len([f for f in harness.standin.files if f.completed]) == 1
    assert _pages(harness) == Counter({0: 1, 1: 1})


def test_two_runs_at_once_post_each_page_and_the_file_once(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.deps.settings = harness.deps.settings.model_copy(update={"SYMMETRY_DIGEST_THREAD_PAGES": 2})
    _load(harness, now, 45)
    harness.standin.set_latency("chat.postMessage", 0.05)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        outcomes.append(run_for_team(harness.deps, _team(harness), client=harness.client, now=now).status)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) in (["in progress", "posted"], ["already posted", "posted"])
    assert _pages(harness) == Counter({0: 1, 1: 1, 2: 1})
    assert len([f for f in harness.standin.files if f.completed]) == 1


def test_a_dead_processs_lease_expires(factory, now) -> None:  # type: ignore[no-untyped-def]
    from bot.db import session_scope
    from models.digest import DigestRun

    team = make_team(factory, now=now)
    with session_scope(factory) as session:
        run = DigestRun(
            job="daily-digest",
            scope=f"team:{team.id}",
            period="2026-11-23",
            team_id=team.id,
            window_start=now,
            window_end=now,
            created_at=now,
        )
        session.add(run)
        session.flush()
        run_id = run.id
    assert claim_run(factory, run_id, owner="a", now=now, seconds=120)
    assert not claim_run(factory, run_id, owner="b", now=now + timedelta(seconds=119), seconds=120)
    assert claim_run(factory, run_id, owner="a", now=now + timedelta(seconds=119), seconds=120)  # renewed
    assert not claim_run(factory, run_id, owner="b", now=now + timedelta(seconds=200), seconds=120)
    assert claim_run(factory, run_id, owner="b", now=now + timedelta(seconds=240), seconds=120)
