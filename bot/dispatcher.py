"""Delivering the outbox to Slack: every entered result posted once, corrections edited in place.

The loop and the Slack protocol live here; the outbox's rows, leases and states live in
`store.outbox`, and what a post says in `handlers.blocks`. Every post carries Slack message metadata
naming its outbox entry; when a delivery may have happened without being recorded (a timeout, a
dispatcher killed mid-call, an expired lease) the entry is marked uncertain and the channel is
searched for that metadata before anything is posted again.

A channel more than `digest_after_seconds` behind (its due entries at one post per
`per_channel_interval`, plus any pacing wait) gets the results waiting for it that keep no post of
their own folded into digests (`blocks.digest_message`), at most `digest_size` lines each, the oldest
first: a burst is shown at once, a steady trickle is still posted one by one. A digest's metadata lists
its outbox ids, so an uncertain digest is searched for like a post.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import DEFAULT_DIGEST_AFTER, Settings
from bot.result_cards import ResultCards
from handlers import blocks
from store import db
from store.live_scoreboard import LiveScoreboards, ScoreboardDelivery
from store.outbox import Delivery, DigestLine, Outbox

log = logging.getLogger(__name__)

METADATA_EVENT = "resultsbot_result"
NOTE_EVENT = "resultsbot_correction_note"
SCOREBOARD_EVENT = "resultsbot_scoreboard"
DIGEST_EVENT = "resultsbot_digest"
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


@dataclass(frozen=True)
class DispatchSettings:
    lease_seconds: float = 60.0  # longer than one delivery can take, with the client's timeout
    poll_seconds: float = 0.25
    per_channel_interval: float = 1.0  # Slack allows about one message a second per channel
    # An entry is claimed and rendered this long before its channel's pacing allows the post, which
    # then goes out on time; other channels wait at most this long for that sleep.
    claim_ahead_seconds: float = 0.2
    max_backoff_seconds: float = 60.0
    max_failure_backoff_seconds: float = 30.0  # between passes while the store cannot be reached
    config_error_backoff_seconds: float = 300.0
    history_window_seconds: float = 3600.0
    # After a timeout, Slack may still be acting on the request; look for the post only once it
    # has had time to land, or the look finds nothing and the retry posts it twice.
    uncertain_settle_seconds: float = 20.0
    # A general election's live scoreboard is edited at most this often, however fast results come.
    scoreboard_interval_seconds: float = 7.0
    result_cards: bool = True  # a picture of each posted result in its thread (bot.result_cards)
    # A channel further behind than this (its due posts one per interval, plus any pacing wait) gets
    # the results waiting for it folded into digests; None: never (RESULTSBOT_DIGEST_AFTER).
    digest_after_seconds: float | None = DEFAULT_DIGEST_AFTER
    # Lines a digest holds at most: well inside Slack's limits on a message's blocks and text.
    digest_size: int = 20
    # Marks every message sent (handlers.blocks.labelled): "REHEARSAL" for `resultsbot rehearse`.
    label: str | None = None

    @classmethod
    def of(cls, settings: Settings, **overrides: Any) -> DispatchSettings:
        """The dispatcher's settings as the environment sets them (bot.config), with `overrides`."""
        return cls(digest_after_seconds=settings.digest_after_seconds, **overrides)


