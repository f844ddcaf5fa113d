"""Job `survey-close`: close every round whose time is up, then post what is not posted yet.

Idempotent: closing is claimed by a conditional UPDATE; each results message has a ledger row
(UNIQUE round+kind) with its intent recorded before the Slack call. A row with an intent and no
ts (a crash, or Slack failing) is looked up in the channel's history (metadata) before any new
post. A round that closed while the bot was down is closed and posted on the first tick after.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import select

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.survey_fanout import RateLimited, Refused, Transient
from bot.services.employees.survey_followup import team_of
from bot.services.employees.survey_results import (
    PendingPost,
    clear_post_intent,
    close_round,
    mark_post_intent,
    mark_posted,
    pending_posts,
    round_results,
    rounds_to_close,
)
from bot.services.reports.charts import chart_title, round_chart
from bot.slack.blocks.survey_results import build_results, build_team_results
from bot.slack.files import upload_png
from bot.slack.survey_dm import POST_EVENT, bare_client, call, find_ours
from models.survey import SurveyResponse

JOB_ID = "survey-close"
log = logging.getLogger(__name__)


def tick(deps: Deps, *, client: WebClient, now: datetime | None = None) -> list[str]:
    now = now or deps.clock.now()
    with session_scope(deps.factory) as session:
        due = rounds_to_close(session, now=now)
    for round_id in due:
        with session_scope(deps.factory) as session:
            close_round(session, round_id=round_id, now=now)
    return post_pending(deps, client=client, now=now)


def post_pending(deps: Deps, *, client: WebClient, now: datetime) -> list[str]:
    slack = bare_client(client)
    with session_scope(deps.factory) as session:
        posts = pending_posts(session)
    done = []
    for post in posts:
        try:
            ts = _post(deps, slack, post, now=now)
        except (RateLimited, Refused, Transient) as exc:
            log.warning("survey results (round %s, %s) not posted yet: %s", post.round_id, post.kind, exc)
            continue
        with session_scope(deps.factory) as session:
            mark_posted(session, post_id=post.post_id, ts=ts, now=now)
        done.append(f"round {post.round_id} {post.kind} -> {post.channel_id}")
    return done


def _post(deps: Deps, slack: WebClient, post: PendingPost, *, now: datetime) -> str:
    if post.kind == "chart":
        return _post_chart(deps, slack, post, now=now)
    payload = {"round": post.round_id, "kind": post.kind}
    if post.intent_at is not None:  # tried before: did Slack take it?
        found = find_ours(slack, post.channel_id, POST_EVENT, lambda p: p == payload)
        if found:
            return found
    with session_scope(deps.factory) as session:
        mark_post_intent(session, post_id=post.post_id, now=now)
        blocks, text = render_results(deps, session, post.round_id, kind=post.kind)
    answer = call(
        slack.chat_postMessage,
        channel=post.channel_id,
        text=text,
        blocks=blocks,
        metadata={"event_type": POST_EVENT, "event_payload": payload},
        unfurl_links=False,
    )
    return str(answer["ts"])


def _post_chart(deps: Deps, slack: WebClient, post: PendingPost, *, now: datetime) -> str:
    """The managers' chart, at most once: a file carries no metadata to look for, so an upload whose
    outcome is unknown (a crash, a 5xx) is not tried again; a 429 or a refusal (nothing taken) is."""
    if post.intent_at is not None:
        return "file:unknown"
    with session_scope(deps.factory) as session:
        team = team_of(session, post.round_id)
        results, name, language = round_results(session, post.round_id), team.name, team.language or "en"
    png = deps.charts.draw(round_chart, results, team=name, language=language)  # before the intent
    with session_scope(deps.factory) as session:
        mark_post_intent(session, post_id=post.post_id, now=now)
    title = chart_title(results, team=name, language=language)
    try:
        file_id = call(
            upload_png,
            client=slack,
            channel=post.channel_id,
            png=png,
            filename=f"survey-round-{results.get('round')}.png",
            title=title,
        )
    except (RateLimited, Refused):
        with session_scope(deps.factory) as session:
            clear_post_intent(session, post_id=post.post_id)
        raise
    return "file:" + file_id


def render_results(deps: Deps, session, round_id: int, *, kind: str):
    results = round_results(session, round_id)
    team = team_of(session, round_id)
    ids = results.get("comments") or []
    if kind == "team":
        return build_team_results(results, team=team.name, comments=len(ids))
    rows = {r.id: r for r in session.exec(select(SurveyResponse).where(SurveyResponse.id.in_(ids)))}  # type: ignore[union-attr]
    comments = [(i, rows[i].comment or "", rows[i].ack) for i in ids if i in rows]
    driver = deps.survey_questions.driver(results.get("driver_key") or "")
    from bot.services.reports.symmetry_line import symmetry_line

    return build_results(
        results,
        team=team.name,
        driver_label=driver.key.replace("_", " ") if driver else "driver",
        comments=comments,
        reason_label=deps.taxonomy.label,
        symmetry_line=symmetry_line(session, team=team, results=results, taxonomy=deps.taxonomy),
    )
