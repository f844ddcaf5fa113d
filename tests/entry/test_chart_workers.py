"""Charts drawn in worker processes: a dead worker is replaced, a chart that kills its worker twice
leaves the answer without it (and says so), and the same chart asked twice is drawn once."""

from __future__ import annotations

import os
import signal
from zoneinfo import ZoneInfo

import pytest

from bot.db import session_scope
from bot.entry.chart_workers import ChartWorkers
from bot.services.kpi.ask import NO_CHART, ask
from bot.services.kpi.charts import ChartUnavailable, render_chart
from tests.conftest import wait_for
from tests.entry import chart_helpers
from tests.factories import add_verbatims, make_team, record


def _ask(factory, now, text: str, **kwargs):  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        return ask(
            session, text=text, metric="nps", asker=None, now=now, default_tz=ZoneInfo("UTC"),
            slack_admins_are_admins=True, **kwargs,
        )  # fmt: skip


@pytest.fixture
def answers(factory, now):  # type: ignore[no-untyped-def]
    make_team(factory, name="Care", now=now)
    add_verbatims(factory, [record(i, now=now, score=i % 11, hours_ago=i * 9) for i in range(200)], now=now)
    return [_ask(factory, now, f"trend {n} weeks", with_chart=False).answer for n in (6, 8)]


@pytest.fixture
def workers():  # type: ignore[no-untyped-def]
    pool = ChartWorkers(1)
    yield pool
    pool.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_chart_is_drawn_in_another_process_and_a_killed_worker_is_replaced(workers, answers) -> None:  # type: ignore[no-untyped-def]
    drawer = int(workers.draw(chart_helpers.worker_pid, 1))
    assert drawer != os.getpid()
    os.kill(drawer, signal.SIGKILL)
    wait_for(lambda: not _alive(drawer))
    png = workers.draw(render_chart, answers[0], language="en")
    assert png.startswith(b"\x89PNG") and workers.replaced == 1
    assert int(workers.draw(chart_helpers.worker_pid, 2)) not in (drawer, os.getpid())


def test_a_chart_that_kills_its_worker_twice_is_given_up_and_the_pool_still_draws(workers, answers) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ChartUnavailable):
        workers.draw(chart_helpers.die)
    assert workers.replaced == 2
    assert workers.draw(render_chart, answers[1], language="en").startswith(b"\x89PNG")


def test_the_same_chart_asked_twice_is_drawn_once(workers, answers) -> None:  # type: ignore[no-untyped-def]
    first = workers.draw(render_chart, answers[0], language="en")
    again = workers.draw(render_chart, answers[0], language="en")
    other = workers.draw(render_chart, answers[0], language="fr")
    assert first == again != other
    assert (workers.drawn, workers.from_cache) == (2, 1)


def test_an_answer_whose_chart_cannot_be_drawn_comes_without_it_and_says_so(factory, now, answers) -> None:  # type: ignore[no-untyped-def]
    def broken(fn, /, *args, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
        raise ChartUnavailable("the chart worker stopped twice")

    reply = _ask(factory, now, "trend 6 weeks", draw=broken)
    assert reply.chart is None and NO_CHART in reply.text and "NPS" in reply.text
