"""Block Kit and mrkdwn as readable terminal text: what a person would see in the channel."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.standin import SlackStandIn

_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_EMPHASIS = [
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])"), "\033[1m", "\033[22m"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)_(?![\w_])"), "\033[3m", "\033[23m"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)~(?![\w~])"), "\033[9m", "\033[29m"),
]
_SPECIAL = {"!here": "@here", "!channel": "@channel", "!everyone": "@everyone"}


def _link(target: str, label: str | None, users: Mapping[str, str]) -> str:
    if target.startswith("@"):
        return "@" + (users.get(target[1:]) or label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        return _SPECIAL.get(target, label or target[1:])
    url = target.removeprefix("mailto:")
    return f"{label} ({url})" if label and label != url else url


def mrkdwn_to_text(text: str, *, users: Mapping[str, str] | None = None, ansi: bool = False) -> str:
    """*bold*, _italic_, ~strike~, <url|label>, <@U123>, <#C1|name>, <!here>, &lt;&gt;&amp;."""
    links: list[str] = []

    def keep(match: re.Match[str]) -> str:
        links.append(_link(match.group(1), match.group(2), users or {}))
        return f"\x00{len(links) - 1}\x00"

    result = _LINK.sub(keep, text)
    for pattern, start, end in _EMPHASIS:
        result = pattern.sub(rf"{start}\1{end}" if ansi else r"\1", result)
    result = re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], result)
    return result.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: Any, users: Mapping[str, str], ansi: bool) -> str:
    if not isinstance(obj, dict):
        return ""
    text = str(obj.get("text", ""))
    return mrkdwn_to_text(text, users=users, ansi=ansi) if obj.get("type") == "mrkdwn" else text


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        hanging = "> " if paragraph.startswith("> ") else "  " if paragraph[:2] in ("• ", "- ") else ""
        lines += textwrap.wrap(
            paragraph, width=max(width, 20), replace_whitespace=False, subsequent_indent=hanging
        ) or [""]
    return lines


def _element(element: Any, users: Mapping[str, str], ansi: bool) -> str:
    if not isinstance(element, dict):
        return ""
    kind = element.get("type", "")
    if kind == "button":
        return f"[ {_text(element.get('text'), users, ansi)} ]"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind == "overflow":
        return "[ ⋯ ]"
    if kind in ("plain_text", "mrkdwn"):
        return _text(element, users, ansi)
    placeholder = _text(element.get("placeholder"), users, ansi) or kind.replace("_", " ")
    return f"[ {placeholder} ▾ ]" if "select" in kind else f"[ {placeholder} ]"


def _rich_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "link":
            return str(node.get("text") or node.get("url", ""))
        if node.get("type") == "user":
            return f"@{node.get('user_id', '')}"
        return str(node.get("text", "")) + "".join(_rich_text(child) for child in node.get("elements", []))
    return ""


def _section(block: dict[str, Any], width: int, users: Mapping[str, str], ansi: bool) -> list[str]:
    lines = _wrap(_text(block.get("text"), users, ansi), width) if "text" in block else []
    fields = [_text(field, users, ansi) for field in block.get("fields", [])]
    column = (width - 2) // 2
    for left, right in zip(fields[::2], [*fields[1::2], ""], strict=False):
        left_lines, right_lines = _wrap(left, column), _wrap(right, column) if right else []
        for index in range(max(len(left_lines), len(right_lines))):
            cell = left_lines[index] if index < len(left_lines) else ""
            other = right_lines[index] if index < len(right_lines) else ""
            lines.append(f"{cell:<{column}}  {other}".rstrip())
    if accessory := block.get("accessory"):
        lines.append(_element(accessory, users, ansi))
    return lines


def _block(block: dict[str, Any], width: int, users: Mapping[str, str], ansi: bool) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"), users, ansi)
        return [f"\033[1m{title}\033[22m" if ansi else title, "=" * min(len(title), width)]
    if kind == "section":
        return _section(block, width, users, ansi)
    if kind == "divider":
        return ["─" * width]
    if kind == "context":
        return _wrap(" · ".join(_element(e, users, ansi) for e in block.get("elements", [])), width)
    if kind == "actions":
        return _wrap("  ".join(_element(e, users, ansi) for e in block.get("elements", [])), width)
    if kind == "image":
        title = _text(block.get("title"), users, ansi)
        return [f"[image: {block.get('alt_text', '')}]" + (f" {title}" if title else "")]
    if kind == "input":
        return [f"{_text(block.get('label'), users, ansi)}: {_element(block.get('element'), users, ansi)}"]
    if kind == "markdown":
        return _wrap(mrkdwn_to_text(str(block.get("text", "")), users=users, ansi=ansi), width)
    if kind == "rich_text":
        return _wrap("".join(_rich_text(e) for e in block.get("elements", [])), width)
    return [f"[{kind} block]"]


def render_message(
    message: Mapping[str, Any],
    *,
    width: int = 100,
    users: Mapping[str, str] | None = None,
    ansi: bool = False,
) -> str:
    """The message body as a person reads it: blocks if any (else the `text`), then shared files.
    `users` maps user ids to names for <@U123> mentions; `ansi` keeps bold/italic as terminal styles."""
    names = users or {}
    blocks = message.get("blocks") or []
    lines: list[str] = []
    for block in blocks:
        lines += _block(block, width, names, ansi)
    if not blocks and message.get("text"):
        lines += _wrap(mrkdwn_to_text(str(message["text"]), users=names, ansi=ansi), width)
    for shared in message.get("files", []):
        lines.append(
            f"[file] {shared.get('title') or shared.get('name')} ({shared.get('name')}, "
            f"{shared.get('size', 0)} bytes)"
        )
    return "\n".join(lines)


def _stamp(ts: str) -> str:
    return datetime.fromtimestamp(float(ts), tz=UTC).strftime("%H:%M:%S")


def _entry(
    message: Mapping[str, Any], indent: str, width: int, users: Mapping[str, str], bot_user_id: str
) -> list[str]:
    author = message.get("author") or message.get("user", "")
    name = users.get(author, author) + (" [APP]" if author == bot_user_id else "")
    heading = f"{indent}{name}  {_stamp(message['ts'])}"
    if message.get("is_ephemeral"):
        heading += f"  (only visible to @{users.get(message['user'], message['user'])})"
    if message.get("edited"):
        heading += "  (edited)"
    body = render_message(message, width=width - len(indent) - 2, users=users)
    return [heading, *(f"{indent}  {line}" if line else "" for line in body.split("\n"))]


def render_channel(
    standin: SlackStandIn, channel: str, *, width: int = 100, include_ephemeral: bool = True
) -> str:
    """Every message of `channel` with its thread replies and files, plus (by default) the
    ephemeral messages users saw there, in time order."""
    users = standin.user_names()
    entries: list[Mapping[str, Any]] = [*standin.messages(channel)]
    if include_ephemeral:
        entries += standin.ephemerals(channel=channel)
    entries.sort(key=lambda m: float(m["ts"]))
    channel_id = entries[0]["channel"] if entries else channel
    lines = [f"#{standin.channel_name(channel_id)}", "─" * width]
    for message in entries:
        lines += _entry(message, "", width, users, standin.bot_user_id)
        replies = message.get("replies", [])
        if replies:
            lines.append(f"  ↳ {len(replies)} repl{'y' if len(replies) == 1 else 'ies'}")
        for reply in replies:
            lines += _entry(reply, "    ", width, users, standin.bot_user_id)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
