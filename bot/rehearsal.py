"""`resultsbot rehearse`: a past general election replayed into rehearsal channels through the real
pipeline (the entry use case, the outbox, the dispatcher, the live scoreboard), in a store of its own.

The rehearsal store is `RESULTSBOT_REHEARSAL_DATABASE_URL`, or else derived from the live URL
(`rehearsal_database_url`): a sibling SQLite file `<name>-rehearsal.db`, or the schema `rehearsal` of the
same PostgreSQL database. The live store is only read, to refuse a channel that follows live results;
every message the rehearsal's dispatcher sends is labelled REHEARSAL (`handlers.blocks.labelled`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import BUNDLED_DATA, Store, open_store
from bot.config import Settings
from bot.dispatcher import Dispatcher, DispatchSettings
from store import db
from store.channel_follows import ChannelFollows, UnknownTarget
from store.elections import uk_zone
from store.follows import Follow
from store.importers.pa import feed_order, import_pa
from store.importers.pa_files import PaFormatError, discover, read_file
from store.rehearsal import (
    NothingToReplay,
    RehearsalRefused,
    Replayed,
    clear_election,
    enter_replayed,
    followed_channels,
    library_replay,
    night_moment,
    owed,
    polling_day,
    set_follows,
)

log = logging.getLogger(__name__)

REHEARSAL_LABEL = "REHEARSAL"
REHEARSAL_SCHEMA = "rehearsal"
# How often a rehearsal waiting for its last posts says how many are left.
PROGRESS_SECONDS = 30.0


def rehearsal_database_url(settings: Settings) -> str:
    """The rehearsal store's URL: RESULTSBOT_REHEARSAL_DATABASE_URL if set; else, for a SQLite file
    `NAME.db`, its sibling `NAME-rehearsal.db`; for PostgreSQL, the same database's schema `rehearsal`.
    RehearsalRefused when it would be the live store itself, or cannot be derived (an in-memory store)."""
    live = make_url(settings.database_url)
    if settings.rehearsal_database_url:
        url = settings.rehearsal_database_url
    elif live.get_backend_name() == "sqlite":
        if not live.database or live.database == ":memory:":
            raise RehearsalRefused(
                "the live store is in memory, so no rehearsal store can sit beside it: "
                "set RESULTSBOT_REHEARSAL_DATABASE_URL"
            )
        path = Path(live.database)
        url = live.set(database=str(path.with_name(f"{path.stem}-rehearsal.db"))).render_as_string(hide_password=False)
    else:
        # Any search_path the live URL sets is replaced by the rehearsal's schema.
        base = live.difference_update_query(["options"]).render_as_string(hide_password=False)
        url = db.schema_url(base, REHEARSAL_SCHEMA)
    if make_url(url) == live:
        raise RehearsalRefused(
            "RESULTSBOT_REHEARSAL_DATABASE_URL is the live DATABASE_URL: a rehearsal there would change live "
            "answers. Give the rehearsal a database (or schema) of its own"
        )
    return url


def open_rehearsal_store(settings: Settings) -> Store:
    """The rehearsal store, created if missing, migrated and seeded with the bundled Library data like the
    live store (so GAIN or HOLD, changes and swing have their baselines)."""
    url = rehearsal_database_url(settings)
    if not settings.rehearsal_database_url and make_url(url).get_backend_name() == "postgresql":
        base = make_url(settings.database_url).difference_update_query(["options"])
        db.create_schema(base.render_as_string(hide_password=False), REHEARSAL_SCHEMA, exist_ok=True)
    return open_store(dataclasses.replace(settings, database_url=url))


def live_channels(settings: Settings) -> set[str]:
    """Channels that follow live results: RESULTSBOT_RESULTS_CHANNEL's and any with a follow in the live
    store (read only; a store not created yet has none)."""
    channels = set(settings.results_channels)
    live = make_url(settings.database_url)
    if live.get_backend_name() == "sqlite" and (not live.database or not Path(live.database).exists()):
        return channels
    engine = db.make_engine(settings.database_url)
    try:
        return channels | followed_channels(db.session_factory(engine))
    finally:
        engine.dispose()


def channel_follows(store: Store, specs: Sequence[str]) -> list[Follow]:
    """`--channel C` (follows all) or `--channel C=FOLLOW` (anything `/result follow` takes), read against
    the rehearsal store; RehearsalRefused naming a follow it cannot read."""
    reader = ChannelFollows(store.sessions, store.results)
    follows = []
    for spec in specs:
        channel, wanted = channel_of(spec), spec.partition("=")[2]
        if not channel:
            raise RehearsalRefused(f"--channel {spec!r} names no channel: give a channel ID, e.g. C0123ABCD=gains")
        try:
            follows.append(reader.understand(channel, wanted.strip() or "all"))
        except UnknownTarget as unknown:
            raise RehearsalRefused(f"--channel {spec}: {unknown.message}") from unknown
    return follows


def channel_of(spec: str) -> str:
    """The channel ID of a `--channel C[=FOLLOW]`."""
    return spec.partition("=")[0].strip()


def refuse_live_channels(settings: Settings, channels: Sequence[str]) -> None:
    """RehearsalRefused when any of `channels` follows live results."""
    live = live_channels(settings)
    taken = sorted(set(channels) & live)
    if taken:
        raise RehearsalRefused(
            f"{', '.join(taken)} follow{'s' if len(taken) == 1 else ''} live results (RESULTSBOT_RESULTS_CHANNEL "
            "or a /result follow in the live store): rehearse in a channel of its own"
        )


@dataclass
class ReplayReport:
    replayed: int = 0
    stopped: bool = False
    left_undelivered: int = 0


def prepare(store: Store, year: int, follows: Sequence[Follow], say: Callable[[str], None]) -> None:
    """Empty the rehearsal store's night of the `year` general election and make `follows` its only
    follows, saying what was cleared."""
    day = polling_day(year)
    with db.transaction(store.sessions) as session:
        removed = clear_election(session, day)
        before = set_follows(session, follows, added_by="resultsbot rehearse")
    say(
        f"Rehearsal store: cleared {removed} contest(s) of the {year} general election (with their posts and "
        f"scoreboards) and {before} earlier rehearsal follow(s)."
    )
    for follow in follows:
        say(f"  {follow.channel} follows {follow.describe()}")


@dataclass(frozen=True)
class Step:
    """One moment of a replay: when it was declared (None: straight after the step before), and what
    enters it into the rehearsal store, returning what to say of it."""

    declared_at: dt.datetime | None
    take: Callable[[], str]


def library_steps(store: Store, results: Sequence[Replayed]) -> list[Step]:
    """The Library's results, each entered through the entry use case."""

    def taking(result: Replayed) -> Callable[[], str]:
        return lambda: f"{result.entry.ons_id} {enter_replayed(store.sessions, result.entry).message}"

    return [Step(result.declared_at, taking(result)) for result in results]


