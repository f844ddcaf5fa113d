"""CSV as people export it: `,` `;` tab or `|`, any common encoding, quotes that may be broken.

A quote that never closes properly would swallow the rows after it into one value: the csv module reads
strictly here, the broken record is reported with its line, and the lines after it are read again, so
one stray `"` costs one row, never a silent handful.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.sources.encoding import decode_error
from bot.sources.rows import BadRow, SourceRow, unique_header

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SNIFF_RECORDS = 50


def parse_delimiter(value: str) -> str:
    from bot.errors import InvalidInput

    named = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}
    value = named.get(value.lower(), value)
    if len(value) != 1:
        raise InvalidInput(f"--delimiter {value!r}: one character, or comma, semicolon, tab, pipe")
    return value


def detect_delimiter(sample: str) -> str:
    """The candidate that splits the first records into the most columns, the same number on each line."""
    sample = sample[: sample.rfind("\n") + 1] or sample  # drop a cut last line
    best, best_key = ",", (0.0, 0)
    for candidate in DELIMITERS:
        try:
            records = [r for r in _first_records(sample, candidate) if r]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        key = (sum(len(r) == width for r in records) / len(records), width)
        if key > best_key:
            best, best_key = candidate, key
    return best


def _first_records(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    out = []
    for record in reader:
        out.append(record)
        if len(out) >= _SNIFF_RECORDS:
            break
    return out


class _Lines:
    """Physical lines with their numbers; lines of a broken record can be pushed back to be read again."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._pending: deque[str] = deque()
        self.number = 0
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._pending.popleft() if self._pending else next(self._handle)
        self.number += 1
        self.taken.append(line)
        return line

    def push_back(self, lines: list[str]) -> None:
        self._pending.extendleft(reversed(lines))
        self.number -= len(lines)


def read_header(path: Path, *, encoding: str, delimiter: str) -> list[str]:
    for row in _records(path, encoding=encoding, delimiter=delimiter, header_only=True):
        return row  # type: ignore[return-value]
    return []


def iter_csv(path: Path, *, encoding: str, delimiter: str) -> Iterator[SourceRow | BadRow]:
    yield from _records(path, encoding=encoding, delimiter=delimiter, header_only=False)  # type: ignore[misc]


def _records(path: Path, *, encoding: str, delimiter: str, header_only: bool) -> Iterator[object]:
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            lines = _Lines(handle)
            header: list[str] | None = None
            for start, values, broken in _parse(lines, delimiter):
                if header is None:
                    if broken is not None:
                        from bot.errors import InvalidInput

                        raise InvalidInput(f"{path.name}: the header line is unreadable ({broken})")
                    header = unique_header(values)
                    if header_only:
                        yield header
                        return
                    continue
                yield _row(start, values, broken, header, delimiter)
    except UnicodeDecodeError as exc:
        raise decode_error(path, encoding, exc) from None


def _parse(lines: _Lines, delimiter: str) -> Iterator[tuple[int, list[str], str | None]]:
    """(first line, values, None) per record, or (first line, [raw line], why) for a broken one."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        lines.taken = []
        start = lines.number + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            taken = lines.taken
            end = lines.number
            lines.push_back(taken[1:])
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            reach = "the end of the file" if "end of data" in str(exc) else f"line {end}"
            why = f'unterminated or stray quote: a " on this line would swallow everything up to {reach}'
            yield start, [taken[0].rstrip("\r\n")] if taken else [], why
            continue
        if any(v.strip() for v in values):
            yield start, values, None


def _row(
    start: int, values: list[str], broken: str | None, header: list[str], delimiter: str
) -> SourceRow | BadRow:
    if broken is not None:
        return BadRow(start, broken, values[0] if values else "")
    if len(values) != len(header):
        return BadRow(
            start,
            f"{len(values)} columns where the header has {len(header)}",
            delimiter.join(values),
            values=tuple(values),
        )
    return SourceRow(start, dict(zip(header, values, strict=True)))
