"""POST /ingest over real HTTP: the bearer token guards the store; a good entry is posted at once."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from store.models import Constituency, Contest, Election, OutboxEntry, Party
from tests.results import posted_results, result, send
from tests.slack_markup import live_markup
from tests.slack_signing import post_signed, slash_command_body


def stored(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Contest)),
            session.scalar(select(func.count()).select_from(OutboxEntry)),
        )


def test_a_result_ingested_is_stored_and_posted_at_once(ingest) -> None:
    url, slack, sessions = ingest
    status, body = send(url, result(1))
    assert status == 201 and body["ok"] and body["status"] == "new"
    assert body["queued_channels"] == ["CRESULTS"]
    slack.wait_for("chat.postMessage", timeout=3)  # well before the 5 s poll: the desk woke it
    (message,) = posted_results(slack)
    assert "Testshire 1" in message["text"]
    status, body = send(url, result(1))
    assert status == 200 and body["status"] == "unchanged"
    assert stored(sessions) == (1, 1)


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_a_bad_or_missing_token_is_refused_and_stores_nothing(ingest, token) -> None:
    url, slack, sessions = ingest
    status, body = send(url, result(2), token=token)
    assert status == 401 and not body["ok"]
    assert stored(sessions) == (0, 0)
    assert slack.calls_to("chat.postMessage") == []


def test_an_invalid_body_gets_422_naming_the_fields(ingest) -> None:
    url, _, sessions = ingest
    bad = result(3)
    bad["candidates"][0]["votes"] = -5
    del bad["electorate"]
    bad["election"]["kind"] = "referendum"
    status, body = send(url, bad)
    assert status == 422
    assert set(body["errors"]) >= {"candidates[0].votes", "electorate", "election.kind"}
    status, body = send(url, "{not json")
    assert status == 422 and "body" in body["errors"]
    sums_wrong = result(4)
    sums_wrong["valid_votes"] += 10
    status, body = send(url, sums_wrong)
    assert status == 422 and "valid_votes" in body["errors"]
    assert stored(sessions) == (0, 0)


HOSTILE = ["<!channel>", "<!here>", "<!subteam^S1|@desk>", "<@U123>", "<https://x.example|click>", "<#C999>"]


def test_markup_in_names_never_pings_anyone_anywhere(ingest) -> None:
    """Hostile seat and candidate names through a post, a correction (edit and thread note) and the
    replies to /result and a mention: the fixture finds no live markup in any call Slack received."""
    url, slack, _ = ingest
    hostile = result(7)
    hostile["constituency"]["name"] = "<!channel> Testshire"
    hostile["candidates"][0]["name"] = " ".join(HOSTILE[:3])
    hostile["candidates"][1]["name"] = " ".join(HOSTILE[3:])
    assert send(url, hostile)[0] == 201
    slack.wait_for("chat.postMessage", timeout=3)
    corrected = json.loads(json.dumps(hostile))
    corrected["candidates"][0]["votes"] += 100
    corrected["valid_votes"] += 100
    assert send(url, corrected)[0] == 201
    (note,) = slack.wait_for("chat.postMessage", 2, timeout=5)[1:]
    assert note.params["text"].startswith("CORRECTION: &lt;!channel&gt; &lt;!here&gt;")
    for question in (slash_command_body(text="channel testshire", response_url=slack.response_url()),):
        assert post_signed(f"{url}/slack/events", "secret", question)[0] == 200
    (reply,) = slack.wait_for("response_url", timeout=5)
    assert "&lt;!channel&gt; Testshire" in json.dumps(reply.params)
    assert live_markup(slack) == []


def test_a_huge_correction_note_is_cut_to_slacks_limit(ingest) -> None:
    url, slack, _ = ingest
    many = result(8)
    many["candidates"] += [{"name": f"Candidate {n} <!here>", "party": "Ind", "votes": 1} for n in range(150)]
    many["valid_votes"] += 150
    assert send(url, many)[0] == 201
    slack.wait_for("chat.postMessage", timeout=3)
    for candidate in many["candidates"][2:]:
        candidate["votes"] = 2
    many["valid_votes"] += 150
    assert send(url, many)[0] == 201
    note = slack.wait_for("chat.postMessage", 2, timeout=5)[1]
    assert len(note.params["text"]) <= 4000 and note.params["text"].endswith("…")


def parallel(url: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    """POST every body to /ingest at once, from as many threads."""
    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(lambda body: send(url, body), bodies))


def versions_and_posts(sessions) -> tuple[list[tuple[str, int]], int]:
    with sessions() as session:
        versions = session.execute(
            select(Constituency.ons_id, Contest.version).join(Contest.constituency).order_by(Constituency.ons_id)
        ).all()
        posts = session.scalar(select(func.count()).select_from(OutboxEntry))
    return [tuple(row) for row in versions], posts


def test_twenty_desks_entering_the_same_result_at_once_store_and_post_it_once(ingest) -> None:
    url, _, sessions = ingest
    answers = parallel(url, [result(20) for _ in range(20)])
    assert sorted(status for status, _ in answers) == [200] * 19 + [201], answers
    assert sorted(body["status"] for _, body in answers) == ["new"] + ["unchanged"] * 19
    assert versions_and_posts(sessions) == ([("E14900020", 1)], 1)


def test_twenty_copies_of_one_correction_at_once_make_one_new_version(ingest) -> None:
    url, _, sessions = ingest
    assert send(url, result(21))[0] == 201
    answers = parallel(url, [result(21, lab=15_000) for _ in range(20)])
    assert sorted(status for status, _ in answers) == [200] * 19 + [201], answers
    assert versions_and_posts(sessions) == ([("E14900021", 1), ("E14900021", 2)], 2)


def test_twenty_new_seats_of_one_new_election_at_once_are_all_stored(ingest) -> None:
    url, _, sessions = ingest
    bodies = [result(seat) for seat in range(30, 50)]
    for body in bodies:
        body["candidates"][1]["party"] = "Brand New Party"  # one new party, created once
    answers = parallel(url, bodies)
    assert [status for status, _ in answers] == [201] * 20, answers
    versions, posts = versions_and_posts(sessions)
    assert versions == [(f"E149000{seat}", 1) for seat in range(30, 50)] and posts == 20
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Election)) == 1
        assert session.scalar(select(func.count()).select_from(Party).where(Party.name == "Brand New Party")) == 1


def big_result(seat: int, candidates: int = 200) -> dict:
    body = result(seat)
    body["candidates"] = [{"name": f"Candidate {n}", "party": "Ind", "votes": 100 + n} for n in range(candidates)]
    body["valid_votes"] = sum(c["votes"] for c in body["candidates"])
    return body


def hold_the_store(sessions, seconds: float) -> threading.Thread:
    """Keep every writer waiting for `seconds`, as a long import or a slow disk would."""
    engine = sessions.kw["bind"]

    def hold() -> None:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("LOCK TABLE contest IN EXCLUSIVE MODE")
            time.sleep(seconds)
            connection.rollback()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    return holder


def test_slack_is_acked_within_a_second_while_ingests_wait_on_the_store(ingest) -> None:
    url, slack, sessions = ingest
    stop = threading.Event()
    statuses: list[int] = []

    def keep_ingesting(worker: int) -> None:
        seat = 100 + worker * 1000
        while not stop.is_set():
            seat += 1
            statuses.append(send(url, big_result(seat))[0])

    holder = hold_the_store(sessions, 4.0)
    # More senders than the server has threads: only the cap on ingests in flight leaves Slack any.
    feeders = [threading.Thread(target=keep_ingesting, args=(n,), daemon=True) for n in range(40)]
    for feeder in feeders:
        feeder.start()
    try:
        time.sleep(0.5)  # every ingest is now waiting on the store
        acks = []
        for n in range(8):
            body = slash_command_body(text="help", response_url=slack.response_url(f"ack{n}"))
            started = time.monotonic()
            assert post_signed(f"{url}/slack/events", "secret", body)[0] == 200
            acks.append(time.monotonic() - started)
            time.sleep(0.2)
    finally:
        stop.set()
        holder.join(10)
        for feeder in feeders:
            feeder.join(30)
    assert max(acks) < 1.0, acks
    assert 201 in statuses and set(statuses) <= {201, 503}, set(statuses)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("candidates[0].votes", 10**30),
        ("candidates[1].votes", 2**63),
        ("electorate", 2**32),
        ("rejected", 10_000_000),
    ],
)
def test_a_count_no_seat_could_have_gets_422_naming_it_not_500(ingest, where, value) -> None:
    url, _, sessions = ingest
    body = result(5)
    if where.startswith("candidates"):
        body["candidates"][int(where[11])]["votes"] = value
    else:
        body[where] = value
    status, answer = send(url, body)
    assert status == 422 and list(answer["errors"]) == [where]
    assert answer["errors"][where].startswith("must be below 10,000,000")
    assert stored(sessions) == (0, 0)


def test_a_body_nested_too_deeply_gets_422_not_500(ingest) -> None:
    url, _, sessions = ingest
    status, answer = send(url, "[" * 50_000 + "]" * 50_000)
    assert status == 422 and answer["errors"] == {"body": "nested too deeply"}
    deep = result(6)
    deep["candidates"][0]["name"] = json.loads("[" * 900 + "]" * 900)  # parses, but is no name
    status, answer = send(url, json.dumps(deep))
    # Named on the field, or on the body when quoting it would recurse too deep: either way a 422.
    assert status == 422 and list(answer["errors"]) in (["candidates[0].name"], ["body"])
    status, answer = send(url, json.dumps(result(6)).replace("70000", "7" * 5000))
    assert status == 422 and "not valid JSON" in answer["errors"]["body"]
    assert stored(sessions) == (0, 0)


def test_votes_sent_as_text_get_422(ingest) -> None:
    url, _, sessions = ingest
    body = result(7)
    body["candidates"][0]["votes"] = "14000"
    body["valid_votes"] = "26000"
    status, answer = send(url, body)
    assert status == 422 and set(answer["errors"]) == {"candidates[0].votes", "valid_votes"}
    assert "must be a JSON number" in answer["errors"]["valid_votes"]
    assert stored(sessions) == (0, 0)


def test_a_declaration_in_the_future_gets_422_with_the_reason_unless_forced(ingest) -> None:
    url, _, sessions = ingest
    body = result(8)
    body["declared_at"] = "2099-12-11T02:00:00+00:00"
    status, answer = send(url, body)
    assert status == 422 and list(answer["errors"]) == ["declared_at"]
    assert "is in the future" in answer["errors"]["declared_at"] and '"force": true' in answer["errors"]["declared_at"]
    assert stored(sessions) == (0, 0)
    status, answer = send(url, {**body, "force": True})
    assert status == 201 and answer["status"] == "new"


def test_a_result_with_more_candidates_than_any_ballot_gets_422(ingest) -> None:
    url, _, sessions = ingest
    assert send(url, big_result(60, candidates=200))[0] == 201
    status, body = send(url, big_result(61, candidates=201))
    assert status == 422 and "at most 200" in body["errors"]["candidates"]
    assert versions_and_posts(sessions)[0] == [("E14900060", 1)]
