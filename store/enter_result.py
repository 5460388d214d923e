"""Entering a result: the one use case every door calls (the CLI, the Slack modal, `POST /ingest`
and the importers). It validates the entry once, stores it as a new version when a figure changed,
and queues its posts in the outbox, all in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from store import arithmetic, db, live_scoreboard, outbox
from store.channel_follows import channels_for
from store.contest_input import ContestInput, InvalidResult, validate
from store.elections import NOMINATED, stage
from store.models import Constituency, Contest
from store.recorder import Recorder


class OutOfOrder(InvalidResult):
    """An entry from an earlier stage of the declaration than the stored one (a rush, a recount or the
    nominations after the full result): refused, so a late flash never overwrites the figures. A feed
    that delivers out of order can skip these and carry on."""


@dataclass
class EntryOutcome:
    """What happened to an entry, within its transaction: the stored contest and what to say of it."""

    contest: Contest
    status: str  # "new", "corrected" or "unchanged"
    new_parties: list[str] = field(default_factory=list)
    queued_channels: list[str] = field(default_factory=list)

    def describe(self) -> str:
        contest = self.contest
        where = f"{contest.constituency.name}, {contest.election.name}"
        if self.status == "unchanged":
            said = f"{where}: the same figures are already stored (version {contest.version}); nothing to post."
        elif self.status == "corrected":
            said = f"{where}: stored as version {contest.version}, correcting version {contest.version - 1}."
        else:
            said = f"{where}: stored."
        if self.queued_channels:
            said += f" Posting to {', '.join(self.queued_channels)}."
        if self.new_parties:
            said += f" New parties added to the store: {', '.join(self.new_parties)}."
        return said


@dataclass(frozen=True)
class Entered:
    """An entry once committed, in plain values for whoever entered it."""

    status: str  # "new", "corrected" or "unchanged"
    contest_id: int
    version: int
    message: str  # what to tell whoever entered it
    queued_channels: tuple[str, ...]


def enter(
    session: Session,
    entry: ContestInput,
    *,
    channels: Iterable[str] | None = None,
    published: bool = False,
    recorder: Recorder | None = None,
) -> EntryOutcome:
    """Validate and store `entry` and queue its posts, in the caller's transaction: to `channels` (those
    following all results by RESULTSBOT_RESULTS_CHANNEL) and to every channel whose follows match it
    (`store.channel_follows.channels_for`); with `channels` None, to none (`--no-post`, back-filling).

    A desk entry must add up, or InvalidResult names every field at fault and nothing changes. A
    `published` source (a Library file) is stored as published even where it does not add up: every
    summary of it says so (`summary.source_disagreements`). A bulk import passes one `recorder`, which
    remembers what it has already read.

    A published source that no longer adds up where the stored version did is refused too: that is a
    damaged file (cut short, rows lost) far more often than a correction, and storing it would post it."""
    # Checked before the seat is looked up, so a name too long to store is named as such.
    inconsistent = validate(entry, strict=not published)
    if not published:
        entry = resolve_seat(session, entry)
    writer = recorder or Recorder(session)
    recorded = writer.record(entry, typed=not published)
    if recorder is None:
        writer.write_candidacies()  # a bulk import writes them all at once, when it has read every file
    if recorded.previous is not None and recorded.status == "corrected" and inconsistent:
        _refuse_a_regression(recorded.previous, writer.standing(recorded.previous), inconsistent)
    if recorded.previous is not None and recorded.status == "corrected":
        _refuse_out_of_order(recorded.previous, entry)
    outcome = EntryOutcome(recorded.contest, recorded.status, recorded.new_parties)
    # Nominations are not a result: they answer questions but post nothing.
    if recorded.status != "unchanged" and channels is not None and entry.status != NOMINATED:
        session.flush()
        outcome.queued_channels = outbox.queue(
            session, recorded.contest, channels_for(session, recorded.contest, channels)
        )
        live_scoreboard.mark_changed(session, recorded.contest, outcome.queued_channels)
    return outcome


def enter_result(
    sessions: sessionmaker[Session],
    entry: ContestInput,
    *,
    channels: Iterable[str] | None = None,
    published: bool = False,
) -> Entered:
    """`enter` in a transaction of its own, committed before it returns. Entries arriving at once
    race to create the same election, seat, party or version; the loser runs again and then finds
    what the winner stored (the same figures are then "unchanged")."""
    wanted = None if channels is None else tuple(channels)

    def work(session: Session) -> Entered:
        outcome = enter(session, entry, channels=wanted, published=published)
        session.flush()
        contest = outcome.contest
        return Entered(outcome.status, contest.id, contest.version, outcome.describe(), tuple(outcome.queued_channels))

    return db.run_transaction(sessions, work)


def resolve_seat(session: Session, entry: ContestInput) -> ContestInput:
    """Fill in the ONS ID from an exact name (case aside), or refuse: a seat is only created when
    both its ONS ID and name are given, deliberately."""
    if entry.ons_id:
        known = session.scalar(select(Constituency).where(Constituency.ons_id == entry.ons_id))
        if known is None and not entry.constituency_name:
            raise InvalidResult(
                {"constituency.ons_id": f"no seat {entry.ons_id} is in the store; give its name to create it"}
            )
        return entry
    matches = list(
        session.scalars(
            select(Constituency).where(func.lower(Constituency.name) == (entry.constituency_name or "").lower())
        )
    )
    if not matches:
        raise InvalidResult(
            {"constituency.name": f"no seat is called {entry.constituency_name!r}; give its exact name or ONS ID"}
        )
    if len(matches) > 1:
        newest = _seat_of_newest_contest(session, matches)
        if newest is None:
            ids = ", ".join(m.ons_id for m in matches)
            raise InvalidResult({"constituency.name": f"several seats share that name ({ids}); give the ONS ID"})
        matches = [newest]
    return replace(entry, ons_id=matches[0].ons_id, constituency_name=matches[0].name)


def _seat_of_newest_contest(session: Session, seats: list[Constituency]) -> Constituency | None:
    """Of seats sharing a name across boundary reviews, the one in use (with the latest contest)."""
    latest = session.execute(
        select(Contest.constituency_id, func.max(Contest.entered_at))
        .where(Contest.constituency_id.in_([s.id for s in seats]))
        .group_by(Contest.constituency_id)
    ).all()
    if not latest:
        return None
    wanted = max(latest, key=lambda row: row[1])[0]
    return next(s for s in seats if s.id == wanted)


def _refuse_out_of_order(stored: Contest, entry: ContestInput) -> None:
    """OutOfOrder when `entry` is from an earlier stage than the `stored` version. The caller's
    transaction must then roll back: the new version is in the session."""
    if stage(entry.status) < stage(stored.status):
        raise OutOfOrder(
            {
                "status": f"{entry.status} is not stored: {stored.constituency.name} already has a {stored.status} "
                f"result (version {stored.version}), and a {entry.status} never replaces it. To change that "
                "result, enter the corrected figures."
            }
        )


def _refuse_a_regression(
    stored: Contest, standing: list[tuple[str | None, str, int | None, bool]], inconsistent: dict[str, str]
) -> None:
    """InvalidResult for each arithmetic check the new figures break (`inconsistent`) that the `stored`
    version (its candidates `standing`) passes. The caller's transaction must then roll back: the new
    version is in the session."""
    candidates = [arithmetic.Candidate(name, party, votes, elected) for name, party, votes, elected in standing]
    stored_problems = arithmetic.inconsistencies(
        arithmetic.contest_figures(stored.electorate, stored.valid_votes, stored.invalid_votes, candidates)
    )
    new_problems = {name: problem for name, problem in inconsistent.items() if name not in stored_problems}
    if new_problems:
        raise InvalidResult(
            {
                name: f"{problem}, though the stored version ({stored.version}) adds up: a file cut short or "
                "missing rows reads like this, so it is not stored"
                for name, problem in new_problems.items()
            }
        )


def check(entry: ContestInput) -> dict[str, str]:
    """What `enter` would refuse in a desk entry, by field, without storing anything: for a door that
    must show every problem before it lets go of the entry (the Slack modal's fields)."""
    try:
        validate(entry, strict=True)
    except InvalidResult as invalid:
        return invalid.problems
    return {}
