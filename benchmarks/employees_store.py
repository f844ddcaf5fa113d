"""A year of pulse answers for a big company, generated in the store itself and kept for the next run.

N people in teams of 50, one team in 20 of 3-4 people (their weeks pool), 52 weeks of working days,
about a third of the people answering each working day (50,000 people -> ~4.3M rows). The people and
the days are two small tables sent from Python; the answers are one INSERT ... SELECT of their cross
product, filtered and scored by an integer hash (the same rows on SQLite and Postgres).

The store is built once under benchmarks/out (SQLite: a file; Postgres: a schema `bench_emp_*`),
under a temporary name renamed when complete, and reused while the parameters (people, seed, layout
version) match (migrations added since are applied to it): a run only clears what questions cache (the "bulk load" state).
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path

from common import OUT, POSTGRES_URL, Store, _drop_schema, open_store

LAYOUT = 1  # bump when the generated rows change
MOODS = (2, 3, 3, 4, 4, 4, 5)
NOISE = (-1, 0, 0, 1)


def teams_for(people: int) -> list[int]:
    """Team sizes: 50, and every 20th team 3 or 4 people."""
    sizes: list[int] = []
    left = people
    while left > 0:
        size = (3 + len(sizes) % 2) if len(sizes) % 20 == 19 else 50
        sizes.append(min(size, left))
        left -= sizes[-1]
    return sizes


def working_days(now: datetime) -> list[date]:
    start = now.date() - timedelta(weeks=52)
    days = (start + timedelta(days=i) for i in range(7 * 52))
    return [d for d in days if d.weekday() < 5]


def _name(people: int, seed: int) -> str:
    return f"emp_l{LAYOUT}_p{people}_s{seed}"


def _answers_sql(kind: str, seed: int) -> str:
    h = f"((pp.p * 2654435761 + dd.d * 40503 + {seed} * 97) % 1000003)"
    key = "printf('%064x', pp.p)" if kind == "sqlite" else "lpad(to_hex(pp.p), 64, '0')"
    noise = f"(CASE ({h} / 3) % 4 WHEN 0 THEN -1 WHEN 3 THEN 1 ELSE 0 END)"
    score = (
        f"max(1, min(5, pp.mood + {noise}))"
        if kind == "sqlite"
        else f"greatest(1, least(5, pp.mood + {noise}))"
    )
    return (
        "INSERT INTO pulse_answer (person_key, team_id, day, score) "
        f"SELECT {key}, pp.team_id, dd.day, {score} FROM bench_day dd CROSS JOIN bench_person pp "
        f"WHERE {h} % 3 = 0 ORDER BY dd.d, pp.p"
    )


def _fill(store: Store, people: int, seed: int, now: datetime) -> int:
    sizes = teams_for(people)
    person_rows, p = [], 0
    for t, size in enumerate(sizes):
        for _ in range(size):
            person_rows.append((p, t + 1, MOODS[(p * 3 + seed) % len(MOODS)]))
            p += 1
    day_rows = [(i, d.isoformat()) for i, d in enumerate(working_days(now))]
    created = now.isoformat()
    team_rows = [(i + 1, f"Team {i + 1:04d}", "UTC", "08:30", False, created) for i in range(len(sizes))]
    mark = "?" if store.kind == "sqlite" else "%s"
    raw = store.engine.raw_connection()  # type: ignore[attr-defined]
    try:
        cur = raw.cursor()
        cur.executemany(
            f"INSERT INTO team (id, name, timezone, digest_at, post_empty_digest, created_at) VALUES ({','.join([mark] * 6)})",
            team_rows,
        )  # fmt: skip
        cur.execute("CREATE TEMP TABLE bench_person (p INTEGER, team_id INTEGER, mood INTEGER)")
        cur.execute("CREATE TEMP TABLE bench_day (d INTEGER, day DATE)")
        cur.executemany(f"INSERT INTO bench_person VALUES ({mark},{mark},{mark})", person_rows)
        cur.executemany(f"INSERT INTO bench_day VALUES ({mark},{mark})", day_rows)
        cur.execute(_answers_sql(store.kind, seed))
        cur.execute("DROP TABLE bench_person")
        cur.execute("DROP TABLE bench_day")
        raw.commit()
        cur.execute("SELECT count(*) FROM pulse_answer")
        rows = int(cur.fetchone()[0])
        if store.kind == "sqlite":
            cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    if store.kind == "postgres":  # the visibility map too: index-only scans, as on a store in use
        _sql(f"VACUUM ANALYZE {store.schema}.pulse_answer")
    return rows


def pulse_store(
    kind: str, people: int, *, seed: int, now: datetime, rebuild: bool = False
) -> tuple[Store, int, float]:
    """(store, answers, seconds spent generating: 0 when reused)."""
    from bot.db import make_engine, upgrade

    name = _name(people, seed)
    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"{name}.db"
        if rebuild:
            _unlink(path)
        if not path.exists():
            building = OUT / f"{name}.building.db"
            _unlink(building)
            store = Store("sqlite", f"sqlite:///{building}", path=building)
            store.engine = make_engine(store.url)
            upgrade(store.engine)  # type: ignore[arg-type]
            t0 = time.perf_counter()
            _fill(store, people, seed, now)
            seconds = time.perf_counter() - t0
            store.engine.dispose()  # type: ignore[attr-defined]
            building.rename(path)
        else:
            seconds = 0.0
        store = open_store("sqlite", f"sqlite:///{path}", None)
        store.path = path
        upgrade(store.engine)  # type: ignore[arg-type]  # a store kept from before a new migration
    else:
        schema = f"bench_{name}"
        if rebuild or not _schema_exists(schema):
            building = f"{schema}_building"
            _drop_schema(POSTGRES_URL, building, create=True)
            store = Store("postgres", POSTGRES_URL, schema=building)
            store.engine = make_engine(POSTGRES_URL, schema=building)
            upgrade(store.engine)  # type: ignore[arg-type]
            t0 = time.perf_counter()
            _fill(store, people, seed, now)
            seconds = time.perf_counter() - t0
            store.engine.dispose()  # type: ignore[attr-defined]
            _drop_schema(POSTGRES_URL, schema)
            _sql(f"ALTER SCHEMA {building} RENAME TO {schema}")
        else:
            seconds = 0.0
        store = open_store("postgres", POSTGRES_URL, schema)
        upgrade(store.engine)  # type: ignore[arg-type]
    return store, _count(store), seconds


def reset_caches(store: Store) -> None:
    """Back to the state right after a bulk load: nothing counted, no atom formed."""
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        from sqlalchemy import text

        conn.execute(text("DELETE FROM employee_week"))
        conn.execute(text("DELETE FROM employee_atom"))
        conn.execute(text("DELETE FROM employee_run"))


def _count(store: Store) -> int:
    from sqlalchemy import text

    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(text("SELECT count(*) FROM pulse_answer")).scalar_one())


def _unlink(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _plain(url: str) -> str:
    from bot.db import normalise_url

    return normalise_url(url).replace("postgresql+psycopg://", "postgresql://")


def _sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(_plain(POSTGRES_URL), autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def _schema_exists(schema: str) -> bool:
    import psycopg

    with psycopg.connect(_plain(POSTGRES_URL), autocommit=True, connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,)
        ).fetchone()
    return row is not None
