"""Loading Democracy Club's candidates CSV (read by `democracy_club`): each Westminster ballot becomes
its seat's nominated contest, with its candidates, through the one entry use case, a transaction a
ballot. A ballot whose seat the store does not have is reported with its ID, and the rest still
loaded; a ballot whose contest has gone further (a flash, a recount or the result) is skipped with
the reason, since nominations never replace what the night has brought.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from store import db
from store.contest_input import CandidateInput, ContestInput, InvalidResult, before_the_figures
from store.contests import seats_on
from store.elections import NOMINATED, boundary_set_for, election_name
from store.enter_result import OutOfOrder, enter
from store.importers.democracy_club import Ballot, match_seat, read_candidates

log = logging.getLogger(__name__)

SOURCE = "Democracy Club"
ENTERED_BY = "Democracy Club candidates CSV"


@dataclass(frozen=True)
class BallotOutcome:
    ballot_id: str
    said: str

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.said}"


@dataclass
class CandidatesReport:
    loaded: list[BallotOutcome] = field(default_factory=list)
    skipped: list[BallotOutcome] = field(default_factory=list)  # left alone on purpose: not an error
    refused: list[BallotOutcome] = field(default_factory=list)  # an unknown seat, a ballot that cannot be stored


def import_candidates(sessions: sessionmaker[Session], text: str, path: str = "candidates CSV") -> CandidatesReport:
    """Every Westminster ballot in Democracy Club's CSV `text`, each in a transaction of its own.
    A file that is not Democracy Club's CSV raises `CandidatesFormatError` before anything is stored."""
    report = CandidatesReport()
    seats: dict[str, dict[str, str]] = {}
    for ballot in read_candidates(text, path):
        if ballot.cancelled:
            report.skipped.append(BallotOutcome(ballot.ballot_paper_id, "the poll was cancelled; nothing stored"))
            continue
        boundary_set = boundary_set_for(ballot.kind, ballot.date)
        if boundary_set not in seats:
            with sessions() as session:
                seats[boundary_set] = {ons_id: name for _, ons_id, name in seats_on(session, boundary_set)}
        ons_id = match_seat(ballot, seats[boundary_set])
        if ons_id is None:
            said = (
                f"no seat on the {boundary_set} boundaries has ONS code {ballot.gss_code or '(none given)'} or "
                f"is named {ballot.slug!r}; nothing stored (load the seat's earlier results first)"
            )
            report.refused.append(BallotOutcome(ballot.ballot_paper_id, said))
            continue
        entry = nominations_entry(ballot, ons_id, seats[boundary_set][ons_id])
        try:
            outcome = db.run_transaction(sessions, lambda session, entry=entry: enter(session, entry))  # type: ignore[misc]
        except OutOfOrder as late:
            report.skipped.append(BallotOutcome(ballot.ballot_paper_id, late.problems["status"]))
            continue
        except InvalidResult as invalid:
            report.refused.append(BallotOutcome(ballot.ballot_paper_id, f"not stored: {invalid}"))
            continue
        words = {"new": "stored", "corrected": "stored, replacing the earlier nominations", "unchanged": "unchanged"}
        where = f"{entry.constituency_name}, {election_name(ballot.kind, ballot.date)}"
        standing = f"{len(entry.candidates)} candidate{'' if len(entry.candidates) == 1 else 's'}"
        report.loaded.append(BallotOutcome(ballot.ballot_paper_id, f"{where}: {standing}, {words[outcome.status]}"))
    for refused in report.refused:
        log.warning("candidates CSV %s: %s", path, refused)
    return report


def nominations_entry(ballot: Ballot, ons_id: str, seat_name: str) -> ContestInput:
    return before_the_figures(
        ballot.kind,
        ballot.date,
        ons_id,
        seat_name,
        NOMINATED,
        source=SOURCE,
        entered_by=ENTERED_BY,
        candidates=tuple(
            CandidateInput(name=candidate.name, party=candidate.party, votes=None, party_name=candidate.party_name)
            for candidate in ballot.candidates
        ),
    )
