"""Answering a reporter's query from the store: find the contest, summarise it, or say why not.

`ResultsService.ask` is what the CLI, the console and every Slack surface call. Seat names and the
contests held in each are read once into a `Directory`, so a lookup touches SQL only to load the one
contest it found (by primary key); nothing a user types is ever part of a query.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, TypeVar, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from store import arithmetic
from store.contests import load_contest, summarise, summarise_many
from store.elections import COUNTED_STATUSES, GENERAL, NOTIONAL, kind_words
from store.lookup import ParsedQuery, SeatIndex, normalise, parse_query
from store.models import Constituency, Contest, Election, with_candidates
from store.names import fold
from store.numbers import as_float
from store.people import People
from store.scoreboard import Scoreboard, Tally, build_scoreboard, find_region, seat_change
from store.state_of_parties import StateOfParties
from store.state_of_parties import latest as latest_state_of_parties
from store.summary import OtherContest, Summary

T = TypeVar("T")

SUMMARY_CACHE_SIZE = 4096
# Answers about a whole election (`ResultsService.kept`) kept at once: each question asked differently is one.
KEPT_ANSWERS = 512
# How stale an answer may be when another process (`resultsbot enter`, another replica) stores a
# result: the store's watermark is read at most this often, and a change drops every kept answer.
WATERMARK_SECONDS = 0.5

FOUND = "found"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"
NO_CONTEST = "no_contest"
EMPTY = "empty"

# Names reporters use that no fuzzy match would find.
ALIASES = {
    "stoke central": "Stoke-on-Trent Central",
    "stoke north": "Stoke-on-Trent North",
    "stoke south": "Stoke-on-Trent South",
    "weston": "Weston-super-Mare",
    "the western isles": "Na h-Eileanan an Iar",
    "western isles": "Na h-Eileanan an Iar",
    "anglesey": "Ynys Môn",
}


@dataclass(frozen=True)
class SeatContest:
    contest_id: int
    seat_name: str
    ons_id: str
    election_kind: str
    election_date: dt.date
    election_name: str
    boundary_set: str = ""


@dataclass(frozen=True)
class Answer:
    kind: str  # FOUND, AMBIGUOUS, NOT_FOUND, NO_CONTEST or EMPTY
    query: str
    message: str
    summary: Summary | None = None
    # Seat names to offer (AMBIGUOUS: those that fit, best first; NOT_FOUND: the closest names),
    # each with the query that asks for it.
    options: tuple[tuple[str, str], ...] = ()
    seat: str | None = None  # FOUND: the seat's name as the Directory spells it


@dataclass(frozen=True)
class PersonResult:
    """One contest a person stood in, with how they did."""

    seat: str
    election_name: str
    election_date: dt.date
    election_kind: str
    status: str
    party: str
    votes: int | None
    share: Fraction | None
    elected: bool
    place: int | None  # 1 for the most votes; None when the votes are not in
    candidates: int
    query: str  # what `ResultsService.ask` answers with this contest
    disagrees: bool = False  # the Library's files contradict themselves about this contest


@dataclass(frozen=True)
class PersonAnswer:
    kind: str  # FOUND, AMBIGUOUS or NOT_FOUND
    query: str
    name: str = ""  # FOUND: the name as the latest contest spelt it
    results: tuple[PersonResult, ...] = ()
    # AMBIGUOUS: each name that fits (with its latest seat and year), and the question that asks for it.
    options: tuple[tuple[str, str], ...] = ()
    exact: bool = False  # FOUND: the text folds to the name exactly (no typo forgiven)

    def to_json(self) -> dict[str, Any]:
        """Every contest of a FOUND person, oldest first, for `ask --json`: shares unrounded, in percent."""
        return {
            "answer": "person",
            "name": self.name,
            "contests": [
                {
                    "constituency": r.seat,
                    "election": {"name": r.election_name, "date": r.election_date.isoformat(), "kind": r.election_kind},
                    "status": r.status,
                    "party": r.party,
                    "votes": r.votes,
                    "share": as_float(r.share),
                    "elected": r.elected,
                    "place": r.place,
                    "candidates": r.candidates,
                    "query": r.query,
                }
                for r in self.results
            ],
        }


@dataclass
class Directory:
    """Every seat's display name and the current contests in it, for lookups without SQL."""

    contests_by_name: dict[str, list[SeatContest]] = field(default_factory=dict)
    index: SeatIndex = field(default_factory=lambda: SeatIndex([]))
    # Every general election with a contest in the store: (date, name, boundary set), oldest first.
    general_elections: list[tuple[dt.date, str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session) -> Directory:
        rows = session.execute(
            select(
                Contest.id,
                Constituency.name,
                Constituency.ons_id,
                Election.kind,
                Election.date,
                Election.name,
                Election.boundary_set,
            )
            .join(Contest.constituency)
            .join(Contest.election)
            .where(Contest.is_current.is_(True))
            .order_by(Election.date)
        ).all()
        # Seats that share a name are stored with one spelling of it (the recorder's SeatSpellings);
        # names that only `normalise` joins ("St"/"Saint") take the spelling of the latest contest.
        spelling: dict[str, str] = {}
        grouped: dict[str, list[SeatContest]] = defaultdict(list)
        for row in rows:
            key = normalise(row[1])
            spelling[key] = row[1]
            grouped[key].append(SeatContest(*row))
        by_name = {spelling[key]: contests for key, contests in grouped.items()}
        aliases = {alias: spelling[normalise(name)] for alias, name in ALIASES.items() if normalise(name) in spelling}
        generals = sorted(
            {
                (c.election_date, c.election_name, c.boundary_set)
                for contests in grouped.values()
                for c in contests
                if c.election_kind == GENERAL
            }
        )
        return cls(by_name, SeatIndex(by_name, aliases), generals)

    def contests_for(self, name: str) -> list[SeatContest]:
        """Contests in every seat that bears this name (a name can span two boundary sets)."""
        return self.contests_by_name.get(name, [])

    def abolished(self, name: str) -> str | None:
        """ "Copeland was abolished at the 2024 general election; its last result was 2019." for a seat
        with no contest (not even a notional one) on the latest general election's boundaries whose last
        result predates it; else None. The seat is its name: one redrawn under a new ONS ID continues."""
        if not self.general_elections:
            return None
        latest_date, _, latest_boundaries = self.general_elections[-1]
        contests = self.contests_for(name)
        if not contests or any(c.boundary_set == latest_boundaries for c in contests):
            return None
        last = max((c for c in contests if c.election_kind != NOTIONAL), key=lambda c: c.election_date, default=None)
        if last is None or last.election_date >= latest_date:
            return None
        at = next(
            (
                election_name
                for date, election_name, boundaries in self.general_elections
                if date > last.election_date and boundaries == latest_boundaries
            ),
            None,
        )
        if at is None:
            return None
        return f"{name} was abolished at the {at}; its last result was {last.election_date.year}."


def choose_contest(contests: list[SeatContest], parsed: ParsedQuery) -> SeatContest | None:
    """The contest a query means: the year and kind it names, else the most recent; a real result
    over a notional one."""
    fitting = [
        c
        for c in contests
        if (parsed.year is None or c.election_date.year == parsed.year)
        and (parsed.kind is None or c.election_kind == parsed.kind)
    ]
    if not fitting and parsed.kind == GENERAL:
        fitting = [c for c in contests if c.election_kind == NOTIONAL and parsed.year == c.election_date.year]
    return max(fitting, key=lambda c: (c.election_kind != NOTIONAL, c.election_date), default=None)


def others_in_year(contests: list[SeatContest], chosen: SeatContest, parsed: ParsedQuery) -> list[SeatContest]:
    """The seat's other real contests that the query fits as well as `chosen`: held in the same year
    (the asked year, or with no year the latest) and of the kind asked for, if any. A notional result
    is never one: it is the previous election recomputed, not a contest held that year."""
    return sorted(
        (
            c
            for c in contests
            if c.contest_id != chosen.contest_id
            and c.election_kind != NOTIONAL
            and c.election_date.year == chosen.election_date.year
            and (parsed.kind is None or c.election_kind == parsed.kind)
        ),
        key=lambda c: c.election_date,
    )


def describe_request(parsed: ParsedQuery) -> str:
    parts = []
    if parsed.year is not None:
        parts.append(str(parsed.year))
    if parsed.kind is not None:
        parts.append(kind_words(parsed.kind))
    return " ".join(parts)


class ResultsService:
    """The store as the bot's surfaces ask it things. Thread-safe: Slack handlers run concurrently."""

    def __init__(self, sessions: sessionmaker[Session], *, watermark_seconds: float = WATERMARK_SECONDS) -> None:
        self.sessions = sessions
        self.watermark_seconds = watermark_seconds
        self._lock = threading.Lock()
        self._directory: Directory | None = None
        self._people: People | None = None
        self._summaries: OrderedDict[int, Summary] = OrderedDict()
        self._elections: dict[tuple[int | None, str], tuple[str, list[Summary]]] = {}
        self._with_previous: dict[int | None, ElectionWithPrevious | None] = {}
        self._watermark: tuple[int, int] | None = None
        self._watermark_read_at = -float("inf")
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation = 0  # how many times kept answers have been dropped
        # Every stored contest's seat (constituency id), as last read: what is new at a refresh.
        self._seat_of: dict[int, int] = {}
        # Each general election's scoreboard tallies (by election id), kept across entries.
        self._tallies: dict[int, KeptTallies] = {}

    def _keep_fresh(self) -> None:
        """Drop kept answers when any process has stored a result since they were made."""
        now = time.monotonic()
        with self._lock:
            if now - self._watermark_read_at < self.watermark_seconds:
                return
            self._watermark_read_at = now
        mark = self._read_watermark()
        with self._lock:
            changed = self._watermark is not None and mark != self._watermark
            first = self._watermark is None
            if first:
                self._watermark = mark
        if first:
            seats = self._read_seats()
            with self._lock:
                self._seat_of = self._seat_of or seats
        if changed:
            self.refresh(mark)

    def _read_seats(self) -> dict[int, int]:
        with self.sessions() as session:
            return {
                int(contest): int(seat)
                for contest, seat in session.execute(select(Contest.id, Contest.constituency_id))
            }

    def _read_watermark(self) -> tuple[int, int]:
        """Contest rows are only ever added (a correction is a new version), so their count and highest
        id together change with every entry, whatever order concurrent transactions commit in."""
        with self.sessions() as session:
            count, highest = session.execute(select(func.count(Contest.id), func.max(Contest.id))).one()
        return int(count), int(highest or 0)

    @property
    def directory(self) -> Directory:
        with self._lock:
            if self._directory is None:
                with self.sessions() as session:
                    self._directory = Directory.load(session)
            return self._directory

    @property
    def people(self) -> People:
        """Every candidate by name; read once, like the directory, and dropped with it."""
        with self._lock:
            if self._people is None:
                with self.sessions() as session:
                    self._people = People.load(session)
            return self._people

    def refresh(self, mark: tuple[int, int] | None = None) -> None:
        """Results were entered: reload the seat directory on next use and forget every summary. The
        watermark is read before anything is dropped, so whatever is rebuilt includes every entry it
        counts, and any later entry changes it."""
        if mark is None:
            try:
                mark = self._read_watermark()
            except Exception:  # the store is unreachable: the next question reads it again
                mark = None
        with self._lock:
            self._directory = None
            self._people = None
            self._watermark = mark
        try:
            seats: dict[int, int] | None = self._read_seats()
        except Exception:
            seats = None
        self._forget_changed(seats)

    def forget_summaries(self) -> None:
        """Forget every kept summary and answer."""
        self._forget_changed(None)

    def _forget_changed(self, seats: dict[int, int] | None) -> None:
        """Drop what the contests stored since the last look may have changed: given every contest's seat
        (`seats`, None when unknown), the summaries of the seats with a new contest (a result is compared
        only with results of its own seat, so no other summary changes), and every answer assembled from
        many summaries, which is rebuilt from the summaries kept."""
        with self._lock:
            if seats is None or not self._seat_of:
                self._summaries.clear()
            else:
                changed = {seats[contest] for contest in seats.keys() - self._seat_of.keys()}
                for contest in [c for c in self._summaries if self._seat_of.get(c, -1) in changed]:
                    del self._summaries[contest]
            self._seat_of = seats or {}
            self._elections.clear()
            self._with_previous.clear()
            self._kept.clear()
            self._generation += 1

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """What `make` builds from the store (a reply to a question about a whole election, say), kept under
        `key` until results are entered, like every summary: the same question on election night is answered
        from memory. One made while results were entered is not kept, since it may predate them."""
        self._keep_fresh()
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return cast(T, self._kept[key])
            generation = self._generation
        made = make()
        with self._lock:
            if generation == self._generation:
                self._kept[key] = made
                while len(self._kept) > KEPT_ANSWERS:
                    self._kept.popitem(last=False)
        return made

    def ask(self, query: str) -> Answer:
        self._keep_fresh()
        parsed = parse_query(query)
        if not parsed.seat_text.strip():
            return Answer(EMPTY, query, "Which seat? Try a constituency name, e.g. `copeland` or `hartlepool 2019`.")
        named = self.seat_named(query, parsed)
        if named.kind != FOUND or named.seat is None:
            return named
        seat = named.seat
        directory = self.directory
        suffix = describe_request(parsed)
        contests = directory.contests_for(seat)
        chosen = choose_contest(contests, parsed)
        if chosen is None:
            by_name = {c.election_name: c for c in contests if c.election_kind != NOTIONAL}
            held = sorted(by_name)
            return Answer(
                NO_CONTEST,
                query,
                f"No {suffix} result for {seat} is in the store. It has: {'; '.join(held)}.",
                None,
                tuple((name, _query_for(seat, by_name[name])) for name in held),
            )
        summary = self.summary(chosen.contest_id)
        also = tuple(self._other_contest(seat, other) for other in others_in_year(contests, chosen, parsed))
        if also:
            summary = replace(summary, also=also)
        gone = directory.abolished(seat)
        if gone:
            summary = replace(summary, seat_change=gone)
        return Answer(FOUND, query, f"{seat}, {chosen.election_name}", summary, seat=seat)

    def seat_named(self, query: str, parsed: ParsedQuery) -> Answer:
        """The one seat `parsed` names (FOUND, with `seat` and no summary), whether or not it has the
        contest asked for; or the AMBIGUOUS or NOT_FOUND answer with the seats to choose from."""
        self._keep_fresh()
        found = self.directory.index.find(parsed.seat_text)
        unique = found.unique
        suffix = describe_request(parsed)
        if unique is None and found.matches:
            names = _distinct(m.name for m in found.matches)
            if len(names) > 1:
                options = tuple((name, f"{name} {suffix}".strip()) for name in names)
                listed = ", ".join(names)
                return Answer(
                    AMBIGUOUS,
                    query,
                    f"“{parsed.seat_text}” fits {len(names)} seats: {listed}. Which one?",
                    None,
                    options,
                )
            unique = found.matches[0]
        if unique is None:
            suggestions = _distinct(m.name for m in found.suggestions)
            options = tuple((name, f"{name} {suffix}".strip()) for name in suggestions)
            hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
            return Answer(NOT_FOUND, query, f"No seat matches “{parsed.seat_text}”.{hint}", None, options)
        return Answer(FOUND, query, unique.name, seat=unique.name)

    def _real_contests(self, seat: str, until: dt.date) -> list[SeatContest]:
        """The seat's real (not notional) contests up to `until`, newest first."""
        contests = [
            c for c in self.directory.contests_for(seat) if c.election_kind != NOTIONAL and c.election_date <= until
        ]
        return sorted(contests, key=lambda c: c.election_date, reverse=True)

    def latest_winner(self, query: str) -> tuple[Answer, Summary | None]:
        """The seat `query` names, and its latest declared contest with a winner (up to the year asked, if
        any): who its MP is. The answer carries any seat change (an abolished seat)."""
        answer = self.ask(query)
        if answer.kind != FOUND or answer.summary is None or answer.seat is None:
            return answer, None
        for contest in self._real_contests(answer.seat, answer.summary.election_date):
            summary = self.summary(contest.contest_id)
            if summary.status in COUNTED_STATUSES and summary.winner is not None:
                return answer, summary
        return answer, None

    def candidates_standing(self, query: str) -> tuple[Answer, Summary | None, bool]:
        """The seat `query` names, its latest real contest, and whether that contest is pending
        (nominated, a rush or a recount, provisional, or no winner declared yet): who is standing there,
        or who stood last."""
        answer = self.ask(query)
        if answer.kind != FOUND or answer.summary is None or answer.seat is None:
            return answer, None, False
        contests = self._real_contests(answer.seat, dt.date.max)
        if not contests:
            return answer, None, False
        summary = self.summary(contests[0].contest_id)
        pending = summary.status not in COUNTED_STATUSES or summary.winner is None
        return answer, summary, pending

    def warm(self) -> None:
        """Read now what the first questions would otherwise wait for: the seat directory and the latest
        general election with the one before it (about 1,300 summaries, a second or two)."""
        self._keep_fresh()
        _ = self.directory
        self.general_election_with_previous(None)

    def latest_general_election(self) -> str | None:
        """The name of the latest general election with a result in the store."""
        generals = self.directory.general_elections
        return generals[-1][1] if generals else None

    def person(self, text: str) -> PersonAnswer:
        """Every contest the person `text` names stood in, oldest first; the names to choose from when
        several fit; NOT_FOUND when none does (the caller then reads `text` as it would otherwise)."""
        self._keep_fresh()
        people = self.people
        keys = people.find(text)
        if not keys:
            return PersonAnswer(NOT_FOUND, text)
        if len(keys) > 1:
            options = []
            for key in keys:
                name = people.display_name(key)
                last = people.stands(key)[-1]
                # The button's query is the name alone: `/result NAME` answers it (the `result_choice` listener).
                options.append((f"{name} ({last.seat_name}, {last.election_date.year})", name))
            return PersonAnswer(AMBIGUOUS, text, options=tuple(options))
        key = keys[0]
        results = []
        for stand in people.stands(key):
            summary = self.summary(stand.contest_id)
            place, line = next(
                ((i, c) for i, c in enumerate(summary.candidates, start=1) if c.name and fold(c.name) == key),
                (None, None),
            )
            if line is None:
                continue
            results.append(
                PersonResult(
                    seat=summary.constituency,
                    election_name=summary.election_name,
                    election_date=summary.election_date,
                    election_kind=summary.election_kind,
                    status=summary.status,
                    party=line.party,
                    votes=line.votes,
                    share=line.share,
                    elected=line.elected,
                    place=place if line.votes is not None else None,
                    candidates=len(summary.candidates),
                    query=f"{summary.constituency} {summary.election_date.year} {kind_words(summary.election_kind)}",
                    disagrees=bool(summary.disagreements),
                )
            )
        return PersonAnswer(FOUND, text, people.display_name(key), tuple(results), exact=key == fold(text))

    def _other_contest(self, seat: str, contest: SeatContest) -> OtherContest:
        summary = self.summary(contest.contest_id)
        return OtherContest(
            election_name=contest.election_name,
            election_date=contest.election_date,
            election_kind=contest.election_kind,
            result_label=summary.result_label,
            winner_party=summary.winner.party if summary.winner else None,
            query=_query_for(seat, contest),
        )

    def summary(self, contest_id: int) -> Summary:
        """A contest's summary; kept until results are entered, since the same seats are asked
        for again and again on election night and a stored contest version never changes."""
        with self._lock:
            cached = self._summaries.get(contest_id)
            if cached is not None:
                self._summaries.move_to_end(contest_id)
                return cached
            generation = self._generation
        with self.sessions() as session:
            contest = load_contest(session, contest_id)
            if contest is None:
                raise LookupError(f"no contest {contest_id}")
            made = summarise(session, contest)
        self._keep_summaries({contest_id: made}, generation)
        return made

    def _keep_summaries(self, made: dict[int, Summary], generation: int) -> None:
        """Keep summaries made since `generation`, unless results were entered meanwhile (they may predate them)."""
        with self._lock:
            if generation != self._generation:
                return
            self._summaries.update(made)
            for contest_id in made:
                self._summaries.move_to_end(contest_id)
            while len(self._summaries) > SUMMARY_CACHE_SIZE:
                self._summaries.popitem(last=False)

    def _summaries_of(self, session: Session, contest_ids: list[int]) -> list[Summary]:
        """The summaries of many contests: those kept, and the rest made together and kept. After a result
        is entered only its seat's are made again, so a question about a whole election stays quick."""
        with self._lock:
            have = {i: self._summaries[i] for i in contest_ids if i in self._summaries}
            generation = self._generation
        missing = [i for i in contest_ids if i not in have]
        if missing:
            contests = session.scalars(select(Contest).where(Contest.id.in_(missing)).options(*with_candidates()))
            made = summarise_many(session, contests)
            self._keep_summaries(made, generation)
            have.update(made)
        return [have[i] for i in contest_ids]

    def _current_of(self, session: Session, election_ids: list[int]) -> list[Summary]:
        """The summaries of the current contests of the elections `election_ids`, in the order stored."""
        ids = session.scalars(
            select(Contest.id)
            .where(Contest.election_id.in_(election_ids), Contest.is_current.is_(True))
            .order_by(Contest.id)
        )
        return self._summaries_of(session, list(ids))

    def recent_election(self, since: dt.date, until: dt.date) -> tuple[dt.date, str] | None:
        """The latest real election held between `since` and `until`: (date, kind), for the desk's form."""
        with self.sessions() as session:
            found = session.execute(
                select(Election.date, Election.kind)
                .where(Election.date >= since, Election.date <= until, Election.kind != NOTIONAL)
                .order_by(Election.date.desc())
                .limit(1)
            ).first()
        return (found[0], found[1]) if found else None

    def election_results(self, year: int | None, kind: str = GENERAL) -> tuple[str, list[Summary]]:
        """Summaries of every current contest of the `kind` election in `year` (latest when None).
        Kept, like single summaries, until results are entered: a whole election takes ~0.5 s."""
        self._keep_fresh()
        with self._lock:
            cached = self._elections.get((year, kind))
        if cached is not None:
            return cached
        made = self._election_results(year, kind)
        with self._lock:
            self._elections[(year, kind)] = made
        return made

    def _election_results(self, year: int | None, kind: str) -> tuple[str, list[Summary]]:
        with self.sessions() as session:
            query = select(Election).where(Election.kind == kind).order_by(Election.date.desc())
            if year is not None:
                query = query.where(Election.date >= dt.date(year, 1, 1), Election.date <= dt.date(year, 12, 31))
            elections = list(session.scalars(query))
            if not elections:
                return "", []
            if kind == GENERAL:
                elections = elections[:1]
            summaries = self._current_of(session, [e.id for e in elections])
            years = sorted({e.date.year for e in elections})
            if len(elections) == 1:
                name = elections[0].name
            elif len(years) == 1:
                name = f"{years[0]} by-elections"
            else:
                name = f"by-elections of {years[0]}–{years[-1]}"
            return name, summaries

    def parliament_span(self, year: int | None) -> tuple[dt.date, dt.date | None] | None:
        """The Parliament elected at the general election of `year` (latest when None): the day of that
        election and of the next one (None while it sits); None when no general election of `year` is in
        the store."""
        # Read on its own, not from the directory: after an entry the directory is read again (a tenth of
        # a second), and a question about by-elections needs only these dates.
        with self.sessions() as session:
            dates = list(
                session.scalars(
                    select(Election.date)
                    .where(
                        Election.kind == GENERAL, select(Contest.id).where(Contest.election_id == Election.id).exists()
                    )
                    .order_by(Election.date)
                )
            )
        for i, date in enumerate(dates):
            if (year is None and i == len(dates) - 1) or date.year == year:
                return date, dates[i + 1] if i + 1 < len(dates) else None
        return None

    def by_elections(
        self, year: int | None = None, parliament: int | None = None, since: int | None = None
    ) -> tuple[str, list[Summary]]:
        """The by-elections of `year`, of the Parliament elected in `parliament` (latest when all are None),
        or since the general election of `since` (else since that year began), oldest first, with a name for
        the list; ("", []) when no such general election is in the store."""
        if year is not None:
            name, summaries = self.election_results(year, "by-election")
            return name or f"{year} by-elections", sorted(summaries, key=lambda s: (s.election_date, s.constituency))
        _, every = self.election_results(None, "by-election")
        if since is not None:
            election = self.parliament_span(since)
            start = election[0] if election is not None else dt.date(since, 1, 1) - dt.timedelta(days=1)
            held = [s for s in every if s.election_date > start]
            after = f"the general election of {start.day} {start:%B %Y}" if election is not None else f"{since} began"
            return f"by-elections since {after}", sorted(held, key=lambda s: (s.election_date, s.constituency))
        span = self.parliament_span(parliament)
        if span is None:
            return "", []
        since_date, until = span
        held = [s for s in every if s.election_date > since_date and (until is None or s.election_date < until)]
        name = f"by-elections of the Parliament elected on {since_date.day} {since_date:%B %Y}"
        if until is not None:
            name += f" (until {until.day} {until:%B %Y})"
        return name, sorted(held, key=lambda s: (s.election_date, s.constituency))

    def general_election_with_previous(self, year: int | None = None) -> ElectionWithPrevious | None:
        """The general election of `year` (latest when None) with the previous election on its boundaries,
        for a scoreboard; None when no such election is in the store. Kept until results are entered."""
        self._keep_fresh()
        with self._lock:
            if year in self._with_previous:
                return self._with_previous[year]
        made = self._general_election_with_previous(year)
        with self._lock:
            self._with_previous[year] = made
        return made

    def _general_election_with_previous(self, year: int | None) -> ElectionWithPrevious | None:
        with self.sessions() as session:
            query = select(Election).where(Election.kind == GENERAL).order_by(Election.date.desc())
            if year is not None:
                query = query.where(Election.date >= dt.date(year, 1, 1), Election.date <= dt.date(year, 12, 31))
            election = session.scalars(query.limit(1)).first()
            if election is None:
                return None
            previous = previous_election(session, election)
            return ElectionWithPrevious(
                election_id=election.id,
                tallies=self._tallies.setdefault(election.id, KeptTallies()),
                name=election.name,
                date=election.date,
                kind=election.kind,
                summaries=self._current_of(session, [election.id]),
                previous_name=previous.name if previous is not None else None,
                previous=self._current_of(session, [previous.id]) if previous is not None else [],
            )

    def state_of_parties(self, election: ElectionWithPrevious) -> StateOfParties | None:
        """PA's latest state of parties of `election`, read afresh each time: taking one stores no result,
        so nothing kept would know it had changed (one row and its parties, by key)."""
        if election.election_id is None:
            return None
        with self.sessions() as session:
            return latest_state_of_parties(session, election.election_id)


def previous_election(session: Session, election: Election) -> Election | None:
    """What a general election's scoreboard compares with. The same rule as a seat's baseline
    (summary.choose_baseline): the latest general election or notional result before it, on its
    boundaries."""
    return session.scalars(
        select(Election)
        .where(
            Election.kind.in_((GENERAL, NOTIONAL)),
            Election.date < election.date,
            Election.boundary_set == election.boundary_set,
        )
        .order_by(Election.date.desc())
        .limit(1)
    ).first()


def current_summaries(session: Session, election_id: int) -> list[Summary]:
    """The summaries of an election's current contests."""
    contests = session.scalars(
        select(Contest)
        .where(Contest.election_id == election_id, Contest.is_current.is_(True))
        .options(*with_candidates())
    )
    return list(summarise_many(session, contests).values())


@dataclass(frozen=True)
class ElectionWithPrevious:
    """One election's current results, and those of the election its seats are compared with."""

    name: str
    date: dt.date
    kind: str
    summaries: list[Summary]
    previous_name: str | None
    previous: list[Summary]
    election_id: int | None = None  # None: an election not read from the store
    # The tallies of this election kept by the service across entries (None: counted afresh each time).
    tallies: KeptTallies | None = field(default=None, compare=False, repr=False)

    def region(self, text: str) -> str | None:
        """A region of this election as the Library spells it, however `text` types it; else None."""
        return find_region(text, [*self.summaries, *self.previous])

    def scoreboard(self, *, nation: str | None = None, region: str | None = None) -> Scoreboard:
        if self.tallies is not None:
            return self.tallies.scoreboard(self, nation=nation, region=region)
        return build_scoreboard(
            self, self.summaries, self.previous, nation=nation, region=region, previous_election=self.previous_name
        )


class KeptTallies:
    """An election's scoreboard tallies (whole, by nation, by region), kept while results are entered and
    brought up to date by counting only the contests whose summaries changed since (`store.scoreboard.Tally`),
    as the live scoreboard is: a scoreboard after one more declaration costs that declaration."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (nation, region) -> (the previous election's contest ids, its tally)
        self._tallies: dict[tuple[str | None, str | None], tuple[tuple[int | None, ...], Tally]] = {}

    def scoreboard(self, election: ElectionWithPrevious, *, nation: str | None, region: str | None) -> Scoreboard:
        # A previous contest's own votes never change; a new baseline election is counted afresh.
        previous_ids = tuple(s.contest_id for s in election.previous)
        current: dict[object, Summary] = {s.contest_id: s for s in election.summaries}
        with self._lock:
            kept = self._tallies.get((nation, region))
            if kept is None or kept[0] != previous_ids:
                tally = Tally(election.previous, nation=nation, region=region)
                self._tallies[(nation, region)] = (previous_ids, tally)
            else:
                tally = kept[1]
            for contest_id, counted in list(tally.contests.items()):
                if current.get(contest_id) is not counted:  # None when superseded (a correction)
                    tally.remove(contest_id)
            for contest_id, summary in current.items():
                if contest_id not in tally.contests:
                    tally.add(contest_id, summary)
            return tally.scoreboard(election, previous_election=election.previous_name)


def closest(summaries: list[Summary], limit: int = 10) -> list[Summary]:
    """Smallest majorities first, by share of the vote (how newsrooms rank marginals)."""
    ranked = [s for s in summaries if s.majority_percent is not None]
    return sorted(ranked, key=lambda s: (s.majority_percent or Fraction(0), s.constituency))[:limit]


#: What a ranking of seats can be by: each a summary's exact figure (None: the seat is left out).
RANKING_FIGURES: dict[str, Callable[[Summary], Fraction | int | None]] = {
    "turnout": lambda s: s.turnout_percent,  # valid votes / electorate, percent
    "majority": lambda s: s.majority_percent,  # the winner's lead over the runner-up, percent of valid votes
    "majority_votes": lambda s: s.majority_votes,  # the same lead in votes
}


def ranked(summaries: list[Summary], measure: str, *, lowest: bool, limit: int = 10) -> list[Summary]:
    """The `limit` seats with the lowest (or highest) `measure` (a key of RANKING_FIGURES), ties in name
    order; seats without the figure (no electorate recorded, no majority) are left out."""
    figure = RANKING_FIGURES[measure]
    known = [(value, s) for s in summaries if (value := figure(s)) is not None]
    known.sort(key=lambda item: (item[0] if lowest else -item[0], item[1].constituency))
    return [s for _, s in known[:limit]]


#: The lists of seats by how they compare with the previous election (`seats_by_change`).
GAINS, LOSSES, HOLDS = "gains", "losses", "holds"
CHANGES = (GAINS, LOSSES, HOLDS)


def seats_by_change(
    summaries: Iterable[Summary], change: str, party: str | None = None, other: str | None = None
) -> list[Summary]:
    """Declared seats, in name order, that `party` gained (from `other`), lost (to `other`) or held, each
    against the seat's own baseline and through party successors, as the scoreboard counts them
    (`store.scoreboard.seat_change`). Without `party`, gains and losses are every seat that changed hands
    (from or to `other`, if given) and holds every seat that did not."""
    key = arithmetic.party_key(party) if party is not None else None
    other_key = arithmetic.party_key(other) if other is not None else None
    chosen = []
    for summary in summaries:
        moved = seat_change(summary)
        if summary.status not in COUNTED_STATUSES or moved is None:
            continue
        if change == HOLDS:
            fits = not moved.gained and key in (None, moved.winner)
        elif not moved.gained:
            fits = False
        elif change == GAINS:
            fits = key in (None, moved.winner) and other_key in (None, moved.previous)
        elif key is None:  # losses of nobody in particular: every seat that changed hands
            fits = other_key in (None, moved.winner)
        else:
            fits = moved.previous == key and other_key in (None, moved.winner)
        if fits:
            chosen.append(summary)
    return sorted(chosen, key=lambda s: s.constituency)


def _query_for(seat: str, contest: SeatContest) -> str:
    """A query that asks for this contest again. (A by-election's name starts with the day of the
    month, which a query would not read as a year.)"""
    return f"{seat} {contest.election_date.year} {kind_words(contest.election_kind)}"


def _distinct(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(normalise(name), name)
    return list(seen.values())
