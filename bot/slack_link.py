"""Whether Slack can be reached, found out in the background so the bot starts without it.

On the night Slack may be down or unreachable when the bot starts: /ingest, the console-side store and
the outbox must work regardless (posts wait in the outbox), so the bot checks Slack (`auth.test`, and
opens Socket Mode when asked) in a thread of its own, retrying with capped backoff, logging one line
per change of state, and reporting the problem to /healthz until it is solved.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk import WebClient

log = logging.getLogger(__name__)
_QUIET = logging.getLogger(f"{__name__}.probe")
_QUIET.setLevel(logging.CRITICAL)

PROBE_TIMEOUT_SECONDS = 5
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 30.0


class SlackLink:
    def __init__(
        self,
        client: WebClient,
        *,
        first_retry: float = FIRST_RETRY_SECONDS,
        max_retry: float = MAX_RETRY_SECONDS,
    ) -> None:
        # A probe of its own: no retry handlers (the backoff is here) and a quiet logger, or slack_sdk
        # would log every failed try at ERROR where one line per change of state is wanted.
        self.client = WebClient(
            token=client.token,
            base_url=client.base_url,
            timeout=PROBE_TIMEOUT_SECONDS,
            retry_handlers=[],
            logger=_QUIET,
        )
        self.first_retry, self.max_retry = first_retry, max_retry
        self._connect: Callable[[], None] | None = None
        self._problem: str | None = "not checked yet"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def then_connect(self, connect: Callable[[], None]) -> None:
        """Once Slack answers, also run `connect` (opening Socket Mode), retried the same way."""
        self._connect = connect

    @property
    def problem(self) -> str | None:
        """None once Slack has answered; else why not, in a few words."""
        return self._problem

    def start(self) -> SlackLink:
        self._thread = threading.Thread(target=self._run, name="slack-link", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        delay = self.first_retry
        while not self._stop.is_set():
            try:
                self.client.auth_test()
                if self._connect is not None:
                    self._connect()
            except Exception as error:  # unreachable, 5xx, a bad token: all wait and say why
                reason = f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
                if self._problem != reason:
                    log.warning("cannot reach Slack (%s); posts wait in the outbox; retrying", reason)
                self._problem = reason
                self._stop.wait(delay)
                delay = min(self.max_retry, delay * 2)
                continue
            if self._problem != "not checked yet":
                log.info("Slack is reachable again")
            self._problem = None
            return
