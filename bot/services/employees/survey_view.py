"""What one person's survey DM shows: the questions in their language, their answers so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services.customers.taxonomy import Taxonomy
from bot.services.employees.survey_answers import own_answers
from bot.services.employees.survey_followup import you_said_we_did
from bot.services.employees.survey_questions import QuestionBank
from models.survey import RoundStatus, SurveyDelivery, SurveyRound
from models.team import Team


@dataclass(frozen=True)
class SurveyDm:
    round_id: int
    number: int
    team: str
    language: str
    closes_on: str  # team-local date
    questions: dict[str, str]
    driver_text: str
    ends: dict[str, list[str]]
    reasons: list[tuple[str, str]]
    answers: dict[str, Any] = field(default_factory=dict)
    closed: bool = False
    you_said: dict[str, Any] | None = None


def survey_dm(
    session: Session,
    *,
    round_id: int,
    language: str,
    bank: QuestionBank,
    taxonomy: Taxonomy,
    answers: dict[str, Any] | None = None,
    now: datetime,
) -> SurveyDm:
    survey_round = session.get(SurveyRound, round_id)
    assert survey_round is not None
    team = session.get(Team, survey_round.team_id)
    assert team is not None
    driver = bank.driver(survey_round.driver) or bank.driver_for_round(survey_round.number)
    lang = language if language in ("en", "fr") else "en"
    return SurveyDm(
        round_id=round_id,
        number=survey_round.number,
        team=team.name,
        language=lang,
        closes_on=survey_round.closes_at.astimezone(ZoneInfo(team.timezone)).strftime("%Y-%m-%d %H:%M"),
        questions={k: bank.text(k, lang) for k in ("quality", "recommend", "enps", "reason", "comment")},
        driver_text=driver.text[lang],
        ends={s: bank.ends(s, lang) for s in ("zero_ten", "one_five")},
        reasons=[(t.key, t.labels.get(lang) or t.labels.get("en") or t.key) for t in taxonomy.reasons][:100],
        answers=answers or {},
        closed=survey_round.status != RoundStatus.OPEN or now >= survey_round.closes_at,
        you_said=you_said_we_did(session, team_id=team.id, before_number=survey_round.number),  # type: ignore[arg-type]
    )


def dm_for_person(
    session: Session,
    *,
    secret: str,
    round_id: int,
    user_id: str,
    bank: QuestionBank,
    taxonomy: Taxonomy,
    now: datetime,
) -> SurveyDm:
    """The DM as this person should see it now (their own answers, from their keyed hash)."""
    delivery = session.exec(
        select(SurveyDelivery).where(
            col(SurveyDelivery.round_id) == round_id, col(SurveyDelivery.slack_user_id) == user_id
        )
    ).first()
    language = delivery.language if delivery else "en"
    answers = own_answers(session, secret=secret, round_id=round_id, user_id=user_id)
    return survey_dm(
        session, round_id=round_id, language=language, bank=bank, taxonomy=taxonomy, answers=answers, now=now
    )
