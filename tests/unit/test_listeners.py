"""Listeners are module-level callbacks: called directly, with a mock ack/respond/say and the services,
as Bolt calls them once `register` has bound the services."""

from __future__ import annotations

from unittest.mock import Mock

from handlers.listeners import actions, commands, mentions
from handlers.services import Services
from store.answers import FOUND, Answer
from tests.unit.library import library_summaries, summary_of


class AnsweringFromTheLibrary:
    """Stands in for the store's ResultsService: every query answers Copeland's by-election."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.asked: list[str] = []

    def ask(self, query: str) -> Answer:
        self.asked.append(query)
        if self.fail:
            raise RuntimeError("the database went away")
        summary = summary_of("Copeland", "23 February 2017 by-election")
        return Answer(FOUND, query, "Copeland", summary)


def services_for(results: AnsweringFromTheLibrary) -> Services:
    return Services(results=results, enter=Mock())  # type: ignore[arg-type]


def test_result_command_acks_then_posts_the_result_for_the_channel():
    ack, respond, results = Mock(), Mock(), AnsweringFromTheLibrary()
    command = {"text": "copeland 2017 by-election", "user_id": "U1", "channel_id": "C1"}
    commands.result_command(ack=ack, command=command, respond=respond, client=Mock(), services=services_for(results))
    ack.assert_called_once_with()
    assert results.asked == ["copeland 2017 by-election"]
    (call,) = respond.call_args_list
    assert call.kwargs["response_type"] == "in_channel"
    assert call.kwargs["blocks"][0]["text"]["text"] == "Copeland · by-election · Thursday 23 February 2017"
    assert "Con GAIN from Lab · majority 2,147 (6.9%)" in call.kwargs["text"]


def test_a_failing_store_gets_a_private_apology_not_a_trace():
    ack, respond = Mock(), Mock()
    services = services_for(AnsweringFromTheLibrary(fail=True))
    commands.result_command(ack=ack, command={"text": "copeland"}, respond=respond, client=Mock(), services=services)
    (call,) = respond.call_args_list
    assert call.kwargs["response_type"] == "ephemeral"
    assert call.kwargs["text"].startswith("Sorry, something went wrong")
    assert "Traceback" not in str(call.kwargs) and "database went away" not in str(call.kwargs)


def test_a_mention_is_answered_in_its_thread():
    say, results = Mock(), AnsweringFromTheLibrary()
    event = {"text": "<@UBOT> who won copeland 2017 by-election?", "ts": "2.0", "thread_ts": "1.0", "channel": "C1"}
    mentions.answer_question(event=event, say=say, services=services_for(results))
    (call,) = say.call_args_list
    assert call.kwargs["thread_ts"] == "1.0"
    assert "Trudy Harrison (Con) won Copeland" in call.kwargs["text"]


def test_a_button_naming_another_contest_of_the_year_is_answered_like_a_seat_choice():
    ack, respond, results = Mock(), Mock(), AnsweringFromTheLibrary()
    action = {"action_id": "result_choice_also:0", "value": "Copeland 2017 by-election"}
    body = {"user": {"id": "U1"}, "container": {"is_ephemeral": False}}
    assert actions.CHOICE_ACTION.match(action["action_id"])
    actions.choose_result(ack=ack, action=action, body=body, respond=respond, services=services_for(results))
    ack.assert_called_once_with()
    assert results.asked == ["Copeland 2017 by-election"]
    (call,) = respond.call_args_list
    assert call.kwargs["blocks"][0]["text"]["text"] == "Copeland · by-election · Thursday 23 February 2017"


class ElectionFromTheLibrary:
    """Stands in for the store's ResultsService for questions about the 2024 general election."""

    def kept(self, key, make):
        return make()

    def election_results(self, year, kind):
        name = "2024 general election"
        return name, [s for s in library_summaries() if s.election_name == name]


def test_a_cut_list_goes_to_the_channel_and_its_show_all_button_only_to_the_asker():
    ack, respond = Mock(), Mock()
    command = {"text": "labour holds 2024", "user_id": "U1", "channel_id": "C1"}
    services = services_for(ElectionFromTheLibrary())  # type: ignore[arg-type]
    commands.result_command(ack=ack, command=command, respond=respond, client=Mock(), services=services)
    public, private = respond.call_args_list
    assert public.kwargs["response_type"] == "in_channel"
    assert public.kwargs["text"].startswith("Lab holds at the 2024 general election: ")
    assert not [block for block in public.kwargs["blocks"] if block["type"] == "actions"]
    assert private.kwargs["response_type"] == "ephemeral"
    ((button,),) = [block["elements"] for block in private.kwargs["blocks"] if block["type"] == "actions"]
    assert button["value"] == "all labour holds 2024" and actions.CHOICE_ACTION.match(button["action_id"])

    # Pressed: the whole list, for whoever pressed it only.
    total = int(public.kwargs["text"].split("\n")[0].rsplit(": ", 1)[1])
    respond = Mock()
    body = {"user": {"id": "U1"}, "container": {"is_ephemeral": True}}
    actions.choose_result(ack=Mock(), action=button, body=body, respond=respond, services=services)
    (whole,) = respond.call_args_list
    assert whole.kwargs["response_type"] == "ephemeral"
    lines = [
        line
        for block in whole.kwargs["blocks"]
        if block["type"] == "section"
        for line in block["text"]["text"].split("\n")
    ]
    numbered = [line.split(". ", 1)[0] for line in lines if line.split(". ", 1)[0].isdigit()]
    assert numbered == [str(number) for number in range(1, total + 1)]
