"""A KpiAnswer as text: what `symmetry ask` prints and the fallback text of the Slack answer.

Slack mrkdwn by default (bold figures, tables in a code block); `markdown=False` gives the same
content for a terminal. A too-small group is written as "too small (n=4)", never as a number; a
hidden one (under the metric's minimum group size) as "hidden", without even its n.
"""

from __future__ import annotations

from bot.services.kpi.answers import UNSET, short_label
from bot.services.kpi.engine import SMALL_SAMPLE, BreakdownRow, KpiAnswer, TrendPoint
from bot.services.kpi.language import translate, translated
from bot.services.kpi.metrics import Headline
from bot.services.kpi.period_words import MONTH_NAMES, fmt_range
from bot.services.kpi.periods import ALL_TIME_START
from bot.services.kpi.stats import needs_interval

SPARKS = "▁▂▃▄▅▆▇█"
GAP = "·"
IMPORTED = ("channel", "reason", "agent", "processing_level")  # dimensions that come from the imported files
BREAKDOWN_NAMES = {
    "channel": "Channel",
    "team": "Team",
    "reason": "Reason",
    "agent": "Agent",
    "processing_level": "Processing level",
    "week": "Week",
    "month": "Month",
}


def metric_name(answer: KpiAnswer) -> str:
    return answer.metric.label


def format_value(answer: KpiAnswer, value: float | None) -> str:
    """'+32.4' (NPS-style), '60.0%' (top box), '3.84/5' (mean), '12' (count)."""
    kind = answer.metric.headline
    if value is None:
        return "–"
    if kind is Headline.NPS:
        return f"{value:+.1f}"
    if kind is Headline.MEAN:
        return f"{value:.2f}/{answer.metric.scale.high}" if answer.metric.scale else f"{value:.2f}"
    return f"{value:,.0f}" if kind is Headline.COUNT else f"{value:.1f}%"


def hidden_note(answer: KpiAnswer) -> str:
    return f"fewer than {answer.min_people} answers: hidden to protect anonymity"


def format_delta(delta: float | None, answer: KpiAnswer | None = None, *, unit: bool = True) -> str:
    """'▲ +4.2 points' (NPS, shares: percentage points), '▼ -0.12' (a mean rating), '= 0.0'."""
    if delta is None:
        return ""
    mean = answer is not None and answer.metric.headline is Headline.MEAN
    digits = 2 if mean else 1
    if round(delta, digits) == 0:
        return f"= {0:.{digits}f}"
    points = (
        " points"
        if unit and answer is not None and not mean and answer.metric.headline is not Headline.COUNT
        else ""
    )
    return f"{'▲' if delta > 0 else '▼'} {delta:+.{digits}f}{points}"


def value_bounds(answer: KpiAnswer) -> tuple[float, float]:
    kind, scale = answer.metric.headline, answer.metric.scale
    if kind is Headline.NPS:
        return -100.0, 100.0
    if kind is Headline.MEAN and scale:
        return float(scale.low), float(scale.high)
    return 0.0, 100.0


def format_spread(
    answer: KpiAnswer, value: float | None, margin: float | None, interval: tuple[float, float] | None
) -> str:
    """'±3.4', or the 95% range '72.2–100.0' where ±margin would read ±0.0 or leave the scale (0%, 100%)."""
    low, high = value_bounds(answer)
    if interval is not None and (margin is None or needs_interval(value, margin, low, high)):
        return f"{interval[0]:.1f}–{interval[1]:.1f}"
    if margin is None:
        return ""
    return f"±{margin:.{3 if answer.metric.headline is Headline.MEAN else 1}f}"


def format_kpi(answer: KpiAnswer, *, markdown: bool = True, language: str = "en") -> str:
    """The answer in English; `language` translates the table's titles and cells before the columns are laid
    out (French figures are longer: 82,4 %); the rest is translated as a whole by language.translate."""
    lines = [_headline(answer, markdown), *_comparison(answer)]
    if answer.n and answer.small_sample and answer.metric.headline is not Headline.RATE:  # a census
        lines.append(f"Small sample: only {answer.n} responses (under {SMALL_SAMPLE}), read this with care.")
    if answer.rows:
        lines += ["", *_table(answer, markdown, language)]
    if answer.points:
        lines += ["", *_trend(answer, markdown)]
    lines.append(f"Dates in {answer.timezone}.")
    return "\n".join(lines)


