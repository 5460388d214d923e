"""The outbox: results waiting to be posted to Slack, written in the same transaction as the result.

This module owns the outbox rows and every change of their state: queueing a result for its channels,
claiming due entries under a lease (an atomic conditional UPDATE; on PostgreSQL the candidate rows are
also read `FOR UPDATE SKIP LOCKED`, so several dispatchers can run at once and none takes an entry
another holds), and recording what was delivered or why not. Entries of one seat in one channel are
due strictly in order. When a channel falls behind, the dispatcher claims the entries queued without a
post of their own (`own_post`, decided at queue time) as one digest (`claim_digest`); each is recorded
done with the digest's message and marked `in_digest`, so a correction never edits a digest.
`bot.dispatcher` speaks to Slack; it reads and changes the outbox only here.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from store.changes import change_note, figure_changes, flash_note
from store.contests import facts_of, load_contest, previous_version, summarise
from store.elections import NO_FIGURES_STATUSES
from store.models import DONE, IN_FLIGHT, PENDING, Contest, OutboxEntry
from store.summary import Summary

# How many due entries one claim considers; the rest wait for the next pass.
CLAIM_BATCH = 20
ERROR_LIMIT = 300


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def queue(session: Session, contest: Contest, channels: Mapping[str, bool]) -> list[str]:
    """Queue `contest` (flushed, so it has an id) for each channel, in the caller's transaction;
    `channels` maps each to whether the result keeps a post of its own there (never folded into a
    digest: `store.channel_follows.channels_for` decides)."""
    for channel, own_post in channels.items():
        session.add(
            OutboxEntry(
                contest_id=contest.id,
                election_id=contest.election_id,
                constituency_id=contest.constituency_id,
                version=contest.version,
                channel=channel,
                own_post=own_post,
            )
        )
    return list(channels)


def channels_with_posts(session: Session, contest: Contest) -> list[str]:
    """Channels holding an entry of the seat's result at this election (posted or waiting), first first."""
    rows = session.execute(
        select(OutboxEntry.channel)
        .where(OutboxEntry.election_id == contest.election_id, OutboxEntry.constituency_id == contest.constituency_id)
        .group_by(OutboxEntry.channel)
        .order_by(func.min(OutboxEntry.id))
    )
    return [channel for (channel,) in rows]


