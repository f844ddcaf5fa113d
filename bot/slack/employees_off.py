"""SYMMETRY_EMPLOYEE_FEATURES=false: the employee commands, buttons and modals answer a clear note.

The listeners stay registered (an app created from an earlier manifest, an old survey DM or story card
still sends them), but before any of them runs, a listener middleware answers, ephemerally and in the
person's language: "Employee features are turned off in this workspace: ask your Symmetry admin".
It is put in front of every listener an employee handlers module registers (`EMPLOYEE = True` in the
module), and of the employee slash commands other modules answer (`/enps`: `employee=True` in
bot/slack/commands.py). `/symmetry report|survey` say it through handlers/symmetry.py. The manifest
generated with the features off leaves those commands out (bot/slack/manifest.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse, Respond
from slack_bolt.middleware.custom_middleware import CustomMiddleware
from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.kpi.language import answer_language
from bot.slack.commands import COMMANDS
from bot.slack.errors import tell_user

log = logging.getLogger(__name__)
NOTES = {
    "en": "Employee features are turned off in this workspace: ask your Symmetry admin.",
    "fr": "Les fonctions employés sont désactivées dans cet espace de travail : demandez à votre "
    "administrateur Symmetry.",
}
EMPLOYEE_COMMANDS = frozenset(c.command for c in COMMANDS if c.employee)


def off_note(deps: Deps, user_id: str | None, *, text: str = "", locale: str | None = None) -> str:
    """The note in the person's language: their Slack locale, else their stored one or team's, else
    the words they typed."""
    language = "en"
    try:
        with session_scope(deps.factory) as session:
            language = answer_language(session, text=text, asker=user_id, locale=locale)
    except Exception:  # noqa: BLE001 - the note must be said even without a database
        log.warning("employee features off: language unknown, answering in English")
    return NOTES.get(language, NOTES["en"])


def gate_listeners(app: App, deps: Deps, register: Callable[[App, Deps], None], *, whole: bool) -> None:
    """`register(app, deps)`, then the gate in front of each listener it added: every request when
    `whole` (an employee module), else only the employee slash commands."""
    listeners = app._listeners  # noqa: SLF001 - Bolt keeps them in order; only the new ones are gated
    before = len(listeners)
    register(app, deps)
    gate = CustomMiddleware(app_name=app.name, func=_gate(deps, whole=whole))
    for listener in listeners[before:]:
        listener.middleware = [gate, *listener.middleware]


def _gate(deps: Deps, *, whole: bool) -> Callable[..., BoltResponse | None]:
    def employee_features_off(body: dict, client: WebClient, respond: Respond, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002  # fmt: skip
        command = body.get("command")
        if not (whole or command in EMPLOYEE_COMMANDS):
            next()
            return None
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        note = off_note(
            deps, user, text=str(body.get("text") or ""), locale=(body.get("user") or {}).get("locale")
        )
        if command:
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": note})
        if body.get("type") == "view_submission":
            return BoltResponse(status=200, body={"response_action": "update", "view": _note_view(note)})
        if body.get("type") == "block_actions":
            tell_user(body, note, client=client, respond=respond)  # from a view: in a DM
        return BoltResponse(status=200, body="")

    return employee_features_off


def _note_view(note: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Symmetry"},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": note}}],
    }
