"""Company settings an admin changes at run time: `symmetry settings set KEY VALUE`."""

from __future__ import annotations

from sqlmodel import Session

from bot.errors import InvalidInput
from bot.services.employees.anonymity import THRESHOLD_KEY, anonymity_threshold, set_anonymity_threshold
from bot.services.people.teams import validate_channel
from models.settings import AppSetting

STORIES_CHANNEL = "stories_channel"
KEYS = {
    THRESHOLD_KEY: "K, the fewest different people behind any employee figure (3-10, default 5)",
    STORIES_CHANNEL: "channel id where /bestfailure stories and the story of the week are posted",
}


def set_setting(session: Session, key: str, value: str) -> str:
    """Validate and store; returns the value as stored."""
    key = key.strip().lower()
    if key == THRESHOLD_KEY:
        return str(set_anonymity_threshold(session, value))
    if key == STORIES_CHANNEL:
        channel = validate_channel(value)
        row = session.get(AppSetting, key) or AppSetting(key=key, value=channel)
        row.value = channel
        session.add(row)
        session.flush()
        return channel
    raise InvalidInput(f"Unknown setting {key!r}.", hints=[f"{k}: {what}" for k, what in KEYS.items()])


def get_setting(session: Session, key: str) -> str | None:
    if key == THRESHOLD_KEY:
        return str(anonymity_threshold(session))
    row = session.get(AppSetting, key)
    return row.value if row else None
