"""Shared fixtures: a fresh store per test on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

Each PostgreSQL store lives in a schema of its own, so test runs (and parallel runs on one server)
never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import BUNDLED_DATA, Store, load_bundled
from store import db
from store.answers import ResultsService
from store.importers.hoc import ImportReport
from tests.fakeslack import FakeSlack
from tests.slack_markup import assert_no_live_markup

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def database_url(engine: Engine) -> str:
    """The URL of a test database, for handing to a subprocess (DATABASE_URL)."""
    return engine.url.render_as_string(hide_password=False)


def _drop_postgres_schema(schema: str) -> None:
    db.drop_schema(os.environ["TEST_DATABASE_URL"], schema)


def make_test_engine(backend: str, tmp_path: Path) -> tuple[Engine, str | None]:
    """An empty database for one test: (engine, postgres schema or None)."""
    if backend == "sqlite":
        return db.make_engine(f"sqlite:///{tmp_path / 'results.db'}"), None
    schema = f"rb_{uuid.uuid4().hex[:12]}"
    return db.make_engine(db.create_schema(os.environ["TEST_DATABASE_URL"], schema)), schema


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database with the schema migrated to head."""
    engine, schema = make_test_engine(backend, tmp_path)
    db.upgrade(engine)
    yield engine
    engine.dispose()
    if schema:
        _drop_postgres_schema(schema)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return db.session_factory(engine)


@pytest.fixture
def store(engine: Engine, sessions: sessionmaker[Session]) -> Store:
    """An empty, migrated store (no bundled data), on each backend."""
    return Store(engine, sessions, ResultsService(sessions))


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """A fresh fake Slack Web API server on 127.0.0.1 for one test."""
    with FakeSlack() as fake:
        yield fake
        assert_no_live_markup(fake)


@dataclass
class LoadedStore:
    results: ResultsService
    sessions: sessionmaker[Session]
    report: ImportReport
    backend: str
    store: Store


def _loaded(backend: str, tmp_path: Path) -> Iterator[LoadedStore]:
    engine, schema = make_test_engine(backend, tmp_path)
    db.upgrade(engine)
    factory = db.session_factory(engine)
    report = load_bundled(factory, BUNDLED_DATA)
    results = ResultsService(factory)
    yield LoadedStore(results, factory, report, backend, Store(engine, factory, results))
    engine.dispose()
    if schema:
        _drop_postgres_schema(schema)


@pytest.fixture(scope="session", params=BACKENDS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedStore]:
    """Every bundled Library file loaded once per backend; tests must only read it."""
    yield from _loaded(request.param, tmp_path_factory.mktemp(f"loaded-{request.param}"))


@pytest.fixture(scope="session")
def loaded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedStore]:
    """The full bundled store on SQLite only, for tests about reading rather than the database."""
    yield from _loaded("sqlite", tmp_path_factory.mktemp("loaded-sqlite-only"))
