"""Loading PA Media's feed files into the store: `pa_files` reads them, and each result file goes
through the one entry use case (`store.enter_result.enter`) in a transaction of its own: validated,
stored and queued for posting at once, or refused with its name and the reason and nothing kept.

A PA seat is matched to ours by its folded name among the seats of the election's boundary set (PA
numbers seats itself), and each file taken is remembered in `feed_file`: an older revision of a seat
than one taken is never taken, and a higher one with changed figures is a correction. What PA states
(majority, gain/hold, shares, swing) is checked against what the votes give: a disagreement is stored
with the result, logged and reported, never "fixed".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from store import arithmetic, db, numbers
from store.contest_input import CandidateInput, ContestInput, InvalidResult
from store.contests import summarise
from store.elections import BY_ELECTION, GENERAL, boundary_set_for, election_name
from store.enter_result import enter
from store.importers.pa_files import (
    NOMINATIONS,
    RECOUNT,
    RESULT,
    RUSH,
    PaConstituency,
    PaFile,
    PaFormatError,
    PaResult,
    PaStateOfParties,
    parse_file_name,
    read_file,
)
from store.limits import SOURCE_LENGTH
from store.models import Constituency, Contest, Election, FeedFile
from store.names import fold
from store.scoreboard import Scoreboard
from store.summary import Summary

log = logging.getLogger(__name__)

SOURCE = "PA Media"
ENTERED_BY = "PA feed"
# Kinds read and tested, whose loading waits for the contest statuses nominated, rush and recount.
NOT_YET_SUPPORTED = (RUSH, RECOUNT, NOMINATIONS)


@dataclass(frozen=True)
class Taken:
    """A result file the store has taken (or found already stored, `status` "unchanged")."""

    path: str
    seat: str
    election: str
    revision: int
    status: str  # the entry's: "new", "corrected" or "unchanged"
    contest_id: int
    disagreements: tuple[str, ...]  # what PA states that the votes do not give
    queued_channels: tuple[str, ...]

    def describe(self) -> str:
        said = {
            "new": "stored",
            "corrected": "stored as a correction",
            "unchanged": "same figures already stored",
        }[self.status]
        line = f"{Path(self.path).name}: {self.seat}, {self.election}, revision {self.revision}: {said}"
        if self.queued_channels:
            line += f"; posting to {', '.join(self.queued_channels)}"
        return line


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{Path(self.path).name}: {self.reason}"


@dataclass
class PaReport:
    taken: list[Taken] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # left alone on purpose: not an error
    refused: list[PaFormatError] = field(default_factory=list)  # left for a human
    states_of_parties: list[PaStateOfParties] = field(default_factory=list)


class SeatNotFound(PaFormatError):
    pass


class NotNewer(Exception):
    """A revision of a seat no newer than one already taken: left alone, nothing changes."""

    def __init__(self, revision: int, taken: int) -> None:
        self.revision, self.taken = revision, taken
        super().__init__(f"revision {revision} is not newer than revision {taken}, already taken; nothing changed")


def import_pa(
    sessions: sessionmaker[Session],
    paths: Iterable[Path],
    *,
    channels: Sequence[str] | None = None,
    on_file: Callable[[Path, str], None] | None = None,
) -> PaReport:
    """Read and load every PA file in `paths` (files, in the order given: see `feed_order`), each in
    a transaction of its own; a refused file is reported and the rest still taken. `on_file(path,
    what)` hears each file's outcome as it happens (the watcher remembers them)."""
    report = PaReport()
    seats = SeatNames()
    for path in paths:
        what = _load_one(sessions, Path(path), channels, report, seats)
        if on_file is not None:
            on_file(Path(path), what)
    return report


def feed_order(paths: Iterable[Path]) -> list[Path]:
    """Files in the order a desk wants them taken: by seat and kind, then revision as a number
    (`_10` after `_9`, which name order puts first); names outside PA's shape last."""

    def key(path: Path) -> tuple[int, str, str, str, int, str]:
        parts = parse_file_name(path.name)
        if parts is None:
            return (1, "", "", "", 0, path.name)
        return (0, parts.election, parts.kind, parts.area or "", parts.revision or 0, path.name)

    return sorted(paths, key=key)


