"""Tests for store.lookup: query parsing and fuzzy constituency lookup."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.lookup import MATCH_MIN, LookupResult, Match, ParsedQuery, SeatIndex, normalise, parse_query

# Real Westminster constituency names from the 2010 and 2024 boundary sets,
# chosen for the traps they set: shared prefixes, names inside other names,
# both spellings of seats whose punctuation changed between sets, accents,
# "upon"/"under", "St", parentheses and apostrophes.
NAMES: tuple[str, ...] = (
    "Stoke-on-Trent Central",
    "Stoke-on-Trent North",
    "Stoke-on-Trent South",
    "Filton and Bradley Stoke",
    "Hackney North and Stoke Newington",
    "Hackney South and Shoreditch",
    "Basingstoke",
    "Copeland",
    "Hartlepool",
    "Weston-super-Mare",
    "West Ham",
    "Westmorland and Lonsdale",
    "Ynys Môn",
    "Montgomeryshire and Glyndŵr",
    "Na h-Eileanan an Iar",
    "Berwick-upon-Tweed",
    "Berwickshire, Roxburgh and Selkirk",
    "Brighton, Pavilion",
    "Brighton Pavilion",
    "Brighton, Kemptown",
    "Brighton Kemptown and Peacehaven",
    "Cities of London and Westminster",
    "Westminster North",
    "East Londonderry",
    "Hampstead and Kilburn",
    "Hampstead and Highgate",
    "Kensington",
    "Kensington and Bayswater",
    "Bristol West",
    "Bristol Central",
    "Bristol East",
    "Bristol North West",
    "Bristol South",
    "Stone",
    "Stone, Great Wyrley and Penkridge",
    "Wells",
    "Wells and Mendip Hills",
    "Tunbridge Wells",
    "St Albans",
    "St Ives",
    "Bury St Edmunds",
    "Holborn and St Pancras",
    "Richmond (Yorks)",
    "Richmond Park",
    "Richmond and Northallerton",
    "Orkney and Shetland",
    "Ealing Southall",
    "Ealing, Southall",
    "Ealing North",
    "Gorton and Denton",
    "Manchester Gorton",
    "Manchester Central",
    "Runcorn and Helsby",
    "Halton",
    "Ashton-under-Lyne",
    "Ashton-Under-Lyne",
    "Newcastle-under-Lyme",
    "Newcastle upon Tyne Central",
    "Newcastle upon Tyne North",
    "Kingston upon Hull East",
    "Kingston upon Hull North",
    "Isle of Wight",
    "Isle of Wight East",
    "Isle of Wight West",
    "City of Chester",
    "Chester North and Neston",
    "Vale of Glamorgan",
    "The Wrekin",
    "The Cotswolds",
    "Queen's Park and Maida Vale",
    "Glasgow North",
    "Glasgow North East",
    "Glasgow North West",
    "North Norfolk",
    "North West Norfolk",
    "North East Fife",
    "Sheffield, Hallam",
    "Sheffield Hallam",
    "Bolsover",
    "Preston",
    "Stevenage",
    "Cardiff Central",
    "Cardiff North",
    "Liverpool, West Derby",
    "Liverpool West Derby",
    "Inverness, Nairn, Badenoch and Strathspey",
    "Forest of Dean",
    "Doncaster East and the Isle of Axholme",
)
BRISTOL = {"Bristol West", "Bristol Central", "Bristol East", "Bristol North West", "Bristol South"}
STOKE = ["Stoke-on-Trent Central", "Stoke-on-Trent North", "Stoke-on-Trent South"]
ALIASES = {
    "stoke central": "Stoke-on-Trent Central",
    "Western Isles": "Na h-Eileanan an Iar",
    "Anglesey": "Ynys Môn",
}

INDEX = SeatIndex(NAMES, ALIASES)
DATA_DIR = Path(__file__).resolve().parents[2] / "store" / "data" / "hoc"


def names_of(result: LookupResult) -> list[str]:
    return [m.name for m in result.matches]


def assert_unique(query: str, expected: str, index: SeatIndex = INDEX) -> LookupResult:
    result = index.find(query)
    assert result.unique is not None, f"{query!r} was ambiguous: {names_of(result)}"
    assert result.unique.name == expected, f"{query!r} -> {result.unique.name!r}, wanted {expected!r}"
    assert result.suggestions == ()
    return result


def assert_ambiguous(query: str, index: SeatIndex = INDEX) -> LookupResult:
    result = index.find(query)
    assert result.unique is None, f"{query!r} was unexpectedly unique: {names_of(result)}"
    assert len(result.matches) >= 2
    return result


def assert_well_formed(result: LookupResult, index: SeatIndex, limit: int = 8) -> None:
    known = set(index.names)
    assert isinstance(result.matches, tuple)
    assert isinstance(result.suggestions, tuple)
    assert len(result.matches) <= limit
    assert len(result.suggestions) <= 5
    assert not (result.matches and result.suggestions), "suggestions are only for misses"
    for group in (result.matches, result.suggestions):
        assert all(isinstance(m, Match) and m.name in known for m in group)
        assert all(0.0 <= m.score <= 100.0 for m in group)
        scores = [m.score for m in group]
        assert scores == sorted(scores, reverse=True), "best first"
        assert len({m.name for m in group}) == len(group), "no name twice"
    assert all(m.score >= MATCH_MIN for m in result.matches)
    assert result.unique is None or result.unique == result.matches[0]


# --- normalisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ynys Môn", "ynys mon"),
        ("Stoke-on-Trent Central", "stoke on trent central"),
        ("Brighton, Pavilion", "brighton pavilion"),
        ("Richmond (Yorks)", "richmond yorks"),
        ("Queen's Park and Maida Vale", "queens park and maida vale"),
        ("Queen’s Park", "queens park"),
        ("Hampstead & Kilburn", "hampstead and kilburn"),
        ("St. Albans", "st albans"),
        ("Saint Albans", "st albans"),
        ("Stoke N", "stoke north"),
        ("bristol nw", "bristol north west"),
        ("  \x00 ", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


# --- exact and normalised matches -----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hartlepool", "Hartlepool"),
        ("HARTLEPOOL", "Hartlepool"),
        ("Stone", "Stone"),
        ("wells", "Wells"),
        ("Kensington", "Kensington"),
        ("halton", "Halton"),
        ("ynys mon", "Ynys Môn"),
        ("YNYS MÔN", "Ynys Môn"),
        ("stoke on trent central", "Stoke-on-Trent Central"),
        ("Stoke‐on‐Trent Central", "Stoke-on-Trent Central"),  # U+2010 hyphens
        ("weston super mare", "Weston-super-Mare"),
        ("westonsupermare", "Weston-super-Mare"),
        ("stokeontrent central", "Stoke-on-Trent Central"),
        ("na h eileanan an iar", "Na h-Eileanan an Iar"),
        ("berwick upon tweed", "Berwick-upon-Tweed"),
        ("berwickshire roxburgh and selkirk", "Berwickshire, Roxburgh and Selkirk"),
        ("hampstead & kilburn", "Hampstead and Kilburn"),
        ("richmond yorks", "Richmond (Yorks)"),
        ("queens park and maida vale", "Queen's Park and Maida Vale"),
        ("montgomeryshire and glyndwr", "Montgomeryshire and Glyndŵr"),
        ("st albans", "St Albans"),
        ("St. Albans", "St Albans"),
        ("saint albans", "St Albans"),
        ("saint ives", "St Ives"),
        ("isle of wight", "Isle of Wight"),
        ("city of chester", "City of Chester"),
        ("vale of glamorgan", "Vale of Glamorgan"),
        ("manchester gorton", "Manchester Gorton"),
        ("gorton & denton", "Gorton and Denton"),
        ("Hartlepool\x00", "Hartlepool"),
    ],
)
def test_exact_normalised_match_is_unique_with_full_score(query: str, expected: str) -> None:
    result = assert_unique(query, expected)
    assert result.matches == (Match(expected, 100.0),)


@pytest.mark.parametrize(
    ("query", "shorter", "longer"),
    [
        ("Stone", "Stone", "Stone, Great Wyrley and Penkridge"),
        ("Wells", "Wells", "Wells and Mendip Hills"),
        ("Kensington", "Kensington", "Kensington and Bayswater"),
        ("Isle of Wight", "Isle of Wight", "Isle of Wight East"),
    ],
)
def test_exact_match_beats_longer_names_containing_it(query: str, shorter: str, longer: str) -> None:
    result = assert_unique(query, shorter)
    assert longer not in names_of(result)


def test_names_that_normalise_identically_are_all_returned_and_first_is_unique() -> None:
    result = INDEX.find("brighton pavilion")
    assert names_of(result) == ["Brighton, Pavilion", "Brighton Pavilion"]  # index order
    assert {m.score for m in result.matches} == {100.0}
    assert result.unique == result.matches[0]


def test_identical_normalised_names_keep_index_order() -> None:
    index = SeatIndex(["Brighton Pavilion", "Brighton, Pavilion"])
    assert names_of(index.find("Brighton Pavilion")) == ["Brighton Pavilion", "Brighton, Pavilion"]


@pytest.mark.parametrize(
    ("query", "pair"),
    [
        ("ashton under lyne", ["Ashton-under-Lyne", "Ashton-Under-Lyne"]),
        ("hallam", ["Sheffield, Hallam", "Sheffield Hallam"]),
        ("southall", ["Ealing Southall", "Ealing, Southall"]),
        ("liverpool west derbyy", ["Liverpool, West Derby", "Liverpool West Derby"]),
        ("brigton pavilion", ["Brighton, Pavilion", "Brighton Pavilion"]),
    ],
)
def test_same_seat_spelt_two_ways_counts_as_unique_on_fuzzy_paths(query: str, pair: list[str]) -> None:
    result = INDEX.find(query)
    assert names_of(result) == pair
    assert result.matches[0].score == result.matches[1].score
    assert result.unique == result.matches[0]


# --- prefixes and words -------------------------------------------------------------------


def test_stoke_is_ambiguous_between_the_stoke_on_trent_seats_first() -> None:
    result = assert_ambiguous("stoke")
    # Only the seats that start with the word: not Filton and Bradley Stoke or Stoke Newington.
    assert sorted(names_of(result)) == STOKE
    assert "Basingstoke" not in names_of(result)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stoke central", "Stoke-on-Trent Central"),
        ("stoke trent central", "Stoke-on-Trent Central"),
        ("central stoke", "Stoke-on-Trent Central"),
        ("weston", "Weston-super-Mare"),
        ("wells mendip", "Wells and Mendip Hills"),
        ("stone great wyrley", "Stone, Great Wyrley and Penkridge"),
        ("penkridge", "Stone, Great Wyrley and Penkridge"),
        ("hampstead kilburn", "Hampstead and Kilburn"),
        ("kensington bayswater", "Kensington and Bayswater"),
        ("orkney", "Orkney and Shetland"),
        ("shetland", "Orkney and Shetland"),
        ("runcorn", "Runcorn and Helsby"),
        ("tunbridge", "Tunbridge Wells"),
        ("berwick", "Berwick-upon-Tweed"),
        ("berwickshire", "Berwickshire, Roxburgh and Selkirk"),
        ("wrekin", "The Wrekin"),
        ("queens park", "Queen's Park and Maida Vale"),
        ("glamorgan", "Vale of Glamorgan"),
        ("na h eileanan", "Na h-Eileanan an Iar"),
        ("london", "Cities of London and Westminster"),  # whole word beats "Londonderry"
    ],
)
def test_word_and_prefix_queries_that_pick_one_seat(query: str, expected: str) -> None:
    assert_unique(query, expected)


def test_brighton_k_offers_both_kemptowns() -> None:
    result = assert_ambiguous("brighton k")
    assert names_of(result) == ["Brighton, Kemptown", "Brighton Kemptown and Peacehaven"]


def test_bristol_lists_every_bristol_seat() -> None:
    result = assert_ambiguous("bristol")
    assert set(names_of(result)) == BRISTOL


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hampstead", {"Hampstead and Kilburn", "Hampstead and Highgate"}),
        ("gorton", {"Gorton and Denton", "Manchester Gorton"}),
        ("westminster", {"Westminster North", "Cities of London and Westminster"}),
        ("richmond", {"Richmond (Yorks)", "Richmond Park", "Richmond and Northallerton"}),
        ("glasgow", {"Glasgow North", "Glasgow North East", "Glasgow North West"}),
        ("wight", {"Isle of Wight", "Isle of Wight East", "Isle of Wight West"}),
        ("hackney", {"Hackney North and Stoke Newington", "Hackney South and Shoreditch"}),
        ("cardiff", {"Cardiff Central", "Cardiff North"}),
    ],
)
def test_ambiguous_words_return_every_plausible_seat(query: str, expected: set[str]) -> None:
    result = assert_ambiguous(query)
    assert set(names_of(result)) == expected


def test_westminster_prefers_the_seat_that_starts_with_it() -> None:
    assert names_of(INDEX.find("westminster"))[0] == "Westminster North"


def test_partial_word_is_ambiguous_between_seats_sharing_it() -> None:
    result = assert_ambiguous("kensingto")
    assert names_of(result) == ["Kensington", "Kensington and Bayswater"]


def test_single_letter_alone_is_not_a_prefix() -> None:
    result = INDEX.find("q")
    assert result.matches == ()


def test_limit_caps_matches_without_hiding_ambiguity() -> None:
    assert len(INDEX.find("bristol", limit=2).matches) == 2
    top = INDEX.find("bristol", limit=1)
    assert len(top.matches) == 1
    assert top.unique is None  # one shown, but it was never a sure thing
    # Cutting identical spellings of one seat does not make it ambiguous.
    assert INDEX.find("brighton pavilion", limit=1).unique == Match("Brighton, Pavilion", 100.0)
    with pytest.raises(ValueError):
        INDEX.find("bristol", limit=0)


# --- abbreviations and joining words ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stoke n", "Stoke-on-Trent North"),
        ("Stoke N.", "Stoke-on-Trent North"),
        ("stoke s", "Stoke-on-Trent South"),
        ("stoke c", "Stoke-on-Trent Central"),
        ("bristol w", "Bristol West"),
        ("bristol e", "Bristol East"),
        ("bristol nw", "Bristol North West"),
        ("bristol n w", "Bristol North West"),
        ("glasgow ne", "Glasgow North East"),
        ("n norfolk", "North Norfolk"),
        ("ne fife", "North East Fife"),
        ("wight e", "Isle of Wight East"),
        ("berwick on tweed", "Berwick-upon-Tweed"),
        ("newcastle upon lyme", "Newcastle-under-Lyme"),
        ("newcastle on tyne north", "Newcastle upon Tyne North"),
        ("kingston on hull east", "Kingston upon Hull East"),
    ],
)
def test_abbreviations_and_joining_words(query: str, expected: str) -> None:
    assert_unique(query, expected)


def test_abbreviation_does_not_drag_in_seats_with_the_words_out_of_order() -> None:
    # "Hackney North and Stoke Newington" has both words, backwards.
    assert names_of(INDEX.find("stoke n")) == ["Stoke-on-Trent North"]


# --- typos ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hartlepol", "Hartlepool"),
        ("copland", "Copeland"),
        ("stoke-on-trent centrl", "Stoke-on-Trent Central"),
        ("westen super mare", "Weston-super-Mare"),
        ("weston super mair", "Weston-super-Mare"),
        ("stoke centrl", "Stoke-on-Trent Central"),
        ("kensinton", "Kensington"),
        ("ynis mon", "Ynys Môn"),
        ("newcastle under lyne", "Newcastle-under-Lyme"),
        ("cities of london & westminister", "Cities of London and Westminster"),
        ("richmond yorkshire", "Richmond (Yorks)"),
        ("hampsted and kilburn", "Hampstead and Kilburn"),
        ("orkny", "Orkney and Shetland"),
        ("bolsovr", "Bolsover"),
    ],
)
def test_typos_find_the_right_seat(query: str, expected: str) -> None:
    result = assert_unique(query, expected)
    assert result.unique is not None and result.unique.score < 100.0


def test_typo_equally_close_to_two_seats_is_ambiguous() -> None:
    result = assert_ambiguous("glasgow north eest")
    assert set(names_of(result)) == {"Glasgow North East", "Glasgow North West"}


def test_typo_in_a_shared_prefix_stays_ambiguous() -> None:
    result = assert_ambiguous("bristl")
    assert set(names_of(result)) == BRISTOL


# --- aliases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stoke central", "Stoke-on-Trent Central"),
        ("STOKE-CENTRAL", "Stoke-on-Trent Central"),
        ("western isles", "Na h-Eileanan an Iar"),
        ("Anglesey", "Ynys Môn"),
    ],
)
def test_aliases(query: str, expected: str) -> None:
    result = assert_unique(query, expected)
    assert result.matches == (Match(expected, 100.0),)


def test_alias_is_checked_before_names() -> None:
    index = SeatIndex(NAMES, {"Halton": "Runcorn and Helsby"})
    assert_unique("halton", "Runcorn and Helsby", index)


def test_alias_to_unknown_seat_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown seat"):
        SeatIndex(NAMES, {"somewhere": "Nowhere Central"})


def test_blank_alias_is_rejected() -> None:
    with pytest.raises(ValueError, match="no letters"):
        SeatIndex(NAMES, {" - ": "Copeland"})


# --- misses and hostile input ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\x00\x00", "🗳️🇬🇧", "---", "''"])
def test_blank_input_gives_nothing(query: str) -> None:
    result = INDEX.find(query)
    assert result == LookupResult(matches=(), suggestions=())
    assert result.unique is None


@pytest.mark.parametrize(
    "query",
    ["asdfgh", "'; DROP TABLE contest;--", "xyz", "q", "Robert'); DROP TABLE Students;--", "🗳️ asdf"],
)
def test_nonsense_matches_nothing(query: str) -> None:
    result = INDEX.find(query)
    assert result.matches == ()
    assert result.unique is None
    assert_well_formed(result, INDEX)


def test_five_thousand_random_characters() -> None:
    rng = random.Random(20240704)
    alphabet = [chr(c) for c in range(0x20, 0x250)] + ["\x00", "\n", "🗳", "é", "ŵ", "-", "'", "&"]
    text = "".join(rng.choice(alphabet) for _ in range(5000))
    result = INDEX.find(text)
    assert result.matches == ()
    assert_well_formed(result, INDEX)
    parsed = parse_query(text)
    assert isinstance(parsed.seat_text, str)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bolsover district", "Bolsover"),
        ("copeland cumbria", "Copeland"),
        ("stoke centrl xyz", "Stoke-on-Trent Central"),
        ("ynis", "Ynys Môn"),
        ("walton", "Halton"),  # one wrong letter in a short word is a hint, not a match
        ("westen", "Weston-super-Mare"),
        ("stke", "Stoke-on-Trent North"),
    ],
)
def test_misses_suggest_the_closest_names(query: str, expected: str) -> None:
    result = INDEX.find(query)
    assert result.matches == ()
    assert result.unique is None
    assert 1 <= len(result.suggestions) <= 5
    assert result.suggestions[0].name == expected


def test_empty_index() -> None:
    index = SeatIndex([])
    assert index.find("Copeland") == LookupResult(matches=(), suggestions=())


def test_duplicate_and_blank_names_are_indexed_once() -> None:
    index = SeatIndex(["Copeland", "Copeland", "", "!!!"])
    assert index.names == ("Copeland",)
    assert INDEX.find("copeland").matches == index.find("copeland").matches


def test_unique_on_hand_built_results() -> None:
    a, b = Match("Bristol West", 90.0), Match("Bristol East", 90.0)
    assert LookupResult(matches=(a,), suggestions=()).unique == a
    assert LookupResult(matches=(a, b), suggestions=()).unique is None
    assert LookupResult(matches=(), suggestions=(a,)).unique is None


# --- parse_query ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seat", "year", "kind"),
    [
        ("copeland 2015", "copeland", 2015, None),
        ("Copeland 2015", "Copeland", 2015, None),
        ("hartlepool by-election", "hartlepool", None, "by-election"),
        ("Hartlepool byelection", "Hartlepool", None, "by-election"),
        ("Hartlepool by election", "Hartlepool", None, "by-election"),
        ("Hartlepool by-elec", "Hartlepool", None, "by-election"),
        ("Hartlepool bye-election", "Hartlepool", None, "by-election"),
        ("Hartlepool 2021 by election", "Hartlepool", 2021, "by-election"),
        ("hartlepool, 2021 by-elec", "hartlepool", 2021, "by-election"),
        ("Hartlepool (2021)", "Hartlepool", 2021, None),
        ("2019 general election in Bolsover", "Bolsover", 2019, "general"),
        ("Bolsover general", "Bolsover", None, "general"),
        ("Bolsover GE", "Bolsover", None, "general"),
        ("Bolsover GE2019", "Bolsover", 2019, "general"),
        ("Bolsover ge 2019", "Bolsover", 2019, "general"),
        ("results for the Copeland seat", "Copeland", None, None),
        ("the result in Copeland", "Copeland", None, None),
        ("Copeland constituency results 2017", "Copeland", 2017, None),
        ("Copeland election", "Copeland", None, None),
        ("Berwick-upon-Tweed - 2015 - general election", "Berwick-upon-Tweed", 2015, "general"),
        ("Stoke-on-Trent Central byelection 2017", "Stoke-on-Trent Central", 2017, "by-election"),
        ("Brighton, Pavilion in 2015", "Brighton, Pavilion", 2015, None),
        ("Ynys Môn 2019", "Ynys Môn", 2019, None),
        ("Richmond (Yorks) 2019", "Richmond (Yorks)", 2019, None),
        ("  St Ives 2019 GE  ", "St Ives", 2019, "general"),
        ("copeland2015", "copeland", 2015, None),
        ("2015 2017 copeland", "copeland", 2015, None),  # first year written wins
        ("copeland by-election 2017 general election", "copeland", 2017, "by-election"),
    ],
)
def test_parse_query(text: str, seat: str, year: int | None, kind: str | None) -> None:
    assert parse_query(text) == ParsedQuery(seat_text=seat, year=year, kind=kind)


@pytest.mark.parametrize(
    "name",
    [
        "Isle of Wight",
        "City of Chester",
        "Vale of Glamorgan",
        "Forest of Dean",
        "Doncaster East and the Isle of Axholme",
        "Inverness, Nairn, Badenoch and Strathspey",
        "Derby North",  # "by" inside a word is not a by-election
        "Seaton",  # and "seat" inside a word is not filler
        "Atherton",
        "Generally Speaking",
    ],
)
def test_parse_query_leaves_names_alone(name: str) -> None:
    assert parse_query(name) == ParsedQuery(seat_text=name, year=None, kind=None)
    assert parse_query(f"{name} 2024") == ParsedQuery(seat_text=name, year=2024, kind=None)


@pytest.mark.parametrize(
    ("text", "seat"),
    [
        ("copeland '17", "copeland '17"),  # two-digit years are not years
        ("copeland 17", "copeland 17"),
        ("copeland 1899", "copeland 1899"),
        ("copeland 2100", "copeland 2100"),
        ("copeland 12019", "copeland 12019"),
    ],
)
def test_parse_query_only_takes_four_digit_years_1900_to_2099(text: str, seat: str) -> None:
    assert parse_query(text) == ParsedQuery(seat_text=seat, year=None, kind=None)


def test_parse_query_leading_the_goes_but_the_seat_is_still_found() -> None:
    # "The" is filler at the front of a query; the index does not need it.
    parsed = parse_query("The Wrekin 2019")
    assert parsed == ParsedQuery(seat_text="Wrekin", year=2019, kind=None)
    assert_unique(parsed.seat_text, "The Wrekin")


@pytest.mark.parametrize("text", ["", "   ", "the results", "2019", "by-election", "general election 2019"])
def test_parse_query_with_no_seat(text: str) -> None:
    assert parse_query(text).seat_text == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hartlepool 2021 by-election", "Hartlepool"),
        ("results for stoke central 2017", "Stoke-on-Trent Central"),
        ("GE2019 in weston super mare", "Weston-super-Mare"),
        ("copland by election", "Copeland"),
    ],
)
def test_parse_then_find(text: str, expected: str) -> None:
    assert_unique(parse_query(text).seat_text, expected)


# --- properties ------------------------------------------------------------------------------------

KIND_PHRASES = {
    "": None,
    "by-election": "by-election",
    "by election": "by-election",
    "byelection": "by-election",
    "general election": "general",
    "GE": "general",
}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=12))
def test_find_never_raises_and_is_well_formed(text: str, limit: int) -> None:
    result = INDEX.find(text, limit=limit)
    assert_well_formed(result, INDEX, limit)
    if not normalise(text):
        assert result == LookupResult(matches=(), suggestions=())


# Random text rarely gets past the first word, so also throw fragments of real
# names, abbreviations and filter words at the matcher to exercise scoring.
NAME_WORDS = sorted({word for name in NAMES for word in name.replace(",", " ").replace("-", " ").split()})
salad_word = st.one_of(
    st.sampled_from(NAME_WORDS),
    st.tuples(st.sampled_from(NAME_WORDS), st.integers(min_value=1, max_value=8)).map(lambda t: t[0][: t[1]]),
    st.sampled_from(["n", "S", "ne", "&", "St.", "saint", "on", "upon", "by-election", "GE", "2019", "'", "-"]),
    st.text(max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(salad_word, max_size=6), st.integers(min_value=1, max_value=12))
def test_find_on_word_salad_is_well_formed(words: list[str], limit: int) -> None:
    text = " ".join(words)
    assert_well_formed(INDEX.find(text, limit=limit), INDEX, limit)
    assert_well_formed(INDEX.find(parse_query(text).seat_text, limit=limit), INDEX, limit)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parse_query_never_raises_and_is_well_formed(text: str) -> None:
    parsed = parse_query(text)
    assert isinstance(parsed.seat_text, str)
    assert parsed.seat_text == parsed.seat_text.strip()
    assert len(parsed.seat_text) <= len(text)
    assert parsed.year is None or 1900 <= parsed.year <= 2099
    assert parsed.kind in (None, "by-election", "general")
    assert_well_formed(INDEX.find(parsed.seat_text), INDEX)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(NAMES),
    st.one_of(st.none(), st.integers(min_value=1900, max_value=2099)),
    st.sampled_from(sorted(KIND_PHRASES)),
    st.booleans(),
)
def test_seat_plus_filters_round_trip(name: str, year: int | None, phrase: str, filters_first: bool) -> None:
    filters = " ".join(part for part in (str(year) if year else "", phrase) if part)
    text = f"{filters} {name}" if filters_first else f"{name} {filters}"
    parsed = parse_query(text)
    assert parsed.year == year
    assert parsed.kind == KIND_PHRASES[phrase]
    if not name.startswith("The "):
        assert parsed.seat_text == name
    found = INDEX.find(parsed.seat_text).unique
    assert found is not None
    assert normalise(found.name) == normalise(name)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from([str.lower, str.upper, str.title, lambda s: s.replace(" ", "-")]))
def test_every_name_finds_itself_however_it_is_cased(name: str, transform) -> None:
    found = INDEX.find(transform(name)).unique
    assert found is not None
    assert normalise(found.name) == normalise(name)


# --- the bundled House of Commons data ------------------------------------------------------------


def bundled_names() -> list[str]:
    """Constituency names from the bundled general-election files, 2010 to 2024."""
    names: list[str] = []
    for path in sorted(DATA_DIR.glob("*/general-election/constituencies.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        # Older files have no header row; the name is then the third column.
        column, body = (header.index("Constituency name"), rows[1:]) if "Constituency name" in header else (2, rows)
        names.extend(row[column] for row in body if len(row) > column)
    return names


@pytest.fixture(scope="module")
def full_index() -> SeatIndex:
    if not DATA_DIR.is_dir():
        pytest.skip("bundled House of Commons data not present")
    names = bundled_names()
    if len(set(names)) < 800:
        pytest.skip("bundled constituency files not in the expected shape")
    return SeatIndex(names)


@pytest.mark.slow
def test_every_bundled_name_finds_itself(full_index: SeatIndex) -> None:
    for name in full_index.names:
        found = full_index.find(name).unique
        assert found is not None, name
        assert normalise(found.name) == normalise(name)
        assert full_index.find(name.lower().replace("-", " ")).unique == found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stoke n", "Stoke-on-Trent North"),
        ("stoke central", "Stoke-on-Trent Central"),
        ("hartlepol", "Hartlepool"),
        ("copland", "Copeland"),
        ("westen super mare", "Weston-super-Mare"),
        ("weston", "Weston-super-Mare"),
        ("Stone", "Stone"),
        ("wells", "Wells"),
        ("kensington", "Kensington"),
        ("ynys mon", "Ynys Môn"),
        ("berwick on tweed", "Berwick-upon-Tweed"),
    ],
)
def test_behaviour_holds_on_the_full_name_list(full_index: SeatIndex, query: str, expected: str) -> None:
    # The older files capitalise differently ("Stoke-On-Trent North"), so
    # compare seats, not spellings.
    result = full_index.find(query)
    assert result.unique is not None, f"{query!r} was ambiguous: {names_of(result)}"
    assert {normalise(name) for name in names_of(result)} == {normalise(expected)}


@pytest.mark.slow
def test_ambiguity_holds_on_the_full_name_list(full_index: SeatIndex) -> None:
    stoke = assert_ambiguous("stoke", full_index)
    wanted = {normalise(name) for name in STOKE}
    spellings = sum(normalise(name) in wanted for name in full_index.names)  # six: two capitalisations
    assert {normalise(name) for name in names_of(stoke)[:spellings]} == wanted, "Stoke-on-Trent seats come first"
    assert not any(normalise(name) in wanted for name in names_of(stoke)[spellings:])
    bristol = assert_ambiguous("bristol", full_index)
    assert all(name.startswith("Bristol ") for name in names_of(bristol))
    gorton = assert_ambiguous("gorton", full_index)
    assert {"Gorton and Denton", "Manchester, Gorton"} <= set(names_of(gorton))
