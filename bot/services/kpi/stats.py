"""NPS and CSAT arithmetic, shared by the digest header, /nps, /csat and the reports (bands: bot.scales)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.scales import CSAT, NPS

Z95 = 1.96


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of a proportion, as fractions: sensible at 0% and 100% (where the normal
    approximation gives a width of zero) and never outside [0, 1]."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def needs_interval(value: float | None, margin: float | None, low: float, high: float) -> bool:
    """True where "±margin" would mislead: a zero width, or a range that leaves the scale."""
    if value is None or margin is None:
        return False
    return round(margin, 1) == 0 or value - margin < low or value + margin > high


@dataclass(frozen=True, slots=True)
class NpsCounts:
    promoters: int  # 9-10
    passives: int  # 7-8
    detractors: int  # 0-6

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def value(self) -> float | None:
        """% promoters − % detractors, −100..100; None without responses."""
        if not self.n:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.n

    @property
    def margin(self) -> float | None:
        """95% margin of error of the NPS, in points (variance of a −1/0/+1 variable)."""
        if self.n < 2:
            return None
        p, d = self.promoters / self.n, self.detractors / self.n
        variance = p + d - (p - d) ** 2
        return 100.0 * 1.96 * math.sqrt(max(variance, 0.0) / self.n)

    @property
    def interval(self) -> tuple[float, float] | None:
        """95% range of the NPS, in points, from the Wilson intervals of the promoter and detractor shares
        (wider than the normal one, never zero, never beyond -100..100)."""
        if self.n < 1:
            return None
        p_lo, p_hi = wilson(self.promoters, self.n)
        d_lo, d_hi = wilson(self.detractors, self.n)
        return max(-100.0, 100.0 * (p_lo - d_hi)), min(100.0, 100.0 * (p_hi - d_lo))


@dataclass(frozen=True, slots=True)
class CsatCounts:
    satisfied: int  # 4-5
    n: int  # all responses on the 1-5 scale
    total: int  # sum of scores, for the mean

    @property
    def value(self) -> float | None:
        """Share of 4-5, in %; None without responses."""
        return 100.0 * self.satisfied / self.n if self.n else None

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def margin(self) -> float | None:
        """95% margin of error of the share, in points (normal approximation)."""
        if self.n < 2:
            return None
        p = self.satisfied / self.n
        return 100.0 * 1.96 * math.sqrt(p * (1 - p) / self.n)

    @property
    def interval(self) -> tuple[float, float] | None:
        """95% Wilson interval of the share, in %."""
        if self.n < 1:
            return None
        lo, hi = wilson(self.satisfied, self.n)
        return 100.0 * lo, 100.0 * hi


def nps_counts(scores: list[int]) -> NpsCounts:
    promoters = sum(1 for s in scores if NPS.is_top(s))
    detractors = sum(1 for s in scores if NPS.is_bottom(s))
    return NpsCounts(
        promoters=promoters, passives=len(scores) - promoters - detractors, detractors=detractors
    )


def csat_counts(scores: list[int]) -> CsatCounts:
    return CsatCounts(satisfied=sum(1 for s in scores if CSAT.is_top(s)), n=len(scores), total=sum(scores))


@dataclass(frozen=True, slots=True)
class MeanCounts:
    """A mean score (pulse, drivers, star ratings) with the share of the top box beside it."""

    n: int
    top: int  # answers in the top box (e.g. 4-5)
    total: int  # sum of scores
    squares: int  # sum of squared scores

    @property
    def value(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def mean(self) -> float | None:
        return self.value

    @property
    def share(self) -> float | None:
        """Share of the top box, in %."""
        return 100.0 * self.top / self.n if self.n else None

    @property
    def margin(self) -> float | None:
        """95% margin of error of the mean, in points of the scale (sample standard deviation)."""
        if self.n < 2:
            return None
        variance = (self.squares - self.total * self.total / self.n) / (self.n - 1)
        return 1.96 * math.sqrt(max(variance, 0.0) / self.n)


@dataclass(frozen=True, slots=True)
class CountCounts:
    """How many (stories, suggestions), and how many of them are done."""

    n: int
    done: int

    @property
    def value(self) -> float | None:
        return float(self.n)

    @property
    def open(self) -> int:
        return self.n - self.done

    @property
    def margin(self) -> float | None:
        return None


@dataclass(frozen=True, slots=True)
class RateCounts:
    """A part of a whole counted in full (answered of surveyed): a census, so no margin of error."""

    satisfied: int  # the part (answered)
    n: int  # the whole (surveyed)

    @property
    def value(self) -> float | None:
        return 100.0 * self.satisfied / self.n if self.n else None

    @property
    def margin(self) -> float | None:
        return None
