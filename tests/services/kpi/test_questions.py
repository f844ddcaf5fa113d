from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InvalidInput, UserFacingError
from bot.services.kpi.metrics import all_metrics, metric_words
from bot.services.kpi.period_words import VOCAB
from bot.services.kpi.periods import parse_period
from bot.services.kpi.questions import KpiQuery, Metric, QueryNotUnderstood, parse_kpi_query

MON = date(2026, 11, 23)
KNOWN = {
    "known_channels": ("chat", "email", "phone"),
    "known_teams": ("Billing Paris", "support"),
    "known_reasons": ("billing", "delivery"),
}


def ask(text: str, metric: Metric | None = "nps", today: date = MON, **known: tuple[str, ...]) -> KpiQuery:
    return parse_kpi_query(text, metric=metric, today=today, **known)


def refused(text: str, metric: Metric | None = "nps", **known: tuple[str, ...]) -> QueryNotUnderstood:
    with pytest.raises(QueryNotUnderstood) as caught:
        ask(text, metric, **known)
    assert isinstance(caught.value, InvalidInput)
    return caught.value


def test_nps_last_week() -> None:
    query = ask("last week")
    assert (
        query.metric == "nps" and query.period == parse_period("last week", today=MON) and query.period_given
    )
    assert (query.team, query.channel, query.reason, query.agent, query.breakdown, query.trend) == (None,) * 6
    assert not query.share
    assert query.understood == ("NPS", "last week (Mon 16 Nov – Sun 22 Nov 2026)")


def test_no_period_means_this_month_so_far() -> None:
    query = ask("")
    assert query.period == parse_period("this month", today=MON) and not query.period_given
    assert "this month so far (Sun 1 Nov – Mon 23 Nov 2026) (no period given)" in query.understood


def test_csat_this_month_by_channel() -> None:
    query = ask("this month by channel", "csat")
    assert (query.metric, query.breakdown, query.period.start, query.period.end) == (
        "csat", "channel", date(2026, 11, 1), MON
    )  # fmt: skip
    assert "by channel" in query.understood


def test_kpi_reads_the_metric_from_the_text() -> None:
    query = ask("csat reason billing", None, **KNOWN)
    assert (query.metric, query.reason, query.period_given) == ("csat", "billing", False)
    assert ask("satisfaction client hier", None).metric == "csat"
    assert ask("Net Promoter Score last month", None).metric == "nps"


@pytest.mark.parametrize(("text", "breakdown"), [
    ("by channel", "channel"), ("by team", "team"), ("by reason", "reason"), ("by agent", "agent"),
    ("by processing level", "processing_level"), ("by week", "week"), ("by month", "month"),
    ("par canal", "channel"), ("par équipe", "team"), ("par motif", "reason"), ("par agent", "agent"),
    ("par niveau", "processing_level"), ("par niveau de traitement", "processing_level"),
    ("par semaine", "week"), ("par mois", "month"), ("weekly", "week"), ("BY CHANNELS", "channel"),
])  # fmt: skip
def test_breakdowns_in_english_and_french(text: str, breakdown: str) -> None:
    assert ask(f"last month {text}").breakdown == breakdown


def test_trend_is_that_many_full_weeks_ending_this_week() -> None:
    query = ask("trend 12 weeks")
    assert (query.trend, query.trend_unit, query.breakdown, query.period_given) == (12, "week", None, True)
    assert (query.period.start, query.period.end) == (date(2026, 9, 7), MON)  # 12 Mondays, this one included
    assert query.period.start.weekday() == 0 and query.period.previous().days() == 84


@pytest.mark.parametrize(("text", "count", "unit", "start"), [
    ("trend 6 months", 6, "month", date(2026, 6, 1)),
    ("trend", 12, "week", date(2026, 9, 7)),
    ("trend by month", 6, "month", date(2026, 6, 1)),
    ("trend over the last 8 weeks", 8, "week", date(2026, 10, 5)),
    ("tendance sur les 12 dernières semaines", 12, "week", date(2026, 9, 7)),
    ("évolution 3 mois", 3, "month", date(2026, 9, 1)),
])  # fmt: skip
def test_trend_forms(text: str, count: int, unit: str, start: date) -> None:
    query = ask(text)
    assert (query.trend, query.trend_unit, query.period.start, query.period.end) == (count, unit, start, MON)


def test_trend_with_another_breakdown_keeps_it() -> None:
    query = ask("trend 6 months by channel", "csat")
    assert (query.trend, query.trend_unit, query.breakdown) == (6, "month", "channel")


def test_mention_with_fillers_and_a_known_channel() -> None:
    query = ask("<@U123ABC> what was NPS last week for chat?", None, **KNOWN)
    assert (query.metric, query.channel, query.team, query.period.start) == (
        "nps",
        "chat",
        None,
        date(2026, 11, 16),
    )
    assert query.understood == ("NPS", "last week (Mon 16 Nov – Sun 22 Nov 2026)", "channel: chat")


