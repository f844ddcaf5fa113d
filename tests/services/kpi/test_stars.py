"""Star reviews answer questions: the average rating and the share of 4-5 stars, and a CSAT question on a
store of star reviews says where the data is."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import add_verbatims, answer, record


def _reviews(factory, now, stars: list[int], *, days_ago: int = 3, team: str = "Care") -> None:  # type: ignore[no-untyped-def]
    rows = [
        record(i, now=now, score=s, scale="stars", team=team, hours_ago=24 * days_ago + i, text="")
        for i, s in enumerate(stars, start=len(stars) * days_ago)
    ]
    add_verbatims(factory, rows, now=now, source=f"reviews-{team}-{days_ago}")


def test_rating_is_the_mean_with_the_share_of_4_and_5_stars(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    _reviews(factory, now, [5, 5, 4, 1, 2, 5, 4, 3, 5, 1])  # mean 3.5, 6 of 10 are 4-5
    text = answer(session, "stars last 7 days", now=now)
    assert text.startswith("Rating 3.50/5") and "(60.0% 4-5)" in text and "10 star reviews" in text
    assert answer(session, "rating last 7 days", now=now).split("\n")[0] == text.split("\n")[0]


def test_rating_by_team(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    _reviews(factory, now, [5] * 10, team="Paris")
    _reviews(factory, now, [1] * 9 + [2], team="Lyon")
    text = answer(session, "rating last 7 days by team", now=now)
    assert text.index("Paris") < text.index("Lyon") and "5.00/5" in text and "1.10/5" in text


def test_a_metric_without_data_points_to_the_one_that_has_some(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    # Wrong before: after a --scale stars import, "csat ..." only said "No CSAT responses".
    old = now - timedelta(days=400)
    _reviews(factory, old, [4, 5, 1], days_ago=0)
    text = answer(session, "csat last 7 days", now=now)
    month = f"{old:%B %Y}".lower()
    assert f"No CSAT here; 3 star reviews in all: ask `rating {month}`" in text
    assert "The latest are older" in answer(session, "stars last 7 days", now=now)
    assert f"rating {month}" not in answer(session, f"rating {month}", now=now)  # it has the answer itself


def test_the_hint_counts_only_the_asked_team(factory, session, now) -> None:  # type: ignore[no-untyped-def]
    _reviews(factory, now - timedelta(days=400), [5, 4], days_ago=0, team="Paris")
    add_verbatims(factory, [record(1, now=now, score=9, team="Lyon")], now=now, source="nps")
    text = answer(session, "csat last 7 days for Lyon", now=now)
    assert "star reviews" not in text and "No CSAT here; 1 response in all: ask `nps" in text
