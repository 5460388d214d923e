"""Loading PA Media's feed files into the store: `pa_files` reads them, and each result, rush, recount
and nominated seat goes through the one entry use case (`store.enter_result.enter`) in a transaction
of its own: validated, stored and queued for posting at once, or refused with its name and the reason
and nothing kept. A rush, a recount or nominations arriving after the seat's full result are out of
order: skipped with the reason, nothing changed, and the import carries on.

A PA seat is matched to ours by its folded name among the seats of the election's boundary set (PA
numbers seats itself), and each file taken is remembered in `feed_file`: an older revision of a seat
than one taken is never taken, and a higher one with changed figures is a correction. What PA states
(majority, gain/hold, shares, swing) is checked against what the votes give: a disagreement is stored
with the result, logged and reported, never "fixed". A state of parties is kept as the latest of its
general election (`store.state_of_parties`), to be compared with our tally whenever it is shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from store import arithmetic, db, elections, limits, numbers
from store.contest_input import CandidateInput, ContestInput, InvalidResult, before_the_figures
from store.contests import previous_version, seats_on, summarise
from store.elections import BY_ELECTION, GENERAL, boundary_set_for, election_name
from store.enter_result import OutOfOrder, enter
from store.importers.pa_files import (
    NOMINATIONS,
    RECOUNT,
    RESULT,
    RUSH,
    SOP,
    PaConstituency,
    PaElection,
    PaFile,
    PaFormatError,
    PaNominations,
    PaRecount,
    PaResult,
    PaRush,
    PaStateOfParties,
    parse_file_name,
    read_file,
)
from store.models import Constituency, Contest, Election, FeedFile
from store.names import fold
from store.rehearsal import RehearsalRefused
from store.scoreboard import Scoreboard
from store.state_of_parties import NotNewerState, PartySeats, StateOfParties, compare, keep
from store.summary import Summary

log = logging.getLogger(__name__)

# What a post's source line says; the file itself is kept in `feed_file` (and `resultsbot history`).
SOURCE = "PA Media"
ENTERED_BY = "PA feed"
# The order a declaration's files are taken in when several arrive at once: the nominations, then a
# rush or a recount, then the result (a rush taken after its result would only be skipped).
KIND_ORDER = {NOMINATIONS: 0, RECOUNT: 1, RUSH: 1, RESULT: 2, SOP: 3}


@dataclass(frozen=True)
class Taken:
    """A seat's file the store has taken (or found already stored, `status` "unchanged")."""

    path: str
    seat: str
    election: str
    revision: int
    status: str  # the entry's: "new", "corrected" or "unchanged"
    contest_id: int
    disagreements: tuple[str, ...]  # what PA states that the votes do not give
    queued_channels: tuple[str, ...]
    kind: str = RESULT
    follows: str | None = None  # the earlier stage this version took over from ("rush"), not a correction
    rehearsal: bool = False  # a PA Test file, taken into the rehearsal store

    def describe(self) -> str:
        said = {
            "new": "stored",
            "corrected": "stored as a correction",
            "unchanged": "same figures already stored",
        }[self.status]
        if self.status == "corrected" and self.follows:
            said = f"stored, following the {self.follows}"
        what = "revision" if self.kind == RESULT else f"{self.kind} revision"
        line = f"{Path(self.path).name}: {self.seat}, {self.election}, {what} {self.revision}: {said}"
        if self.rehearsal:
            line += " in the rehearsal store (a PA Test file: live results untouched)"
        if self.queued_channels:
            line += f"; posting to {', '.join(self.queued_channels)}"
        return line


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{Path(self.path).name}: {self.reason}"


@dataclass(frozen=True)
class TakenState:
    """A state of parties kept as the latest of its general election."""

    path: str
    election: str  # its name, "2019 general election"
    election_date: dt.date
    state: StateOfParties
    rehearsal: bool = False  # a PA Test file, kept in the rehearsal store


