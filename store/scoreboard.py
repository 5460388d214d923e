"""The scoreboard of a whole election: seats, gains and losses, votes and shares by party. Pure: built
from summaries (plain values), never from database rows, and exact (`Fraction`s) until rendered.

Conventions, each a choice a reporter should be able to look up:

- Only DECLARED results count (and declared results since CORRECTED). A provisional result is a figure
  still to be confirmed, and a flash (rush) or a recount has none yet; they are counted apart
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
    return match_region(text, (s.region for s in summaries if s.region))


def match_region(text: str, regions: Iterable[str]) -> str | None:
    """The one of `regions` (as the Library spells them) that `text` types, else None."""

    def folded(name: str) -> str:
        return " ".join(name.replace("-", " ").casefold().split())

    return {folded(region): region for region in regions}.get(folded(text))


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
    tally = Tally(previous, nation=nation, region=region)
    for number, summary in enumerate(contests):
        tally.add(number, summary)
    return tally.scoreboard(election, previous_election=previous_election, latest_limit=latest_limit)


class Tally:
    """A scoreboard's counts, kept up to date one contest at a time: `add` a contest's summary under a
    key of the caller's (its contest id), `remove` it when superseded (a correction), and read the
    `scoreboard` at any moment. A recount after one more result then costs that result's arithmetic,
    not the whole election's; `build_scoreboard` is the same tally fed every contest at once."""

    def __init__(self, previous: Sequence[Summary], *, nation: str | None = None, region: str | None = None) -> None:
        self.nation, self.region = nation, region
        self.previous_by_seat = {s.ons_id: s for s in previous if in_scope(s, nation, region)}
        self.contests: dict[object, Summary] = {}
        self.seats_with_results: Counter[str] = Counter()
        self.provisional = 0
        self.declared = 0
        self.seats: Counter[str] = Counter()
        self.gains: Counter[str] = Counter()
        self.losses: Counter[str] = Counter()
        self.votes = _Votes()  # every declared seat in scope
        self.votes_now = _Votes()  # the declared seats with a previous result ...
        self.votes_then = _Votes()  # ... and those seats' previous results
        self.own_names: dict[str, Counter[str]] = {}
        self.other_names: dict[str, Counter[str]] = {}
        # Each party's name, worked out again only for the parties whose candidates changed since.
        self.names: dict[str, str] = {}
        self.names_changed: set[str] = set()

    def add(self, key: object, summary: Summary) -> None:
        """Count `summary` (replacing what was counted under `key`); nothing when out of scope."""
        self.remove(key)
        if in_scope(summary, self.nation, self.region):
            self.contests[key] = summary
            self._count(summary, 1)

    def remove(self, key: object) -> None:
        summary = self.contests.pop(key, None)
        if summary is not None:
            self._count(summary, -1)

    def _count(self, summary: Summary, sign: int) -> None:
        self.seats_with_results[summary.ons_id] += sign
        if summary.status not in COUNTED_STATUSES:
            if summary.status != NOMINATED:
                self.provisional += sign
            return
        self.declared += sign
        if summary.winner is not None:
            self.seats[arithmetic.party_key(summary.winner.party)] += sign
        change = seat_change(summary)
        if change is not None and change.gained:
            self.gains[change.winner] += sign
            if change.previous is not None:
                self.losses[change.previous] += sign
        self.votes.count(summary, sign)
        before = self.previous_by_seat.get(summary.ons_id)
        if before is not None:
            self.votes_now.count(summary, sign)
            self.votes_then.count(before, sign)
        for line in summary.candidates:
            key = arithmetic.party_key(line.party)
            names = self.own_names if line.party == key else self.other_names
            names.setdefault(key, Counter())[line.party_name] += sign
            self.names_changed.add(key)

    def scoreboard(
        self,
        election: ElectionNamed,
        *,
        previous_election: str | None = None,
        latest_limit: int = LATEST_DECLARATIONS,
    ) -> Scoreboard:
        votes, all_valid = self.votes.by_party, self.votes.valid
        votes_now, valid_now = self.votes_now.by_party, self.votes_now.valid
        votes_then, valid_then = self.votes_then.by_party, self.votes_then.valid

        def share_change(party: str) -> Fraction | None:
            if not valid_now or not valid_then or not self.votes_then.stood(party):
                return None
            # Share now minus share then, in points, as one fraction: a/b - c/d = (ad - cb) / bd.
            change = votes_now[party] * valid_then - votes_then[party] * valid_now
            return Fraction(100 * change, valid_now * valid_then)

        names = self._party_names()
        standing = {party for party in votes if self.votes.stood(party)}
        parties = [
            PartyTally(
                party=party,
                party_name=names.get(party, party),
                seats=self.seats[party],
                gains=self.gains[party],
                losses=self.losses[party],
                votes=votes[party],
                share=Fraction(100 * votes[party], all_valid) if all_valid else None,
                share_change=share_change(party),
            )
            for party in standing | set(+self.seats) | set(+self.losses)
        ]
        parties.sort(key=lambda row: (-row.seats, -row.votes, row.party))

        declared = [s for s in self.contests.values() if s.status in COUNTED_STATUSES and s.declared_at is not None]
        timed = sorted(declared, key=_declared_at, reverse=True)
        latest = tuple(
            Declaration(s.constituency, s.result_label, s.declared_at) for s in timed[:latest_limit] if s.declared_at
        )
        total_seats = len(set(+self.seats_with_results) | set(self.previous_by_seat))
        filtered = self.nation is not None or self.region is not None
        return Scoreboard(
            election_name=election.name,
            election_date=election.date,
            election_kind=election.kind,
            scope=self.nation if self.nation is not None else self.region,
            declared=self.declared,
            provisional=self.provisional,
            total_seats=total_seats,
            majority_line=None if filtered else total_seats // 2 + 1,
            parties=tuple(parties),
            latest=latest,
            previous_election=previous_election,
        )

    def _party_names(self) -> dict[str, str]:
        """Each party's commonest name among candidates standing under its own abbreviation ("Labour", not
        "Labour and Co-operative"); for a party only ever seen under another abbreviation, that name."""
        for key in self.names_changed:
            own, other = +self.own_names.get(key, Counter()), +self.other_names.get(key, Counter())
            if own or other:
                self.names[key] = (own or other).most_common(1)[0][0]
            else:
                self.names.pop(key, None)
        self.names_changed.clear()
        return self.names


class _Votes:
    """Votes by party key and all valid votes over some summaries: a contest's recorded valid votes,
    else its candidates' votes added up (a notional result may carry party totals only)."""

    def __init__(self) -> None:
        self.by_party: Counter[str] = Counter()
        self.lines: Counter[str] = Counter()  # candidates with a vote count, by party: who stood
        self.valid = 0

    def stood(self, party: str) -> bool:
        return self.lines[party] > 0

    def count(self, summary: Summary, sign: int) -> None:
        counted = 0
        for line in summary.candidates:
            if line.votes is not None:
                key = arithmetic.party_key(line.party)
                self.by_party[key] += sign * line.votes
                self.lines[key] += sign
                counted += line.votes
        self.valid += sign * (summary.valid_votes if summary.valid_votes is not None else counted)


def _declared_at(summary: Summary) -> dt.datetime:
    assert summary.declared_at is not None
    moment = summary.declared_at
    # A time stored without a zone is UK local time (store.elections.NEWSROOM_TZ); it must be placed in
    # that zone to be ordered among zoned times.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=uk_zone())
