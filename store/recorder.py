"""Storing a contest: finding or creating its election, seat and parties, and writing a new version
only when a figure changed. The caller owns the transaction; `store.enter_result` is the use case
that validates an entry and calls this."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from store.contest_input import CandidateInput, ContestInput, InvalidResult
from store.elections import GENERAL, RUSH, boundary_set_for, election_name, parliament_for
from store.limits import PARTY_ABBREVIATION_LENGTH
from store.models import Candidacy, Constituency, Contest, Election, Party
from store.names import SeatSpellings, fold
from store.parties import abbreviation_for


@dataclass
class RecordOutcome:
    contest: Contest
    status: str  # "new", "unchanged" or "corrected"
    previous: Contest | None = None
    new_parties: list[str] = field(default_factory=list)


class SeatNames:
    """Stored seats by name, kept to one spelling per name (`names.SeatSpellings`): the newest
    general election's. Only a general-election file is an authority on how a seat is spelt."""

    def __init__(self, seats: Iterable[Constituency], newest_general: Mapping[int, dt.date]) -> None:
        self._spellings = SeatSpellings()
        self._by_name: dict[str, list[Constituency]] = defaultdict(list)  # by fold(name)
        self._spelt_at: dict[str, dt.date] = {}  # ONS ID -> the general election that named it
        for seat in seats:
            held = newest_general.get(seat.id)
            self._spellings.spell(seat.name, held)
            self._by_name[fold(seat.name)].append(seat)
            if held is not None:
                self._spelt_at[seat.ons_id] = held

    def spell(self, name: str) -> str:
        """How a new seat called `name` is spelt: as the seats that already bear the name are."""
        return self._spellings.spell(name)

    def add(self, seat: Constituency) -> None:
        self._by_name[fold(seat.name)].append(seat)

    def spelt(self, seat: Constituency, name: str, general_election: dt.date) -> None:
        """A general election's file names `seat` so: unless a newer one has named it, the seat and
        every seat that bears the name take the name's one spelling."""
        if general_election < self._spelt_at.get(seat.ons_id, dt.date.min):
            return
        self._spelt_at[seat.ons_id] = general_election
        spelling = self._spellings.spell(name, general_election)
        old, new = fold(seat.name), fold(spelling)
        if old != new:
            self._by_name[old] = [s for s in self._by_name[old] if s is not seat]
            self._by_name[new].append(seat)
        for same in self._by_name[new]:
            if same.name != spelling:
                same.name = spelling


