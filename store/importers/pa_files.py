"""PA Media's election XML feed: reading its files into plain values, with no database.

Facts about the feed are in shared/notes/feeds.md: no specification is public, so the reader is
strict about what it relies on (the root element, the seat's name, every candidate's votes and their
sum against the stated total) and tolerant of attributes it does not use. PA's own figures (majority,
shares, gain/hold, swing, turnout) are read as PA states them, to be checked against our arithmetic
by `store.importers.pa`, never used in its place.

The XML is parsed with the standard library's expat, refusing any DOCTYPE or entity declaration (PA's
files have none; a hostile file could use them to expand a few bytes into gigabytes) and any file
larger than `LARGEST_FILE`.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from store.contest_input import count_from_text
from store.elections import uk_zone
from store.parties import feed_abbreviation

RESULT, RUSH, RECOUNT, SOP, NOMINATIONS = "result", "rush", "recount", "SOP", "nominations"
KINDS = (RESULT, RUSH, RECOUNT, SOP, NOMINATIONS)
ROOTS = {
    "FirstPastThePostResult": RESULT,
    "FirstPastThePostRush": RUSH,
    "Recount": RECOUNT,
    "FirstPastThePostStateOfParties": SOP,
    "FirstPastThePostNominations": NOMINATIONS,
}
# A whole general election's state of parties is a few kilobytes; a result file a few more.
LARGEST_FILE = 2_000_000

_FILE_NAME = re.compile(
    r"^(?P<test>Test_)?(?P<election>.+?)_(?P<kind>" + "|".join(KINDS) + r")_(?P<rest>.+?)\.xml$", re.IGNORECASE
)
_AREA_REVISION = re.compile(r"^(?P<area>.+?)(?:_(?P<revision>[0-9]+))?$")


class PaFormatError(ValueError):
    """A PA file that is refused: `path` names it, `reason` says why in words a desk can act on."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path, self.reason = str(path), reason
        super().__init__(f"{Path(path).name}: {reason}")


@dataclass(frozen=True)
class PaFileName:
    """`[Test_]<Election name>_<kind>_<Area>_<revision>.xml`, in parts. A state of parties file
    carries the number of results it covers where others carry the area and revision."""

    test: bool
    election: str  # "General Election", underscores read as spaces
    kind: str  # one of KINDS
    area: str | None  # "Hartlepool"; None for a state of parties
    revision: int | None
    results_covered: int | None = None  # SOP only

    @property
    def is_test(self) -> bool:
        """Rehearsal data: a `Test_` prefix or an election name saying Test."""
        return self.test or "test" in self.election.casefold().split()


def parse_file_name(name: str) -> PaFileName | None:
    """The parts of a PA file name, or None for a name not in PA's shape (not a feed file)."""
    found = _FILE_NAME.match(Path(name).name)
    if found is None:
        return None
    kind = next(k for k in KINDS if k.casefold() == found["kind"].casefold())
    election = found["election"].replace("_", " ")
    if kind == SOP:
        covered = found["rest"]
        return PaFileName(bool(found["test"]), election, kind, None, None, int(covered) if covered.isdigit() else None)
    parts = _AREA_REVISION.match(found["rest"])
    assert parts is not None  # ".+?" then an optional group always matches a non-empty rest
    revision = parts["revision"]
    return PaFileName(
        bool(found["test"]), election, kind, parts["area"].replace("_", " "), int(revision) if revision else None
    )


@dataclass(frozen=True)
class PaElection:
    name: str
    date: dt.date
    type: str | None  # G general, S Scottish Parliament, M mayoral…


@dataclass(frozen=True)
class PaCandidate:
    pa_id: str | None
    first_name: str | None
    surname: str | None
    party: str  # the Library's abbreviation where we know the party, else PA's own
    party_name: str | None
    pa_abbreviation: str  # as PA wrote it ("C")
    votes: int | None  # None only in nominations
    elected: bool
    previous_sitting_member: bool
    stated_share: Decimal | None  # percent, as PA states it
    stated_share_change: Decimal | None  # points

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.surname) if part)


