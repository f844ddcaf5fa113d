"""Free text -> KpiQuery: "/nps last week by channel", "@Symmetry what was CSAT in October for chat?".

The text is read as tokens; each step claims the tokens it understands, in this order: metric,
"share", "by X", "trend N weeks", "team/channel/reason/agent X", the period, "for X", bare known
names, filler words. Whatever is left carries meaning we did not get: it is reported, never dropped.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.errors import InvalidInput
from bot.services.kpi import period_words as words
from bot.services.kpi import question_rounds as rounds
from bot.services.kpi.metrics import all_metrics, get_metric, metric_phrases
from bot.services.kpi.period_words import Breakdown, Dimension, Token, TrendUnit
from bot.services.kpi.periods import (
    Period,
    PeriodError,
    locate_period,
    parse_date,
    parse_period,
    trend_period,
)

__all__ = ["Breakdown", "KpiQuery", "Metric", "QueryNotUnderstood", "parse_kpi_query"]

Metric = str  # a registered metric's key: "nps", "csat", ...

MAX_LENGTH = 300


@dataclass(frozen=True)
class KpiQuery:
    metric: Metric
    period: Period
    period_given: bool  # False -> defaulted to this month so far
    team: str | None
    channel: str | None
    reason: str | None
    agent: str | None
    breakdown: Breakdown | None
    trend: int | None  # number of weekly / monthly points; the period is exactly those weeks / months
    trend_unit: TrendUnit | None  # "round": one point per survey round (`rounds` of them)
    share: bool
    understood: tuple[str, ...]  # human phrases of what was understood, for the reply
    rounds: int | None = None  # each team's last N closed survey rounds ("last round": 1), not a period


class QueryNotUnderstood(InvalidInput):
    """What was understood, what was not, working examples and "did you mean" suggestions."""

    def __init__(
        self, message: str, *, understood: list[str], not_understood: list[str], examples: list[str],
        suggestions: list[str],
    ) -> None:  # fmt: skip
        for_example = "For example: " + " · ".join(f'"{e}"' for e in examples)
        super().__init__(message, hints=[*suggestions, for_example])
        self.understood = understood
        self.not_understood = not_understood
        self.examples = examples
        self.suggestions = suggestions


@dataclass
class _State:
    toks: list[Token]
    known: dict[Dimension, dict[str, str]]  # key of a known name -> the name as given
    vocab: dict[str, str] = field(default_factory=dict)  # words we know: key -> as shown
    metrics: dict[str, Metric] = field(default_factory=dict)  # metric phrase key -> metric key
    metric: Metric | None = None
    period: Period | None = None
    filters: dict[Dimension, str] = field(default_factory=dict)
    breakdown: Breakdown | None = None
    trend: tuple[int, TrendUnit] | None = None
    rounds: int | None = None
    share: bool = False
    notes: list[str] = field(default_factory=list)  # what went wrong, said specifically
    unclear: list[str] = field(default_factory=list)  # phrases simply not understood
    not_understood: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    def reserved(self, key: str) -> bool:
        """A word of the question's vocabulary (never read as a name)."""
        return key in words.ALL_WORDS or any(key in phrase.split() for phrase in self.metrics)

    def problem(self, phrase: str | None, note: str | None = None, suggestion: str | None = None) -> None:
        self.not_understood += [phrase] if phrase else []
        self.notes += [note] if note else []
        self.unclear += [phrase] if phrase and not note else []
        self.suggestions += [suggestion] if suggestion and suggestion not in self.suggestions else []


