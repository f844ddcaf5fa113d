"""Answers in the asker's language: a French question, a French Slack locale or a team set to French."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.services.kpi.ask import ask
from bot.services.kpi.charts import build_figure
from bot.services.kpi.language import question_language, translate
from bot.services.people.roles import assign_team
from bot.services.people.teams import save_team
from tests.factories import add_verbatims, record

UTC = ZoneInfo("UTC")


def _ask(session, text: str, now, **kw):  # type: ignore[no-untyped-def]
    return ask(
        session,
        text=text,
        metric=None,
        now=now,
        default_tz=UTC,
        markdown=False,
        **{"asker": None, "slack_admins_are_admins": False, **kw},
    )


def test_the_language_of_the_question_is_read_from_its_words() -> None:
    assert question_language("nps la semaine dernière par équipe") == "fr"
    assert question_language("csat depuis août 2023") == "fr"
    assert question_language("nps last week by team") == "en"
    assert question_language("nps q3") is None


def test_a_french_question_gets_a_french_answer_and_chart(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    add_verbatims(
        factory,
        [record(i, now=now, score=9 if i % 3 else 3, hours_ago=30 + i) for i in range(40)],
        now=now,
    )
    reply = _ask(session, "nps les 7 derniers jours par équipe", now)
    assert reply.language == "fr"
    assert "réponses · toutes les équipes" in reply.text and "Par équipe (triés par valeur):" in reply.text
    assert "Dates en UTC." in reply.text and "responses" not in reply.text
    figure = build_figure(reply.answer, language="fr")
    assert figure.axes[0].get_title(loc="left").startswith("NPS par équipe")


def test_a_team_set_to_french_gets_french_answers_to_neutral_questions(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    add_verbatims(factory, [record(i, now=now, score=9, hours_ago=30 + i) for i in range(12)], now=now)
    save_team(session, name="Care", now=now, language="fr")
    assign_team(session, "U0FR", team="Care", now=now)
    session.commit()
    neutral = "nps 2026-11-01..2026-11-23"
    assert _ask(session, neutral, now, asker="U0FR").language == "fr"
    assert _ask(session, neutral, now, asker="U0FR", locale="en-US").language == "en"  # Slack locale first
    assert _ask(session, "nps last week", now, asker="U0FR").language == "en"  # an English question


def test_translation_never_touches_values() -> None:
    text = "By team (sorted by value):\nLast Resort Ltd  12  +50.0\nDates in UTC."
    assert (
        translate(text, "fr") == "Par équipe (triés par valeur):\nLast Resort Ltd  12  +50,0\nDates en UTC."
    )