def _headline(answer: KpiAnswer, markdown: bool) -> str:
    bold = "*" if markdown else ""
    scope = _safe(" · ".join(answer.scope), markdown)  # team names and imported values are text
    unit = answer.metric.unit
    if answer.n is None:
        return f"{bold}{metric_name(answer)}: {hidden_note(answer)}{bold} · {answer.period.label} · {scope}"
    if not answer.n:  # a unit of its own ("star reviews") names the metric already
        what = unit if unit != "responses" else f"{metric_name(answer)} {unit}"
        return f"No {what} in {answer.period.label} · {scope}"
    figure = f"{bold}{metric_name(answer)} {format_value(answer, answer.value)}{bold}"
    spread = format_spread(answer, answer.value, answer.margin, answer.interval)
    if spread:
        figure += f" {spread}" if spread.startswith("±") else f" (95%: {spread})"
    figure += _aside(answer)
    return f"{figure} · {answer.period.label} · {answer.n:,} {unit} · {scope}"


def _aside(answer: KpiAnswer) -> str:
    """What the headline kind shows beside its figure: the mean, the top-box share, the open count."""
    counts, scale = answer.counts, answer.metric.scale
    kind = answer.metric.headline
    if kind is Headline.TOP_BOX and answer.mean is not None and scale:
        return f" (mean {answer.mean:.2f}/{scale.high})"
    if kind is Headline.MEAN and scale and (share := getattr(counts, "share", None)) is not None:
        return f" ({share:.1f}% {scale.top_min}-{scale.high})"
    if kind is Headline.COUNT and answer.metric.done:
        return f" ({getattr(counts, 'open', 0):,} open, {getattr(counts, 'done', 0):,} done)"
    if kind is Headline.RATE:
        return f" ({getattr(counts, 'satisfied', 0):,} of {counts.n:,} {answer.metric.part})".replace(
            " )", ")"
        )
    return ""


def _comparison(answer: KpiAnswer) -> list[str]:
    if answer.period.start <= ALL_TIME_START:  # nothing before all time
        return []
    prev = answer.previous_period
    dates = fmt_range(prev.start, prev.end)
    what = "the previous period"
    if answer.by_round:  # "the round before (opened Mon 9 Nov 2026)" names its own dates
        what, dates = prev.label.split(" (")[0], prev.label.partition("(")[2].rstrip(")")
    if answer.previous_n is None:
        return [f"{_cap(what)} ({dates}): {hidden_note(answer)}."]
    if not answer.previous_n and answer.by_round and dates == "no closed round":
        return ["No closed round before this one to compare with."] if answer.n else []
    if not answer.previous_n:
        return [f"No {answer.metric.unit} in {what} ({dates}) to compare with."] if answer.n else []
    before = f"{format_value(answer, answer.previous_value)}, {answer.previous_n:,} {answer.metric.unit}"
    if answer.delta is None:
        return [f"{_cap(what)} ({dates}): {before}."]
    return [f"{format_delta(answer.delta, answer)} vs {what} ({dates}: {before})."]


def _cap(what: str) -> str:
    """'the previous period' -> 'Previous period'."""
    what = what.removeprefix("the ")
    return what[:1].upper() + what[1:]


def _table(answer: KpiAnswer, markdown: bool, language: str = "en") -> list[str]:
    title = BREAKDOWN_NAMES.get(answer.breakdown or "", "Group")
    change = "" if not any(r.delta is not None for r in answer.rows) else _delta_title(answer)
    head = (title, "n", metric_name(answer), "±", change)
    body: list[tuple[str, ...]] = [tuple(translate(c, language) for c in head)]
    names = answer.names  # once: a property over every row (a breakdown of 1,000 teams)
    for row in answer.rows:  # French figures ("82,4 %") are one character longer: before the layout
        label, *figures = _row_cells(answer, row)  # names only ever stand in the label
        body.append((translate(label, language, keep=names), *(translate(c, language) for c in figures)))
    full = [r for r in body if len(r) == 5]  # the header and rows with a value
    widths = [
        max(len(r[0]) for r in body),
        max(len(r[1]) for r in body),
        *(max(len(r[i]) for r in full) for i in (2, 3)),
    ]
    text = [_line(cells, widths) for cells in body]
    if language != "en":  # the cells are translated: the answer's translation must not read them again
        text = [translated(line) for line in text]
    note = f"Groups under {answer.min_group_size} {answer.metric.unit} are shown as too small."
    if (
        answer.metric.person_column is not None or answer.metric.round_column is not None
    ):  # anonymity rules (bot/services/kpi/anonymous.py)
        note = f"Groups of fewer than {answer.min_people} people are hidden and left out of every total."
    elif any(r.hidden for r in answer.rows):
        note += f" Groups of fewer than {answer.min_people} people are hidden, with the smallest others."
    if [r.label for r in answer.rows] == [UNSET] and answer.breakdown in IMPORTED:
        note = f"No {title.lower()} is recorded for these {answer.metric.unit}: import them with --map {answer.breakdown}=COLUMN."
    heading = f"By {title.lower()}" + (
        " (sorted by value)" if answer.breakdown not in ("week", "month") else ""
    )
    return [heading + ":", *_code(text, markdown), note]


