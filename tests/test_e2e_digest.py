"""The digest end to end: real HTTP bot, real database, the local Slack stand-in."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.db import session_scope
from bot.services.people.teams import get_team
from jobs.daily_digest import run_for_team, tick
from tests.conftest import wait_for
from tests.factories import add_verbatims, make_team, record

ANGRY = "Third time I call about my refund, nobody answers. I will cancel and see my lawyer."


def _team(h, name: str = "Care"):  # type: ignore[no-untyped-def]
    with session_scope(h.deps.factory) as session:
        return get_team(session, name)


def _load(h, now, n: int) -> None:  # type: ignore[no-untyped-def]
    make_team(h.deps.factory, now=now)
    records = [
        record(
            i, now=now, text=ANGRY if i % 3 == 0 else f"Fine service number {i}", score=1 if i % 3 == 0 else 8
        )
        for i in range(n)
    ]
    add_verbatims(h.deps.factory, records, now=now)


def test_digest_is_posted_once_with_pages_in_the_thread_and_the_rest_in_a_file(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 75)
    outcome = run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    assert outcome.status == "posted"
    messages = harness.standin.messages("C0SUPPORT")
    assert len(messages) == 1
    top = messages[0]
    assert "75* new" in str(top["blocks"][1]) and len(top["blocks"]) <= 50
    replies = harness.standin.thread("C0SUPPORT", top["ts"])[1:]
    # five thread pages of 10 after the 10 of the channel message, then the file with the last 15
    assert len([r for r in replies if r.get("blocks")]) == 5 and len(replies) == 6
    assert len(harness.standin.files) == 1 and harness.standin.files[0].content.count(b"\n") == 75 - 60 + 1
    assert ANGRY[:30] in str(top["blocks"][5])  # after the header and the first group title: an angry one
    # again the same day, or on the next tick: nothing more is posted
    again = run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    assert again.status == "already posted"
    assert len(harness.standin.calls_to("chat.postMessage")) == 6


def test_rate_limits_and_server_errors_are_retried_and_post_exactly_once(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 12)
    harness.standin.fail_next("chat.postMessage", status=429, times=1, retry_after=1)
    harness.standin.fail_next("chat.postMessage", status=500, times=2)
    outcome = run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    assert outcome.status == "posted"
    assert len(harness.standin.messages("C0SUPPORT")) == 1
    assert len(harness.standin.thread("C0SUPPORT", harness.standin.messages("C0SUPPORT")[0]["ts"])) == 2


class CrashingClient(WebClient):
    """The process dies after `posts` messages (the Slack calls before it went through)."""

    def __init__(self, posts: int, **kw) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kw)
        self.left = posts

    def chat_postMessage(self, **kw):  # type: ignore[no-untyped-def]  # noqa: N802
        if self.left == 0:
            raise SystemExit("killed")
        self.left -= 1
        return super().chat_postMessage(**kw)


def test_a_crash_half_way_resumes_where_it_stopped(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 40)
    crashing = CrashingClient(2, token=harness.client.token, base_url=harness.client.base_url)
    with pytest.raises(SystemExit):
        run_for_team(harness.deps, _team(harness), client=crashing, now=now)
    assert len(harness.standin.calls_to("chat.postMessage")) == 2
    outcome = run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    assert outcome.status == "posted" and outcome.pages_posted == 2
    top = harness.standin.messages("C0SUPPORT")
    assert len(top) == 1 and len(harness.standin.thread("C0SUPPORT", top[0]["ts"])) == 4  # parent + 3 pages


def test_a_slack_outage_leaves_the_digest_to_resume_on_the_next_tick(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 5)
    harness.standin.fail_next("chat.postMessage", status=500, times=4)  # the first try and its 3 retries
    failed = run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    assert failed.status == "failed" and not harness.standin.messages("C0SUPPORT")
    later = now.replace(hour=now.hour + 1)
    outcomes = tick(harness.deps, client=harness.client, now=later)
    assert [o.status for o in outcomes] == ["posted"]
    assert len(harness.standin.messages("C0SUPPORT")) == 1


def test_claim_and_treat_from_the_message_update_it_for_everyone(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 3)
    run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    message = harness.standin.messages("C0SUPPORT")[0]
    claim = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "digest_claim"
    )
    harness.standin.add_user("U0BEA", "bea")
    assert (
        harness.sender.block_action(
            "digest_claim", message=message, user_id="U0BEA", block_id=None
        ).status_code
        == 200
    )
    updated = wait_for(
        lambda: [m for m in harness.standin.messages("C0SUPPORT") if "<@U0BEA> is on it" in str(m["blocks"])]
    )
    assert updated[0]["ts"] == message["ts"]
    # someone else tries to take the same one: told who has it, nothing changes
    harness.sender.block_action("digest_claim", message=message, user_id="U0AGENT")
    told = wait_for(
        lambda: [r for r in harness.standin.responses if "already taken by <@U0BEA>" in str(r.payload)]
    )
    assert told
    harness.sender.block_action("digest_treat", claim["value"], message=updated[0], user_id="U0BEA")
    wait_for(lambda: "Treated by <@U0BEA>" in str(harness.standin.messages("C0SUPPORT")[0]["blocks"]))


def test_the_scheduler_tick_waits_for_each_teams_local_digest_time(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 2)  # now is 09:00 UTC = 10:00 in Paris; Care's digest is at 08:30 Paris
    make_team(harness.deps.factory, name="Late", channel="C0LATE", now=now, timezone="America/New_York")
    harness.standin.add_channel("C0LATE", "late")
    outcomes = tick(harness.deps, client=harness.client, now=now)
    assert [o.team for o in outcomes] == ["Care"]
