"""Block Kit for what follows a closed round in people's DMs: the survey DM redrawn closed, and a
manager's reply to a comment relayed to everyone surveyed (with the managers' reply modal)."""

from __future__ import annotations

from typing import Any

from bot.services.employees.survey_replies import ReplyView
from bot.slack.blocks.suggestions import PRIVACY, TEXT, _modal, _privacy, _text_input
from bot.slack.text import escape, excerpt

REPLY_CALLBACK = "survey_reply_submit"
REPLY_OPTION = "reply"  # the acknowledgement menu's last entry: opens the reply modal, stores no ack
__all__ = ["PRIVACY", "REPLY_CALLBACK", "REPLY_OPTION", "TEXT"]

CLOSED = {
    "en": (
        ":lock: *{title}*: this round closed on {day}. Thank you to everyone who took part: the results are "
        "with your managers, and their answers open the next round."
    ),
    "fr": (
        ":lock: *{title}* : ce sondage est clos depuis le {day}. Merci à toutes et à tous : les résultats sont "
        "entre les mains de vos managers, et leurs réponses ouvriront le prochain sondage."
    ),
}
HEAD = {  # (unsigned, signed by a manager)
    "en": (
        "Your managers replied to a comment from the survey of round {round}:",
        "{who} replied to a comment from the survey of round {round}:",
    ),
    "fr": (
        "Vos managers ont répondu à un commentaire du sondage {round} :",
        "{who} a répondu à un commentaire du sondage {round} :",
    ),
}
SENT_TO_ALL = {
    "en": "Sent to everyone the survey went to: nobody knows who wrote the comment, and the bot does not either.",
    "fr": "Envoyé à toutes les personnes sondées : personne ne sait qui a écrit le commentaire, le bot non plus.",
}


def build_closed_dm(language: str, *, title: str, day: str) -> tuple[list[dict[str, Any]], str]:
    """The survey DM once its round has closed: no buttons left, the same words for everyone (they do
    not depend on whether this person answered: that mark is gone at close)."""
    text = CLOSED.get(language, CLOSED["en"]).format(title=escape(title), day=day)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}}], text.replace("*", "")


def build_reply_dm(view: ReplyView, language: str) -> tuple[list[dict[str, Any]], str]:
    unsigned, signed = HEAD.get(language, HEAD["en"])
    lang = language if language in HEAD else "en"
    head = (signed if view.signed_by else unsigned).format(
        who=f"<@{view.signed_by}>", round=view.round_number
    )
    quote = "> " + escape(view.excerpt)
    body = f"{head}\n{quote}\n→ {excerpt(view.reply, 2500, 30)}"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": SENT_TO_ALL[lang]}]},
    ]
    return blocks, f"{head} “{view.excerpt}” → {view.reply}"[:3000]


def build_reply_modal(*, comment_id: int, quote: str, channel: str, ts: str) -> dict[str, Any]:
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": (
        "Nobody knows who wrote this comment, so your reply goes to *everyone the round was sent to*, "
        f"quoting: _{escape(quote)}_. It leaves with the relay's next batch; unsigned unless you sign.")}]}  # fmt: skip
    blocks = [note, _text_input("Your reply"), _privacy("Sign your reply?")]
    meta = {"comment": comment_id, "channel": channel, "ts": ts}
    return _modal(REPLY_CALLBACK, "Reply to a comment", blocks, meta)
