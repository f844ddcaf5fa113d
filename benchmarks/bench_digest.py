"""Digest of one team with 50,000 and 500,000 open verbatims: plan it and draw page 0, redraw a page after a
click (targets at 50,000: the digest p95 under 200 ms, a button redraw p95 under 50 ms, on both stores).

    .venv/bin/python benchmarks/bench_digest.py [--quick] [--db sqlite|postgres|both] [--rows 50000,500000]
                                                [--runs 20] [--rebuild]

Each size gets one team whose --rows open verbatims were imported two hours before NOW, received over the
three days before: generated English and French comments (benchmarks/common.py) triaged by the real
`triage_batches`, stored by the real `insert_ignoring_duplicates`. A store is built once and kept in
benchmarks/out/ (`digest_<rows>_s<seed>_v<version>.db`; on Postgres the schema
`bench_keep_digest_<rows>_...`, named by a marker file there) and reused by later runs with the same
parameters (migrated to the current head first); the second store is copied from the first rather than
triaged again. `--rebuild` builds them again. Then, --runs times after one warm-up:

* the daily digest: `plan_digest` (the run, its message pages' ids, its header counted once) + page 0
  loaded and drawn by `build_page_message` (the ledger is emptied before each run, untimed);
* its two statements on the verbatims alone: the grouped pass, the first groups' sort;
* a button redraw: `page_view` of the posted page 0 (its 10 items read by key, their current state) +
  its blocks;
* a click: "I'll take it" on one of page 0's items (the conditional UPDATE, its own transaction) + the
  redraw, as the handler does them (claims undone between rounds, untimed);
* `plan_digest(dry_run=True)` + page 0 (`symmetry digest --dry-run`: the same statements, nothing written).

p50/p95 are wall times; the load average is printed beside them. Figures only: nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import NOW, percentiles, table  # noqa: E402

TEAM = "Digest Bench"
CHANNEL = "C0DIGESTBENCH"
PAGE0_TS = "1700000000.000100"


SEED = 23
DATA_VERSION = 1  # bump when the generated rows change: stores of another version are rebuilt


def cached_store(kind: str, rows: int, *, rebuild: bool = False) -> common.Store:
    """The store of one team with `rows` open verbatims, reused from benchmarks/out when one was built with the
    same parameters (a SQLite file, or a kept Postgres schema named in a marker file there), built otherwise:
    triaged by the real code once, then copied into the other store."""
    name = f"digest_{rows}_s{SEED}_v{DATA_VERSION}"
    marker = common.OUT / f"{name}.{kind}.ok"
    if marker.exists() and not rebuild:
        store = _open_kept(kind, name)
        if _reusable(store, rows):
            print(f"  reusing the {kind} store {store.path or store.schema}", flush=True)
            return store
        store.close(keep=True)
    marker.unlink(missing_ok=True)
    store = _empty_kept(kind, name)
    other = "postgres" if kind == "sqlite" else "sqlite"
    source = common.OUT / f"{name}.{other}.ok"
    if source.exists() and not rebuild:
        print(f"  copying the {other} store's rows", flush=True)
        src = _open_kept(other, name)
        try:
            _copy_rows(src, store)
        finally:
            src.close(keep=True)
    else:
        _fill(store, rows)
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("ANALYZE verbatim" if kind == "postgres" else "ANALYZE")
    common.OUT.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{rows} rows, seed {SEED}, data version {DATA_VERSION}\n")
    return store


def _open_kept(kind: str, name: str) -> common.Store:
    from bot.db import upgrade

    if kind == "sqlite":
        path = common.OUT / f"{name}.db"
        store = common.open_store("sqlite", f"sqlite:///{path}", None)
        store.path = path
    else:
        store = common.open_store("postgres", common.POSTGRES_URL, f"bench_keep_{name}")
    upgrade(store.engine)  # type: ignore[arg-type]  # a store built before a new migration
    return store


def _empty_kept(kind: str, name: str) -> common.Store:
    from bot.db import upgrade

    if kind == "sqlite":
        common.OUT.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{common.OUT / name}.db{suffix}").unlink(missing_ok=True)
    else:
        common._drop_schema(common.POSTGRES_URL, f"bench_keep_{name}", create=True)
    store = _open_kept(kind, name)
    upgrade(store.engine)  # type: ignore[arg-type]
    return store


def _reusable(store: common.Store, rows: int) -> bool:
    try:
        return store_rows(store) == rows
    except Exception:  # noqa: BLE001  a dropped schema, a deleted file: build it again
        return False


def _fill(store: common.Store, rows: int) -> None:
    """One team, `rows` open verbatims triaged by the real code, imported two hours before NOW."""
    from bot.db import session_scope
    from bot.services.customers.importer import insert_ignoring_duplicates
    from bot.services.customers.records import parse_record
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.services.customers.triage_batch import triage_batches

    taxonomy, imported = load_taxonomy(), NOW - timedelta(hours=2)
    mapping = common.mapping(common.GEN_MAP, date_format=None, scale=None)
    records = (
        parse_record(r, mapping)
        for r in common.gen_records(rows, seed=SEED, end=imported, days=3, teams=[(TEAM, "mixed", "csat")])
    )
    team_id = _save_team(store)
    with session_scope(store.factory) as session:
        batches = _chunks(records, 2000)
        for _batch, values in triage_batches(batches, taxonomy=taxonomy, now=imported):
            for value in values:
                value.update(source="bench", team_id=team_id, imported_at=imported)
            insert_ignoring_duplicates(session, values)


def _save_team(store: common.Store) -> int:
    from bot.db import session_scope
    from bot.services.people.teams import save_team

    with session_scope(store.factory) as session:
        team = save_team(
            session, name=TEAM, now=NOW, channel_id=CHANNEL, timezone="Europe/Paris", digest_at="08:30"
        )
        assert team.id is not None
        return team.id


def _copy_rows(source: common.Store, target: common.Store) -> None:
    """The verbatims of a built store copied as they are (triage is the slow part of a build): into Postgres
    by COPY, into SQLite by batched INSERTs."""
    from sqlalchemy import insert, select

    from models.types import table_of
    from models.verbatim import Verbatim

    table = table_of(Verbatim)
    team_id = _save_team(target)
    names = [c.name for c in table.columns]
    with source.engine.connect() as src, target.engine.begin() as dst:  # type: ignore[attr-defined]
        result = src.execution_options(yield_per=5000).execute(select(table))
        if target.kind == "postgres":
            cursor = dst.connection.driver_connection.cursor()
            with cursor.copy(f"COPY verbatim ({', '.join(names)}) FROM STDIN") as copy:
                for row in result:
                    copy.write_row([team_id if name == "team_id" else row._mapping[name] for name in names])
            dst.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('verbatim', 'id'), max(id)) FROM verbatim"
            )
            return
        for part in result.partitions():
            dst.execute(insert(table), [{**row._mapping, "team_id": team_id} for row in part])


def _chunks(items, size: int):  # type: ignore[no-untyped-def]
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def plan_steps(store: common.Store, team, thread_pages: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Seconds of the two statements `plan_digest` runs on the verbatims, on their own: one grouped pass over
    the items (the header's counts, the groups' sizes and tops) and the sort of the first groups' rows that
    keeps the message pages' 60 ids."""
    from bot.db import session_scope
    from bot.services.customers import digest, ranking

    window = {"start": digest.EPOCH, "end": NOW, "now": NOW}
    with session_scope(store.factory) as session:
        t0 = time.perf_counter()
        rows = session.connection().execute(ranking.group_counts_query(session, team.id, **window)).all()
        t1 = time.perf_counter()
        tops: dict = {}
        for priority, reason, _score, _scale, _n in rows:
            group = (ranking.tier_rank(priority), reason)
            tops[group] = max(tops.get(group, priority), priority)
        groups = ranking.display_groups(tops)[:3]
        query = ranking.first_ids_query(session, team.id, groups, limit=10 * (thread_pages + 1), **window)
        session.connection().execute(query).all()
        t2 = time.perf_counter()
    return {"plan: one grouped pass (header, groups)": t1 - t0, "plan: the message pages' ids": t2 - t1}


