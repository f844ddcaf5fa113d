"""What customers and imports wrote is shown as text: escaped in Slack, never a formula in the CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.db import session_scope
from bot.services.kpi.ask import ask
from bot.services.people.teams import get_team
from jobs.daily_digest import run_for_team
from tests.factories import add_verbatims, make_team, record

TEAM = "<!channel> Ops & <@U0BOSS>"
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+33 6 12", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_overflow_csv_cells_never_start_a_formula(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.deps.settings = harness.deps.settings.model_copy(update={"SYMMETRY_DIGEST_THREAD_PAGES": 0})
    make_team(harness.deps.factory, name="Care", now=now)
    rows = [record(i, now=now, text=f, score=1, agent=f) for i, f in enumerate(FORMULAS * 3)]
    add_verbatims(harness.deps.factory, rows, now=now)
    with session_scope(harness.deps.factory) as session:
        team = get_team(session, "Care")
    assert run_for_team(harness.deps, team, client=harness.client, now=now).status == "posted"
    [shared] = [f for f in harness.standin.files if f.completed]
    cells = [c for row in csv.reader(io.StringIO(shared.content.decode())) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    quoted = [c for c in cells if c[:1] == "'" and c[1:2] in ("=", "+", "-", "@", "\t", "\r")]
    assert len(quoted) >= 10  # neutralised, not dropped


def test_a_team_name_is_escaped_in_every_digest_message(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.deps.settings = harness.deps.settings.model_copy(update={"SYMMETRY_DIGEST_THREAD_PAGES": 2})
    make_team(harness.deps.factory, name=TEAM, now=now)
    add_verbatims(harness.deps.factory, [record(i, now=now, team=TEAM) for i in range(25)], now=now)
    with session_scope(harness.deps.factory) as session:
        team = get_team(session, TEAM)
    run_for_team(harness.deps, team, client=harness.client, now=now)
    top = harness.standin.messages("C0SUPPORT")
    shown = [m for m in top] + [r for m in top for r in m["replies"]]
    assert len(shown) == 3
    for message in shown:
        mrkdwn = [message["text"]] + [
            e.get("text", "") for b in message["blocks"] if b["type"] == "context" for e in b["elements"]
        ]
        assert "<!channel>" not in str(mrkdwn) and "<@U0BOSS>" not in str(mrkdwn)
    assert "&lt;!channel&gt; Ops &amp; &lt;@U0BOSS&gt;" in shown[1]["text"]


def test_kpi_breakdowns_escape_team_names_and_imported_values(session, factory, now) -> None:  # type: ignore[no-untyped-def]
    make_team(factory, name=TEAM, now=now)
    week = now - timedelta(days=5)
    rows = [record(i, now=week, team=TEAM, channel="<!here|x>", hours_ago=i) for i in range(12)]
    add_verbatims(factory, rows, now=now)
    for question in ("nps last week by team", "nps last week by channel"):
        reply = ask(
            session,
            text=question,
            metric=None,
            asker=None,
            now=now,
            default_tz=ZoneInfo("UTC"),
            slack_admins_are_admins=False,
            with_chart=False,
        )
        assert "<!" not in reply.text and "<@" not in reply.text, reply.text
        assert "&lt;!" in reply.text
