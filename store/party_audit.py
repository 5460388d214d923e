"""Parties that may be one party filed under two abbreviations: the audit behind
`arithmetic.PARTY_SUCCESSORS`.

A party the Library files under one abbreviation in a seat and under another at the seat's next
contest loses its history there: its share change reads "new" and no swing is given. This lists every
pair of abbreviations a person would suspect of being one party, from plain values (no database):

* in a contest and the result it is compared with (`summary.choose_baseline`, so notional baselines
  too), a party that is new and a party that has gone, where the same candidate stood for both, the
  party names share a distinctive word, or the abbreviations differ only in case;
* anywhere in the data, one party name under two abbreviations.

Pairs already folded by `arithmetic.party_key` are not listed. Independents are never a pair (each is
compared only with themselves), nor is a notional file's "other candidates" total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from store import arithmetic
from store.facts import CandidateFacts, ContestFacts
from store.names import fold
from store.summary import choose_baseline

NOT_PARTIES = frozenset({arithmetic.INDEPENDENT, "Oth"})

# Words too common in party names to suggest that two parties are one: joining words, what parties
# call themselves, and the nations and traditions many parties share ("Scottish", "Unionist").
COMMON_WORDS = frozenset(
    {
        "the", "party", "of", "and", "for", "a", "an", "in", "to", "uk", "united", "kingdom", "great",
        "britain", "british", "national", "alliance", "people", "peoples", "new", "first", "independent",
        "independents", "democrat", "democrats", "democratic", "social", "socialist", "coalition", "movement",
        "english", "scottish", "welsh", "ulster", "unionist",
    }
)  # fmt: skip

PartyPair = tuple[str, str]  # two abbreviations, in alphabetical order (case aside)


@dataclass(frozen=True)
class Suspect:
    """Why two abbreviations look like one party, and where."""

    reason: str
    example: str


def pair_of(first: str, second: str) -> PartyPair:
    low, high = sorted((first, second), key=lambda abbreviation: (abbreviation.casefold(), abbreviation))
    return (low, high)


def suspected_pairs(contests: Iterable[ContestFacts]) -> dict[PartyPair, Suspect]:
    """Every pair of abbreviations that may stand for one party, with the first place it shows."""
    wanted = list(contests)
    found: dict[PartyPair, Suspect] = {}
    for pair, suspect in (*_across_consecutive_contests(wanted), *_one_name_two_abbreviations(wanted)):
        found.setdefault(pair, suspect)
    return found


def _across_consecutive_contests(contests: list[ContestFacts]) -> Iterator[tuple[PartyPair, Suspect]]:
    by_seat: dict[str, list[ContestFacts]] = defaultdict(list)
    for contest in contests:
        by_seat[contest.ons_id].append(contest)
    for contest in contests:
        baseline = choose_baseline(contest, by_seat[contest.ons_id])
        if baseline is None:
            continue
        now, before = _parties(contest), _parties(baseline)
        new = [candidate for key, candidate in now.items() if key not in before]
        gone = [candidate for key, candidate in before.items() if key not in now]
        for arrived in new:
            for left in gone:
                reason = _likeness(left, arrived)
                if reason is not None:
                    where = f"{contest.constituency}, {contest.election_name} (against the {baseline.election_name})"
                    yield pair_of(left.party, arrived.party), Suspect(reason, where)


def _one_name_two_abbreviations(contests: list[ContestFacts]) -> Iterator[tuple[PartyPair, Suspect]]:
    first_seen: dict[str, tuple[CandidateFacts, ContestFacts]] = {}
    for contest in contests:
        for candidate in contest.candidates:
            if candidate.party in NOT_PARTIES:
                continue
            name = " ".join(word for word in fold(candidate.party_name).split() if word not in ("the", "party"))
            earlier = first_seen.setdefault(name, (candidate, contest))
            other, where = earlier
            if arithmetic.party_key(other.party) != arithmetic.party_key(candidate.party):
                said = f"{candidate.party_name!r} as {other.party} ({where.constituency}, {where.election_name})"
                said += f" and as {candidate.party} ({contest.constituency}, {contest.election_name})"
                yield pair_of(other.party, candidate.party), Suspect("one name under two abbreviations", said)


def _parties(contest: ContestFacts) -> dict[str, CandidateFacts]:
    """The contest's parties by the key their votes are compared under."""
    parties: dict[str, CandidateFacts] = {}
    for candidate in contest.candidates:
        if candidate.party not in NOT_PARTIES:
            parties.setdefault(arithmetic.party_key(candidate.party), candidate)
    return parties


def _likeness(left: CandidateFacts, arrived: CandidateFacts) -> str | None:
    """Why a party that has gone and one that is new look like one party, or None."""
    if left.name and arrived.name and fold(left.name) == fold(arrived.name):
        return f"{arrived.name} stood for both"
    shared = _distinctive_words(left.party_name) & _distinctive_words(arrived.party_name)
    if shared:
        return f"their names share {', '.join(sorted(shared))!r}"
    if left.party.casefold() == arrived.party.casefold():
        return "their abbreviations differ only in case"
    return None


def _distinctive_words(party_name: str) -> set[str]:
    return {word for word in fold(party_name).split() if word not in COMMON_WORDS}
