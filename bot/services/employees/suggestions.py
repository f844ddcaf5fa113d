"""/suggest: a suggestion goes to the managers' channel of the sender's team, anonymous by default.

The author is stored as a keyed hash (to count people) and a sealed Slack id (so the bot, and only
the bot, can DM replies). Replies travel both ways through RelayMessage rows delivered in batches
(`due_at` on a boundary of the relay delay), so timing gives no one away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlmodel import Session, col

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services.employees.anonymity import day_only, person_key, seal, unseal
from bot.services.people.roles import effective_role, find_person, timezone_for, visible_team_ids
from models.person import Role
from models.suggestion import RelayMessage, Suggestion, SuggestionStatus
from models.team import Team

PURPOSE = "suggest"
MAX_REPLY = 3000
LIST_LIMIT = 20


@dataclass(frozen=True)
class Sent:
    suggestion: Suggestion
    channel: str | None  # the managers' channel; None: kept for the admins (no team, or no channel)
    team_name: str | None


def submit(
    session: Session,
    *,
    secret: str,
    user_id: str,
    text: str,
    signed: bool,
    now: datetime,
    default_tz: ZoneInfo,
) -> Sent:
    """Store the suggestion, intact. No team (or no managers' channel): kept for the admins."""
    if not text.strip():
        raise InvalidInput(
            "A suggestion needs a few words.", hints=["/suggest <your idea>, or /suggest alone for the form."]
        )
    person = find_person(session, user_id)
    team = session.get(Team, person.team_id) if person and person.team_id else None
    row = Suggestion(
        author_key=person_key(secret=secret, user_id=user_id, purpose=PURPOSE),
        author_box=seal(secret=secret, value=user_id),
        signed_by=user_id if signed else None,
        team_id=team.id if team else None,
        day=day_only(now, timezone_for(session, user_id, default=default_tz)),
        text=text,
    )
    session.add(row)
    session.flush()
    return Sent(row, team.managers_channel if team else None, team.name if team else None)


def record_card(session: Session, *, suggestion_id: int, channel: str, ts: str) -> None:
    row = get(session, suggestion_id)
    row.channel_id, row.ts = channel, ts
    session.flush()


def get(session: Session, suggestion_id: int) -> Suggestion:
    row = session.get(Suggestion, suggestion_id)
    if row is None:
        raise NotFound("That suggestion no longer exists.")
    return row


def check_manager(session: Session, *, user_id: str, suggestion: Suggestion, admins: bool) -> None:
    """Only the team's managers (and admins) reply to, close or list its suggestions."""
    role = effective_role(find_person(session, user_id), slack_admins_are_admins=admins)
    visible = visible_team_ids(session, user_id, slack_admins_are_admins=admins)
    if role is Role.AGENT or (visible is not None and suggestion.team_id not in visible):
        raise NotAllowed("Only the team's managers can answer this suggestion.")


def batch_time(now: datetime, minutes: int) -> datetime:
    """The next batch boundary at least `minutes` away (0: now)."""
    if minutes <= 0:
        return now
    step = timedelta(minutes=minutes)
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return epoch + ((now + step - epoch) // step + 1) * step


def queue(
    session: Session, *, suggestion: Suggestion, text: str, to_author: bool, signed_by: str | None,
    now: datetime, delay_minutes: int,
) -> RelayMessage:  # fmt: skip
    if suggestion.status != SuggestionStatus.OPEN:
        raise InvalidInput(f"That suggestion is closed ({status_words(suggestion.status)}): no more replies.")
    if not text.strip():
        raise InvalidInput("The reply is empty.")
    message = RelayMessage(
        suggestion_id=id_of(suggestion), to_author=to_author, text=text, signed_by=signed_by,
        due_at=batch_time(now, delay_minutes),
    )  # fmt: skip
    session.add(message)
    session.flush()
    return message


def close(
    session: Session, *, suggestion: Suggestion, status: str, reason: str, by: str, signed: bool, now: datetime,
    delay_minutes: int,
) -> RelayMessage:  # fmt: skip
    """Mark done / won't do with a reason; the author is told (through the relay, like a reply)."""
    if status not in (SuggestionStatus.DONE, SuggestionStatus.WONT_DO):
        raise InvalidInput(f"Unknown status {status!r}.")
    note = f"Your suggestion was marked *{status_words(status)}*" + (
        f": {reason.strip()}" if reason.strip() else "."
    )
    message = queue(session, suggestion=suggestion, text=note, to_author=True, signed_by=by if signed else None,
                    now=now, delay_minutes=delay_minutes)  # fmt: skip
    claimed = session.execute(
        update(Suggestion)
        .where(col(Suggestion.id) == suggestion.id, col(Suggestion.status) == SuggestionStatus.OPEN)
        .values(status=status, reason=reason.strip() or None)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidInput("That suggestion was just closed by someone else.")
    session.refresh(suggestion)
    return message


def due(session: Session, *, now: datetime) -> list[RelayMessage]:
    stmt = select(RelayMessage).where(col(RelayMessage.delivered).is_(False), col(RelayMessage.due_at) <= now)
    return list(session.execute(stmt.order_by(col(RelayMessage.id))).scalars())


def claim(session: Session, message_id: int) -> bool:
    """True once: the relay delivers each message at most once, whatever runs in parallel."""
    result = session.execute(
        update(RelayMessage)
        .where(col(RelayMessage.id) == message_id, col(RelayMessage.delivered).is_(False))
        .values(delivered=True)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def author_of(suggestion: Suggestion, *, secret: str) -> str:
    return unseal(secret=secret, sealed=suggestion.author_box)


def is_author(suggestion: Suggestion, *, secret: str, user_id: str) -> bool:
    return suggestion.author_key == person_key(secret=secret, user_id=user_id, purpose=PURPOSE)


def list_for(
    session: Session, *, user_id: str | None, admins: bool, limit: int = LIST_LIMIT
) -> list[Suggestion]:
    """Managers: their teams' suggestions; admins and the terminal (None): all, the no-team ones too."""
    stmt = select(Suggestion).order_by(col(Suggestion.id).desc()).limit(limit)
    if user_id is not None:
        role = effective_role(find_person(session, user_id), slack_admins_are_admins=admins)
        if role is Role.AGENT:
            raise NotAllowed("Suggestions are listed for managers: yours went to your team's managers.")
        visible = visible_team_ids(session, user_id, slack_admins_are_admins=admins)
        if visible is not None:
            stmt = stmt.where(col(Suggestion.team_id).in_(sorted(visible)))
    return list(session.execute(stmt).scalars())


def status_words(status: str) -> str:
    return {"open": "open", "done": "done", "wont_do": "won't do"}[status]


def id_of(row: Suggestion) -> int:
    if row.id is None:
        raise ValueError("the suggestion is not stored yet")
    return row.id
