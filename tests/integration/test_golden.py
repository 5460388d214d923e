"""Golden outputs: replies and automatic posts exactly as they read before the code moved house.

The files under tests/golden/ were written by the code as it stood before the one-way-house
restructuring (issue 7); a change of where code lives must not change a byte of what a reporter
reads. To accept a deliberate change of wording, run with RESULTSBOT_UPDATE_GOLDEN=1 and review the
diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.app import dispatch_client
from bot.bootstrap import BUNDLED_DATA, Store
from bot.console import reply_for
from bot.desk import Desk
from bot.dispatcher import Dispatcher
from handlers.summary_words import text_summary
from store import db
from store.answers import FOUND, ResultsService
from store.importers.hoc import import_hoc
from tests.fakeslack import FakeSlack
from tests.results import CHANNEL, FAST, enter, settings_for

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("RESULTSBOT_UPDATE_GOLDEN") == "1"

REPLY_LINES = [
    "/result copeland 2017 by-election",
    "/result stoke",
    "/result hartlepool 2021",
    "/result stoke central 2017 by-election",
    "/result zzzzqqq",
    "/result help",
    "@resultsbot who won hartlepool?",
    "@resultsbot what was the majority in copeland 2017",
    "@resultsbot turnout in stoke central",
    "@resultsbot how did the lib dems do in copeland",
    "@resultsbot closest results of the 2024 election",
    "@resultsbot conservative gains in 2019",
    "@resultsbot what is the weather",
]


def check_golden(name: str, produced: Any) -> None:
    path = GOLDEN / name
    text = json.dumps(produced, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"{path} is missing; run with RESULTSBOT_UPDATE_GOLDEN=1 and commit it")
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), f"{name} differs from its golden copy"


def test_replies_read_as_before(loaded_sqlite) -> None:
    produced = {}
    for line in REPLY_LINES:
        reply = reply_for(line, loaded_sqlite.results)
        produced[line] = {"text": reply.text, "blocks": reply.blocks, "plain": reply.plain, "public": reply.public}
    check_golden("replies.json", produced)


def test_cli_summary_reads_as_before(loaded_sqlite) -> None:
    produced = {}
    for query in ("copeland 2017 by-election", "hartlepool 2021", "stoke-on-trent central 2017 by-election"):
        answer = loaded_sqlite.results.ask(query)
        assert answer.kind == FOUND and answer.summary is not None
        produced[query] = {"text": text_summary(answer.summary), "json": answer.summary.to_json()}
    check_golden("cli.json", produced)


def _post_fields(call_params: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in call_params.items() if k not in ("ts", "thread_ts", "token")}
    kept["in_thread"] = "thread_ts" in call_params
    return kept


def test_automatic_post_and_correction_read_as_before(tmp_path: Path) -> None:
    """A by-election entered in Hartlepool after the 2019 general election: its post, then a
    correction's edit and thread note, as the fake Slack received them."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'golden.db'}")
    db.upgrade(engine)
    sessions = db.session_factory(engine)
    with db.transaction(sessions) as session:
        import_hoc(session, BUNDLED_DATA / "58" / "general-election")
    store = Store(engine, sessions, ResultsService(sessions))
    with FakeSlack(start_ts=1_700_000_000.0) as slack:
        settings = settings_for(slack)
        desk = Desk(store, settings)
        entry = {
            "election": {"date": "2021-05-06", "kind": "by-election"},
            "constituency": {"ons_id": "E14000733", "name": "Hartlepool"},
            "electorate": 70_000,
            "valid_votes": 29_900,
            "rejected": 70,
            "candidates": [
                {"name": "Jill Mortimer", "party": "Con", "votes": 15_529},
                {"name": "Paul Williams", "party": "Lab", "votes": 8_589},
                {"name": "Sam Lee", "party": "Ind", "votes": 2_904},
                {"name": "<!channel> Jane & Co", "party": "Green", "votes": 2_878},
            ],
        }
        enter(desk, entry)
        dispatcher = Dispatcher(sessions, dispatch_client(settings), FAST)
        dispatcher.run_once()
        corrected = json.loads(json.dumps(entry))
        corrected["candidates"][1]["votes"] = 8_489
        corrected["candidates"][3]["votes"] = 2_978
        enter(desk, corrected)
        dispatcher.run_once()
        produced = [
            {"method": call.method, **_post_fields(call.params)}
            for call in slack.calls
            if call.method in ("chat.postMessage", "chat.update")
        ]
    engine.dispose()
    assert [p["method"] for p in produced] == ["chat.postMessage", "chat.update", "chat.postMessage"]
    assert all(p.get("channel") == CHANNEL for p in produced)
    check_golden("posts.json", produced)
