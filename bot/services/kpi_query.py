"""Free text -> KpiQuery: "/nps last week by channel", "@Symmetry what was CSAT in October for chat?".

The text is read as tokens; each step below claims the tokens it understands (metric, share,
breakdown, trend, "team X"-style filters, the period, "for X", bare known names, filler words).
Whatever is left carries meaning we did not get, so it is reported, never dropped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypeVar

from bot.errors import InvalidInput
from bot.services.period_words import MONTHS, PERIOD_PHRASES, PERIOD_WORDS, fold
from bot.services.periods import Period, PeriodError, locate_period, parse_period, trend_period

Metric = Literal["nps", "csat"]
Breakdown = Literal["channel", "team", "reason", "agent", "processing_level", "week", "month"]
Dimension = Literal["team", "channel", "reason", "agent"]
T = TypeVar("T")


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
    trend: int | None  # number of weekly / monthly points
    trend_unit: Literal["week", "month"] | None
    share: bool
    understood: tuple[str, ...]


class QueryNotUnderstood(InvalidInput):
    """What was understood, what was not, working examples and "did you mean" suggestions."""

    def __init__(
        self, message: str, *, understood: list[str], not_understood: list[str], examples: list[str], suggestions: list[str]
    ) -> None:
        super().__init__(message, hints=[*suggestions, "For example: " + " · ".join(examples)])
        self.understood = understood
        self.not_understood = not_understood
        self.examples = examples
        self.suggestions = suggestions


def _words(text: str) -> list[str]:
    return text.split()


_METRICS: dict[str, Metric] = {
    **dict.fromkeys(("nps", "net promoter score", "net promoter"), "nps"),
    **dict.fromkeys(("csat", "satisfaction", "customer satisfaction", "satisfaction client"), "csat"),
}
_SHARE = dict.fromkeys(
    ("share", "partager", "partage", "share in channel", "share in the channel", "share to channel",
     "share to the channel", "partager dans le canal", "partager sur le canal"), True,
)  # fmt: skip
_BREAKDOWNS: dict[str, Breakdown] = {
    **dict.fromkeys(_words("channel channels canal canaux"), "channel"),
    **dict.fromkeys(_words("team teams equipe equipes"), "team"),
    **dict.fromkeys(_words("reason reasons motif motifs raison"), "reason"),
    **dict.fromkeys(_words("agent agents conseiller conseillers"), "agent"),
    **dict.fromkeys(("processing level", "processing levels", "processing_level", "level", "levels", "niveau",
                     "niveaux", "niveau de traitement"), "processing_level"),
    **dict.fromkeys(_words("week weeks semaine semaines"), "week"),
    **dict.fromkeys(_words("month months mois"), "month"),
}  # fmt: skip
_ADVERBS: dict[str, Breakdown] = {
    **dict.fromkeys(_words("weekly hebdo hebdomadaire"), "week"),
    **dict.fromkeys(_words("monthly mensuel"), "month"),
}
_BY = frozenset(_words("by per par"))
_TREND = frozenset(_words("trend trends tendance evolution"))
_TREND_SOFT = frozenset(_words("over sur on for of the les la last past de des"))
_TREND_UNITS: dict[str, Literal["week", "month"]] = {
    **dict.fromkeys(_words("week weeks semaine semaines"), "week"),
    **dict.fromkeys(_words("month months mois"), "month"),
}
_TREND_LIMITS = {"week": (12, 104), "month": (6, 36)}  # default, most
_KEYWORDS: dict[str, Dimension] = {
    **dict.fromkeys(_words("team equipe"), "team"),
    **dict.fromkeys(_words("channel canal"), "channel"),
    **dict.fromkeys(_words("reason motif raison"), "reason"),
    **dict.fromkeys(_words("agent conseiller conseillere"), "agent"),
}
_EXAMPLE_VALUES: dict[Dimension, str] = {"team": "support", "channel": "chat", "reason": "billing", "agent": "Alice"}
_FOR = frozenset(_words("for pour"))
_FILLERS = frozenset(_words(
    "what what's whats was is are were the our for in on at how how's hows quel quelle quels quelles etait "
    "est sont le la les l de du des d me show give tell us please svp plait vous il a an of and et to do did "
    "does doing we nous notre nos it its has been score scores kpi kpis hey hi hello bonjour salut so far "
    "about over sur en dans au aux chez pendant during get see voir montre montrez donne donnez moi je i can "
    "could you peux pouvez qu est-ce que c my mon ma mes"
))  # fmt: skip
_STRUCTURAL = _BY | _FOR | frozenset(_KEYWORDS) | _TREND
_VOCAB: tuple[str, ...] = (
    *PERIOD_PHRASES, *_METRICS, *_SHARE, *_KEYWORDS, *_TREND, *_ADVERBS, "trend 12 weeks", "trend 6 months",
    *(f"{by} {word}" for by in ("by", "par") for word in _BREAKDOWNS),
)  # fmt: skip
_ALL_WORDS = frozenset(w for phrase in _VOCAB for w in phrase.split()) | PERIOD_WORDS | _FILLERS
_PUNCT = "?!,;:\"'«»()[]{}¿¡“”‘’…"
_ELISION = re.compile(r"^(?:l|d|qu|c|j|s|n)'")
_MENTION = re.compile(r"<@[^>\s]*>")


@dataclass
class _Tok:
    raw: str
    key: str
    used: bool = False


@dataclass
class _State:
    toks: list[_Tok]
    known: dict[Dimension, dict[str, str]]  # folded key -> value as given
    metric: Metric | None = None
    period: Period | None = None
    filters: dict[Dimension, str] = field(default_factory=dict)
    breakdown: Breakdown | None = None
    trend: tuple[int, Literal["week", "month"]] | None = None
    share: bool = False
    notes: list[str] = field(default_factory=list)  # specific explanations of what went wrong
    unclear: list[str] = field(default_factory=list)  # phrases with no explanation but "not understood"
    not_understood: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    def problem(self, phrase: str | None, note: str | None = None, suggestion: str | None = None) -> None:
        if phrase:
            self.not_understood.append(phrase)
        if note:
            self.notes.append(note)
        elif phrase:
            self.unclear.append(phrase)
        if suggestion and suggestion not in self.suggestions:
            self.suggestions.append(suggestion)


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
    known = {"channel": _keyed(known_channels), "team": _keyed(known_teams), "reason": _keyed(known_reasons)}
    s = _State(_tokenize(text), known)  # type: ignore[arg-type]
    _take_metric(s, metric)
    s.share = bool(_take_all(s, _SHARE))
    _take_breakdown(s)
    _take_trend(s, today)
    _take_keyword_filters(s)
    _take_period(s, today)
    _take_for(s)
    _take_known_values(s)
    _drop_fillers(s)
    _take_leftovers(s)
    period_given = s.period is not None
    period = s.period or parse_period("this month", today=today)
    if s.notes or s.unclear or s.metric is None:
        raise _not_understood(s, period, period_given, metric, known_channels)
    return KpiQuery(
        metric=s.metric, period=period, period_given=period_given, team=s.filters.get("team"),
        channel=s.filters.get("channel"), reason=s.filters.get("reason"), agent=s.filters.get("agent"),
        breakdown=s.breakdown, trend=s.trend[0] if s.trend else None, trend_unit=s.trend[1] if s.trend else None,
        share=s.share, understood=tuple(_understood(s, period, period_given)),
    )  # fmt: skip


def _keyed(values: Sequence[str]) -> dict[str, str]:
    return {" ".join(_key(w) for w in value.split()): value for value in values if value.strip()}


def _key(raw: str) -> str:
    return _ELISION.sub("", fold(raw))


def _tokenize(text: str) -> list[_Tok]:
    """Whitespace words without edge punctuation; user mentions are the bot's, unless after "agent"."""
    toks: list[_Tok] = []
    for word in _MENTION.sub(lambda m: f" {m.group(0)} ", text).split():
        raw = word.strip(_PUNCT)
        raw = raw[:-1] if raw.endswith(".") and not raw.endswith("..") else raw
        if _MENTION.fullmatch(raw) and not (toks and _KEYWORDS.get(toks[-1].key) == "agent"):
            continue
        if raw:
            toks.append(_Tok(raw, _key(raw)))
    return toks


