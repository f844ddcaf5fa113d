"""Check a mapping against the file's header before any row is read: a misspelt column is an error that
names the closest columns, `text=headline+pros+cons` joins columns, a duplicated column must be chosen."""

from __future__ import annotations

import difflib
import shlex
from dataclasses import dataclass, replace

from bot.errors import InvalidInput
from bot.services.customers.records import CANONICAL_FIELDS, RecordMapping
from bot.sources.rows import duplicated_columns

_DATE_WORDS = ("date", "time", "created", "submitted", "jour", "publication", "when")


@dataclass(frozen=True)
class CheckedMapping:
    mapping: RecordMapping
    used: dict[str, tuple[str, ...]]  # field -> the columns it reads
    warnings: list[str]


def check_mapping(mapping: RecordMapping, header: list[str]) -> CheckedMapping:
    """The mapping with each field resolved to existing columns, or one InvalidInput saying what to fix."""
    columns = set(header)
    duplicated = duplicated_columns(header)
    resolved: dict[str, tuple[str, ...]] = {}
    for name, given in mapping.columns.items():
        resolved[name] = _resolve(name, given[0], header, columns, duplicated)
    for name in CANONICAL_FIELDS:
        if name not in resolved and name in duplicated:
            raise _ambiguous(name, name, duplicated[name])
        if name not in resolved and name in columns:
            resolved[name] = (name,)
    _require(resolved, header)
    _require_scale(mapping, resolved)
    warnings = []
    if "external_id" not in resolved:
        warnings.append(
            "no id column: rows are keyed by their content (identical rows in one file count separately, "
            "re-importing the same file adds nothing); map one with --map external_id=COLUMN if the file has ids"
        )
    for bare, numbered in duplicated.items():
        if not any(set(numbered) & set(cols) for cols in resolved.values()):
            warnings.append(f"column {bare!r} appears {len(numbered)} times; read as {', '.join(numbered)}")
    return CheckedMapping(replace(mapping, columns=resolved), resolved, warnings)


def _resolve(
    name: str, raw: str, header: list[str], columns: set[str], duplicated: dict[str, list[str]]
) -> tuple[str, ...]:
    if raw in columns:
        return (raw,)
    if raw in duplicated:
        raise _ambiguous(name, raw, duplicated[raw])
    parts = [p.strip() for p in raw.split("+")] if "+" in raw else []
    if parts and all(p in columns for p in parts):
        return tuple(parts)
    missing = [p for p in parts if p not in columns] or [raw]
    hint = ""
    commas = [p.strip() for p in raw.split(",")]
    if len(commas) > 1 and all(p in columns for p in commas):
        hint = f"; to combine columns join them with +: --map {name}={'+'.join(commas)}"
    else:
        hint = _closest(missing[0], header)
    raise InvalidInput(
        f"--map {name}={raw}: no column {missing[0]!r} in the file{hint}", hints=[_listing(header)]
    )


def _closest(wanted: str, header: list[str]) -> str:
    same_case = [h for h in header if h.lower() == wanted.lower()]
    close = same_case or difflib.get_close_matches(wanted, header, n=3, cutoff=0.5)
    if not close:
        lowered = {h.lower(): h for h in header}
        close = [
            lowered[c] for c in difflib.get_close_matches(wanted.lower(), list(lowered), n=3, cutoff=0.5)
        ]
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _listing(header: list[str]) -> str:
    shown = ", ".join(repr(h) for h in header[:30])
    return f"columns: {shown}" + (f" and {len(header) - 30} more" if len(header) > 30 else "")


def _ambiguous(name: str, bare: str, numbered: list[str]) -> InvalidInput:
    choices = " or ".join(f'--map {name}="{n}"' for n in numbered)
    return InvalidInput(
        f"column {bare!r} appears {len(numbered)} times in the header: say which one, {choices}"
    )


_SCORE_WORDS = ("score", "rating", "note", "nps", "csat", "star", "grade", "rate")
_TEXT_WORDS = ("comment", "remark", "text", "feedback", "verbatim", "avis", "review", "message", "answer",
               "headline", "pros", "cons", "body")  # fmt: skip
_WHEN_FIRST = ("survey", "response", "review", "submitted", "publication", "feedback", "answer")


