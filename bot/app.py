"""Wiring only: Deps + WebClient -> Bolt App with every handler registered and one error handler."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.db import DatabaseUnavailable, session_scope
from bot.deps import Deps
from bot.errors import UserFacingError
from handlers import HANDLER_MODULES
from models.digest import ProcessedEvent

log = logging.getLogger("symmetry")


def build_app(deps: Deps, *, client: WebClient) -> App:
    secret = deps.settings.SLACK_SIGNING_SECRET
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        token_verification_enabled=False,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
    )
    app.middleware(_dedupe_events(deps))
    for module in HANDLER_MODULES:
        module.register(app, deps)
    app.error(_handle_error)
    return app


def _dedupe_events(deps: Deps):  # type: ignore[no-untyped-def]
    """Slack redelivers events (X-Slack-Retry-Num): each event_id is processed once."""

    def dedupe_events(body: dict, next) -> BoltResponse | None:  # type: ignore[no-untyped-def]  # noqa: A002
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not record_event(deps, str(event_id), deps.clock.now()):
            return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe_events


def record_event(deps: Deps, event_id: str, now: datetime) -> bool:
    """True the first time an event id is seen."""
    try:
        with session_scope(deps.factory) as session:
            session.add(ProcessedEvent(event_id=event_id[:64], received_at=now))
        return True
    except IntegrityError:
        return False


def _handle_error(error: Exception, body: dict, logger: logging.Logger, client: WebClient, respond=None) -> None:  # type: ignore[no-untyped-def]
    if isinstance(error, UserFacingError):
        text = error.message + ("".join(f"\n• {h}" for h in error.hints) if error.hints else "")
        if isinstance(error, DatabaseUnavailable):
            log.error("database unavailable: %s", error.message)
    else:
        error_id = uuid.uuid4().hex[:8]
        log.exception("unhandled error %s", error_id, exc_info=error)
        text = f"Sorry, something went wrong on our side (error id `{error_id}`). Please try again in a moment."
    tell_user(body, text, client=client, respond=respond)


def tell_user(body: dict, text: str, *, client: WebClient, respond=None) -> None:  # type: ignore[no-untyped-def]
    """Ephemeral to the person who acted, by response_url when there is one, else chat.postEphemeral."""
    try:
        if respond is not None and (body.get("response_url") or body.get("response_urls")):
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        user = body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
        channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or (body.get("event") or {}).get("channel")
        if user and channel:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
    except Exception:  # noqa: BLE001 - telling the user must never raise over the original error
        log.exception("could not tell the user about an error")
