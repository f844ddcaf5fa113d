"""Files as support teams export them: French Excel CSV, BOM, tabs, workbooks, JSON arrays, broken quotes."""

from __future__ import annotations

import codecs
import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.errors import InvalidInput
from bot.sources.files import BadRow, SourceRow, open_source

HEADER = ["id", "date", "commentaire", "note"]
ROWS = [
    ["r1", "03/09/2021", "Très déçu, je résilie", "1"],
    ["r2", "25/09/2021", "Accueil agréable; réponse rapide", "5"],
]


def _csv(path: Path, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8") -> Path:
    def cell(v: str) -> str:
        return f'"{v}"' if sep in v or '"' in v or "\n" in v else v

    text = "\r\n".join(sep.join(cell(v) for v in row) for row in [HEADER, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _data(path: Path, **kw) -> list[dict]:  # type: ignore[no-untyped-def]
    return [r.data for r in open_source(path, **kw).rows() if isinstance(r, SourceRow)]


@pytest.mark.parametrize(
    ("sep", "encoding", "described"),
    [
        (";", "cp1252", "CSV, semicolon-separated, cp1252"),  # French Excel
        ("\t", "utf-8", "CSV, tab-separated, utf-8"),
        (",", "utf-8-sig", "CSV, comma-separated, utf-8-sig"),  # Excel's "CSV UTF-8" has a BOM
    ],
)
def test_delimiter_and_encoding_are_detected(tmp_path: Path, sep: str, encoding: str, described: str) -> None:
    path = _csv(tmp_path / "export.csv", ROWS, sep=sep, encoding=encoding)
    source = open_source(path)
    assert source.describe() == described
    assert source.header == HEADER  # no BOM glued to the first name
    assert [d["commentaire"] for d in _data(path)] == [
        "Très déçu, je résilie",
        "Accueil agréable; réponse rapide",
    ]


def test_delimiter_can_be_forced(tmp_path: Path) -> None:
    path = _csv(tmp_path / "one.csv", [["a;b", "x", "y", "z"]], sep="|")
    assert open_source(path, delimiter="pipe").delimiter == "|"
    with pytest.raises(InvalidInput, match="one character"):
        open_source(path, delimiter=";;")


def test_an_unterminated_quote_costs_one_row_reported_with_its_line(tmp_path: Path) -> None:
    # Wrong before: the stray quote of line 2 swallowed line 3 into its comment, silently.
    path = tmp_path / "broken.csv"
    path.write_text(
        'id,date,commentaire,note\nr1,2021-09-03,"Très déçu,1\nr2,2021-09-04,"Bien",5\nr3,2021-09-05,ok,4\n',
        encoding="utf-8",
    )
    rows = list(open_source(path).rows())
    bad = [r for r in rows if isinstance(r, BadRow)]
    assert [b.line for b in bad] == [2] and "quote" in bad[0].reason
    good = [r for r in rows if isinstance(r, SourceRow)]
    assert [(r.line, r.data["id"], r.data["commentaire"]) for r in good] == [
        (3, "r2", "Bien"),
        (4, "r3", "ok"),
    ]


def test_a_quote_open_until_the_end_of_the_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "eof.csv"
    path.write_text(
        'id,date,commentaire,note\nr1,2021-09-03,ok,4\nr2,2021-09-04,"never closed,5\nr3,2021-09-05,ok,4\n'
    )
    rows = list(open_source(path).rows())
    assert [(r.line, type(r).__name__) for r in rows] == [(2, "SourceRow"), (3, "BadRow"), (4, "SourceRow")]
    assert "end of the file" in rows[1].reason  # type: ignore[union-attr]


def test_duplicated_column_names_are_both_kept(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,date,note,note\nr1,2021-09-03,1,5\n", encoding="utf-8")
    source = open_source(path)
    assert source.header == ["id", "date", "note (1)", "note (2)"]
    assert source.duplicates == {"note": ["note (1)", "note (2)"]}
    assert _data(path)[0]["note (2)"] == "5"


def test_xlsx_is_read_directly(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    sheet.append(["r1", datetime(2021, 9, 3, 10, 30), "Très déçu", 1])
    sheet.append([None, None, None, None])
    sheet.append(["r2", "25/09/2021", "Bien", 5.0])
    path = tmp_path / "export.xlsx"
    book.save(path)
    source = open_source(path)
    assert source.format == "xlsx" and source.header == HEADER
    rows = [r for r in source.rows() if isinstance(r, SourceRow)]
    assert [r.line for r in rows] == [2, 4]
    assert rows[0].data["date"] == datetime(2021, 9, 3, 10, 30) and rows[1].data["note"] == "5"


def test_json_arrays_and_json_lines_give_records_with_their_lines(tmp_path: Path) -> None:
    array = tmp_path / "export.json"
    array.write_text('[\n  {"id": "a", "note": 5},\n  {"id": "b",\n   "note": 1},\n  7\n]\n')
    rows = list(open_source(array).rows())
    assert [(r.line, type(r).__name__) for r in rows] == [(2, "SourceRow"), (3, "SourceRow"), (5, "BadRow")]
    assert open_source(array).header == ["id", "note"]
    lines = tmp_path / "export.jsonl"
    lines.write_text('{"id": "a"}\n\n{"id": "b"}\n')
    assert [r.line for r in open_source(lines).rows()] == [1, 3]


def _one_line(path: Path, **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        source = open_source(path, **kw)
        list(source.rows())
    assert "\n" not in caught.value.message
    return caught.value.message


def test_files_that_cannot_be_read_get_one_clear_line(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = tmp_path / "book.xlsx"
    Workbook().save(book)
    assert "xlsx" in _one_line(book, fmt="csv")  # a workbook forced as CSV
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in _one_line(binary)
    cp1252 = _csv(tmp_path / "fr.csv", ROWS, sep=";", encoding="cp1252")
    assert "--encoding" in _one_line(cp1252, encoding="utf-8")  # wrongly forced
    deep = tmp_path / "deep.json"
    deep.write_text("[" + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "]")
    assert "nested too deeply" in _one_line(deep)
    not_xlsx = tmp_path / "fake.xlsx"
    not_xlsx.write_text("id,date\n")
    assert "not a readable .xlsx" in _one_line(not_xlsx)
    assert "no such file" in _one_line(tmp_path / "missing.csv")


def test_deep_json_lines_are_rejected_rows_not_tracebacks(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": "a"}\n' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "\n")
    rows = list(open_source(path).rows())
    assert isinstance(rows[1], BadRow) and "nested too deeply" in rows[1].reason


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "id\tnote\nr1\t5\n".encode("utf-16-le"))
    assert _data(path) == [{"id": "r1", "note": "5"}]
    assert json.dumps(_data(path))  # plain values


def test_the_lean_sheet_reader_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    from bot.sources.xlsx import _cell, sheet_rows

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "when", "score", "flag", "comment"])
    sheet.append(["a", datetime(2021, 3, 4, 5, 6), 1.5, True, "Très bien, merci"])
    sheet.append([12345, None, 3, False, None])
    sheet["G5"] = "far away"
    sheet["A6"] = 1e21
    path = tmp_path / "mixed.xlsx"
    book.save(path)
    opened = load_workbook(path, read_only=True, data_only=True)

    def cleaned(rows):  # type: ignore[no-untyped-def]
        out = []
        for number, cells in rows:
            values = [_cell(c) for c in cells]
            while values and values[-1] == "":
                values.pop()
            if values:
                out.append((number, values))
        return out

    lean = cleaned(sheet_rows(opened))
    reference = cleaned(enumerate(opened.worksheets[0].iter_rows(values_only=True), start=1))
    assert lean == reference and lean[2] == (3, ["12345", "", "3", "False"])