def pa_steps(store: Store, folder: Path) -> list[Step]:
    """A folder of PA files (Test files or not: all go to the rehearsal store), in order of their
    declaration times where they carry one (then those without, in feed order), each taken by
    `import pa`'s own path."""
    paths = feed_order(discover([folder]))
    declared: dict[Path, dt.datetime | None] = {}
    timed: list[tuple[dt.datetime, Path]] = []
    for path in paths:
        try:
            declared[path] = read_file(path).declared_at
        except PaFormatError:
            declared[path] = None  # refused when its turn comes, with the reason
        moment = declared[path]
        if moment is not None:
            timed.append((moment, path))
    timed.sort(key=lambda pair: pair[0])
    ordered = [*(path for _, path in timed), *(path for path in paths if declared[path] is None)]

    def taking(path: Path) -> Callable[[], str]:
        def take() -> str:
            report = import_pa(store.sessions, [path], channels=(), rehearsal=lambda: store.sessions)
            said = [taken.describe() for taken in report.taken]
            said += [f"skipped {skipped}" for skipped in report.skipped]
            said += [f"refused {refused}" for refused in report.refused]
            return "; ".join(said) or f"{path.name}: nothing to enter"

        return take

    return [Step(declared[path], taking(path)) for path in ordered]


def replay(
    steps: Sequence[Step],
    *,
    speed: float,
    dispatcher: Dispatcher,
    stop: threading.Event,
    say: Callable[[str], None],
    start_at: dt.datetime | None = None,
) -> ReplayReport:
    """Take each step at its declaration pace divided by `speed`, from `start_at` (default: the first
    declaration); steps declared in one minute arrive together at that minute, in order. Each is said
    with the moment it was entered (Unix time), which the benchmark reads."""
    report = ReplayReport()
    timed = [step.declared_at for step in steps if step.declared_at is not None]
    origin = start_at or (min(timed) if timed else None)
    started = time.monotonic()
    for step in steps:
        if step.declared_at is not None and origin is not None:
            due = started + (step.declared_at - origin).total_seconds() / speed
            if stop.wait(max(0.0, due - time.monotonic())):
                break
        elif stop.is_set():
            break
        said = step.take()
        moment = time.time()
        dispatcher.wake()
        report.replayed += 1
        when = f"{step.declared_at.astimezone(uk_zone()):%H:%M}" if step.declared_at is not None else "--:--"
        say(f"{when} {said} [replayed at {moment:.3f}]")
    report.stopped = stop.is_set()
    return report


