"""A result entered by the desk: the JSON the CLI's `enter` and `POST /ingest` take, and the one
use case that records it with the posts it needs, in one transaction."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import (
    BY_ELECTION,
    CONTEST_STATUSES,
    DECLARED,
    GENERAL,
    Constituency,
    Contest,
    OutboxEntry,
)
from store.record import CandidateInput, ContestInput, InvalidResult, Recorder, RecordOutcome

ONS_ID = re.compile(r"^[ENSW]\d{8}$")
ENTRY_KINDS = (GENERAL, BY_ELECTION)


@dataclass
class EntryOutcome:
    """What happened to an entry: the stored contest, and what the desk should be told."""

    record: RecordOutcome
    queued_channels: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.record.status

    def describe(self) -> str:
        contest = self.record.contest
        where = f"{contest.constituency.name}, {contest.election.name}"
        if self.status == "unchanged":
            said = f"{where}: the same figures are already stored (version {contest.version}); nothing to post."
        elif self.status == "corrected":
            said = f"{where}: stored as version {contest.version}, correcting version {contest.version - 1}."
        else:
            said = f"{where}: stored."
        if self.queued_channels:
            said += f" Posting to {', '.join(self.queued_channels)}."
        if self.record.new_parties:
            said += f" New parties added to the store: {', '.join(self.record.new_parties)}."
        return said


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


def resolve_seat(session: Session, entry: ContestInput) -> ContestInput:
    """Fill in the ONS ID from an exact name (case aside), or refuse: a seat is only created when
    both its ONS ID and name are given, deliberately."""
    if entry.ons_id:
        known = session.scalar(select(Constituency).where(Constituency.ons_id == entry.ons_id))
        if known is None and not entry.constituency_name:
            raise InvalidResult(
                {"constituency.ons_id": f"no seat {entry.ons_id} is in the store; give its name to create it"}
            )
        return entry
    matches = list(
        session.scalars(
            select(Constituency).where(func.lower(Constituency.name) == (entry.constituency_name or "").lower())
        )
    )
    if not matches:
        raise InvalidResult(
            {"constituency.name": f"no seat is called {entry.constituency_name!r}; give its exact name or ONS ID"}
        )
    if len(matches) > 1:
        newest = _seat_of_newest_contest(session, matches)
        if newest is None:
            ids = ", ".join(m.ons_id for m in matches)
            raise InvalidResult({"constituency.name": f"several seats share that name ({ids}); give the ONS ID"})
        matches = [newest]
    return replace(entry, ons_id=matches[0].ons_id, constituency_name=matches[0].name)


def _seat_of_newest_contest(session: Session, seats: list[Constituency]) -> Constituency | None:
    """Of seats sharing a name across boundary reviews, the one in use (with the latest contest)."""
    latest = session.execute(
        select(Contest.constituency_id, func.max(Contest.entered_at))
        .where(Contest.constituency_id.in_([s.id for s in seats]))
        .group_by(Contest.constituency_id)
    ).all()
    if not latest:
        return None
    wanted = max(latest, key=lambda row: row[1])[0]
    return next(s for s in seats if s.id == wanted)


def record_entry(session: Session, entry: ContestInput, channels: Iterable[str], *, post: bool = True) -> EntryOutcome:
    """Validate and store an entry, and queue its posts: all in the caller's one transaction."""
    entry = resolve_seat(session, entry)
    recorded = Recorder(session).record(entry, strict=True)
    outcome = EntryOutcome(recorded)
    if post and recorded.status != "unchanged":
        session.flush()
        outcome.queued_channels = queue_posts(session, recorded.contest, channels)
    return outcome


def queue_posts(session: Session, contest: Contest, channels: Iterable[str]) -> list[str]:
    queued = []
    for channel in dict.fromkeys(channels):
        session.add(
            OutboxEntry(
                contest_id=contest.id,
                election_id=contest.election_id,
                constituency_id=contest.constituency_id,
                version=contest.version,
                channel=channel,
            )
        )
        queued.append(channel)
    return queued
