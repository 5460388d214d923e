"""The fake Slack Web API: ``FakeSlack``, its HTTP server, the calls it records and the methods it answers.

``FakeSlack`` serves ``/api/<method>`` and ``/response/<name>`` (response_url) on 127.0.0.1, keeps
each channel's messages so that posting, updating and reading history agree, and records every
request as a ``Call``. It takes its fault script from ``faults`` and its Socket Mode side from
``socket_mode``.

Only the methods the bot calls are faked: ``auth.test``, ``chat.postMessage``, ``chat.update``,
``conversations.history``, ``conversations.replies``, ``views.open``, ``usergroups.users.list``,
``apps.connections.open``, and the three steps of ``files_upload_v2``: ``files.getUploadURLExternal``
(an upload URL on this server, ``/upload/<file id>``, recorded as the call ``file_upload``, whose
faults can be scripted like any method's), the POST of the bytes, and ``files.completeUploadExternal``
(the file shared in a channel or a thread: kept in ``uploaded_files`` and shown as a message). Set
``files_write_scope = False`` to have the file methods answer ``missing_scope`` like an app installed
without ``files:write``. Any other method answers ``{"ok": true}`` unless a test sets a response for
it with ``set_response``.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, quote, urlsplit

from tests.fakeslack.faults import ScriptedFaults
from tests.fakeslack.socket_mode import SocketMode
from tests.fakeslack.workspace import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, TEAM_NAME, TEAM_URL

# Where files.getUploadURLExternal sends a file's bytes, and the name its POST is recorded (and faulted) by.
UPLOAD_PATH = "/upload/"
FILE_UPLOAD = "file_upload"

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
class UploadedFile:
    """A file shared through ``files.completeUploadExternal``: what a reader would open."""

    id: str
    filename: str
    title: str | None
    alt_txt: str | None
    content: bytes
    channel: str | None
    thread_ts: str | None


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    view_counter: int = 0
    # files.getUploadURLExternal's answers waiting for their bytes and completion, by file id
    pending_uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded_files: list[UploadedFile] = field(default_factory=list)


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

    def reply(self, status: int, body: dict[str, Any] | str, extra: dict[str, str] | None = None) -> None:
        """JSON for a dict, as the Web API answers; plain text for a string, as response_url and errors do."""
        if isinstance(body, dict):
            self.send_text(status, json.dumps(body), "application/json; charset=utf-8", extra)
        else:
            self.send_text(status, body, "text/plain; charset=utf-8", extra)

    def send_text(self, status: int, text: str, content_type: str, extra: dict[str, str] | None = None) -> None:
        data = text.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # The client already gave up (timeout tests); nothing left to tell it.


class FakeSlack(ScriptedFaults, SocketMode):
    """A threaded HTTP server impersonating slack.com/api for one test (or fixture scope).

    ``start_ts`` makes message timestamps deterministic (``start_ts + 0.0001 * n``);
    by default they follow the wall clock, because code that asks for history
    ``oldest=<now - 1 day>`` would otherwise never see anything.
    """

    def __init__(self, *, start_ts: float | None = None, require_token: bool = True) -> None:
        # One lock guards the Web API state, the fault script and the Socket Mode state alike,
        # so a single wait can watch for any of them.
        self._cond = threading.Condition()
        super().__init__()
        self.require_token = require_token
        # Turn on to prove the bot passes include_all_metadata: Slack only returns
        # metadata without it for event types the app subscribes to.
        self.history_metadata_requires_flag = False
        self.usergroups: dict[str, list[str]] = {}
        # False plays an app installed without files:write: the file methods answer missing_scope.
        self.files_write_scope = True
        self._start_ts = start_ts
        self._last_ts_us = 0
        self._responders: dict[str, Responder] = {}
        self._state = _State()
        self._wake = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
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
            self._clear_faults()
            self._forget_socket_messages()
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

    def uploaded_files(self, channel: str | None = None) -> list[UploadedFile]:
        """Files shared so far (in ``channel`` only, when given), oldest first."""
        with self._cond:
            return [f for f in self._state.uploaded_files if channel is None or f.channel == channel]

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

    # ----- programming responses -------------------------------------------------

    def set_response(self, method: str, response: Responder) -> None:
        """Answer ``method`` with a fixed dict, or ``fn(params) -> dict``, instead of the default."""
        with self._cond:
            self._responders[method] = response

    def add_usergroup(self, group_id: str, users: Iterable[str]) -> None:
        with self._cond:
            self.usergroups[group_id] = list(users)

    # ----- request handling (handler threads) ------------------------------------

    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if split.path.startswith(UPLOAD_PATH):
            # A file's bytes, sent raw to the URL files.getUploadURLExternal gave: not a form to parse.
            params: dict[str, Any] = {"file_id": split.path[len(UPLOAD_PATH) :], "content": raw}
        else:
            try:
                params = dict(parse_qsl(split.query, keep_blank_values=True))
                params.update(parse_body(headers.get("content-type", ""), raw))
                _decode_json_fields(params)
            except ValueError as exc:
                handler.send_text(400, f"FakeSlack could not parse the body: {exc}", "text/plain")
                return

        if split.path.startswith("/api/") and len(split.path) > len("/api/"):
            method, is_api = split.path[len("/api/") :], True
        elif split.path.startswith("/response/"):
            method, is_api = "response_url", False
        elif split.path.startswith(UPLOAD_PATH):
            method, is_api = FILE_UPLOAD, False
        else:
            handler.reply(
                404, {"ok": False, "error": "unknown_path", "detail": f"{split.path}: expected /api/<method>"}
            )
            return

        with self._cond:
            fault = self._take_fault(method)
            wake = self._wake

        if fault is not None and fault.kind != "hang":
            failed = fault.reply(is_api)
            self._record(Call(method, params, headers, time.time(), failed.outcome, split.path))
            handler.reply(failed.status, failed.body, failed.headers)
            return

        status: int
        body: dict[str, Any] | str
        if fault is not None:
            # Recorded on arrival so a test can see the call while the client is still waiting.
            self._record(Call(method, params, headers, time.time(), "hung", split.path))
            # The wake event fires on stop() or reset(); either way this request's
            # world is gone, so it must not leave side effects behind.
            interrupted = wake.wait(fault.seconds)
            with self._cond:
                if interrupted or not fault.apply or wake is not self._wake:
                    status, body = 200, {"ok": False, "error": "request_timeout"}
                else:
                    status, body = self._dispatch(method, params, headers, is_api)
        else:
            with self._cond:
                status, body = self._dispatch(method, params, headers, is_api)
                ok = body.get("ok", False) if isinstance(body, dict) else status == 200
                self._record_locked(Call(method, params, headers, time.time(), "ok" if ok else "error", split.path))
        handler.reply(status, body)

    def _record(self, call: Call) -> None:
        with self._cond:
            self._record_locked(call)

    def _record_locked(self, call: Call) -> None:
        self._state.calls.append(call)
        self._cond.notify_all()

    def _connections_opened(self) -> int:
        return sum(1 for c in self._state.calls if c.method == "apps.connections.open")

    # ----- API semantics (called with the lock held) -----------------------------

    def _dispatch(
        self, method: str, params: dict[str, Any], headers: dict[str, str], is_api: bool
    ) -> tuple[int, dict[str, Any] | str]:
        if method == FILE_UPLOAD:
            return self._file_upload(params)
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
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "views.open": self._views_open,
            "usergroups.users.list": self._usergroups_users_list,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
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

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
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

    def _usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        users = self.usergroups.get(params.get("usergroup") or "")
        if users is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(users)}

    def _missing_files_write(self) -> dict[str, Any] | None:
        if self.files_write_scope:
            return None
        return {"ok": False, "error": "missing_scope", "needed": "files:write", "provided": "chat:write,commands"}

    def _files_get_upload_url_external(self, params: dict[str, Any]) -> dict[str, Any]:
        refused = self._missing_files_write()
        if refused is not None:
            return refused
        filename, length = params.get("filename"), params.get("length")
        if not filename or not str(length or "").isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self._state.pending_uploads) + len(self._state.uploaded_files) + 1:08d}"
        self._state.pending_uploads[file_id] = {
            "filename": filename,
            "length": int(length),  # type: ignore[arg-type]
            "alt_txt": params.get("alt_txt"),
            "content": None,
        }
        return {"ok": True, "upload_url": f"{self.url}{UPLOAD_PATH}{file_id}", "file_id": file_id}

    def _file_upload(self, params: dict[str, Any]) -> tuple[int, str]:
        pending = self._state.pending_uploads.get(params["file_id"])
        if pending is None:
            return 404, "file not found"
        content: bytes = params["content"]
        if len(content) != pending["length"]:
            # Slack refuses bytes that do not match the length announced in files.getUploadURLExternal.
            return 400, "length mismatch"
        pending["content"] = content
        return 200, f"OK - {len(content)}"

    def _files_complete_upload_external(self, params: dict[str, Any]) -> dict[str, Any]:
        refused = self._missing_files_write()
        if refused is not None:
            return refused
        try:
            files = json.loads(params.get("files") or "[]")
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        channel, thread_ts = params.get("channel_id") or None, params.get("thread_ts") or None
        if thread_ts and (not channel or self._find(channel, thread_ts) is None):
            return {"ok": False, "error": "invalid_thread_ts" if channel else "invalid_arguments"}
        shared = []
        for item in files:
            pending = self._state.pending_uploads.get(item.get("id", ""))
            if pending is None or pending["content"] is None:
                return {"ok": False, "error": "file_not_found"}
            shared.append((item["id"], item.get("title"), pending))
        for file_id, title, pending in shared:
            del self._state.pending_uploads[file_id]
            self._state.uploaded_files.append(
                UploadedFile(
                    file_id, pending["filename"], title, pending["alt_txt"], pending["content"], channel, thread_ts
                )
            )
        described = [
            {"id": file_id, "name": pending["filename"], "title": title or pending["filename"], "mimetype": "image/png"}
            for file_id, title, pending in shared
        ]
        if channel:
            message: dict[str, Any] = {
                "type": "message",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team": TEAM_ID,
                "text": "",
                "files": copy.deepcopy(described),
                "upload": True,
                "ts": self._next_ts(),
            }
            if thread_ts:
                message["thread_ts"] = thread_ts
            self._store(channel, message)
        return {"ok": True, "files": described}