@dataclass(frozen=True)
class PaConstituency:
    number: int | None  # PA's own seat number, not the ONS code
    name: str
    electorate: int | None
    turnout: int | None  # votes, as PA states it
    candidates: tuple[PaCandidate, ...]
    # What PA states; checked against our own arithmetic, never used in its place.
    stated_percentage_turnout: Decimal | None = None
    winning_party: str | None = None
    sitting_party: str | None = None
    gain_or_hold: str | None = None  # "gain" or "hold"
    majority: int | None = None
    percentage_majority: Decimal | None = None
    swing: Decimal | None = None
    swing_to: str | None = None
    swing_from: str | None = None


@dataclass(frozen=True)
class PaFile:
    path: str
    file_name: PaFileName | None
    kind: str
    revision: int | None
    declared_at: dt.datetime | None

    @property
    def is_test(self) -> bool:
        return self.file_name is not None and self.file_name.is_test


@dataclass(frozen=True)
class PaResult(PaFile):
    election: PaElection
    constituency: PaConstituency

    @property
    def is_test(self) -> bool:
        return super().is_test or "test" in self.election.name.casefold().split()


@dataclass(frozen=True)
class PaRush(PaFile):
    election: PaElection
    number: int | None
    constituency: str
    winning_party: str
    winning_party_name: str | None
    sitting_party: str | None
    change: bool  # a gain
    message: str | None  # "Labour win Bathgate - gain from notional Scottish National Party"


@dataclass(frozen=True)
class PaRecount(PaFile):
    election: PaElection
    number: int | None
    constituency: str


@dataclass(frozen=True)
class PaNominations(PaFile):
    election: PaElection
    constituencies: tuple[PaConstituency, ...]


@dataclass(frozen=True)
class PaPartySeats:
    party: str  # the Library's abbreviation where known
    pa_abbreviation: str
    name: str | None
    seats: int
    gains: int | None
    losses: int | None
    votes: int | None


@dataclass(frozen=True)
class PaStateOfParties(PaFile):
    election: PaElection | None
    results: int  # how many results it covers
    constituencies: int | None
    total_votes: int | None
    parties: tuple[PaPartySeats, ...]
    note: str | None


# The fields every PaFile starts with, in order: path, file_name, kind, revision, declared_at.
_Common = tuple[str, PaFileName | None, str, int | None, dt.datetime | None]


def _refuse(path: Path | str, reason: str) -> NoReturn:
    raise PaFormatError(path, reason)


def parse_xml(data: bytes, path: Path | str) -> ET.Element:
    """The document's root element, refusing what a PA file never holds: a DOCTYPE, an entity, more
    than LARGEST_FILE bytes. Malformed XML is refused with expat's line and column."""
    if len(data) > LARGEST_FILE:
        _refuse(path, f"{len(data):,} bytes is larger than any PA file ({LARGEST_FILE:,} at most)")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()

    def no_declarations(*_: object) -> NoReturn:
        _refuse(path, "declares a DOCTYPE or entities, which PA files never do")

    parser.StartDoctypeDeclHandler = no_declarations
    parser.EntityDeclHandler = no_declarations
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        _refuse(
            path, f"malformed XML ({expat.errors.messages[error.code]}, line {error.lineno}, column {error.offset})"
        )
    return builder.close()


