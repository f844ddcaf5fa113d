"""PNG charts of a survey round's results and of the symmetry report, on the KPI charts' canvas
(bot/services/kpi/charts.py: new_figure, figure_png, its colours): one mechanism, two more drawings.

A round: one small panel per figure (participation, eNPS, service quality, predicted NPS), this round's
bar beside last round's, the change written above. The symmetry report: paired bars (employees vs
customers) per measure, the gap written above each pair and marked when it reaches GAP_POINTS.
Words in English or French. A round whose figures were hidden (fewer than K answers) draws only
participation: the chart never shows what the text hides.
"""

from __future__ import annotations

from typing import Any

from bot.services.kpi.charts import BAR, MUTED, figure_png, new_figure
from bot.services.reports.symmetry import SymmetryReport
from bot.services.reports.symmetry_text import period_words

ALERT = "#c0392b"
WORDS = {
    "en": {
        "round": "Survey results, {team}, round {n}",
        "participation": "Participation (%)",
        "enps": "eNPS",
        "quality": "Service quality (/10)",
        "predicted_nps": "Predicted customer NPS",
        "this": "this round",
        "last": "last round",
        "change": "{d:+.1f} vs last round",
        "first": "first round",
        "hidden": "figures hidden (fewer than {k} answers)",
        "symmetry": "Symmetry, {team}, {period}: employees vs customers",
        "employees": "employees",
        "customers": "customers",
        "gap": "gap {g:+.0f}",
        "pairs": {"nps": "Predicted NPS vs NPS", "quality": "Service quality vs CSAT (0-100)"},
        "n/a": "n/a",
    },
    "fr": {
        "round": "Résultats du sondage, {team}, sondage {n}",
        "participation": "Participation (%)",
        "enps": "eNPS",
        "quality": "Qualité de service (/10)",
        "predicted_nps": "NPS client prédit",
        "this": "ce sondage",
        "last": "sondage précédent",
        "change": "{d:+.1f} vs précédent",
        "first": "premier sondage",
        "hidden": "chiffres masqués (moins de {k} réponses)",
        "symmetry": "Symétrie, {team}, {period} : salariés vs clients",
        "employees": "salariés",
        "customers": "clients",
        "gap": "écart {g:+.0f}",
        "pairs": {"nps": "NPS prédit vs NPS", "quality": "Qualité de service vs CSAT (0-100)"},
        "n/a": "n.d.",
    },
}
ROUND_PANELS = (
    ("participation", (0, 100)),
    ("enps", (-100, 100)),
    ("quality", (0, 10)),
    ("predicted_nps", (-100, 100)),
)


def _words(language: str) -> dict:
    return WORDS.get(language, WORDS["en"])


def _participation(data: dict[str, Any] | None) -> float | None:
    if not data or not data.get("invited"):
        return None
    return 100.0 * data["answered"] / data["invited"]


def round_values(results: dict[str, Any]) -> dict[str, tuple[float | None, float | None]]:
    """Per panel: (this round, last round); None where hidden or absent."""
    prev = results.get("previous") or {}
    out = {"participation": (_participation(results), _participation(prev or None))}
    for key, _ in ROUND_PANELS[1:]:
        now = ((results.get("figures") or {}).get(key) or {}).get("value")
        before = ((prev.get("figures") or {}).get(key) or {}).get("value")
        out[key] = (now, before)
    return out


def chart_title(results: dict[str, Any], *, team: str, language: str = "en") -> str:
    return _words(language)["round"].format(team=team, n=results.get("round", "?"))


def round_chart(results: dict[str, Any], *, team: str, language: str = "en") -> bytes:
    """The PNG of a closed round's figures, each beside last round's."""
    w = _words(language)
    fig = new_figure()
    values = round_values(results)
    for i, (key, (low, high)) in enumerate(ROUND_PANELS):
        ax = fig.add_subplot(1, len(ROUND_PANELS), i + 1)
        now, before = values[key]
        ax.bar([0, 1], [before or 0, now or 0], color=[MUTED, BAR if now is not None else "none"], width=0.6)
        for x, v in ((0, before), (1, now)):
            ax.text(
                x,
                (v or 0) + (high - low) * 0.02,
                f"{v:.1f}" if v is not None else w["n/a"],
                ha="center",
                fontsize=9,
            )
        ax.set_ylim(low, high * 1.12)
        ax.set_xticks([0, 1], [w["last"], w["this"]], fontsize=8)
        change = (
            w["first"]
            if before is None
            else (w["change"].format(d=now - before) if now is not None else w["n/a"])
        )
        ax.set_title(f"{w[key]}\n{change}", fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        ax.axhline(0, color=MUTED, linewidth=0.8)
    fig.suptitle(chart_title(results, team=team, language=language), x=0.01, ha="left", fontweight="bold")
    if not results.get("shown"):
        fig.text(0.01, 0.01, w["hidden"].format(k=results.get("k", "?")), fontsize=8.5, color=MUTED)
    fig.subplots_adjust(left=0.06, right=0.98, top=0.8, bottom=0.12, wspace=0.45)
    return figure_png(fig)


def symmetry_title(report: SymmetryReport) -> str:
    return _words(report.language)["symmetry"].format(team=report.team, period=period_words(report))


def symmetry_chart(report: SymmetryReport) -> bytes:
    """Paired bars: employees beside customers for each measure, on -100..100 / 0..100."""
    w = _words(report.language)
    fig = new_figure()
    ax = fig.add_subplot()
    for i, pair in enumerate(report.pairs):
        for dx, value, n, color in (
            (-0.2, pair.employees, pair.employees_n, BAR),
            (0.2, pair.customers, pair.customers_n, MUTED),
        ):
            ax.bar(i + dx, value or 0, width=0.38, color=color if value is not None else "none")
            label = f"{value:.0f} (n={n:,})" if value is not None else w["n/a"]
            ax.text(i + dx, max(value or 0, 0) + 3, label, ha="center", fontsize=9)
        if pair.gap is not None:
            ax.text(i, 112, w["gap"].format(g=pair.gap), ha="center", fontsize=10,
                    color=ALERT if pair.highlighted else MUTED, fontweight="bold" if pair.highlighted else None)  # fmt: skip
    ax.set_xticks(range(len(report.pairs)), [w["pairs"].get(p.key, p.key) for p in report.pairs])
    ax.set_ylim(-100, 125)
    ax.axhline(0, color=MUTED, linewidth=0.8)
    from matplotlib.patches import Patch

    legend = [Patch(color=BAR, label=w["employees"]), Patch(color=MUTED, label=w["customers"])]
    ax.legend(handles=legend, loc="lower left", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(symmetry_title(report), loc="left", fontweight="bold")
    return figure_png(fig)
