"""App Home: opened -> publish the person's dashboard (and, for admins, the survey rounds)."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.pulse import home_pulse
from bot.services.employees.survey_home import survey_home
from bot.services.home import home_for
from bot.services.people.roles import effective_role, find_person
from bot.slack.blocks.home import build_home_view
from bot.slack.blocks.pulse import build_pulse_home_blocks
from bot.slack.blocks.survey_home import build_survey_home_blocks
from bot.slack.listeners import with_deps
from models.person import Role


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(ack=ack_event, lazy=[with_deps(handle_app_home_opened, deps)])


def ack_event(ack: Ack) -> None:
    ack()


def handle_app_home_opened(event: dict, client: WebClient, *, deps: Deps) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(deps, client, event["user"])


def publish_home(
    deps: Deps, client: WebClient, user_id: str, *, note: str | None = None,
    status: tuple[int, list[str]] | None = None,
) -> None:  # fmt: skip
    """`note` (what a click did) and `status` (a team's status lines) only show in an admin's survey section;
    a non-admin's `note` goes above their dashboard."""
    with session_scope(deps.factory) as session:
        view = build_home_view(home_for(session, user_id=user_id, now=deps.clock.now()))
        settings = deps.settings
        if settings.SYMMETRY_EMPLOYEE_FEATURES and settings.SYMMETRY_SECRET_KEY is not None:
            pulse = home_pulse(session, secret=settings.require_secret(), user_id=user_id,
                               now=deps.clock.now(), default_tz=settings.timezone)  # fmt: skip
            view["blocks"] = build_pulse_home_blocks(pulse) + view["blocks"]
        admin = effective_role(
            find_person(session, user_id), slack_admins_are_admins=settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS
        )
        if admin is Role.ADMIN and settings.SYMMETRY_EMPLOYEE_FEATURES:
            rounds = build_survey_home_blocks(survey_home(session), note=note, status=status)
            view["blocks"] = view["blocks"][: 100 - len(rounds)] + rounds  # the rounds stay whole
        elif note:
            view["blocks"] = [{"type": "section", "text": {"type": "mrkdwn", "text": note}}, *view["blocks"]][
                :100
            ]
    client.views_publish(user_id=user_id, view=view)