def _load_one(
    sessions: sessionmaker[Session], path: Path, channels: Sequence[str] | None, report: PaReport, seats: SeatNames
) -> str:
    """What became of the file: "taken", "skipped" or "refused"."""
    try:
        document = read_file(path)
        if document.is_test:
            raise PaFormatError(
                path,
                "is PA rehearsal data (a Test_ file or a Test election): it never reaches live channels or "
                "answers, and the rehearsal store is not built yet, so it is not imported",
            )
        if isinstance(document, PaStateOfParties):
            report.states_of_parties.append(document)
            return "taken"
        if document.kind in NOT_YET_SUPPORTED or not isinstance(document, PaResult):
            reason = f"{document.kind} files are read but not yet loaded (they wait for the contest statuses)"
            report.skipped.append(Skipped(str(path), reason))
            log.info("%s: %s", path.name, reason)
            return "skipped"
        result = document
        taken = db.run_transaction(sessions, lambda session: load_result(session, result, channels, seats))
    except PaFormatError as refused:
        report.refused.append(refused)
        log.warning("PA file refused, left for a human: %s", refused)
        return "refused"
    except NotNewer as older:
        report.skipped.append(Skipped(str(path), str(older)))
        log.info("%s: %s", path.name, older)
        return "skipped"
    report.taken.append(taken)
    for disagreement in taken.disagreements:
        log.warning("%s: %s, %s: %s", path.name, taken.seat, taken.election, disagreement)
    return "taken"


def election_kind(document: PaResult) -> str:
    words = fold(document.election.name).split()
    if "by" in words or "byelection" in words:
        return BY_ELECTION
    if "general" in words:
        return GENERAL
    raise PaFormatError(
        document.path, f"election {document.election.name!r} is neither a general election nor a by-election"
    )


def revision_of(document: PaFile) -> int:
    named = document.file_name.revision if document.file_name else None
    stated = document.revision
    if stated is not None and named is not None and stated != named:
        raise PaFormatError(document.path, f"its name says revision {named} but the file says {stated}")
    revision = stated if stated is not None else named
    if revision is None:
        raise PaFormatError(document.path, "states no revision")
    return revision


class SeatNames:
    """The seats of each boundary set by folded name, read once per import (an import never creates
    a seat: a PA seat must match one the store has)."""

    def __init__(self) -> None:
        self._by_set: dict[str, dict[str, list[tuple[int, str]]]] = {}

    def named(self, session: Session, boundary_set: str, name: str) -> list[tuple[int, str]]:
        """(seat id, ONS ID) of each seat on `boundary_set` whose name folds like `name`."""
        if boundary_set not in self._by_set:
            seats: dict[str, list[tuple[int, str]]] = {}
            rows = session.execute(
                select(Constituency.id, Constituency.ons_id, Constituency.name)
                .join(Contest, Contest.constituency_id == Constituency.id)
                .join(Election, Election.id == Contest.election_id)
                .where(Election.boundary_set == boundary_set)
                .distinct()
            )
            for seat_id, ons_id, seat_name in rows:
                seats.setdefault(fold(seat_name), []).append((seat_id, ons_id))
            self._by_set[boundary_set] = seats
        return self._by_set[boundary_set].get(fold(name), [])


def find_seat(session: Session, document: PaResult, boundary_set: str, seats: SeatNames | None = None) -> Constituency:
    """The seat PA names, by folded name among the seats that have a contest on `boundary_set`."""
    found = (seats or SeatNames()).named(session, boundary_set, document.constituency.name)
    if len(found) != 1:
        why = "no seat" if not found else f"{len(found)} seats ({', '.join(ons_id for _, ons_id in found)})"
        raise SeatNotFound(
            document.path,
            f"{why} on the {boundary_set} boundaries is called {document.constituency.name!r}; "
            "nothing was stored (check the name, or load the seat's earlier results first)",
        )
    seat = session.get(Constituency, found[0][0])
    assert seat is not None  # read from the store in this import, and seats are never deleted
    return seat


def load_result(
    session: Session, document: PaResult, channels: Sequence[str] | None = None, seats: SeatNames | None = None
) -> Taken:
    """Take one result file through the entry use case in the caller's transaction, or raise
    NotNewer when a revision as new or newer of the seat was taken before (nothing changes)."""
    kind = election_kind(document)
    revision = revision_of(document)
    boundary_set = boundary_set_for(kind, document.election.date)
    seat = find_seat(session, document, boundary_set, seats)
    election = session.scalar(
        select(Election).where(
            Election.kind == kind, Election.date == document.election.date, Election.boundary_set == boundary_set
        )
    )
    if election is not None:
        newest = session.scalar(
            select(func.max(FeedFile.revision)).where(
                FeedFile.election_id == election.id,
                FeedFile.constituency_id == seat.id,
                FeedFile.kind == RESULT,
            )
        )
        if newest is not None and revision <= newest:
            raise NotNewer(revision, newest)
    entry = entry_of(document, kind, seat)
    try:
        outcome = enter(session, entry, channels=channels)
    except InvalidResult as invalid:
        raise PaFormatError(document.path, f"{seat.name}: {invalid}") from invalid
    session.flush()
    summary = summarise(session, outcome.contest)
    stated = stated_figure_disagreements(document, summary)
    session.add(
        FeedFile(
            name=Path(document.path).name,
            kind=RESULT,
            election_id=outcome.contest.election_id,
            constituency_id=seat.id,
            feed_seat_number=document.constituency.number,
            feed_seat_name=document.constituency.name,
            revision=revision,
            contest_id=outcome.contest.id,
            outcome=outcome.status,
            disagreements="\n".join(stated) or None,
        )
    )
    return Taken(
        path=document.path,
        seat=seat.name,
        election=election_name(kind, document.election.date),
        revision=revision,
        status=outcome.status,
        contest_id=outcome.contest.id,
        disagreements=stated,
        queued_channels=tuple(outcome.queued_channels),
    )


