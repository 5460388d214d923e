"""The life of a declaration in the channel, over POST /ingest and the running dispatcher, against the
fake Slack: a rush flashes the winner at once and the full result edits that same message (no second
post, no correction note); a recount posts "RECOUNT under way" and the declaration edits it; a later
correction still edits and adds its note; a rush after the result is refused and posts nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select

from bot.bootstrap import BUNDLED_DATA
from store import db
from store.importers.hoc import import_hoc
from store.models import Contest, OutboxEntry
from tests.integration import published
from tests.results import delivered, posted_results, result, send, thread_notes

HARTLEPOOL = "E14001272"
BY_ELECTION_DAY = "2026-12-10"


def hartlepool_2024_winner() -> str:
    """The party that won Hartlepool at the 2024 general election, read from the Library's file."""
    return published.find_seat(59, "general-election", HARTLEPOOL, dt.date(2024, 7, 4)).cells["First party"]


def hartlepool(status: str, **fields: Any) -> dict[str, Any]:
    return {
        "election": {"date": BY_ELECTION_DAY, "kind": "by-election"},
        "constituency": {"ons_id": HARTLEPOOL},
        "status": status,
        "source": "Wire desk",
        **fields,
    }


def full_result(lab: int = 11_000) -> dict[str, Any]:
    return hartlepool(
        "declared",
        electorate=71_000,
        valid_votes=15_000 + lab + 3_000,
        rejected=60,
        candidates=[
            {"name": "Ann Reform", "party": "RUK", "votes": 15_000},
            {"name": "Bob Labour", "party": "Lab", "votes": lab},
            {"name": "Cat Conservative", "party": "Con", "votes": 3_000},
        ],
    )


def wait_for_calls(slack, method: str, count: int) -> list[Any]:
    return slack.wait_for(method, count, timeout=10)


def counts(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Contest)) or 0,
            session.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
        )


def test_a_rush_flashes_the_winner_and_the_result_edits_that_message(ingest) -> None:
    url, slack, sessions = ingest
    with db.transaction(sessions) as session:
        import_hoc(session, BUNDLED_DATA / "59" / "general-election")
    loser = hartlepool_2024_winner()
    assert loser != "RUK"  # else this would be a hold and the test would not test a gain

    status, body = send(url, hartlepool("rush"))
    assert status == 422 and body["errors"] == {"winner_party": "is required"}
    assert counts(sessions)[0] == 650  # the 2024 general election only
    status, body = send(url, hartlepool("rush", winner_party="Reform UK"))
    assert status == 201, body
    (flash,) = wait_for_calls(slack, "chat.postMessage", 1)
    assert flash.params["text"] == f"FLASH: RUK GAIN Hartlepool from {loser}"
    assert "Figures to come." in json.dumps(flash.params["blocks"])
    assert "Source: Wire desk (via /ingest)." in json.dumps(flash.params["blocks"])

    status, body = send(url, full_result())
    assert status == 201 and body["status"] == "corrected", body  # a new version of the contest
    (update,) = wait_for_calls(slack, "chat.update", 1)
    delivered(sessions)
    (posted,) = posted_results(slack)
    assert update.params["ts"] == posted["ts"]  # the flash itself became the result: one message
    assert posted["text"].startswith(f"Hartlepool (by-election 2026): RUK GAIN from {loser} · majority 4,000")
    assert "CORRECTED" not in json.dumps(posted["blocks"]) and "FLASH" not in json.dumps(posted["blocks"])
    assert thread_notes(slack, posted["ts"]) == []  # figures after a flash are news, not a correction
    assert len(slack.calls_to("chat.postMessage")) == 1

    # A later correction edits the same message again and explains itself in the thread.
    status, _ = send(url, full_result(lab=11_500))
    assert status == 201
    wait_for_calls(slack, "chat.update", 2)
    (note,) = [c for c in wait_for_calls(slack, "chat.postMessage", 2) if c.params.get("thread_ts")]
    assert note.params["thread_ts"] == posted["ts"]
    assert note.params["text"].startswith("CORRECTION: Bob Labour (Lab) 11,000 → 11,500")
    (posted,) = posted_results(slack)
    assert "CORRECTED" in posted["text"]

    # A late flash after the result is refused, and nothing changes or posts.
    before = counts(sessions)
    status, body = send(url, hartlepool("rush", winner_party="Lab"))
    assert status == 409 and "never replaces it" in body["errors"]["status"]
    assert counts(sessions) == before
    delivered(sessions)
    assert len(slack.calls_to("chat.postMessage")) == 2 and len(slack.calls_to("chat.update")) == 2


def test_a_recount_is_posted_and_the_declaration_edits_it(ingest) -> None:
    url, slack, sessions = ingest
    recount = result(5)
    seat = recount["constituency"]["name"]
    for figure in ("electorate", "valid_votes", "rejected"):
        del recount[figure]
    for candidate in recount["candidates"]:
        del candidate["votes"]
    recount["status"] = "recount"

    status, body = send(url, recount)
    assert status == 201, body
    (first,) = wait_for_calls(slack, "chat.postMessage", 1)
    assert first.params["text"] == f"RECOUNT under way in {seat}"
    shown = json.dumps(first.params["blocks"])
    for candidate in recount["candidates"]:
        assert candidate["name"] in shown  # who is standing, without votes

    status, _ = send(url, result(5))
    assert status == 201
    (update,) = wait_for_calls(slack, "chat.update", 1)
    delivered(sessions)
    (posted,) = posted_results(slack)
    assert update.params["ts"] == posted["ts"]  # the recount post became the result: one message
    assert "RECOUNT" not in posted["text"] and "Lab win" in posted["text"]
    assert thread_notes(slack, posted["ts"]) == []
    assert counts(sessions) == (2, 2)


def test_a_result_that_contradicts_the_flash_says_so_in_the_thread(ingest) -> None:
    url, slack, sessions = ingest
    full = result(6)
    flashed = max(full["candidates"], key=lambda c: -c["votes"])["party"]  # the loser, flashed wrongly
    winner = max(full["candidates"], key=lambda c: c["votes"])["party"]
    rush = {key: full[key] for key in ("election", "constituency")} | {"status": "rush", "winner_party": flashed}
    assert send(url, rush)[0] == 201
    (flash,) = wait_for_calls(slack, "chat.postMessage", 1)
    assert flash.params["text"] == f"FLASH: {flashed} WIN Testshire 6"  # no earlier result: neither gain nor hold

    assert send(url, full)[0] == 201
    delivered(sessions)
    (posted,) = posted_results(slack)
    (update,) = slack.calls_to("chat.update")
    assert update.params["ts"] == posted["ts"] and "FLASH" not in posted["text"]
    (note,) = thread_notes(slack, posted["ts"])
    assert note["text"] == f"CORRECTION: {winner} won, not {flashed} as first flashed."


def test_a_recount_after_a_flash_withdraws_it_in_the_thread(ingest) -> None:
    url, slack, sessions = ingest
    seat = {key: result(7)[key] for key in ("election", "constituency")}
    assert send(url, seat | {"status": "rush", "winner_party": "Lab"})[0] == 201
    assert send(url, seat | {"status": "recount"})[0] == 201
    delivered(sessions)
    (posted,) = posted_results(slack)
    assert posted["text"] == "RECOUNT under way in Testshire 7"
    (note,) = thread_notes(slack, posted["ts"])
    assert note["text"] == "CORRECTION: the flash naming Lab the winner is withdrawn: result now RECOUNT."
