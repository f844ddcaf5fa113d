"""/pulse: "How do you feel about work today?" 1-5, one answer per person per local day.

Stored without who: the row carries an HMAC of the Slack id (purpose "pulse"), the team, the local
day (no time), the score, the optional comment, and the Slack id only when the person signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from bot.errors import InvalidInput
from bot.services.employees.anonymity import day_only, lock_threshold, person_key, week_of
from bot.services.people.roles import find_person, timezone_for
from models.pulse import PulseAnswer

SOURCE = "pulse"
MIN_SCORE, MAX_SCORE = 1, 5
MAX_COMMENT = 1000
SPARK_WEEKS = 8
FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
LABELS = {1: "Bad", 2: "Not great", 3: "OK", 4: "Good", 5: "Great"}
_BARS = "▁▂▃▅▇"  # 1..5


@dataclass(frozen=True)
class PulseSaved:
    day: date
    score: int
    replaced: bool  # an earlier answer of the same day was replaced
    signed: bool
    weeks: tuple[float | None, ...]  # own weekly mean, oldest first (SPARK_WEEKS)

    @property
    def sparkline(self) -> str:
        return sparkline(self.weeks)


def validate_score(value: object) -> int:
    try:
        score = int(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"A pulse is a number from {MIN_SCORE} to {MAX_SCORE}, not {str(value)[:20]!r}.",
            hints=["Try /pulse 4, or /pulse alone for the form."],
        ) from None
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise InvalidInput(f"A pulse is from {MIN_SCORE} (bad) to {MAX_SCORE} (great), not {score}.")
    return score


def validate_comment(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput(f"The comment is {len(text)} characters; the limit is {MAX_COMMENT}.")
    return text or None


def record_pulse(
    session: Session,
    *,
    secret: str,
    user_id: str,
    score: int,
    comment: str | None,
    signed: bool,
    now: datetime,
    default_tz: ZoneInfo,
) -> PulseSaved:
    """Store today's answer (the person's local day), replacing an earlier one of the same day."""
    score, comment = validate_score(score), validate_comment(comment)
    key = person_key(secret=secret, user_id=user_id, purpose=SOURCE)
    day = day_only(now, timezone_for(session, user_id, default=default_tz))
    person = find_person(session, user_id)
    values = {
        "team_id": person.team_id if person else None,
        "score": score,
        "comment": comment,
        "signed_by": user_id if signed else None,
    }
    replaced = _upsert(session, key, day, values)
    lock_threshold(session, source=SOURCE, day=day)
    return PulseSaved(day, score, replaced, signed, own_weeks(session, key=key, today=day))


def _upsert(session: Session, key: str, day: date, values: dict) -> bool:
    """True when an answer of that day existed (a double submit lands here too: still one row)."""
    for _ in range(2):
        existing = session.execute(
            select(PulseAnswer).where(col(PulseAnswer.person_key) == key, col(PulseAnswer.day) == day)
        ).scalar_one_or_none()
        if existing is not None:
            for name, value in values.items():
                setattr(existing, name, value)
            session.flush()
            return True
        try:
            with session.begin_nested():
                session.add(PulseAnswer(person_key=key, day=day, **values))
            return False
        except IntegrityError:
            continue  # the same person's other submit won the race: replace it
    raise RuntimeError("pulse answer could not be stored")  # pragma: no cover


def own_weeks(session: Session, *, key: str, today: date) -> tuple[float | None, ...]:
    """The person's own weekly means, the last SPARK_WEEKS weeks (this one last)."""
    first = week_of(today) - timedelta(weeks=SPARK_WEEKS - 1)
    rows = session.execute(
        select(col(PulseAnswer.day), col(PulseAnswer.score)).where(
            col(PulseAnswer.person_key) == key, col(PulseAnswer.day) >= first, col(PulseAnswer.day) <= today
        )
    ).all()
    sums: dict[date, list[int]] = {}
    for day, score in rows:
        sums.setdefault(week_of(day), []).append(score)
    weeks = [first + timedelta(weeks=i) for i in range(SPARK_WEEKS)]
    return tuple(sum(sums[w]) / len(sums[w]) if w in sums else None for w in weeks)


def own_trend(
    session: Session, *, secret: str, user_id: str, now: datetime, default_tz: ZoneInfo
) -> tuple[tuple[float | None, ...], bool]:
    """(weeks, answered today?) for the App Home: the person's own data only."""
    key = person_key(secret=secret, user_id=user_id, purpose=SOURCE)
    today = day_only(now, timezone_for(session, user_id, default=default_tz))
    answered = session.execute(
        select(func.count()).where(col(PulseAnswer.person_key) == key, col(PulseAnswer.day) == today)
    ).scalar_one()
    return own_weeks(session, key=key, today=today), bool(answered)


def sparkline(weeks: tuple[float | None, ...]) -> str:
    """'▃▅·▇': one bar per week from 1 (▁) to 5 (▇), '·' for a week without an answer."""
    return "".join("·" if w is None else _BARS[min(4, max(0, round(w) - 1))] for w in weeks)


@dataclass(frozen=True)
class HomePulse:
    weeks: tuple[float | None, ...]  # own weekly means, oldest first
    answered_today: bool
    team: str | None
    team_mean: float | None  # None: hidden (fewer than K people) or no team
    team_first: date | None
    team_last: date | None
    k: int


def home_pulse(
    session: Session, *, secret: str, user_id: str, now: datetime, default_tz: ZoneInfo
) -> HomePulse:
    """The App Home's pulse: the person's own trend, and their team's last 4 whole weeks when shown."""
    from bot.services.employees.figures import answer_atoms
    from bot.services.employees.metrics import PULSE
    from bot.services.employees.sources import WEEK, last_finished_week
    from models.team import Team

    weeks, answered = own_trend(session, secret=secret, user_id=user_id, now=now, default_tz=default_tz)
    person = find_person(session, user_id)
    team = session.get(Team, person.team_id) if person and person.team_id else None
    if team is None:
        return HomePulse(weeks, answered, None, None, None, None, 0)
    last = last_finished_week(now)
    team_id = int(team.id or 0)
    found = answer_atoms(session, metric=PULSE, start=last - 3 * WEEK, end=last + timedelta(days=6),
                         teams={team_id}, names={team_id: team.name}, now=now)  # fmt: skip
    t = found.total
    mean = t.tally.total / t.tally.n if t.shown and t.tally.n else None
    return HomePulse(weeks, answered, team.name, mean, found.first_week, found.end, found.k)
