"""Shared helpers for the benchmarks: paths, stores, the machine note, tables, memory of a process tree.

Real third-party data is read from ../shared/data at run time and never copied into the project;
every generated file and store goes to benchmarks/out/ (gitignored).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "out"
POSTGRES_URL = os.environ.get("SYMMETRY_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, as in the tests

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The two real files and how `symmetry import` maps them (README of ../shared/data).
INSURANCE_MAP = ["score=note", "text=avis", "received_at=date_publication", "team=assureur", "reason=produit"]
CSAT_MAP = [
    "score=CSAT Score",
    "text=Customer Remarks",
    "received_at=Survey_response_Date",
    "channel=channel_name",
    "reason=category",
    "team=Supervisor",
    "agent=Agent_name",
    "external_id=Unique id",
]


def data_file(name: str) -> Path | None:
    """A real data file from ../shared/data, or None when the folder is absent (the benchmark then skips)."""
    path = DATA / name
    return path if path.exists() else None


def mapping(maps: list[str], *, date_format: str | None, scale: str | None, timezone: str = "Europe/Paris"):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from bot.services.customers.records import RecordMapping

    return RecordMapping.from_options(maps, date_format=date_format, scale=scale, timezone=ZoneInfo(timezone))


# ---- stores --------------------------------------------------------------------------------------------


@dataclass
class Store:
    """A fresh, migrated database: a SQLite file in benchmarks/out or a Postgres schema, dropped by close()."""

    kind: str
    url: str
    schema: str | None = None
    path: Path | None = None
    engine: object = field(default=None, repr=False)

    @property
    def factory(self):  # type: ignore[no-untyped-def]
        from bot.db import session_factory

        return session_factory(self.engine)

    def close(self, *, keep: bool = False) -> None:
        self.engine.dispose()  # type: ignore[attr-defined]
        if keep:
            return
        if self.kind == "postgres":
            _drop_schema(self.url, self.schema)
        elif self.path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def fresh_store(kind: str, name: str, *, postgres_url: str = POSTGRES_URL) -> Store:
    from bot.db import make_engine, upgrade

    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        store = Store("sqlite", f"sqlite:///{path}", path=path)
        store.engine = make_engine(store.url)
    elif kind == "postgres":
        schema = f"bench_{name}_{uuid.uuid4().hex[:6]}".lower()
        _drop_schema(postgres_url, schema, create=True)
        store = Store("postgres", postgres_url, schema=schema)
        store.engine = make_engine(postgres_url, schema=schema)
    else:
        raise SystemExit(f"unknown database {kind!r}: sqlite or postgres")
    upgrade(store.engine)  # type: ignore[arg-type]
    return store


def open_store(kind: str, url: str, schema: str | None) -> Store:
    """An existing store (in a child process)."""
    from bot.db import make_engine

    store = Store(kind, url, schema=schema)
    store.engine = make_engine(url, schema=schema)
    return store


def _drop_schema(url: str, schema: str | None, *, create: bool = False) -> None:
    import psycopg

    from bot.db import normalise_url

    plain = normalise_url(url).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {schema}")


def postgres_available(url: str = POSTGRES_URL) -> bool:
    try:
        _drop_schema(url, "bench_probe_schema", create=False)
        return True
    except Exception:  # noqa: BLE001
        return False


# ---- machine, timing, tables --------------------------------------------------------------------------


def machine_note() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{datetime.now():%Y-%m-%d %H:%M}, {cores} cores (shared: load average {load}), "
        f"Python {sys.version.split()[0]}"
    )


def load_now() -> float:
    return os.getloadavg()[0]


def percentiles(times: Sequence[float]) -> tuple[float, float]:
    """(p50, p95) of a list of durations."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: str | None = None) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [title] if title else []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# ---- memory and CPU of a process tree -----------------------------------------------------------------


def descendants(root: int) -> list[int]:
    """Process ids below `root` (children, grandchildren...), read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def status_kb(pid: int, key: str) -> int:
    """A memory line of /proc/<pid>/status in kB (VmHWM: peak RSS, VmRSS: current RSS); 0 if gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    """Proportional set size: resident memory with pages shared between processes split among them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory(root: int) -> dict:
    """Peak RSS of `root` and of each descendant (VmHWM, exact), and their current summed PSS."""
    pids = [root, *descendants(root)]
    return {
        "peak_rss_mb": {str(p): status_kb(p, "VmHWM") / 1024 for p in pids},
        "pss_mb": sum(pss_kb(p) for p in pids) / 1024,
    }


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU used so far by a running process (from /proc/<pid>/stat)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def cpu_seconds() -> float:
    """User + system CPU of this process and of its waited-for children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class ChildRun:
    result: dict
    wall: float
    peak_tree_pss_mb: float  # sampled every `every` seconds: the tree's summed PSS at its highest
    peak_tree_rss_mb: float  # sampled: the tree's summed RSS at its highest (shared pages counted twice)
    maxrss_children_mb: (
        float  # getrusage(RUSAGE_CHILDREN).ru_maxrss after the child ended: largest single process
    )


