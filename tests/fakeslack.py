"""A fake Slack Web API served over real HTTP, for tests.

The bot talks to it through an unmodified ``slack_sdk.WebClient`` (point
``base_url`` at ``FakeSlack.base_url``), so request encoding, headers, retries
and timeouts are exercised exactly as they are against slack.com.

    with FakeSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C1", text="hi")
        [call] = slack.wait_for("chat.postMessage")

It also plays Slack's side of Socket Mode: ``apps.connections.open`` (with an
app-level ``xapp-`` token) hands out a ``ws://127.0.0.1:<port>/link/?ticket=...``
URL served by a WebSocket server the fake starts on first use, which greets each
connection with Slack's ``hello`` and records what the app sends back.

    envelope = envelope_for(slash_command_body(text="bath", response_url=slack.response_url("cmd")))
    envelope_id = slack.socket_send(envelope)      # waits for the app to be connected
    ack = slack.wait_for_socket_ack(envelope_id)   # {"envelope_id": ..., "payload": ...?}
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import parse_qsl, quote, urlsplit

if TYPE_CHECKING:  # websockets is imported when Socket Mode is first used, so the HTTP fake works without it.
    from websockets.http11 import Request, Response
    from websockets.sync.server import Server as WebSocketServer
    from websockets.sync.server import ServerConnection

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0RESULTS"
TEAM_ID = "T1"
TEAM_NAME = "Newsroom"
TEAM_URL = "https://newsroom.slack.com/"

# Slack accepts these as JSON-encoded strings in form bodies; decoding them
# lets assertions look at the same structure whichever encoding the client chose.
JSON_FIELDS = frozenset({"blocks", "attachments", "metadata", "view"})

Outcome = str  # "ok", "error", "http_<status>", "ratelimited", "hung"
ApiResponse = dict[str, Any]
Responder = ApiResponse | Callable[[dict[str, Any]], ApiResponse]


@dataclass(frozen=True)
class Call:
    """One request the fake received.

    ``headers`` keys are lower-cased because urllib, aiohttp and requests
    each capitalise header names differently.
    """

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    time: float
    outcome: Outcome = "ok"
    path: str = ""

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        token = self.params.get("token")
        return token if isinstance(token, str) else None


@dataclass(frozen=True)
class _Behaviour:
    kind: Literal["error", "http", "ratelimit", "hang"]
    error: str = "internal_error"
    status: int = 500
    retry_after: int = 1
    seconds: float = 0.0
    apply: bool = True
    body: str | None = None


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    behaviours: dict[str, deque[_Behaviour]] = field(default_factory=dict)
    view_counter: int = 0
    socket_received: list[Any] = field(default_factory=list)


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


def ts_key(ts: str) -> int:
    """Slack timestamps as integer microseconds, so they compare exactly."""
    seconds, _, fraction = str(ts).partition(".")
    return int(seconds) * 1_000_000 + int((fraction + "000000")[:6])


def _format_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def _decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    for name in JSON_FIELDS:
        value = params.get(name)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            # Leave undecodable values raw: the assertion that fails will show what was sent.
            with contextlib.suppress(ValueError):
                params[name] = json.loads(value)
    return params


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Decode a request body the way Slack does, whatever encoding the client chose."""
    mime = content_type.split(";", 1)[0].strip().lower()
    params: dict[str, Any] = {}
    if not body:
        return params
    if mime == "application/json":
        decoded = json.loads(body.decode("utf-8"))
        params = decoded if isinstance(decoded, dict) else {"_json": decoded}
    elif mime == "multipart/form-data":
        envelope = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        message = BytesParser(policy=HTTP).parsebytes(envelope)
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            # Uploaded files stay bytes; ordinary fields become text like form fields.
            params[str(name)] = payload if part.get_filename() else payload.decode("utf-8")
    else:
        params = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return _decode_json_fields(params)


