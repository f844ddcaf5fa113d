"""The real bot, served over real HTTP, against the local Slack stand-in.

Used by the end-to-end tests, the benchmarks and `symmetry demo`: settings point the WebClient at the
stand-in, the Starlette app runs under uvicorn in a background thread, and a SlackSender sends
signed, Slack-shaped requests to it exactly as Slack would.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from slack_sdk import WebClient

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.entry.app import build_app
from bot.entry.deps import Deps, build_deps
from bot.entry.server import build_asgi
from bot.sandbox.sender import SlackSender
from bot.sandbox.standin import SlackStandIn
from bot.slack.client import make_web_client

SIGNING_SECRET = "sandbox-signing-secret"
BOT_TOKEN = "xoxb-sandbox"
SANDBOX_SECRET_KEY = "sandbox-secret-key-for-anonymous-answers-0123"


def sandbox_settings(database_url: str, api_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": None,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "SYMMETRY_INGEST_TOKEN": "sandbox-ingest-token",
        "SYMMETRY_SECRET_KEY": SANDBOX_SECRET_KEY,
        "SYMMETRY_RELAY_DELAY_MINUTES": 0,
        # in-process tests answer on threads (their store and clock are this process's); real `serve`
        # processes (bot/sandbox/replicas.py) answer in a child process, the default
        "SYMMETRY_ANSWER_PROCESS": False,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)


@dataclass
class BotHarness:
    """`with BotHarness.start(db_url) as h:` -> h.standin, h.sender, h.deps, h.client, h.url."""

    standin: SlackStandIn
    deps: Deps
    url: str = ""
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        database_url: str,
        *,
        clock: Clock | None = None,
        deps: Deps | None = None,
        standin: SlackStandIn | None = None,
        **settings: object,
    ) -> BotHarness:
        standin = standin or SlackStandIn(bot_token=BOT_TOKEN).start()
        if deps is None:
            deps = build_deps(
                sandbox_settings(database_url, standin.api_url, **settings), clock=clock or SystemClock()
            )
        harness = cls(standin=standin, deps=deps)
        harness._serve()
        return harness

    @property
    def client(self) -> WebClient:
        if "client" not in self.extra:
            self.extra["client"] = make_web_client(self.deps.settings, backoff=0.05)
        return self.extra["client"]

    @property
    def sender(self) -> SlackSender:
        if "sender" not in self.extra:
            self.extra["sender"] = SlackSender(
                f"{self.url}/slack/events", SIGNING_SECRET, standin=self.standin
            )
        return self.extra["sender"]

    def _serve(self) -> None:
        app = build_app(self.deps, client=self.client)
        self._asgi = build_asgi(app, self.deps)
        config = uvicorn.Config(self._asgi, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="symmetry-http", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the bot's HTTP server did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        """Stop taking requests, let the answers already accepted finish against the stand-in (so none
        outlives the harness holding a database connection), then stop the stand-in."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if "answers" in vars(self.deps):  # the answer queue was started
            self.deps.answers.stop()
        if getattr(self, "_asgi", None) is not None:
            self._asgi.state.replays.close()  # the replay guard's own connections (Postgres)
        self.standin.stop()

    def __enter__(self) -> BotHarness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
