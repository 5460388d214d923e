"""The results store's schema: SQLAlchemy 2 typed declarative models.

A contest is one election in one constituency. Contests are versioned: a changed figure adds a new
row with a higher version and the old row stays, so history and corrections can be shown.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from store import limits
from store.elections import DECLARED


class Base(DeclarativeBase):
    pass


class Election(Base):
    __tablename__ = "election"
    __table_args__ = (UniqueConstraint("kind", "date", "boundary_set", name="uq_election_kind_date_boundaries"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The boundary review the constituencies belong to: "2010" or "2024". Notional results are the
    # previous election recomputed on the next boundary set, so they carry that set.
    boundary_set: Mapped[str] = mapped_column(String(8))
    parliament: Mapped[int | None] = mapped_column(Integer)

    contests: Mapped[list[Contest]] = relationship(back_populates="election")


class Constituency(Base):
    __tablename__ = "constituency"

    id: Mapped[int] = mapped_column(primary_key=True)
    ons_id: Mapped[str] = mapped_column(String(limits.ONS_ID_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(limits.SEAT_NAME_LENGTH), index=True)
    region: Mapped[str | None] = mapped_column(String(limits.REGION_LENGTH))
    country: Mapped[str | None] = mapped_column(String(limits.COUNTRY_LENGTH))
    county: Mapped[str | None] = mapped_column(String(limits.COUNTY_LENGTH))
    kind: Mapped[str | None] = mapped_column(String(limits.SEAT_KIND_LENGTH))  # "County" or "Borough"/"Burgh"

    contests: Mapped[list[Contest]] = relationship(back_populates="constituency")


class Party(Base):
    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    abbreviation: Mapped[str] = mapped_column(String(limits.PARTY_ABBREVIATION_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(limits.PARTY_NAME_LENGTH))
    ec_id: Mapped[str | None] = mapped_column(String(limits.EC_ID_LENGTH))
    mnis_id: Mapped[int | None] = mapped_column(Integer)


class Contest(Base):
    __tablename__ = "contest"
    __table_args__ = (
        UniqueConstraint("election_id", "constituency_id", "version", name="uq_contest_version"),
        Index("ix_contest_current", "constituency_id", "is_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    constituency_id: Mapped[int] = mapped_column(ForeignKey("constituency.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Only the newest version is current; older versions are kept for history and corrections.
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    electorate: Mapped[int | None] = mapped_column(Integer)
    valid_votes: Mapped[int | None] = mapped_column(Integer)
    invalid_votes: Mapped[int | None] = mapped_column(Integer)
    declared_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default=DECLARED)
    source: Mapped[str] = mapped_column(String(limits.SOURCE_LENGTH))
    # What the source itself stated, kept to audit our own arithmetic against it.
    stated_result: Mapped[str | None] = mapped_column(String(limits.STATED_RESULT_LENGTH))
    stated_majority: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str | None] = mapped_column(String(limits.ENTERED_BY_LENGTH))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))

    election: Mapped[Election] = relationship(back_populates="contests")
    constituency: Mapped[Constituency] = relationship(back_populates="contests")
    candidacies: Mapped[list[Candidacy]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="Candidacy.position"
    )


class Candidacy(Base):
    __tablename__ = "candidacy"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the source, to keep output stable
    # Notional results have no candidates, only party totals: the name is then absent.
    candidate_name: Mapped[str | None] = mapped_column(String(limits.CANDIDATE_NAME_LENGTH))
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    # The description on the ballot, e.g. "Labour and Co-operative" for a Lab candidate.
    party_label: Mapped[str | None] = mapped_column(String(limits.PARTY_NAME_LENGTH))
    votes: Mapped[int | None] = mapped_column(Integer)
    elected: Mapped[bool] = mapped_column(Boolean, default=False)

    contest: Mapped[Contest] = relationship(back_populates="candidacies")
    party: Mapped[Party] = relationship()


PENDING = "pending"
IN_FLIGHT = "in_flight"
DONE = "done"


class OutboxEntry(Base):
    """A result to be posted to one Slack channel, written in the same transaction as the result.

    The dispatcher claims entries (status in_flight with a lease), posts or edits, and records the
    Slack message. An entry whose delivery may have happened without being recorded (a timeout, a
    dispatcher that died) is `uncertain`: the channel is checked for it before anything is re-posted.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("contest_id", "channel", name="uq_outbox_contest_channel"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_seat", "election_id", "constituency_id", "channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"))
    # The seat and election, denormalised so posts of one seat keep their order without joins.
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    constituency_id: Mapped[int] = mapped_column(ForeignKey("constituency.id"))
    version: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC)
    )
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(String(300))
    # What was delivered: the channel's message (its ts), and for a correction, the thread note.
    message_ts: Mapped[str | None] = mapped_column(String(32))
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    note_ts: Mapped[str | None] = mapped_column(String(32))
    # Decided when queued: a gain, a seat the channel follows by name, or a later stage or correction of
    # a seat already there keeps a post of its own; any other entry may be folded into a digest when its
    # channel falls behind (bot.dispatcher).
    own_post: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Delivered as a line of a digest: `message_ts` is the digest's, which no correction edits.
    in_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    contest: Mapped[Contest] = relationship()


