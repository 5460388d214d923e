"""Loading House of Commons Library results files into the store: `hoc_files` reads them, and each
contest goes through the one entry use case (`store.enter_result.enter`) as a published source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import live_scoreboard, outbox
from store.channel_follows import channels_for
from store.contest_input import InvalidResult
from store.contests import disagreements
from store.elections import election_name
from store.enter_result import enter
from store.importers.hoc_files import HocFormatError, SourceRow, match_notional_seats, read_all
from store.models import Contest, Party
from store.recorder import Recorder

__all__ = ["Discrepancy", "HocFormatError", "ImportReport", "import_hoc"]


@dataclass(frozen=True)
class Discrepancy:
    """A contest whose source disagrees with itself or with our arithmetic; reported, not 'fixed'."""

    path: str
    row: int
    ons_id: str
    contest: str  # "Sheffield, Brightside and Hillsborough, 5 May 2016 by-election"
    problems: tuple[str, ...]

    @property
    def message(self) -> str:
        return "; ".join(self.problems)

    def __str__(self) -> str:
        return f"{self.contest}: {self.message} ({self.path}, row {self.row}, {self.ons_id})"


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    new: int = 0
    unchanged: int = 0
    corrected: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)  # one per contest, in file order
    new_parties: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    # Results queued for posting, each in one channel or more: RESULTSBOT_RESULTS_CHANNEL's and followers'.
    queued: int = 0
    queued_channels: list[str] = field(default_factory=list)

    @property
    def contests(self) -> int:
        return self.new + self.unchanged + self.corrected

    def discrepancy_count(self) -> str:
        """ "3 contests where the source disagrees with itself": counted by contest, however many
        figures of one contest disagree."""
        number = len(self.discrepancies)
        return f"{number or 'no'} contest{'' if number == 1 else 's'} where the source disagrees with itself"


def import_hoc(session: Session, path: Path, post_to: Iterable[str] | None = None) -> ImportReport:
    """Load Library files into the store within the caller's transaction.

    Same figures as stored: nothing changes. A changed figure: a new version of that contest.
    A source that disagrees with itself or with our arithmetic is stored as published and the
    disagreement reported; a malformed file raises HocFormatError before anything is written.
    New and changed contests are queued for posting to `post_to` channels and the channels whose follows
    match them (`store.channel_follows`); with `post_to` None, to none (back-filling).
    """
    known_mnis: dict[int, str] = {}
    known_names: dict[str, str] = {}
    for party in session.scalars(select(Party)):
        if party.mnis_id is not None:
            known_mnis.setdefault(party.mnis_id, party.abbreviation)
        if party.ec_id is not None:
            known_names.setdefault(party.name, party.abbreviation)
    rows = read_all(Path(path), known_mnis, known_names)
    report = ImportReport(files=sorted({row.path for row in rows}), repairs=match_notional_seats(rows))
    recorder = Recorder(session, bulk=True)
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
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
            report.new_parties.extend(outcome.new_parties)
            report.repairs.extend(row.repairs)
            recorded.append((row, outcome.contest))
            if outcome.status != "unchanged":
                changed.append(outcome.contest)
    recorder.write_candidacies()
    session.flush()
    # Queued once the whole import is stored: a seat that appears twice is posted as it finally reads.
    follow_all = None if post_to is None else list(post_to)
    for contest in changed:
        if follow_all is not None and contest.is_current:
            queued = outbox.queue(session, contest, channels_for(session, contest, follow_all))
            report.queued += 1 if queued else 0
            report.queued_channels.extend(c for c in queued if c not in report.queued_channels)
            live_scoreboard.mark_changed(session, contest, queued)
    # The summary's own check, on every contest read: a source that contradicts itself is stored as
    # published (`enter` lets its inconsistencies through) and said so here, once per contest.
    problems = disagreements(session, [contest for _, contest in recorded])
    for row, contest in recorded:
        if contest.id in problems:
            where = f"{contest.constituency.name}, {contest.election.name}"
            report.discrepancies.append(Discrepancy(row.path, row.row, row.entry.ons_id, where, problems[contest.id]))
    return report