def _phrase_at(toks: list[_Tok], i: int, table: Mapping[str, T], *, ending: bool = False) -> tuple[T, int] | None:
    """Longest run of unused tokens starting (or, with `ending`, ending) at i that is a key of `table`."""
    for n in range(4, 0, -1):
        lo = i - n + 1 if ending else i
        run = toks[lo : lo + n] if lo >= 0 else []
        if len(run) == n and not any(t.used for t in run) and (key := " ".join(t.key for t in run)) in table:
            return table[key], n
    return None


def _use(toks: list[_Tok], i: int, n: int) -> str:
    for t in toks[i : i + n]:
        t.used = True
    return " ".join(t.raw for t in toks[i : i + n])


def _take_all(s: _State, table: Mapping[str, T]) -> list[tuple[T, str]]:
    found = []
    for i in range(len(s.toks)):
        if hit := _phrase_at(s.toks, i, table):
            found.append((hit[0], _use(s.toks, i, hit[1])))
    return found


def _take_metric(s: _State, given: Metric | None) -> None:
    found = dict(_take_all(s, _METRICS))
    s.metric = given or (next(iter(found)) if len(found) == 1 else None)
    if given and (others := set(found) - {given}):
        other = others.pop()
        s.problem(found[other], f"This command is for {given.upper()}: ask for {other.upper()} with /{other}.")
    elif len(found) > 1:
        s.problem(None, "One metric at a time: NPS or CSAT?")
    elif s.metric is None:
        s.problem(None, "Which metric: NPS or CSAT?")


