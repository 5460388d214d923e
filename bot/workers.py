"""Work that must not hold up Slack's acks, done in worker processes of its own.

Slack gives up on an ack after 3 s, and on the night a desk's reporters ask while the feed ingests
200-candidate results. In one Python process those share one interpreter lock: an ack (a signature
check and an empty 200) waits its turn behind every answer being worked out and every result being
stored. So `resultsbot serve` only checks, acks and hands over (bot.server.AckedFirst), and with
RESULTSBOT_WORKERS above 0 (the default) the answering of slash commands and events and the storing
of POSTed results happen in worker processes, each holding its own Bolt app and store opened from the
same settings, run at a lower CPU priority so that the machine serves the acks first. What stays in
the serving process is quick: interactions (a modal's errors are its ack), the dispatcher, /healthz.

The store is shared through the database, so the workers need one that other processes can open: a
SQLite file or PostgreSQL, not an in-memory database.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest
from sqlalchemy import make_url

from bot.app import RememberedHere, create_app, key_of
from bot.bootstrap import open_store, warm_in_background
from bot.config import Settings
from bot.desk import Desk
from bot.ingest import store_posted
from bot.server import StoreUnreachable, TryLater, slack_headers
from store import db
from store.contest_input import InvalidResult
from store.enter_result import Entered, OutOfOrder

log = logging.getLogger(__name__)

# Added to a worker's nice value: the OS then runs the serving process first whenever both want a CPU.
NICENESS = 10
STOP_GRACE_SECONDS = 5.0
RESTART_WAIT_SECONDS = 1.0
MAX_RESTART_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class NotStored:
    """A POSTed result that was not stored, as plain values that cross a process boundary."""

    problems: dict[str, str] | None = None  # InvalidResult's
    out_of_order: bool = False  # the InvalidResult was OutOfOrder: the stored result is further on
    unreachable: str | None = None  # the database's own words


# One per worker process, set by `_start_worker`.
_app: App | None = None
_desk: Desk | None = None


def _start_worker(settings: Settings, log_level: int, answering: bool) -> None:
    global _app, _desk
    os.nice(NICENESS)
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    store = open_store(settings, seed=False)
    if answering:
        warm_in_background(store.results)
    _desk = Desk(store, settings)
    _app = create_app(settings, store, desk=_desk)


def _answer(body: str, headers: dict[str, str | Sequence[str]]) -> int:
    assert _app is not None
    # The listeners' lazy work goes on in this worker's threads after the dispatch returns.
    return _app.dispatch(BoltRequest(body=body, headers=headers)).status


def _store(text: str, post: bool) -> Entered | NotStored:
    assert _desk is not None
    try:
        return store_posted(_desk, text, post)
    except InvalidResult as invalid:
        return NotStored(problems=invalid.problems, out_of_order=isinstance(invalid, OutOfOrder))
    except Exception as error:
        if db.is_unreachable(error):
            return NotStored(unreachable=" ".join(str(error).split())[:300])
        raise


def _ready() -> None:
    pass


class _Pool:
    """One pool of worker processes and the futures that say its workers have started."""

    def __init__(self, settings: Settings, count: int, *, answering: bool) -> None:
        self.executor = ProcessPoolExecutor(
            count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(settings, logging.getLogger().getEffectiveLevel(), answering),
        )
        self.readiness = [self.executor.submit(_ready) for _ in range(count)]

    @property
    def problem(self) -> str | None:
        for ready in self.readiness:
            if ready.done() and ready.exception() is not None:
                return f"a worker process failed to start: {ready.exception()}"
        return None if any(ready.done() for ready in self.readiness) else "worker processes are starting"

    @property
    def died_starting(self) -> bool:
        """A worker died before the pool was ready (killed, out of memory, its store unreachable): the
        pool is of no more use, and no request would find that out by being refused."""
        return any(ready.done() and isinstance(ready.exception(), BrokenProcessPool) for ready in self.readiness)


class Workers:
    """Two pools of `count` worker processes each: one answers Slack, one stores ingested results, so
    that a run of big ingests never keeps a reporter waiting for an answer."""

    ANSWERING, STORING = "answering", "storing"

    def __init__(self, settings: Settings, count: int) -> None:
        if make_url(settings.database_url).database in (None, "", ":memory:"):
            raise ValueError("worker processes need a database they can open too, not an in-memory one")
        self.settings, self.count = settings, count
        self._answered = RememberedHere()
        self._lock = threading.Lock()
        self._pools: dict[str, _Pool] = {}
        # A pool whose workers die starting is started again, at most this often (doubling, capped),
        # so a store that cannot be reached does not keep the machine busy spawning processes.
        self._restart_wait = {which: RESTART_WAIT_SECONDS for which in (self.ANSWERING, self.STORING)}
        self._restarted_at = {which: 0.0 for which in (self.ANSWERING, self.STORING)}

    def start(self) -> Workers:
        """Start every worker now, in the background, rather than on the first request."""
        self._pools = {which: self._start(which) for which in (self.ANSWERING, self.STORING)}
        return self

    def _start(self, which: str) -> _Pool:
        return _Pool(self.settings, self.count, answering=which == self.ANSWERING)

    @property
    def problem(self) -> str | None:
        """Why requests cannot be served yet (for /healthz): workers still starting, or failing to."""
        if not self._pools:
            return "worker processes are starting"
        for which, pool in list(self._pools.items()):
            if pool.died_starting and time.monotonic() - self._restarted_at[which] >= self._restart_wait[which]:
                self._restart(which, pool, "died while starting")
            elif pool.problem is None:
                self._restart_wait[which] = RESTART_WAIT_SECONDS
        return next((pool.problem for pool in self._pools.values() if pool.problem is not None), None)

    def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Stop within `grace_seconds`: results being stored are finished (their transactions are
        short) and questions being answered have until then; a worker still busy after it is ended,
        so that a process manager's stop (`docker stop` waits 10 s) is a clean exit."""
        deadline = time.monotonic() + grace_seconds
        # The pools keep their processes to themselves, and forget them on shutdown: ending a late one
        # needs them.
        executors = [pool.executor for pool in self._pools.values()]
        processes = [process for e in executors for process in (getattr(e, "_processes", None) or {}).values()]
        for executor in executors:
            executor.shutdown(wait=False, cancel_futures=True)
        late = 0
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                late += 1
                process.terminate()
        if late:
            log.warning("%d worker process(es) still answering after %.0f s were ended", late, grace_seconds)

    def hand_over(self, environ: dict[str, Any], payload: dict[str, Any]) -> None:
        """bot.server's Handover: answer an acked Slack request in a worker. A request this process
        has handed over already (a replay, or a retried event) is dropped here: two workers would not
        know of each other's (on PostgreSQL they also share the store's record, bot.app.AnsweredRequests)."""
        key = key_of(payload, environ.get("HTTP_X_SLACK_SIGNATURE"))
        if key is not None and not self._answered.first_time(key):
            log.info("dropping a repeated request (%s)", key.split(":", 1)[0])
            return
        body = environ["wsgi.input"].getvalue().decode("utf-8")
        future = self._submit(self.ANSWERING, _answer, body, slack_headers(environ))
        future.add_done_callback(_report_answer)

    def enter_posted(self, text: str, post: bool) -> Entered:
        """bot.ingest's EnterPosted: store a POSTed result in a worker and wait for it."""
        if self.problem is not None:
            raise TryLater(self.problem)
        try:
            outcome = self._submit(self.STORING, _store, text, post).result()
        except BrokenProcessPool:
            raise TryLater("the worker storing it stopped; an unchanged result is not stored twice") from None
        if isinstance(outcome, NotStored):
            if outcome.problems is not None:
                raise (OutOfOrder if outcome.out_of_order else InvalidResult)(outcome.problems)
            raise StoreUnreachable(outcome.unreachable or "")
        return outcome

    def _submit(self, which: str, function: Any, *args: Any) -> Future[Any]:
        pool = self._pools[which]
        try:
            return pool.executor.submit(function, *args)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): /healthz waits for the new pool's workers as it
            # did at start-up.
            self._restart(which, pool, "died")
            return self._pools[which].executor.submit(function, *args)

    def _restart(self, which: str, pool: _Pool, how: str) -> None:
        """Start `which`'s pool afresh in place of `pool`, once however many requests find it broken."""
        with self._lock:
            if self._pools.get(which) is not pool:
                return
            log.error("a worker process %s %s; starting its pool again", which, how)
            waited = self._restart_wait[which]
            self._restart_wait[which] = min(MAX_RESTART_WAIT_SECONDS, waited * 2) if pool.died_starting else waited
            self._restarted_at[which] = time.monotonic()
            self._pools[which] = self._start(which)


def _report_answer(done: Future[int]) -> None:
    if done.cancelled():  # the bot is stopping
        return
    error = done.exception()
    if error is not None:
        log.error("a worker could not answer a Slack request: %r", error)
    elif done.result() != 200:
        log.warning("a Slack request acked at once was answered %s by the app", done.result())
