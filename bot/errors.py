"""Errors a person is told about. No Slack, HTTP or terminal words in here: each adapter phrases them.

A service raises a `UserFacingError` with a stable `code`, the `field` it is about (if any) and the
`values` a sentence needs. `message` is a neutral default sentence. An adapter that has its own words
for a code (the CLI says `--source`, the HTTP API says `?source=`) passes its phrasebook to `phrase`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

Phrasebook = Mapping[str, str]  # code -> template, formatted with the error's values (and `field`)


class UserFacingError(Exception):
    """Something the user did or asked that we can explain in one short message."""

    default_code = "user_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        values: Mapping[str, object] | None = None,
        hints: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.values: Mapping[str, object] = MappingProxyType(dict(values or {}))
        self.hints = list(hints or [])

    def __str__(self) -> str:
        return self.message

    def phrase(self, book: Phrasebook) -> str:
        """The adapter's sentence for this error's code, or the neutral `message`."""
        template = book.get(self.code)
        if template is None:
            return self.message
        return template.format(field=self.field, **self.values)


class NotFound(UserFacingError):
    """A team, verbatim or person named by the user does not exist."""

    default_code = "not_found"


class NotAllowed(UserFacingError):
    """The user may not see or do this."""

    default_code = "not_allowed"


class InvalidInput(UserFacingError):
    """Malformed text, row or payload."""

    default_code = "invalid_input"


class ConfigError(Exception):
    """A missing or wrong setting: start-up stops with one clear line."""
