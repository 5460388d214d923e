"""`/result enter SEAT`: the desk editor's modal, driven over HTTP exactly as Slack drives it.

Each test gets its own copy of the bundled store (entries here write to it), copied from one loaded
per module, since loading the Library's files takes seconds and copying a SQLite file does not.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.bootstrap import BUNDLED_DATA, Store, load_bundled
from handlers.entry_form import EntryForm, KnownCandidate, modal_view
from store import db
from store.answers import ResultsService
from store.models import Constituency, Contest, Election, OutboxEntry
from tests.e2e.conftest import RunningBot
from tests.fakeslack import Call, FakeSlack
from tests.slack_signing import slash_command_body, view_submission_body

EDITOR = "UEDITOR"
OUTSIDER = "UOUTSIDER"
COPELAND = "E14000647"
FUTURE_BY_ELECTION = "2026-12-10"


# ---------------------------------------------------------------------------------------------------------
# Fixtures: a fresh store per test, and the bot over HTTP on it


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("entry-modal") / "bundled.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    load_bundled(db.session_factory(engine), BUNDLED_DATA)
    engine.dispose()
    return path


@pytest.fixture
def store(bundled_db: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "results.db"
    # The backup API copies a consistent database whatever is left in the WAL file.
    with sqlite3.connect(bundled_db) as source, sqlite3.connect(path) as target:
        source.backup(target)
    engine = db.make_engine(f"sqlite:///{path}")
    sessions = db.session_factory(engine)
    yield Store(engine, sessions, ResultsService(sessions))
    engine.dispose()


@dataclass
class DeskBot:
    bot: RunningBot
    store: Store

    @property
    def slack(self) -> FakeSlack:
        return self.bot.slack

    def command(self, text: str, user_id: str = EDITOR, *, name: str = "cmd", trigger_id: str | None = None) -> int:
        body = slash_command_body(
            text=text,
            user_id=user_id,
            channel_id="C123",
            response_url=self.slack.response_url(name),
            trigger_id=trigger_id,
        )
        status, _, _ = self.bot.send(body)
        return status

    def open_modal(self, seat: str = "copeland", user_id: str = EDITOR) -> dict[str, Any]:
        assert self.command(f"enter {seat}", user_id) == 200
        (call,) = self.slack.wait_for("views.open")
        return call.params["view"]

    def submit(
        self, view: dict[str, Any], values: dict[str, Any], user_id: str = EDITOR
    ) -> tuple[int, dict[str, Any] | None]:
        body = view_submission_body("result_entry", values, private_metadata=view["private_metadata"], user_id=user_id)
        status, _, data = self.bot.send(body)
        return status, (json.loads(data) if data.strip() else None)

    def contests(self) -> int:
        with self.store.sessions() as session:
            return session.scalar(select(func.count()).select_from(Contest)) or 0

    def entered(self, date: str = FUTURE_BY_ELECTION, ons_id: str = COPELAND) -> list[Contest]:
        """Every version stored for the seat's contest on `date`, oldest first, candidates loaded."""
        with self.store.sessions() as session:
            contests = session.scalars(
                select(Contest)
                .join(Contest.election)
                .join(Contest.constituency)
                .where(Election.date == dt.date.fromisoformat(date), Constituency.ons_id == ons_id)
                .order_by(Contest.version)
            ).all()
            for contest in contests:
                _ = [(c.party.abbreviation, c.votes) for c in contest.candidacies]
            return list(contests)


@pytest.fixture
def start_desk(store: Store, start_bot_on: Callable[..., RunningBot]) -> Callable[..., DeskBot]:
    def start(**overrides: Any) -> DeskBot:
        overrides.setdefault("editors", (EDITOR,))
        overrides.setdefault("results_channels", ("CRESULTS",))
        return DeskBot(start_bot_on(store, **overrides), store)

    return start


@pytest.fixture
def desk(start_desk: Callable[..., DeskBot]) -> DeskBot:
    return start_desk()


