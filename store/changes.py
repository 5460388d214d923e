"""What changed between two versions of a contest, in words a reader of a correction needs."""

from __future__ import annotations

from store.facts import ContestFacts
from store.numbers import count


def _candidates(contest: ContestFacts) -> dict[tuple[str, str], int | None]:
    return {(c.name or c.party_name, c.party): c.votes for c in contest.candidates}


def figure_changes(old: ContestFacts, new: ContestFacts) -> list[str]:
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
        ("rejected ballots", old.rejected, new.rejected),
        ("electorate", old.electorate, new.electorate),
    ):
        if was != now:
            changes.append(f"{label} {count(was)} → {count(now)}")
    return changes


def change_note(old: ContestFacts, new: ContestFacts) -> str:
    """The thread note under a corrected post."""
    changes = figure_changes(old, new)
    status = f"now {new.status.upper()} (was {old.status})" if old.status != new.status else ""
    if changes:
        note = "CORRECTION: " + "; ".join(changes)
        return f"{note}. Result {status}." if status else f"{note}."
    if status:
        return f"UPDATE: result {status}; figures unchanged."
    return "UPDATE: figures unchanged."
