"""Teams: their channel, timezone and digest time."""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from sqlmodel import Session, select

from bot.config import check_timezone
from bot.errors import InvalidInput, NotFound
from models.team import Team

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,39}$")
LANGUAGES = ("en", "fr")


def name_key(name: str) -> str:
    """Team names match whatever the case and spacing: "care  team" is "Care Team"."""
    return " ".join(name.split()).casefold()


def close_teams(session: Session, name: str) -> list[str]:
    names = {name_key(t.name): t.name for t in list_teams(session)}
    return [names[k] for k in difflib.get_close_matches(name_key(name), list(names), n=3, cutoff=0.75)]


def _did_you_mean(close: list[str]) -> str:
    return f"did you mean {' or '.join(repr(c) for c in close)}?"


def validate_language(value: str) -> str:
    value = value.strip().lower()
    if value not in LANGUAGES:
        raise InvalidInput(f"language {value!r}: use {' or '.join(LANGUAGES)}")
    return value


def validate_digest_at(value: str) -> str:
    match = _HHMM.match(value.strip())
    if not match:
        raise InvalidInput(f"digest time {value!r} is not HH:MM (24 h), e.g. 08:30")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def validate_channel(value: str) -> str:
    value = value.strip().lstrip("#")
    if not _CHANNEL.match(value):
        raise InvalidInput(
            f"channel {value!r} is not a Slack channel id (like C0123ABCD: channel details > About)"
        )
    return value


def save_team(
    session: Session,
    *,
    name: str,
    now: datetime,
    channel_id: str | None = None,
    timezone: str | None = None,
    digest_at: str | None = None,
    post_empty_digest: bool | None = None,
    managers_channel: str | None = None,
    language: str | None = None,
    new: bool = False,
) -> Team:
    """Create the team, or update the settings given for an existing one (by name, any case). A new name
    close to an existing one ("Jakson Park" beside "Jackson Park") is refused unless `new` says it is meant."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("a team needs a name")
    team = find_team(session, name)
    if team is None and not new and (close := close_teams(session, name)):
        raise InvalidInput(f"no team {name!r}; {_did_you_mean(close)} (pass --new to create {name!r})")
    team = team or Team(name=name, created_at=now)
    if language is not None:
        team.language = validate_language(language)
    if channel_id is not None:
        team.channel_id = validate_channel(channel_id)
    if timezone is not None:
        try:
            check_timezone(timezone)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        team.timezone = timezone
    if digest_at is not None:
        team.digest_at = validate_digest_at(digest_at)
    if post_empty_digest is not None:
        team.post_empty_digest = post_empty_digest
    if managers_channel is not None:
        team.managers_channel = validate_channel(managers_channel)
    session.add(team)
    session.flush()
    return team


def find_team(session: Session, name: str) -> Team | None:
    exact = session.exec(select(Team).where(Team.name == name.strip())).first()
    if exact is not None:
        return exact
    key = name_key(name)
    return next((t for t in list_teams(session) if name_key(t.name) == key), None)


def get_team(session: Session, name: str) -> Team:
    team = find_team(session, name)
    if team is None:
        close = close_teams(session, name)
        if close:
            raise NotFound(f"no team named {name!r}; {_did_you_mean(close)}")
        known = ", ".join(t.name for t in list_teams(session)) or "none yet"
        raise NotFound(f"no team named {name!r} (teams: {known})")
    return team


def list_teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).order_by(Team.name)))


class TeamResolver:
    """Team name -> id during an import, creating teams the store does not know yet."""

    def __init__(self, session: Session, *, now: datetime, default_timezone: str) -> None:
        self._session = session
        self._now = now
        self._tz = default_timezone
        self._ids = {name_key(t.name): t.id for t in list_teams(session)}
        self.created: list[str] = []
        self._seen: dict[str, int | None] = {}

    def id_for(self, name: str | None) -> int | None:
        """The team of that name whatever its case ("care" is "Care"); created on first sight."""
        if not name:
            return None
        if name in self._seen:
            return self._seen[name]
        key = name_key(name)
        if key not in self._ids:
            team = Team(name=" ".join(name.split()), timezone=self._tz, created_at=self._now)
            self._session.add(team)
            self._session.flush()
            self._ids[key] = team.id
            self.created.append(team.name)
        self._seen[name] = self._ids[key]
        return self._ids[key]
