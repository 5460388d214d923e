"""The summary of one contest: every figure a reporter reads, built once for every renderer.

`build_summary` is pure (figures in, summary out); `summarise` loads a contest and its baseline from
the store and calls it. The CLI's text and JSON and the Slack blocks all render this one object.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from store import results
from store.changes import was_corrected
from store.models import BY_ELECTION, GENERAL, NOTIONAL, Contest, Election, with_candidates
from store.numbers import as_float

SOURCE_NOTE = "Source: House of Commons Library (Open Parliament Licence v3.0)"
ATTRIBUTION = "Contains Parliamentary information licensed under the Open Parliament Licence v3.0."


@dataclass(frozen=True)
class CandidateLine:
    name: str | None
    party: str
    party_name: str
    votes: int | None
    share: Fraction | None  # percent of valid votes
    share_change: Fraction | None  # percentage points against the baseline; None when new or no baseline
    elected: bool


@dataclass(frozen=True)
class Baseline:
    election_name: str
    election_date: dt.date
    notional: bool
    result_label: str | None
    winner_party: str | None
    majority_votes: int | None
    majority_percent: Fraction | None


@dataclass(frozen=True)
class Summary:
    contest_id: int | None
    version: int
    status: str
    corrected: bool  # a figure differs from the first version entered
    constituency: str
    ons_id: str
    region: str | None
    election_name: str
    election_date: dt.date
    election_kind: str
    declared_at: dt.datetime | None
    result_label: str | None
    winner: CandidateLine | None
    runner_up: CandidateLine | None
    majority_votes: int | None
    majority_percent: Fraction | None
    electorate: int | None
    valid_votes: int | None
    rejected: int | None
    turnout_percent: Fraction | None  # valid votes / electorate
    turnout_including_rejected_percent: Fraction | None
    turnout_change: Fraction | None  # points, valid-vote definition
    swing: results.Swing | None
    baseline: Baseline | None
    candidates: tuple[CandidateLine, ...]
    notes: tuple[str, ...]
    source: str

    @property
    def kind_label(self) -> str:
        return {GENERAL: "general election", BY_ELECTION: "by-election", NOTIONAL: "notional result"}.get(
            self.election_kind, self.election_kind
        )

    def to_json(self) -> dict[str, Any]:
        """Every figure for scripts: unrounded, percentages as numbers of percent (44.25 = 44.25%)."""

        def candidate(line: CandidateLine | None) -> dict[str, Any] | None:
            if line is None:
                return None
            return {
                "name": line.name,
                "party": line.party,
                "party_name": line.party_name,
                "votes": line.votes,
                "share": as_float(line.share),
                "share_change": as_float(line.share_change),
                "elected": line.elected,
            }

        return {
            "constituency": self.constituency,
            "ons_id": self.ons_id,
            "region": self.region,
            "election": {
                "name": self.election_name,
                "date": self.election_date.isoformat(),
                "kind": self.election_kind,
            },
            "status": self.status,
            "version": self.version,
            "corrected": self.corrected,
            "declared_at": self.declared_at.isoformat() if self.declared_at else None,
            "result_label": self.result_label,
            "winner": candidate(self.winner),
            "runner_up": candidate(self.runner_up),
            "majority": None
            if self.majority_votes is None
            else {"votes": self.majority_votes, "percent": as_float(self.majority_percent)},
            "electorate": self.electorate,
            "valid_votes": self.valid_votes,
            "rejected": self.rejected,
            "turnout": {
                "valid_percent": as_float(self.turnout_percent),
                "including_rejected_percent": as_float(self.turnout_including_rejected_percent),
                "change": as_float(self.turnout_change),
            },
            "swing": None
            if self.swing is None
            else {"from": self.swing.from_party, "to": self.swing.to_party, "points": as_float(self.swing.points)},
            "baseline": None
            if self.baseline is None
            else {
                "election": self.baseline.election_name,
                "date": self.baseline.election_date.isoformat(),
                "notional": self.baseline.notional,
                "result_label": self.baseline.result_label,
                "winner_party": self.baseline.winner_party,
                "majority": self.baseline.majority_votes,
            },
            "candidates": [candidate(line) for line in self.candidates],
            "notes": list(self.notes),
            "source": self.source,
        }


def figures_of(contest: Contest) -> results.ContestFigures:
    return results.ContestFigures(
        electorate=contest.electorate,
        valid_votes=contest.valid_votes,
        rejected=contest.invalid_votes,
        candidates=tuple(
            results.Candidate(c.candidate_name, c.party.abbreviation, c.votes, c.elected) for c in contest.candidacies
        ),
    )


def build_summary(
    contest: Contest, baseline: Contest | None, baseline_previous: Contest | None, *, corrected: bool = False
) -> Summary:
    """The summary of `contest` compared with `baseline` (whose own baseline gives its label)."""
    figures = figures_of(contest)
    outcome = results.outcome(figures)
    before = figures_of(baseline) if baseline is not None else None
    changes = results.share_changes(figures, before) if before is not None else {}
    party_names = {c.party.abbreviation: c.party.name for c in contest.candidacies}

    lines_by_candidate: dict[int, CandidateLine] = {}
    for candidacy, candidate in zip(contest.candidacies, figures.candidates, strict=True):
        share = results.percent(results.share(candidate.votes, figures.valid_votes))
        change = changes.get(results.comparison_key(candidate))
        lines_by_candidate[id(candidate)] = CandidateLine(
            name=candidate.name,
            party=candidate.party,
            party_name=candidacy.party_label or party_names.get(candidate.party, candidate.party),
            votes=candidate.votes,
            share=share,
            share_change=results.percent(change),
            elected=candidate is outcome.winner,
        )
    ordered = tuple(lines_by_candidate[id(c)] for c in results.ranked(figures.candidates))

    notes = list(outcome.notes)
    label = None
    swing = None
    turnout_change = None
    baseline_info = None
    if baseline is not None and before is not None:
        previous = results.outcome(before)
        label = results.result_label(outcome.winner, previous.winner)
        swing = results.butler_swing(figures, before)
        now_turnout, then_turnout = results.turnout(figures), results.turnout(before)
        if now_turnout is not None and then_turnout is not None:
            turnout_change = results.percent(now_turnout - then_turnout)
        baseline_info = Baseline(
            election_name=baseline.election.name,
            election_date=baseline.election.date,
            notional=baseline.election.kind == NOTIONAL,
            result_label=_label_of(baseline, baseline_previous, previous),
            winner_party=previous.winner.party if previous.winner else None,
            majority_votes=previous.majority.votes if previous.majority else None,
            majority_percent=results.percent(previous.majority.share) if previous.majority else None,
        )
        if swing is None and outcome.winner is not None and len(ordered) > 1:
            notes.append("No two-party swing: one of the top two parties did not stand last time.")
    elif contest.election.kind != NOTIONAL:
        notes.append("No earlier result for this seat is in the store, so no gain/hold, change or swing.")
    if contest.status != "declared":
        notes.insert(0, f"This result is {contest.status.upper()}.")
    if figures.electorate is None:
        notes.append("The electorate is not recorded, so turnout is not available.")

    def line_of(candidate: results.Candidate | None) -> CandidateLine | None:
        return None if candidate is None else lines_by_candidate[id(candidate)]

    majority = outcome.majority
    return Summary(
        contest_id=contest.id,
        version=contest.version,
        status=contest.status,
        corrected=corrected,
        constituency=contest.constituency.name,
        ons_id=contest.constituency.ons_id,
        region=contest.constituency.region,
        election_name=contest.election.name,
        election_date=contest.election.date,
        election_kind=contest.election.kind,
        declared_at=contest.declared_at,
        result_label=label,
        winner=line_of(outcome.winner),
        runner_up=line_of(outcome.runner_up),
        majority_votes=majority.votes if majority else None,
        majority_percent=results.percent(majority.share) if majority else None,
        electorate=figures.electorate,
        valid_votes=figures.valid_votes,
        rejected=figures.rejected,
        turnout_percent=results.percent(results.turnout(figures)),
        turnout_including_rejected_percent=results.percent(results.turnout_including_rejected(figures)),
        turnout_change=turnout_change,
        swing=swing,
        baseline=baseline_info,
        candidates=ordered,
        notes=tuple(notes),
        source=SOURCE_NOTE,
    )


def _label_of(baseline: Contest, its_baseline: Contest | None, its_outcome: results.Outcome) -> str | None:
    if its_baseline is not None:
        return results.result_label(its_outcome.winner, results.outcome(figures_of(its_baseline)).winner)
    if baseline.stated_result:
        return results.normalise_label(baseline.stated_result)
    return None


def is_baseline_for(contest: Contest, earlier: Contest) -> bool:
    """Whether `earlier` is a result `contest` can be compared with (see `baseline_of`)."""
    return (
        earlier.constituency_id == contest.constituency_id
        and earlier.is_current
        and earlier.election.kind in (GENERAL, NOTIONAL)
        and earlier.election.date < contest.election.date
    )


def choose_baseline(contest: Contest, seat_contests: Iterable[Contest]) -> Contest | None:
    """`baseline_of` over contests already in memory (bulk imports and audits)."""
    if contest.election.kind == NOTIONAL:
        return None
    fitting = [c for c in seat_contests if is_baseline_for(contest, c)]
    same_boundaries = contest.election.boundary_set
    return max(fitting, key=lambda c: (c.election.date, c.election.boundary_set == same_boundaries), default=None)


def baseline_of(session: Session, contest: Contest) -> Contest | None:
    """The result a contest is compared with: the seat's previous general election, or the notional
    result where the boundaries changed. A by-election is compared with the general election before
    it, never with another by-election. A seat whose ONS ID outlived a boundary review has both a real
    and a notional result on the same day: the one on the contest's own boundaries is its baseline."""
    if contest.election.kind == NOTIONAL:
        return None
    return session.scalars(
        select(Contest)
        .join(Contest.election)
        .where(
            Contest.constituency_id == contest.constituency_id,
            Contest.is_current.is_(True),
            Election.kind.in_((GENERAL, NOTIONAL)),
            Election.date < contest.election.date,
        )
        .order_by(Election.date.desc(), case((Election.boundary_set == contest.election.boundary_set, 0), else_=1))
        .limit(1)
        .options(*with_candidates())
    ).first()


