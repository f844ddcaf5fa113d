"""A separate process that runs the survey fan-out (killed with SIGKILL by the tests and benchmark).

python -m tests.jobs.survey_fanout_child DATABASE_URL API_URL RATE BURST [POSTGRES_SCHEMA]
"""

from __future__ import annotations

import sys
import time

from slack_sdk import WebClient

from bot.db import make_engine, session_factory
from bot.entry.deps import Deps
from bot.sandbox.harness import BOT_TOKEN, sandbox_settings
from bot.services.employees.survey_pacer import Pacer
from jobs.survey_send import send_due


def main(url: str, api_url: str, rate: str, burst: str, schema: str | None = None) -> None:
    engine = make_engine(url, schema=schema)
    deps = Deps(settings=sandbox_settings(url, api_url), factory=session_factory(engine))
    client = WebClient(token=BOT_TOKEN, base_url=api_url)
    started = time.time()
    print(f"started={started:.3f}", flush=True)
    report = send_due(deps, client=client, pacer=Pacer(rate=float(rate), burst=float(burst)))
    print(
        f"elapsed={time.time() - started:.3f} sent={report.sent} failed={report.failed} "
        f"recovered={report.recovered} rate_limited={report.rate_limited} retried={report.retried}",
        flush=True,
    )


if __name__ == "__main__":
    main(*sys.argv[1:6])
