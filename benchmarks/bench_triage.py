"""How fast is the triage applied to every imported verbatim, against raw TextBlob?

    .venv/bin/python benchmarks/bench_triage.py [--limit 24104] [--runs 3] [--stages]

Reads the real French insurance reviews (`avis`, `note` as 1-5 stars) from ../shared/data at run
time (they are not part of the project; the benchmark skips when they are absent) and times, on
the same texts:

* Symmetry: triage_text (language, sentiment, reasons, risks) + compute_priority, per row;
* raw TextBlob: TextBlob(text).sentiment, the baseline (it reads French as English, scoring most
  comments 0.0, and does nothing else).

The rows are timed in blocks of 500, each block with both, alternately, keeping each block's best
time over --runs passes: on a shared machine the load weighs on both alike and the ratio is the
robust figure. Every Symmetry pass starts from a freshly loaded taxonomy and an empty sentiment
cache, so it pays what a new import pays.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.customers import sentiment  # noqa: E402
from bot.services.customers.language import detect_language  # noqa: E402
from bot.services.customers.priority import compute_priority  # noqa: E402
from bot.services.customers.taxonomy import load_taxonomy  # noqa: E402
from bot.services.customers.triage import triage_text  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "fr_insurance_reviews.csv"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
Row = tuple[str, int | None]


def read_rows(path: Path, limit: int) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [
            (r["avis"], int(r["note"]) if r["note"].isdigit() else None)
            for _, r in zip(range(limit), reader, strict=False)
        ]


class SymmetryPass:
    """One import's worth of triage: a freshly loaded taxonomy and an empty sentiment cache."""

    def __init__(self) -> None:
        self.taxonomy = load_taxonomy()
        sentiment.clear_cache()

    def __call__(self, rows: list[Row]) -> None:
        received = NOW - timedelta(hours=30)
        for text, score in rows:
            tri = triage_text(text, taxonomy=self.taxonomy)
            compute_priority(
                score=score,
                scale="stars",
                sentiment=tri.sentiment,
                sentiment_label=tri.sentiment_label,
                risks=tri.risks,
                received_at=received,
                now=NOW,
            )


def raw_pass(rows: list[Row]) -> None:
    for text, _ in rows:
        sentiment.raw_textblob_sentiment(text)


def timed(work: Callable[[list[Row]], None], rows: list[Row]) -> float:
    start = time.perf_counter()
    work(rows)
    return time.perf_counter() - start


def interleaved(rows: list[Row], runs: int, block: int = 500) -> tuple[float, float]:
    """Seconds for Symmetry and for raw TextBlob over all rows. The rows are cut in blocks and each
    block is timed with both, alternately, so that a shared machine's load weighs on both alike;
    each block keeps its best time over ``runs`` passes."""
    blocks = [rows[i : i + block] for i in range(0, len(rows), block)]
    best_ours = [float("inf")] * len(blocks)
    best_raw = [float("inf")] * len(blocks)
    for run in range(runs):
        ours = SymmetryPass()
        for n, chunk in enumerate(blocks):
            if (n + run) % 2:
                ours_s, raw_s = timed(ours, chunk), timed(raw_pass, chunk)
            else:
                raw_s, ours_s = timed(raw_pass, chunk), timed(ours, chunk)
            best_ours[n], best_raw[n] = min(best_ours[n], ours_s), min(best_raw[n], raw_s)
    return sum(best_ours), sum(best_raw)


def stage_times(rows: list[Row]) -> dict[str, float]:
    """Seconds per stage on its own (language, sentiment, taxonomy, priority)."""
    taxonomy = load_taxonomy()
    sentiment.clear_cache()
    texts = [text for text, _ in rows]
    start = time.perf_counter()
    languages = [detect_language(t) for t in texts]
    t_language = time.perf_counter()
    values = [sentiment.polarity(t, lang) for t, lang in zip(texts, languages, strict=True)]
    t_sentiment = time.perf_counter()
    risks = [taxonomy.scan(t, lang)[1] for t, lang in zip(texts, languages, strict=True)]
    t_taxonomy = time.perf_counter()
    for (_, score), value, risk in zip(rows, values, risks, strict=True):
        compute_priority(
            score=score,
            scale="stars",
            sentiment=value,
            sentiment_label=sentiment.sentiment_label(value),
            risks=risk,
            received_at=NOW,
            now=NOW,
        )
    t_priority = time.perf_counter()
    return {
        "language": t_language - start,
        "sentiment": t_sentiment - t_language,
        "taxonomy": t_taxonomy - t_sentiment,
        "priority": t_priority - t_taxonomy,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=1_000_000, help="rows to read (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="passes per measure; the best one counts")
    parser.add_argument("--stages", action="store_true", help="also time each stage on its own")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found (real data is read from ../shared/data, never copied here)")
        return 0
    rows = read_rows(DATA, args.limit)
    started = time.perf_counter()
    load_taxonomy(), sentiment.lexicon("en"), sentiment.lexicon("fr"), detect_language("warm up")
    print(
        f"{len(rows):,} rows from {DATA.name}, mean {sum(len(t) for t, _ in rows) / len(rows):.0f} chars; "
        f"CPUs {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; lexicons+taxonomy load {time.perf_counter() - started:.2f} s"
    )
    raw_pass(rows[:200])  # warm TextBlob's own lazy loading
    ours, raw = interleaved(rows, args.runs)
    print(f"Symmetry triage_text + compute_priority: {len(rows) / ours:10,.0f} rows/s  ({ours:.2f} s)")
    print(f"raw TextBlob(text).sentiment:            {len(rows) / raw:10,.0f} rows/s  ({raw:.2f} s)")
    print(
        f"ratio: {raw / ours:.2f}x the raw TextBlob throughput, while doing language, reasons, risks and priority"
    )
    if args.stages:
        stages = stage_times(rows)
        print("stages alone: " + ", ".join(f"{k} {len(rows) / v:,.0f}/s" for k, v in stages.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
