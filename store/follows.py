"""Which channels follow a result. Pure: follows and results as plain values, no database, no Slack.

A channel follows `all` results, `gains`, a seat, a nation, a region or a party, each optionally only
at one election (a year, a kind, or both). The choices a reporter should be able to look up:

- A gain is a result whose label reads "X GAIN from Y" (`store.summary`), a correction that still
  reads so included. A correction of a gain that no longer reads so still reaches every channel the
  gain was posted in: `store.channel_follows` adds the channels already holding a post of the seat's
  result, so a published figure is always corrected where it was published.
- A seat is matched by its name (folded, `store.names.fold`), so a follow of "Hartlepool" carries over a
  boundary review that keeps the name.
- A nation comes from the seat's ONS ID (`store.scoreboard.nation_of`); a region is the Library's
  region name (Scotland, Wales and Northern Ireland are regions of their own).
- A party's results are the seats it won and the seats it lost (a gain from it): not every seat where
  it stood, which on a general election night would be nearly every seat for the largest parties.
  Parties match through their successors (`arithmetic.party_key`: Brexit Party -> Reform UK).
- A channel appears once however many of its follows match: one post per channel.
- A channel that follows a seat by name wants that seat's result in a post of its own, never folded
  into a digest when the channel falls behind (`by_name`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from store import arithmetic
from store.elections import kind_words
from store.names import fold
from store.scoreboard import nation_of
from store.summary import Summary

ALL, GAINS, SEAT, NATION, REGION, PARTY = "all", "gains", "seat", "nation", "region", "party"
KINDS = (ALL, GAINS, SEAT, NATION, REGION, PARTY)


@dataclass(frozen=True)
class Follow:
    """What one channel follows. `target` is empty for `all` and `gains`; otherwise the seat's name,
    the nation, the region as the Library spells it, or the party's abbreviation."""

    channel: str
    kind: str  # one of KINDS
    target: str = ""
    year: int | None = None  # only results of elections held this year
    election_kind: str | None = None  # only "general" or only "by-election" results

    def same_as(self, other: Follow) -> bool:
        """The same follow, whoever added it: what `unfollow` removes and `follow` does not add twice."""
        return (self.channel, self.kind, fold(self.target), self.year, self.election_kind) == (
            other.channel,
            other.kind,
            fold(other.target),
            other.year,
            other.election_kind,
        )

    def describe(self) -> str:
        """ "gains", "Hartlepool", "Lab results at the 2024 general election"-like words for a reply."""
        what = {
            ALL: "all results",
            GAINS: "gains",
            SEAT: self.target,
            NATION: f"results in {self.target}",
            REGION: f"results in {self.target}",
            PARTY: f"{self.target} results (seats won or lost)",
        }[self.kind]
        when = " ".join(
            part
            for part in (
                str(self.year) if self.year else "",
                kind_words(self.election_kind) if self.election_kind else "",
            )
            if part
        )
        return f"{what} ({when} only)" if when else what


@dataclass(frozen=True)
class ResultToPost:
    """A result as its follows see it."""

    seat: str
    ons_id: str
    region: str | None
    election_year: int
    election_kind: str
    gain: bool = False
    winner_party: str | None = None
    loser_party: str | None = None  # the seat's previous winner, when this result is a gain from them

    @classmethod
    def of(cls, summary: Summary) -> ResultToPost:
        gain = bool(summary.result_label and " GAIN " in summary.result_label)
        previous = summary.baseline.winner_party if summary.baseline is not None else None
        return cls(
            seat=summary.constituency,
            ons_id=summary.ons_id,
            region=summary.region,
            election_year=summary.election_date.year,
            election_kind=summary.election_kind,
            gain=gain,
            winner_party=summary.winner.party if summary.winner is not None else None,
            loser_party=previous if gain else None,
        )


def matches(follow: Follow, result: ResultToPost) -> bool:
    if follow.year is not None and follow.year != result.election_year:
        return False
    if follow.election_kind is not None and follow.election_kind != result.election_kind:
        return False
    if follow.kind == ALL:
        return True
    if follow.kind == GAINS:
        return result.gain
    if follow.kind == SEAT:
        return fold(follow.target) == fold(result.seat)
    if follow.kind == NATION:
        return nation_of(result.ons_id) == follow.target
    if follow.kind == REGION:
        return fold(follow.target) == fold(result.region or "")
    if follow.kind == PARTY:
        wanted = arithmetic.party_key(follow.target)
        return any(
            party is not None and arithmetic.party_key(party) == wanted
            for party in (result.winner_party, result.loser_party)
        )
    return False


def channels_following(follows: Iterable[Follow], result: ResultToPost, *, also: Iterable[str] = ()) -> list[str]:
    """Each channel once: those in `also` first (in their order), then each channel with a follow
    that matches `result`, in the order of the follows."""
    wanted = dict.fromkeys(also)
    for follow in follows:
        if follow.channel not in wanted and matches(follow, result):
            wanted[follow.channel] = None
    return list(wanted)


def by_name(follows: Iterable[Follow], result: ResultToPost) -> set[str]:
    """The channels that follow `result`'s seat by name (a SEAT follow that matches it)."""
    return {follow.channel for follow in follows if follow.kind == SEAT and matches(follow, result)}
