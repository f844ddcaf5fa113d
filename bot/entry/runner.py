"""Start the bot for real: Socket Mode or HTTP (uvicorn), with the scheduler running inside."""

from __future__ import annotations

import logging
import signal
import sys

from bot.config import Settings, load_settings
from bot.entry.deps import Deps, build_deps

log = logging.getLogger("symmetry")


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    for library in ("slack_bolt", "slack_sdk"):  # at DEBUG they log request and response bodies
        logging.getLogger(library).setLevel(max(logging.INFO, logging.getLogger().level))
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)  # two lines per tick otherwise


_instance_lock = None


def single_instance_on_sqlite(settings: Settings) -> None:
    """SQLite is one process's store: a second `run`/`serve` on the same file stops with a clear line."""
    import fcntl

    from sqlalchemy.engine import make_url

    from bot.db import normalise_url
    from bot.errors import ConfigError

    url = make_url(normalise_url(settings.DATABASE_URL))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    global _instance_lock
    _instance_lock = open(f"{url.database}.serve.lock", "w")  # noqa: SIM115 - held for the process's life
    try:
        fcntl.flock(_instance_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ConfigError(
            f"another Symmetry process already serves {url.database}: SQLite runs one instance; "
            "use Postgres (DATABASE_URL=postgresql://...) to run several replicas"
        ) from None
    log.info("SQLite store: this is the only instance (several replicas need Postgres)")


def _prepare(settings: Settings | None = None):
    from bot.entry.app import build_app
    from bot.entry.scheduler import build_scheduler
    from bot.slack.client import make_web_client

    settings = settings or load_settings()
    settings.require_slack()
    if settings.SYMMETRY_EMPLOYEE_FEATURES:
        settings.require_secret()
    setup_logging(settings.SYMMETRY_LOG_LEVEL)
    single_instance_on_sqlite(settings)
    deps: Deps = build_deps(settings)
    client = make_web_client(settings)
    app = build_app(deps, client=client)
    return deps, client, app, build_scheduler(deps, client=client)


def serve_http(*, port: int, host: str) -> None:
    import uvicorn

    from bot.entry.server import build_asgi

    deps, _client, app, scheduler = _prepare()
    _warm(deps)
    scheduler.start()
    log.info("Symmetry listening on http://%s:%s/slack/events (store: %s)", host, port, _safe_url(deps))
    # uvicorn re-raises SIGTERM once it has shut down: exit through `finally`, so the answer process
    # and the chart workers are stopped too, not left to notice their parent is gone
    signal.signal(signal.SIGTERM, _exit_cleanly)
    asgi = build_asgi(app, deps)
    try:
        uvicorn.run(asgi, host=host, port=port, log_level="warning")
    finally:
        scheduler.shutdown(wait=False)
        _stop(deps)
        asgi.state.replays.close()  # the last second's signatures saved (SQLite), its connections closed


def _exit_cleanly(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def run_bot(*, port: int, host: str) -> None:
    settings = load_settings()
    if settings.SLACK_APP_TOKEN is None:
        serve_http(port=port, host=host)
        return
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    deps, _client, app, scheduler = _prepare(settings)
    _warm(deps)
    scheduler.start()
    log.info("Symmetry connecting in Socket Mode (store: %s)", _safe_url(deps))
    try:
        SocketModeHandler(app, settings.SLACK_APP_TOKEN.get_secret_value()).start()
    finally:
        scheduler.shutdown(wait=False)
        _stop(deps)


def _warm(deps: Deps) -> None:
    """Answers in a child process: wait until it listens (it imports the bot and matplotlib)."""
    if deps.answer_process is not None:
        if not deps.answer_process.wait_ready(90):
            log.warning("the answer process is slow to start; answers will wait for it")
    elif deps.settings.SYMMETRY_CHART_PROCESSES:
        deps.charts.warm()


def _stop(deps: Deps) -> None:
    deps.answers.stop()
    if deps.answer_process is not None:
        deps.answer_process.stop()
    deps.charts.stop()


def _safe_url(deps: Deps) -> str:
    from sqlalchemy.engine import make_url

    from bot.db import normalise_url

    return make_url(normalise_url(deps.settings.DATABASE_URL)).render_as_string(hide_password=True)