def run_child(argv: list[str], *, every: float = 0.2) -> ChildRun:
    """Run `python argv...` in a child process, sample its process tree's memory, return its JSON result
    (the last stdout line) with the memory figures."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    peak = {"pss": 0.0, "rss": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = [proc.pid, *descendants(proc.pid)]
            peak["pss"] = max(peak["pss"], sum(pss_kb(p) for p in pids) / 1024)
            peak["rss"] = max(peak["rss"], sum(status_kb(p, "VmRSS") for p in pids) / 1024)
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"child {' '.join(argv)} failed with exit code {proc.returncode}")
    last = [line for line in out.splitlines() if line.strip()][-1]
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return ChildRun(json.loads(last), time.perf_counter() - started, peak["pss"], peak["rss"], maxrss)


def best_of(fn: Callable[[], float], runs: int) -> float:
    return min(fn() for _ in range(runs))


# ---- generated feedback (the project's own text: templates + a seeded RNG) ------------------------------

GEN_MAP = [
    "external_id=id",
    "received_at=date",
    "text=comment",
    "team=team",
    "channel=channel",
    "agent=agent",
]
GEN_TEAMS = [
    ("London Care", "en", "csat"),
    ("Leeds Returns", "en", "csat"),
    ("Dublin Billing", "en", "nps"),
    ("Paris Sinistres", "fr", "nps"),
    ("Lyon Relation Client", "fr", "csat"),
    ("Lille Livraison", "fr", "csat"),
    ("Montreal Chat", "mixed", "nps"),
    ("Brussels Desk", "mixed", "csat"),
]
GEN_CHANNELS = ["phone", "email", "chat", "store", "app"]
GEN_AGENTS = [
    "Alice",
    "Bruno",
    "Chloé",
    "Dev",
    "Emma",
    "Farid",
    "Grace",
    "Hugo",
    "Inès",
    "Jack",
    "Karim",
    "Lina",
]
_SENTENCES = {
    "en": {
        "bad": [
            "My {thing} arrived {days} days late and nobody answered my emails.",
            "I have called {n} times about the same {thing} and I am still waiting.",
            "You charged me twice for the {thing}, £{amount} taken without any explanation.",
            "The agent was rude and hung up on me.",
            "Waited {minutes} minutes on hold just to be told to send an email.",
            "The {thing} I received was broken and the replacement never came.",
            "I cannot log in to my account since {weekday} and the chat bot is useless.",
            "If this is not sorted by {weekday} I will cancel my subscription.",
            "Refund promised {days} days ago and still nothing on my card.",
            "Worst customer service I have ever had, avoid.",
            "Nobody reads the emails, I get the same automatic answer every time.",
            "The courier left my {thing} in the rain and it is ruined.",
            "I am going to contact my lawyer about this.",
            "{agent} promised a call back on {weekday}, nobody called.",
            "Third complaint this month, unacceptable.",
        ],
        "mid": [
            "The {thing} was fine but delivery took {days} days.",
            "{agent} was polite but I had to explain everything twice.",
            "It took a while but the issue is solved.",
            "The website is a bit confusing when you want to change your {thing}.",
            "Average, nothing special.",
            "Got my answer, although the wait was long.",
            "Okay I guess, could be quicker.",
        ],
        "good": [
            "Great service, {agent} sorted my {thing} in {minutes} minutes.",
            "Very helpful and friendly, thank you!",
            "Refund for the {thing} came through quickly.",
            "Excellent follow-up, I really appreciate the call back.",
            "Fast delivery and everything was perfect.",
            "{agent} went above and beyond, five stars.",
            "Quick and easy, no complaints.",
            "Lovely staff, solved in one call.",
        ],
        "thing": [
            "order",
            "parcel",
            "invoice",
            "refund",
            "phone",
            "subscription",
            "delivery",
            "bill",
            "laptop",
            "voucher",
        ],
        "open": ["", "", "", "Honestly, ", "To be fair, ", "Well... ", "Hi, ", "So "],
        "close": ["", "", "", " Thanks.", " Not happy.", " We will see.", " Cheers", " !!!", " :(", " :)"],
        "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    },
    "fr": {
        "bad": [
            "Mon {thing} est arrivé avec {days} jours de retard et personne ne répond aux mails.",
            "J'ai appelé {n} fois pour le même {thing}, toujours rien.",
            "Vous m'avez prélevé deux fois {amount} € pour le {thing}, sans explication.",
            "Conseiller désagréable qui m'a raccroché au nez.",
            "{minutes} minutes d'attente au téléphone pour rien.",
            "Le {thing} reçu était cassé et le remplacement n'est jamais venu.",
            "Impossible de me connecter depuis {weekday}, le chat ne sert à rien.",
            "Si ce n'est pas réglé d'ici {weekday} je résilie mon contrat.",
            "Remboursement promis il y a {days} jours, toujours rien sur mon compte.",
            "Service client déplorable, à fuir.",
            "Personne ne lit les mails, toujours la même réponse automatique.",
            "Je vais saisir le médiateur.",
            "{agent} devait me rappeler {weekday}, aucun appel.",
            "Troisième réclamation ce mois-ci, inadmissible.",
        ],
        "mid": [
            "Le {thing} est correct mais la livraison a pris {days} jours.",
            "{agent} était aimable mais j'ai dû tout réexpliquer deux fois.",
            "Un peu long mais le problème est réglé.",
            "Le site est un peu compliqué pour modifier son {thing}.",
            "Moyen, sans plus.",
            "Réponse obtenue, après une longue attente.",
        ],
        "good": [
            "Très bon service, {agent} a réglé mon {thing} en {minutes} minutes.",
            "Très aimable et efficace, merci !",
            "Remboursement du {thing} reçu rapidement.",
            "Excellent suivi, merci pour le rappel.",
            "Livraison rapide, tout était parfait.",
            "{agent} a été au top, je recommande.",
            "Rapide et simple, rien à redire.",
        ],
        "thing": [
            "dossier",
            "colis",
            "contrat",
            "remboursement",
            "devis",
            "sinistre",
            "abonnement",
            "forfait",
            "prêt",
        ],
        "open": ["", "", "", "Franchement, ", "Bonjour, ", "Bon... ", "Alors "],
        "close": ["", "", "", " Merci.", " Pas content.", " À voir.", " !!!", " :(", " :)"],
        "weekday": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    },
}
_BANDS = (("bad", 30), ("mid", 25), ("good", 45))


def gen_comment(rng, language: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(band, comment) in `language`: 1-4 sentences of one band (sometimes one of another), varied slots."""
    bank = _SENTENCES[language]
    band = rng.choices([b for b, _ in _BANDS], weights=[w for _, w in _BANDS])[0]
    count = rng.choices((1, 2, 3, 4), weights=(45, 30, 17, 8))[0]
    parts, used = [], set()
    for _ in range(count):
        pool = bank[band] if rng.random() > 0.15 else bank["mid"]
        template = rng.choice(pool)
        if template in used:
            continue
        used.add(template)
        parts.append(
            template.format(
                thing=rng.choice(bank["thing"]),
                days=rng.randint(2, 30),
                n=rng.randint(2, 6),
                minutes=rng.randint(5, 90),
                amount=rng.randint(9, 300),
                agent=rng.choice(GEN_AGENTS),
                weekday=rng.choice(bank["weekday"]),
            )
        )
    text = rng.choice(bank["open"]) + " ".join(parts) + rng.choice(bank["close"])
    roll = rng.random()
    if roll < 0.08:
        text = text.lower()
    elif roll < 0.12:  # a typo: two letters swapped
        i = rng.randrange(1, max(2, len(text) - 1))
        text = text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    return band, text


