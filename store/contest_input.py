"""A result as it arrives from outside: the input types, the one validation, and the JSON and CSV
forms that `resultsbot enter`, the Slack modal and `POST /ingest` take."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from store import arithmetic, limits
from store.elections import (
    BY_ELECTION,
    CONTEST_STATUSES,
    DECLARED,
    ELECTION_KINDS,
    GENERAL,
    NO_FIGURES_STATUSES,
    RECOUNT,
    RUSH,
    uk_zone,
)
from store.names import ONS_ID, fold
from store.parties import abbreviation_for

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
    # A rush names only the winning party, and perhaps the party it gained the seat from; `gain` False
    # says it held the seat. Neither given: GAIN or HOLD is worked out from the seat's last result.
    winner_party: str | None = None
    gained_from: str | None = None
    gain: bool | None = None


def before_the_figures(
    kind: str,
    date: dt.date,
    ons_id: str,
    seat_name: str,
    status: str,
    *,
    source: str,
    entered_by: str,
    candidates: tuple[CandidateInput, ...] = (),
    declared_at: dt.datetime | None = None,
) -> ContestInput:
    """A feed's entry with no figures yet (nominations, a rush, a recount); a rush adds its winner."""
    return ContestInput(
        election_kind=kind,
        election_date=date,
        ons_id=ons_id,
        constituency_name=seat_name,
        electorate=None,
        valid_votes=None,
        invalid_votes=None,
        candidates=candidates,
        source=source,
        status=status,
        declared_at=declared_at,
        entered_by=entered_by,
    )


# What each status without figures is, in the words of an error message about it.
STATUS_WORDS = {
    "nominated": "a nominated contest (candidates, no result yet)",
    RUSH: "a rush (the winner flashed, figures to come)",
    RECOUNT: "a recount",
}


# A count written with more digits than this is read as 10**30: far past MAX_COUNT either way, and
# converting a digit string of thousands of characters is slow (Python refuses beyond 4,300).
LONGEST_COUNT_TEXT = 30
_COUNT_TEXT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
# A feed's clock a little ahead of ours is not a wrong date.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
FORCE_HINT = 'enter it again forced (resultsbot enter --force, or "force": true in the JSON)'


def count_from_text(text: str) -> int | None:
    """A count as people write it, "12345" or "12,345", else None. Only the digits 0-9: str.isdigit
    also passes "²", which int() then refuses, and commas only between thousands, since "12,00" is a
    typo for some number nobody can tell."""
    written = text.strip()
    if not _COUNT_TEXT.fullmatch(written):
        return None
    digits = written.replace(",", "").lstrip("0") or "0"
    if len(digits) > LONGEST_COUNT_TEXT:
        return 10**LONGEST_COUNT_TEXT
    return int(digits)


