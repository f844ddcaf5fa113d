"""A person's App Home: the verbatims they hold, and their team's open ones, by priority."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.verbatim import Status, Verbatim

LIMIT = 15


@dataclass(frozen=True)
class HomeSummary:
    mine: list[Verbatim]
    treated_by_me_total: int


def home_for(session: Session, *, user_id: str, now: datetime) -> HomeSummary:
    mine = list(
        session.exec(
            select(Verbatim)
            .where(Verbatim.claimed_by == user_id, Verbatim.status == Status.CLAIMED.value)
            .order_by(col(Verbatim.priority).desc(), col(Verbatim.received_at))
            .limit(LIMIT)
        )
    )
    treated = session.exec(select(Verbatim.id).where(Verbatim.treated_by == user_id)).all()
    return HomeSummary(mine=mine, treated_by_me_total=len(treated))
