"""A stored contest as plain values: what the summary, the corrections and the outbox read.

`store.contests` maps database rows to these; tests and importers can build them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CandidateFacts:
    name: str | None  # None for a notional result's party total
    party: str  # the Library's abbreviation
    party_name: str  # as on the ballot ("Labour and Co-operative"), else the party's name
    votes: int | None  # None where the source has [x]
    elected: bool = False


@dataclass(frozen=True)
class ContestFacts:
    """One stored version of one contest, as plain values."""

    contest_id: int | None
    version: int
    is_current: bool
    status: str
    constituency: str
    ons_id: str
    region: str | None
    election_name: str
    election_date: dt.date
    election_kind: str
    boundary_set: str
    declared_at: dt.datetime | None
    electorate: int | None
    valid_votes: int | None
    rejected: int | None
    candidates: tuple[CandidateFacts, ...]
    # What the source itself stated, which the summary checks its own arithmetic against.
    stated_result: str | None = None
    stated_majority: int | None = None
    # Where the result came from, as stored ("House of Commons Library: …", "PA Media", "desk editor …").
    source: str | None = None

    @property
    def key(self) -> ContestKey:
        """The contest every version of it shares: the seat and the election."""
        return (self.ons_id, self.election_kind, self.election_date, self.boundary_set)


ContestKey = tuple[str, str, dt.date, str]
