"""One home per rule: bounds, bands, top/bottom boxes and digest tiers come from bot.scales, and the
SQL the migration generates counts exactly what the Python predicates say, for every score."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlmodel import Session

from bot import scales
from bot.services.customers import digest, priority
from bot.slack.blocks.digest import priority_badge, score_text
from models.kpi_hour import KpiHour
from models.verbatim import Scale, Verbatim

MIGRATION = Path(__file__).parents[1] / "bot/migrations/versions/0002_people_and_kpi_indexes.py"


def migration_0002():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("migration_0002", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_sql_is_the_text_existing_stores_run() -> None:
    m = migration_0002()
    assert m.KPI_SCALES == "('nps', 'csat')"
    assert m.TOP == "CASE WHEN {r}score >= (CASE WHEN {r}scale = 'nps' THEN 9 ELSE 4 END) THEN 1 ELSE 0 END"
    assert m.BOTTOM == "CASE WHEN {r}scale = 'nps' AND {r}score <= 6 THEN 1 ELSE 0 END"


@pytest.mark.parametrize("key", ["nps", "csat"])
def test_sql_and_python_agree_on_the_boxes_of_every_score(key: str, session: Session) -> None:
    m, rule = migration_0002(), scales.scale(key)
    for score in range(rule.low, rule.high + 1):
        row = {"score": score, "scale": key}
        top, bottom = session.execute(
            text(
                f"SELECT {m.TOP.format(r='')}, {m.BOTTOM.format(r='')} FROM (SELECT :score AS score, :scale AS scale) t"
            ),
            row,
        ).one()
        assert bool(top) == rule.is_top(score), (key, score)
        assert bool(bottom) == (rule.is_bottom(score) if key == "nps" else False), (key, score)


def test_the_triggers_tally_what_python_counts(session: Session) -> None:
    at = datetime(2026, 11, 18, 12, tzinfo=UTC)
    rows = [
        {"source": "s", "external_id": f"{key}{score}", "received_at": at, "text": "", "score": score,
         "scale": key, "imported_at": at}
        for key in ("nps", "csat")
        for score in range(scales.scale(key).low, scales.scale(key).high + 1)
    ]  # fmt: skip
    session.execute(insert(Verbatim), rows)
    h = KpiHour.__table__.c  # type: ignore[attr-defined]
    tallied = {
        k: (n, top, bottom) for k, n, top, bottom in session.execute(select(h.scale, h.n, h.top, h.bottom))
    }
    nps, csat = scales.NPS, scales.CSAT
    assert tallied["nps"] == (11, sum(map(nps.is_top, range(11))), sum(map(nps.is_bottom, range(11))))
    assert tallied["csat"] == (5, sum(map(csat.is_top, range(1, 6))), 0)


def test_bands_and_bounds_are_read_from_one_place() -> None:
    assert [scales.band(s, "nps") for s in (0, 6, 7, 8, 9, 10)] == ["detractor"] * 2 + ["passive"] * 2 + [
        "promoter"
    ] * 2
    assert [scales.band(s, "csat") for s in (1, 2, 3, 4, 5)] == ["dissatisfied"] * 2 + ["neutral"] + [
        "satisfied"
    ] * 2
    for scale in Scale:
        assert scale.bounds == scales.scale(scale.value).bounds == priority.SCALES[scale.value]
        assert (
            priority.score_band(scales.scale(scale.value).high, scale.value)
            == scales.scale(scale.value).bands[2]
        )
    assert (
        scales.is_detractor(6, "nps")
        and not scales.is_detractor(7, "nps")
        and scales.is_detractor(2, "stars")
    )


def test_digest_tiers_are_the_scale_module_tiers() -> None:
    assert (
        digest.TIERS
        == tuple((t.floor, t.name) for t in scales.DIGEST_TIERS)
        == ((70, "Urgent"), (45, "High"), (0, "To read"))
    )
    for p in range(101):
        tier = scales.tier_for(p)
        assert digest.tier_of(p) == tier.name
        assert priority_badge(p)[0] == {"Urgent": "🔴", "High": "🟠", "To read": "⚪"}[tier.name]


def test_digest_score_text_uses_the_bands() -> None:
    class Item:
        scale, score = "nps", 6

    assert score_text(Item()) == "Detractor 6/10"  # type: ignore[arg-type]