def unique_group() -> str:
    # Group members are cached for a minute per group, so each test's group must be its own.
    return f"S{uuid.uuid4().hex[:10].upper()}"


# ---------------------------------------------------------------------------------------------------------
# What the modal submits, shaped as Slack nests view state


def number(value: int | str | None) -> dict[str, Any]:
    return {"type": "number_input", "value": None if value is None else str(value)}


def radio(value: str) -> dict[str, Any]:
    return {"type": "radio_buttons", "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value}}


def state(
    *,
    electorate: int | str | None = 60_000,
    valid: int | str | None = 30_000,
    rejected: int | str | None = 100,
    others: str | None = "Jane Smith, Lab, 16000\nJohn Brown, Con, 14000",
    candidates: dict[int, int | str | None] | None = None,
    date: str = FUTURE_BY_ELECTION,
    kind: str = "by-election",
    status: str = "declared",
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "election_date": {"value": {"type": "datepicker", "selected_date": date}},
        "election_kind": {"value": radio(kind)},
        "status": {"value": radio(status)},
        "electorate": {"value": number(electorate)},
        "valid_votes": {"value": number(valid)},
        "rejected": {"value": number(rejected)},
        "others": {"value": {"type": "plain_text_input", "value": others}},
    }
    for index, votes in (candidates or {}).items():
        values[f"cand:{index}"] = {"value": number(votes)}
    return values


def ephemeral_replies(slack: FakeSlack, name: str = "cmd") -> list[Call]:
    return [c for c in slack.calls_to("response_url") if c.path.endswith(f"/response/{name}")]


def block_ids(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if "block_id" in b}


# ---------------------------------------------------------------------------------------------------------
# Who may open the modal


def test_a_non_editor_gets_a_polite_private_refusal_and_no_modal(
    desk: DeskBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.listeners.entry_modal")
    assert desk.command("enter copeland", OUTSIDER) == 200
    (reply,) = desk.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["text"].startswith("Sorry, only the results desk can enter results.")
    assert "RESULTSBOT_EDITORS" in reply.params["text"]
    assert desk.slack.calls_to("views.open") == []
    (logged,) = [
        r for r in caplog.records if r.name == "handlers.listeners.entry_modal" and r.levelno == logging.WARNING
    ]
    assert OUTSIDER in logged.getMessage() and "C123" in logged.getMessage() and "copeland" in logged.getMessage()


def test_an_editor_gets_the_modal_for_the_seat(desk: DeskBot) -> None:
    assert desk.command("Enter copeland", trigger_id="trig.editor") == 200
    (call,) = desk.slack.wait_for("views.open")
    assert call.params["trigger_id"] == "trig.editor"
    view = call.params["view"]
    assert view["type"] == "modal" and view["callback_id"] == "result_entry"
    assert view["title"]["text"] == "Enter result" and len(view["title"]["text"]) <= 24
    assert len(view["blocks"]) <= 100
    assert "Copeland" in json.dumps(view["blocks"][0])
    blocks = block_ids(view)
    for block_id in ("election_date", "election_kind", "status", "electorate", "valid_votes", "rejected", "others"):
        assert blocks[block_id]["type"] == "input"
    for block_id in ("electorate", "valid_votes", "rejected"):
        element = blocks[block_id]["element"]
        assert element["type"] == "number_input" and element["is_decimal_allowed"] is False
    assert blocks["rejected"]["optional"] is True
    assert blocks["status"]["element"]["initial_option"]["value"] == "declared"
    # What a desk declares: the full result, provisional or declared, a rush (the flash) or a recount.
    assert {o["value"] for o in blocks["status"]["element"]["options"]} == {
        "provisional",
        "declared",
        "rush",
        "recount",
    }
    assert blocks["winner_party"]["optional"] is True and blocks["gained_from"]["optional"] is True
    assert blocks["election_kind"]["element"]["initial_option"]["value"] == "by-election"
    today = dt.datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    assert blocks["election_date"]["element"]["initial_date"] == today
    assert blocks["others"]["element"]["multiline"] is True
    # Copeland's latest result is 2019's: long past, so no candidate is offered.
    assert not [b for b in blocks if b.startswith("cand:")]
    metadata = json.loads(view["private_metadata"])
    assert metadata["ons_id"] == COPELAND and metadata["seat"] == "Copeland"
    assert metadata["channel_id"] == "C123" and metadata["response_url"] == desk.slack.response_url("cmd")
    assert len(view["private_metadata"]) <= 3000
    assert ephemeral_replies(desk.slack) == []


def test_a_member_of_the_editor_group_is_allowed_and_others_are_not(start_desk: Callable[..., DeskBot]) -> None:
    group = unique_group()
    desk = start_desk(editors=(), editor_group=group)
    desk.slack.add_usergroup(group, ["UGROUPED", "UOTHER"])
    assert desk.command("enter copeland", "UGROUPED") == 200
    (call,) = desk.slack.wait_for("views.open")
    (lookup,) = desk.slack.calls_to("usergroups.users.list")
    assert lookup.params["usergroup"] == group
    assert json.loads(call.params["view"]["private_metadata"])["ons_id"] == COPELAND
    assert desk.command("enter copeland", OUTSIDER, name="outsider") == 200
    (reply,) = desk.slack.wait_for("response_url")
    assert "only the results desk" in reply.params["text"]
    assert len(desk.slack.calls_to("views.open")) == 1
    # The second check came from the cache: one API call for the minute.
    assert len(desk.slack.calls_to("usergroups.users.list")) == 1


def test_when_the_group_cannot_be_read_the_editor_is_refused_and_it_is_logged(
    start_desk: Callable[..., DeskBot], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.listeners.entry_modal")
    group = unique_group()
    desk = start_desk(editors=(), editor_group=group)
    desk.slack.add_usergroup(group, ["UGROUPED"])
    desk.slack.fail_next("usergroups.users.list", error="missing_scope")
    desk.command("enter copeland", "UGROUPED")
    (reply,) = desk.slack.wait_for("response_url")
    assert "only the results desk" in reply.params["text"] and "try again" in reply.params["text"]
    assert desk.slack.calls_to("views.open") == []
    assert any("missing_scope" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("seat", "expected"), [("stoke", "fits 3 seats"), ("xqzzyv", "No seat matches")])
def test_a_seat_that_is_not_one_seat_gets_a_private_reply_and_no_modal(desk: DeskBot, seat: str, expected: str) -> None:
    desk.command(f"enter {seat}")
    (reply,) = desk.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert expected in reply.params["text"]
    assert desk.slack.calls_to("views.open") == []


def test_plain_result_queries_still_work(desk: DeskBot) -> None:
    desk.command("copeland 2017 by-election")
    (reply,) = desk.slack.wait_for("response_url")
    assert reply.params["response_type"] == "in_channel" and "Trudy Harrison" in json.dumps(reply.params["blocks"])
    assert desk.slack.calls_to("views.open") == []


# ---------------------------------------------------------------------------------------------------------
# Submitting: errors on the fields, and nothing stored


def test_votes_that_do_not_add_up_are_shown_on_valid_votes_and_nothing_is_stored(desk: DeskBot) -> None:
    view = desk.open_modal()
    before = desk.contests()
    status, body = desk.submit(view, state(valid=31_000))
    assert status == 200
    assert body is not None and body["response_action"] == "errors"
    assert list(body["errors"]) == ["valid_votes"]
    assert "30,000" in body["errors"]["valid_votes"] and "31,000" in body["errors"]["valid_votes"]
    assert desk.contests() == before
    assert desk.entered() == []
    assert ephemeral_replies(desk.slack) == []


def test_more_ballots_than_electors_is_shown_on_electorate(desk: DeskBot) -> None:
    view = desk.open_modal()
    before = desk.contests()
    status, body = desk.submit(view, state(electorate=30_050, rejected=100))
    assert status == 200 and body is not None
    assert body == {"response_action": "errors", "errors": {"electorate": body["errors"]["electorate"]}}
    assert "30,100" in body["errors"]["electorate"] and "30,050" in body["errors"]["electorate"]
    assert desk.contests() == before


def test_a_malformed_line_among_other_candidates_is_shown_on_that_box(desk: DeskBot) -> None:
    view = desk.open_modal()
    before = desk.contests()
    status, body = desk.submit(view, state(others="Jane Smith, Lab, 16000\nJohn Brown 14000"))
    assert status == 200 and body is not None and body["response_action"] == "errors"
    assert list(body["errors"]) == ["others"]
    assert "Line 2" in body["errors"]["others"] and "Name, Party, Votes" in body["errors"]["others"]
    assert desk.contests() == before


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        ("Jane Smith, Lab, 16000\nJane Smith, Lab, 14000", "listed 2 times"),
        ("Jane Smith, Lab, 16000\nJohn Brown, Con, -5", "Line 2"),
        ("", "Add the candidates"),
    ],
)
def test_other_candidate_problems_are_shown_on_that_box(desk: DeskBot, others: str, expected: str) -> None:
    view = desk.open_modal()
    before = desk.contests()
    _, body = desk.submit(view, state(others=others))
    assert body is not None and list(body["errors"]) == ["others"]
    assert expected in body["errors"]["others"]
    assert desk.contests() == before


def test_bad_numbers_are_shown_on_their_own_fields(desk: DeskBot) -> None:
    view = desk.open_modal()
    _, body = desk.submit(view, state(electorate="-1", valid="12.5", rejected="-3"))
    assert body is not None and body["response_action"] == "errors"
    assert set(body["errors"]) == {"electorate", "valid_votes", "rejected"}
    assert "negative" in body["errors"]["electorate"] and "12.5" in body["errors"]["valid_votes"]


@pytest.mark.parametrize(
    ("box", "typed", "expected"),
    [
        ("electorate", "²", "Electorate must be a whole number written in digits"),
        ("valid_votes", "1" * 31, "Valid votes must be below 10,000,000"),
        ("electorate", "4294967296", "Electorate must be below 10,000,000"),
        ("rejected", "10000000", "Rejected ballots must be below 10,000,000"),
    ],
)
def test_a_count_no_seat_could_have_is_shown_on_its_field_not_a_crash(
    desk: DeskBot, box: str, typed: str, expected: str
) -> None:
    view = desk.open_modal()
    before = desk.contests()
    status, body = desk.submit(view, state(**{"valid" if box == "valid_votes" else box: typed}))
    assert status == 200 and body is not None and body["response_action"] == "errors"
    assert list(body["errors"]) == [box]
    assert body["errors"][box].startswith(expected)
    assert desk.contests() == before


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        ("Jane Smith, Lab, ²\nJohn Brown, Con, 14000", "Line 1: votes must be a whole number written in digits"),
        ("Jane Smith, Lab, 16000\nJohn Brown, Con, 99999999999", "Line 2: votes must be below 10,000,000"),
        ("Jane Smith, Lab, 16000\nJohn Brown, Con, 14000\njane smith, Labour, 0", "Jane Smith (Lab) is listed 2"),
    ],
)
def test_other_candidates_with_impossible_votes_or_twice_over_are_shown_on_that_box(
    desk: DeskBot, others: str, expected: str
) -> None:
    view = desk.open_modal()
    before = desk.contests()
    status, body = desk.submit(view, state(others=others))
    assert status == 200 and body is not None and list(body["errors"]) == ["others"]
    assert expected in body["errors"]["others"]
    assert desk.contests() == before


