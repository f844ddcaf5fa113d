"""Digests under chaos: `symmetry digest` processes killed (SIGKILL) at random moments while they post,
two runs at once, and Slack answering 429/500 in storms. Counts what a channel would see twice and
what it would never see.

    .venv/bin/python benchmarks/bench_chaos.py               # 8 kills, 4 teams, both databases
    .venv/bin/python benchmarks/bench_chaos.py --quick       # 3 kills, 2 teams, SQLite
    options: --kills N  --teams N  --rows-per-team N  --db sqlite|postgres|both  --seed N

Scenarios, each on a fresh store and a fresh stand-in (chat.postMessage takes 0.15 s, like a busy Slack):
  kills       run `symmetry digest` for every team, SIGKILL it 0-1.5 s after it posted something, N times;
              then run it until every team's digest is posted
  concurrent  two `symmetry digest` started together (and again once each finished), no kill
  storms      kills as above while 429 (Retry-After 1) and 500 bursts hit chat.postMessage
Duplicates: messages carrying the same (run, page) metadata, and overflow files shared twice, beyond
one. Missing: planned pages (the ledger) with no message in Slack, and runs not finished. Targets 0/0.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

from bot.sandbox.harness import BOT_TOKEN, SANDBOX_SECRET_KEY, SIGNING_SECRET  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402

LEASE_SECONDS = 3


def build(kind: str, teams: int, per_team: int) -> common.Store:
    from bot.db import session_scope
    from bot.services.people.teams import save_team
    from tests.factories import add_verbatims, record

    store = common.fresh_store(kind, "chaos")
    now = datetime.now(UTC)
    rows = [
        record(t * 10_000 + i, now=now, team=f"Team {t}", score=i % 11, hours_ago=1)
        for t in range(teams)
        for i in range(per_team)
    ]
    add_verbatims(store.factory, rows, now=now)
    with session_scope(store.factory) as session:
        for t in range(teams):
            save_team(
                session,
                name=f"Team {t}",
                now=now,
                channel_id=f"C0TEAM{t:03d}",
                timezone="UTC",
                digest_at="00:00",
            )
    return store


def env(store: common.Store, standin: SlackStandIn) -> dict[str, str]:
    url = store.url if store.kind == "sqlite" else f"{store.url}?options=-csearch_path%3D{store.schema}"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SYMMETRY_"))}
    return {
        **base,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": url,
        "SYMMETRY_SECRET_KEY": SANDBOX_SECRET_KEY,
        "SYMMETRY_DIGEST_THREAD_PAGES": "3",
        "SYMMETRY_DIGEST_LEASE_SECONDS": str(LEASE_SECONDS),
        "SYMMETRY_LOG_LEVEL": "WARNING",
    }


DIGEST = [sys.executable, "-c", "from bot.cli import main; main()", "digest"]


def digest(environ: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        DIGEST, env=environ, cwd=common.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def posts(standin: SlackStandIn) -> int:
    return len(standin.calls_to("chat.postMessage")) + len(standin.calls_to("files.completeUploadExternal"))


def kill_during_posting(environ: dict[str, str], standin: SlackStandIn, rng: random.Random) -> bool:
    """Start a digest, wait until it posts something, SIGKILL it a random moment later. False if it ended first."""
    before, proc = posts(standin), digest(environ)
    deadline = time.monotonic() + 60
    while posts(standin) == before and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 1.5))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def finish(environ: dict[str, str], store: common.Store, *, timeout: float = 300) -> None:
    """Run `symmetry digest` until every run is posted (a dead process's lease expires first)."""
    deadline = time.monotonic() + timeout
    while not all_posted(store) and time.monotonic() < deadline:
        done = subprocess.run(
            DIGEST, env=environ, cwd=common.ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode not in (0, 1):  # 1: a team failed (a storm), it resumes on the next run
            raise SystemExit(f"symmetry digest failed: {done.stdout[-500:]} {done.stderr[-1500:]}")
        if not all_posted(store):
            time.sleep(LEASE_SECONDS / 2)


def all_posted(store: common.Store) -> bool:
    from sqlmodel import select

    from models.digest import DigestRun

    with store.factory() as session:
        statuses = session.exec(select(DigestRun.status)).all()
    return bool(statuses) and all(s == "posted" for s in statuses)


def count(store: common.Store, standin: SlackStandIn, teams: int) -> tuple[int, int, int]:
    """(pages planned, duplicates, missing)."""
    from sqlmodel import select

    from models.digest import DigestPage, DigestRun

    with store.factory() as session:
        pages = session.exec(select(DigestPage.run_id, DigestPage.page_no, DigestPage.kind)).all()
        unfinished = sum(1 for s in session.exec(select(DigestRun.status)).all() if s != "posted")
    seen: Counter = Counter()
    files = Counter()
    for t in range(teams):
        channel = f"C0TEAM{t:03d}"
        for message in standin.messages(channel):
            for m in [message, *message.get("replies", [])]:
                if meta := m.get("metadata"):
                    seen[(meta["event_payload"]["run"], meta["event_payload"]["page"])] += 1
                if m.get("files"):
                    files[channel] += 1
    expected_blocks = {(r, p) for r, p, kind in pages if kind == "blocks"}
    expected_files = sum(1 for _, _, kind in pages if kind == "file")
    duplicates = sum(n - 1 for n in seen.values() if n > 1) + sum(n - 1 for n in files.values() if n > 1)
    missing = len(expected_blocks - set(seen)) + max(0, expected_files - len(files)) + unfinished
    return len(pages), duplicates, missing


def storms(standin: SlackStandIn, stop: threading.Event, rng: random.Random) -> None:
    while not stop.wait(rng.uniform(0.5, 1.5)):
        if rng.random() < 0.5:
            standin.fail_next("chat.postMessage", status=429, times=rng.randint(1, 3), retry_after=1)
        else:
            standin.fail_next("chat.postMessage", status=rng.choice([500, 502, 503]), times=rng.randint(1, 4))


def scenario(name: str, kind: str, args: argparse.Namespace, rng: random.Random) -> list[object]:
    store = build(kind, args.teams, args.rows_per_team)
    standin = SlackStandIn().start()
    for t in range(args.teams):
        standin.add_channel(f"C0TEAM{t:03d}", f"team-{t}")
    standin.set_latency("chat.postMessage", 0.15)
    environ, landed, stop = env(store, standin), 0, threading.Event()
    started = time.perf_counter()
    try:
        if name == "storms":
            threading.Thread(target=storms, args=(standin, stop, rng), daemon=True).start()
        if name in ("kills", "storms"):
            for _ in range(args.kills):
                landed += kill_during_posting(environ, standin, rng)
                if all_posted(store):
                    break
        if name == "concurrent":
            for _ in range(2):
                both = [digest(environ), digest(environ)]
                for proc in both:
                    proc.wait()
        stop.set()
        standin.clear_faults()  # the storm is over (failures it queued and nobody met are dropped)
        standin.set_latency("chat.postMessage", 0.15)
        finish(environ, store)
        planned, duplicates, missing = count(store, standin, args.teams)
    finally:
        stop.set()
        standin.stop()
        store.close()
    return [kind, name, args.teams, planned, landed, duplicates, missing, time.perf_counter() - started]


HEADERS = ["db", "scenario", "teams", "pages planned", "kills landed", "duplicates", "missing", "wall s"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--teams", type=int, default=4)
    parser.add_argument("--rows-per-team", type=int, default=45)
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenarios", default="kills,concurrent,storms")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.kills, args.teams, args.db = 3, 2, "sqlite"
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not common.postgres_available():
        print("Postgres unreachable: skipped")
        dbs.remove("postgres")
    rng = random.Random(args.seed)
    print(f"# bench_chaos · {common.machine_note()} · {args.rows_per_team} verbatims per team")
    rows = []
    for kind in dbs:
        for name in args.scenarios.split(","):
            rows.append(scenario(name, kind, args, rng))
            print(common.table(HEADERS, rows[-1:]), flush=True)
    print(
        common.table(
            HEADERS, rows, title="Digests under kills, concurrent runs and 429/500 storms (targets 0/0)"
        )
    )


if __name__ == "__main__":
    main()