def _shown(value: object, limit: int = 40) -> str:
    """A value quoted in an error message, cut short: a hostile body can hold a megabyte in one field."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) < 10**LONGEST_COUNT_TEXT else f"a number of over {LONGEST_COUNT_TEXT} digits"
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _count_problem(value: object) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return f"must be a whole number of at least 0, not {_shown(value)}"
    if value >= limits.MAX_COUNT:
        return f"must be below {limits.MAX_COUNT:,} (no UK constituency comes close), not {_shown(value)}"
    return None


def _texts(entry: ContestInput) -> Iterator[tuple[str, str | None, int]]:
    """Every text an entry stores, as (field, value, longest the column holds)."""
    yield "constituency.ons_id", entry.ons_id, limits.ONS_ID_LENGTH
    yield "constituency.name", entry.constituency_name, limits.SEAT_NAME_LENGTH
    yield "region", entry.region, limits.REGION_LENGTH
    yield "country", entry.country, limits.COUNTRY_LENGTH
    yield "county", entry.county, limits.COUNTY_LENGTH
    yield "constituency_kind", entry.constituency_kind, limits.SEAT_KIND_LENGTH
    yield "source", entry.source, limits.SOURCE_LENGTH
    yield "stated_result", entry.stated_result, limits.STATED_RESULT_LENGTH
    yield "entered_by", entry.entered_by, limits.ENTERED_BY_LENGTH
    yield "winner_party", entry.winner_party, limits.PARTY_NAME_LENGTH
    yield "gained_from", entry.gained_from, limits.PARTY_NAME_LENGTH
    for index, candidate in enumerate(entry.candidates):
        yield f"candidates[{index}].name", candidate.name, limits.CANDIDATE_NAME_LENGTH
        # A party may be typed as its full name ("Conservative and Unionist Party"); only a new party
        # must fit the abbreviation column, and only the recorder knows which parties are new.
        yield f"candidates[{index}].party", candidate.party, limits.PARTY_NAME_LENGTH
        yield f"candidates[{index}].party_name", candidate.party_name, limits.PARTY_NAME_LENGTH
        yield f"candidates[{index}].ec_id", candidate.ec_id, limits.EC_ID_LENGTH


def _text_problem(value: str, longest: int) -> str | None:
    if len(value) > longest:
        return f"is longer than {longest} characters ({len(value)})"
    if "\x00" in value:
        return "must not contain a NUL character"  # PostgreSQL refuses one in any text column
    return None


def check(entry: ContestInput) -> tuple[dict[str, str], dict[str, str]]:
    """(errors, inconsistencies) in an entry, each keyed by the field at fault.

    Errors make an entry unstorable. Inconsistencies (votes that do not add up) refuse a desk
    entry, but a published source is stored as published and the disagreement reported.
    """
    errors: dict[str, str] = {}
    if entry.election_kind not in ELECTION_KINDS:
        errors["election.kind"] = f"must be one of {', '.join(ELECTION_KINDS)}, not {_shown(entry.election_kind)}"
    if entry.status not in CONTEST_STATUSES:
        errors["status"] = f"must be one of {', '.join(CONTEST_STATUSES)}, not {_shown(entry.status)}"
    for name, value in (
        ("electorate", entry.electorate),
        ("valid_votes", entry.valid_votes),
        ("rejected", entry.invalid_votes),
        ("stated_majority", entry.stated_majority),
    ):
        problem = None if value is None else _count_problem(value)
        if problem:
            errors[name] = problem
    for name, text, longest in _texts(entry):
        problem = None if text is None else _text_problem(text, longest)
        if problem:
            errors[name] = problem
    errors |= _status_problems(entry)
    if not entry.candidates and entry.status not in (RUSH, RECOUNT):
        errors["candidates"] = "at least one candidate is needed"
    elif len(entry.candidates) > limits.MAX_CANDIDATES:
        errors["candidates"] = (
            f"{len(entry.candidates):,} candidates is more than any ballot has (at most {limits.MAX_CANDIDATES})"
        )
    for index, candidate in enumerate(entry.candidates):
        problem = None if candidate.votes is None else _count_problem(candidate.votes)
        if problem:
            errors[f"candidates[{index}].votes"] = problem
        if candidate.mnis_id is not None and not 0 <= candidate.mnis_id < limits.INTEGER_ID_CEILING:
            errors[f"candidates[{index}].mnis_id"] = f"is not an MNIS party ID: {_shown(candidate.mnis_id)}"
        if not candidate.party or not candidate.party.strip():
            errors[f"candidates[{index}].party"] = "is missing"
    duplicate = _duplicate_candidate(entry.candidates)
    if duplicate:
        errors["candidates"] = duplicate
    if errors:
        return errors, {}
    figures = arithmetic.contest_figures(entry.electorate, entry.valid_votes, entry.invalid_votes, entry.candidates)
    return errors, arithmetic.inconsistencies(figures)


def _status_problems(entry: ContestInput) -> dict[str, str]:
    """What an entry's status requires of it: a rush, a recount and a nominated contest have no figures;
    a rush names its winning party, and only a rush does."""
    problems: dict[str, str] = {}
    if entry.status in NO_FIGURES_STATUSES:
        what = STATUS_WORDS[entry.status]
        for name, value in (
            ("electorate", entry.electorate),
            ("valid_votes", entry.valid_votes),
            ("rejected", entry.invalid_votes),
            ("stated_majority", entry.stated_majority),
        ):
            if value is not None:
                problems[name] = f"must be left out for {what}: it has no figures yet"
        for index, candidate in enumerate(entry.candidates):
            if candidate.votes is not None:
                problems[f"candidates[{index}].votes"] = f"must be left out for {what}: it has no votes yet"
    if entry.status == RUSH:
        if not entry.winner_party or not entry.winner_party.strip():
            problems["winner_party"] = "is required for a rush: the party flashed as the winner, e.g. Lab"
        if entry.gain is False and entry.gained_from:
            problems["gain"] = f"is false (a hold), but gained_from names {_shown(entry.gained_from)}"
    else:
        given: tuple[tuple[str, str | bool | None], ...] = (
            ("winner_party", entry.winner_party),
            ("gained_from", entry.gained_from),
            ("gain", entry.gain),
        )
        for name, rush_only in given:
            if rush_only is not None:
                problems[name] = (
                    f"is only for a rush (status {RUSH!r}); a {entry.status} result's winner and GAIN or HOLD "
                    "come from its votes"
                )
    return problems


def _duplicate_candidate(candidates: tuple[CandidateInput, ...]) -> str | None:
    """A person listed twice for one party, however the name or the party is spelt ("Con" and
    "Conservative", "Jane  Smith" and "jane smith")."""
    seen: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], CandidateInput] = {}
    for candidate in candidates:
        if not candidate.name or not candidate.party:
            continue
        key = (fold(candidate.name), abbreviation_for(candidate.party) or fold(candidate.party))
        seen[key] += 1
        first.setdefault(key, candidate)
    for key, times in seen.items():
        if times > 1:
            listed = first[key]
            return f"{listed.name} ({listed.party}) is listed {times} times"
    return None


def validate(entry: ContestInput, *, strict: bool = True) -> dict[str, str]:
    """Raise InvalidResult for what must not be stored: errors always, inconsistencies when `strict`
    (a published source is stored as published; its summaries say where it contradicts itself).
    Returns the inconsistencies let through."""
    errors, inconsistent = check(entry)
    if strict:
        errors |= inconsistent
    if errors:
        raise InvalidResult(errors)
    return inconsistent


def _int(value: Any, name: str, problems: dict[str, str], *, required: bool, from_text: bool) -> int | None:
    """A count from JSON (a JSON number only: a feed that quotes its numbers may quote anything) or,
    `from_text`, from a CSV cell or a modal box, where everything is text."""
    if value is None or value == "":
        if required:
            problems[name] = "is required"
        return None
    if from_text and isinstance(value, str):
        number = count_from_text(value)
        if number is None and count_from_text(value.strip().removeprefix("-")) is not None:
            problems[name] = f"must not be negative, not {_shown(value.strip())}"
        elif number is None:
            problems[name] = f"must be a whole number written in digits, like 12345 or 12,345, not {_shown(value)}"
        return number
    if isinstance(value, str):
        problems[name] = f"must be a JSON number, not the text {_shown(value)}"
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems[name] = f"must be a whole number, not {_shown(value)}"
        return None
    if value < 0:
        problems[name] = f"must not be negative, not {_shown(value)}"
        return None
    return value


def _text(value: Any, name: str, problems: dict[str, str], *, required: bool) -> str | None:
    """Text with its runs of spaces made one; how long it may be is `check`'s business."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[name] = "is required"
        return None
    if not isinstance(value, str):
        problems[name] = f"must be text, not {_shown(value)}"
        return None
    return " ".join(value.split())