def store_rows(store: common.Store) -> int:
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return conn.exec_driver_sql("SELECT count(*) FROM verbatim").scalar_one()


def job_plan(store: common.Store, team, taxonomy, thread_pages: int) -> float:  # type: ignore[no-untyped-def]
    """The daily job's digest: `plan_digest` (ranks, writes the run, its items and pages, counts the header)
    + page 0 loaded and drawn. The ledger is emptied before, untimed."""
    from bot.services.customers.digest_runs import plan_digest

    _clear_ledger(store)
    started = time.perf_counter()
    plan = plan_digest(store.factory, team, now=NOW, per_page=10, thread_pages=thread_pages)
    _page0(store, plan, taxonomy)
    return time.perf_counter() - started


def dry_plan(store: common.Store, team, taxonomy, thread_pages: int) -> float:  # type: ignore[no-untyped-def]
    from bot.services.customers.digest_runs import plan_digest

    _clear_ledger(store)
    started = time.perf_counter()
    plan = plan_digest(store.factory, team, now=NOW, per_page=10, thread_pages=thread_pages, dry_run=True)
    _page0(store, plan, taxonomy)
    return time.perf_counter() - started


def redraw(store: common.Store, taxonomy) -> float:  # type: ignore[no-untyped-def]
    """What a click redraws: `page_view` of the posted page 0 (its 10 items, their current state) + its blocks."""
    from bot.db import session_scope
    from bot.services.customers.digest_pages import page_view
    from bot.slack.blocks.digest import build_page_message

    started = time.perf_counter()
    with session_scope(store.factory) as session:
        view = page_view(session, channel_id=CHANNEL, ts=PAGE0_TS, now=NOW)
    assert view is not None and len(view.items) == 10
    build_page_message(view, taxonomy.label)
    return time.perf_counter() - started


