"""Turn one raw record (a CSV row, a JSON object) into a canonical VerbatimIn, or say why not."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import ensure_utc
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


class RowError(InvalidInput):
    """One record is invalid; the message says which field and why."""


@dataclass(frozen=True)
class RecordMapping:
    """Canonical field -> column name in the file; defaults where the file has no such column."""

    columns: Mapping[str, str] = field(default_factory=dict)
    date_format: str | None = None  # strptime or friendly ("dd/mm/yyyy", "dd-Mon-yy")
    default_scale: Scale | None = None
    timezone: ZoneInfo = ZoneInfo("UTC")

    @classmethod
    def from_options(
        cls, maps: list[str], *, date_format: str | None, scale: str | None, timezone: ZoneInfo
    ) -> RecordMapping:
        columns: dict[str, str] = {}
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
            columns[name] = column.strip()
        return cls(
            columns,
            to_strptime(date_format) if date_format else None,
            parse_scale(scale) if scale else None,
            timezone,
        )

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


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


def parse_scale(value: object) -> Scale:
    text = str(value).strip().lower()
    try:
        return Scale(text)
    except ValueError:
        raise RowError(f"unknown scale {value!r} (use nps, csat or stars)") from None


def parse_record(data: Mapping[str, object], mapping: RecordMapping) -> VerbatimIn:
    get = _getter(data, mapping)
    raw_scale = get("scale")
    scale = parse_scale(raw_scale) if raw_scale else mapping.default_scale
    if scale is None:
        raise RowError("no scale: add a scale column (nps, csat, stars) or pass --scale")
    score = _parse_score(get("score"), scale)
    text = _clean_text(data.get(mapping.column("text")))
    if not text.strip() and score is None:
        raise RowError("empty text and no score: nothing to keep")
    received = _parse_when(get("received_at"), mapping)
    language = (get("language") or "").lower()[:8] or None
    record = VerbatimIn(
        external_id=get("external_id"),
        received_at=received,
        text=text,
        score=score,
        scale=scale,
        channel=_short(get("channel"), 80),
        reason=_short(get("reason"), 120),
        team=_short(get("team"), 120),
        agent=_short(get("agent"), 120),
        processing_level=_short(get("processing_level"), 80),
        language=language,
    )
    if not record.external_id:
        record.external_id = content_hash(record)
    elif len(record.external_id) > 200:
        raise RowError("external_id longer than 200 characters")
    return record


def _getter(data: Mapping[str, object], mapping: RecordMapping):
    def get(name: str) -> str | None:
        value = data.get(mapping.column(name))
        if value is None:
            return None
        value = str(value).strip()
        return value or None

    return get


def _parse_score(raw: str | None, scale: Scale) -> int | None:
    if raw is None:
        return None
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        raise RowError(f"score {raw!r} is not a number") from None
    low, high = scale.bounds
    if not number.is_integer() or not low <= number <= high:
        raise RowError(f"score {raw} is out of range for {scale.value} ({low}-{high})")
    return int(number)


def _parse_when(raw: str | None, mapping: RecordMapping) -> datetime:
    if raw is None:
        raise RowError("no date (received_at)")
    try:
        if mapping.date_format:
            value = datetime.strptime(raw, mapping.date_format)
        else:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        expected = mapping.date_format or "ISO 8601"
        raise RowError(
            f"date {raw!r} does not match {expected}", code="date_format", field="received_at"
        ) from None
    return ensure_utc(value, naive=mapping.timezone)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: object) -> str:
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
        record.scale.value,
        record.channel or "",
        record.team or "",
        record.agent or "",
        record.reason or "",
    ]
    return "sha1:" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
