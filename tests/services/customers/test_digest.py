from datetime import timedelta

from sqlmodel import select

from bot.db import session_scope
from bot.services.customers import verbatims
from bot.services.customers.digest import load_items, ordered_items, rank_for_digest, tier_of
from bot.services.customers.digest_pages import planned_ids
from bot.services.customers.digest_runs import (
    mark_page_posted,
    mark_run_posted,
    page_sizes,
    plan_digest,
)
from models import Verbatim
from tests.factories import add_verbatims, make_team, record

ANGRY = "Third time I call, nobody answers. Terrible service, I want to cancel my contract."


def _plan(factory, team, now, **kw):  # type: ignore[no-untyped-def]
    return plan_digest(
        factory, team, now=now, per_page=kw.pop("per_page", 10), thread_pages=kw.pop("thread_pages", 5), **kw
    )


def test_angry_detractors_and_churn_risks_come_first(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    team = make_team(factory, now=now)
    add_verbatims(
        factory,
        [
            record(1, now=now, text="Nice and quick, thanks", score=10),
            record(2, now=now, text=ANGRY, score=1),
            record(3, now=now, text="A bit slow but fine", score=7),
            record(4, now=now, text="", score=3),
        ],
        now=now,
    )
    ranked = ordered_items(
        rank_for_digest(session, team, start=now - timedelta(days=1), end=now + timedelta(seconds=1), now=now)
    )
    items = load_items(session, [r.id for r in ranked], now=now)
    assert [i.text for i in items][0] == ANGRY
    assert items[-1].score == 10
    assert "cancel" in items[0].why or "churn" in items[0].why or "cancellation" in items[0].why
    assert all(
        a.priority >= b.priority
        for a, b in zip(items, items[1:], strict=False)
        if tier_of(a.priority) == tier_of(b.priority) and a.reason == b.reason
    )


def test_pagination_never_drops_anything() -> None:
    pages = page_sizes(95, per_page=10, thread_pages=5)
    assert pages == [("blocks", 10)] * 6 + [("file", 35)]
    assert page_sizes(53, per_page=10, thread_pages=5) == [("blocks", 10)] * 5 + [("blocks", 3)]
    assert page_sizes(0, per_page=10, thread_pages=5) == [("blocks", 0)]


def test_a_day_is_planned_once_and_the_next_digest_only_has_what_came_after(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    team = make_team(factory, now=now)
    add_verbatims(factory, [record(n, now=now, text=ANGRY, score=2) for n in range(3)], now=now)
    first = _plan(factory, team, now)
    again = _plan(factory, team, now + timedelta(minutes=5))
    assert first.run_id == again.run_id and first.summary.new == 3 and first.summary.detractors == 3
    for page in first.pages:
        mark_page_posted(factory, first, page, ts=f"1.{page.page_no}", now=now)
    mark_run_posted(factory, first, now=now)
    assert _plan(factory, team, now + timedelta(hours=1)).status == "posted"

    tomorrow = now + timedelta(days=1)
    add_verbatims(
        factory, [record(10, now=tomorrow, text="Great help", score=9)], now=tomorrow - timedelta(hours=2)
    )
    nxt = _plan(factory, team, tomorrow)
    assert nxt.run_id != first.run_id and nxt.summary.new == 1


def test_treated_verbatims_leave_the_digest_and_claims_cannot_be_stolen(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    team = make_team(factory, now=now)
    add_verbatims(
        factory, [record(1, now=now, text=ANGRY, score=0), record(2, now=now, text="meh", score=6)], now=now
    )
    ids = [v.id for v in session.exec(select(Verbatim).order_by(Verbatim.external_id))]
    with session_scope(factory) as s:
        verbatims.claim(s, verbatim_id=ids[0], user_id="U1", now=now)
    try:
        with session_scope(factory) as s:
            verbatims.claim(s, verbatim_id=ids[0], user_id="U2", now=now)
        raise AssertionError("a second person could claim the same verbatim")
    except verbatims.AlreadyTaken as taken:
        assert taken.by == "U1"
    with session_scope(factory) as s:
        verbatims.treat(s, verbatim_id=ids[1], user_id="U2", now=now)
    plan = _plan(factory, team, now + timedelta(seconds=1))
    assert planned_ids(session, plan) == [ids[0]]


def test_an_empty_day_posts_nothing_or_a_note_as_the_team_chose(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    quiet = make_team(factory, name="Quiet", now=now)
    chatty = make_team(factory, name="Chatty", channel="C0CHATTY", now=now, empty_note=True)
    assert _plan(factory, quiet, now).status == "empty" and not _plan(factory, quiet, now).pages
    note = _plan(factory, chatty, now)
    assert note.status == "planned" and [p.size for p in note.pages] == [0] and not planned_ids(session, note)


def test_dry_run_writes_no_ledger(factory, now) -> None:  # type: ignore[no-untyped-def]
    team = make_team(factory, now=now)
    add_verbatims(factory, [record(1, now=now, text=ANGRY, score=0)], now=now)
    preview = _plan(factory, team, now, dry_run=True)
    assert preview.run_id is None and preview.summary.new == 1
    assert _plan(factory, team, now).run_id is not None


def test_a_page_of_more_ids_than_postgres_takes_in_one_statement_still_loads(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    make_team(factory, now=now)
    add_verbatims(factory, [record(n, now=now, text=ANGRY, score=2) for n in range(3)], now=now)
    ids = [v.id for v in session.exec(select(Verbatim).order_by(Verbatim.id))]
    wanted = ids + list(range(10**6, 10**6 + 70_000))  # 70,003 ids: over Postgres' 65,535 parameters
    assert [i.id for i in load_items(session, wanted, now=now)] == ids
