"""Wiring only: Deps + WebClient -> Bolt App with every handler registered and one error handler."""

from __future__ import annotations

from datetime import datetime

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.db import session_scope
from bot.entry.answer_process import AnswerProcess, ProcessAnswerRunner
from bot.entry.answers import AnswerRunner
from bot.entry.deps import Deps
from bot.slack.employees_off import gate_listeners
from bot.slack.errors import report_error, tell_user
from handlers import HANDLER_MODULES
from models.digest import ProcessedEvent


def build_app(deps: Deps, *, client: WebClient, answers_here: bool = False) -> App:
    """Acks run on the request path (`process_before_response`); answers (Bolt's lazy listeners) in
    the answer process (bot/entry/answer_process.py) when SYMMETRY_ANSWER_PROCESS is on, else on
    `deps.answers`. `answers_here`: this is the answer process (or a test) and runs them itself.

    Signatures are checked by the HTTP server before anything is parsed (bot/entry/server.py), so
    Bolt's own check (which logs whole bodies at INFO) is off; Socket Mode needs none."""
    app = App(
        client=client,
        token_verification_enabled=False,
        request_verification_enabled=False,
        process_before_response=True,
        raise_error_for_unhandled_request=False,
    )
    if deps.settings.SYMMETRY_ANSWER_PROCESS and not answers_here:
        deps.answer_process = AnswerProcess(deps.settings, deps.clock, tell=_teller(client))
        app.listener_runner.lazy_listener_runner = ProcessAnswerRunner(deps.answer_process, app.logger)
    else:
        app.listener_runner.lazy_listener_runner = AnswerRunner(deps.answers, app.logger)
    app.middleware(_dedupe_events(deps))
    for module in HANDLER_MODULES:
        if deps.settings.SYMMETRY_EMPLOYEE_FEATURES:
            module.register(app, deps)
        else:  # registered all the same, but the employee ones answer "turned off"
            gate_listeners(app, deps, module.register, whole=getattr(module, "EMPLOYEE", False))
    app.error(_handle_error)
    return app


def _dedupe_events(deps: Deps):
    """Slack redelivers events (X-Slack-Retry-Num): each event_id is processed once."""

    def dedupe_events(body: dict, request: BoltRequest, next) -> BoltResponse | None:  # noqa: A002
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if request.lazy_only:  # the answer process runs the answer of an event already let through
            event_id = None
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


def _teller(client: WebClient):
    """Tells the person behind a raw request something (an answer given up), as errors are told."""

    def tell(request: dict, text: str) -> None:
        body = BoltRequest(body=request["body"], query=request["query"], headers=request["headers"]).body
        tell_user(body, text, client=client)

    return tell


def _handle_error(error: Exception, body: dict, client: WebClient, respond=None) -> None:
    report_error(error, body, client=client, respond=respond)
