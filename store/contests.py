"""Stored contests as the rest of the store reads them: rows mapped to plain values, and summaries.

The only place that turns ORM rows into `ContestFacts`. `summarise_many` reads every seat's contests
once and hands them to the pure `summary.summarise_among`, for one contest or a whole election alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from store.elections import FULL_RESULT_STATUSES
from store.facts import CandidateFacts, ContestFacts, ContestKey
from store.models import Candidacy, Constituency, Contest, Election, Party, with_candidates
from store.summary import Summary, disagreements_among, summarise_among

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
        source=contest.source,
    )


def load_contest(session: Session, contest_id: int) -> Contest | None:
    return session.scalars(select(Contest).where(Contest.id == contest_id).options(*with_candidates())).first()


def summarise_many(session: Session, contests: Iterable[Contest]) -> dict[int, Summary]:
    """Summaries by contest id, reading every seat's results once rather than per contest."""
    wanted = list(contests)
    facts, seat_contests = _with_their_seats(session, wanted)
    summaries = summarise_among(facts, seat_contests, _first_versions(session, [c for c in wanted if c.version > 1]))
    return {contest.id: summary for contest, summary in zip(wanted, summaries, strict=True)}


def summarise_current(session: Session, contest_ids: Iterable[int]) -> dict[int, Summary]:
    """Summaries by contest id of those of `contest_ids` that are current, read with plain queries (ORM
    rows only for a correction's first version): a live recount summarises each new result this way."""
    ids = sorted(set(contest_ids))
    seat_ids: set[int] = set()
    corrected: list[int] = []
    for start in range(0, len(ids), BATCH):
        for seat_id, contest_id, version in session.execute(
            select(Contest.constituency_id, Contest.id, Contest.version).where(
                Contest.id.in_(ids[start : start + BATCH]), Contest.is_current.is_(True)
            )
        ):
            seat_ids.add(seat_id)
            if version > 1:
                corrected.append(contest_id)
    seat_contests = current_facts_by_seat(session, seat_ids)
    wanted_ids = set(ids)
    wanted = [facts for seat in seat_contests.values() for facts in seat if facts.contest_id in wanted_ids]
    first: dict[ContestKey, ContestFacts] = {}
    if corrected:
        first = _first_versions(session, list(session.scalars(select(Contest).where(Contest.id.in_(corrected)))))
    summaries = summarise_among(wanted, seat_contests, first)
    return {
        facts.contest_id: summary
        for facts, summary in zip(wanted, summaries, strict=True)
        if facts.contest_id is not None
    }


def disagreements(session: Session, contests: Iterable[Contest]) -> dict[int, tuple[str, ...]]:
    """Where each contest's source contradicts itself (`summary.source_disagreements`), by contest id,
    for the contests that do."""
    wanted = list(contests)
    facts, seat_contests = _with_their_seats(session, wanted)
    found = disagreements_among(facts, seat_contests)
    return {contest.id: said for contest, said in zip(wanted, found, strict=True) if said}


def _with_their_seats(
    session: Session, wanted: list[Contest]
) -> tuple[list[ContestFacts], dict[str, list[ContestFacts]]]:
    """`wanted` as facts, and the current contests of their seats they are compared with."""
    seat_contests = current_facts_by_seat(session, {contest.constituency_id for contest in wanted})
    by_id = {facts.contest_id: facts for seat in seat_contests.values() for facts in seat}
    return [by_id.get(contest.id) or facts_of(contest) for contest in wanted], seat_contests


def current_facts_by_seat(session: Session, seat_ids: Iterable[int]) -> dict[str, list[ContestFacts]]:
    """The current contests of each seat (by ONS ID) as plain values, read with two plain queries per
    batch of seats: building ORM objects for a whole election's candidacies would cost more than the
    summaries themselves (a full import audits every contest)."""
    seat_contests: dict[str, list[ContestFacts]] = defaultdict(list)
    ordered = sorted(seat_ids)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        contests = session.execute(
            # Labelled as ContestFacts' fields, so a row becomes its facts by name.
            select(
                Contest.id.label("contest_id"),
                Contest.version,
                Contest.is_current,
                Contest.status,
                Constituency.name.label("constituency"),
                Constituency.ons_id,
                Constituency.region,
                Election.name.label("election_name"),
                Election.date.label("election_date"),
                Election.kind.label("election_kind"),
                Election.boundary_set,
                Contest.declared_at,
                Contest.electorate,
                Contest.valid_votes,
                Contest.invalid_votes.label("rejected"),
                Contest.stated_result,
                Contest.stated_majority,
                Contest.source,
            )
            .join(Contest.constituency)
            .join(Contest.election)
            .where(Contest.constituency_id.in_(batch), Contest.is_current.is_(True))
        ).all()
        candidates: dict[int, list[CandidateFacts]] = defaultdict(list)
        ids = [row.contest_id for row in contests]
        for id_start in range(0, len(ids), BATCH):
            for contest_id, name, party, label, party_name, votes, elected in session.execute(
                select(
                    Candidacy.contest_id,
                    Candidacy.candidate_name,
                    Party.abbreviation,
                    Candidacy.party_label,
                    Party.name,
                    Candidacy.votes,
                    Candidacy.elected,
                )
                .join(Candidacy.party)
                .where(Candidacy.contest_id.in_(ids[id_start : id_start + BATCH]))
                .order_by(Candidacy.contest_id, Candidacy.position)
            ):
                candidates[contest_id].append(CandidateFacts(name, party, label or party_name, votes, elected))
        for row in contests:
            values = row._asdict()
            seat_contests[values["ons_id"]].append(
                ContestFacts(**values, candidates=tuple(candidates[values["contest_id"]]))
            )
    return seat_contests


def summarise(session: Session, contest: Contest) -> Summary:
    return summarise_many(session, [contest])[contest.id]


def _first_versions(session: Session, corrected: list[Contest]) -> dict[ContestKey, ContestFacts]:
    """The first full result (with figures) of each contest in `corrected`, which tells a correction
    from a status change: a rush or a recount before it is not a result that figures can correct."""
    found: dict[ContestKey, ContestFacts] = {}
    for start in range(0, len(corrected), BATCH):
        chunk = corrected[start : start + BATCH]
        matches = [
            and_(Contest.election_id == c.election_id, Contest.constituency_id == c.constituency_id) for c in chunk
        ]
        for first in session.scalars(
            select(Contest)
            .where(Contest.status.in_(FULL_RESULT_STATUSES), or_(*matches))
            .order_by(Contest.version.desc())
            .options(*with_candidates())
        ):
            facts = facts_of(first)
            found[facts.key] = facts  # ordered newest first, so the earliest is kept
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


def seats_on(session: Session, boundary_set: str) -> list[tuple[int, str, str]]:
    """(id, ONS code, name) of every seat with a contest on `boundary_set`: the seats a feed can name."""
    rows = session.execute(
        select(Constituency.id, Constituency.ons_id, Constituency.name)
        .join(Contest, Contest.constituency_id == Constituency.id)
        .join(Election, Election.id == Contest.election_id)
        .where(Election.boundary_set == boundary_set)
        .distinct()
    )
    return [(seat_id, ons_id, name) for seat_id, ons_id, name in rows]
