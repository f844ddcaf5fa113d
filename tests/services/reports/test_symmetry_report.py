"""The symmetry report: employees' beliefs beside customers' figures, gaps, threshold, EN/FR, roles."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from bot.db import session_scope
from bot.errors import NotAllowed
from bot.services.kpi.periods import parse_period
from bot.services.people.roles import assign_team, grant_role
from bot.services.reports.symmetry import build_report
from bot.services.reports.symmetry_service import report_for
from bot.services.reports.symmetry_text import report_text
from models.survey import SurveyResponse, SurveyRound
from tests.factories import TAXONOMY, add_verbatims, make_team, record


def add_round(
    factory, team_id: int, opens_on: date, answers: list[tuple[int, int, str]], *, k: int = 5, number: int = 1
) -> None:  # type: ignore[no-untyped-def]
    """A closed round whose `answers` are (recommend, quality, reason); shown when len >= k."""
    at = datetime.combine(opens_on, datetime.min.time()).astimezone()
    with session_scope(factory) as session:
        r = SurveyRound(
            team_id=team_id,
            number=number,
            opens_on=opens_on,
            status="closed",
            driver="tools",
            threshold=k,
            opened_at=at,
            remind_at=at,
            closes_at=at + timedelta(days=3),
            results=json.dumps({"shown": len(answers) >= k}),
        )
        session.add(r)
        session.flush()
        for n, (rec, quality, reason) in enumerate(answers):
            session.add(
                SurveyResponse(
                    round_id=r.id,
                    respondent=f"p{number}-{n}",
                    team_id=team_id,
                    answered_on=opens_on,
                    recommend=rec,
                    quality=quality,
                    reason=reason,
                )
            )


@pytest.fixture
def paris(factory, now):  # type: ignore[no-untyped-def]
    team = make_team(factory, name="Paris", channel="C0PARIS", now=now)
    waiting = ["I waited an hour on hold, nobody answered", "still waiting for a call back, on hold forever"]
    rows = [
        record(i, now=now, team="Paris", score=2, text=waiting[i % 2], hours_ago=24 * 5) for i in range(6)
    ]
    rows += [
        record(
            10 + i, now=now, team="Paris", score=3, text="my invoice is wrong, overcharged", hours_ago=24 * 6
        )
        for i in range(3)
    ]
    rows += [record(20 + i, now=now, team="Paris", score=9, text="great", hours_ago=24 * 7) for i in range(3)]
    rows += [
        record(30 + i, now=now, team="Paris", score=s, scale="csat", text="ok", hours_ago=24 * 8)
        for i, s in enumerate([5, 2, 2, 4])
    ]
    add_verbatims(factory, rows, now=now)
    return team


def test_the_biggest_gap_is_named_first_and_gaps_of_15_are_flagged(factory, now, paris) -> None:  # type: ignore[no-untyped-def]
    add_round(factory, paris.id, date(2026, 11, 16), [(9, 9, "pricing")] * 4 + [(10, 10, "billing")] * 2)
    with session_scope(factory) as session:
        report = build_report(
            session, team=paris, period=parse_period("last 30 days", today=now.date()), taxonomy=TAXONOMY
        )
    nps, quality = report.pairs
    assert (nps.employees, nps.customers, nps.customers_n) == (
        100.0,
        -50.0,
        12,
    )  # 3 promoters, 9 detractors of 12
    assert (quality.employees, quality.customers) == (93.3, 50.0) and quality.highlighted
    assert report.headline == "Paris believes customers would give 100 NPS; they gave -50 (n=12)."
    assert [(r.employees, r.customers) for r in report.reasons][:2] == [
        ("pricing", "waiting_time"),
        ("billing", "billing"),
    ]
    assert report.unmatched == ("pricing",)
    text = report_text(report, TAXONOMY)
    assert ":warning:" in text and "1. Price (4) :warning:" in text


def test_a_round_under_the_threshold_is_left_out_and_said_so(factory, now, paris) -> None:  # type: ignore[no-untyped-def]
    add_round(factory, paris.id, date(2026, 11, 16), [(0, 0, "pricing")] * 3, number=2)  # 3 < K: hidden
    with session_scope(factory) as session:
        report = build_report(
            session, team=paris, period=parse_period("last 30 days", today=now.date()), taxonomy=TAXONOMY
        )
    assert report.rounds == 0 and report.rounds_hidden == 1
    assert all(p.employees is None for p in report.pairs) and report.reasons[0].employees is None
    assert "hidden" in report.headline
    add_round(factory, paris.id, date(2026, 11, 9), [(8, 8, "billing")] * 5, number=1)
    with session_scope(factory) as session:
        report = build_report(
            session, team=paris, period=parse_period("last 30 days", today=now.date()), taxonomy=TAXONOMY
        )
    assert (
        report.rounds == 1 and report.pairs[0].employees_n == 5
    )  # the small round's 3 answers are not in it


def test_french_words_and_the_role_scope(factory, now, paris) -> None:  # type: ignore[no-untyped-def]
    add_round(factory, paris.id, date(2026, 11, 16), [(9, 9, "pricing")] * 5)
    make_team(factory, name="Lyon", channel="C0LYON", now=now)
    with session_scope(factory) as session:
        assign_team(session, "U0LYON", team="Lyon", now=now)
        grant_role(session, "U0BOSS", role="admin", now=now)
        report = report_for(
            session,
            team="Paris",
            period="ce mois-ci",
            language="fr",
            taxonomy=TAXONOMY,
            now=now,
            viewer="U0BOSS",
            slack_admins_are_admins=True,
        )
        assert report.headline.startswith("Paris pense que les clients donneraient un NPS de")
        assert "Rapport de symétrie" in report_text(report, TAXONOMY)
        thirty = report_for(session, team="Paris", period="les 30 derniers jours", language="fr",
                            taxonomy=TAXONOMY, now=now, viewer="U0BOSS", slack_admins_are_admins=True)  # fmt: skip
        title = report_text(thirty, TAXONOMY).splitlines()[0]
        assert title.startswith("*Rapport de symétrie, Paris, 30 derniers jours (") and "nov." in title, title
        with pytest.raises(NotAllowed):
            report_for(
                session,
                team="Paris",
                period="last month",
                language="en",
                taxonomy=TAXONOMY,
                now=now,
                viewer="U0LYON",
                slack_admins_are_admins=True,
            )
