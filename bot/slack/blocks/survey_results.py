"""Block Kit for a closed round: the managers' results (with one-click acknowledgements) and the
team channel's short version. Built from the figures fixed at close (JSON on the round)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.text import escape, truncate_words

ACK_ACTION = "survey_ack"
REPLY_LABEL = "💬 Reply to everyone surveyed…"  # opens a modal (handlers/survey_replies.py)
ACK_LABELS = {"seen": "👀 Seen", "thanks": "🙏 Thank you", "act": "🛠 We'll act", "cant": "✋ Can't act"}
FIGURES = (
    ("enps", "eNPS", "{:+.0f}", 200),
    ("quality", "Service quality", "{:.1f}/10", 10),
    ("predicted_nps", "Predicted customer NPS", "{:+.0f}", 200),
    ("driver", "Driver", "{:.1f}/5", 4),
)
COMMENTS_PER_MESSAGE = 40


def participation(results: dict[str, Any]) -> str:
    n, total, k = results["answered"], results["invited"], results["k"]
    if not results["shown"]:
        return f"*Participation:* fewer than {k} of {total} answered: results hidden to protect anonymity"
    pct = round(100 * n / total) if total else 0
    prev = results.get("previous")
    change = ""
    if prev and prev.get("invited"):
        before = round(100 * prev["answered"] / prev["invited"])
        change = f" ({pct - before:+d} pts vs round {prev['round']})"
    return f"*Participation:* {n} of {total} answered ({pct}%){change}"


def _figure_line(results: dict[str, Any], key: str, label: str, fmt: str, driver_label: str) -> str:
    fig = (results.get("figures") or {}).get(key)
    name = f"{label} ({driver_label})" if key == "driver" else label
    if fig is None:
        return f"*{name}:* hidden (fewer than {results['k']} answers)"
    text = f"*{name}:* {fmt.format(fig['value'])} (n={fig['n']})"
    prev = ((results.get("previous") or {}).get("figures") or {}).get(key)
    same_driver = key != "driver" or (results.get("previous") or {}).get("driver_key") == results.get(
        "driver_key"
    )
    if prev and same_driver:
        text += f", {fig['value'] - prev['value']:+.1f} vs last round"
    return text


def _bar(value: float, scale: float, offset: float = 0.0, width: int = 20) -> str:
    filled = max(0, min(width, round((value + offset) / scale * width)))
    return "█" * filled + "░" * (width - filled)


def chart(results: dict[str, Any]) -> str:
    """A text chart (every client shows it): each figure on its own scale, last round's beside it."""
    lines = []
    prev = (results.get("previous") or {}).get("figures") or {}
    for key, label, _fmt, scale in FIGURES:
        fig = (results.get("figures") or {}).get(key)
        if fig is None:
            continue
        offset = 100 if scale == 200 else (-1 if key == "driver" else 0)
        lines.append(f"{label[:22]:<22} {_bar(fig['value'], scale, offset)} {fig['value']:.1f}")
        if key in prev and prev[key]:
            lines.append(
                f"{'  last round':<22} {_bar(prev[key]['value'], scale, offset)} {prev[key]['value']:.1f}"
            )
    return "```\n" + "\n".join(lines) + "\n```" if lines else ""


def build_results(
    results: dict[str, Any],
    *,
    team: str,
    driver_label: str,
    comments: list[tuple[int, str, str | None]],
    reason_label: Callable[[str], str],
    symmetry_line: str | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """The managers' message; `comments` (id, text, ack) are shown only when results are shown."""
    title = f"Survey results, {team}, round {results['round']} ({results['opens_on']})"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate_words(title, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": participation(results)}},
    ]
    if results["shown"]:
        lines = [_figure_line(results, key, label, fmt, driver_label) for key, label, fmt, _ in FIGURES]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
        if art := chart(results):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": art}})
        if results.get("reasons"):
            top = ", ".join(f"{reason_label(k)} ({n})" for k, n in results["reasons"][:5])
            blocks.append(_context(f"What the team thinks customers complain about most: {top}"))
        if symmetry_line:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": symmetry_line}})
        blocks += comment_blocks(comments[:COMMENTS_PER_MESSAGE], total=len(comments))
    text = f"{title}. " + participation(results).replace("*", "")
    return blocks[:50], text


def comment_blocks(comments: list[tuple[int, str, str | None]], *, total: int) -> list[dict[str, Any]]:
    if not comments:
        return []
    more = f" (first {len(comments)} here, the rest in the thread)" if total > len(comments) else ""
    blocks: list[dict[str, Any]] = [
        _context(f"*Comments*, in random order{more}. Acknowledge each in one click:")
    ]
    return blocks + [comment_block(cid, text, ack) for cid, text, ack in comments]


def comment_block(comment_id: int, text: str, ack: str | None) -> dict[str, Any]:
    quote = "> " + escape(truncate_words(" ".join(text.split()), 600))
    if ack:
        quote += f"\n_{ACK_LABELS[ack]}_"
    options = [
        {"text": {"type": "plain_text", "text": label}, "value": f"{comment_id}:{key}"}
        for key, label in ACK_LABELS.items()
    ]
    reply = {"text": {"type": "plain_text", "text": REPLY_LABEL}, "value": f"{comment_id}:reply"}
    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": ACK_ACTION,
        "placeholder": {"type": "plain_text", "text": "Acknowledge"},
        "options": [*options, reply],
    }
    if ack:
        select["initial_option"] = next(o for o in options if str(o["value"]).endswith(f":{ack}"))
    return {
        "type": "section",
        "block_id": f"comment_{comment_id}",
        "text": {"type": "mrkdwn", "text": quote},
        "accessory": select,
    }


def build_team_results(
    results: dict[str, Any], *, team: str, comments: int
) -> tuple[list[dict[str, Any]], str]:
    """The team channel's short version: participation and the headline figures, no comments."""
    lines = [participation(results)]
    if results["shown"]:
        for key, label, fmt, _ in FIGURES[:3]:
            fig = (results.get("figures") or {}).get(key)
            if fig is not None:
                lines.append(f"*{label}:* {fmt.format(fig['value'])}")
        if comments:
            lines.append(
                f"Your managers have {comments} comments to answer; their replies open next round's survey."
            )
    title = f"This week's survey, round {results['round']}: thank you!"
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*\n" + "\n".join(lines)}}]
    return blocks, f"{title} " + " · ".join(line.replace("*", "") for line in lines)


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
