"""Read the untreated verbatims again: the current lexicons, risk rules and learnt models (``triage rescore``).

Language, sentiment (blended with the active models), reasons and risks found in the text, and the
priority (base and value at `now`) are recomputed; the reason given by the import file is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from bot.services.customers.priority import compute_priority
from bot.services.customers.taxonomy import Taxonomy
from bot.services.customers.triage import triage_text
from bot.services.customers.triage_models import Blender, untreated_ids
from models.types import table_of
from models.verbatim import Verbatim

CHUNK = 2_000


def rescore_untreated(session: Session, *, taxonomy: Taxonomy, blender: Blender, now: datetime) -> int:
    """Rescore every open or claimed verbatim; the number rescored."""
    ids = untreated_ids(session)
    for start in range(0, len(ids), CHUNK):
        _rescore_chunk(session, ids[start : start + CHUNK], taxonomy, blender, now)
    return len(ids)


def _rescore_chunk(
    session: Session, ids: list[int], taxonomy: Taxonomy, blender: Blender, now: datetime
) -> None:
    c = table_of(Verbatim).c
    rows = (
        session.connection()
        .execute(select(c.id, c.text, c.language, c.score, c.scale, c.received_at).where(c.id.in_(ids)))
        .all()
    )
    reads = [triage_text(r.text, language_hint=r.language, taxonomy=taxonomy) for r in rows]
    plain = [(t.language, t.sentiment, t.sentiment_label, t.reasons, t.risks) for t in reads]
    plain = blender.apply_to_reads(plain, [r.text for r in rows])
    values = []
    for row, (language, sentiment, label, reasons, risks) in zip(rows, plain, strict=True):
        received = row.received_at if row.received_at.tzinfo else row.received_at.replace(tzinfo=UTC)
        priority = compute_priority(
            score=row.score, scale=row.scale, sentiment=sentiment, sentiment_label=label,
            risks=risks, received_at=received, now=now,
        )  # fmt: skip
        values.append(
            {
                "row_id": row.id, "language": language, "sentiment": sentiment, "sentiment_label": label,
                "reasons": ",".join(reasons)[:400], "risks": ",".join(risks)[:120], "priority": priority.value,
                "priority_base": priority.base, "priority_why": priority.why[:400],
            }
        )  # fmt: skip
    statement = (
        update(table_of(Verbatim))
        .where(c.id == bindparam("row_id"))
        .values({k: bindparam(k) for k in values[0] if k != "row_id"})
    )
    if values:
        session.connection().execute(statement, values)
