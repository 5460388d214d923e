"""The HTTP side of `resultsbot serve`: Slack's events endpoint (HTTP mode) and the health check,
served by waitress, a production WSGI server, rather than Bolt's development server.

Every request to /slack/events passes a gate before Bolt sees it: a body over MAX_BODY_BYTES is
refused unread (413), an unsigned or stale one gets 401, and a signed one that is not a Slack payload
gets 400, each with one log line and never the body (it can hold response_urls and the legacy
verification token)."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from store import db

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
RETRY_AFTER_SECONDS = 5
# Most requests are short, but ingests may wait on the store; threads that wait cost little.
THREADS = 32
# Slack's payloads are a few kilobytes; a megabyte is generous, and nothing larger is read at all.
MAX_BODY_BYTES = 1_000_000
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Route = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]


def json_response(
    start_response: Callable[..., Any],
    status: int,
    payload: dict[str, Any],
    headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    reasons = {
        200: "OK",
        202: "Accepted",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        411: "Length Required",
        413: "Payload Too Large",
        422: "Unprocessable Entity",
        500: "Internal Server Error",
        503: "Service Unavailable",
    }
    body = json.dumps(payload).encode()
    start_response(
        f"{status} {reasons.get(status, 'OK')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers],
    )
    return [body]


def read_body(environ: dict[str, Any], limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, read only when its declared length is within `limit`; else `BodyRefused`."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BodyRefused(400, "Content-Length is not a number") from None
    if length > limit:
        raise BodyRefused(413, f"body larger than {limit} bytes")
    return environ["wsgi.input"].read(length) if length > 0 else b""


class TryLater(Exception):
    """A route cannot serve the request now (busy, or the store unreachable): 503 with Retry-After."""


class StoreUnreachable(Exception):
    """The database cannot be reached, as another process found (its own error does not cross over)."""


class BodyRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def slack_payload(body: bytes, content_type: str) -> dict[str, Any] | None:
    """A signed body as Bolt will read it: a JSON object, or a form (first value of each field) whose
    `payload` (interactions), if any, is one; None for anything else, which would only give Bolt a
    traceback to log."""
    try:
        text = body.decode("utf-8")
        if content_type.split(";", 1)[0].strip().lower() == "application/json":
            parsed = json.loads(text)
            return parsed if isinstance(parsed, dict) else None
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
        if "payload" in form and not isinstance(json.loads(form["payload"][0]), dict):
            return None
        return {name: values[0] for name, values in form.items()}
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


class Refused(NamedTuple):
    status: int
    reason: str


def slack_gate(signing_secret: str | None) -> Callable[[dict[str, Any]], Refused | dict[str, Any]]:
    """Checks a request to /slack/events before Bolt parses it: its payload (with the body put back
    for Bolt), or why it is refused."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def check(environ: dict[str, Any]) -> Refused | dict[str, Any]:
        if environ.get("REQUEST_METHOD") != "POST":
            return Refused(405, "POST only")
        try:
            body = read_body(environ)
        except BodyRefused as refused:
            return Refused(refused.status, refused.reason)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        try:
            signed = verifier is not None and verifier.is_valid(body, timestamp, signature)  # type: ignore[arg-type]
        except (ValueError, TypeError):  # a timestamp that is not a number
            signed = False
        if not signed:
            return Refused(401, "missing, stale or wrong signature")
        payload = slack_payload(body, environ.get("CONTENT_TYPE", ""))
        if payload is None:
            return Refused(400, "signed, but not a Slack payload")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return payload

    return check


def acked_at_once(payload: dict[str, Any]) -> bool:
    """Whether the server acks a Slack request itself, before the app runs: slash commands and Events
    API callbacks, whose listeners ack with an empty body anyway. An interaction's ack can carry a
    modal's errors, and Slack's URL check needs its answer: those go through Bolt as they come."""
    if "payload" in payload:
        return False
    return "command" in payload or payload.get("type") == "event_callback"


# Runs a Slack request the server has already acked: `environ` (its body re-readable) and the payload.
Handover = Callable[[dict[str, Any], dict[str, Any]], None]


class AckedFirst:
    """Slack requests the server acknowledges itself, the moment their signature checks, and hands on
    afterwards. Slack gives up on an ack after 3 s, and on the night the ack shares the machine with
    ingests and answers: Bolt's own ack path (parsing the body again, copying the request for its lazy
    listeners, its middleware) is several times the work of the signature check, and in one process
    every bit of it waits its turn for the interpreter lock."""

    def __init__(self, handle: Handover, threads: int = 4) -> None:
        self.handle = handle
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="slack-handover")

    def hand_over(self, environ: dict[str, Any], payload: dict[str, Any]) -> None:
        self._pool.submit(self._run, environ, payload)

    def _run(self, environ: dict[str, Any], payload: dict[str, Any]) -> None:
        try:
            self.handle(environ, payload)
        except Exception:
            log.exception("a Slack request (%s) could not be handled after its ack", _kind(payload))


