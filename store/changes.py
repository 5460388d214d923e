"""What changed between two versions of a contest, in words a reader of a correction needs."""

from __future__ import annotations

from store import arithmetic
from store.elections import FULL_RESULT_STATUSES, RUSH
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


def _winning_party(contest: ContestFacts) -> str | None:
    """The party a rush flashed, or a full result's votes elect; None at any other stage."""
    if contest.status == RUSH:
        return next((c.party for c in contest.candidates if c.elected), None)
    if contest.status in FULL_RESULT_STATUSES:
        figures = arithmetic.contest_figures(
            contest.electorate, contest.valid_votes, contest.rejected, contest.candidates
        )
        winner = arithmetic.outcome(figures).winner
        return winner.party if winner is not None else None
    return None


def flash_note(old: ContestFacts, new: ContestFacts) -> str | None:
    """The thread note under a flash that the next stage contradicts (another winner, or a recount after
    all); None when it bears the flash out, or `old` was no flash. Reporters may have copied the flash."""
    if old.status != RUSH:
        return None
    flashed, now = _winning_party(old), _winning_party(new)
    if flashed is None or (now is not None and arithmetic.party_key(now) == arithmetic.party_key(flashed)):
        return None
    if now is None:
        return f"CORRECTION: the flash naming {flashed} the winner is withdrawn: result now {new.status.upper()}."
    return f"CORRECTION: {now} won, not {flashed} as first flashed."
