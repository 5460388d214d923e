"""Opening the store the way every entry point needs it: migrated, and holding the bundled data."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

import store
from bot.config import Settings
from store import db
from store.answers import ResultsService
from store.importers.hoc import ImportReport, import_hoc
from store.models import Contest

log = logging.getLogger(__name__)

BUNDLED_DATA = Path(store.__file__).resolve().parent / "data" / "hoc"


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    results: ResultsService


def load_bundled(sessions: sessionmaker[Session], path: Path = BUNDLED_DATA) -> ImportReport:
    with db.transaction(sessions) as session:
        return import_hoc(session, path)


def open_store(settings: Settings, *, seed: bool = True) -> Store:
    """Connect, bring the schema up to date, and on first run load the bundled Library results."""
    engine = db.make_engine(settings.database_url)
    if db.current_revision(engine) != db.head_revision():
        log.info("upgrading the database schema to %s", db.head_revision())
        db.upgrade(engine)
    sessions = db.session_factory(engine)
    if seed:
        with sessions() as session:
            empty = not session.scalar(select(func.count()).select_from(Contest))
        if empty:
            log.info("first run: loading the bundled House of Commons Library results")
            report = load_bundled(sessions)
            named = ": " + "; ".join(d.contest for d in report.discrepancies) if report.discrepancies else ""
            log.info("loaded %d contests (%s%s)", report.contests, report.discrepancy_count(), named)
    return Store(engine, sessions, ResultsService(sessions))


def warm_in_background(results: ResultsService) -> None:
    """Make the answers the night starts with (the seat directory, the latest general election) while
    the bot already serves, so the first reporter to ask does not wait for them."""

    def warm() -> None:
        try:
            results.warm()
        except Exception as error:  # the store unreachable: the first question will read it
            log.warning("could not prepare answers at start-up: %s", error)

    threading.Thread(target=warm, name="warm-answers", daemon=True).start()
