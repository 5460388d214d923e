"""`resultsbot serve` as its own process, as it runs in production, for end-to-end tests."""

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


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)


@contextmanager
def serve_process(
    database: Path, env: dict[str, str], timeout: float = 30, *, healthy: bool = True
) -> Iterator[Served]:
    """Run `python -m bot.cli serve` on `database` with `env` added to this environment; wait for
    /healthz to say ok (or, with `healthy=False`, to answer at all); on exit send SIGTERM (as `docker
    stop` does) and require a clean exit."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PORT": str(port), **env},
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
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{served.url}/healthz", timeout=1) as response:
                    assert json.load(response) == {"ok": True}
                    break
            except urllib.error.HTTPError as unhealthy:
                if not healthy and unhealthy.code == 503:
                    break
                time.sleep(0.2)
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start:\n{served.output}") from None
                time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    assert process.returncode == 0, f"serve did not stop cleanly on SIGTERM:\n{served.output}"
