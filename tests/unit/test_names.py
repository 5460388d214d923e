"""Seat names: one spelling for every seat that bears a name, as the Library now writes it."""

from __future__ import annotations

import datetime as dt

from store.names import SeatSpellings, house_style

GE_2019, GE_2024 = dt.date(2019, 12, 12), dt.date(2024, 7, 4)


def test_joining_words_are_written_as_the_library_now_writes_them():
    assert house_style("Stoke-On-Trent Central") == "Stoke-on-Trent Central"
    assert house_style("Newcastle Upon Tyne Central") == "Newcastle upon Tyne Central"
    assert house_style("Ashton-Under-Lyne") == "Ashton-under-Lyne"
    assert house_style("Isle Of Wight") == "Isle of Wight"
    assert house_style("Weston-Super-Mare") == "Weston-super-Mare"
    assert house_style("Na h-Eileanan An Iar") == "Na h-Eileanan an Iar"
    # The 2024 files themselves write "The" here, and a first word is a first word.
    assert house_style("Bridlington and The Wolds") == "Bridlington and The Wolds"
    assert house_style("Ongar") == "Ongar" and house_style("Upon Test") == "Upon Test"


def test_the_newest_general_election_spells_every_seat_of_its_name_whatever_the_order():
    for order in ([("Birmingham, Edgbaston", GE_2019), ("Birmingham Edgbaston", GE_2024)],
                  [("Birmingham Edgbaston", GE_2024), ("Birmingham, Edgbaston", GE_2019)]):  # fmt: skip
        spellings = SeatSpellings()
        for name, spelt_at in order:
            spellings.spell(name, spelt_at)
        assert spellings.spell("Birmingham, Edgbaston") == "Birmingham Edgbaston"
        assert spellings.spell("BIRMINGHAM EDGBASTON") == "Birmingham Edgbaston"


def test_a_source_that_is_no_authority_names_only_a_seat_not_yet_seen():
    spellings = SeatSpellings()
    assert spellings.spell("Stoke-on-Trent Central") == "Stoke-on-Trent Central"  # a by-election file
    assert spellings.spell("Stoke-On-Trent Central", GE_2019) == "Stoke-on-Trent Central"  # house style
    assert spellings.spell("STOKE-ON-TRENT CENTRAL") == "Stoke-on-Trent Central"
    assert spellings.spell("Montgomeryshire and Glyndwr") == "Montgomeryshire and Glyndwr"
    assert spellings.spell("Montgomeryshire and Glyndŵr", GE_2024) == "Montgomeryshire and Glyndŵr"
    assert spellings.spell("Montgomeryshire and Glyndwr") == "Montgomeryshire and Glyndŵr"
