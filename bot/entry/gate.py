"""What a request to /slack/events goes through before anything reads it.

1. Size: at most MAX_SLACK_BODY bytes, refused (413) from Content-Length or while streaming, never
   read whole into memory first.
2. Signature: HMAC-SHA256 of `v0:{timestamp}:{raw bytes}` with the signing secret, timestamp within
   5 minutes (401). Nothing is decoded or parsed before this, and no body is ever logged.
3. Replay: a signature seen in the last minutes is answered 200 and not processed again (the store
   keeps recent signatures, so every replica sees them).
4. Text: the body must be UTF-8 (400).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from starlette.requests import Request

from bot.db import SessionFactory, session_scope
from models.digest import SeenRequest

log = logging.getLogger("symmetry.gate")
MAX_SLACK_BODY = 1024 * 1024  # Slack payloads are small: a full view with state is well under 1 MB
WINDOW_SECONDS = 5 * 60
_PRUNE_EVERY = 60.0


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


async def read_capped(request: Request, cap: int = MAX_SLACK_BODY) -> bytes | Refusal:
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > cap):
        return Refusal(413, f"body over {cap} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return Refusal(413, f"body over {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def check_signature(secret: str, headers: dict[str, str], body: bytes, *, now: float) -> Refusal | None:
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return Refusal(401, "missing or malformed timestamp")
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        return Refusal(401, "stale timestamp")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return Refusal(401, "invalid signature")
    return None


class ReplayGuard:
    """Signatures of the last WINDOW_SECONDS (+ a margin), kept in the store shared by every replica."""

    def __init__(self, factory: SessionFactory) -> None:
        self.factory = factory
        self._pruned = 0.0

    def first_time(self, signature: str, now: datetime) -> bool:
        self._prune(now)
        try:
            with session_scope(self.factory) as session:
                session.add(SeenRequest(signature=signature[:80], received_at=now))
            return True
        except IntegrityError:
            return False

    def _prune(self, now: datetime) -> None:
        if time.monotonic() - self._pruned < _PRUNE_EVERY:
            return
        self._pruned = time.monotonic()
        cutoff = now - timedelta(seconds=WINDOW_SECONDS + 60)
        with session_scope(self.factory) as session:
            session.execute(delete(SeenRequest).where(col(SeenRequest.received_at) < cutoff))
