"""`POST /ingest`: results from another system (a wire feed, a spreadsheet script) over HTTP.

The body is the same JSON as `resultsbot enter` takes (`"force": true` in it stores a declaration time
that looks wrong, as `--force` does there). Authenticated by a bearer token from
RESULTSBOT_INGEST_TOKEN; a wrong or missing token stores nothing and says 401.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.desk import Desk
from bot.server import BodyRefused, Route, TryLater, read_body
from store.contest_input import InvalidResult, client_source, entry_from_json, parse_entry
from store.enter_result import Entered, OutOfOrder

log = logging.getLogger(__name__)

# Ingests share the HTTP server's threads with Slack, whose requests must be acked within 3 s: at most
# RUNNING ingests store at once and at most IN_FLIGHT hold a thread (running or waiting their turn),
# fewer than the server has (bot.server.THREADS); beyond that a sender is told to try again, and Slack
# always has threads free.
RUNNING = 2
IN_FLIGHT = 24


class IngestSlots:
    def __init__(self, running: int = RUNNING, in_flight: int = IN_FLIGHT) -> None:
        self._running = threading.BoundedSemaphore(running)
        self._in_flight = 0
        self._limit = in_flight
        self._lock = threading.Lock()

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._lock:
            if self._in_flight >= self._limit:
                raise TryLater(f"{self._limit} results are being stored already")
            self._in_flight += 1
        try:
            with self._running:
                yield
        finally:
            with self._lock:
                self._in_flight -= 1


def store_posted(desk: Desk, text: str, post: bool) -> Entered:
    """A result POSTed as JSON text: parsed, validated and entered at `desk`; InvalidResult stores nothing."""
    data = entry_from_json(text)
    # The client may name itself ("source": "Sky wire desk"): its results are credited to it.
    client = data.get("source") if isinstance(data, dict) and isinstance(data.get("source"), str) else None
    return desk.enter(parse_entry(data, entered_by="ingest", source=client_source(client)), post=post)


# Stores a POSTed result (its JSON text; whether to post it): here, or in a worker process (bot.workers).
EnterPosted = Callable[[str, bool], Entered]


def ingest_route(enter: EnterPosted, token: str | None, slots: IngestSlots | None = None) -> Route:
    slots = slots or IngestSlots()

    def ingest(environ: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if environ.get("REQUEST_METHOD") != "POST":
            return 405, {"ok": False, "error": "POST a result as JSON"}
        if not token:
            return 404, {"ok": False, "error": "ingest is not enabled: set RESULTSBOT_INGEST_TOKEN"}
        given = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, presented = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), token.encode()):
            log.warning("ingest refused: bad or missing bearer token from %s", environ.get("REMOTE_ADDR"))
            return 401, {"ok": False, "error": "a valid 'Authorization: Bearer <token>' header is required"}
        try:
            raw = read_body(environ)
        except BodyRefused as refused:
            return refused.status, {"ok": False, "error": refused.reason}
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return 422, {"ok": False, "errors": {"body": f"not UTF-8 text: {error}"}}
        no_post = "no_post=1" in (environ.get("QUERY_STRING") or "")
        try:
            with slots.slot():
                entered = enter(text, not no_post)
        except OutOfOrder as error:
            # Well formed, but the stored result is further on: the sender should not retry it.
            return 409, {"ok": False, "errors": error.problems}
        except InvalidResult as error:
            return 422, {"ok": False, "errors": error.problems}
        return (201 if entered.status != "unchanged" else 200), {
            "ok": True,
            "status": entered.status,
            "contest_id": entered.contest_id,
            "version": entered.version,
            "message": entered.message,
            "queued_channels": list(entered.queued_channels),
        }

    return ingest
