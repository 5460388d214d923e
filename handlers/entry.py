"""`/result enter SEAT`: the desk editor's modal (registered here; see `register`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

if TYPE_CHECKING:
    from bot.app import Services


def register(app: App, services: Services) -> None:
    return None