class Clicks:
    """ "I'll take it" on page 0's items in turn, as the handler does it: the claim (a conditional UPDATE, its own
    transaction), then the redraw. Claims are undone, untimed, once all 10 are taken."""

    def __init__(self, store: common.Store, taxonomy) -> None:  # type: ignore[no-untyped-def]
        self.store, self.taxonomy, self.turn = store, taxonomy, 0

    def __call__(self) -> float:
        from bot.db import session_scope
        from bot.services.customers import verbatims
        from bot.services.customers.digest_pages import page_view

        if self.turn % 10 == 0:
            _reset_claims(self.store)
            with session_scope(self.store.factory) as session:
                view = page_view(session, channel_id=CHANNEL, ts=PAGE0_TS, now=NOW)
            assert view is not None
            self.ids = [item.id for item in view.items]
        verbatim_id, self.turn = self.ids[self.turn % 10], self.turn + 1
        started = time.perf_counter()
        with session_scope(self.store.factory) as session:
            verbatims.claim(session, verbatim_id=verbatim_id, user_id="U0BENCH", now=NOW)
        seconds = time.perf_counter() - started
        return seconds + redraw(self.store, self.taxonomy)


def _page0(store: common.Store, plan, taxonomy) -> None:  # type: ignore[no-untyped-def]
    from bot.db import session_scope
    from bot.services.customers.digest_pages import load_page
    from bot.slack.blocks.digest import build_page_message

    with session_scope(store.factory) as session:
        view = load_page(session, plan, plan.pages[0], now=NOW)
    assert len(view.items) == 10
    build_page_message(view, taxonomy.label)


def _clear_ledger(store: common.Store) -> None:
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("DELETE FROM digest_page_item")
        conn.exec_driver_sql("DELETE FROM digest_page")
        conn.exec_driver_sql("DELETE FROM digest_run")


