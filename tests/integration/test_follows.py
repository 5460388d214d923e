"""Channel follows in the store, on each database backend: read with the seat lookup, stored, kept across
a restart, and deciding which channels an entered result is queued for (once each).

The store starts with the Library's 2017 results of a few seats; the night's results entered are the
same seats' 2019 results, and what each channel should get is read from the Library's 2019 files by
tests.integration.published (the Result column: gain or hold; the Country column: Scotland or not).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from store import db
from store.answers import ResultsService
from store.channel_follows import ChannelFollows, UnknownTarget
from store.contest_input import parse_entry
from store.enter_result import enter_result
from store.follows import ALL, GAINS, NATION, PARTY, REGION, SEAT, Follow
from store.importers.hoc import import_hoc
from store.models import ChannelFollow, OutboxEntry
from tests import pa_fixtures
from tests.integration import published
from tests.results import load_library_seats

EAST_DUNBARTONSHIRE, ABERDEEN_NORTH, ABERDEEN_SOUTH = "S14000018", "S14000001", "S14000002"
ASHFIELD, HARTLEPOOL = "E14000535", "E14000733"
SEATS = (EAST_DUNBARTONSHIRE, ABERDEEN_NORTH, ABERDEEN_SOUTH, ASHFIELD, HARTLEPOOL)


@pytest.fixture
def baseline(store, tmp_path):
    load_library_seats(store.sessions, tmp_path / "library", SEATS)
    return store


@pytest.fixture
def follows(baseline) -> ChannelFollows:
    return ChannelFollows(baseline.sessions, baseline.results, ("CSETTING",))


def library_2019(ons_id: str) -> published.Row:
    return published.find_seat(58, "general-election", ons_id)


def enter_2019(store, ons_id: str, channels: tuple[str, ...] | None = ("CSETTING",), **votes: int):
    seat = pa_fixtures.library_seat(58, ons_id)
    data = pa_fixtures.library_entry(seat)
    if votes:  # a correction: these parties' votes instead
        candidates = data["candidates"]
        assert isinstance(candidates, list)
        data["candidates"] = [{**c, "votes": votes.get(c["party"], c["votes"])} for c in candidates]
        data["valid_votes"] = sum(c["votes"] for c in data["candidates"])
    return enter_result(store.sessions, parse_entry(data, entered_by="test"), channels=channels)


def test_a_follow_is_read_as_a_seat_a_place_a_party_or_gains(follows) -> None:
    assert follows.understand("C1", "hartlepool") == Follow("C1", SEAT, "Hartlepool")
    assert follows.understand("C1", "East Dunbartonshire 2019") == Follow("C1", SEAT, "East Dunbartonshire", 2019)
    assert follows.understand("C1", "scotland") == Follow("C1", NATION, "Scotland")
    region = library_2019(HARTLEPOOL)["Region name"]
    assert follows.understand("C1", region.lower()) == Follow("C1", REGION, region)
    assert follows.understand("C1", "the lib dems") == Follow("C1", PARTY, "LD")
    assert follows.understand("C1", "gains 2024 general election") == Follow("C1", GAINS, "", 2024, "general")
    assert follows.understand("C1", "by-elections") == Follow("C1", ALL, "", None, "by-election")
    assert follows.understand("C1", "all") == Follow("C1", ALL)


def test_a_follow_that_fits_several_seats_or_none_is_refused_with_the_seats_it_may_mean(follows) -> None:
    with pytest.raises(UnknownTarget) as ambiguous:
        follows.understand("C1", "aberdeen")
    assert set(ambiguous.value.options) == {
        library_2019(ABERDEEN_NORTH)["Constituency name"],
        library_2019(ABERDEEN_SOUTH)["Constituency name"],
    }
    with pytest.raises(UnknownTarget, match="No seat matches") as unknown:
        follows.understand("C1", "Nowhereshire Central")
    assert "`/result follow gains`" in unknown.value.message  # says what can be followed
    for nothing in ("", "   "):
        with pytest.raises(UnknownTarget, match="Follow what"):
            follows.understand("C1", nothing)


def test_follows_are_stored_once_and_survive_a_restart(follows, baseline, engine) -> None:
    gains = follows.understand("CDATA", "gains")
    assert follows.follow(gains, "U1")
    assert not follows.follow(follows.understand("CDATA", "GAINS"), "U2")  # already followed: nothing changes
    assert follows.follow(follows.understand("CDATA", "scotland 2019"), "U2")
    # The setting's channel follows all already; a row would say nothing more.
    assert not follows.follow(follows.understand("CSETTING", "all"), "U3")

    sessions = db.session_factory(engine)
    restarted = ChannelFollows(sessions, ResultsService(sessions), ("CSETTING",))
    assert restarted.following("CDATA") == [
        (Follow("CDATA", GAINS), "U1"),
        (Follow("CDATA", NATION, "Scotland", 2019), "U2"),
    ]
    assert restarted.following("CSETTING") == []
    assert restarted.unfollow(Follow("CDATA", GAINS))
    assert not restarted.unfollow(Follow("CDATA", GAINS))
    assert follows.following("CDATA") == [(Follow("CDATA", NATION, "Scotland", 2019), "U2")]
    with sessions() as session:
        assert len(session.scalars(select(ChannelFollow)).all()) == 1


def test_each_result_is_queued_once_in_each_channel_whose_follows_match(follows, baseline) -> None:
    for channel, text in [
        ("CALL", "all"),
        ("CALL", "gains"),  # and all: still one post
        ("CGAINS", "gains"),
        ("CSCOT", "scotland"),
        ("CLD", "lib dems"),
        ("C2024", "all 2024"),
    ]:
        assert follows.follow(follows.understand(channel, text), "U1")
    for ons_id in (EAST_DUNBARTONSHIRE, ABERDEEN_NORTH, ASHFIELD, HARTLEPOOL):
        row = library_2019(ons_id)
        gain = " gain from " in row["Result"]
        expected = ["CSETTING", "CALL"]
        expected += ["CGAINS"] if gain else []
        expected += ["CSCOT"] if row["Country name"] == "Scotland" else []
        expected += ["CLD"] if "LD" in row["Result"].split() else []
        entered = enter_2019(baseline, ons_id)
        assert entered.status == "new"
        assert list(entered.queued_channels) == expected, row["Result"]
        with baseline.sessions() as session:
            queued = session.scalars(select(OutboxEntry.channel).where(OutboxEntry.contest_id == entered.contest_id))
            assert sorted(queued) == sorted(expected)


def test_a_correction_reaches_every_channel_the_result_was_posted_in(follows, baseline) -> None:
    assert follows.follow(follows.understand("CGAINS", "gains"), "U1")
    first = enter_2019(baseline, ASHFIELD, channels=())
    assert library_2019(ASHFIELD)["Result"].startswith("Con gain from Lab")
    assert first.queued_channels == ("CGAINS",)
    # Corrected so that Labour holds the seat: no longer a gain, but the gain was published in CGAINS.
    winner = pa_fixtures.library_seat(58, ASHFIELD)
    con_votes = next(votes for _, _, party, _, votes, _ in winner.candidates if party == "Con")
    corrected = enter_2019(baseline, ASHFIELD, channels=(), Lab=con_votes + 1, Con=con_votes)
    assert corrected.status == "corrected"
    assert corrected.queued_channels == ("CGAINS",)
    # A result entered without posting (`--no-post`) reaches no follower.
    quiet = enter_2019(baseline, HARTLEPOOL, channels=None)
    assert quiet.status == "new" and quiet.queued_channels == ()


def test_a_library_import_posts_to_the_channels_following_its_results(follows, baseline, tmp_path) -> None:
    assert follows.follow(follows.understand("CSCOT", "scotland"), "U1")
    with db.transaction(baseline.sessions) as session:
        report = import_hoc(session, published.library_subset(tmp_path / "2019", 58, SEATS), post_to=())
    scottish = [ons_id for ons_id in SEATS if library_2019(ons_id)["Country name"] == "Scotland"]
    assert report.queued == len(scottish) and report.queued_channels == ["CSCOT"]
    with db.transaction(baseline.sessions) as session:
        again = import_hoc(session, published.library_subset(tmp_path / "again", 58, SEATS), post_to=None)
    assert again.queued == 0
