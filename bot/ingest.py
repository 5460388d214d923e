"""`POST /ingest`: results from another system (a wire feed, a spreadsheet script) over HTTP.

The body is the same JSON as `resultsbot enter` takes (`"force": true` in it stores a declaration time
that looks wrong, as `--force` does there). Authenticated by a bearer token from
RESULTSBOT_INGEST_TOKEN; a wrong or missing token stores nothing and says 401.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from bot.desk import Desk
from bot.server import Route
from store.contest_input import InvalidResult, entry_from_json, parse_entry

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000


def ingest_route(desk: Desk, token: str | None) -> Route:
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
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return 413, {"ok": False, "error": f"body larger than {MAX_BODY_BYTES} bytes"}
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return 422, {"ok": False, "errors": {"body": f"not UTF-8 text: {error}"}}
        no_post = "no_post=1" in (environ.get("QUERY_STRING") or "")
        try:
            entry = parse_entry(entry_from_json(text), entered_by="ingest", source="POST /ingest")
            entered = desk.enter(entry, post=not no_post)
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
