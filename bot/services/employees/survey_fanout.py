"""Survey DM fan-out, exactly once per (round, person), through one pacer.

The ledger is `survey_delivery`. Each send is claimed first (pending -> sending, with intent_at, a
conditional UPDATE only one process can win), then sent with message metadata naming the delivery,
then recorded (sending -> sent, with the ts). Slack has no idempotency key, so a crash can fall
between Slack accepting a DM and the ledger recording it: such a row is found still `sending`.
Before anything is resent, `recover` asks the sender whether the DM is in the person's
conversation (conversations.history with metadata since intent_at): found -> recorded as sent;
not found -> pending again, sent once. So nobody gets it twice and nobody is skipped, as long as
Slack's history shows a message it accepted (it does: history is read after the accept).

429: the pacer pauses for Retry-After and the same DM goes again (not counted as an attempt).
500 / network: retried up to MAX_ATTEMPTS, then failed. Refusals (cannot_dm_bot, account_inactive,
user_not_found...): failed at once, recorded, never retried and not counted as missing an answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.db import SessionFactory, session_scope
from bot.services.employees.survey_db import rows_changed
from bot.services.employees.survey_pacer import Pacer
from models.survey import DeliveryStatus, SurveyDelivery

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
PERMANENT = frozenset(
    {
        "cannot_dm_bot",
        "user_not_found",
        "account_inactive",
        "user_disabled",
        "channel_not_found",
        "is_archived",
    }
)


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after


class Refused(Exception):
    """Slack will never deliver this one (the error name says why)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class Transient(Exception):
    """A 5xx or a network failure: worth trying again."""


@dataclass(frozen=True)
class Sent:
    channel_id: str
    ts: str


class DmSender(Protocol):
    """What the fan-out needs from Slack (the adapter lives in bot/slack/survey_dm.py)."""

    def send(self, delivery: SurveyDelivery) -> Sent: ...

    def find_sent(self, delivery: SurveyDelivery) -> Sent | None: ...


@dataclass
class FanoutReport:
    sent: int = 0
    failed: int = 0
    recovered: int = 0  # found in Slack after a crash, recorded without a resend
    retried: int = 0
    rate_limited: int = 0
    errors: dict[str, int] = field(default_factory=dict)


Crash = Callable[[SurveyDelivery], None]  # test hook: runs after Slack accepted, before recording


def deliver_due(
    factory: SessionFactory,
    sender: DmSender,
    *,
    pacer: Pacer,
    now: Callable[[], datetime],
    round_id: int | None = None,
    batch: int = 500,
    after_send: Crash | None = None,
) -> FanoutReport:
    """Send every due DM (all rounds, or one), recovering what a crashed run left `sending`."""
    report = FanoutReport()
    recover(factory, sender, report=report, round_id=round_id)
    while ids := _due_ids(factory, now(), round_id, batch):
        for delivery_id in ids:
            _deliver_one(
                factory, sender, delivery_id, pacer=pacer, now=now, report=report, after_send=after_send
            )
    return report


def recover(factory: SessionFactory, sender: DmSender, *, report: FanoutReport, round_id: int | None) -> None:
    """Rows left `sending` by a crash: recorded as sent when Slack has the DM, else pending again.
    When Slack cannot be asked right now the row stays `sending` (never resent blind)."""
    with session_scope(factory) as session:
        query = select(SurveyDelivery).where(col(SurveyDelivery.status) == DeliveryStatus.SENDING)
        stuck = list(
            session.exec(query if round_id is None else query.where(col(SurveyDelivery.round_id) == round_id))
        )
    for row in stuck:
        try:
            found = sender.find_sent(row)
        except (RateLimited, Transient) as exc:
            log.warning("survey DM %s: cannot check Slack (%s); checked again on the next run", row.id, exc)
            continue
        with session_scope(factory) as session:
            live = session.get(SurveyDelivery, row.id)
            if live is None or live.status != DeliveryStatus.SENDING:
                continue
            if found is not None:
                live.status, live.channel_id, live.ts = DeliveryStatus.SENT.value, found.channel_id, found.ts
                report.recovered += 1
            else:
                live.status = DeliveryStatus.PENDING.value
            session.add(live)


def _due_ids(factory: SessionFactory, now: datetime, round_id: int | None, batch: int) -> list[int]:
    with session_scope(factory) as session:
        query = (
            select(SurveyDelivery.id)
            .where(col(SurveyDelivery.status) == DeliveryStatus.PENDING, col(SurveyDelivery.due_at) <= now)
            .order_by(col(SurveyDelivery.due_at), col(SurveyDelivery.id))
            .limit(batch)
        )
        if round_id is not None:
            query = query.where(col(SurveyDelivery.round_id) == round_id)
        return [i for i in session.exec(query) if i is not None]


def _claim(session: Session, delivery_id: int, now: datetime) -> SurveyDelivery | None:
    """pending -> sending, recorded before Slack is called; None when another process won it."""
    won = rows_changed(
        session,
        update(SurveyDelivery)
        .where(col(SurveyDelivery.id) == delivery_id, col(SurveyDelivery.status) == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SENDING.value, intent_at=now),
    )
    return session.get(SurveyDelivery, delivery_id) if won == 1 else None


def _deliver_one(
    factory: SessionFactory,
    sender: DmSender,
    delivery_id: int,
    *,
    pacer: Pacer,
    now: Callable[[], datetime],
    report: FanoutReport,
    after_send: Crash | None,
) -> None:
    while True:
        pacer.acquire()
        with session_scope(factory) as session:
            row = _claim(session, delivery_id, now())
        if row is None:
            return
        outcome = _attempt(sender, row, pacer=pacer, report=report)
        if isinstance(outcome, Sent) and after_send is not None:
            after_send(row)
        _record(factory, delivery_id, outcome, report=report)
        if not isinstance(outcome, Retry):
            return


@dataclass(frozen=True)
class Retry:
    counts: bool  # a 5xx counts towards MAX_ATTEMPTS; a 429 does not


Outcome = Sent | Refused | Retry


def _attempt(sender: DmSender, row: SurveyDelivery, *, pacer: Pacer, report: FanoutReport) -> Outcome:
    try:
        return sender.send(row)
    except RateLimited as exc:
        report.rate_limited += 1
        pacer.refund()
        pacer.pause(exc.retry_after)
        return Retry(counts=False)
    except Refused as exc:
        return exc
    except Transient as exc:
        report.retried += 1
        pacer.refund()
        log.info("survey DM %s: %s (attempt %s of %s)", row.id, exc, row.attempts + 1, MAX_ATTEMPTS)
        return Retry(counts=True) if row.attempts + 1 < MAX_ATTEMPTS else Refused("server_error")


def _record(factory: SessionFactory, delivery_id: int, outcome: Outcome, *, report: FanoutReport) -> None:
    with session_scope(factory) as session:
        row = session.get(SurveyDelivery, delivery_id)
        assert row is not None
        if isinstance(outcome, Sent):
            row.status, row.channel_id, row.ts, row.error = (
                DeliveryStatus.SENT.value,
                outcome.channel_id,
                outcome.ts,
                None,
            )
            report.sent += 1
        elif isinstance(outcome, Refused):
            row.status, row.error = DeliveryStatus.FAILED.value, outcome.error[:80]
            report.failed += 1
            report.errors[outcome.error] = report.errors.get(outcome.error, 0) + 1
        else:
            row.status, row.attempts = DeliveryStatus.PENDING.value, row.attempts + int(outcome.counts)
        session.add(row)
