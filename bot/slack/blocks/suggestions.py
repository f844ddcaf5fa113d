"""Block Kit for /suggest: the form, the managers' card, the reply / close / answer modals, the DM."""

from __future__ import annotations

import json

from bot.services.employees.suggestions import status_words
from bot.slack.text import escape, excerpt, truncate_words
from models.suggestion import Suggestion

SUBMIT, REPLY, CLOSE, ANSWER = (
    "suggest_submit",
    "suggest_reply_submit",
    "suggest_close_submit",
    "suggest_answer_submit",
)
ACT_REPLY, ACT_DONE, ACT_WONT, ACT_ANSWER = (
    "suggest_reply",
    "suggest_done",
    "suggest_wont_do",
    "suggest_answer",
)
TEXT, PRIVACY, REASON = "suggest_text", "suggest_privacy", "suggest_reason"
ANONYMOUS, SIGNED = "anonymous", "signed"


def _t(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _privacy(label: str, default_signed: bool = False) -> dict:
    options = [
        {"text": _t("Anonymous"), "value": ANONYMOUS},
        {"text": _t("Signed with my name"), "value": SIGNED},
    ]
    return {
        "type": "input", "block_id": PRIVACY, "label": _t(label),
        "element": {"type": "radio_buttons", "action_id": PRIVACY, "options": options,
                    "initial_option": options[1 if default_signed else 0]},
    }  # fmt: skip


def _text_input(label: str, *, block: str = TEXT, optional: bool = False) -> dict:
    element = {"type": "plain_text_input", "action_id": block, "multiline": True, "max_length": 3000}
    return {"type": "input", "block_id": block, "label": _t(label), "optional": optional, "element": element}


def _modal(
    callback: str, title: str, blocks: list[dict], metadata: dict | None = None, submit: str = "Send"
) -> dict:
    view = {"type": "modal", "callback_id": callback, "title": _t(title), "submit": _t(submit),
            "close": _t("Cancel"), "blocks": blocks}  # fmt: skip
    if metadata:
        view["private_metadata"] = json.dumps(metadata)
    return view


def build_suggest_modal(*, channel_id: str) -> dict:
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": (
        "Goes to your team's managers. Anonymous by default: they can reply, you answer from your DMs, "
        "and neither side learns who the other is (replies travel in batches).")}]}  # fmt: skip
    return _modal(SUBMIT, "Suggestion", [_text_input("Your suggestion"), _privacy("Send it"), note],
                  {"channel": channel_id})  # fmt: skip


def build_reply_modal(suggestion_id: int) -> dict:
    blocks = [_text_input("Your reply to the author"), _privacy("Sign your reply?")]
    return _modal(REPLY, "Reply to the author", blocks, {"id": suggestion_id})


def build_close_modal(suggestion_id: int, status: str) -> dict:
    blocks = [_text_input("Why? (the author is told)", block=REASON, optional=True), _privacy("Sign it?")]
    return _modal(
        CLOSE, f"Mark as {status_words(status)}", blocks, {"id": suggestion_id, "status": status}, "Confirm"
    )


def build_answer_modal(suggestion_id: int) -> dict:
    blocks = [_text_input("Your answer to the managers")]
    return _modal(ANSWER, "Answer the managers", blocks, {"id": suggestion_id})


def card_text(s: Suggestion) -> str:
    who = f"<@{s.signed_by}>" if s.signed_by else "someone in the team (anonymous)"
    return f"Suggestion from {who}: {truncate_words(escape(s.text), 200)}"


def build_card(s: Suggestion) -> tuple[list[dict], str]:
    who = f"<@{s.signed_by}>" if s.signed_by else "_anonymous_"
    blocks: list[dict] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*💡 Suggestion #{s.id}* · {who}\n{excerpt(s.text, 2500, 30)}"}},
    ]  # fmt: skip
    if s.status == "open":
        labels = ((ACT_REPLY, "Reply to the author"), (ACT_DONE, "Mark as done"), (ACT_WONT, "Won't do"))
        buttons = [{"type": "button", "action_id": a, "value": str(s.id), "text": _t(t)} for a, t in labels]
        blocks.append({"type": "actions", "elements": buttons})
    else:
        reason = f": {escape(truncate_words(s.reason, 500))}" if s.reason else ""
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"*{status_words(s.status).capitalize()}*{reason}"}]})  # fmt: skip
    return blocks, card_text(s)


def build_author_dm(suggestion_id: int, text: str, signed_by: str | None) -> tuple[list[dict], str]:
    who = f"<@{signed_by}>" if signed_by else "Your managers"
    body = f"{who} about your suggestion #{suggestion_id}:\n{excerpt(text, 2500, 30)}"
    blocks: list[dict] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "actions", "elements": [{"type": "button", "action_id": ACT_ANSWER, "value": str(suggestion_id), "text": _t("Answer")}]},
    ]  # fmt: skip
    return blocks, f"{who} about your suggestion #{suggestion_id}: {truncate_words(escape(text), 300)}"


def thread_note(text: str, *, from_author: bool, signed_by: str | None) -> str:
    who = "The author" if from_author else (f"<@{signed_by}>" if signed_by else "A manager (unsigned)")
    return f"{who}: {excerpt(text, 2800, 30)}"


def list_text(rows: list[Suggestion], names: dict[int, str]) -> str:
    if not rows:
        return "No suggestions yet."
    lines = [f"*Suggestions* (latest {len(rows)})"]
    for s in rows:
        team = names.get(s.team_id, "?") if s.team_id else "no team (kept for admins)"
        lines.append(
            f"• #{s.id} [{status_words(s.status)}] {team} · {s.day:%d %b}: {truncate_words(escape(s.text), 120)}"
        )
    return "\n".join(lines)


HELP = (
    "*/suggest <your idea>* sends it to your team's managers, anonymously unless you choose to sign "
    "(`/suggest` alone opens the form). They can reply; you get the reply by DM and can answer it; "
    "nobody learns who the other is, and replies travel in batches. Managers: `/suggest list`."
)
