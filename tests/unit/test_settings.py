"""Settings read from the environment: they never put a secret into a log line through their repr, and
the digest threshold (RESULTSBOT_DIGEST_AFTER) reaches the dispatcher as set."""

from __future__ import annotations

import math

import pytest

from bot.config import BadSetting, Settings
from bot.dispatcher import DispatchSettings


def test_the_settings_repr_hides_tokens_and_database_passwords() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql+psycopg://resultsbot:db-secret-1@db.example:5432/results",
            "RESULTSBOT_REHEARSAL_DATABASE_URL": "postgresql+psycopg://rehearse:db-secret-2@db.example/rehearsal",
            "SLACK_BOT_TOKEN": "xoxb-secret-3",
            "SLACK_SIGNING_SECRET": "signing-secret-4",
            "RESULTSBOT_INGEST_TOKEN": "ingest-secret-5",
            "PA_FTP_PASSWORD": "ftp-secret-6",
        }
    )
    shown = repr(settings)
    for secret in (
        "db-secret-1",
        "db-secret-2",
        "xoxb-secret-3",
        "signing-secret-4",
        "ingest-secret-5",
        "ftp-secret-6",
    ):
        assert secret not in shown
    # What is not secret still says which store and host are meant, for the log reader.
    assert "resultsbot:***@db.example:5432/results" in shown and "rehearse:***@db.example/rehearsal" in shown


def digest_after(value: str | None) -> float | None:
    environment = {} if value is None else {"RESULTSBOT_DIGEST_AFTER": value}
    settings = Settings.from_env(environment, dotenv=False)
    return DispatchSettings.of(settings, lease_seconds=5).digest_after_seconds


def test_a_channel_is_folded_after_4_s_behind_unless_set_otherwise_or_off() -> None:
    assert digest_after(None) == digest_after("") == 4.0
    assert digest_after("10") == 10.0 and digest_after(" 2.5 ") == 2.5
    assert digest_after("off") is None and digest_after("Never") is None


@pytest.mark.parametrize("value", ["soon", "-1", "nan", str(math.inf) + "x"])
def test_an_unreadable_digest_setting_is_refused_naming_it(value: str) -> None:
    with pytest.raises(BadSetting, match="RESULTSBOT_DIGEST_AFTER"):
        digest_after(value)
