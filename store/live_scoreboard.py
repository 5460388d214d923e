"""The live scoreboard: one message per general election in each results channel, posted with the
election's first entered result and edited in place as results come in.

This module owns the `live_scoreboard` rows, as `store.outbox` owns the outbox's. An entered result of
a general election bumps its row's `revision` in the entry's own transaction (`mark_changed`); the
dispatcher claims a row whose revision is ahead of what it last sent, once its pacing interval has
passed, renders the scoreboard as the store reads at that moment, and records the revision it claimed
as sent. A burst of entries therefore costs one edit per interval, and an entry committed while an
edit is in flight leaves the row ahead, so it is edited again. By-elections get no scoreboard.

`Tallies` keeps each election's tally between edits and counts only contests it has not seen, so a
recount after each of 650 results costs milliseconds rather than a whole election's summaries.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.answers import current_summaries, previous_election
from store.contests import summarise_current
from store.elections import GENERAL
from store.models import Contest, Election, LiveScoreboard
from store.outbox import ERROR_LIMIT, utcnow
from store.scoreboard import Scoreboard, Tally


def mark_changed(session: Session, contest: Contest, channels: Iterable[str]) -> None:
    """A result of `contest`'s election was stored or changed: its scoreboard in each channel is owed an
    edit (a first post when there is none yet). In the caller's transaction; nothing for a by-election."""
    if contest.election.kind != GENERAL:
        return
    for channel in dict.fromkeys(channels):
        bumped: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(LiveScoreboard)
            .where(LiveScoreboard.election_id == contest.election_id, LiveScoreboard.channel == channel)
            .values(revision=LiveScoreboard.revision + 1)
            .execution_options(synchronize_session=False)
        )
        if bumped.rowcount == 0:
            # Two first results racing here: one insert fails on the unique constraint, and its
            # transaction runs again (store.db.run_transaction) and then bumps the row.
            session.add(LiveScoreboard(election_id=contest.election_id, channel=channel))
            session.flush()


@dataclass(frozen=True)
class ScoreboardDelivery:
    """One claimed scoreboard and everything its delivery needs, as plain values."""

    board_id: int
    channel: str
    attempts: int
    uncertain: bool  # a first post may already be in the channel: look before posting again
    message_ts: str | None  # the message to edit; None: post it
    revision: int  # what this delivery shows at least: recorded as sent when it lands
    created_at: dt.datetime
    board: Scoreboard
    metadata: dict[str, Any]  # names the scoreboard in Slack's message metadata


class LiveScoreboards:
    """The live scoreboards as the dispatcher uses them: each call is a short transaction of its own."""

    def __init__(self, sessions: sessionmaker[Session], tallies: Tallies | None = None) -> None:
        self.sessions = sessions
        self.tallies = tallies or Tallies()

    def claim(
        self, worker: str, lease_seconds: float, interval_seconds: float, busy: Collection[str] = ()
    ) -> int | None:
        """Take a scoreboard owed an edit whose last one is at least `interval_seconds` old; its id.
        Channels in `busy` (behind with their results) are left for later: results first."""
        now = utcnow()
        due = _due(now, interval_seconds)
        if busy:
            due = and_(due, LiveScoreboard.channel.not_in(list(busy)))
        with self.sessions() as session, session.begin():
            candidates = session.execute(
                select(LiveScoreboard.id, LiveScoreboard.lease_until).where(due).order_by(LiveScoreboard.id).limit(5)
            ).all()
            for board_id, lease_until in candidates:
                taken: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                    update(LiveScoreboard)
                    .where(LiveScoreboard.id == board_id, due)
                    .values(
                        lease_until=now + dt.timedelta(seconds=lease_seconds),
                        claimed_by=worker,
                        attempts=LiveScoreboard.attempts + 1,
                        # A lease that ran out means a dispatcher stopped mid-delivery.
                        **({"uncertain": True} if lease_until is not None else {}),
                    )
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount == 1:
                    return int(board_id)
        return None

    def delivery(self, board_id: int) -> ScoreboardDelivery:
        with self.sessions() as session:
            row = session.get(LiveScoreboard, board_id)
            assert row is not None
            # The revision is read before the results, so whatever the results show is at least it.
            revision = row.revision
            election = session.get(Election, row.election_id)
            assert election is not None
            board = self.tallies.scoreboard(session, election)
            return ScoreboardDelivery(
                board_id=row.id,
                channel=row.channel,
                attempts=row.attempts,
                uncertain=row.uncertain,
                message_ts=row.message_ts,
                revision=revision,
                created_at=row.created_at.replace(tzinfo=row.created_at.tzinfo or dt.UTC),
                board=board,
                metadata={"scoreboard_id": row.id, "election_date": election.date.isoformat()},
            )

    def sent(self, board_id: int, revision: int, message_ts: str) -> None:
        """The scoreboard as of `revision` is in the channel as `message_ts` (posted or edited)."""
        with self.sessions() as session, session.begin():
            row = session.get(LiveScoreboard, board_id)
            assert row is not None
            row.message_ts = message_ts
            row.sent_revision = max(row.sent_revision, revision)
            row.sent_at = utcnow()
            row.attempts = 0  # a later failure backs off from the start, however many edits went before
            row.lease_until = None
            row.last_error = None

    def failed(self, board_id: int, reason: str, retry_in: float, *, uncertain: bool) -> None:
        """Not delivered: due again in `retry_in` seconds; `uncertain` when a first post may have landed."""
        with self.sessions() as session, session.begin():
            row = session.get(LiveScoreboard, board_id)
            assert row is not None
            row.uncertain = row.uncertain or uncertain
            row.next_attempt_at = utcnow() + dt.timedelta(seconds=retry_in)
            row.lease_until = None
            row.last_error = reason[:ERROR_LIMIT]


