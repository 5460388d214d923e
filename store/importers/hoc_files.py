"""House of Commons Library results files: reading every variant they come in, with no database.

Three file shapes exist (see shared/data/README.md): `constituencies.csv` with its sibling
`candidacies.csv` (general elections and by-elections; with or without a header row), and notional
`results.csv` (the 2005 and 2019 elections on the next boundaries; two different layouts). Reading is
pure and strict: a malformed cell stops the whole import with the file, row and column named.
`store.importers.hoc` loads what is read here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from store.contest_input import CandidateInput, ContestInput, count_from_text
from store.elections import BY_ELECTION, GENERAL, GENERAL_ELECTIONS, NOTIONAL, boundary_set_for, uk_zone
from store.names import ONS_ID
from store.names import fold as fold_name

UNKNOWN = {"", "[x]", "x", "n/a", "na", "-"}

CONSTITUENCY_COLUMNS = [
    "ons id",
    "ons region id",
    "constituency name",
    "county name",
    "region name",
    "country name",
    "constituency type",
    "declaration time",
    "member first name",
    "member surname",
    "member gender",
    "result",
    "first party",
    "second party",
    "electorate",
    "valid votes",
    "invalid votes",
    "majority",
]
CANDIDACY_COLUMNS = [
    "ons id",
    "ons region id",
    "constituency name",
    "county name",
    "region name",
    "country name",
    "constituency type",
    "party name",
    "party abbreviation",
    "electoral commission party id",
    "mnis party id",
    "electoral commission adjunct party id",
    "candidate first name",
    "candidate surname",
    "candidate gender",
    "sitting mp",
    "former mp",
    "member mnis id",
    "votes",
    "share",
    "change",
]
# The 2024-boundary notional file has no header; these are its columns.
NOTIONAL_2019_COLUMNS = [
    "constituency name",
    "constituency name 2",
    "ons id",
    "pa id",
    "region code",
    "region name",
    "constituency type",
    "turnout",
    "electorate",
    "valid votes",
    "majority",
    "vote code",
    "votes",
    "party abbreviation",
    "party name",
    "mnis party id",
]
# Rows of that file that are sums of other rows, not candidates.
NOTIONAL_AGGREGATE_CODES = {"TOTOTHV", "MAXOTHV"}
# That file spells some abbreviations out; the MNIS party ID usually settles it, these cover the rest.
NOTIONAL_ABBREVIATIONS = {
    "Brexit Party": "BRX",
    "Independent": "Ind",
    "Independent 2 etc.": "Ind",
    "Loony": "MRLP",
    "NA": "Oth",
    "Commons Speaker": "Spk",
}
HEADER_ALIASES = {"ons id2": "ons id", "dc person id": "democracy club person id", "constituency_id": "ons id"}


class HocFormatError(ValueError):
    """A file that cannot be read as a Library results file; nothing of the import is kept."""

    def __init__(self, path: Path | str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.path, self.row, self.column = str(path), row, column
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceRow:
    """A parsed contest with where it came from, for reporting."""

    entry: ContestInput
    path: str
    row: int
    repairs: tuple[str, ...] = ()


MOJIBAKE_MARKS = ("Ã", "Â")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1 and saved again ("SÃ©amus" -> "Séamus"), as a few
    names in the Library's files are; anything that does not round-trip cleanly is left alone."""
    if not any(mark in text for mark in MOJIBAKE_MARKS):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


class _Table:
    """Rows of one CSV file as dicts keyed by our column names, with row numbers as a user counts them.

    Every row must have as many cells as the file is wide (its header, or a headerless file's first
    row; never fewer than the columns we read). Every row of every bundled file does, empty cells
    written out as ",,": nothing the Library publishes omits trailing cells, so a short row is a file
    cut off inside it, whose missing cells would otherwise read as blanks and be stored. (A file's
    last line break proves nothing: four bundled files have none. A cut inside a row's last cell keeps
    the count, but no file ends with the votes, the column that matters; a file cut between rows is
    caught when its contests no longer add up, see `store.enter_result.enter`.)"""

    def __init__(self, path: Path, columns: list[str], rows: list[tuple[int, list[str]]], width: int) -> None:
        self.path, self.columns, self.rows, self.width = path, columns, rows, width

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        for number, cells in self.rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < self.width:
                raise HocFormatError(
                    self.path,
                    f"has {len(cells)} cells where the file has {self.width} columns: the file looks cut off "
                    "(a partial download or copy?); nothing was imported",
                    number,
                )
            yield number, {name: cells[i].strip() for i, name in enumerate(self.columns)}

    def require(self, *names: str) -> None:
        missing = [name for name in names if name not in self.columns]
        if missing:
            raise HocFormatError(self.path, f"missing column(s): {', '.join(missing)}", row=1, column=missing[0])