def test_for_a_known_team_is_a_team_filter() -> None:
    assert ask("how is csat for support this quarter", None, **KNOWN).team == "support"
    assert ask("nps for billing paris", None, **KNOWN).team == "Billing Paris"  # as the team is spelled


def test_for_an_unknown_word_is_a_team_when_nothing_is_known() -> None:
    query = ask("what was NPS last week for Care Lyon?", None)
    assert (query.team, query.channel) == ("Care Lyon", None)


def test_for_an_unknown_word_gets_did_you_mean_from_known_names() -> None:
    error = refused("for suport", **KNOWN)
    assert 'I don\'t know a team or channel called "suport".' in error.message
    assert 'Did you mean "support"?' in error.suggestions and error.not_understood == ["for suport"]


def test_a_name_that_is_both_a_team_and_a_channel_is_asked_about() -> None:
    error = refused("for chat", known_channels=("chat",), known_teams=("Chat",))
    assert 'say "channel chat" or "team Chat"' in error.message


def test_explicit_filters_in_english_and_french() -> None:
    query = ask("team support channel email reason delivery agent Alice Martin", **KNOWN)
    assert (query.team, query.channel, query.reason, query.agent) == (
        "support",
        "email",
        "delivery",
        "Alice Martin",
    )
    query = ask("pour l'équipe support la semaine dernière par canal", **KNOWN)
    assert (query.team, query.breakdown, query.period.start) == ("support", "channel", date(2026, 11, 16))
    query = ask("canal chat motif billing ce mois-ci", **KNOWN)
    assert (query.channel, query.reason, query.period.end) == ("chat", "billing", MON)


def test_unknown_filter_values_without_known_lists_are_kept_as_written() -> None:
    query = ask("equipe Recouvrement canal Messenger motif résiliation")
    assert (query.team, query.channel, query.reason) == ("Recouvrement", "Messenger", "résiliation")


def test_agent_names_that_look_like_months_stay_names() -> None:
    assert ask("agent June last week").agent == "June"
    assert ask("agent <@U456> this week").agent == "<@U456>"


def test_a_bare_known_name_and_the_chat_channel_form() -> None:
    assert ask("billing last month", **KNOWN).reason == "billing"
    assert ask("the chat channel yesterday", **KNOWN).channel == "chat"


@pytest.mark.parametrize("text", ["2026-10-01 .. 2026-10-15", "2026-10-01.. 2026-10-15", "2026-10-01 to 2026-10-15",
                                  "du 01/10/2026 au 15/10/2026", "2026-10-01..2026-10-15."])  # fmt: skip
def test_ranges_survive_spaces_and_punctuation(text: str) -> None:
    assert (ask(text).period.start, ask(text).period.end) == (date(2026, 10, 1), date(2026, 10, 15))


def test_sentence_punctuation_is_not_a_word() -> None:
    assert ask("NPS last week...", None).period.start == date(2026, 11, 16)
    assert ask("¿csat, oct. 2026?", None).period.start == date(2026, 10, 1)


def test_share_and_french_mention() -> None:
    query = ask("quel était le NPS du mois dernier pour le chat ? partager", None, **KNOWN)
    assert (query.metric, query.channel, query.share, query.period.start) == (
        "nps",
        "chat",
        True,
        date(2026, 10, 1),
    )
    assert ask("last week share in channel").share
    assert "shared in the channel" in ask("share").understood


@pytest.mark.parametrize(("text", "meant"), [
    ("last weak", "last week"), ("by chanel", "by channel"), ("yesterdy", "yesterday"), ("ths month", "this month"),
    ("semaine derniére par canl", "par canal"), ("12 weeks", "last 12 weeks"),
])  # fmt: skip
def test_unknown_words_are_reported_with_did_you_mean(text: str, meant: str) -> None:
    error = refused(text)
    assert any(line.startswith(f'Did you mean "{meant}"?') for line in error.suggestions)
    assert error.not_understood and "I didn't understand" in error.message
    assert error.understood[0] == "NPS" and "I understood: NPS" in error.message
    assert 2 <= len(error.examples) <= 3 and error.hints[-1].startswith("For example:")


def test_each_stretch_of_a_garbled_phrase_gets_its_own_did_you_mean() -> None:
    error = refused("last weak by chanel")
    assert error.not_understood == ["last weak by chanel"]
    assert error.suggestions == [
        'Did you mean "last week"? ("weak" → "week")', 'Did you mean "by channel"? ("chanel" → "channel")'
    ]  # fmt: skip
    assert refused("la semaine dernire").suggestions == [
        'Did you mean "semaine dernière"? ("dernire" → "dernière")'
    ]
    assert refused("team suport", **KNOWN).suggestions[0] == 'Did you mean "team support"?'


def test_a_word_carrying_meaning_is_never_dropped() -> None:
    error = refused("last week excluding chat", **KNOWN)
    assert error.not_understood == ["excluding"]
    assert (
        "last week (Mon 16 Nov – Sun 22 Nov 2026)" in error.understood and "channel: chat" in error.understood
    )


def test_missing_or_conflicting_metric() -> None:
    assert refused("last week", None).message.startswith("Which metric: NPS or CSAT or Rating or Pulse")
    assert refused("nps csat", None).message.startswith("One metric at a time")
    error = refused("csat last week", "nps")
    assert "This command is for NPS: ask for CSAT with /csat." in error.message and error.not_understood == [
        "csat"
    ]


@pytest.mark.parametrize(("text", "in_message"), [
    ("2026-02-30", "2026-02-30 is not a real date: February 2026 has 28 days."),
    ("december 2026", '"december 2026" is in the future'),
    ("2026-10-15..2026-10-01", "ends before it starts"),
    ("last week yesterday", 'Two periods: "last week (Mon 16 Nov – Sun 22 Nov 2026)" and "yesterday'),
    ("trend 12 weeks last month", 'A trend covers its own period: drop "last month" or the trend.'),
    ("trend 12 weeks by month", 'drop "by month"'),
    ("trend 500 weeks", "between 2 and 104 weeks"),
    ("by channel by team", 'One breakdown at a time: "by channel" or "by team"?'),
    ("channel chat channel email", 'One channel at a time: "chat" or "email"?'),
    ("team bilin", 'I don\'t know the team "bilin".'),
    ("channel", 'Which channel? For example "channel chat".'),
])  # fmt: skip
def test_errors_say_what_is_wrong(text: str, in_message: str) -> None:
    assert in_message in refused(text, **KNOWN).message


def test_the_examples_offered_all_work() -> None:
    for metric in ("nps", "csat", None):
        for known in ({}, KNOWN):
            for example in refused("gibberish", metric, **known).examples:  # type: ignore[arg-type]
                words = example.split()
                text, given = (
                    (" ".join(words[1:]), words[0][1:]) if words[0] != "/kpi" else (" ".join(words[1:]), None)
                )
                assert ask(text, given, **known).metric in ("nps", "csat")  # type: ignore[arg-type]


# ---- properties -------------------------------------------------------------------------------------------

TODAYS = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31))
METRICS = st.sampled_from(["nps", "csat", None])
NAMES = st.lists(st.sampled_from(["chat", "email", "Billing Paris", "support", "billing", "Chat", "Q3", "week"]),
                 max_size=3).map(tuple)  # fmt: skip
PHRASES = {
    **VOCAB,
    **{phrase: phrase for phrase in metric_words()},
}  # the metric names come from the registry
WORDS = sorted(
    {w for phrase in PHRASES for w in phrase.split()} | set("for pour team agent <@U1> ? chat Alice".split())
)
TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(sorted(PHRASES.values())),
    st.integers(min_value=-3, max_value=10**6).map(str),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)).map(date.isoformat),
    st.sampled_from(
        ["2026-02-30", "..", "to", "31/02/2026", "Q3", "T4 2026", "oct.", "l'équipe", "trend 0 weeks"]
    ),
    st.text(max_size=5),
)
QUESTIONS = st.lists(TOKENS, max_size=8).map(" ".join)


def check(
    text: str, metric: Metric | None, today: date, channels: tuple, teams: tuple, reasons: tuple
) -> None:
    try:
        query = parse_kpi_query(text, metric=metric, today=today, known_channels=channels, known_teams=teams,
                                known_reasons=reasons)  # fmt: skip
    except UserFacingError as error:
        assert error.message
        return
    assert query.metric in {m.key for m in all_metrics()}
    assert query.period.start <= query.period.end <= today and query.period.days() >= 1
    assert query.period.previous().end + timedelta(days=1) == query.period.start
    assert (query.trend is None) == (query.trend_unit is None) and query.understood


@given(text=st.text(max_size=80), metric=METRICS, today=TODAYS, channels=NAMES, teams=NAMES, reasons=NAMES)
def test_any_text_is_a_query_or_a_user_facing_error(
    text: str, metric: Metric | None, today: date, channels: tuple, teams: tuple, reasons: tuple
) -> None:
    check(text, metric, today, channels, teams, reasons)


@settings(max_examples=500)
@given(text=QUESTIONS, metric=METRICS, today=TODAYS, channels=NAMES, teams=NAMES, reasons=NAMES)
def test_any_mix_of_vocabulary_and_junk_is_a_query_or_a_user_facing_error(
    text: str, metric: Metric | None, today: date, channels: tuple, teams: tuple, reasons: tuple
) -> None:
    check(text, metric, today, channels, teams, reasons)


def test_an_essay_is_refused_quickly() -> None:
    error = refused("last week " * 40)
    assert error.message.startswith("That is too long for a KPI question (400 characters).")
    assert error.understood == [] and error.examples


def test_days_in_words_with_a_metric_and_a_breakdown() -> None:
    question = ask("csat du 1er au 10 août 2023 par canal", metric=None)
    assert (question.metric, question.breakdown) == ("csat", "channel")
    assert (question.period.start, question.period.end) == (date(2023, 8, 1), date(2023, 8, 10))
    assert ask("nps aug 15, 2023 by team").period.start == date(2023, 8, 15)
