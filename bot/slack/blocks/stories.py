"""Block Kit for /bestfailure: the modal, the story card with its vote button, the story of the week."""

from __future__ import annotations

from bot.services.employees.stories import FIELDS, MAX_FIELD
from bot.slack.text import escape, excerpt, truncate_words
from models.story import Story

CALLBACK, ACT_VOTE = "bestfailure_submit", "bestfailure_vote"
VERBATIM, PRIVACY = "verbatim", "story_privacy"
ANONYMOUS, SIGNED = "anonymous", "signed"


def _t(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def build_story_modal() -> dict:
    blocks: list[dict] = [
        {"type": "input", "block_id": name, "label": _t(label),
         "element": {"type": "plain_text_input", "action_id": name, "multiline": True, "max_length": MAX_FIELD}}
        for name, label in FIELDS.items()
    ]  # fmt: skip
    blocks.append({"type": "input", "block_id": VERBATIM, "optional": True, "label": _t("Customer verbatim it relates to (its # from the digest)"),
                   "element": {"type": "plain_text_input", "action_id": VERBATIM, "max_length": 20}})  # fmt: skip
    options = [
        {"text": _t("Signed with my name"), "value": SIGNED},
        {"text": _t("Anonymous"), "value": ANONYMOUS},
    ]
    blocks.append({"type": "input", "block_id": PRIVACY, "label": _t("Tell it"),
                   "element": {"type": "radio_buttons", "action_id": PRIVACY, "options": options, "initial_option": options[0]}})  # fmt: skip
    return {"type": "modal", "callback_id": CALLBACK, "title": _t("Best failure"), "submit": _t("Share"),
            "close": _t("Cancel"), "blocks": blocks}  # fmt: skip


def _body(s: Story) -> str:
    parts = [f"*{label}*\n{excerpt(getattr(s, name), 900, 12)}" for name, label in FIELDS.items()]
    return "\n".join(parts)


def build_story_card(s: Story) -> tuple[list[dict], str]:
    who = f"<@{s.signed_by}>" if s.signed_by else "someone (anonymous)"
    context = f"Told by {who}" + (f" · about verbatim #{s.verbatim_id}" if s.verbatim_id else "")
    blocks: list[dict] = [
        {"type": "header", "text": _t("🎓 A best failure")},
        {"type": "section", "text": {"type": "mrkdwn", "text": _body(s)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ACT_VOTE,
                    "value": str(s.id),
                    "text": _t(f"👏 Best failure · {s.votes}"),
                }
            ],
        },  # fmt: skip
    ]
    return blocks, f"A best failure: {truncate_words(escape(s.what_went_wrong), 200)}"


def build_story_of_week(s: Story) -> tuple[list[dict], str]:
    blocks, _ = build_story_card(s)
    title = {"type": "header", "text": _t(f"🏆 Story of the week ({s.votes} 👏)")}
    return [title, *blocks[1:3]], f"Story of the week: {truncate_words(escape(s.what_went_wrong), 200)}"


def list_text(rows: list[Story]) -> str:
    if not rows:
        return "No best failures yet: tell the first with /bestfailure."
    lines = [f"*Recent best failures* ({len(rows)})"]
    lines += [
        f"• #{s.id} · {s.day:%d %b} · 👏 {s.votes} · {truncate_words(escape(s.what_went_wrong), 100)}"
        for s in rows
    ]
    return "\n".join(lines)


HELP = ("*/bestfailure* opens a form: what went wrong for the customer, what you did, how it ended "
        "(signed by default, or anonymous). It is posted in the stories channel, where everyone can "
        "vote 👏 once; Friday 16:00 the most-voted story of the week is celebrated. `/bestfailure list`: recent stories.")  # fmt: skip
