"""Result cards in Slack: the picture of a posted result, uploaded into the post's thread.

The dispatcher hands each result it posts to `ResultCards.posted`, which only queues it: one worker
thread draws the card (`handlers.charts`) and uploads it with `files_upload_v2`, so no text post ever
waits for a picture. A picture is an extra: whatever goes wrong (drawing, the upload, Slack's answer)
is logged and dropped, never retried, and never fails, delays or repeats the text post. An app
installed without the `files:write` scope (Slack answers `missing_scope`) posts text alone, and the
log says why once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.blocks import card_upload_fields, labelled_title
from handlers.charts import result_card
from store.summary import Summary

log = logging.getLogger(__name__)

# Cards waiting to be drawn; past this (Slack far slower than results arrive) a card is dropped with a
# log line rather than held in memory without limit.
QUEUE_LIMIT = 200
NEEDED_SCOPE = "files:write"


@dataclass(frozen=True)
class _Card:
    summary: Summary
    channel: str
    thread_ts: str
    number: int  # the order cards were queued in


class ResultCards:
    def __init__(self, client: WebClient, *, enabled: bool = True, label: str | None = None) -> None:
        self.client = client
        self.enabled = enabled
        self.label = label
        self._queue: queue.Queue[_Card | None] = queue.Queue(QUEUE_LIMIT)
        self._busy = threading.Condition()
        self._unfinished = 0
        self._thread: threading.Thread | None = None
        self._scope_missing = False
        self._queued = 0
        # The newest card queued for each thread: an older one still waiting is not drawn, so a correction
        # never sits in a thread below the card it corrects.
        self._newest: dict[tuple[str, str], int] = {}

    def posted(self, summary: Summary, channel: str, thread_ts: str) -> None:
        """A result was posted as `thread_ts` in `channel`: its card follows in the thread, soon."""
        if not self.enabled or self._scope_missing:
            return
        with self._busy:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="result-cards", daemon=True)
                self._thread.start()
            self._queued += 1
            try:
                self._queue.put_nowait(_Card(summary, channel, thread_ts, self._queued))
            except queue.Full:
                log.warning("no result card for %s: %d cards are already waiting", summary.constituency, QUEUE_LIMIT)
                return
            self._newest[(channel, thread_ts)] = self._queued
            self._unfinished += 1

    def upload(self, summary: Summary, channel: str, thread_ts: str) -> bool:
        """Draw the card and upload it into the thread now; False, with a log line, when it was not."""
        if self._scope_missing:
            return False
        try:
            picture = result_card(summary)
            names = card_upload_fields(summary)
            self.client.files_upload_v2(
                content=picture,
                filename=names.filename,
                title=labelled_title(names.title, self.label),
                alt_txt=names.alt_txt,
                channel=channel,
                thread_ts=thread_ts,
            )
        except SlackApiError as error:
            code = error.response.get("error", "")
            if code == "missing_scope":
                self._scope_missing = True
                log.warning(
                    "result cards are off: the Slack app lacks the %s scope (Slack answered missing_scope); "
                    "results are posted as text alone. Add %s to the app's bot scopes, reinstall it and restart "
                    "to get the pictures.",
                    NEEDED_SCOPE,
                    NEEDED_SCOPE,
                )
            else:
                log.warning("no result card for %s in %s: slack error %s", summary.constituency, channel, code)
            return False
        except Exception as error:  # a picture is an extra: nothing in it may stop the posts
            log.warning(
                "no result card for %s in %s: %s: %s", summary.constituency, channel, type(error).__name__, error
            )
            return False
        log.info("result card for %s uploaded to %s", summary.constituency, channel)
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Whether every queued card was uploaded or given up within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._busy:
            return self._busy.wait_for(lambda: self._unfinished == 0, max(0.0, deadline - time.monotonic()))

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the cards already queued (for at most `timeout` seconds), then end the worker."""
        thread = self._thread
        if thread is None:
            return
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return  # the worker is a daemon: it ends with the process
        thread.join(timeout)
        with self._busy:
            self._thread = None

    def _work(self) -> None:
        while True:
            card = self._queue.get()
            if card is None:
                return
            key = (card.channel, card.thread_ts)
            try:
                with self._busy:
                    superseded = self._newest.get(key) != card.number
                if superseded:
                    log.info(
                        "result card for %s skipped: a newer one for the same post is queued", card.summary.constituency
                    )
                else:
                    self.upload(card.summary, card.channel, card.thread_ts)
            finally:
                with self._busy:
                    if self._newest.get(key) == card.number:
                        del self._newest[key]
                    self._unfinished -= 1
                    self._busy.notify_all()
