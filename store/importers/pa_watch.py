"""Watching a folder the newsroom mirrors from PA's FTP server: `.timestamp` is read first and the
folder scanned only when it changed; files not taken before go through `store.importers.pa`.

What was taken is remembered in `feed_file` (so a restart takes nothing twice); a refused or skipped
file, and a state of parties (PA may rewrite one under the same name), is remembered in memory by its
name, size and modification time, so it is reported once and read again only when it changes (after a
restart, a state of parties no newer than the one kept is read again and skipped).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.importers.pa import PaReport, feed_order, import_pa
from store.importers.pa_files import SOP, parse_file_name
from store.models import FeedFile

log = logging.getLogger(__name__)

TIMESTAMP = ".timestamp"


class PaFolderWatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        folder: Path,
        *,
        channels: Sequence[str] | None = None,
        on_report: Callable[[PaReport], None] | None = None,
        before_scan: Callable[[], object] | None = None,
        rehearsal: Callable[[], sessionmaker[Session]] | None = None,
    ) -> None:
        self.sessions, self.folder = sessions, Path(folder)
        self.rehearsal = rehearsal  # where PA Test files go (`import_pa`)
        self.channels = None if channels is None else tuple(channels)
        self.on_report = on_report
        self.before_scan = before_scan  # e.g. copy new files from PA's FTP server into the folder
        self._last_timestamp: str | None = None
        self._left: dict[str, tuple[int, int]] = {}  # name -> (size, mtime_ns) of a file refused or skipped
        with sessions() as session:
            self._taken = set(session.scalars(select(FeedFile.name)))

    def _timestamp(self) -> str | None:
        try:
            return (self.folder / TIMESTAMP).read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None

    def scan(self) -> PaReport | None:
        """One look at the folder: None when `.timestamp` has not changed since the last look."""
        if self.before_scan is not None:
            self.before_scan()
        stamp = self._timestamp()
        if stamp is not None and stamp == self._last_timestamp:
            return None
        try:
            candidates = [p for p in self.folder.iterdir() if p.is_file() and p.suffix.casefold() == ".xml"]
        except OSError as error:
            log.warning("cannot read %s: %s", self.folder, error.strerror)
            return None
        wanted = []
        for path in candidates:
            if path.name in self._taken:
                continue
            try:
                status = path.stat()
            except OSError:
                continue  # gone between listing and looking: the next scan sees what replaced it
            if self._left.get(path.name) == (status.st_size, status.st_mtime_ns):
                continue
            wanted.append(path)

        def remember(path: Path, what: str) -> None:
            # A state of parties is named after the results it covers, so PA may rewrite one under the
            # same name with a newer revision: it is remembered as it is now, like a file left alone.
            named = parse_file_name(path.name)
            if what == "taken" and (named is None or named.kind != SOP):
                self._taken.add(path.name)
                return
            try:
                status = path.stat()
            except OSError:
                return
            self._left[path.name] = (status.st_size, status.st_mtime_ns)

        report = import_pa(
            self.sessions, feed_order(wanted), channels=self.channels, on_file=remember, rehearsal=self.rehearsal
        )
        # Only once the scan is done: a file dropped while it ran changes the stamp again.
        self._last_timestamp = stamp
        if self.on_report is not None:
            self.on_report(report)
        return report

    def run(self, interval: float, stop: threading.Event) -> None:
        """Scan every `interval` seconds until `stop` is set; an error in one scan is logged and the
        next scan goes ahead (a feed outage must not end the watch)."""
        while not stop.is_set():
            try:
                self.scan()
            except Exception:  # noqa: BLE001 - the watch must outlive any one bad scan
                log.exception("a scan of %s failed; trying again in %s s", self.folder, interval)
            stop.wait(interval)
