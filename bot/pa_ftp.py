"""Mirroring PA's FTP folder into a local one for `resultsbot watch pa DIR --ftp`, with the standard
library's ftplib. `.timestamp` is fetched first and the listing read only when it changed; each new
file is written under a temporary name and renamed, so the watcher never reads one half-copied, and
`.timestamp` is written last, once every file it announces is in place. Credentials come from the
environment (bot.config) and are never logged."""

from __future__ import annotations

import ftplib
import io
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from store.importers.pa_watch import TIMESTAMP

log = logging.getLogger(__name__)


class FtpSession(Protocol):
    def retrbinary(self, cmd: str, callback: Callable[[bytes], object]) -> str: ...
    def nlst(self, *args: str) -> list[str]: ...
    def quit(self) -> str: ...


def connect(host: str, user: str | None, password: str | None, folder: str) -> FtpSession:
    session = ftplib.FTP(host, timeout=30)
    session.login(user or "anonymous", password or "")
    session.cwd(folder)
    return session


class FtpMirror:
    def __init__(self, open_session: Callable[[], FtpSession], local: Path) -> None:
        self.open_session, self.local = open_session, Path(local)
        self._session: FtpSession | None = None
        self._timestamp: bytes | None = None

    def _fetch(self, session: FtpSession, name: str) -> bytes:
        buffer = io.BytesIO()
        session.retrbinary(f"RETR {name}", buffer.write)
        return buffer.getvalue()

    def _write(self, name: str, data: bytes) -> None:
        partial = self.local / f".{name}.partial"
        partial.write_bytes(data)
        os.replace(partial, self.local / name)

    def mirror(self) -> int:
        """Copy files new since the last look; how many were copied. A connection that fails is
        dropped and opened again at the next look (an FTP server drops idle sessions)."""
        try:
            return self._mirror()
        except ftplib.all_errors as error:
            log.warning("PA FTP: %s; connecting again at the next look", type(error).__name__)
            self._session = None
            return 0

    def _mirror(self) -> int:
        if self._session is None:
            self._session = self.open_session()
        session = self._session
        stamp = self._fetch(session, TIMESTAMP)
        if stamp == self._timestamp:
            return 0
        copied = 0
        for name in session.nlst():
            base = Path(name).name
            if not base.casefold().endswith(".xml") or (self.local / base).exists():
                continue  # PA never rewrites a file: a change comes as a new revision, a new name
            self._write(base, self._fetch(session, name))
            copied += 1
        self._write(TIMESTAMP, stamp)
        self._timestamp = stamp
        return copied
