"""PA's state of parties as the store keeps it, and its comparison with our own tally.

The latest one taken for each general election is kept (`models.StateOfParties`): each party's seats as
PA states them, never "fixed". A revision no newer than the one kept changes nothing. The comparison is
made when it is shown, not when the file is taken, because our tally moves on as results arrive:
`compare` is the one comparison, read by `resultsbot import pa` and `watch pa` (in the log) and by the
editors' line under `/result scoreboard`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import arithmetic
from store.models import StateOfParties as StateOfPartiesRow
from store.models import StateOfPartiesSeats
from store.scoreboard import Scoreboard


@dataclass(frozen=True)
class PartySeats:
    party: str  # the Library's abbreviation where known, else PA's own
    pa_abbreviation: str  # as PA wrote it ("C")
    name: str | None
    seats: int


@dataclass(frozen=True)
class StateOfParties:
    """PA's state of parties of one general election, as plain values."""

    file_name: str
    revision: int
    results: int  # how many results PA's figures cover
    stated_at: dt.datetime | None  # PA's declarationTime, when it states one
    parties: tuple[PartySeats, ...]
    taken_at: dt.datetime | None = None  # when the store took it; None until it has

    @property
    def as_of(self) -> dt.datetime | None:
        """The time the figures are of: PA's own when stated, else when the store took them."""
        return self.stated_at or self.taken_at


@dataclass(frozen=True)
class SeatsDifference:
    party: str  # the party key (`arithmetic.party_key`), as the scoreboard's rows have it
    theirs: int  # PA's seats
    ours: int  # our tally's seats


@dataclass(frozen=True)
class Comparison:
    """PA's state of parties against our tally of the same election."""

    results: int  # PA's count of results
    declared: int  # ours
    differences: tuple[SeatsDifference, ...]  # only the parties whose seats differ, the largest first

    @property
    def agrees(self) -> bool:
        return self.results == self.declared and not self.differences


def compare(state: StateOfParties, board: Scoreboard) -> Comparison:
    """Each party's seats in PA's state of parties against our tally (`board`, the whole election),
    parties matched by their key (PA's Lab Co-op seats are Labour's, as on our scoreboard)."""
    ours = {row.party: row.seats for row in board.parties}
    theirs: dict[str, int] = {}
    for line in state.parties:
        key = arithmetic.party_key(line.party)
        theirs[key] = theirs.get(key, 0) + line.seats
    differing = [key for key in set(ours) | set(theirs) if ours.get(key, 0) != theirs.get(key, 0)]
    differing.sort(key=lambda key: (-max(ours.get(key, 0), theirs.get(key, 0)), key))
    differences = tuple(SeatsDifference(key, theirs.get(key, 0), ours.get(key, 0)) for key in differing)
    return Comparison(state.results, board.declared, differences)


class NotNewerState(Exception):
    """A state of parties no newer than the one kept for its election: nothing changes."""

    def __init__(self, revision: int, kept: StateOfParties) -> None:
        self.revision, self.kept = revision, kept
        super().__init__(
            f"state of parties revision {revision} is not newer than revision {kept.revision} "
            f"({kept.file_name}), already taken; nothing changed"
        )


def keep(session: Session, election_id: int, state: StateOfParties) -> StateOfParties:
    """Keep `state` as the election's state of parties in the caller's transaction, replacing an older
    revision; raise NotNewerState when the one kept is as new or newer. What was kept is returned."""
    row = session.scalar(select(StateOfPartiesRow).where(StateOfPartiesRow.election_id == election_id))
    if row is not None and state.revision <= row.revision:
        raise NotNewerState(state.revision, _value(row))
    if row is None:
        row = StateOfPartiesRow(election_id=election_id)
        session.add(row)
    row.file_name, row.revision, row.results = state.file_name, state.revision, state.results
    # In UTC, since SQLite keeps a time without its zone: read back, it is placed in UTC again.
    row.stated_at = None if state.stated_at is None else state.stated_at.astimezone(dt.UTC)
    row.taken_at = dt.datetime.now(dt.UTC)
    row.parties = [
        StateOfPartiesSeats(
            position=position, party=line.party, pa_abbreviation=line.pa_abbreviation, name=line.name, seats=line.seats
        )
        for position, line in enumerate(state.parties)
    ]
    session.flush()
    return _value(row)


def latest(session: Session, election_id: int) -> StateOfParties | None:
    """The state of parties kept for the election, if PA has sent one."""
    row = session.scalar(select(StateOfPartiesRow).where(StateOfPartiesRow.election_id == election_id))
    return None if row is None else _value(row)


def _value(row: StateOfPartiesRow) -> StateOfParties:
    return StateOfParties(
        file_name=row.file_name,
        revision=row.revision,
        results=row.results,
        stated_at=_aware(row.stated_at),
        parties=tuple(PartySeats(line.party, line.pa_abbreviation, line.name, line.seats) for line in row.parties),
        taken_at=_aware(row.taken_at),
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back the UTC time it was given without its zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)
