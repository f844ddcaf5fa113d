"""Slack-shaped request payloads (slash commands, block_actions, view_submission, Events API).

Shapes follow bolt-python's scenario tests and Slack's own payload samples. A payload a real user
could not produce (clicking a button the message does not have, submitting a modal without a
required input) raises ValueError: such a test would prove nothing.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
from typing import Any

from bot.sandbox.modals import check_input_values

ELEMENT_CONTAINERS = ("elements", "accessory", "element")
HELPER_KEYS = ("channel", "replies", "is_ephemeral", "author", "source")


def action_ts() -> str:
    return f"{time.time():.6f}"


def new_event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


def _elements(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ELEMENT_CONTAINERS:
        value = block.get(key)
        for element in value if isinstance(value, list) else [value]:
            if isinstance(element, dict) and "action_id" in element:
                yield element


def find_element(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None = None
) -> tuple[str, dict[str, Any]]:
    """(block_id, element) of the interactive element a user can act on, else ValueError."""
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        for element in _elements(block):
            if element["action_id"] == action_id:
                return block.get("block_id", ""), element
    where = f" in block {block_id!r}" if block_id else ""
    raise ValueError(f"no element with action_id {action_id!r}{where}: a user could not click it")


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    options: list[dict[str, Any]] = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options += group.get("options", [])
    for option in options:
        if option.get("value") == value:
            return option
    raise ValueError(f"{element['type']} {element['action_id']!r} has no option with value {value!r}")


def action_for(element: dict[str, Any], block_id: str, value: Any) -> dict[str, Any]:
    """The `actions[0]` Slack sends when a user uses `element` (a button click, a selection...)."""
    kind = element.get("type")
    action: dict[str, Any] = {
        "action_id": element["action_id"],
        "block_id": block_id,
        "type": kind,
        "action_ts": action_ts(),
    }
    if kind == "button":
        if value is not None and value != element.get("value"):
            raise ValueError(
                f"button {element['action_id']!r} carries {element.get('value')!r}, not {value!r}"
            )
        action["text"] = element["text"]
        if "value" in element:
            action["value"] = element["value"]
        if "style" in element:
            action["style"] = element["style"]
    elif kind in ("static_select", "overflow", "radio_buttons"):
        action["selected_option"] = _option(element, value)
    elif kind == "checkboxes":
        action["selected_options"] = [_option(element, v) for v in value]
    elif kind == "users_select":
        action["selected_user"] = value
    elif kind in ("conversations_select", "channels_select"):
        action["selected_conversation" if kind == "conversations_select" else "selected_channel"] = value
    elif kind == "datepicker":
        action["selected_date"] = value
    else:
        action["value"] = value
    return action


def slack_message(message: dict[str, Any]) -> dict[str, Any]:
    """The message as Slack embeds it in a payload (the stand-in's helper keys removed)."""
    return {k: v for k, v in message.items() if k not in HELPER_KEYS}


def user_json(user_id: str, user_name: str, team_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def team_json(team_id: str) -> dict[str, Any]:
    return {"id": team_id, "domain": "symmetry-sandbox"}


def check_submission(view: dict[str, Any], state_values: dict[str, Any]) -> None:
    """Values only for elements the modal has, every required input filled, as Slack's client does."""
    action_ids = {
        b["block_id"]: {e["action_id"] for e in _elements(b)}
        for b in view.get("blocks", [])
        if "block_id" in b
    }
    for block_id, actions in state_values.items():
        if block_id not in action_ids:
            raise ValueError(f"the modal has no block {block_id!r} with an input")
        if unknown := set(actions) - action_ids[block_id]:
            raise ValueError(f"block {block_id!r} has no element {sorted(unknown)}")
    for block in view.get("blocks", []):
        if block.get("type") == "input" and not block.get("optional", False):
            if block.get("block_id") not in state_values:
                raise ValueError(f"required input {block.get('block_id')!r} is empty: Slack would not submit")
    check_input_values(view, state_values)


def event_callback(
    event: dict[str, Any], *, team_id: str, api_app_id: str, bot_user_id: str, token: str, event_id: str
) -> dict[str, Any]:
    event = {**event, "event_ts": event.get("event_ts") or event.get("ts") or action_ts()}
    return {
        "token": token,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + uuid.uuid4().hex,
    }
