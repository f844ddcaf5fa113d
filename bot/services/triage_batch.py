"""Triage a batch of canonical records into rows ready for the verbatim table."""

from __future__ import annotations

from datetime import datetime

from bot.services.priority import compute_priority
from bot.services.taxonomy import Taxonomy
from bot.services.triage import TextTriage, triage_text
from models.verbatim import Status, VerbatimIn


def triage_records(batch: list[VerbatimIn], *, taxonomy: Taxonomy, now: datetime) -> list[dict]:
    return [triaged_row(record, triage_text(record.text, language_hint=record.language, taxonomy=taxonomy), now)
            for record in batch]


def triaged_row(record: VerbatimIn, tri: TextTriage, now: datetime) -> dict:
    priority = compute_priority(
        score=record.score, scale=record.scale.value, sentiment=tri.sentiment, sentiment_label=tri.sentiment_label,
        risks=tri.risks, received_at=record.received_at, now=now,
    )
    return {
        "external_id": record.external_id,
        "received_at": record.received_at,
        "text": record.text,
        "score": record.score,
        "scale": record.scale.value,
        "channel": record.channel,
        "reason": record.reason or (tri.reasons[0] if tri.reasons else None),
        "agent": record.agent,
        "processing_level": record.processing_level,
        "language": tri.language,
        "sentiment": tri.sentiment,
        "sentiment_label": tri.sentiment_label,
        "reasons": ",".join(tri.reasons),
        "risks": ",".join(tri.risks),
        "priority": priority.value,
        "priority_why": priority.why[:400],
        "status": Status.OPEN.value,
    }