def _take_breakdown(s: _State) -> None:
    found: dict[Breakdown, str] = {}
    for i, tok in enumerate(s.toks):
        if not tok.used and tok.key in _BY and (hit := _phrase_at(s.toks, i + 1, _BREAKDOWNS)):
            found.setdefault(hit[0], _use(s.toks, i, hit[1] + 1))
        elif adverb := _phrase_at(s.toks, i, _ADVERBS):
            found.setdefault(adverb[0], _use(s.toks, i, adverb[1]))
    if len(found) > 1:
        s.problem(None, "One breakdown at a time: " + " or ".join(f'"{p}"' for p in found.values()) + "?")
    s.breakdown = next(iter(found), None)


def _take_trend(s: _State, today: date) -> None:
    start = next((i for i, t in enumerate(s.toks) if not t.used and t.key in _TREND), None)
    if start is None:
        return
    count, unit, end = _trend_words(s.toks, start)
    phrase = _use(s.toks, start, end - start)
    if unit is None:
        unit = s.breakdown if s.breakdown in ("week", "month") else "week"  # type: ignore[assignment]
    if s.breakdown in ("week", "month"):
        if s.breakdown != unit:
            s.problem(None, f'A trend over {unit}s shows one point per {unit}: drop "by {s.breakdown}".')
        s.breakdown = None
    default, most = _TREND_LIMITS[unit]  # type: ignore[index]
    count = default if count is None else count
    if not 2 <= count <= most:
        s.problem(phrase, f'"{phrase}": a trend needs between 2 and {most} {unit}s.')
        return
    s.trend = (count, unit)  # type: ignore[assignment]
    s.period = trend_period(count, unit, today=today)  # type: ignore[arg-type]


def _trend_words(toks: list[_Tok], i: int) -> tuple[int | None, Literal["week", "month"] | None, int]:
    """After "trend": [over] [the] [last] [N] [derniers] [weeks|months] [derniers]; returns N, unit, end."""

    def key(k: int) -> str:
        return toks[k].key if k < len(toks) and not toks[k].used else ""

    j = i + 1
    while key(j) in _TREND_SOFT and key(j):
        j += 1
    count = int(key(j)) if re.fullmatch(r"[0-9]{1,6}", key(j)) else None
    j += count is not None
    j += key(j).startswith("dernier")
    unit = _TREND_UNITS.get(key(j))
    j += unit is not None
    j += unit is not None and key(j).startswith("dernier")
    return count, unit, (j if count is not None or unit is not None else i + 1)