def test_a_non_editors_submission_is_refused_and_stores_nothing(desk: DeskBot) -> None:
    view = desk.open_modal()
    before = desk.contests()
    status, body = desk.submit(view, state(), user_id=OUTSIDER)
    assert status == 200 and body is not None and body["response_action"] == "errors"
    (message,) = body["errors"].values()
    assert "only the results desk" in message
    assert desk.contests() == before and desk.entered() == []


# ---------------------------------------------------------------------------------------------------------
# Submitting a good entry


def test_a_valid_entry_is_stored_and_the_editor_told_privately(desk: DeskBot) -> None:
    view = desk.open_modal()
    before = desk.contests()
    status, body = desk.submit(view, state())
    assert status == 200 and body is None  # an empty ack closes the modal
    (reply,) = desk.slack.wait_for("response_url")
    assert reply.path.endswith("/response/cmd")
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["text"].startswith("Copeland, 10 December 2026 by-election: stored.")
    assert "Posting to CRESULTS." in reply.params["text"]
    assert desk.contests() == before + 1
    (contest,) = desk.entered()
    # Credited to the editor by their Slack name, which the source line under the post shows.
    assert contest.entered_by == f"slack:{EDITOR}" and contest.source == f"results desk (user-{EDITOR.lower()}, Slack)"
    assert (contest.electorate, contest.valid_votes, contest.invalid_votes, contest.status) == (
        60_000,
        30_000,
        100,
        "declared",
    )
    assert sorted((c.candidate_name, c.party.abbreviation, c.votes) for c in contest.candidacies) == [
        ("Jane Smith", "Lab", 16_000),
        ("John Brown", "Con", 14_000),
    ]
    with desk.store.sessions() as session:
        queued = session.scalars(select(OutboxEntry.channel).where(OutboxEntry.contest_id == contest.id)).all()
    assert queued == ["CRESULTS"]
    # What was stored is what reporters now get.
    assert desk.store.results.ask("copeland").summary.election_date == dt.date(2026, 12, 10)