@dataclass
class PaReport:
    taken: list[Taken] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # left alone on purpose: not an error
    refused: list[PaFormatError] = field(default_factory=list)  # left for a human
    states_of_parties: list[TakenState] = field(default_factory=list)


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
    rehearsal: Callable[[], sessionmaker[Session]] | None = None,
) -> PaReport:
    """Read and load every PA file in `paths` (files, in the order given: see `feed_order`), each in
    a transaction of its own; a refused file is reported and the rest still taken. `on_file(path,
    what)` hears each file's outcome as it happens (the watcher remembers them).

    A PA Test file (rehearsal data) goes to the store `rehearsal()` opens, posted to that store's
    follows only (never to `channels`); with no `rehearsal`, or when it cannot be opened
    (RehearsalRefused), it is refused. The live store never sees it."""
    report = PaReport()
    live = _Target(sessions, channels, SeatNames(), rehearsal=False)
    rehearsed: list[_Target] = []

    def rehearsal_target() -> _Target:
        if rehearsal is None:
            raise RehearsalRefused("no rehearsal store was given to take it")
        if not rehearsed:
            rehearsed.append(_Target(rehearsal(), None if channels is None else (), SeatNames(), rehearsal=True))
        return rehearsed[0]

    for path in paths:
        what = _load_one(live, rehearsal_target, Path(path), report)
        if on_file is not None:
            on_file(Path(path), what)
    return report


def feed_order(paths: Iterable[Path]) -> list[Path]:
    """Files in the order a desk wants them taken: by seat and kind, then revision as a number
    (`_10` after `_9`, which name order puts first); a state of parties after every seat's file, by the
    results it covers (it is counted against them); names outside PA's shape last."""

    def key(path: Path) -> tuple[int, str, bool, str, int, str, int, str]:
        parts = parse_file_name(path.name)
        if parts is None:
            return (1, "", False, "", 0, "", 0, path.name)
        stage = KIND_ORDER[parts.kind]
        number = parts.revision or parts.results_covered or 0
        return (0, parts.election, parts.kind == SOP, parts.area or "", stage, parts.kind, number, path.name)

    return sorted(paths, key=key)


@dataclass(frozen=True)
class _Target:
    """A store files are taken into: the live one, or the rehearsal store for PA Test files."""

    sessions: sessionmaker[Session]
    channels: Sequence[str] | None
    seats: SeatNames
    rehearsal: bool


def _load_one(live: _Target, rehearsal: Callable[[], _Target], path: Path, report: PaReport) -> str:
    """What became of the file: "taken", "skipped" or "refused"."""
    target = live
    try:
        document = read_file(path)
        if document.is_test:
            try:
                target = rehearsal()
            except RehearsalRefused as refused:
                raise PaFormatError(
                    path,
                    "is PA rehearsal data (a Test_ file or a Test election): it never reaches live channels or "
                    f"answers, and it is not imported: {refused}",
                ) from refused
        if isinstance(document, PaStateOfParties):
            return _load_state(target, document, report)
        if not isinstance(document, PaResult | PaRush | PaRecount | PaNominations):
            raise PaFormatError(document.path, f"{document.kind} files name no seat to enter")
        entries = seat_entries(document)
    except PaFormatError as refused:
        return _refused(report, refused)
    # A nominations file lists many seats: each is a transaction of its own, as a result file is.
    outcomes = [_load_seat(target, document, entry, report) for entry in entries]
    if "refused" in outcomes:
        return "refused"
    return "taken" if "taken" in outcomes else "skipped"


def _load_state(target: _Target, document: PaStateOfParties, report: PaReport) -> str:
    try:
        kept = db.run_transaction(target.sessions, lambda session: keep_state_of_parties(session, document))
        taken = replace(kept, rehearsal=target.rehearsal)
    except PaFormatError as refused:
        return _refused(report, refused)
    except (NotNewerState, NoElection) as left:
        report.skipped.append(Skipped(document.path, str(left)))
        log.info("%s: skipped: %s", Path(document.path).name, left)
        return "skipped"
    report.states_of_parties.append(taken)
    return "taken"


class NoElection(Exception):
    """A state of parties of a general election the store does not hold yet: nothing to count it against."""


def keep_state_of_parties(session: Session, document: PaStateOfParties) -> TakenState:
    """Keep `document` as its general election's state of parties in the caller's transaction, or raise
    NotNewerState (a newer one is kept), NoElection, or PaFormatError (a party the store cannot hold).

    Its election is the general election of the date it names; a file naming none is the latest general
    election in the store, as the night's own is once its nominations or first results are in. A state
    of parties' name carries the results it covers, not a revision: the root's `revision` orders them,
    and without one the count of results, which only grows through the night."""
    query = select(Election).where(Election.kind == GENERAL)
    if document.election is not None:
        query = query.where(Election.date == document.election.date)
    election = session.scalars(query.order_by(Election.date.desc()).limit(1)).first()
    if election is None:
        held = None if document.election is None else document.election.date
        on = "" if held is None else f" on {held.day} {held:%B %Y}"
        raise NoElection(f"no general election{on} is in the store to count it against; nothing was stored")
    for party in document.parties:
        for text, limit in (
            (party.party, limits.PARTY_ABBREVIATION_LENGTH),
            (party.pa_abbreviation, limits.PARTY_ABBREVIATION_LENGTH),
            (party.name or "", limits.PARTY_NAME_LENGTH),
        ):
            if len(text) > limit:
                raise PaFormatError(document.path, f"{text[:40]!r}… is longer than a party's {limit} characters")
    state = StateOfParties(
        file_name=Path(document.path).name,
        revision=document.revision if document.revision is not None else document.results,
        results=document.results,
        stated_at=document.declared_at,
        parties=tuple(PartySeats(p.party, p.pa_abbreviation, p.name, p.seats) for p in document.parties),
    )
    return TakenState(document.path, election.name, election.date, keep(session, election.id, state))


