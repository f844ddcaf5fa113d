"""Stream records out of CSV and JSONL files, one row at a time, with their file line numbers."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InvalidInput

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

FORMATS = ("csv", "jsonl")


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int  # 1-based line of the file where the record starts
    data: dict[str, object]


@dataclass(frozen=True, slots=True)
class BadRow:
    """A record the file itself makes unreadable (broken JSON, not an object)."""

    line: int
    reason: str
    raw: str


def detect_format(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMATS:
            raise InvalidInput(f"unknown format {explicit!r}: use csv or jsonl")
        return explicit
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise InvalidInput(
        f"cannot tell the format of {path.name}: name it .csv or .jsonl, or say which format it is",
        code="format_unknown",
        field="format",
        values={"name": path.name},
    )


def iter_rows(path: Path, fmt: str | None = None) -> Iterator[SourceRow | BadRow]:
    if not path.exists():
        raise InvalidInput(f"no such file: {path}")
    if detect_format(path, fmt) == "csv":
        yield from _iter_csv(path)
    else:
        yield from _iter_jsonl(path)


def _iter_csv(path: Path) -> Iterator[SourceRow | BadRow]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(8192)
        handle.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        header = [h.strip() for h in header]
        start = reader.line_num + 1
        for values in reader:
            if not any(v.strip() for v in values):
                start = reader.line_num + 1
                continue
            if len(values) != len(header):
                yield BadRow(
                    start, f"{len(values)} columns where the header has {len(header)}", delimiter.join(values)
                )
            else:
                yield SourceRow(start, dict(zip(header, values, strict=True)))
            start = reader.line_num + 1


def _iter_jsonl(path: Path) -> Iterator[SourceRow | BadRow]:
    with path.open("r", encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadRow(number, f"not valid JSON ({exc.msg} at column {exc.colno})", line.rstrip("\n"))
                continue
            if not isinstance(data, dict):
                yield BadRow(number, "a JSON object is expected on each line", line.rstrip("\n"))
                continue
            yield SourceRow(number, data)
