"""Loading House of Commons Library results files into the store: `hoc_files` reads them, and each
contest goes through the one entry use case (`store.enter_result.enter`) as a published source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import outbox
from store.audit import audit_contests
from store.contest_input import InvalidResult
from store.elections import election_name
from store.enter_result import enter
from store.importers.hoc_files import HocFormatError, SourceRow, match_notional_seats, read_all
from store.models import Contest, Party
from store.recorder import Recorder

__all__ = ["Discrepancy", "HocFormatError", "ImportReport", "import_hoc"]


@dataclass(frozen=True)
class Discrepancy:
    """A place where a source disagrees with itself or with our arithmetic; reported, not 'fixed'."""

    path: str
    row: int
    ons_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}, row {self.row} ({self.ons_id}): {self.message}"


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    new: int = 0
    unchanged: int = 0
    corrected: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)
    new_parties: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    @property
    def contests(self) -> int:
        return self.new + self.unchanged + self.corrected


def import_hoc(session: Session, path: Path, post_to: Iterable[str] = ()) -> ImportReport:
    """Load Library files into the store within the caller's transaction.

    Same figures as stored: nothing changes. A changed figure: a new version of that contest.
    A source that disagrees with itself or with our arithmetic is stored as published and the
    disagreement reported; a malformed file raises HocFormatError before anything is written.
    New and changed contests are queued for posting to `post_to` channels (none when back-filling).
    """
    known_mnis: dict[int, str] = {}
    for party in session.scalars(select(Party).where(Party.mnis_id.is_not(None))):
        known_mnis.setdefault(party.mnis_id, party.abbreviation)  # type: ignore[arg-type]
    rows = read_all(Path(path), known_mnis)
    report = ImportReport(files=sorted({row.path for row in rows}), repairs=match_notional_seats(rows))
    recorder = Recorder(session)
    recorded: list[tuple[SourceRow, Contest]] = []
    changed: list[Contest] = []
    with session.no_autoflush:
        for row in rows:
            try:
                outcome = enter(session, row.entry, published=True, recorder=recorder)
            except InvalidResult as error:
                entry = row.entry
                seat = f"{entry.constituency_name or entry.ons_id} ({entry.ons_id})"
                named = f"{seat}, {election_name(entry.election_kind, entry.election_date)}: {error}"
                raise HocFormatError(row.path, named, row.row) from error
            for field_name, problem in outcome.warnings.items():
                report.discrepancies.append(
                    Discrepancy(row.path, row.row, row.entry.ons_id, f"{field_name}: {problem}")
                )
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
            report.new_parties.extend(outcome.new_parties)
            report.repairs.extend(row.repairs)
            recorded.append((row, outcome.contest))
            if outcome.status != "unchanged":
                changed.append(outcome.contest)
    session.flush()
    # Queued once the whole import is stored: a seat that appears twice is posted as it finally reads.
    channels = list(post_to)
    for contest in changed:
        if channels and contest.is_current:
            outbox.queue(session, contest, channels)
    stated = [
        (row, contest)
        for row, contest in recorded
        if row.entry.stated_result is not None or row.entry.stated_majority is not None
    ]
    problems = audit_contests(session, [contest for _, contest in stated])
    for row, contest in stated:
        for problem in problems.get(contest.id, []):
            report.discrepancies.append(Discrepancy(row.path, row.row, row.entry.ons_id, problem))
    return report
