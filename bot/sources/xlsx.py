"""Excel workbooks (.xlsx), read as a stream (openpyxl read-only mode): the first sheet, first row = header."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from bot.errors import InvalidInput
from bot.sources.rows import BadRow, SourceRow, unique_header
from bot.sources.xlsx_sheet import SheetReader

CACHED_ROWS = 200_000  # a sheet up to this size is parsed once and kept for the next pass (dates, then rows)


class Workbook:
    """One open workbook for the header, the date scan and the import. Parsing a sheet's XML is the slow part
    (about 10x a CSV), so a sheet of up to CACHED_ROWS rows is parsed once: the first full pass keeps its
    rows in memory and the import reads them from there; a bigger one is parsed again on each pass."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._book = None
        self.rows: list[SourceRow | BadRow] | None = None

    def book(self):
        if self._book is None:
            self._book = _open(self.path)
        return self._book

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


def read_header(book: Workbook) -> list[str]:
    for item in _records(book, header_only=True):
        return item  # type: ignore[return-value]
    return []


def iter_xlsx(book: Workbook) -> Iterator[SourceRow | BadRow]:
    if book.rows is not None:
        yield from book.rows
        return
    kept: list[SourceRow | BadRow] | None = []
    for row in _records(book, header_only=False):
        if kept is not None:
            kept.append(row)  # type: ignore[arg-type]
            if len(kept) > CACHED_ROWS:
                kept = None
        yield row  # type: ignore[misc]
    book.rows = kept


def sheet_rows(book) -> Iterator[tuple[int, list[object]]]:
    """(row number, cell values) of the first sheet: the lean expat reader, or openpyxl's own where this
    openpyxl does not expose what the lean reader needs."""
    try:
        reader = SheetReader(book)
    except AttributeError:  # pragma: no cover - another openpyxl
        for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(cells)
        return
    for number, cells in reader.rows():
        width = max(cells, default=0)
        yield number, [cells.get(i) for i in range(1, width + 1)]


def _records(workbook: Workbook, *, header_only: bool) -> Iterator[object]:
    book = workbook.book()
    header: list[str] | None = None
    for number, cells in sheet_rows(book):
        values = [_cell(c) for c in cells]
        if not any(v != "" for v in values):
            continue
        if header is None:
            header = unique_header(values)
            if header_only:
                yield header
                return
            continue
        values = (values + [""] * len(header))[: max(len(header), len(values))]
        if len(values) > len(header) and any(v != "" for v in values[len(header) :]):
            yield BadRow(
                number, f"cells beyond the {len(header)} header columns", "", tuple(map(str, values))
            )
            continue
        yield SourceRow(number, dict(zip(header, values[: len(header)], strict=True)))


def _open(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(
            f"{path.name} is not a readable .xlsx workbook ({exc.__class__.__name__})"
        ) from None


def _cell(value: object) -> object:
    """Dates stay dates (no day/month guessing); whole numbers lose their '.0'; empty cells are ''."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)
