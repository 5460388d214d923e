"""A result as it arrives from outside: the input types, the one validation, and the JSON and CSV
forms that `resultsbot enter`, the Slack modal and `POST /ingest` take."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store import arithmetic
from store.elections import BY_ELECTION, CONTEST_STATUSES, DECLARED, ELECTION_KINDS, GENERAL
from store.names import ONS_ID

# What the desk may enter; notional results come only from the Library's files.
ENTRY_KINDS = (GENERAL, BY_ELECTION)


class InvalidResult(ValueError):
    """An entry that must not be stored; `problems` maps a field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in problems.items()))


@dataclass(frozen=True)
class CandidateInput:
    name: str | None
    party: str  # abbreviation, or a full name the store knows
    votes: int | None
    party_name: str | None = None
    ec_id: str | None = None
    mnis_id: int | None = None
    elected: bool = False


@dataclass(frozen=True)
class ContestInput:
    election_kind: str
    election_date: dt.date
    ons_id: str
    constituency_name: str | None
    electorate: int | None
    valid_votes: int | None
    invalid_votes: int | None
    candidates: tuple[CandidateInput, ...]
    source: str
    status: str = DECLARED
    declared_at: dt.datetime | None = None
    region: str | None = None
    country: str | None = None
    county: str | None = None
    constituency_kind: str | None = None
    stated_result: str | None = None
    stated_majority: int | None = None
    entered_by: str | None = None
    # Notional results are the previous election on the next boundaries.
    boundary_set: str | None = None
    authoritative_name: bool = False  # a general-election file's spelling of the seat wins


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check(entry: ContestInput) -> tuple[dict[str, str], dict[str, str]]:
    """(errors, inconsistencies) in an entry, each keyed by the field at fault.

    Errors make an entry unstorable. Inconsistencies (votes that do not add up) refuse a desk
    entry, but a published source is stored as published and the disagreement reported.
    """
    errors: dict[str, str] = {}
    if entry.election_kind not in ELECTION_KINDS:
        errors["election.kind"] = f"must be one of {', '.join(ELECTION_KINDS)}, not {entry.election_kind!r}"
    if entry.status not in CONTEST_STATUSES:
        errors["status"] = f"must be one of {', '.join(CONTEST_STATUSES)}, not {entry.status!r}"
    for name, value in (
        ("electorate", entry.electorate),
        ("valid_votes", entry.valid_votes),
        ("rejected", entry.invalid_votes),
    ):
        if value is not None and not _whole(value):
            errors[name] = f"must be a whole number of at least 0, not {value!r}"
    if not entry.candidates:
        errors["candidates"] = "at least one candidate is needed"
    for index, candidate in enumerate(entry.candidates):
        if candidate.votes is not None and not _whole(candidate.votes):
            errors[f"candidates[{index}].votes"] = f"must be a whole number of at least 0, not {candidate.votes!r}"
        if not candidate.party or not candidate.party.strip():
            errors[f"candidates[{index}].party"] = "is missing"
    named = Counter((c.name.casefold().strip(), c.party.casefold()) for c in entry.candidates if c.name)
    for (name, party), times in named.items():
        if times > 1:
            errors["candidates"] = f"{name} ({party}) is listed {times} times"
    if errors:
        return errors, {}
    figures = arithmetic.contest_figures(entry.electorate, entry.valid_votes, entry.invalid_votes, entry.candidates)
    return errors, arithmetic.inconsistencies(figures)


def validate(entry: ContestInput, *, strict: bool = True) -> None:
    """Raise InvalidResult for what must not be stored: errors always, inconsistencies when `strict`
    (a published source is stored as published; its summaries say where it contradicts itself)."""
    errors, inconsistent = check(entry)
    if strict:
        errors |= inconsistent
    if errors:
        raise InvalidResult(errors)


