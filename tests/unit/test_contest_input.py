"""What an entry may hold, checked with no database: the one validation every door goes through, and
the JSON and text forms it is read from."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest

from store import limits
from store.contest_input import (
    ContestInput,
    InvalidResult,
    check,
    count_from_text,
    entry_from_csv,
    entry_from_json,
    parse_entry,
    validate,
)
from store.models import Candidacy, Constituency, Contest, Party
from tests.results import result

NOW = dt.datetime(2026, 12, 11, 3, 0, tzinfo=dt.UTC)


def body(**changes: Any) -> dict[str, Any]:
    """An entry's JSON that adds up (a by-election on 10 December 2026), with `changes` on top."""
    return {**result(1), **changes}


def problems_of(data: Any, **options: Any) -> dict[str, str]:
    """Every problem the doors would report for `data`: reading it, then the one validation."""
    options.setdefault("now", NOW)
    with pytest.raises(InvalidResult) as refused:
        validate(parse_entry(data, **options))
    return refused.value.problems


def entry(**changes: Any) -> ContestInput:
    return parse_entry(body(**changes), now=NOW)


# --- counts: whole numbers, in digits, below a bound the database columns hold ----------------------------


@pytest.mark.parametrize("typed", ["²", "١٢٣", "12.5", "1e5", "12,00", "1,2345", "twelve", "+5"])
def test_a_count_typed_as_text_must_be_plain_digits_and_is_named_not_a_crash(typed: str) -> None:
    csv_like = body(electorate="70000", valid_votes="26000", rejected="50")
    csv_like["candidates"][0]["votes"] = typed
    problems = problems_of(csv_like, from_text=True)
    assert list(problems) == ["candidates[0].votes"]
    assert "whole number" in problems["candidates[0].votes"] and typed in problems["candidates[0].votes"]


def test_counts_typed_with_thousands_separators_are_read() -> None:
    assert [count_from_text(t) for t in ("12,000", " 14000 ", "0", "1,234,567")] == [12_000, 14_000, 0, 1_234_567]
    csv_like = body(electorate="70,000", valid_votes="26,000", rejected="")
    csv_like["candidates"][0]["votes"] = "14,000"
    csv_like["candidates"][1]["votes"] = "12000"
    read = parse_entry(csv_like, from_text=True, now=NOW)
    assert (read.electorate, read.valid_votes, read.invalid_votes) == (70_000, 26_000, None)
    assert [c.votes for c in read.candidates] == [14_000, 12_000]


def test_a_negative_count_typed_as_text_says_so() -> None:
    problems = problems_of(body(electorate="-1", valid_votes="26000", rejected="50"), from_text=True)
    assert problems == {"electorate": "must not be negative, not '-1'"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("votes", 10**30),
        ("votes", 2**63),
        ("votes", limits.MAX_COUNT),
        ("electorate", 2**32),
        ("valid_votes", 2**31),
        ("rejected", 10**30),
    ],
)
def test_a_count_no_constituency_could_have_is_refused_naming_its_field(field: str, value: int) -> None:
    data = body()
    if field == "votes":
        data["candidates"][1]["votes"] = value
        field = "candidates[1].votes"
    else:
        data[field] = value
    problems = problems_of(data)
    assert field in problems
    assert "must be below 10,000,000" in problems[field]


def test_the_largest_count_allowed_is_stored_as_given() -> None:
    top = limits.MAX_COUNT - 1
    data = body(electorate=top, valid_votes=top, rejected=0)
    data["candidates"] = [{"name": "Alice Labour", "party": "Lab", "votes": top}]
    assert validate(parse_entry(data, now=NOW)) == {}


def test_a_count_of_thousands_of_digits_in_a_csv_is_named_quickly_not_converted() -> None:
    csv_like = body(electorate="9" * 50_000, valid_votes="26000", rejected="50")
    problems = problems_of(csv_like, from_text=True)
    assert list(problems) == ["electorate"]
    assert "must be below 10,000,000" in problems["electorate"] and len(problems["electorate"]) < 200


def test_the_same_figures_read_from_csv_get_the_same_named_error() -> None:
    csv_text = (
        "election_date,election_kind,ons_id,constituency,electorate,valid_votes,rejected,candidate,party,votes\n"
        "2026-12-10,by-election,E14900001,Testshire 1,4294967296,26000,50,Ann Example,Lab,²\n"
    )
    problems = problems_of(entry_from_csv(csv_text), from_text=True)
    assert set(problems) == {"candidates[0].votes"}  # read first: a count that is not one
    csv_text = csv_text.replace(",²\n", ",26000\n")
    problems = problems_of(entry_from_csv(csv_text), from_text=True)
    assert set(problems) == {"electorate"} and "below 10,000,000" in problems["electorate"]


# --- JSON: numbers as numbers, and a body that cannot be read -------------------------------------------


def test_json_counts_given_as_text_are_refused_naming_each_field() -> None:
    data = body(electorate="70000")
    data["candidates"][0]["votes"] = "14000"
    problems = problems_of(data)
    assert set(problems) == {"electorate", "candidates[0].votes"}
    assert problems["candidates[0].votes"] == "must be a JSON number, not the text '14000'"


def test_json_nested_too_deeply_is_a_named_problem_with_the_body() -> None:
    with pytest.raises(InvalidResult) as refused:
        entry_from_json("[" * 100_000 + "]" * 100_000)
    assert refused.value.problems == {"body": "nested too deeply"}