def _due(now: dt.datetime, interval_seconds: float) -> Any:
    return and_(
        LiveScoreboard.revision > LiveScoreboard.sent_revision,
        LiveScoreboard.next_attempt_at <= now,
        or_(LiveScoreboard.lease_until.is_(None), LiveScoreboard.lease_until < now),
        or_(
            LiveScoreboard.sent_at.is_(None),
            LiveScoreboard.sent_at <= now - dt.timedelta(seconds=interval_seconds),
        ),
    )


class Tallies:
    """Each election's scoreboard tally (`store.scoreboard.Tally`), kept between recounts: a recount
    reads only the ids of the election's current contests and summarises and counts those it has not
    seen (a new result, or a correction's new version, which replaces the old one's count), so it
    costs a few small queries and one contest's arithmetic rather than a whole election's.

    The previous election (the baseline) is found once per election and its summaries read again only
    when its current contests change (their count, highest id or sum of ids): on a results night it is
    long settled, and reading its 650 ids before every edit would cost more than the rest."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[int, _Kept] = {}  # by election id

    def scoreboard(self, session: Session, election: Election) -> Scoreboard:
        with self._lock:
            kept = self._kept.get(election.id)
            if kept is None:
                previous = previous_election(session, election)
                kept = _Kept(previous.id, previous.name) if previous is not None else _Kept(None, None)
                self._kept[election.id] = kept
            stamp = _stamp(session, kept.previous_id)
            if kept.tally is None or stamp != kept.previous_stamp:
                baseline = current_summaries(session, kept.previous_id) if kept.previous_id is not None else []
                kept.tally, kept.previous_stamp, kept.counted = Tally(baseline), stamp, set()
            current = set(
                session.scalars(
                    select(Contest.id).where(Contest.election_id == election.id, Contest.is_current.is_(True))
                )
            )
            for superseded in kept.counted - current:
                kept.tally.remove(superseded)
                kept.counted.discard(superseded)
            missing = current - kept.counted
            if missing:
                for contest_id, summary in summarise_current(session, missing).items():
                    kept.tally.add(contest_id, summary)
                    kept.counted.add(contest_id)
            return kept.tally.scoreboard(election, previous_election=kept.previous_name)


@dataclass
class _Kept:
    previous_id: int | None
    previous_name: str | None
    previous_stamp: tuple[Any, ...] = ()
    tally: Tally | None = None
    counted: set[int] = field(default_factory=set)


def _stamp(session: Session, election_id: int | None) -> tuple[Any, ...]:
    """What changes when an election's current contests do: their count, highest id and sum of ids."""
    if election_id is None:
        return (0, None, None)
    found = session.execute(
        select(func.count(), func.max(Contest.id), func.sum(Contest.id)).where(
            Contest.election_id == election_id, Contest.is_current.is_(True)
        )
    ).one()
    return tuple(found)
