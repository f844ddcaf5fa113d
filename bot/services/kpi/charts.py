"""PNG charts of KPI answers, drawn headless with matplotlib's Agg canvas (no pyplot, thread-safe).

Breakdowns: horizontal bars with the margin as an error bar (the 95% range where ±margin would leave the
scale), the value and n written on each bar; a too-small group gets no bar, only "too small (n=4)"; past
MAX_BARS groups, the largest by n are drawn and the rest are summed up as one "others" line. Trends and
`by week` / `by month`: a line with the margin as a band, one point per week/month, n under each date.
Titles say the metric, the period and the total n.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

from bot.services.kpi.answers import short_label
from bot.services.kpi.engine import KpiAnswer
from bot.services.kpi.language import translate
from bot.services.kpi.metrics import Headline, Metric
from bot.services.kpi.period_words import MONTH_NAMES, fmt_range
from bot.services.kpi.stats import needs_interval
from bot.services.kpi.text import BREAKDOWN_NAMES, format_value, metric_name, value_bounds

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 5.6, 100
CHART_SIZE_PX = (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
BAR = "#2f6db3"
LINE = "#2f6db3"
BAND = "#9fc0e6"
MUTED = "#8a8a8a"
MAX_BARS = 15
TIME_ROWS = ("week", "month")

Draw = Callable[..., bytes]
"""`draw(fn, *args, **kwargs)` -> fn(*args, **kwargs): where a chart is drawn is the caller's choice
(the Slack server draws in worker processes, bot/entry/chart_workers.py; the CLI and tests here)."""


class ChartUnavailable(Exception):
    """The chart could not be drawn (its worker process died twice): answer without it and say so."""


def draw_here(fn: Callable[..., bytes], /, *args: object, **kwargs: object) -> bytes:
    return fn(*args, **kwargs)


def axis_label(metric: Metric) -> str:
    """'NPS (% promoters − % detractors)', 'CSAT (% of 4-5 answers)', 'Pulse (mean, 1-5)'."""
    scale, kind = metric.scale, metric.headline
    if kind is Headline.NPS and scale:
        return f"{metric.label} (% {scale.bands[2]}s − % {scale.bands[0]}s)"
    if kind is Headline.TOP_BOX and scale:
        return f"{metric.label} (% of {scale.top_min}-{scale.high} answers)"
    if kind is Headline.MEAN and scale:
        return f"{metric.label} (mean, {scale.low}-{scale.high})"
    if kind is Headline.RATE:
        return f"{metric.label} (% of {metric.unit} who {metric.part})"
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
    """A breakdown or a trend has a chart; a single number has none (see ask's headline chart)."""
    return not answer.hidden and bool(answer.rows or answer.points)


def render_chart(answer: KpiAnswer, *, language: str = "en") -> bytes:
    """The PNG bytes of the breakdown or trend chart (ValueError for a single-number answer)."""
    return figure_png(build_figure(answer, language=language))


def new_figure():
    """A matplotlib Figure on the Agg canvas (no pyplot state), in the house size; every chart starts here."""
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)