def _delta_title(answer: KpiAnswer) -> str:
    """By week/month: the change vs the row before, in points where the figure is a % or an NPS."""
    return "Δ" if answer.metric.headline in (Headline.MEAN, Headline.COUNT) else "Δ points"


def _row_cells(answer: KpiAnswer, row: BreakdownRow) -> tuple[str, ...]:
    label = short_label(row.label)
    if row.hidden or row.n is None:
        return (label, "", "hidden")
    if row.too_small:
        return (label, f"{row.n:,}", f"too small (n={row.n})" if row.n else "no responses")
    spread = format_spread(answer, row.value, row.margin, row.interval)
    delta = format_delta(row.delta, answer, unit=False)
    return (label, f"{row.n:,}", format_value(answer, row.value), spread, delta)


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    if len(cells) == 3:  # label, n, "too small (n=4)"
        return f"{cells[0]:<{widths[0]}}  {cells[1]:>{widths[1]}}  {cells[2]}".rstrip()
    label, n, value, margin, delta = cells
    return f"{label:<{widths[0]}}  {n:>{widths[1]}}  {value:>{widths[2]}}  {margin:<{widths[3]}}  {delta}".rstrip()


def _code(lines: list[str], markdown: bool) -> list[str]:
    """Padded first, escaped after: `&lt;` shows as one character, the columns stay aligned."""
    return ["```", *(_safe(line, markdown) for line in lines), "```"] if markdown else lines


def _safe(text: str, markdown: bool) -> str:
    """Slack's three control characters, escaped in mrkdwn (no <!channel>, mention or link)."""
    if not markdown:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sparkline(values: list[float | None]) -> str:
    """'▁▃▅█·▆': one character per point, scaled between the lowest and highest value; gaps as '·'."""
    known = [v for v in values if v is not None]
    if not known:
        return GAP * len(values)
    low, high = min(known), max(known)
    span = high - low
    chars = []
    for v in values:
        if v is None:
            chars.append(GAP)
        else:
            chars.append(SPARKS[round((v - low) / span * (len(SPARKS) - 1)) if span else len(SPARKS) // 2])
    return "".join(chars)


def _trend(answer: KpiAnswer, markdown: bool) -> list[str]:
    points = answer.points
    unit = answer.trend_unit or "week"
    spark = f"{_short(points[0])} {sparkline([p.value for p in points])} {_short(points[-1])}"
    known = [p for p in points if p.value is not None]
    summary = ""
    if known:
        low = min(known, key=lambda p: p.value or 0.0)
        high = max(known, key=lambda p: p.value or 0.0)
        summary = (
            f" · low {format_value(answer, low.value)} ({_short(low)}),"
            f" high {format_value(answer, high.value)} ({_short(high)})"
        )
    rows = [(p.label, "" if p.n is None else f"{p.n:,}", _point_value(answer, p)) for p in points]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    table = [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c}".rstrip() for a, b, c in rows]
    title = "Round by round" if unit == "round" else f"{unit.capitalize()}ly trend"
    return [
        f"{title}: {spark}{summary}",
        *_code(table, markdown),
        f"{GAP} = no {answer.metric.unit}"
        + (f" or under {answer.min_group_size}" if answer.min_group_size > 1 else "")
        + (f"; hidden: fewer than {answer.min_people} people." if any(p.hidden for p in points) else "."),
    ]


def _point_value(answer: KpiAnswer, point: TrendPoint) -> str:
    if point.hidden or point.n is None:
        return "hidden"
    if point.too_small:
        return f"too small (n={point.n})" if point.n else "no responses"
    return format_value(answer, point.value)


def _short(point: TrendPoint) -> str:
    return f"{point.start.day} {MONTH_NAMES[point.start.month - 1][:3]}"
