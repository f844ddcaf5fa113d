"""Block Kit for /pulse: the modal, its confirmation, the thank-you and the help."""

from __future__ import annotations

import json

from bot.services.employees.pulse import FACES, LABELS, MAX_COMMENT, HomePulse, PulseSaved, sparkline
from bot.services.kpi.period_words import fmt_range

CALLBACK = "pulse_submit"
SCORE, COMMENT, PRIVACY = "pulse_score", "pulse_comment", "pulse_privacy"
ANONYMOUS, SIGNED = "anonymous", "signed"
PROMISE = (
    "*Anonymous* (the default): stored without your name; your team's figure appears only when at "
    "least K people answered, by whole weeks, and nobody can subtract you out."
)


def _text(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _option(value: str, text: str) -> dict:
    return {"text": _text(text), "value": value}


def build_pulse_modal(*, channel_id: str) -> dict:
    scores = [_option(str(s), f"{FACES[s]}  {s} · {LABELS[s]}") for s in sorted(FACES)]
    privacy = [_option(ANONYMOUS, "Anonymous"), _option(SIGNED, "Signed with my name")]
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "title": _text("Pulse"),
        "submit": _text("Send"),
        "close": _text("Cancel"),
        "private_metadata": json.dumps({"channel": channel_id}),
        "blocks": [
            {
                "type": "input",
                "block_id": SCORE,
                "label": _text("How do you feel about work today?"),
                "element": {"type": "radio_buttons", "action_id": SCORE, "options": scores},
            },
            {
                "type": "input",
                "block_id": COMMENT,
                "optional": True,
                "label": _text("Anything to add? (optional)"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": COMMENT,
                    "multiline": True,
                    "max_length": MAX_COMMENT,
                },
            },
            {
                "type": "input",
                "block_id": PRIVACY,
                "label": _text("Send it"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": PRIVACY,
                    "options": privacy,
                    "initial_option": privacy[0],
                },
            },
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": PROMISE},
                    {"type": "mrkdwn", "text": "One answer a day: answering again today replaces today's."},
                ],
            },
        ],
    }


def thanks_text(saved: PulseSaved) -> str:
    first = "Today's answer replaced" if saved.replaced else "Thanks, noted"
    how = "signed" if saved.signed else "anonymously"
    return (
        f"{first} ({FACES[saved.score]} {saved.score}/5, {how}). "
        f"Your last 8 weeks: `{saved.sparkline}` (only you see this)."
    )


def build_pulse_confirmation(saved: PulseSaved) -> dict:
    """The modal after a valid submit (response_action: update)."""
    return {
        "type": "modal",
        "callback_id": f"{CALLBACK}_done",
        "title": _text("Pulse"),
        "close": _text("Close"),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": thanks_text(saved)}}],
    }


HELP = (
    "*/pulse* — how do you feel about work today, 1 to 5.\n"
    "• `/pulse` opens the form (score, optional comment, anonymous or signed)\n"
    "• `/pulse 4` answers at once, anonymously; `/pulse 4 long day` adds a comment\n"
    "• one answer a day: answering again the same day replaces it\n"
    "*Your anonymity:* anonymous answers are stored without your name, dated to the day; a team's "
    "figure appears only when at least K people answered (K = {k}), by whole weeks, and no two "
    "figures can be subtracted to single anyone out. Details: docs/ANONYMITY.md."
)


def build_pulse_home_blocks(home: HomePulse) -> list[dict]:
    """The pulse part of the App Home: own trend (only the person sees it), the team's when shown."""
    own = f"Your last 8 weeks: `{sparkline(home.weeks)}`" + (
        "" if home.answered_today else " · not answered today: `/pulse`"
    )
    lines = [own]
    if home.team and home.team_mean is not None and home.team_first and home.team_last:
        lines.append(
            f"Team {home.team}, {fmt_range(home.team_first, home.team_last)}: *{home.team_mean:.2f}/5*"
        )
    elif home.team:
        lines.append(f"Team {home.team}: fewer than {home.k} answers: hidden to protect anonymity")
    return [
        {"type": "header", "text": _text("Your pulse")},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
        {"type": "divider"},
    ]
