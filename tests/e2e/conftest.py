"""The app over real HTTP, as Slack reaches it, with its Web API client pointed at a fake Slack."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from bot.app import create_app, create_runtime, dispatch_client, web_client
from bot.bootstrap import Store
from bot.config import Settings
from bot.dispatcher import DispatchSettings
from bot.server import HttpServer, make_wsgi
from store.answers import ResultsService
from tests.fakeslack import FakeSlack
from tests.results import FAST, INGEST_TOKEN, load_library_seats
from tests.slack_markup import assert_no_live_markup
from tests.slack_signing import post, post_signed, slash_command_body

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"


@dataclass
class RunningBot:
    url: str
    slack: FakeSlack
    settings: Settings
    app: App

    def send(self, body: str, **kwargs: Any) -> tuple[int, dict[str, str], bytes]:
        return post_signed(f"{self.url}/slack/events", SIGNING_SECRET, body, **kwargs)


@dataclass
class Newsroom:
    """A running bot seen from a newsroom: `/result` typed in channels, results sent to POST /ingest."""

    url: str
    slack: FakeSlack
    commands: int = 0

    def command(self, channel: str, text: str, user: str = "U0FOLLOW1") -> dict[str, Any]:
        """`/result TEXT` typed in `channel`: what the bot said back through the response_url."""
        self.commands += 1
        name = f"follow-{self.commands}"
        body = slash_command_body(
            text=text, channel_id=channel, user_id=user, response_url=self.slack.response_url(name)
        )
        status, _, _ = post_signed(f"{self.url}/slack/events", SIGNING_SECRET, body)
        assert status == 200
        (reply,) = self.slack.wait_for("response_url", where=lambda call: call.path.endswith(f"/{name}"))
        return reply.params

    def ingest(self, entry: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {INGEST_TOKEN}"}
        status, _, data = post(f"{self.url}/ingest", json.dumps(entry), headers)
        assert status == 201, data
        return json.loads(data)


@contextmanager
def newsroom_running(
    store: Store,
    slack: FakeSlack,
    library: Path,
    seats: tuple[str, ...],
    dispatch_settings: DispatchSettings,
    *,
    results_channels: tuple[str, ...] = (),
) -> Iterator[Newsroom]:
    """The bot over HTTP with its dispatcher, over the Library's results of `seats` at the election before
    2019 (imported into `library`, the baseline of their 2019 results), posting to `slack`; stopped after."""
    load_library_seats(store.sessions, library, seats)
    settings = Settings(
        database_url="sqlite://",
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.base_url,
        ingest_token=INGEST_TOKEN,
        results_channels=results_channels,
    )
    runtime = create_runtime(
        settings,
        store,
        client=web_client(settings),
        dispatcher_client=dispatch_client(settings),
        dispatch_settings=dispatch_settings,
    )
    assert runtime.dispatcher is not None
    runtime.dispatcher.start()
    server = HttpServer(runtime.wsgi, host="127.0.0.1", port=0).start()
    try:
        yield Newsroom(server.url, slack)
    finally:
        server.stop()
        runtime.dispatcher.stop()


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def slack(fake_slack: FakeSlack) -> Iterator[FakeSlack]:
    fake_slack.reset()
    yield fake_slack
    assert_no_live_markup(fake_slack)


def bot_settings(slack: FakeSlack, **overrides: Any) -> Settings:
    settings = Settings(
        database_url="sqlite://",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.base_url,
    )
    return dataclasses.replace(settings, **overrides)


@pytest.fixture
def start_bot_on(slack: FakeSlack) -> Iterator[Callable[..., RunningBot]]:
    """Start the HTTP app on 127.0.0.1 (a free port) over a given store; stopped after the test."""
    servers: list[HttpServer] = []

    def start(store: Store, **overrides: Any) -> RunningBot:
        settings = bot_settings(slack, **overrides)
        app = create_app(settings, store, client=web_client(settings))
        server = HttpServer(
            make_wsgi(app, signing_secret=settings.slack_signing_secret), host="127.0.0.1", port=0
        ).start()
        servers.append(server)
        return RunningBot(server.url, slack, settings, app)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def start_bot(loaded_sqlite, start_bot_on: Callable[..., RunningBot]) -> Callable[..., RunningBot]:
    """Start the HTTP app over the bundled store (which tests only read)."""
    return functools.partial(start_bot_on, loaded_sqlite.store)


@pytest.fixture
def bot(start_bot: Callable[..., RunningBot]) -> RunningBot:
    return start_bot()


@pytest.fixture
def ingest(engine, sessions):
    """The running bot's HTTP server with POST /ingest and its dispatcher, over an empty store on each
    backend, posting to a fake Slack: (url, slack, sessions)."""
    with FakeSlack() as slack:
        settings = Settings(
            database_url="sqlite://",
            slack_bot_token="xoxb-test",
            slack_signing_secret="secret",
            slack_api_url=slack.base_url,
            results_channels=("CRESULTS",),
            ingest_token=INGEST_TOKEN,
        )
        store = Store(engine, sessions, ResultsService(sessions))
        runtime = create_runtime(
            settings,
            store,
            client=web_client(settings),
            dispatcher_client=dispatch_client(settings),
            dispatch_settings=dataclasses.replace(FAST, poll_seconds=5.0),  # only a wake-up makes it quick
        )
        assert runtime.dispatcher is not None
        runtime.dispatcher.start()
        server = HttpServer(runtime.wsgi, host="127.0.0.1", port=0).start()
        try:
            yield server.url, slack, sessions
        finally:
            server.stop()
            runtime.dispatcher.stop()
        assert_no_live_markup(slack)
