"""NPS and CSAT arithmetic, shared by the digest header, /nps, /csat and the reports."""

from __future__ import annotations

import math
from dataclasses import dataclass


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


def nps_counts(scores: list[int]) -> NpsCounts:
    return NpsCounts(
        promoters=sum(1 for s in scores if s >= 9),
        passives=sum(1 for s in scores if 7 <= s <= 8),
        detractors=sum(1 for s in scores if s <= 6),
    )


def csat_counts(scores: list[int]) -> CsatCounts:
    return CsatCounts(satisfied=sum(1 for s in scores if s >= 4), n=len(scores), total=sum(scores))


def is_detractor(score: int | None, scale: str) -> bool:
    """NPS 0-6; CSAT or stars 1-2."""
    if score is None:
        return False
    return score <= 6 if scale == "nps" else score <= 2
