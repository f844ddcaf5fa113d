"""The metric registry: every figure the KPI engine answers is a declaration here, not a second engine.

A `Metric` names where its rows live (table, time column, score column, fixed filters), how its
scores read (a `ScoreScale` from bot.scales), how the headline is computed (`Headline`), what it
can be split or filtered by (`dimensions`), an optional hourly tally table, the column that says
who answered (`person_column`, None for customer metrics) and `min_group`: the fewest distinct
people a figure may stand on. The engine (bot/services/kpi/engine.py) enforces `min_group` on the
headline, every breakdown row and every trend point, so no adapter can forget it.

How to add a metric (e.g. pulse, in bot/services/employees/pulse.py):

    PULSE = register(Metric(
        key="pulse", label="Pulse", words=("pulse", "mood", "humeur"),
        table=PulseAnswer.__table__, time_column="answered_at", score_column="score",
        scale=scales.PULSE, headline=Headline.MEAN,
        dimensions={"team": Dim("team_id", team=True)},
        person_column="person_id", min_group=anonymity_threshold,  # a callable, read at each answer
    ))

`min_group` is an int or a zero-argument callable (read each time a question is answered, so a
setting can change it without a restart). A hidden figure comes back with n, value and margin None
and `hidden=True` (KpiAnswer.hidden / BreakdownRow.hidden / TrendPoint.hidden); the text says
"hidden (fewer than K people)" and never prints its n. When some rows of a breakdown (or points
of a trend) are hidden, the smallest shown ones are hidden too until the hidden ones together
stand on K people, so "total minus the shown rows" cannot reveal a small group.

Then optionally a migration: an index led by the time column that carries the score and the
dimension columns (see 0002), and for a very large table an hourly tally table kept by triggers,
named in `tally` (only for metrics without a person column: distinct people cannot be pre-added).
Importing the declaring module registers it: list the module in METRIC_MODULES below, and the
registry imports it the first time it is read; `/kpi pulse last week by team` then works, and the
question parser knows the words ("Which metric: NPS or CSAT or Pulse?", did-you-mean included). A count metric (stories, suggestions) has no score column:
`headline=Headline.COUNT, done=("status", ("done",))` gives the count with its open/done split.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Table

from bot import scales
from bot.scales import ScoreScale
from bot.services.kpi.period_words import word_key
from bot.services.kpi.stats import CountCounts, CsatCounts, MeanCounts, NpsCounts, RateCounts
from models.kpi_hour import KpiHour
from models.verbatim import Verbatim

MIN_SAMPLE = 10  # a row or point under this many responses shows its n only, never a number


class Headline(StrEnum):
    NPS = "nps"  # % top box − % bottom box, −100..100 (NPS, eNPS)
    TOP_BOX = "top_box"  # % top box, with the mean (CSAT)
    MEAN = "mean"  # mean score, with the % top box (pulse, drivers, star ratings)
    COUNT = "count"  # rows counted, with the done/open split (stories, suggestions)
    RATE = "rate"  # part of a whole, in % with "a of n" (survey participation: answered of surveyed)


@dataclass(frozen=True, slots=True)
class Dim:
    column: str  # a column of the metric's table
    team: bool = False  # team ids: named from the team table, filtered by what the asker may see


@dataclass(frozen=True, slots=True)
class HourlyTally:
    """A table of (key, UTC hour, team) -> n, top, bottom, total, kept exact by triggers."""

    table: Table
    key: str  # the value of its `scale` column for this metric


Counts = NpsCounts | CsatCounts | MeanCounts | CountCounts | RateCounts


@dataclass(frozen=True, eq=False)
class Metric:
    key: str  # "nps": what KpiQuery.metric holds
    label: str  # "NPS": how answers name it
    words: tuple[str, ...]  # phrases the question parser reads as this metric (EN and FR)
    table: Table
    time_column: str
    score_column: str | None  # None: a count metric
    scale: ScoreScale | None
    headline: Headline
    dimensions: Mapping[str, Dim]
    where: Mapping[str, object] = field(default_factory=dict)  # fixed equality filters
    tally: HourlyTally | None = None
    person_column: str | None = None  # distinct people are counted for min_group
    min_group: int | Callable[[], int] = 0  # fewer distinct people: hidden, not even n
    min_sample: int = MIN_SAMPLE  # fewer responses in a row or point: n shown, no number
    done: tuple[str, tuple[str, ...]] | None = None  # COUNT: column and its "done" values
    command: str = ""  # the slash command that asks for it; default "/kpi <key>"
    unit: str = "responses"  # what n counts
    round_column: str | None = (
        None  # set: answered by whole closed survey rounds (employees/round_figures.py)
    )
    part: str = ""  # RATE: what the part is ("answered": "12 of 18 answered")
    listed: bool = True  # named in "Which metric: ...?" (False: one of a family, e.g. each survey driver)

    def __post_init__(self) -> None:
        """A declaration that cannot be answered exactly fails at import, not at the first question."""
        scored = self.headline not in (Headline.COUNT, Headline.RATE)
        problems = [
            (scored and not (self.score_column and self.scale), "a scored metric needs a score column and a scale"),
            (not scored and self.score_column is not None, "a count metric has no score column"),
            (bool(self.tally and (self.person_column or self.headline is Headline.MEAN)),
             "hourly tallies hold neither distinct people nor squares: no tally for this metric"),
            (any(c not in self.table.c for c in self.columns()), f"a column is not in table {self.table.name}"),
        ]  # fmt: skip
        if wrong := [why for bad, why in problems if bad]:
            raise ValueError(f"metric {self.key!r}: {'; '.join(wrong)}")

    def columns(self) -> list[str]:
        named = [self.time_column, self.score_column, self.person_column, self.round_column, *self.where]
        return [c for c in named + [d.column for d in self.dimensions.values()] if c]

    @property
    def slash(self) -> str:
        return self.command or f"/kpi {self.key}"

    @property
    def team_column(self) -> str | None:
        return next((d.column for d in self.dimensions.values() if d.team), None)

    def group_floor(self) -> int:
        """The minimum number of distinct people behind any figure (0: no minimum)."""
        return self.min_group() if callable(self.min_group) else self.min_group

    def counts(self, tally: Tally) -> Counts:
        """The arithmetic of the headline, from what the database counted."""
        if self.headline is Headline.NPS:
            return NpsCounts(tally.top, tally.n - tally.top - tally.bottom, tally.bottom)
        if self.headline is Headline.TOP_BOX:
            return CsatCounts(satisfied=tally.top, n=tally.n, total=tally.total)
        if self.headline is Headline.RATE:
            return RateCounts(satisfied=tally.top, n=tally.n)
        if self.headline is Headline.MEAN:
            return MeanCounts(n=tally.n, top=tally.top, total=tally.total, squares=tally.squares)
        return CountCounts(n=tally.n, done=tally.top)

    def people(self, tally: Tally) -> int:
        return tally.people if self.person_column else tally.n

    def hides(self, tally: Tally) -> bool:
        """True when a non-empty figure stands on fewer distinct people than min_group."""
        floor = self.group_floor()
        return floor > 0 and tally.n > 0 and self.people(tally) < floor


@dataclass(frozen=True, slots=True)
class Tally:
    """What the database counts for one window and group."""

    n: int = 0  # rows with a score (count metrics: rows)
    top: int = 0  # top box (promoters 9-10, satisfied 4-5), or done (count metrics)
    bottom: int = 0  # bottom box, NPS-style headlines only
    total: int = 0  # sum of scores (for the mean)
    squares: int = 0  # sum of squared scores, MEAN headlines only (for the margin)
    people: int = 0  # distinct people, metrics with a person column only

    def __add__(self, other: Tally) -> Tally:
        """Counts add up; distinct people do not (one person can be in both), so the larger of
        the two is kept: a lower bound, which can only hide more, never show a smaller group."""
        return Tally(
            self.n + other.n,
            self.top + other.top,
            self.bottom + other.bottom,
            self.total + other.total,
            self.squares + other.squares,
            max(self.people, other.people),
        )


# Modules that declare metrics, imported the first time the registry is read (add yours here).
METRIC_MODULES: tuple[str, ...] = (
    "bot.services.employees.metrics",
    "bot.services.employees.survey_metrics",
)  # pulse, stories, suggestions
_REGISTRY: dict[str, Metric] = {}


@functools.cache
def _load_declarations() -> None:
    for name in METRIC_MODULES:
        importlib.import_module(name)


def register(metric: Metric) -> Metric:
    """Add (or replace, by key) a metric; returns it so a module can keep a name for it."""
    _REGISTRY[metric.key] = metric
    return metric


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


@contextmanager
def registered(metric: Metric) -> Iterator[Metric]:
    """A metric for the duration of a block (tests). The declarations load first, so a word the block's
    metric shares with a declared one means the block's metric, whatever ran before."""
    _load_declarations()
    before = _REGISTRY.get(metric.key)
    register(metric)
    try:
        yield metric
    finally:
        register(before) if before else unregister(metric.key)


