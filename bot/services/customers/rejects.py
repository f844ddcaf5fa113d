"""Rejected rows: the first ones kept for the report, all of them (with --skip-invalid) in a CSV that has the
file's own columns plus `line` and `reject reason`, so it can be fixed in a spreadsheet and imported again."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from bot.services.customers.importer import ImportReport

KEPT_REJECTS = 50
LINE, WHY = "line", "reject reason"  # not "reason": re-importing must not read it as the feedback's reason


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str
    raw: object  # the record (a mapping), or the raw text of a line that could not be split
    values: tuple[str, ...] = ()  # the cells of a line with the wrong number of columns
    code: str = "invalid_row"  # the RowError's code (e.g. date_format), for adapters that phrase it


class RejectSink:
    def __init__(self, report: ImportReport, path: Path | None, columns: tuple[str, ...]) -> None:
        self.report = report
        self.path = path
        self.columns = columns
        self._handle: TextIO | None = None
        self._writer: Any = None  # a csv writer, once the first reject comes

    def __enter__(self) -> RejectSink:
        return self

    def add(self, reject: Reject) -> None:
        self.report.rejected_count += 1
        if len(self.report.rejects) < KEPT_REJECTS:
            self.report.rejects.append(reject)
        if self.path is not None:
            self._write(reject)

    def _write(self, reject: Reject) -> None:
        if self._writer is None:
            assert self.path is not None
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow([*(self.columns or ("record",)), LINE, WHY])
        width = len(self.columns) or 1
        if isinstance(reject.raw, dict) and self.columns:
            cells = [_cell(reject.raw.get(c)) for c in self.columns]
        elif isinstance(reject.raw, dict):
            cells = [json.dumps(reject.raw, ensure_ascii=False, default=str)]
        elif reject.values:  # too many cells: the extra ones stay together in the last column
            cells = list(reject.values[: width - 1]) + [",".join(reject.values[width - 1 :])]
        else:
            cells = [str(reject.raw)]
        cells += [""] * (width - len(cells))
        self._writer.writerow([*cells, reject.line, reject.reason])

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