def test_a_provisional_result_is_offered_for_correction_with_its_candidates(desk: DeskBot) -> None:
    view = desk.open_modal()
    desk.submit(view, state(status="provisional", others="Jane Smith, Lab, 16000\nJohn Brown, Con, 14000"))
    desk.slack.wait_for("response_url")
    desk.slack.reset()

    view = desk.open_modal("copeland", EDITOR)
    blocks = block_ids(view)
    boxes = {b["label"]["text"]: b for k, b in blocks.items() if k.startswith("cand:")}
    assert set(boxes) == {"Jane Smith (Lab)", "John Brown (Con)"}
    # A box may be left empty in the form (a rush has no votes); for a full result the store asks for it.
    assert all(b.get("optional") for b in boxes.values())
    assert boxes["Jane Smith (Lab)"]["element"]["initial_value"] == "16000"
    assert blocks["election_date"]["element"]["initial_date"] == FUTURE_BY_ELECTION
    assert blocks["valid_votes"]["element"]["initial_value"] == "30000"
    index = {b["label"]["text"]: k for k, b in blocks.items() if k.startswith("cand:")}
    jane, john = index["Jane Smith (Lab)"], index["John Brown (Con)"]

    _, body = desk.submit(view, state(others=None, candidates={int(jane[5:]): 16_000, int(john[5:]): None}))
    assert body is not None and list(body["errors"]) == [john] and "Votes is required" in body["errors"][john]

    # A bad count in a candidate's own box is shown on that box.
    _, body = desk.submit(view, state(others=None, candidates={int(jane[5:]): 16_000, int(john[5:]): "-5"}))
    assert body is not None and list(body["errors"]) == [john]

    # Declared, with a recount moving 10 votes and a late third candidate.
    values = state(
        valid=30_500, others="Ann Green, Grn, 500", candidates={int(jane[5:]): 15_990, int(john[5:]): 14_010}
    )
    status, body = desk.submit(view, values)
    assert status == 200 and body is None
    (reply,) = desk.slack.wait_for("response_url")
    assert "stored as version 2, correcting version 1" in reply.params["text"]
    first, second = desk.entered()
    assert (first.status, first.is_current, second.status, second.is_current) == (
        "provisional",
        False,
        "declared",
        True,
    )
    assert sorted((c.candidate_name, c.votes) for c in second.candidacies) == [
        ("Ann Green", 500),
        ("Jane Smith", 15_990),
        ("John Brown", 14_010),
    ]


