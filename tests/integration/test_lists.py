"""Lists of seats (gains, losses, holds, seats changing hands, by-elections) against the bundled store.

Every expected seat is read here from the House of Commons Library's files (`tests.integration.published`:
the csv module only): a general election's result labels ("Lab gain from Con", "Con hold", compared by the
Library with the notional result where boundaries changed) and the by-election files' dates. None of these
questions names a seat or a person, so each runs on `no_seat_lookup`, which fails any such lookup.
"""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.replies import ALL_WORD, LIST_LENGTH, reply_to_command, reply_to_question
from store.answers import ResultsService
from tests.integration import published

GE_2024 = (59, "general-election")


def labelled(predicate) -> set[str]:
    """ONS IDs of the 2024 seats whose published result label (lower case) satisfies `predicate`."""
    return {row["ONS ID"] for row in published.constituencies(*GE_2024) if predicate(row["Result"].casefold())}


def listed(reply) -> list[str]:
    """The ONS IDs a list reply shows, in order."""
    assert reply.data is not None and reply.data["answer"] == "list"
    return [seat["ons_id"] for seat in reply.data["seats"]]


def first_line(reply) -> str:
    return reply.plain.split("\n")[0]


CASES = [
    # (question, the published labels it lists, the list's title before " at the 2024 general election")
    ("conservative losses 2024", lambda label: label.endswith("gain from con"), "Con losses"),
    ("snp losses", lambda label: label.endswith("gain from snp"), "SNP losses"),
    ("labour holds", lambda label: label == "lab hold", "Lab holds"),
    ("lab gains from con 2024", lambda label: label == "lab gain from con", "Lab gains from Con"),
    ("seats changing hands 2024", lambda label: " gain from " in label, "Seats that changed hands"),
    ("seats lost by the tories to reform", lambda label: label == "ruk gain from con", "Con losses to RUK"),
    ("which seats did the lib dems gain from the snp", lambda label: label == "ld gain from snp", "LD gains from SNP"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "label", "title"), CASES, ids=[case[0] for case in CASES])
def test_each_list_is_the_published_seats_cut_with_their_count(no_seat_lookup, text, label, title) -> None:
    expected = labelled(label)
    assert expected
    reply = reply_to_question(text, no_seat_lookup)
    assert reply.public
    assert first_line(reply) == f"{title} at the 2024 general election: {len(expected)}"
    shown = listed(reply)
    assert len(shown) == min(LIST_LENGTH, len(expected)) and set(shown) <= expected
    assert reply.data["total"] == len(expected)
    if len(expected) > LIST_LENGTH:
        assert f"Showing {LIST_LENGTH} of {len(expected)}." in reply.plain
        assert reply.options == ((f"Show all {len(expected)}", f"{ALL_WORD} {text}"),)
    # The whole list, as the button (or `/result all …`) asks for it: only for the asker.
    whole = reply_to_command(f"{ALL_WORD} {text}", no_seat_lookup)
    assert not whole.public and not whole.options
    assert set(listed(whole)) == expected and len(listed(whole)) == len(expected)


def test_the_published_counts_are_the_scoreboards(no_seat_lookup) -> None:
    """The lists and the scoreboard count a seat's change through one rule, so they never disagree."""
    board = no_seat_lookup.general_election_with_previous(2024).scoreboard()
    conservative = next(row for row in board.parties if row.party == "Con")
    losses = reply_to_question("conservative losses 2024", no_seat_lookup).data["total"]
    gains = reply_to_question("conservative gains 2024", no_seat_lookup).data["total"]
    assert (gains, losses) == (conservative.gains, conservative.losses)
    assert losses == len(labelled(lambda label: label.endswith("gain from con")))


def test_the_show_all_button_is_for_the_asker_of_a_command_and_presses_to_the_whole_list(no_seat_lookup) -> None:
    holds = labelled(lambda label: label == "lab hold")
    reply = reply_to_command("labour holds 2024", no_seat_lookup)
    assert reply.public and not reply.options
    assert not [block for block in reply.blocks if block["type"] == "actions"]  # no button for the channel
    followup = reply.followup
    assert followup is not None and not followup.public
    ((button,),) = [block["elements"] for block in followup.blocks if block["type"] == "actions"]
    assert button["text"]["text"] == f"Show all {len(holds)}"
    pressed = reply_to_command(button["value"], no_seat_lookup)
    assert not pressed.public and set(listed(pressed)) == holds


def test_all_before_anything_but_a_list_reads_as_without_it(loaded_sqlite) -> None:
    service = loaded_sqlite.results
    assert reply_to_command(f"{ALL_WORD} hartlepool 2019", service) == reply_to_command("hartlepool 2019", service)
    assert reply_to_command(ALL_WORD, service) == reply_to_command("", service)  # help


def test_a_mentions_list_carries_its_button_in_the_thread(no_seat_lookup) -> None:
    reply = reply_to_question("<@UBOT> snp losses please", no_seat_lookup)
    (actions,) = [block for block in reply.blocks if block["type"] == "actions"]
    assert actions["elements"][0]["value"] == f"{ALL_WORD} snp losses please"
    assert len(reply.blocks) <= 50


def test_a_short_list_is_not_cut(no_seat_lookup) -> None:
    expected = labelled(lambda label: label == "green gain from con")
    reply = reply_to_question("green gains from the conservatives", no_seat_lookup)
    assert set(listed(reply)) == expected and not reply.options and "Showing" not in reply.plain


