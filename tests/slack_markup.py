"""Live Slack markup in what the bot sent: `<!channel>`, `<!here>`, `<!subteam^…>`, `<@U…>`, `<#C…>` or a
`<https://…|label>` link in a mrkdwn text is a ping or a forged link. The bot puts one there on purpose:
the mention of whoever changed a channel's follows, at the start of its announcement
(`handlers.blocks.mention`). Any other found came from data or a user and was not escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tests.fakeslack import FakeSlack

LIVE_MARKUP = re.compile(r"<\s*(?:[!@#]|(?:https?|mailto|tel|slack):)", re.IGNORECASE)
# The one mention the bot writes itself: a well-formed user ID opening an announcement.
ANNOUNCER = re.compile(r"^<@[UW][A-Z0-9]{2,20}> ")


def _mrkdwn_texts(value: Any, *, top: bool = False) -> Iterator[str]:
    """Every text Slack reads as mrkdwn: a message's `text` and every mrkdwn text object. Plain-text
    objects (headers, button labels) and metadata are shown as given, so they cannot ping."""
    if isinstance(value, dict):
        if top and isinstance(value.get("text"), str):
            yield value["text"]
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield value["text"]
        for key, item in value.items():
            if key not in ("metadata", "text") or (key == "text" and isinstance(item, dict)):
                yield from _mrkdwn_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _mrkdwn_texts(item)


def live_markup(slack: FakeSlack) -> list[str]:
    """`method: text` for every recorded call whose mrkdwn carries live markup."""
    found = []
    for call in slack.calls:
        for text in _mrkdwn_texts(call.params, top=True):
            if LIVE_MARKUP.search(ANNOUNCER.sub("", text, count=1)):
                found.append(f"{call.method}: {text[:200]!r}")
    return found


def assert_no_live_markup(slack: FakeSlack) -> None:
    found = live_markup(slack)
    assert not found, "unescaped Slack markup reached Slack:\n" + "\n".join(found)
