"""The symmetry report as words (EN/FR): the headline sentence and the text fallback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.customers.taxonomy import Taxonomy
from bot.services.kpi.language import translate

if TYPE_CHECKING:
    from bot.services.reports.symmetry import Pair, SymmetryReport

WORDS = {
    "en": {
        "nps": "{team} believes customers would give {emp:.0f} NPS; they gave {cust:.0f} (n={n}).",
        "quality": "{team} rates its service {emp:.0f}/100; customers' CSAT is {cust:.0f} (n={n}).",
        "reasons": "{team} thinks customers complain most about {emp}; they complain most about {cust} (n={n}).",
        "none": "No gap of {gap} points or more: {team} sees its customers as they see it.",
        "no_employees": "Not enough survey answers in this period (fewer than {k} per round): the employee side is hidden.",
        "no_customers": "No customer scores for {team} in this period.",
        "title": "Symmetry report, {team}, {period}",
        "rows": {"nps": "Predicted NPS vs customers' NPS", "quality": "Service quality vs CSAT (0-100)"},
        "employees": "employees",
        "customers": "customers",
        "gap": "gap",
        "reasons_title": "What employees think customers complain about vs what customers say (top 5)",
        "hidden_rounds": "{n} round(s) with fewer than {k} answers left out.",
        "no_value": "n/a",
    },
    "fr": {
        "nps": "{team} pense que les clients donneraient un NPS de {emp:.0f} ; ils ont donné {cust:.0f} (n={n}).",
        "quality": "{team} note son service {emp:.0f}/100 ; le CSAT des clients est de {cust:.0f} (n={n}).",
        "reasons": "{team} pense que les clients se plaignent surtout de {emp} ; ils se plaignent surtout de {cust} (n={n}).",
        "none": "Aucun écart de {gap} points ou plus : {team} voit ses clients comme ils la voient.",
        "no_employees": "Pas assez de réponses au sondage sur la période (moins de {k} par sondage) : côté salariés masqué.",
        "no_customers": "Aucune note client pour {team} sur la période.",
        "title": "Rapport de symétrie, {team}, {period}",
        "rows": {"nps": "NPS prédit vs NPS clients", "quality": "Qualité de service vs CSAT (0-100)"},
        "employees": "salariés",
        "customers": "clients",
        "gap": "écart",
        "reasons_title": "Ce dont les salariés pensent que les clients se plaignent vs ce qu'ils disent (top 5)",
        "hidden_rounds": "{n} sondage(s) de moins de {k} réponses écarté(s).",
        "no_value": "n.d.",
    },
}


def words(language: str) -> dict:
    return WORDS.get(language, WORDS["en"])


def headline(report: SymmetryReport, taxonomy: Taxonomy) -> str:
    w = words(report.language)
    gaps = [p for p in report.pairs if p.gap is not None]
    if report.rounds == 0:
        return w["no_employees"].format(k=report.k)
    biggest: Pair | None = max(gaps, key=lambda p: abs(p.gap or 0), default=None)
    if biggest is not None and biggest.highlighted:
        return w[biggest.key].format(
            team=report.team, emp=biggest.employees, cust=biggest.customers, n=biggest.customers_n
        )
    top = report.reasons[0] if report.reasons else None
    if top and top.employees and top.customers and top.employees != top.customers:
        label = lambda key: taxonomy.label(key, report.language).lower()  # noqa: E731
        return w["reasons"].format(
            team=report.team,
            emp=label(top.employees),
            cust=label(top.customers),
            n=report.customer_reasons_total,
        )
    if not any(p.customers_n for p in report.pairs):
        return w["no_customers"].format(team=report.team)
    return w["none"].format(gap=15, team=report.team)


def _num(value: float | None, w: dict) -> str:
    return w["no_value"] if value is None else f"{value:.0f}"


def period_words(report: SymmetryReport) -> str:
    """The report's period in its language: "30 derniers jours (dim. 1 nov. – lun. 30 nov. 2026)"."""
    return translate(report.period.label, report.language, keep=(report.team,))


def report_text(report: SymmetryReport, taxonomy: Taxonomy) -> str:
    """The whole report as mrkdwn text (what every client shows, and the CLI prints)."""
    w = words(report.language)
    lines = [
        f"*{w['title'].format(team=report.team, period=period_words(report))}*",
        f"*{report.headline}*",
        "",
    ]
    for pair in report.pairs:
        gap = (
            ""
            if pair.gap is None
            else f"  {w['gap']} {pair.gap:+.0f}" + (" :warning:" if pair.highlighted else "")
        )
        lines.append(
            f"{w['rows'][pair.key]}: {w['employees']} {_num(pair.employees, w)} (n={pair.employees_n}) · "
            f"{w['customers']} {_num(pair.customers, w)} (n={pair.customers_n}){gap}"
        )
    if report.reasons:
        lines += ["", f"_{w['reasons_title']}_"]
        for r in report.reasons:
            emp = taxonomy.label(r.employees, report.language) if r.employees else "—"
            cust = taxonomy.label(r.customers, report.language) if r.customers else "—"
            flag = " :warning:" if r.employees and r.employees in report.unmatched else ""
            lines.append(f"{r.rank}. {emp} ({r.employees_n}){flag}  |  {cust} ({r.customers_n})")
    if report.rounds_hidden:
        lines.append(w["hidden_rounds"].format(n=report.rounds_hidden, k=report.k))
    return "\n".join(lines)
