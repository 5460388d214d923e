"""What a reporter gets back for what they type, from the full bundled store."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from handlers import blocks
from store.answers import AMBIGUOUS, EMPTY, FOUND, NO_CONTEST, NOT_FOUND, Answer, ResultsService
from store.contest_input import parse_entry
from store.enter_result import enter_result
from store.models import Candidacy, Contest
from tests.integration import published
from tests.results import result

pytestmark = pytest.mark.slow


def found(loaded, query):
    answer = loaded.results.ask(query)
    assert answer.kind == FOUND, answer.message
    return answer.summary


def test_stoke_is_ambiguous_and_offers_the_stoke_on_trent_seats_first(loaded):
    answer = loaded.results.ask("stoke")
    assert answer.kind == AMBIGUOUS
    assert answer.summary is None
    names = [name for name, _ in answer.options]
    assert {n.casefold() for n in names[:3]} == {
        "stoke-on-trent central",
        "stoke-on-trent north",
        "stoke-on-trent south",
    }
    assert len(names) == len({n.casefold() for n in names}), "a seat offered twice under two spellings"
    for name in names[:3]:
        assert name in answer.message


def test_each_offered_option_asks_for_that_seat(loaded):
    answer = loaded.results.ask("stoke 2017 by-election")
    assert answer.kind == AMBIGUOUS
    name, query = answer.options[0]
    assert "2017" in query and "by-election" in query
    central = next(q for n, q in answer.options if n.casefold() == "stoke-on-trent central")
    summary = found(loaded, central)
    assert summary.election_date == dt.date(2017, 2, 23)
    assert summary.constituency.casefold() == "stoke-on-trent central"


def test_a_year_finds_that_general_election(loaded):
    summary = found(loaded, "copeland 2015")
    assert (summary.election_kind, summary.election_date) == ("general", published.GENERAL_ELECTION_DATES[56])
    seat = published.find_seat(56, "general-election", "E14000647")
    assert summary.majority_votes == seat.number_in("Majority")


def test_hartlepool_2019_is_the_real_result_not_the_notional_one(loaded):
    summary = found(loaded, "hartlepool 2019")
    assert summary.election_kind == "general"
    assert summary.ons_id == "E14000733"
    seat = published.find_seat(58, "general-election", "E14000733")
    assert summary.valid_votes == seat.number_in("Valid votes")
    assert summary.majority_votes == seat.number_in("Majority")


def test_a_seat_alone_gives_its_most_recent_result(loaded):
    summary = found(loaded, "hartlepool")
    assert (summary.election_kind, summary.election_date) == ("general", dt.date(2024, 7, 4))
    assert summary.ons_id == "E14001272"  # the seat on the 2024 boundaries
    seat = published.find_seat(59, "general-election", "E14001272")
    assert summary.majority_votes == seat.number_in("Majority")


def test_by_election_finds_the_by_election(loaded):
    summary = found(loaded, "hartlepool by-election")
    assert (summary.election_kind, summary.election_date) == ("by-election", dt.date(2021, 5, 6))


def test_a_year_with_no_contest_says_which_elections_the_seat_has(loaded):
    answer = loaded.results.ask("copeland 2024")
    assert answer.kind == NO_CONTEST
    assert answer.summary is None
    for name in ("2010 general election", "2015 general election", "2017 general election",
                 "2019 general election", "23 February 2017 by-election"):  # fmt: skip
        assert name in answer.message
    assert len(answer.options) == 5
    # Each option asks for exactly the contest it is labelled with.
    for label, query in answer.options:
        summary = found(loaded, query)
        assert summary.election_name == label, query


@pytest.mark.parametrize("query", ["zzzzqqq", "'; DROP TABLE contest;--", "Robert'); DROP TABLE candidacy;--"])
def test_nonsense_and_sql_are_not_found_and_the_store_still_answers(loaded, query):
    with loaded.sessions() as session:
        before = (
            session.scalar(select(func.count()).select_from(Contest)),
            session.scalar(select(func.count()).select_from(Candidacy)),
        )
    answer = loaded.results.ask(query)
    assert answer.kind == NOT_FOUND
    assert answer.summary is None
    assert "No seat matches" in answer.message
    with loaded.sessions() as session:
        after = (
            session.scalar(select(func.count()).select_from(Contest)),
            session.scalar(select(func.count()).select_from(Candidacy)),
        )
    assert after == before
    assert found(loaded, "copeland 2015").constituency == "Copeland"


@pytest.mark.parametrize("query", ["", "   ", "2019", "by-election", "results for the"])
def test_no_seat_named_asks_which_seat(loaded, query):
    answer = loaded.results.ask(query)
    assert answer.kind == EMPTY
    assert answer.message


WORDS = ["copeland", "stoke", "hartlepool", "on", "trent", "central", "2017", "2019", "2024", "1999",
         "by-election", "general election", "ge", "the", "results", "for", "'", "--", ";", "%", "_", "é",
         "\u0301", "\x00"]  # fmt: skip
typed = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), max_size=8).map(" ".join),
)


@settings(max_examples=200, deadline=None)
@given(text=typed)
def test_ask_never_raises_whatever_is_typed(loaded, text):
    answer = loaded.results.ask(text)
    assert isinstance(answer, Answer)
    assert answer.kind in (FOUND, AMBIGUOUS, NOT_FOUND, NO_CONTEST, EMPTY)
    assert (answer.summary is not None) == (answer.kind == FOUND)
    assert answer.message


def test_choice_blocks_with_real_ambiguity(loaded_sqlite):
    answer = loaded_sqlite.results.ask("stoke")
    message_blocks = blocks.choice_blocks(answer.message, list(answer.options))
    buttons = message_blocks[1]["elements"]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == list(answer.options)[:10]


def test_an_entry_stored_by_another_process_is_answered_within_a_second(store, sessions):
    """Two services on one store stand for two processes: what one stores, the other answers."""
    serving = ResultsService(sessions)
    assert serving.ask("testshire 6").kind == NOT_FOUND
    enter_result(sessions, parse_entry(result(6)))
    deadline = time.monotonic() + 1.0
    while serving.ask("testshire 6").kind != FOUND:
        assert time.monotonic() < deadline, "the serving process never saw the new result"
        time.sleep(0.05)
    enter_result(sessions, parse_entry(result(6, lab=15_000)))
    deadline = time.monotonic() + 1.0
    while (summary := serving.ask("testshire 6").summary) is None or summary.winner.votes != 15_000:
        assert time.monotonic() < deadline, "the serving process kept answering the old figures"
        time.sleep(0.05)


# --- two contests in one year ---------------------------------------------------------------------


def test_copeland_2017_answers_june_and_names_the_february_by_election(loaded):
    """`copeland 2017` meant the June general election and never mentioned the February by-election
    the reporter may well have meant."""
    summary = found(loaded, "copeland 2017")
    assert (summary.election_kind, summary.election_date) == ("general", dt.date(2017, 6, 8))
    (other,) = summary.also
    seat = published.find_seat(56, "by-elections", "E14000647")
    assert seat["Result"] == "Con gain from Lab"
    assert (other.election_kind, other.election_date, other.result_label) == (
        "by-election",
        dt.date(2017, 2, 23),
        "Con GAIN from Lab",
    )
    assert summary.to_json()["also"] == [
        {
            "election": {"name": "23 February 2017 by-election", "date": "2017-02-23", "kind": "by-election"},
            "result_label": "Con GAIN from Lab",
            "query": "Copeland 2017 by-election",
        }
    ]
    by_election = found(loaded, other.query)
    assert (by_election.election_date, by_election.majority_votes) == (dt.date(2017, 2, 23), seat.number_in("Majority"))
    # And the by-election, asked for by year alone among its kind, names nothing else.
    assert found(loaded, "copeland 2017 by-election").also == ()


def test_without_a_year_the_latest_year_names_its_other_contests(loaded):
    """Rochdale: the general election of July 2024, and George Galloway's by-election that February
    (on the old boundaries, so another ONS ID)."""
    summary = found(loaded, "rochdale")
    assert (summary.election_kind, summary.election_date) == ("general", dt.date(2024, 7, 4))
    (other,) = summary.also
    seat = published.find_seat(58, "by-elections", "E14000897")
    assert other.election_date == published.parse_date(seat["By-election date"]) == dt.date(2024, 2, 29)
    assert other.result_label == "WPB GAIN from Lab"
    assert found(loaded, other.query).ons_id == "E14000897"


def test_a_notional_result_is_never_another_contest_of_the_year(loaded):
    summary = found(loaded, "stoke-on-trent central 2019")
    assert (summary.election_kind, summary.ons_id) == ("general", "E14000972")
    assert summary.also == ()  # the 2019 notional result on the 2024 boundaries is not a contest held


def test_every_other_contest_named_asks_for_itself(loaded):
    """Every seat and year with more than one contest: asking for the year names the others, and each
    one's query answers with exactly that contest."""
    directory = loaded.results.directory
    checked = 0
    for name, contests in directory.contests_by_name.items():
        years = Counter(c.election_date.year for c in contests if c.election_kind != "notional")
        for year in (y for y, held in years.items() if held > 1):
            summary = found(loaded, f"{name} {year}")
            held = {c.contest_id for c in contests if c.election_kind != "notional" and c.election_date.year == year}
            assert len(summary.also) == len(held) - 1, (name, year)
            named = {summary.contest_id}
            for other in summary.also:
                named.add(found(loaded, other.query).contest_id)
            assert named == held, (name, year)
            checked += 1
    assert checked == 8  # Oldham West 2015, Copeland and Stoke Central 2017, three seats in 2019, two in 2024
