"""`resultsbot serve` and `resultsbot dispatch` as processes of their own, as they run in production,
for end-to-end tests."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.conftest import SIGNING_SECRET


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_database(source: str, target: Path) -> Path:
    """A private copy of a SQLite store (the bundled data loads once per test run, not per process)."""
    original = sqlite3.connect(source)
    with sqlite3.connect(target) as copy:
        original.backup(copy)
    original.close()
    return target


INGEST_TOKEN = "serve-ingest-token-0123456789"


def serve_env(slack_api_url: str, *, channel: str = "CRESULTS") -> dict[str, str]:
    """`resultsbot serve` in HTTP mode, talking to the Slack at `slack_api_url`."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-serve-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": slack_api_url,
        "RESULTSBOT_RESULTS_CHANNEL": channel,
        "RESULTSBOT_INGEST_TOKEN": INGEST_TOKEN,
    }


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_until_healthy(self, timeout: float = 30, *, healthy: bool = True) -> None:
        """Until /healthz says ok (or, with `healthy=False`, answers at all)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    assert json.load(response) == {"ok": True}
                    return
            except urllib.error.HTTPError as unhealthy:
                if not healthy and unhealthy.code == 503:
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(f"serve did not start:\n{self.output}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"serve was not healthy within {timeout:.0f} s:\n{self.output}")
            time.sleep(0.2)


def as_database_url(database: Path | str) -> str:
    """A SQLite file's path, or a database URL as it is."""
    return f"sqlite:///{database}" if isinstance(database, Path) else database


@contextmanager
def resultsbot_process(command: list[str], database: Path | str, env: dict[str, str]) -> Iterator[Served]:
    """`python -m bot.cli COMMAND` on `database` with `env` added to this environment, its output
    gathered as it comes; on exit SIGTERM (as `docker stop` sends) and a clean exit required."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *command],
        env={**os.environ, "DATABASE_URL": as_database_url(database), "PORT": str(port), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(f"http://127.0.0.1:{port}", process)
    assert process.stdout is not None
    output = process.stdout
    # Drained as it comes, so a chatty log can never fill the pipe and stall the bot.
    reader = threading.Thread(target=lambda: served.lines.extend(iter(output.readline, "")), daemon=True)
    reader.start()
    try:
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    assert process.returncode == 0, f"{command[0]} exited {process.returncode} on SIGTERM, not 0:\n{served.output}"


@contextmanager
def serve_process(
    database: Path | str, env: dict[str, str], timeout: float = 30, *, healthy: bool = True
) -> Iterator[Served]:
    """`resultsbot serve` on `database` (a SQLite file, or a database URL), waited for until /healthz
    says ok (or, with `healthy=False`, answers at all); see `resultsbot_process`."""
    with resultsbot_process(["serve"], database, env) as served:
        served.wait_until_healthy(timeout, healthy=healthy)
        yield served
