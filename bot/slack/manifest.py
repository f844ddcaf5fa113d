"""The Slack app manifest: everything the admin pastes to create the app in one go."""

from __future__ import annotations

import yaml

from bot.slack.commands import COMMANDS

BOT_SCOPES = [
    "app_mentions:read",
    "channels:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "groups:read",  # conversations.members of a private team channel (survey members)
    "channels:history",  # after a crash: the digest page or survey results Slack may have taken
    "groups:history",
    "im:history",  # finding a survey DM Slack took before a crash
    "im:write",
    "users:read",
    "users:read.email",  # `symmetry ask --as someone@example.com` finds the person in Slack
]
BOT_EVENTS = ["app_home_opened", "app_mention"]
EMPLOYEE_SCOPES = ("groups:read", "im:history")  # the weekly survey's only


def build_manifest(
    *, base_url: str | None, socket_mode: bool, name: str = "Symmetry", employee_features: bool = True
) -> dict:
    """With `employee_features` False (SYMMETRY_EMPLOYEE_FEATURES=false), the employee commands (/pulse,
    /bestfailure, /suggest, /enps) and the survey's scopes are left out: Slack's picker offers nothing
    the workspace turned off (the bot still answers them with a note, for an app made from an
    earlier manifest). Turning the features on later: paste the new manifest, Slack asks to reinstall."""
    events_url = f"{base_url.rstrip('/')}/slack/events" if base_url else None
    commands = []
    for c in COMMANDS:
        if c.employee and not employee_features:
            continue
        entry = {
            "command": c.command,
            "description": c.description,
            "usage_hint": c.usage_hint,
            "should_escape": False,
        }
        if events_url and not socket_mode:
            entry["url"] = events_url
        commands.append(entry)
    settings: dict = {
        "event_subscriptions": {"bot_events": BOT_EVENTS},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    if events_url and not socket_mode:
        settings["event_subscriptions"]["request_url"] = events_url
        settings["interactivity"]["request_url"] = events_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "Customer verbatims and employee voice, side by side.",
            "background_color": "#2c2d30",
            "long_description": (
                "Symmetry posts a daily digest of customer survey comments to each team, most urgent first, "
                "so agents can claim and close them from Slack; managers ask /nps and /csat for exact answers."
            ),
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {
            "scopes": {"bot": [s for s in BOT_SCOPES if employee_features or s not in EMPLOYEE_SCOPES]}
        },
        "settings": settings,
    }


def to_yaml(manifest: dict) -> str:
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