class Fold(NamedTuple):
    """Entries of one channel claimed to be shown in one digest, and how far behind the channel was."""

    channel: str
    entry_ids: list[int]
    behind: float  # seconds


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
        self.outbox = Outbox(sessions)
        self.scoreboards = LiveScoreboards(sessions)
        self.client = client
        self.settings = settings or DispatchSettings()
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._channel_ready: dict[str, float] = {}
        # Channels found too far behind, and how far (seconds), until they catch up: their live
        # scoreboards wait. Those of them with results that may still be folded are left to digests.
        self._behind: dict[str, float] = {}
        self._folding: set[str] = set()
        self._thread: threading.Thread | None = None
        self.cards = ResultCards(client, enabled=self.settings.result_cards, label=self.settings.label)

    # -- running ---------------------------------------------------------------------------------

    def wake(self) -> None:
        """A result was just committed: look now rather than at the next poll."""
        self._wake.set()

    def run_forever(self) -> None:
        log.info("dispatcher %s started", self.name)
        failures = 0
        while not self._stop.is_set():
            try:
                delivered = self.run_once()
            except Exception as error:
                # A database or network blip must not end the dispatcher: say so once, then wait
                # longer between tries (capped) until it passes.
                failures += 1
                if failures == 1:
                    self._report_failure(error)
                self._stop.wait(
                    min(self.settings.max_failure_backoff_seconds, self.settings.poll_seconds * 2**failures)
                )
                continue
            if failures:
                log.info("dispatcher %s: working again after %d failed passes", self.name, failures)
                failures = 0
            if not delivered:
                self._wake.wait(self.settings.poll_seconds)
                self._wake.clear()
        log.info("dispatcher %s stopped", self.name)

    def _report_failure(self, error: Exception) -> None:
        if isinstance(error, DBAPIError) and db.is_unreachable(error):
            log.error(
                "dispatcher %s: the results store is unreachable (%s); retrying", self.name, db.describe_error(error)
            )
        else:
            log.exception("dispatcher %s: pass failed; retrying", self.name)

    def start(self) -> Dispatcher:
        self._thread = threading.Thread(target=self.run_forever, name="dispatcher", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.cards.stop(timeout)

    def run_once(self) -> int:
        """Deliver what is due now; returns how many entries were finished."""
        finished = 0
        while not self._stop.is_set():
            waiting = self.outbox.waiting()
            folded = self.claim_digest(waiting)
            finished += self.deliver_scoreboard(busy=self._behind)
            if folded is not None:
                finished += self.deliver_digest(folded)
                continue
            entry_id, wait = self.claim()
            if entry_id is None:
                if wait is None:
                    return finished
                # Only channels still inside their pacing interval have work: wait for the first, or
                # for a new entry (the wake is cleared, or every later wait would return at once).
                if self._wake.wait(wait):
                    self._wake.clear()
                continue
            if self.deliver(entry_id):
                finished += 1
        return finished

    def claim(self) -> tuple[int | None, float | None]:
        """The oldest due entry to post on its own: (its id, None), or (None, seconds until a channel
        may be posted to), or (None, None). A channel with results to fold is left to `claim_digest` (it
        was still inside its pacing interval when that looked), or its entries would go one by one."""
        claimable = self._claimable()
        if not self._folding:
            return self.outbox.claim(self.name, self.settings.lease_seconds, claimable)
        paced = {**claimable, **dict.fromkeys(self._folding, math.inf)}
        entry_id, wait = self.outbox.claim(self.name, self.settings.lease_seconds, paced)
        if entry_id is not None:
            return entry_id, None
        moment = time.monotonic()
        ready = min(max(0.0, claimable.get(channel, 0.0) - moment) for channel in self._folding)
        return None, ready if wait is None or wait == math.inf else min(wait, ready)

    def _claimable(self) -> dict[str, float]:
        """Each paced channel -> time.monotonic() from which its next entry may be claimed."""
        ahead = self.settings.claim_ahead_seconds
        return {channel: ready - ahead for channel, ready in self._channel_ready.items()}

    def claim_digest(self, waiting: Mapping[str, int]) -> Fold | None:
        """The entries of a channel too far behind that may be folded, claimed for one digest; None when
        no channel is behind or none of its waiting results may be folded. `waiting`: how many entries
        are due in each channel. A channel found behind while it waits out its pacing is folded once
        it may be posted to."""
        limit = self.settings.digest_after_seconds
        if limit is None:
            return None
        moment = time.monotonic()
        claimable = self._claimable()
        for channel, count in waiting.items():
            paced = max(0.0, self._channel_ready.get(channel, 0.0) - moment)
            behind = count * self.settings.per_channel_interval + paced
            if behind > limit:
                self._behind[channel] = behind
                self._folding.add(channel)
        for channel in list(self._behind):
            if not waiting.get(channel):  # caught up
                del self._behind[channel]
        for channel in list(self._folding):
            if waiting.get(channel, 0) < 2:  # nothing to fold with
                self._folding.discard(channel)
            elif claimable.get(channel, 0.0) <= moment:
                taken = self.outbox.claim_digest(
                    self.name, self.settings.lease_seconds, channel, self.settings.digest_size
                )
                if len(taken) < self.settings.digest_size:
                    # Nothing more of it to fold now: what still waits keeps its own post.
                    self._folding.discard(channel)
                if taken:
                    return Fold(channel, taken, self._behind[channel])
        return None

    # -- delivering ------------------------------------------------------------------------------

    def deliver_digest(self, fold: Fold) -> int:
        """Post the claimed entries of one channel as one digest (one entry alone: its own post);
        returns how many entries were finished."""
        if len(fold.entry_ids) == 1:
            return int(self.deliver(fold.entry_ids[0]))
        lines = self.outbox.digest(fold.entry_ids)
        channel = fold.channel
        try:
            if any(line.uncertain for line in lines):
                lines = self._record_found(channel, lines)
            if lines:
                response = self._call(
                    "chat_postMessage",
                    channel=channel,
                    metadata=self._digest_metadata(lines),
                    unfurl_links=False,
                    **blocks.digest_message([line.summary for line in lines]),
                )
                self.outbox.digested([x.entry_id for x in lines], response["ts"], response.get("channel", channel))
                log.info("digest of %d results to %s, which was %.1f s behind", len(lines), channel, fold.behind)
        except (SlackApiError, DeliveryUncertain) as error:
            # One delay for all, so they come back together, to be folded again.
            attempts = max(line.attempts for line in lines)
            reason, delay, uncertain = self._retry(channel, attempts, error, isinstance(error, DeliveryUncertain))
            for line in lines:
                self.outbox.failed(line.entry_id, reason, delay, uncertain=uncertain)
            log.warning(
                "digest of %d results to %s failed (attempt %d): %s; retrying in %.1f s",
                len(lines),
                channel,
                attempts,
                reason,
                delay,
            )
            return 0
        return len(fold.entry_ids)

    @staticmethod
    def _digest_metadata(lines: list[DigestLine]) -> dict[str, Any]:
        """Names the digest's outbox entries (searched for when its delivery is uncertain) and their seats,
        in the order of its lines, as a result post's metadata names its one seat."""
        payload = {"outbox_ids": [x.entry_id for x in lines], "ons_ids": [x.summary.ons_id for x in lines]}
        return {"event_type": DIGEST_EVENT, "event_payload": payload}

    def _record_found(self, channel: str, lines: list[DigestLine]) -> list[DigestLine]:
        """Record the uncertain entries already in the channel (in a digest or a post of their own) as
        delivered there; the lines still to post."""
        found = self._find_in_channel(channel, [x.entry_id for x in lines if x.uncertain], lines[0].queued_at)
        for entry_id, (message_ts, in_digest) in found.items():
            log.info("outbox %d was already posted as %s; not posting again", entry_id, message_ts)
            if in_digest:
                self.outbox.digested([entry_id], message_ts, channel)
            else:
                self.outbox.posted(entry_id, message_ts, channel)
        return [line for line in lines if line.entry_id not in found]

    def deliver(self, entry_id: int) -> bool:
        delivery = self.outbox.delivery(entry_id)
        try:
            if delivery.original_ts is None:
                self._post(delivery)
            else:
                self._correct(delivery, delivery.original_ts)
        except SlackApiError as error:
            self._failed(delivery, error)
            return False
        except DeliveryUncertain as error:
            self._failed(delivery, error, uncertain=True)
            return False
        log.info("posted %s v%d to %s", delivery.summary.constituency, delivery.summary.version, delivery.channel)
        return True

    def _metadata(self, delivery: Delivery, event_type: str = METADATA_EVENT) -> dict[str, Any]:
        return {"event_type": event_type, "event_payload": delivery.metadata}

    def _post(self, delivery: Delivery) -> None:
        if delivery.uncertain:
            found = self._find_in_channel(delivery.channel, [delivery.entry_id], delivery.queued_at)
            if found:
                message_ts, in_digest = found[delivery.entry_id]
                log.info("outbox %d was already posted as %s; not posting again", delivery.entry_id, message_ts)
                if in_digest:
                    self.outbox.digested([delivery.entry_id], message_ts, delivery.channel)
                else:
                    self.outbox.posted(delivery.entry_id, message_ts, delivery.channel)
                return
        # A seat first shown in a digest has no post of its own to edit: a correction of it is posted
        # anew, marked, saying what changed.
        response = self._call(
            "chat_postMessage",
            channel=delivery.channel,
            metadata=self._metadata(delivery),
            unfurl_links=False,
            **blocks.message(delivery.summary, corrected_note=delivery.changed_figures),
        )
        self.outbox.posted(delivery.entry_id, response["ts"], response.get("channel", delivery.channel))
        self.cards.posted(delivery.summary, response.get("channel", delivery.channel), response["ts"])

    def _correct(self, delivery: Delivery, original_ts: str) -> None:
        if not delivery.edited:
            message = blocks.message(delivery.summary, corrected_note=delivery.changed_figures)
            try:
                self._call(
                    "chat_update",
                    channel=delivery.channel,
                    ts=original_ts,
                    metadata=self._metadata(delivery),
                    **message,
                )
            except SlackApiError as error:
                if error.response.get("error") != "message_not_found":
                    raise
                # Someone deleted the original: the channel still needs the corrected result.
                log.warning("original post %s of outbox %d is gone; posting afresh", original_ts, delivery.entry_id)
                self._post(delivery)
                return
            if delivery.note is None:
                # A flash or a recount post now showing the result: the edit is the whole delivery.
                self.outbox.posted(delivery.entry_id, original_ts, delivery.channel)
                return
            self.outbox.edited(delivery.entry_id, original_ts)
        note_ts = delivery.note_ts
        if note_ts is None:
            note_ts = self._find_in_thread(delivery, original_ts) if delivery.uncertain else None
            if note_ts is None:
                response = self._call(
                    "chat_postMessage",
                    channel=delivery.channel,
                    thread_ts=original_ts,
                    text=blocks.message_text(delivery.note or ""),
                    metadata=self._metadata(delivery, NOTE_EVENT),
                )
                note_ts = str(response["ts"])
        self.outbox.noted(delivery.entry_id, note_ts)
        self.cards.posted(delivery.summary, delivery.channel, original_ts)  # the old card shows old figures

    def _call(self, method: str, **kwargs: Any) -> Any:
        """One Web API call, paced per channel; a timeout or dropped connection is 'uncertain'."""
        channel = kwargs["channel"]
        wait = self._channel_ready.get(channel, 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._channel_ready[channel] = time.monotonic() + self.settings.per_channel_interval
        # Every message leaves through here, so a label cannot be forgotten by any kind of post.
        kwargs = blocks.labelled(kwargs, self.settings.label) if "text" in kwargs else kwargs
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError:
            raise
        except (TimeoutError, OSError) as error:
            raise DeliveryUncertain(f"{method}: {type(error).__name__}: {error}") from error

    def _find_in_channel(
        self, channel: str, entry_ids: list[int], queued_at: dt.datetime
    ) -> dict[int, tuple[str, bool]]:
        """Which of the entries are already in the channel: entry id -> (the message's ts, whether
        it is a digest), from the metadata of a post of its own or of a digest listing it."""
        wanted = set(entry_ids)
        found: dict[int, tuple[str, bool]] = {}
        oldest = queued_at.timestamp() - self.settings.history_window_seconds
        for message in self._messages("conversations_history", channel=channel, oldest=f"{max(0.0, oldest):.6f}"):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("outbox_id") in wanted:
                found.setdefault(payload["outbox_id"], (str(message["ts"]), False))
            elif metadata.get("event_type") == DIGEST_EVENT:
                for entry_id in set(payload.get("outbox_ids") or ()) & wanted:
                    found.setdefault(entry_id, (str(message["ts"]), True))
            if len(found) == len(wanted):
                break
        return found

    def _find_in_thread(self, delivery: Delivery, thread_ts: str) -> str | None:
        wanted = {"outbox_id": delivery.entry_id}
        return self._search("conversations_replies", wanted, NOTE_EVENT, channel=delivery.channel, ts=thread_ts)

    def _search(self, method: str, wanted: dict[str, Any], event_type: str, **kwargs: Any) -> str | None:
        """The ts of a message whose metadata payload carries `wanted`, searched page by page."""
        for message in self._messages(method, **kwargs):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == event_type and all(payload.get(k) == v for k, v in wanted.items()):
                return str(message["ts"])
        return None

    def _messages(self, method: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """The messages `method` (conversations_history or _replies) lists, with their metadata, page by page."""
        cursor = None
        while True:
            try:
                response = getattr(self.client, method)(include_all_metadata=True, limit=200, cursor=cursor, **kwargs)
            except (TimeoutError, OSError) as error:
                raise DeliveryUncertain(f"{method}: {error}") from error
            yield from response.get("messages", [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def _failed(self, delivery: Delivery, error: Exception, *, uncertain: bool = False) -> None:
        reason, delay, uncertain = self._retry(delivery.channel, delivery.attempts, error, uncertain)
        self.outbox.failed(delivery.entry_id, reason, delay, uncertain=uncertain)
        log.warning(
            "outbox %d to %s failed (attempt %d): %s; retrying in %.1f s",
            delivery.entry_id,
            delivery.channel,
            delivery.attempts,
            reason,
            delay,
        )

    def _retry(self, channel: str, attempts: int, error: Exception, uncertain: bool) -> tuple[str, float, bool]:
        """Why a delivery failed, how long before it is tried again, and whether it may have landed."""
        delay = self._backoff(attempts)
        reason = str(error)
        if isinstance(error, SlackApiError):
            code = error.response.get("error", "")
            reason = f"slack error {code} (HTTP {error.response.status_code})"
            if error.response.status_code == 429:
                retry_after = float(
                    error.response.headers.get("Retry-After", error.response.headers.get("retry-after", 1))
                )
                delay = retry_after
                self._channel_ready[channel] = time.monotonic() + retry_after
            elif code in CONFIG_ERRORS:
                delay = self.settings.config_error_backoff_seconds
                log.error("cannot post to %s: %s; fix the configuration (the post waits)", channel, code)
            elif error.response.status_code >= 500:
                # A server error may still have posted the message.
                uncertain = True
        if uncertain:
            delay = max(delay, self.settings.uncertain_settle_seconds)
        return reason, delay, uncertain

    def _backoff(self, attempts: int) -> float:
        base = min(self.settings.max_backoff_seconds, 0.5 * 2 ** max(0, attempts - 1))
        return base * (0.75 + random.random() / 2)

    # -- the live scoreboard ---------------------------------------------------------------------

    def deliver_scoreboard(self, busy: Collection[str] = ()) -> int:
        """Post or edit one live scoreboard owed an edit, if its pacing allows; 1 when one was sent.
        A channel in `busy` is catching up with its results: they go first, its scoreboard after."""
        board_id = self.scoreboards.claim(
            self.name, self.settings.lease_seconds, self.settings.scoreboard_interval_seconds, busy
        )
        if board_id is None:
            return 0
        delivery = self.scoreboards.delivery(board_id)
        try:
            message_ts = self._show_scoreboard(delivery)
        except (SlackApiError, DeliveryUncertain) as error:
            timed_out = isinstance(error, DeliveryUncertain)
            reason, delay, uncertain = self._retry(delivery.channel, delivery.attempts, error, timed_out)
            # An edit that may have landed is simply sent again: only a first post can be doubled.
            self.scoreboards.failed(board_id, reason, delay, uncertain=uncertain and delivery.message_ts is None)
            log.warning("scoreboard %d to %s failed: %s; retrying in %.1f s", board_id, delivery.channel, reason, delay)
            return 0
        except DBAPIError:
            raise
        except Exception:
            # A scoreboard that cannot be shown must not hold up the result posts behind it.
            log.exception("scoreboard %d to %s could not be shown; retrying later", board_id, delivery.channel)
            delay = self.settings.max_backoff_seconds
            self.scoreboards.failed(board_id, "internal error", delay, uncertain=delivery.message_ts is None)
            return 0
        self.scoreboards.sent(board_id, delivery.revision, message_ts)
        return 1

    def _show_scoreboard(self, delivery: ScoreboardDelivery) -> str:
        metadata = {"event_type": SCOREBOARD_EVENT, "event_payload": delivery.metadata}
        message = blocks.live_scoreboard_message(delivery.board)
        message_ts = delivery.message_ts
        if message_ts is None and delivery.uncertain:
            oldest = delivery.created_at.timestamp() - self.settings.history_window_seconds
            message_ts = self._search(
                "conversations_history",
                {"scoreboard_id": delivery.board_id},
                SCOREBOARD_EVENT,
                channel=delivery.channel,
                oldest=f"{max(0.0, oldest):.6f}",
            )
        if message_ts is not None:
            try:
                self._call("chat_update", channel=delivery.channel, ts=message_ts, metadata=metadata, **message)
                return message_ts
            except SlackApiError as error:
                if error.response.get("error") != "message_not_found":
                    raise
                # Someone deleted it: the channel still needs its scoreboard.
                log.warning("scoreboard message %s in %s is gone; posting afresh", message_ts, delivery.channel)
        response = self._call(
            "chat_postMessage", channel=delivery.channel, metadata=metadata, unfurl_links=False, **message
        )
        return str(response["ts"])
