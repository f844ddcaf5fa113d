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
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

from bot.sandbox.harness import SIGNING_SECRET  # noqa: E402
from bot.sandbox.replicas import Replicas  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402

QUESTIONS = [
    ("/nps", "last week"),
    ("/nps", "trend {weeks} weeks"),
    ("/csat", "this month by channel"),
    ("/kpi", "nps last month by team share"),
    ("/csat", "trend {weeks} weeks share"),
    ("/nps", "last month by channel"),
]


def question(i: int) -> tuple[str, str]:
    """The i-th command: the mix above, trends over 4-15 weeks (about 80 different charts for three
    people, so the bot's chart cache of 64 serves repeats, not everything)."""
    command, text = QUESTIONS[i % len(QUESTIONS)]
    return command, text.format(weeks=4 + (i // len(QUESTIONS)) % 12)


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
        self.phases: list[dict[str, float]] = []  # Server-Timing of each ack (ms) and the client's time
        self.late = 0.0  # the sender's worst lag behind its schedule (s): the client is not the bottleneck
        self._lock = threading.Lock()

    def run(self, drain: float) -> dict:
        done = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(done,), daemon=True)
        watcher.start()
        forms = [self._form(i) for i in range(self.n)]
        plan = {
            "urls": [f"{u}/slack/events" for u in self.urls],
            "rate": self.rate,
            "forms": forms,
            "secret": SIGNING_SECRET,
        }
        self.load_before = os.getloadavg()[0]
        child = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("load_sender.py"))],
            input=json.dumps(plan),
            capture_output=True,
            text=True,
            check=True,
        )
        for url, started, took, status, busy, phases, late in json.loads(child.stdout.splitlines()[-1]):
            self.acks.append((took, status, busy))
            self.phases.append(phases | {"client": 1000 * took})
            self.late = max(self.late, late)
            if status == 200:
                self.sent[url] = started
        self.load_after = os.getloadavg()[0]
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
        command, text = question(i)
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
            "sender_late_ms": 1000 * self.late,
            "load": f"{self.load_before:.1f}-{self.load_after:.1f}",
            "phases": self.phases,
        }


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def peak_rss_mb(fleet: Replicas) -> tuple[float, float]:
    """(the largest serve process's peak RSS, the largest replica's serve + chart workers' peaks summed)."""
    pids = [p.pid for p in fleet.procs if p is not None]
    serve = max((common.status_kb(pid, "VmHWM") for pid in pids), default=0) / 1024
    trees = [sum(common.status_kb(q, "VmHWM") for q in [p, *common.descendants(p)]) for p in pids]
    return serve, max(trees, default=0) / 1024


FLOOR_PORT = 0
FLOOR_URL = ""


def start_floor() -> subprocess.Popen[bytes]:
    """The empty server of load_floor.py: the same sender against it, just before each bot run."""
    global FLOOR_PORT, FLOOR_URL
    from bot.sandbox.replicas import free_port

    FLOOR_PORT = free_port()
    FLOOR_URL = f"http://127.0.0.1:{FLOOR_PORT}"
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("load_floor.py")), str(FLOOR_PORT)])
    import httpx

    for _ in range(100):
        try:
            httpx.post(f"{FLOOR_URL}/slack/events", content=b"", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the floor server did not start")


def run_db(kind: str, args: argparse.Namespace) -> list[list[object]]:
    now = datetime.now(UTC)
    store = build_store(kind, args.rows, now)
    rows: list[list[object]] = []
    try:
        for replicas in args.replicas:
            if kind == "sqlite" and replicas > 1:
                rows.append([kind, replicas, "-", "n/a: SQLite is single-instance", *[""] * 16])
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
    if args.charts is not None:
        settings["SYMMETRY_CHART_PROCESSES"] = args.charts
    with Replicas(
        replicas, database_url=database_url(store), api_url=standin.api_url, log_dir=Path(logs), **settings
    ) as fleet:
        fleet.wait_ready()
        Load(fleet.urls, standin, rate=6, seconds=1).run(drain=60)  # warm-up: auth.test, imports, caches
        for rate in args.rates:
            floor = Load([FLOOR_URL], standin, rate=rate, seconds=args.seconds).run(drain=0)
            f = Load(fleet.urls, standin, rate=rate, seconds=args.seconds).run(drain=args.drain)
            rows.append(
                [kind, replicas, rate, f["sent"], f["ack_p50_ms"], f["ack_p95_ms"], f["ack_p99_ms"]]
                + [f["ack_max_ms"], f["acks_over_3s"], f["busy"], f["answered"], f["answer_p50_s"]]
                + [f["answer_p95_s"], *peak_rss_mb(fleet), f["sender_late_ms"], f["load"]]
                + [floor["ack_p50_ms"], floor["ack_p99_ms"], floor["ack_max_ms"]]
            )
            print(common.table(HEADERS, rows[-1:]), flush=True)
            print(common.table(PHASE_HEADERS, phase_rows(f["phases"])), flush=True)
    for i in range(replicas):
        for line in fleet.log(i).splitlines():
            if "charts:" in line:  # the answer process's count, logged when it stops
                print(f"replica {i}: {line.split('charts:', 1)[1].strip()}")
    standin.stop()
    return rows


PHASES = ["client", "total", "read", "sig", "wait", "replay", "bolt", "back"]
PHASE_HEADERS = ["where the ack time goes (ms)", *PHASES, "client - total"]


def phase_rows(phases: list[dict[str, float]]) -> list[list[object]]:
    """p50 / p99 of each Server-Timing phase, and the same over the 1% slowest acks (their mean)."""
    done = [p for p in phases if "total" in p]
    if not done:
        return []
    outside = [p["client"] - p["total"] for p in done]
    rows: list[list[object]] = []
    for label, q in (("p50", 0.5), ("p99", 0.99)):
        rows.append(
            [label, *[_pct(sorted(p.get(k, 0.0) for p in done), q) for k in PHASES], _pct(sorted(outside), q)]
        )
    slow = sorted(done, key=lambda p: p["client"])[-max(1, len(done) // 100) :]
    mean = [sum(p.get(k, 0.0) for p in slow) / len(slow) for k in PHASES]
    rows.append(["slowest 1% (mean)", *mean, sum(p["client"] - p["total"] for p in slow) / len(slow)])
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
    "peak RSS MB serve",
    "+ chart workers",
    "sender late ms",
    "load avg",
    "floor p50",
    "floor p99",
    "floor max",
]


def main() -> None:
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
    parser.add_argument(
        "--charts", type=int, default=None, help="SYMMETRY_CHART_PROCESSES (default: the bot's)"
    )
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
    floor = start_floor()
    try:
        rows = [row for kind in dbs for row in run_db(kind, args)]
    finally:
        floor.terminate()
    print(common.table(HEADERS, rows, title="Slash commands under load (loopback, real serve processes)"))


if __name__ == "__main__":
    main()