def test_a_list_in_a_nation(no_seat_lookup) -> None:
    expected = {
        row["ONS ID"]
        for row in published.constituencies(*GE_2024)
        if row["Country name"] == "Scotland" and row["Result"].casefold() == "lab gain from snp"
    }
    reply = reply_to_question("labour gains from the snp in scotland", no_seat_lookup)
    assert first_line(reply) == f"Lab gains from SNP at the 2024 general election · Scotland: {len(expected)}"
    assert set(listed(reply_to_command(f"{ALL_WORD} labour gains from the snp in scotland", no_seat_lookup))) == (
        expected
    )


# --- by-elections -------------------------------------------------------------------------------------


def by_elections(parliament: int, year: int | None = None) -> list[tuple[dt.date, str]]:
    """(date, ONS ID) of the published by-elections of a Parliament, optionally of one year, oldest first."""
    held = [
        (published.election_of(parliament, "by-elections", row)[1], row["ONS ID"])
        for row in published.constituencies(parliament, "by-elections")
    ]
    return sorted(item for item in held if year is None or item[0].year == year)


def dated(reply) -> list[tuple[dt.date, str]]:
    return [(dt.date.fromisoformat(seat["election"]["date"]), seat["ons_id"]) for seat in reply.data["seats"]]


@pytest.mark.parametrize("text", ["by-elections in 2021", "2021 by-elections", "which by-elections were held in 2021"])
def test_by_elections_of_a_year(no_seat_lookup, text) -> None:
    expected = by_elections(58, 2021)
    assert len(expected) == 6
    reply = reply_to_question(text, no_seat_lookup)
    assert first_line(reply) == f"2021 by-elections: {len(expected)}"
    assert sorted(dated(reply)) == expected and not reply.options


@pytest.mark.parametrize(
    "text",
    ["by-elections 2019-2024 parliament", "by-elections in the 2019 parliament", "by-elections of the 2019 parliament"],
)
def test_by_elections_of_a_parliament(no_seat_lookup, text) -> None:
    expected = by_elections(58)
    start, end = published.GENERAL_ELECTION_DATES[58], published.GENERAL_ELECTION_DATES[59]
    assert len(expected) > LIST_LENGTH and all(start < date < end for date, _ in expected)
    reply = reply_to_question(text, no_seat_lookup)
    assert first_line(reply) == (
        f"By-elections of the Parliament elected on {start.day} {start:%B %Y} (until {end.day} {end:%B %Y}): "
        f"{len(expected)}"
    )
    assert f"Showing {LIST_LENGTH} of {len(expected)}." in reply.plain
    whole = reply_to_command(reply.options[0][1], no_seat_lookup)
    assert sorted(dated(whole)) == expected


def test_by_elections_of_this_parliament(no_seat_lookup) -> None:
    expected = by_elections(59)
    reply = reply_to_question("by-elections this parliament", no_seat_lookup)
    assert sorted(dated(reply)) == expected
    assert first_line(reply).endswith(f": {len(expected)}")


def test_by_elections_since_a_general_election_run_to_the_latest(no_seat_lookup) -> None:
    expected = by_elections(58) + by_elections(59)
    start = published.GENERAL_ELECTION_DATES[58]
    reply = reply_to_command(f"{ALL_WORD} by-elections since 2019", no_seat_lookup)
    assert first_line(reply) == f"By-elections since the general election of {start.day} {start:%B %Y}: {len(expected)}"
    assert sorted(dated(reply)) == expected


def test_no_such_by_elections(no_seat_lookup) -> None:
    assert "No by-elections in 1990" in reply_to_question("by-elections in 1990", no_seat_lookup).plain


# --- closest results say what ranks them ---------------------------------------------------------------------


def test_closest_results_say_they_rank_by_majority_share(no_seat_lookup) -> None:
    rows = published.constituencies(*GE_2024)

    def majority_share(row):
        return row.number_in("Majority") / row.number_in("Valid votes")

    closest = min(rows, key=majority_share)
    reply = reply_to_question("closest results", no_seat_lookup)
    assert first_line(reply) == "Closest results of the 2024 general election, by majority as a share of the vote"
    assert "Ranked by majority as a share of valid votes" in reply.plain
    assert reply.data["ranked_by"] == "majority" and reply.data["seats"][0]["ons_id"] == closest["ONS ID"]


# --- kept answers ---------------------------------------------------------------------------------------------


def test_an_answer_is_kept_until_results_are_entered_and_never_from_before_an_entry(loaded_sqlite) -> None:
    service = ResultsService(loaded_sqlite.sessions)
    made = []

    def make():
        made.append(1)
        return object()

    first = service.kept("question", make)
    assert service.kept("question", make) is first and len(made) == 1
    service.refresh()  # what entering a result does (bot.desk), or another process's entry seen by its watermark
    assert service.kept("question", make) is not first and len(made) == 2

    def make_while_a_result_is_entered():
        service.forget_summaries()
        return object()

    during = service.kept("raced", make_while_a_result_is_entered)
    assert service.kept("raced", make) is not during  # made again: the first might predate the entry


def test_the_same_question_is_answered_from_memory_and_freshly_after_an_entry(loaded_sqlite) -> None:
    service = ResultsService(loaded_sqlite.sessions)
    first = reply_to_question("snp losses", service)
    assert reply_to_question("snp losses", service) is first
    service.refresh()
    again = reply_to_question("snp losses", service)
    assert again is not first and again.plain == first.plain
