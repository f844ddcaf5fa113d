"""Job `survey-send`: the one pacer that delivers due survey DMs (every round), exactly once each.

The scheduler runs it every minute with max_instances=1; a run drains what is due and returns.
The DM of a round is the same for everyone sharing a language (no answers yet), so it is built
once per (round, language).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.survey_fanout import Crash, FanoutReport, deliver_due
from bot.services.employees.survey_pacer import Pacer
from bot.services.employees.survey_view import survey_dm
from bot.slack.blocks.survey import build_survey_dm
from bot.slack.survey_dm import SlackDmSender
from models.survey import SurveyDelivery, SurveyRound

JOB_ID = "survey-send"


def tick(deps: Deps, *, client: WebClient, now: datetime | None = None) -> FanoutReport:
    return send_due(deps, client=client)


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


def renderer(deps: Deps) -> Callable[[SurveyDelivery], tuple[list[dict[str, Any]], str]]:
    cache: dict[tuple[int, str], tuple[list[dict[str, Any]], str]] = {}

    def render(delivery: SurveyDelivery) -> tuple[list[dict[str, Any]], str]:
        key = (delivery.round_id, delivery.language)
        if key not in cache:
            with session_scope(deps.factory) as session:
                dm = survey_dm(
                    session,
                    round_id=delivery.round_id,
                    language=delivery.language,
                    bank=deps.survey_questions,
                    taxonomy=deps.taxonomy,
                    now=deps.clock.now(),
                )
                survey_round = session.get(SurveyRound, delivery.round_id)
                cache[key] = build_survey_dm(dm, k=survey_round.threshold if survey_round else 5)
        return cache[key]

    return render
