"""The HTTP side of `resultsbot serve`: Slack's events endpoint (HTTP mode) and the health check,
served by waitress, a production WSGI server, rather than Bolt's development server."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Route = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]


def json_response(start_response: Callable[..., Any], status: int, payload: dict[str, Any]) -> list[bytes]:
    reasons = {
        200: "OK",
        202: "Accepted",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        422: "Unprocessable Entity",
        500: "Internal Server Error",
    }
    body = json.dumps(payload).encode()
    start_response(
        f"{status} {reasons.get(status, 'OK')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def make_wsgi(app: App | None, routes: dict[str, Route] | None = None) -> WsgiApp:
    """One WSGI app: Slack events (when `app` is given, i.e. HTTP mode), extra JSON routes, /healthz."""
    slack = SlackRequestHandler(app, path=SLACK_PATH) if app is not None else None
    extra = routes or {}

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == SLACK_PATH and slack is not None:
            return slack(environ, start_response)
        if path == "/healthz":
            return json_response(start_response, 200, {"ok": True})
        route = extra.get(path)
        if route is not None:
            try:
                status, payload = route(environ)
            except Exception:
                log.exception("%s %s failed", environ.get("REQUEST_METHOD"), path)
                status, payload = 500, {"ok": False, "error": "internal error; see the server log"}
            return json_response(start_response, status, payload)
        return json_response(start_response, 404, {"ok": False, "error": f"no such path: {path}"})

    return wsgi


class HttpServer:
    """waitress on a port (0 picks a free one, for tests), in the foreground or a thread."""

    def __init__(self, wsgi: WsgiApp, host: str = "0.0.0.0", port: int = 3000, threads: int = 8) -> None:
        self.server = create_server(wsgi, host=host, port=port, threads=threads, ident="resultsbot")
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