def gen_score(rng, band: str, scale: str) -> int:  # type: ignore[no-untyped-def]
    if rng.random() < 0.08:  # people do not always score as they write
        band = rng.choice(["bad", "mid", "good"])
    if scale == "nps":
        return {"bad": rng.randint(0, 4), "mid": rng.randint(5, 8), "good": rng.randint(9, 10)}[band]
    return {"bad": rng.choice((1, 1, 2)), "mid": rng.choice((2, 3, 3, 4)), "good": rng.choice((4, 5, 5))}[
        band
    ]


def gen_records(rows: int, *, seed: int = 11, end: datetime = NOW, days: int = 30, teams=GEN_TEAMS):  # type: ignore[no-untyped-def]
    """Canonical-looking rows as an export would have them: 12% score-only, English and French."""
    import random
    from datetime import timedelta

    rng = random.Random(seed)
    span = days * 24 * 3600
    for n in range(rows):
        team, language, scale = teams[rng.randrange(len(teams))]
        if language == "mixed":
            language = "en" if rng.random() < 0.5 else "fr"
        band, text = gen_comment(rng, language)
        if rng.random() < 0.12:
            text, language = "", ""
        when = end - timedelta(seconds=rng.randrange(span))
        yield {
            "id": f"gen-{seed}-{n:07d}",
            "date": when.isoformat(timespec="seconds"),
            "comment": text,
            "score": gen_score(rng, band, scale),
            "scale": scale,
            "team": team,
            "channel": rng.choice(GEN_CHANNELS),
            "agent": rng.choice(GEN_AGENTS),
            "lang_truth": language,
        }


def generated_csv(rows: int, *, seed: int = 11) -> Path:
    """benchmarks/out/feedback_<rows>_<seed>.csv, written once (reused when present)."""
    import csv

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"feedback_v1_{rows}_{seed}.csv"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = None
        for record in gen_records(rows, seed=seed):
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(record))
                writer.writeheader()
            writer.writerow(record)
    tmp.rename(path)
    return path
