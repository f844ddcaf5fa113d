"""JSON Lines (one object per line) and JSON arrays of objects, with the line each record starts on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from bot.errors import InvalidInput
from bot.sources.encoding import decode_error
from bot.sources.rows import BadRow, SourceRow

_DECODER = json.JSONDecoder()
TOO_DEEP = "nested too deeply to be a feedback record"


def is_array(path: Path, encoding: str) -> bool:
    with path.open("r", encoding=encoding) as handle:
        while chunk := handle.read(4096):
            stripped = chunk.lstrip()
            if stripped:
                return stripped[0] == "["
    return False


def iter_json(path: Path, *, encoding: str) -> Iterator[SourceRow | BadRow]:
    try:
        if is_array(path, encoding):
            yield from _iter_array(path, encoding)
        else:
            yield from _iter_lines(path, encoding)
    except UnicodeDecodeError as exc:
        raise decode_error(path, encoding, exc) from None


def _iter_lines(path: Path, encoding: str) -> Iterator[SourceRow | BadRow]:
    with path.open("r", encoding=encoding) as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield _record(number, line.rstrip("\n"), lambda text=line: json.loads(text))


def _iter_array(path: Path, encoding: str) -> Iterator[SourceRow | BadRow]:
    text = path.read_text(encoding=encoding)
    at = text.index("[") + 1
    line = 1 + text.count("\n", 0, at)
    while True:
        at, line = _skip_space(text, at, line)
        if at >= len(text):
            raise InvalidInput(f"{path.name}: the JSON array is not closed (no ']' at the end)")
        if text[at] == "]":
            return
        start, start_line = at, line
        try:
            data, at = _DECODER.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path.name} line {exc.lineno}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise InvalidInput(f"{path.name} line {start_line}: a record {TOO_DEEP}") from None
        line += text.count("\n", start, at)
        yield _record(start_line, text[start:at][:500], lambda value=data: value)
        at, line = _skip_space(text, at, line)
        if at < len(text) and text[at] == ",":
            at += 1


def _skip_space(text: str, at: int, line: int) -> tuple[int, int]:
    while at < len(text) and text[at] in " \t\r\n":
        line += text[at] == "\n"
        at += 1
    return at, line


def _record(number: int, raw: str, load) -> SourceRow | BadRow:
    try:
        data = load()
    except json.JSONDecodeError as exc:
        return BadRow(number, f"not valid JSON ({exc.msg} at column {exc.colno})", raw)
    except RecursionError:
        return BadRow(number, TOO_DEEP, raw[:200])
    if not isinstance(data, dict):
        return BadRow(number, "a JSON object is expected for each record", raw)
    return SourceRow(number, data)


def keys_seen(rows: Iterator[SourceRow | BadRow], *, limit: int = 1000) -> list[str]:
    """The field names of the first records, in order of appearance (JSON has no header)."""
    seen: dict[str, None] = {}
    for count, row in enumerate(rows):
        if count >= limit:
            break
        if isinstance(row, SourceRow):
            seen.update(dict.fromkeys(map(str, row.data)))
    return list(seen)
