"""The admins' survey buttons in the App Home: Open a round now, Close round now, Status.

They call what `/symmetry survey open|close|status` calls (handlers/survey_admin.py), then redraw the
clicker's Home (views.publish) with a line saying what happened. A click from someone who is not an
admin (the section is never shown to them, so it is forged or stale) changes nothing and redraws
their own Home with a note saying so.
"""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.errors import NotAllowed, NotFound
from bot.services.employees import survey_admin
from bot.services.people.roles import require_admin
from bot.slack.errors import user_message
from bot.slack.ids import SurveyHomeAction
from bot.slack.listeners import with_deps
from handlers.home import publish_home
from handlers.survey_admin import close_round_now, open_round_now
from models.team import Team

NOT_ADMIN = "Only admins can open, close or check survey rounds: your click changed nothing."


def register(app: App, deps: Deps) -> None:
    for action in SurveyHomeAction:
        app.action(action.value)(ack=ack_action, lazy=[with_deps(handle_survey_home_action, deps)])


def ack_action(ack: Ack) -> None:
    ack()


def handle_survey_home_action(body: dict, client: WebClient, *, deps: Deps) -> None:
    user, action = body["user"]["id"], body["actions"][0]
    try:
        team_id, team = _team(deps, user, action.get("value", ""))
        note, status = None, None
        if action["action_id"] == SurveyHomeAction.OPEN:  # the DMs go at Slack's pace: say so at once
            publish_home(deps, client, user, note=f"{team}: opening a round, sending the survey DMs…")
            note = open_round_now(deps, team)
        elif action["action_id"] == SurveyHomeAction.CLOSE:
            note = close_round_now(deps, team)
        else:
            status = (team_id, _status(deps, team))
    except NotAllowed:
        note, status = NOT_ADMIN, None
    except Exception as error:  # noqa: BLE001 - said in the Home, where the click was
        note, status = user_message(error), None
    publish_home(deps, client, user, note=note, status=status)


def _team(deps: Deps, user: str, value: str) -> tuple[int, str]:
    """The admin check first (a forged click learns nothing, not even whether the team exists)."""
    with session_scope(deps.factory) as session:
        require_admin(session, user, slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS)
        team = session.get(Team, int(value)) if value.isdigit() else None
        if team is None:
            raise NotFound("That team no longer exists.")
        return int(value), team.name


def _status(deps: Deps, team: str) -> list[str]:
    with session_scope(deps.factory) as session:
        return survey_admin.status_lines(session, team=team)
