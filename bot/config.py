"""Every setting, read once from the environment (and a `.env` file, via python-dotenv)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from dotenv import load_dotenv

from store.db import default_database_url, safe_url

# `resultsbot serve` by default: two worker processes answering Slack and two storing ingests (bot.workers).
DEFAULT_WORKERS = 2
# Who posts queued results (RESULTSBOT_DISPATCH): `resultsbot serve` itself, or only `resultsbot dispatch`
# processes running beside it (compose.yaml).
DISPATCH_IN_SERVE = "serve"
DISPATCH_SEPARATE = "separate"
DISPATCH_CHOICES = (DISPATCH_IN_SERVE, DISPATCH_SEPARATE)


# How far behind (seconds) a channel may fall before the results waiting for it are folded into a
# digest (RESULTSBOT_DIGEST_AFTER; "off": never). A result waits at most about this plus one post: 4 s
# keeps a 10x replay of the 2019 peak under 5 s at p99 (bench/bench_rehearse.py), where 10 s let it
# reach 7 s, since bursts of up to ten results never counted as 10 s behind and queued one by one.
DEFAULT_DIGEST_AFTER = 4.0
NEVER = frozenset({"off", "never", "none"})


class BadSetting(ValueError):
    """A setting in the environment that cannot be read: the message names it and says what it takes."""


def _digest_after(value: str | None) -> float | None:
    text = (value or "").strip().lower()
    if not text:
        return DEFAULT_DIGEST_AFTER
    if text in NEVER:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses nan
        raise BadSetting(f"RESULTSBOT_DIGEST_AFTER is {value!r}: set it to a number of seconds (e.g. 10) or off")
    return seconds


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    port: int = 3000
    results_channels: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    editor_group: str | None = None
    ingest_token: str | None = None
    log_level: str = "INFO"
    # Worker processes that answer Slack and store ingested results (bot.workers); 0: all in one process.
    workers: int = 0
    dispatch: str = DISPATCH_IN_SERVE
    # PA's FTP server, for `resultsbot watch pa DIR --ftp` (the folder is then a local mirror).
    pa_ftp_host: str | None = None
    pa_ftp_user: str | None = None
    pa_ftp_password: str | None = None
    pa_ftp_dir: str = "/results"
    digest_after_seconds: float | None = DEFAULT_DIGEST_AFTER
    # Where `resultsbot rehearse` and PA Test files go; None: derived from database_url (bot.rehearsal).
    rehearsal_database_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        if environ is None:
            if dotenv:
                load_dotenv(override=False)
            environ = os.environ
        get = environ.get
        return cls(
            database_url=get("DATABASE_URL") or default_database_url(),
            slack_bot_token=get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=get("SLACK_APP_TOKEN") or None,
            slack_api_url=get("SLACK_API_URL") or None,
            port=int(get("PORT") or 3000),
            results_channels=_split(get("RESULTSBOT_RESULTS_CHANNEL")),
            editors=_split(get("RESULTSBOT_EDITORS")),
            editor_group=get("RESULTSBOT_EDITOR_GROUP") or None,
            ingest_token=get("RESULTSBOT_INGEST_TOKEN") or None,
            log_level=get("LOG_LEVEL") or "INFO",
            workers=int(get("RESULTSBOT_WORKERS") or DEFAULT_WORKERS),
            dispatch=(get("RESULTSBOT_DISPATCH") or DISPATCH_IN_SERVE).strip().lower(),
            pa_ftp_host=get("PA_FTP_HOST") or None,
            pa_ftp_user=get("PA_FTP_USER") or None,
            pa_ftp_password=get("PA_FTP_PASSWORD") or None,
            pa_ftp_dir=get("PA_FTP_DIR") or "/results",
            digest_after_seconds=_digest_after(get("RESULTSBOT_DIGEST_AFTER")),
            rehearsal_database_url=get("RESULTSBOT_REHEARSAL_DATABASE_URL") or None,
        )

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def serve_dispatches(self) -> bool:
        """Whether `resultsbot serve` posts queued results itself (it needs results channels too)."""
        return self.dispatch != DISPATCH_SEPARATE

    def __repr__(self) -> str:
        # Never let a token or secret reach a log line through a repr.
        hidden = {"slack_bot_token", "slack_signing_secret", "slack_app_token", "ingest_token", "pa_ftp_password"}
        database_urls = {"database_url", "rehearsal_database_url"}  # they may carry a password
        parts = []
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name in hidden and value:
                value = "***"
            elif name in database_urls and value:
                value = safe_url(value)
            parts.append(f"{name}={value!r}")
        return f"Settings({', '.join(parts)})"
