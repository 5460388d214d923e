"""A rehearsal's store work, with no Slack: a past general election's results read from the Library's
files in declaration order, the rehearsal store's night for that election emptied, its channels'
follows set, and each result entered through the one entry use case (`store.enter_result.enter`).

The rehearsal store is a store like the live one (its own database or PostgreSQL schema, chosen by
`bot.rehearsal`); nothing here opens the live store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from store.channel_follows import follow_row
from store.contest_input import ContestInput
from store.elections import GENERAL, GENERAL_ELECTIONS, uk_zone
from store.enter_result import Entered, enter_result
from store.follows import Follow
from store.importers.hoc_files import read_contest_files
from store.models import (
    DONE,
    Candidacy,
    ChannelFollow,
    Contest,
    Election,
    FeedFile,
    LiveScoreboard,
    OutboxEntry,
)

REPLAY_SOURCE = "Rehearsal replay of the House of Commons Library's results"
# A time of day from noon on belongs to polling day; before noon, to the morning after (the count).
NIGHT_STARTS = dt.time(12, 0)


class RehearsalRefused(Exception):
    """A rehearsal that would touch live results or live channels, or has no store of its own: nothing
    was changed."""


class NothingToReplay(Exception):
    """The election asked for cannot be replayed: the message says why."""


@dataclass(frozen=True)
class Replayed:
    """One result of the replay: its entry (source line saying it is a rehearsal) and when it was declared."""

    entry: ContestInput
    declared_at: dt.datetime | None


def polling_day(year: int) -> dt.date:
    """The polling day of the general election held in `year`, or NothingToReplay."""
    days = [day for day in GENERAL_ELECTIONS.values() if day.year == year]
    if not days:
        held = ", ".join(str(day.year) for day in GENERAL_ELECTIONS.values())
        raise NothingToReplay(f"No general election in {year}: the Library's files hold {held}.")
    return days[0]


def night_moment(day: dt.date, clock: dt.time) -> dt.datetime:
    """The moment of the results night of polling `day` that a desk means by `clock` ("02:00"): from noon
    on, polling day itself; before noon, the next morning. UK local time, as the Library gives it."""
    date = day if clock >= NIGHT_STARTS else day + dt.timedelta(days=1)
    return dt.datetime.combine(date, clock, tzinfo=uk_zone())


def library_replay(
    library: Path, year: int, *, start: dt.time | None = None, end: dt.time | None = None
) -> list[Replayed]:
    """The `year` general election's results from the Library's files under `library`, in declaration
    order; results declared in the same minute keep the files' order (a real burst). Results with no
    declaration time come last, in file order, unless a window (`start`, `end`, inclusive) is asked for."""
    day = polling_day(year)
    parliament = next(number for number, held in GENERAL_ELECTIONS.items() if held == day)
    folder = library / str(parliament) / "general-election"
    if not (folder / "constituencies.csv").exists():
        raise NothingToReplay(f"The Library's files for the {year} general election are not in {folder}.")
    rows = read_contest_files(folder / "constituencies.csv", folder / "candidacies.csv")
    timed = sorted(
        ((row.entry.declared_at, row) for row in rows if row.entry.declared_at is not None), key=lambda pair: pair[0]
    )
    if not timed:
        raise NothingToReplay(f"The Library's {year} files carry no declaration times to replay them by.")
    first = night_moment(day, start) if start is not None else None
    after = night_moment(day, end) + dt.timedelta(minutes=1) if end is not None else None
    chosen = [
        row for declared, row in timed if (first is None or declared >= first) and (after is None or declared < after)
    ]
    if start is None and end is None:
        chosen += [row for row in rows if row.entry.declared_at is None]
    return [Replayed(replace(row.entry, source=REPLAY_SOURCE), row.entry.declared_at) for row in chosen]


def clear_election(session: Session, day: dt.date) -> int:
    """Remove the general election of polling `day` from this (rehearsal) store: its contests, their
    posts, feed files and scoreboards, so the night starts empty. How many contests were removed."""
    election_id = session.scalar(select(Election.id).where(Election.kind == GENERAL, Election.date == day))
    if election_id is None:
        return 0
    contests = select(Contest.id).where(Contest.election_id == election_id)
    removed = session.scalar(select(func.count()).select_from(contests.subquery())) or 0
    session.execute(delete(OutboxEntry).where(OutboxEntry.election_id == election_id))
    session.execute(delete(LiveScoreboard).where(LiveScoreboard.election_id == election_id))
    session.execute(delete(FeedFile).where(FeedFile.election_id == election_id))
    session.execute(delete(Candidacy).where(Candidacy.contest_id.in_(contests)))
    session.execute(delete(Contest).where(Contest.election_id == election_id))
    return int(removed)


def set_follows(session: Session, follows: Sequence[Follow], added_by: str) -> int:
    """Make `follows` this (rehearsal) store's only follows; how many were there before."""
    before = session.scalar(select(func.count()).select_from(ChannelFollow)) or 0
    session.execute(delete(ChannelFollow))
    session.add_all(follow_row(wanted, added_by) for wanted in follows)
    return int(before)


def followed_channels(sessions: sessionmaker[Session]) -> set[str]:
    """Every channel with a follow in the store `sessions` opens (none when it has no tables yet): read
    only, so asking it of the live store changes nothing."""
    with sessions() as session:
        if not inspect(session.connection()).has_table(ChannelFollow.__tablename__):
            return set()
        return set(session.scalars(select(ChannelFollow.channel).distinct()))


def owed(sessions: sessionmaker[Session]) -> int:
    """How many posts and scoreboard edits this store still owes Slack."""
    with sessions() as session:
        posts = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status != DONE))
        boards = session.scalar(
            select(func.count())
            .select_from(LiveScoreboard)
            .where(LiveScoreboard.revision > LiveScoreboard.sent_revision)
        )
        return int(posts or 0) + int(boards or 0)


def enter_replayed(sessions: sessionmaker[Session], entry: ContestInput) -> Entered:
    """One replayed result entered as the Library published it, queued for the store's followers only
    (in a rehearsal no channel follows all by setting), in a transaction of its own."""
    return enter_result(sessions, entry, channels=(), published=True)
