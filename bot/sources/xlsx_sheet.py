"""A lean reader of a worksheet's XML (expat, no cell objects): about 4x openpyxl's read-only parser, which
dominated the import of a workbook. openpyxl still opens the workbook and supplies what the cells refer to:
the shared strings, the styles that are dates, the date epoch. Formulas read their cached value."""

from __future__ import annotations

from collections.abc import Iterator
from pyexpat import ParserCreate

from openpyxl.utils.datetime import from_excel, from_ISO8601

CHUNK = 1 << 20


def column_index(ref: str) -> int:
    """'B12' -> 2 (1-based)."""
    n = 0
    for char in ref:
        if "A" <= char <= "Z":
            n = n * 26 + ord(char) - 64
        else:
            break
    return n


class SheetReader:
    """(row number, {column: value}) for each row of the first sheet of an openpyxl read-only workbook."""

    def __init__(self, book) -> None:
        sheet = book.worksheets[0]
        self._open = sheet._get_source  # noqa: SLF001 - openpyxl's own way to the sheet's XML
        self._strings = sheet._shared_strings  # noqa: SLF001
        self._epoch = book.epoch
        self._dates = book._date_formats  # noqa: SLF001
        self._durations = book._timedelta_formats  # noqa: SLF001

    def rows(self) -> Iterator[tuple[int, dict[int, object]]]:
        done: list[tuple[int, dict[int, object]]] = []
        state = _State()
        parser = ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = lambda name, attrs: self._start(state, name.rpartition(":")[2], attrs)
        parser.EndElementHandler = lambda name: self._end(state, name.rpartition(":")[2], done)
        parser.CharacterDataHandler = lambda data: state.text.append(data) if state.collecting else None
        with self._open() as source:
            while chunk := source.read(CHUNK):
                parser.Parse(chunk, False)
                yield from done
                done.clear()
            parser.Parse(b"", True)
        yield from done

    def _start(self, s: _State, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            ref = attrs.get("r")
            s.column = column_index(ref) if ref else s.column + 1
            s.kind, s.style, s.text, s.inline = attrs.get("t", "n"), int(attrs.get("s", 0)), [], []
        elif name == "v" or (name == "t" and s.kind == "inlineStr"):
            s.collecting, s.text = True, []
        elif name == "row":
            s.row = int(attrs.get("r", s.row + 1))
            s.cells, s.column = {}, 0

    def _end(self, s: _State, name: str, done: list) -> None:
        if name == "v":
            s.value, s.collecting = "".join(s.text), False
        elif name == "t" and s.kind == "inlineStr":
            s.inline.append("".join(s.text))
            s.collecting = False
        elif name == "c":
            s.cells[s.column] = self._value(s)
            s.value = None
        elif name == "row":
            done.append((s.row, s.cells))

    def _value(self, s: _State) -> object:
        if s.kind == "inlineStr":
            return "".join(s.inline)
        raw = s.value
        if raw is None or raw == "":
            return None
        if s.kind == "s":
            return self._strings[int(raw)]
        if s.kind == "n":
            number = float(raw)
            if s.style in self._dates:
                try:
                    return from_excel(number, self._epoch, timedelta=s.style in self._durations)
                except (OverflowError, ValueError):
                    return raw
            return int(number) if number.is_integer() and "E" not in raw.upper() else number
        if s.kind == "b":
            return raw == "1"
        if s.kind == "d":
            return from_ISO8601(raw)
        return raw  # str (a formula's text), e (an error like #N/A)


class _State:
    __slots__ = ("cells", "collecting", "column", "inline", "kind", "row", "style", "text", "value")

    def __init__(self) -> None:
        self.row, self.column, self.style = 0, 0, 0
        self.kind = "n"
        self.cells: dict[int, object] = {}
        self.text: list[str] = []
        self.inline: list[str] = []
        self.collecting = False
        self.value: str | None = None
