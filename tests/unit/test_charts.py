"""Pictures: a result card and a scoreboard image of real bundled results, checked as a reader gets them
(a PNG Slack and browsers open, small enough, the size we promise) and for what they say: every name as
the Library spells it and every figure as its files give it, read independently of the store."""

from __future__ import annotations

import dataclasses
import io
from collections import Counter
from fractions import Fraction

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from handlers.charts import (
    CARD_BARS,
    LABEL_CHARACTERS,
    result_card,
    result_card_figure,
    scoreboard_figure,
    scoreboard_image,
)
from handlers.party_colours import OTHER_COLOUR, PARTY_COLOURS, colour_of
from store.numbers import percent
from store.parties import PARTIES
from store.scoreboard import Scoreboard, build_scoreboard
from tests.integration import published
from tests.unit.library import library_summaries, summary_of
from tests.unit.test_scoreboard import ELECTION_2024, NOTIONAL_2019, Named

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIZE_LIMIT = 200_000


def decoded(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    picture = Image.open(io.BytesIO(png))
    picture.load()  # decodes every pixel: a truncated or corrupt file fails here
    assert picture.format == "PNG"
    return picture


def words_on(figure: Figure) -> list[str]:
    return [text.get_text() for text in figure.findobj(Text) if text.get_text()]


def published_contest(seat: str) -> tuple[published.Row, list[published.Row]]:
    """The 2024 row of `seat` and its candidates, most votes first, as the Library's files have them."""
    (row,) = [r for r in published.constituencies(59, "general-election") if r["Constituency name"] == seat]
    candidates = published.contest_candidates(
        59, "general-election", row["ONS ID"], published.GENERAL_ELECTION_DATES[59]
    )
    return row, sorted(candidates, key=lambda c: -int(c["Votes"]))


def share(votes: int, row: published.Row) -> str:
    return percent(Fraction(100 * votes, int(row["Valid votes"])))


@pytest.fixture(scope="module")
def board_2024() -> Scoreboard:
    summaries = library_summaries()
    return build_scoreboard(
        Named(ELECTION_2024, published.GENERAL_ELECTION_DATES[59], "general"),
        [s for s in summaries if s.election_name == ELECTION_2024],
        [s for s in summaries if s.election_name == NOTIONAL_2019],
        previous_election=NOTIONAL_2019,
    )


def test_a_result_card_is_a_small_16_by_9_png():
    picture = decoded(png := result_card(summary_of("North Antrim", ELECTION_2024)))
    assert picture.size == (1200, 675)
    assert len(png) < SIZE_LIMIT


def test_a_result_card_names_every_candidate_as_published_with_their_share():
    """North Antrim 2024: eight candidates, accents in a name ("Ráichéal"), a gain by a small party."""
    row, candidates = published_contest("North Antrim")
    assert len(candidates) <= CARD_BARS
    words = words_on(result_card_figure(summary_of("North Antrim", ELECTION_2024)))
    assert "North Antrim" in words
    for candidate in candidates:
        name = published.candidate_name(candidate)
        assert f"{name} ({candidate['Party abbreviation']})" in words, name
        assert any(word.startswith(share(int(candidate["Votes"]), row)) for word in words)
    assert any("Ráichéal" in word for word in words)
    # The baseline: winner's result and majority as the file states them.
    majority = int(row["Majority"])
    assert f"TUV GAIN from DUP · majority {majority:,} ({share(majority, row)})" in words
    assert row["Result"].casefold() == "tuv gain from dup"


def test_a_long_ballot_shows_the_leaders_and_adds_up_the_rest():
    """Holborn and St Pancras 2024: thirteen candidates; the last bar adds up those not named."""
    row, candidates = published_contest("Holborn and St Pancras")
    assert len(candidates) > CARD_BARS
    words = words_on(result_card_figure(summary_of("Holborn and St Pancras", ELECTION_2024)))
    named = candidates[: CARD_BARS - 1]
    for candidate in named:
        assert f"{published.candidate_name(candidate)} ({candidate['Party abbreviation']})" in words
    rest = candidates[CARD_BARS - 1 :]
    assert f"{len(rest)} others" in words
    assert share(sum(int(c["Votes"]) for c in rest), row) in words
    assert not any(published.candidate_name(c) in " ".join(words) for c in rest)


def test_the_2024_scoreboard_image_is_a_small_png_a_slack_preview_can_hold(board_2024):
    picture = decoded(png := scoreboard_image(board_2024))
    width, height = picture.size
    assert width == 1200 and 600 <= height <= 1400
    assert len(png) < SIZE_LIMIT


def test_the_2024_scoreboard_image_shows_each_party_s_seats_as_published_and_the_majority_line(board_2024):
    rows = published.constituencies(59, "general-election")
    seats = Counter(row["First party"] for row in rows)
    words = words_on(scoreboard_figure(board_2024))
    for party, won in seats.items():
        assert party in words, party
        assert any(word.startswith(f"{won}  (") for word in words), (party, won)
    assert f"{len(rows) // 2 + 1} for a majority" in words
    assert f"{len(rows)} of {len(rows)} seats declared · {len(rows) // 2 + 1} for a majority" in words


def test_one_colour_table_for_the_parties_the_store_knows():
    assert set(PARTY_COLOURS) <= PARTIES
    winners = {row["First party"] for row in published.constituencies(59, "general-election")}
    colours = [colour_of(party) for party in winners]
    assert OTHER_COLOUR not in colours  # every party that won a seat in 2024 has its own colour
    assert len(set(colours)) == len(colours)
    assert colour_of("Lab Co-op") == colour_of("Lab") and colour_of("BRX") == colour_of("RUK")
    assert colour_of("Some New Party") == OTHER_COLOUR


def test_a_name_too_long_for_the_card_is_cut_before_its_party_and_shorter_ones_kept_whole():
    summary = summary_of("North Antrim", ELECTION_2024)
    long_name = "Ráichéal Mhic Niocaill Ó Dochartaigh-Fitzgerald of the Glens"
    last = dataclasses.replace(summary.candidates[-1], name=long_name)
    words = words_on(result_card_figure(dataclasses.replace(summary, candidates=(*summary.candidates[:-1], last))))
    (cut,) = [word for word in words if word.startswith("Ráichéal Mhic Niocaill Ó")]
    assert cut.endswith(f"… ({last.party})") and len(cut) <= LABEL_CHARACTERS
    assert long_name.startswith(cut.removesuffix(f"… ({last.party})"))
    for line in summary.candidates[:-1]:
        assert f"{line.name} ({line.party})" in words
