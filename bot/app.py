"""The Bolt app factory: every mode (HTTP, Socket Mode, tests) builds the app the same way."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.bootstrap import Store
from bot.config import Settings
from bot.desk import Desk
from bot.dispatcher import Dispatcher, DispatchSettings
from bot.ingest import EnterPosted, ingest_route, store_posted
from bot.server import WsgiApp, make_wsgi
from bot.slack_link import SlackLink
from handlers.editors import Editors
from handlers.listeners import register_listeners
from handlers.services import Services
from store import db
from store.channel_follows import ChannelFollows
from store.enter_result import Entered
from store.seen import SeenRequests

log = logging.getLogger(__name__)

SLACK_API_DEFAULT = "https://slack.com/api/"
ANSWER_WORKERS = 4


class WorkerProcesses(Protocol):
    """Processes that answer acked Slack requests and store ingested results (bot.workers.Workers)."""

    def hand_over(self, environ: dict[str, Any], payload: dict[str, Any]) -> None: ...
    def enter_posted(self, text: str, post: bool) -> Entered: ...
    @property
    def problem(self) -> str | None: ...


class RememberedHere:
    """Request keys (see `request_key`) this process has answered: bounded, forgotten after a day."""

    def __init__(self, capacity: int = 10_000, ttl_seconds: float = 86_400) -> None:
        self.capacity, self.ttl = capacity, ttl_seconds
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._seen and (len(self._seen) >= self.capacity or next(iter(self._seen.values())) < now - self.ttl):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class AnsweredRequests:
    """Slack requests already answered. On PostgreSQL they are kept in the store, so any number of
    replicas answer a retried event or a replayed command once; on the embedded SQLite store (one
    process) and whenever the store cannot be reached, in this process's memory."""

    def __init__(self, shared: SeenRequests | None) -> None:
        self.shared = shared
        self.local = RememberedHere()
        self._shared_failing = False

    def first_time(self, key: str) -> bool:
        if self.shared is not None:
            try:
                first = self.shared.first_time(key)
            except Exception as error:
                if not self._shared_failing:
                    log.warning("cannot record answered requests in the store (%s); this process remembers them", error)
                    self._shared_failing = True
            else:
                if self._shared_failing:
                    log.info("answered requests are recorded in the store again")
                    self._shared_failing = False
                self.local.first_time(key)  # so a later outage still knows it
                return first
        return self.local.first_time(key)


def web_client(settings: Settings) -> WebClient:
    """A Web API client that waits out rate limits and retries dropped connections."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url or SLACK_API_DEFAULT,
        timeout=10,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def request_key(req: BoltRequest) -> str | None:
    """What makes a request the same one again: an event's ID (Slack retries with a new signature),
    otherwise the signature (a replay is byte for byte the request it copies). Socket Mode requests
    carry no signature; their envelopes are acked once by the connection."""
    return key_of(req.body if isinstance(req.body, dict) else {}, req.headers.get("x-slack-signature", [None])[0])


def key_of(payload: dict[str, Any], signature: str | None) -> str | None:
    event_id = payload.get("event_id")
    if event_id:
        return f"event:{event_id}"
    return f"signature:{signature}" if signature else None


def deduplicate(answered: AnsweredRequests) -> Callable[..., BoltResponse | None]:
    def middleware(req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        key = request_key(req)
        if key is not None and not answered.first_time(key):
            retry = req.headers.get("x-slack-retry-num", [None])[0]
            log.info("dropping a repeated request (%s, retry %s)", key.split(":", 1)[0], retry)
            # A 200 tells Slack to stop retrying; falling through would make Bolt answer 404.
            return BoltResponse(status=200, body="")
        return next()

    return middleware


class _DropClientTokenNotice(logging.Filter):
    # Bolt reads SLACK_BOT_TOKEN itself and warns that the client we give it wins. That is the
    # design (the client carries the same token and SLACK_API_URL), so the warning is noise.
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def slack_logger() -> logging.Logger:
    logger = logging.getLogger("resultsbot.slack")
    if not any(isinstance(f, _DropClientTokenNotice) for f in logger.filters):
        logger.addFilter(_DropClientTokenNotice())
    return logger


def create_app(settings: Settings, store: Store, *, client: WebClient | None = None, desk: Desk | None = None) -> App:
    """A ready Bolt app with every listener registered."""
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client or web_client(settings),
        # Each listener is an ack run in the request's own thread and lazy work run after it (Bolt's
        # lazy listeners): Slack needs the ack within 3 s, and it must not wait behind the workers
        # still answering earlier questions.
        process_before_response=True,
        # Bolt would call auth.test here and die if Slack is unreachable; SlackLink checks it in the
        # background instead, and Bolt asks again on the first request.
        token_verification_enabled=False,
        # Answers are CPU work under one interpreter lock: a few workers give the same throughput as
        # many, and fewer runnable threads leave the lock free sooner for the next request's ack.
        listener_executor=ThreadPoolExecutor(max_workers=ANSWER_WORKERS, thread_name_prefix="answer"),
        logger=slack_logger(),
    )
    shared = SeenRequests(store.sessions) if store.engine.dialect.name == "postgresql" else None
    app.middleware(deduplicate(AnsweredRequests(shared)))

    @app.error
    def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
        # The user gets a plain apology from the listener; the trace stays in our logs.
        logger.exception("listener failed: %s (request type %s)", error, body.get("type") or body.get("command"))

    desk = desk or Desk(store, settings)
    editors = Editors(settings.editors, settings.editor_group)
    follows = ChannelFollows(store.sessions, store.results, settings.results_channels)
    register_listeners(app, Services(store.results, desk.enter, editors, follows))
    return app


def dispatch_client(settings: Settings, timeout: float = 10) -> WebClient:
    """The dispatcher's client retries nothing by itself: a blind retry of a post that timed out
    could post it twice. The dispatcher decides, checking the channel first."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url or SLACK_API_DEFAULT,
        timeout=timeout,  # type: ignore[arg-type]  # slack_sdk says int; urllib takes fractional seconds
        retry_handlers=[],
    )


