"""The summary of one contest: every figure a reporter reads, built once for every renderer.

Pure: a summary is built from plain values (`ContestFacts`), never from database rows, so the
arithmetic, the wording and Block Kit can be tested with no database. `store.contests` maps stored
rows to these values. One path summarises a single contest and a whole election alike
(`summarise_among`), so a corrected contest reads CORRECTED wherever it appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from store import arithmetic
from store.changes import figure_changes
from store.elections import CORRECTED, DECLARED, GENERAL, NO_FIGURES_STATUSES, NOTIONAL, RECOUNT, RUSH, kind_words
from store.facts import ContestFacts, ContestKey
from store.numbers import as_float

SOURCE_NOTE = "Source: House of Commons Library (Open Parliament Licence v3.0)"
LIBRARY = "House of Commons Library"
SOURCE_DISAGREES = "The Library's files disagree"
# What a contest without figures says of itself, in its notes.
NO_FIGURES_NOTES = {
    RUSH: "Figures to come: the winner is flashed before the count's figures are read out.",
    RECOUNT: "A recount is under way: no figures yet.",
}
NOMINATED_NOTE = "Candidates nominated: no result yet."


def source_note(source: str | None) -> str:
    """The line that credits a result: the Library's files with their licence, else whoever the entry
    names as its source (PA, the desk editor who entered it, an /ingest client)."""
    if not source or source.startswith(LIBRARY):
        return SOURCE_NOTE
    return f"Source: {source}"


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
class OtherContest:
    """Another contest held in the same seat in the same year, which a query for the year may mean."""

    election_name: str
    election_date: dt.date
    election_kind: str
    result_label: str | None
    winner_party: str | None
    query: str  # what `ResultsService.ask` answers with this contest


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
    swing: arithmetic.Swing | None
    baseline: Baseline | None
    candidates: tuple[CandidateLine, ...]
    notes: tuple[str, ...]
    source: str
    # What the source states that its own figures contradict, each in words (also one of `notes`).
    disagreements: tuple[str, ...] = ()
    # The seat's other contests in the asked year, set by `ResultsService.ask` (a summary alone
    # does not know what was asked).
    also: tuple[OtherContest, ...] = ()
    # The seat no longer exists ("Copeland was abolished at the 2024 general election; its last result
    # was 2019."), set by `ResultsService.ask` from the seat's other contests.
    seat_change: str | None = None

    @property
    def kind_label(self) -> str:
        return kind_words(self.election_kind)

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
            "also": [
                {
                    "election": {
                        "name": other.election_name,
                        "date": other.election_date.isoformat(),
                        "kind": other.election_kind,
                    },
                    "result_label": other.result_label,
                    "query": other.query,
                }
                for other in self.also
            ],
            "source": self.source,
            "seat_change": self.seat_change,
        }


def figures_of(contest: ContestFacts) -> arithmetic.ContestFigures:
    return arithmetic.contest_figures(contest.electorate, contest.valid_votes, contest.rejected, contest.candidates)


def build_summary(
    contest: ContestFacts,
    baseline: ContestFacts | None,
    baseline_previous: ContestFacts | None,
    *,
    corrected: bool = False,
) -> Summary:
    """The summary of `contest` compared with `baseline` (whose own baseline gives its label)."""
    if contest.status in NO_FIGURES_STATUSES:
        return _summary_before_the_figures(contest, baseline, baseline_previous)
    figures = figures_of(contest)
    outcome = arithmetic.outcome(figures)
    before = figures_of(baseline) if baseline is not None else None
    changes = arithmetic.share_changes(figures, before) if before is not None else {}

    lines_by_candidate: dict[int, CandidateLine] = {}
    for facts, candidate in zip(contest.candidates, figures.candidates, strict=True):
        share = arithmetic.percent(arithmetic.share(candidate.votes, figures.valid_votes))
        change = changes.get(arithmetic.comparison_key(candidate))
        lines_by_candidate[id(candidate)] = CandidateLine(
            name=candidate.name,
            party=candidate.party,
            party_name=facts.party_name,
            votes=candidate.votes,
            share=share,
            share_change=arithmetic.percent(change),
            elected=candidate is outcome.winner,
        )
    ordered = tuple(lines_by_candidate[id(c)] for c in arithmetic.ranked(figures.candidates))

    notes = list(outcome.notes)
    label = None
    swing = None
    turnout_change = None
    baseline_info = None
    if baseline is not None and before is not None:
        baseline_info, previous_winner = _baseline_of(baseline, baseline_previous)
        label = arithmetic.result_label(outcome.winner, previous_winner)
        swing = arithmetic.butler_swing(figures, before)
        now_turnout, then_turnout = arithmetic.turnout(figures), arithmetic.turnout(before)
        if now_turnout is not None and then_turnout is not None:
            turnout_change = arithmetic.percent(now_turnout - then_turnout)
        if swing is None and outcome.winner is not None and len(ordered) > 1:
            notes.append("No two-party swing: one of the top two parties did not stand last time.")
    elif contest.election_kind != NOTIONAL:
        notes.append("No earlier result for this seat is in the store, so no gain/hold, change or swing.")
    if contest.status not in (DECLARED, CORRECTED):
        notes.insert(0, f"This result is {contest.status.upper()}.")
    if figures.electorate is None:
        notes.append("The electorate is not recorded, so turnout is not available.")
    disagreements = source_disagreements(contest, figures, outcome, label)
    said = disagreement_note(disagreements)
    if said is not None:
        notes.append(said)

    def line_of(candidate: arithmetic.Candidate | None) -> CandidateLine | None:
        return None if candidate is None else lines_by_candidate[id(candidate)]

    majority = outcome.majority
    return Summary(
        **_identity(contest),
        corrected=corrected,
        result_label=label,
        winner=line_of(outcome.winner),
        runner_up=line_of(outcome.runner_up),
        majority_votes=majority.votes if majority else None,
        majority_percent=arithmetic.percent(majority.share) if majority else None,
        electorate=figures.electorate,
        valid_votes=figures.valid_votes,
        rejected=figures.rejected,
        turnout_percent=arithmetic.percent(arithmetic.turnout(figures)),
        turnout_including_rejected_percent=arithmetic.percent(arithmetic.turnout_including_rejected(figures)),
        turnout_change=turnout_change,
        swing=swing,
        baseline=baseline_info,
        candidates=ordered,
        notes=tuple(notes),
        source=source_note(contest.source),
        disagreements=disagreements,
    )


def _identity(contest: ContestFacts) -> dict[str, Any]:
    """The fields of a summary that say which contest it is, whatever stage it is at."""
    return {
        "contest_id": contest.contest_id,
        "version": contest.version,
        "status": contest.status,
        "constituency": contest.constituency,
        "ons_id": contest.ons_id,
        "region": contest.region,
        "election_name": contest.election_name,
        "election_date": contest.election_date,
        "election_kind": contest.election_kind,
        "declared_at": contest.declared_at,
    }


def _baseline_of(
    baseline: ContestFacts, baseline_previous: ContestFacts | None
) -> tuple[Baseline, arithmetic.Candidate | None]:
    """The baseline as a summary shows it, and its winner."""
    previous = arithmetic.outcome(figures_of(baseline))
    return Baseline(
        election_name=baseline.election_name,
        election_date=baseline.election_date,
        notional=baseline.election_kind == NOTIONAL,
        result_label=_label_of(baseline, baseline_previous, previous),
        winner_party=previous.winner.party if previous.winner else None,
        majority_votes=previous.majority.votes if previous.majority else None,
        majority_percent=arithmetic.percent(previous.majority.share) if previous.majority else None,
    ), previous.winner


def _summary_before_the_figures(
    contest: ContestFacts, baseline: ContestFacts | None, baseline_previous: ContestFacts | None
) -> Summary:
    """A nominated contest, a rush or a recount: who stands, and for a rush who won and GAIN or HOLD
    (as the source stated it, else against the seat's last result); no figures, so no arithmetic."""
    lines = tuple(
        CandidateLine(c.name, c.party, c.party_name, None, None, None, c.elected)
        for c in sorted(contest.candidates, key=lambda c: not c.elected)
    )
    winner = next((line for line in lines if line.elected), None) if contest.status == RUSH else None
    baseline_info = previous_winner = None
    if baseline is not None:
        baseline_info, previous_winner = _baseline_of(baseline, baseline_previous)
    label = None
    if winner is not None and contest.stated_result:
        label = arithmetic.normalise_label(contest.stated_result)
    elif winner is not None:
        label = arithmetic.result_label(arithmetic.Candidate(None, winner.party, None, True), previous_winner)
    note = NO_FIGURES_NOTES.get(contest.status, NOMINATED_NOTE)
    no_figures: dict[str, Any] = dict.fromkeys(
        (
            "runner_up",
            "majority_votes",
            "majority_percent",
            "electorate",
            "valid_votes",
            "rejected",
            "turnout_percent",
            "turnout_including_rejected_percent",
            "turnout_change",
            "swing",
        )
    )
    return Summary(
        **_identity(contest),
        **no_figures,
        corrected=False,
        result_label=label,
        winner=winner,
        baseline=baseline_info,
        candidates=lines,
        notes=(note,),
        source=source_note(contest.source),
    )


def disagreement_note(disagreements: tuple[str, ...]) -> str | None:
    """The note that tells a reader the source contradicts itself, or None when it does not."""
    if not disagreements:
        return None
    return f"{SOURCE_DISAGREES}: {'; '.join(disagreements)}. Figures here are computed from the votes as published."


def source_disagreements(
    contest: ContestFacts, figures: arithmetic.ContestFigures, outcome: arithmetic.Outcome, label: str | None
) -> tuple[str, ...]:
    """Where the source contradicts itself: figures that do not add up, or a majority or GAIN/HOLD
    it states that its own votes do not give."""
    found = list(arithmetic.inconsistencies(figures).values())
    computed_majority = outcome.majority.votes if outcome.majority else None
    if contest.stated_majority is not None and computed_majority != contest.stated_majority:
        computed = "none" if computed_majority is None else f"{computed_majority:,}"
        found.append(f"the file states a majority of {contest.stated_majority:,} where the votes give {computed}")
    stated_label = arithmetic.normalise_label(contest.stated_result) if contest.stated_result else None
    if stated_label is not None and label is not None and stated_label.casefold() != label.casefold():
        found.append(f"the file states '{contest.stated_result}' where the votes give '{label}'")
    return tuple(found)


def disagreements_among(
    wanted: Iterable[ContestFacts], seat_contests: Mapping[str, list[ContestFacts]]
) -> list[tuple[str, ...]]:
    """`source_disagreements` of each contest in `wanted` (compared, for a stated GAIN/HOLD, with its
    baseline among `seat_contests`), without the rest of a summary: an import checks every contest."""
    found = []
    for contest in wanted:
        figures = figures_of(contest)
        outcome = arithmetic.outcome(figures)
        label = None
        if contest.stated_result:
            baseline = choose_baseline(contest, seat_contests.get(contest.ons_id, []))
            if baseline is not None:
                label = arithmetic.result_label(outcome.winner, arithmetic.outcome(figures_of(baseline)).winner)
        found.append(source_disagreements(contest, figures, outcome, label))
    return found


def _label_of(baseline: ContestFacts, its_baseline: ContestFacts | None, its_outcome: arithmetic.Outcome) -> str | None:
    if its_baseline is not None:
        return arithmetic.result_label(its_outcome.winner, arithmetic.outcome(figures_of(its_baseline)).winner)
    if baseline.stated_result:
        return arithmetic.normalise_label(baseline.stated_result)
    return None


def is_baseline_for(contest: ContestFacts, earlier: ContestFacts) -> bool:
    """Whether `earlier` is a result `contest` can be compared with (see `choose_baseline`)."""
    return (
        earlier.ons_id == contest.ons_id
        and earlier.is_current
        and earlier.election_kind in (GENERAL, NOTIONAL)
        and earlier.election_date < contest.election_date
    )


def choose_baseline(contest: ContestFacts, seat_contests: Iterable[ContestFacts]) -> ContestFacts | None:
    """The result a contest is compared with: the seat's previous general election, or the notional
    result where the boundaries changed. A by-election is compared with the general election before
    it, never with another by-election. A seat whose ONS ID outlived a boundary review has both a real
    and a notional result on the same day: the one on the contest's own boundaries is its baseline."""
    if contest.election_kind == NOTIONAL:
        return None
    fitting = [c for c in seat_contests if is_baseline_for(contest, c)]
    same_boundaries = contest.boundary_set
    return max(fitting, key=lambda c: (c.election_date, c.boundary_set == same_boundaries), default=None)


def summarise_among(
    wanted: Iterable[ContestFacts],
    seat_contests: Mapping[str, list[ContestFacts]],
    first_versions: Mapping[ContestKey, ContestFacts] | None = None,
) -> list[Summary]:
    """Summaries of `wanted`, each compared with its seat's contests (`seat_contests` by ONS ID:
    at least the current versions) and marked corrected when a figure differs from the first
    version entered (`first_versions` by `ContestFacts.key`) of a contest at version 2 or later."""
    firsts = first_versions or {}
    summaries = []
    for contest in wanted:
        seat = seat_contests.get(contest.ons_id, [])
        baseline = choose_baseline(contest, seat)
        its_baseline = choose_baseline(baseline, seat) if baseline is not None else None
        corrected = contest.status == CORRECTED
        if contest.version > 1 and contest.status not in NO_FIGURES_STATUSES:
            first = firsts.get(contest.key)
            corrected = corrected or first is None or bool(figure_changes(first, contest))
        summaries.append(build_summary(contest, baseline, its_baseline, corrected=corrected))
    return summaries
