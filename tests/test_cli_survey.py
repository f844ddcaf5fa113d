"""`symmetry survey ...` and `symmetry report symmetry` in the terminal, bad input included."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app

runner = CliRunner()


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_schedule_status_questions_and_report(env: Path) -> None:
    assert _run("teams", "add", "Paris", "--channel", "C0PARIS").exit_code == 0
    done = _run(
        "survey", "schedule", "--team", "Paris", "--day", "tuesday", "--at", "09:30", "--country", "FR"
    )
    assert done.exit_code == 0, done.output
    assert "every tuesday at 09:30" in done.output and "holidays: FR" in done.output
    status = _run("survey", "status")
    assert "Paris: tuesday 09:30, open 3 days, holidays FR" in status.output
    questions = _run("survey", "questions", "--lang", "fr")
    assert "Je me sens libre de prendre une initiative pour un client." in questions.output
    report = _run("report", "symmetry", "--team", "Paris", "--period", "last month")
    assert report.exit_code == 0 and "Symmetry report, Paris" in report.output and "*" not in report.output
    png = env / "symmetry.png"
    charted = _run("report", "symmetry", "--team", "Paris", "--lang", "fr", "--chart", str(png))
    assert charted.exit_code == 0 and "Rapport de symétrie" in charted.output
    assert png.read_bytes().startswith(b"\x89PNG") and f"chart: {png}" in charted.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("survey", "schedule", "--team", "Nowhere"), "Nowhere"),
        (("survey", "schedule", "--team", "Paris", "--day", "someday"), "not a weekday"),
        (("survey", "schedule", "--team", "Paris", "--at", "25:00"), "25:00"),
        (("survey", "close", "--team", "Paris"), "no open survey round"),
        (("report", "symmetry", "--team", "Paris", "--period", "next blursday"), "blursday"),
    ],
)
def test_bad_input_is_one_clear_line(
    env: Path, args: tuple[str, ...], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    _run("teams", "add", "Paris", "--channel", "C0PARIS")
    result = runner.invoke(app, list(args))
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_a_question_file_is_checked_before_use(env: Path) -> None:
    bad = env / "q.yaml"
    bad.write_text("drivers: []\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", "questions", "--check", str(bad)])
    assert result.exit_code == 1 and "questions.quality is missing" in result.output


def test_symmetry_ask_prints_the_same_round_answer_as_slash_kpi(env: Path) -> None:
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from bot.db import make_engine, session_factory, session_scope
    from bot.services.kpi.ask import ask
    from models.team import Team
    from tests.services.employees.test_round_questions import add_round

    assert _run("teams", "add", "Paris", "--channel", "C0PARIS").exit_code == 0
    engine = make_engine(f"sqlite:///{env}/cli.db")
    factory = session_factory(engine)
    with session_scope(factory) as session:
        paris = session.exec(Team.__table__.select()).first().id  # type: ignore[attr-defined]
    add_round(factory, paris, 1, [10] * 12, invited=18, day=date(2026, 11, 16))
    printed = _run("ask", "participation last round")
    assert printed.exit_code == 0 and "Participation 66.7% (12 of 18 answered)" in printed.output
    with session_scope(factory) as session:
        slack = ask(session, text="participation last round", metric=None, asker=None, now=datetime.now(UTC),
                    default_tz=ZoneInfo("Europe/Paris"), slack_admins_are_admins=True, markdown=False)  # fmt: skip
    engine.dispose()
    assert printed.output.strip() == slack.text.strip()
