import csv
import json
from pathlib import Path

from sqlmodel import func, select

from bot.services.customers.importer import ImportOptions, import_rows
from bot.services.customers.records import RecordMapping
from bot.services.customers.taxonomy import load_taxonomy
from bot.sources.files import iter_rows
from models import Team, Verbatim

TAXONOMY = load_taxonomy()
HEADER = ["id", "date", "comment", "score", "team"]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _options(**kw) -> ImportOptions:  # type: ignore[no-untyped-def]
    mapping = RecordMapping.from_options(
        ["external_id=id", "received_at=date", "text=comment", "team=team"],
        date_format=None,
        scale="nps",
        timezone=__import__("zoneinfo").ZoneInfo("UTC"),
    )
    return ImportOptions(source="survey", mapping=mapping, **kw)


def _count(session) -> int:  # type: ignore[no-untyped-def]
    return session.exec(select(func.count()).select_from(Verbatim)).one()


GOOD = [
    ["a1", "2026-11-20T09:00:00+00:00", "I want to cancel, third time I call!", "1", "Care"],
    ["a2", "2026-11-20T10:00:00+00:00", 'Multi-line,\n"quoted" comment', "9", "Care"],
    ["a3", "2026-11-21T10:00:00+00:00", "", "7", "Sales"],
]


def test_import_triages_stores_and_reimport_adds_nothing(tmp_path: Path, factory, session, now) -> None:  # type: ignore[no-untyped-def]
    path = _write_csv(tmp_path / "in.csv", GOOD)
    report = import_rows(factory, iter_rows(path), options=_options(), taxonomy=TAXONOMY, now=now)
    assert (report.inserted, report.duplicates, report.rejected_count) == (3, 0, 0)
    assert sorted(report.new_teams) == ["Care", "Sales"]
    angry = session.exec(select(Verbatim).where(Verbatim.external_id == "a1")).one()
    assert "churn" in angry.risks and angry.language == "en" and angry.sentiment is not None
    assert angry.priority > session.exec(select(Verbatim).where(Verbatim.external_id == "a2")).one().priority
    assert (
        session.exec(select(Verbatim).where(Verbatim.external_id == "a2")).one().text
        == 'Multi-line,\n"quoted" comment'
    )
    again = import_rows(factory, iter_rows(path), options=_options(), taxonomy=TAXONOMY, now=now)
    assert (again.inserted, again.duplicates) == (0, 3)
    assert _count(session) == 3
    assert session.exec(select(func.count()).select_from(Team)).one() == 2


def test_one_bad_row_means_nothing_is_written_and_every_bad_line_is_reported(
    tmp_path: Path, factory, session, now
) -> None:  # type: ignore[no-untyped-def]
    rows = GOOD + [
        ["b1", "30/02/2026", "bad date", "3", "Care"],
        ["b2", "2026-11-21", "too high", "12", "Care"],
    ]
    report = import_rows(
        factory,
        iter_rows(_write_csv(tmp_path / "in.csv", rows)),
        options=_options(batch_size=2),
        taxonomy=TAXONOMY,
        now=now,
    )
    assert not report.written and report.rejected_count == 2 and report.inserted == 0
    # line numbers are file lines: header is 1, the quoted two-line comment makes a3 start at line 5
    assert [(r.line, r.reason.split(" ")[0]) for r in report.rejects] == [(6, "date"), (7, "score")]
    assert _count(session) == 0
    assert session.exec(select(func.count()).select_from(Team)).one() == 0
    assert "nothing written" in report.summary()


def test_skip_invalid_writes_the_good_rows_and_the_rejects_file(
    tmp_path: Path, factory, session, now
) -> None:  # type: ignore[no-untyped-def]
    rows = GOOD + [["b1", "nope", "bad date", "3", "Care"]]
    rejects = tmp_path / "rejects.csv"
    report = import_rows(
        factory,
        iter_rows(_write_csv(tmp_path / "in.csv", rows)),
        options=_options(skip_invalid=True, rejects_path=rejects, reject_columns=tuple(HEADER)),
        taxonomy=TAXONOMY,
        now=now,
    )
    assert report.written and report.inserted == 3 and report.rejected_count == 1
    assert _count(session) == 3
    with rejects.open() as handle:
        saved = list(csv.DictReader(handle))
    # the file's own columns, then where and why: fixable in a spreadsheet and importable again
    assert list(saved[0]) == [*HEADER, "line", "reject reason"]
    assert saved[0]["line"] == "6" and "nope" in saved[0]["reject reason"]
    assert (saved[0]["id"], saved[0]["date"], saved[0]["comment"]) == ("b1", "nope", "bad date")


def test_broken_jsonl_lines_are_reported_with_their_line(tmp_path: Path, factory, session, now) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    good = {
        "external_id": "j1",
        "received_at": "2026-11-20T09:00:00Z",
        "text": "fine",
        "score": 8,
        "scale": "nps",
    }
    path.write_text(json.dumps(good) + "\n{not json\n[1, 2]\n", encoding="utf-8")
    options = ImportOptions(source="api", mapping=RecordMapping())
    report = import_rows(factory, iter_rows(path), options=options, taxonomy=TAXONOMY, now=now)
    assert [r.line for r in report.rejects] == [2, 3] and _count(session) == 0


def test_big_and_strange_texts_are_stored_intact(tmp_path: Path, factory, session, now) -> None:  # type: ignore[no-untyped-def]
    strange = ("<!channel> <@U0BOSS> <b>bold</b> &amp; 😡🔥 Ça ne va pas, हिन्दी, 中文, עברית\n" * 1_400)[
        :100_000
    ]
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps(
            {
                "external_id": "big",
                "received_at": "2026-11-20T09:00:00Z",
                "text": strange,
                "score": 1,
                "scale": "csat",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    report = import_rows(
        factory,
        iter_rows(path),
        options=ImportOptions(source="api", mapping=RecordMapping()),
        taxonomy=TAXONOMY,
        now=now,
    )
    assert report.inserted == 1
    assert session.exec(select(Verbatim.text)).one() == strange
