"""Attacks on the anonymity promise: every subtraction the issue names, on small teams (K = 5).

Each test plays the attacker with the figures the engine shows (n answers and their sum, i.e. the
mean x n) and asserts the attack does not recover a figure about fewer than K people.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from bot.services.employees.figures import answer_atoms
from bot.services.employees.metrics import PULSE
from tests.services.employees.conftest import answer, week

K = 5


def _ask(session, now, all_teams, start: date, end: date, **kw):  # type: ignore[no-untyped-def]
    names = {v: k for k, v in all_teams.items()}
    return answer_atoms(session, metric=PULSE, start=start, end=end, now=now, names=names, **kw)


def _people(n: int, tag: str) -> list[str]:
    return [f"{tag}{i}" for i in range(n)]


def test_company_minus_the_shown_teams_reveals_nothing_about_a_small_team(
    factory, session, teams, now
) -> None:  # type: ignore[no-untyped-def]
    answer(factory, teams["Alpha"], _people(6, "a"), 6, 4)
    answer(factory, teams["Gamma"], _people(7, "g"), 6, 3)
    answer(factory, teams["Beta"], _people(2, "b"), 6, 1)  # the small team: 2 people
    company = _ask(session, now, teams, week(6), week(6) + timedelta(days=6), teams=None, by_team=True)
    shown = [r for r in company.rows if r.shown]
    assert {r.label for r in shown} == {"Alpha", "Gamma"}
    beta = next(r for r in company.rows if r.label == "Beta")
    assert not beta.shown and beta.n == 0 and beta.tally.total == 0
    assert company.total.n - sum(r.n for r in shown) == 0  # company minus teams: nothing left
    assert company.total.tally.total - sum(r.tally.total for r in shown) == 0
    assert (
        company.left_out == 1 and beta.needed == K - 2
    )  # Beta's run, left out  # "3 more people needed", nobody named


def test_a_longer_period_minus_a_shorter_one_gives_nothing_below_k(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    t = teams["Delta"]
    answer(factory, t, _people(6, "d"), 4, 4)  # week 4: 6 people, an atom
    answer(factory, t, _people(3, "x"), 5, 1)  # week 5: 3 people ...
    answer(factory, t, _people(3, "y"), 6, 5)  # ... week 6: 3 others: weeks 5-6 pool into one atom
    f = dict(teams=[t], by_team=False)
    last_week = _ask(session, now, teams, week(6), week(6) + timedelta(days=6), **f)
    two_weeks = _ask(session, now, teams, week(5), week(6) + timedelta(days=6), **f)
    three_weeks = _ask(session, now, teams, week(4), week(6) + timedelta(days=6), **f)
    week_before = _ask(session, now, teams, week(5), week(5) + timedelta(days=6), **f)
    assert not last_week.total.shown and not week_before.total.shown  # neither week alone
    assert two_weeks.total.shown and (two_weeks.total.n, two_weeks.total.tally.total) == (6, 18)
    assert (
        three_weeks.total.n - two_weeks.total.n,
        three_weeks.total.tally.total - two_weeks.total.tally.total,
    ) == (
        6,
        24,
    )
    # what the attacker wanted: week 6 alone (3 people, mean 5) or week 5 alone (mean 1)
    for a, b in itertools.permutations([last_week, two_weeks, three_weeks, week_before], 2):
        if a.total.shown and b.total.shown:
            derived = (a.total.n - b.total.n, a.total.tally.total - b.total.tally.total)
            assert derived not in {(3, 15), (3, 3), (-3, -15), (-3, -3)}


def test_a_breakdown_minus_a_filter_and_overlapping_filters_leave_nothing(
    factory, session, teams, now
) -> None:  # type: ignore[no-untyped-def]
    answer(factory, teams["Alpha"], _people(5, "a"), 5, 4)
    answer(factory, teams["Gamma"], _people(6, "g"), 5, 2)
    answer(factory, teams["Beta"], _people(4, "b"), 5, 5)  # 4 people: below K
    week5 = (week(5), week(5) + timedelta(days=6))
    by_team = _ask(session, now, teams, *week5, teams=None, by_team=True)
    alpha_gamma = _ask(session, now, teams, *week5, teams=[teams["Alpha"], teams["Gamma"]])
    alpha_beta = _ask(session, now, teams, *week5, teams=[teams["Alpha"], teams["Beta"]])
    alpha = _ask(session, now, teams, *week5, teams=[teams["Alpha"]])
    assert by_team.total.n == alpha_gamma.total.n == 11  # everything minus a filter: Beta is not in either
    assert (
        (alpha_beta.total.n, alpha_beta.total.tally.total)
        == (alpha.total.n, alpha.total.tally.total)
        == (5, 20)
    )


def test_no_pair_of_nested_questions_isolates_fewer_than_k_people(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    """Brute force: every team filter x every whole-week period, every nested pair subtracted."""
    truth = []
    truth += answer(factory, teams["Alpha"], _people(6, "a"), 3, 4)
    truth += answer(factory, teams["Alpha"], _people(2, "a"), 4, 1)
    truth += answer(factory, teams["Alpha"], _people(7, "a"), 5, 3)
    truth += answer(factory, teams["Beta"], _people(3, "b"), 3, 5)
    truth += answer(factory, teams["Beta"], ["b0", "b1", "c9"], 4, 2)
    truth += answer(factory, teams["Beta"], _people(2, "z"), 5, 1)
    truth += answer(factory, teams["Gamma"], _people(5, "g"), 4, 2)
    truth += answer(factory, None, _people(1, "n"), 5, 1)
    ids = [teams["Alpha"], teams["Beta"], teams["Gamma"], None]
    queries = []
    for size in range(1, 4):
        for chosen in itertools.combinations(ids[:3], size):
            for a, b in itertools.combinations_with_replacement(range(3, 6), 2):
                res = _ask(session, now, teams, week(a), week(b) + timedelta(days=6), teams=list(chosen))
                queries.append((set(chosen), a, b, res.total))
    everyone = _ask(session, now, teams, week(3), week(5) + timedelta(days=6), teams=None)
    queries.append((set(ids), 3, 5, everyone.total))

    def region(q):  # type: ignore[no-untyped-def]
        ts, a, b, _ = q
        return {r for r in truth if r[0] in ts and week(a) <= r[1] <= week(b) + timedelta(days=6)}

    for big, small in itertools.permutations(queries, 2):
        if not (big[3].shown and small[3].shown) or not region(small) <= region(big):
            continue
        diff = region(big) - region(small)
        derived = (big[3].n - small[3].n, big[3].tally.total - small[3].tally.total)
        true_diff = (len(diff), sum(r[3] for r in diff))
        people = {r[2] for r in diff}
        assert not (derived == true_diff and 0 < len(people) < K), (big, small)
