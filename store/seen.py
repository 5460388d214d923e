"""Requests already answered, kept in the store so every replica behind a load balancer agrees.

Slack retries an event it got no 200 for within 3 s, and a signed request captured on the wire can be
replayed for 5 minutes: each is answered once, whichever process it reaches.
"""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from store import db
from store.models import SeenRequest

KEY_LIMIT = 100
DEFAULT_TTL_SECONDS = 86_400.0
PURGE_EVERY = 500  # first-time checks between purges of expired keys


class SeenRequests:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        *,
        purge_every: int = PURGE_EVERY,
    ) -> None:
        self.sessions = sessions
        self.ttl = dt.timedelta(seconds=ttl_seconds)
        self.purge_every = purge_every
        self._checks = 0
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """Record `key`; True if no process had recorded it before (an atomic insert, so two replicas
        given the same retry at once cannot both see True)."""
        now = dt.datetime.now(dt.UTC)
        with db.transaction(self.sessions) as session:
            insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            statement = (
                insert(SeenRequest)
                .values(key=key[:KEY_LIMIT], seen_at=now)
                .on_conflict_do_nothing()
                .returning(SeenRequest.key)  # a row back only when this insert made it; rowcount is not portable
            )
            inserted = session.execute(statement).first() is not None
            if self._due_for_purge():
                session.execute(delete(SeenRequest).where(SeenRequest.seen_at < now - self.ttl))
        return inserted

    def _due_for_purge(self) -> bool:
        with self._lock:
            self._checks += 1
            return self._checks % self.purge_every == 1 % self.purge_every