def parse_kpi_query(
    text: str,
    *,
    metric: Metric | None,
    today: date,
    known_channels: Sequence[str] = (),
    known_teams: Sequence[str] = (),
    known_reasons: Sequence[str] = (),
) -> KpiQuery:
    """Read a KPI question; raise QueryNotUnderstood (an InvalidInput) rather than guess."""
    if len(text) > MAX_LENGTH:  # a question, not an essay (this also bounds the time spent reading)
        too_long = _State([], {}, notes=[f"That is too long for a KPI question ({len(text)} characters)."])
        raise _not_understood(too_long, [], metric, known_channels)
    known: dict[Dimension, dict[str, str]] = {
        "channel": words.keyed(known_channels),
        "team": words.keyed(known_teams),
        "reason": words.keyed(known_reasons),
    }
    s = _State(words.tokenize(text), known)
    s.metrics = {k: key for k, (key, _) in metric_phrases().items()}
    s.vocab = {**words.VOCAB, **{k: shown for k, (_, shown) in metric_phrases().items()}}
    _take_metric(s, metric)
    s.share = bool(words.claim_all(s.toks, words.SHARE_WORDS))
    _take_breakdown(s)
    rounds.take_last_rounds(s, today)
    _take_trend(s, today)
    _take_keyword_filters(s)
    _take_period(s, today)
    _take_for(s)
    _take_rest(s)
    rounds.check_rounds(s)
    period = s.period or parse_period("this month", today=today)
    understood = _understood(s, period)
    if s.notes or s.unclear or s.metric is None:
        raise _not_understood(s, understood, metric, known_channels)
    f = s.filters
    return KpiQuery(
        metric=s.metric, period=period, period_given=s.period is not None, team=f.get("team"),
        channel=f.get("channel"), reason=f.get("reason"), agent=f.get("agent"), breakdown=s.breakdown,
        trend=s.trend[0] if s.trend else None, trend_unit=s.trend[1] if s.trend else None, share=s.share,
        understood=tuple(understood), rounds=s.rounds,
    )  # fmt: skip


def _take_metric(s: _State, given: Metric | None) -> None:
    found = dict(words.claim_all(s.toks, s.metrics))
    rounds.near_metric(s, found)
    s.metric = given or (next(iter(found)) if len(found) == 1 else None)
    if given and (others := set(found) - {given}):
        mine, other = get_metric(given), get_metric(others.pop())
        s.problem(
            found[other.key], f"This command is for {mine.label}: ask for {other.label} with {other.slash}."
        )
    elif len(found) > 1:
        s.problem(None, f"One metric at a time: {' or '.join(get_metric(k).label for k in found)}?")
    elif s.metric is None:
        s.problem(None, f"Which metric: {' or '.join(m.label for m in all_metrics() if m.listed)}?")


def _take_breakdown(s: _State) -> None:
    found: dict[Breakdown, str] = {}
    for i, tok in enumerate(s.toks):
        after_by = (
            words.phrase_at(s.toks, i + 1, words.BREAKDOWN_WORDS) if tok.key in words.BY_WORDS else None
        )
        if not tok.used and after_by:
            found.setdefault(after_by[0], words.claim(s.toks, i, after_by[1] + 1))
        elif adverb := words.phrase_at(s.toks, i, words.BREAKDOWN_ADVERBS):
            found.setdefault(adverb[0], words.claim(s.toks, i, adverb[1]))
    if len(found) > 1:
        s.problem(None, "One breakdown at a time: " + " or ".join(f'"{p}"' for p in found.values()) + "?")
    s.breakdown = next(iter(found), None)


def _take_trend(s: _State, today: date) -> None:
    """ "trend 12 weeks": that many calendar weeks (months) ending with the current one, a point each."""
    start = next((i for i, t in enumerate(s.toks) if not t.used and t.key in words.TREND_WORDS), None)
    if start is None:
        return
    count, unit, end = words.read_trend(s.toks, start)
    phrase = words.claim(s.toks, start, end - start)
    if unit == "round" or (unit is None and s.rounds is not None):
        rounds.round_trend(s, phrase, count if count is not None else s.rounds, today)
        return
    by_time = s.breakdown if s.breakdown in ("week", "month") else None
    unit = unit or by_time or "week"
    if by_time:
        s.breakdown = None
        if by_time != unit:
            s.problem(None, f'A trend over {unit}s has one point per {unit}: drop "by {by_time}".')
    default, most = words.TREND_LIMITS[unit]
    count = default if count is None else count
    if not 2 <= count <= most:
        s.problem(phrase, f'"{phrase}": a trend needs between 2 and {most} {unit}s.')
        return
    s.trend = (count, unit)
    s.period = trend_period(count, unit, today=today, until=_trend_end(s, end))


