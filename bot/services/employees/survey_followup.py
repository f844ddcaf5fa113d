"""After the DM: the half-way reminder, managers' acknowledgements, "you said, we did", status.

Reminders: one, half-way, as a reply in the DM's thread, to people with a delivered DM and no
"answered" hash. A reminder is claimed (reminder = 'sending') before Slack is called and marked
'sent' after: a crash in between loses that one reminder rather than sending it twice (at most
once: a reminder is a nudge, not worth a duplicate). The marks are wiped when the round closes.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services.employees.survey_answers import keys_for
from bot.services.employees.survey_db import rows_changed
from bot.services.people.roles import effective_role, find_person
from models.person import Role, TeamManager
from models.survey import (
    DeliveryStatus,
    RoundStatus,
    SurveyAnswered,
    SurveyDelivery,
    SurveyResponse,
    SurveyRound,
)
from models.team import Team

ACKS = {"seen": "Seen", "thanks": "Thank you", "act": "We'll act", "cant": "Can't act"}


@dataclass(frozen=True)
class Reminder:
    delivery_id: int
    round_id: int
    user_id: str
    channel_id: str
    thread_ts: str
    language: str


def rounds_to_remind(session: Session, *, now: datetime) -> list[int]:
    query = select(SurveyRound.id).where(
        col(SurveyRound.status) == RoundStatus.OPEN,
        col(SurveyRound.remind_at) <= now,
        col(SurveyRound.closes_at) > now,
        col(SurveyRound.reminded_at).is_(None),
    )
    return [i for i in session.exec(query) if i is not None]


def reminders_for(session: Session, *, secret: str, round_id: int) -> list[Reminder]:
    """Delivered, not answered, not yet reminded: whom to nudge (nobody is named anywhere else)."""
    answered = set(
        session.exec(select(SurveyAnswered.person).where(col(SurveyAnswered.round_id) == round_id))
    )
    rows = session.exec(
        select(SurveyDelivery).where(
            col(SurveyDelivery.round_id) == round_id,
            col(SurveyDelivery.status) == DeliveryStatus.SENT,
            col(SurveyDelivery.reminder).is_(None),
        )
    )
    return [
        Reminder(d.id, round_id, d.slack_user_id, d.channel_id, d.ts, d.language)
        for d in rows
        if d.id
        and d.channel_id
        and d.ts
        and keys_for(secret=secret, user_id=d.slack_user_id, round_id=round_id).answered not in answered
    ]


def claim_reminder(session: Session, *, delivery_id: int) -> bool:
    return (
        rows_changed(
            session,
            update(SurveyDelivery)
            .where(col(SurveyDelivery.id) == delivery_id, col(SurveyDelivery.reminder).is_(None))
            .values(reminder="sending"),
        )
        == 1
    )


def mark_reminded(session: Session, *, delivery_id: int) -> None:
    session.execute(
        update(SurveyDelivery).where(col(SurveyDelivery.id) == delivery_id).values(reminder="sent")
    )


def finish_reminders(session: Session, *, round_id: int, now: datetime) -> int:
    sent = int(
        session.exec(
            select(func.count())
            .select_from(SurveyDelivery)
            .where(col(SurveyDelivery.round_id) == round_id, col(SurveyDelivery.reminder) == "sent")
        ).one()
    )
    session.execute(
        update(SurveyRound)
        .where(col(SurveyRound.id) == round_id)
        .values(reminded_at=now, reminders_sent=sent)
    )
    return sent


def check_manages(session: Session, *, user_id: str, team_id: int, slack_admins_are_admins: bool) -> None:
    person = find_person(session, user_id)
    role = effective_role(person, slack_admins_are_admins=slack_admins_are_admins)
    if role is Role.ADMIN:
        return
    manages = (
        person is not None
        and role is Role.MANAGER
        and session.exec(
            select(TeamManager.id).where(TeamManager.person_id == person.id, TeamManager.team_id == team_id)
        ).first()
        is not None
    )
    if not manages:
        raise NotAllowed("Only the team's managers (or an admin) can acknowledge its survey comments.")


def acknowledge(
    session: Session,
    *,
    response_id: int,
    ack: str,
    user_id: str,
    now: datetime,
    slack_admins_are_admins: bool,
) -> SurveyResponse:
    """A manager's one-click answer to a comment; changing it later keeps the first time."""
    if ack not in ACKS:
        raise InvalidInput(f"unknown acknowledgement {ack!r}: {', '.join(ACKS)}")
    row = session.get(SurveyResponse, response_id)
    survey_round = session.get(SurveyRound, row.round_id) if row else None
    if row is None or survey_round is None or not row.comment:
        raise NotFound("That comment no longer exists.")
    if survey_round.status != RoundStatus.CLOSED:
        raise InvalidInput("Comments are acknowledged once the round has closed.")
    check_manages(
        session,
        user_id=user_id,
        team_id=survey_round.team_id,
        slack_admins_are_admins=slack_admins_are_admins,
    )
    row.ack = ack
    row.ack_at = row.ack_at or now
    session.add(row)
    session.flush()
    return row


def you_said_we_did(session: Session, *, team_id: int, before_number: int) -> dict[str, Any] | None:
    """The last closed round's comments and what managers answered (for the next round's DM)."""
    last = session.exec(
        select(SurveyRound)
        .where(
            col(SurveyRound.team_id) == team_id,
            col(SurveyRound.status) == RoundStatus.CLOSED,
            col(SurveyRound.number) < before_number,
        )
        .order_by(col(SurveyRound.number).desc())
    ).first()
    if last is None:
        return None
    rows = session.exec(
        select(SurveyResponse.comment, SurveyResponse.ack).where(
            col(SurveyResponse.round_id) == last.id,
            col(SurveyResponse.comment).is_not(None),
        )
    ).all()
    if len(rows) == 0 or '"shown": true' not in last.results:
        return None
    counts = {a: sum(1 for _, ack in rows if ack == a) for a in ACKS}
    acting = sorted(c for c, ack in rows if ack == "act" and c)[:3]
    return {"round": last.number, "comments": len(rows), "counts": counts, "acting": acting}


def ack_hours(session: Session, round_ids: list[int]) -> dict[int, float | None]:
    """Median hours from a round's close to each comment's acknowledgement."""
    result: dict[int, float | None] = {}
    for round_id in round_ids:
        survey_round = session.get(SurveyRound, round_id)
        times = session.exec(
            select(SurveyResponse.ack_at).where(
                col(SurveyResponse.round_id) == round_id, col(SurveyResponse.ack_at).is_not(None)
            )
        ).all()
        if survey_round is None or survey_round.closed_at is None or not times:
            result[round_id] = None
            continue
        closed = survey_round.closed_at
        result[round_id] = round(
            statistics.median((t - closed).total_seconds() / 3600 for t in times if t), 1
        )
    return result


def team_of(session: Session, round_id: int) -> Team:
    survey_round = session.get(SurveyRound, round_id)
    team = session.get(Team, survey_round.team_id) if survey_round else None
    if team is None:
        raise NotFound("That survey round no longer exists.")
    return team