@dataclass
class Runtime:
    """Everything `resultsbot serve` runs: the Bolt app, the HTTP endpoints, the dispatcher."""

    app: App
    desk: Desk
    dispatcher: Dispatcher | None
    wsgi: WsgiApp
    slack: SlackLink


def create_runtime(
    settings: Settings,
    store: Store,
    *,
    client: WebClient | None = None,
    dispatcher_client: WebClient | None = None,
    dispatch_settings: DispatchSettings | None = None,
    http_events: bool = True,
    workers: WorkerProcesses | None = None,
) -> Runtime:
    """The app, the desk and (with a Slack token, unless RESULTSBOT_DISPATCH leaves posting to
    `resultsbot dispatch`) the dispatcher, wired together.
    `http_events` serves Slack's events over HTTP; Socket Mode leaves only /ingest and /healthz.
    `workers` answer acked Slack requests and store ingested results in processes of their own
    (bot.workers); without them, this process does."""
    dispatcher = None
    # Any channel may follow results (`/result follow`), so posts may be queued whatever the settings say.
    if settings.has_slack and settings.serve_dispatches:
        dispatcher = Dispatcher(
            store.sessions,
            dispatcher_client or dispatch_client(settings),
            dispatch_settings or DispatchSettings.of(settings),
        )
    desk = Desk(store, settings, dispatcher)
    app = create_app(settings, store, client=client, desk=desk)

    slack = SlackLink(app.client)

    def health() -> dict[str, str]:
        problems = {}
        unreachable = db.check_reachable(store.engine)
        if unreachable is not None:
            problems["database"] = unreachable
        if slack.problem is not None:
            problems["slack"] = slack.problem
        if workers is not None and workers.problem is not None:
            problems["workers"] = workers.problem
        return problems

    wsgi = make_wsgi(
        app if http_events else None,
        {"/ingest": ingest_route(_entered_at(desk, workers), settings.ingest_token)},
        signing_secret=settings.slack_signing_secret,
        health=health,
        hand_over=workers.hand_over if workers is not None else None,
    )
    return Runtime(app, desk, dispatcher, wsgi, slack)


def _entered_at(desk: Desk, workers: WorkerProcesses | None) -> EnterPosted:
    if workers is None:
        return lambda text, post: store_posted(desk, text, post)

    def enter(text: str, post: bool) -> Entered:
        entered = workers.enter_posted(text, post)
        desk.queued(entered)
        return entered

    return enter
