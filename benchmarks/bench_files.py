"""Files as they come, and a way back: import speed by file kind, and `imports undo` of a large batch.

    .venv/bin/python benchmarks/bench_files.py [--quick] [--part formats|undo|both] [--db sqlite|postgres|both]
                                               [--rows 24104] [--undo-rows 1000000] [--base-rows 100000]

formats: ../shared/data/fr_insurance_reviews.csv is written (into benchmarks/out, git-ignored, deleted after)
as a French-Excel CSV (`;`-separated, cp1252) and as an .xlsx workbook, then each of the three files goes
through exactly what `symmetry import` runs (open_source: format/encoding/delimiter detection; plan_import:
mapping checked, date order decided on the whole file; import_rows: parse, triage, store) into a fresh SQLite
store, twice (the best of two kept: the first also warms up the taxonomy). Printed: rows/s of each, and its ratio to the UTF-8 CSV path (target >= 0.8x); plus the read-only
rows/s (detection + parsing, no triage) where the file kinds differ most.

undo: a store with --base-rows verbatims (one batch), the KPI answers asked; then a batch of --undo-rows
(NPS and CSAT, 30 days, 6 teams, inserted through the real store function with its batch id), `imports undo`
of it timed (Postgres: one DELETE, the statement-level kpi_hour trigger groups the rows out of the tallies;
SQLite: the batch's grouped tallies subtracted in one statement, then the DELETE without the per-row
trigger, in one transaction: see bot/services/customers/batches.py), and the same answers asked
again: they must be identical, as must the non-zero hourly tallies. Figures only: nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import NOW, table  # noqa: E402

INSURANCE = "fr_insurance_reviews.csv"
QUESTIONS = (
    "nps last 30 days",
    "csat last 30 days",
    "nps last 30 days by team",
    "csat trend 4 weeks",
    "nps last 30 days by week",
)


# ---- formats -------------------------------------------------------------------------------------------


def write_variants(source: Path, limit: int | None) -> dict[str, Path]:
    from openpyxl import Workbook

    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = rows[: (limit + 1) if limit else None]
    common.OUT.mkdir(parents=True, exist_ok=True)
    utf8 = common.OUT / "files_utf8.csv"
    with utf8.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    excel_csv = common.OUT / "files_fr_excel.csv"
    with excel_csv.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    xlsx = common.OUT / "files.xlsx"
    book.save(xlsx)
    return {"UTF-8 CSV (,)": utf8, "cp1252 CSV (;)": excel_csv, ".xlsx": xlsx}


def import_once(path: Path) -> tuple[int, float, float]:
    """(rows stored, seconds for the whole import, seconds to detect + read + parse only)."""
    from bot.services.customers.file_import import plan_import
    from bot.services.customers.importer import ImportOptions, import_rows
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.sources.files import open_source

    mapping = common.mapping(common.INSURANCE_MAP, date_format=None, scale="stars")
    started = time.perf_counter()
    source = open_source(path)
    plan = plan_import(source, mapping)
    read = sum(1 for _ in source.rows())
    read_seconds = time.perf_counter() - started
    store = common.fresh_store("sqlite", "files_import")
    try:
        started = time.perf_counter()
        source = open_source(path)
        plan = plan_import(source, mapping)
        options = ImportOptions(source="bench", mapping=plan.mapping, skip_invalid=True,
                                rejects_path=common.OUT / "files.rejects.csv")  # fmt: skip
        report = import_rows(store.factory, source.rows(), options=options, taxonomy=load_taxonomy(), now=NOW)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    assert report.read == read, (report.read, read)
    return report.inserted, seconds, read_seconds


def formats(limit: int | None) -> None:
    source = common.data_file(INSURANCE)
    if source is None:
        print(f"skipped formats: ../shared/data/{INSURANCE} not found (real data is never copied here)")
        return
    variants = write_variants(source, limit)
    try:
        runs = [
            {name: import_once(path) for name, path in variants.items()} for _ in range(2)
        ]  # 1st warms up
        results = {name: min((run[name] for run in runs), key=lambda r: r[1]) for name in variants}
    finally:
        for path in variants.values():
            path.unlink(missing_ok=True)
    base_rows, base_seconds, base_read = results["UTF-8 CSV (,)"]
    lines = []
    for name, (rows, seconds, read_seconds) in results.items():
        rate, read_rate = rows / seconds, rows / read_seconds
        lines.append([name, f"{rows:,}", f"{seconds:.2f}", f"{rate:,.0f}", f"{rate / (base_rows / base_seconds):.2f}x",
                      f"{read_rate:,.0f}", f"{read_rate / (base_rows / base_read):.2f}x"])  # fmt: skip
    print(table(["file", "rows", "import s", "rows/s", "vs UTF-8", "read-only rows/s", "read vs UTF-8"], lines,
                title=f"{INSURANCE}: the whole import (SQLite, triage included) by file kind"))  # fmt: skip


# ---- undo ----------------------------------------------------------------------------------------------


def _rows(count: int, *, prefix: str, teams: dict[str, int], batch_id: int):  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(prefix)
    names = list(teams)
    span = 30 * 24 * 3600
    for n in range(count):
        scale = "nps" if n % 3 else "csat"
        yield {
            "source": "bench", "external_id": f"{prefix}{n}", "received_at": NOW - timedelta(seconds=rng.randrange(span)),
            "text": "", "score": rng.randint(0, 10) if scale == "nps" else rng.randint(1, 5), "scale": scale,
            "team_id": teams[names[n % len(names)]], "channel": rng.choice(common.GEN_CHANNELS), "language": "und",
            "sentiment_label": "unknown", "reasons": "", "risks": "", "priority": 0, "priority_why": "",
            "status": "open", "imported_at": NOW, "batch_id": batch_id, "history": False,
        }  # fmt: skip


def _load(store, count: int, prefix: str, teams: dict[str, int]) -> int:  # type: ignore[no-untyped-def]
    import itertools

    from bot.db import session_scope
    from bot.services.customers.batches import start_batch
    from bot.services.customers.importer import ImportOptions
    from bot.services.customers.records import RecordMapping
    from bot.services.customers.store import insert_ignoring_duplicates

    with session_scope(store.factory) as session:
        batch = start_batch(session, options=ImportOptions(source="bench", mapping=RecordMapping()), now=NOW)
        rows = _rows(count, prefix=prefix, teams=teams, batch_id=batch.id)
        while chunk := list(itertools.islice(rows, 5000)):
            batch.inserted += insert_ignoring_duplicates(session, chunk)
        session.add(batch)
        return batch.id  # type: ignore[return-value]


def _snapshot(store) -> tuple[list[str], list[tuple]]:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from sqlalchemy import text

    from bot.db import session_scope
    from bot.services.kpi.ask import ask

    with session_scope(store.factory) as session:
        answers = [
            ask(session, text=q, metric=None, asker=None, now=NOW, default_tz=ZoneInfo("UTC"), with_chart=False,
                slack_admins_are_admins=True,
                markdown=False).text
            for q in QUESTIONS
        ]  # fmt: skip
        tallies = session.exec(
            text("SELECT scale, hour, team_key, n, top, bottom, total FROM kpi_hour WHERE n <> 0")
        )
        return answers, sorted(tuple(map(str, r)) for r in tallies)


def undo(kind: str, rows: int, base: int) -> list[object]:
    from bot.db import session_scope
    from bot.services.customers.batches import undo_batch
    from bot.services.people.teams import save_team

    store = common.fresh_store(kind, "files_undo")
    try:
        with session_scope(store.factory) as session:
            teams = {
                n: save_team(session, name=n, now=NOW).id
                for n in ("Care", "Paris", "Lyon", "Web", "VIP", "B2B")
            }
        _load(store, base, "base", teams)  # type: ignore[arg-type]
        before = _snapshot(store)
        started = time.perf_counter()
        batch_id = _load(store, rows, "big", teams)  # type: ignore[arg-type]
        load_seconds = time.perf_counter() - started
        during = _snapshot(store)
        started = time.perf_counter()
        with session_scope(store.factory) as session:
            removed = undo_batch(session, batch_id=batch_id, now=NOW).removed
        undo_seconds = time.perf_counter() - started
        after = _snapshot(store)
    finally:
        store.close()
    same = before == after
    return [kind, f"{base:,}", f"{rows:,}", f"{load_seconds:.1f}", f"{removed:,}", f"{undo_seconds:.2f}",
            f"{removed / undo_seconds:,.0f}", "yes" if same else "NO", "yes" if during[0] != before[0] else "no"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 insurance rows; undo of 50,000 on 10,000")
    parser.add_argument("--part", choices=("formats", "undo", "both"), default="both")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rows", type=int, default=None, help="insurance rows to read (default: all)")
    parser.add_argument("--undo-rows", type=int, default=1_000_000)
    parser.add_argument("--base-rows", type=int, default=100_000)
    args = parser.parse_args()
    if args.quick:
        args.rows, args.undo_rows, args.base_rows = args.rows or 5_000, 50_000, 10_000
    print(common.machine_note())
    if args.part in ("formats", "both"):
        formats(args.rows)
    if args.part in ("undo", "both"):
        kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        if "postgres" in kinds and not common.postgres_available():
            print("skipped postgres: unreachable at", common.POSTGRES_URL)
            kinds.remove("postgres")
        results = [undo(kind, args.undo_rows, args.base_rows) for kind in kinds]
        print(table(["db", "base rows", "batch rows", "load s", "removed", "undo s", "rows/s", "answers identical",
                     "batch changed them"], results, title="imports undo of one batch"))  # fmt: skip


if __name__ == "__main__":
    main()
