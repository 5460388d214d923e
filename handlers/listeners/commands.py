"""`/result QUERY`: ack at once, then the result for the channel or a private nudge for the asker (and
for an editor asking for the scoreboard, PA's state of parties against it, only for them)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers.follow_replies import FOLLOW_WORDS, reply_to_follow
from handlers.listeners import entry_modal
from handlers.replies import SORRY, deliver, notice, reply_to_command
from handlers.services import Services, acknowledge, bound

log = logging.getLogger(__name__)

COMMAND = "/result"
ENTER_WORD = "enter"  # `/result enter SEAT` opens the desk's entry modal (handlers.listeners.entry_modal)


def result_command(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, *, services: Services
) -> None:
    ack()
    text = command.get("text") or ""
    words = text.split(maxsplit=1)
    if words and words[0].casefold() == ENTER_WORD:
        try:
            entry_modal.open_entry_modal(
                services,
                words[1] if len(words) > 1 else "",
                user_id=command.get("user_id") or "",
                channel_id=command.get("channel_id") or "",
                trigger_id=command.get("trigger_id") or "",
                response_url=command.get("response_url") or "",
                client=client,
                respond=respond,
            )
        except Exception:
            log.exception(
                "/result %r from user %s in %s failed", text, command.get("user_id"), command.get("channel_id")
            )
            deliver(respond, notice(SORRY))
        return
    if words and words[0].casefold() in FOLLOW_WORDS and services.follows is not None:
        try:
            reply = reply_to_follow(
                words[0].casefold(),
                words[1] if len(words) > 1 else "",
                channel=command.get("channel_id") or "",
                user=command.get("user_id") or "",
                follows=services.follows,
            )
        except Exception:
            log.exception(
                "/result %r from user %s in %s failed", text, command.get("user_id"), command.get("channel_id")
            )
            reply = notice(SORRY)
        deliver(respond, reply)
        return
    user = command.get("user_id") or ""
    try:
        reply = reply_to_command(
            text, services.results, is_editor=lambda: services.editors.status(user, client) == "editor"
        )
    except Exception:
        log.exception(
            "/result failed for %r from user %s in %s", text, command.get("user_id"), command.get("channel_id")
        )
        reply = notice(SORRY)
    deliver(respond, reply)
    if reply.followup is not None:
        deliver(respond, reply.followup)


def register(app: App, services: Services) -> None:
    app.command(COMMAND)(ack=acknowledge, lazy=[bound(result_command, services)])
