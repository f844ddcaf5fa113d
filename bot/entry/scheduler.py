"""One APScheduler inside `run`/`serve`: stable job ids, explicit timezone, misfire and coalesce."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient

from bot.entry.deps import Deps
from jobs import JOBS


def build_scheduler(deps: Deps, *, client: WebClient) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    for job in JOBS:
        scheduler.add_job(
            job.run,
            trigger="interval",
            seconds=job.every_seconds,
            id=job.id,
            name=job.id,
            kwargs={"deps": deps, "client": client},
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=job.every_seconds * 5,
        )
    return scheduler
