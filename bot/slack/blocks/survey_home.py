"""Block Kit for the admins' "Survey rounds" section of the App Home: a line per team, three buttons
(Open a round now, Close round now, Status), with a confirmation dialog before opening or closing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.employees.survey_home import HomeRound, SurveyHome, answered_text
from bot.slack.ids import SurveyHomeAction
from bot.slack.text import escape


def build_survey_home_blocks(
    home: SurveyHome, *, note: str | None = None, status: tuple[int, list[str]] | None = None
) -> list[dict]:
    """`note`: what the last click did; `status`: (team id, the `survey status` lines of that team)."""
    blocks: list[dict] = [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": "Survey rounds"}},
        _context("Admins only. Counts, never names: fewer than K answers show no count."),
    ]
    if note:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": escape(note)[:2900]}})
    if not home.teams:
        blocks.append(_context("No team yet: `symmetry teams add NAME --channel C…`"))
    for row in home.teams:
        blocks += [_line(row, ZoneInfo(row.timezone)), _buttons(row)]
        if status is not None and status[0] == row.team_id:
            blocks.append(_context("\n".join(status[1])[:2900] or "no round yet"))
    if home.more:
        blocks.append(_context(f"{home.more} more teams: `/symmetry survey status`"))
    return blocks


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _line(row: HomeRound, tz: ZoneInfo) -> dict:
    r = row.last
    if r is None:
        state = "no round yet"
    elif r.status == "skipped":
        state = f"round {r.number} skipped: {r.skip_reason or 'no members'}"
    else:
        state = f"round {r.number} {r.status} · {answered_text(r)}"
        if r.status == "open":
            state += f" · closes {_when(r.closes_at, tz)}"
    text = f"*{escape(row.team)}* · {state}\n{escape(row.schedule)}"
    return {
        "type": "section",
        "block_id": f"survey_home_{row.team_id}",
        "text": {"type": "mrkdwn", "text": text},
    }


def _when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M} ({tz.key})"


def _buttons(row: HomeRound) -> dict:
    is_open = row.last is not None and row.last.status == "open"
    team = row.team[:60]
    open_confirm = _confirm("Open a round now?", f"Every member of {team} gets the survey DM now.", "Open it")
    close_confirm = _confirm(
        "Close the round now?", f"{team}'s results are posted now; no answer after.", "Close it"
    )
    buttons = [
        _button(SurveyHomeAction.STATUS, "Status", row.team_id),
        _button(SurveyHomeAction.CLOSE, "Close round now", row.team_id, confirm=close_confirm, style="danger")
        if is_open
        else _button(
            SurveyHomeAction.OPEN, "Open a round now", row.team_id, confirm=open_confirm, style="primary"
        ),
    ]
    return {"type": "actions", "block_id": f"survey_home_actions_{row.team_id}", "elements": buttons}


def _button(
    action: str, label: str, team_id: int, *, confirm: dict | None = None, style: str | None = None
) -> dict:
    button: dict = {
        "type": "button",
        "action_id": action,
        "value": str(team_id),
        "text": {"type": "plain_text", "text": label},
    }
    if confirm:
        button["confirm"] = confirm
    if style:
        button["style"] = style
    return button


def _confirm(title: str, text: str, yes: str) -> dict:
    return {
        "title": {"type": "plain_text", "text": title},
        "text": {"type": "mrkdwn", "text": escape(text)},
        "confirm": {"type": "plain_text", "text": yes},
        "deny": {"type": "plain_text", "text": "Cancel"},
    }
