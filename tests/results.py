"""Made-up results for tests of entering and posting, and what the fake Slack shows of them."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.desk import Desk
from bot.dispatcher import DIGEST_EVENT, METADATA_EVENT, DispatchSettings
from store import db
from store.contest_input import parse_entry
from store.importers.hoc import import_hoc
from store.models import DONE, OutboxEntry
from tests.fakeslack import FakeSlack
from tests.integration import published
from tests.slack_signing import post

CHANNEL = "CRESULTS"
INGEST_TOKEN = "ingest-token-for-tests-0123456789"
FAST = DispatchSettings(
    lease_seconds=30,
    poll_seconds=0.05,
    per_channel_interval=0.0,
    max_backoff_seconds=0.5,
    uncertain_settle_seconds=0.5,
    result_cards=False,  # drawing pictures would slow every delivery test; tests of the cards turn them on
)


def settings_for(slack: FakeSlack, **overrides: Any) -> Settings:
    base = Settings(
        database_url="sqlite://", slack_bot_token="xoxb-test", slack_api_url=slack.base_url, results_channels=(CHANNEL,)
    )
    return dataclasses.replace(base, **overrides)


def result(seat: int, lab: int = 14_000, con: int = 12_000, status: str = "declared") -> dict[str, Any]:
    """A by-election in a seat of its own (test seats E14900000 + n), figures that add up."""
    return {
        "election": {"date": "2026-12-10", "kind": "by-election"},
        "constituency": {"ons_id": f"E149{seat:05d}", "name": f"Testshire {seat}"},
        "electorate": 70_000,
        "valid_votes": lab + con,
        "rejected": 50,
        "status": status,
        "candidates": [
            {"name": f"Alice Labour {seat}", "party": "Lab", "votes": lab},
            {"name": f"Bob Conservative {seat}", "party": "Con", "votes": con},
        ],
    }


def load_library_seats(
    sessions: sessionmaker[Session], folder: Path, seats: tuple[str, ...], parliament: int = 57
) -> None:
    """The Library's results of `seats` (ONS IDs) at `parliament`'s general election, imported without
    posting: the baseline the night's results of those seats are compared with."""
    with db.transaction(sessions) as session:
        import_hoc(session, published.library_subset(folder, parliament, seats))


def enter(desk: Desk, data: dict[str, Any]) -> None:
    desk.enter(parse_entry(data, entered_by="test"))


def posted_results(slack: FakeSlack, channel: str = CHANNEL) -> list[dict[str, Any]]:
    """Top-level messages in the channel that carry our metadata: what readers see."""
    return [
        m
        for m in slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == METADATA_EVENT and m.get("thread_ts", m["ts"]) == m["ts"]
    ]


def digests(slack: FakeSlack, channel: str = CHANNEL) -> list[dict[str, Any]]:
    """The digests in the channel: results folded into one post while it was behind."""
    return [m for m in slack.messages(channel) if (m.get("metadata") or {}).get("event_type") == DIGEST_EVENT]


def digest_ids(message: dict[str, Any]) -> list[int]:
    """The outbox entries a digest shows, as its metadata lists them."""
    return list(message["metadata"]["event_payload"]["outbox_ids"])


def shown_ids(slack: FakeSlack, channel: str = CHANNEL) -> Counter[int]:
    """How many times each outbox entry is shown in the channel: as a post of its own or a digest's line."""
    shown = outbox_ids(posted_results(slack, channel))
    for digest in digests(slack, channel):
        shown.update(digest_ids(digest))
    return shown


def shown_seats(slack: FakeSlack, channel: str = CHANNEL) -> Counter[str]:
    """How many times each seat (ONS ID) is shown in the channel: in a post of its own or a digest's line."""
    shown = Counter(m["metadata"]["event_payload"]["ons_id"] for m in posted_results(slack, channel))
    for digest in digests(slack, channel):
        shown.update(digest["metadata"]["event_payload"]["ons_ids"])
    return shown


def thread_notes(slack: FakeSlack, parent_ts: str) -> list[dict[str, Any]]:
    return [m for m in slack.messages(CHANNEL) if m.get("thread_ts") == parent_ts and m["ts"] != parent_ts]


def outbox_ids(messages: list[dict[str, Any]]) -> Counter[int]:
    return Counter(m["metadata"]["event_payload"]["outbox_id"] for m in messages)


def send(url: str, body: object, token: str | None = INGEST_TOKEN) -> tuple[int, dict[str, Any]]:
    """POST `body` (JSON, or raw text) to the running bot's /ingest: (status, the JSON answer)."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    raw = body if isinstance(body, str) else json.dumps(body)
    status, _, data = post(f"{url}/ingest", raw, headers)
    answer: dict[str, Any] = json.loads(data)
    return status, answer


def delivered(sessions, timeout: float = 10.0) -> None:
    """Wait until every outbox entry is done: a thread note comes after the edit, so only then is its
    absence meaningful."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as session:
            if not session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status != DONE)):
                return
        time.sleep(0.05)
    raise AssertionError("the outbox was not delivered in time")


def dispatch_process(
    database_url: str, slack: FakeSlack, *, lease_seconds: float = 1, digest_after: str = ""
) -> subprocess.Popen[bytes]:
    """`resultsbot dispatch` in a process of its own, on the test's store and fake Slack, for a test to
    kill mid-delivery (SIGKILL: nothing recorded after the call it is in). `digest_after`:
    RESULTSBOT_DIGEST_AFTER ("" for its default, "off" to never fold a backlog into digests)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.base_url,
        "RESULTSBOT_RESULTS_CHANNEL": CHANNEL,
        "SLACK_APP_TOKEN": "",
        "SLACK_SIGNING_SECRET": "",
        "RESULTSBOT_DIGEST_AFTER": digest_after,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "dispatch", "--lease-seconds", str(lease_seconds)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def dispatcher_killed_mid_post(database_url: str, slack: FakeSlack, *, digest_after: str = "") -> None:
    """Start `resultsbot dispatch`, let its first post land in the channel and kill it (SIGKILL) before it
    can record that: the post is in the channel, unrecorded."""
    slack.hang_next("chat.postMessage", times=1, seconds=2.0, apply=True)
    worker = dispatch_process(database_url, slack, digest_after=digest_after)
    try:
        slack.wait_for("chat.postMessage", timeout=30)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    time.sleep(2.5)  # the hung request completes
