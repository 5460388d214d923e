"""Checks of stored contests against themselves: where a source's figures, or what it states of them
(majority, GAIN/HOLD), contradict each other. The rule is the summary's (`summary.source_disagreements`),
so what an import reports is what every answer about the contest says."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from store.contests import summarise_many
from store.models import Contest


def audit_contests(session: Session, contests: Iterable[Contest]) -> dict[int, tuple[str, ...]]:
    """Disagreements by contest id, for the contests that have any."""
    return {
        contest_id: summary.disagreements
        for contest_id, summary in summarise_many(session, contests).items()
        if summary.disagreements
    }
