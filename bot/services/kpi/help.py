"""What `/kpi help` (and `symmetry ask help`) answers: the metrics the registry knows and how to ask."""

from __future__ import annotations

from bot.services.kpi.metrics import all_metrics

HELP_WORDS = frozenset({"help", "aide", "?"})

_EXAMPLES = (
    "/nps last week by channel",
    "/csat this month for Billing",
    "/kpi pulse trend 8 weeks",
    "/enps last month by team",
    "/kpi participation last round",
    "/kpi participation this month by team",
    "/kpi enps last round",
    "/kpi driver workload trend 8 rounds",
    "/kpi quality trend 8 rounds",
    "/kpi participation dernier tour par équipe",
)


def kpi_help() -> str:
    metrics = [m for m in all_metrics() if m.listed]
    lines = [
        "*Ask for a KPI in words*: a metric, a period, and optionally `by team`, `for <team>`, `trend 12 weeks`."
    ]
    lines.append("Metrics: " + ", ".join(f"`{m.slash}` ({m.label})" for m in metrics))
    lines.append(
        "Survey figures also go *by round*: `last round` (`dernier tour`, `dernière vague`), `last 3 rounds`, "
        "`trend 8 rounds` (`tendance 8 tours`); a driver by name: `driver workload`, `driver manager support`, "
        '`levier charge de travail`. Participation is answered of surveyed ("12 of 18 answered").'
    )
    lines.append(
        "Periods: today, last week, this month, last quarter, last 30 days, Q3 2026, 2026-10-01..2026-10-15, "
        "aug 1-10 2023."
    )
    lines.append("Examples: " + " · ".join(f"`{e}`" for e in _EXAMPLES))
    lines.append("Employee figures are hidden below K people and never subtracted (docs/ANONYMITY.md).")
    return "\n".join(lines)


def is_help(text: str) -> bool:
    return text.strip().lower() in HELP_WORDS
