"""Slack's surfaces, one module each (as in Bolt's starter template), each with `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from handlers.listeners import actions, commands, entry_modal, mentions
from handlers.services import Services


def register_listeners(app: App, services: Services) -> None:
    for surface in (commands, mentions, actions, entry_modal):
        surface.register(app, services)
