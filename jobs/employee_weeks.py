"""Job `employee-weeks`: when a week is over everywhere (Monday 12:00 UTC), count it once for every
employee figure counted by weeks (pulse, stories) and form the small teams' atoms, so the first
question of the week reads cached tallies instead of the week's answers. A tick with nothing new to
count costs one indexed query per metric; after a bulk load the whole history is counted in one
GROUP BY per metric (bot/services/employees/week_counts.py)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.cells import prepare

JOB_ID = "employee-weeks"
EVERY_SECONDS = 300
log = logging.getLogger(__name__)


def tick(*, deps: Deps, client: WebClient | None = None) -> str:
    """'off', 'nothing to count' or 'counted N week(s)'."""
    if not deps.settings.SYMMETRY_EMPLOYEE_FEATURES:
        return "off"
    with session_scope(deps.factory) as session:
        weeks = prepare(session, now=deps.clock.now())
    if not weeks:
        return "nothing to count"
    log.info("employee figures: %d finished week(s) counted", weeks)
    return f"counted {weeks} week(s)"
