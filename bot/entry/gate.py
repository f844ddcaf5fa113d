"""What a request to /slack/events goes through before anything reads it.

1. Size: at most MAX_SLACK_BODY bytes, refused (413) from Content-Length or while streaming, never
   read whole into memory first.
2. Signature: HMAC-SHA256 of `v0:{timestamp}:{raw bytes}` with the signing secret, timestamp within
   5 minutes (401). Nothing is decoded or parsed before this, and no body is ever logged.
3. Replay: a signature seen in the last minutes is answered 200 and not processed again (Postgres
   keeps recent signatures, so every replica sees them; SQLite's single instance checks in memory
   and writes them behind, see ReplayGuard).
4. Text: the body must be UTF-8 (400).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select
from starlette.requests import Request

from bot.clock import ensure_utc
from bot.db import SessionFactory, session_scope
from models.digest import SeenRequest

log = logging.getLogger("symmetry.gate")
MAX_SLACK_BODY = 1024 * 1024  # Slack payloads are small: a full view with state is well under 1 MB
WINDOW_SECONDS = 5 * 60
_PRUNE_EVERY = 60.0
_WRITE_EVERY = 1.0


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
    """Signatures of the last WINDOW_SECONDS (+ a margin): a signed request is processed once.

    `for_store` picks one of the two below: on Postgres the store is shared by the replicas, so each
    signature is inserted there (one statement on a connection of its own, never waiting behind the
    pool that answers use); SQLite serves one instance, so the check is in memory and the signatures
    are written behind, a batch a second, and read back at start (a restart still refuses a replay)."""

    def first_time(self, signature: str, now: float) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        """Give back what the guard holds of the store (nothing by default)."""

    @staticmethod
    def for_store(factory: SessionFactory) -> ReplayGuard:
        with factory() as session:
            engine = session.get_bind()
        if engine.dialect.name == "postgresql":
            return SharedReplayGuard(engine)  # type: ignore[arg-type]
        return LocalReplayGuard(factory)


class SharedReplayGuard(ReplayGuard):
    """One INSERT ... ON CONFLICT DO NOTHING per request, on up to CONNECTIONS connections of its own
    (autocommit, no pre-ping, no wait for the disk): an ack never waits for a connection the answers or
    the scheduler hold, nor for an fsync."""

    CONNECTIONS = 4

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue()
        self._opened = 0
        self._lock = threading.Lock()
        self._pruned = 0.0

    def first_time(self, signature: str, now: float) -> bool:
        at = datetime.fromtimestamp(now, UTC)
        insert = (
            pg_insert(SeenRequest)
            .values(signature=signature[:80], received_at=at)
            .on_conflict_do_nothing()
            .returning(col(SeenRequest.signature))
        )
        for attempt in (1, 2):
            conn = self._take()
            try:
                if self._prune_due(now):
                    conn.execute(delete(SeenRequest).where(col(SeenRequest.received_at) < _cutoff(at)))
                first = conn.execute(insert).first() is not None
            except DBAPIError:
                self._discard(conn)
                if attempt == 2:
                    raise
                continue
            self._idle.put(conn)
            return first
        raise AssertionError("unreachable")

    def _take(self) -> Connection:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            opening = self._opened < self.CONNECTIONS
            self._opened += opening
        if not opening:
            return self._idle.get()
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            # no wait for the WAL flush: a Postgres crash may forget the last instant's signatures
            conn.exec_driver_sql("SET synchronous_commit TO off")
            return conn
        except BaseException:
            with self._lock:
                self._opened -= 1
            raise

    def close(self) -> None:
        """Close the idle connections of its own (they are not the engine pool's to reclaim)."""
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            self._discard(conn)

    def _discard(self, conn: Connection) -> None:
        with self._lock:
            self._opened -= 1
        try:
            conn.invalidate()
            conn.close()
        except Exception:  # noqa: BLE001 - a dead connection: the next request opens a new one
            pass

    def _prune_due(self, now: float) -> bool:
        with self._lock:
            due = now - self._pruned > _PRUNE_EVERY
            self._pruned = now if due else self._pruned
            return due


class LocalReplayGuard(ReplayGuard):
    def __init__(self, factory: SessionFactory) -> None:
        self.factory = factory
        self._seen: dict[str, float] = {}
        self._unsaved: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self._closed = threading.Event()
        with session_scope(factory) as session:
            since = _cutoff(datetime.now(UTC))
            rows = session.exec(select(SeenRequest).where(col(SeenRequest.received_at) >= since)).all()
            self._seen = {r.signature: ensure_utc(r.received_at).timestamp() for r in rows}

    def first_time(self, signature: str, now: float) -> bool:
        key = signature[:80]
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = now
            self._unsaved.append((key, now))
            if self._writer is None and not self._closed.is_set():
                self._writer = threading.Thread(
                    target=self._write_behind, name="symmetry-replays", daemon=True
                )
                self._writer.start()
        return True

    def flush(self) -> None:
        """Write the new signatures (one transaction) and forget the old ones."""
        with self._lock:
            batch, self._unsaved = self._unsaved, []
            cutoff = _cutoff(datetime.now(UTC))
            self._seen = {k: t for k, t in self._seen.items() if t >= cutoff.timestamp()}
        if not batch:
            return
        rows = [{"signature": k, "received_at": datetime.fromtimestamp(t, UTC)} for k, t in batch]
        with session_scope(self.factory) as session:
            session.execute(sqlite_insert(SeenRequest).values(rows).on_conflict_do_nothing())
            session.execute(delete(SeenRequest).where(col(SeenRequest.received_at) < cutoff))

    def close(self) -> None:
        """Stop writing behind and save what is left: nothing of the store is used after this returns."""
        self._closed.set()
        with self._lock:
            writer = self._writer
        if writer is not None:
            writer.join(timeout=10)
        try:
            self.flush()
        except Exception:  # noqa: BLE001 - the store went away: a restart may accept a replay of these
            log.warning("could not save the last request signatures", exc_info=True)

    def _write_behind(self) -> None:
        while not self._closed.wait(_WRITE_EVERY):
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the store is busy or away: the memory still guards
                log.warning("could not save recent request signatures; will try again", exc_info=True)


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=WINDOW_SECONDS + 60)
