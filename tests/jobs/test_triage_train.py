"""Job `triage-train`: trains when due (a week after the last model, or as soon as there are labels)."""

from __future__ import annotations

from datetime import timedelta

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.sandbox.harness import sandbox_settings
from bot.services.customers.triage_models import model_versions
from jobs import JOBS
from jobs.triage_train import tick
from tests.factories import add_verbatims, make_team, record


def test_the_job_is_scheduled_with_a_stable_id() -> None:
    assert "triage-train" in [job.id for job in JOBS]


def test_it_trains_once_labels_exist_then_weekly(factory, clock, now) -> None:  # type: ignore[no-untyped-def]
    deps = Deps(settings=sandbox_settings("sqlite://", "http://127.0.0.1:9"), factory=factory, clock=clock)
    assert tick(deps, now=now) == []  # an empty store: nothing to learn from, nothing done
    make_team(factory, now=now)
    rows = [
        record(
            n,
            now=now,
            text=f"The parcel was {'zorblaxed' if n % 2 else 'crispy'} #{n}",
            score=1 if n % 2 else 10,
        )
        for n in range(120)
    ]
    add_verbatims(factory, rows, now=now)
    lines = tick(deps, now=now)
    assert lines[0].startswith("en: 120 labels · v1 in use") and any("rescored" in line for line in lines)
    assert tick(deps, now=now + timedelta(days=6)) == []
    assert tick(deps, now=now + timedelta(days=7, minutes=1))
    with session_scope(factory) as session:
        assert [m.version for m in model_versions(session)] == [2, 1]
