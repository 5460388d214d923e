"""A throwaway database for a benchmark run: a temporary SQLite file, or a private schema on the
PostgreSQL server named by --database-url (dropped afterwards), so benchmarks never touch real data."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from bot.bootstrap import BUNDLED_DATA, Store, load_bundled
from store import db
from store.answers import ResultsService


@contextmanager
def scratch_engine(database_url: str | None) -> Iterator[Engine]:
    if not database_url or database_url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            engine = db.make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            db.upgrade(engine)
            yield engine
            engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = db.make_engine(db.create_schema(database_url, schema))
    try:
        db.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        db.drop_schema(database_url, schema)


@contextmanager
def loaded_store(database_url: str | None = None) -> Iterator[Store]:
    """A scratch store holding every bundled Library result."""
    with scratch_engine(database_url) as engine:
        sessions = db.session_factory(engine)
        load_bundled(sessions, BUNDLED_DATA)
        yield Store(engine, sessions, ResultsService(sessions))