def _int(value: Any, name: str, problems: dict[str, str], *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            problems[name] = "is required"
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().replace(",", "").isdigit():
            return int(value.strip().replace(",", ""))
        problems[name] = f"must be a whole number, not {value!r}"
        return None
    if value < 0:
        problems[name] = f"must not be negative, not {value}"
        return None
    return value


def _text(value: Any, name: str, problems: dict[str, str], *, required: bool, limit: int = 160) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[name] = "is required"
        return None
    if not isinstance(value, str):
        problems[name] = f"must be text, not {value!r}"
        return None
    if len(value) > limit:
        problems[name] = f"is longer than {limit} characters"
        return None
    return " ".join(value.split())


def parse_entry(data: Any, *, entered_by: str | None = None, source: str = "desk entry") -> ContestInput:
    """The entry JSON as a ContestInput, or InvalidResult naming every field at fault."""
    problems: dict[str, str] = {}
    if not isinstance(data, Mapping):
        raise InvalidResult({"body": "must be a JSON object"})
    election = data.get("election")
    kind = date = None
    if not isinstance(election, Mapping):
        problems["election"] = 'must be an object like {"date": "2017-02-23", "kind": "by-election"}'
    else:
        kind = election.get("kind")
        if kind not in ENTRY_KINDS:
            problems["election.kind"] = f"must be one of {', '.join(ENTRY_KINDS)}, not {kind!r}"
        try:
            date = dt.date.fromisoformat(str(election.get("date")))
        except ValueError:
            problems["election.date"] = f"must be a date like 2017-02-23, not {election.get('date')!r}"
    seat = data.get("constituency")
    ons_id = name = None
    if not isinstance(seat, Mapping):
        problems["constituency"] = 'must be an object like {"ons_id": "E14000647", "name": "Copeland"}'
    else:
        ons_id = _text(seat.get("ons_id"), "constituency.ons_id", problems, required=False, limit=16)
        name = _text(seat.get("name"), "constituency.name", problems, required=False)
        if ons_id and not ONS_ID.match(ons_id):
            problems["constituency.ons_id"] = f"must be an ONS code like E14000647, not {ons_id!r}"
        if not ons_id and not name:
            problems["constituency"] = "needs an ons_id or a name"
    electorate = _int(data.get("electorate"), "electorate", problems, required=True)
    valid = _int(data.get("valid_votes"), "valid_votes", problems, required=True)
    rejected = _int(data.get("rejected"), "rejected", problems, required=False)
    status = data.get("status", DECLARED)
    if status not in CONTEST_STATUSES:
        problems["status"] = f"must be one of {', '.join(CONTEST_STATUSES)}, not {status!r}"
    declared_at = None
    if data.get("declared_at"):
        try:
            declared_at = dt.datetime.fromisoformat(str(data["declared_at"]))
            if declared_at.tzinfo is None:
                problems["declared_at"] = "needs a time zone, e.g. 2017-02-24T02:12:00+00:00"
        except ValueError:
            problems["declared_at"] = f"must be an ISO time like 2017-02-24T02:12:00+00:00, not {data['declared_at']!r}"
    candidates: list[CandidateInput] = []
    raw_candidates = data.get("candidates")
    if not isinstance(raw_candidates, list) or not raw_candidates:
        problems["candidates"] = "must be a non-empty list of {name, party, votes}"
    else:
        for index, raw in enumerate(raw_candidates):
            where = f"candidates[{index}]"
            if not isinstance(raw, Mapping):
                problems[where] = "must be an object with name, party and votes"
                continue
            candidate_name = _text(raw.get("name"), f"{where}.name", problems, required=True)
            party = _text(raw.get("party"), f"{where}.party", problems, required=True, limit=80)
            votes = _int(raw.get("votes"), f"{where}.votes", problems, required=True)
            if candidate_name and party and votes is not None:
                candidates.append(CandidateInput(candidate_name, party, votes))
    if problems:
        raise InvalidResult(problems)
    assert kind is not None and date is not None
    return ContestInput(
        election_kind=kind,
        election_date=date,
        ons_id=ons_id or "",
        constituency_name=name,
        electorate=electorate,
        valid_votes=valid,
        invalid_votes=rejected,
        candidates=tuple(candidates),
        source=source,
        status=status,
        declared_at=declared_at,
        entered_by=entered_by,
    )


CSV_COLUMNS = (
    "election_date",
    "election_kind",
    "ons_id",
    "constituency",
    "electorate",
    "valid_votes",
    "rejected",
    "status",
    "declared_at",
    "candidate",
    "party",
    "votes",
)


def entry_from_csv(text: str) -> dict[str, Any]:
    """One contest as CSV, a row per candidate (columns CSV_COLUMNS; contest columns repeat), as the
    JSON form, so both go through `parse_entry`."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise InvalidResult({"csv": f"needs a header row and a row per candidate; columns: {', '.join(CSV_COLUMNS)}"})
    missing = [c for c in ("election_date", "election_kind", "candidate", "party", "votes") if c not in rows[0]]
    if missing:
        raise InvalidResult({"csv": f"missing column(s): {', '.join(missing)}"})
    first = rows[0]
    return {
        "election": {"date": first.get("election_date"), "kind": first.get("election_kind")},
        "constituency": {"ons_id": first.get("ons_id") or None, "name": first.get("constituency") or None},
        "electorate": first.get("electorate"),
        "valid_votes": first.get("valid_votes"),
        "rejected": first.get("rejected") or None,
        "status": first.get("status") or DECLARED,
        "declared_at": first.get("declared_at") or None,
        "candidates": [{"name": r.get("candidate"), "party": r.get("party"), "votes": r.get("votes")} for r in rows],
    }
