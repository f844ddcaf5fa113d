"""The weekly survey's figures, declared as metrics of the one KPI engine (not a second engine).

They carry a person column (the per-round keyed hash), so the engine answers them through the
anonymity path (whole finished weeks, atoms of at least K people, nothing subtractable): with one
round per team per week, distinct hashes in a week are distinct people. `/enps last month`,
`/kpi enps this quarter by team`, `/kpi service quality trend 8 weeks`, `/kpi predicted nps last month`. The driver score and
participation are per-round figures (results, `survey status`), not engine metrics: a week-by-week
trend would mix different drivers.
"""

from __future__ import annotations

from bot import scales
from bot.services.employees.anonymity import MIN_THRESHOLD
from bot.services.kpi.metrics import Dim, Headline, Metric, register
from models.survey import SurveyResponse

_TABLE = SurveyResponse.__table__  # type: ignore[attr-defined]
_TEAM = {"team": Dim("team_id", team=True)}


def _survey(
    key: str, label: str, words: tuple[str, ...], score: str, scale, headline: Headline, **extra
) -> Metric:
    return register(
        Metric(
            key=key, label=label, words=words, table=_TABLE, time_column="answered_on", score_column=score,
            scale=scale, headline=headline, dimensions=_TEAM, person_column="respondent",
            min_group=MIN_THRESHOLD, min_sample=1, unit="answers", **extra,
        )
    )  # fmt: skip


ENPS = _survey("enps", "eNPS", ("employee nps", "employee net promoter score"), "enps", scales.NPS,
               Headline.NPS, command="/enps")  # fmt: skip
SERVICE_QUALITY = _survey("service_quality", "Service quality (employees)",
                          ("service quality", "qualite de service", "qualité de service"),
                          "quality", scales.NPS, Headline.MEAN)  # fmt: skip
PREDICTED_NPS = _survey("predicted_nps", "Predicted NPS",
                        ("predicted nps", "nps predit", "nps prédit"), "recommend", scales.NPS, Headline.NPS)  # fmt: skip
