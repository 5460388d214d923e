"""`@resultsbot …` in a channel and direct messages: plain-English questions, answered in thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, Say

from handlers.replies import SORRY, notice, reply_to_question
from handlers.services import Services, acknowledge, bound

log = logging.getLogger(__name__)


def answer_question(event: dict[str, Any], say: Say, *, services: Services) -> None:
    """A mention or a direct message: the answer in the thread it sits in, or a new thread on it."""
    text = event.get("text") or ""
    try:
        reply = reply_to_question(text, services.results)
    except Exception:
        log.exception("question %r from %s in %s failed", text, event.get("user"), event.get("channel"))
        reply = notice(SORRY)
    # A direct message is a conversation already, so it is answered in line unless it is in a thread.
    in_line = event.get("channel_type") == "im" and not event.get("thread_ts")
    say(
        text=reply.text,
        blocks=reply.blocks,
        thread_ts=None if in_line else event.get("thread_ts") or event.get("ts"),
    )


def is_direct_message(event: dict[str, Any]) -> bool:
    # Edits, joins and the bot's own posts arrive as message subtypes or with a bot_id.
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


def ignore_other_messages() -> None:
    # Channel chatter the bot can see needs no reply; acknowledging it keeps Bolt's log quiet.
    return None


def register(app: App, services: Services) -> None:
    answer = bound(answer_question, services)
    app.event("app_mention")(ack=acknowledge, lazy=[answer])
    app.event("message", matchers=[is_direct_message])(ack=acknowledge, lazy=[answer])
    app.event("message")(ignore_other_messages)