def test_a_json_number_of_more_digits_than_python_converts_is_a_problem_with_the_body() -> None:
    with pytest.raises(InvalidResult) as refused:
        entry_from_json(json.dumps(body()).replace("70000", "7" * 5000))
    assert list(refused.value.problems) == ["body"] and "not valid JSON" in refused.value.problems["body"]


def test_a_huge_value_is_quoted_short_in_the_error() -> None:
    data = body()
    data["candidates"][0]["votes"] = "1" * 100_000
    problems = problems_of(data)
    assert len(problems["candidates[0].votes"]) < 100


# --- names: no longer than the column that stores them ----------------------------------------------------

COLUMNS = {
    "constituency.name": Constituency.__table__.c.name,
    "candidates[0].name": Candidacy.__table__.c.candidate_name,
    "candidates[0].party": Party.__table__.c.name,
    "source": Contest.__table__.c.source,
}


def with_text(field: str, text: str) -> ContestInput:
    given = entry()
    first, second = given.candidates
    if field == "constituency.name":
        return replace(given, constituency_name=text)
    if field == "source":
        return replace(given, source=text)
    if field == "candidates[0].name":
        return replace(given, candidates=(replace(first, name=text), second))
    return replace(given, candidates=(replace(first, party=text), second))


@pytest.mark.parametrize("field", sorted(COLUMNS))
def test_text_is_refused_only_when_longer_than_its_column(field: str) -> None:
    longest = COLUMNS[field].type.length
    assert check(with_text(field, "x" * longest))[0] == {}
    errors, _ = check(with_text(field, "x" * (longest + 1)))
    assert errors == {field: f"is longer than {longest} characters ({longest + 1})"}


def test_a_seat_name_the_entry_code_once_allowed_is_refused_before_the_database_sees_it() -> None:
    problems = problems_of(body(constituency={"ons_id": "E14900001", "name": "A" * 150}))
    assert problems == {"constituency.name": "is longer than 120 characters (150)"}


def test_a_party_typed_as_a_full_name_longer_than_an_abbreviation_is_not_refused() -> None:
    data = body()
    data["candidates"][1]["party"] = "Conservative and Unionist Party"
    assert len("Conservative and Unionist Party") > limits.PARTY_ABBREVIATION_LENGTH
    assert validate(parse_entry(data, now=NOW)) == {}


def test_a_nul_character_is_refused_as_postgresql_would_refuse_it() -> None:
    data = body()
    data["candidates"][0]["name"] = "Alice\x00Labour"
    assert problems_of(data) == {"candidates[0].name": "must not contain a NUL character"}


# --- the same candidate twice ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Jane Smith", "Con"), ("Jane Smith", "Conservative")),
        (("Jane Smith", "Con"), ("jane  smith", "con")),
        (("Jane Smith", "Lab"), ("JANE SMITH", "Labour Co-op")),
        (("Seán O'Neill", "SF"), ("Sean ONeill", "Sinn Féin")),
        (("Jane Smith", "Newsroom Independents"), ("Jane Smith", "newsroom  independents")),
    ],
)
def test_a_candidate_listed_twice_under_two_spellings_is_a_duplicate(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    data = body(valid_votes=2_000)
    data["candidates"] = [
        {"name": first[0], "party": first[1], "votes": 1_000},
        {"name": second[0], "party": second[1], "votes": 1_000},
    ]
    problems = problems_of(data)
    assert problems == {"candidates": f"{first[0]} ({first[1]}) is listed 2 times"}


def test_two_people_of_one_name_for_different_parties_are_two_candidates() -> None:
    data = body(valid_votes=2_000)
    data["candidates"] = [
        {"name": "Jane Smith", "party": "Con", "votes": 1_000},
        {"name": "Jane Smith", "party": "Lab", "votes": 1_000},
    ]
    assert validate(parse_entry(data, now=NOW)) == {}


# --- the declaration time ---------------------------------------------------------------------------------


def test_a_declaration_in_the_future_is_refused_with_the_reason_unless_forced() -> None:
    future = body(declared_at="2026-12-12T02:00:00+00:00")
    problems = problems_of(future)
    assert list(problems) == ["declared_at"]
    assert "in the future" in problems["declared_at"] and "--force" in problems["declared_at"]
    assert parse_entry(future, force=True, now=NOW).declared_at == dt.datetime(2026, 12, 12, 2, tzinfo=dt.UTC)
    assert parse_entry({**future, "force": True}, now=NOW).declared_at is not None


def test_a_declaration_before_the_election_is_refused_with_the_reason_unless_forced() -> None:
    early = body(declared_at="2026-12-09T23:00:00+00:00")
    problems = problems_of(early)
    assert list(problems) == ["declared_at"]
    assert "before the election" in problems["declared_at"] and "2026-12-10" in problems["declared_at"]
    assert parse_entry({**early, "force": True}, now=NOW).declared_at is not None


def test_a_declaration_after_midnight_on_the_night_is_accepted() -> None:
    assert entry(declared_at="2026-12-11T02:12:00+00:00").declared_at == dt.datetime(2026, 12, 11, 2, 12, tzinfo=dt.UTC)
    # A feed's clock a minute ahead of ours is not a wrong date.
    assert entry(declared_at="2026-12-11T03:01:00+00:00").declared_at is not None


def test_force_must_be_true_or_false() -> None:
    assert problems_of(body(force="yes")) == {"force": "must be true or false, not 'yes'"}