def declaration_problem(declared_at: dt.datetime, election_date: dt.date, now: dt.datetime) -> str | None:
    """Why a declaration time cannot be right, if it cannot: a count is declared after polling day
    starts and before now. Usually a wrong date or time zone; `force` stores it anyway."""
    if declared_at > now + CLOCK_TOLERANCE:
        return f"is in the future ({declared_at.isoformat()}; it is now {now.isoformat(timespec='minutes')})"
    polling_day = declared_at.astimezone(uk_zone()).date()
    if polling_day < election_date:
        return f"is before the election ({declared_at.isoformat()}, but the election is on {election_date.isoformat()})"
    return None


# Longest name a source line quotes: a Slack display name or an /ingest client's own name.
LONGEST_SOURCE_NAME = 80


def desk_source(editor: str, door: str) -> str:
    """The source line's words for a result the desk entered: "results desk (Jane Smith, Slack)"."""
    return f"results desk ({' '.join(editor.split())[:LONGEST_SOURCE_NAME]}, {door})"


def client_source(client: str | None) -> str:
    """The source line's words for a result another system posted to /ingest, under its own name."""
    named = " ".join((client or "").split())[:LONGEST_SOURCE_NAME]
    return f"{named} (via /ingest)" if named else "a system posting to /ingest"


NESTED_TOO_DEEPLY = "nested too deeply"


