"""The anonymity primitives every employee feature uses (pulse, stories, suggestions, surveys).

- `person_key`: a keyed hash (HMAC-SHA256 with SYMMETRY_SECRET_KEY) of a Slack id and a purpose, so
  the store can replace a same-day answer, relay replies and count distinct people without storing
  who. Without the secret (which is never in the database), a copy of the database names nobody.
- `seal` / `unseal`: the few places that must reach a person later (the author of an anonymous
  suggestion gets the managers' replies by DM) keep the Slack id encrypted with the same secret.
- `anonymity_threshold` / `threshold_for_week` / `lock_threshold`: K, default 5, allowed 3-10; the
  K in force for a week is locked when its first answer arrives (raising K later applies to it,
  lowering does not).
- `day_only` / `week_of`: anonymous answers are dated to the local day, reported by whole weeks.

The no-subtraction rule that uses them lives in bot/services/employees/cells.py (docs/ANONYMITY.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from bot.errors import InvalidInput
from models.settings import AnonymityLock, AppSetting

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD, MAX_THRESHOLD = 3, 10
THRESHOLD_KEY = "anonymity_threshold"
PURPOSES = frozenset({"pulse", "story", "vote", "suggest", "survey"})


def person_key(*, secret: str, user_id: str, purpose: str) -> str:
    """HMAC-SHA256 (hex, 64 chars) of `purpose:user_id`: stable per purpose, unlinkable across
    purposes, and meaningless without the secret."""
    if not secret:
        raise ValueError("person_key needs SYMMETRY_SECRET_KEY")
    message = f"{purpose}:{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    out, counter = b"", 0
    while len(out) < length:
        out += hmac.new(key, b"enc" + nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def _keys(secret: str) -> tuple[bytes, bytes]:
    root = hashlib.sha256(secret.encode()).digest()
    return (
        hmac.new(root, b"seal-encrypt", hashlib.sha256).digest(),
        hmac.new(root, b"seal-mac", hashlib.sha256).digest(),
    )


def seal(*, secret: str, value: str) -> str:
    """Encrypt-then-MAC (HMAC-SHA256 counter stream, random nonce): only the bot, holding the secret,
    can read it back. Used for the one thing a relay needs: whom to DM."""
    enc, mac = _keys(secret)
    nonce = secrets.token_bytes(16)
    data = value.encode()
    body = bytes(a ^ b for a, b in zip(data, _stream(enc, nonce, len(data)), strict=True))
    tag = hmac.new(mac, nonce + body, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(nonce + tag + body).decode()


def unseal(*, secret: str, sealed: str) -> str:
    enc, mac = _keys(secret)
    raw = base64.urlsafe_b64decode(sealed.encode())
    nonce, tag, body = raw[:16], raw[16:32], raw[32:]
    if not hmac.compare_digest(tag, hmac.new(mac, nonce + body, hashlib.sha256).digest()[:16]):
        raise ValueError("sealed value was altered or sealed with another secret")
    return bytes(a ^ b for a, b in zip(body, _stream(enc, nonce, len(body)), strict=True)).decode()


def day_only(now: datetime, tz: ZoneInfo) -> date:
    """The local day of `now`: the only time an anonymous answer keeps."""
    if now.tzinfo is None:
        raise ValueError("day_only needs a timezone-aware datetime")
    return now.astimezone(tz).date()


def week_of(day: date) -> date:
    """The Monday of `day`'s week: figures are reported by whole weeks."""
    return day - timedelta(days=day.weekday())


def validate_threshold(value: int | str) -> int:
    try:
        k = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"The anonymity threshold must be a whole number, not {value!r}.") from None
    if not MIN_THRESHOLD <= k <= MAX_THRESHOLD:
        raise InvalidInput(
            f"The anonymity threshold must be between {MIN_THRESHOLD} and {MAX_THRESHOLD} (got {k}).",
            hints=["Default: 5. Higher hides more small groups; lower is not allowed below 3."],
        )
    return k


def anonymity_threshold(session: Session) -> int:
    """K in force now (settings table), default 5."""
    row = session.get(AppSetting, THRESHOLD_KEY)
    return validate_threshold(row.value) if row is not None else DEFAULT_THRESHOLD


def set_anonymity_threshold(session: Session, value: int | str) -> int:
    """Raising applies to every week; lowering only to weeks that have no answers yet (locked ones
    keep the K they were answered under)."""
    k = validate_threshold(value)
    row = session.get(AppSetting, THRESHOLD_KEY)
    if row is None:
        session.add(AppSetting(key=THRESHOLD_KEY, value=str(k)))
    else:
        row.value = str(k)
    session.flush()
    return k


def lock_threshold(session: Session, *, source: str, day: date) -> int:
    """Called when an answer is stored: the week's K is locked at the first answer (idempotent)."""
    week = week_of(day)
    current = anonymity_threshold(session)
    if session.get(AnonymityLock, (source, week)) is None:
        try:
            with session.begin_nested():
                session.add(AnonymityLock(source=source, week_start=week, k=current))
        except IntegrityError:
            pass  # a concurrent first answer locked it first: the primary key keeps one row
    return threshold_for_week(session, source=source, week_start=week, current=current)


def threshold_for_week(session: Session, *, source: str, week_start: date, current: int | None = None) -> int:
    """max(K locked for the week, K now): raising applies, lowering is not retroactive."""
    now_k = anonymity_threshold(session) if current is None else current
    lock = session.get(AnonymityLock, (source, week_start))
    return max(now_k, lock.k) if lock is not None else now_k


def locked_thresholds(session: Session, *, source: str, first: date, last: date) -> dict[date, int]:
    """week_start -> locked K for the weeks in [first, last] that have one."""
    rows = session.execute(
        select(col(AnonymityLock.week_start), col(AnonymityLock.k)).where(
            col(AnonymityLock.source) == source,
            col(AnonymityLock.week_start) >= first,
            col(AnonymityLock.week_start) <= last,
        )
    ).all()
    return {w: k for w, k in rows}
