"""Files in the shape of PA Media's election XML feed, written here from the Library's published data
(never copied from PA): shared/notes/feeds.md describes the shape.

`result_file` writes any seat of any election in the bundled Library data as a PA `result` file; the
figures PA states itself (majority, shares, gain/hold, swing, turnout) are worked out here from the
Library's votes, result label and share changes, independently of `store`. The small hand-written
kinds (rush, recount, state of parties, nominations) and the damaged files the tests need are below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from tests.integration import published

# The Library's abbreviation as PA writes it (feeds.md): the rest are spelt alike.
PA_ABBREVIATIONS = {"Con": "C", "Spk": "Speaker", "Coop": "Lab Co-op"}  # "Coop": a Library result label
GENERAL_ELECTION = "General Election"


def pa_abbreviation(library_abbreviation: str, party_name: str) -> str:
    if library_abbreviation == "Lab" and "co-operative" in party_name.casefold():
        return "Lab Co-op"
    return PA_ABBREVIATIONS.get(library_abbreviation, library_abbreviation)


def file_name(kind: str, area: str | None, revision: int | None, *, election: str = GENERAL_ELECTION) -> str:
    parts = [election.replace(" ", "_"), kind]
    if area is not None:
        parts.append(area.replace(" ", "_"))
    if revision is not None:
        parts.append(str(revision))
    return "_".join(parts) + ".xml"


def _attributes(values: dict[str, object]) -> str:
    return " ".join(f"{name}={quoteattr(str(value))}" for name, value in values.items() if value is not None)


def _signed(value: Fraction) -> str:
    return f"{float(value):+.2f}"


@dataclass(frozen=True)
class LibrarySeat:
    """One contest as the Library publishes it, read with tests.integration.published."""

    ons_id: str
    name: str
    date: dt.date
    electorate: int
    valid_votes: int
    result: str  # "Con gain from Lab"
    candidates: tuple[
        tuple[str, str, str, str, int, Fraction | None], ...
    ]  # first, surname, abbr, party, votes, change


def library_seat(
    parliament: int, ons_id: str, folder: str = "general-election", date: dt.date | None = None
) -> LibrarySeat:
    seat = published.find_seat(parliament, folder, ons_id, date)
    held = published.election_of(parliament, folder, seat)[1]
    rows = published.contest_candidates(parliament, folder, ons_id, held)
    valid = sum(int(row["Votes"]) for row in rows)
    before = _previous_shares(parliament, ons_id)
    candidates = tuple(
        (
            row["Candidate first name"],
            row["Candidate surname"],
            row["Party abbreviation"],
            row["Party name"],
            int(row["Votes"]),
            None
            if row["Party abbreviation"] not in before
            else Fraction(int(row["Votes"]) * 100, valid) - before[row["Party abbreviation"]],
        )
        for row in rows
    )
    return LibrarySeat(
        ons_id, seat["Constituency name"], held, int(seat["Electorate"]), valid, seat["Result"], candidates
    )


def library_entry(seat: LibrarySeat) -> dict[str, object]:
    """The seat's published result as the desk enters it (`resultsbot enter`'s JSON, POST /ingest's body)."""
    return {
        "election": {"date": seat.date.isoformat(), "kind": "general"},
        "constituency": {"ons_id": seat.ons_id, "name": seat.name},
        "electorate": seat.electorate,
        "valid_votes": seat.valid_votes,
        "candidates": [
            {"name": f"{first} {surname}", "party": abbreviation, "votes": votes}
            for first, surname, abbreviation, _, votes, _ in seat.candidates
        ],
    }


def _previous_shares(parliament: int, ons_id: str) -> dict[str, Fraction]:
    """Share (percent) by party at the general election before, where the seat had the same ONS ID;
    parties that stood more than one candidate (independents) are left out."""
    if parliament - 1 not in published.GENERAL_ELECTION_DATES:
        return {}
    rows = [r for r in published.candidacies(parliament - 1, "general-election") if r["ONS ID"] == ons_id]
    total = sum(int(r["Votes"]) for r in rows)
    parties = [r["Party abbreviation"] for r in rows]
    return {
        r["Party abbreviation"]: Fraction(int(r["Votes"]) * 100, total)
        for r in rows
        if parties.count(r["Party abbreviation"]) == 1
    }


