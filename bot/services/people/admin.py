"""People management typed in chat by an admin: `grant U123 manager`, `assign U123 Care`, `people`.

Slack-free: the handler turns `<@U123|bob>` mentions into plain ids before calling this.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.errors import InvalidInput
from bot.services.people import roles as people

VERBS = ("grant", "revoke", "assign", "manage", "people")
USAGE = [
    "grant @someone manager  (roles: agent, manager, admin)",
    "revoke @someone manager",
    "assign @someone <team>   (their own team)",
    "manage @someone <team>   (a team they manage)",
    "people                   (who sees what)",
]


def is_people_text(text: str) -> bool:
    words = text.strip().split()
    return bool(words) and words[0].lower() in VERBS


def run_people_text(
    session: Session, *, actor: str, text: str, now: datetime, slack_admins_are_admins: bool
) -> str:
    """Carry out one people command for `actor` (who must be an admin); return what to tell them."""
    people.require_admin(session, actor, slack_admins_are_admins=slack_admins_are_admins)
    words = text.strip().split()
    verb, args = words[0].lower(), words[1:]
    if verb == "people":
        return _listing(session, slack_admins_are_admins)
    if len(args) < 2:
        raise InvalidInput(
            f"`{verb}` needs a person and a {'role' if verb in ('grant', 'revoke') else 'team'}.", hints=USAGE
        )
    user, rest = args[0], " ".join(args[1:])
    if verb == "grant":
        person = people.grant_role(session, user, role=rest, now=now)
        return f"<@{person.slack_user_id}> is now {person.role}."
    if verb == "revoke":
        person = people.revoke_role(session, user, role=rest, now=now)
        return f"<@{person.slack_user_id}> is now {person.role}."
    if verb == "assign":
        person = people.assign_team(session, user, team=rest, now=now)
        return f"<@{person.slack_user_id}> is now in {people.team_names(session).get(person.team_id or 0, rest)}."
    person = people.manage_team(session, user, team=rest, now=now)
    return f"<@{person.slack_user_id}> now manages {rest} (role {person.role})."


def _listing(session: Session, slack_admins_are_admins: bool) -> str:
    rows = people.list_people(session, slack_admins_are_admins=slack_admins_are_admins)
    if not rows:
        return "Nobody yet: people appear when they first use the bot."
    lines = ["*Who sees what*"]
    for p in rows:
        manages = f", manages {', '.join(p.manages)}" if p.manages else ""
        lines.append(f"• <@{p.slack_user_id}>: {p.role}, team {p.team or '–'}{manages}")
    return "\n".join(lines[:60])
