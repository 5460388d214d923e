"""Delivering the outbox to Slack: every entered result posted once, corrections edited in place.

Each outbox entry is claimed with a lease (an atomic conditional UPDATE; on PostgreSQL the candidate
rows are also read `FOR UPDATE SKIP LOCKED`), so several dispatchers can run at once and none posts an
entry another holds. Every post carries Slack message metadata naming its outbox entry; when a delivery
may have happened without being recorded (a timeout, a dispatcher killed mid-call, an expired lease)
the entry is marked uncertain and the channel is searched for that metadata before anything is posted
again. Entries of one seat in one channel are delivered strictly in order.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import CursorResult, and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from handlers import blocks
from store.changes import change_note, figure_changes, previous_version
from store.models import DONE, IN_FLIGHT, PENDING, Contest, OutboxEntry, with_candidates
from store.summary import summarise

log = logging.getLogger(__name__)

METADATA_EVENT = "resultsbot_result"
NOTE_EVENT = "resultsbot_correction_note"
# Errors no retry will mend; the entry still waits (never dropped) but retries only slowly.
CONFIG_ERRORS = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "missing_scope",
    "restricted_action",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class DispatchSettings:
    lease_seconds: float = 60.0  # longer than one delivery can take, with the client's timeout
    poll_seconds: float = 0.25
    per_channel_interval: float = 1.0  # Slack allows about one message a second per channel
    max_backoff_seconds: float = 60.0
    config_error_backoff_seconds: float = 300.0
    history_window_seconds: float = 3600.0
    # After a timeout, Slack may still be acting on the request; look for the post only once it
    # has had time to land, or the look finds nothing and the retry posts it twice.
    uncertain_settle_seconds: float = 20.0


class DeliveryUncertain(Exception):
    """The request went out but no answer came: Slack may or may not have acted on it."""


class Dispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: WebClient,
        settings: DispatchSettings | None = None,
        *,
        name: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.settings = settings or DispatchSettings()
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._channel_ready: dict[str, float] = {}
        self._thread: threading.Thread | None = None

    # -- running ---------------------------------------------------------------------------------

    def wake(self) -> None:
        """A result was just committed: look now rather than at the next poll."""
        self._wake.set()

    def run_forever(self) -> None:
        log.info("dispatcher %s started", self.name)
        while not self._stop.is_set():
            try:
                delivered = self.run_once()
            except Exception:
                # A database or network blip must not end the dispatcher: log it and try again.
                log.exception("dispatcher %s: pass failed; retrying", self.name)
                delivered = 0
            if not delivered:
                self._wake.wait(self.settings.poll_seconds)
                self._wake.clear()
        log.info("dispatcher %s stopped", self.name)

    def start(self) -> Dispatcher:
        self._thread = threading.Thread(target=self.run_forever, name="dispatcher", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> int:
        """Deliver what is due now; returns how many entries were finished."""
        finished = 0
        while not self._stop.is_set():
            entry_id, wait = self.claim()
            if entry_id is None:
                if wait is None:
                    return finished
                # Only channels still inside their pacing interval have work: wait for the first.
                self._wake.wait(wait)
                continue
            if self.deliver(entry_id):
                finished += 1
        return finished

    # -- claiming --------------------------------------------------------------------------------

    def _due(self, now: dt.datetime) -> Any:
        earlier = aliased(OutboxEntry)
        blocked = exists().where(
            earlier.election_id == OutboxEntry.election_id,
            earlier.constituency_id == OutboxEntry.constituency_id,
            earlier.channel == OutboxEntry.channel,
            earlier.id < OutboxEntry.id,
            earlier.status != DONE,
        )
        return and_(
            or_(
                and_(OutboxEntry.status == PENDING, OutboxEntry.next_attempt_at <= now),
                and_(OutboxEntry.status == IN_FLIGHT, OutboxEntry.lease_until < now),
            ),
            ~blocked,
        )

    def claim(self) -> tuple[int | None, float | None]:
        """Take the oldest due entry whose channel may be posted to now: (its id, None); or, when
        every due entry waits on its channel's pacing, (None, seconds to wait); or (None, None)."""
        now = utcnow()
        with self.sessions() as session, session.begin():
            query = select(OutboxEntry.id, OutboxEntry.channel, OutboxEntry.status).where(self._due(now))
            query = query.order_by(OutboxEntry.id).limit(20)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True, of=OutboxEntry)
            candidates = session.execute(query).all()
            waiting = time.monotonic()
            for entry_id, channel, status in candidates:
                if self._channel_ready.get(channel, 0.0) > waiting:
                    continue
                taken: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                    update(OutboxEntry)
                    .where(OutboxEntry.id == entry_id, self._due(now))
                    .values(
                        status=IN_FLIGHT,
                        lease_until=now + dt.timedelta(seconds=self.settings.lease_seconds),
                        claimed_by=self.name,
                        attempts=OutboxEntry.attempts + 1,
                        # A lease that ran out means a dispatcher stopped mid-delivery.
                        **({"uncertain": True} if status == IN_FLIGHT else {}),
                    )
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount == 1:
                    return int(entry_id), None
            paced = [
                self._channel_ready.get(c, 0.0) for _, c, _ in candidates if self._channel_ready.get(c, 0.0) > waiting
            ]
            if paced:
                return None, max(0.0, min(paced) - time.monotonic())
        return None, None

    # -- delivering ------------------------------------------------------------------------------

    def deliver(self, entry_id: int) -> bool:
        with self.sessions() as session:
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            contest = session.scalars(
                select(Contest).where(Contest.id == entry.contest_id).options(*with_candidates())
            ).one()
            original = self._original_post(session, entry)
            try:
                if original is None:
                    self._post(session, entry, contest)
                else:
                    self._correct(session, entry, contest, original)
            except SlackApiError as error:
                self._failed(session, entry, error)
                return False
            except DeliveryUncertain as error:
                self._failed(session, entry, error, uncertain=True)
                return False
            entry.status = DONE
            entry.done_at = utcnow()
            entry.lease_until = None
            entry.last_error = None
            session.commit()
            log.info(
                "posted %s v%d to %s (ts %s)", contest.constituency.name, entry.version, entry.channel, entry.message_ts
            )
        return True

    def _original_post(self, session: Session, entry: OutboxEntry) -> OutboxEntry | None:
        """The first message posted for this seat's result in this channel, which corrections edit."""
        return session.scalars(
            select(OutboxEntry)
            .where(
                OutboxEntry.election_id == entry.election_id,
                OutboxEntry.constituency_id == entry.constituency_id,
                OutboxEntry.channel == entry.channel,
                OutboxEntry.id < entry.id,
                OutboxEntry.status == DONE,
                OutboxEntry.message_ts.is_not(None),
            )
            .order_by(OutboxEntry.id)
            .limit(1)
        ).first()

    def _metadata(self, entry: OutboxEntry, contest: Contest, event_type: str = METADATA_EVENT) -> dict[str, Any]:
        return {
            "event_type": event_type,
            "event_payload": {
                "outbox_id": entry.id,
                "contest_id": contest.id,
                "version": contest.version,
                "ons_id": contest.constituency.ons_id,
                "election_date": contest.election.date.isoformat(),
            },
        }

    def _post(self, session: Session, entry: OutboxEntry, contest: Contest) -> None:
        if entry.uncertain:
            found = self._find_in_channel(entry)
            if found is not None:
                log.info("outbox %d was already posted as %s; not posting again", entry.id, found)
                entry.message_ts = found
                return
        message = blocks.message(summarise(session, contest))
        response = self._call(
            "chat_postMessage",
            channel=entry.channel,
            metadata=self._metadata(entry, contest),
            unfurl_links=False,
            **message,
        )
        entry.message_ts = response["ts"]
        entry.channel = response.get("channel", entry.channel)

    def _correct(self, session: Session, entry: OutboxEntry, contest: Contest, original: OutboxEntry) -> None:
        old = previous_version(session, contest) or contest
        note = change_note(old, contest)
        assert original.message_ts is not None
        if not entry.edited:
            summary = summarise(session, contest)
            # Only changed figures make a correction; a provisional result declared as it stood
            # loses its PROVISIONAL mark and gets its note in the thread.
            marked = note.split(": ", 1)[-1] if summary.corrected and figure_changes(old, contest) else None
            message = blocks.message(summary, corrected_note=marked)
            try:
                self._call(
                    "chat_update",
                    channel=entry.channel,
                    ts=original.message_ts,
                    metadata=self._metadata(entry, contest),
                    **message,
                )
            except SlackApiError as error:
                if error.response.get("error") != "message_not_found":
                    raise
                # Someone deleted the original: the channel still needs the corrected result.
                log.warning("original post %s of outbox %d is gone; posting afresh", original.message_ts, entry.id)
                self._post(session, entry, contest)
                return
            entry.edited = True
            entry.message_ts = original.message_ts
            session.commit()
        if entry.note_ts is None:
            found = self._find_in_thread(entry, original.message_ts) if entry.uncertain else None
            if found is None:
                response = self._call(
                    "chat_postMessage",
                    channel=entry.channel,
                    thread_ts=original.message_ts,
                    text=note,
                    metadata=self._metadata(entry, contest, NOTE_EVENT),
                )
                found = response["ts"]
            entry.note_ts = found

    def _call(self, method: str, **kwargs: Any) -> Any:
        """One Web API call, paced per channel; a timeout or dropped connection is 'uncertain'."""
        channel = kwargs["channel"]
        wait = self._channel_ready.get(channel, 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._channel_ready[channel] = time.monotonic() + self.settings.per_channel_interval
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError:
            raise
        except (TimeoutError, OSError) as error:
            raise DeliveryUncertain(f"{method}: {type(error).__name__}: {error}") from error

    def _find_in_channel(self, entry: OutboxEntry) -> str | None:
        oldest = (
            entry.created_at.replace(tzinfo=entry.created_at.tzinfo or dt.UTC).timestamp()
            - self.settings.history_window_seconds
        )
        return self._search(
            "conversations_history", entry, METADATA_EVENT, channel=entry.channel, oldest=f"{max(0.0, oldest):.6f}"
        )

    def _find_in_thread(self, entry: OutboxEntry, thread_ts: str) -> str | None:
        return self._search("conversations_replies", entry, NOTE_EVENT, channel=entry.channel, ts=thread_ts)

    def _search(self, method: str, entry: OutboxEntry, event_type: str, **kwargs: Any) -> str | None:
        """The ts of a message carrying this entry's metadata, searched page by page."""
        cursor = None
        while True:
            try:
                response = getattr(self.client, method)(include_all_metadata=True, limit=200, cursor=cursor, **kwargs)
            except (TimeoutError, OSError) as error:
                raise DeliveryUncertain(f"{method}: {error}") from error
            for message in response.get("messages", []):
                metadata = message.get("metadata") or {}
                if (
                    metadata.get("event_type") == event_type
                    and metadata.get("event_payload", {}).get("outbox_id") == entry.id
                ):
                    return str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None

    def _failed(self, session: Session, entry: OutboxEntry, error: Exception, *, uncertain: bool = False) -> None:
        delay = self._backoff(entry.attempts)
        reason = str(error)
        if isinstance(error, SlackApiError):
            code = error.response.get("error", "")
            reason = f"slack error {code} (HTTP {error.response.status_code})"
            if error.response.status_code == 429:
                retry_after = float(
                    error.response.headers.get("Retry-After", error.response.headers.get("retry-after", 1))
                )
                delay = retry_after
                self._channel_ready[entry.channel] = time.monotonic() + retry_after
            elif code in CONFIG_ERRORS:
                delay = self.settings.config_error_backoff_seconds
                log.error("cannot post to %s: %s; fix the configuration (the post waits)", entry.channel, code)
            elif error.response.status_code >= 500:
                # A server error may still have posted the message.
                uncertain = True
        if uncertain:
            delay = max(delay, self.settings.uncertain_settle_seconds)
        entry.status = PENDING
        entry.uncertain = entry.uncertain or uncertain
        entry.next_attempt_at = utcnow() + dt.timedelta(seconds=delay)
        entry.lease_until = None
        entry.last_error = reason[:300]
        session.commit()
        log.warning(
            "outbox %d to %s failed (attempt %d): %s; retrying in %.1f s",
            entry.id,
            entry.channel,
            entry.attempts,
            reason,
            delay,
        )

    def _backoff(self, attempts: int) -> float:
        base = min(self.settings.max_backoff_seconds, 0.5 * 2 ** max(0, attempts - 1))
        return base * (0.75 + random.random() / 2)
