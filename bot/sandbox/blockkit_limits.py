"""Block Kit limits, enforced the way Slack's Web API enforces them: reject, never truncate.

Each problem is reported like Slack reports it in `response_metadata.messages`:
``"[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"``.
Messages answer `invalid_blocks`; views answer `invalid_arguments` (or `view_too_large`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ID_LENGTH = 255
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_MODAL_TITLE = 24
MAX_MODAL_BUTTON_TEXT = 24
MAX_PRIVATE_METADATA = 3000
MAX_VIEW_JSON_BYTES = 250_000
MAX_MESSAGE_TEXT = 40_000
MAX_IMAGE_ALT_TEXT = 2000
MAX_INPUT_LABEL = 2000

KNOWN_BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)


def _error(message: str, pointer: str) -> str:
    return f"[ERROR] {message} [json-pointer:{pointer}]"


def _too_long(limit: int, pointer: str) -> str:
    return _error(f"must be less than {limit + 1} characters", pointer)


def _check_text(obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> list[str]:
    """A text object (`{"type": "plain_text"|"mrkdwn", "text": ...}`) within `limit` characters."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return [_error("must be a text object with a text string", pointer)]
    errors: list[str] = []
    if obj.get("type") not in ("plain_text", "mrkdwn") or (plain_only and obj["type"] != "plain_text"):
        expected = "plain_text" if plain_only else "plain_text or mrkdwn"
        errors.append(_error(f"must be {expected}", f"{pointer}/type"))
    text = obj["text"]
    if not text:
        errors.append(_error("must be more than 0 characters", f"{pointer}/text"))
    elif len(text) > limit:
        errors.append(_too_long(limit, f"{pointer}/text"))
    return errors


def _check_max_items(items: Any, limit: int, pointer: str) -> list[str]:
    if not isinstance(items, list):
        return [_error("must be an array", pointer)]
    return [_error(f"no more than {limit} items allowed", pointer)] if len(items) > limit else []


