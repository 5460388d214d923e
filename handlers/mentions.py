"""`@resultsbot …` in a channel and direct messages: plain-English questions, answered in thread."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import App, Say

from handlers.commands import SORRY
from handlers.replies import notice, reply_to_question

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    results = services.store.results

    def answer(event: dict[str, Any], say: Say) -> None:
        text = event.get("text") or ""
        try:
            reply = reply_to_question(text, results)
        except Exception:
            log.exception("question %r from %s in %s failed", text, event.get("user"), event.get("channel"))
            reply = notice(SORRY)
        # In the thread the mention sits in, or a new thread on the mentioning message; a direct
        # message is a conversation already, so it is answered in line unless it is in a thread.
        in_line = event.get("channel_type") == "im" and not event.get("thread_ts")
        say(
            text=reply.text,
            blocks=reply.blocks,
            thread_ts=None if in_line else event.get("thread_ts") or event.get("ts"),
        )

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], say: Say) -> None:
        answer(event, say)

    def is_direct_message(event: dict[str, Any]) -> bool:
        # Edits, joins and the bot's own posts arrive as message subtypes or with a bot_id.
        return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")

    @app.event("message", matchers=[is_direct_message])
    def on_direct_message(event: dict[str, Any], say: Say) -> None:
        answer(event, say)

    @app.event("message")
    def ignore_other_messages() -> None:
        # Channel chatter the bot can see needs no reply; acknowledging it keeps Bolt's log quiet.
        return None
