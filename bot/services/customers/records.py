"""Turn one raw record (a CSV row, a JSON object) into a canonical VerbatimIn, or say why not."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from models.verbatim import Scale, VerbatimIn

CANONICAL_FIELDS = (
    "external_id",
    "received_at",
    "text",
    "score",
    "scale",
    "channel",
    "reason",
    "team",
    "agent",
    "processing_level",
    "language",
)
_FRIENDLY_DATE = [
    ("yyyy", "%Y"),
    ("Mon", "%b"),
    ("dd", "%d"),
    ("mm", "%m"),
    ("yy", "%y"),
    ("HH", "%H"),
    ("MI", "%M"),
    ("SS", "%S"),
]
MAX_TEXT = 500_000
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


class RowError(InvalidInput):
    """One record is invalid; the message says which field and why."""


@dataclass(frozen=True)
class RecordMapping:
    """Canonical field -> the file's column(s) (several are joined, e.g. text=headline+pros+cons); a field
    not mapped reads the column of its own name, if any."""

    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_format: str | None = None  # strptime or friendly ("dd/mm/yyyy", "dd-Mon-yy")
    default_scale: Scale | None = None
    timezone: ZoneInfo = ZoneInfo("UTC")

    @classmethod
    def from_options(
        cls, maps: list[str], *, date_format: str | None, scale: str | None, timezone: ZoneInfo
    ) -> RecordMapping:
        columns: dict[str, tuple[str, ...]] = {}
        for item in maps:
            name, sep, column = item.partition("=")
            name = name.strip()
            if not sep or not column.strip():
                raise InvalidInput(
                    f'mapping {item!r}: write it as field=Column, e.g. text="Customer Remarks"',
                    code="mapping_malformed",
                    field="map",
                    values={"item": item},
                )
            if name not in CANONICAL_FIELDS:
                raise InvalidInput(
                    f"mapping {item!r}: unknown field {name!r}; fields are {', '.join(CANONICAL_FIELDS)}",
                    code="mapping_unknown_field",
                    field="map",
                    values={"item": item, "name": name, "fields": ", ".join(CANONICAL_FIELDS)},
                )
            if name in columns:
                raise InvalidInput(
                    f"--map {name} is given twice ({columns[name][0]!r} and {column.strip()!r}): map a field "
                    f"once; to combine columns join them with +, e.g. --map {name}=A+B"
                )
            columns[name] = (column.strip(),)
        return cls(
            columns,
            to_strptime(date_format) if date_format else None,
            parse_scale(scale) if scale else None,
            timezone,
        )

    def column(self, name: str) -> tuple[str, ...]:
        return self.columns.get(name, (name,))


def to_strptime(fmt: str) -> str:
    if "%" in fmt:
        return fmt
    for friendly, code in _FRIENDLY_DATE:
        fmt = fmt.replace(friendly, code)
    if "%" not in fmt:
        raise InvalidInput(
            f"date format {fmt!r} not understood: try dd/mm/yyyy, yyyy-mm-dd or a strptime format like %d/%m/%Y"
        )
    return fmt


def friendly_format(strptime: str) -> str:
    """%d/%m/%Y -> dd/mm/yyyy (the words people use)."""
    for friendly, code in _FRIENDLY_DATE:
        strptime = strptime.replace(code, friendly)
    return strptime


def parse_scale(value: object) -> Scale:
    text = str(value).strip().lower()
    try:
        return Scale(text)
    except ValueError:
        raise RowError(f"unknown scale {value!r} (use nps, csat or stars)") from None


def parse_record(
    data: Mapping[str, object], mapping: RecordMapping, occurrences: dict[str, int] | None = None
) -> VerbatimIn:
    """`occurrences` counts id-less records by content within one file or request: the n-th identical one is
    keyed content + n, so two customers who gave the same answer count twice and a re-import adds nothing."""
    get = _getter(data, mapping)
    raw_scale, raw_score = get("scale"), get("score")
    scale = parse_scale(raw_scale) if raw_scale else mapping.default_scale
    if raw_score is not None and scale is None:
        raise RowError("a score and no scale: add a scale column (nps, csat, stars) or pass --scale")
    score = _parse_score(raw_score, scale) if raw_score is not None and scale else None
    text = _clean_text(get("text", joiner="\n\n"))
    if not text.strip() and score is None:
        raise RowError("empty text and no score: nothing to keep")
    record = VerbatimIn(
        external_id=get("external_id"),
        received_at=_parse_when(get("received_at", keep=True), mapping),
        text=text,
        score=score,
        scale=scale if score is not None else None,
        channel=_short(get("channel"), 80),
        reason=_short(get("reason"), 120),
        team=_short(get("team"), 120),
        agent=_short(get("agent"), 120),
        processing_level=_short(get("processing_level"), 80),
        language=(get("language") or "").lower()[:8] or None,
    )
    if not record.external_id:
        record.external_id = _nth(content_hash(record), occurrences)
    elif len(record.external_id) > 200:
        raise RowError("external_id longer than 200 characters")
    return record


def _nth(key: str, occurrences: dict[str, int] | None) -> str:
    if occurrences is None:
        return key
    n = occurrences[key] = occurrences.get(key, 0) + 1
    return key if n == 1 else f"{key}#{n}"


def check_received(received: datetime, now: datetime) -> None:
    """Dates before 1990 or after the import are almost always a misread column or format."""
    if received < EARLIEST:
        raise RowError(
            f"date {received:%Y-%m-%d} is before 1990: wrong column or date format?",
            code="date_too_early",
            field="received_at",
        )
    if received > now + timedelta(days=1):
        raise RowError(
            f"date {received:%Y-%m-%d} is in the future: day and month swapped?",
            code="date_in_future",
            field="received_at",
        )


def _getter(data: Mapping[str, object], mapping: RecordMapping):
    def get(name: str, *, joiner: str = " / ", keep: bool = False):
        columns = mapping.column(name)
        if len(columns) == 1:  # the common case, a field from one column holding text: quickly
            value = data.get(columns[0])
            if value is None:
                return None
            if type(value) is str:
                return (value if name == "text" else value.strip()) if value.strip() else None
        parts = []
        for column in columns:
            value = data.get(column)
            if isinstance(value, list | dict | tuple):
                kind = "list" if isinstance(value, list | tuple) else "object"
                raise RowError(f"{name} must be text or a number, not a {kind} ({_preview(value)})")
            if keep and isinstance(value, datetime | date):
                return value
            text = "" if value is None else str(value)
            if text.strip():
                parts.append(text if name == "text" else text.strip())
        return joiner.join(parts) or None

    return get


def _preview(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_score(raw: str, scale: Scale) -> int:
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        raise RowError(f"score {raw!r} is not a number") from None
    low, high = scale.bounds
    if not number.is_integer() or not low <= number <= high:
        raise RowError(f"score {raw} is out of range for {scale.value} ({low}-{high})")
    return int(number)


def _parse_when(raw: str | datetime | date | None, mapping: RecordMapping) -> datetime:
    if raw is None:
        raise RowError("no date (received_at)")
    try:
        if isinstance(raw, datetime):
            value = raw
        elif isinstance(raw, date):
            value = datetime(raw.year, raw.month, raw.day)
        elif mapping.date_format:
            value = datetime.strptime(raw, mapping.date_format)
        else:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=mapping.timezone)
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        expected = (
            friendly_format(mapping.date_format)
            if mapping.date_format
            else "ISO 8601 (pass --date-format for others)"
        )
        raise RowError(
            f"date {raw!r} does not match {expected}", code="date_format", field="received_at"
        ) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: str | None) -> str:
    """Stored intact (rendering escapes it), minus NUL and control bytes no database wants."""
    if value is None:
        return ""
    text = _CONTROL.sub("", str(value))
    if len(text) > MAX_TEXT:
        raise RowError(f"text is {len(text):,} characters; the limit is {MAX_TEXT:,}")
    return text


def _short(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else value


def content_hash(record: VerbatimIn) -> str:
    """A stable id for rows that have none, so re-importing the same file adds nothing."""
    parts = [
        record.received_at.isoformat(),
        record.text,
        str(record.score),
        record.scale.value if record.scale else "",
        record.channel or "",
        record.team or "",
        record.agent or "",
        record.reason or "",
    ]
    return "sha1:" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
