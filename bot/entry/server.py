"""HTTP mode for production: Starlette under uvicorn.

POST /slack/events   every Slack payload (commands, interactivity, events): size, signature and replay
                     checked before anything is parsed (bot/entry/gate.py), then Bolt
GET  /healthz        200 when the store answers, 503 otherwise
POST /ingest/verbatims  survey tools push records as JSON, with `Authorization: Bearer <token>`
"""

from __future__ import annotations

import hmac
import json
import logging
import sys
import time

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.entry.gate import Refusal, ReplayGuard, check_signature, read_capped
from bot.entry.timing import Timing
from bot.errors import Phrasebook, UserFacingError
from bot.services.customers.importer import ImportReport
from bot.services.customers.ingest import ingest_payload

log = logging.getLogger("symmetry.server")
MAX_INGEST_BYTES = 20 * 1024 * 1024

# The ingest API's words for service errors: a survey tool sends JSON and query parameters, not flags.
HTTP_PHRASES: Phrasebook = {
    "source_invalid": (
        "source {given!r} is not a short name (1-64 characters): "
        'send ?source=qualtrics in the URL or "source": "qualtrics" in the body'
    ),
    "too_many_records": "{count} records in one request; send at most {limit} per request",
}


def build_asgi(app: App, deps: Deps) -> Starlette:
    # Answers (charts) are CPU-bound threads: hand the interpreter back to an ack every 1 ms, not 5 ms
    sys.setswitchinterval(0.001)
    secret = deps.settings.SLACK_SIGNING_SECRET
    replays = ReplayGuard.for_store(deps.factory)

    async def slack_events(request: Request) -> Response:
        timing = Timing()
        body = await read_capped(request)
        timing.mark("read")
        if isinstance(body, Refusal):
            return _refused(body)
        # Bolt's own x-slack-bolt-* headers (lazy-only runs) never come from outside
        headers = {k: v for k, v in request.headers.items() if not k.startswith("x-slack-bolt-")}
        refusal = check_signature(secret.get_secret_value() if secret else "", headers, body, now=time.time())
        timing.mark("sig")
        if refusal is not None:
            return _refused(refusal)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _refused(Refusal(400, "body is not UTF-8"))
        outcome = await run_in_threadpool(_handle, app, replays, timing, text, request.url.query, headers)
        timing.mark("back")
        if isinstance(outcome, Refusal):
            return _refused(outcome)
        if outcome is None:
            log.info("a replayed request was ignored (same signature within 5 minutes)")
            return Response(status_code=200)
        return Response(
            status_code=outcome.status,
            content=outcome.body,
            headers={k: v[0] for k, v in outcome.headers.items() if v} | timing.header(),
        )

    async def healthz(_: Request) -> Response:
        try:
            await run_in_threadpool(_ping, deps)
        except Exception as exc:  # noqa: BLE001
            return JSONResponse(
                {"ok": False, "database": "unreachable", "error": str(exc)[:200]}, status_code=503
            )
        return JSONResponse({"ok": True, "database": "ok"})

    async def ingest(request: Request) -> Response:
        return await _ingest(request, deps)

    asgi = Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/ingest/verbatims", ingest, methods=["POST"]),
        ]
    )
    asgi.state.replays = replays  # closed by whoever stops serving (its connections are its own)
    return asgi


def _handle(
    app: App, replays: ReplayGuard, timing: Timing, text: str, query: str, headers: dict[str, str]
) -> BoltResponse | Refusal | None:
    """On one worker thread: the replay check, then Bolt parses and runs the listener's ack (None: a replay)."""
    timing.mark("wait")
    if not replays.first_time(headers["x-slack-signature"], time.time()):
        return None
    timing.mark("replay")
    try:
        request = BoltRequest(body=text, query=query, headers=dict(headers.items()))
    except (RecursionError, ValueError):  # 100,000-deep JSON, a broken form: no traceback
        return Refusal(400, "unreadable payload")
    response = app.dispatch(request)
    timing.mark("bolt")
    return response


def _refused(refusal: Refusal) -> Response:
    log.info("refused a request to /slack/events: %s (%s)", refusal.reason, refusal.status)
    return JSONResponse({"ok": False, "error": refusal.reason}, status_code=refusal.status)


def _ping(deps: Deps) -> None:
    with session_scope(deps.factory) as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]


async def _ingest(request: Request, deps: Deps) -> Response:
    token = deps.settings.SYMMETRY_INGEST_TOKEN
    if token is None:
        return _error(503, "ingest_disabled", "set SYMMETRY_INGEST_TOKEN to accept pushed verbatims")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme != "Bearer" or not hmac.compare_digest(
        given.strip().encode(), token.get_secret_value().encode()
    ):
        return _error(401, "invalid_token", "send Authorization: Bearer <SYMMETRY_INGEST_TOKEN>")
    raw = await read_capped(request, MAX_INGEST_BYTES)
    if isinstance(raw, Refusal):
        return _error(
            413, "too_large", f"at most {MAX_INGEST_BYTES // 1024 // 1024} MB per request; send batches"
        )
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _error(400, "invalid_json", f"body is not valid JSON: {exc}")
    except RecursionError:
        return _error(400, "invalid_json", "body is nested too deeply")
    try:
        report = await run_in_threadpool(_store, deps, payload, request.query_params.get("source"))
    except UserFacingError as exc:
        return _error(400, "invalid_request", exc.phrase(HTTP_PHRASES), code=exc.code, field=exc.field)
    if report.rejected_count:
        errors = [{"index": r.line, "reason": r.reason} for r in report.rejects]
        return JSONResponse(
            {"ok": False, "error": "invalid_records", "detail": _rejected(report), "errors": errors},
            status_code=400,
        )
    return JSONResponse({"ok": True, "inserted": report.inserted, "duplicates": report.duplicates})


def _store(deps: Deps, payload: object, source: str | None) -> ImportReport:
    return ingest_payload(
        deps.factory,
        payload,
        source=source,
        taxonomy=deps.taxonomy,
        timezone=deps.settings.timezone,
        now=deps.clock.now(),
    )


def _rejected(report: ImportReport) -> str:
    return (
        f"nothing stored: {report.rejected_count} of {report.read} records are invalid (see errors); "
        "a request is stored whole or not at all: fix them and send it again"
    )


def _error(status: int, error: str, detail: str, **more: str | None) -> JSONResponse:
    body = {"ok": False, "error": error, "detail": detail} | {k: v for k, v in more.items() if v}
    return JSONResponse(body, status_code=status)
