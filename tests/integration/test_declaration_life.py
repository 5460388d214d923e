"""The life of a declaration in the store, on SQLite and PostgreSQL: which entry may follow which (a
full result replaces a rush, a recount or the nominations; none of those replaces a full result), what
is posted at each step, and what `/result` and "who is standing" answer meanwhile."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Store
from bot.config import Settings
from bot.desk import Desk
from handlers.replies import reply_to_command, reply_to_question
from store.contest_input import desk_source, parse_entry
from store.enter_result import OutOfOrder
from store.models import Contest, OutboxEntry
from tests.results import result

CHANNELS = ("CRESULTS",)


def at(status: str, **changes: Any) -> dict[str, Any]:
    """The made-up Testshire 1 by-election at `status`: a full result's figures, or none at all."""
    data = result(1, status=status)
    if status in ("nominated", "rush", "recount"):
        for figure in ("electorate", "valid_votes", "rejected"):
            del data[figure]
        for candidate in data["candidates"]:
            del candidate["votes"]
    return data | changes


def enter(store: Store, data: dict[str, Any], source: str = "desk entry") -> str:
    """Through the desk's door, which refreshes the answers as the running bot does."""
    entered = Desk(store, Settings(database_url="sqlite://", results_channels=CHANNELS)).enter(
        parse_entry(data, entered_by="test", source=source)
    )
    return entered.status


def stored(store: Store) -> tuple[list[tuple[int, str]], int]:
    """(version, status) of every stored version, and how many posts are queued."""
    with store.sessions() as session:
        versions = session.execute(select(Contest.version, Contest.status).order_by(Contest.version)).all()
        posts = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
    return [tuple(row) for row in versions], posts


def test_the_full_result_replaces_nominations_a_recount_and_a_rush(store: Store) -> None:
    assert enter(store, at("nominated")) == "new"
    assert stored(store) == ([(1, "nominated")], 0)  # nominations answer questions but post nothing
    assert enter(store, at("recount")) == "corrected"
    assert enter(store, at("rush", winner_party="Lab")) == "corrected"
    assert enter(store, at("rush", winner_party="Lab")) == "unchanged"
    assert enter(store, at("declared")) == "corrected"
    assert stored(store) == ([(1, "nominated"), (2, "recount"), (3, "rush"), (4, "declared")], 3)
    summary = store.results.ask("testshire 1").summary
    assert summary is not None and summary.status == "declared" and not summary.corrected
    assert summary.winner is not None and summary.winner.party == "Lab"


@pytest.mark.parametrize("late", ["rush", "recount", "nominated"])
@pytest.mark.parametrize("full", ["provisional", "declared", "corrected"])
def test_nothing_before_the_figures_replaces_a_full_result(store: Store, full: str, late: str) -> None:
    enter(store, at(full))
    before = stored(store)
    with pytest.raises(OutOfOrder) as refused:
        enter(store, at(late, **({"winner_party": "Con"} if late == "rush" else {})))
    assert f"already has a {full} result (version 1)" in refused.value.problems["status"]
    assert stored(store) == before


def test_a_rush_flashing_another_winner_is_a_new_version_and_nominations_cannot_follow_it(store: Store) -> None:
    enter(store, at("rush", winner_party="Lab"))
    assert enter(store, at("rush", winner_party="Con")) == "corrected"
    with pytest.raises(OutOfOrder):
        enter(store, at("nominated"))
    assert stored(store) == ([(1, "rush"), (2, "rush")], 2)


def test_while_only_a_rush_is_in_the_answer_says_who_won_and_that_figures_are_to_come(store: Store) -> None:
    enter(store, at("rush", winner_party="Labour", gained_from="Conservative"), source=desk_source("jo", "Slack"))
    reply = reply_to_command("testshire 1", store.results)
    assert reply.plain.splitlines()[1] == "FLASH: Lab GAIN Testshire 1 from Con"
    assert "Figures to come" in reply.plain and "Source: results desk (jo, Slack)." in reply.plain
    listed = [line for line in reply.plain.splitlines() if line.startswith("•")]
    assert listed == ["• Alice Labour 1 (Lab), elected", "• Bob Conservative 1 (Con)"]  # the winner's candidate


def test_a_recount_says_so_and_nominations_answer_who_is_standing(store: Store) -> None:
    enter(store, at("nominated"))
    standing = reply_to_question("who is standing in testshire 1", store.results).plain.splitlines()
    assert standing[0].startswith("Standing in Testshire 1 at the 10 December 2026 by-election")
    assert standing[1:] == ["• Alice Labour 1 (Lab)", "• Bob Conservative 1 (Con)", "Source: desk entry."]
    enter(store, at("recount"))
    assert "RECOUNT under way in Testshire 1" in reply_to_command("testshire 1", store.results).plain
