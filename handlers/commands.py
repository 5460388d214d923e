"""`/result QUERY`: ack at once, then the result for the channel or a private nudge for the asker."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers import entry
from handlers.replies import deliver, notice, reply_to_command

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)

COMMAND = "/result"
ENTER_WORD = "enter"  # `/result enter SEAT` opens the desk's entry modal (handlers.entry)
SORRY = "Sorry, something went wrong looking that up. The desk has been told; please try again in a moment."


def register(app: App, services: Services) -> None:
    results = services.store.results

    @app.command(COMMAND)
    def result_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        text = command.get("text") or ""
        words = text.split(maxsplit=1)
        if words and words[0].casefold() == ENTER_WORD:
            try:
                entry.open_entry_modal(
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
        try:
            reply = reply_to_command(text, results)
        except Exception:
            log.exception(
                "/result failed for %r from user %s in %s", text, command.get("user_id"), command.get("channel_id")
            )
            reply = notice(SORRY)
        deliver(respond, reply)
