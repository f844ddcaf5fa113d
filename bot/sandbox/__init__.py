"""The local Slack stand-in: Web API server, signed-request sender, terminal renderer."""

from bot.sandbox.render import render_channel, render_message
from bot.sandbox.sender import SlackSender
from bot.sandbox.standin import SlackStandIn
from bot.sandbox.state import RecordedCall, ResponsePost, StoredFile

__all__ = [
    "RecordedCall",
    "ResponsePost",
    "SlackSender",
    "SlackStandIn",
    "StoredFile",
    "render_channel",
    "render_message",
]