def _reset_claims(store: common.Store) -> None:
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(
            "UPDATE verbatim SET status = 'open', claimed_by = NULL, claimed_at = NULL, treated_by = NULL,"
            " treated_at = NULL WHERE status <> 'open'"
        )


def _post_page0(store: common.Store, team, thread_pages: int) -> None:  # type: ignore[no-untyped-def]
    from bot.services.customers.digest_runs import mark_page_posted, plan_digest

    _clear_ledger(store)
    plan = plan_digest(store.factory, team, now=NOW, per_page=10, thread_pages=thread_pages)
    mark_page_posted(store.factory, plan, plan.pages[0], ts=PAGE0_TS, now=NOW)


def timed(fn: Callable[[], float], runs: int) -> list[float]:
    fn()  # warm-up
    return [fn() for _ in range(runs)]


def run_db(kind: str, rows: int, runs: int, thread_pages: int, rebuild: bool) -> list[tuple]:
    from bot.db import session_scope
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.services.people.teams import get_team

    started = time.perf_counter()
    print(f"{kind} store with {rows:,} open verbatims ...", flush=True)
    store = cached_store(kind, rows, rebuild=rebuild)
    _clear_ledger(store)
    _reset_claims(store)
    print(
        f"  ready in {time.perf_counter() - started:.0f} s; measuring (load {common.load_now():.1f})",
        flush=True,
    )
    taxonomy = load_taxonomy()
    try:
        with session_scope(store.factory) as session:
            team = get_team(session, TEAM)
        out = [
            (
                f"{kind} · daily digest: plan_digest + page 0",
                *_ms(timed(lambda: job_plan(store, team, taxonomy, thread_pages), runs), 0.2),
            ),
        ]
        steps: dict[str, list[float]] = {}
        for _ in range(max(3, runs // 4)):
            for step, seconds in plan_steps(store, team, thread_pages).items():
                steps.setdefault(step, []).append(seconds)
        out += [(f"{kind} · {step}", *_ms(times, None)) for step, times in steps.items()]
        _post_page0(store, team, thread_pages)
        out.append(
            (
                f"{kind} · button redraw: page_view + blocks",
                *_ms(timed(lambda: redraw(store, taxonomy), runs), 0.05),
            )
        )
        out.append((f"{kind} · click: claim + redraw", *_ms(timed(Clicks(store, taxonomy), runs), 0.05)))
        _reset_claims(store)
        out.append(
            (
                f"{kind} · dry run: plan_digest(dry_run) + page 0",
                *_ms(timed(lambda: dry_plan(store, team, taxonomy, thread_pages), max(3, runs // 4)), None),
            )
        )
        return out
    finally:
        _clear_ledger(store)
        store.close(keep=True)


def _ms(times: list[float], target: float | None) -> tuple[float, float, str]:
    p50, p95 = percentiles(times)
    return p50 * 1000, p95 * 1000, f"{p95 / target:.2f}" if target else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 open verbatims, 3 runs")
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--rows", default="50000,500000", help="open verbatims, comma-separated sizes")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--thread-pages", type=int, default=5, help="SYMMETRY_DIGEST_THREAD_PAGES")
    parser.add_argument(
        "--rebuild", action="store_true", help="build the stores again, even when kept ones match"
    )
    args = parser.parse_args()
    sizes = [5_000] if args.quick else [int(n) for n in args.rows.split(",")]
    runs = 3 if args.quick else args.runs
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not common.postgres_available():
        print(f"postgres skipped: {common.POSTGRES_URL} unreachable")
        dbs.remove("postgres")
    print(f"bench_digest: {common.machine_note()}")
    tables = []
    for rows in sizes:
        results = [row for kind in dbs for row in run_db(kind, rows, runs, args.thread_pages, args.rebuild)]
        title = f"Digest of one team with {rows:,} open verbatims ({runs} runs after a warm-up; load {common.load_now():.1f})"
        tables.append(table(["store · step", "p50 ms", "p95 ms", "p95 vs target"], results, title=title))
    print()
    print("\n\n".join(tables))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