# ----- Socket Mode envelopes -----------------------------------------------------------
# Over Socket Mode Slack sends the very payloads it would POST in HTTP mode, wrapped in an envelope
# the app must acknowledge by echoing its envelope_id:
#   {"envelope_id": "...", "type": "slash_commands", "accepts_response_payload": true,
#    "payload": {<the slash command's form fields, as strings>}}
#   {"envelope_id": "...", "type": "interactive", "accepts_response_payload": false,
#    "payload": {<the decoded `payload` form field>}}
#   {"envelope_id": "...", "type": "events_api", "accepts_response_payload": false,
#    "retry_attempt": 0, "retry_reason": "", "payload": {<the event_callback body>}}

SOCKET_HOST_NAME = "applink-fakeslack-0"
# Interactions whose answer travels in the ack itself (response_action, options); others use response_url.
_RESPONSE_PAYLOAD_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


def socket_envelope(
    kind: Literal["slash_commands", "interactive", "events_api"],
    payload: dict[str, Any],
    *,
    envelope_id: str | None = None,
    accepts_response_payload: bool | None = None,
    retry_attempt: int = 0,
    retry_reason: str = "",
) -> dict[str, Any]:
    """A Socket Mode envelope as Slack sends it (``envelope_id`` defaults to a fresh UUID, as Slack's are)."""
    if accepts_response_payload is None:
        accepts_response_payload = kind == "slash_commands" or (
            kind == "interactive" and payload.get("type") in _RESPONSE_PAYLOAD_INTERACTIONS
        )
    envelope: dict[str, Any] = {
        "envelope_id": envelope_id or str(uuid.uuid4()),
        "payload": payload,
        "type": kind,
        "accepts_response_payload": accepts_response_payload,
    }
    if kind == "events_api":
        envelope["retry_attempt"] = retry_attempt
        envelope["retry_reason"] = retry_reason
    return envelope


def envelope_for(body: str, **options: Any) -> dict[str, Any]:
    """The Socket Mode envelope carrying what ``body`` (an HTTP request body from ``tests.slack_signing``)
    carries in HTTP mode, so the same payload builders serve both modes. ``options`` as for
    ``socket_envelope``."""
    if body.lstrip().startswith("{"):
        callback = json.loads(body)
        if callback.get("type") != "event_callback":
            # url_verification and app_rate_limited exist only over HTTP.
            raise ValueError(f"Socket Mode carries no {callback.get('type')!r} requests")
        return socket_envelope("events_api", callback, **options)
    form = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in form:
        return socket_envelope("interactive", json.loads(form["payload"]), **options)
    if "command" in form:
        return socket_envelope("slash_commands", form, **options)
    raise ValueError("not a slash command, interaction or event_callback body")


class _Server(ThreadingHTTPServer):
    # Daemon handler threads let the test run exit while a hang_next sleep is pending.
    daemon_threads = True
    # The socketserver default backlog of 5 drops bursts of parallel connects, and the
    # kernel's 1 s SYN retry then shows up as mysterious latency in concurrency tests.
    request_queue_size = 128
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out close the socket before a hung reply is written;
        # that is the scenario under test, not a failure worth a traceback.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # HTTP/1.0 closes after each reply, so no keep-alive socket can pin a handler thread.
    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:
        self.server.fake._handle(self)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass  # Keep pytest output readable; every request is in FakeSlack.calls anyway.


