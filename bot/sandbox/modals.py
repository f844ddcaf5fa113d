"""Modals in the stand-in: input element limits, what Slack's client lets a person submit, and what
Slack does with the bot's answer to a view_submission (close, show field errors, update, clear).

- Limits (views.open/update/push answer invalid_arguments): plain_text_input max_length/min_length
  <= 3,000 (min <= max), radio_buttons <= 10 options, static_select <= 100, option text <= 75.
- The client does not submit a value longer than max_length or shorter than min_length.
- The ack body: empty -> the modal closes; {"response_action": "errors", "errors": {block_id: msg}}
  -> it stays open with the messages under the fields (unknown block ids are an error in Slack);
  "update" -> the view is replaced (and validated); "clear" -> every modal of the stack closes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.standin import SlackStandIn

MAX_INPUT_LENGTH = 3000
MAX_RADIO_OPTIONS = 10
MAX_SELECT_OPTIONS = 100
MAX_OPTION_TEXT = 75


def _err(message: str, pointer: str) -> str:
    return f"[ERROR] {message} [json-pointer:{pointer}]"


def check_input_element(element: dict[str, Any], pointer: str) -> list[str]:
    """Limits of one interactive element that only modals have (called by blockkit_limits)."""
    kind, errors = element.get("type"), []
    if kind == "plain_text_input":
        low, high = element.get("min_length", 0), element.get("max_length", MAX_INPUT_LENGTH)
        if not isinstance(high, int) or not 1 <= high <= MAX_INPUT_LENGTH:
            errors.append(_err(f"must be between 1 and {MAX_INPUT_LENGTH}", f"{pointer}/max_length"))
        if not isinstance(low, int) or not 0 <= low <= MAX_INPUT_LENGTH:
            errors.append(_err(f"must be between 0 and {MAX_INPUT_LENGTH}", f"{pointer}/min_length"))
        elif isinstance(high, int) and low > high:
            errors.append(_err("min_length must not be larger than max_length", f"{pointer}/min_length"))
    limit = {"radio_buttons": MAX_RADIO_OPTIONS, "static_select": MAX_SELECT_OPTIONS}.get(str(kind))
    options = element.get("options")
    if limit is not None and isinstance(options, list):
        if len(options) > limit:
            errors.append(_err(f"no more than {limit} items allowed", f"{pointer}/options"))
        for i, option in enumerate(options):
            text = (option.get("text") or {}).get("text", "") if isinstance(option, dict) else ""
            if len(text) > MAX_OPTION_TEXT:
                errors.append(_err(f"must be less than {MAX_OPTION_TEXT + 1} characters", f"{pointer}/options/{i}/text/text"))  # fmt: skip
    return errors


def check_input_values(view: dict[str, Any], state_values: dict[str, Any]) -> None:
    """Slack's client refuses to submit text outside an input's min/max length."""
    for block in view.get("blocks", []):
        element = block.get("element") or {}
        if block.get("type") != "input" or element.get("type") != "plain_text_input":
            continue
        value = ((state_values.get(block.get("block_id")) or {}).get(element.get("action_id")) or {}).get(
            "value"
        )
        if value is None:
            continue
        if len(value) > element.get("max_length", MAX_INPUT_LENGTH):
            raise ValueError(f"{block['block_id']!r} is longer than its max_length: Slack would not submit")
        if len(value) < element.get("min_length", 0):
            raise ValueError(f"{block['block_id']!r} is shorter than its min_length: Slack would not submit")


def state_for(view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """{block_id: value} -> view.state.values as Slack sends it, per element type of the modal. Inputs
    not given keep their initial option or value, as Slack's client sends them."""
    out: dict[str, Any] = {}
    for block in view.get("blocks", []):
        element, block_id = block.get("element") or {}, block.get("block_id")
        if block.get("type") != "input":
            continue
        if block_id not in values:
            if "initial_option" in element:
                out[block_id] = {
                    element["action_id"]: {
                        "type": element["type"],
                        "selected_option": element["initial_option"],
                    }
                }
            elif "initial_value" in element:
                out[block_id] = {
                    element["action_id"]: {"type": element["type"], "value": element["initial_value"]}
                }
            continue
        kind, value = element.get("type"), values[block_id]
        if kind in ("radio_buttons", "static_select"):
            option = next((o for o in element.get("options", []) if o["value"] == value), None)
            if option is None:
                raise ValueError(f"{block_id!r} has no option {value!r}")
            entry: dict[str, Any] = {"type": kind, "selected_option": option}
        else:
            entry = {"type": kind, "value": value}
        out[block_id] = {element["action_id"]: entry}
    return out


@dataclass
class ViewAck:
    """What the person sees after submitting: `closed`, or field `errors`, or the updated view."""

    view_id: str
    action: str  # close | errors | update | clear | push
    errors: dict[str, str] = field(default_factory=dict)
    view: dict[str, Any] | None = None


def apply_view_ack(
    standin: SlackStandIn, view: dict[str, Any], user_id: str, status: int, body: bytes
) -> ViewAck:
    """Do what Slack does with the bot's acknowledgement of a view_submission."""
    answer = json.loads(body) if body.strip() else {}
    action = answer.get("response_action", "close") if status == 200 else "error"
    ws, view_id = standin._ws, view["id"]  # noqa: SLF001 - the stand-in's own package
    with standin._lock:  # noqa: SLF001
        stack = ws.modal_stacks.get(user_id, [])
        if action == "errors":
            known = {b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"}
            if unknown := set(answer.get("errors", {})) - known:
                raise ValueError(f"response_action errors names blocks the modal lacks: {sorted(unknown)}")
            ack = ViewAck(view_id, action, errors=dict(answer["errors"]))
        elif action == "update":
            from bot.sandbox.blockkit_limits import validate_view

            if problems := validate_view(answer.get("view")):
                raise ValueError(f"Slack would reject the updated view: {problems}")
            ws.views[view_id] = {**ws.views[view_id], **answer["view"], "id": view_id}
            ack = ViewAck(view_id, action, view=ws.views[view_id])
        else:
            if action == "clear":
                stack.clear()
            elif view_id in stack:
                stack.remove(view_id)
            ack = ViewAck(view_id, action)
        view_acks(standin).append(ack)
    return ack


def view_acks(standin: SlackStandIn) -> list[ViewAck]:
    """Every view_submission acknowledgement the stand-in applied, oldest first."""
    return standin.__dict__.setdefault("_view_acks", [])
