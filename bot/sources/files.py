"""Open a feedback file as it comes (CSV in any common dialect, .xlsx, JSON arrays, JSON Lines): what it is
(format, encoding, delimiter, header) is settled before any row is read, and rows stream one at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import InvalidInput
from bot.sources import csvfile, jsonfile, xlsx
from bot.sources.encoding import HEAD_BYTES, detect_encoding, read_head, refuse_binary
from bot.sources.rows import BadRow, SourceRow, duplicated_columns

__all__ = ["BadRow", "SourceFile", "SourceRow", "detect_format", "iter_rows", "open_source"]

FORMATS = ("csv", "xlsx", "json", "jsonl")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass
class SourceFile:
    path: Path
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header: list[str] = field(default_factory=list)
    workbook: xlsx.Workbook | None = None

    def rows(self) -> Iterator[SourceRow | BadRow]:
        """Every record, from the start (each call reads the file again)."""
        if self.format == "csv":
            assert self.encoding and self.delimiter
            return csvfile.iter_csv(self.path, encoding=self.encoding, delimiter=self.delimiter)
        if self.workbook is not None:
            return xlsx.iter_xlsx(self.workbook)
        assert self.encoding
        return jsonfile.iter_json(self.path, encoding=self.encoding)

    @property
    def duplicates(self) -> dict[str, list[str]]:
        return duplicated_columns(self.header)

    def describe(self) -> str:
        if self.format == "csv":
            name = csvfile.DELIMITER_NAMES.get(self.delimiter or ",", repr(self.delimiter))
            return f"CSV, {name}-separated, {self.encoding}"
        if self.format == "xlsx":
            return "Excel workbook (first sheet)"
        return f"JSON ({self.encoding})"


def detect_format(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMATS:
            raise InvalidInput(f"unknown format {explicit!r}: use {', '.join(FORMATS)}")
        return explicit
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(
            f"cannot tell the format of {path.name}: name it .csv, .xlsx, .json or .jsonl, or pass --format"
        )
    return fmt


def open_source(
    path: Path, *, fmt: str | None = None, delimiter: str | None = None, encoding: str | None = None
) -> SourceFile:
    """Settle what the file is; one clear InvalidInput if it cannot be read as the format it claims."""
    fmt = detect_format(path, fmt)
    head = read_head(path)
    if fmt == "xlsx":
        book = xlsx.Workbook(path)
        return SourceFile(path, fmt, header=xlsx.read_header(book), workbook=book)
    refuse_binary(path, head, expected=fmt.upper())
    enc = detect_encoding(path, head, encoding)
    if fmt == "csv":
        try:
            sample = head.decode(enc, errors="ignore")
        except LookupError:  # pragma: no cover - detect_encoding checked the name
            raise InvalidInput(f"unknown encoding {enc!r}") from None
        sep = csvfile.parse_delimiter(delimiter) if delimiter else csvfile.detect_delimiter(sample)
        if len(head) == HEAD_BYTES and "\n" not in sample:
            raise InvalidInput(f"{path.name}: no line break in the first 64 kB; is it really a CSV file?")
        return SourceFile(path, fmt, enc, sep, header=csvfile.read_header(path, encoding=enc, delimiter=sep))
    source = SourceFile(path, fmt, enc)
    source.header = jsonfile.keys_seen(source.rows())
    return source


def iter_rows(path: Path, fmt: str | None = None) -> Iterator[SourceRow | BadRow]:
    return open_source(path, fmt=fmt).rows()
