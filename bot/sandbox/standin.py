"""A local stand-in of the Slack Web API, response_urls and file uploads, on 127.0.0.1.

    with SlackStandIn() as slack:
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        client.chat_postMessage(channel="C0SUPPORT", text="hi")
        assert slack.messages("C0SUPPORT")[0]["text"] == "hi"

Answers like Slack: HTTP 200 with `{"ok": false, "error": ...}` for API errors, 429 + Retry-After
when rate limited (injected or enforced), Block Kit limits rejected with Slack's error names.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox import hooks
from bot.sandbox.args import parse_request_args
from bot.sandbox.faults import Faults
from bot.sandbox.inspection import Inspection
from bot.sandbox.methods import METHODS, refusal
from bot.sandbox.state import ApiError, Channel, RecordedCall, ResponseUrl, Trigger, User, Workspace

logger = logging.getLogger(__name__)
Raw = tuple[int, bytes, dict[str, str]]  # an HTTP answer: status, body, headers
_RAW_ERRORS = {429: "ratelimited"}
SERVER_ERROR_PAGE = b"<html><body><h1>500 Internal Server Error</h1></body></html>"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - the http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        try:
            self.server.standin._serve(self, self.rfile.read(length))
        except (BrokenPipeError, ConnectionResetError):  # the caller went away (killed): like Slack, carry on
            return
        except Exception:  # a bug in the stand-in: say so loudly, answer like a broken server
            logger.exception("the Slack stand-in failed on %s", self.path)
            self.send_error(500)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, standin: SlackStandIn) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.standin = standin


class SlackStandIn(Inspection):
    def __init__(
        self,
        bot_token: str = "xoxb-sandbox",
        team_id: str = "T0SANDBOX",
        bot_user_id: str = "U0BOT",
        *,
        bot_id: str = "B0SANDBOX",
        app_id: str = "A0SANDBOX",
        scopes: Iterable[str] | None = None,
        enforce_rate_limits: bool = False,
        first_ts: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        seed: bool = True,
    ) -> None:
        """`scopes=None` grants every scope; a list makes calls outside it answer `missing_scope`.
        `seed` adds the agent U0AGENT and the public channel C0SUPPORT (#support) the sender defaults to.
        `first_ts` makes message timestamps deterministic ("1700000000.000100", then +100 µs)."""
        self.bot_token = bot_token
        self._lock = threading.RLock()
        self._ws = Workspace(
            team_id=team_id,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            clock=clock,
            first_ts=first_ts,
        )
        self._ws.scopes = set(scopes) if scopes is not None else None
        self._faults = Faults(clock, enforce_rate_limits=enforce_rate_limits)
        self._calls: list[RecordedCall] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.add_user(bot_user_id, "symmetry", real_name="Symmetry", is_bot=True)
        if seed:
            self.add_user("U0AGENT", "agent", real_name="Alex Agent")
            self.add_channel("C0SUPPORT", "support")

    # -- life cycle -------------------------------------------------------------------------------
    def start(self) -> SlackStandIn:
        if self._server is None:
            self._server = _Server(self)
            self._ws.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="slack-standin",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            if self._thread is not None:
                self._thread.join()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if not self._ws.base_url:
            raise RuntimeError("SlackStandIn is not started")
        return self._ws.base_url

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    @property
    def team_id(self) -> str:
        return self._ws.team_id

    @property
    def bot_user_id(self) -> str:
        return self._ws.bot_user_id

    @property
    def app_id(self) -> str:
        return self._ws.app_id

    # -- workspace directory ----------------------------------------------------------------------
    def add_channel(
        self,
        id: str,
        name: str,
        *,
        members: Iterable[str] | None = None,  # noqa: A002
        is_private: bool = False,
        bot_is_member: bool = True,
    ) -> None:
        """`members=None`: everyone may see it. A channel without the bot answers `not_in_channel`
        (public, when `chat:write.public` is not granted) or `channel_not_found` (private)."""
        with self._lock:
            self._ws.channels[id] = Channel(
                id=id,
                name=name.lstrip("#"),
                is_private=is_private,
                members=set(members) if members is not None else None,
                bot_is_member=bot_is_member,
            )

    def add_user(
        self,
        id: str,
        name: str,
        real_name: str | None = None,
        tz: str = "Europe/Paris",  # noqa: A002
        is_admin: bool = False,
        is_owner: bool = False,
        *,
        is_bot: bool = False,
        deleted: bool = False,
        locale: str = "en-US",
        email: str | None = None,
    ) -> None:
        with self._lock:
            self._ws.users[id] = User(
                email=email,
                id=id,
                name=name,
                real_name=real_name,
                tz=tz,
                is_admin=is_admin,
                is_owner=is_owner,
                is_bot=is_bot,
                deleted=deleted,
                locale=locale,
            )

    def add_user_message(self, channel: str, user_id: str, text: str, *, thread_ts: str | None = None) -> str:
        """A message a person wrote (e.g. the one behind an app_mention); returns its ts."""
        with self._lock:
            channel_id = self._ws.channel(channel).id
            message = self._ws.new_message(
                channel_id, text=text, blocks=[], user=user_id, thread_ts=thread_ts
            )
            return str(message["ts"])

    def dm_channel_id(self, user_id: str) -> str:
        """The bot's DM with this user (what conversations.open answers)."""
        with self._lock:
            return self._ws.dm_channel(user_id).id

    # -- interactions (used by SlackSender) -------------------------------------------------------
    def issue_trigger_id(self, user_id: str) -> str:
        trigger_id = f"{int(time.time())}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        self.register_trigger(trigger_id, user_id)
        return trigger_id

    def register_trigger(self, trigger_id: str, user_id: str, *, issued_at: float | None = None) -> None:
        """Make `trigger_id` usable once by views.open/push for 3 s from `issued_at` (clock time)."""
        with self._lock:
            issued = self._ws.clock() if issued_at is None else issued_at
            self._ws.triggers[trigger_id] = Trigger(id=trigger_id, user_id=user_id, issued_at=issued)

    def new_response_url(
        self,
        *,
        channel_id: str | None = None,
        user_id: str | None = None,
        message_ts: str | None = None,
        ephemeral_original: bool = False,
    ) -> str:
        """A response_url: 5 uses within 30 minutes, ephemeral by default, `replace_original` and
        `delete_original` act on `message_ts` (an ephemeral one when `ephemeral_original`)."""
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._ws.response_urls[token] = ResponseUrl(
                token=token,
                channel_id=channel_id,
                user_id=user_id,
                message_ts=message_ts,
                ephemeral_original=ephemeral_original,
                issued_at=self._ws.clock(),
            )
        return f"{self.base_url}/hooks/{self._ws.team_id}/{token}"

    def record_command_ack(self, channel_id: str, user_id: str, body: bytes, content_type: str) -> None:
        with self._lock:
            hooks.record_command_ack(self._ws, channel_id, user_id, body, content_type)

    # -- faults -----------------------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls to `method` fail with `status` and store nothing. 429 carries
        Retry-After and `{"ok": false, "error": "ratelimited"}`; 5xx is a plain server error page.
        `method` is a Web API method, "response_url" or "upload_url"."""
        self._faults.fail_next(method, status=status, times=times, retry_after=retry_after)

    def clear_faults(self) -> None:
        """The storm is over: no more injected failures, latencies or rate limits waiting."""
        self._faults.clear()

    def set_latency(self, method: str, seconds: float) -> None:
        self._faults.set_latency(method, seconds)

    def rate_limit(self, method: str, per_minute: int) -> None:
        self._faults.rate_limit(method, per_minute=per_minute)

    def sustained_rate(self, method: str, per_second: float, burst: float = 1.0) -> None:
        """Limit `method` workspace-wide to `per_second` (bursts up to `burst`): 429 + Retry-After."""
        self._faults.sustained_rate(method, per_second=per_second, burst=burst)

    def inject_errors(
        self, method: str, share: float, *, statuses: tuple[int, ...] = (429, 500), seed: int = 0
    ) -> None:
        """A random `share` of calls to `method` fail with one of `statuses` (seeded), storing nothing."""
        import random

        from bot.sandbox.traffic import ErrorRate

        rate = ErrorRate(share=share, statuses=statuses, rng=random.Random(seed)) if share > 0 else None
        self._faults.error_rate(method, rate)

    # -- HTTP -------------------------------------------------------------------------------------
    def _serve(self, handler: _Handler, body: bytes) -> None:
        parts = urlsplit(handler.path)
        segments = parts.path.strip("/").split("/")
        content_type = handler.headers.get("Content-Type") or ""
        if segments[0] == "api" and len(segments) == 2:
            self._reply(handler, *self._web_api(segments[1], handler, body, content_type, parts.query))
        elif segments[:2] == ["upload", "v1"] and len(segments) == 3:
            self._reply(handler, *self._upload(segments[2], body))
        elif segments[0] == "hooks" and len(segments) == 3:
            self._reply(handler, *self._respond(segments[2], body))
        else:
            self._reply(handler, 404, b"Not Found", {"Content-Type": "text/plain"})

    def _injected(self, method: str) -> Raw | None:
        if (delay := self._faults.latency(method)) > 0:
            time.sleep(delay)
        failure = self._faults.take_failure(method)
        if failure is None:
            return None
        if failure.status == 429:
            return _too_many(failure.retry_after)
        return failure.status, SERVER_ERROR_PAGE, {"Content-Type": "text/html"}

    def _web_api(self, method: str, handler: _Handler, body: bytes, content_type: str, query: str) -> Raw:
        outcome: dict[str, Any] | Raw
        try:
            args = parse_request_args(content_type, body, query)
        except ApiError as error:
            args, outcome = {}, error.body()
        else:
            outcome = self._call(method, args, handler.headers.get("Authorization") or "")
        recorded = {k: v for k, v in args.items() if k != "token"}
        if isinstance(outcome, tuple):  # an injected failure or a rate limit: nothing happened
            status = outcome[0]
            self._record(
                method, recorded, {"ok": False, "error": _RAW_ERRORS.get(status, "server_error")}, status
            )
            return outcome
        self._record(method, recorded, outcome, 200)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self._ws.scopes is not None:
            headers["X-OAuth-Scopes"] = ",".join(sorted(self._ws.scopes))
        return 200, json.dumps(outcome).encode(), headers

    def _call(self, method: str, args: dict[str, Any], authorization: str) -> dict[str, Any] | Raw:
        if (injected := self._injected(method)) is not None:
            return injected
        if (
            refused := refusal(self._ws, method, args, authorization=authorization, bot_token=self.bot_token)
        ) is not None:
            return refused
        if (wait := self._faults.retry_after(method, channel=str(args.get("channel") or ""))) is not None:
            return _too_many(wait)
        with self._lock:
            try:
                return METHODS[method](self._ws, args)
            except ApiError as error:
                return error.body()

    def _upload(self, file_id: str, body: bytes) -> Raw:
        if (injected := self._injected("upload_url")) is not None:
            return injected
        with self._lock:
            stored = self._ws.files.get(file_id)
            if stored is None or stored.completed:
                return 404, b"Not Found", {"Content-Type": "text/plain"}
            stored.content = body
        return 200, f"OK - {len(body)}".encode(), {"Content-Type": "text/plain"}

    def _respond(self, token: str, body: bytes) -> Raw:
        if (injected := self._injected("response_url")) is not None:
            return injected
        with self._lock:
            url = f"{self.base_url}/hooks/{self._ws.team_id}/{token}"
            status, answer = hooks.post_to_response_url(self._ws, token, url, body)
        return status, json.dumps(answer).encode(), {"Content-Type": "application/json; charset=utf-8"}

    def _record(self, method: str, args: dict[str, Any], response: dict[str, Any], status: int) -> None:
        with self._lock:
            self._calls.append(RecordedCall(method=method, args=args, response=response, http_status=status))

    @staticmethod
    def _reply(handler: _Handler, status: int, body: bytes, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)


def _too_many(retry_after: int) -> Raw:
    body = json.dumps({"ok": False, "error": "ratelimited"}).encode()
    return 429, body, {"Content-Type": "application/json; charset=utf-8", "Retry-After": str(retry_after)}