def _refused(report: PaReport, refused: PaFormatError) -> str:
    report.refused.append(refused)
    log.warning("PA file refused, left for a human: %s", refused)
    return "refused"


def _load_seat(target: _Target, document: SeatFile, entry: SeatEntry, report: PaReport) -> str:
    path = Path(document.path)

    def work(session: Session) -> Taken:
        taken = load_seat(session, document, entry, target.channels, target.seats)
        return replace(taken, rehearsal=target.rehearsal)

    try:
        taken = db.run_transaction(target.sessions, work)
    except PaFormatError as refused:
        return _refused(report, refused)
    except (NotNewer, OutOfOrder) as left:
        reason = str(left) if isinstance(left, NotNewer) else f"{entry.seat_name}: {left.problems['status']}"
        report.skipped.append(Skipped(str(path), reason))
        log.info("%s: skipped: %s", path.name, reason)
        return "skipped"
    report.taken.append(taken)
    for disagreement in taken.disagreements:
        log.warning("%s: %s, %s: %s", path.name, taken.seat, taken.election, disagreement)
    return "taken"


SeatFile = PaResult | PaRush | PaRecount | PaNominations


@dataclass(frozen=True)
class SeatEntry:
    """One seat of a PA file: PA's name and number for it, and its entry once the seat is known."""

    seat_name: str
    number: int | None
    entry_for: Callable[[str, Constituency], ContestInput]  # (election kind, our seat) -> the entry
    constituency: PaConstituency | None = None  # a result's figures, to check what PA states


def seat_entries(document: SeatFile) -> list[SeatEntry]:
    """Each seat `document` speaks of, with how to make its entry."""
    if isinstance(document, PaResult):
        result = document
        return [
            SeatEntry(
                result.constituency.name,
                result.constituency.number,
                lambda kind, seat: entry_of(result, kind, seat),
                result.constituency,
            )
        ]
    if isinstance(document, PaRush):
        rush = document
        return [SeatEntry(rush.constituency, rush.number, lambda kind, seat: rush_entry(rush, kind, seat))]
    if isinstance(document, PaRecount):
        recount = document
        return [
            SeatEntry(
                recount.constituency,
                recount.number,
                lambda kind, seat: _entry(recount.election, kind, seat, elections.RECOUNT, recount.declared_at),
            )
        ]
    nominations = document
    return [
        SeatEntry(
            standing.name,
            standing.number,
            lambda kind, seat, standing=standing: nominations_entry(nominations, standing, kind, seat),  # type: ignore[misc]
        )
        for standing in nominations.constituencies
    ]


def election_kind(document: SeatFile) -> str:
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
            for seat_id, ons_id, seat_name in seats_on(session, boundary_set):
                seats.setdefault(fold(seat_name), []).append((seat_id, ons_id))
            self._by_set[boundary_set] = seats
        return self._by_set[boundary_set].get(fold(name), [])


def find_seat(
    session: Session, path: str, name: str, boundary_set: str, seats: SeatNames | None = None
) -> Constituency:
    """The seat PA names, by folded name among the seats that have a contest on `boundary_set`."""
    found = (seats or SeatNames()).named(session, boundary_set, name)
    if len(found) != 1:
        why = "no seat" if not found else f"{len(found)} seats ({', '.join(ons_id for _, ons_id in found)})"
        raise SeatNotFound(
            path,
            f"{why} on the {boundary_set} boundaries is called {name!r}; "
            "nothing was stored (check the name, or load the seat's earlier results first)",
        )
    seat = session.get(Constituency, found[0][0])
    assert seat is not None  # read from the store in this import, and seats are never deleted
    return seat


def load_result(
    session: Session, document: PaResult, channels: Sequence[str] | None = None, seats: SeatNames | None = None
) -> Taken:
    """Take one result file through the entry use case in the caller's transaction (see `load_seat`)."""
    (entry,) = seat_entries(document)
    return load_seat(session, document, entry, channels, seats)


