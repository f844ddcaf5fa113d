"""Who is posting a digest right now, and what was about to be posted when a process died.

A run being posted is leased to one process (`lease_owner`, `lease_until`): a second `symmetry digest`,
a second replica or the scheduler finds the lease taken and leaves the run alone; a process that
died leaves a lease that expires, and the next one resumes where it stopped. The claim is one
conditional UPDATE (atomic on SQLite and Postgres); on Postgres the run row is first taken with
`SELECT ... FOR UPDATE SKIP LOCKED`, so a claimer never waits behind another one.

Before each Slack call the page records its intent (`intent_at`, and the overflow file's id once
Slack gave it): on resume, a page with an intent and no ts may have been posted, and the job looks
for it in Slack before posting it again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, or_, update
from sqlmodel import col, select

from bot.db import SessionFactory, session_scope
from models.digest import DigestPage, DigestRun


def claim_run(
    factory: SessionFactory, run_id: int, *, owner: str, now: datetime, seconds: int, renew: bool = False
) -> bool:
    """Take the run's lease (or `renew` the one we hold); False when another live process holds it.

    A first claim skips a row another claimer has locked this instant; a renewal waits that instant
    out (the other claimer will find our lease and go away)."""
    with session_scope(factory) as session:
        if session.get_bind().dialect.name == "postgresql":
            locked = session.exec(
                select(DigestRun.id).where(DigestRun.id == run_id).with_for_update(skip_locked=not renew)
            ).first()
            if locked is None:
                return False
        result: CursorResult = session.execute(  # type: ignore[assignment]  # an UPDATE gives a CursorResult
            update(DigestRun)
            .where(
                col(DigestRun.id) == run_id,
                or_(
                    col(DigestRun.lease_owner).is_(None),
                    col(DigestRun.lease_owner) == owner,
                    col(DigestRun.lease_until) < now,
                ),
            )
            .values(lease_owner=owner, lease_until=now + timedelta(seconds=seconds))
        )
        return bool(result.rowcount == 1)


def release_run(factory: SessionFactory, run_id: int, *, owner: str) -> None:
    with session_scope(factory) as session:
        session.execute(
            update(DigestRun)
            .where(col(DigestRun.id) == run_id, col(DigestRun.lease_owner) == owner)
            .values(lease_owner=None, lease_until=None)
        )


def record_intent(
    factory: SessionFactory, page_id: int, *, now: datetime, file_id: str | None = None
) -> None:
    """Written before the Slack call (and again with the file id once Slack gave one)."""
    with session_scope(factory) as session:
        page = session.get(DigestPage, page_id)
        assert page is not None
        page.intent_at = page.intent_at or now
        if file_id is not None:
            page.file_id = file_id
        session.add(page)