class FakeSlack:
    """A threaded HTTP server impersonating slack.com/api for one test (or fixture scope).

    ``start_ts`` makes message timestamps deterministic (``start_ts + 0.0001 * n``);
    by default they follow the wall clock, because code that asks for history
    ``oldest=<now - 1 day>`` would otherwise never see anything.
    """

    def __init__(self, *, start_ts: float | None = None, require_token: bool = True) -> None:
        self.require_token = require_token
        # Turn on to prove the bot passes include_all_metadata: Slack only returns
        # metadata without it for event types the app subscribes to.
        self.history_metadata_requires_flag = False
        self.usergroups: dict[str, list[str]] = {}
        self.usergroup_handles: dict[str, str] = {}
        self._start_ts = start_ts
        self._last_ts_us = 0
        self._responders: dict[str, Responder] = {}
        self._state = _State()
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        # Socket Mode: the WebSocket server (started by the first apps.connections.open), the tickets
        # handed out and not yet used, and the open connections, oldest first.
        self._ws_server: WebSocketServer | None = None
        self._ws_thread: threading.Thread | None = None
        self._ws_tickets: set[str] = set()
        self._ws_links: list[ServerConnection] = []
        self._ws_accepted = 0
        self._reset_ts_sequence()

    # ----- lifecycle -------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("FakeSlack already started")
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        with self._cond:
            # A previous stop() left the old event set; hangs after a restart must really hang.
            self._wake = threading.Event()
        self._server = server
        # A short poll interval keeps stop() (and so every fixture teardown) fast.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeSlack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            self._wake.set()  # Release any hang_next sleepers so they do not outlive the server.
            server.shutdown()
            server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=2)
                self._thread = None
        # After the Web API is gone, so no apps.connections.open can start the WebSocket server again.
        self._stop_socket_server()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; use start() or a with-block")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        # slack_sdk urljoin()s the method name onto base_url, so the trailing slash is required.
        return f"{self.url}/api/"

    def response_url(self, name: str = "default") -> str:
        return f"{self.url}/response/{quote(name, safe='')}"

    def reset(self) -> None:
        """Forget calls, stored messages, queued failures and Socket Mode acks.

        Configuration (``usergroups``, ``set_response``) survives, so a long-lived
        fixture can set it up once and reset between tests; so do open Socket Mode
        connections.
        """
        with self._cond:
            self._state = _State()
            self._reset_ts_sequence()
            # Sleepers from before the reset must not write into the fresh state.
            self._wake.set()
            self._wake = threading.Event()

    # ----- inspection ------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self._state.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        *,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until ``count`` matching calls arrived; return all matching calls."""

        def matching() -> list[Call]:
            return [c for c in self._state.calls if c.method == method and (where is None or where(c))]

        with self._cond:
            if self._cond.wait_for(lambda: len(matching()) >= count, timeout):
                return matching()
            got = len(matching())
            seen = ", ".join(f"{c.method}[{c.outcome}]" for c in self._state.calls[-20:]) or "none"
        raise AssertionError(
            f"FakeSlack: expected at least {count} call(s) to {method!r}"
            f"{' matching the predicate' if where else ''} within {timeout}s, got {got}. "
            f"Calls received (latest 20): {seen}"
        )

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages stored for ``channel``, oldest first (thread replies included)."""
        with self._cond:
            return copy.deepcopy(self._state.messages.get(channel, []))

    def seed_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str = "U999",
        thread_ts: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Store a message as if a person had posted it, without an API call."""
        with self._cond:
            message: dict[str, Any] = {"type": "message", "user": user, "text": text, "team": TEAM_ID}
            message.update(fields)
            message["ts"] = fields.get("ts") or self._next_ts()
            if thread_ts:
                message["thread_ts"] = thread_ts
            self._store(channel, message)
            return copy.deepcopy(message)

    # ----- Socket Mode -----------------------------------------------------------

    @property
    def socket_acks(self) -> list[dict[str, Any]]:
        """Every envelope acknowledgement the app sent, oldest first: ``{"envelope_id": ..., "payload"?: ...}``."""
        with self._cond:
            return [copy.deepcopy(m) for m in self._state.socket_received if isinstance(m, dict) and "envelope_id" in m]

    @property
    def socket_received(self) -> list[Any]:
        """Everything the app sent over Socket Mode, decoded from JSON where it was JSON."""
        with self._cond:
            return copy.deepcopy(self._state.socket_received)

    @property
    def open_socket_connections(self) -> int:
        with self._cond:
            return len(self._ws_links)

    @property
    def socket_connections_accepted(self) -> int:
        """WebSocket connections accepted since the fake started (a reconnect adds one)."""
        with self._cond:
            return self._ws_accepted

    def socket_connected(self, timeout: float = 5.0) -> bool:
        """Whether an app is connected over Socket Mode (waiting up to ``timeout`` for one to connect)."""
        with self._cond:
            return self._cond.wait_for(lambda: bool(self._ws_links), timeout)

    def socket_send(self, envelope: dict[str, Any], timeout: float = 5.0) -> str:
        """Push ``envelope`` to the connected app, as Slack does, and return its ``envelope_id``.

        Goes to the newest connection (the one a refreshing client has moved to); waits up to
        ``timeout`` for an app to connect. ``envelope_id`` is filled in when missing.
        """
        envelope = dict(envelope)
        envelope.setdefault("envelope_id", str(uuid.uuid4()))
        self._send_to_app(envelope, timeout)
        return str(envelope["envelope_id"])

    def wait_for_socket_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Block until the app acknowledges ``envelope_id``; return the ack as it sent it."""

        def ack() -> dict[str, Any] | None:
            for message in self._state.socket_received:
                if isinstance(message, dict) and message.get("envelope_id") == envelope_id:
                    return message
            return None

        with self._cond:
            if self._cond.wait_for(lambda: ack() is not None, timeout):
                return copy.deepcopy(ack())  # type: ignore[arg-type]
            acked = [m.get("envelope_id") for m in self._state.socket_received if isinstance(m, dict)]
            links = len(self._ws_links)
        raise AssertionError(
            f"FakeSlack: no ack for envelope {envelope_id!r} within {timeout}s "
            f"({links} open connection(s); acks received for: {acked or 'none'})"
        )

    def socket_disconnect(self, reason: str = "refresh_requested", timeout: float = 5.0) -> None:
        """Send Slack's ``disconnect`` message (as before a connection refresh, or every few minutes
        with ``debug_reconnects=true``): the client should open a new connection and drop this one.
        The fake never sends one by itself, so a test's connection lasts as long as the test."""
        self._send_to_app({"type": "disconnect", "reason": reason, "debug_info": {"host": SOCKET_HOST_NAME}}, timeout)

    def socket_ping(self, timeout: float = 5.0) -> bool:
        """Ping the newest connection as Slack's servers do; True when the client answered with a pong."""
        link = self._wait_for_link(timeout)
        return link.ping().wait(timeout)

    def _wait_for_link(self, timeout: float) -> ServerConnection:
        with self._cond:
            if not self._cond.wait_for(lambda: bool(self._ws_links), timeout):
                opened = [c for c in self._state.calls if c.method == "apps.connections.open"]
                raise AssertionError(
                    f"FakeSlack: no app connected over Socket Mode within {timeout}s "
                    f"(apps.connections.open called {len(opened)} time(s), "
                    f"{self._ws_accepted} connection(s) ever accepted)"
                )
            return self._ws_links[-1]

    def _send_to_app(self, message: dict[str, Any], timeout: float) -> None:
        from websockets.exceptions import ConnectionClosed

        deadline = time.monotonic() + timeout
        while True:
            link = self._wait_for_link(max(0.0, deadline - time.monotonic()))
            try:
                link.send(json.dumps(message))
                return
            except ConnectionClosed:
                # The client dropped this connection between our look and our send (a refresh);
                # its handler thread is about to deregister it, so try the next one.
                if time.monotonic() >= deadline:
                    raise AssertionError(
                        f"FakeSlack: the Socket Mode connection closed before {message!r} went"
                    ) from None
                with self._cond:
                    self._cond.wait_for(lambda link=link: link not in self._ws_links, 1.0)

    def _socket_url(self) -> str:
        """A fresh single-use ticket on the WebSocket server (started now if need be). Lock held."""
        if self._ws_server is None:
            from websockets.sync.server import serve

            server = serve(
                self._socket_session,
                "127.0.0.1",
                0,
                process_request=self._socket_admit,
                compression=None,  # Slack's builtin client offers no extensions anyway.
                # Pings are the test's to send (socket_ping): timed ones would make runs differ.
                ping_interval=None,
                close_timeout=1,
                logger=logging.getLogger("fakeslack.socket"),
            )
            self._ws_server = server
            self._ws_thread = threading.Thread(target=server.serve_forever, name="FakeSlack-socket", daemon=True)
            self._ws_thread.start()
        port = self._ws_server.socket.getsockname()[1]
        ticket = uuid.uuid4().hex
        self._ws_tickets.add(ticket)
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={APP_ID}"

    def _socket_admit(self, connection: ServerConnection, request: Request) -> Response | None:
        """The opening handshake: only /link/ with a ticket from apps.connections.open, each used once."""
        split = urlsplit(request.path)
        ticket = dict(parse_qsl(split.query)).get("ticket")
        with self._cond:
            valid = split.path.rstrip("/") == "/link" and ticket in self._ws_tickets
            if valid:
                self._ws_tickets.discard(ticket)  # type: ignore[arg-type]
        if not valid:
            return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or used ticket\n")
        return None

    def _socket_session(self, connection: ServerConnection) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            with self._cond:
                count = len(self._ws_links) + 1
            hello = {
                "type": "hello",
                "num_connections": count,
                "debug_info": {"host": SOCKET_HOST_NAME, "build_number": 1, "approximate_connection_time": 18060},
                "connection_info": {"app_id": APP_ID},
            }
            # Slack's first message on every connection; envelopes only ever follow it.
            connection.send(json.dumps(hello))
            with self._cond:
                self._ws_links.append(connection)
                self._ws_accepted += 1
                self._cond.notify_all()
            for raw in connection:
                text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
                try:
                    message: Any = json.loads(text)
                except ValueError:
                    message = text
                with self._cond:
                    self._state.socket_received.append(message)
                    self._cond.notify_all()
        except ConnectionClosed:
            pass  # The client went away (refresh, close, or its process ended): that is its right.
        finally:
            with self._cond:
                if connection in self._ws_links:
                    self._ws_links.remove(connection)
                self._cond.notify_all()

    def _stop_socket_server(self) -> None:
        with self._cond:
            server, self._ws_server = self._ws_server, None
            links, self._ws_tickets = list(self._ws_links), set()
        if server is None:
            return
        for link in links:
            # 1001 "going away", as Slack closes links it is moving; waits close_timeout at most.
            with contextlib.suppress(Exception):
                link.close(1001, "fakeslack stopping")
        server.shutdown()
        if self._ws_thread is not None:
            self._ws_thread.join(timeout=2)
            self._ws_thread = None

    # ----- programming responses -------------------------------------------------

    def set_response(self, method: str, response: Responder) -> None:
        """Answer ``method`` with a fixed dict, or ``fn(params) -> dict``, instead of the default."""
        with self._cond:
            self._responders[method] = response

    def add_usergroup(self, group_id: str, users: Iterable[str], handle: str | None = None) -> None:
        with self._cond:
            self.usergroups[group_id] = list(users)
            if handle is not None:
                self.usergroup_handles[group_id] = handle

    def fail_next(self, method: str, times: int = 1, error: str = "internal_error") -> None:
        self._queue(method, times, _Behaviour("error", error=error))

    def http_error_next(self, method: str, times: int = 1, status: int = 500, body: str | None = None) -> None:
        self._queue(method, times, _Behaviour("http", status=status, body=body))

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        self._queue(method, times, _Behaviour("ratelimit", retry_after=retry_after))

    def hang_next(self, method: str, times: int = 1, seconds: float = 2.0, apply: bool = True) -> None:
        """Delay the reply by ``seconds``.

        With ``apply=True`` the call still takes effect after the delay, like a
        slow Slack that processed a request the client had already given up on;
        with ``apply=False`` it is dropped and answered ``request_timeout``.
        """
        self._queue(method, times, _Behaviour("hang", seconds=seconds, apply=apply))

    def _queue(self, method: str, times: int, behaviour: _Behaviour) -> None:
        with self._cond:
            self._state.behaviours.setdefault(method, deque()).extend([behaviour] * times)

    # ----- request handling (handler threads) ------------------------------------

    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        try:
            params = dict(parse_qsl(split.query, keep_blank_values=True))
            params.update(parse_body(headers.get("content-type", ""), raw))
            _decode_json_fields(params)
        except ValueError as exc:
            self._send(handler, 400, f"FakeSlack could not parse the body: {exc}", "text/plain")
            return

        if split.path.startswith("/api/") and len(split.path) > len("/api/"):
            method, is_api = split.path[len("/api/") :], True
        elif split.path.startswith("/response/"):
            method, is_api = "response_url", False
        else:
            self._send_json(
                handler,
                404,
                {"ok": False, "error": "unknown_path", "detail": f"{split.path}: expected /api/<method>"},
            )
            return

        with self._cond:
            queue = self._state.behaviours.get(method)
            behaviour = queue.popleft() if queue else None
            wake = self._wake

        if behaviour is not None and behaviour.kind != "hang":
            self._send_failure(handler, method, params, headers, split.path, behaviour, is_api)
            return

        if behaviour is not None:
            # Recorded on arrival so a test can see the call while the client is still waiting.
            self._record(Call(method, params, headers, time.time(), "hung", split.path))
            # The wake event fires on stop() or reset(); either way this request's
            # world is gone, so it must not leave side effects behind.
            interrupted = wake.wait(behaviour.seconds)
            with self._cond:
                if interrupted or not behaviour.apply or wake is not self._wake:
                    status, body = 200, {"ok": False, "error": "request_timeout"}
                else:
                    status, body = self._dispatch(method, params, headers, is_api)
        else:
            with self._cond:
                status, body = self._dispatch(method, params, headers, is_api)
                ok = body.get("ok", False) if isinstance(body, dict) else status == 200
                self._record_locked(Call(method, params, headers, time.time(), "ok" if ok else "error", split.path))

        if isinstance(body, dict):
            self._send_json(handler, status, body)
        else:
            self._send(handler, status, body, "text/plain; charset=utf-8")

    def _send_failure(
        self,
        handler: _Handler,
        method: str,
        params: dict[str, Any],
        headers: dict[str, str],
        path: str,
        behaviour: _Behaviour,
        is_api: bool,
    ) -> None:
        if behaviour.kind == "error":
            outcome = "error"
            if is_api:
                status, payload = 200, {"ok": False, "error": behaviour.error}
            else:
                # response_url answers errors (e.g. expired_url) as non-200 plain text.
                status, payload = 404, behaviour.error
            extra: dict[str, str] = {}
        elif behaviour.kind == "ratelimit":
            outcome, status = "ratelimited", 429
            payload = {"ok": False, "error": "ratelimited"} if is_api else "ratelimited"
            extra = {"Retry-After": str(behaviour.retry_after)}
        else:
            outcome, status = f"http_{behaviour.status}", behaviour.status
            # Slack's edge serves 5xx pages, not JSON, so clients must cope with a non-JSON body.
            payload = behaviour.body if behaviour.body is not None else HTTPStatus(behaviour.status).phrase
            extra = {}
        self._record(Call(method, params, headers, time.time(), outcome, path))
        if isinstance(payload, dict):
            self._send_json(handler, status, payload, extra)
        else:
            self._send(handler, status, payload, "text/plain; charset=utf-8", extra)

    def _record(self, call: Call) -> None:
        with self._cond:
            self._record_locked(call)

    def _record_locked(self, call: Call) -> None:
        self._state.calls.append(call)
        self._cond.notify_all()

    @staticmethod
    def _send_json(
        handler: _Handler, status: int, payload: dict[str, Any], extra: dict[str, str] | None = None
    ) -> None:
        FakeSlack._send(handler, status, json.dumps(payload), "application/json; charset=utf-8", extra)

    @staticmethod
    def _send(
        handler: _Handler, status: int, text: str, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        data = text.encode("utf-8")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            for name, value in (extra or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # The client already gave up (timeout tests); nothing left to tell it.

    # ----- API semantics (called with the lock held) -----------------------------

    def _dispatch(
        self, method: str, params: dict[str, Any], headers: dict[str, str], is_api: bool
    ) -> tuple[int, dict[str, Any] | str]:
        if not is_api:
            return self._response_url(params)
        has_token = headers.get("authorization", "").lower().startswith("bearer ") or params.get("token")
        if self.require_token and not has_token:
            return 200, {"ok": False, "error": "not_authed"}
        responder = self._responders.get(method)
        if responder is not None:
            result = responder(params) if callable(responder) else responder
            return 200, copy.deepcopy(result)
        if method == "apps.connections.open":
            return 200, self._apps_connections_open(headers, params)
        api = self._methods().get(method)
        return 200, api(params) if api is not None else {"ok": True}

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "views.open": self._views,
            "views.push": self._views,
            "views.update": self._views,
            "views.publish": self._views,
            "usergroups.list": self._usergroups_list,
            "usergroups.users.list": self._usergroups_users_list,
        }

    def _response_url(self, params: dict[str, Any]) -> tuple[int, str]:
        if not (params.get("text") or params.get("blocks") or _truthy(params.get("delete_original"))):
            return 400, "no_text"
        return 200, "ok"

    def _reset_ts_sequence(self) -> None:
        if self._start_ts is not None:
            self._last_ts_us = round(self._start_ts * 1_000_000)

    def _next_ts(self) -> str:
        now_us = 0 if self._start_ts is not None else int(time.time() * 1_000_000)
        self._last_ts_us = max(now_us, self._last_ts_us + 100)
        return _format_ts(self._last_ts_us)

    def _store(self, channel: str, message: dict[str, Any]) -> None:
        thread_ts = message.get("thread_ts")
        messages = self._state.messages.setdefault(channel, [])
        if thread_ts and thread_ts != message["ts"]:
            parent = self._find(channel, thread_ts)
            if parent is not None:
                parent["thread_ts"] = thread_ts
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                parent["latest_reply"] = message["ts"]
        messages.append(message)

    def _find(self, channel: str, ts: Any) -> dict[str, Any] | None:
        for message in self._state.messages.get(channel, []):
            if message["ts"] == ts:
                return message
        return None

    def _apps_connections_open(self, headers: dict[str, str], params: dict[str, Any]) -> dict[str, Any]:
        # Only an app-level token may open a Socket Mode connection; Slack refuses a bot or user token.
        token = Call("apps.connections.open", params, headers, 0.0).token
        if token is not None and not token.startswith("xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self._socket_url()}

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": TEAM_URL,
            "team": TEAM_NAME,
            "user": "resultsbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            return {"ok": False, "error": "no_text"}
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": params.get("text", ""),
            "ts": self._next_ts(),
        }
        for name in ("blocks", "attachments", "metadata", "thread_ts"):
            if params.get(name):
                message[name] = params[name]
        if _truthy(params.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
        self._store(channel, message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        message = self._find(channel, params.get("ts")) if channel else None
        if message is None:
            return {"ok": False, "error": "message_not_found" if channel else "channel_not_found"}
        for name in ("text", "blocks", "attachments", "metadata"):
            if name in params:
                message[name] = params[name]
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {
            "ok": True,
            "channel": channel,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": copy.deepcopy(message),
        }

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        message = self._find(channel, params.get("ts")) if channel else None
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        self._state.messages[channel].remove(message)
        return {"ok": True, "channel": channel, "ts": message["ts"]}

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not params.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_get_permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel"), str(params.get("message_ts", ""))
        if not channel or self._find(channel, ts) is None:
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": channel, "permalink": f"{TEAM_URL}archives/{channel}/p{ts.replace('.', '')}"}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        inclusive = _truthy(params.get("inclusive"))
        oldest = ts_key(params.get("oldest") or "0")
        latest = ts_key(params["latest"]) if params.get("latest") else None
        cursor = params.get("cursor")
        if cursor:
            # Paging continues strictly below the last message already returned.
            latest, inclusive_latest = ts_key(base64.b64decode(cursor).decode().split(":", 1)[1]), False
        else:
            inclusive_latest = inclusive
        limit = int(params.get("limit") or 100)
        keep_metadata = not self.history_metadata_requires_flag or _truthy(params.get("include_all_metadata"))

        def in_range(message: dict[str, Any]) -> bool:
            key = ts_key(message["ts"])
            above = key >= oldest if inclusive else key > oldest
            below = latest is None or (key <= latest if inclusive_latest else key < latest)
            return above and below

        def top_level(message: dict[str, Any]) -> bool:
            # Thread replies only show up in history when broadcast to the channel.
            thread_ts = message.get("thread_ts")
            return not thread_ts or thread_ts == message["ts"] or message.get("subtype") == "thread_broadcast"

        found = [m for m in self._state.messages.get(channel, []) if top_level(m) and in_range(m)]
        found.sort(key=lambda m: ts_key(m["ts"]), reverse=True)
        page, has_more = found[:limit], len(found) > limit
        out = copy.deepcopy(page)
        if not keep_metadata:
            for message in out:
                message.pop("metadata", None)
        response: dict[str, Any] = {"ok": True, "messages": out, "has_more": has_more, "pin_count": 0}
        next_cursor = base64.b64encode(f"next_ts:{page[-1]['ts']}".encode()).decode() if has_more else ""
        response["response_metadata"] = {"next_cursor": next_cursor}
        return response

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel"), params.get("ts")
        if not channel or self._find(channel, ts) is None:
            return {"ok": False, "error": "thread_not_found"}
        thread = [m for m in self._state.messages[channel] if m["ts"] == ts or m.get("thread_ts") == ts]
        limit = int(params.get("limit") or 1000)
        return {"ok": True, "messages": copy.deepcopy(thread[:limit]), "has_more": len(thread) > limit}

    def _views(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = params.get("view_id")
        if not view_id:
            self._state.view_counter += 1
            view_id = f"V{self._state.view_counter:08d}"
        result = copy.deepcopy(view)
        result.update(
            {
                "id": view_id,
                "team_id": TEAM_ID,
                "app_id": APP_ID,
                "bot_id": BOT_ID,
                "app_installed_team_id": TEAM_ID,
                "root_view_id": view_id,
                "previous_view_id": None,
                "hash": f"{int(time.time())}.{view_id}",
                "private_metadata": view.get("private_metadata", ""),
                "callback_id": view.get("callback_id", ""),
                "external_id": view.get("external_id", ""),
                "state": view.get("state", {"values": {}}),
            }
        )
        return {"ok": True, "view": result}

    def _usergroups_list(self, params: dict[str, Any]) -> dict[str, Any]:
        groups = []
        for group_id, users in self.usergroups.items():
            handle = self.usergroup_handles.get(group_id, group_id.lower())
            group: dict[str, Any] = {
                "id": group_id,
                "team_id": TEAM_ID,
                "is_usergroup": True,
                "name": handle,
                "handle": handle,
                "date_delete": 0,
                "user_count": len(users),
            }
            if _truthy(params.get("include_users")):
                group["users"] = list(users)
            groups.append(group)
        return {"ok": True, "usergroups": groups}

    def _usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        users = self.usergroups.get(params.get("usergroup") or "")
        if users is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(users)}
