"""The desk editor's entry modal: what it shows for a seat (prefilled from the result being declared
or corrected) and its Block Kit view, inside Slack's modal limits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from handlers.blocks import clip, escape, neutralise, size
from store.answers import ResultsService
from store.elections import BY_ELECTION, DECLARED, GENERAL, NOMINATED, PROVISIONAL, RECOUNT, RUSH, uk_zone
from store.summary import Summary

CALLBACK_ID = "result_entry"
RECENT_DAYS = 30  # a contest this recent (or still provisional) is the one being declared or corrected

# Slack's modal limits: 100 blocks, 3,000 characters of private_metadata, a 24-character title, 2,000
# for an input label, 150 for a placeholder, 3,000 for a plain_text_input.
MAX_BLOCKS = 100
METADATA_LIMIT = 3000
LABEL_LIMIT = 2000
TEXT_INPUT_LIMIT = 3000

# Block IDs; the submission's errors are keyed by them, so they are part of the contract with Slack.
DATE_BLOCK = "election_date"
KIND_BLOCK = "election_kind"
STATUS_BLOCK = "status"
ELECTORATE_BLOCK = "electorate"
VALID_BLOCK = "valid_votes"
REJECTED_BLOCK = "rejected"
OTHERS_BLOCK = "others"
WINNER_BLOCK = "winner_party"
GAINED_FROM_BLOCK = "gained_from"
CANDIDATE_PREFIX = "cand:"
# Seat section, note, date, kind, status, winner, gained from, electorate, valid votes, rejected (+ others).
FIXED_BLOCKS = 10
MAX_CANDIDATE_BOXES = MAX_BLOCKS - FIXED_BLOCKS - 1

KINDS = ((BY_ELECTION, "By-election"), (GENERAL, "General election"))
STATUSES = (
    (PROVISIONAL, "Provisional"),
    (DECLARED, "Declared"),
    (RUSH, "Rush: winner known, figures to come"),
    (RECOUNT, "Recount under way"),
)


@dataclass(frozen=True)
class KnownCandidate:
    name: str
    party: str
    votes: int | None = None


@dataclass
class EntryForm:
    """What the modal shows, and (as private_metadata) what its submission needs to be understood."""

    ons_id: str
    seat: str
    channel_id: str
    response_url: str
    candidates: list[KnownCandidate] = field(default_factory=list)
    election_date: dt.date | None = None
    election_kind: str = BY_ELECTION
    status: str = DECLARED
    electorate: int | None = None
    valid_votes: int | None = None
    rejected: int | None = None
    prefilled_from: str | None = None  # the contest the figures came from, to say so in the modal
    others_text: str = ""
    left_out: int = 0  # known candidates too many for the modal to hold at all

    def metadata(self) -> str:
        return json.dumps(
            {
                "ons_id": self.ons_id,
                "seat": self.seat,
                "channel_id": self.channel_id,
                "response_url": self.response_url,
                "candidates": [[c.name, c.party] for c in self.candidates],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def fit(self) -> EntryForm:
        """Keep the modal inside Slack's limits: known candidates that would not fit in a vote box of their
        own (too many blocks, or too much private_metadata) are prefilled as lines in the others box."""
        overflow: list[KnownCandidate] = []
        while self.candidates and (
            len(self.candidates) > MAX_CANDIDATE_BOXES or size(self.metadata()) > METADATA_LIMIT
        ):
            overflow.insert(0, self.candidates.pop())
        lines = [f"{c.name}, {c.party}, {'' if c.votes is None else c.votes}" for c in overflow]
        kept: list[str] = []
        for line in lines:
            if size("\n".join([*kept, line])) > TEXT_INPUT_LIMIT:
                break
            kept.append(line)
        # Whole lines only: a cut line would be a wrong candidate. Those left out are said so in the
        # modal, and the votes will not add up without them, so nothing incomplete can be stored.
        self.left_out = len(lines) - len(kept)
        self.others_text = "\n".join(kept)
        return self


def london_today() -> dt.date:
    return dt.datetime.now(uk_zone()).date()


def is_current(summary: Summary, today: dt.date) -> bool:
    """Is this the result being declared or corrected now, whose candidates the desk will want? The
    nominations are always: they are who stands in the count the desk is about to enter."""
    if summary.status in (PROVISIONAL, NOMINATED):
        return True
    return summary.election_date >= today - dt.timedelta(days=RECENT_DAYS)


def latest_summary(results: ResultsService, summary: Summary) -> Summary:
    """The seat's most recent contest: `ask` prefers a real result over a notional one, which is what a
    reporter wants, but the desk is entering the next result, so only the latest of all counts."""
    contests = [c for c in results.directory.contests_for(summary.constituency) if c.ons_id == summary.ons_id]
    latest = max(contests, key=lambda c: c.election_date, default=None)
    if latest is None or latest.contest_id == summary.contest_id:
        return summary
    return results.summary(latest.contest_id)


def form_for(
    summary: Summary,
    *,
    channel_id: str,
    response_url: str,
    kind_hint: str | None = None,
    today: dt.date | None = None,
    prefill: bool = False,
    election: tuple[dt.date, str] | None = None,
) -> EntryForm:
    """The form for a seat: `election` (date, kind) is the night's election when one is under way."""
    today = today or london_today()
    form = EntryForm(
        ons_id=summary.ons_id,
        seat=summary.constituency,
        channel_id=channel_id,
        response_url=response_url,
        election_date=election[0] if election else today,
        election_kind=kind_hint if kind_hint in (BY_ELECTION, GENERAL) else election[1] if election else BY_ELECTION,
    )
    if prefill or is_current(summary, today):
        form.candidates = [KnownCandidate(neutralise(c.name), c.party, c.votes) for c in summary.candidates if c.name]
        form.election_date = summary.election_date
        if summary.election_kind in (BY_ELECTION, GENERAL):
            form.election_kind = summary.election_kind
        form.electorate, form.valid_votes, form.rejected = summary.electorate, summary.valid_votes, summary.rejected
        form.prefilled_from = f"{summary.election_name} ({summary.status}, version {summary.version})"
    return form.fit()


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label), "value": value}


