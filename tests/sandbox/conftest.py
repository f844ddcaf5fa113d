"""Fixtures: a started stand-in, a WebClient on it, and a real Bolt app served over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.sandbox import SlackSender, SlackStandIn

SIGNING_SECRET = "sandbox-signing-secret"


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


class _BoltHandler(BaseHTTPRequestHandler):
    server: _BoltServer

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        headers: dict[str, str | Sequence[str]] = {k.lower(): [v] for k, v in self.headers.items()}
        response = self.server.app.dispatch(BoltRequest(body=body, headers=headers))
        payload = response.body.encode()
        self.send_response(response.status)
        for name, values in response.headers.items():
            for value in values:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class _BoltServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: App) -> None:
        super().__init__(("127.0.0.1", 0), _BoltHandler)
        self.app = app


@pytest.fixture
def bolt(slack: SlackStandIn, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[App, SlackSender]]:
    """A Bolt app wired to the stand-in, served on 127.0.0.1, and a sender pointed at it."""
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    app = App(client=WebClient(token=slack.bot_token, base_url=slack.api_url), signing_secret=SIGNING_SECRET)
    server = _BoltServer(app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    with SlackSender(url, SIGNING_SECRET, standin=slack) as sender:
        yield app, sender
    server.shutdown()
    server.server_close()
