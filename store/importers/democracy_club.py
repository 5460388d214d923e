"""Democracy Club's candidates CSV (shared/notes/feeds.md): the Westminster ballots it lists, each with
its candidates, read with no database. Ballot IDs follow the uk-election-ids standard:
`parl.<seat-slug>.<date>` for a general election, `parl.<seat-slug>.by.<date>` for a by-election.

A ballot is matched to a seat by its ONS code (`gss_code`) first and the slug of its name second.
Storing the candidates waits for the contest status `nominated`: a contest with candidates and no
votes cannot be stored as anything else without answers taking it for a result.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from store.elections import BY_ELECTION, GENERAL
from store.names import ONS_ID, fold
from store.parties import DEMOCRACY_CLUB_PARTY_IDS, feed_abbreviation

REQUIRED_COLUMNS = ("name", "ballot_paper_id", "party_id", "party_name")
_TRUE = ("true", "1", "yes")
_WESTMINSTER_BALLOT = re.compile(r"^parl\.(?P<slug>[a-z0-9-]+)\.(?P<by>by\.)?(?P<date>\d{4}-\d{2}-\d{2})$")


class CandidatesFormatError(ValueError):
    def __init__(self, path: str, reason: str, row: int | None = None) -> None:
        self.path, self.reason, self.row = path, reason, row
        where = path if row is None else f"{path}, row {row}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Candidate:
    person_id: str | None
    name: str
    party: str  # the Library's abbreviation where known, else Democracy Club's party name
    party_name: str
    party_id: str | None
    elected: bool | None  # None before the count


@dataclass(frozen=True)
class Ballot:
    ballot_paper_id: str
    kind: str  # general or by-election
    date: dt.date
    slug: str
    gss_code: str | None
    post_label: str | None
    cancelled: bool
    candidates: tuple[Candidate, ...]


def seat_slug(name: str) -> str:
    """A seat name as uk-election-ids writes it in a ballot ID ("Stoke-on-Trent Central" ->
    "stoke-on-trent-central")."""
    return fold(name).replace(" ", "-")


def party_of(party_id: str, party_name: str) -> str:
    return DEMOCRACY_CLUB_PARTY_IDS.get(party_id.strip()) or feed_abbreviation(party_name) or party_name.strip()


def read_candidates(text: str, path: str = "candidates CSV") -> list[Ballot]:
    """Every Westminster ballot in the CSV with its candidates, in file order; other elections'
    ballots (councils, mayors) are left out. A missing column or a malformed Westminster ballot ID
    is refused with the file and row named."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise CandidatesFormatError(
            path, f"has no column {', '.join(missing)} (is it Democracy Club's candidates CSV?)"
        )
    ballots: dict[str, Ballot] = {}
    candidates: dict[str, list[Candidate]] = {}
    for number, row in enumerate(reader, start=2):
        ballot_id = (row.get("ballot_paper_id") or "").strip()
        if not ballot_id.startswith("parl."):
            continue
        found = _WESTMINSTER_BALLOT.match(ballot_id)
        if found is None:
            raise CandidatesFormatError(path, f"ballot {ballot_id[:80]!r} is not parl.<seat>[.by].<date>", number)
        try:
            held = dt.date.fromisoformat(found["date"])
        except ValueError:
            raise CandidatesFormatError(path, f"ballot {ballot_id!r} has no valid date", number) from None
        name = " ".join((row.get("name") or "").split())
        if not name:
            raise CandidatesFormatError(path, f"a candidate on {ballot_id} has no name", number)
        gss = (row.get("gss_code") or "").strip()
        ballots.setdefault(
            ballot_id,
            Ballot(
                ballot_paper_id=ballot_id,
                kind=BY_ELECTION if found["by"] else GENERAL,
                date=held,
                slug=found["slug"],
                gss_code=gss if ONS_ID.match(gss) else None,
                post_label=(row.get("post_label") or "").strip() or None,
                cancelled=(row.get("cancelled_poll") or "").strip().casefold() in _TRUE,
                candidates=(),
            ),
        )
        elected = (row.get("elected") or "").strip().casefold()
        candidates.setdefault(ballot_id, []).append(
            Candidate(
                person_id=(row.get("id") or "").strip() or None,
                name=name,
                party=party_of(row.get("party_id") or "", row.get("party_name") or ""),
                party_name=(row.get("party_name") or "").strip(),
                party_id=(row.get("party_id") or "").strip() or None,
                elected=None if not elected else elected in _TRUE,
            )
        )
    return [replace(ballot, candidates=tuple(candidates[ballot_id])) for ballot_id, ballot in ballots.items()]


def match_seat(ballot: Ballot, seats: Mapping[str, str]) -> str | None:
    """The ONS ID of the ballot's seat among `seats` (ONS ID -> name, one boundary set): its
    gss_code when that is one of them, else the one seat whose name makes its slug."""
    if ballot.gss_code and ballot.gss_code in seats:
        return ballot.gss_code
    found = [ons_id for ons_id, name in seats.items() if seat_slug(name) == ballot.slug]
    return found[0] if len(found) == 1 else None