def _take_keyword_filters(s: _State) -> None:
    for i, tok in enumerate(s.toks):
        if tok.used or tok.key not in _KEYWORDS:
            continue
        dim = _KEYWORDS[tok.key]
        tok.used = True
        if not (_value_after(s, dim, i) or _value_before(s, dim, i)):
            example = next(iter(s.known.get(dim, {}).values()), _EXAMPLE_VALUES[dim])
            s.problem(tok.raw, f'Which {dim}? For example "{dim} {example}".')


def _value_after(s: _State, dim: Dimension, i: int) -> bool:
    j = i + 1
    if j >= len(s.toks) or s.toks[j].used or s.toks[j].key in _STRUCTURAL:
        return False
    known = s.known.get(dim, {})
    if hit := _phrase_at(s.toks, j, known):
        _set_filter(s, dim, hit[0], _use(s.toks, j, hit[1]))
    elif s.toks[j].key in _ALL_WORDS and s.toks[j].key not in MONTHS:  # "team last week": no value given
        return False
    elif known:
        raw = _use(s.toks, j, 1)
        near = difflib.get_close_matches(_key(raw), known, n=1, cutoff=0.6)
        hint = f'Did you mean "{dim} {known[near[0]]}"?' if near else f"Known {dim}s: {', '.join(known.values())}."
        s.problem(f"{s.toks[i].raw} {raw}", f'I don\'t know the {dim} "{raw}".', hint)
    else:
        _set_filter(s, dim, _name_at(s.toks, j), s.toks[j].raw)
    return True


def _value_before(s: _State, dim: Dimension, i: int) -> bool:
    """"the chat channel": a known value just before the keyword (or any plain word when none are known)."""
    known = s.known.get(dim, {})
    if dim not in ("channel", "team") or i == 0:
        return False
    if hit := _phrase_at(s.toks, i - 1, known, ending=True):
        _set_filter(s, dim, hit[0], _use(s.toks, i - hit[1], hit[1]))
        return True
    prev = s.toks[i - 1]
    if known or prev.used or prev.key in _ALL_WORDS or prev.key in _STRUCTURAL:
        return False
    _set_filter(s, dim, prev.raw, _use(s.toks, i - 1, 1))
    return True


def _name_at(toks: list[_Tok], j: int) -> str:
    """A name: the word at j plus up to two capitalised, non-vocabulary words after it ("Alice Martin")."""
    n = 1
    while n < 3 and j + n < len(toks) and not toks[j + n].used and toks[j + n].raw[:1].isupper():
        if toks[j + n].key in _ALL_WORDS or toks[j + n].key in _STRUCTURAL:
            break
        n += 1
    return _use(toks, j, n)


def _set_filter(s: _State, dim: Dimension, value: str, phrase: str) -> None:
    if dim in s.filters and fold(s.filters[dim]) != fold(value):
        s.problem(phrase, f'One {dim} at a time: "{s.filters[dim]}" or "{value}"?')
    else:
        s.filters[dim] = value


def _take_period(s: _State, today: date) -> None:
    while phrase := _next_period_phrase(s.toks):
        try:
            period = parse_period(phrase, today=today)
        except PeriodError as error:
            s.problem(phrase, error.message, error.hints[0] if error.hints else None)
            continue
        if s.trend:
            s.problem(phrase, f'A trend covers its own period: drop "{phrase}" or the trend.')
        elif s.period is not None:
            s.problem(phrase, f'Two periods: "{s.period.label}" and "{period.label}". Which one?')
        else:
            s.period = period


def _next_period_phrase(toks: list[_Tok]) -> str | None:
    """Claim the tokens of the first period phrase among the unused tokens; its text."""
    parts = ["\x00" if t.used else t.raw for t in toks]
    span = locate_period(" ".join(parts), whole_words=True)
    if span is None:
        return None
    covered, at = [], 0
    for k, part in enumerate(parts):
        if at < span[1] and at + len(part) > span[0]:
            covered.append(k)
        at += len(part) + 1
    return _use(toks, covered[0], covered[-1] - covered[0] + 1) if covered else None


