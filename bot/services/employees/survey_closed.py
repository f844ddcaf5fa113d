"""Closed survey DMs: once a round has closed, each person's DM is redrawn without its buttons.

The redraw (chat.update, job survey-send) shows the same words to everyone: "this round closed on
<day>, thank you to everyone who took part, the results are with your managers". It does not
depend on whether this person answered: the "answered" marks are deleted in the closing
transaction, and keeping them until every DM is redrawn (hours at chat.update's rate for a big
team) would keep exactly the link the purge removes. So the redraw runs after the close, at its
own pace, and survives a restart: `closed_view` on the ledger row is set once the DM is redrawn
(done) or cannot be (failed: the message or conversation is gone). chat.update is idempotent: a
crash between Slack's answer and the mark redraws that one DM again with the same content, which
nobody can see. A click on a button of a DM not redrawn yet still gets the "round closed" note.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.survey import DeliveryStatus, RoundStatus, SurveyDelivery, SurveyRound
from models.team import Team

DONE, FAILED = "done", "failed"


@dataclass(frozen=True)
class ClosedDm:
    delivery_id: int
    round_id: int
    channel_id: str
    ts: str
    language: str


def closed_dms_due(session: Session, *, limit: int = 200) -> list[ClosedDm]:
    """Delivered DMs of closed rounds that still show their buttons, oldest round first."""
    rows = session.exec(
        select(SurveyDelivery)
        .join(SurveyRound, col(SurveyRound.id) == col(SurveyDelivery.round_id))
        .where(
            col(SurveyRound.status) == RoundStatus.CLOSED,
            col(SurveyDelivery.status) == DeliveryStatus.SENT,
            col(SurveyDelivery.closed_view).is_(None),
            col(SurveyDelivery.ts).is_not(None),
        )
        .order_by(col(SurveyDelivery.round_id), col(SurveyDelivery.id))
        .limit(limit)
    ).all()
    return [
        ClosedDm(d.id, d.round_id, d.channel_id, d.ts, d.language)
        for d in rows
        if d.id is not None and d.channel_id and d.ts
    ]


def mark_closed_view(session: Session, *, delivery_id: int, outcome: str) -> None:
    row = session.get(SurveyDelivery, delivery_id)
    if row is not None:
        row.closed_view = outcome
        session.add(row)


def closed_words(session: Session, *, round_id: int, language: str) -> tuple[str, str]:
    """(title, day) of the closed DM: the team's survey and the team-local day it closed."""
    survey_round = session.get(SurveyRound, round_id)
    team = session.get(Team, survey_round.team_id) if survey_round else None
    if survey_round is None or team is None:
        return ("Weekly survey", "")
    when = survey_round.closed_at or survey_round.closes_at
    day = when.astimezone(ZoneInfo(team.timezone)).date().isoformat()
    title = f"Sondage de la semaine, {team.name}" if language == "fr" else f"Weekly survey, {team.name}"
    return title, day
