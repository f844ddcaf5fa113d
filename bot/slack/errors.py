"""How errors reach people in Slack: a UserFacingError is shown as is; anything else is logged with
an error id and the person sees only the id. Used by @app.error and by `guarded` listeners."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.db import DatabaseUnavailable
from bot.errors import Phrasebook, UserFacingError

log = logging.getLogger("symmetry")
F = TypeVar("F", bound=Callable[..., object])

# Slack's words for service errors. Every code reachable from Slack today reads well as the neutral
# message (no flag or URL in it); a code whose sentence names a CLI option or an HTTP parameter gets
# its Slack sentence here (the CLI's book is bot/cli/helpers.py, the HTTP API's bot/entry/server.py).
SLACK_PHRASES: Phrasebook = {
    "source_invalid": "The source needs a short name (1-64 characters), e.g. `qualtrics`.",
}


def user_message(error: Exception) -> str:
    if isinstance(error, UserFacingError):
        if isinstance(error, DatabaseUnavailable):
            log.error("database unavailable: %s", error.message)
        return error.phrase(SLACK_PHRASES) + "".join(f"\n• {h}" for h in error.hints)
    error_id = uuid.uuid4().hex[:8]
    log.error("unhandled error %s", error_id, exc_info=error)
    return f"Sorry, something went wrong on our side (error id `{error_id}`). Please try again in a moment."


def report_error(error: Exception, body: dict, *, client: WebClient, respond: Respond | None = None) -> None:
    tell_user(body, user_message(error), client=client, respond=respond)


def tell_user(body: dict, text: str, *, client: WebClient, respond: Respond | None = None) -> None:
    """Ephemeral to the person who acted: by response_url when there is one, else chat.postEphemeral in the
    channel; from a view (the App Home, a modal: no channel, no response_url), a DM from the app."""
    try:
        if respond is not None and (body.get("response_url") or body.get("response_urls")):
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        user = (
            body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
        )
        channel = (
            body.get("channel_id")
            or (body.get("channel") or {}).get("id")
            or (body.get("event") or {}).get("channel")
        )
        if user and channel:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
        elif user:
            client.chat_postMessage(channel=user, text=text)
    except Exception:  # noqa: BLE001 - telling the user must never raise over the original error
        log.exception("could not tell the user about an error")


def guarded(listener: F) -> F:
    """For work done after ack(): report errors ourselves (Bolt would turn them into an HTTP 500).

    The listener must take `body` and `client` (and `respond` where Slack gives a response_url).
    """

    @wraps(listener)
    def wrapper(**kwargs: Any) -> object:
        try:
            return listener(**kwargs)
        except Exception as error:  # noqa: BLE001
            report_error(
                error, kwargs.get("body") or {}, client=kwargs["client"], respond=kwargs.get("respond")
            )
            return None

    return wrapper  # type: ignore[return-value]


def later(answers: Any, listener: Callable[..., object], **kwargs: Any) -> None:
    """Run `listener(**kwargs)` on the answer queue (bot/entry/answers.py), after the ack was sent.

    Errors are reported to the person as `guarded` does, so kwargs must hold `body` and `client`."""
    answers.submit(lambda: guarded(listener)(**kwargs))
