"""The app manifest is the single truth for what Slack sends us: it must match the listeners."""

from pathlib import Path

import yaml

from handlers.listeners.commands import COMMAND

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())


def test_the_slash_command_is_the_one_the_bot_listens_for():
    assert [c["command"] for c in MANIFEST["features"]["slash_commands"]] == [COMMAND]


def test_events_cover_mentions_and_direct_messages_and_socket_mode_is_the_default():
    settings = MANIFEST["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True


def test_scopes_are_the_ones_the_bot_uses_and_no_more():
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "app_mentions:read",
        "chat:write",
        "chat:write.public",
        "im:history",
        "channels:history",
        "groups:history",
        "usergroups:read",
        "files:write",
    }