def _candidates(header: list[str], words: tuple[str, ...], first: tuple[str, ...] = ()) -> list[str]:
    """Columns whose name holds one of `words`, those holding one of `first` first (a guess to show, never
    to apply: mapping the wrong column would give a silently wrong figure)."""
    found = [h for h in header if any(w in h.lower() for w in words)]
    return sorted(found, key=lambda h: not any(w in h.lower() for w in first))


def _require(resolved: dict[str, tuple[str, ...]], header: list[str]) -> None:
    """Every missing field in one message, with the columns whose names suggest them and a line to try."""
    problems, tries = [], []
    dates = _candidates(header, _DATE_WORDS, _WHEN_FIRST)
    if "received_at" not in resolved:
        hint = f" (maybe {', '.join(repr(d) for d in dates[:3])})" if dates else ""
        problems.append(
            f"no date column: map the one that says when the feedback was given, --map received_at=COLUMN{hint}"
        )
        tries += [("received_at", dates[0])] if dates else []
    if "text" not in resolved and "score" not in resolved:
        scores = [h for h in _candidates(header, _SCORE_WORDS) if h not in dates]
        texts = [h for h in _candidates(header, _TEXT_WORDS) if h not in dates and h not in scores]
        maybe = [f"{what}: {', '.join(repr(c) for c in found[:3])}" for what, found in
                 (("text", texts), ("score", scores)) if found]  # fmt: skip
        hint = f" (maybe {'; '.join(maybe)})" if maybe else ""
        problems.append(
            "neither a text nor a score column: map at least one, e.g. --map text=COLUMN --map score=COLUMN"
            + hint
        )
        tries += [(field, found[0]) for field, found in (("text", texts), ("score", scores)) if found]
    if not problems:
        return
    hints = [_listing(header)]
    if tries:
        hints.append(
            "to try (check the preview): " + " ".join(f"--map {f}={shlex.quote(c)}" for f, c in tries)
        )
    raise InvalidInput("; ".join(problems), hints=hints)


def _require_scale(mapping: RecordMapping, resolved: dict[str, tuple[str, ...]]) -> None:
    """A score column with no scale column and no --scale: every scored row would be refused, so say it once
    before reading them (the scale is never guessed: a 1-5 CSAT read as stars, or a 0-10 as NPS, is a
    different figure)."""
    if "score" not in resolved or "scale" in resolved or mapping.default_scale is not None:
        return
    column = " + ".join(resolved["score"])
    named = column.lower()
    guess = next((s for words, s in _SCALE_WORDS if any(w in named for w in words)), None)
    hint = f" ({column!r} sounds like --scale {guess})" if guess else ""
    raise InvalidInput(
        f"the scores ({column!r}) have no scale: pass --scale csat (1-5), --scale nps (0-10) or --scale stars "
        f"(1-5), or map a column that holds it with --map scale=COLUMN{hint}"
    )


_SCALE_WORDS = (
    (("csat", "satisf"), "csat"),
    (("nps", "recommend"), "nps"),
    (("star", "note", "rating"), "stars"),
)


def settle_date_format(mapping: RecordMapping, values: list[object]) -> tuple[RecordMapping, str | None]:
    """Decide the date format on every date of the file (values of the received_at column): the given
    format if it reads most of them, else the one that fits, else one clear error; and a note saying what
    was decided, when it was guessed."""
    from bot.services.customers.records import friendly_format
    from bot.sources.dates import fits, guess_date_format

    if mapping.date_format:
        ok, total = fits(values, mapping.date_format)
        if total and ok * 2 < total:
            guess = guess_date_format(values)
            better = (
                f"; {friendly_format(guess.fmt)} fits {guess.fits}" if guess.fmt and guess.fits > ok else ""
            )
            raise InvalidInput(
                f"--date-format {friendly_format(mapping.date_format)} reads {ok} of {total} distinct dates{better}"
            )
        return mapping, None
    guess = guess_date_format(values)
    if guess.ambiguous:
        options = " or ".join(friendly_format(f) for f in guess.ambiguous)
        raise InvalidInput(
            f"the dates could be {options}: no value settles the day/month order, pass --date-format"
        )
    if guess.fmt is None:
        return mapping, None
    note = f"dates read as {friendly_format(guess.fmt)} ({guess.fits} of {guess.total} distinct values fit)"
    return replace(mapping, date_format=guess.fmt), note
