"""The round and symmetry charts: the numbers they draw are the round's, words in EN/FR, hidden stays hidden."""

from __future__ import annotations

from datetime import date

from bot.services.kpi.period import Period
from bot.services.reports.charts import chart_title, round_chart, round_values, symmetry_chart, symmetry_title
from bot.services.reports.symmetry import Pair, SymmetryReport

RESULTS = {
    "round": 4,
    "invited": 20,
    "answered": 15,
    "k": 5,
    "shown": True,
    "figures": {"enps": {"value": 12.0, "n": 15}, "quality": {"value": 7.5, "n": 15}, "predicted_nps": None},
    "previous": {"round": 3, "invited": 20, "answered": 10, "figures": {"enps": {"value": -4.0, "n": 10}}},
}


def test_round_values_pair_this_round_with_the_last() -> None:
    values = round_values(RESULTS)
    assert values["participation"] == (75.0, 50.0)
    assert values["enps"] == (12.0, -4.0)
    assert values["quality"] == (7.5, None)  # last round had no quality figure: no change invented
    assert values["predicted_nps"] == (None, None)


def test_a_hidden_round_draws_participation_only_and_titles_follow_the_language() -> None:
    hidden = {
        "round": 2,
        "invited": 9,
        "answered": 3,
        "k": 5,
        "shown": False,
        "figures": {},
        "previous": None,
    }
    assert set(v for v in round_values(hidden).values() if v != (None, None)) == {(100 * 3 / 9, None)}
    assert round_chart(hidden, team="Care", language="fr").startswith(b"\x89PNG")
    assert chart_title(RESULTS, team="Care", language="fr") == "Résultats du sondage, Care, sondage 4"
    assert round_chart(RESULTS, team="Care").startswith(b"\x89PNG")


def test_symmetry_chart_in_french() -> None:
    period = Period(date(2026, 10, 1), date(2026, 10, 31), "octobre 2026")
    report = SymmetryReport(
        team="Paris",
        period=period,
        language="fr",
        pairs=(Pair("nps", 42.0, 30, 8.0, 312), Pair("quality", None, 0, 71.0, 300)),
        reasons=(),
        rounds=2,
        rounds_hidden=0,
        k=5,
    )
    assert symmetry_title(report) == "Symétrie, Paris, octobre 2026 : salariés vs clients"
    assert symmetry_chart(report).startswith(b"\x89PNG")