class LiveScoreboard(Base):
    """The one live scoreboard message of a general election in one results channel.

    An entered result bumps `revision` in its own transaction; the dispatcher posts the scoreboard
    (then edits that message in place) and records the revision it rendered as `sent_revision`, so
    a burst of results coalesces into one edit and an entry committed mid-edit is never missed. Claimed
    under a lease like an outbox entry; `uncertain` when a first post may have landed unrecorded.
    """

    __tablename__ = "live_scoreboard"
    __table_args__ = (UniqueConstraint("election_id", "channel", name="uq_live_scoreboard_election_channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    channel: Mapped[str] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    sent_revision: Mapped[int] = mapped_column(Integer, default=0)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC)
    )
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))


class ChannelFollow(Base):
    """What a Slack channel follows (`store.follows`): all results, gains, a seat, a nation, a region or
    a party, optionally at one election only. Channels in RESULTSBOT_RESULTS_CHANNEL follow all
    without a row. Who added it and when are kept for `/result following`."""

    __tablename__ = "channel_follow"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(limits.SEAT_NAME_LENGTH), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    election_kind: Mapped[str | None] = mapped_column(String(16))
    added_by: Mapped[str | None] = mapped_column(String(32))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))


class FeedFile(Base):
    """A results feed's file taken into the store: which seat it named (PA numbers seats itself), its
    revision, the contest version it left current, and what it stated that our arithmetic does not
    give. An older revision than one taken is never taken; the watcher skips names already here."""

    __tablename__ = "feed_file"
    __table_args__ = (
        UniqueConstraint("election_id", "constituency_id", "kind", "revision", name="uq_feed_file_revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    constituency_id: Mapped[int] = mapped_column(ForeignKey("constituency.id"))
    feed_seat_number: Mapped[int | None] = mapped_column(Integer)
    feed_seat_name: Mapped[str] = mapped_column(String(limits.SEAT_NAME_LENGTH))
    revision: Mapped[int] = mapped_column(Integer)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # the entry's: "new", "corrected" or "unchanged"
    # One disagreement a line: what the file states that the votes do not give (shares, swing).
    disagreements: Mapped[str | None] = mapped_column(Text)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))


class StateOfParties(Base):
    """The latest state of parties PA has sent for a general election (`store.state_of_parties`): each
    party's seats as PA states them, the results they cover, and the file they came from. A newer
    revision replaces it; our own tally is compared with it when it is shown, as our tally moves on."""

    __tablename__ = "state_of_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    revision: Mapped[int] = mapped_column(Integer)
    results: Mapped[int] = mapped_column(Integer)  # how many results PA's figures cover
    stated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # PA's declarationTime
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))

    parties: Mapped[list[StateOfPartiesSeats]] = relationship(
        cascade="all, delete-orphan", order_by="StateOfPartiesSeats.position"
    )


class StateOfPartiesSeats(Base):
    """One party's line of a state of parties, in PA's order."""

    __tablename__ = "state_of_parties_seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("state_of_parties.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(limits.PARTY_ABBREVIATION_LENGTH))  # the Library's where known
    pa_abbreviation: Mapped[str] = mapped_column(String(limits.PARTY_ABBREVIATION_LENGTH))
    name: Mapped[str | None] = mapped_column(String(limits.PARTY_NAME_LENGTH))
    seats: Mapped[int] = mapped_column(Integer)


def with_candidates() -> tuple[LoaderOption, ...]:
    """Loader options for a contest with everything a summary reads, in a fixed number of queries."""
    return (
        selectinload(Contest.candidacies).selectinload(Candidacy.party),
        selectinload(Contest.election),
        selectinload(Contest.constituency),
    )


class SeenRequest(Base):
    """A Slack request already answered (an event's ID, or a signed request's signature), so a retry
    or a replay reaching any replica gets no second answer. Rows older than a day are purged."""

    __tablename__ = "seen_request"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
