"""The life of a declaration with no database: what each status requires of an entry, and how a flash,
a recount and nominations read (post, text fallback, answer), with the source line that credits them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from typing import Any

import pytest

from handlers import blocks
from handlers import summary_words as words
from store.contest_input import CONTEST_STATUSES, InvalidResult, client_source, desk_source, parse_entry, validate
from store.elections import NO_FIGURES_STATUSES
from store.facts import CandidateFacts, ContestFacts
from store.summary import SOURCE_NOTE, Summary, summarise_among
from tests.results import result
from tests.unit.library import library_contests
from tests.unit.test_blocks import assert_within_limits, validate_with_sdk

NOW = dt.datetime(2026, 12, 11, 3, 0, tzinfo=dt.UTC)


def without_figures(status: str, **changes: Any) -> dict[str, Any]:
    """A made-up by-election's entry at `status`: its candidates named, no figures at all."""
    data = result(1)
    for figure in ("electorate", "valid_votes", "rejected"):
        del data[figure]
    for candidate in data["candidates"]:
        del candidate["votes"]
    return {**data, "status": status, **changes}


def problems_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidResult) as refused:
        validate(parse_entry(data, now=NOW))
    return refused.value.problems


# --- what each status requires -----------------------------------------------------------------------------


def test_a_rush_needs_its_winning_party_and_nothing_else() -> None:
    assert problems_of(without_figures("rush")) == {"winner_party": "is required"}
    rush = parse_entry(without_figures("rush", winner_party="Reform UK", candidates=None), now=NOW)
    validate(rush)
    assert (rush.status, rush.winner_party, rush.candidates, rush.valid_votes) == ("rush", "Reform UK", (), None)


@pytest.mark.parametrize("status", NO_FIGURES_STATUSES)
def test_a_contest_without_figures_refuses_every_figure_naming_it(status: str) -> None:
    data = result(1) | {"status": status}
    if status == "rush":
        data["winner_party"] = "Lab"
    problems = problems_of(data)
    assert set(problems) == {"electorate", "valid_votes", "rejected", "candidates[0].votes", "candidates[1].votes"}
    assert all("must be left out" in problem for problem in problems.values())


def test_a_recount_may_list_no_one_but_nominations_must_list_the_candidates() -> None:
    validate(parse_entry(without_figures("recount", candidates=None), now=NOW))
    assert "candidates" in problems_of(without_figures("nominated", candidates=None))
    nominated = parse_entry(without_figures("nominated"), now=NOW)
    validate(nominated)
    assert [c.votes for c in nominated.candidates] == [None, None]


def test_only_a_rush_names_a_winner_and_a_full_result_still_needs_its_figures() -> None:
    problems = problems_of(result(1) | {"winner_party": "Lab", "gained_from": "Con"})
    assert set(problems) == {"winner_party", "gained_from"}
    assert "only for a rush" in problems["winner_party"]
    missing = without_figures("declared")
    assert set(problems_of(missing)) == {"electorate", "valid_votes", "candidates[0].votes", "candidates[1].votes"}


def test_a_hold_cannot_name_a_party_it_gained_from_and_an_unknown_status_lists_them_all() -> None:
    problems = problems_of(without_figures("rush", winner_party="Lab", gain=False, gained_from="Con"))
    assert list(problems) == ["gain"]
    (problem,) = problems_of(result(1) | {"status": "flash"}).values()
    assert all(status in problem for status in CONTEST_STATUSES)


# --- how a flash, a recount and nominations read ----------------------------------------------------------


def hartlepool_2024() -> ContestFacts:
    (general,) = [
        c for c in library_contests() if c.constituency == "Hartlepool" and c.election_name == "2024 general election"
    ]
    return general


def hartlepool_after_2024(status: str, candidates: tuple[CandidateFacts, ...], **changes: Any) -> Summary:
    """A by-election in Hartlepool in December 2026 at `status`, summarised against the Library's 2024
    result there."""
    seats: dict[str, list[ContestFacts]] = defaultdict(list)
    for contest in library_contests():
        seats[contest.ons_id].append(contest)
    general = hartlepool_2024()
    values: dict[str, Any] = {"stated_result": None, "stated_majority": None} | changes
    contest = dataclasses.replace(
        general,
        contest_id=None,
        status=status,
        election_name="10 December 2026 by-election",
        election_date=dt.date(2026, 12, 10),
        election_kind="by-election",
        electorate=None,
        valid_votes=None,
        rejected=None,
        candidates=candidates,
        **values,
    )
    (summary,) = summarise_among([contest], seats)
    return summary


