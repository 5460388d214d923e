"""Slack's side of Socket Mode for ``FakeSlack``, and the envelopes Slack sends over it.

``apps.connections.open`` (answered by the Web API side with ``_socket_url``) hands out a single-use
``ws://127.0.0.1:<port>/link/?ticket=...`` URL on a WebSocket server started on first use; the server
greets each connection with Slack's ``hello`` and records what the app sends back. ``SocketMode`` is
the mixin that gives ``FakeSlack`` this side; ``socket_envelope`` and ``envelope_for`` build what a
test pushes through it.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import threading
import time
import uuid
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, urlsplit

from tests.fakeslack.workspace import APP_ID

if TYPE_CHECKING:  # websockets is imported when Socket Mode is first used, so the HTTP fake works without it.
    from websockets.http11 import Request, Response
    from websockets.sync.server import Server as WebSocketServer
    from websockets.sync.server import ServerConnection

# ----- envelopes -----------------------------------------------------------------------
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


# ----- the WebSocket side --------------------------------------------------------------


class SocketMode:
    """Slack's end of Socket Mode: the WebSocket server, its tickets and links, and what the app sent."""

    # FakeSlack's one lock: a test waiting on it may be waiting for a Web API call or a socket message.
    _cond: threading.Condition

    def __init__(self) -> None:
        super().__init__()
        # The WebSocket server (started by the first apps.connections.open), the tickets handed out and
        # not yet used, and the open connections, oldest first.
        self._ws_server: WebSocketServer | None = None
        self._ws_thread: threading.Thread | None = None
        self._ws_tickets: set[str] = set()
        self._ws_links: list[ServerConnection] = []
        self._ws_accepted = 0
        self._ws_received: list[Any] = []

    @property
    def socket_acks(self) -> list[dict[str, Any]]:
        """Every envelope acknowledgement the app sent, oldest first: ``{"envelope_id": ..., "payload"?: ...}``."""
        with self._cond:
            return [copy.deepcopy(m) for m in self._ws_received if isinstance(m, dict) and "envelope_id" in m]

    @property
    def socket_received(self) -> list[Any]:
        """Everything the app sent over Socket Mode, decoded from JSON where it was JSON."""
        with self._cond:
            return copy.deepcopy(self._ws_received)

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
            for message in self._ws_received:
                if isinstance(message, dict) and message.get("envelope_id") == envelope_id:
                    return message
            return None

        with self._cond:
            if self._cond.wait_for(lambda: ack() is not None, timeout):
                return copy.deepcopy(ack())  # type: ignore[arg-type]
            acked = [m.get("envelope_id") for m in self._ws_received if isinstance(m, dict)]
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

    def _connections_opened(self) -> int:
        """How many apps.connections.open calls the Web API side has recorded. Lock held."""
        raise NotImplementedError

    def _forget_socket_messages(self) -> None:
        """Lock held."""
        self._ws_received = []

    def _wait_for_link(self, timeout: float) -> ServerConnection:
        with self._cond:
            if not self._cond.wait_for(lambda: bool(self._ws_links), timeout):
                raise AssertionError(
                    f"FakeSlack: no app connected over Socket Mode within {timeout}s "
                    f"(apps.connections.open called {self._connections_opened()} time(s), "
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
                    self._ws_received.append(message)
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
