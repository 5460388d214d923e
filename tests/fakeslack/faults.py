"""The fault script: what the next calls of a method do instead of succeeding.

A test queues faults per method (a Web API method such as ``chat.postMessage``, or ``response_url``),
and each call takes the next one: an ``ok: false`` error, an HTTP error page, a 429 with
``Retry-After``, or a hang. ``ScriptedFaults`` gives ``FakeSlack`` the methods that queue them;
``Fault.reply`` is how a call taken over by a fault is answered. Hangs are carried out by the request
handler, which knows when the fake is stopped or reset.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal, NamedTuple


class FaultReply(NamedTuple):
    """The answer to a call a fault took over, and the outcome the fake records for that call."""

    outcome: str
    status: int
    body: dict[str, Any] | str
    headers: dict[str, str]


@dataclass(frozen=True)
class Fault:
    kind: Literal["error", "http", "ratelimit", "hang"]
    error: str = "internal_error"
    status: int = 500
    retry_after: int = 1
    seconds: float = 0.0
    apply: bool = True
    body: str | None = None

    def reply(self, is_api: bool) -> FaultReply:
        """The answer to an error, HTTP error or rate limit (a hung call is answered as it would have been)."""
        if self.kind == "error":
            if is_api:
                return FaultReply("error", 200, {"ok": False, "error": self.error}, {})
            # response_url answers errors (e.g. expired_url) as non-200 plain text.
            return FaultReply("error", 404, self.error, {})
        if self.kind == "ratelimit":
            body: dict[str, Any] | str = {"ok": False, "error": "ratelimited"} if is_api else "ratelimited"
            return FaultReply("ratelimited", 429, body, {"Retry-After": str(self.retry_after)})
        # Slack's edge serves 5xx pages, not JSON, so clients must cope with a non-JSON body.
        page = self.body if self.body is not None else HTTPStatus(self.status).phrase
        return FaultReply(f"http_{self.status}", self.status, page, {})


class ScriptedFaults:
    """The fault script of ``FakeSlack``: per method, the faults its next calls meet, in the order queued."""

    # FakeSlack's one lock: the script changes under it together with the calls it produces.
    _cond: threading.Condition

    def __init__(self) -> None:
        super().__init__()
        self._faults: dict[str, deque[Fault]] = {}

    def fail_next(self, method: str, times: int = 1, error: str = "internal_error") -> None:
        self._script(method, times, Fault("error", error=error))

    def http_error_next(self, method: str, times: int = 1, status: int = 500, body: str | None = None) -> None:
        self._script(method, times, Fault("http", status=status, body=body))

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        self._script(method, times, Fault("ratelimit", retry_after=retry_after))

    def hang_next(self, method: str, times: int = 1, seconds: float = 2.0, apply: bool = True) -> None:
        """Delay the reply by ``seconds``.

        With ``apply=True`` the call still takes effect after the delay, like a
        slow Slack that processed a request the client had already given up on;
        with ``apply=False`` it is dropped and answered ``request_timeout``.
        """
        self._script(method, times, Fault("hang", seconds=seconds, apply=apply))

    def _script(self, method: str, times: int, fault: Fault) -> None:
        with self._cond:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def _take_fault(self, method: str) -> Fault | None:
        """The fault the next call of ``method`` meets, if any, off the script. Lock held."""
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    def _clear_faults(self) -> None:
        """Lock held."""
        self._faults = {}
