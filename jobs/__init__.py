"""Scheduled jobs, by stable kebab-case id. Every job body is idempotent (ledger rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jobs import (
    daily_digest,
    employee_weeks,
    story_of_week,
    suggestion_relay,
    survey_close,
    survey_open,
    survey_remind,
    survey_send,
    triage_train,
)


@dataclass(frozen=True)
class JobSpec:
    id: str
    run: Callable[..., object]
    every_seconds: int


JOBS = [
    JobSpec(daily_digest.JOB_ID, daily_digest.tick, 60),
    JobSpec(triage_train.JOB_ID, triage_train.tick, triage_train.EVERY_SECONDS),
    JobSpec(suggestion_relay.JOB_ID, suggestion_relay.tick, 60),
    JobSpec(story_of_week.JOB_ID, story_of_week.tick, 60),
    JobSpec(survey_open.JOB_ID, survey_open.tick, 60),
    JobSpec(survey_send.JOB_ID, survey_send.tick, 30),
    JobSpec(survey_remind.JOB_ID, survey_remind.tick, 300),
    JobSpec(survey_close.JOB_ID, survey_close.tick, 60),
    JobSpec(employee_weeks.JOB_ID, employee_weeks.tick, employee_weeks.EVERY_SECONDS),
]
