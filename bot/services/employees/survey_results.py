"""Closing a round: figures fixed once, "who answered" purged, results posted exactly once.

`close_round` claims the round (open -> closing, a conditional UPDATE only one closer wins),
computes the figures from the answers, stores them as JSON on the round, deletes the round's
"answered" hashes and reminder marks, and plans one post per destination (managers' channel,
team channel) under UNIQUE (round, kind). Posting is the adapter's job; a post is recorded with
its intent before the Slack call, so a restart checks Slack before posting again.

Anonymity: with fewer than K people answering, every figure and comment is hidden and managers
read "fewer than K answered"; a figure answered by fewer than K (a skipped question) is hidden
alone. Comments are shown in shuffled order, dated to the round, never finer.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.services.employees.survey_db import row_id, rows_changed
from bot.services.kpi.stats import nps_counts
from models.survey import (
    DeliveryStatus,
    RoundStatus,
    SurveyAnswered,
    SurveyDelivery,
    SurveyPost,
    SurveyResponse,
    SurveyRound,
)
from models.team import Team

FIGURES = ("enps", "quality", "predicted_nps", "driver")


def rounds_to_close(session: Session, *, now: datetime) -> list[int]:
    query = select(SurveyRound.id).where(
        col(SurveyRound.status) == RoundStatus.OPEN, col(SurveyRound.closes_at) <= now
    )
    return [i for i in session.exec(query) if i is not None]


def close_round(session: Session, *, round_id: int, now: datetime, rng: random.Random | None = None) -> bool:
    """Close it if nobody else is; False when it was not open (already closed, or being closed)."""
    won = rows_changed(
        session,
        update(SurveyRound)
        .where(col(SurveyRound.id) == round_id, col(SurveyRound.status) == RoundStatus.OPEN)
        .values(status=RoundStatus.CLOSING.value),
    )
    if won != 1:
        return False
    survey_round = session.get(SurveyRound, round_id)
    assert survey_round is not None
    session.refresh(survey_round)
    results = compute_results(session, survey_round, rng=rng or random.Random())
    survey_round.results = json.dumps(results, sort_keys=True)
    survey_round.status, survey_round.closed_at = RoundStatus.CLOSED.value, now
    session.execute(delete(SurveyAnswered).where(col(SurveyAnswered.round_id) == round_id))
    session.execute(
        update(SurveyDelivery).where(col(SurveyDelivery.round_id) == round_id).values(reminder=None)
    )
    session.execute(  # not delivered by the close (Slack down all along): never sent late
        update(SurveyDelivery)
        .where(col(SurveyDelivery.round_id) == round_id, col(SurveyDelivery.status) == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.FAILED.value, error="round_closed")
    )
    session.add(survey_round)
    _plan_posts(session, survey_round)
    session.flush()
    return True


def compute_results(session: Session, survey_round: SurveyRound, *, rng: random.Random) -> dict[str, Any]:
    k = survey_round.threshold
    invited = _count(
        session,
        SurveyDelivery,
        col(SurveyDelivery.round_id) == survey_round.id,
        col(SurveyDelivery.status) == DeliveryStatus.SENT,
    )
    rows = session.execute(
        sa_select(
            col(SurveyResponse.id),
            col(SurveyResponse.quality),
            col(SurveyResponse.recommend),
            col(SurveyResponse.enps),
            col(SurveyResponse.driver_score),
            col(SurveyResponse.reason),
            col(SurveyResponse.comment),
        ).where(col(SurveyResponse.round_id) == survey_round.id)
    ).all()
    answered = len(rows)
    shown = answered >= k
    result: dict[str, Any] = {
        "round": survey_round.number,
        "opens_on": survey_round.opens_on.isoformat(),
        "invited": invited,
        "answered": answered,
        "k": k,
        "shown": shown,
        "driver_key": survey_round.driver,
        "figures": {},
        "reasons": [],
        "comments": [],
        "previous": _previous(session, survey_round),
    }
    if not shown:
        return result
    result["figures"] = {
        "enps": _nps([r[3] for r in rows], k),
        "quality": _mean([r[1] for r in rows], k),
        "predicted_nps": _nps([r[2] for r in rows], k),
        "driver": _mean([r[4] for r in rows], k),
    }
    result["reasons"] = _ranked([r[5] for r in rows if r[5]], k)
    comments = [r[0] for r in rows if r[6]]
    rng.shuffle(comments)
    result["comments"] = comments
    return result


def _count(session: Session, model: type, *where: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def _nps(values: list[int | None], k: int) -> dict[str, Any] | None:
    scores = [v for v in values if v is not None]
    if len(scores) < k:
        return None
    value = nps_counts(scores).value
    return {"value": round(value, 1) if value is not None else None, "n": len(scores)}


def _mean(values: list[int | None], k: int) -> dict[str, Any] | None:
    scores = [v for v in values if v is not None]
    return {"value": round(sum(scores) / len(scores), 2), "n": len(scores)} if len(scores) >= k else None


def _ranked(reasons: list[str], k: int) -> list[list[Any]]:
    if len(reasons) < k:
        return []
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return [[key, n] for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _previous(session: Session, survey_round: SurveyRound) -> dict[str, Any] | None:
    """The figures of the team's last closed round before this one (for the change)."""
    before = session.exec(
        select(SurveyRound)
        .where(
            col(SurveyRound.team_id) == survey_round.team_id,
            col(SurveyRound.status) == RoundStatus.CLOSED,
            col(SurveyRound.number) < survey_round.number,
        )
        .order_by(col(SurveyRound.number).desc())
        .limit(1)
    ).first()
    if before is None or not before.results:
        return None
    data = json.loads(before.results)
    return {
        "round": data["round"],
        "figures": data.get("figures", {}),
        "answered": data["answered"],
        "invited": data["invited"],
        "driver_key": data.get("driver_key"),
    }


def _plan_posts(session: Session, survey_round: SurveyRound) -> None:
    team = session.get(Team, survey_round.team_id)
    assert team is not None
    posts = (("managers", team.managers_channel), ("chart", team.managers_channel), ("team", team.channel_id))
    for kind, channel in posts:
        if channel:
            session.add(SurveyPost(round_id=row_id(survey_round.id), kind=kind, channel_id=channel))


@dataclass(frozen=True)
class PendingPost:
    post_id: int
    round_id: int
    kind: str
    channel_id: str
    intent_at: datetime | None


def pending_posts(session: Session) -> list[PendingPost]:
    rows = session.exec(select(SurveyPost).where(col(SurveyPost.ts).is_(None)).order_by(col(SurveyPost.id)))
    return [
        PendingPost(p.id, p.round_id, p.kind, p.channel_id, p.intent_at) for p in rows if p.id is not None
    ]


def mark_post_intent(session: Session, *, post_id: int, now: datetime) -> None:
    session.execute(update(SurveyPost).where(col(SurveyPost.id) == post_id).values(intent_at=now))


def clear_post_intent(session: Session, *, post_id: int) -> None:
    """Slack said no before taking anything (a 429, a refusal): the post may be tried again."""
    session.execute(update(SurveyPost).where(col(SurveyPost.id) == post_id).values(intent_at=None))


def mark_posted(session: Session, *, post_id: int, ts: str, now: datetime) -> None:
    session.execute(update(SurveyPost).where(col(SurveyPost.id) == post_id).values(ts=ts, posted_at=now))


def round_results(session: Session, round_id: int) -> dict[str, Any]:
    survey_round = session.get(SurveyRound, round_id)
    return json.loads(survey_round.results) if survey_round and survey_round.results else {}
