"""The summary from plain values: one path for a contest and for lists, with no database."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from handlers import blocks
from store.facts import ContestFacts
from store.summary import summarise_among
from tests.unit.library import library_contests


def copeland_contests() -> tuple[ContestFacts, dict[str, list[ContestFacts]]]:
    seats: dict[str, list[ContestFacts]] = defaultdict(list)
    for contest in library_contests():
        seats[contest.ons_id].append(contest)
    (by_election,) = [
        c for c in library_contests() if c.constituency == "Copeland" and c.election_name.endswith("2017 by-election")
    ]
    return by_election, seats


def test_published_copeland_figures_from_plain_values():
    by_election, seats = copeland_contests()
    (summary,) = summarise_among([by_election], seats)
    assert summary.result_label == "Con GAIN from Lab"
    assert summary.majority_votes == 2_147
    assert summary.baseline is not None and summary.baseline.election_name == "2015 general election"
    assert blocks.list_line(summary) == (
        "*Copeland (by-election, 23 February 2017)*: Con GAIN from Lab · majority 2,147 (6.9%)"
    )


def test_a_corrected_contest_reads_corrected_in_a_list_too():
    first, seats = copeland_contests()
    winner, runner_up, *rest = first.candidates
    changed = (winner, dataclasses.replace(runner_up, votes=(runner_up.votes or 0) - 100), *rest)
    second = dataclasses.replace(first, version=2, candidates=changed, valid_votes=(first.valid_votes or 0) - 100)
    (summary,) = summarise_among([second], seats, {first.key: first})
    assert summary.corrected
    assert blocks.list_line(summary).startswith("*Copeland (by-election, 23 February 2017)*: CORRECTED · Con GAIN")
    assert "majority 2,247" in blocks.list_line(summary)


def test_a_provisional_result_declared_unchanged_is_not_a_correction():
    first, seats = copeland_contests()
    provisional = dataclasses.replace(first, status="provisional")
    declared = dataclasses.replace(first, version=2)
    (summary,) = summarise_among([declared], seats, {first.key: provisional})
    assert not summary.corrected
    assert "CORRECTED" not in blocks.list_line(summary)