def winner_2024() -> str:
    return max(hartlepool_2024().candidates, key=lambda c: c.votes or 0).party


REFORM_WINS = (CandidateFacts(None, "RUK", "Reform UK", None, elected=True),)


def test_a_rush_flashes_gain_or_hold_against_the_last_result() -> None:
    loser = winner_2024()
    flash = hartlepool_after_2024("rush", REFORM_WINS, source="PA Media")
    assert words.flash_line(flash) == f"FLASH: RUK GAIN Hartlepool from {loser}"
    message = blocks.message(flash)
    assert message["text"] == f"FLASH: RUK GAIN Hartlepool from {loser}"
    shown = json.dumps(message["blocks"])
    assert "Figures to come." in shown and "Source: PA Media." in shown and "Votes" not in shown
    assert_within_limits(message)
    validate_with_sdk(message["blocks"])
    held = hartlepool_after_2024("rush", (CandidateFacts(None, loser, loser, None, elected=True),))
    assert words.flash_line(held) == f"FLASH: {loser} HOLD Hartlepool"


def test_a_rush_as_the_source_stated_it_and_as_the_answer_and_text_give_it() -> None:
    stated = hartlepool_after_2024("rush", REFORM_WINS, stated_result="RUK gain from Con")
    assert words.flash_line(stated) == "FLASH: RUK GAIN Hartlepool from Con"
    text = words.text_summary(stated)
    assert "FLASH: RUK GAIN Hartlepool from Con" in text and "Figures to come" in text
    assert words.headline(stated) == "FLASH: RUK GAIN Hartlepool from Con · Figures to come."
    assert not stated.corrected and stated.majority_votes is None


def test_a_recount_and_nominations_list_who_stands() -> None:
    standing = (
        CandidateFacts("Ann Reform", "RUK", "Reform UK", None),
        CandidateFacts("Bob Labour", "Lab", "Labour", None),
    )
    recount = hartlepool_after_2024("recount", standing)
    assert words.flash_line(recount) == "RECOUNT under way in Hartlepool" == blocks.message(recount)["text"]
    assert words.standing_lines(recount) == ["• Ann Reform (RUK)", "• Bob Labour (Lab)"]
    assert recount.winner is None and recount.result_label is None
    nominated = hartlepool_after_2024("nominated", standing)
    assert "no result yet" in words.text_summary(nominated)
    assert words.standing_text("Hartlepool", nominated, pending=True).splitlines() == [
        "Standing in Hartlepool at the 10 December 2026 by-election (result not yet declared):",
        "• Ann Reform (RUK)",
        "• Bob Labour (Lab)",
    ]


def test_the_source_line_names_the_source() -> None:
    by_desk = hartlepool_after_2024("recount", (), source=desk_source("Jane  Smith", "Slack"))
    assert by_desk.source == "Source: results desk (Jane Smith, Slack)"
    assert blocks.message(by_desk)["blocks"][-1]["elements"][0]["text"].endswith(
        "Source: results desk (Jane Smith, Slack)."
    )
    assert client_source("Wire desk") == "Wire desk (via /ingest)"
    assert client_source(None) == "a system posting to /ingest"
    library = hartlepool_after_2024("recount", (), source="House of Commons Library: 59/general-election")
    assert library.source == SOURCE_NOTE


def test_a_result_entered_as_corrected_says_so_once() -> None:
    (general,) = [
        c for c in library_contests() if c.constituency == "Hartlepool" and c.election_name == "2024 general election"
    ]
    (summary,) = summarise_among(
        [dataclasses.replace(general, status="corrected", version=2)], {}, {general.key: general}
    )
    assert words.headline(summary).split(" · ").count("CORRECTED") == 1


def test_a_flash_in_a_list_of_results_reads_as_a_flash() -> None:
    seat, said = words.list_entry(hartlepool_after_2024("rush", REFORM_WINS))
    assert seat == "Hartlepool (by-election, 10 December 2026)"
    assert said == f"FLASH: RUK GAIN Hartlepool from {winner_2024()} · Figures to come."
