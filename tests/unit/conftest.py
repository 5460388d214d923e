"""Unit tests run with no database and no network: any attempt to open either fails the test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy


@pytest.fixture(autouse=True)
def no_database_no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a unit test tried to open a database or a network connection")

    monkeypatch.setattr(sqlalchemy, "create_engine", refuse)
    monkeypatch.setattr("store.db.create_engine", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield
