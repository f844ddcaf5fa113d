"""Rendered messages read like Slack shows them: no raw mrkdwn markers, entities or JSON."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox import SlackStandIn, render_channel, render_message

DIGEST = {
    "text": "fallback",
    "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "NPS last week: 41"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*Detractors* up _12%_ &amp; <https://x.io/r|see report> for <@U0AGENT> &lt;3",
            },
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Priority*\nHigh"},
                {"type": "mrkdwn", "text": "*Queue*\n<#C0SUPPORT|support>"},
            ],
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Source: Zendesk"}]},
        {"type": "image", "image_url": "https://x.io/chart.png", "alt_text": "NPS trend"},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "take",
                    "text": {"type": "plain_text", "text": "I'll take it"},
                },
                {"type": "button", "action_id": "skip", "text": {"type": "plain_text", "text": "Skip"}},
            ],
        },
    ],
}


def test_render_message_turns_block_kit_into_readable_text() -> None:
    lines = render_message(DIGEST, width=60, users={"U0AGENT": "alex"}).splitlines()
    assert lines[0] == "NPS last week: 41"
    assert "Detractors up 12% & see report (https://x.io/r) for @alex <3" in lines
    assert any(line.startswith("Priority") and "Queue" in line for line in lines)
    assert "#support" in "\n".join(lines)
    assert "─" * 60 in lines
    assert "Source: Zendesk" in lines and "[image: NPS trend]" in lines
    assert "[ I'll take it ]  [ Skip ]" in lines
    assert "fallback" not in lines  # blocks win over the notification text


def test_text_only_message_is_wrapped_to_width() -> None:
    rendered = render_message({"text": "word " * 40}, width=30)
    assert all(len(line) <= 30 for line in rendered.splitlines()) and len(rendered.splitlines()) > 1


def test_quotes_and_bullets_keep_their_hanging_indent_when_wrapped() -> None:
    quote = render_message({"text": "&gt; " + "refund me now please " * 5}, width=40).splitlines()
    assert len(quote) > 1 and all(line.startswith("> ") for line in quote)
    bullet = render_message({"text": "• " + "late delivery again " * 4}, width=30).splitlines()
    assert bullet[0].startswith("• ") and all(line.startswith("  ") for line in bullet[1:])


def test_ansi_mode_keeps_bold_as_a_terminal_style() -> None:
    assert render_message({"text": "*bold*"}, ansi=True) == "\033[1mbold\033[22m"
    assert render_message({"text": "snake_case_name and 2*3*4"}) == "snake_case_name and 2*3*4"


def test_render_channel_shows_threads_files_and_ephemerals(slack: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0SUPPORT", text="Digest is *ready*")["ts"]
    client.chat_postMessage(channel="C0SUPPORT", text="Page 2", thread_ts=parent)
    client.files_upload_v2(
        channel="C0SUPPORT", content="a,b", filename="nps.csv", title="NPS export", thread_ts=parent
    )
    client.chat_postEphemeral(channel="C0SUPPORT", user="U0AGENT", text="Only you")
    rendered = render_channel(slack, "C0SUPPORT")
    assert rendered.startswith("#support\n")
    assert "  Digest is ready" in rendered and "↳ 2 replies" in rendered
    assert "      Page 2" in rendered  # replies are indented under their parent
    assert "[file] NPS export (nps.csv, 3 bytes)" in rendered
    assert "(only visible to @agent)" in rendered and "Only you" in rendered
