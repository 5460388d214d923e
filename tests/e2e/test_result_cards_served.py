"""`resultsbot serve` as its own process: an ingested result is posted, then its card follows in the post's
thread; an app without files:write posts text alone and says why once in its log."""

from __future__ import annotations

import json
import time

# The serve tests' fixture (a copy of the bundled store, a fake Slack, the process); pytest passes it to
# tests by name, which ruff reads as a redefinition.
# ruff: noqa: F811
from tests.e2e.serving import INGEST_TOKEN
from tests.e2e.test_serve import served  # noqa: F401
from tests.results import posted_results, result
from tests.slack_signing import post

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MISSING_SCOPE_LOG = "result cards are off: the Slack app lacks the files:write scope"


def ingest(url: str, seat: int) -> None:
    headers = {"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"}
    status, _, data = post(f"{url}/ingest", json.dumps(result(seat)), headers)
    assert status == 201, data


def test_an_ingested_result_is_posted_and_its_card_follows_in_the_thread(served) -> None:
    url, slack, _ = served
    ingest(url, 81)
    slack.wait_for("files.completeUploadExternal", timeout=20)
    (posted,) = posted_results(slack)
    (card,) = slack.uploaded_files("CRESULTS")
    assert card.thread_ts == posted["ts"] and card.content.startswith(PNG_SIGNATURE)
    assert card.title is not None and card.title.startswith("Testshire 81: ")


def test_without_files_write_serve_posts_text_alone_and_logs_why_once(served) -> None:
    url, slack, running = served
    slack.files_write_scope = False
    for seat in (82, 83):
        ingest(url, seat)
    slack.wait_for("chat.postMessage", count=2, timeout=20)
    deadline = time.monotonic() + 20
    while MISSING_SCOPE_LOG not in running.output and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # time for a second card, were one (wrongly) tried
    assert running.output.count(MISSING_SCOPE_LOG) == 1
    assert len(posted_results(slack)) == 2 and slack.uploaded_files() == []
    assert len(slack.calls_to("files.getUploadURLExternal")) == 1
