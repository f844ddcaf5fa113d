"""Every import is a batch: listed, undone exactly (KPI tallies included), corrected with --update."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, text
from sqlmodel import col, select

from bot.errors import InvalidInput, NotFound
from bot.services.customers.batches import list_batches, undo_batch
from bot.services.customers.importer import ImportOptions, import_rows
from bot.services.customers.records import RecordMapping
from bot.services.customers.taxonomy import load_taxonomy
from bot.sources.files import SourceRow
from models import Verbatim
from tests.factories import answer

TAXONOMY = load_taxonomy()
UTC = ZoneInfo("UTC")
QUESTIONS = ("nps last 30 days", "nps last 30 days by team", "csat last 30 days", "nps trend 4 weeks")


def _import(factory, records, now, **kw):  # type: ignore[no-untyped-def]
    rows = (SourceRow(n, r) for n, r in enumerate(records, start=2))
    options = ImportOptions(
        source=kw.pop("source", "survey"), mapping=RecordMapping(), file_name="f.csv", **kw
    )
    return import_rows(factory, rows, options=options, taxonomy=TAXONOMY, now=now)


def _rows(now, prefix: str, n: int, *, team: str = "Care", channel: str = "phone") -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        {
            "external_id": f"{prefix}{i}",
            "received_at": (now - timedelta(hours=7 * i + 1)).isoformat(),
            "text": "slow answer" if i % 3 else "great",
            "score": i % 11 if i % 4 else i % 5 + 1,
            "scale": "nps" if i % 4 else "csat",
            "team": team if i % 2 else "Sales",
            "channel": channel,
        }
        for i in range(n)
    ]


def _answers(session, now) -> list[str]:  # type: ignore[no-untyped-def]
    return [answer(session, q, now=now) for q in QUESTIONS]


def _tallies(session) -> list[tuple]:  # type: ignore[no-untyped-def]
    rows = session.exec(
        text("SELECT scale, hour, team_key, n, top, bottom, total FROM kpi_hour WHERE n <> 0")
    )
    return sorted(tuple(str(v) for v in r) for r in rows)


def test_undo_removes_exactly_its_rows_and_the_answers_are_as_before(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    _import(factory, _rows(now, "a", 60), now)
    before, tallies = _answers(session, now), _tallies(session)
    second = _import(factory, _rows(now, "b", 45, team="Paris"), now)
    session.expire_all()
    assert _answers(session, now) != before
    batch = undo_batch(session, batch_id=second.batch_id, now=now)
    session.commit()
    assert batch.removed == 45 and batch.status == "undone"
    session.expire_all()
    assert _answers(session, now) == before and _tallies(session) == tallies
    assert len(session.exec(select(Verbatim)).all()) == 60
    with pytest.raises(InvalidInput, match="already undone"):
        undo_batch(session, batch_id=second.batch_id, now=now)
    with pytest.raises(NotFound, match="imports list"):
        undo_batch(session, batch_id=999, now=now)
    listed = list_batches(session)
    assert [(b.id, b.inserted, b.status) for b in listed] == [
        (second.batch_id, 45, "undone"),
        (1, 60, "done"),
    ]


def test_update_corrects_a_reimported_file_over_the_same_ids(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(now, "a", 10)
    _import(factory, rows, now)
    fixed = [{**r, "channel": "email"} if i < 4 else r for i, r in enumerate(rows)] + _rows(now, "new", 2)
    plain = _import(factory, fixed, now)
    assert (plain.inserted, plain.updated, plain.duplicates) == (
        2,
        0,
        10,
    )  # without --update: ids already there
    report = _import(factory, fixed, now, update=True)
    assert (report.inserted, report.updated, report.duplicates) == (0, 4, 8)
    assert "4 updated" in report.summary()
    channels = dict(session.exec(select(Verbatim.external_id, Verbatim.channel)).all())
    assert [channels[f"a{i}"] for i in range(5)] == ["email"] * 4 + ["phone"]


def test_a_score_corrected_by_update_moves_the_kpi_tallies(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    row = {
        "external_id": "x",
        "received_at": (now - timedelta(hours=2)).isoformat(),
        "score": 0,
        "scale": "nps",
    }
    _import(factory, [row], now)
    _import(factory, [{**row, "score": 10}], now, update=True)
    assert "NPS +100" in _answers(session, now)[0]


def test_undo_keeps_the_tallies_trigger_and_rolls_back_whole(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    _import(factory, _rows(now, "a", 30), now)
    second = _import(factory, _rows(now, "b", 20, team="Paris"), now)
    session.expire_all()
    during = _tallies(session)
    undo_batch(session, batch_id=second.batch_id, now=now)
    session.rollback()  # the undo fails before its commit: rows and tallies as they were
    assert _tallies(session) == during and len(session.exec(select(Verbatim)).all()) == 50
    undo_batch(session, batch_id=second.batch_id, now=now)
    session.commit()
    after_undo = _tallies(session)
    session.exec(delete(Verbatim).where(col(Verbatim.external_id) == "a1"))  # an ordinary delete later
    session.commit()
    assert _tallies(session) != after_undo  # ... still moves the tallies: the trigger is back
