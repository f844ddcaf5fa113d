"""Pulse, best-failure stories and suggestions, declared as metrics of the one KPI engine.

A metric with a `person_column` is answered by the engine through the anonymity rules
(bot/services/kpi/anonymous.py -> employees/figures.py): whole finished weeks, atoms of at least K
distinct people, nothing below K, nothing that can be subtracted. `min_group` here is only the floor
K can never go under; the K in force is read from the settings table when the question is asked.
"""

from __future__ import annotations

from bot import scales
from bot.services.employees.anonymity import MIN_THRESHOLD
from bot.services.kpi.metrics import Dim, Headline, Metric, register
from models.pulse import PulseAnswer
from models.story import Story
from models.suggestion import Suggestion

_TEAM = {"team": Dim("team_id", team=True)}

PULSE = register(
    Metric(
        key="pulse", label="Pulse", words=("mood", "humeur", "moral"),
        table=PulseAnswer.__table__,  # type: ignore[attr-defined]
        time_column="day", score_column="score", scale=scales.PULSE, headline=Headline.MEAN,
        dimensions=_TEAM, person_column="person_key", min_group=MIN_THRESHOLD, min_sample=1, unit="answers",
    )
)  # fmt: skip
STORIES = register(
    Metric(
        key="stories", label="Best-failure stories",
        words=("story", "best failures", "best failure", "bestfailure", "histoires", "echecs"),
        table=Story.__table__,  # type: ignore[attr-defined]
        time_column="day", score_column=None, scale=None, headline=Headline.COUNT,
        dimensions=_TEAM, person_column="author_key", min_group=MIN_THRESHOLD, min_sample=1, unit="stories",
    )
)  # fmt: skip
SUGGESTIONS = register(
    Metric(
        key="suggestions", label="Suggestions", words=("suggestion", "idees", "idées"),
        table=Suggestion.__table__,  # type: ignore[attr-defined]
        time_column="day", score_column=None, scale=None, headline=Headline.COUNT,
        dimensions=_TEAM, person_column="author_key", min_group=MIN_THRESHOLD, min_sample=1,
        done=("status", ("done", "wont_do")), unit="suggestions",
    )
)  # fmt: skip
