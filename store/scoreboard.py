"""The scoreboard of a whole election: seats, gains and losses, votes and shares by party. Pure: built
from summaries (plain values), never from database rows, and exact (`Fraction`s) until rendered.

Conventions, each a choice a reporter should be able to look up:

- Only DECLARED results count (and declared results since CORRECTED). A provisional result is a figure
  still to be confirmed, a rush a winner with no figures, a recount not yet over: each is counted apart
  (`Scoreboard.provisional`) and never in a party's seats or votes. Nominations are no result at all.
- `total_seats` is every seat of the election in scope: those with a result and those of the previous
  election on the same boundaries (on election night most seats have no result yet, but the previous
  election, or the notional result where boundaries changed, names every seat).
- The majority line is `total_seats // 2 + 1` of the whole House (326 of 650): the Speaker's seat is
  counted among the total, as the Speaker is elected an MP like any other, and so are seats whose MPs
  do not take them (Sinn Féin). A party's majority over all others would be its seats minus every other
  seat, the Speaker's included. Under a nation or region filter there is no majority line (None): a
  majority is of the whole House.
- A gain is a seat whose summary reads "X GAIN from Y": a gain for X and a loss for Y, compared with the
  seat's own baseline (the previous general election, or the notional result where boundaries changed),
  parties matched through `arithmetic.party_key` (Brexit Party -> Reform UK, Lab Co-op -> Lab).
- A party's share is its votes over all valid votes in the declared seats in scope. Its share change is
  like for like: its share now minus its share at the previous election over the same seats (the
  declared seats in scope that have a previous result), so on the night a party's change is not skewed
  by which seats have declared. None when the party did not stand in any of those seats before, or no
  seat can be compared.
- Independents are one row ("Ind"): a scoreboard counts them together, though a single seat's change
  compares each Independent only with themself.
- Nations come from a seat's ONS ID (E, S, W, N), which every seat has; regions from the Library's region
  name (Scotland, Wales and Northern Ireland are regions of their own).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from store import arithmetic
from store.elections import COUNTED_STATUSES, NOMINATED, uk_zone
from store.numbers import as_float
from store.summary import Summary

LATEST_DECLARATIONS = 10

ENGLAND, SCOTLAND, WALES, NORTHERN_IRELAND = "England", "Scotland", "Wales", "Northern Ireland"
NATIONS = (ENGLAND, SCOTLAND, WALES, NORTHERN_IRELAND)
# The first letter of a Westminster constituency's ONS (GSS) code names its nation: E14, S14, W07, N06.
NATION_BY_ONS_PREFIX = {"E": ENGLAND, "S": SCOTLAND, "W": WALES, "N": NORTHERN_IRELAND}


class ElectionNamed(Protocol):
    """An election as the scoreboard names it (`store.answers.ElectionWithPrevious` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class PartyTally:
    party: str  # the party key (`arithmetic.party_key`): "RUK" for Brexit Party and Reform UK alike
    party_name: str
    seats: int
    gains: int
    losses: int
    votes: int
    share: Fraction | None  # percent of all valid votes in the declared seats in scope
    share_change: Fraction | None  # points against the previous election over the same seats; None: new

    @property
    def net(self) -> int:
        return self.gains - self.losses


@dataclass(frozen=True)
class Declaration:
    constituency: str
    result_label: str | None
    declared_at: dt.datetime


@dataclass(frozen=True)
class Scoreboard:
    election_name: str
    election_date: dt.date
    election_kind: str
    scope: str | None  # the nation or region asked for; None for the whole election
    declared: int
    provisional: int  # results entered but not declared: not counted anywhere else
    total_seats: int
    majority_line: int | None  # seats a party needs for a majority of the House; None under a filter
    parties: tuple[PartyTally, ...]  # most seats first, then most votes
    latest: tuple[Declaration, ...]  # newest first; only results whose declaration time is known
    previous_election: str | None  # what share changes are measured against

    def to_json(self) -> dict[str, Any]:
        """Every figure for scripts, unrounded; shares as numbers of percent, like `ask --json`."""
        return {
            "election": {
                "name": self.election_name,
                "date": self.election_date.isoformat(),
                "kind": self.election_kind,
            },
            "declared": self.declared,
            "total_seats": self.total_seats,
            "majority_line": self.majority_line,
            "parties": [
                {
                    "party": row.party,
                    "party_name": row.party_name,
                    "seats": row.seats,
                    "gains": row.gains,
                    "losses": row.losses,
                    "net": row.net,
                    "votes": row.votes,
                    "share": as_float(row.share),
                    "share_change": as_float(row.share_change),
                }
                for row in self.parties
            ],
            "latest": [
                {
                    "constituency": item.constituency,
                    "result_label": item.result_label,
                    "declared_at": item.declared_at.isoformat(),
                }
                for item in self.latest
            ],
        }


@dataclass(frozen=True)
class SeatChange:
    """Who holds a seat now and who held it at its baseline, as party keys; `gained` when it changed hands."""

    winner: str
    previous: str | None  # None: the baseline names no winner
    gained: bool


def seat_change(summary: Summary) -> SeatChange | None:
    """How a seat's result compares with its baseline (the previous general election, or the notional
    result where boundaries changed): a gain is a result labelled "X GAIN from Y", a hold "X HOLD".
    None without a winner or a label (no baseline). The scoreboard and the lists of gains, losses and
    holds all count through this, so their numbers agree."""
    if summary.winner is None or not summary.result_label or summary.baseline is None:
        return None
    winner = arithmetic.party_key(summary.winner.party)
    previous = summary.baseline.winner_party
    return SeatChange(
        winner=winner,
        previous=arithmetic.party_key(previous) if previous is not None else None,
        gained=" GAIN " in summary.result_label,
    )


def nation_of(ons_id: str) -> str | None:
    return NATION_BY_ONS_PREFIX.get(ons_id[:1].upper())


def find_nation(text: str) -> str | None:
    """A nation as a reader types it ("scotland", "Northern-Ireland", "NI"), else None."""
    folded = " ".join(text.replace("-", " ").replace("_", " ").casefold().split())
    if folded == "ni":
        return NORTHERN_IRELAND
    return next((nation for nation in NATIONS if nation.casefold() == folded), None)


def find_region(text: str, summaries: Iterable[Summary]) -> str | None:
    """A region as the Library spells it ("North East"), matched however it is typed, else None."""
    folded = " ".join(text.replace("-", " ").casefold().split())
    spellings = {" ".join(s.region.replace("-", " ").casefold().split()): s.region for s in summaries if s.region}
    return spellings.get(folded)


def in_scope(summary: Summary, nation: str | None, region: str | None) -> bool:
    if nation is not None and nation_of(summary.ons_id) != nation:
        return False
    return region is None or (summary.region or "").casefold() == region.casefold()


def build_scoreboard(
    election: ElectionNamed,
    contests: Sequence[Summary],
    previous: Sequence[Summary],
    *,
    nation: str | None = None,
    region: str | None = None,
    previous_election: str | None = None,
    latest_limit: int = LATEST_DECLARATIONS,
) -> Scoreboard:
    """The scoreboard of `election` from the summaries of its contests (`contests`; none before the first
    result) and of the previous election on the same boundaries (`previous`), restricted to a nation or
    a region."""
    wanted = [s for s in contests if in_scope(s, nation, region)]
    earlier = [s for s in previous if in_scope(s, nation, region)]
    declared = [s for s in wanted if s.status in COUNTED_STATUSES]
    total_seats = len({s.ons_id for s in wanted} | {s.ons_id for s in earlier})
    filtered = nation is not None or region is not None

    seats: Counter[str] = Counter()
    gains: Counter[str] = Counter()
    losses: Counter[str] = Counter()
    for summary in declared:
        if summary.winner is not None:
            seats[arithmetic.party_key(summary.winner.party)] += 1
        change = seat_change(summary)
        if change is not None and change.gained:
            gains[change.winner] += 1
            if change.previous is not None:
                losses[change.previous] += 1

    votes, all_valid = _votes_by_party(declared)
    previous_by_seat = {s.ons_id: s for s in earlier}
    comparable = [s for s in declared if s.ons_id in previous_by_seat]
    votes_now, valid_now = _votes_by_party(comparable)
    votes_then, valid_then = _votes_by_party(previous_by_seat[s.ons_id] for s in comparable)

    def share_change(party: str) -> Fraction | None:
        if not valid_now or not valid_then or party not in votes_then:
            return None
        return Fraction(votes_now.get(party, 0), valid_now) * 100 - Fraction(votes_then[party], valid_then) * 100

    names = _party_names(declared)
    parties = [
        PartyTally(
            party=party,
            party_name=names.get(party, party),
            seats=seats[party],
            gains=gains[party],
            losses=losses[party],
            votes=votes.get(party, 0),
            share=Fraction(votes.get(party, 0), all_valid) * 100 if all_valid else None,
            share_change=share_change(party),
        )
        for party in set(votes) | set(seats) | set(losses)
    ]
    parties.sort(key=lambda row: (-row.seats, -row.votes, row.party))

    timed = sorted((s for s in declared if s.declared_at is not None), key=_declared_at, reverse=True)
    latest = tuple(
        Declaration(s.constituency, s.result_label, s.declared_at) for s in timed[:latest_limit] if s.declared_at
    )
    return Scoreboard(
        election_name=election.name,
        election_date=election.date,
        election_kind=election.kind,
        scope=nation if nation is not None else region,
        declared=len(declared),
        provisional=sum(1 for s in wanted if s.status not in (*COUNTED_STATUSES, NOMINATED)),
        total_seats=total_seats,
        majority_line=None if filtered else total_seats // 2 + 1,
        parties=tuple(parties),
        latest=latest,
        previous_election=previous_election,
    )


def _declared_at(summary: Summary) -> dt.datetime:
    assert summary.declared_at is not None
    moment = summary.declared_at
    # A time stored without a zone is UK local time (store.elections.NEWSROOM_TZ); it must be placed in
    # that zone to be ordered among zoned times.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=uk_zone())


def _votes_by_party(summaries: Iterable[Summary]) -> tuple[dict[str, int], int]:
    """Votes by party key, and all valid votes: a contest's recorded valid votes, else its candidates'
    votes added up (a notional result may carry party totals only)."""
    votes: Counter[str] = Counter()
    valid = 0
    for summary in summaries:
        counted = 0
        for line in summary.candidates:
            if line.votes is not None:
                votes[arithmetic.party_key(line.party)] += line.votes
                counted += line.votes
        valid += summary.valid_votes if summary.valid_votes is not None else counted
    return dict(votes), valid


def _party_names(summaries: Iterable[Summary]) -> dict[str, str]:
    """Each party's commonest name among candidates standing under its own abbreviation ("Labour", not
    "Labour and Co-operative"); for a party only ever seen under another abbreviation, that name."""
    own: dict[str, Counter[str]] = {}
    other: dict[str, Counter[str]] = {}
    for summary in summaries:
        for line in summary.candidates:
            key = arithmetic.party_key(line.party)
            (own if line.party == key else other).setdefault(key, Counter())[line.party_name] += 1
    names = {key: counts.most_common(1)[0][0] for key, counts in other.items()}
    names.update({key: counts.most_common(1)[0][0] for key, counts in own.items()})
    return names
