"""Reading what a desk editor submitted in the entry modal: the modal's state as entry JSON, checked
by the store, with every problem placed on the field it belongs to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handlers.blocks import clip
from handlers.entry_form import (
    CANDIDATE_PREFIX,
    DATE_BLOCK,
    ELECTORATE_BLOCK,
    GAINED_FROM_BLOCK,
    KIND_BLOCK,
    OTHERS_BLOCK,
    REJECTED_BLOCK,
    STATUS_BLOCK,
    VALID_BLOCK,
    WINNER_BLOCK,
)
from store.contest_input import ContestInput, InvalidResult, desk_source, parse_entry
from store.elections import DECLARED, RECOUNT, RUSH
from store.enter_result import check

DOOR = "Slack"
FIELD_BLOCKS = {
    "electorate": ELECTORATE_BLOCK,
    "valid_votes": VALID_BLOCK,
    "rejected": REJECTED_BLOCK,
    "status": STATUS_BLOCK,
    "election": DATE_BLOCK,
    "election.date": DATE_BLOCK,
    "election.kind": KIND_BLOCK,
    "candidates": OTHERS_BLOCK,
    "winner_party": WINNER_BLOCK,
    "gained_from": GAINED_FROM_BLOCK,
    "gain": GAINED_FROM_BLOCK,
}
FIELD_LABELS = {
    "electorate": "Electorate",
    "valid_votes": "Valid votes",
    "rejected": "Rejected ballots",
    "status": "Status",
    "election.date": "Election date",
    "election.kind": "Election",
    "winner_party": "Winning party",
    "gained_from": "Gained from",
    "votes": "Votes",
    "name": "Name",
    "party": "Party",
}
# Messages from the store that read as the end of a sentence about the field ("is required").
_PREDICATE = re.compile(r"^(is|must|needs)\b")
_CANDIDATE_FIELD = re.compile(r"^candidates\[(\d+)\](?:\.(\w+))?$")
# "Name, Party, Votes". The name is matched lazily so a comma in it (or in "1,234") still splits right.
_OTHER_LINE = re.compile(r"^(?P<name>.+?)\s*,\s*(?P<party>[^,]+?)\s*,\s*(?P<votes>\d[\d,]*)$")


@dataclass
class Submission:
    """The modal's state as entry JSON, with where each candidate came from, for placing errors."""

    data: dict[str, Any]
    candidate_blocks: list[str]  # block ID per entry in data["candidates"]
    candidate_lines: list[int]  # others-box line number per candidate (0 for a known candidate's box)
    errors: dict[str, str]  # block ID -> message, found before the store sees it


def _state_value(values: Mapping[str, Any], block_id: str) -> Any:
    actions = values.get(block_id)
    if not isinstance(actions, Mapping) or not actions:
        return None
    action = next(iter(actions.values()))
    if not isinstance(action, Mapping):
        return None
    if "selected_date" in action:
        return action.get("selected_date")
    if "selected_option" in action:
        option = action.get("selected_option")
        return option.get("value") if isinstance(option, Mapping) else None
    return action.get("value")


def _count(raw: Any) -> str | None:
    """A number box's value as typed: the store reads it as text (`parse_entry(from_text=True)`) and
    names what is wrong with it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return str(raw).strip()


def parse_others(text: str | None) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Lines of "Name, Party, Votes" as (line number, candidate JSON), and what is wrong with the rest."""
    candidates: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        matched = _OTHER_LINE.match(line)
        if matched:
            candidates.append((number, {"name": matched["name"], "party": matched["party"], "votes": matched["votes"]}))
            continue
        parts = [p.strip() for p in line.rsplit(",", 2)]
        if len(parts) == 3 and all(parts):
            # Well formed but for the votes ("-5", "12.5", "lots"): the store says exactly what is wrong.
            candidates.append((number, {"name": parts[0], "party": parts[1], "votes": _count(parts[2])}))
            continue
        problems.append(
            f"Line {number} (“{clip(line, 60)}”) should be Name, Party, Votes, e.g. Jane Smith, Green, 1234."
        )
    return candidates, problems


