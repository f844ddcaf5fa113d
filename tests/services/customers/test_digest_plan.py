"""A planned digest keeps its message pages' ids and counts its header once; its overflow file is read when it
is posted. Whatever the page sizes, the plan is the whole display order, cut into pages, on both stores,
and it stays the same however the items are claimed or treated afterwards."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.db import session_scope
from bot.services.customers import verbatims
from bot.services.customers.digest import EPOCH, display_ids, load_items, ordered_items, summarise
from bot.services.customers.digest_export import page_csv
from bot.services.customers.digest_pages import page_view, planned_ids
from bot.services.customers.digest_runs import mark_page_posted, plan_digest
from models.digest import PageKind
from tests.factories import add_verbatims, make_team, record
from tests.services.customers.test_ranking import TEXTS


def _team_with_feedback(factory, now, n: int = 90):  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    team = make_team(factory, now=now)
    records = [
        record(
            k,
            now=now,
            text=rng.choice(TEXTS),
            score=rng.choice([None, 0, 3, 6, 7, 9, 10]),
            scale=rng.choice(["nps", "csat"]) if k % 3 else "nps",
            hours_ago=rng.choice([0, 2, 6, 30, 46, 200]),
            reason=rng.choice([None, "billing", "delivery", "Billing", "écoute"]),
        )
        for k in range(n)
    ]
    for r in records:  # CSAT scores stay on their scale
        if r["scale"] == "csat" and r["score"] is not None:
            r["score"] = min(5, max(1, r["score"] // 2))
    add_verbatims(factory, records, now=now)
    return team


def test_the_plan_is_the_display_order_cut_into_pages_whatever_their_size(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    team = _team_with_feedback(factory, now)
    order = display_ids(session, team, start=EPOCH, end=now, now=now)
    items = load_items(session, order, now=now)
    assert [i.id for i in ordered_items(sorted(items, key=lambda i: -i.priority))] == order  # the formula's
    expected_summary = summarise(team, now.date(), items)
    for per_page, thread_pages in ((10, 5), (4, 2), (1, 0), (7, 20)):
        dry = plan_digest(factory, team, now=now, per_page=per_page, thread_pages=thread_pages, dry_run=True)
        plan = plan_digest(factory, team, now=now, per_page=per_page, thread_pages=thread_pages)
        assert planned_ids(session, plan) == order == planned_ids(session, dry)
        assert [(p.kind, p.size) for p in dry.pages] == [(p.kind, p.size) for p in plan.pages]
        assert dry.summary == plan.summary
        kept = min(len(order), per_page * (thread_pages + 1))
        assert [p.size for p in plan.pages if p.kind == PageKind.BLOCKS][0] == min(per_page, len(order))
        assert plan.overflow == len(order) - kept and plan.summary == expected_summary
        _forget_runs(factory)


def test_claims_and_treatments_after_the_plan_change_no_page(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    team = _team_with_feedback(factory, now)
    plan = plan_digest(factory, team, now=now, per_page=5, thread_pages=1)
    before = planned_ids(session, plan)
    on_page_0, in_file = before[0], before[-1]
    later = now + timedelta(minutes=5)
    with session_scope(factory) as s:
        verbatims.treat(s, verbatim_id=on_page_0, user_id="U1", now=later)
        verbatims.claim(s, verbatim_id=in_file, user_id="U2", now=later)
        verbatims.treat(s, verbatim_id=before[7], user_id="U3", now=later)  # page 1
    again = plan_digest(factory, team, now=later, per_page=5, thread_pages=1)
    assert again.run_id == plan.run_id and planned_ids(session, again) == before
    assert again.summary == plan.summary  # counted once, when planned
    file_page = again.pages[-1]
    assert file_page.kind == PageKind.FILE and file_page.size == len(before) - 10
    with session_scope(factory) as s:
        content, count = page_csv(s, again, file_page, now=later)
    rows = content.splitlines()[1:]
    assert count == len(before) - 10 == len(rows)
    assert [int(r.split(",")[0]) for r in rows] == before[10:]  # in order, with its current state
    assert ",claimed," in rows[-1]
    mark_page_posted(factory, again, again.pages[0], ts="1700000000.000100", now=later)
    with session_scope(factory) as s:
        view = page_view(s, channel_id="C0SUPPORT", ts="1700000000.000100", now=later)
    assert view is not None and [i.id for i in view.items] == before[:5]
    assert view.items[0].status == "treated" and view.items[0].treated_by == "U1"
    assert (view.total_pages, view.overflow, view.summary) == (2, len(before) - 10, plan.summary)


def _forget_runs(factory) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from models.digest import DigestPage, DigestPageItem, DigestRun

    with session_scope(factory) as s:
        for table in (DigestPageItem, DigestPage, DigestRun):
            s.execute(delete(table))