class Recorder:
    """Finds or creates elections, seats and parties; caches what it has seen. A `bulk` recorder (an
    import of thousands of contests) reads every seat and every election's current contests at once,
    a handful of queries in all; a single entry reads only its own seat and contest, so entering a
    result costs the same on election night whatever the store already holds."""

    def __init__(self, session: Session, *, bulk: bool = False) -> None:
        self.session = session
        self.bulk = bulk
        self._elections: dict[tuple[str, dt.date, str], Election] | None = None
        self._seats: dict[str, Constituency] | None = None
        self._names: SeatNames | None = None
        self._parties: dict[str, Party] | None = None
        self._current: dict[tuple[int, str], Contest] = {}  # (id(election), ons_id) -> current version
        self._loaded_elections: set[int] = set()
        self._every_seat_read = False
        # Contests recorded whose candidacies are not written yet (see write_candidacies), by id(contest).
        self._pending: dict[int, tuple[Contest, list[tuple[Party, CandidateInput]]]] = {}

    def parties(self) -> dict[str, Party]:
        if self._parties is None:
            self._parties = {p.abbreviation: p for p in self.session.scalars(select(Party))}
        return self._parties

    def party(
        self, candidate: CandidateInput, created: list[str], *, typed: bool = False, field_name: str = "party"
    ) -> Party:
        """The stored party a candidate stands for, created when new. `typed`: the party was typed by
        a person (the desk), so case, common names and aliases are read generously. A new party whose
        abbreviation would not fit its column is InvalidResult on `field_name`."""
        parties = self.parties()
        found = parties.get(candidate.party)
        if found is None and typed:
            found = self._known_as(candidate.party)
        elif found is None:
            # A source file's abbreviations are kept as published; only its full names are matched.
            wanted = candidate.party.casefold()
            found = next((p for p in parties.values() if p.name.casefold() == wanted), None)
        if found is None:
            # A well-known party the store has not met yet still gets the Library's abbreviation.
            abbreviation = (abbreviation_for(candidate.party) if typed else None) or candidate.party
            if len(abbreviation) > PARTY_ABBREVIATION_LENGTH:
                # Inventing a shorter label would publish a party name nobody chose: ask for one.
                raise InvalidResult(
                    {
                        field_name: f"{abbreviation!r} is not a party the store knows, and a new party is stored "
                        f"under its abbreviation, which must be at most {PARTY_ABBREVIATION_LENGTH} characters: "
                        "give the party's abbreviation instead"
                    }
                )
            found = Party(
                abbreviation=abbreviation,
                name=candidate.party_name or candidate.party,
                ec_id=candidate.ec_id,
                mnis_id=candidate.mnis_id,
            )
            self.session.add(found)
            parties[abbreviation] = found
            created.append(abbreviation)
        else:
            if found.mnis_id is None and candidate.mnis_id is not None:
                found.mnis_id = candidate.mnis_id
            # A party first met under a joint ballot label takes its own name when one turns up.
            if found.ec_id is None and candidate.ec_id is not None:
                found.ec_id = candidate.ec_id
                found.name = candidate.party_name or found.name
        return found

    def _known_as(self, text: str) -> Party | None:
        """A stored party that `text` names: its abbreviation in any case ("lab"), a common name or
        alias ("Green Party", "Lib Dems"), or its full name as stored."""
        parties = self.parties()
        wanted = text.casefold()
        by_abbreviation = next((p for p in parties.values() if p.abbreviation.casefold() == wanted), None)
        if by_abbreviation is not None:
            return by_abbreviation
        alias = abbreviation_for(text)
        if alias is not None and alias in parties:
            return parties[alias]
        return next((p for p in parties.values() if p.name.casefold() == wanted), None)

    def election(self, kind: str, date: dt.date, boundary_set: str | None) -> Election:
        if self._elections is None:
            self._elections = {(e.kind, e.date, e.boundary_set): e for e in self.session.scalars(select(Election))}
        boundaries = boundary_set or boundary_set_for(kind, date)
        key = (kind, date, boundaries)
        found = self._elections.get(key)
        if found is None:
            found = Election(
                kind=kind,
                date=date,
                boundary_set=boundaries,
                name=election_name(kind, date),
                parliament=parliament_for(kind, date),
            )
            self.session.add(found)
            self._elections[key] = found
        return found

    def _all_seats(self) -> dict[str, Constituency]:
        if self._seats is None or not self._every_seat_read:
            self._seats = {c.ons_id: c for c in self.session.scalars(select(Constituency))} | (self._seats or {})
            self._every_seat_read = True
        return self._seats

    def _seat(self, ons_id: str) -> Constituency | None:
        if self.bulk:
            return self._all_seats().get(ons_id)
        if self._seats is None:
            self._seats = {}
        if ons_id not in self._seats:
            found = self.session.scalar(select(Constituency).where(Constituency.ons_id == ons_id))
            if found is None:
                return None
            self._seats[ons_id] = found
        return self._seats[ons_id]

    def constituency(self, entry: ContestInput) -> Constituency:
        found = self._seat(entry.ons_id)
        if found is None:
            if not entry.constituency_name:
                raise InvalidResult({"constituency": f"no seat with ONS ID {entry.ons_id} is known; give its name"})
            names = self._seat_names()
            found = Constituency(ons_id=entry.ons_id, name=names.spell(entry.constituency_name))
            self.session.add(found)
            self._all_seats()[entry.ons_id] = found
            names.add(found)
        if entry.authoritative_name and entry.constituency_name:
            self._seat_names().spelt(found, entry.constituency_name, entry.election_date)
        for attribute, value in (
            ("region", entry.region),
            ("country", entry.country),
            ("county", entry.county),
            ("kind", entry.constituency_kind),
        ):
            if value and not getattr(found, attribute):
                setattr(found, attribute, value)
        return found

    def _seat_names(self) -> SeatNames:
        """The stored seats' names, read only when a seat is created or a general election names one."""
        if self._names is None:
            seats = self._all_seats()
            newest_general = {
                seat_id: held
                for seat_id, held in self.session.execute(
                    select(Contest.constituency_id, func.max(Election.date))
                    .join(Contest.election)
                    .where(Election.kind == GENERAL)
                    .group_by(Contest.constituency_id)
                )
            }
            self._names = SeatNames(seats.values(), newest_general)
        return self._names

    def current_contest(self, election: Election, seat: Constituency) -> Contest | None:
        key = (id(election), seat.ons_id)
        if not self.bulk:
            if key not in self._current and election.id is not None and seat.id is not None:
                found = self.session.scalars(
                    select(Contest)
                    .where(
                        Contest.election_id == election.id,
                        Contest.constituency_id == seat.id,
                        Contest.is_current.is_(True),
                    )
                    .options(selectinload(Contest.candidacies).selectinload(Candidacy.party))
                ).first()
                if found is not None:
                    self._current[key] = found
            return self._current.get(key)
        if election.id is not None and id(election) not in self._loaded_elections:
            self._loaded_elections.add(id(election))
            for contest in self.session.scalars(
                select(Contest)
                .where(Contest.election_id == election.id, Contest.is_current.is_(True))
                .options(
                    selectinload(Contest.candidacies).selectinload(Candidacy.party), selectinload(Contest.constituency)
                )
            ):
                self._current.setdefault((id(election), contest.constituency.ons_id), contest)
        return self._current.get((id(election), seat.ons_id))

    def record(self, entry: ContestInput, *, typed: bool = True) -> RecordOutcome:
        """Store `entry`, already validated. `typed`: a person typed it, so party names are read generously."""
        election = self.election(entry.election_kind, entry.election_date, entry.boundary_set)
        seat = self.constituency(entry)
        previous = self.current_contest(election, seat)
        created: list[str] = []
        rows = [
            (self.party(c, created, typed=typed, field_name=f"candidates[{index}].party"), c)
            for index, c in enumerate(entry.candidates)
        ]
        stated_result = entry.stated_result
        if entry.status == RUSH and entry.winner_party:
            rows, stated_result = self._rush(entry, entry.winner_party, rows, created, typed=typed)
        if previous is not None and _same_figures(previous, self.standing(previous), entry, rows, stated_result):
            return RecordOutcome(previous, "unchanged", previous, created)
        if previous is not None:
            previous.is_current = False
            # The old row must stop being current before the new one is inserted.
            self.session.flush()
        contest = Contest(
            election=election,
            constituency=seat,
            version=(previous.version + 1) if previous else 1,
            is_current=True,
            electorate=entry.electorate,
            valid_votes=entry.valid_votes,
            invalid_votes=entry.invalid_votes,
            declared_at=entry.declared_at,
            status=entry.status,
            source=entry.source,
            stated_result=stated_result,
            stated_majority=entry.stated_majority,
            entered_by=entry.entered_by,
        )
        self.session.add(contest)
        self._pending[id(contest)] = (contest, rows)
        self._current[(id(election), seat.ons_id)] = contest
        return RecordOutcome(contest, "corrected" if previous else "new", previous, created)

    def _rush(
        self,
        entry: ContestInput,
        winner_party: str,
        rows: list[tuple[Party, CandidateInput]],
        created: list[str],
        *,
        typed: bool,
    ) -> tuple[list[tuple[Party, CandidateInput]], str | None]:
        """A rush's candidacies, with its winner marked elected (a nameless row for the winning party
        when no one listed stands for it), and its GAIN or HOLD as stated, when stated."""
        winner = self.party(CandidateInput(None, winner_party, None), created, typed=typed, field_name="winner_party")
        standing_for_winner = [index for index, (party, _) in enumerate(rows) if party is winner]
        if len(standing_for_winner) == 1:
            index = standing_for_winner[0]
            rows = [*rows[:index], (winner, replace(rows[index][1], elected=True)), *rows[index + 1 :]]
        else:
            rows = [*rows, (winner, CandidateInput(None, winner.abbreviation, None, elected=True))]
        if entry.gain is False:
            return rows, f"{winner.abbreviation} HOLD"
        if entry.gained_from:
            loser = (self._known_as(entry.gained_from) if typed else None) or self.parties().get(entry.gained_from)
            return rows, f"{winner.abbreviation} GAIN from {loser.abbreviation if loser else entry.gained_from}"
        return rows, entry.stated_result

    def write_candidacies(self) -> None:
        """Write the candidacies of every contest recorded since the last call, in one plain insert:
        a full import holds some 27,000, and ORM objects for each would cost more than the rest of
        the import together. Call it before the transaction commits; `store.enter_result.enter` does."""
        if not self._pending:
            return
        self.session.flush()  # the contests and any new parties get their ids
        pending = list(self._pending.values())
        if not any(rows for _, rows in pending):
            self._pending.clear()  # a rush or a recount may list no one: nothing to insert
            return
        self.session.execute(
            insert(Candidacy),
            [
                {
                    "contest_id": contest.id,
                    "position": position,
                    "candidate_name": candidate.name,
                    "party_id": party.id,
                    "party_label": candidate.party_name,
                    "votes": candidate.votes,
                    "elected": candidate.elected,
                }
                for contest, rows in pending
                for position, (party, candidate) in enumerate(rows)
            ],
        )
        for contest, _ in pending:
            self.session.expire(contest, ["candidacies"])  # read back from the store when asked
        self._pending.clear()

    def standing(self, contest: Contest) -> list[tuple[str | None, str, int | None, bool]]:
        """(name, party abbreviation, votes, elected) of each candidate, written yet or not."""
        pending = self._pending.get(id(contest))
        if pending is not None:
            return [(c.name, party.abbreviation, c.votes, c.elected) for party, c in pending[1]]
        return [(c.candidate_name, c.party.abbreviation, c.votes, c.elected) for c in contest.candidacies]


def _known(votes: int | None) -> int:
    return -1 if votes is None else votes


def _same_figures(
    contest: Contest,
    standing: list[tuple[str | None, str, int | None, bool]],
    entry: ContestInput,
    rows: list[tuple[Party, CandidateInput]],
    stated_result: str | None,
) -> bool:
    if (contest.electorate, contest.valid_votes, contest.invalid_votes, contest.status, contest.stated_result) != (
        entry.electorate,
        entry.valid_votes,
        entry.invalid_votes,
        entry.status,
        stated_result,
    ):
        return False
    # -1 stands for an unknown count ([x]), so a change between unknown and 0 is a change; a rush
    # flashing another winner is a change too.
    stored = sorted((name or "", party, _known(votes), elected) for name, party, votes, elected in standing)
    given = sorted((c.name or "", party.abbreviation, _known(c.votes), c.elected) for party, c in rows)
    return stored == given
