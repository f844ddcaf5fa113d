"""Triage quality on real data: how many 1-2 star / CSAT 1-2 verbatims reach the top of each team's digest?

    .venv/bin/python benchmarks/bench_quality.py [--quick] [--top 50]

Each real file of ../shared/data is imported through the real path (iter_rows + import_rows, the mapping
`symmetry import` would be given) into a fresh SQLite store, then every team's digest is planned with
`plan_digest(dry_run=True)` exactly as the daily job would plan it (pages flattened: the display order).
For the first --top items of each team's digest (and the first 10: page 0, the channel message) we count
the share scored 1 or 2, pooled over all teams and as the median of the per-team shares, against:

* the share of 1-2 in the whole file (what a random pick gives on average);
* the same teams ordered by score alone (lowest first, newest first among equals): the best any ordering
  can do on this measure, since the measure only looks at the score;
* the same teams ordered by date (newest first): a plain feed.

The triage also reads the comments (sentiment, churn/legal/safety/repeat risks): the "with a risk" column
is the share of the top items whose comment carries a risk signal, which a score-only ordering ignores.
"1 alone" counts only the worst score (1 star, CSAT 1) in the top of the teams with more than --top rows.
Rows "with a comment" repeats everything on the verbatims that have text (170 of 476 in the CSAT file).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import NOW, table  # noqa: E402

FILES = {
    "fr_insurance_reviews.csv": {"maps": common.INSURANCE_MAP, "date_format": "dd/mm/yyyy", "scale": "stars"},
    "csat_support_sample.csv": {"maps": common.CSAT_MAP, "date_format": "dd-Mon-yy", "scale": "csat"},
}
PAGE = 10


def import_file(name: str, spec: dict, limit: int | None) -> tuple[common.Store, object]:
    from bot.services.customers.importer import ImportOptions, import_rows
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.sources.files import iter_rows

    path = common.data_file(name)
    assert path is not None
    store = common.fresh_store("sqlite", f"quality_{name.split('.')[0]}")
    options = ImportOptions(
        source=name,
        mapping=common.mapping(spec["maps"], date_format=spec["date_format"], scale=spec["scale"]),
        skip_invalid=True,
        rejects_path=common.OUT / f"quality_{name}.rejects.csv",
        history_after_days=None,  # years-old reviews ranked as if they had just arrived: what is measured
        parallel=True,  # as `symmetry import` does
    )
    rows = iter_rows(path) if limit is None else itertools.islice(iter_rows(path), limit)
    report = import_rows(store.factory, rows, options=options, taxonomy=load_taxonomy(), now=NOW)
    return store, report


def digest_orders(store: common.Store) -> dict[int, list[int]]:
    """team id -> its verbatim ids in the order of its planned digest (all pages, the file included)."""
    from bot.db import session_scope
    from bot.services.customers.digest_runs import plan_digest
    from bot.services.people.teams import list_teams
    from bot.slack.blocks.digest import ITEMS_PER_PAGE

    with session_scope(store.factory) as session:
        teams = list_teams(session)
    orders = {}
    for team in teams:
        plan = plan_digest(
            store.factory,
            team,
            now=NOW + timedelta(hours=1),
            per_page=ITEMS_PER_PAGE,
            thread_pages=5,
            dry_run=True,
        )
        orders[team.id] = [i for page in plan.pages for i in page.ids]
    return orders


def rows_by_id(store: common.Store) -> dict[int, tuple]:
    """id -> (team id, score, has a comment, has a risk, received_at as text)."""
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.exec_driver_sql(
            "SELECT id, team_id, score, length(trim(text)) > 0, risks != '', received_at FROM verbatim"
        ).all()
    return {r[0]: (r[1], r[2], bool(r[3]), bool(r[4]), str(r[5])) for r in rows}


def shares(
    orders: dict[int, list[int]], rows: dict[int, tuple], top: int
) -> tuple[float, float, float, float, int]:
    """(pooled share of 1-2 in each team's first `top`, median per-team share, pooled share with a risk,
    pooled share of 1 alone, teams counted)."""
    low = ones = risky = seen = 0
    per_team = []
    for ids in orders.values():
        head = ids[:top]
        if not head:
            continue
        n_low = sum(1 for i in head if rows[i][1] is not None and rows[i][1] <= 2)
        ones += sum(1 for i in head if rows[i][1] == 1)
        low, risky, seen = low + n_low, risky + sum(1 for i in head if rows[i][3]), seen + len(head)
        per_team.append(n_low / len(head))
    if not seen:
        return float("nan"), float("nan"), float("nan"), float("nan"), 0
    return low / seen, statistics.median(per_team), risky / seen, ones / seen, len(per_team)


def orderings(store: common.Store, rows: dict[int, tuple]) -> dict[str, dict[int, list[int]]]:
    by_team: dict[int, list[int]] = {}
    for vid, (team, *_rest) in rows.items():
        by_team.setdefault(team, []).append(vid)
    newest: Callable[[int], str] = lambda i: rows[i][4]  # noqa: E731
    by_date = {t: sorted(ids, key=newest, reverse=True) for t, ids in by_team.items()}
    by_score = {
        t: sorted(ids_by_date, key=lambda i: 99 if rows[i][1] is None else rows[i][1])  # stable: newest first
        for t, ids_by_date in by_date.items()
    }
    return {
        "Symmetry digest (plan_digest)": digest_orders(store),
        "score alone (lowest first)": by_score,
        "date alone (newest first)": by_date,
    }


def report_file(name: str, spec: dict, top: int, limit: int | None) -> list[str]:
    started = time.perf_counter()
    store, report = import_file(name, spec, limit)
    try:
        rows = rows_by_id(store)
        orders = orderings(store, rows)
        out = [
            f"{name}: {report.read:,} rows read, {report.inserted:,} stored, {report.duplicates:,} duplicates, "
            f"{report.rejected_count:,} rejected; imported and planned in {time.perf_counter() - started:.0f} s"
        ]
        for subset, keep in (("all rows", lambda r: True), ("rows with a comment", lambda r: r[2])):
            kept = {i: r for i, r in rows.items() if keep(r)}
            if not kept:
                continue
            scored = [r for r in kept.values() if r[1] is not None]
            base = sum(1 for r in scored if r[1] <= 2) / max(1, len(scored))
            risk_base = sum(1 for r in kept.values() if r[3]) / len(kept)
            sizes = {}
            for r in kept.values():
                sizes[r[0]] = sizes.get(r[0], 0) + 1
            big = {t for t, n in sizes.items() if n > top}
            ones = sum(1 for r in scored if r[1] == 1) / max(1, len(scored))
            table_rows = [
                (
                    "whole file (random pick)",
                    f"{base:.1%}",
                    "",
                    f"{base:.1%}",
                    "",
                    f"{ones:.1%}",
                    f"{risk_base:.1%}",
                    "",
                )
            ]
            for label, order in orders.items():
                order = {t: [i for i in ids if i in kept] for t, ids in order.items()}
                pooled, median, risky, _, _ = shares(order, kept, top)
                page = shares(order, kept, PAGE)[0]
                big_pooled, _, _, big_ones, big_teams = shares(
                    {t: ids for t, ids in order.items() if t in big}, kept, top
                )
                table_rows.append(
                    (
                        label,
                        f"{pooled:.1%}",
                        f"{median:.1%}",
                        f"{page:.1%}",
                        f"{big_pooled:.1%}" if big_teams else "-",
                        f"{big_ones:.1%}" if big_teams else "-",
                        f"{risky:.1%}",
                        f"{pooled / base:.2f}" if base else "-",
                    )
                )
            out.append(
                table(
                    [
                        "ordering",
                        f"1-2 in top {top} (pooled)",
                        "per-team median",
                        f"1-2 in top {PAGE} (page 0)",
                        f"1-2, top {top} of teams > {top}",
                        "1 alone, same",
                        f"with a risk, top {top}",
                        "pooled vs file",
                    ],
                    table_rows,
                    title=f"\n{name} · {subset}: {len(kept):,} verbatims, {len(sizes)} teams "
                    f"({len(big)} with more than {top}), scored 1-2: {base:.1%}",
                )
            )
            if not big:
                out.append(
                    f"(no team has more than {top} verbatims here: each top {top} is the whole team, so only "
                    f"page 0, the top {PAGE}, tells orderings apart)"
                )
        return out
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the first 3,000 rows of each file")
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    print(f"bench_quality: {common.machine_note()}")
    for name, spec in FILES.items():
        if common.data_file(name) is None:
            print(f"skipped {name}: not in ../shared/data (real data is read there, never copied here)")
            continue
        for line in report_file(name, spec, args.top, 3_000 if args.quick else None):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
