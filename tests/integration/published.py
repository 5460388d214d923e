"""The House of Commons Library's files as a reader would read them, independently of the importer.

Only Python's csv module and the column lists in shared/data/README.md: the tests compare what the
store says with what these files say, so nothing here may come from `store`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

DATA = Path("/work/shared/data/hoc")

GENERAL_ELECTION_DATES = {
    55: dt.date(2010, 5, 6),
    56: dt.date(2015, 5, 7),
    57: dt.date(2017, 6, 8),
    58: dt.date(2019, 12, 12),
    59: dt.date(2024, 7, 4),
}
# Notional results: the general election before, on the next boundaries.
NOTIONAL_DATES = {54: dt.date(2005, 5, 5), 58: dt.date(2019, 12, 12)}

_ONS = re.compile(r"^[ENSW]\d{8}$")

# README: the headerless general-election files' columns.
_SEAT_COLUMNS = [
    "ONS ID", "ONS region ID", "Constituency name", "County name", "Region name", "Country name",
    "Constituency type", "Declaration time", "Member first name", "Member surname", "Member gender", "Result",
    "First party", "Second party", "Electorate", "Valid votes", "Invalid votes", "Majority",
]  # fmt: skip
_PERSON_COLUMNS = [
    "ONS ID", "ONS region ID", "Constituency name", "County name", "Region name", "Country name",
    "Constituency type", "Party name", "Party abbreviation", "Electoral Commission party ID", "MNIS party ID",
    "Electoral Commission adjunct party ID", "Candidate first name", "Candidate surname", "Candidate gender",
    "Sitting MP", "Former MP", "Member MNIS ID", "Votes", "Share", "Change",
]  # fmt: skip
# The 2019 notional file (2024 boundaries) has no header either.
_NOTIONAL_2019_COLUMNS = [
    "Constituency name", "Constituency name 2", "ONS ID", "PA ID", "Region code", "Region name",
    "Constituency type", "Turnout", "Electorate", "Valid votes", "Majority", "Vote code", "Votes",
    "Party abbreviation", "Party name", "MNIS party ID",
]  # fmt: skip
_HEADER_SPELLINGS = {"ONS ID2": "ONS ID", "constituency_id": "ONS ID", "constituency_name": "Constituency name"}

# Rows of the 2019 notional file that sum other rows.
AGGREGATE_VOTE_CODES = {"TOTOTHV", "MAXOTHV"}


@dataclass(frozen=True)
class Row:
    path: Path
    number: int  # as a user counts rows in a spreadsheet: the header, when there is one, is row 1
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column].strip()

    def number_in(self, column: str) -> int | None:
        value = self[column]
        return None if value in ("", "[x]") else int(value)


@cache
def read(path: Path, headerless_columns: tuple[str, ...]) -> tuple[Row, ...]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.reader(handle)]
    if any(_ONS.match(cell.strip()) for cell in rows[0][:3]):
        columns, first = list(headerless_columns), 1
    else:
        columns, first = [_HEADER_SPELLINGS.get(c.strip(), c.strip()) for c in rows[0]], 2
    return tuple(
        Row(path, number, dict(zip(columns, cells, strict=False)))
        for number, cells in enumerate(rows[first - 1 :], start=first)
        if any(cell.strip() for cell in cells)
    )


def folders() -> list[tuple[int, str]]:
    """(parliament, "general-election" or "by-elections") for every constituencies.csv."""
    return sorted((int(p.parent.parent.name), p.parent.name) for p in DATA.glob("*/*/constituencies.csv"))


def constituencies(parliament: int, folder: str) -> tuple[Row, ...]:
    return read(DATA / str(parliament) / folder / "constituencies.csv", tuple(_SEAT_COLUMNS))


def candidacies(parliament: int, folder: str) -> tuple[Row, ...]:
    return read(DATA / str(parliament) / folder / "candidacies.csv", tuple(_PERSON_COLUMNS))


def notional(parliament: int) -> tuple[Row, ...]:
    return read(DATA / str(parliament) / "notional-general-election" / "results.csv", tuple(_NOTIONAL_2019_COLUMNS))


def notional_parliaments() -> list[int]:
    return sorted(int(p.parent.parent.name) for p in DATA.glob("*/notional-general-election/results.csv"))


def parse_date(text: str) -> dt.date:
    return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()


def election_of(parliament: int, folder: str, row: Row) -> tuple[str, dt.date]:
    """(kind, polling date) of a row of a constituencies or candidacies file."""
    if folder == "by-elections":
        column = "By-election date" if "By-election date" in row.cells else "Election date"
        return "by-election", parse_date(row[column])
    return "general", GENERAL_ELECTION_DATES[parliament]


def candidate_name(row: Row) -> str:
    """The name as printed, with double-encoded UTF-8 undone: a few names in the files read
    "SÃ©amus" for "Séamus" (UTF-8 bytes once decoded as Windows-1252/Latin-1)."""
    name = " ".join(f"{row['Candidate first name']} {row['Candidate surname']}".split())
    if "Ã" in name:
        for codec in ("cp1252", "latin-1"):
            try:
                return name.encode(codec).decode("utf-8")
            except UnicodeError:
                continue
    return name


def share_percent(row: Row) -> Fraction | None:
    """The file's Share column (a fraction of 1) as a number of percent."""
    value = row["Share"]
    return None if value in ("", "[x]") else Fraction(value) * 100


def contest_candidates(parliament: int, folder: str, ons_id: str, date: dt.date) -> list[Row]:
    return [
        r
        for r in candidacies(parliament, folder)
        if r["ONS ID"] == ons_id and election_of(parliament, folder, r)[1] == date
    ]


def find_seat(parliament: int, folder: str, ons_id: str, date: dt.date | None = None) -> Row:
    found = [
        r
        for r in constituencies(parliament, folder)
        if r["ONS ID"] == ons_id and (date is None or election_of(parliament, folder, r)[1] == date)
    ]
    assert len(found) == 1, (parliament, folder, ons_id, date)
    return found[0]


def library_subset(folder: Path, parliament: int, seats: tuple[str, ...]) -> Path:
    """The Library's general-election files of `parliament` (2010-2019: headerless) cut to `seats` (ONS
    IDs), in their own layout under `folder`, for a store that should hold only those seats' results."""
    target = folder / str(parliament) / "general-election"
    target.mkdir(parents=True)
    for name in ("constituencies.csv", "candidacies.csv"):
        lines = (DATA / str(parliament) / "general-election" / name).read_text(encoding="utf-8-sig").splitlines()
        kept = [line for line in lines if line.split(",", 1)[0] in seats]
        (target / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


def declared_first(parliament: int, how_many: int) -> list[Row]:
    """The first `how_many` seats declared at `parliament`'s general election, in the order declared."""
    rows = constituencies(parliament, "general-election")
    return sorted(rows, key=lambda row: dt.datetime.strptime(row["Declaration time"], "%d/%m/%Y %H:%M"))[:how_many]