def with_votes(seat: LibrarySeat, votes: dict[int, int]) -> LibrarySeat:
    """`seat` with some candidates' votes (by position) changed and the total to match: a correction."""
    candidates = tuple(
        (*candidate[:4], votes.get(position, candidate[4]), candidate[5])
        for position, candidate in enumerate(seat.candidates)
    )
    return replace(seat, candidates=candidates, valid_votes=sum(c[4] for c in candidates))


def result_xml(
    seat: LibrarySeat,
    *,
    revision: int = 1,
    election: str = GENERAL_ELECTION,
    declared_at: str | None = None,
    name: str | None = None,
    stated_majority: int | None = None,
    votes: dict[int, int] | None = None,
    number: int = 1,
) -> bytes:
    """A PA result file of `seat`, stating what PA would: figures worked out from the Library's.
    `votes` replaces some candidates' votes (by position) after PA's figures are worked out, and
    `stated_majority` PA's majority, to make a file that disagrees with itself."""
    ranked = sorted(seat.candidates, key=lambda c: -c[4])
    winner, second = ranked[0], ranked[1]
    valid = seat.valid_votes
    words = seat.result.split()
    gained = "gain" in [w.casefold() for w in words]
    sitting_library = words[-1] if gained else words[0]
    sitting_name = next((c[3] for c in seat.candidates if c[2] == sitting_library), sitting_library)
    majority = winner[4] - second[4]
    swing = None
    if winner[5] is not None and second[5] is not None:
        swing = (winner[5] - second[5]) / 2
    constituency = {
        "number": number,
        "name": name or seat.name,
        "electorate": seat.electorate,
        "turnout": valid,
        "percentageTurnout": f"{float(Fraction(valid * 100, seat.electorate)):.2f}",
        "winningParty": pa_abbreviation(winner[2], winner[3]),
        "sittingParty": pa_abbreviation(sitting_library, sitting_name),
        "gainOrHold": "gain" if gained else "hold",
        "majority": majority if stated_majority is None else stated_majority,
        "percentageMajority": f"{float(Fraction(majority * 100, valid)):.2f}",
        "swing": None if swing is None else f"{float(abs(swing)):.2f}",
        "swingTo": None if swing is None else pa_abbreviation(*(winner if swing >= 0 else second)[2:4]),
        "swingFrom": None if swing is None else pa_abbreviation(*(second if swing >= 0 else winner)[2:4]),
        "unusedAttribute": "PA adds attributes we do not read",
    }
    lines = []
    for position, (first, surname, abbreviation, party, counted, change) in enumerate(seat.candidates):
        shown = (votes or {}).get(position, counted)
        candidate = {
            "paId": 1000 + position,
            "firstName": first,
            "surname": surname,
            "ballotName": f"{surname.upper()}, {first}",
            "elected": "*" if (first, surname, counted) == (winner[0], winner[1], winner[4]) else None,
        }
        figures = {
            "paId": 50 + position,
            "name": party,
            "abbreviation": pa_abbreviation(abbreviation, party),
            "votes": shown,
            "percentageShare": f"{float(Fraction(counted * 100, valid)):.2f}",
            "percentageShareChange": None if change is None else _signed(change),
        }
        lines.append(
            f"      <Candidate {_attributes(candidate)}>\n        <Party {_attributes(figures)}/>\n      </Candidate>"
        )
    root = {
        "revision": revision,
        "declarationTime": declared_at or f"{seat.date + dt.timedelta(days=1)}T02:30:00+00:00",
    }
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<FirstPastThePostResult {_attributes(root)}>\n"
        f"  <Election {_attributes({'name': election, 'date': seat.date.isoformat(), 'type': 'G'})}>\n"
        f"    <Constituency {_attributes(constituency)}>\n" + "\n".join(lines) + "\n    </Constituency>\n"
        "  </Election>\n</FirstPastThePostResult>\n"
    )
    return document.encode("utf-8")


