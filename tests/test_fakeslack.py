"""Tests of the test doubles themselves: if these drift from real Slack, every bot test lies."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.metadata import Metadata
from slack_sdk.signature import SignatureVerifier

from tests.fakeslack import FakeSlack, envelope_for, socket_envelope
from tests.slack_signing import (
    app_mention_event,
    block_actions_body,
    dm_message_event,
    event_callback_body,
    post,
    sign,
    signed_headers,
    slash_command_body,
    view_submission_body,
)

SECRET = "test-signing-secret"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.base_url)


def _eventually(check, timeout: float = 3.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.02)


# ----- Web API behaviour -------------------------------------------------------------


def test_post_update_and_history_with_metadata(slack: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Bath*: LD gain"}}]
    posted = client.chat_postMessage(
        channel="C1",
        text="Bath: LD gain",
        blocks=blocks,
        metadata=Metadata(event_type="result_posted", event_payload={"constituency": "Bath"}),
    )
    assert posted["ok"] and posted["channel"] == "C1"
    assert posted["message"]["blocks"] == blocks
    second = client.chat_postMessage(channel="C1", text="second")
    assert float(second["ts"]) > float(posted["ts"])

    updated = client.chat_update(channel="C1", ts=posted["ts"], text="Bath: LD gain (recount)")
    assert updated["ts"] == posted["ts"] and updated["text"] == "Bath: LD gain (recount)"

    history = client.conversations_history(channel="C1", limit=10, include_all_metadata=True)
    assert history["has_more"] is False
    assert [m["text"] for m in history["messages"]] == ["second", "Bath: LD gain (recount)"]
    assert history["messages"][1]["metadata"] == {
        "event_type": "result_posted",
        "event_payload": {"constituency": "Bath"},
    }
    assert history["messages"][1]["blocks"] == blocks

    call = slack.calls_to("chat.postMessage")[0]
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert call.token == "xoxb-test"
    assert call.params["metadata"]["event_type"] == "result_posted"


def test_history_oldest_limit_and_pagination(slack: FakeSlack, client: WebClient) -> None:
    ts = [client.chat_postMessage(channel="C1", text=f"m{i}")["ts"] for i in range(5)]
    client.chat_postMessage(channel="C1", text="reply", thread_ts=ts[0])

    newer = client.conversations_history(channel="C1", oldest=ts[2])
    assert [m["text"] for m in newer["messages"]] == ["m4", "m3"]

    page1 = client.conversations_history(channel="C1", limit=3)
    assert [m["text"] for m in page1["messages"]] == ["m4", "m3", "m2"]
    assert page1["has_more"] is True
    page2 = client.conversations_history(channel="C1", limit=3, cursor=page1["response_metadata"]["next_cursor"])
    assert [m["text"] for m in page2["messages"]] == ["m1", "m0"]
    assert page2["messages"][-1]["reply_count"] == 1

    replies = client.conversations_replies(channel="C1", ts=ts[0])
    assert [m["text"] for m in replies["messages"]] == ["m0", "reply"]


def test_deterministic_timestamps_and_seeded_messages() -> None:
    with FakeSlack(start_ts=1700000000.0) as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        assert client.chat_postMessage(channel="C1", text="a")["ts"] == "1700000000.000100"
        seeded = slack.seed_message("C1", "from a human", user="U42")
        assert seeded["ts"] == "1700000000.000200"
        slack.reset()
        assert client.chat_postMessage(channel="C1", text="b")["ts"] == "1700000000.000100"
        assert [m["text"] for m in slack.messages("C1")] == ["b"]


def test_update_unknown_message_is_message_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as info:
        client.chat_update(channel="C1", ts="1.000001", text="x")
    assert info.value.response["error"] == "message_not_found"


def test_form_encoded_json_fields_are_decoded(slack: FakeSlack) -> None:
    blocks = [{"type": "divider"}]
    body = f"channel=C9&text=hi&blocks={urllib.request.quote(json.dumps(blocks))}"
    status, _, data = post(slack.base_url + "chat.postMessage", body, {"Authorization": "Bearer xoxb-test"})
    assert status == 200 and json.loads(data)["ok"] is True
    assert slack.calls_to("chat.postMessage")[0].params["blocks"] == blocks
    assert slack.messages("C9")[0]["blocks"] == blocks


def test_multipart_bodies_are_parsed(slack: FakeSlack, client: WebClient) -> None:
    client.api_call("files.upload", data={"channels": "C1"}, files={"file": b"csv,data"})
    params = slack.calls_to("files.upload")[0].params
    assert params == {"channels": "C1", "file": b"csv,data"}


def test_missing_token_is_not_authed(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as info:
        WebClient(base_url=slack.base_url).auth_test()
    assert info.value.response["error"] == "not_authed"


def test_canned_methods(slack: FakeSlack, client: WebClient) -> None:
    auth = client.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == ("UBOT", "BBOT", "T1")

    opened = client.views_open(
        trigger_id="1.2.3",
        view={"type": "modal", "callback_id": "pick", "title": {"type": "plain_text", "text": "t"}, "blocks": []},
    )
    view_id = opened["view"]["id"]
    assert view_id and opened["view"]["callback_id"] == "pick"
    again = client.views_open(trigger_id="1.2.4", view={"type": "modal", "blocks": []})
    assert again["view"]["id"] != view_id

    slack.add_usergroup("S123", ["U1", "U2"])
    assert client.usergroups_users_list(usergroup="S123")["users"] == ["U1", "U2"]
    with pytest.raises(SlackApiError):
        client.usergroups_users_list(usergroup="S999")

    assert client.api_call("reactions.add", params={"name": "tada"})["ok"] is True

    slack.set_response("users.info", lambda params: {"ok": True, "user": {"id": params["user"]}})
    assert client.users_info(user="U7")["user"]["id"] == "U7"


def test_response_url_is_recorded(slack: FakeSlack) -> None:
    url = slack.response_url("cmd-1")
    status, _, data = post(url, json.dumps({"text": "Bath: LD gain", "response_type": "ephemeral"}), {})
    assert (status, data) == (200, b"ok")
    [call] = slack.wait_for("response_url")
    assert call.params == {"text": "Bath: LD gain", "response_type": "ephemeral"}
    assert call.path == "/response/cmd-1"

    status, _, data = post(url, json.dumps({"response_type": "ephemeral"}), {})
    assert (status, data) == (400, b"no_text")


def test_unknown_path_is_404(slack: FakeSlack) -> None:
    status, _, data = post(slack.url + "/chat.postMessage", "channel=C1", {})
    assert status == 404 and json.loads(data)["error"] == "unknown_path"


# ----- failure injection -------------------------------------------------------------


def test_rate_limit(slack: FakeSlack, client: WebClient) -> None:
    slack.rate_limit_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="x")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "7"
    assert info.value.response["error"] == "ratelimited"
    assert slack.messages("C1") == []
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.outcome for c in slack.calls_to("chat.postMessage")] == ["ratelimited", "ok"]


def test_fail_next_is_consumed_in_order(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", times=2, error="channel_not_found")
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel="C1", text="x")
        assert info.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.outcome for c in slack.calls_to("chat.postMessage")] == ["error", "error", "ok"]


def test_mixed_queue_applies_behaviours_in_order(slack: FakeSlack, client: WebClient) -> None:
    slack.http_error_next("auth.test", status=503)
    slack.fail_next("auth.test", error="fatal_error")
    with pytest.raises(SlackApiError) as first:
        client.auth_test()
    assert first.value.response.status_code == 503
    with pytest.raises(SlackApiError) as second:
        client.auth_test()
    assert second.value.response["error"] == "fatal_error"
    assert [c.outcome for c in slack.calls_to("auth.test")] == ["http_503", "error"]


def test_hang_exceeds_client_timeout_but_still_applies(slack: FakeSlack) -> None:
    impatient = WebClient(token="xoxb-test", base_url=slack.base_url, timeout=1)
    slack.hang_next("chat.postMessage", seconds=1.5)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="C1", text="late")
    assert time.monotonic() - started < 1.4
    [call] = slack.calls_to("chat.postMessage")
    assert call.outcome == "hung" and call.params["text"] == "late"
    # Like real Slack, the post lands even though the client gave up: the double-post hazard.
    assert _eventually(lambda: slack.messages("C1"))[0]["text"] == "late"


def test_hang_without_apply_drops_the_request(slack: FakeSlack, client: WebClient) -> None:
    slack.hang_next("chat.postMessage", seconds=0.1, apply=False)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="lost")
    assert info.value.response["error"] == "request_timeout"
    assert slack.messages("C1") == []


def test_stop_does_not_wait_for_a_hang() -> None:
    slack = FakeSlack().start()
    client = WebClient(token="xoxb-test", base_url=slack.base_url, timeout=30)
    slack.hang_next("chat.postMessage", seconds=60)
    threading.Thread(
        target=lambda: pytest.raises(SlackApiError, client.chat_postMessage, channel="C1", text="x"),
        daemon=True,
    ).start()
    slack.wait_for("chat.postMessage")
    started = time.monotonic()
    slack.stop()
    assert time.monotonic() - started < 1.0
    assert slack.messages("C1") == []


def test_wait_for_times_out_with_a_useful_message(slack: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError, match=r"chat\.postMessage.*got 0.*auth\.test\[ok\]"):
        slack.wait_for("chat.postMessage", timeout=0.1)


def test_concurrent_posts_get_unique_timestamps(slack: FakeSlack, client: WebClient) -> None:
    threads = [
        threading.Thread(target=client.chat_postMessage, kwargs={"channel": "C1", "text": str(i)}) for i in range(20)
    ]
    for thread in threads:
        thread.start()
    calls = slack.wait_for("chat.postMessage", count=20)
    for thread in threads:
        thread.join()
    assert len(calls) == 20
    assert len({m["ts"] for m in slack.messages("C1")}) == 20


def test_reset_clears_everything(slack: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="x")
    slack.fail_next("auth.test")
    slack.reset()
    assert slack.calls == [] and slack.messages("C1") == []
    assert client.auth_test()["ok"]


# ----- signing helpers ---------------------------------------------------------------


def test_sign_is_accepted_by_slack_sdk_verifier() -> None:
    body = slash_command_body(text="Bath")
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, sign(SECRET, body))
    assert not verifier.is_valid_request(body, sign("wrong-secret", body))
    stale = int(time.time()) - 10 * 60
    assert not verifier.is_valid_request(body, sign(SECRET, body, timestamp=stale))


def test_slash_command_body_has_every_field_slack_sends() -> None:
    fields = parse_qs(slash_command_body(text="Bath and NE Somerset", response_url="http://x/r"))
    assert set(fields) >= {
        "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
        "command", "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id",
    }  # fmt: skip
    assert fields["text"] == ["Bath and NE Somerset"] and fields["command"] == ["/result"]


def _bolt_app(slack: FakeSlack) -> App:
    # process_before_response keeps listeners on the dispatching thread, so asserts follow directly.
    return App(
        client=WebClient(token="xoxb-test", base_url=slack.base_url),
        signing_secret=SECRET,
        process_before_response=True,
    )


def _dispatch(app: App, body: str) -> int:
    return app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body))).status


def test_bolt_accepts_every_builder(slack: FakeSlack) -> None:
    app = _bolt_app(slack)
    seen: dict[str, object] = {}

    @app.command("/result")
    def on_command(ack, command, respond) -> None:
        ack()
        respond(f"results for {command['text']}")

    @app.event("app_mention")
    def on_mention(event, say) -> None:
        say(text=f"heard {event['text']}", thread_ts=event.get("thread_ts") or event["ts"])

    @app.message("hello")
    def on_dm(message) -> None:
        seen["dm"] = (message["channel_type"], message["text"])

    @app.action("pick")
    def on_action(ack, action, body, respond) -> None:
        ack()
        seen["action"] = (action["value"], body["container"]["channel_id"])
        respond(replace_original=True, text="picked")

    @app.view("choose")
    def on_view(ack, view) -> None:
        ack()
        seen["view"] = (view["private_metadata"], view["state"]["values"]["b"]["a"]["value"])

    cmd_url = slack.response_url("cmd")
    assert _dispatch(app, slash_command_body(text="Bath", response_url=cmd_url)) == 200
    assert slack.wait_for("response_url")[0].params["text"] == "results for Bath"

    mention = app_mention_event("results?", thread_ts="1700000000.000001")
    assert _dispatch(app, event_callback_body(mention)) == 200
    posted = slack.wait_for("chat.postMessage")[0].params
    assert posted["channel"] == "C123" and posted["thread_ts"] == "1700000000.000001"
    assert posted["text"] == "heard <@UBOT> results?"

    assert _dispatch(app, event_callback_body(dm_message_event("hello bot"), event_id="Ev2")) == 200
    assert seen["dm"] == ("im", "hello bot")

    action_url = slack.response_url("action")
    assert _dispatch(app, block_actions_body("pick", "bath", response_url=action_url)) == 200
    assert seen["action"] == ("bath", "C123")
    [action_reply] = slack.wait_for("response_url", where=lambda c: c.path.endswith("/action"))
    assert action_reply.params["replace_original"] is True

    values = {"b": {"a": {"type": "plain_text_input", "value": "Bath"}}}
    assert _dispatch(app, view_submission_body("choose", values, private_metadata="ctx")) == 200
    assert seen["view"] == ("ctx", "Bath")

    tampered = slash_command_body(text="Bath")
    headers = signed_headers(SECRET, tampered)
    assert app.dispatch(BoltRequest(body=tampered + "x", headers=headers)).status == 401


def test_post_returns_error_statuses_instead_of_raising(slack: FakeSlack) -> None:
    slack.http_error_next("response_url", status=500)
    status, headers, data = post(slack.response_url(), json.dumps({"text": "x"}), {})
    assert status == 500 and data == b"Internal Server Error"
    assert headers["content-type"].startswith("text/plain")


# ----- Socket Mode -------------------------------------------------------------------


def _open_link(slack: FakeSlack, app_token: str = "xapp-1-A0RESULTS-test"):
    """Connect as a plain RFC 6455 client (websockets' own), independent of slack_sdk's."""
    from websockets.sync.client import connect

    url = WebClient(base_url=slack.base_url).apps_connections_open(app_token=app_token)["url"]
    return url, connect(url, open_timeout=5, close_timeout=1)


def test_apps_connections_open_needs_an_app_level_token(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as info:
        WebClient(base_url=slack.base_url).apps_connections_open(app_token="xoxb-a-bot-token")
    assert info.value.response["error"] == "not_allowed_token_type"

    opened = WebClient(base_url=slack.base_url).apps_connections_open(app_token="xapp-1-A0RESULTS-test")
    assert opened["ok"] is True
    split = urlsplit(opened["url"])
    assert (split.scheme, split.hostname, split.path) == ("ws", "127.0.0.1", "/link/")
    assert parse_qs(split.query)["ticket"][0] and split.port != slack.port
    refused, accepted = slack.calls_to("apps.connections.open")
    assert (refused.outcome, refused.token) == ("error", "xoxb-a-bot-token")
    assert (accepted.outcome, accepted.token) == ("ok", "xapp-1-A0RESULTS-test")


def test_socket_link_says_hello_then_carries_envelopes_and_acks(slack: FakeSlack) -> None:
    assert slack.socket_connected(timeout=0.1) is False
    _, link = _open_link(slack)
    with link:
        hello = json.loads(link.recv(timeout=5))
        assert hello["type"] == "hello" and hello["num_connections"] == 1
        assert hello["connection_info"] == {"app_id": "A0RESULTS"} and hello["debug_info"]["host"]
        assert slack.socket_connected(timeout=5) and slack.open_socket_connections == 1

        envelope = envelope_for(slash_command_body(text="bath"), envelope_id="env-1")
        assert slack.socket_send(envelope) == "env-1"
        assert json.loads(link.recv(timeout=5)) == envelope

        # An envelope without an id gets a fresh one, as Slack's always have one.
        generated = slack.socket_send({"type": "events_api", "payload": {}})
        assert json.loads(link.recv(timeout=5))["envelope_id"] == generated

        link.send(json.dumps({"envelope_id": "env-1", "payload": {"text": "ok"}}))
        assert slack.wait_for_socket_ack("env-1") == {"envelope_id": "env-1", "payload": {"text": "ok"}}
        link.send("not json")
        assert _eventually(lambda: "not json" in slack.socket_received)
        assert slack.socket_acks == [{"envelope_id": "env-1", "payload": {"text": "ok"}}]

        assert slack.socket_ping(timeout=5) is True  # websockets' client answers pings, as any client must

        slack.reset()  # forgets the acks, keeps the connection
        assert slack.socket_acks == [] and slack.open_socket_connections == 1
        slack.socket_disconnect(reason="warning")
        assert json.loads(link.recv(timeout=5)) == {
            "type": "disconnect",
            "reason": "warning",
            "debug_info": {"host": hello["debug_info"]["host"]},
        }
    assert _eventually(lambda: slack.open_socket_connections == 0)
    assert slack.socket_connections_accepted == 1


def test_socket_tickets_are_required_and_single_use(slack: FakeSlack) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url, link = _open_link(slack)
    with link:
        pass
    with pytest.raises(InvalidStatus) as info:
        connect(url, open_timeout=5)
    assert info.value.response.status_code == 401
    split = urlsplit(url)
    with pytest.raises(InvalidStatus):
        connect(f"ws://{split.netloc}/link/", open_timeout=5)
    with pytest.raises(InvalidStatus):
        connect(f"ws://{split.netloc}/elsewhere/?{split.query}", open_timeout=5)
    assert slack.socket_connections_accepted == 1


def test_socket_waits_fail_clearly_without_a_client(slack: FakeSlack) -> None:
    with pytest.raises(AssertionError, match="no app connected over Socket Mode"):
        slack.socket_send({"type": "events_api", "payload": {}}, timeout=0.2)
    with pytest.raises(AssertionError, match="no ack for envelope 'nope'"):
        slack.wait_for_socket_ack("nope", timeout=0.2)


def test_stop_closes_socket_links_going_away() -> None:
    from websockets.exceptions import ConnectionClosed

    slack = FakeSlack().start()
    _, link = _open_link(slack)
    with link:
        link.recv(timeout=5)  # hello
        started = time.monotonic()
        slack.stop()
        assert time.monotonic() - started < 3
        with pytest.raises(ConnectionClosed):
            link.recv(timeout=5)
        assert link.close_code == 1001


def test_envelopes_wrap_the_payloads_slack_would_post() -> None:
    command = envelope_for(slash_command_body(text="bath", response_url="https://example.invalid/r"))
    assert command["type"] == "slash_commands" and command["accepts_response_payload"] is True
    assert command["payload"]["command"] == "/result" and command["payload"]["text"] == "bath"
    assert command["payload"]["is_enterprise_install"] == "false"  # form values stay strings, as Slack sends them
    assert len(command["envelope_id"]) == 36 and "retry_attempt" not in command

    event = envelope_for(
        event_callback_body(app_mention_event("hi"), event_id="Ev9"), retry_attempt=1, retry_reason="timeout"
    )
    assert event["type"] == "events_api" and event["accepts_response_payload"] is False
    assert (event["retry_attempt"], event["retry_reason"]) == (1, "timeout")
    assert event["payload"]["event_id"] == "Ev9" and event["payload"]["event"]["type"] == "app_mention"
    assert envelope_for(event_callback_body(app_mention_event("hi")))["retry_attempt"] == 0

    click = envelope_for(block_actions_body("pick", "bath"))
    assert click["type"] == "interactive" and click["accepts_response_payload"] is False
    assert click["payload"]["actions"][0]["value"] == "bath"
    submit = envelope_for(view_submission_body("choose", {}))
    assert submit["payload"]["type"] == "view_submission" and submit["accepts_response_payload"] is True

    assert socket_envelope("slash_commands", {}, envelope_id="e1")["envelope_id"] == "e1"
    with pytest.raises(ValueError):
        envelope_for(json.dumps({"type": "url_verification", "challenge": "x"}))
    with pytest.raises(ValueError):
        envelope_for("a=b")


def test_slack_sdk_socket_mode_client_round_trip(slack: FakeSlack) -> None:
    """Bolt's SocketModeHandler on slack_sdk's builtin client, exactly as `resultsbot serve` runs it."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    app = App(client=WebClient(token="xoxb-test", base_url=slack.base_url), signing_secret="")

    @app.command("/result")
    def on_command(ack, command, respond) -> None:
        ack(f"looking up {command['text']}")
        respond(f"results for {command['text']}")

    @app.event("app_mention")
    def on_mention(event, say) -> None:
        say(text="heard", thread_ts=event.get("thread_ts") or event["ts"])

    @app.view("choose")
    def on_view(ack) -> None:
        ack(response_action="errors", errors={"b": "no such seat"})

    handler = SocketModeHandler(app, "xapp-1-A0RESULTS-test")
    try:
        handler.connect()
        assert slack.socket_connected(timeout=5)
        [opened] = slack.calls_to("apps.connections.open")
        assert opened.token == "xapp-1-A0RESULTS-test"

        body = slash_command_body(text="bath", response_url=slack.response_url("sm"))
        ack = slack.wait_for_socket_ack(slack.socket_send(envelope_for(body)))
        assert ack["payload"] == {"text": "looking up bath"}
        assert slack.wait_for("response_url")[0].params["text"] == "results for bath"

        mention = event_callback_body(app_mention_event("hi", ts="1700000000.000500"), event_id="EvSm")
        ack = slack.wait_for_socket_ack(slack.socket_send(envelope_for(mention)))
        assert "payload" not in ack  # an event's ack carries nothing
        [posted] = slack.wait_for("chat.postMessage")
        assert posted.params["thread_ts"] == "1700000000.000500" and posted.token == "xoxb-test"

        ack = slack.wait_for_socket_ack(slack.socket_send(envelope_for(view_submission_body("choose", {}))))
        assert ack["payload"] == {"response_action": "errors", "errors": {"b": "no such seat"}}

        # The builtin client answers Slack's pings...
        assert slack.socket_ping(timeout=5) is True
        # ...and on a `disconnect` (a refresh) asks for a new URL, moves to it and drops the old link.
        slack.socket_disconnect()
        slack.wait_for("apps.connections.open", count=2)
        assert _eventually(lambda: slack.socket_connections_accepted == 2 and slack.open_socket_connections == 1, 10)
        ack = slack.wait_for_socket_ack(slack.socket_send(envelope_for(slash_command_body(text="wells"))), timeout=10)
        assert ack["payload"] == {"text": "looking up wells"}
    finally:
        handler.close()
    assert _eventually(lambda: slack.open_socket_connections == 0, 5)
