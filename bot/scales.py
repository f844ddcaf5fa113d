"""Every score rule, written once: scale bounds, bands, top/bottom boxes, and the digest tiers.

Python (the KPI engine, triage priority, the digest, Block Kit builders) and the SQL that migrations
generate (migration 0002's hourly tallies) read these; nothing else spells 9, 6, 4, 2, 70 or 45.

    nps     0-10  detractor 0-6 · passive 7-8 · promoter 9-10        top >= 9, bottom <= 6
    csat    1-5   dissatisfied 1-2 · neutral 3 · satisfied 4-5       top >= 4, bottom <= 2
    stars   1-5   same bands as csat (a review's star rating)
    pulse   1-5   same bands (an employee's weekly mood)
    driver  1-5   same bands (a survey driver question)

Digest tiers, by treatment priority 0-100: Urgent >= 70, High >= 45, To read below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScoreScale:
    """A closed integer scale with three bands: bottom <= bottom_max < middle < top_min <= top."""

    key: str
    low: int
    high: int
    top_min: int  # top box: score >= top_min (promoters, satisfied)
    bottom_max: int  # bottom box: score <= bottom_max (detractors, dissatisfied)
    bands: tuple[str, str, str]  # names of (bottom, middle, top)

    @property
    def bounds(self) -> tuple[int, int]:
        return self.low, self.high

    def contains(self, score: int) -> bool:
        return self.low <= score <= self.high

    def is_top(self, score: int | None) -> bool:
        return score is not None and score >= self.top_min

    def is_bottom(self, score: int | None) -> bool:
        return score is not None and score <= self.bottom_max

    def band(self, score: int) -> str:
        """'detractor' / 'passive' / 'promoter' (NPS), 'dissatisfied' / 'neutral' / 'satisfied'."""
        bottom, middle, top = self.bands
        return top if self.is_top(score) else bottom if self.is_bottom(score) else middle

    def top_sql(self, column: str) -> str:
        """The top-box predicate as SQL text, for migrations (`score >= 9`)."""
        return f"{column} >= {self.top_min}"

    def bottom_sql(self, column: str) -> str:
        return f"{column} <= {self.bottom_max}"


_SATISFACTION = ("dissatisfied", "neutral", "satisfied")
NPS = ScoreScale("nps", 0, 10, top_min=9, bottom_max=6, bands=("detractor", "passive", "promoter"))
CSAT = ScoreScale("csat", 1, 5, top_min=4, bottom_max=2, bands=_SATISFACTION)
STARS = ScoreScale("stars", 1, 5, top_min=4, bottom_max=2, bands=_SATISFACTION)
PULSE = ScoreScale("pulse", 1, 5, top_min=4, bottom_max=2, bands=_SATISFACTION)
DRIVER = ScoreScale("driver", 1, 5, top_min=4, bottom_max=2, bands=_SATISFACTION)
SCALES: dict[str, ScoreScale] = {s.key: s for s in (NPS, CSAT, STARS, PULSE, DRIVER)}
CUSTOMER_SCALES = ("nps", "csat", "stars")  # the scales a verbatim may carry


def scale(key: str) -> ScoreScale:
    try:
        return SCALES[key]
    except KeyError:
        raise ValueError(f"unknown scale {key!r}: expected one of {', '.join(SCALES)}") from None


def band(score: int | None, scale_key: str) -> str:
    return "no score" if score is None else scale(scale_key).band(score)


def is_detractor(score: int | None, scale_key: str) -> bool:
    """NPS 0-6; CSAT, stars, pulse, driver 1-2."""
    return scale(scale_key).is_bottom(score)


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    floor: int  # priority >= floor (the first tier that fits wins)


URGENT = Tier("Urgent", 70)
HIGH = Tier("High", 45)
TO_READ = Tier("To read", 0)
DIGEST_TIERS: tuple[Tier, ...] = (URGENT, HIGH, TO_READ)  # highest first


def tier_for(priority: int) -> Tier:
    return next(t for t in DIGEST_TIERS if priority >= t.floor)
