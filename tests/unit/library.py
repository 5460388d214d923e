"""The bundled House of Commons Library results as summaries, with no database: the files are read by
the importer's pure reading step, mapped to plain `ContestFacts` and summarised by the pure summary.

This is what lets unit tests of wording and Block Kit run on every real contest without a store.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from bot.bootstrap import BUNDLED_DATA
from store.elections import boundary_set_for, election_name
from store.facts import CandidateFacts, ContestFacts
from store.importers.hoc_files import SourceRow, match_notional_seats, read_all
from store.names import SeatSpellings
from store.summary import Summary, summarise_among


def facts_of_row(row: SourceRow, contest_id: int, spellings: SeatSpellings) -> ContestFacts:
    entry = row.entry
    return ContestFacts(
        contest_id=contest_id,
        version=1,
        is_current=True,
        status=entry.status,
        constituency=spellings.spell(entry.constituency_name) if entry.constituency_name else entry.ons_id,
        ons_id=entry.ons_id,
        region=entry.region,
        election_name=election_name(entry.election_kind, entry.election_date),
        election_date=entry.election_date,
        election_kind=entry.election_kind,
        boundary_set=entry.boundary_set or boundary_set_for(entry.election_kind, entry.election_date),
        declared_at=entry.declared_at,
        electorate=entry.electorate,
        valid_votes=entry.valid_votes,
        rejected=entry.invalid_votes,
        candidates=tuple(
            CandidateFacts(c.name, c.party, c.party_name or c.party, c.votes, c.elected) for c in entry.candidates
        ),
        stated_result=entry.stated_result,
        stated_majority=entry.stated_majority,
    )


@cache
def library_contests() -> tuple[ContestFacts, ...]:
    rows = read_all(BUNDLED_DATA)
    match_notional_seats(rows)
    # Seats are named as the store names them: one spelling per name, the newest general election's.
    spellings = SeatSpellings()
    for row in rows:
        if row.entry.constituency_name:
            spelt_at = row.entry.election_date if row.entry.authoritative_name else None
            spellings.spell(row.entry.constituency_name, spelt_at)
    return tuple(facts_of_row(row, number, spellings) for number, row in enumerate(rows, start=1))


@cache
def library_summaries() -> tuple[Summary, ...]:
    contests = library_contests()
    by_seat: dict[str, list[ContestFacts]] = defaultdict(list)
    for contest in contests:
        by_seat[contest.ons_id].append(contest)
    return tuple(summarise_among(contests, by_seat))


def summary_of(seat: str, election: str) -> Summary:
    """The summary of the contest in `seat` (exact name) at `election` (its name, e.g. "2015 general
    election" or "23 February 2017 by-election")."""
    (found,) = [s for s in library_summaries() if s.constituency == seat and s.election_name == election]
    return found


# Seats won at the 2024 general election, as the Library publishes them (Speaker as Spk).
PUBLISHED_SEATS_2024 = {
    "Lab": 411,
    "Con": 121,
    "LD": 72,
    "SNP": 9,
    "SF": 7,
    "Ind": 6,
    "RUK": 5,
    "DUP": 5,
    "Green": 4,
    "PC": 4,
    "SDLP": 2,
    "APNI": 1,
    "TUV": 1,
    "UUP": 1,
    "Spk": 1,
}