def _read_rows(path: Path) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise HocFormatError(path, f"cannot be read ({error.strerror})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise HocFormatError(path, f"is not UTF-8 text (bad byte at offset {error.start})") from error
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise HocFormatError(path, f"is not valid CSV ({error})") from error


def _header_key(cell: str) -> str:
    key = " ".join(cell.replace("\ufeff", "").replace("_", " ").strip().casefold().split())
    return HEADER_ALIASES.get(key, HEADER_ALIASES.get(key.replace(" ", "_"), key))


def _table(path: Path, headerless_columns: list[str]) -> _Table:
    rows = _read_rows(path)
    if not rows:
        raise HocFormatError(path, "is empty")
    numbered = list(enumerate(rows, start=1))
    first = [cell.replace("\ufeff", "").strip() for cell in rows[0]]
    if any(ONS_ID.match(cell) for cell in first[:3]):
        return _Table(path, headerless_columns, numbered, max(len(first), len(headerless_columns)))
    columns = [_header_key(cell) for cell in first]
    if "constituency id" in columns:
        columns = ["ons id" if c == "constituency id" else c for c in columns]
    return _Table(path, columns, numbered[1:], len(columns))


def _integer(table: _Table, row: int, record: dict[str, str], column: str) -> int | None:
    value = record.get(column, "")
    if value.casefold() in UNKNOWN:
        return None
    number = count_from_text(value)
    if number is None:
        raise HocFormatError(table.path, f"expected a whole number of votes or people, found {value!r}", row, column)
    return number


def _ons_id(table: _Table, row: int, record: dict[str, str]) -> str:
    value = record.get("ons id", "")
    if not ONS_ID.match(value):
        raise HocFormatError(table.path, f"expected an ONS ID like E14000647, found {value!r}", row, "ONS ID")
    return value


def _date(table: _Table, row: int, value: str, column: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise HocFormatError(table.path, f"expected a date like 23/02/2017, found {value!r}", row, column)


def _declared_at(table: _Table, row: int, record: dict[str, str]) -> dt.datetime | None:
    value = record.get("declaration time", "")
    if value.casefold() in UNKNOWN:
        return None
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            # The Library gives UK local times; stored naive is ambiguous, so say which zone.
            return dt.datetime.strptime(value, pattern).replace(tzinfo=uk_zone())
        except ValueError:
            continue
    raise HocFormatError(table.path, f"expected a time like 24/02/2017 02:12, found {value!r}", row, "Declaration time")


def _parliament_from_path(path: Path) -> int | None:
    for part in reversed(path.parts):
        if part.isdigit() and int(part) in GENERAL_ELECTIONS:
            return int(part)
    return None


def _general_election_date(table: _Table, declared: Iterable[dt.datetime | None]) -> dt.date:
    """A general-election file has no polling date: take it from the folder, else the declarations."""
    parliament = _parliament_from_path(table.path)
    if parliament is not None and parliament in GENERAL_ELECTIONS and parliament != 54:
        return GENERAL_ELECTIONS[parliament]
    known = set(GENERAL_ELECTIONS.values())
    for moment in declared:
        if moment is None:
            continue
        for candidate in (moment.date(), moment.date() - dt.timedelta(days=1)):
            if candidate in known:
                return candidate
    raise HocFormatError(
        table.path,
        "cannot tell which general election this file holds: keep it in its Parliament's folder "
        "(e.g. 56/general-election/) or include declaration times",
    )


def read_contest_files(constituencies_path: Path, candidacies_path: Path) -> list[SourceRow]:
    """One general election's or one Parliament's by-elections: contests with their candidates."""
    seats = _table(constituencies_path, CONSTITUENCY_COLUMNS)
    people = _table(candidacies_path, CANDIDACY_COLUMNS)
    seats.require("ons id", "constituency name", "electorate", "valid votes")
    people.require("ons id", "party abbreviation", "votes")
    by_election = "by-election date" in seats.columns
    if by_election and "election date" not in people.columns:
        raise HocFormatError(people.path, "by-election candidacies need an 'Election date' column", 1)

    candidates: dict[tuple[str, dt.date | None], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, record in people.records():
        ons_id = _ons_id(people, number, record)
        when = _date(people, number, record["election date"], "Election date") if by_election else None
        candidates[(ons_id, when)].append((number, record))

    parsed: list[tuple[int, dict[str, str], str, dt.date | None, dt.datetime | None]] = []
    for number, record in seats.records():
        ons_id = _ons_id(seats, number, record)
        when = _date(seats, number, record["by-election date"], "By-election date") if by_election else None
        parsed.append((number, record, ons_id, when, _declared_at(seats, number, record)))
    general_date = None if by_election else _general_election_date(seats, (p[4] for p in parsed))

    out: list[SourceRow] = []
    used: set[tuple[str, dt.date | None]] = set()
    for number, record, ons_id, when, declared in parsed:
        rows = candidates.get((ons_id, when), [])
        used.add((ons_id, when))
        if not rows:
            raise HocFormatError(
                candidacies_path,
                f"no candidates for {record['constituency name']} ({ons_id}), row {number} of "
                f"{constituencies_path.name}",
            )
        repairs: list[str] = []
        winner_name = fold_name(f"{record.get('member first name', '')} {record.get('member surname', '')}")
        people_in: list[CandidateInput] = []
        for row_number, person in rows:
            abbreviation = person["party abbreviation"]
            if not abbreviation:
                raise HocFormatError(people.path, "party abbreviation is empty", row_number, "Party abbreviation")
            typed = " ".join(f"{person.get('candidate first name', '')} {person.get('candidate surname', '')}".split())
            name = repair_mojibake(typed)
            if name != typed:
                repairs.append(
                    f"{people.path}, row {row_number}: name {typed!r} read as {name!r} (double-encoded UTF-8)"
                )
            mnis = count_from_text(person.get("mnis party id", ""))
            people_in.append(
                CandidateInput(
                    name=name or None,
                    party=abbreviation,
                    votes=_integer(people, row_number, person, "votes"),
                    party_name=person.get("party name") or None,
                    # A joint description (Labour and Co-operative) carries an adjunct ID: it is
                    # a ballot label, not the party's own name.
                    ec_id=(person.get("electoral commission party id") or None)
                    if not person.get("electoral commission adjunct party id")
                    else None,
                    mnis_id=mnis,
                    elected=bool(name) and fold_name(name) == winner_name,
                )
            )
        people_in = _mark_winner(people_in, record.get("first party", ""))
        kind = BY_ELECTION if by_election else GENERAL
        election_date = when if when is not None else general_date
        assert election_date is not None
        out.append(
            SourceRow(
                ContestInput(
                    election_kind=kind,
                    election_date=election_date,
                    ons_id=ons_id,
                    constituency_name=record["constituency name"],
                    electorate=_integer(seats, number, record, "electorate"),
                    valid_votes=_integer(seats, number, record, "valid votes"),
                    invalid_votes=_integer(seats, number, record, "invalid votes"),
                    candidates=tuple(people_in),
                    source=f"House of Commons Library: {_short(constituencies_path)}",
                    declared_at=declared,
                    region=record.get("region name") or None,
                    country=record.get("country name") or None,
                    county=record.get("county name") or None,
                    constituency_kind=record.get("constituency type") or None,
                    stated_result=record.get("result") or None,
                    stated_majority=_integer(seats, number, record, "majority"),
                    authoritative_name=not by_election,
                ),
                str(constituencies_path),
                number,
                tuple(repairs),
            )
        )
    orphans = sorted(set(candidates) - used, key=str)
    if orphans:
        ons_id, _ = orphans[0]
        row_number = candidates[orphans[0]][0][0]
        raise HocFormatError(
            candidacies_path, f"candidates for {ons_id}, which {constituencies_path.name} does not list", row_number
        )
    return out


def _mark_winner(candidates: list[CandidateInput], first_party: str) -> list[CandidateInput]:
    """Name spellings differ between the two files; when no name matched, the first party's top
    candidate is the member."""
    if any(c.elected for c in candidates) or not first_party:
        return candidates
    theirs = [c for c in candidates if c.party == first_party and c.votes is not None]
    if not theirs:
        return candidates
    top = max(theirs, key=lambda c: c.votes or 0)
    return [
        CandidateInput(c.name, c.party, c.votes, c.party_name, c.ec_id, c.mnis_id, True) if c is top else c
        for c in candidates
    ]


def _short(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[-3:]) if len(parts) >= 3 else str(path)


def read_notional_file(
    path: Path, mnis_abbreviations: dict[int, str], abbreviations_by_name: dict[str, str] | None = None
) -> list[SourceRow]:
    """A notional results file: party totals per seat of a previous election on new boundaries.
    `abbreviations_by_name` maps parties' own names (folded) to their abbreviations, for rows whose
    MNIS ID belongs to another party than the name they give."""
    by_name = abbreviations_by_name or {}
    table = _table(path, NOTIONAL_2019_COLUMNS)
    headerless = table.columns is NOTIONAL_2019_COLUMNS
    table.require("ons id", "votes", "electorate")
    if headerless:
        date = GENERAL_ELECTIONS[58]
        valid_column, name_column = "valid votes", "constituency name"
    else:
        table.require("total votes", "mnis party abbrev")
        date = GENERAL_ELECTIONS[54]
        valid_column, name_column = "total votes", "constituency name"
    parliament = _parliament_from_path(path)
    if parliament is not None:
        date = GENERAL_ELECTIONS[parliament]

    by_seat: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, record in table.records():
        by_seat[_ons_id(table, number, record)].append((number, record))
    out: list[SourceRow] = []
    for ons_id, rows in by_seat.items():
        first_row, first = rows[0]
        candidates: list[CandidateInput] = []
        repairs: list[str] = []
        for number, record in rows:
            if headerless and record["vote code"] in NOTIONAL_AGGREGATE_CODES:
                continue
            abbreviation = record.get("mnis party abbrev") or record.get("party abbreviation") or ""
            party_name = record.get("mnis party name") or record.get("party name") or None
            mnis = count_from_text(record.get("mnis party id") or "")
            if mnis is not None and mnis in mnis_abbreviations:
                abbreviation = mnis_abbreviations[mnis]
            named = by_name.get(fold_name(party_name)) if party_name else None
            if named is not None and named != abbreviation:
                # The 2019 file gives Advance Together's votes TUSC's MNIS ID: its name says which party.
                repairs.append(
                    f"{path}, row {number}: {party_name} carries the MNIS ID of {abbreviation}; stored as "
                    f"{named}, the party of that name"
                )
                abbreviation = named
            abbreviation = NOTIONAL_ABBREVIATIONS.get(abbreviation, abbreviation)
            if abbreviation == "Oth":
                party_name = "Other candidates"
            candidates.append(
                CandidateInput(
                    name=None,
                    party=abbreviation,
                    votes=_integer(table, number, record, "votes"),
                    party_name=None if party_name == "NA" else party_name,
                    mnis_id=mnis,
                )
            )
        out.append(
            SourceRow(
                ContestInput(
                    election_kind=NOTIONAL,
                    election_date=date,
                    ons_id=ons_id,
                    constituency_name=first.get(name_column) or None,
                    electorate=_integer(table, first_row, first, "electorate"),
                    valid_votes=_integer(table, first_row, first, valid_column),
                    invalid_votes=None,
                    candidates=tuple(candidates),
                    source=f"House of Commons Library: {_short(path)}",
                    stated_majority=_integer(table, first_row, first, "majority") if headerless else None,
                ),
                str(path),
                first_row,
                tuple(repairs),
            )
        )
    return out


@dataclass(frozen=True)
class SourceFile:
    kind: str  # "contests" or "notional"
    paths: tuple[Path, ...]
    order: tuple[int, int]


def discover(path: Path) -> list[SourceFile]:
    """The results files under `path` (a folder, or one file), in the order they must load:
    each election after the one it is compared with."""
    path = Path(path)
    if not path.exists():
        raise HocFormatError(path, "does not exist")
    files = sorted(p for p in path.rglob("*.csv")) if path.is_dir() else [path]
    found: dict[Path, SourceFile] = {}
    for file in files:
        stem = file.name.casefold()
        parliament = _parliament_from_path(file) or 0
        if stem.startswith("constituencies") or stem.startswith("candidacies"):
            seats = file.with_name("constituencies.csv") if stem.startswith("candidacies") else file
            people = file.with_name("candidacies.csv") if stem.startswith("constituencies") else file
            if not seats.exists() or not people.exists():
                missing = people if not people.exists() else seats
                raise HocFormatError(file, f"needs its companion file {missing.name} in the same folder")
            rank = 1 if "by-election" in str(file.parent).casefold() else 0
            found.setdefault(seats, SourceFile("contests", (seats, people), (parliament, rank)))
        elif stem.startswith("results") or "notional" in str(file).casefold():
            found.setdefault(file, SourceFile("notional", (file,), (parliament, 2)))
        elif not path.is_dir():
            raise HocFormatError(file, "is not a Library results file (constituencies, candidacies or results)")
    if not found:
        raise HocFormatError(path, "holds no Library results files")
    return sorted(found.values(), key=lambda f: (f.order, str(f.paths[0])))


def read_all(
    path: Path, known_mnis: dict[int, str] | None = None, known_names: dict[str, str] | None = None
) -> list[SourceRow]:
    """Every contest under `path`, read and checked before anything is written. `known_mnis` maps the
    MNIS party IDs the store already knows to their abbreviations, and `known_names` its parties'
    own names, for notional files that spell abbreviations out."""
    mnis: dict[int, str] = dict(known_mnis or {})
    names: dict[str, str] = {fold_name(name): abbreviation for name, abbreviation in (known_names or {}).items()}
    rows: list[SourceRow] = []
    for source in discover(path):
        if source.kind == "contests":
            batch = read_contest_files(*source.paths)
            for row in batch:
                for candidate in row.entry.candidates:
                    if candidate.mnis_id is not None:
                        mnis.setdefault(candidate.mnis_id, candidate.party)
                    # Only a party's own registration names it; a joint label (Labour and Co-operative) does not.
                    if candidate.ec_id and candidate.party_name:
                        names.setdefault(fold_name(candidate.party_name), candidate.party)
        else:
            batch = read_notional_file(source.paths[0], mnis, names)
        rows.extend(batch)
    return rows


def match_notional_seats(rows: list[SourceRow]) -> list[str]:
    """Give a notional seat the ONS ID the real results on the same boundaries use, where they differ.

    The 2019 notional file lists five Scottish seats (Kilmarnock and Loudoun and four more) under their
    pre-2024 ONS IDs, while the 2024 results use new ones: joined on the ID, those 2024 seats would have
    no baseline and so no GAIN/HOLD. A notional seat whose ID no general election on its boundaries uses
    takes the ID of the one seat of the same name there that has no notional result; each is reported
    as a repair.
    """
    notional_ids: dict[str, set[str]] = defaultdict(set)
    general: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        entry = row.entry
        boundaries = entry.boundary_set or boundary_set_for(entry.election_kind, entry.election_date)
        if entry.election_kind == NOTIONAL:
            notional_ids[boundaries].add(entry.ons_id)
        elif entry.election_kind == GENERAL and entry.constituency_name:
            general[boundaries][fold_name(entry.constituency_name)].add(entry.ons_id)
    found: list[str] = []
    for index, row in enumerate(rows):
        entry = row.entry
        boundaries = entry.boundary_set or boundary_set_for(entry.election_kind, entry.election_date)
        seats = general.get(boundaries)
        if entry.election_kind != NOTIONAL or not seats or not entry.constituency_name:
            continue
        if any(entry.ons_id in ids for ids in seats.values()):
            continue
        fitting = seats.get(fold_name(entry.constituency_name), set()) - notional_ids[boundaries]
        if len(fitting) != 1:
            continue
        (ons_id,) = fitting
        rows[index] = replace(row, entry=replace(entry, ons_id=ons_id))
        found.append(
            f"{row.path}, row {row.row}: ONS ID {entry.ons_id} is used by no general election on these "
            f"boundaries; stored as {entry.constituency_name} ({ons_id}), the seat of that name in the results"
        )
    return found