def result_file(
    folder: Path, seat: LibrarySeat, *, revision: int = 1, election: str = GENERAL_ELECTION, **changes: object
) -> Path:
    path = folder / file_name("result", str(changes.get("name") or seat.name), revision, election=election)
    path.write_bytes(result_xml(seat, revision=revision, election=election, **changes))  # type: ignore[arg-type]
    return path


def general_election_files(folder: Path, parliament: int) -> list[Path]:
    """Every seat of a general election in the Library's data, as PA result files (revision 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    seats = published.constituencies(parliament, "general-election")
    return [
        result_file(folder, library_seat(parliament, row["ONS ID"]), number=number)
        for number, row in enumerate(seats, start=1)
    ]


RUSH_XML = """<?xml version="1.0" encoding="UTF-8"?>
<FirstPastThePostRush revision="1" declarationTime="2024-07-05T01:12:00+01:00">
  <Election name="General Election" date="2024-07-04" type="G">
    <Constituency number="270" name="Hartlepool" winningPartyAbbreviation="Lab" winningPartyName="Labour"
        sittingPartyAbbreviation="C" sittingPartyName="Conservative" change="true" percentageBoundaryChange="0"
        paStyleMessageText="Labour win Hartlepool - gain from notional Conservative"/>
  </Election>
</FirstPastThePostRush>
"""

RECOUNT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Recount revision="1" declarationTime="2024-07-05T04:40:00+01:00">
  <Election name="General Election" date="2024-07-04" type="G">
    <Constituency number="270" name="Hartlepool"/>
  </Election>
</Recount>
"""

STATE_OF_PARTIES_XML = """<?xml version="1.0" encoding="UTF-8"?>
<FirstPastThePostStateOfParties revision="{revision}" numberOfResults="{results}" totalNumberOfConstituencies="650"
    totalVotes="{total}" forecastWinningParty="Lab" forecastMajority="170" declarationTime="{declared_at}"
    note="The Speaker's votes are counted with his former party">
  <Election name="General Election" date="2019-12-12" type="G"/>
{parties}
</FirstPastThePostStateOfParties>
"""

NOMINATIONS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<FirstPastThePostNominations revision="1">
  <Election name="General Election" date="2024-07-04" type="G">
    <Constituency number="270" name="Hartlepool" electorate="73000">
      <Candidate paId="1" firstName="Jonathan" surname="Brash"><Party abbreviation="Lab" name="Labour"/></Candidate>
      <Candidate paId="2" firstName="Jill" surname="Mortimer"><Party abbreviation="C" name="Conservative"/></Candidate>
      <Candidate paId="3" firstName="Amanda" surname="Napper">
        <Party abbreviation="Reform" name="Reform UK"/>
      </Candidate>
    </Constituency>
  </Election>