def test_the_store_refusing_after_the_modal_closed_is_reported_privately(desk: DeskBot) -> None:
    view = desk.open_modal()
    metadata = json.loads(view["private_metadata"])
    # A seat the store does not know and cannot create (no such ONS code): caught only by the desk.
    metadata["ons_id"] = "E14999999"
    metadata["seat"] = None
    forged = {**view, "private_metadata": json.dumps(metadata)}
    before = desk.contests()
    status, body = desk.submit(forged, state())
    assert status == 200 and body is None
    (reply,) = desk.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert "not stored" in reply.params["text"] and "E14999999" in reply.params["text"]
    assert "Traceback" not in reply.params["text"]
    assert desk.contests() == before


def test_a_candidate_name_with_a_comma_and_votes_with_thousands_separators(desk: DeskBot) -> None:
    view = desk.open_modal()
    _, body = desk.submit(view, state(others="Smith, Jane, Lab, 16,000\nJohn Brown, Con, 14,000"))
    assert body is None
    desk.slack.wait_for("response_url")
    (contest,) = desk.entered()
    assert sorted((c.candidate_name, c.votes) for c in contest.candidacies) == [
        ("John Brown", 14_000),
        ("Smith, Jane", 16_000),
    ]


def test_enter_without_a_seat_asks_which(desk: DeskBot) -> None:
    desk.command("enter")
    (reply,) = desk.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral" and "Which seat?" in reply.params["text"]
    assert desk.slack.calls_to("views.open") == []


