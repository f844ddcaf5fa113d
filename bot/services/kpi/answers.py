"""What the KPI engine answers: a headline with its previous period, rows of a breakdown, points of
a trend. A hidden figure (under the metric's minimum group size) carries no number, not even n."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.services.kpi.metrics import MIN_SAMPLE, Counts, Metric
from bot.services.kpi.period_words import TrendUnit
from bot.services.kpi.periods import Period

UNSET, NO_TEAM = "(not set)", "(no team)"  # a group without a value: words, said in the asker's language

SMALL_SAMPLE = 30  # below this the answer says the sample is small
MAX_LABEL = 28  # a row label longer than this is cut with "…" in tables and charts
MIN_GROUP_SIZE = MIN_SAMPLE  # a breakdown row or trend point below this shows n only, no number


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    label: str
    n: int | None  # None when hidden (under the metric's minimum group size)
    value: float | None  # None when too small or hidden: never shown as a number
    margin: float | None
    delta: float | None  # by week/month: vs the row before; None for groups
    too_small: bool
    start: date | None = None  # by week/month only
    hidden: bool = False  # fewer distinct people than the metric allows: no number, not even n
    interval: tuple[float, float] | None = None  # 95% range where "±margin" would mislead (0%, 100%)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    label: str
    start: date
    end: date
    n: int | None  # None when hidden
    value: float | None  # None when empty, too small or hidden
    margin: float | None
    too_small: bool
    hidden: bool = False
    interval: tuple[float, float] | None = None  # 95% range (Wilson), see BreakdownRow


@dataclass(frozen=True)
class KpiAnswer:
    metric: Metric
    period: Period
    previous_period: Period
    timezone: str
    scope: tuple[str, ...]  # ("team Support FR", "channel email")
    counts: Counts  # empty when hidden
    previous_counts: Counts  # empty when previous_hidden
    breakdown: str | None = None
    rows: tuple[BreakdownRow, ...] = ()
    trend_unit: TrendUnit | None = None
    by_round: bool = False  # figures of whole survey rounds: "previous rounds", not "previous period"
    points: tuple[TrendPoint, ...] = ()
    min_group_size: int = MIN_GROUP_SIZE
    hidden: bool = False  # the headline stands on fewer than min_people people
    previous_hidden: bool = False
    min_people: int = 0  # the metric's minimum group size when asked (0: none)

    @property
    def names(self) -> tuple[str, ...]:
        """The team names and dimension values the answer shows: said as they are, never translated."""
        found: list[str] = []
        for part in self.scope:
            word, _, value = part.partition(" ")
            if word == "teams":
                found += value.split(", ")
            elif value and word != "all" and word != "your":
                found.append(value)
        if self.breakdown not in ("week", "month"):
            found += [row.label for row in self.rows if row.label not in (UNSET, NO_TEAM)]
        return tuple(found) + tuple(short_label(name) for name in found if len(name) > MAX_LABEL)

    @property
    def n(self) -> int | None:
        return None if self.hidden else self.counts.n

    @property
    def value(self) -> float | None:
        return None if self.hidden else self.counts.value

    @property
    def margin(self) -> float | None:
        return None if self.hidden else self.counts.margin

    @property
    def interval(self) -> tuple[float, float] | None:
        return None if self.hidden else getattr(self.counts, "interval", None)

    @property
    def mean(self) -> float | None:
        return None if self.hidden else getattr(self.counts, "mean", None)

    @property
    def previous_n(self) -> int | None:
        return None if self.previous_hidden else self.previous_counts.n

    @property
    def previous_value(self) -> float | None:
        return None if self.previous_hidden else self.previous_counts.value

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def small_sample(self) -> bool:
        return self.n is not None and self.n < SMALL_SAMPLE


def short_label(text: str) -> str:
    """A row label as tables and charts show it: cut at MAX_LABEL characters with "…"."""
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"
