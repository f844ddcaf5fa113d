"""Claiming and closing verbatims. Conditional updates, so two people clicking at once can't both win."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col

from bot.errors import NotFound, UserFacingError
from models.verbatim import Status, Verbatim


class Taken(StrEnum):
    """Why a claim or a close did not go through: the code of `AlreadyTaken`."""

    CLAIMED = "already_claimed"
    TREATED = "already_treated"


class AlreadyTaken(UserFacingError):
    """Someone else won the click (`code` a `Taken`, `by` = who)."""

    def __init__(self, by: str, *, treated: bool) -> None:
        what = "treated" if treated else "taken"
        super().__init__(
            f"This one is already {what}.",
            code=Taken.TREATED if treated else Taken.CLAIMED,
            values={"by": by},
        )
        self.by = by
        self.treated = treated


def claim(session: Session, *, verbatim_id: int, user_id: str, now: datetime) -> Verbatim:
    """Open -> claimed by `user_id`. Claiming your own claim again is a no-op."""
    verbatim = _get(session, verbatim_id)
    result: CursorResult = session.execute(  # type: ignore[assignment]  # an UPDATE gives a CursorResult
        update(Verbatim)
        .where(col(Verbatim.id) == verbatim_id, col(Verbatim.status) == Status.OPEN.value)
        .values(status=Status.CLAIMED.value, claimed_by=user_id, claimed_at=now)
    )
    session.refresh(verbatim)
    if result.rowcount == 0 and verbatim.claimed_by != user_id:
        treated = verbatim.status == Status.TREATED.value
        raise AlreadyTaken(
            (verbatim.treated_by if treated else verbatim.claimed_by) or "someone", treated=treated
        )
    return verbatim


def treat(session: Session, *, verbatim_id: int, user_id: str, now: datetime) -> Verbatim:
    """Open or claimed -> treated by `user_id` (who also becomes the claimer if nobody was)."""
    verbatim = _get(session, verbatim_id)
    result: CursorResult = session.execute(  # type: ignore[assignment]  # an UPDATE gives a CursorResult
        update(Verbatim)
        .where(col(Verbatim.id) == verbatim_id, col(Verbatim.status) != Status.TREATED.value)
        .values(
            status=Status.TREATED.value,
            treated_by=user_id,
            treated_at=now,
            claimed_by=verbatim.claimed_by or user_id,
            claimed_at=verbatim.claimed_at or now,
        )
    )
    session.refresh(verbatim)
    if result.rowcount == 0:
        raise AlreadyTaken(verbatim.treated_by or "someone", treated=True)
    return verbatim


def _get(session: Session, verbatim_id: int) -> Verbatim:
    verbatim = session.get(Verbatim, verbatim_id)
    if verbatim is None:
        raise NotFound("That verbatim no longer exists.")
    return verbatim