def read_submission(values: Mapping[str, Any], metadata: Mapping[str, Any]) -> Submission:
    known = [c for c in metadata.get("candidates") or [] if isinstance(c, list) and len(c) == 2]
    candidates: list[dict[str, Any]] = []
    blocks: list[str] = []
    lines: list[int] = []
    for index, (name, party) in enumerate(known):
        block_id = f"{CANDIDATE_PREFIX}{index}"
        candidates.append({"name": name, "party": party, "votes": _count(_state_value(values, block_id))})
        blocks.append(block_id)
        lines.append(0)
    others, problems = parse_others(_state_value(values, OTHERS_BLOCK))
    for number, candidate in others:
        candidates.append(candidate)
        blocks.append(OTHERS_BLOCK)
        lines.append(number)
    status = _state_value(values, STATUS_BLOCK) or DECLARED
    errors: dict[str, str] = {}
    if problems:
        errors[OTHERS_BLOCK] = " ".join(problems)
    elif not candidates and status not in (RUSH, RECOUNT):  # a flash or a recount may list no one
        errors[OTHERS_BLOCK] = "Add the candidates, one per line: Name, Party, Votes."
    data = {
        "election": {"date": _state_value(values, DATE_BLOCK), "kind": _state_value(values, KIND_BLOCK)},
        "constituency": {"ons_id": metadata.get("ons_id"), "name": metadata.get("seat")},
        "electorate": _count(_state_value(values, ELECTORATE_BLOCK)),
        "valid_votes": _count(_state_value(values, VALID_BLOCK)),
        "rejected": _count(_state_value(values, REJECTED_BLOCK)),
        "status": status,
        "winner_party": _state_value(values, WINNER_BLOCK) or None,
        "gained_from": _state_value(values, GAINED_FROM_BLOCK) or None,
        "candidates": candidates,
    }
    return Submission(data, blocks, lines, errors)


def _sentence(label: str, message: str) -> str:
    if _PREDICATE.match(message):
        return f"{label} {message}"
    return message[:1].upper() + message[1:]


def place_problems(problems: Mapping[str, str], submission: Submission) -> dict[str, str]:
    """The store's problems (keyed by entry field) as messages on the modal's blocks."""
    placed: dict[str, list[str]] = {}
    for name, message in problems.items():
        candidate = _CANDIDATE_FIELD.match(name)
        if candidate and int(candidate[1]) < len(submission.candidate_blocks):
            index = int(candidate[1])
            block_id = submission.candidate_blocks[index]
            text = _sentence(FIELD_LABELS.get(candidate[2] or "", "This candidate"), message)
            if block_id == OTHERS_BLOCK:
                text = f"Line {submission.candidate_lines[index]}: {text[:1].lower()}{text[1:]}"
        elif name in FIELD_BLOCKS:
            block_id = FIELD_BLOCKS[name]
            text = _sentence(FIELD_LABELS.get(name, "This"), message)
        else:
            # Nothing in the modal holds this field (the seat, say): show it at the top, named.
            block_id = DATE_BLOCK
            text = f"{name}: {message}"
        placed.setdefault(block_id, []).append(text if text.endswith(".") else f"{text}.")
    return {block_id: " ".join(texts) for block_id, texts in placed.items()}


def validate_submission(
    submission: Submission, entered_by: str, editor_name: str | None = None
) -> tuple[ContestInput | None, dict[str, str]]:
    """(ContestInput, {}) for a storable entry, else (None, errors by block ID). A desk entry must add
    up, so the store's inconsistencies count as errors here, as they do in `store.enter_result`. The
    result is credited to the editor by `editor_name` (their Slack name), else by `entered_by`."""
    if submission.errors:
        return None, submission.errors
    source = desk_source(editor_name or entered_by, DOOR)
    try:
        entry = parse_entry(submission.data, entered_by=entered_by, source=source, from_text=True)
    except InvalidResult as invalid:
        return None, place_problems(invalid.problems, submission)
    problems = check(entry)
    if problems:
        return None, place_problems(problems, submission)
    return entry, {}