def _take_for(s: _State) -> None:
    """"for chat": a known channel, team or reason; an unknown word is tried as a team."""
    for i, tok in enumerate(s.toks):
        nxt = s.toks[i + 1] if i + 1 < len(s.toks) else None
        if tok.used or tok.key not in _FOR or nxt is None or nxt.used or nxt.key in _ALL_WORDS | _STRUCTURAL:
            continue
        tok.used = True
        if _take_known_at(s, i + 1):
            continue
        everything = {k: v for values in s.known.values() for k, v in values.items()}
        near = difflib.get_close_matches(nxt.key, [*everything, *_VOCAB], n=1, cutoff=0.75)
        if everything or near:
            raw = _use(s.toks, i + 1, 1)
            hint = f'Did you mean "{everything.get(near[0], near[0])}"?' if near else None
            s.problem(f"{tok.raw} {raw}", f'I don\'t know a team or channel called "{raw}".', hint)
        else:
            _set_filter(s, "team", _name_at(s.toks, i + 1), nxt.raw)


def _take_known_at(s: _State, i: int) -> bool:
    hits = {dim: hit for dim, values in s.known.items() if (hit := _phrase_at(s.toks, i, values))}
    longest = max((n for _, n in hits.values()), default=0)
    dims = [dim for dim, (_, n) in hits.items() if n == longest]
    if not dims:
        return False
    phrase = _use(s.toks, i, longest)
    if len(dims) > 1:
        options = " or ".join(f'"{dim} {hits[dim][0]}"' for dim in dims)
        s.problem(phrase, f'"{phrase}" is a {" and a ".join(dims)}: say {options}.')
    else:
        _set_filter(s, dims[0], hits[dims[0]][0], phrase)
    return True


def _take_known_values(s: _State) -> None:
    for i in range(len(s.toks)):
        _take_known_at(s, i)


def _drop_fillers(s: _State) -> None:
    for tok in s.toks:
        tok.used = tok.used or tok.key in _FILLERS or not tok.key.strip(_PUNCT + ".-–—")


def _take_leftovers(s: _State) -> None:
    """Group runs of unclaimed words and report each, with a "did you mean" when one is close."""
    runs: list[list[_Tok]] = []
    for k, tok in enumerate(s.toks):
        if tok.used:
            continue
        if runs and k > 0 and runs[-1][-1] is s.toks[k - 1]:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    pool = [*_VOCAB, *(k for values in s.known.values() for k in values)]
    for run in runs:
        key = " ".join(t.key for t in run)
        keys = [key] if len(run) == 1 else [key, *(t.key for t in run)]
        near = next((hit[0] for k in keys if (hit := difflib.get_close_matches(k, pool, n=1, cutoff=0.75))), None)
        s.problem(" ".join(t.raw for t in run), None, f'Did you mean "{near}"?' if near else None)


def _understood(s: _State, period: Period, period_given: bool) -> list[str]:
    said = [s.metric.upper()] if s.metric else []
    said.append(period.label if period_given else f"{period.label} (no period given)")
    said += [f"{dim}: {value}" for dim, value in s.filters.items()]
    if s.breakdown:
        said.append(f"by {s.breakdown.replace('_', ' ')}")
    return [*said, "shared in the channel"] if s.share else said


def _not_understood(
    s: _State, period: Period, period_given: bool, metric: Metric | None, channels: Sequence[str]
) -> QueryNotUnderstood:
    parts = ["I didn't understand " + ", ".join(f'"{p}"' for p in s.unclear) + "."] if s.unclear else []
    parts += s.notes
    understood = _understood(s, period, period_given)
    parts.append("I understood: " + ", ".join(understood) + ".")
    cmd = f"/{metric}" if metric else "/kpi nps"
    where = f"channel {channels[0]}" if channels else "by channel"
    examples = [f"{cmd} last week", f"{cmd} this month {where}", f"{cmd} trend 12 weeks"]
    return QueryNotUnderstood(
        " ".join(parts), understood=understood, not_understood=s.not_understood, examples=examples,
        suggestions=s.suggestions,
    )  # fmt: skip