def posts_for(session: Session, contest_ids: Iterable[int]) -> dict[int, list[OutboxEntry]]:
    """Each contest's outbox entries (one per results channel), oldest first."""
    posts: dict[int, list[OutboxEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(OutboxEntry).where(OutboxEntry.contest_id.in_(list(contest_ids))).order_by(OutboxEntry.id)
    ):
        posts[entry.contest_id].append(entry)
    return posts


@dataclass(frozen=True)
class DigestLine:
    """One claimed entry to be shown as a line of a digest, as plain values."""

    entry_id: int
    channel: str
    attempts: int
    uncertain: bool  # it may already be in the channel (in a digest or a post of its own)
    queued_at: dt.datetime
    summary: Summary


@dataclass(frozen=True)
class Delivery:
    """One claimed entry and everything its delivery needs, as plain values."""

    entry_id: int
    channel: str
    attempts: int
    uncertain: bool  # it may already be in the channel: look before posting again
    edited: bool  # a correction whose edit is done, only its thread note is left
    note_ts: str | None
    queued_at: dt.datetime
    # The first post of this seat's result in this channel, which a correction edits; None: post anew.
    original_ts: str | None
    summary: Summary
    metadata: dict[str, Any]  # names the entry in Slack's message metadata
    note: str | None  # a correction's thread note; None when an edit alone says it (a flash's result)
    changed_figures: str | None  # what changed, when figures did (not just the status): marks the post

    @property
    def is_correction(self) -> bool:
        return self.original_ts is not None


class Outbox:
    """The outbox as the dispatcher uses it: each call is a short transaction of its own."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def claim(
        self, worker: str, lease_seconds: float, paced_until: Mapping[str, float]
    ) -> tuple[int | None, float | None]:
        """Take the oldest due entry whose channel may be posted to now (`paced_until`: channel ->
        time.monotonic() before which it may not): (its id, None); or, when every due entry waits on
        its channel's pacing, (None, seconds to wait); or (None, None) when nothing is due."""
        now = utcnow()
        with self.sessions() as session, session.begin():
            candidates = _candidates(session, _due(now), CLAIM_BATCH)
            moment = time.monotonic()
            for entry_id, channel, status in candidates:
                if paced_until.get(channel, 0.0) > moment:
                    continue
                if _take(session, entry_id, status, now, worker, lease_seconds):
                    return entry_id, None
            paced = [paced_until.get(c, 0.0) for _, c, _ in candidates if paced_until.get(c, 0.0) > moment]
            if paced:
                return None, max(0.0, min(paced) - time.monotonic())
        return None, None

    def waiting(self) -> dict[str, int]:
        """How many entries are due in each channel now: how far behind each channel is, in posts."""
        with self.sessions() as session:
            rows = session.execute(
                select(OutboxEntry.channel, func.count()).where(_due(utcnow())).group_by(OutboxEntry.channel)
            )
            return {channel: int(count) for channel, count in rows}

    def claim_digest(self, worker: str, lease_seconds: float, channel: str, limit: int) -> list[int]:
        """Take up to `limit` of the oldest due entries of `channel` that may be folded into a digest
        (no post of their own: `OutboxEntry.own_post`), each by the same conditional update as
        `claim`, so an entry another dispatcher took is left out, never put in two digests."""
        now = utcnow()
        with self.sessions() as session, session.begin():
            foldable = and_(_due(now), OutboxEntry.channel == channel, OutboxEntry.own_post.is_(False))
            return [
                entry_id
                for entry_id, _, status in _candidates(session, foldable, limit)
                if _take(session, entry_id, status, now, worker, lease_seconds)
            ]

    def delivery(self, entry_id: int) -> Delivery:
        with self.sessions() as session:
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            contest = load_contest(session, entry.contest_id)
            assert contest is not None
            shown = _shown_before(session, entry)
            original = next((earlier for earlier in shown if not earlier.in_digest), None)
            summary = summarise(session, contest)
            note = changed = None
            # A seat first shown as a line of a digest gets a post of its own now, which carries the
            # corrected mark and what changed when figures did: there is no post of its own to edit.
            if shown:
                old = facts_of(previous_version(session, contest) or contest)
                new = facts_of(contest)
                # A flash or a recount post becomes the result by an edit alone: the figures are
                # news, not a correction, unless they contradict the flash. A full result changed
                # later gets its note in the thread.
                note = change_note(old, new) if old.status not in NO_FIGURES_STATUSES else flash_note(old, new)
                # Only changed figures make a correction; a provisional result declared as it stood
                # loses its PROVISIONAL mark and gets its note in the thread.
                if note is not None and summary.corrected and figure_changes(old, new):
                    changed = note.split(": ", 1)[-1]
            return Delivery(
                entry_id=entry.id,
                channel=entry.channel,
                attempts=entry.attempts,
                uncertain=entry.uncertain,
                edited=entry.edited,
                note_ts=entry.note_ts,
                queued_at=entry.created_at.replace(tzinfo=entry.created_at.tzinfo or dt.UTC),
                original_ts=original.message_ts if original is not None else None,
                summary=summary,
                metadata={
                    "outbox_id": entry.id,
                    "contest_id": contest.id,
                    "version": contest.version,
                    "ons_id": contest.constituency.ons_id,
                    "election_date": contest.election.date.isoformat(),
                },
                note=note,
                changed_figures=changed,
            )

    def digest(self, entry_ids: Iterable[int]) -> list[DigestLine]:
        """The claimed entries of one digest, oldest first, each with its result's summary."""
        with self.sessions() as session:
            entries = session.scalars(
                select(OutboxEntry).where(OutboxEntry.id.in_(list(entry_ids))).order_by(OutboxEntry.id)
            ).all()
            lines = []
            for entry in entries:
                contest = load_contest(session, entry.contest_id)
                assert contest is not None
                lines.append(
                    DigestLine(
                        entry_id=entry.id,
                        channel=entry.channel,
                        attempts=entry.attempts,
                        uncertain=entry.uncertain,
                        queued_at=entry.created_at.replace(tzinfo=entry.created_at.tzinfo or dt.UTC),
                        summary=summarise(session, contest),
                    )
                )
            return lines

    def digested(self, entry_ids: Iterable[int], message_ts: str, channel: str) -> None:
        """The entries are lines of the digest `message_ts` in the channel: done, each marked as shown
        in a digest (so no correction tries to edit the digest as the seat's own post)."""
        with self.sessions() as session, session.begin():
            for entry in session.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(list(entry_ids)))):
                _done(entry, message_ts=message_ts, channel=channel, in_digest=True)

    def posted(self, entry_id: int, message_ts: str, channel: str) -> None:
        """The result is in the channel as `message_ts` (`channel` as Slack names it): done."""
        self._finish(entry_id, message_ts=message_ts, channel=channel)

    def edited(self, entry_id: int, message_ts: str) -> None:
        """A correction's edit of the original post is done; kept even if its thread note fails."""
        with self.sessions() as session, session.begin():
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            entry.edited = True
            entry.message_ts = message_ts

    def noted(self, entry_id: int, note_ts: str) -> None:
        """A correction's thread note is posted as `note_ts`: done."""
        self._finish(entry_id, note_ts=note_ts)

    def failed(self, entry_id: int, reason: str, retry_in: float, *, uncertain: bool) -> None:
        """Not delivered: due again in `retry_in` seconds; `uncertain` when it may have landed."""
        with self.sessions() as session, session.begin():
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            entry.status = PENDING
            entry.uncertain = entry.uncertain or uncertain
            entry.next_attempt_at = utcnow() + dt.timedelta(seconds=retry_in)
            entry.lease_until = None
            entry.last_error = reason[:ERROR_LIMIT]

    def _finish(self, entry_id: int, **values: Any) -> None:
        with self.sessions() as session, session.begin():
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            _done(entry, **values)


