"""`/symmetry help` and the admin subcommands (`/symmetry grant @x manager` …), ack at once, answer after.

SUBCOMMAND_HANDLERS maps the handler key of each subcommand declared in bot/slack/commands.py to the
function that answers it; a later `/symmetry report` adds its line there.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.entry.deps import Deps
from bot.errors import InvalidInput
from bot.slack.commands import SUBCOMMANDS, SYMMETRY, commands_for, help_text, subcommand
from bot.slack.employees_off import off_note
from bot.slack.errors import guarded
from bot.slack.files import upload_to_dm
from bot.slack.people_sync import sync_person
from handlers.people import run_people_command
from handlers.survey_admin import ChartedText, answer_report, answer_survey

Answer = Callable[[Deps, str, str], "str | ChartedText"]  # (deps, actor, text) -> what to tell them


def _help(deps: Deps, actor: str, text: str) -> str:
    return help_text()


def _people(deps: Deps, actor: str, text: str) -> str:
    return run_people_command(deps, actor=actor, text=text)


SUBCOMMAND_HANDLERS: dict[str, Answer] = {
    "help": _help,
    "people": _people,
    "report": answer_report,
    "survey": answer_survey,
}


def register(app: App, deps: Deps) -> None:
    def answer_symmetry_command(body: dict, client: WebClient, respond: Respond) -> None:
        answer_command(deps=deps, body=body, client=client, respond=respond)

    for command in commands_for("symmetry"):
        app.command(command.command)(ack=ack_command, lazy=[answer_symmetry_command])


def ack_command(ack: Ack) -> None:
    ack()


@guarded
def answer_command(*, deps: Deps, body: dict, client: WebClient, respond: Respond) -> None:
    user, text = body["user_id"], body.get("text", "").strip()
    sync_person(deps, client, user)
    answer = run_subcommand(deps, actor=user, text=text)
    if isinstance(answer, ChartedText):
        upload_to_dm(client, user=user, png=answer.png, filename=answer.filename, title=answer.title)
        answer = answer.text + "\n_Chart sent to you in a DM._"
    respond(text=answer, response_type="ephemeral")


def run_subcommand(deps: Deps, *, actor: str, text: str) -> str | ChartedText:
    """Dispatch `/symmetry <text>`; an empty text is help, an unknown word gets a did-you-mean."""
    name = text.split()[0] if text else "help"
    found = subcommand(name)
    if found is None:
        names = [s.name for s in SUBCOMMANDS]
        near = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
        hint = f"Did you mean `{SYMMETRY} {near[0]}`?" if near else f"Try `{SYMMETRY} help`."
        raise InvalidInput(
            f"I don't know `{SYMMETRY} {name}`.", hints=[hint, "Subcommands: " + ", ".join(names)]
        )
    if found.employee and not deps.settings.SYMMETRY_EMPLOYEE_FEATURES:
        return off_note(deps, actor, text=text)
    return SUBCOMMAND_HANDLERS[found.handler](deps, actor, text)
