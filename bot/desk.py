"""The desk's one door for entering a result, used by the CLI, the Slack modal and POST /ingest."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from bot.bootstrap import Store
from bot.config import Settings
from store import db
from store.entry import record_entry
from store.record import ContestInput

log = logging.getLogger(__name__)


class Wakeable(Protocol):
    def wake(self) -> None: ...


@dataclass(frozen=True)
class Entered:
    status: str  # "new", "corrected" or "unchanged"
    contest_id: int
    version: int
    message: str  # what to tell whoever entered it
    queued_channels: tuple[str, ...]


class Desk:
    def __init__(self, store: Store, settings: Settings, dispatcher: Wakeable | None = None) -> None:
        self.store = store
        self.settings = settings
        self.dispatcher = dispatcher

    def enter(self, entry: ContestInput, *, post: bool = True) -> Entered:
        """Validate, store and queue the posts in one transaction; InvalidResult changes nothing."""
        with db.transaction(self.store.sessions) as session:
            outcome = record_entry(session, entry, self.settings.results_channels, post=post)
            session.flush()
            entered = Entered(
                outcome.status,
                outcome.record.contest.id,
                outcome.record.contest.version,
                outcome.describe(),
                tuple(outcome.queued_channels),
            )
        log.info("result entered by %s: %s", entry.entered_by or "unknown", entered.message)
        if entered.status != "unchanged":
            self.store.results.refresh()
            if self.dispatcher is not None and entered.queued_channels:
                self.dispatcher.wake()
        return entered