def _done(entry: OutboxEntry, **values: Any) -> None:
    for name, value in values.items():
        setattr(entry, name, value)
    entry.status = DONE
    entry.done_at = utcnow()
    entry.lease_until = None
    entry.last_error = None


def _candidates(session: Session, where: Any, limit: int) -> list[tuple[int, str, str]]:
    """The oldest `limit` entries matching `where`: (id, channel, status); on PostgreSQL locked
    `FOR UPDATE SKIP LOCKED`, so dispatchers claiming at once consider different rows."""
    query = select(OutboxEntry.id, OutboxEntry.channel, OutboxEntry.status).where(where)
    query = query.order_by(OutboxEntry.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxEntry)
    return [(int(entry_id), channel, status) for entry_id, channel, status in session.execute(query)]


def _take(session: Session, entry_id: int, status: str, now: dt.datetime, worker: str, lease_seconds: float) -> bool:
    """Claim one entry under a lease, only if it is still due: the update that makes a claim atomic."""
    taken: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, _due(now))
        .values(
            status=IN_FLIGHT,
            lease_until=now + dt.timedelta(seconds=lease_seconds),
            claimed_by=worker,
            attempts=OutboxEntry.attempts + 1,
            # A lease that ran out means a dispatcher stopped mid-delivery.
            **({"uncertain": True} if status == IN_FLIGHT else {}),
        )
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def _due(now: dt.datetime) -> Any:
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


def _shown_before(session: Session, entry: OutboxEntry) -> list[OutboxEntry]:
    """The earlier deliveries of this seat's result in this channel, first first: the first of them
    not in a digest is the seat's own post, which corrections edit."""
    return list(
        session.scalars(
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
        )
    )
