"""Block Kit for the App Home tab."""

from __future__ import annotations

from bot import scales
from bot.services.home import HomeSummary
from bot.slack.ids import DigestAction
from bot.slack.text import excerpt


def build_home_view(summary: HomeSummary) -> dict:
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your verbatims"}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"{len(summary.mine)} in your hands · "
                    f"{summary.treated_by_me_total} treated so far",
                }
            ],
        },
        {"type": "divider"},
    ]
    if not summary.mine:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "Nothing in your hands. Claim one from your team's digest with *I'll take it*.",
                },
            }
        )
    for v in summary.mine:
        score = f"{v.score}/{scales.scale(v.scale).high}" if v.score is not None else "no score"
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{v.priority}* · {score}\n{excerpt(v.text, 300, 3)}"},
                "accessory": {
                    "type": "button",
                    "action_id": DigestAction.TREAT,
                    "value": str(v.id),
                    "text": {"type": "plain_text", "text": "Treated"},
                },
            }
        )
    return {"type": "home", "blocks": blocks[:100]}
