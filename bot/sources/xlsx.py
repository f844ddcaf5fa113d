"""Excel workbooks (.xlsx), read as a stream (openpyxl read-only mode): the first sheet, first row = header."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from bot.errors import InvalidInput
from bot.sources.rows import BadRow, SourceRow, unique_header


def read_header(path: Path) -> list[str]:
    for item in _records(path, header_only=True):
        return item  # type: ignore[return-value]
    return []


def iter_xlsx(path: Path) -> Iterator[SourceRow | BadRow]:
    yield from _records(path, header_only=False)  # type: ignore[misc]


def _records(path: Path, *, header_only: bool) -> Iterator[object]:
    book = _open(path)
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
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
    finally:
        book.close()


def _open(path: Path):  # type: ignore[no-untyped-def]
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
