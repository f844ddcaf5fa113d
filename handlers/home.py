"""App Home: opened -> publish the person's dashboard."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.pulse import home_pulse
from bot.services.home import home_for
from bot.slack.blocks.home import build_home_view
from bot.slack.blocks.pulse import build_pulse_home_blocks
from bot.slack.listeners import with_deps


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(ack=ack_event, lazy=[with_deps(handle_app_home_opened, deps)])


def ack_event(ack: Ack) -> None:
    ack()


def handle_app_home_opened(event: dict, client: WebClient, *, deps: Deps) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(deps, client, event["user"])


def publish_home(deps: Deps, client: WebClient, user_id: str) -> None:
    with session_scope(deps.factory) as session:
        view = build_home_view(home_for(session, user_id=user_id, now=deps.clock.now()))
        if deps.settings.SYMMETRY_EMPLOYEE_FEATURES and deps.settings.SYMMETRY_SECRET_KEY is not None:
            pulse = home_pulse(session, secret=deps.settings.require_secret(), user_id=user_id,
                               now=deps.clock.now(), default_tz=deps.settings.timezone)  # fmt: skip
            view["blocks"] = (build_pulse_home_blocks(pulse) + view["blocks"])[:100]
    client.views_publish(user_id=user_id, view=view)
