"""Managers' replies to survey comments, through the relay of /suggest, to everyone surveyed.

Nobody can know who wrote a survey comment, and the bot must not be able to find out: answers are
stored under a per-round keyed hash and the "answered" marks are gone once the round has closed.
So a reply cannot go to the author alone. It goes to **everyone the round was sent to** (every DM
Slack accepted, answered or not), quoting the comment's first words: the author is among them,
and the list of recipients is the round's list of people, which says nothing about who wrote
what, or even who answered. The reply is a `RelayMessage` (the suggestion relay's table, delivered
at its batch boundary, so the moment a manager typed reveals nothing); when the relay job reaches
it, it is expanded into one `RelayRecipient` row per person (UNIQUE message + person), and the
survey fan-out sends those, paced, exactly once each (claim, metadata, recover: docs/SURVEY.md).
The manager is not named unless they sign.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.errors import InvalidInput, NotFound
from bot.services.employees.suggestions import MAX_REPLY, batch_time
from bot.services.employees.survey_followup import check_manages
from models.suggestion import RelayMessage, RelayRecipient
from models.survey import DeliveryStatus, RoundStatus, SurveyDelivery, SurveyResponse, SurveyRound

EXCERPT_CHARS = 140  # how much of the comment the reply quotes to everyone


@dataclass(frozen=True)
class ReplyView:
    """What a recipient's DM says (the same for everyone: nothing in it depends on the person)."""

    round_number: int
    excerpt: str
    reply: str
    signed_by: str | None


def commented_round(session: Session, *, response_id: int) -> tuple[SurveyResponse, SurveyRound]:
    """The comment and its round, once the round is closed and its results were shown."""
    row = session.get(SurveyResponse, response_id)
    survey_round = session.get(SurveyRound, row.round_id) if row else None
    if row is None or survey_round is None or not row.comment:
        raise NotFound("That comment no longer exists.")
    if survey_round.status != RoundStatus.CLOSED or not json.loads(survey_round.results or "{}").get("shown"):
        raise InvalidInput("Comments are answered once the round has closed with enough answers.")
    return row, survey_round


def queue_reply(
    session: Session,
    *,
    response_id: int,
    text: str,
    user_id: str,
    signed: bool,
    now: datetime,
    delay_minutes: int,
    slack_admins_are_admins: bool,
) -> RelayMessage:
    """A team manager's (or an admin's) reply, queued for the relay's next batch."""
    row, survey_round = commented_round(session, response_id=response_id)
    check_manages(
        session,
        user_id=user_id,
        team_id=survey_round.team_id,
        slack_admins_are_admins=slack_admins_are_admins,
    )
    if not text.strip():
        raise InvalidInput("The reply is empty.")
    if len(text) > MAX_REPLY:
        raise InvalidInput(f"A reply holds at most {MAX_REPLY} characters.")
    message = RelayMessage(
        survey_response_id=row.id,
        to_author=True,  # a manager's words on their way to the employee side
        text=text.strip(),
        signed_by=user_id if signed else None,
        due_at=batch_time(now, delay_minutes),
    )
    session.add(message)
    session.flush()
    return message


def expand(session: Session, *, message: RelayMessage) -> int:
    """One recipient row per person the round's DM reached; called once, inside the relay's claim."""
    response = session.get(SurveyResponse, message.survey_response_id)
    if response is None:
        return 0
    people = session.exec(
        select(SurveyDelivery.slack_user_id, SurveyDelivery.language).where(
            col(SurveyDelivery.round_id) == response.round_id,
            col(SurveyDelivery.status) == DeliveryStatus.SENT,
        )
    ).all()
    if people:
        session.execute(
            insert(RelayRecipient),
            [
                {"message_id": message.id, "slack_user_id": user, "language": language,
                 "due_at": message.due_at, "status": DeliveryStatus.PENDING.value, "attempts": 0}
                for user, language in people
            ],
        )  # fmt: skip
    return len(people)


def reply_view(session: Session, *, message_id: int) -> ReplyView:
    message = session.get(RelayMessage, message_id)
    response = session.get(SurveyResponse, message.survey_response_id) if message else None
    survey_round = session.get(SurveyRound, response.round_id) if response else None
    if message is None or response is None or survey_round is None:
        raise NotFound("That reply no longer exists.")
    return ReplyView(survey_round.number, excerpt(response.comment or ""), message.text, message.signed_by)


def excerpt(comment: str) -> str:
    words = " ".join(comment.split())
    if len(words) <= EXCERPT_CHARS:
        return words
    return words[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
