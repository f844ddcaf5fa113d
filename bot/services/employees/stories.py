"""/bestfailure: a story of something that went wrong for a customer, what the teller did, how it
ended. Posted to the stories channel with a vote button (one vote per person, click again to take it
back); every Friday 16:00 company time the most-voted story of the week is posted, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from bot.errors import InvalidInput, NotFound
from bot.services.employees.anonymity import day_only, person_key
from bot.services.people.roles import find_person, timezone_for
from models.story import Story, StoryOfWeek, StoryVote
from models.verbatim import Verbatim

FIELDS = {
    "what_went_wrong": "What went wrong for the customer",
    "what_i_did": "What I did",
    "how_it_ended": "How it ended",
}
MAX_FIELD = 2000
LIST_LIMIT = 10


class StoryInvalid(InvalidInput):
    """Field -> message, for the modal's field-level errors."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def validate(
    parts: dict[str, str | None], verbatim_id: str | None, session: Session
) -> tuple[dict[str, str], int | None]:
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for name, label in FIELDS.items():
        text = (parts.get(name) or "").strip()
        if not text:
            errors[name] = f"{label}: a few words, please."
        elif len(text) > MAX_FIELD:
            errors[name] = f"{label}: {len(text)} characters, the limit is {MAX_FIELD}."
        clean[name] = text
    vid = None
    if verbatim_id and verbatim_id.strip():
        raw = verbatim_id.strip().lstrip("#")
        if not raw.isdigit() or session.get(Verbatim, int(raw)) is None:
            errors["verbatim"] = (
                f"No verbatim #{raw[:20]}: use the number shown in the digest, or leave it empty."
            )
        else:
            vid = int(raw)
    if errors:
        raise StoryInvalid(errors)
    return clean, vid


def tell(
    session: Session, *, secret: str, user_id: str, parts: dict[str, str | None], verbatim_id: str | None,
    signed: bool, now: datetime, default_tz: ZoneInfo,
) -> Story:  # fmt: skip
    clean, vid = validate(parts, verbatim_id, session)
    person = find_person(session, user_id)
    story = Story(
        author_key=person_key(secret=secret, user_id=user_id, purpose="story"),
        signed_by=user_id if signed else None,
        team_id=person.team_id if person else None,
        day=day_only(now, timezone_for(session, user_id, default=default_tz)),
        verbatim_id=vid,
        what_went_wrong=clean["what_went_wrong"],
        what_i_did=clean["what_i_did"],
        how_it_ended=clean["how_it_ended"],
    )
    session.add(story)
    session.flush()
    return story


def get(session: Session, story_id: int) -> Story:
    story = session.get(Story, story_id)
    if story is None or story.deleted:
        raise NotFound("That story was deleted: there is nothing to vote on any more.")
    return story


def record_card(session: Session, *, story_id: int, channel: str, ts: str) -> None:
    story = get(session, story_id)
    story.channel_id, story.ts = channel, ts
    session.flush()


@dataclass(frozen=True)
class Vote:
    story: Story
    voted: bool  # True: the vote counts now; False: it was taken back


def toggle_vote(session: Session, *, secret: str, story_id: int, user_id: str) -> Vote:
    """One vote per person (a double click lands as one); clicking again takes it back."""
    story = get(session, story_id)
    key = person_key(secret=secret, user_id=user_id, purpose="vote")
    removed = session.execute(
        delete(StoryVote).where(col(StoryVote.story_id) == story_id, col(StoryVote.voter_key) == key)
    )
    voted = removed.rowcount == 0  # type: ignore[attr-defined]
    if voted:
        try:
            with session.begin_nested():
                session.add(StoryVote(story_id=story_id, voter_key=key))
        except IntegrityError:
            pass  # the same click arrived twice: one vote
    count = session.execute(select(func.count()).where(col(StoryVote.story_id) == story_id)).scalar_one()
    session.execute(update(Story).where(col(Story.id) == story_id).values(votes=count))
    session.refresh(story)
    return Vote(story, voted)


def best_of_week(session: Session, *, week_start: date) -> Story | None:
    """Most votes among the week's stories; ties: the earliest told."""
    stmt = (
        select(Story)
        .where(
            col(Story.day) >= week_start,
            col(Story.day) < week_start + timedelta(weeks=1),
            col(Story.deleted).is_(False),
        )
        .order_by(col(Story.votes).desc(), col(Story.day), col(Story.id))
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def claim_week(session: Session, *, week_start: date, now: datetime) -> bool:
    """The ledger: True once per week, whatever reruns or replicas do."""
    try:
        with session.begin_nested():
            session.add(StoryOfWeek(week_start=week_start, status="planned", created_at=now))
        return True
    except IntegrityError:
        claimed = session.execute(
            update(StoryOfWeek)
            .where(col(StoryOfWeek.week_start) == week_start, col(StoryOfWeek.status) == "failed")
            .values(status="planned")
        )
        return claimed.rowcount == 1  # type: ignore[attr-defined]


def finish_week(session: Session, *, week_start: date, status: str, story_id: int | None = None,
                channel: str | None = None, ts: str | None = None) -> None:  # fmt: skip
    session.execute(
        update(StoryOfWeek).where(col(StoryOfWeek.week_start) == week_start)
        .values(status=status, story_id=story_id, channel_id=channel, ts=ts)
    )  # fmt: skip


def recent(session: Session, *, limit: int = LIST_LIMIT) -> list[Story]:
    stmt = select(Story).where(col(Story.deleted).is_(False)).order_by(col(Story.id).desc()).limit(limit)
    return list(session.execute(stmt).scalars())
