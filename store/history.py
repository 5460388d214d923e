"""Every version of one contest, for `resultsbot history`: what changed, who entered it, when, and
where it was posted. Plain values; `handlers.history_text` words them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import outbox
from store.changes import figure_changes
from store.contests import facts_of
from store.facts import ContestFacts
from store.models import DONE, Contest, FeedFile, with_candidates


@dataclass(frozen=True)
class PostRecord:
    channel: str
    posted: bool
    status: str
    message_ts: str | None
    attempts: int
    last_error: str | None
    in_digest: bool = False  # shown as a line of a digest (the ts is the digest's)


@dataclass(frozen=True)
class VersionRecord:
    facts: ContestFacts
    entered_by: str
    entered_at: dt.datetime | None
    changes: tuple[str, ...] | None  # None for the first version; empty when only the status changed
    previous_status: str | None
    posts: tuple[PostRecord, ...]
    # Feed files that left this version current, and what each stated that the votes do not give.
    feed_files: tuple[FeedFileRecord, ...] = ()


@dataclass(frozen=True)
class FeedFileRecord:
    name: str
    revision: int
    disagreements: tuple[str, ...]


@dataclass(frozen=True)
class ContestHistory:
    constituency: str
    ons_id: str
    election_name: str
    versions: tuple[VersionRecord, ...]


def contest_history(session: Session, contest_id: int) -> ContestHistory | None:
    current = session.get(Contest, contest_id)
    if current is None:
        return None
    versions = list(
        session.scalars(
            select(Contest)
            .where(Contest.election_id == current.election_id, Contest.constituency_id == current.constituency_id)
            .order_by(Contest.version)
            .options(*with_candidates())
        )
    )
    posts = outbox.posts_for(session, [v.id for v in versions])
    feed_files: dict[int, list[FeedFileRecord]] = defaultdict(list)
    for file in session.scalars(
        select(FeedFile).where(FeedFile.contest_id.in_([v.id for v in versions])).order_by(FeedFile.revision)
    ):
        said = tuple(file.disagreements.splitlines()) if file.disagreements else ()
        feed_files[file.contest_id].append(FeedFileRecord(file.name, file.revision, said))
    records = []
    previous: ContestFacts | None = None
    for version in versions:
        facts = facts_of(version)
        records.append(
            VersionRecord(
                facts=facts,
                entered_by=version.entered_by or version.source,
                entered_at=version.entered_at,
                changes=None if previous is None else tuple(figure_changes(previous, facts)),
                previous_status=None if previous is None else previous.status,
                posts=tuple(
                    PostRecord(
                        p.channel, p.status == DONE, p.status, p.message_ts, p.attempts, p.last_error, p.in_digest
                    )
                    for p in posts[version.id]
                ),
                feed_files=tuple(feed_files[version.id]),
            )
        )
        previous = facts
    return ContestHistory(current.constituency.name, current.constituency.ons_id, current.election.name, tuple(records))
