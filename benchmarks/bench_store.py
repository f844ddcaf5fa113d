"""Generated stores for bench_kpi.py: N verbatims over three years, seeded, fast to load.

Rows are generated chunk by chunk in time order (imports arrive roughly chronologically), with numpy.
Postgres: COPY through psycopg into schema bench_kpi_<rows>. SQLite: executemany in one transaction
into benchmarks/out/kpi_<rows>.db. Secondary indexes are dropped during the load and rebuilt after
(exactly as the migrations define them), then statistics are refreshed. A finished store is marked
in a bench_meta table and reused.
"""

from __future__ import annotations

import argparse
import importlib.util
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy import text

from bot.db import MIGRATIONS, make_engine, upgrade

STORE_VERSION = 2  # bump when the schema or the generator changes: stores are rebuilt

CHUNK = 250_000
YEARS = 3
TEAMS = [
    ("Support FR", "Europe/Paris"),
    ("Support DE", "Europe/Berlin"),
    ("Support UK", "Europe/London"),
    ("Support ES", "Europe/Madrid"),
    ("Support IT", "Europe/Rome"),
    ("Care US East", "America/New_York"),
    ("Care US West", "America/Los_Angeles"),
    ("Care BR", "America/Sao_Paulo"),
    ("Care IN", "Asia/Kolkata"),
    ("Care JP", "Asia/Tokyo"),
    ("Back office", "Europe/Paris"),
    ("VIP desk", "Europe/Paris"),
]
TEAM_WEIGHTS = np.array([18, 12, 12, 8, 8, 10, 8, 6, 6, 4, 5, 3], dtype=float)
CHANNELS = ["Email", "Phone", "Chat", "Store", "App", "Social"]
CHANNEL_WEIGHTS = np.array([30, 25, 20, 10, 10, 5], dtype=float)
REASONS = [
    "Delivery",
    "Refund",
    "Billing",
    "Product quality",
    "Login",
    "Wait time",
    "Staff attitude",
    "Returns",
    "Price",
    "Website",
    "Stock",
    "Warranty",
    "Cancellation",
    "Promo code",
    "Other",
]
LEVELS = ["L1", "L2", "L3"]
AGENTS_PER_TEAM = 25
SCALES = ["nps", "csat", "stars"]
SCALE_WEIGHTS = np.array([50, 40, 10], dtype=float)
NPS_P = np.array([4, 2, 3, 3, 4, 7, 7, 12, 16, 20, 22], dtype=float)
CSAT_P = np.array([8, 7, 12, 33, 40], dtype=float)
TEXTS = [
    "Quick answer, thanks",
    "Still waiting for my refund",
    "The agent was lovely",
    "Too long on hold",
    "Parcel arrived damaged",
    "Great service as always",
    "Nobody called me back",
    "Easy and fast",
]
COLUMNS = (
    "source",
    "external_id",
    "received_at",
    "text",
    "score",
    "scale",
    "channel",
    "reason",
    "team_id",
    "agent",
    "processing_level",
    "language",
    "sentiment_label",
    "reasons",
    "risks",
    "priority",
    "priority_why",
    "status",
    "imported_at",
)


def _migration_0002():  # type: ignore[no-untyped-def]
    path = MIGRATIONS / "versions" / "0002_people_and_kpi_indexes.py"
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def backfill_sql(postgres: bool) -> str:
    """The kpi_hour backfill of migration 0002 (triggers are off during the bulk load)."""
    m = _migration_0002()
    select = m._tally_select("verbatim", m.PG_HOUR if postgres else m.SQLITE_HOUR)
    return f"INSERT INTO kpi_hour (scale, hour, team_key, n, top, bottom, total) {select}"


