"""Answers kept between questions (store.answers.ResultsService) stay true when results are entered: only
the entered seat's summaries are made again, and everything built from them follows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.bootstrap import Store
from handlers.replies import reply_to_question
from store.answers import ResultsService
from store.contest_input import parse_entry
from store.enter_result import enter_result


def general(year: int, seat: int, lab: int, con: int) -> dict[str, Any]:
    dates = {2019: "2019-12-12", 2024: "2024-07-04"}
    return {
        "election": {"date": dates[year], "kind": "general"},
        "constituency": {"ons_id": f"E149{seat:05d}", "name": f"Freshshire {seat}"},
        "electorate": 70_000,
        "valid_votes": lab + con,
        "rejected": 50,
        "candidates": [
            {"name": f"Alice Labour {seat}", "party": "Lab", "votes": lab},
            {"name": f"Bob Conservative {seat}", "party": "Con", "votes": con},
        ],
        "force": True,
    }


def enter(store: Store, data: dict[str, Any]) -> None:
    enter_result(store.sessions, parse_entry(data, entered_by="test"))
    store.results.refresh()  # as the desk does


def test_a_result_entered_later_reaches_every_kept_answer_and_only_its_seat_is_made_again(store: Store) -> None:
    service = store.results
    enter(store, general(2024, 1, lab=20_000, con=10_000))
    enter(store, general(2024, 2, lab=9_000, con=11_000))
    before = service.ask("freshshire 1 2024").summary
    assert before is not None and before.baseline is None  # no earlier result yet: no change, no gain
    other = service.ask("freshshire 2 2024").summary
    labour = service.general_election_with_previous(2024)
    assert labour is not None and len(labour.summaries) == 2 and labour.previous == []

    # The 2019 result of seat 1 arrives late: it is seat 1's baseline now, and Con held it then.
    enter(store, general(2019, 1, lab=8_000, con=16_000))
    after = service.ask("freshshire 1 2024").summary
    assert after is not None and after.baseline is not None
    assert after.result_label == "Lab GAIN from Con"
    # The other seat's summary was kept (the same object), being compared with nothing new.
    assert service.ask("freshshire 2 2024").summary is other
    with_previous = service.general_election_with_previous(2024)
    assert with_previous is not None
    assert with_previous.summaries[0].result_label == "Lab GAIN from Con"  # seat 1, the first entered

    assert {p.party: p.seats for p in with_previous.scoreboard().parties} == {"Lab": 1, "Con": 1}

    # A correction of seat 2 changes the election's tallies at once, kept tallies included: they give
    # what a tally of every contest afresh gives.
    enter(store, general(2024, 2, lab=12_000, con=11_000))
    corrected = service.general_election_with_previous(2024)
    assert corrected is not None
    assert sorted(s.winner.party for s in corrected.summaries if s.winner is not None) == ["Lab", "Lab"]
    board = corrected.scoreboard()
    assert {p.party: p.seats for p in board.parties if p.seats} == {"Lab": 2}
    afresh = ResultsService(store.sessions).general_election_with_previous(2024)
    assert afresh is not None and afresh.scoreboard() == board


def test_warmed_answers_need_no_summaries_made_for_the_first_question(store: Store) -> None:
    for seat in (1, 2):
        enter(store, general(2024, seat, lab=20_000, con=10_000 + seat))
    service = ResultsService(store.sessions)
    service.warm()  # as `resultsbot serve` does at start-up, in the background
    statements: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        reply = reply_to_question("how many seats did labour win in 2024", service)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert "Labour" in reply.plain or "Lab" in reply.plain
    assert not [s for s in statements if "candidacy" in s.lower()], statements  # no contest was summarised