def load_contest(session: Session, contest_id: int) -> Contest | None:
    return session.scalars(select(Contest).where(Contest.id == contest_id).options(*with_candidates())).first()


def summarise_many(session: Session, contests: Iterable[Contest]) -> dict[int, Summary]:
    """Summaries by contest id, reading every seat's results once rather than per contest."""
    wanted = list(contests)
    seat_ids = sorted({contest.constituency_id for contest in wanted})
    by_seat: dict[int, list[Contest]] = defaultdict(list)
    for start in range(0, len(seat_ids), 500):
        for earlier in session.scalars(
            select(Contest)
            .where(Contest.constituency_id.in_(seat_ids[start : start + 500]), Contest.is_current.is_(True))
            .options(*with_candidates())
        ):
            by_seat[earlier.constituency_id].append(earlier)
    summaries: dict[int, Summary] = {}
    for contest in wanted:
        seat = by_seat[contest.constituency_id]
        baseline = choose_baseline(contest, seat)
        its_baseline = choose_baseline(baseline, seat) if baseline is not None else None
        summaries[contest.id] = build_summary(contest, baseline, its_baseline)
    return summaries


def summarise(session: Session, contest: Contest) -> Summary:
    baseline = baseline_of(session, contest)
    baseline_previous = baseline_of(session, baseline) if baseline is not None else None
    return build_summary(contest, baseline, baseline_previous, corrected=was_corrected(session, contest))
