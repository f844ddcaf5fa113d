"""What every reader yields: a record with the line it starts on, or a line the file makes unreadable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int  # 1-based line of the file where the record starts (row number in a workbook)
    data: dict[str, object]


@dataclass(frozen=True, slots=True)
class BadRow:
    """A record the file itself makes unreadable (broken quotes or JSON, wrong column count)."""

    line: int
    reason: str
    raw: str
    values: tuple[str, ...] = ()  # the cells, when the record could be split


def unique_header(names: Sequence[object]) -> list[str]:
    """Column names, stripped; a blank one is named by its position; a name that appears more than once is
    numbered on every occurrence ("score (1)", "score (2)") so that none is silently dropped and mapping the
    bare name asks which one is meant (see `duplicated_columns`)."""
    cleaned = [str(n).strip() if n is not None else "" for n in names]
    cleaned = [name or f"column {i}" for i, name in enumerate(cleaned, start=1)]
    counts: dict[str, int] = {}
    for name in cleaned:
        counts[name] = counts.get(name, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for name in cleaned:
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            out.append(f"{name} ({seen[name]})")
        else:
            out.append(name)
    return out


def duplicated_columns(header: list[str]) -> dict[str, list[str]]:
    """Bare name -> its numbered columns, for names that appear more than once."""
    out: dict[str, list[str]] = {}
    for name in header:
        if name.endswith(")") and " (" in name:
            bare, _, number = name[:-1].rpartition(" (")
            if number.isdigit() and f"{bare} (1)" in header and f"{bare} (2)" in header:
                out.setdefault(bare, []).append(name)
    return out
