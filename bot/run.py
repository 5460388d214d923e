"""Running the bot: Slack (Socket Mode or HTTP) when credentials are set, else the offline console."""

from __future__ import annotations

import gc
import logging
import signal
import sys
from typing import TYPE_CHECKING

from bot.bootstrap import open_store, warm_in_background
from bot.config import Settings

if TYPE_CHECKING:
    from bot.workers import Workers

log = logging.getLogger(__name__)

SWITCH_INTERVAL_SECONDS = 0.0005


class ConfigurationError(RuntimeError):
    pass


def check_slack_settings(settings: Settings) -> None:
    missing = []
    if not settings.slack_bot_token:
        missing.append("SLACK_BOT_TOKEN (xoxb-…)")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        missing.append("SLACK_APP_TOKEN (xapp-…, for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode)")
    if missing:
        raise ConfigurationError("missing " + " and ".join(missing) + "; see .env.example")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def serve(settings: Settings) -> int:
    """`resultsbot serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on PORT."""
    from bot.app import create_runtime
    from bot.server import HttpServer

    try:
        check_slack_settings(settings)
    except ConfigurationError as error:
        print(f"resultsbot serve: {error}", file=sys.stderr)
        return 2
    store = open_store(settings)
    # Slack's requests are short and must be acked within 3 s, while ingests and answers are CPU work in
    # the same process: hand the interpreter lock over more often than every 5 ms so a waiting ack gets
    # it promptly (measured in bench/bench_night.py).
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    socket_mode = bool(settings.slack_app_token)
    workers = start_workers(settings)
    runtime = create_runtime(
        settings,
        store,
        http_events=not socket_mode,
        workers=workers,
    )
    # What is loaded by now lives as long as the process: the collector's full passes need not scan it
    # again and again (each pass holds every thread, acks included).
    gc.freeze()
    if workers is None:  # else the answering workers prepare their own, and this process answers little
        warm_in_background(store.results)
    server = HttpServer(runtime.wsgi, port=settings.port)
    socket = None
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        socket = SocketModeHandler(runtime.app, settings.slack_app_token)
        opened = socket

        def connect() -> None:
            opened.connect()
            log.info("connected to Slack in Socket Mode; /ingest and /healthz on port %d", server.port)

        runtime.slack.then_connect(connect)
    else:
        log.info("serving Slack events on http://0.0.0.0:%d/slack/events (and /ingest, /healthz)", server.port)
    runtime.slack.start()
    if runtime.dispatcher is not None:
        runtime.dispatcher.start()
        following = ", ".join(settings.results_channels) or "none by RESULTSBOT_RESULTS_CHANNEL"
        log.info("posting entered results to the channels that follow them (all results: %s)", following)
    # `docker stop` and process managers send SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.stop()
        runtime.slack.stop()
        if socket is not None:
            socket.close()
        if runtime.dispatcher is not None:
            runtime.dispatcher.stop()
        if workers is not None:
            workers.stop()
    return 0


def start_workers(settings: Settings) -> Workers | None:
    if settings.workers <= 0:
        return None
    from bot.workers import Workers

    try:
        workers = Workers(settings, settings.workers)
    except ValueError as error:
        log.warning("answering and storing in this process: %s", error)
        return None
    log.info("answering Slack and storing ingests in %d + %d worker processes", settings.workers, settings.workers)
    return workers.start()


def run_default(settings: Settings) -> int:
    """The README's run command: the bot itself, or a console that answers the same way offline."""
    if settings.has_slack:
        return serve(settings)
    from bot.console import run_console

    return run_console(settings)
