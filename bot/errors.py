"""Errors a person is told about. No Slack in here: handlers, jobs and the CLI render them."""

from __future__ import annotations


class UserFacingError(Exception):
    """Something the user did or asked that we can explain in one short message."""

    def __init__(self, message: str, *, hints: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hints = list(hints or [])

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class NotFound(UserFacingError):
    """A team, verbatim or person named by the user does not exist."""


class NotAllowed(UserFacingError):
    """The user may not see or do this."""


class InvalidInput(UserFacingError):
    """Malformed text, row or payload."""


class ConfigError(Exception):
    """A missing or wrong setting: start-up stops with one clear line."""
