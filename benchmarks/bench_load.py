"""Slash commands under load: real `symmetry serve` processes, signed requests over loopback HTTP, the
local Slack stand-in. Open loop: commands are sent at a fixed rate whatever the bot does.

    .venv/bin/python benchmarks/bench_load.py                 # 20, 50, 100 commands/s, 5 s each
    .venv/bin/python benchmarks/bench_load.py --full          # 20 s each (the issue's figures)
    .venv/bin/python benchmarks/bench_load.py --quick         # 20/s for 3 s, SQLite, one replica
    options: --rates 20,50,100  --seconds N  --db sqlite|postgres|both  --replicas 1,3  --rows 5000

Mixed questions (plain figures, breakdowns and 12-week trends with charts, some shared in the channel)
from three people (an agent, a manager of two teams, a Slack admin), round robin over the replicas
(what the proxy does). For each rate: ack latency p50/p95/p99/max (client side: send to HTTP answer),
acks over 3 s (Slack's limit), acks that said "busy", answers delivered (each command's response_url
post) and their latency p50/p95 (send to answer), and the replicas' peak RSS. SQLite runs one
replica only (single-instance by design). The stand-in runs in this process;
the commands are sent by a child process so that the stand-in's own work does not delay the clock
timing the acks (on a 2-core shared machine, all of them still compete for the same cores).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

from bot.entry.answers import BUSY  # noqa: E402
from bot.sandbox.harness import SIGNING_SECRET  # noqa: E402
from bot.sandbox.replicas import Replicas  # noqa: E402
from bot.sandbox.sender import FORM, SlackSender  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402

QUESTIONS = [
    ("/nps", "last week"),
    ("/nps", "trend 12 weeks"),
    ("/csat", "this month by channel"),
    ("/kpi", "nps last month by team share"),
    ("/csat", "trend 8 weeks share"),
    ("/nps", "last month by channel"),
]
PEOPLE = ["U0AGENT", "U0MGR", "U0ADMIN"]
CHANNEL = "C0SUPPORT"


def build_store(kind: str, rows: int, now: datetime) -> common.Store:
    from bot.db import session_scope
    from bot.services.customers.importer import ImportOptions, import_rows
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.services.people import roles
    from bot.sources.files import SourceRow

    store = common.fresh_store(kind, "load")
    records = (SourceRow(n, r) for n, r in enumerate(common.gen_records(rows, end=now, days=120), 1))
    options = ImportOptions(
        source="bench", mapping=common.mapping(common.GEN_MAP, date_format=None, scale=None)
    )
    import_rows(store.factory, records, options=options, taxonomy=load_taxonomy(), now=now)
    teams = [t[0] for t in common.GEN_TEAMS]
    with session_scope(store.factory) as session:
        roles.assign_team(session, "U0AGENT", team=teams[0], now=now)
        roles.manage_team(session, "U0MGR", team=teams[1], now=now)
        roles.manage_team(session, "U0MGR", team=teams[2], now=now)
    return store


def database_url(store: common.Store) -> str:
    if store.kind == "postgres":
        return f"{store.url}?options=-csearch_path%3D{store.schema}"
    return store.url


def new_standin() -> SlackStandIn:
    standin = SlackStandIn().start()
    standin.add_user("U0MGR", "manager", real_name="Morgan Manager")
    standin.add_user("U0ADMIN", "admin", real_name="Ada Admin", is_admin=True)
    return standin


class Load:
    """One open-loop run: `rate` commands/s for `seconds`, then wait up to `drain` s for the answers.

    The commands are sent by a child process (`--send`), so the stand-in serving the bot's Web API
    calls in this process does not slow the clock that times the acks."""

    def __init__(self, urls: list[str], standin: SlackStandIn, rate: int, seconds: float) -> None:
        self.standin, self.urls, self.rate, self.n = standin, urls, rate, int(rate * seconds)
        self.sent: dict[str, float] = {}
        self.answered: dict[str, float] = {}
        self.acks: list[tuple[float, int, bool]] = []
        self._lock = threading.Lock()

    def run(self, drain: float) -> dict:
        done = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(done,), daemon=True)
        watcher.start()
        plan = {"urls": self.urls, "rate": self.rate, "forms": [self._form(i) for i in range(self.n)]}
        child = subprocess.run(
            [sys.executable, __file__, "--send"],
            input=json.dumps(plan),
            capture_output=True,
            text=True,
            check=True,
        )
        for url, started, took, status, busy in json.loads(child.stdout.splitlines()[-1]):
            self.acks.append((took, status, busy))
            if status == 200:
                self.sent[url] = started
        deadline = time.time() + drain
        while self._missing() and time.time() < deadline:
            time.sleep(0.05)
        done.set()
        watcher.join()
        return self._figures()

    def _missing(self) -> int:
        with self._lock:
            return sum(1 for u in self.sent if u not in self.answered)

    def _form(self, i: int) -> dict[str, str]:
        command, text = QUESTIONS[i % len(QUESTIONS)]
        user = PEOPLE[i % len(PEOPLE)]
        return {
            "command": command,
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": CHANNEL,
            "team_id": self.standin.team_id,
            "api_app_id": self.standin.app_id,
            "response_url": self.standin.new_response_url(channel_id=CHANNEL, user_id=user),
            "trigger_id": self.standin.issue_trigger_id(user),
        }

    def _watch(self, done: threading.Event) -> None:
        seen = len(self.standin.responses)  # earlier runs' answers are not ours
        while not done.is_set():
            responses = self.standin.responses
            now = time.time()
            with self._lock:
                for r in responses[seen:]:
                    if r.http_status == 200:
                        self.answered.setdefault(r.url, now)
            seen = len(responses)
            done.wait(0.01)

    def _figures(self) -> dict:
        times = sorted(t for t, _, _ in self.acks)
        latencies = sorted(self.answered[u] - t for u, t in self.sent.items() if u in self.answered)
        return {
            "sent": self.n,
            "ack_p50_ms": 1000 * _pct(times, 0.50),
            "ack_p95_ms": 1000 * _pct(times, 0.95),
            "ack_p99_ms": 1000 * _pct(times, 0.99),
            "ack_max_ms": 1000 * (times[-1] if times else 0),
            "acks_over_3s": sum(1 for t, s, _ in self.acks if t > 3.0 or s != 200),
            "busy": sum(1 for _, _, b in self.acks if b),
            "answered": f"{len(latencies)}/{len(self.sent)}",
            "answer_p50_s": _pct(latencies, 0.50),
            "answer_p95_s": _pct(latencies, 0.95),
        }


def send(plan: dict) -> list[tuple[str, float, float, int, bool]]:
    """The child: post each signed form at its moment, round robin over the replicas; what each ack took."""
    senders = [SlackSender(f"{u}/slack/events", SIGNING_SECRET, timeout=30) for u in plan["urls"]]
    results: list[tuple[str, float, float, int, bool]] = []
    rate, forms = plan["rate"], plan["forms"]

    def one(i: int) -> None:
        started, wall = time.perf_counter(), time.time()
        try:
            response = senders[i % len(senders)].post(urlencode(forms[i]).encode(), FORM)
            status, busy = response.status_code, BUSY in response.text
        except Exception:  # noqa: BLE001 - a timeout or a reset is an ack Slack never got
            status, busy = 0, False
        results.append((forms[i]["response_url"], wall, time.perf_counter() - started, status, busy))

    with ThreadPoolExecutor(max_workers=min(256, rate * 3)) as pool:
        start = time.perf_counter()
        for i in range(len(forms)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i)
    return results


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def peak_rss_mb(fleet: Replicas) -> float:
    pids = [p.pid for p in fleet.procs if p is not None]
    return max((common.status_kb(pid, "VmHWM") for pid in pids), default=0) / 1024


def run_db(kind: str, args: argparse.Namespace) -> list[list[object]]:
    now = datetime.now(UTC)
    store = build_store(kind, args.rows, now)
    rows: list[list[object]] = []
    try:
        for replicas in args.replicas:
            if kind == "sqlite" and replicas > 1:
                rows.append([kind, replicas, "-", "n/a: SQLite is single-instance", *[""] * 10])
                continue
            rows += run_fleet(kind, store, replicas, args)
    finally:
        store.close()
    return rows


def run_fleet(kind: str, store: common.Store, replicas: int, args: argparse.Namespace) -> list[list[object]]:
    standin = new_standin()
    logs = common.OUT / f"load-{kind}-{replicas}"
    logs.mkdir(parents=True, exist_ok=True)
    rows = []
    settings = {"SYMMETRY_ANSWER_WORKERS": args.workers} if args.workers else {}
    with Replicas(
        replicas, database_url=database_url(store), api_url=standin.api_url, log_dir=Path(logs), **settings
    ) as fleet:
        fleet.wait_ready()
        Load(fleet.urls, standin, rate=6, seconds=1).run(drain=60)  # warm-up: auth.test, imports, caches
        for rate in args.rates:
            f = Load(fleet.urls, standin, rate=rate, seconds=args.seconds).run(drain=args.drain)
            rows.append(
                [
                    kind,
                    replicas,
                    rate,
                    f["sent"],
                    f["ack_p50_ms"],
                    f["ack_p95_ms"],
                    f["ack_p99_ms"],
                    f["ack_max_ms"],
                    f["acks_over_3s"],
                    f["busy"],
                    f["answered"],
                    f["answer_p50_s"],
                    f["answer_p95_s"],
                    peak_rss_mb(fleet),
                ]
            )
            print(common.table(HEADERS, rows[-1:]), flush=True)
    standin.stop()
    return rows


HEADERS = [
    "db",
    "replicas",
    "cmd/s",
    "sent",
    "ack p50 ms",
    "p95",
    "p99",
    "max",
    "acks >3 s",
    "busy",
    "answered",
    "answer p50 s",
    "p95",
    "peak RSS MB/replica",
]


def main() -> None:
    if sys.argv[1:] == ["--send"]:
        print(json.dumps(send(json.loads(sys.stdin.read()))))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rates", default="20,50,100")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--full", action="store_true", help="20 s per rate")
    parser.add_argument("--quick", action="store_true", help="20/s for 3 s, SQLite, one replica")
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--replicas", default="1,3")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=0, help="SYMMETRY_ANSWER_WORKERS (default: the bot's)")
    parser.add_argument("--drain", type=float, default=180.0, help="max seconds to wait for the answers")
    args = parser.parse_args()
    args.rates = [int(r) for r in args.rates.split(",")]
    args.replicas = [int(r) for r in args.replicas.split(",")]
    if args.full:
        args.seconds = 20.0
    if args.quick:
        args.rates, args.seconds, args.db, args.replicas = [20], 3.0, "sqlite", [1]
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not common.postgres_available():
        print("Postgres unreachable: skipped")
        dbs.remove("postgres")
    print(f"# bench_load · {common.machine_note()} · {args.rows:,} verbatims · {args.seconds:g} s per rate")
    rows = [row for kind in dbs for row in run_db(kind, args)]
    print(common.table(HEADERS, rows, title="Slash commands under load (loopback, real serve processes)"))


if __name__ == "__main__":
    main()
