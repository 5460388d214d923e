"""Buttons: choosing one seat from a disambiguation list posts its result for the channel."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond

from handlers.commands import SORRY
from handlers.replies import deliver, notice, reply_to_command

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)

CHOICE_ACTION = re.compile(r"^result_choice")


def register(app: App, services: Services) -> None:
    results = services.store.results

    @app.action(CHOICE_ACTION)
    def choose_result(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond) -> None:
        ack()
        query = action.get("value") or ""
        try:
            reply = reply_to_command(query, results)
        except Exception:
            log.exception("choice %r from user %s failed", query, body.get("user", {}).get("id"))
            reply = notice(SORRY)
        if reply.public and not body.get("container", {}).get("is_ephemeral", False):
            # Buttons in a thread (a mention's reply): the result takes their place, in the thread.
            # A response_url cannot post into a thread, so replacing is the only way to stay there.
            respond(replace_original=True, text=reply.text, blocks=reply.blocks)
            return
        if reply.public:
            # The buttons were only for the asker; once a seat is chosen they have done their job.
            respond(delete_original=True)
        deliver(respond, reply)
