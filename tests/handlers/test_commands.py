"""One command registry: what the manifest declares is exactly what the handlers listen to, every
/symmetry subcommand has a function behind it, and the listeners are plain functions a test can call."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.errors import InvalidInput
from bot.slack.commands import COMMANDS, SUBCOMMANDS, help_text
from bot.slack.manifest import build_manifest
from handlers import HANDLER_MODULES, kpi, symmetry
from tests.factories import make_team


class Recorder:
    """Stands in for the Bolt App at registration: records what each listener is attached to."""

    def __init__(self) -> None:
        self.seen: dict[str, list[str]] = defaultdict(list)

    def __getattr__(self, kind: str):  # type: ignore[no-untyped-def]
        def attach(name: object = None, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            self.seen[kind].append(str(name))
            return lambda *a, **k: a[0] if a else None

        return attach


def test_the_handlers_listen_to_exactly_the_commands_the_manifest_declares() -> None:
    app = Recorder()
    for module in HANDLER_MODULES:
        module.register(app, deps=None)  # type: ignore[arg-type]
    declared = {
        c["command"] for c in build_manifest(base_url=None, socket_mode=True)["features"]["slash_commands"]
    }
    assert sorted(app.seen["command"]) == sorted(declared) == sorted(c.command for c in COMMANDS)


def test_every_subcommand_has_a_function_and_a_help_line() -> None:
    for sub in SUBCOMMANDS:
        assert sub.handler in symmetry.SUBCOMMAND_HANDLERS, sub.name
        assert f"/symmetry {sub.usage}" in help_text() or sub.name == "help"
    for command in COMMANDS:
        assert command.command in help_text()


def test_the_kpi_commands_ask_for_the_metric_that_names_them() -> None:
    assert (kpi.metric_for("/nps"), kpi.metric_for("/csat"), kpi.metric_for("/kpi")) == ("nps", "csat", None)


@pytest.mark.parametrize("text", ["grant U0AGENT admin", "people"])
def test_admin_subcommands_refuse_non_admins(harness, now, text: str) -> None:  # type: ignore[no-untyped-def]
    make_team(harness.deps.factory, name="Care", now=now)
    told: list[dict] = []
    body = {
        "user_id": "U0AGENT",
        "command": "/symmetry",
        "text": text,
        "channel_id": "C0SUPPORT",
        "response_url": "x",
    }
    symmetry.answer_command(
        deps=harness.deps, body=body, client=harness.client, respond=lambda **kw: told.append(kw)
    )
    assert "Only admins" in told[0]["text"] and told[0]["response_type"] == "ephemeral"


def test_an_unknown_subcommand_is_a_clear_error(harness) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as unknown:
        symmetry.run_subcommand(harness.deps, actor="U0AGENT", text="reprot")
    assert unknown.value.message == "I don't know `/symmetry reprot`."
    assert symmetry.run_subcommand(harness.deps, actor="U0AGENT", text="") == help_text()


def test_the_kpi_listener_points_admin_words_to_symmetry(harness) -> None:  # type: ignore[no-untyped-def]
    told: list[dict] = []
    body = {"user_id": "U0AGENT", "command": "/kpi", "text": "people", "channel_id": "C0SUPPORT"}
    kpi.answer_command(
        deps=harness.deps, body=body, client=harness.client, respond=lambda **kw: told.append(kw)
    )
    assert told == [
        {"text": "Admin commands moved to /symmetry: type `/symmetry people`.", "response_type": "ephemeral"}
    ]
