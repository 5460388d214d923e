"""Checks of a source's own statements (majority, result label) against the store's arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import results
from store.models import Contest
from store.summary import Summary, build_summary, choose_baseline, with_candidates


def disagreements(contest: Contest, summary: Summary) -> list[str]:
    """What the source stated that our arithmetic does not reproduce, in words."""
    problems: list[str] = []
    if contest.stated_majority is not None and summary.majority_votes != contest.stated_majority:
        computed = "none" if summary.majority_votes is None else f"{summary.majority_votes:,}"
        problems.append(f"the file states a majority of {contest.stated_majority:,}; the votes give {computed}")
    if contest.stated_result:
        stated = results.normalise_label(contest.stated_result)
        if summary.result_label is not None and stated.casefold() != summary.result_label.casefold():
            problems.append(f"the file states '{contest.stated_result}'; the votes give '{summary.result_label}'")
    return problems


def audit_contests(session: Session, contests: Iterable[Contest]) -> dict[int, list[str]]:
    """Disagreements by contest id, loading every seat's results once rather than per contest."""
    wanted = {contest.id: contest for contest in contests}
    seat_ids = {contest.constituency_id for contest in wanted.values()}
    by_seat: dict[int, list[Contest]] = defaultdict(list)
    for chunk in _chunks(sorted(seat_ids), 500):
        for contest in session.scalars(
            select(Contest)
            .where(Contest.constituency_id.in_(chunk), Contest.is_current.is_(True))
            .options(*with_candidates())
        ):
            by_seat[contest.constituency_id].append(contest)
    found: dict[int, list[str]] = {}
    for contest in wanted.values():
        seat = by_seat[contest.constituency_id]
        baseline = choose_baseline(contest, seat)
        its_baseline = choose_baseline(baseline, seat) if baseline is not None else None
        problems = disagreements(contest, build_summary(contest, baseline, its_baseline))
        if problems:
            found[contest.id] = problems
    return found


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
