"""The desk's door as the running bot wires it: the entry use case, then the answer cache and the
dispatcher told. The CLI, the Slack modal and POST /ingest all enter results through `Desk.enter`."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.bootstrap import Store
from bot.config import Settings
from store.contest_input import ContestInput
from store.enter_result import Entered, enter_result

log = logging.getLogger(__name__)


class Wakeable(Protocol):
    def wake(self) -> None: ...


class Desk:
    def __init__(self, store: Store, settings: Settings, dispatcher: Wakeable | None = None) -> None:
        self.store = store
        self.channels = settings.results_channels
        self.dispatcher = dispatcher

    def enter(self, entry: ContestInput, *, post: bool = True) -> Entered:
        """Validate, store and queue the posts in one transaction; InvalidResult changes nothing."""
        entered = enter_result(self.store.sessions, entry, channels=self.channels if post else None)
        log.info("result entered by %s: %s", entry.entered_by or "unknown", entered.message)
        if entered.status != "unchanged":
            self.store.results.refresh()
        self.queued(entered)
        return entered

    def queued(self, entered: Entered) -> None:
        """Tell the dispatcher of posts queued by an entry, here or in another process."""
        if self.dispatcher is not None and entered.queued_channels:
            self.dispatcher.wake()
