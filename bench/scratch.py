"""A throwaway database for a benchmark run: a temporary SQLite file, or a private schema on the
PostgreSQL server named by --database-url (dropped afterwards), so benchmarks never touch real data."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from store import db


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
