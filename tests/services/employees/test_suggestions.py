"""Suggestions: replies wait for their batch, are delivered once, and closed ones take no more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.services.employees import suggestions as s

SECRET = "s" * 40


def test_a_reply_waits_for_the_next_batch_boundary() -> None:
    at = datetime(2026, 11, 23, 10, 7, 42, tzinfo=UTC)
    assert s.batch_time(at, 30) == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # >= 30 min later, on :00/:30
    assert s.batch_time(at, 0) == at
    assert s.batch_time(datetime(2026, 11, 23, 10, 0, tzinfo=UTC), 30) == datetime(
        2026, 11, 23, 11, 0, tzinfo=UTC
    )


def test_relayed_messages_are_due_in_batches_claimed_once_and_closed_suggestions_refuse(session, now) -> None:  # type: ignore[no-untyped-def]
    sent = s.submit(
        session, secret=SECRET, user_id="U1", text="Idea", signed=False, now=now, default_tz=ZoneInfo("UTC")
    )
    assert sent.channel is None and sent.suggestion.team_id is None  # no team: kept for the admins
    assert s.author_of(sent.suggestion, secret=SECRET) == "U1" and s.is_author(
        sent.suggestion, secret=SECRET, user_id="U1"
    )
    first = s.queue(
        session,
        suggestion=sent.suggestion,
        text="Why?",
        to_author=True,
        signed_by=None,
        now=now,
        delay_minutes=30,
    )
    second = s.queue(
        session,
        suggestion=sent.suggestion,
        text="And?",
        to_author=True,
        signed_by=None,
        now=now + timedelta(minutes=3),
        delay_minutes=30,
    )
    assert first.due_at == second.due_at > now  # typed 3 minutes apart, delivered together
    assert s.due(session, now=now + timedelta(minutes=5)) == []
    due = s.due(session, now=first.due_at)
    assert [m.text for m in due] == ["Why?", "And?"]
    assert s.claim(session, first.id) and not s.claim(session, first.id)  # once
    s.close(
        session,
        suggestion=sent.suggestion,
        status="done",
        reason="Shipped",
        by="U9",
        signed=False,
        now=now,
        delay_minutes=30,
    )
    with pytest.raises(InvalidInput, match="closed"):
        s.queue(
            session,
            suggestion=sent.suggestion,
            text="late",
            to_author=True,
            signed_by=None,
            now=now,
            delay_minutes=30,
        )
    with pytest.raises(InvalidInput):
        s.submit(
            session,
            secret=SECRET,
            user_id="U1",
            text="   ",
            signed=False,
            now=now,
            default_tz=ZoneInfo("UTC"),
        )