def get_metric(key: str) -> Metric:
    _load_declarations()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise ValueError(f"unknown metric {key!r}: expected one of {', '.join(_REGISTRY)}") from None


def all_metrics() -> list[Metric]:
    _load_declarations()
    return list(_REGISTRY.values())


def metric_words() -> dict[str, str]:
    """Every phrase that names a metric -> its key."""
    _load_declarations()
    return {word: m.key for m in _REGISTRY.values() for word in (m.key, *m.words)}


def metric_phrases() -> dict[str, tuple[str, str]]:
    """The same phrases keyed as the question parser's tokens are: key -> (metric key, as declared)."""
    return {" ".join(map(word_key, p.split())): (key, p) for p, key in metric_words().items()}


_CUSTOMER_DIMENSIONS = {
    "team": Dim("team_id", team=True),
    "channel": Dim("channel"),
    "reason": Dim("reason"),
    "agent": Dim("agent"),
    "processing_level": Dim("processing_level"),
}
_VERBATIM = Verbatim.__table__  # type: ignore[attr-defined]
_HOURS = KpiHour.__table__  # type: ignore[attr-defined]


def _customer(key: str, label: str, words: tuple[str, ...], headline: Headline) -> Metric:
    return register(
        Metric(
            key=key,
            label=label,
            words=words,
            table=_VERBATIM,
            time_column="received_at",
            score_column="score",
            scale=scales.scale(key),
            headline=headline,
            dimensions=_CUSTOMER_DIMENSIONS,
            where={"scale": key},
            tally=HourlyTally(_HOURS, key),
            command=f"/{key}",
        )
    )


NPS = _customer("nps", "NPS", ("net promoter score", "net promoter"), Headline.NPS)
CSAT = _customer(
    "csat",
    "CSAT",
    ("satisfaction", "customer satisfaction", "satisfaction client"),
    Headline.TOP_BOX,
)
# Star reviews (Trustpilot, app stores, Google): the average rating, with the share of 4-5 stars. No hourly
# tally (a mean's margin needs the squares): the covering index of 0002, led by (scale, received_at), keeps
# it an index-only range scan.
STARS = register(
    Metric(
        key="stars",
        label="Rating",
        words=("rating", "ratings", "star rating", "star ratings", "star reviews", "étoiles", "note moyenne"),
        table=_VERBATIM,
        time_column="received_at",
        score_column="score",
        scale=scales.STARS,
        headline=Headline.MEAN,
        dimensions=_CUSTOMER_DIMENSIONS,
        where={"scale": "stars"},
        command="/kpi stars",
        unit="star reviews",
    )
)
