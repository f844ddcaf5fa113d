"""Answering a survey DM: one click at a time, changeable until the round closes, stored without who.

Two keyed hashes of the person, unlinkable without the secret: `respondent` (per round) keys the
answers, `answered` (per round, another purpose) feeds the reminder and is deleted at close.
Nothing here stores a Slack id next to an answer, and the answer row is dated to the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.errors import InvalidInput, NotAllowed, UserFacingError
from bot.services.employees.anonymity import day_only, person_key
from bot.services.employees.survey_db import row_id
from models.survey import (
    DeliveryStatus,
    RoundStatus,
    SurveyAnswered,
    SurveyDelivery,
    SurveyResponse,
    SurveyRound,
)

SCORES = {"quality": (0, 10), "recommend": (0, 10), "enps": (0, 10), "driver": (1, 5)}
COLUMNS = {"quality": "quality", "recommend": "recommend", "enps": "enps", "driver": "driver_score"}
QUESTIONS = ("quality", "recommend", "enps", "driver", "reason")
MAX_COMMENT = 1000


class RoundClosed(UserFacingError):
    """A click on a round that has closed."""


@dataclass(frozen=True)
class Keys:
    respondent: str
    answered: str


def keys_for(*, secret: str, user_id: str, round_id: int) -> Keys:
    return Keys(
        respondent=person_key(secret=secret, user_id=user_id, purpose=f"survey:{round_id}"),
        answered=person_key(secret=secret, user_id=user_id, purpose=f"survey-answered:{round_id}"),
    )


def check_can_answer(session: Session, *, round_id: int, user_id: str, now: datetime) -> SurveyRound:
    """The open round this person was sent; a clear message for a closed round or a stranger."""
    survey_round = session.get(SurveyRound, round_id)
    if survey_round is None:
        raise NotAllowed("This survey no longer exists.")
    if survey_round.status != RoundStatus.OPEN or now >= survey_round.closes_at:
        day = survey_round.closes_at.date().isoformat()
        raise RoundClosed(f"This survey round closed on {day}: answers can no longer change. Thank you!")
    delivery = session.exec(
        select(SurveyDelivery).where(
            col(SurveyDelivery.round_id) == round_id, col(SurveyDelivery.slack_user_id) == user_id
        )
    ).first()
    if delivery is None or delivery.status == DeliveryStatus.FAILED:
        raise NotAllowed("This survey was sent to someone else: your answer was not counted.")
    return survey_round


def parse_value(question: str, raw: str, *, reasons: set[str]) -> int | str | None:
    if question in SCORES:
        low, high = SCORES[question]
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise InvalidInput(f"{question} takes a whole number from {low} to {high}")
        return int(raw)
    if question == "reason":
        if raw not in reasons:
            raise InvalidInput("that reason is not in the list")
        return raw
    if question == "comment":
        text = raw.strip()
        if len(text) > MAX_COMMENT:
            raise InvalidInput(f"a comment is at most {MAX_COMMENT} characters (this one has {len(text)})")
        return text or None
    raise InvalidInput(f"unknown survey question {question!r}")


def record_answer(
    session: Session,
    *,
    secret: str,
    round_id: int,
    user_id: str,
    question: str,
    raw: str,
    reasons: set[str],
    now: datetime,
    tz: ZoneInfo,
) -> SurveyResponse:
    """Store (or change) one answer; the same click twice changes nothing."""
    survey_round = check_can_answer(session, round_id=round_id, user_id=user_id, now=now)
    value = parse_value(question, raw, reasons=reasons)
    keys = keys_for(secret=secret, user_id=user_id, round_id=round_id)
    row = _response(session, survey_round, keys.respondent, now=now, tz=tz)
    setattr(row, COLUMNS.get(question, question), value)
    row.answered_on = day_only(now, tz)
    session.add(row)
    if session.get(SurveyAnswered, (round_id, keys.answered)) is None:
        try:
            with session.begin_nested():
                session.add(SurveyAnswered(round_id=round_id, person=keys.answered))
        except IntegrityError:
            pass  # a double click recorded it a moment ago
    session.flush()
    return row


def _response(
    session: Session, survey_round: SurveyRound, respondent: str, *, now: datetime, tz: ZoneInfo
) -> SurveyResponse:
    round_id = row_id(survey_round.id)
    query = select(SurveyResponse).where(
        col(SurveyResponse.round_id) == round_id, col(SurveyResponse.respondent) == respondent
    )
    if (row := session.exec(query).first()) is not None:
        return row
    try:
        with session.begin_nested():
            row = SurveyResponse(
                round_id=round_id,
                respondent=respondent,
                team_id=survey_round.team_id,
                driver=survey_round.driver,
                answered_on=day_only(now, tz),
            )
            session.add(row)
            session.flush()
        return row
    except IntegrityError:  # two clicks at once: use the row the other one created
        return session.exec(query).one()


def own_answers(session: Session, *, secret: str, round_id: int, user_id: str) -> dict[str, object]:
    """What this person answered so far (to redraw their DM), from their keyed hash only."""
    respondent = keys_for(secret=secret, user_id=user_id, round_id=round_id).respondent
    row = session.exec(
        select(SurveyResponse).where(
            col(SurveyResponse.round_id) == round_id, col(SurveyResponse.respondent) == respondent
        )
    ).first()
    if row is None:
        return {}
    values = {q: getattr(row, COLUMNS.get(q, q)) for q in (*QUESTIONS, "comment")}
    return {q: v for q, v in values.items() if v is not None}


def answered_count(session: Session, round_id: int) -> int:
    from sqlalchemy import func

    return session.exec(
        select(func.count()).select_from(SurveyAnswered).where(col(SurveyAnswered.round_id) == round_id)
    ).one()


def has_answered(session: Session, *, secret: str, round_id: int, user_id: str) -> bool:
    key = keys_for(secret=secret, user_id=user_id, round_id=round_id).answered
    return session.get(SurveyAnswered, (round_id, key)) is not None
