"""`/result QUERY`: ack at once, then the result for the channel or a private nudge for the asker."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond

from handlers.replies import Reply, notice, reply_to_command

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)

COMMAND = "/result"
SORRY = "Sorry, something went wrong looking that up. The desk has been told; please try again in a moment."


def deliver(respond: Respond, reply: Reply) -> None:
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="in_channel" if reply.public else "ephemeral",
        replace_original=False,
    )


def register(app: App, services: Services) -> None:
    results = services.store.results

    @app.command(COMMAND)
    def result_command(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        text = command.get("text") or ""
        try:
            reply = reply_to_command(text, results)
        except Exception:
            log.exception(
                "/result failed for %r from user %s in %s", text, command.get("user_id"), command.get("channel_id")
            )
            reply = notice(SORRY)
        deliver(respond, reply)
