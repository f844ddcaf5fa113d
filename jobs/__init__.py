"""Scheduled jobs, by stable kebab-case id. Every job body is idempotent (ledger rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jobs import daily_digest, triage_train


@dataclass(frozen=True)
class JobSpec:
    id: str
    run: Callable[..., object]
    every_seconds: int


JOBS = [
    JobSpec(daily_digest.JOB_ID, daily_digest.tick, 60),
    JobSpec(triage_train.JOB_ID, triage_train.tick, triage_train.EVERY_SECONDS),
]