def entry_from_json(text: str) -> Any:
    """The entry JSON's text as Python values for `parse_entry`, or InvalidResult on `body`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InvalidResult({"body": NESTED_TOO_DEEPLY}) from None
    except ValueError as error:  # also a number of more digits than Python will convert
        raise InvalidResult({"body": f"not valid JSON: {error}"}) from None


def parse_entry(
    data: Any,
    *,
    entered_by: str | None = None,
    source: str = "desk entry",
    from_text: bool = False,
    force: bool = False,
    now: dt.datetime | None = None,
) -> ContestInput:
    """The entry JSON as a ContestInput, or InvalidResult naming every field at fault.

    `from_text`: the entry was read from text (a CSV file, the Slack modal), so counts arrive as digits;
    from JSON they must be JSON numbers. `force` (or `"force": true` in the JSON) stores a declaration
    time that looks wrong (in the future, or before the election); `now` is the clock it is checked by.
    """
    try:
        return _read_entry(data, entered_by, source, from_text, force, now or dt.datetime.now(dt.UTC))
    except RecursionError:
        # A value nested nearly as deep as the JSON parser allows can still be too deep to quote.
        raise InvalidResult({"body": NESTED_TOO_DEEPLY}) from None


def _read_entry(
    data: Any, entered_by: str | None, source: str, from_text: bool, force: bool, now: dt.datetime
) -> ContestInput:
    problems: dict[str, str] = {}
    if not isinstance(data, Mapping):
        raise InvalidResult({"body": "must be a JSON object"})
    forced = data.get("force", False)
    if not isinstance(forced, bool):
        problems["force"] = f"must be true or false, not {_shown(forced)}"
    force = force or forced is True
    election = data.get("election")
    kind = date = None
    if not isinstance(election, Mapping):
        problems["election"] = 'must be an object like {"date": "2017-02-23", "kind": "by-election"}'
    else:
        kind = election.get("kind")
        if kind not in ENTRY_KINDS:
            problems["election.kind"] = f"must be one of {', '.join(ENTRY_KINDS)}, not {_shown(kind)}"
        try:
            date = dt.date.fromisoformat(str(election.get("date")))
        except ValueError:
            problems["election.date"] = f"must be a date like 2017-02-23, not {_shown(election.get('date'))}"
    seat = data.get("constituency")
    ons_id = name = None
    if not isinstance(seat, Mapping):
        problems["constituency"] = 'must be an object like {"ons_id": "E14000647", "name": "Copeland"}'
    else:
        ons_id = _text(seat.get("ons_id"), "constituency.ons_id", problems, required=False)
        name = _text(seat.get("name"), "constituency.name", problems, required=False)
        if ons_id and not ONS_ID.match(ons_id):
            problems["constituency.ons_id"] = f"must be an ONS code like E14000647, not {_shown(ons_id)}"
        if not ons_id and not name:
            problems["constituency"] = "needs an ons_id or a name"
    status = data.get("status", DECLARED)
    if status not in CONTEST_STATUSES:
        problems["status"] = f"must be one of {', '.join(CONTEST_STATUSES)}, not {_shown(status)}"
    # Figures are required of a full result; of a rush, a recount or a nominated contest `check` says
    # they must be left out.
    full = status not in NO_FIGURES_STATUSES
    electorate = _int(data.get("electorate"), "electorate", problems, required=full, from_text=from_text)
    valid = _int(data.get("valid_votes"), "valid_votes", problems, required=full, from_text=from_text)
    rejected = _int(data.get("rejected"), "rejected", problems, required=False, from_text=from_text)
    winner_party = _text(data.get("winner_party"), "winner_party", problems, required=status == RUSH)
    gained_from = _text(data.get("gained_from"), "gained_from", problems, required=False)
    gain = data.get("gain")
    if gain is not None and not isinstance(gain, bool):
        problems["gain"] = f"must be true or false, not {_shown(gain)}"
        gain = None
    declared_at = None
    if data.get("declared_at"):
        try:
            declared_at = dt.datetime.fromisoformat(str(data["declared_at"]))
        except ValueError:
            problems["declared_at"] = (
                f"must be an ISO time like 2017-02-24T02:12:00+00:00, not {_shown(data['declared_at'])}"
            )
        if declared_at is not None and declared_at.tzinfo is None:
            problems["declared_at"] = "needs a time zone, e.g. 2017-02-24T02:12:00+00:00"
        elif declared_at is not None and date is not None and not force:
            wrong = declaration_problem(declared_at, date, now)
            if wrong:
                problems["declared_at"] = f"{wrong}: check the date and its time zone; if it is right, {FORCE_HINT}"
    candidates: list[CandidateInput] = []
    raw_candidates = data.get("candidates")
    if raw_candidates in (None, []) and status in (RUSH, RECOUNT):
        pass  # a rush or a recount may come before anyone has listed the candidates
    elif not isinstance(raw_candidates, list) or not raw_candidates:
        problems["candidates"] = "must be a non-empty list of {name, party, votes}"
    else:
        for index, raw in enumerate(raw_candidates):
            where = f"candidates[{index}]"
            if not isinstance(raw, Mapping):
                problems[where] = "must be an object with name, party and votes"
                continue
            candidate_name = _text(raw.get("name"), f"{where}.name", problems, required=True)
            party = _text(raw.get("party"), f"{where}.party", problems, required=True)
            votes = _int(raw.get("votes"), f"{where}.votes", problems, required=full, from_text=from_text)
            if candidate_name and party and (votes is not None or not full):
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
        winner_party=winner_party,
        gained_from=gained_from,
        gain=gain,
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
    "winner_party",
    "gained_from",
    "declared_at",
    "candidate",
    "party",
    "votes",
)


def entry_from_csv(text: str) -> dict[str, Any]:
    """One contest as CSV, a row per candidate (columns CSV_COLUMNS; contest columns repeat), as the
    JSON form with every value as text, so both go through `parse_entry` (with `from_text=True`)."""
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
        "winner_party": first.get("winner_party") or None,
        "gained_from": first.get("gained_from") or None,
        "declared_at": first.get("declared_at") or None,
        "candidates": [{"name": r.get("candidate"), "party": r.get("party"), "votes": r.get("votes")} for r in rows],
    }