def _trend_end(s: _State, after: int) -> date | None:
    """ "trend 12 weeks to 2023-08-31" (until, jusqu'au, au, ending): the trend ends with that date's unit."""
    if after + 1 < len(s.toks) and s.toks[after].key in words.TREND_UNTIL and not s.toks[after + 1].used:
        try:
            until = parse_date(s.toks[after + 1].raw)
        except PeriodError:
            return None
        words.claim(s.toks, after, 2)
        return until
    return None


def _take_keyword_filters(s: _State) -> None:
    """ "team support", "canal chat", "agent Alice Martin". A keyword with no value waits for _take_rest."""
    for i, tok in enumerate(s.toks):
        nxt = s.toks[i + 1] if i + 1 < len(s.toks) else None
        if tok.used or tok.key not in words.FILTER_WORDS or nxt is None or nxt.used:
            continue
        dim = words.FILTER_WORDS[tok.key]
        known = s.known.get(dim, {})
        if hit := words.phrase_at(s.toks, i + 1, known):
            _set_filter(s, dim, hit[0], words.claim(s.toks, i, hit[1] + 1))
        elif nxt.key in words.STRUCTURAL or (s.reserved(nxt.key) and nxt.key not in words.MONTHS):
            continue  # "team by channel", "channel last week": no value here ("agent June" is a name)
        elif known:
            phrase = words.claim(s.toks, i, 2)
            near = difflib.get_close_matches(nxt.key, known, n=1, cutoff=0.6)
            listed = f"Known {dim}s: {', '.join(known.values())}."
            hint = f'Did you mean "{dim} {known[near[0]]}"?' if near else listed
            s.problem(phrase, f'I don\'t know the {dim} "{nxt.raw}".', hint)
        else:
            tok.used = True
            _set_filter(s, dim, words.name_at(s.toks, i + 1), f"{tok.raw} {nxt.raw}")


def _set_filter(s: _State, dim: Dimension, value: str, phrase: str) -> None:
    if dim in s.filters and words.fold(s.filters[dim]) != words.fold(value):
        s.problem(phrase, f'One {dim} at a time: "{s.filters[dim]}" or "{value}"?')
    else:
        s.filters[dim] = value


def _take_period(s: _State, today: date) -> None:
    while phrase := _claim_period_phrase(s.toks):
        try:
            period = parse_period(phrase, today=today)
        except PeriodError as error:
            s.problem(phrase, error.message, error.hints[0] if error.hints else None)
            continue
        if s.rounds is not None:
            s.problem(phrase, f'Rounds name their own dates: drop "{phrase}" or the rounds.')
        elif s.trend:
            s.problem(phrase, f'A trend covers its own period: drop "{phrase}" or the trend.')
        elif s.period is not None:
            s.problem(phrase, f'Two periods: "{s.period.label}" and "{period.label}". Which one?')
        else:
            s.period = period


def _claim_period_phrase(toks: list[Token]) -> str | None:
    """The first period phrase made of whole unused tokens, claimed."""
    parts = ["\x00" if t.used else t.raw for t in toks]
    span = locate_period(" ".join(parts), whole_words=True)
    if span is None:
        return None
    covered, at = [], 0
    for k, part in enumerate(parts):
        if at < span[1] and at + len(part) > span[0]:
            covered.append(k)
        at += len(part) + 1
    return words.claim(toks, covered[0], covered[-1] - covered[0] + 1) if covered else None


