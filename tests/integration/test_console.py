"""The offline console, as a reporter uses it without Slack: pick a seat by number, told how to enter."""

from __future__ import annotations

import io

from bot.console import ENTER_OFFLINE, Console, show


def shown(reply) -> str:
    out = io.StringIO()
    show(reply, out)
    return out.getvalue()


def test_seats_offered_are_numbered_and_a_number_picks_one(loaded_sqlite) -> None:
    console = Console(loaded_sqlite.results)
    offered = shown(console.reply_to("/result stoke"))
    labels = [label for label, _ in console.offered]
    assert len(labels) == 3 and "•" not in offered
    assert [f"  {n}. {label}" in offered for n, label in enumerate(labels, start=1)] == [True] * 3
    picked = shown(console.reply_to("2"))
    assert picked.startswith(f"{labels[1]} · ") and "Candidate" in picked
    assert console.offered == ()  # a result offers nothing more to pick


def test_a_number_out_of_range_says_which_numbers_there_are(loaded_sqlite) -> None:
    console = Console(loaded_sqlite.results)
    console.reply_to("/result stoke")
    assert "Pick a number from 1 to 3." in shown(console.reply_to("7"))


def test_a_number_with_nothing_offered_is_read_as_a_query(loaded_sqlite) -> None:
    assert "Pick a number" not in shown(Console(loaded_sqlite.results).reply_to("2"))


def test_the_entry_form_says_how_to_enter_offline(loaded_sqlite) -> None:
    said = shown(Console(loaded_sqlite.results).reply_to("/result enter copeland"))
    assert "resultsbot enter" in said and said.startswith("(only you can see this)")
    assert ENTER_OFFLINE.split(":")[0] in said


def test_follows_say_they_need_a_slack_channel(loaded_sqlite) -> None:
    console = Console(loaded_sqlite.results)
    for line in ("/result follow gains", "/result unfollow scotland", "/result following"):
        said = shown(console.reply_to(line))
        assert said.startswith("(only you can see this)") and "The console has no channel." in said, line
    # Nothing was taken for a seat: "follow" is not looked up.
    assert "No seat matches" not in shown(console.reply_to("/result follow hartlepool"))


def test_a_cut_list_offers_show_all_by_number(loaded_sqlite) -> None:
    console = Console(loaded_sqlite.results)
    for asked in ("/result snp losses", "@resultsbot snp losses"):
        listed = shown(console.reply_to(asked))
        total = int(listed.split("\n")[0].rsplit(": ", 1)[1])
        assert f"Showing 15 of {total}." in listed and f"  1. Show all {total}" in listed
        whole = shown(console.reply_to("1"))
        assert whole.startswith("(only you can see this)\n") and f"\n{total}. " in whole and "Showing" not in whole
