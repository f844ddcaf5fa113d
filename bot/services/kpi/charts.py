"""PNG charts of KPI answers, drawn headless with matplotlib's Agg canvas (no pyplot, thread-safe).

Breakdowns: horizontal bars with the margin as an error bar, the value and n written on each bar;
a too-small group gets no bar, only "too small (n=4)". Trends: a line with the margin as a band, one
point per week/month, n under each date. Titles say the metric, the period and the total n.
"""

from __future__ import annotations

import io
import math

from bot.services.kpi.engine import KpiAnswer
from bot.services.kpi.metrics import Headline, Metric
from bot.services.kpi.period_words import MONTH_NAMES, fmt_range
from bot.services.kpi.text import BREAKDOWN_NAMES, format_value, metric_name

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 5.6, 100
CHART_SIZE_PX = (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
BAR = "#2f6db3"
LINE = "#2f6db3"
BAND = "#9fc0e6"
MUTED = "#8a8a8a"


def axis_label(metric: Metric) -> str:
    """'NPS (% promoters − % detractors)', 'CSAT (% of 4-5 answers)', 'Pulse (mean, 1-5)'."""
    scale, kind = metric.scale, metric.headline
    if kind is Headline.NPS and scale:
        return f"{metric.label} (% {scale.bands[2]}s − % {scale.bands[0]}s)"
    if kind is Headline.TOP_BOX and scale:
        return f"{metric.label} (% of {scale.top_min}-{scale.high} answers)"
    if kind is Headline.MEAN and scale:
        return f"{metric.label} (mean, {scale.low}-{scale.high})"
    return f"{metric.label} ({metric.unit})"


def value_range(answer: KpiAnswer) -> tuple[float, float]:
    kind, scale = answer.metric.headline, answer.metric.scale
    if kind is Headline.NPS:
        return -100.0, 100.0
    if kind is Headline.MEAN and scale:
        return 0.0, float(scale.high)
    if kind is Headline.COUNT:
        return 0.0, max(
            [float(r.value or 0) for r in answer.rows] + [float(p.value or 0) for p in answer.points] + [1.0]
        )
    return 0.0, 100.0


def has_chart(answer: KpiAnswer) -> bool:
    return not answer.hidden and bool(answer.rows or answer.points)


def render_chart(answer: KpiAnswer) -> bytes:
    """The PNG bytes of the breakdown or trend chart (ValueError for a single-number answer)."""
    out = io.BytesIO()
    build_figure(answer).savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def build_figure(answer: KpiAnswer):
    """The matplotlib Figure (Agg canvas, no pyplot state), for render_chart and for tests."""
    from matplotlib.figure import Figure

    if not has_chart(answer):
        raise ValueError("a single number has no chart")
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax = fig.add_subplot()
    if answer.points:
        _trend(ax, answer)
    else:
        _bars(ax, answer)
    ax.set_title(chart_title(answer), loc="left", fontsize=12, fontweight="bold")
    fig.text(0.01, 0.01, chart_footer(answer), fontsize=8.5, color=MUTED)
    ax.spines[["top", "right"]].set_visible(False)
    # fixed margins (tight_layout would draw the figure twice): room for the labels on the left
    longest = max((len(r.label) for r in answer.rows), default=0)
    left = 0.08 if answer.points else min(0.36, 0.075 + 0.0075 * longest)
    fig.subplots_adjust(left=left, right=0.97, top=0.86, bottom=0.2 if answer.points else 0.15)
    return fig


def chart_title(answer: KpiAnswer) -> str:
    if answer.points:  # the trend's period label already says "weekly trend over ..."
        period = fmt_range(answer.period.start, answer.period.end)
        what = f"{metric_name(answer)} {answer.trend_unit or 'week'}ly trend"
    else:
        period = answer.period.label
        what = f"{metric_name(answer)} by {BREAKDOWN_NAMES.get(answer.breakdown or '', 'group').lower()}"
    return f"{what} · {period}\nn = {answer.n or 0:,} {answer.metric.unit} · {' · '.join(answer.scope)}"


def chart_footer(answer: KpiAnswer) -> str:
    total = f"{metric_name(answer)} {format_value(answer, answer.value)}"
    if answer.margin is not None:
        total += f" ±{answer.margin:.1f} (95%)"
    return (
        f"Overall {total}. Groups under {answer.min_group_size} {answer.metric.unit} are not shown as numbers. "
        + (f"Groups of fewer than {answer.min_people} people are hidden. " if answer.min_people else "")
        + f"Dates in {answer.timezone}."
    )


def _bars(ax, answer: KpiAnswer) -> None:
    rows = list(answer.rows)
    ys = list(range(len(rows)))[::-1]  # first row on top
    values = [r.value if r.value is not None else 0.0 for r in rows]
    errors = [r.margin if r.margin is not None else 0.0 for r in rows]
    colors = [BAR if r.value is not None else "none" for r in rows]
    ax.barh(ys, values, xerr=errors, color=colors, ecolor=MUTED, capsize=3, height=0.6)
    low, high = value_range(answer)
    ax.set_xlim(low, high * 1.18)
    for y, row in zip(ys, rows, strict=True):
        if row.hidden or row.n is None:
            ax.text(0, y, " hidden", va="center", fontsize=9, color=MUTED)
        elif row.too_small:
            ax.text(0 if low < 0 else 1, y, f" too small (n={row.n:,})", va="center", fontsize=9, color=MUTED)
        else:
            end = max(row.value or 0.0, 0.0) + (row.margin or 0.0)
            ax.text(
                end + 1.5, y, f"{format_value(answer, row.value)}  (n={row.n:,})", va="center", fontsize=9
            )
    ax.set_yticks(ys, [r.label for r in rows], fontsize=9)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.set_xlabel(axis_label(answer.metric))
    ax.set_ylabel(BREAKDOWN_NAMES.get(answer.breakdown or "", "Group"))


def _trend(ax, answer: KpiAnswer) -> None:
    points = list(answer.points)
    xs = list(range(len(points)))
    ys = [p.value if p.value is not None else math.nan for p in points]
    margins = [p.margin if p.margin is not None else math.nan for p in points]
    lower = [y - m for y, m in zip(ys, margins, strict=True)]
    upper = [y + m for y, m in zip(ys, margins, strict=True)]
    ax.fill_between(xs, lower, upper, color=BAND, alpha=0.45, linewidth=0, label="95% margin")
    ax.plot(xs, ys, color=LINE, marker="o", linewidth=2, label=metric_name(answer))
    for x, p in zip(xs, points, strict=True):
        if p.value is not None:
            ax.annotate(
                format_value(answer, p.value),
                (x, p.value),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=8,
            )
    labels = [
        f"{p.start.day} {MONTH_NAMES[p.start.month - 1][:3]}\n" + ("hidden" if p.n is None else f"n={p.n:,}")
        for p in points
    ]
    ax.set_xticks(xs, labels, fontsize=8)
    ax.set_xlim(-0.5, len(points) - 0.5)
    ax.set_xlabel(f"{(answer.trend_unit or 'week').capitalize()} starting (n = responses)")
    ax.set_ylabel(axis_label(answer.metric))
    if answer.metric.headline is Headline.NPS:
        ax.axhline(0, color=MUTED, linewidth=0.8)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