def test_a_huge_field_of_candidates_stays_within_slacks_modal_limits() -> None:
    candidates = [KnownCandidate(f"Candidate number {n} " + "x" * 40, f"P{n}", n) for n in range(150)]
    form = EntryForm(COPELAND, "Copeland", "C123", "https://hooks.slack.com/commands/T1/1/abc", candidates).fit()
    view = modal_view(form)
    assert len(view["blocks"]) <= 100
    assert len(view["private_metadata"]) <= 3000
    boxes = [b for b in view["blocks"] if b.get("block_id", "").startswith("cand:")]
    overflow = block_ids(view)["others"]["element"]["initial_value"].splitlines()
    # Whoever has no box of their own is a whole line in the others box, in order; any left over
    # are counted in the note (the votes cannot add up without them, so nothing short is stored).
    assert len(overflow[0]) < 3000 and len("\n".join(overflow)) <= 3000
    left_out = 150 - len(boxes) - len(overflow)
    assert left_out > 0 and f"{left_out} more candidates do not fit" in json.dumps(view["blocks"])
    assert overflow[0].startswith(f"Candidate number {len(boxes)} ")
    assert overflow[-1].endswith(f", P{149 - left_out}, {149 - left_out}")


def test_a_rush_from_the_form_needs_only_the_winner_and_is_credited_to_the_editor(desk: DeskBot) -> None:
    view = desk.open_modal()
    no_figures = state(electorate=None, valid=None, rejected=None, others=None, status="rush")
    _, body = desk.submit(view, no_figures)
    assert body is not None and list(body["errors"]) == ["winner_party"]
    assert "Winning party is required" in body["errors"]["winner_party"]
    with_figures = state(status="rush") | {"winner_party": {"value": {"type": "plain_text_input", "value": "Lab"}}}
    _, body = desk.submit(view, with_figures)
    assert body is not None and {"electorate", "valid_votes", "rejected"} <= set(body["errors"])
    assert "must be left out for a rush" in body["errors"]["electorate"]
    assert desk.entered() == []

    flash = no_figures | {
        "winner_party": {"value": {"type": "plain_text_input", "value": "Reform UK"}},
        "gained_from": {"value": {"type": "plain_text_input", "value": "Labour"}},
    }
    status, body = desk.submit(view, flash)
    assert status == 200 and body is None
    desk.slack.wait_for("response_url")
    (contest,) = desk.entered()
    assert (contest.status, contest.stated_result) == ("rush", "RUK GAIN from Lab")
    assert contest.source == f"results desk (user-{EDITOR.lower()}, Slack)"
