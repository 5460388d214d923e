"""Alembic environment: the engine comes from the caller (store.db.upgrade) or from DATABASE_URL."""

import os

from alembic import context
from sqlalchemy import Engine

from store.models import Base


def _engine() -> Engine:
    engine = context.config.attributes.get("engine")
    if engine is not None:
        return engine
    from store.db import default_database_url, make_engine

    return make_engine(os.environ.get("DATABASE_URL") or default_database_url())


def run_migrations_online() -> None:
    with _engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
