"""An import a support-ops lead can trust: right counts, text-only feedback, history, mapping checked first."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from bot.errors import InvalidInput
from bot.services.customers.digest import rank_for_digest
from bot.services.customers.file_import import plan_import, preview_import
from bot.services.customers.importer import ImportOptions, import_rows
from bot.services.customers.records import RecordMapping
from bot.services.customers.taxonomy import load_taxonomy
from bot.services.people.teams import find_team
from bot.sources.files import SourceRow, open_source
from models import ImportBatch, Verbatim
from tests.factories import answer

TAXONOMY = load_taxonomy()
UTC = ZoneInfo("UTC")
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def _mapping(*maps: str, scale: str | None = "csat", date_format: str | None = None) -> RecordMapping:
    return RecordMapping.from_options(list(maps), date_format=date_format, scale=scale, timezone=UTC)


def _import(factory, records, now, **options):  # type: ignore[no-untyped-def]
    mapping = options.pop("mapping", RecordMapping(default_scale=None))
    rows = (SourceRow(n, r) for n, r in enumerate(records, start=2))
    opts = ImportOptions(source=options.pop("source", "survey"), mapping=mapping, **options)
    return import_rows(factory, rows, options=opts, taxonomy=TAXONOMY, now=now)


def _answer(session, question: str, now) -> str:  # type: ignore[no-untyped-def]
    return answer(session, question, now=now)


def test_identical_rows_without_ids_count_as_many_times_as_they_appear(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    # Wrong before: two customers who gave 5 the same day with no comment were one ("already there").
    day = (now - timedelta(days=2)).date().isoformat()
    rows = [{"received_at": day, "score": "5", "scale": "csat"}] * 3 + [
        {"received_at": day, "score": "1", "scale": "csat"}
    ]
    first = _import(factory, rows, now)
    assert (first.inserted, first.duplicates) == (4, 0)
    again = _import(factory, rows, now)
    assert (again.inserted, again.duplicates) == (0, 4)  # re-importing the same file adds nothing
    assert "75.0%" in _answer(session, "csat last 7 days", now) and "4 responses" in _answer(
        session, "csat last 7 days", now
    )


def test_a_file_without_an_id_column_is_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "no_ids.csv"
    path.write_text("date,score\n2026-11-20,5\n")
    plan = plan_import(open_source(path), _mapping("received_at=date"))
    assert any("no id column" in note for note in plan.notes)


def test_text_only_feedback_needs_no_scale(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    # Wrong before: every row of a comments-only export was refused with "no scale".
    rows = [{"external_id": "p1", "received_at": now.isoformat(), "text": "Third time I call, I will cancel"}]
    report = _import(factory, rows, now, source="social")
    assert report.inserted == 1 and report.rejected_count == 0
    stored = session.exec(select(Verbatim)).one()
    assert stored.score is None and stored.scale == "" and stored.risks  # triaged like any other
    scored = _import(factory, [{"received_at": now.isoformat(), "score": "4"}], now)
    assert scored.rejects[0].reason.startswith("a score and no scale")


def test_old_feedback_is_history_counted_in_kpis_never_in_the_digest(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    # Wrong before: five years of reviews flooded the next digest ("waiting 3,540 days").
    rows = [
        {
            "external_id": "old",
            "received_at": (now - timedelta(days=3540)).isoformat(),
            "text": "bad",
            "team": "Care",
        },
        {
            "external_id": "recent",
            "received_at": (now - timedelta(days=2)).isoformat(),
            "text": "bad",
            "team": "Care",
        },
    ]
    report = _import(factory, rows, now)
    assert report.history == 1 and "1 as history" in report.summary()
    team = find_team(session, "Care")
    ranked = rank_for_digest(session, team, start=now - timedelta(days=1), end=now, now=now)
    ids = {session.get(Verbatim, r.id).external_id for r in ranked}
    assert ids == {"recent"}
    as_read = _import(factory, [{**rows[1], "external_id": "read"}], now, history=True)
    assert as_read.history == 1


def test_the_mapping_is_checked_against_the_header_before_any_row(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("Survey date,CSAT Score,headline,pros,cons\n2026-11-20,5,Good,Fast,Pricey\n")
    source = open_source(path)
    with pytest.raises(InvalidInput, match="did you mean 'CSAT Score'"):
        plan_import(source, _mapping("received_at=Survey date", "score=csat score"))
    with pytest.raises(InvalidInput, match=r"join them with \+: --map text=pros\+cons"):
        plan_import(source, _mapping("received_at=Survey date", "text=pros,cons"))
    with pytest.raises(InvalidInput, match="no date column.*'Survey date'"):
        plan_import(source, _mapping("text=pros"))
    with pytest.raises(InvalidInput, match="given twice"):
        _mapping("text=pros", "text=cons")
    plan = plan_import(
        source, _mapping("received_at=Survey date", "text=headline+pros+cons", "score=CSAT Score")
    )
    preview = preview_import(source, plan, now=__import__("tests.conftest").conftest.NOW)
    assert preview.rows[0].text == "Good\n\nFast\n\nPricey" and preview.rows[0].score == 5


def test_an_unmapped_export_gets_every_missing_field_at_once_with_columns_to_try(tmp_path: Path) -> None:
    """A support lead's first try on a survey export: one message for all that is missing, the columns whose
    names suggest each field, and a line to paste (a suggestion only: nothing is mapped behind their back)."""
    path = tmp_path / "export.csv"
    path.write_text(
        "Unique id,order_date_time,Survey_response_Date,Customer Remarks,CSAT Score\n1,x,01-Aug-23,Ok,5\n"
    )
    with pytest.raises(InvalidInput) as raised:
        plan_import(open_source(path), _mapping())
    error = raised.value
    assert "no date column" in error.message and "neither a text nor a score column" in error.message
    assert "maybe text: 'Customer Remarks'; score: 'CSAT Score'" in error.message
    assert error.hints[-1] == (  # the survey's date before the order's
        "to try (check the preview): --map received_at=Survey_response_Date "
        "--map text='Customer Remarks' --map score='CSAT Score'"
    )


def test_scores_without_a_scale_are_refused_before_any_row_is_read(tmp_path: Path) -> None:
    path = tmp_path / "avis.csv"
    path.write_text("date_publication,note,avis\n21/08/2023,1,Nul\n")
    source = open_source(path)
    maps = ("received_at=date_publication", "score=note", "text=avis")
    with pytest.raises(InvalidInput, match=r"no scale: pass --scale csat.*'note' sounds like --scale stars"):
        plan_import(source, _mapping(*maps, scale=None))
    assert plan_import(source, _mapping(*maps, scale="stars"))  # the scale given: read
    assert plan_import(source, _mapping(*maps[::2], scale=None))  # text only needs no scale


def test_a_duplicated_column_must_be_chosen(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("date,score,score\n2026-11-20,1,5\n")
    source = open_source(path)
    with pytest.raises(InvalidInput, match=r'appears 2 times.*--map score="score \(2\)"'):
        plan_import(source, _mapping("received_at=date"))
    plan = plan_import(source, _mapping("received_at=date", "score=score (2)"))
    assert preview_import(source, plan, now=__import__("tests.conftest").conftest.NOW).rows[0].score == 5


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["03/04/2021", "25/04/2021"], "%d/%m/%Y"),  # 25 settles it: day first
        (["04/03/2021", "04/25/2021"], "%m/%d/%Y"),
        (["01-Aug-23", "15-Aug-23"], "%d-%b-%y"),
    ],
)
def test_the_date_order_is_decided_on_the_whole_file(tmp_path: Path, dates: list[str], expected: str) -> None:
    path = tmp_path / "d.csv"
    path.write_text("date,score\n" + "".join(f"{d},5\n" for d in dates))
    assert plan_import(open_source(path), _mapping("received_at=date")).mapping.date_format == expected


def test_ambiguous_dates_ask_for_a_format_and_a_wrong_format_gets_the_one_that_fits(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("date,score\n03/04/2021,5\n05/06/2021,4\n")
    with pytest.raises(InvalidInput, match="dd/mm/yyyy or mm/dd/yyyy.*--date-format"):
        plan_import(open_source(path), _mapping("received_at=date"))
    mon = tmp_path / "m.csv"
    mon.write_text("date,score\n01-Aug-23,5\n02-Aug-23,4\n")
    with pytest.raises(InvalidInput, match="reads 0 of 2.*dd-Mon-yy fits 2"):
        plan_import(open_source(mon), _mapping("received_at=date", date_format="dd/mm/yyyy"))


def test_dates_before_1990_or_in_the_future_are_flagged(factory, now) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"received_at": "1899-12-30", "text": "excel zero date"},
        {"received_at": (now + timedelta(days=40)).date().isoformat(), "text": "month and day swapped"},
        {"received_at": "9999-12-31T23:59:59-05:00", "text": "beyond the calendar"},
        {"received_at": "2026-02-30", "text": "no such day"},
    ]
    report = _import(factory, rows, now)
    reasons = [r.reason for r in report.rejects]
    assert "before 1990" in reasons[0] and "in the future" in reasons[1]
    assert "does not match" in reasons[2] and "does not match" in reasons[3]


def test_values_of_the_wrong_type_are_refused_with_the_reason(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    # Wrong before: a list as team created a team named "['Alpha', 'Beta']".
    report = _import(factory, [{"received_at": now.isoformat(), "text": "x", "team": ["Alpha", "Beta"]}], now)
    assert not report.written and "team must be text or a number, not a list" in report.rejects[0].reason
    assert find_team(session, "['Alpha', 'Beta']") is None


def test_dry_run_counts_and_shows_rows_and_writes_nothing(tmp_path: Path, session, now) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.csv"
    path.write_text(
        "date,score,comment\n" + "".join(f"2026-11-1{i},{i % 5 + 1},c{i}\n" for i in range(8)) + "x,9,bad\n"
    )
    plan = plan_import(open_source(path), _mapping("received_at=date", "text=comment"))
    preview = preview_import(open_source(path), plan, now=now)
    assert len(preview.rows) == 5 and preview.report.read == 9 and preview.report.rejected_count == 1
    assert session.exec(select(func.count()).select_from(Verbatim)).one() == 0
    assert session.exec(select(func.count()).select_from(ImportBatch)).one() == 0


@pytest.mark.skipif(not (DATA / "csat_support_sample.csv").exists(), reason="shared data absent")
def test_the_real_csat_file_answers_82_4_percent_on_476(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    source = open_source(DATA / "csat_support_sample.csv")
    maps = [
        "score=CSAT Score",
        "text=Customer Remarks",
        "received_at=Survey_response_Date",
        "team=Supervisor",
    ]
    plan = plan_import(source, _mapping(*maps))
    options = ImportOptions(source="csat", mapping=plan.mapping)
    report = import_rows(factory, source.rows(), options=options, taxonomy=TAXONOMY, now=now)
    assert (report.inserted, report.duplicates, report.history) == (476, 0, 476)
    answer = _answer(session, "csat aug 2023", now)
    assert "CSAT 82.4%" in answer and "476 responses" in answer
    again = import_rows(factory, source.rows(), options=options, taxonomy=TAXONOMY, now=now)
    assert (again.inserted, again.duplicates) == (0, 476)
