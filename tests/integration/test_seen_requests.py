"""Answered requests in the store: a key is new exactly once, however many processes ask at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from store.seen import SeenRequests


def test_a_key_is_new_once_even_when_ten_replicas_ask_at_the_same_moment(sessions) -> None:
    replicas = [SeenRequests(sessions) for _ in range(10)]
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda seen: seen.first_time("event:Ev1"), replicas))
    assert sorted(answers) == [False] * 9 + [True]
    assert replicas[0].first_time("event:Ev2") and not replicas[5].first_time("event:Ev2")


def test_keys_older_than_the_ttl_are_forgotten(sessions) -> None:
    seen = SeenRequests(sessions, ttl_seconds=0.0, purge_every=1)
    assert seen.first_time("signature:v0=abc")
    assert not seen.first_time("signature:v0=abc")  # still there when asked; swept as expired after
    assert seen.first_time("signature:v0=abc")
    kept = SeenRequests(sessions, ttl_seconds=3600, purge_every=1)
    assert kept.first_time("signature:v0=def")
    assert not kept.first_time("signature:v0=def") and not kept.first_time("signature:v0=def")
