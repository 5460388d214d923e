"""Stored contests as the rest of the store reads them: rows mapped to plain values, and summaries.

The only place that turns ORM rows into `ContestFacts`. `summarise_many` reads every seat's contests
once and hands them to the pure `summary.summarise_among`, for one contest or a whole election alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from store.facts import CandidateFacts, ContestFacts, ContestKey
from store.models import Contest, with_candidates
from store.summary import Summary, summarise_among

# Bound parameters per IN (...) list: well inside SQLite's and PostgreSQL's limits.
BATCH = 500


def facts_of(contest: Contest) -> ContestFacts:
    """A contest row (loaded `with_candidates`) as plain values."""
    return ContestFacts(
        contest_id=contest.id,
        version=contest.version,
        is_current=contest.is_current,
        status=contest.status,
        constituency=contest.constituency.name,
        ons_id=contest.constituency.ons_id,
        region=contest.constituency.region,
        election_name=contest.election.name,
        election_date=contest.election.date,
        election_kind=contest.election.kind,
        boundary_set=contest.election.boundary_set,
        declared_at=contest.declared_at,
        electorate=contest.electorate,
        valid_votes=contest.valid_votes,
        rejected=contest.invalid_votes,
        candidates=tuple(
            CandidateFacts(
                name=c.candidate_name,
                party=c.party.abbreviation,
                party_name=c.party_label or c.party.name,
                votes=c.votes,
                elected=c.elected,
            )
            for c in contest.candidacies
        ),
        stated_result=contest.stated_result,
        stated_majority=contest.stated_majority,
    )


def load_contest(session: Session, contest_id: int) -> Contest | None:
    return session.scalars(select(Contest).where(Contest.id == contest_id).options(*with_candidates())).first()


def summarise_many(session: Session, contests: Iterable[Contest]) -> dict[int, Summary]:
    """Summaries by contest id, reading every seat's results once rather than per contest."""
    wanted = list(contests)
    seat_ids = sorted({contest.constituency_id for contest in wanted})
    seat_contests: dict[str, list[ContestFacts]] = defaultdict(list)
    for start in range(0, len(seat_ids), BATCH):
        for earlier in session.scalars(
            select(Contest)
            .where(Contest.constituency_id.in_(seat_ids[start : start + BATCH]), Contest.is_current.is_(True))
            .options(*with_candidates())
        ):
            seat_contests[earlier.constituency.ons_id].append(facts_of(earlier))
    facts = [facts_of(contest) for contest in wanted]
    summaries = summarise_among(facts, seat_contests, _first_versions(session, [c for c in wanted if c.version > 1]))
    return {contest.id: summary for contest, summary in zip(wanted, summaries, strict=True)}


def summarise(session: Session, contest: Contest) -> Summary:
    return summarise_many(session, [contest])[contest.id]


def _first_versions(session: Session, corrected: list[Contest]) -> dict[ContestKey, ContestFacts]:
    """Version 1 of each contest in `corrected`, which tells a correction from a status change."""
    found: dict[ContestKey, ContestFacts] = {}
    for start in range(0, len(corrected), BATCH):
        chunk = corrected[start : start + BATCH]
        matches = [
            and_(Contest.election_id == c.election_id, Contest.constituency_id == c.constituency_id) for c in chunk
        ]
        for first in session.scalars(
            select(Contest).where(Contest.version == 1, or_(*matches)).options(*with_candidates())
        ):
            facts = facts_of(first)
            found[facts.key] = facts
    return found


def previous_version(session: Session, contest: Contest) -> Contest | None:
    if contest.version <= 1:
        return None
    return session.scalars(
        select(Contest)
        .where(
            Contest.election_id == contest.election_id,
            Contest.constituency_id == contest.constituency_id,
            Contest.version < contest.version,
        )
        .order_by(Contest.version.desc())
        .limit(1)
        .options(*with_candidates())
    ).first()
