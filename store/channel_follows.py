"""Channel follows in the store: what `/result follow` adds, `unfollow` removes and `following` lists,
and the channels an entered result is queued for (`channels_for`, called by `store.enter_result`).

Channels named in RESULTSBOT_RESULTS_CHANNEL follow all results by that setting, with no row here: the
setting stays the one place they are configured, and a follow row cannot contradict it. Which follows
match a result is `store.follows` (pure); this module reads and writes the rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from store import db, outbox
from store.answers import AMBIGUOUS, FOUND, ResultsService
from store.contests import summarise
from store.follows import (
    ALL,
    GAINS,
    NATION,
    PARTY,
    REGION,
    SEAT,
    Follow,
    ResultToPost,
    by_name,
    channels_following,
)
from store.lookup import parse_query
from store.models import ChannelFollow, Constituency, Contest
from store.names import fold
from store.questions import resolve_party
from store.scoreboard import find_nation, match_region

FOLLOW_USAGE = (
    "Follow `all`, `gains`, a seat (`hartlepool`), a nation or region (`scotland`, `north east`) or a party "
    "(`labour`: the seats it wins or loses), optionally at one election only (`2024`, `by-election`): "
    "e.g. `/result follow gains` or `/result follow scotland 2024`."
)
ALL_WORDS = frozenset({"all", "everything", "all results", "every result", "results"})
GAINS_WORDS = frozenset({"gains", "gain", "all gains", "seats changing hands"})


class UnknownTarget(Exception):
    """What to follow could not be read: `message` says why, `options` are seats it may have meant."""

    def __init__(self, message: str, options: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.options = options


class ChannelFollows:
    """The follows of every channel, as the `/result follow` commands use them."""

    def __init__(
        self, sessions: sessionmaker[Session], results: ResultsService, results_channels: Iterable[str] = ()
    ) -> None:
        self.sessions = sessions
        self.results = results
        self.results_channels = tuple(results_channels)

    def understand(self, channel: str, text: str) -> Follow:
        """The follow `text` asks `channel` for, or UnknownTarget saying what could be meant."""
        parsed = parse_query(text)
        words = parsed.seat_text
        if not words and parsed.year is None and parsed.kind is None:
            raise UnknownTarget(f"Follow what? {FOLLOW_USAGE}")

        def follow(kind: str, target: str = "") -> Follow:
            return Follow(channel, kind, target, parsed.year, parsed.kind)

        folded = fold(words)
        if not folded or folded in ALL_WORDS:  # "follow by-elections": every result of that kind
            return follow(ALL)
        if folded in GAINS_WORDS:
            return follow(GAINS)
        nation = find_nation(words)
        if nation is not None:
            return follow(NATION, nation)
        region = match_region(words, self._regions())
        if region is not None:
            return follow(REGION, region)
        party = resolve_party(words, fuzzy=False)
        if party is not None:
            return follow(PARTY, party)
        seat = self.results.seat_named(text, parsed)
        if seat.kind == FOUND and seat.seat is not None:
            return follow(SEAT, seat.seat)
        party = resolve_party(words)  # a typo in a long party name, once no seat fits
        if party is not None:
            return follow(PARTY, party)
        names = tuple(name for name, _ in seat.options)
        if seat.kind == AMBIGUOUS:
            raise UnknownTarget(seat.message, names)
        raise UnknownTarget(f"{seat.message} {FOLLOW_USAGE}", names)

    def follow(self, wanted: Follow, added_by: str | None) -> bool:
        """Store `wanted`; False when the channel already follows it (nothing changes)."""

        def work(session: Session) -> bool:
            if any(wanted.same_as(held) for held in _follows(session, wanted.channel)):
                return False
            session.add(follow_row(wanted, added_by))
            return True

        if self.follows_all_by_setting(wanted.channel) and wanted.kind == ALL and wanted.year is None:
            return False
        return db.run_transaction(self.sessions, work)

    def unfollow(self, unwanted: Follow) -> bool:
        """Remove `unwanted`; False when the channel did not follow it (nothing changes)."""

        def work(session: Session) -> bool:
            rows = session.scalars(select(ChannelFollow).where(ChannelFollow.channel == unwanted.channel)).all()
            ids = [row.id for row in rows if unwanted.same_as(_follow_of(row))]
            if ids:
                session.execute(delete(ChannelFollow).where(ChannelFollow.id.in_(ids)))
            return bool(ids)

        return db.run_transaction(self.sessions, work)

    def following(self, channel: str) -> list[tuple[Follow, str | None]]:
        """The channel's follows, oldest first, each with who added it."""
        with self.sessions() as session:
            rows = session.scalars(
                select(ChannelFollow).where(ChannelFollow.channel == channel).order_by(ChannelFollow.id)
            ).all()
            return [(_follow_of(row), row.added_by) for row in rows]

    def follows_all_by_setting(self, channel: str) -> bool:
        """Whether RESULTSBOT_RESULTS_CHANNEL names the channel (by its ID, as Slack sends it)."""
        return channel in self.results_channels

    def _regions(self) -> list[str]:
        with self.sessions() as session:
            return [r for r in session.scalars(select(Constituency.region).distinct()) if r]


def follow_row(wanted: Follow, added_by: str | None) -> ChannelFollow:
    """The row that stores `wanted`."""
    return ChannelFollow(
        channel=wanted.channel,
        kind=wanted.kind,
        target=wanted.target,
        year=wanted.year,
        election_kind=wanted.election_kind,
        added_by=added_by,
    )


def _follow_of(row: ChannelFollow) -> Follow:
    return Follow(row.channel, row.kind, row.target, row.year, row.election_kind)


def _follows(session: Session, channel: str | None = None) -> list[Follow]:
    query = select(ChannelFollow).order_by(ChannelFollow.id)
    if channel is not None:
        query = query.where(ChannelFollow.channel == channel)
    return [_follow_of(row) for row in session.scalars(query)]


def channels_for(session: Session, contest: Contest, follow_all: Iterable[str]) -> dict[str, bool]:
    """The channels to post `contest` (flushed) in, each once: `follow_all` (RESULTSBOT_RESULTS_CHANNEL),
    every channel already holding a post of the seat's result at this election (a correction is
    shown where the figure it corrects was), and every channel with a follow that matches it.

    Each channel maps to whether the result keeps a post of its own there (`OutboxEntry.own_post`):
    a gain, a seat the channel follows by name, and a later stage or correction of a seat already
    queued there do; any other result may be folded into a digest when the channel falls behind."""
    already = outbox.channels_with_posts(session, contest)
    also = [*follow_all, *already]
    follows = _follows(session)
    if not also and not follows:
        return {}
    result = ResultToPost.of(summarise(session, contest))  # a gain keeps its own post in every channel
    channels = channels_following(follows, result, also=also)
    named = by_name(follows, result)
    held = set(already)
    return {channel: result.gain or channel in held or channel in named for channel in channels}
