"""Channel follows end to end, over real HTTP against the fake Slack: channels follow through signed
`/result follow` commands as Slack sends them, results arrive through POST /ingest, and the dispatcher
posts each result once in each channel whose follows match it. On SQLite and on PostgreSQL.

The store holds the Library's 2017 results of four seats (the baseline on the same boundaries); the
results entered are their 2019 results, a gain and a hold in Scotland and in England, and what each
channel should get is read from the Library's 2019 files (tests.integration.published).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from tests import pa_fixtures
from tests.e2e.conftest import Newsroom, newsroom_running
from tests.fakeslack import FakeSlack
from tests.integration import published
from tests.results import FAST, posted_results

EAST_DUNBARTONSHIRE, ABERDEEN_NORTH, ASHFIELD, HARTLEPOOL = "S14000018", "S14000001", "E14000535", "E14000733"
SEATS = (EAST_DUNBARTONSHIRE, ABERDEEN_NORTH, ASHFIELD, HARTLEPOOL)
FOLLOWS = {"CPOLITICS": "all", "CDATA": "gains", "CSCOTLAND": "scotland"}


@pytest.fixture
def newsroom(store, slack: FakeSlack, tmp_path) -> Iterator[Newsroom]:
    # No RESULTSBOT_RESULTS_CHANNEL: every channel gets results by following them.
    with newsroom_running(store, slack, tmp_path / "library", SEATS, FAST) as newsroom:
        yield newsroom


def seats_posted(slack: FakeSlack, channel: str) -> Counter[str]:
    return Counter(m["metadata"]["event_payload"]["ons_id"] for m in posted_results(slack, channel))


def test_three_channels_following_all_gains_and_scotland_get_exactly_their_results_once(newsroom) -> None:
    for channel, what in FOLLOWS.items():
        said = newsroom.command(channel, f"follow {what}")
        # In the channel, for all to see: who made the channel follow what.
        assert said["response_type"] == "in_channel"
        assert said["text"].startswith("<@U0FOLLOW1> made this channel follow ")
    # Following gains as well as all: still one post of each result in the politics channel.
    assert newsroom.command("CPOLITICS", "follow gains")["response_type"] == "in_channel"

    expected: dict[str, Counter[str]] = {channel: Counter() for channel in FOLLOWS}
    for ons_id in SEATS:
        row = published.find_seat(58, "general-election", ons_id)
        entered = newsroom.ingest(pa_fixtures.library_entry(pa_fixtures.library_seat(58, ons_id)))
        assert entered["status"] == "new"
        expected["CPOLITICS"][ons_id] = 1
        if " gain from " in row["Result"]:
            expected["CDATA"][ons_id] = 1
        if row["Country name"] == "Scotland":
            expected["CSCOTLAND"][ons_id] = 1
        assert sorted(entered["queued_channels"]) == sorted(c for c, seats in expected.items() if ons_id in seats)
    # A gain and a hold in each nation: every channel has something, and something it must not get.
    assert all(0 < len(seats) < len(SEATS) for channel, seats in expected.items() if channel != "CPOLITICS")

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if all(seats_posted(newsroom.slack, channel) == seats for channel, seats in expected.items()):
            break
        time.sleep(0.1)
    for channel, seats in expected.items():
        assert seats_posted(newsroom.slack, channel) == seats, channel
    # Each post reads as the Library published the result.
    for message in posted_results(newsroom.slack, "CDATA"):
        row = published.find_seat(58, "general-election", message["metadata"]["event_payload"]["ons_id"])
        assert row["Result"].replace("gain", "GAIN") in json.dumps(message["blocks"], ensure_ascii=False)


def test_following_lists_the_channels_follows_only_to_the_asker_and_unfollow_says_who(newsroom) -> None:
    newsroom.command("CDESK", "follow hartlepool 2019", user="U0ALICE")
    newsroom.command("CDESK", "follow lib dems", user="U0BOB")
    listing = newsroom.command("CDESK", "following")
    assert listing["response_type"] == "ephemeral"
    shown = json.dumps(listing["blocks"], ensure_ascii=False)
    assert "Hartlepool (2019 only) (added by U0ALICE)" in shown and "LD results" in shown
    said = newsroom.command("CDESK", "unfollow hartlepool 2019", user="U0BOB")
    assert said["response_type"] == "in_channel"
    assert said["text"] == "<@U0BOB> made this channel stop following Hartlepool (2019 only)."
    again = newsroom.command("CDESK", "unfollow hartlepool 2019")
    assert again["response_type"] == "ephemeral" and "does not follow" in again["text"]


def test_an_unknown_or_hostile_target_is_refused_privately_and_changes_nothing(newsroom) -> None:
    for text in ("follow Nowhereshire Central", "follow <!channel> <@U0EVE>", "follow", "unfollow zzzz"):
        said = newsroom.command("CDESK", text)
        assert said["response_type"] == "ephemeral", text
        assert "/result follow gains" in said["text"] or "Follow what" in said["text"], text
    listing = newsroom.command("CDESK", "following")
    assert "follows nothing yet" in listing["text"]
    in_a_direct_message = newsroom.command("D0DIRECT", "follow gains")
    assert in_a_direct_message["response_type"] == "ephemeral"
    assert "type this in the channel" in in_a_direct_message["text"]
    # The `slack` fixture then checks that no ping or link reached Slack unescaped.