</FirstPastThePostNominations>
"""


def state_of_parties(
    seats: dict[str, int],
    votes: int = 0,
    results: int | None = None,
    *,
    revision: int | None = None,
    declared_at: str = "2019-12-13T03:14:00+00:00",
) -> bytes:
    """A state of parties file giving `seats` by PA abbreviation, covering `results` results (by
    default as many as the seats), its revision by default the count of results."""
    parties = "\n".join(
        f'  <Party {_attributes({"paId": n, "name": abbr, "abbreviation": abbr, "totalSeats": count})} gains="0" '
        'losses="0" totalVotes="0" percentageShare="0" forecastSeats="0"/>'
        for n, (abbr, count) in enumerate(seats.items(), start=1)
    )
    covered = sum(seats.values()) if results is None else results
    return STATE_OF_PARTIES_XML.format(
        total=votes,
        parties=parties,
        results=covered,
        revision=covered if revision is None else revision,
        declared_at=declared_at,
    ).encode("utf-8")


def state_of_parties_file(folder: Path, seats: dict[str, int], **changes: Any) -> Path:
    """`state_of_parties(seats, …)` in `folder`, named as PA names it after the results it covers."""
    data = state_of_parties(seats, **changes)
    covered = changes.get("results")
    path = folder / file_name("SOP", None, sum(seats.values()) if covered is None else covered)
    path.write_bytes(data)
    return path


def _declaration(root: str, seat: LibrarySeat, revision: int, election: str, attributes: str = "") -> bytes:
    date = seat.date.isoformat()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} revision="{revision}" declarationTime="{seat.date + dt.timedelta(days=1)}T01:12:00+00:00">\n'
        f"  <Election {_attributes({'name': election, 'date': date, 'type': 'G'})}>\n"
        f"    <Constituency {_attributes({'number': 1, 'name': seat.name})}{attributes}/>\n"
        f"  </Election>\n</{root}>\n"
    ).encode()


def rush_file(folder: Path, seat: LibrarySeat, *, revision: int = 1, election: str = GENERAL_ELECTION) -> Path:
    """PA's flash of `seat`: its winning party and the sitting party, and whether it changed hands,
    read from the Library's result label ("Con gain from Lab", "Lab hold"), in PA's abbreviations."""
    words = seat.result.split()
    gained = "gain" in [w.casefold() for w in words]
    winner = words[0]
    sitting = words[-1] if gained else winner
    names = {c[2]: c[3] for c in seat.candidates}
    rush = {
        "winningPartyAbbreviation": pa_abbreviation(winner, names.get(winner, winner)),
        "sittingPartyAbbreviation": pa_abbreviation(sitting, names.get(sitting, sitting)),
        "change": "true" if gained else "false",
        "paStyleMessageText": f"{winner} win {seat.name}",
    }
    path = folder / file_name("rush", seat.name, revision, election=election)
    path.write_bytes(_declaration("FirstPastThePostRush", seat, revision, election, " " + _attributes(rush)))
    return path


def recount_file(folder: Path, seat: LibrarySeat, *, revision: int = 1, election: str = GENERAL_ELECTION) -> Path:
    path = folder / file_name("recount", seat.name, revision, election=election)
    path.write_bytes(_declaration("Recount", seat, revision, election))
    return path


def nominations_file(
    folder: Path, seats: list[LibrarySeat], *, revision: int = 1, election: str = GENERAL_ELECTION, area: str = "All"
) -> Path:
    """PA's nominations of `seats`: each seat's candidates as the Library lists them, with no votes."""
    constituencies = []
    for number, seat in enumerate(seats, start=1):
        standing = "\n".join(
            f"      <Candidate {_attributes({'paId': position, 'firstName': first, 'surname': surname})}>"
            f"<Party {_attributes({'abbreviation': pa_abbreviation(abbreviation, party), 'name': party})}/></Candidate>"
            for position, (first, surname, abbreviation, party, _, _) in enumerate(seat.candidates, start=1)
        )
        constituencies.append(
            f"    <Constituency {_attributes({'number': number, 'name': seat.name})}>\n{standing}\n    </Constituency>"
        )
    date = seats[0].date.isoformat()
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<FirstPastThePostNominations revision="{revision}">\n'
        f"  <Election {_attributes({'name': election, 'date': date, 'type': 'G'})}>\n"
        + "\n".join(constituencies)
        + "\n  </Election>\n</FirstPastThePostNominations>\n"
    )
    path = folder / file_name("nominations", area, revision, election=election)
    path.write_bytes(document.encode("utf-8"))
    return path


def democracy_club_csv(rows: list[dict[str, str]]) -> str:
    """A candidates CSV in Democracy Club's columns (feeds.md), one row per candidacy."""
    import csv
    import io

    columns = [
        "id", "name", "election", "ballot_paper_id", "election_date", "seats_contested", "post_id", "post_label",
        "organisation_name", "gss_code", "party_id", "party_name", "party_description_text", "party_ec_id",
        "party_list_position", "elected", "cancelled_poll", "wikidata_id", "image_url",
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return out.getvalue()