def _radio(block_id: str, label: str, choices: Sequence[tuple[str, str]], initial: str) -> dict[str, Any]:
    options = [_option(value, text) for value, text in choices]
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}


def _number(block_id: str, label: str, initial: int | None, *, optional: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": "value",
        "is_decimal_allowed": False,
        "min_value": "0",
    }
    if initial is not None and initial >= 0:
        element["initial_value"] = str(initial)
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(clip(label, LABEL_LIMIT)),
        "element": element,
        "optional": optional,
    }


def _party_box(block_id: str, label: str, hint: str) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": _plain(label),
        "hint": _plain(hint),
        "element": {"type": "plain_text_input", "action_id": "value", "max_length": 100},
    }


def modal_view(form: EntryForm) -> dict[str, Any]:
    seat = escape(neutralise(form.seat))
    if form.prefilled_from:
        note = (
            f"Figures prefilled from the {escape(form.prefilled_from)} result. "
            "Check every box: a changed figure is stored as a new version."
        )
    else:
        note = "No current result for this seat: add every candidate in the box at the bottom."
    if form.left_out:
        note += (
            f" {form.left_out} more candidates do not fit in a Slack form: enter this result with"
            " `resultsbot enter` or POST /ingest instead."
        )
    date = form.election_date or london_today()
    blocks: list[dict[str, Any]] = [
        {"type": "section", "block_id": "seat", "text": {"type": "mrkdwn", "text": f"*{seat}* ({form.ons_id})"}},
        {"type": "context", "block_id": "note", "elements": [{"type": "mrkdwn", "text": note}]},
        {
            "type": "input",
            "block_id": DATE_BLOCK,
            "label": _plain("Election date"),
            "element": {"type": "datepicker", "action_id": "value", "initial_date": date.isoformat()},
        },
        _radio(KIND_BLOCK, "Election", KINDS, form.election_kind),
        _radio(STATUS_BLOCK, "Status", STATUSES, form.status),
        _party_box(WINNER_BLOCK, "Winning party (rush only)", "Flashed as the winner, e.g. Lab"),
        _party_box(
            GAINED_FROM_BLOCK, "Gained from (rush only)", "Blank for a hold, or to work it out from the last result"
        ),
        # Figures are optional in the form: a rush or a recount has none, and the store says which
        # box a full result still needs.
        _number(ELECTORATE_BLOCK, "Electorate", form.electorate, optional=True),
        _number(VALID_BLOCK, "Valid votes", form.valid_votes, optional=True),
        _number(REJECTED_BLOCK, "Rejected ballots", form.rejected, optional=True),
    ]
    for index, candidate in enumerate(form.candidates):
        label = f"{candidate.name} ({candidate.party})"
        blocks.append(_number(f"{CANDIDATE_PREFIX}{index}", label, candidate.votes, optional=True))
    others: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": TEXT_INPUT_LIMIT,
        "placeholder": _plain("Jane Smith, Green, 1234"),
    }
    if form.others_text:
        others["initial_value"] = form.others_text
    blocks.append(
        {
            "type": "input",
            "block_id": OTHERS_BLOCK,
            "optional": True,
            "label": _plain("Other candidates, one per line: Name, Party, Votes"),
            "hint": _plain("Party as its abbreviation (Lab, Con, LD, Green…) or its full name."),
            "element": others,
        }
    )
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain("Enter result"),
        "submit": _plain("Store result"),
        "close": _plain("Cancel"),
        "private_metadata": form.metadata(),
        "blocks": blocks,
    }
