"""`symmetry settings`, `teams add --managers-channel`, `symmetry pulse summary` in the terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.app import app
from bot.db import make_engine, session_factory, session_scope, upgrade
from bot.services.employees.anonymity import week_of
from models.pulse import PulseAnswer

runner = CliRunner()


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_settings_are_validated_and_shown(env: Path) -> None:
    assert _invoke("settings", "set", "anonymity_threshold", "7").output.strip() == "anonymity_threshold = 7"
    bad = _invoke("settings", "set", "anonymity_threshold", "2")
    assert bad.exit_code == 1 and "between 3 and 10" in bad.output
    assert (
        _invoke("settings", "set", "stories_channel", "#C0STORIES").output.strip()
        == "stories_channel = C0STORIES"
    )
    shown = _invoke("settings", "show").output
    assert "anonymity_threshold    7" in shown and "C0STORIES" in shown
    assert _invoke("settings", "set", "colour", "blue").exit_code == 1


def test_a_team_gets_its_managers_channel(env: Path) -> None:
    out = _invoke("teams", "add", "Care", "--managers-channel", "G0MANAGERS").output
    assert "managers' channel G0MANAGERS" in out
    assert _invoke("teams", "add", "Care", "--managers-channel", "not a channel").exit_code == 1


def test_pulse_summary_shows_big_teams_and_their_comments_only(env: Path) -> None:
    _invoke("teams", "add", "Care")
    _invoke("teams", "add", "Tiny")
    engine = make_engine(f"sqlite:///{env}/cli.db")
    upgrade(engine)
    monday = week_of(datetime.now(UTC).date()) - timedelta(weeks=3)
    with session_scope(session_factory(engine)) as s:
        for i in range(6):
            s.add(PulseAnswer(person_key=f"c{i}", team_id=1, day=monday, score=4, comment=f"care note {i}"))
        s.add(PulseAnswer(person_key="t1", team_id=2, day=monday, score=1, comment="tiny secret"))
    out = _invoke("pulse", "summary", "--period", "last 8 weeks").output
    assert "Care" in out and "4.00/5" in out
    tiny = next(line for line in out.splitlines() if line.startswith("Tiny"))
    assert tiny.split()[-1] == "hidden" and "tiny secret" not in out
    assert out.count("care note") == 6 and "Comments (6, shuffled)" in out


def test_stories_and_suggestions_are_listed(env: Path) -> None:
    from datetime import date

    from models.story import Story
    from models.suggestion import Suggestion

    assert "no stories yet" in _invoke("stories", "list").output
    engine = make_engine(f"sqlite:///{env}/cli.db")
    upgrade(engine)
    with session_scope(session_factory(engine)) as s:
        s.add(Story(author_key="k", day=date(2026, 11, 2), what_went_wrong="Lost parcel", what_i_did="x",
                    how_it_ended="y", votes=3))  # fmt: skip
        s.add(
            Suggestion(
                author_key="k", author_box="b", day=date(2026, 11, 3), text="Kept idea", status="wont_do"
            )
        )
    assert "👏 3" in _invoke("stories", "list").output
    out = _invoke("suggestions", "list").output
    assert "won't do" in out and "(no team: for the admins)" in out and "Kept idea" in out
