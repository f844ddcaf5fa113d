"""The weekly survey's figures, declared as metrics of the one KPI engine (not a second engine).

Each carries `round_column`, so the engine answers it from whole closed rounds
(bot/services/employees/round_figures.py): a figure is the sum of (team, round) blocks of at least K
people, whether the question names a period (`/enps last month`: the rounds opened in it) or rounds
(`/kpi enps last round`, `/kpi driver workload trend 8 rounds`). A round is never split by weeks, so
no figure can be subtracted from another to reach a part of a round. `/kpi participation last round`
is answered of surveyed per round ("12 of 18 answered"). docs/ANONYMITY.md says what each reveals.
"""

from __future__ import annotations

from bot import scales
from bot.services.employees.anonymity import MIN_THRESHOLD
from bot.services.kpi.metrics import Dim, Headline, Metric, register
from models.survey import SurveyResponse, SurveyRound

_TABLE = SurveyResponse.__table__  # type: ignore[attr-defined]
_TEAM = {"team": Dim("team_id", team=True)}

# The driver bank's keys (bot/data/survey_questions.yaml) -> how people name them, English then French.
DRIVER_NAMES: dict[str, tuple[str, str]] = {
    "recognition": ("recognition", "reconnaissance"),
    "workload": ("workload", "charge de travail"),
    "tools": ("tools", "outils"),
    "training": ("training", "formation"),
    "manager_support": ("manager support", "soutien du manager"),
    "autonomy": ("autonomy", "autonomie"),
    "customer_focus": ("customer focus", "orientation client"),
    "initiative": ("initiative", "initiative"),
}


def _survey(
    key: str, label: str, words: tuple[str, ...], score: str, scale, headline: Headline, **extra
) -> Metric:
    return register(
        Metric(
            key=key, label=label, words=words, table=_TABLE, time_column="answered_on", score_column=score,
            scale=scale, headline=headline, dimensions=_TEAM, person_column="respondent",
            min_group=MIN_THRESHOLD, min_sample=1, unit="answers", round_column="round_id", **extra,
        )
    )  # fmt: skip


ENPS = _survey("enps", "eNPS", ("employee nps", "employee net promoter score"), "enps", scales.NPS,
               Headline.NPS, command="/enps")  # fmt: skip
SERVICE_QUALITY = _survey("service_quality", "Service quality (employees)",
                          ("service quality", "quality", "qualite de service", "qualité de service", "qualite"),
                          "quality", scales.NPS, Headline.MEAN)  # fmt: skip
PREDICTED_NPS = _survey("predicted_nps", "Predicted NPS",
                        ("predicted nps", "nps predit", "nps prédit"), "recommend", scales.NPS, Headline.NPS)  # fmt: skip
DRIVER = _survey("driver", "Driver score", ("drivers", "driver score", "levier", "leviers"), "driver_score",
                 scales.DRIVER, Headline.MEAN)  # fmt: skip
# One metric per driver of the bank: "/kpi driver workload last round" is the rounds that asked about workload.
DRIVERS = {
    key: _survey(
        f"driver_{key}", f"Driver: {en}",
        tuple(dict.fromkeys((f"driver {en}", f"driver {fr}", f"levier {fr}"))),
        "driver_score", scales.DRIVER, Headline.MEAN, where={"driver": key}, listed=False,
    )
    for key, (en, fr) in DRIVER_NAMES.items()
}  # fmt: skip
PARTICIPATION = register(
    Metric(
        key="participation", label="Participation",
        words=("response rate", "taux de participation", "taux de reponse", "taux de réponse"),
        table=SurveyRound.__table__,  # type: ignore[attr-defined]
        time_column="opens_on", score_column=None, scale=None, headline=Headline.RATE, dimensions=_TEAM,
        min_group=MIN_THRESHOLD, min_sample=1, unit="surveyed", round_column="id", part="answered",
    )
)  # fmt: skip
