"""Settings read from the environment never put a secret into a log line through their repr."""

from __future__ import annotations

from bot.config import Settings


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
