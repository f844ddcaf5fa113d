"""Answers in the asker's language: a French question, a French Slack locale or a team set to French."""

from __future__ import annotations

import re
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


def test_a_french_slack_locale_beats_english_command_words_but_not_a_french_question(
    factory, session, now
) -> None:  # type: ignore[no-untyped-def]
    from bot.services.people.roles import ensure_person

    add_verbatims(factory, [record(i, now=now, score=9, hours_ago=30 + i) for i in range(12)], now=now)
    save_team(session, name="Care", now=now, language="fr")
    for user, locale in (("U0FR", "fr-FR"), ("U0EN", "en-GB"), ("U0NEW", None)):
        ensure_person(
            session, user, name=user, tz=None, is_admin=False, is_owner=False, now=now, locale=locale
        )
        assign_team(session, user, team="Care", now=now)
    session.commit()
    assert _ask(session, "nps last week", now, asker="U0FR").language == "fr"  # stored Slack locale
    assert _ask(session, "nps la semaine dernière", now, asker="U0EN").language == "fr"  # French words
    assert _ask(session, "nps q3", now, asker="U0EN").language == "en"  # their locale before the team's
    assert _ask(session, "nps q3", now, asker="U0NEW").language == "fr"  # no locale known: the team's
    assert _ask(session, "nps last week", now, asker="U0NEW").language == "en"  # English words


def test_french_figures_have_a_comma_and_a_no_break_space_before_percent() -> None:
    assert translate("CSAT 82.4% (n=476)", "fr") == "CSAT 82,4\u00a0% (n=476)"
    assert translate("95% margin", "fr") == "marge à 95\u00a0%"


def test_a_french_table_has_french_figures_and_stays_aligned(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    rows = [record(i, now=now, score=(i % 5) + 1, scale="csat", hours_ago=30 + i * 8) for i in range(80)]
    add_verbatims(factory, rows, now=now)
    lines = _ask(session, "csat les 4 dernières semaines par semaine", now).text.split("\n")
    header = next(line for line in lines if line.startswith("Semaine"))
    assert header.endswith("Écart (points)") and lines[0].startswith("CSAT 39,2\u00a0% ±10,8")
    rows_shown = [line for line in lines[1:] if "\u00a0%" in line and "nov." in line]
    assert len(rows_shown) == 4 and "2–8 nov. 2026" in rows_shown[1]
    assert {line.index("±") for line in rows_shown} == {header.index("±")}  # columns line up


def test_a_span_of_weeks_months_or_days_reads_as_french_would_say_it() -> None:
    assert translate("NPS, last 4 weeks (2–29 Nov)", "fr") == "NPS, 4 dernières semaines (2–29 nov.)"
    assert translate("last 3 months", "fr") == "3 derniers mois"
    assert translate("in the last 2 weeks", "fr") == "sur les 2 dernières semaines"
    assert translate("the previous 3 months", "fr") == "les 3 mois précédents"
    assert translate("previous 4 weeks", "fr") == "4 semaines précédentes"
    assert translate("last week", "fr") == "la semaine dernière"


def test_team_and_channel_names_are_never_translated(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    rows = [
        record(i, now=now, score=9, hours_ago=30 + i, team=team, channel="Email in 3.5 days")
        for i, team in enumerate(["Support in Paris"] * 12 + ["All time to 1.5 Care"] * 12)
    ]
    add_verbatims(factory, rows, now=now)
    reply = _ask(session, "nps les 7 derniers jours par équipe", now)
    assert reply.language == "fr" and "Par équipe" in reply.text
    assert "Support in Paris" in reply.text and "All time to 1.5 Care" in reply.text, reply.text
    figure = build_figure(reply.answer, language="fr")
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "Support in Paris" in ticks and "All time to 1.5 Care" in ticks
    by_channel = _ask(session, "nps les 7 derniers jours pour le canal Email in 3.5 days", now)
    assert "Email in 3.5 days" in by_channel.text, by_channel.text


def test_kept_names_longest_first_and_a_thousand_of_them() -> None:
    """Names are kept in one pass (a breakdown keeps every team's): the longest name at a place wins."""
    keep = ("Paris", "Paris last week", "Team 01", "Team 012") + tuple(
        f"Team {i:04d} in 2 days" for i in range(1000)
    )
    text = "Paris last week beat Paris; Team 012 and Team 01 last week; Team 0999 in 2 days, 3.5 last month"
    assert translate(text, "fr", keep=keep) == (
        "Paris last week beat Paris; Team 012 and Team 01 la semaine dernière; Team 0999 in 2 days, 3,5 "
        "le mois dernier"
    )
    assert translate("Team 0999 in 2 days", "fr", keep=keep) == "Team 0999 in 2 days"


def test_a_small_french_answer_for_one_team_has_no_english_left(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    rows = [record(i, now=now, score=9, hours_ago=30 + i, team="Lyon") for i in range(5)]
    add_verbatims(factory, rows, now=now)
    reply = _ask(session, "nps les 7 derniers jours pour Lyon", now)
    assert "· équipe Lyon" in reply.text and "(moins de 30)" in reply.text, reply.text
    assert "team" not in reply.text and "under" not in reply.text


def test_a_french_table_of_mean_stars_keeps_its_decimals(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    """A mean's margin has 3 decimals: translated once it is "±0,045"; the answer used to be translated a
    second time, which read it as the English thousands "0,045" and showed "±0 045"."""
    reasons = ["vie"] * 40 + ["auto"] * 40  # "vie" is also inside "reviews"
    rows = [
        record(i, now=now, score=(i % 5) + 1, scale="stars", hours_ago=30 + i, reason=reason)
        for i, reason in enumerate(reasons)
    ]
    add_verbatims(factory, rows, now=now)
    reply = _ask(session, "note moyenne les 30 derniers jours par motif", now)
    table = [line for line in reply.text.split("\n") if line.startswith(("vie", "auto"))]
    assert len(table) == 2 and all(re.search(r"±0,\d{3}$", line) for line in table), table
    assert "\u202f" not in "".join(table)  # no thousands separator in a table of 40s
    assert "80 avis notés" in reply.text and "reviews" not in reply.text  # the reason kept, not the word
    assert "\ue002" not in reply.text and "\ue003" not in reply.text


def test_a_kept_name_is_a_whole_word() -> None:
    assert translate("12 star reviews in vie", "fr", keep=("vie",)) == "12 avis notés sur vie"


def test_a_group_without_a_value_is_named_in_french(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    add_verbatims(factory, [record(i, now=now, score=9, hours_ago=30 + i) for i in range(12)], now=now)
    reply = _ask(session, "nps les 7 derniers jours par canal", now)
    assert "(non renseigné)" in reply.text and "not set" not in reply.text, reply.text
    english = _ask(session, "nps last 7 days by channel", now)
    assert "(not set)" in english.text


def test_a_breakdown_by_a_dimension_the_files_never_had_says_how_to_get_it(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    add_verbatims(factory, [record(i, now=now, score=9, hours_ago=30 + i) for i in range(12)], now=now)
    english = _ask(session, "nps last 7 days by agent", now).text
    assert "No agent is recorded for these responses: import them with --map agent=COLUMN." in english
    french = _ask(session, "nps les 7 derniers jours par agent", now).text
    assert "Aucun agent n'est renseigné pour ces réponses: importez-les avec --map agent=COLUMN." in french
    with_agents = [record(100 + i, now=now, score=9, hours_ago=30 + i, agent="Alice") for i in range(12)]
    add_verbatims(factory, with_agents, now=now)
    assert "is recorded" not in _ask(session, "nps last 7 days by agent", now).text  # some have one: no note
