"""The arithmetic of a result, exact and pure: no database, no Slack, no rounding.

Votes are integers; every share, change and swing is a `Fraction` of valid votes, so nothing is
rounded until it is rendered (see `store.numbers`). Definitions follow the House of Commons Library:
share = votes / valid votes; majority = winner's votes - runner-up's votes; turnout = valid votes /
electorate; Butler swing from A to B = ((B now - B before) - (A now - A before)) / 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from store.names import fold

# A party that changed its name or stands under a joint label counts as the same party when we
# compare a result with the one before: the Brexit Party became Reform UK in 2021; Labour and
# Co-operative candidates are Labour; the Speaker stands as "Spk" whatever party they came from.
# The rest are parties the Library's files spell two ways; tests/unit/test_party_audit.py lists every
# party that stands in a seat under one abbreviation and in its next contest under another, and holds
# each such pair either folded here or explained there as two different parties.
PARTY_SUCCESSORS: Mapping[str, str] = {
    "BRX": "RUK",
    "Brexit Party": "RUK",
    "Reform": "RUK",
    "Lab Coop": "Lab",
    "Lab Co-op": "Lab",
    "LabCoop": "Lab",
    "Speaker": "Spk",
    # People Before Profit in Northern Ireland: its candidates stand as PBPA (People Before Profit
    # Alliance), but the 2019 notional file (2024 boundaries) files its votes as PBP, the MNIS ID of
    # a London party of that name. The two never stand in one seat, so folding joins only the Northern
    # Irish history (Belfast West 2024: Gerry Carroll against his 6,059 notional votes).
    "PBP": "PBPA",
    # Yorkshire First renamed itself the Yorkshire Party in 2016 (one 2017 row still reads "The
    # Yorkshire Party (was Yorkshire First)").
    "YF": "Yrks",
    # Cannabis Is Safer Than Alcohol became the Citizens Independent Social Thought Alliance, keeping
    # its initials CISTA (West Tyrone: Barry Brown stood for it under both names, 2015 and 2017).
    "CSA": "CISTA",
    # One Electoral Commission registration (PP488) under two names: "Clause 28, Children's
    # Protection Christian Democrats" (2010), then "War Veteran's Pro-Traditional Family Party".
    "C28": "WVP",
    # One party, one registration, two spellings of its abbreviation in the Library's files.
    "CLI": "Cli",  # Climate Party (PP12958)
    "RP": "Reclaim",  # The Reclaim Party (PP9050)
}

INDEPENDENT = "Ind"


def party_key(abbreviation: str) -> str:
    """The party an abbreviation belongs to for comparisons across elections."""
    return PARTY_SUCCESSORS.get(abbreviation, abbreviation)


@dataclass(frozen=True)
class Candidate:
    name: str | None  # None for notional results, which carry party totals only
    party: str  # abbreviation as the source gives it, e.g. "Con", "Lab", "BRX"
    votes: int | None
    elected: bool = False


@dataclass(frozen=True)
class ContestFigures:
    electorate: int | None
    valid_votes: int | None
    rejected: int | None
    candidates: tuple[Candidate, ...]


class Standing(Protocol):
    """A candidate as any layer holds one (an entry, stored facts): what the arithmetic reads."""

    @property
    def name(self) -> str | None: ...
    @property
    def party(self) -> str: ...
    @property
    def votes(self) -> int | None: ...
    @property
    def elected(self) -> bool: ...


def contest_figures(
    electorate: int | None, valid_votes: int | None, rejected: int | None, candidates: Iterable[Standing]
) -> ContestFigures:
    return ContestFigures(
        electorate=electorate,
        valid_votes=valid_votes,
        rejected=rejected,
        candidates=tuple(Candidate(c.name, c.party, c.votes, c.elected) for c in candidates),
    )


@dataclass(frozen=True)
class Majority:
    votes: int
    share: Fraction  # of valid votes


@dataclass(frozen=True)
class Outcome:
    """Who won, and how sure we can be of it."""

    winner: Candidate | None
    runner_up: Candidate | None
    majority: Majority | None
    # Plain statements for a reader when something is unusual: a tie, an unopposed return,
    # missing figures. Empty for an ordinary result.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Swing:
    from_party: str
    to_party: str
    points: Fraction  # percentage points, always >= 0, in the direction from_party -> to_party


def share(votes: int | None, valid_votes: int | None) -> Fraction | None:
    if votes is None or not valid_votes:
        return None
    return Fraction(votes, valid_votes)


def percent(value: Fraction | None) -> Fraction | None:
    """A share as a number of percent (0.4425 -> 44.25), still exact."""
    return None if value is None else value * 100


def ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Highest votes first; a declared winner first among equals; otherwise the source's order."""
    return sorted(candidates, key=lambda c: (-(c.votes if c.votes is not None else -1), not c.elected))


def outcome(figures: ContestFigures) -> Outcome:
    candidates = ranked(figures.candidates)
    if not candidates:
        return Outcome(None, None, None, ("No candidates are recorded for this contest.",))
    if len(candidates) == 1:
        only = candidates[0]
        return Outcome(only, None, None, (f"{describe(only)} was returned unopposed: no poll was held.",))
    if any(c.votes is None for c in candidates):
        return Outcome(None, None, None, ("Votes are missing for some candidates, so no winner is computed.",))
    first, second = candidates[0], candidates[1]
    notes: list[str] = []
    winner: Candidate | None = first
    if first.votes == second.votes:
        tied = [c for c in candidates if c.votes == first.votes]
        elected = [c for c in tied if c.elected]
        if len(elected) == 1:
            winner = elected[0]
            second = next(c for c in tied if c is not winner)
            notes.append(f"A tie on {first.votes:,} votes, decided by lot for {describe(winner)}.")
        else:
            winner = None
            notes.append(f"A tie on {first.votes:,} votes; the winner drawn by lot is not recorded.")
    majority = None
    if winner is not None and first.votes is not None and second.votes is not None:
        margin = first.votes - second.votes
        majority_share = share(margin, figures.valid_votes)
        if majority_share is not None:
            majority = Majority(margin, majority_share)
        else:
            notes.append("Valid votes are not recorded, so the majority cannot be given as a share.")
    return Outcome(winner, second if winner is not None else None, majority, tuple(notes))


