"""What changed between two versions of a contest, in words a reader of a correction needs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Contest, with_candidates
from store.numbers import count


def _candidates(contest: Contest) -> dict[tuple[str, str], int | None]:
    return {(c.candidate_name or c.party.name, c.party.abbreviation): c.votes for c in contest.candidacies}


def figure_changes(old: Contest, new: Contest) -> list[str]:
    """Each changed figure as "what: old → new", candidates first; empty when only status changed."""
    changes: list[str] = []
    before, after = _candidates(old), _candidates(new)
    for key in after:
        name, party = key
        if key not in before:
            changes.append(f"{name} ({party}) added with {count(after[key])} votes")
        elif before[key] != after[key]:
            changes.append(f"{name} ({party}) {count(before[key])} → {count(after[key])}")
    for name, party in before:
        if (name, party) not in after:
            changes.append(f"{name} ({party}) removed (had {count(before[(name, party)])} votes)")
    for label, was, now in (
        ("valid votes", old.valid_votes, new.valid_votes),
        ("rejected ballots", old.invalid_votes, new.invalid_votes),
        ("electorate", old.electorate, new.electorate),
    ):
        if was != now:
            changes.append(f"{label} {count(was)} → {count(now)}")
    return changes


def change_note(old: Contest, new: Contest) -> str:
    """The thread note under a corrected post."""
    changes = figure_changes(old, new)
    status = f"now {new.status.upper()} (was {old.status})" if old.status != new.status else ""
    if changes:
        note = "CORRECTION: " + "; ".join(changes)
        return f"{note}. Result {status}." if status else f"{note}."
    if status:
        return f"UPDATE: result {status}; figures unchanged."
    return "UPDATE: figures unchanged."


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


def was_corrected(session: Session, contest: Contest) -> bool:
    """Whether any figure differs from the first version: a provisional result declared unchanged
    is not a correction."""
    if contest.version <= 1:
        return False
    first = session.scalars(
        select(Contest)
        .where(
            Contest.election_id == contest.election_id,
            Contest.constituency_id == contest.constituency_id,
            Contest.version == 1,
        )
        .options(*with_candidates())
    ).first()
    return first is None or bool(figure_changes(first, contest))
