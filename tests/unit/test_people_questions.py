"""Parsing questions about people and a seat's MP or candidates (issue 9 §1, "People"): no database."""

from __future__ import annotations

import datetime as dt

import pytest

from store.people import People, Stand
from store.questions import Question, parse_question


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("where did nigel farage stand", "nigel farage"),
        ("Where did Keir Starmer stand?", "Keir Starmer"),
        ("where has Nigel Farage stood for election", "Nigel Farage"),
        ("@resultsbot where did Jo Smith run", "Jo Smith"),
        ("who is keir starmer", "keir starmer"),
        ("who's Nigel Farage?", "Nigel Farage"),
    ],
)
def test_where_a_person_stood(text: str, name: str) -> None:
    assert parse_question(text) == Question("person", person=name)


def test_a_year_narrows_where_a_person_stood() -> None:
    assert parse_question("where did keir starmer stand in 2019") == Question(
        "person", person="keir starmer", year=2019
    )


@pytest.mark.parametrize(
    ("text", "intent", "seat"),
    [
        ("who is the mp for Copeland", "mp", "Copeland"),
        ("Who is the MP for Hartlepool?", "mp", "Hartlepool"),
        ("who's the current MP for Holborn and St Pancras", "mp", "Holborn and St Pancras"),
        ("mp for clacton", "mp", "clacton"),
        ("who is standing in hartlepool", "standing", "hartlepool"),
        ("who's running in Clacton?", "standing", "Clacton"),
        ("candidates standing in Isle of Wight East", "standing", "Isle of Wight East"),
    ],
)
def test_a_seats_mp_and_candidates(text: str, intent: str, seat: str) -> None:
    question = parse_question(text)
    assert (question.intent, question.seat_query) == (intent, seat)


@pytest.mark.parametrize("text", ["keir starmer", "nigel farage", "hartlepool", "The Wrekin"])
def test_a_bare_name_stays_a_seat_question_for_the_reply_to_try_both(text: str) -> None:
    assert parse_question(text) == Question("result", seat_query=text)


@pytest.mark.parametrize("text", ["who is winning", "who is it", "who is"])
def test_who_is_without_a_name_is_not_a_person(text: str) -> None:
    assert parse_question(text).intent in ("unknown", "help")


def _people(*names: str) -> People:
    return People.from_stands(
        Stand(i, name, f"Seat {i}", "general", dt.date(2024, 7, 4), "2024 general election")
        for i, name in enumerate(names)
    )


def test_a_name_is_found_by_its_fold_and_a_typo_only_above_the_score() -> None:
    people = _people("Keir Starmer", "Nigel Farage", "Jo Smith", "John Smith")
    assert people.find("KEIR  starmer!") == ["keir starmer"]
    assert people.find("kier starmer") == ["keir starmer"]  # a transposition: ratio 91.7
    assert people.find("nigel farrage") == ["nigel farage"]
    assert people.find("keir smith") == []  # near nobody
    assert people.find("starmer") == []  # one word is no one's name
    assert people.find("hartlepool") == []


def test_a_text_that_fits_several_names_offers_them_all() -> None:
    people = _people("Jo Smith", "John Smith")
    assert sorted(people.find("jon smith")) == ["jo smith", "john smith"]


def test_one_persons_contests_are_kept_together_oldest_first() -> None:
    people = _people("Keir Starmer", "Keir  STARMER")
    assert [s.contest_id for s in people.stands("keir starmer")] == [0, 1]
    assert people.display_name("keir starmer") == "Keir  STARMER"
