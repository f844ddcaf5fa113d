"""One APScheduler inside `run`/`serve`: stable job ids, explicit timezone, misfire and coalesce.

Several replicas on one Postgres: the scheduler ticks on every replica, but a tick only does work
on the replica holding a Postgres advisory lock (the leader). The lock lives on one connection the
leader keeps open: when the leader dies, Postgres drops the connection and the lock, and the next
replica to tick takes over. Job bodies are leased and idempotent as well (ledger rows under UNIQUE
keys, digest runs leased), so a tick that races a change of leader still posts nothing twice.
SQLite is single-instance: every tick does the work (and `serve` refuses a second process on the
same file, see runner.py).
"""

from __future__ import annotations

import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from bot.entry.deps import Deps
from jobs import JOBS, JobSpec

log = logging.getLogger("symmetry.scheduler")
LEADER_LOCK = 0x53594D4D  # "SYMM": one advisory lock key for the scheduler's leader


class Leadership:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    @property
    def shared(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def is_leader(self) -> bool:
        if not self.shared:
            return True
        with self._lock:
            if self._conn is not None and self._alive():
                return True
            return self._try_to_lead()

    def _alive(self) -> bool:
        try:
            self._conn.execute(text("SELECT 1"))  # type: ignore[union-attr]
            return True
        except Exception:  # noqa: BLE001 - the connection (and so the lock) is gone
            log.warning("lost the scheduler lock (database connection gone)")
            self.resign()
            return False

    def _try_to_lead(self) -> bool:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK}).scalar()
        except Exception:  # noqa: BLE001 - no database now: not the leader, try on the next tick
            conn.close()
            return False
        if not got:
            conn.close()
            return False
        self._conn = conn
        log.info("this replica now runs the scheduled jobs (leader)")
        return True

    def resign(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001
                pass
            self._conn = None


def build_scheduler(
    deps: Deps, *, client: WebClient, leadership: Leadership | None = None
) -> BackgroundScheduler:
    leadership = leadership or Leadership(_engine(deps))
    scheduler = BackgroundScheduler(timezone="UTC")
    every = deps.settings.SYMMETRY_TICK_SECONDS
    for job in JOBS:
        scheduler.add_job(
            run_if_leader,
            trigger="interval",
            seconds=every,
            id=job.id,
            name=job.id,
            kwargs={"job": job, "leadership": leadership, "deps": deps, "client": client},
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=every * 5,
        )
    return scheduler


def run_if_leader(*, job: JobSpec, leadership: Leadership, deps: Deps, client: WebClient) -> object:
    if not leadership.is_leader():
        return None
    try:
        return job.run(deps=deps, client=client)
    except Exception:  # noqa: BLE001 - a job that failed runs again on the next tick
        log.exception("job %s failed; it runs again on the next tick", job.id)
        return None


def _engine(deps: Deps) -> Engine:
    with deps.factory() as session:
        return session.get_bind()  # type: ignore[return-value]
