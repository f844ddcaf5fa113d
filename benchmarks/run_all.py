"""Run every benchmark, one after the other, each in its own process; `make bench` calls this.

    .venv/bin/python benchmarks/run_all.py [--full] [--only digest,kpi]

Quick sizes by default (a few minutes in all on a 2-core machine): each benchmark's smoke run, SQLite
only. `--full` (or SYMMETRY_BENCH_FULL=1) runs the sizes the figures in benchmarks/README.md were
measured at: 1M-row import, 50,000 and 500,000-verbatim digests and 1M and 10M-row KPI stores on SQLite and Postgres
(hours, and several GB under benchmarks/out/). Each benchmark prints its own figures; this prints how
long each took and exits non-zero when one failed. Benchmarks only talk to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (quick arguments, full arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "import": (["--quick", "--db", "sqlite"], ["--db", "both", "--compare", "--repeat", "3"]),
    "digest": (["--quick", "--db", "sqlite"], ["--db", "both"]),
    "kpi": (
        ["--rows", "100000", "--db", "sqlite", "--runs", "5", "--naive-runs", "1"],
        ["--rows", "1000000,10000000", "--db", "sqlite,postgres"],
    ),
    "triage": (["--limit", "3000", "--runs", "1"], []),
    "quality": (["--quick"], []),
    "files": (["--quick"], []),
    "employees": (["--quick"], []),
    "rounds": (["--quick", "--db", "sqlite"], ["--db", "both"]),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--full",
        action="store_true",
        default=os.environ.get("SYMMETRY_BENCH_FULL", "") not in ("", "0"),
        help="the sizes of benchmarks/README.md (hours); also SYMMETRY_BENCH_FULL=1",
    )
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}")
    failed = []
    for name in names:
        quick, full = BENCHMARKS[name]
        command = [sys.executable, str(HERE / f"bench_{name}.py"), *(full if args.full else quick)]
        print(
            f"\n===== bench_{name} ({'full' if args.full else 'quick'}): {' '.join(command[1:])}", flush=True
        )
        started = time.perf_counter()
        code = subprocess.call(command, cwd=HERE.parent)
        print(
            f"===== bench_{name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {time.perf_counter() - started:.0f} s"
        )
        if code:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
