"""Safe mrkdwn: customer text is escaped (no <!channel>, no mentions) and cut on a word."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def escape(text: str) -> str:
    """Slack's three control characters; also defuses `<!channel>`, `<@U123>` and links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def excerpt(text: str, limit: int = 480, max_lines: int = 6) -> str:
    """A clean, escaped quote of customer text: folded spaces, few lines, cut on a word."""
    clean = _BLANK_LINES.sub("\n", _SPACES.sub(" ", text.replace("\r", ""))).strip()
    lines = clean.split("\n")
    if len(lines) > max_lines:
        clean = " ".join(lines[:max_lines]) + " …"
    clean = truncate_words(clean, limit)
    return "\n".join("> " + escape(line) for line in clean.split("\n")) if clean else "> _(no comment)_"


def plain(text: str, limit: int) -> str:
    """Escaped, single-line, cut: for names and labels from imported data."""
    return escape(truncate_words(_SPACES.sub(" ", text.replace("\n", " ")).strip(), limit))
