"""Checks of a source's own statements (majority, result label) against the store's arithmetic."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from store import arithmetic
from store.contests import summarise_many
from store.models import Contest
from store.summary import Summary


def disagreements(contest: Contest, summary: Summary) -> list[str]:
    """What the source stated that our arithmetic does not reproduce, in words."""
    problems: list[str] = []
    if contest.stated_majority is not None and summary.majority_votes != contest.stated_majority:
        computed = "none" if summary.majority_votes is None else f"{summary.majority_votes:,}"
        problems.append(f"the file states a majority of {contest.stated_majority:,}; the votes give {computed}")
    if contest.stated_result:
        stated = arithmetic.normalise_label(contest.stated_result)
        if summary.result_label is not None and stated.casefold() != summary.result_label.casefold():
            problems.append(f"the file states '{contest.stated_result}'; the votes give '{summary.result_label}'")
    return problems


def audit_contests(session: Session, contests: Iterable[Contest]) -> dict[int, list[str]]:
    """Disagreements by contest id, for contests whose source stated a majority or a label."""
    summaries = summarise_many(session, contests)
    found: dict[int, list[str]] = {}
    for contest_id, summary in summaries.items():
        contest = session.get(Contest, contest_id)
        assert contest is not None
        problems = disagreements(contest, summary)
        if problems:
            found[contest_id] = problems
    return found