def _walk_elements(node: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every interactive element (a dict with `action_id` or a `button`) below a block."""
    if isinstance(node, dict):
        if node.get("type") == "button" or "action_id" in node:
            yield node, pointer
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _walk_elements(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk_elements(item, f"{pointer}/{index}")


def _check_element(element: dict[str, Any], pointer: str) -> list[str]:
    errors: list[str] = []
    action_id = element.get("action_id")
    if isinstance(action_id, str) and len(action_id) > MAX_ID_LENGTH:
        errors.append(_too_long(MAX_ID_LENGTH, f"{pointer}/action_id"))
    if element.get("type") == "button":
        errors += _check_text(element.get("text"), f"{pointer}/text", MAX_BUTTON_TEXT, plain_only=True)
        value = element.get("value")
        if isinstance(value, str) and len(value) > MAX_BUTTON_VALUE:
            errors.append(_too_long(MAX_BUTTON_VALUE, f"{pointer}/value"))
    from bot.sandbox.modals import check_input_element

    return errors + check_input_element(element, pointer)


def _check_section(block: dict[str, Any], pointer: str) -> list[str]:
    if "text" not in block and "fields" not in block:
        return [_error("must provide either text or fields", pointer)]
    errors: list[str] = []
    if "text" in block:
        errors += _check_text(block["text"], f"{pointer}/text", MAX_SECTION_TEXT)
    if "fields" in block:
        fields = block["fields"]
        errors += _check_max_items(fields, MAX_SECTION_FIELDS, f"{pointer}/fields")
        for index, field in enumerate(fields if isinstance(fields, list) else []):
            errors += _check_text(field, f"{pointer}/fields/{index}", MAX_FIELD_TEXT)
    return errors


def _check_block(block: Any, pointer: str) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in KNOWN_BLOCK_TYPES:
        return [_error("failed to match all allowed schemas", pointer)]
    kind = block["type"]
    errors: list[str] = []
    block_id = block.get("block_id")
    if isinstance(block_id, str) and len(block_id) > MAX_ID_LENGTH:
        errors.append(_too_long(MAX_ID_LENGTH, f"{pointer}/block_id"))
    if kind == "section":
        errors += _check_section(block, pointer)
    elif kind == "header":
        errors += _check_text(block.get("text"), f"{pointer}/text", MAX_HEADER_TEXT, plain_only=True)
    elif kind == "context":
        errors += _check_max_items(block.get("elements"), MAX_CONTEXT_ELEMENTS, f"{pointer}/elements")
    elif kind == "actions":
        errors += _check_max_items(block.get("elements"), MAX_ACTIONS_ELEMENTS, f"{pointer}/elements")
    elif kind == "image":
        alt = block.get("alt_text")
        if not isinstance(alt, str) or not alt:
            errors.append(_error("must be more than 0 characters", f"{pointer}/alt_text"))
        elif len(alt) > MAX_IMAGE_ALT_TEXT:
            errors.append(_too_long(MAX_IMAGE_ALT_TEXT, f"{pointer}/alt_text"))
    elif kind == "input":
        errors += _check_text(block.get("label"), f"{pointer}/label", MAX_INPUT_LABEL, plain_only=True)
        if not isinstance(block.get("element"), dict):
            errors.append(_error("missing required field: element", pointer))
    for element, element_pointer in _walk_elements(
        {k: v for k, v in block.items() if k not in ("text", "fields", "label")}, pointer
    ):
        errors += _check_element(element, element_pointer)
    return errors


def _check_unique_ids(blocks: list[Any], pointer: str) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if isinstance(block_id, str):
            if block_id in seen:
                errors.append(_error(f"duplicate block_id: {block_id}", f"{pointer}/{index}/block_id"))
            seen.add(block_id)
    return errors


def validate_blocks(blocks: Any, *, max_blocks: int, pointer: str = "/blocks") -> list[str]:
    """All limit violations of a list of blocks, as Slack words them (empty list: valid)."""
    errors = _check_max_items(blocks, max_blocks, pointer)
    if not isinstance(blocks, list):
        return errors
    for index, block in enumerate(blocks):
        errors += _check_block(block, f"{pointer}/{index}")
    return errors + _check_unique_ids(blocks, pointer)


def validate_message_blocks(blocks: Any) -> list[str]:
    """Limits of a message's `blocks` (chat.postMessage, chat.update, chat.postEphemeral, response_url)."""
    return validate_blocks(blocks, max_blocks=MAX_MESSAGE_BLOCKS)


def view_json_size(view: dict[str, Any]) -> int:
    return len(json.dumps(view, ensure_ascii=False).encode("utf-8"))


def validate_view(view: Any) -> list[str]:
    """Limits of a modal or Home tab view (views.open/push/update/publish), pointers under /view."""
    if not isinstance(view, dict):
        return [_error("must be a view object", "/view")]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [_error("must be one of modal, home", "/view/type")]
    errors = validate_blocks(view.get("blocks", []), max_blocks=MAX_VIEW_BLOCKS, pointer="/view/blocks")
    metadata = view.get("private_metadata")
    if isinstance(metadata, str) and len(metadata) > MAX_PRIVATE_METADATA:
        errors.append(_too_long(MAX_PRIVATE_METADATA, "/view/private_metadata"))
    for key in ("callback_id", "external_id"):
        value = view.get(key)
        if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
            errors.append(_too_long(MAX_ID_LENGTH, f"/view/{key}"))
    if kind == "modal":
        if "title" not in view:
            errors.append(_error("missing required field: title", "/view"))
        else:
            errors += _check_text(view["title"], "/view/title", MAX_MODAL_TITLE, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                errors += _check_text(view[key], f"/view/{key}", MAX_MODAL_BUTTON_TEXT, plain_only=True)
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks", []))
        if has_input and "submit" not in view:
            errors.append(_error("submit is required when an input block is used", "/view"))
    return errors