def figure_png(fig) -> bytes:
    """The PNG bytes of a figure made by new_figure (KPI answers, survey rounds, the symmetry report)."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def build_figure(answer: KpiAnswer, *, language: str = "en"):
    """The matplotlib Figure (Agg canvas, no pyplot state), for render_chart and for tests; its words
    (title, footer, axis names, legend, notes) in `language`."""
    if not has_chart(answer):
        raise ValueError("a single number has no chart")
    fig = new_figure()
    ax = fig.add_subplot()
    if answer.points:
        _trend(ax, answer, list(answer.points))
    elif answer.breakdown in TIME_ROWS:
        _trend(ax, answer, list(answer.rows))
    else:
        _bars(ax, answer)
    ax.set_title(
        translate(chart_title(answer), language, keep=answer.names),
        loc="left",
        fontsize=12,
        fontweight="bold",
    )
    fig.text(
        0.01, 0.01, translate(chart_footer(answer), language, keep=answer.names), fontsize=8.5, color=MUTED
    )
    _translate_words(fig, ax, language, answer.names)
    ax.spines[["top", "right"]].set_visible(False)
    # fixed margins (tight_layout would draw the figure twice): room for the labels on the left
    line = bool(answer.points) or answer.breakdown in TIME_ROWS
    longest = max((len(short_label(r.label)) for r in answer.rows), default=0)
    left = 0.08 if line else min(0.36, 0.075 + 0.0075 * longest)
    fig.subplots_adjust(left=left, right=0.97, top=0.86, bottom=0.2 if line else 0.15)
    return fig


def _translate_words(fig, ax, language: str, names: tuple[str, ...]) -> None:
    if language == "en":
        return
    ax.set_xlabel(translate(ax.get_xlabel(), language))
    ax.set_ylabel(translate(ax.get_ylabel(), language))
    for text in [*ax.texts, *(ax.get_legend().get_texts() if ax.get_legend() else [])]:
        text.set_text(translate(text.get_text(), language))
    ticks = ax.get_xticklabels() if ax.lines else ax.get_yticklabels()
    for tick in ticks:
        tick.set_text(translate(tick.get_text(), language, keep=names))
    if ax.lines:
        ax.set_xticks(ax.get_xticks(), [t.get_text() for t in ticks])


def chart_title(answer: KpiAnswer) -> str:
    if (
        answer.points or answer.breakdown in TIME_ROWS
    ):  # the trend's period label already says "weekly trend over ..."
        period = fmt_range(answer.period.start, answer.period.end)
        unit = answer.trend_unit or answer.breakdown or "week"
        what = f"{metric_name(answer)} {'round by round' if unit == 'round' else f'{unit}ly trend'}"
    else:
        period = answer.period.label
        what = f"{metric_name(answer)} by {BREAKDOWN_NAMES.get(answer.breakdown or '', 'group').lower()}"
    return f"{what} · {period}\nn = {answer.n or 0:,} {answer.metric.unit} · {' · '.join(answer.scope)}"


def chart_footer(answer: KpiAnswer) -> str:
    total = f"{metric_name(answer)} {format_value(answer, answer.value)}"
    if answer.margin is not None:
        total += f" ±{answer.margin:.1f} (95%)"
    small = f"Groups under {answer.min_group_size} {answer.metric.unit} are not shown as numbers. "
    return (
        f"Overall {total}. "
        + (small if answer.min_group_size > 1 else "")
        + (f"Groups of fewer than {answer.min_people} people are hidden. " if answer.min_people else "")
        + f"Dates in {answer.timezone}."
    )


def drawn_rows(answer: KpiAnswer) -> tuple[list, str | None]:
    """The rows drawn (the MAX_BARS largest by n, in the answer's order) and the "others" line, if any."""
    rows = list(answer.rows)
    if len(rows) <= MAX_BARS:
        return rows, None
    largest = sorted(rows, key=lambda r: -(r.n or 0))[:MAX_BARS]
    keep = {id(r) for r in largest}
    rest = [r for r in rows if id(r) not in keep]
    n = sum(r.n or 0 for r in rest)
    return [r for r in rows if id(r) in keep], f"others: {len(rest)} smaller groups, n={n:,} (see the table)"


def _errors(answer: KpiAnswer, rows: list) -> list[list[float]]:
    """Error bars: ±margin, or the asymmetric 95% range where ±margin would read 0 or leave the scale."""
    low, high = value_bounds(answer)
    lower, upper = [], []
    for r in rows:
        if r.value is None:
            lower.append(0.0)
            upper.append(0.0)
        elif r.interval is not None and (r.margin is None or needs_interval(r.value, r.margin, low, high)):
            lower.append(max(0.0, r.value - r.interval[0]))  # 99.999... - 100 must not be a negative bar
            upper.append(max(0.0, r.interval[1] - r.value))
        else:
            lower.append(r.margin or 0.0)
            upper.append(r.margin or 0.0)
    return [lower, upper]


def _bars(ax, answer: KpiAnswer) -> None:
    rows, others = drawn_rows(answer)
    ys = list(range(len(rows)))[::-1]  # first row on top
    values = [r.value if r.value is not None else 0.0 for r in rows]
    errors = _errors(answer, rows)
    colors = [BAR if r.value is not None else "none" for r in rows]
    ax.barh(ys, values, xerr=errors, color=colors, ecolor=MUTED, capsize=3, height=0.6)
    low, high = value_range(answer)
    ax.set_xlim(low, high * 1.32)  # room for "value (n=…)" after the longest bar
    for y, row, up in zip(ys, rows, errors[1], strict=True):
        if row.hidden or row.n is None:
            ax.text(0, y, " hidden", va="center", fontsize=9, color=MUTED)
        elif row.too_small:
            small = f" too small (n={row.n:,})" if row.n else " no responses"
            ax.text(0 if low < 0 else 1, y, small, va="center", fontsize=9, color=MUTED)
        else:
            end = max(row.value or 0.0, 0.0) + up
            ax.text(end + 1.5 * (high - low) / 100, y, f"{format_value(answer, row.value)}  (n={row.n:,})",
                    va="center", fontsize=9)  # fmt: skip
    ax.set_yticks(ys, [short_label(r.label) for r in rows], fontsize=9)
    if others:
        ax.text(0.0, -0.12, others, transform=ax.transAxes, fontsize=8.5, color=MUTED)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.set_xlabel(axis_label(answer.metric))
    ax.set_ylabel(BREAKDOWN_NAMES.get(answer.breakdown or "", "Group"))


def _trend(ax, answer: KpiAnswer, points: list) -> None:
    """A line: trend points, or the rows of a `by week` / `by month` answer (the same fields)."""
    xs = list(range(len(points)))
    ys = [p.value if p.value is not None else math.nan for p in points]
    lower, upper = _errors(answer, points)
    low_band = [y - d if p.value is not None else math.nan for y, d, p in zip(ys, lower, points, strict=True)]
    high_band = [
        y + u if p.value is not None else math.nan for y, u, p in zip(ys, upper, points, strict=True)
    ]
    ax.fill_between(xs, low_band, high_band, color=BAND, alpha=0.45, linewidth=0, label="95% margin")
    ax.plot(xs, ys, color=LINE, marker="o", linewidth=2, label=metric_name(answer))
    for x, p in zip(xs, points, strict=True):
        if p.value is not None:
            ax.annotate(format_value(answer, p.value), (x, p.value), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize=8)  # fmt: skip
    labels = [f"{p.start.day} {MONTH_NAMES[p.start.month - 1][:3]}\n" + _n_text(p) for p in points]
    ax.set_xticks(xs, labels, fontsize=8)
    ax.set_xlim(-0.5, len(points) - 0.5)
    unit = answer.trend_unit or answer.breakdown or "week"
    ax.set_xlabel(
        f"{unit.capitalize()} {'opening' if unit == 'round' else 'starting'} (n = {answer.metric.unit})"
    )
    ax.set_ylabel(axis_label(answer.metric))
    if answer.metric.headline is Headline.NPS:
        ax.axhline(0, color=MUTED, linewidth=0.8)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)


def _n_text(p) -> str:
    if p.hidden or p.n is None:
        return "hidden"
    return f"n={p.n:,}"  # n=0 under an empty week: the line has a gap there
