"""When the asked metric has nothing, say where the data is: "No CSAT here; 24,104 star reviews: ask
`rating june 2021`". Only the verbatim metrics of the registry are looked at (one indexed count each),
restricted to the teams the asker may see."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session

from bot.services.kpi.metrics import Metric, all_metrics, get_metric

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")  # fmt: skip
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
              "octobre", "novembre", "décembre")  # fmt: skip


def where_the_data_is(
    session: Session, *, metric_key: str, team_ids: Collection[int] | None, tz: ZoneInfo, language: str = "en"
) -> str | None:
    """A line pointing to the metric (or the moment) that has data, or None when the store has none."""
    asked = get_metric(metric_key)
    found = []
    for metric in [asked, *(m for m in all_metrics() if m.key != asked.key and m.table is asked.table)]:
        if metric.person_column or metric.score_column is None:
            continue
        n, latest = _count(session, metric, team_ids)
        if n:
            found.append((metric, n, latest))
    if not found:
        return None
    metric, n, latest = found[0]
    month = _month_words(latest.astimezone(tz), language)
    word = metric.key if metric.key != "stars" else ("note moyenne" if language == "fr" else "rating")
    count = f"{n:,}".replace(",", "\u202f") if language == "fr" else f"{n:,}"
    if language == "fr":
        head = f"Pas de {asked.label} ici ; " if metric is not asked else "Les plus récentes : "
        return f"{head}{count} {_unit(metric, 'fr')} en tout : demandez `{word} {month}`"
    head = f"No {asked.label} here; " if metric is not asked else "The latest are older: "
    unit = metric.unit[:-1] if n == 1 and metric.unit.endswith("s") else metric.unit
    return f"{head}{count} {unit} in all: ask `{word} {month}`"


def _unit(metric: Metric, language: str) -> str:
    if language == "fr":
        return {"star reviews": "avis notés"}.get(metric.unit, "réponses")
    return metric.unit


def _count(session: Session, metric: Metric, team_ids: Collection[int] | None) -> tuple[int, datetime]:
    table = metric.table
    time = table.c[metric.time_column]
    where = [table.c[c] == v for c, v in metric.where.items()]
    where.append(table.c[metric.score_column].isnot(None))  # type: ignore[index]
    if team_ids is not None and metric.team_column:
        where.append(table.c[metric.team_column].in_(list(team_ids)))
    n, latest = session.connection().execute(select(func.count(), func.max(time)).where(*where)).one()
    if isinstance(latest, str):  # SQLite hands back text for a bare max()
        latest = datetime.fromisoformat(latest)
    if latest is not None and latest.tzinfo is None:
        latest = latest.replace(tzinfo=ZoneInfo("UTC"))
    return int(n or 0), latest


def _month_words(moment: datetime, language: str) -> str:
    months = _FR_MONTHS if language == "fr" else _MONTHS
    return f"{months[moment.month - 1]} {moment.year}"
