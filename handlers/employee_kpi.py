"""`/kpi pulse last week`, `/kpi stories this month by team`, "@Symmetry how is pulse for Paris?":
the employee metrics answered through the anonymity engine, for the /kpi listener and mentions."""

from __future__ import annotations

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.questions import ask_employee, employee_metric
from bot.services.employees.text import format_employee


def employee_answer(deps: Deps, *, text: str, user: str) -> str | None:
    """The answer text when the question is about pulse, stories or suggestions; None otherwise."""
    if employee_metric(text) is None:
        return None
    with session_scope(deps.factory) as session:
        query, answer = ask_employee(
            session,
            text=text,
            asker=user,
            now=deps.clock.now(),
            default_tz=deps.settings.timezone,
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
        )
        return format_employee(query, answer)
