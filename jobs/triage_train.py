"""Job `triage-train`: each week, learn again from the store's rated comments and rescore the open ones.

The scheduler calls `tick` every hour; it trains when the newest model is a week old, or when there
is none yet and the store holds enough rated comments (so a restart never delays it by a week).
A new model version is used only when it beat the lexicons held out (see
``bot.services.customers.triage_models``); the open verbatims are then rescored with it.
`symmetry triage train` runs the same steps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.customers.rescore import rescore_untreated
from bot.services.customers.triage_models import MIN_LABELS, active_blender, latest_training, train_models

JOB_ID = "triage-train"
EVERY_SECONDS = 3600
RETRAIN_AFTER = timedelta(days=7)
log = logging.getLogger(__name__)


def train_and_rescore(
    deps: Deps, *, now: datetime, min_labels: int = MIN_LABELS, rescore: bool = True
) -> Iterator[str]:
    """Train, then rescore when a model is in use; one line per step, for the log or the terminal."""
    with session_scope(deps.factory) as session:
        outcomes = train_models(session, now=now, min_labels=min_labels)
    for o in outcomes:
        e = o.evaluation
        figures = (
            f" · held-out AUC lexicons {e.auc_lexicons:.3f}, model {e.auc_model:.3f}, blend {e.auc_blend:.3f}"
            if e
            else ""
        )
        state = f"v{o.version} {'in use' if o.used else 'saved, not used'}" if o.version else "no model"
        yield f"{o.language}: {o.labels} labels · {state}{figures}" + (f" ({o.note})" if o.note else "")
    if rescore and any(o.used for o in outcomes):
        yield f"rescored {rescore_all(deps, now=now):,} untreated verbatims"


def rescore_all(deps: Deps, *, now: datetime) -> int:
    with session_scope(deps.factory) as session:
        blender = active_blender(session)
        return rescore_untreated(session, taxonomy=deps.taxonomy, blender=blender, now=now)


def due(deps: Deps, *, now: datetime) -> bool:
    with session_scope(deps.factory) as session:
        last, rated = latest_training(session)
    return now - last >= RETRAIN_AFTER if last is not None else rated >= MIN_LABELS


def tick(deps: Deps, *, client: object = None, now: datetime | None = None) -> list[str]:
    now = now or deps.clock.now()
    if not due(deps, now=now):
        return []
    lines = list(train_and_rescore(deps, now=now))
    for line in lines:
        log.info("triage-train: %s", line)
    return lines
