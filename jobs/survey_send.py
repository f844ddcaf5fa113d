"""Job `survey-send`: the one pacer that delivers due survey DMs (every round), exactly once each.

The scheduler runs it every 30 s with max_instances=1; a run drains what is due and returns.
The DM of a round is the same for everyone sharing a language (no answers yet), so it is built
once per (round, language). The same run, with the same pacer (the same Slack method), sends the
managers' replies to survey comments the relay has expanded (one DM per person surveyed, the same
ledger rules), then redraws closed rounds' DMs without buttons (jobs/survey_closed_dms.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.survey_fanout import Crash, FanoutReport, Row, deliver_due
from bot.services.employees.survey_pacer import Pacer
from bot.services.employees.survey_replies import reply_view
from bot.services.employees.survey_view import survey_dm
from bot.slack.blocks.survey import build_survey_dm
from bot.slack.blocks.survey_relay import build_reply_dm
from bot.slack.survey_dm import REPLY_EVENT, SlackDmSender
from jobs.survey_closed_dms import redraw_closed
from models.suggestion import RelayRecipient
from models.survey import SurveyDelivery, SurveyRound

JOB_ID = "survey-send"


def tick(deps: Deps, *, client: WebClient, now: datetime | None = None) -> FanoutReport:
    pacer = make_pacer(deps)
    report = send_due(deps, client=client, pacer=pacer)
    send_replies(deps, client=client, pacer=pacer)
    redraw_closed(deps, client=client)
    return report


def send_replies(
    deps: Deps, *, client: WebClient, pacer: Pacer | None = None, after_send: Crash | None = None
) -> FanoutReport:
    """Managers' replies to survey comments, one DM per person surveyed, exactly once each."""

    def build(session: Session, row: Row) -> Message:
        assert isinstance(row, RelayRecipient)
        return build_reply_dm(reply_view(session, message_id=row.message_id), row.language)

    render = _once_per(deps, _reply_key, build)
    sender = SlackDmSender(client, render, event=REPLY_EVENT, key="recipient")
    return deliver_due(
        deps.factory,
        sender,
        pacer=pacer or make_pacer(deps),
        now=deps.clock.now,
        after_send=after_send,
        ledger=RelayRecipient,
    )


def make_pacer(deps: Deps) -> Pacer:
    return Pacer(
        rate=deps.settings.SYMMETRY_SURVEY_DM_PER_SECOND, burst=deps.settings.SYMMETRY_SURVEY_DM_BURST
    )


def send_due(
    deps: Deps,
    *,
    client: WebClient,
    round_id: int | None = None,
    pacer: Pacer | None = None,
    after_send: Crash | None = None,
) -> FanoutReport:
    sender = SlackDmSender(client, renderer(deps))
    return deliver_due(
        deps.factory,
        sender,
        pacer=pacer or make_pacer(deps),
        now=deps.clock.now,
        round_id=round_id,
        after_send=after_send,
    )


Message = tuple[list[dict[str, Any]], str]


def _once_per(
    deps: Deps, key: Callable[[Row], tuple[int, str]], build: Callable[[Session, Row], Message]
) -> Callable[[Row], Message]:
    """A renderer that builds each message once per key (everyone sharing a round/reply and a language)."""
    cache: dict[tuple[int, str], Message] = {}

    def render(row: Row) -> Message:
        if (k := key(row)) not in cache:
            with session_scope(deps.factory) as session:
                cache[k] = build(session, row)
        return cache[k]

    return render


def renderer(deps: Deps) -> Callable[[Row], Message]:
    def build(session: Session, delivery: Row) -> Message:
        assert isinstance(delivery, SurveyDelivery)
        dm = survey_dm(
            session,
            round_id=delivery.round_id,
            language=delivery.language,
            bank=deps.survey_questions,
            taxonomy=deps.taxonomy,
            now=deps.clock.now(),
        )
        survey_round = session.get(SurveyRound, delivery.round_id)
        return build_survey_dm(dm, k=survey_round.threshold if survey_round else 5)

    return _once_per(deps, _round_key, build)


def _reply_key(row: Row) -> tuple[int, str]:
    assert isinstance(row, RelayRecipient)
    return row.message_id, row.language


def _round_key(row: Row) -> tuple[int, str]:
    assert isinstance(row, SurveyDelivery)
    return row.round_id, row.language