def deliver_all(store: Store, dispatcher: Dispatcher, stop: threading.Event, say: Callable[[str], None]) -> int:
    """Wait until the rehearsal store owes Slack nothing (or `stop`); what it still owes."""
    last_said = time.monotonic()
    while True:
        left = owed(store.sessions)
        if left == 0 or stop.is_set():
            break
        if time.monotonic() - last_said >= PROGRESS_SECONDS:
            say(f"Waiting for {left} post(s) and scoreboard edit(s) to reach Slack…")
            last_said = time.monotonic()
        dispatcher.wake()
        stop.wait(0.1)
    if not stop.is_set():
        dispatcher.cards.wait_idle(PROGRESS_SECONDS)
    return left


def rehearsal_dispatcher(store: Store, client: object, settings: DispatchSettings) -> Dispatcher:
    """A dispatcher over the rehearsal store whose every message is labelled REHEARSAL."""
    labelled = settings if settings.label else dataclasses.replace(settings, label=REHEARSAL_LABEL)
    return Dispatcher(store.sessions, client, labelled, name=f"rehearsal:{id(store):x}")  # type: ignore[arg-type]


def rehearse(
    settings: Settings,
    year: int,
    *,
    channels: Sequence[str],
    speed: float,
    client: object,
    dispatch_settings: DispatchSettings,
    stop: threading.Event,
    say: Callable[[str], None],
    start: dt.time | None = None,
    end: dt.time | None = None,
    library: Path = BUNDLED_DATA,
    from_pa: Path | None = None,
) -> ReplayReport:
    """Replay the `year` general election from the Library's files (or the PA files in `from_pa`) into
    `channels` (`C` or `C=FOLLOW`) through the rehearsal store and a labelled dispatcher, then wait until
    Slack has everything. RehearsalRefused or NothingToReplay, before anything is changed, when it cannot
    or must not run."""
    if from_pa is not None:
        if start is not None or end is not None:
            raise RehearsalRefused("--from and --until choose Library results; a PA folder is replayed whole")
        if not from_pa.is_dir():
            raise NothingToReplay(f"no such folder: {from_pa}")
        results: list[Replayed] = []
    else:
        results = library_replay(library, year, start=start, end=end)
        if not results:
            raise NothingToReplay(f"no result of the {year} general election was declared in that window")
    rehearsal_database_url(settings)
    refuse_live_channels(settings, [channel_of(spec) for spec in channels])
    store = open_rehearsal_store(settings)
    follows = channel_follows(store, channels)
    prepare(store, year, follows, say)
    steps = pa_steps(store, from_pa) if from_pa is not None else library_steps(store, results)
    what = f"PA file(s) from {from_pa}" if from_pa is not None else f"result(s) of the {year} general election"
    say(f"Replaying {len(steps)} {what} at {speed:g}x (Ctrl-C to stop).")
    dispatcher = rehearsal_dispatcher(store, client, dispatch_settings).start()
    try:
        origin = night_moment(polling_day(year), start) if start is not None else None
        report = replay(steps, speed=speed, dispatcher=dispatcher, stop=stop, say=say, start_at=origin)
        report.left_undelivered = deliver_all(store, dispatcher, stop, say)
    finally:
        dispatcher.stop()
        store.engine.dispose()
    if report.stopped:
        say(f"Rehearsal stopped: {report.replayed} result(s) replayed, {report.left_undelivered} post(s) not sent.")
    else:
        say(f"Rehearsal done: {report.replayed} result(s) replayed, every post delivered.")
    return report


class RehearsalStoreOnDemand:
    """The rehearsal store, opened (created, migrated, seeded) only when a PA Test file first needs it,
    with a labelled dispatcher over it once something is queued there."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store | None = None
        self.dispatcher: Dispatcher | None = None

    def sessions(self) -> sessionmaker[Session]:
        """For `store.importers.pa.import_pa(rehearsal=...)`; RehearsalRefused when it has none."""
        if self.store is None:
            self.store = open_rehearsal_store(self.settings)
        return self.store.sessions

    def start_posting(self, client: object) -> bool:
        """Post what the rehearsal store has queued, in a thread, labelled; False when nothing was opened."""
        if self.store is None:
            return False
        if self.dispatcher is None:
            dispatch = DispatchSettings.of(self.settings, label=REHEARSAL_LABEL)
            self.dispatcher = rehearsal_dispatcher(self.store, client, dispatch).start()
        self.dispatcher.wake()
        return True

    def finish(self, stop: threading.Event, say: Callable[[str], None]) -> int:
        """Wait until the rehearsal store owes Slack nothing (or `stop`), then stop its dispatcher; what
        it still owes."""
        if self.store is None or self.dispatcher is None:
            return 0
        try:
            return deliver_all(self.store, self.dispatcher, stop, say)
        finally:
            self.dispatcher.stop()
