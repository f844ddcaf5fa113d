"""`symmetry ask --as`: an operator sees what one person would see in Slack; without it, every team."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.db import make_engine, session_factory, session_scope, upgrade
from bot.sandbox.standin import SlackStandIn
from bot.services.people.roles import assign_team, ensure_person
from tests.factories import add_verbatims, make_team, record

runner = CliRunner()
NOW = datetime.now(UTC)
QUESTION = "nps last 30 days by team"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/ask.db")
    monkeypatch.setenv("SYMMETRY_TIMEZONE", "UTC")
    engine = make_engine(f"sqlite:///{tmp_path}/ask.db")
    upgrade(engine)
    factory = session_factory(engine)
    for team in ("Alpha", "Beta"):
        make_team(factory, name=team, channel=f"C0{team.upper()}", now=NOW)
    rows = [
        record(i, now=NOW, score=i % 11, team=("Alpha", "Beta")[i % 2], hours_ago=24 + i) for i in range(80)
    ]
    add_verbatims(factory, rows, now=NOW)
    with session_scope(factory) as session:
        ensure_person(session, "U0AGENT", name="Ann Agent", tz="UTC", is_admin=False, is_owner=False, now=NOW)
        assign_team(session, "U0AGENT", team="Alpha", now=NOW)
        ensure_person(
            session, "U0BOSS", name="Sam Slackadmin", tz="UTC", is_admin=True, is_owner=False, now=NOW
        )
        assign_team(session, "U0BOSS", team="Beta", now=NOW)
    engine.dispose()
    return tmp_path


def _ask(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["ask", *args])


def test_without_as_the_terminal_is_the_admin_view_and_says_so(env: Path) -> None:
    result = _ask(QUESTION)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Admin view (every team)")
    assert "Alpha" in result.output and "Beta" in result.output
    assert "admin view" in _ask("--help").output.replace("\n", " ").lower()


def test_as_an_agent_shows_only_their_team_and_refuses_the_other(env: Path) -> None:
    mine = _ask("--as", "U0AGENT", QUESTION)
    assert mine.exit_code == 0, mine.output
    assert "As Ann Agent (U0AGENT, agent): sees Alpha." in mine.output
    assert "Alpha" in mine.output and "Beta" not in mine.output
    other = _ask("--as", "u0agent", "nps last 30 days for Beta")
    assert other.exit_code == 1 and "can't share the numbers of Beta" in other.output


def test_as_a_slack_admin_follows_the_admin_switch_as_slack_does(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "sees every team" in _ask("--as", "U0BOSS", QUESTION).output
    monkeypatch.setenv("SYMMETRY_SLACK_ADMINS_ARE_ADMINS", "false")
    switched = _ask("--as", "U0BOSS", QUESTION)
    assert "(U0BOSS, agent): sees Beta." in switched.output and "Alpha" not in switched.output


def test_as_an_email_finds_the_person_in_slack(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with SlackStandIn() as slack:
        slack.add_user("U0AGENT", "ann", real_name="Ann Agent", email="Ann@Example.com")
        monkeypatch.setenv("SLACK_BOT_TOKEN", slack.bot_token)
        monkeypatch.setenv("SLACK_API_URL", slack.api_url)
        found = _ask("--as", "ann@example.com", QUESTION)
        assert found.exit_code == 0, found.output
        assert "(U0AGENT, agent): sees Alpha." in found.output and "Beta" not in found.output
        unknown = _ask("--as", "nobody@example.com", QUESTION)
        assert unknown.exit_code == 1 and "no user with the email nobody@example.com" in unknown.output
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    no_token = _ask("--as", "ann@example.com", QUESTION)
    assert no_token.exit_code == 2 and "SLACK_BOT_TOKEN" in no_token.output


def test_as_someone_symmetry_does_not_know_gets_what_slack_would_say(env: Path) -> None:
    result = _ask("--as", "U0NEW", QUESTION)
    assert "As U0NEW: not known to Symmetry yet" in result.output
    assert result.exit_code == 1 and "not in a team yet" in result.output
