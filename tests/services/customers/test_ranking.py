"""The digest is ranked by the store: the age-free priority kept at import plus the age at `now` in SQL.

Checked against the Python formula on both stores: same priorities, same display order (also when the store orders the ids for the plan)."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.services.customers.digest import display_ids, load_items, ordered_items, rank_for_digest
from tests.factories import add_verbatims, make_team, record

TEXTS = [
    "Terrible service, I want to cancel my contract",
    "Great, thanks",
    "ok",
    "Service nul, je vais résilier",
    "The charger caught fire",
    "Third time I call, still no answer",
    "Très bien, merci",
    "not good",
]


def test_the_store_ranks_exactly_as_the_formula_at_any_time(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    team = make_team(factory, now=now)
    records = [
        record(
            n,
            now=now,
            text=rng.choice(TEXTS) or "ok",
            score=rng.choice([None, 0, 3, 6, 7, 9, 10]),
            hours_ago=rng.choice([0, 0.5, 2, 5.99, 6, 6.01, 30, 45.9, 46, 47, 200]),
            reason=rng.choice([None, "billing", "delivery", "Billing", "écoute", "zèle"]),  # byte order
        )
        for n in range(120)
    ]
    add_verbatims(factory, records, now=now)
    for later in (timedelta(0), timedelta(hours=3, minutes=7), timedelta(days=3)):
        at = now + later
        ranked = rank_for_digest(session, team, start=now - timedelta(days=30), end=at, now=at)
        items = load_items(session, [r.id for r in ranked], now=at)  # the formula, in Python
        assert [r.priority for r in ranked] == [i.priority for i in items]
        assert [r.priority for r in ranked] == sorted((r.priority for r in ranked), reverse=True)
        shown = ordered_items(ranked)  # the display order: tiers, then reasons
        expected = ordered_items(sorted(items, key=lambda i: -i.priority))
        assert [(i.priority, i.reason) for i in expected] == [(r.priority, r.reason) for r in shown]
        in_store = display_ids(session, team, start=now - timedelta(days=30), end=at, now=at)
        assert in_store == [r.id for r in shown]  # the plan's order, put by the store
        assert len(ranked) == 120


def test_equal_priorities_put_the_worse_reading_first(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    team = make_team(factory, now=now)
    add_verbatims(
        factory,
        [
            record(1, now=now, text="Fine, I guess", score=None),
            record(2, now=now, text="It was bad", score=None),
        ],
        now=now,
    )
    ranked = rank_for_digest(session, team, start=now - timedelta(days=1), end=now, now=now)
    items = load_items(session, [r.id for r in ranked], now=now)
    assert [i.text for i in items] == ["It was bad", "Fine, I guess"]


def test_the_summary_counts_the_planned_items_even_after_some_are_treated(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    from bot.db import session_scope
    from bot.services.customers import verbatims
    from bot.services.customers.digest_pages import planned_ids
    from bot.services.customers.digest_runs import plan_digest

    team = make_team(factory, now=now)
    add_verbatims(factory, [record(n, now=now, score=n % 11, hours_ago=3) for n in range(30)], now=now)
    with session_scope(factory) as s:
        first = rank_for_digest(s, team, start=now - timedelta(days=1), end=now, now=now)[0].id
        verbatims.treat(s, verbatim_id=first, user_id="U0BEFORE", now=now)  # before the plan: not in it
    plan = plan_digest(factory, team, now=now + timedelta(minutes=1), per_page=10, thread_pages=5)
    planned = planned_ids(session, plan)
    assert plan.summary.new == len(planned) == 29 and first not in planned
    with session_scope(factory) as s:
        verbatims.treat(s, verbatim_id=planned[0], user_id="U0AFTER", now=now + timedelta(minutes=5))
    again = plan_digest(factory, team, now=now + timedelta(minutes=6), per_page=10, thread_pages=5)
    assert again.run_id == plan.run_id and again.summary == plan.summary
