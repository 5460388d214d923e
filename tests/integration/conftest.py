"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest

from store.answers import ResultsService


@pytest.fixture
def no_seat_lookup(loaded_sqlite, monkeypatch) -> ResultsService:
    """The bundled store, where any single-seat or candidate lookup fails the test: the questions asked of
    it name no seat and no person, so none may be answered with one."""
    service = loaded_sqlite.results

    def refuse(query: str):
        raise AssertionError(f"looked up a seat or a person for {query!r}")

    for lookup in ("ask", "person", "latest_winner", "candidates_standing"):
        monkeypatch.setattr(service, lookup, refuse)
    return service
