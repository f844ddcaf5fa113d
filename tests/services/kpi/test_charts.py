"""Charts are real PNGs, legible: a title with metric, period and n, labelled axes, no number for tiny groups."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import date

import pytest

from bot.services.kpi.charts import CHART_SIZE_PX, build_figure, render_chart
from bot.services.kpi.engine import BreakdownRow, KpiAnswer, TrendPoint
from bot.services.kpi.metrics import CSAT, NPS
from bot.services.kpi.periods import parse_period, trend_period
from bot.services.kpi.stats import CsatCounts, NpsCounts

TODAY = date(2026, 11, 23)


def breakdown_answer() -> KpiAnswer:
    period = parse_period("this month", today=TODAY)
    rows = (
        BreakdownRow("Chat", 1204, 82.4, 2.1, 2.0, False),
        BreakdownRow("Phone", 830, 71.0, 3.1, -3.0, False),
        BreakdownRow("Store", 4, None, None, None, True),
    )
    return KpiAnswer(
        metric=CSAT,
        period=period,
        previous_period=period.previous(),
        timezone="Europe/Paris",
        scope=("all teams",),
        counts=CsatCounts(satisfied=1580, n=2038, total=8300),
        previous_counts=CsatCounts(satisfied=1500, n=2000, total=8000),
        breakdown="channel",
        rows=rows,
    )


def trend_answer() -> KpiAnswer:
    period = trend_period(3, "week", today=TODAY)
    points = (
        TrendPoint("9–15 Nov 2026", date(2026, 11, 9), date(2026, 11, 15), 400, 12.5, 9.0, False),
        TrendPoint("16–22 Nov 2026", date(2026, 11, 16), date(2026, 11, 22), 410, 20.0, 8.8, False),
        TrendPoint("23 Nov 2026", date(2026, 11, 23), date(2026, 11, 23), 5, None, None, True),
    )
    return KpiAnswer(
        metric=NPS,
        period=period,
        previous_period=period.previous(),
        timezone="UTC",
        scope=("team Paris",),
        counts=NpsCounts(300, 300, 215),
        previous_counts=NpsCounts(1, 1, 1),
        trend_unit="week",
        points=points,
    )


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


@pytest.mark.parametrize("make", [breakdown_answer, trend_answer])
def test_charts_are_pngs_of_the_announced_size(make) -> None:  # type: ignore[no-untyped-def]
    png = render_chart(make())
    assert png_size(png) == CHART_SIZE_PX
    assert len(png) > 15_000  # drawn, not blank


def texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    ax = fig.axes[0]
    return [t.get_text() for t in (*fig.texts, *ax.texts)] + [
        t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()
    ]


def test_a_breakdown_chart_names_metric_period_and_n_and_hides_tiny_groups() -> None:
    fig = build_figure(breakdown_answer())
    ax = fig.axes[0]
    title = ax.get_title(loc="left")
    assert "CSAT by channel" in title and "Sun 1 Nov – Mon 23 Nov 2026" in title and "n = 2,038" in title
    assert ax.get_xlabel() == "CSAT (% of 4-5 answers)" and ax.get_ylabel() == "Channel"
    written = texts(fig)
    assert "82.4%  (n=1,204)" in written and " too small (n=4)" in written
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Chat", "Phone", "Store"]
    assert [round(b.get_width(), 1) for b in ax.patches] == [82.4, 71.0, 0.0]


def test_a_trend_chart_has_one_point_per_week_with_n_under_each_date() -> None:
    fig = build_figure(trend_answer())
    ax = fig.axes[0]
    assert ax.get_title(loc="left").startswith("NPS weekly trend · Mon 9 Nov – Mon 23 Nov 2026")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["9 Nov\nn=400", "16 Nov\nn=410", "23 Nov\nn=5"]
    assert ax.get_xlabel().startswith("Week starting") and ax.get_ylabel().startswith("NPS")
    assert "+20.0" in texts(fig) and not any(t.startswith("+") and "n=5" in t for t in texts(fig))


def test_a_single_number_has_no_chart() -> None:
    answer = breakdown_answer()
    with pytest.raises(ValueError):
        render_chart(replace(answer, rows=(), breakdown=None))


def test_many_groups_draw_the_15_largest_and_sum_up_the_others() -> None:
    from bot.services.kpi.charts import MAX_BARS, drawn_rows

    rows = tuple(BreakdownRow(f"Team {i}", 10 + i, 50.0, 5.0, None, False) for i in range(40))
    answer = replace(breakdown_answer(), breakdown="team", rows=rows)
    drawn, others = drawn_rows(answer)
    assert len(drawn) == MAX_BARS and {r.label for r in drawn} == {f"Team {i}" for i in range(25, 40)}
    assert others == f"others: 25 smaller groups, n={sum(10 + i for i in range(25)):,} (see the table)"
    build_figure(answer)  # draws without error


def test_by_week_is_drawn_as_a_line_and_a_single_number_gets_its_trend(
    factory, session, now, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from bot.services.kpi.ask import ask
    from tests.factories import add_verbatims, record

    add_verbatims(factory, [record(i, now=now, score=9, hours_ago=24 * (i % 20)) for i in range(40)], now=now)
    zone = __import__("zoneinfo").ZoneInfo("UTC")
    weekly = ask(session, text="nps last 4 weeks by week", metric=None, asker=None, now=now, default_tz=zone,
                  slack_admins_are_admins=False)  # fmt: skip
    figure = build_figure(weekly.answer)
    assert figure.axes[0].get_lines() and not figure.axes[0].patches  # a line, no bars
    single = ask(session, text="nps last week", metric=None, asker=None, now=now, default_tz=zone,
                 slack_admins_are_admins=False, headline_chart=True)  # fmt: skip
    assert single.chart is not None and single.chart.startswith(b"\x89PNG")
    empty = ask(session, text="csat last week", metric=None, asker=None, now=now, default_tz=zone,
                slack_admins_are_admins=False, headline_chart=True)  # fmt: skip
    assert empty.chart is None and "No chart: no responses in the period." in empty.text
