"""Start the bot for real: Socket Mode or HTTP (uvicorn), with the scheduler running inside."""

from __future__ import annotations

import logging
import sys

from bot.config import Settings, load_settings
from bot.entry.deps import Deps, build_deps

log = logging.getLogger("symmetry")


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _prepare(settings: Settings | None = None):
    from bot.entry.app import build_app
    from bot.entry.scheduler import build_scheduler
    from bot.slack.client import make_web_client

    settings = settings or load_settings()
    settings.require_slack()
    if settings.SYMMETRY_EMPLOYEE_FEATURES:
        settings.require_secret()
    setup_logging(settings.SYMMETRY_LOG_LEVEL)
    deps: Deps = build_deps(settings)
    client = make_web_client(settings)
    app = build_app(deps, client=client)
    return deps, client, app, build_scheduler(deps, client=client)


def serve_http(*, port: int, host: str) -> None:
    import uvicorn

    from bot.entry.server import build_asgi

    deps, _client, app, scheduler = _prepare()
    scheduler.start()
    log.info("Symmetry listening on http://%s:%s/slack/events (store: %s)", host, port, _safe_url(deps))
    try:
        uvicorn.run(build_asgi(app, deps), host=host, port=port, log_level="warning")
    finally:
        scheduler.shutdown(wait=False)


def run_bot(*, port: int, host: str) -> None:
    settings = load_settings()
    if settings.SLACK_APP_TOKEN is None:
        serve_http(port=port, host=host)
        return
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    deps, _client, app, scheduler = _prepare(settings)
    scheduler.start()
    log.info("Symmetry connecting in Socket Mode (store: %s)", _safe_url(deps))
    try:
        SocketModeHandler(app, settings.SLACK_APP_TOKEN.get_secret_value()).start()
    finally:
        scheduler.shutdown(wait=False)


def _safe_url(deps: Deps) -> str:
    from sqlalchemy.engine import make_url

    from bot.db import normalise_url

    return make_url(normalise_url(deps.settings.DATABASE_URL)).render_as_string(hide_password=True)
