"""Buttons: choosing one seat from a disambiguation list, or another contest of the year under a result,
posts that result."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond

from handlers.blocks import RESULT_ACTION_PREFIX
from handlers.replies import SORRY, deliver, notice, reply_to_command
from handlers.services import Services, acknowledge, bound

log = logging.getLogger(__name__)

CHOICE_ACTION = re.compile(f"^{re.escape(RESULT_ACTION_PREFIX)}")


def choose_result(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, *, services: Services
) -> None:
    ack()
    query = action.get("value") or ""
    try:
        reply = reply_to_command(query, services.results)
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


def register(app: App, services: Services) -> None:
    app.action(CHOICE_ACTION)(ack=acknowledge, lazy=[bound(choose_result, services)])