def inconsistencies(figures: ContestFigures) -> dict[str, str]:
    """Where a contest's own figures contradict each other, by the field at fault: candidate votes
    that do not add up to the valid votes, or more ballots counted than there are electors."""
    found: dict[str, str] = {}
    votes = [c.votes for c in figures.candidates]
    if figures.valid_votes is not None and votes and all(v is not None for v in votes):
        total = sum(v for v in votes if v is not None)
        if total != figures.valid_votes:
            found["valid_votes"] = f"candidate votes add up to {total:,} but valid votes are {figures.valid_votes:,}"
    if figures.electorate is not None and figures.valid_votes is not None:
        counted = figures.valid_votes + (figures.rejected or 0)
        if counted > figures.electorate:
            found["electorate"] = (
                f"valid votes plus rejected ballots ({counted:,}) exceed the electorate ({figures.electorate:,})"
            )
    return found


def describe(candidate: Candidate) -> str:
    return f"{candidate.name} ({candidate.party})" if candidate.name else candidate.party


def turnout(figures: ContestFigures) -> Fraction | None:
    """Valid votes / electorate: the Library's definition."""
    return share(figures.valid_votes, figures.electorate)


def turnout_including_rejected(figures: ContestFigures) -> Fraction | None:
    """Ballot papers counted (valid + rejected) / electorate: the figure returning officers quote."""
    if figures.valid_votes is None or figures.rejected is None:
        return None
    return share(figures.valid_votes + figures.rejected, figures.electorate)


def comparison_key(candidate: Candidate) -> str:
    """What a candidate's votes are compared under: their party, but each Independent is their own."""
    key = party_key(candidate.party)
    if key == INDEPENDENT:
        return f"{INDEPENDENT}:{fold(candidate.name or '')}"
    return key


def party_shares(figures: ContestFigures) -> dict[str, Fraction]:
    """Share of valid votes by comparison key; a party with several candidates adds them up."""
    totals: dict[str, int] = {}
    for candidate in figures.candidates:
        if candidate.votes is None:
            continue
        key = comparison_key(candidate)
        totals[key] = totals.get(key, 0) + candidate.votes
    if not figures.valid_votes:
        return {}
    return {key: Fraction(votes, figures.valid_votes) for key, votes in totals.items()}


def share_changes(now: ContestFigures, before: ContestFigures) -> dict[str, Fraction | None]:
    """Change in share (as a fraction; x100 for points) by comparison key; None where it is new."""
    shares_now, shares_before = party_shares(now), party_shares(before)
    return {key: (value - shares_before[key]) if key in shares_before else None for key, value in shares_now.items()}


def result_label(winner: Candidate | None, previous_winner: Candidate | None) -> str | None:
    """ "Con GAIN from Lab" or "Lab HOLD", comparing parties through their successors."""
    if winner is None or previous_winner is None:
        return None
    if party_key(winner.party) == party_key(previous_winner.party):
        return f"{winner.party} HOLD"
    return f"{winner.party} GAIN from {previous_winner.party}"


def normalise_label(label: str) -> str:
    """A label as a source states it ("Con gain from Lab Coop", "RUK Hold") in our canonical form."""
    words = label.split()
    lowered = [w.casefold() for w in words]
    if "gain" in lowered and "from" in lowered:
        gain_at, from_at = lowered.index("gain"), lowered.index("from")
        winner = party_key(" ".join(words[:gain_at]))
        loser = party_key(" ".join(words[from_at + 1 :]))
        return f"{winner} GAIN from {loser}"
    if lowered and lowered[-1] == "hold":
        return f"{party_key(' '.join(words[:-1]))} HOLD"
    return label.strip()


def butler_swing(now: ContestFigures, before: ContestFigures, pair: tuple[str, str] | None = None) -> Swing | None:
    """Two-party Butler swing, between `pair` or else the top two parties now.

    None when either party did not stand in both contests: a swing against a party that was not
    there is a number a reader would misread.
    """
    if pair is None:
        placed = [c for c in ranked(now.candidates) if c.votes is not None]
        keys: list[str] = []
        for candidate in placed:
            key = comparison_key(candidate)
            if key not in keys:
                keys.append(key)
        if len(keys) < 2:
            return None
        pair = (keys[1], keys[0])
    else:
        pair = (party_key(pair[0]), party_key(pair[1]))
    shares_now, shares_before = party_shares(now), party_shares(before)
    a, b = pair
    if not all(key in shares_now and key in shares_before for key in pair):
        return None
    towards_b = ((shares_now[b] - shares_before[b]) - (shares_now[a] - shares_before[a])) / 2
    if towards_b >= 0:
        return Swing(display_key(a), display_key(b), towards_b * 100)
    return Swing(display_key(b), display_key(a), -towards_b * 100)


def display_key(key: str) -> str:
    return INDEPENDENT if key.startswith(f"{INDEPENDENT}:") else key