def read_file(path: Path) -> PaFile:
    """One PA file of any kind, or PaFormatError naming the file and the reason."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        _refuse(path, f"cannot be read ({error.strerror})")
    return read_document(data, path)


def read_document(data: bytes, path: Path | str) -> PaFile:
    root = parse_xml(data, path)
    kind = ROOTS.get(root.tag)
    if kind is None:
        known = ", ".join(ROOTS)
        _refuse(path, f"unknown root element <{root.tag}> (Westminster files are one of {known})")
    reader = _Reader(path, root, kind)
    return reader.read()


class _Reader:
    def __init__(self, path: Path | str, root: ET.Element, kind: str) -> None:
        self.path, self.root, self.kind = path, root, kind
        self.file_name = parse_file_name(Path(path).name)
        if self.file_name is not None and self.file_name.kind != kind:
            _refuse(path, f"is named a {self.file_name.kind} file but holds <{root.tag}>")

    def read(self) -> PaFile:
        common: _Common = (
            str(self.path),
            self.file_name,
            self.kind,
            self._count(self.root, "revision", "the root"),
            self._time(self.root.get("declarationTime")),
        )
        if self.kind == SOP:
            return self._state_of_parties(common)
        election = self._election()
        if self.kind == NOMINATIONS:
            seats = tuple(self._constituency(seat, votes=False) for seat in election[1])
            if not seats:
                _refuse(self.path, "holds no <Constituency>")
            return PaNominations(*common, election=election[0], constituencies=seats)
        seat = self._one_constituency(election[1])
        if self.kind == RESULT:
            return PaResult(*common, election=election[0], constituency=self._constituency(seat, votes=True))
        number = self._count(seat, "number", "the constituency")
        name = self._name(seat)
        if self.kind == RECOUNT:
            return PaRecount(*common, election=election[0], number=number, constituency=name)
        winner = seat.get("winningPartyAbbreviation") or _refuse(
            self.path, f"the rush for {name} names no winning party (winningPartyAbbreviation)"
        )
        sitting = seat.get("sittingPartyAbbreviation")
        return PaRush(
            *common,
            election=election[0],
            number=number,
            constituency=name,
            winning_party=_party(winner),
            winning_party_name=seat.get("winningPartyName"),
            sitting_party=_party(sitting) if sitting else None,
            change=(seat.get("change") or "").strip().casefold() == "true",
            message=seat.get("paStyleMessageText"),
        )

    def _election(self) -> tuple[PaElection, list[ET.Element]]:
        element = self.root.find("Election")
        if element is None:
            _refuse(self.path, "has no <Election>")
        name = element.get("name") or _refuse(self.path, "the <Election> has no name")
        date = element.get("date") or _refuse(self.path, "the <Election> has no date")
        try:
            held = dt.date.fromisoformat(date[:10])
        except ValueError:
            _refuse(self.path, f"the election date {date[:40]!r} is not a date (YYYY-MM-DD)")
        return PaElection(name, held, element.get("type")), element.findall("Constituency")

    def _one_constituency(self, seats: list[ET.Element]) -> ET.Element:
        if len(seats) != 1:
            _refuse(self.path, f"holds {len(seats)} <Constituency> elements where one is expected")
        return seats[0]

    def _name(self, seat: ET.Element) -> str:
        name = (seat.get("name") or "").strip()
        return name or _refuse(self.path, "a <Constituency> has no name")

    def _constituency(self, seat: ET.Element, *, votes: bool) -> PaConstituency:
        name = self._name(seat)
        candidates = tuple(self._candidate(element, name, votes=votes) for element in seat.findall("Candidate"))
        if not candidates:
            _refuse(self.path, f"{name} has no <Candidate>")
        turnout = self._count(seat, "turnout", name)
        if votes:
            total = sum(c.votes or 0 for c in candidates)
            if turnout is None:
                _refuse(self.path, f"{name} states no turnout (the total of valid votes)")
            if total != turnout:
                _refuse(self.path, f"{name}: the candidates' votes add up to {total:,}, not the turnout {turnout:,}")
            if sum(c.elected for c in candidates) != 1:
                _refuse(self.path, f"{name}: {sum(c.elected for c in candidates)} candidates are marked elected")
        winning, sitting = seat.get("winningParty"), seat.get("sittingParty")
        swing_to, swing_from = seat.get("swingTo"), seat.get("swingFrom")
        return PaConstituency(
            number=self._count(seat, "number", name),
            name=name,
            electorate=self._count(seat, "electorate", name),
            turnout=turnout,
            candidates=candidates,
            stated_percentage_turnout=self._decimal(seat, "percentageTurnout", name),
            winning_party=_party(winning) if winning else None,
            sitting_party=_party(sitting) if sitting else None,
            gain_or_hold=(seat.get("gainOrHold") or "").strip().casefold() or None,
            majority=self._count(seat, "majority", name),
            percentage_majority=self._decimal(seat, "percentageMajority", name),
            swing=self._decimal(seat, "swing", name),
            swing_to=_party(swing_to) if swing_to else None,
            swing_from=_party(swing_from) if swing_from else None,
        )

    def _candidate(self, element: ET.Element, seat: str, *, votes: bool) -> PaCandidate:
        party = element.find("Party")
        who = " ".join(filter(None, (element.get("firstName"), element.get("surname")))) or "a candidate"
        if party is None:
            _refuse(self.path, f"{seat}: {who} has no <Party>")
        abbreviation = (party.get("abbreviation") or "").strip() or _refuse(
            self.path, f"{seat}: {who}'s party has no abbreviation"
        )
        count = self._count(party, "votes", f"{seat}: {who}")
        if votes and count is None:
            _refuse(self.path, f"{seat}: {who} has no votes")
        return PaCandidate(
            pa_id=element.get("paId"),
            first_name=(element.get("firstName") or "").strip() or None,
            surname=(element.get("surname") or "").strip() or None,
            party=_party(abbreviation),
            party_name=party.get("name"),
            pa_abbreviation=abbreviation,
            votes=count,
            elected=(element.get("elected") or "").strip() == "*",
            previous_sitting_member=(element.get("previousSittingMember") or "").strip() == "*",
            stated_share=self._decimal(party, "percentageShare", f"{seat}: {who}"),
            stated_share_change=self._decimal(party, "percentageShareChange", f"{seat}: {who}"),
        )

    def _state_of_parties(self, common: _Common) -> PaStateOfParties:
        root = self.root
        results = self._count(root, "numberOfResults", "the state of parties")
        if results is None:
            _refuse(self.path, "the state of parties states no numberOfResults")
        parties = []
        for element in root.iter("Party"):
            abbreviation = (element.get("abbreviation") or "").strip() or _refuse(
                self.path, "a <Party> has no abbreviation"
            )
            seats = self._count(element, "totalSeats", abbreviation)
            if seats is None:
                _refuse(self.path, f"{abbreviation} has no totalSeats")
            parties.append(
                PaPartySeats(
                    party=_party(abbreviation),
                    pa_abbreviation=abbreviation,
                    name=element.get("name"),
                    seats=seats,
                    gains=self._count(element, "gains", abbreviation),
                    losses=self._count(element, "losses", abbreviation),
                    votes=self._count(element, "totalVotes", abbreviation),
                )
            )
        election = root.find("Election")
        held = None
        if election is not None and election.get("date"):
            held, _ = self._election()
        return PaStateOfParties(
            *common,
            election=held,
            results=results,
            constituencies=self._count(root, "totalNumberOfConstituencies", "the state of parties"),
            total_votes=self._count(root, "totalVotes", "the state of parties"),
            parties=tuple(parties),
            note=root.get("note"),
        )

    def _count(self, element: ET.Element, attribute: str, where: str) -> int | None:
        text = element.get(attribute)
        if text is None or not text.strip():
            return None
        value = count_from_text(text)
        if value is None:
            _refuse(self.path, f"{where}: {attribute}={text[:40]!r} is not a whole number")
        return value

    def _decimal(self, element: ET.Element, attribute: str, where: str) -> Decimal | None:
        text = (element.get(attribute) or "").strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            _refuse(self.path, f"{where}: {attribute}={text[:40]!r} is not a number")
        if not value.is_finite():
            _refuse(self.path, f"{where}: {attribute}={text[:40]!r} is not a number")
        return value

    def _time(self, text: str | None) -> dt.datetime | None:
        if not text or not text.strip():
            return None
        try:
            moment = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            _refuse(self.path, f"declarationTime={text[:40]!r} is not an ISO 8601 time")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=uk_zone())
        return moment


def _party(abbreviation: str) -> str:
    return feed_abbreviation(abbreviation) or abbreviation.strip()


def discover(paths: list[Path]) -> Iterator[Path]:
    """The PA files among `paths` (files, or folders read one level deep), in name order; a file
    named outside PA's shape is still read if given by name, so it can be refused with a reason."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.is_file() and p.suffix.casefold() == ".xml")
        else:
            yield path