def load_seat(
    session: Session,
    document: SeatFile,
    seat_entry: SeatEntry,
    channels: Sequence[str] | None = None,
    seats: SeatNames | None = None,
) -> Taken:
    """Take one seat of a file through the entry use case in the caller's transaction, or raise
    NotNewer when a revision as new or newer of the seat's file of this kind was taken before, or
    OutOfOrder when the file is an earlier stage than the stored result (nothing changes either way)."""
    kind = election_kind(document)
    revision = revision_of(document)
    boundary_set = boundary_set_for(kind, document.election.date)
    seat = find_seat(session, document.path, seat_entry.seat_name, boundary_set, seats)
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
                FeedFile.kind == document.kind,
            )
        )
        if newest is not None and revision <= newest:
            raise NotNewer(revision, newest)
    entry = seat_entry.entry_for(kind, seat)
    try:
        outcome = enter(session, entry, channels=channels)
    except OutOfOrder:
        raise
    except InvalidResult as invalid:
        raise PaFormatError(document.path, f"{seat.name}: {invalid}") from invalid
    session.flush()
    stated: tuple[str, ...] = ()
    if seat_entry.constituency is not None:
        stated = stated_figure_disagreements(seat_entry.constituency, summarise(session, outcome.contest))
    session.add(
        FeedFile(
            name=Path(document.path).name,
            kind=document.kind,
            election_id=outcome.contest.election_id,
            constituency_id=seat.id,
            feed_seat_number=seat_entry.number,
            feed_seat_name=seat_entry.seat_name,
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
        kind=document.kind,
        follows=_stage_followed(session, outcome.contest, entry.status) if outcome.status == "corrected" else None,
    )


def _stage_followed(session: Session, contest: Contest, status: str) -> str | None:
    """The earlier stage of the declaration `contest` took over from (a result after its rush), if any."""
    previous = previous_version(session, contest)
    if previous is None or elections.stage(previous.status) >= elections.stage(status):
        return None
    return previous.status


def _entry(
    election: PaElection,
    kind: str,
    seat: Constituency,
    status: str,
    declared_at: dt.datetime | None,
    candidates: tuple[CandidateInput, ...] = (),
) -> ContestInput:
    return before_the_figures(
        kind,
        election.date,
        seat.ons_id,
        seat.name,
        status,
        source=SOURCE,
        entered_by=ENTERED_BY,
        candidates=candidates,
        declared_at=declared_at,
    )


def rush_entry(document: PaRush, kind: str, seat: Constituency) -> ContestInput:
    """The flash: PA's winning party (in the Library's abbreviation where known), and GAIN from the
    sitting party when PA marks a change, else HOLD."""
    return replace(
        _entry(document.election, kind, seat, elections.RUSH, document.declared_at),
        winner_party=document.winning_party,
        gained_from=document.sitting_party if document.change else None,
        # A change with no sitting party named: GAIN from whom is worked out from the seat's last result.
        gain=None if document.change else False,
    )


def nominations_entry(document: PaNominations, standing: PaConstituency, kind: str, seat: Constituency) -> ContestInput:
    """Who is standing in `seat`, with no votes yet (PA's electorate waits for the result)."""
    return _entry(
        document.election,
        kind,
        seat,
        elections.NOMINATED,
        None,
        candidates=tuple(
            CandidateInput(
                name=candidate.name or None, party=candidate.party, votes=None, party_name=candidate.party_name
            )
            for candidate in standing.candidates
        ),
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
        source=SOURCE,
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


def stated_figure_disagreements(seat: PaConstituency, summary: Summary) -> tuple[str, ...]:
    """What PA states (majority, gain/hold, shares, swing) that our arithmetic does not give, in words.
    A figure is compared only where both PA and we have it (no swing without a baseline)."""
    found: list[str] = []
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


def state_of_parties_differences(state: StateOfParties, board: Scoreboard) -> list[str]:
    """Each party whose seats in PA's state of parties differ from our own tally, in words for the log."""
    compared = compare(state, board)
    found = []
    if compared.results != compared.declared:
        found.append(
            f"PA's state of parties covers {compared.results} results where we have {compared.declared} declared"
        )
    for seats in compared.differences:
        found.append(f"{seats.party}: PA says {_seats(seats.theirs)}, our tally {_seats(seats.ours)}")
    return found


def _seats(count: int) -> str:
    return f"{count} seat{'' if count == 1 else 's'}"
