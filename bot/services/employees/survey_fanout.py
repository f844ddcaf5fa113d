"""Survey DM fan-out, exactly once per (round, person), through one pacer.

The ledger is `survey_delivery`. Each send is claimed first (pending -> sending, with intent_at, a
conditional UPDATE only one process can win), then sent with message metadata naming the delivery,
then recorded (sending -> sent, with the ts). Slack has no idempotency key, so a crash can fall
between Slack accepting a DM and the ledger recording it: such a row is found still `sending`.
Before anything is resent, `recover` asks the sender whether the DM is in the person's
conversation (conversations.history with metadata since intent_at): found -> recorded as sent;
not found -> pending again, sent once. So nobody gets it twice and nobody is skipped, as long as
Slack's history shows a message it accepted (it does: history is read after the accept).

The pacer hands out as many slots as it has free (one at the steady rate, up to CLAIM_MAX right
after a Retry-After pause): they are claimed in one transaction and recorded in one, so the
sender catches up without two commits per DM. The ledger can be `survey_delivery` (survey DMs) or
`relay_recipient` (managers' replies to survey comments, survey_replies.py): the same rules.

429: the pacer pauses for Retry-After and the same DM goes again first (not counted as an
attempt); the rest of its group hands its slots back. 500 / network: the slot goes back, the DM
is retried after the rows behind it, up to MAX_ATTEMPTS, then failed. Refusals (cannot_dm_bot, account_inactive,
user_not_found...): failed at once, recorded, never retried and not counted as missing an answer.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import update
from sqlmodel import col, select

from bot.db import SessionFactory, session_scope
from bot.services.employees.survey_db import row_id, rows_changed
from bot.services.employees.survey_pacer import Pacer
from models.suggestion import RelayRecipient
from models.survey import DeliveryStatus, SurveyDelivery

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
CLAIM_MAX = 20  # slots claimed in one transaction when the pacer has that many free (after a pause)
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


Row = SurveyDelivery | RelayRecipient  # a fan-out ledger row: survey DMs, relayed replies to comments
Ledger = type[SurveyDelivery] | type[RelayRecipient]


class DmSender(Protocol):
    """What the fan-out needs from Slack (the adapter lives in bot/slack/survey_dm.py)."""

    def send(self, delivery: Row) -> Sent: ...

    def find_sent(self, delivery: Row) -> Sent | None: ...


@dataclass
class FanoutReport:
    sent: int = 0
    failed: int = 0
    recovered: int = 0  # found in Slack after a crash, recorded without a resend
    retried: int = 0
    rate_limited: int = 0
    errors: dict[str, int] = field(default_factory=dict)


Crash = Callable[[Row], None]  # test hook: runs after Slack accepted, before recording


def deliver_due(
    factory: SessionFactory,
    sender: DmSender,
    *,
    pacer: Pacer,
    now: Callable[[], datetime],
    round_id: int | None = None,
    batch: int = 500,
    after_send: Crash | None = None,
    ledger: Ledger = SurveyDelivery,
) -> FanoutReport:
    """Send every due DM of `ledger` (survey DMs of all rounds or one; relayed replies), recovering
    what a crashed run left `sending`."""
    report = FanoutReport()
    scope = [] if round_id is None else [col(SurveyDelivery.round_id) == round_id]
    recover(factory, sender, report=report, ledger=ledger, scope=scope)
    while rows := _due(factory, ledger, now(), scope, batch):
        queue = deque(row_id(r.id) for r in rows)
        while queue:
            taken = pacer.take(min(len(queue), CLAIM_MAX))
            group = [queue.popleft() for _ in range(taken)]
            claimed = _claim(factory, ledger, group, now())
            pacer.refund(taken - len(claimed))
            outcomes = _send_group(sender, claimed, pacer=pacer, report=report, after_send=after_send)
            _record(factory, ledger, outcomes, report=report)
            unsent = [r.id for r, o in outcomes if isinstance(o, Retry) and not o.counts]
            queue.extendleft(reversed([i for i in unsent if i is not None]))  # a 429: first after the pause
            queue.extend(r.id for r, o in outcomes if isinstance(o, Retry) and o.counts and r.id is not None)
    return report


def recover(
    factory: SessionFactory, sender: DmSender, *, report: FanoutReport, ledger: Ledger, scope: list[Any]
) -> None:
    """Rows left `sending` by a crash: recorded as sent when Slack has the DM, else pending again.
    When Slack cannot be asked right now the row stays `sending` (never resent blind)."""
    with session_scope(factory) as session:
        stuck: list[Row] = list(
            session.exec(_select(ledger).where(col(ledger.status) == DeliveryStatus.SENDING, *scope))
        )
    for row in stuck:
        try:
            found = sender.find_sent(row)
        except (RateLimited, Transient) as exc:
            log.warning("survey DM %s: cannot check Slack (%s); checked again on the next run", row.id, exc)
            continue
        with session_scope(factory) as session:
            live: Row | None = session.get(ledger, row.id)  # type: ignore[assignment]  # a union of tables
            if live is None or live.status != DeliveryStatus.SENDING:
                continue
            if found is not None:
                live.status, live.channel_id, live.ts = DeliveryStatus.SENT.value, found.channel_id, found.ts
                report.recovered += 1
            else:
                live.status = DeliveryStatus.PENDING.value
            session.add(live)


def _select(ledger: Ledger) -> Any:
    """select() of either ledger (mypy cannot follow a union of tables through select)."""
    return select(ledger)


def _due(factory: SessionFactory, ledger: Ledger, now: datetime, scope: list[Any], batch: int) -> list[Row]:
    with session_scope(factory) as session:
        query = (
            _select(ledger)
            .where(col(ledger.status) == DeliveryStatus.PENDING, col(ledger.due_at) <= now, *scope)
            .order_by(col(ledger.due_at), col(ledger.id))
            .limit(batch)
        )
        return list(session.exec(query))


def _claim(factory: SessionFactory, ledger: Ledger, ids: list[int], now: datetime) -> list[Row]:
    """pending -> sending for each id, in one transaction recorded before Slack is called. A row
    another process won (or that is no longer pending) is left out."""
    with session_scope(factory) as session:
        won = [
            i
            for i in ids
            if rows_changed(
                session,
                update(ledger)
                .where(col(ledger.id) == i, col(ledger.status) == DeliveryStatus.PENDING)
                .values(status=DeliveryStatus.SENDING.value, intent_at=now),
            )
            == 1
        ]
        if not won:
            return []
        rows: dict[int | None, Row] = {
            r.id: r for r in session.exec(_select(ledger).where(col(ledger.id).in_(won)))
        }
        return [rows[i] for i in won]


def _send_group(
    sender: DmSender,
    rows: list[Row],
    *,
    pacer: Pacer,
    report: FanoutReport,
    after_send: Crash | None,
) -> list[tuple[Row, Outcome]]:
    """Send the claimed rows one after the other; after a 429 the rest wait (their slots go back)."""
    outcomes: list[tuple[Row, Outcome]] = []
    for index, row in enumerate(rows):
        outcome = _attempt(sender, row, pacer=pacer, report=report)
        if isinstance(outcome, Sent) and after_send is not None:
            after_send(row)
        outcomes.append((row, outcome))
        if isinstance(outcome, Retry) and not outcome.counts:
            rest = rows[index + 1 :]
            pacer.refund(len(rest))
            outcomes.extend((r, Retry(counts=False)) for r in rest)
            break
    return outcomes


@dataclass(frozen=True)
class Retry:
    counts: bool  # a 5xx counts towards MAX_ATTEMPTS; a 429 does not


Outcome = Sent | Refused | Retry


def _attempt(sender: DmSender, row: Row, *, pacer: Pacer, report: FanoutReport) -> Outcome:
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


def _record(
    factory: SessionFactory, ledger: Ledger, outcomes: list[tuple[Row, Outcome]], *, report: FanoutReport
) -> None:
    """Every outcome of a group in one transaction: sent (with the ts), failed, or pending again."""
    with session_scope(factory) as session:
        for row, outcome in outcomes:
            values: dict[str, object]
            if isinstance(outcome, Sent):
                values = {"status": DeliveryStatus.SENT.value, "channel_id": outcome.channel_id}
                values |= {"ts": outcome.ts, "error": None}
                report.sent += 1
            elif isinstance(outcome, Refused):
                values = {"status": DeliveryStatus.FAILED.value, "error": outcome.error[:80]}
                report.failed += 1
                report.errors[outcome.error] = report.errors.get(outcome.error, 0) + 1
            else:
                values = {
                    "status": DeliveryStatus.PENDING.value,
                    "attempts": row.attempts + int(outcome.counts),
                }
            session.execute(update(ledger).where(col(ledger.id) == row.id).values(**values))