def in_this_process(slack: WsgiApp) -> Handover:
    """Hand acked requests to Bolt here, in this process."""

    def handle(environ: dict[str, Any], payload: dict[str, Any]) -> None:
        outcome: list[str] = []
        for _ in slack(environ, lambda status, headers, *rest: outcome.append(status)):
            pass
        if outcome and not outcome[0].startswith("200"):
            log.warning("a Slack request (%s) acked at once was answered %s by the app", _kind(payload), outcome[0])

    return handle


def slack_headers(environ: dict[str, Any]) -> dict[str, str | Sequence[str]]:
    """A request's headers as Bolt holds them: lower-case names, each with its list of values."""
    headers: dict[str, str | Sequence[str]] = {"content-type": [environ.get("CONTENT_TYPE", "")]}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = [value]
    return headers


def _kind(payload: dict[str, Any]) -> str:
    event = payload.get("event")
    return str(payload.get("command") or (event.get("type") if isinstance(event, dict) else None) or "unknown")


def make_wsgi(
    app: App | None,
    routes: dict[str, Route] | None = None,
    *,
    signing_secret: str | None = None,
    health: Callable[[], dict[str, str]] | None = None,
    hand_over: Handover | None = None,
) -> WsgiApp:
    """One WSGI app: Slack events (when `app` is given, i.e. HTTP mode, with the `signing_secret` its
    requests are signed with), extra JSON routes, and /healthz: 200, or 503 naming each problem that
    `health` reports (the database or Slack unreachable). Slash commands and events are acked by the
    server itself and then handed to `hand_over` (by default, Bolt in this process; see `AckedFirst`)."""
    slack = SlackRequestHandler(app, path=SLACK_PATH) if app is not None else None
    gate = slack_gate(signing_secret)
    early = AckedFirst(hand_over or in_this_process(slack)) if slack is not None else None
    extra = routes or {}

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == SLACK_PATH and slack is not None:
            passed = gate(environ)
            if isinstance(passed, Refused):
                status, reason = passed
                log.warning("refused %s %s from %s: %s", environ.get("REQUEST_METHOD"), path, _client(environ), reason)
                return json_response(start_response, status, {"ok": False, "error": reason})
            if early is not None and acked_at_once(passed):
                early.hand_over(environ, passed)
                start_response("200 OK", [("Content-Length", "0")])
                return [b""]
            return slack(environ, start_response)
        if path == "/healthz":
            problems = health() if health is not None else {}
            if problems:
                return json_response(start_response, 503, {"ok": False, "problems": problems})
            return json_response(start_response, 200, {"ok": True})
        route = extra.get(path)
        if route is not None:
            try:
                status, payload = route(environ)
            except TryLater as busy:
                log.warning("%s %s: asked to retry later: %s", environ.get("REQUEST_METHOD"), path, busy)
                payload = {"ok": False, "error": f"busy: {busy}; nothing was stored, retry"}
                return json_response(start_response, 503, payload, [("Retry-After", str(RETRY_AFTER_SECONDS))])
            except Exception as error:
                if isinstance(error, StoreUnreachable) or db.is_unreachable(error):
                    # The caller should send it again shortly; nothing was stored.
                    log.warning("%s %s: the database is unreachable: %s", environ.get("REQUEST_METHOD"), path, error)
                    payload = {"ok": False, "error": "the results store is unreachable; nothing was stored, retry"}
                    return json_response(start_response, 503, payload, [("Retry-After", str(RETRY_AFTER_SECONDS))])
                log.exception("%s %s failed", environ.get("REQUEST_METHOD"), path)
                status, payload = 500, {"ok": False, "error": "internal error; see the server log"}
            return json_response(start_response, status, payload)
        return json_response(start_response, 404, {"ok": False, "error": f"no such path: {path}"})

    return wsgi


def _client(environ: dict[str, Any]) -> str:
    return str(environ.get("REMOTE_ADDR") or "unknown")


class HttpServer:
    """waitress on a port (0 picks a free one, for tests), in the foreground or a thread."""

    def __init__(self, wsgi: WsgiApp, host: str = "0.0.0.0", port: int = 3000, threads: int = THREADS) -> None:
        # waitress itself refuses (413) a body beyond this before buffering it; the routes' own caps are
        # smaller and answer in their own words.
        self.server = create_server(
            wsgi, host=host, port=port, threads=threads, ident="resultsbot", max_request_body_size=2 * MAX_BODY_BYTES
        )
        self._thread: threading.Thread | None = None
        self._stopping = False

    @property
    def port(self) -> int:
        return int(self.server.effective_port)  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve_forever(self) -> None:
        try:
            self.server.run()
        except OSError:
            # Closing the listening socket from another thread ends waitress's select loop this way.
            if not self._stopping:
                raise

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self.serve_forever, name="http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self.server.task_dispatcher.shutdown()
        self.server.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
