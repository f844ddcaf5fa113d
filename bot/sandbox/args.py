"""Reading Web API arguments the way Slack does: form strings and JSON values alike."""

from __future__ import annotations

import copy
import json
import secrets
import string
from typing import Any
from urllib.parse import parse_qs

from bot.sandbox.blockkit_limits import MAX_MESSAGE_TEXT, validate_message_blocks
from bot.sandbox.state import ApiError

Args = dict[str, Any]


def parse_request_args(content_type: str, body: bytes, query: str = "") -> Args:
    """Arguments of a Web API call: query string plus a form or JSON body (what slack_sdk sends)."""
    args: Args = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if not body:
        return args
    if "application/json" in content_type:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ApiError("invalid_json") from exc
        if not isinstance(data, dict):
            raise ApiError("invalid_json")
        args.update(data)
    else:
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError as exc:
            raise ApiError("invalid_form_data") from exc
        args.update({k: v[-1] for k, v in form.items()})
    return args


def text_arg(args: Args, name: str) -> str | None:
    """A string argument; "" counts as absent, as in Slack's form handling."""
    value = args.get(name)
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def require(args: Args, name: str, error: str) -> str:
    value = text_arg(args, name)
    if value is None:
        raise ApiError(error)
    return value


def bool_arg(args: Args, name: str, default: bool = False) -> bool:
    value = args.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes")


def json_arg(args: Args, name: str, error: str) -> Any:
    """A JSON argument: a list/dict (JSON body) or a JSON-encoded string (form body)."""
    value = args.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ApiError(error) from exc
    return value


def _short_id(length: int = 5) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


_INTERACTIVE = frozenset(
    {
        "button",
        "overflow",
        "checkboxes",
        "radio_buttons",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
    }
)


def _is_interactive(kind: Any) -> bool:
    return isinstance(kind, str) and (kind in _INTERACTIVE or kind.endswith("_select"))


def with_generated_ids(blocks: list[Any]) -> list[Any]:
    """Slack fills in a random `block_id` (and button `action_id`) where the app gave none."""
    result = copy.deepcopy(blocks)
    for block in result:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", _short_id())
        elements = block.get("elements", []) if block.get("type") == "actions" else []
        for element in [*elements, block.get("accessory"), block.get("element")]:
            if isinstance(element, dict) and _is_interactive(element.get("type")):
                element.setdefault("action_id", _short_id())
    return result


def message_content(args: Args, *, required: bool = True) -> tuple[str | None, list[Any] | None, Any]:
    """(text, blocks, attachments) of a message, limits enforced; text above 40,000 is cut."""
    blocks = json_arg(args, "blocks", "invalid_blocks_format")
    if blocks is not None:
        if not isinstance(blocks, list):
            raise ApiError("invalid_blocks_format")
        if errors := validate_message_blocks(blocks):
            raise ApiError("invalid_blocks", messages=errors)
        blocks = with_generated_ids(blocks)
    attachments = json_arg(args, "attachments", "invalid_attachments")
    text = text_arg(args, "text")
    if required and text is None and not blocks and not attachments:
        raise ApiError("no_text")
    if text is not None and len(text) > MAX_MESSAGE_TEXT:
        text = text[:MAX_MESSAGE_TEXT]
    return text, blocks, attachments
