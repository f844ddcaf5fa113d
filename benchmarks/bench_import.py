"""Import with full triage: rows/s and peak memory through the real path, against raw TextBlob.

    .venv/bin/python benchmarks/bench_import.py [--quick] [--db sqlite|postgres|both] [--rows 1000000]
                                                [--compare] [--stages] [--no-old]

Two files go through `bot.sources.files.iter_rows` + `bot.services.customers.importer.import_rows` (parse, triage,
priority, batched insert ignoring duplicates) into a fresh store, exactly as `symmetry import` does:

* ../shared/data/fr_insurance_reviews.csv (24,104 real French reviews, mean ~350 characters), mapped as
  `--map score=note text=avis received_at=date_publication team=assureur reason=produit
  --date-format dd/mm/yyyy --scale stars`;
* benchmarks/out/feedback_v1_<rows>_11.csv, generated once by benchmarks/common.py (English and French
  survey comments from the project's own templates, 12% score-only, mean ~100 characters).

Each import runs in a child process; its memory is measured as the peak RSS (VmHWM) of the child and of
each triage worker, and as the peak of the tree's summed PSS sampled every 0.2 s (shared pages split
between processes: what the tree really holds). Raw TextBlob runs in this process on the same rows:
`TextBlob(text).sentiment` (English analyzer for everything) and the language-appropriate analyzer
(textblob-fr's for French). Each import also runs with the old reader (TextBlob's polarity alone, the
reader before issue 11), interleaved, and new / old is printed in rows/s wall and rows per CPU-second
(--no-old skips it). --compare also imports with the pool off (everything in-process);
--stages times read / parse / triage / insert on their own. Figures only: nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import NOW, table  # noqa: E402

INSURANCE = "fr_insurance_reviews.csv"


def case_spec(name: str, limit: int | None, rows: int) -> dict | None:
    """What to import: a path, its mapping options and how many rows to read."""
    if name == "insurance":
        path = common.data_file(INSURANCE)
        if path is None:
            print(f"skipped insurance: ../shared/data/{INSURANCE} not found (real data is never copied here)")
            return None
        return {
            "name": f"{INSURANCE}",
            "path": str(path),
            "maps": common.INSURANCE_MAP,
            "date_format": "dd/mm/yyyy",
            "scale": "stars",
            "limit": limit,
        }
    path = common.generated_csv(rows)
    return {
        "name": f"generated {rows:,} rows",
        "path": str(path),
        "maps": common.GEN_MAP,
        "date_format": None,
        "scale": None,
        "limit": None,
    }


# ---- the child: one import, measured -------------------------------------------------------------------


def use_old_reader() -> None:
    """The reader before issue 11, in this process and its forked workers: TextBlob's polarity alone
    (our exact re-implementation of its PatternAnalyzer, textblob-fr's for French), no VADER pass;
    language detection, risks, priority and the insert stay as they are."""
    from bot.services.customers import reading, triage
    from bot.services.customers.sentiment import polarity

    def textblob_only(text: str, language: str) -> reading.Reading | None:
        blob = polarity(text, language)
        return None if blob is None else reading.Reading(value=blob, vader=0.0, textblob=blob)

    triage.read_sentiment = textblob_only  # type: ignore[assignment]


def child(spec: dict) -> None:
    from bot.services.customers import triage_batch
    from bot.services.customers.importer import ImportOptions, import_rows
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.sources.files import iter_rows

    if spec["in_process"]:
        triage_batch.POOL_MIN_ROWS = 10**12
    if spec.get("reader") == "old":
        use_old_reader()
    store = common.open_store(spec["db"], spec["url"], spec["schema"])
    options = ImportOptions(
        source="bench",
        mapping=common.mapping(spec["maps"], date_format=spec["date_format"], scale=spec["scale"]),
        skip_invalid=True,
        rejects_path=common.OUT / "bench_import.rejects.csv",
        parallel=True,  # as `symmetry import` does
    )
    taxonomy = load_taxonomy()
    rows = iter_rows(Path(spec["path"]))
    if spec["limit"]:
        rows = itertools.islice(rows, spec["limit"])
    cpu0, load0, started = common.cpu_seconds(), common.load_now(), time.perf_counter()
    report = import_rows(store.factory, rows, options=options, taxonomy=taxonomy, now=NOW)
    seconds = time.perf_counter() - started
    workers = common.descendants(os.getpid())
    main_cpu = common.cpu_seconds() - cpu0
    workers_cpu = sum(common.proc_cpu_seconds(p) for p in workers)
    memory = common.tree_memory(os.getpid())
    triage_batch.shutdown_pool()
    store.engine.dispose()
    print(
        json.dumps(
            {
                "read": report.read,
                "inserted": report.inserted,
                "rejected": report.rejected_count,
                "seconds": seconds,
                "cpu": main_cpu + workers_cpu,
                "main_cpu": main_cpu,
                "workers_cpu": workers_cpu,
                "load": (load0 + common.load_now()) / 2,
                "main_peak_mb": memory["peak_rss_mb"][str(os.getpid())],
                "worker_peaks_mb": [memory["peak_rss_mb"][str(p)] for p in workers],
            }
        )
    )


def measure(spec: dict, db: str, *, in_process: bool, reader: str = "new") -> dict:
    store = common.fresh_store(db, f"import_{os.getpid()}")
    try:
        run = common.run_child(
            [
                __file__,
                "--child",
                json.dumps(
                    {**spec, "db": db, "url": store.url, "schema": store.schema, "in_process": in_process}
                    | {"reader": reader}
                ),
            ]
        )
    finally:
        store.close()
    result = run.result
    result.update(
        peak_pss=run.peak_tree_pss_mb,
        peak_rss_sum=run.peak_tree_rss_mb,
        peaks_sum=result["main_peak_mb"] + sum(result["worker_peaks_mb"]),
    )
    return result


# ---- raw TextBlob on the same rows ---------------------------------------------------------------------


def textblob_rates(spec: dict, sample: int | None) -> dict:
    """rows/s of TextBlob(text).sentiment and of the language-appropriate analyzer, on the case's rows."""
    from textblob import TextBlob
    from textblob_fr import PatternAnalyzer as FrenchAnalyzer

    from bot.sources.files import iter_rows

    texts_col = "avis" if spec["name"] == INSURANCE else "comment"
    rows = [r.data for r in itertools.islice(iter_rows(Path(spec["path"])), sample or spec["limit"] or None)]
    texts = [str(r.get(texts_col) or "") for r in rows]
    french = [r.get("lang_truth", "fr") == "fr" for r in rows]
    TextBlob("warm up").sentiment, TextBlob("on chauffe", analyzer=FrenchAnalyzer()).sentiment
    started = time.perf_counter()
    for text in texts:
        TextBlob(text).sentiment  # noqa: B018
    english = time.perf_counter() - started
    analyzer = FrenchAnalyzer()
    started = time.perf_counter()
    for text, is_french in zip(texts, french, strict=True):
        (TextBlob(text, analyzer=analyzer) if is_french else TextBlob(text)).sentiment  # noqa: B018
    appropriate = time.perf_counter() - started
    return {
        "rows": len(texts),
        "english": len(texts) / english,
        "appropriate": len(texts) / appropriate,
        "mean_chars": sum(map(len, texts)) / max(1, sum(1 for t in texts if t)),
    }


# ---- stages on their own -------------------------------------------------------------------------------


def _clear_caches(sentiment) -> None:  # type: ignore[no-untyped-def]
    for name in ("polarity", "_cached_polarity"):
        getattr(getattr(sentiment, name, None), "cache_clear", lambda: None)()


def stages(spec: dict, limit: int, dbs: list[str]) -> list[tuple[str, float]]:
    """Seconds per stage for `limit` rows: read, parse, triage in-process, triage with the pool, insert."""
    from bot.db import session_scope
    from bot.services.customers import sentiment, triage_batch
    from bot.services.customers.importer import insert_ignoring_duplicates
    from bot.services.customers.records import parse_record
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.services.people.teams import TeamResolver
    from bot.sources.files import iter_rows

    maps = common.mapping(spec["maps"], date_format=spec["date_format"], scale=spec["scale"])
    taxonomy = load_taxonomy()
    t0 = time.perf_counter()
    rows = list(itertools.islice(iter_rows(Path(spec["path"])), limit))
    t1 = time.perf_counter()
    records = [parse_record(r.data, maps) for r in rows]
    _clear_caches(sentiment)
    t2 = time.perf_counter()
    saved, triage_batch.POOL_MIN_ROWS = triage_batch.POOL_MIN_ROWS, 10**12
    values = [
        v
        for i in range(0, len(records), 2000)
        for v in triage_batch.triage_records(records[i : i + 2000], taxonomy=taxonomy, now=NOW)
    ]
    t3 = time.perf_counter()
    triage_batch.POOL_MIN_ROWS = saved
    taxonomy = load_taxonomy()  # as cold as the in-process pass: a fresh taxonomy (its word memo) and caches
    _clear_caches(sentiment)
    triage_batch.start_pool(taxonomy, timeout=300)  # time the reading only, not the workers' start
    t4 = time.perf_counter()
    pooled = [
        v
        for i in range(0, len(records), 2000)
        for v in triage_batch.triage_records(records[i : i + 2000], taxonomy=taxonomy, now=NOW)
    ]
    t5 = time.perf_counter()
    triage_batch.shutdown_pool()
    assert pooled == values, "the pool and the in-process path gave different rows"
    timings = [
        ("read (iter_rows)", t1 - t0),
        ("parse (parse_record)", t2 - t1),
        ("triage + priority, in-process", t3 - t2),
        (f"triage + priority, caller + {triage_batch.worker_count()} worker(s)", t5 - t4),
    ]
    for db in dbs:
        store = common.fresh_store(db, f"stages_{os.getpid()}")
        with session_scope(store.factory) as session:
            teams = TeamResolver(session, now=NOW, default_timezone="UTC")
            rows_in = [dict(v) for v in values]
            for record, value in zip(records, rows_in, strict=True):
                value.update(source="bench", team_id=teams.id_for(record.team), imported_at=NOW)
            started = time.perf_counter()
            for i in range(0, len(rows_in), 2000):
                insert_ignoring_duplicates(session, rows_in[i : i + 2000])
            timings.append((f"insert ({db}, insert_ignoring_duplicates)", time.perf_counter() - started))
        store.close()
    return timings


Mode = tuple[bool, str]  # (in-process?, "new" | "old" reader)


def _label(spec: dict, db: str, mode: Mode) -> str:
    return f"{spec['name']} · {db} · {'in-process' if mode[0] else 'pool'} · {mode[1]} reader"


def _speed_row(spec: dict, db: str, mode: Mode, runs: list[dict], blob: dict) -> tuple:
    rates = sorted(r["read"] / r["seconds"] for r in runs)
    best = max(runs, key=lambda r: r["read"] / r["seconds"])
    rate = rates[-1]
    return (
        _label(spec, db, mode),
        best["read"],
        len(runs),
        best["seconds"],
        rate,
        statistics.median(rates),
        best["read"] / best["cpu"],
        f"{best['main_cpu']:.1f} + {best['workers_cpu']:.1f}",
        best["load"],
        f"{rate / 3000:.2f}",
        f"{rate / blob['english']:.2f}",
        f"{rate / blob['appropriate']:.2f}",
    )


def _ratio_rows(results: list) -> list[tuple]:
    """New reader / old reader, same file, store and pool mode: best rows/s wall and best rows per CPU-second."""
    best = {
        (s["name"], db, mode): (
            max(r["read"] / r["seconds"] for r in runs),
            max(r["read"] / r["cpu"] for r in runs),
            statistics.mean(r["load"] for r in runs),
        )
        for s, db, mode, runs in results
    }
    out = []
    for (name, db, (in_process, reader)), (wall, cpu, load) in best.items():
        old = best.get((name, db, (in_process, "old")))
        if reader == "new" and old:
            label = f"{name} · {db} · {'in-process' if in_process else 'pool'}"
            out.append(
                (
                    label,
                    wall,
                    old[0],
                    f"{wall / old[0]:.2f}",
                    cpu,
                    old[1],
                    f"{cpu / old[1]:.2f}",
                    load,
                    old[2],
                )
            )
    return out


def _memory_row(spec: dict, db: str, mode: Mode, runs: list[dict]) -> tuple:
    worst = max(runs, key=lambda r: r["peaks_sum"])
    return (
        _label(spec, db, mode),
        worst["main_peak_mb"],
        " + ".join(f"{w:.0f}" for w in worst["worker_peaks_mb"]) or "-",
        worst["peaks_sum"],
        max(r["peak_pss"] for r in runs),
        f"{worst['peaks_sum'] / 300:.2f}",
    )


# ---- main ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="3,000 insurance rows, a 10,000-row generated file"
    )
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated file")
    parser.add_argument("--compare", action="store_true", help="also import with the pool off (in-process)")
    parser.add_argument("--stages", action="store_true", help="time each stage on its own")
    parser.add_argument(
        "--no-old", action="store_true", help="skip the imports with the old (TextBlob-only) reader"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per import (not the 1M one); the best counts"
    )
    parser.add_argument(
        "--textblob-sample", type=int, default=20_000, help="generated rows read by raw TextBlob"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return 0
    rows = 10_000 if args.quick else args.rows
    limit = 3_000 if args.quick else None
    sample = 3_000 if args.quick else args.textblob_sample
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"bench_import: {common.machine_note()}")
    specs = [s for s in (case_spec("insurance", limit, rows), case_spec("generated", None, rows)) if s]
    results = []
    for spec in specs:
        big = "generated" in spec["name"] and rows > 100_000
        pools = [False, True] if args.compare and not big else [False]
        modes: list[Mode] = [(p, r) for p in pools for r in (("new",) if args.no_old else ("new", "old"))]
        for db in dbs:
            runs: dict[Mode, list[dict]] = {mode: [] for mode in modes}
            for n in range(1 if big else args.repeat):
                for mode in modes:  # interleaved, so a burst of load hits every mode alike
                    print(f"importing {_label(spec, db, mode)} · run {n + 1} ...", flush=True)
                    runs[mode].append(measure(spec, db, in_process=mode[0], reader=mode[1]))
            results.extend((spec, db, mode, runs[mode]) for mode in modes)
    blob = {
        spec["name"]: textblob_rates(spec, None if spec["name"] == INSURANCE else min(rows, sample))
        for spec in specs
    }
    print()
    print(
        table(
            [
                "file · db · triage",
                "rows",
                "runs",
                "best s",
                "best rows/s",
                "median rows/s",
                "rows/CPU-s",
                "CPU s main + workers",
                "load",
                "best vs 3,000/s",
                "x TextBlob",
                "x TextBlob (fr analyzer)",
            ],
            [_speed_row(s, db, mode, rs, blob[s["name"]]) for s, db, mode, rs in results],
            title="Import with full triage (iter_rows + import_rows), wall clock",
        )
    )
    if ratios := _ratio_rows(results):
        print()
        print(
            table(
                ["file · db · triage", "new rows/s", "old rows/s", "new / old", "new rows/CPU-s",
                 "old rows/CPU-s", "new / old (CPU)", "load new", "load old"],
                ratios,
                title="New reader (VADER rules + TextBlob) against the old one (TextBlob alone), best runs",
            )
        )  # fmt: skip
    print()
    print(
        table(
            [
                "file · db · triage",
                "main peak RSS MB",
                "worker peak RSS MB",
                "sum of peaks MB",
                "tree peak PSS MB",
                "sum of peaks vs 300 MB",
            ],
            [_memory_row(s, db, mode, rs) for s, db, mode, rs in results],
            title="Peak memory of the import (child process and its triage workers; worst run)",
        )
    )
    print()
    print(
        table(
            [
                "texts",
                "rows",
                "mean chars",
                "TextBlob(text).sentiment rows/s",
                "fr analyzer for French rows/s",
            ],
            [(name, b["rows"], b["mean_chars"], b["english"], b["appropriate"]) for name, b in blob.items()],
            title="Raw TextBlob on the same rows, one process (the sentiment alone, nothing stored)",
        )
    )
    if args.stages:
        for spec in specs:
            n = limit or (24_104 if spec["name"] == INSURANCE else min(rows, 50_000))
            timings = stages(spec, n, dbs)
            print()
            print(
                table(
                    ["stage", "seconds", "µs/row", "rows/s"],
                    [(s, t, t / n * 1e6, n / t) for s, t in timings],
                    title=f"Stages on their own, {spec['name']} ({n:,} rows), load {common.load_now():.1f}",
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
