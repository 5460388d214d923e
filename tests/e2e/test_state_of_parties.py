"""PA's state of parties under `/result scoreboard`, over signed HTTP against the fake Slack: an editor gets
PA's seats against our tally in a message only they see, under the scoreboard posted for the channel; a
reporter gets the scoreboard alone.

The store holds the Library's 2017 results of two seats and their 2019 results from PA files written by
tests.pa_fixtures; our tally's figures are read from the Library's 2019 files.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from store.importers.pa import import_pa
from tests import pa_fixtures
from tests.e2e.conftest import RunningBot
from tests.fakeslack import Call
from tests.integration import published
from tests.results import load_library_seats
from tests.slack_signing import slash_command_body

HARTLEPOOL, ASHFIELD = "E14000733", "E14000535"
EDITOR, REPORTER = "UEDITOR", "UREPORTER"


@pytest.fixture
def bot(store, tmp_path, start_bot_on: Callable[..., RunningBot]) -> RunningBot:
    """The bot over a store on each backend holding 2019's results of two seats, taken from PA files."""
    seats = (HARTLEPOOL, ASHFIELD)
    load_library_seats(store.sessions, tmp_path / "library", seats)
    import_pa(store.sessions, [pa_fixtures.result_file(tmp_path, pa_fixtures.library_seat(58, s)) for s in seats])
    return start_bot_on(store, editors=(EDITOR,))


def our_seats() -> dict[str, int]:
    winners = [published.find_seat(58, "general-election", s)["First party"] for s in (HARTLEPOOL, ASHFIELD)]
    return {party: winners.count(party) for party in winners}


def scoreboard(bot: RunningBot, user: str, name: str, replies: int) -> list[Call]:
    """`/result scoreboard` from `user`: the `replies` messages sent to its response URL."""
    body = slash_command_body(text="scoreboard", user_id=user, response_url=bot.slack.response_url(name))
    status, _, _ = bot.send(body)
    assert status == 200
    bot.slack.wait_for("response_url", count=replies, where=lambda call: call.path.endswith(f"/response/{name}"))
    return [call for call in bot.slack.calls_to("response_url") if call.path.endswith(f"/response/{name}")]


def shown(call: Call) -> str:
    return json.dumps(call.params["blocks"], ensure_ascii=False)


def test_an_editor_sees_pas_state_of_parties_against_our_tally_and_a_reporter_does_not(
    bot: RunningBot, store, tmp_path
) -> None:
    ours = our_seats()
    import_pa(store.sessions, [pa_fixtures.state_of_parties_file(tmp_path, {"C": 2, "Lab": 1})])

    (reporters,) = scoreboard(bot, REPORTER, "reporter", 1)
    assert reporters.params["response_type"] == "in_channel"
    assert "state of parties" not in shown(reporters)

    board, line = scoreboard(bot, EDITOR, "editor", 2)
    assert board.params["response_type"] == "in_channel"
    assert (board.params["text"], board.params["blocks"]) == (reporters.params["text"], reporters.params["blocks"])
    assert line.params["response_type"] == "ephemeral"
    assert f"Con 2 (ours {ours['Con']})" in shown(line)
    assert shown(line) == json.dumps(
        [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "PA's state of parties (rev 3, 13 Dec 03:14, 3 results) differs: 3 results "
                    f"(ours {sum(ours.values())} declared), Con 2 (ours {ours['Con']})",
                },
            }
        ],
        ensure_ascii=False,
    )
    # The reporter's answer had no follow-up: it would have come at once, before the editor's asking.
    assert len([c for c in bot.slack.calls_to("response_url") if c.path.endswith("/response/reporter")]) == 1

    newer = pa_fixtures.state_of_parties_file(tmp_path, {"C": ours["Con"], "Lab": ours["Lab"]}, revision=4)
    import_pa(store.sessions, [newer])
    _, line = scoreboard(bot, EDITOR, "again", 2)
    assert "PA's state of parties (rev 4, 13 Dec 03:14, 2 results) agrees with our tally" in shown(line)