def _take_for(s: _State) -> None:
    """ "for chat": a known channel, team or reason; an unknown word is tried as a team."""
    for i, tok in enumerate(s.toks):
        nxt = s.toks[i + 1] if i + 1 < len(s.toks) else None
        if tok.used or tok.key not in words.FOR_WORDS or nxt is None or nxt.used:
            continue
        if _take_known_at(s, i + 1) or s.reserved(nxt.key) or nxt.key in words.STRUCTURAL:
            continue  # "for" itself is a filler
        everything = {k: v for values in s.known.values() for k, v in values.items()}
        near = words.did_you_mean(nxt.key, everything, 0.6) or words.did_you_mean(nxt.key, s.vocab, 0.85)
        if everything or near:
            phrase = words.claim(s.toks, i, 2)
            hint = f'Did you mean "{everything.get(near) or s.vocab[near]}"?' if near else None
            s.problem(phrase, f'I don\'t know a team or channel called "{nxt.raw}".', hint)
        else:
            tok.used = True
            _set_filter(s, "team", words.name_at(s.toks, i + 1), f"{tok.raw} {nxt.raw}")


def _take_known_at(s: _State, i: int) -> bool:
    """A known channel/team/reason name starting at token i, claimed; ambiguous names are reported."""
    hits = {dim: hit for dim, values in s.known.items() if (hit := words.phrase_at(s.toks, i, values))}
    longest = max((n for _, n in hits.values()), default=0)
    dims = [dim for dim, (_, n) in hits.items() if n == longest]
    if not dims:
        return False
    phrase = words.claim(s.toks, i, longest)
    if len(dims) > 1:
        options = " or ".join(f'"{dim} {hits[dim][0]}"' for dim in dims)
        s.problem(phrase, f'"{phrase}" is a {" and a ".join(dims)}: say {options}.')
    else:
        _set_filter(s, dims[0], hits[dims[0]][0], phrase)
    return True


def _take_rest(s: _State) -> None:
    """Bare known names, keywords left without a value, fillers; then report what is left."""
    for i in range(len(s.toks)):
        _take_known_at(s, i)
    for tok in s.toks:
        dim = words.FILTER_WORDS.get(tok.key)
        if not tok.used and dim and dim not in s.filters:  # "channel" with nothing we could read after it
            example = next(iter(s.known.get(dim, {}).values()), words.EXAMPLE_VALUES[dim])
            s.problem(tok.raw, f'Which {dim}? For example "{dim} {example}".')
        tok.used = (
            tok.used or bool(dim) or tok.key in words.FILLERS or not tok.key.strip(words.PUNCT + ".-–—")
        )
    pool = {**s.vocab, **{k: v for values in s.known.values() for k, v in values.items()}}
    for run in words.unused_runs(s.toks):
        s.problem(" ".join(t.raw for t in run))
        s.suggestions += [line for line in words.corrections(run, pool) if line not in s.suggestions]


def _understood(s: _State, period: Period) -> list[str]:
    said = [get_metric(s.metric).label] if s.metric else []
    said.append(period.label if s.period else f"{period.label} (no period given)")
    said += [f"{dim}: {value}" for dim, value in s.filters.items()]
    said += [f"by {s.breakdown.replace('_', ' ')}"] if s.breakdown else []
    return [*said, "shared in the channel"] if s.share else said


def _not_understood(
    s: _State, understood: list[str], metric: Metric | None, channels: Sequence[str]
) -> QueryNotUnderstood:
    parts = ["I didn't understand " + ", ".join(f'"{p}"' for p in s.unclear) + "."] if s.unclear else []
    parts += [*s.notes, *(["I understood: " + ", ".join(understood) + "."] if understood else [])]
    cmd = get_metric(metric).slash if metric else "/kpi nps"
    where = f"channel {channels[0]}" if channels else "by channel"
    examples = [f"{cmd} last week", f"{cmd} this month {where}", f"{cmd} trend 12 weeks"]
    return QueryNotUnderstood(
        " ".join(parts), understood=understood, not_understood=s.not_understood, examples=examples,
        suggestions=s.suggestions,
    )  # fmt: skip
