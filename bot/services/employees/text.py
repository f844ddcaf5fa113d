"""Employee figures as text (Slack mrkdwn or plain for the terminal). Hidden means hidden: below K
the text says so and never gives the number, not even how many answers there were."""

from __future__ import annotations

from datetime import timedelta

from bot.services.employees.figures import EmployeeAnswer, Figure
from bot.services.employees.questions import EmployeeQuery
from bot.services.kpi.period_words import fmt_range

NAMES = {"pulse": "Pulse", "stories": "Best-failure stories", "suggestions": "Suggestions"}


def hidden(k: int) -> str:
    return f"fewer than {k} answers: hidden to protect anonymity"


def figure_text(source: str, f: Figure, k: int) -> str:
    if not f.shown:
        return hidden(k)
    if source == "pulse":
        return f"{f.mean:.1f} / 5 ({f.n} answers)"
    return f"{f.n} {'stories' if source == 'stories' else 'suggestions'}"


def _row(source: str, f: Figure, k: int, b: str) -> str:
    text = f"• {f.label}: {b}{figure_text(source, f, k)}{b}" if f.shown else f"• {f.label}: {hidden(k)}"
    if f.shown and f.first and f.last and f.first != f.last:
        text += f" (weeks pooled: {fmt_range(f.first, f.last + timedelta(days=6))})"
    if f.needed:
        text += f" — {f.needed} more {'person' if f.needed == 1 else 'people'} needed before the latest weeks can be shown"
    return text


def format_employee(query: EmployeeQuery, answer: EmployeeAnswer, *, markdown: bool = True) -> str:
    b = "*" if markdown else ""
    scope = f"team {query.team}" if query.team else "your teams"
    weeks = fmt_range(answer.first_week, answer.end)
    lines = [
        f"{b}{NAMES[answer.source]}{b} · {scope} · {weeks}: {b}{figure_text(answer.source, answer.total, answer.k)}{b}"
    ]
    if answer.moved:
        lines.append(
            f"_{answer.moved} (asked: {query.label})_"
            if markdown
            else f"({answer.moved}; asked: {query.label})"
        )
    lines += [_row(answer.source, r, answer.k, b) for r in answer.rows]
    for p in answer.points:
        label = fmt_range(p.first, p.first + timedelta(days=6)) if p.first else p.label
        lines.append(f"• {label}: {figure_text(answer.source, p, answer.k)}")
    if answer.left_out:
        lines.append(
            f"{answer.left_out} group(s) left out of every figure above: answered over weeks that straddle the "
            f"period, or by fewer than {answer.k} people (so no figure can be subtracted from another)."
        )
    lines.append(f"Figures come by whole finished weeks, from at least {answer.k} people each.")
    return "\n".join(lines)
