"""Engine, sessions and migrations for the results store."""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
CONNECT_TIMEOUT_SECONDS = 5
T = TypeVar("T")


def default_database_url() -> str:
    """The embedded store: a SQLite file in the user's data directory."""
    path = Path(user_data_dir("resultsbot", appauthor=False)) / "resultsbot.db"
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys on and WAL so readers don't block the writer."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if database and database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    # A server that is down should be reported within seconds, not after the OS's TCP timeout.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


def is_unreachable(error: BaseException) -> bool:
    """Whether `error` means the database cannot be reached (down, refusing, restarting), as opposed
    to a query it refused: a caller says "try again later" rather than "internal error"."""
    return isinstance(error, OperationalError) and not is_transient(error)


def check_reachable(engine: Engine) -> str | None:
    """None when the database answers a trivial query; else the reason, in one line."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        return describe_error(error)
    return None


def describe_error(error: DBAPIError) -> str:
    """The driver's own message in one line, without SQLAlchemy's statement and background link."""
    return " ".join(str(error.orig).split())[:300] or type(error.orig).__name__


def safe_url(url: str) -> str:
    """A database URL fit for a log line or an error message: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commits when the block ends normally, rolls back on any error."""
    with factory() as session, session.begin():
        yield session


# PostgreSQL's codes for a unique key taken by a concurrent transaction, a serialization failure and
# a deadlock: each means "another writer got there first; run the whole transaction again".
_RETRYABLE_SQLSTATES = {"23505", "40001", "40P01"}
_RETRYABLE_SQLITE = ("UNIQUE constraint failed", "database is locked", "database table is locked")


def is_transient(error: DBAPIError) -> bool:
    """Whether `error` came from a concurrent writer, so the same transaction run again will pass."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RETRYABLE_SQLSTATES
    return any(text in str(error.orig) for text in _RETRYABLE_SQLITE)


def run_transaction(factory: sessionmaker[Session], work: Callable[[Session], T], *, attempts: int = 10) -> T:
    """`work` in one transaction, run again from the start when a concurrent writer made it fail (a
    feed, a desk form and a correction arriving at once all find-or-create the same rows)."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction(factory) as session:
                return work(session)
        except DBAPIError as error:
            if attempt == attempts or not is_transient(error):
                raise
            log.info("transaction met a concurrent writer (%s); running it again", type(error.orig).__name__)
            time.sleep(min(0.5, 0.005 * 2**attempt) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


@contextmanager
def setting_up(engine: Engine) -> Iterator[None]:
    """Held while a process migrates and seeds the store at start-up. On PostgreSQL, several processes
    starting at once (replicas, dispatchers) take turns, so one migrates and loads while the others
    wait and then find it done; the lock is the schema's own, so stores in other schemas do not wait.
    SQLite needs none: its writers already queue for the file."""
    if engine.dialect.name != "postgresql":
        yield
        return
    lock = text("SELECT pg_advisory_lock(hashtext('resultsbot setup ' || current_schema()))")
    unlock = text("SELECT pg_advisory_unlock(hashtext('resultsbot setup ' || current_schema()))")
    with engine.connect() as connection:
        connection.execute(lock)
        connection.commit()
        try:
            yield
        finally:
            connection.execute(unlock)
            connection.commit()


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (Alembic), creating it in an empty database."""
    command.upgrade(_alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def schema_url(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema`, so a process given this URL (a
    subprocess, a worker) sees that schema's tables. PostgreSQL only."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def create_schema(url: str, schema: str, *, exist_ok: bool = False) -> str:
    """Create a PostgreSQL schema of its own (a rehearsal's, a test's, a benchmark's); its URL. With
    `exist_ok`, a schema already there is kept as it is."""
    missing = "IF NOT EXISTS " if exist_ok else ""
    _run_ddl(url, f'CREATE SCHEMA {missing}"{_schema_name(schema)}"')
    return schema_url(url, schema)


def drop_schema(url: str, schema: str) -> None:
    _run_ddl(url, f'DROP SCHEMA IF EXISTS "{_schema_name(schema)}" CASCADE')


def _run_ddl(url: str, statement: str) -> None:
    admin = create_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


def _schema_name(schema: str) -> str:
    # The name is quoted into DDL, so only plain identifiers are accepted.
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", schema):
        raise ValueError(f"not a plain schema name: {schema!r}")
    return schema
