"""The round words of a KPI question (survey rounds: "last round", "trend 8 rounds", "dernier tour"), and
the did-you-mean for a metric phrase misspelt after its first word ("driver worklod"). Steps of
questions.py's reading, on its state; kept here so that module stays readable."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.services.kpi import period_words as words
from bot.services.kpi.metrics import all_metrics, get_metric
from bot.services.kpi.periods import Period

if TYPE_CHECKING:
    from bot.services.kpi.questions import _State


def near_metric(s: _State, found: dict[str, str]) -> None:
    """ "driver worklod": a metric phrase ("driver") and a word that makes it close to a longer one
    ("driver workload") is that longer one misspelt: said, with the spelling, rather than read as "driver"."""
    for key, phrase in list(found.items()):
        at = next((i for i, t in enumerate(s.toks) if t.used and " ".join(
            x.raw for x in s.toks[i : i + len(phrase.split())]) == phrase), None)  # fmt: skip
        nxt = at + len(phrase.split()) if at is not None else len(s.toks)
        if nxt >= len(s.toks) or s.toks[nxt].used or s.reserved(s.toks[nxt].key):
            continue
        typed = " ".join(t.key for t in s.toks[at : nxt + 1])
        longer = {k: v for k, v in s.metrics.items() if len(k.split()) > len(phrase.split())}
        if (near := words.did_you_mean(typed, longer, 0.8)) and longer[near] != key:
            s.toks[nxt].used = True
            s.problem(f"{phrase} {s.toks[nxt].raw}", f'I don\'t know "{phrase} {s.toks[nxt].raw}".',
                      f'Did you mean "{s.vocab.get(near, near)}"?')  # fmt: skip


def take_last_rounds(s: _State, today: date) -> None:
    """ "last round", "dernier tour", "last 3 rounds": each team's last closed survey round(s)."""
    for i in range(len(s.toks)):
        if (found := words.read_last_rounds(s.toks, i)) is not None:
            count, length = found
            phrase = words.claim(s.toks, i, length)
            if s.rounds is not None:
                s.problem(phrase, f'Two round phrases: "{phrase}" and the one before. Which one?')
            elif not 1 <= count <= words.TREND_LIMITS["round"][1]:
                s.problem(phrase, f'"{phrase}": between 1 and {words.TREND_LIMITS["round"][1]} rounds.')
            else:
                s.rounds = count
                s.period = rounds_period(count, today)


def rounds_period(count: int, today: date) -> Period:
    """A stand-in until the engine finds the rounds (it names their real dates)."""
    return Period(today, today, "last round" if count == 1 else f"last {count} rounds")


def check_rounds(s: _State) -> None:
    """Rounds are for metrics counted by survey round; a round question has no weeks or months."""
    if s.rounds is None or s.metric is None:
        return
    metric = get_metric(s.metric)
    if metric.round_column is None:
        by_round = " · ".join(m.slash for m in all_metrics() if m.round_column and m.listed)
        s.problem(None, f"{metric.label} is not counted by survey round: ask for a period (last week, "
                  f"this month). By round: {by_round}.")  # fmt: skip
    elif s.breakdown in ("week", "month"):
        s.problem(None, f'A round question has no {s.breakdown}s: drop "by {s.breakdown}".')


def round_trend(s: _State, phrase: str, count: int | None, today: date) -> None:
    """ "trend 8 rounds", "tendance 8 tours": one point per round, each team's last N closed rounds."""
    default, most = words.TREND_LIMITS["round"]
    count = default if count is None or (count == 1 and s.rounds == 1) else count
    if not 2 <= count <= most:
        s.problem(phrase, f'"{phrase}": a trend needs between 2 and {most} rounds.')
    elif s.rounds not in (None, count, 1):
        s.problem(phrase, f'"{phrase}" and the last {s.rounds} rounds: which one?')
    else:
        s.trend, s.rounds = (count, "round"), count
        s.period = rounds_period(count, today)