def entry_of(document: PaResult, kind: str, seat: Constituency) -> ContestInput:
    seat_figures = document.constituency
    return ContestInput(
        election_kind=kind,
        election_date=document.election.date,
        ons_id=seat.ons_id,
        constituency_name=seat.name,
        electorate=seat_figures.electorate,
        valid_votes=seat_figures.turnout,
        invalid_votes=None,
        candidates=tuple(
            CandidateInput(
                name=candidate.name or None,
                party=candidate.party,
                votes=candidate.votes,
                party_name=candidate.party_name,
                elected=candidate.elected,
            )
            for candidate in seat_figures.candidates
        ),
        source=f"{SOURCE}: {Path(document.path).name}"[:SOURCE_LENGTH],
        declared_at=document.declared_at,
        stated_result=stated_result(seat_figures),
        stated_majority=seat_figures.majority,
        entered_by=ENTERED_BY,
    )


def _agrees(stated: Decimal, ours: Fraction) -> bool:
    """Whether `stated` is `ours` rounded to as many places as PA wrote (either way at a half)."""
    places = max(0, -int(stated.as_tuple().exponent))
    return abs(Fraction(stated) - ours) <= Fraction(1, 2 * 10**places)


def stated_result(seat: PaConstituency) -> str | None:
    """PA's gain or hold in the Library's words ("Con gain from Lab", "Lab hold")."""
    if seat.winning_party and seat.gain_or_hold == "hold":
        return f"{seat.winning_party} hold"
    if seat.winning_party and seat.gain_or_hold == "gain" and seat.sitting_party:
        return f"{seat.winning_party} gain from {seat.sitting_party}"
    return None


def stated_figure_disagreements(document: PaResult, summary: Summary) -> tuple[str, ...]:
    """What PA states (majority, gain/hold, shares, swing) that our arithmetic does not give, in words.
    A figure is compared only where both PA and we have it (no swing without a baseline)."""
    found: list[str] = []
    seat = document.constituency
    if seat.majority is not None and summary.majority_votes is not None and seat.majority != summary.majority_votes:
        found.append(f"PA states a majority of {seat.majority:,} where the votes give {summary.majority_votes:,}")
    label = stated_result(seat)
    ours_label = summary.result_label
    if (
        label is not None
        and ours_label is not None
        and arithmetic.normalise_label(label).casefold() != ours_label.casefold()
    ):
        found.append(f"PA states '{label}' where the votes give '{summary.result_label}'")
    ours = {(fold(line.name or ""), arithmetic.party_key(line.party)): line for line in summary.candidates}
    for candidate in seat.candidates:
        line = ours.get((fold(candidate.name), arithmetic.party_key(candidate.party)))
        if candidate.stated_share is None or line is None or line.share is None:
            continue
        if not _agrees(candidate.stated_share, line.share):
            found.append(
                f"PA states {candidate.name} ({candidate.party}) had {candidate.stated_share}% where the votes "
                f"give {numbers.percent(line.share, 2)}"
            )
    swing = summary.swing
    if seat.swing is not None and seat.swing_to and seat.swing_from and swing is not None:
        stated_pair = (arithmetic.party_key(seat.swing_from), arithmetic.party_key(seat.swing_to))
        our_pair = (arithmetic.party_key(swing.from_party), arithmetic.party_key(swing.to_party))
        signed = swing.points if stated_pair == our_pair else -swing.points
        if set(stated_pair) == set(our_pair) and not _agrees(seat.swing, signed):
            found.append(
                f"PA states a swing of {seat.swing} points from {seat.swing_from} to {seat.swing_to} where the "
                f"votes give {numbers.decimal(swing.points, 2)} from {swing.from_party} to {swing.to_party}"
            )
    return tuple(found)


def state_of_parties_differences(state: PaStateOfParties, board: Scoreboard) -> list[str]:
    """Each party whose seats in PA's state of parties differ from our own tally, in words."""
    ours = {row.party: row.seats for row in board.parties}
    theirs: dict[str, int] = {}
    for party in state.parties:
        key = arithmetic.party_key(party.party)
        theirs[key] = theirs.get(key, 0) + party.seats
    found = []
    if state.results != board.declared:
        found.append(f"PA's state of parties covers {state.results} results where we have {board.declared} declared")
    for key in sorted(set(ours) | set(theirs)):
        if ours.get(key, 0) != theirs.get(key, 0):
            found.append(f"{key}: PA says {_seats(theirs.get(key, 0))}, our tally {_seats(ours.get(key, 0))}")
    return found


def _seats(count: int) -> str:
    return f"{count} seat{'' if count == 1 else 's'}"
