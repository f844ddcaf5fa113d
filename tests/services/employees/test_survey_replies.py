"""Replies to survey comments through the /suggest relay: who may reply, the batch time, everyone
surveyed (answered or not) as recipients, expanded once, a refusal recorded; both stores."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.db import session_scope
from bot.errors import InvalidInput, NotAllowed
from bot.services.employees import suggestions
from bot.services.employees.survey_questions import load_questions
from bot.services.employees.survey_replies import excerpt, expand, queue_reply
from bot.services.employees.surveys import Member, open_round
from bot.services.people.roles import grant_role, manage_team
from models.suggestion import RelayMessage, RelayRecipient
from models.survey import SurveyDelivery, SurveyResponse, SurveyRound
from tests.factories import make_team

PEOPLE = ["U1", "U2", "U3", "U4", "U5", "U6"]


def _closed_round_with_comment(factory, now, *, shown: bool = True) -> int:  # type: ignore[no-untyped-def]
    team = make_team(factory, name="Care", channel="C0CARE", now=now)
    with session_scope(factory) as session:
        grant_role(session, "UMGR", role="manager", now=now)
        manage_team(session, "UMGR", team="Care", now=now)
        survey_round = open_round(session, team=team, members=[Member(p) for p in PEOPLE],
                                  bank=load_questions(), now=now)  # fmt: skip
        session.execute(update(SurveyDelivery).values(status="sent", channel_id="D1", ts="1.1"))
        session.execute(
            update(SurveyDelivery).where(SurveyDelivery.slack_user_id == "U6").values(status="failed")
        )
        survey_round.status, survey_round.results = "closed", '{"shown": %s}' % ("true" if shown else "false")
        response = SurveyResponse(round_id=survey_round.id, respondent="h" * 64, team_id=team.id,
                                  answered_on=now.date(), comment="Too many tickets on Mondays " * 10)  # fmt: skip
        session.add(response)
        session.flush()
        return response.id  # type: ignore[return-value]


def _queue(factory, now, comment_id: int, *, user: str = "UMGR", delay: int = 30, text: str = "We hired two"):  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        return queue_reply(session, response_id=comment_id, text=text, user_id=user, signed=False, now=now,
                           delay_minutes=delay, slack_admins_are_admins=False)  # fmt: skip


def test_a_reply_waits_for_the_batch_and_goes_to_everyone_the_round_reached_once(factory, now) -> None:  # type: ignore[no-untyped-def]
    comment_id = _closed_round_with_comment(factory, now)
    message = _queue(factory, now, comment_id)
    assert message.due_at > now + timedelta(minutes=29)  # the next batch boundary, not now
    with session_scope(factory) as session:
        assert suggestions.due(session, now=now) == []  # nothing leaves before the batch
        (due,) = suggestions.due(session, now=message.due_at)
        assert suggestions.claim(session, due.id)
        assert expand(session, message=due) == 5
        assert not suggestions.claim(session, due.id)  # a second relay run expands nothing
    with session_scope(factory) as session:
        rows = session.execute(select(RelayRecipient)).scalars().all()
        # the five whose DM Slack took, answered or not; not the one whose DM failed
        assert sorted(r.slack_user_id for r in rows) == PEOPLE[:5]
        assert {r.status for r in rows} == {"pending"} and {r.due_at for r in rows} == {message.due_at}
        stored = session.get(RelayMessage, message.id)
        assert stored.signed_by is None and stored.suggestion_id is None


def test_only_the_teams_managers_reply_to_a_shown_closed_rounds_comment(factory, now) -> None:  # type: ignore[no-untyped-def]
    comment_id = _closed_round_with_comment(factory, now)
    with pytest.raises(NotAllowed):
        _queue(factory, now, comment_id, user="U1")
    with pytest.raises(InvalidInput):
        _queue(factory, now, comment_id, text="   ")
    with session_scope(factory) as session:
        session.execute(update(SurveyRound).values(status="open"))
    with pytest.raises(InvalidInput, match="closed"):
        _queue(factory, now, comment_id)
    with session_scope(factory) as session:
        assert session.execute(select(RelayMessage)).first() is None


def test_the_quote_is_the_comments_first_words() -> None:
    assert excerpt("short  and\nsweet") == "short and sweet"
    long = excerpt("word " * 100)
    assert long.endswith("…") and len(long) <= 141 and not long.endswith(" …")