class Stages:
    """Prints how long each step of a build takes."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def __call__(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what}: {now - self.t0:.0f} s", flush=True)
        self.t0 = now


def chunks(rows: int, end: datetime) -> Iterator[dict[str, list]]:
    """Columns of CHUNK rows at a time, in time order over the YEARS before `end`."""
    start_us = int((end - timedelta(days=365 * YEARS)).timestamp() * 1e6)
    span = int(timedelta(days=365 * YEARS).total_seconds() * 1e6)
    for first in range(0, rows, CHUNK):
        size = min(CHUNK, rows - first)
        rng = np.random.default_rng(first)
        lo, hi = start_us + span * first // rows, start_us + span * (first + size) // rows
        stamps = np.sort(rng.integers(lo, hi, size)).astype("datetime64[us]")
        scale = rng.choice(3, size, p=SCALE_WEIGHTS / SCALE_WEIGHTS.sum())
        nps = rng.choice(11, size, p=NPS_P / NPS_P.sum())
        csat = rng.choice(5, size, p=CSAT_P / CSAT_P.sum()) + 1
        score = np.where(scale == 0, nps, csat)
        team = rng.choice(len(TEAMS), size, p=TEAM_WEIGHTS / TEAM_WEIGHTS.sum())
        yield {
            "external_id": [f"{i:09d}" for i in range(first, first + size)],
            "received_at": np.datetime_as_string(stamps, unit="us").tolist(),
            "score": [
                None if unscored else s
                for s, unscored in zip(score.tolist(), (rng.random(size) < 0.02).tolist(), strict=True)
            ],
            "scale": [SCALES[i] for i in scale.tolist()],
            "channel": [
                CHANNELS[i]
                for i in rng.choice(len(CHANNELS), size, p=CHANNEL_WEIGHTS / CHANNEL_WEIGHTS.sum()).tolist()
            ],
            "reason": [REASONS[i] for i in rng.integers(0, len(REASONS), size).tolist()],
            "team_id": (team + 1).tolist(),
            "agent": [
                f"agent-{t:02d}-{a:02d}"
                for t, a in zip(team.tolist(), rng.integers(0, AGENTS_PER_TEAM, size).tolist(), strict=True)
            ],
            "processing_level": [LEVELS[i] for i in rng.choice(3, size, p=[0.7, 0.22, 0.08]).tolist()],
            "text": [TEXTS[i] for i in rng.integers(0, len(TEXTS), size).tolist()],
        }


def _tuples(cols: dict[str, list], imported: str) -> Iterator[tuple]:
    stamps = [s.replace("T", " ") for s in cols["received_at"]]  # the text SQLAlchemy stores on SQLite
    for ext, ts, txt, score, scale, ch, rs, team, agent, level in zip(
        cols["external_id"],
        stamps,
        cols["text"],
        cols["score"],
        cols["scale"],
        cols["channel"],
        cols["reason"],
        cols["team_id"],
        cols["agent"],
        cols["processing_level"],
        strict=True,
    ):
        yield (
            "bench",
            ext,
            ts,
            txt,
            score,
            scale,
            ch,
            rs,
            team,
            agent,
            level,
            "en",
            "unknown",
            "",
            "",
            0,
            "",
            "open",
            imported,
        )


def ensure_store(db: str, rows: int, args: argparse.Namespace) -> tuple[str, str | None]:
    """(database url, schema) of a ready store with `rows` verbatims, generated if missing."""
    if db == "sqlite":
        path = args.out / f"kpi_{rows}.db"
        url = f"sqlite:///{path}"
        if args.rebuild or not _sqlite_ready(path):
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            _timed(f"sqlite {rows:,} rows", lambda: _build_sqlite(url, path, rows, args.end))
        return url, None
    schema = f"bench_kpi_{rows}"
    if args.rebuild or not _postgres_ready(args.postgres_url, schema):
        _timed(f"postgres {rows:,} rows", lambda: _build_postgres(args.postgres_url, schema, rows, args.end))
    return args.postgres_url, schema


def _timed(what: str, fn) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    print(f"generating {what} ...", flush=True)
    fn()
    print(f"  done in {time.perf_counter() - t0:.0f} s", flush=True)


def _schema_and_teams(engine, end: datetime) -> None:  # type: ignore[no-untyped-def]
    upgrade(engine)
    with engine.begin() as conn:
        for name, tz in TEAMS:
            conn.execute(
                text(
                    "INSERT INTO team (name, timezone, digest_at, post_empty_digest, created_at) "
                    "VALUES (:n, :tz, '08:30', false, :at)"
                ),
                {"n": name, "tz": tz, "at": end},
            )
        conn.execute(text("CREATE TABLE bench_meta (version INTEGER NOT NULL)"))


def _sqlite_ready(path: Path) -> bool:
    if not path.exists():
        return False
    with sqlite3.connect(path) as conn:
        try:
            return conn.execute("SELECT max(version) FROM bench_meta").fetchone()[0] == STORE_VERSION
        except sqlite3.OperationalError:
            return False


def _build_sqlite(url: str, path: Path, rows: int, end: datetime) -> None:
    engine = make_engine(url)
    _schema_and_teams(engine, end)
    engine.dispose()
    stage = Stages()
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-1000000",
        "temp_store=MEMORY",
        "threads=2",
    ):
        conn.execute(f"PRAGMA {pragma}")  # a throwaway bulk load: speed over durability
    ddl = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND "
        "tbl_name = 'verbatim' AND sql IS NOT NULL"
    ).fetchall()
    for kind, name, _ in ddl:
        conn.execute(f"DROP {kind.upper()} {name}")
    insert = f"INSERT INTO verbatim ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    imported = end.strftime("%Y-%m-%d %H:%M:%S.%f")
    conn.execute("BEGIN")
    for cols in chunks(rows, end):
        conn.executemany(insert, _tuples(cols, imported))
    conn.execute("COMMIT")
    stage("rows")
    conn.execute(backfill_sql(postgres=False))
    for _, _, sql in ddl:
        conn.execute(sql)
    stage("kpi_hour, indexes and triggers")
    conn.execute("ANALYZE")
    conn.execute(f"INSERT INTO bench_meta VALUES ({STORE_VERSION})")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def _postgres_ready(url: str, schema: str) -> bool:
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (f"{schema}.bench_meta",)).fetchone()[0]
        try:
            return (
                bool(exists)
                and conn.execute(f"SELECT max(version) FROM {schema}.bench_meta").fetchone()[0]
                == STORE_VERSION
            )
        except psycopg.Error:  # a store from an older version of this script
            return False


def _build_postgres(url: str, schema: str, rows: int, end: datetime) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    engine = make_engine(url, schema=schema)
    _schema_and_teams(engine, end)
    engine.dispose()
    stage = Stages()
    with psycopg.connect(url, autocommit=True, options=f"-csearch_path={schema}") as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = "
            "'verbatim' AND indexname NOT IN ('verbatim_pkey', 'uq_verbatim_source_external_id')",
            (schema,),
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        conn.execute("ALTER TABLE verbatim DROP CONSTRAINT uq_verbatim_source_external_id")
        conn.execute("ALTER TABLE verbatim DISABLE TRIGGER USER")  # kpi_hour is backfilled once below
        imported = end.isoformat()
        with conn.cursor().copy(f"COPY verbatim ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for cols in chunks(rows, end):
                copy.write(_copy_text(cols, imported))
        stage("rows (COPY)")
        conn.execute(backfill_sql(postgres=True))
        conn.execute("ALTER TABLE verbatim ENABLE TRIGGER USER")
        stage("kpi_hour")
        conn.execute(
            "ALTER TABLE verbatim ADD CONSTRAINT uq_verbatim_source_external_id UNIQUE (source, external_id)"
        )
        for _, sql in indexes:
            conn.execute(sql)
        stage("indexes")
        conn.execute("VACUUM (ANALYZE) verbatim")
        conn.execute("VACUUM (ANALYZE) kpi_hour")
        stage("vacuum analyze")
        conn.execute(f"INSERT INTO bench_meta VALUES ({STORE_VERSION})")


def _copy_text(cols: dict[str, list], imported: str) -> str:
    """One chunk in COPY text format; a plain f-string per row (the generic join was the bottleneck)."""
    tail = f"\ten\tunknown\t\t\t0\t\topen\t{imported}\n"
    scores = ["\\N" if s is None else str(s) for s in cols["score"]]
    return "".join(
        f"bench\t{ext}\t{ts}+00\t{txt}\t{score}\t{scale}\t{ch}\t{rs}\t{team}\t{agent}\t{level}{tail}"
        for ext, ts, txt, score, scale, ch, rs, team, agent, level in zip(
            cols["external_id"],
            cols["received_at"],
            cols["text"],
            scores,
            cols["scale"],
            cols["channel"],
            cols["reason"],
            cols["team_id"],
            cols["agent"],
            cols["processing_level"],
            strict=True,
        )
    )
