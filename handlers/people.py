"""`/symmetry grant|revoke|assign|manage|people …`: admins manage roles and teams from Slack.

Called by handlers/symmetry.py (the /symmetry dispatcher); `/kpi grant …` only points there now.
"""

from __future__ import annotations

import re

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.people.admin import is_people_text, run_people_text

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def is_people_command(text: str) -> bool:
    return is_people_text(text)


def run_people_command(deps: Deps, *, actor: str, text: str) -> str:
    """Carry out `grant <@U1|bob> manager` (mentions become plain ids) and say what changed."""
    plain = _MENTION.sub(lambda m: m.group(1), text)
    with session_scope(deps.factory) as session:
        return run_people_text(
            session,
            actor=actor,
            text=plain,
            now=deps.clock.now(),
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
        )
