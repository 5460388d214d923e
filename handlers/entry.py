"""`/result enter SEAT`: the desk editor's modal, and storing what it submits.

The command opens a modal for one seat; the submission is validated before it is acknowledged, so
every problem is shown on the field it belongs to while the modal is still open, and only a clean
entry closes it and goes through the desk's one door (`Desk.enter`). Only editors (RESULTSBOT_EDITORS,
or members of the RESULTSBOT_EDITOR_GROUP user group) may open or submit it; both are checked.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.config import Settings
from handlers.blocks import clip, escape, neutralise, size
from handlers.replies import deliver, notice
from store.entry import parse_entry
from store.lookup import parse_query
from store.models import BY_ELECTION, DECLARED, GENERAL, PROVISIONAL
from store.queries import FOUND, ResultsService
from store.record import ContestInput, InvalidResult, check
from store.summary import Summary

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)

CALLBACK_ID = "result_entry"
SOURCE = "Slack modal"
REFUSAL = (
    "Sorry, only the results desk can enter results. Ask an editor to add you to RESULTSBOT_EDITORS "
    "(or to the desk's Slack user group) if you need to."
)
LOOKUP_FAILED = " (I couldn't check the editors' user group just now, so try again in a minute if you are on it.)"
SORRY = "Sorry, something went wrong storing that result; nothing was stored. The desk has been told."
OPEN_FAILED = "Sorry, Slack wouldn't open the entry form just now. Please run `/result enter {seat}` again."

GROUP_CACHE_SECONDS = 60.0
RECENT_DAYS = 30  # a contest this recent (or still provisional) is the one being declared or corrected
NEWSROOM_TZ = "Europe/London"

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
CANDIDATE_PREFIX = "cand:"
FIXED_BLOCKS = 8  # seat section, note, date, kind, status, electorate, valid votes, rejected (+ others)
MAX_CANDIDATE_BOXES = MAX_BLOCKS - FIXED_BLOCKS - 1

KINDS = ((BY_ELECTION, "By-election"), (GENERAL, "General election"))
STATUSES = ((PROVISIONAL, "Provisional"), (DECLARED, "Declared"))
FIELD_BLOCKS = {
    "electorate": ELECTORATE_BLOCK,
    "valid_votes": VALID_BLOCK,
    "rejected": REJECTED_BLOCK,
    "status": STATUS_BLOCK,
    "election": DATE_BLOCK,
    "election.date": DATE_BLOCK,
    "election.kind": KIND_BLOCK,
    "candidates": OTHERS_BLOCK,
}
FIELD_LABELS = {
    "electorate": "Electorate",
    "valid_votes": "Valid votes",
    "rejected": "Rejected ballots",
    "status": "Status",
    "election.date": "Election date",
    "election.kind": "Election",
    "votes": "Votes",
    "name": "Name",
    "party": "Party",
}
# Messages from the store that read as the end of a sentence about the field ("is required").
_PREDICATE = re.compile(r"^(is|must|needs)\b")
_CANDIDATE_FIELD = re.compile(r"^candidates\[(\d+)\](?:\.(\w+))?$")
# "Name, Party, Votes". The name is matched lazily so a comma in it (or in "1,234") still splits right.
_OTHER_LINE = re.compile(r"^(?P<name>.+?)\s*,\s*(?P<party>[^,]+?)\s*,\s*(?P<votes>\d[\d,]*)$")

EditorStatus = Literal["editor", "not_editor", "unknown"]


# ---------------------------------------------------------------------------------------------------------
# Who may enter results


class GroupMembers:
    """Members of Slack user groups, remembered briefly: a modal's open and submit would otherwise
    each cost an API call, and Slack rate-limits usergroups.users.list (tier 2)."""

    def __init__(self, ttl_seconds: float = GROUP_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._members: dict[tuple[str, str], tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def members(self, client: WebClient, group_id: str) -> frozenset[str]:
        """The group's user IDs; raises SlackApiError (or a connection error) when Slack cannot say."""
        # Keyed by API URL too, so tests pointing clients at different fakes never share answers.
        key = (str(client.base_url), group_id)
        now = self.clock()
        with self._lock:
            cached = self._members.get(key)
            if cached is not None and now - cached[0] < self.ttl:
                return cached[1]
        # This runs before a form submission is acked (3 s), so: one quick try, no retries.
        quick = WebClient(token=client.token, base_url=client.base_url, timeout=2, retry_handlers=[])
        response = quick.usergroups_users_list(usergroup=group_id)
        users = frozenset(str(u) for u in response.get("users") or ())
        with self._lock:
            self._members[key] = (self.clock(), users)
        return users

    def clear(self) -> None:
        with self._lock:
            self._members.clear()


GROUPS = GroupMembers()


def editor_status(
    user_id: str, settings: Settings, client: WebClient, groups: GroupMembers | None = None
) -> EditorStatus:
    """Whether `user_id` may enter results: "unknown" when the group could not be read, which denies too."""
    if user_id and user_id in settings.editors:
        return "editor"
    if not user_id or not settings.editor_group:
        return "not_editor"
    try:
        members = (groups or GROUPS).members(client, settings.editor_group)
    except Exception as error:  # an API error, a timeout: deny, but say why in the log
        log.warning("could not read editor group %s to check user %s: %s", settings.editor_group, user_id, error)
        return "unknown"
    return "editor" if user_id in members else "not_editor"


def refusal(status: EditorStatus) -> str:
    return REFUSAL + (LOOKUP_FAILED if status == "unknown" else "")


# ---------------------------------------------------------------------------------------------------------
# The modal


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
    try:
        return dt.datetime.now(ZoneInfo(NEWSROOM_TZ)).date()
    except ZoneInfoNotFoundError:  # a slim image without tzdata: UTC is at most a day out
        return dt.datetime.now(dt.UTC).date()


def is_current(summary: Summary, today: dt.date) -> bool:
    """Is this the result being declared or corrected now, whose candidates the desk will want?"""
    return summary.status == PROVISIONAL or summary.election_date >= today - dt.timedelta(days=RECENT_DAYS)


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
        _number(ELECTORATE_BLOCK, "Electorate", form.electorate),
        _number(VALID_BLOCK, "Valid votes", form.valid_votes),
        _number(REJECTED_BLOCK, "Rejected ballots", form.rejected, optional=True),
    ]
    for index, candidate in enumerate(form.candidates):
        blocks.append(_number(f"{CANDIDATE_PREFIX}{index}", f"{candidate.name} ({candidate.party})", candidate.votes))
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


def open_entry_modal(
    services: Services,
    seat_query: str,
    *,
    user_id: str,
    channel_id: str,
    trigger_id: str,
    response_url: str,
    client: WebClient,
    respond: Respond,
    groups: GroupMembers | None = None,
) -> None:
    """`/result enter SEAT`, after the ack: refuse a non-editor, resolve the seat, open the modal."""
    status = editor_status(user_id, services.settings, client, groups)
    if status != "editor":
        log.warning(
            "refused /result enter from non-editor %s in %s for seat %r%s",
            user_id,
            channel_id,
            seat_query,
            " (editor group unreadable)" if status == "unknown" else "",
        )
        deliver(respond, notice(refusal(status)))
        return
    results = services.store.results
    parsed = parse_query(seat_query)
    if not parsed.seat_text.strip():
        deliver(respond, notice("Which seat? Try e.g. `/result enter copeland`."))
        return
    # A year names the contest to correct ("copeland 2017 by-election"); without one, the latest.
    explicit = parsed.year is not None
    answer = results.ask(seat_query if explicit else parsed.seat_text)
    if answer.kind != FOUND or answer.summary is None:
        deliver(respond, notice(f"{answer.message} Then try `/result enter SEAT` again."))
        return
    summary = answer.summary if explicit else latest_summary(results, answer.summary)
    # Declarations come after midnight: on election night the form should name that night's
    # election (already in the store once its first result is), not today as a by-election.
    today = london_today()
    tonight = results.recent_election(today - dt.timedelta(days=1), today)
    form = form_for(
        summary,
        channel_id=channel_id,
        response_url=response_url,
        kind_hint=parsed.kind,
        prefill=explicit,
        election=tonight,
    )
    try:
        client.views_open(trigger_id=trigger_id, view=modal_view(form))
    except SlackApiError as error:
        # Usually an expired trigger (3 s) or a view Slack rejected: the log has Slack's reason.
        log.error(
            "views.open for %s (%s) by %s failed: %s", form.seat, form.ons_id, user_id, error.response.get("error")
        )
        deliver(respond, notice(OPEN_FAILED.format(seat=parsed.seat_text or seat_query)))
        return
    log.info("entry modal for %s (%s) opened by %s", form.seat, form.ons_id, user_id)


# ---------------------------------------------------------------------------------------------------------
# The submission


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


def _count(raw: Any) -> Any:
    """A number box's value as an int when it is one, else as typed so the store names it in its error."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else text


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
            name, party, votes = matched["name"], matched["party"], matched["votes"].replace(",", "")
            candidates.append((number, {"name": name, "party": party, "votes": int(votes)}))
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
    errors: dict[str, str] = {}
    if problems:
        errors[OTHERS_BLOCK] = " ".join(problems)
    elif not candidates:
        errors[OTHERS_BLOCK] = "Add the candidates, one per line: Name, Party, Votes."
    data = {
        "election": {"date": _state_value(values, DATE_BLOCK), "kind": _state_value(values, KIND_BLOCK)},
        "constituency": {"ons_id": metadata.get("ons_id"), "name": metadata.get("seat")},
        "electorate": _count(_state_value(values, ELECTORATE_BLOCK)),
        "valid_votes": _count(_state_value(values, VALID_BLOCK)),
        "rejected": _count(_state_value(values, REJECTED_BLOCK)),
        "status": _state_value(values, STATUS_BLOCK) or DECLARED,
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


def validate_submission(submission: Submission, entered_by: str) -> tuple[ContestInput | None, dict[str, str]]:
    """(ContestInput, {}) for a storable entry, else (None, errors by block ID). A desk entry must add
    up, so the store's inconsistencies count as errors here, as they do in `Desk.enter`."""
    if submission.errors:
        return None, submission.errors
    try:
        entry = parse_entry(submission.data, entered_by=entered_by, source=SOURCE)
    except InvalidResult as invalid:
        return None, place_problems(invalid.problems, submission)
    errors, inconsistent = check(entry)
    if errors or inconsistent:
        return None, place_problems(errors | inconsistent, submission)
    return entry, {}


def tell(response_url: str | None, text: str, *, client: WebClient, user_id: str) -> None:
    """Tell the editor privately: in the channel they ran the command in, through its response_url,
    else (it expires after 30 minutes) in a direct message from the bot."""
    if response_url:
        try:
            response = WebhookClient(response_url, timeout=10).send(text=text, response_type="ephemeral")
            if response.status_code == 200:
                return
            log.warning("response_url answered %s (%s); sending a DM instead", response.status_code, response.body)
        except Exception as error:
            log.warning("response_url failed (%s); sending a DM instead", error)
    try:
        client.chat_postMessage(channel=user_id, text=text)
    except Exception:
        log.exception("could not tell %s: %s", user_id, text)


def _metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    try:
        loaded = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def register(app: App, services: Services, groups: GroupMembers | None = None) -> None:
    @app.view(CALLBACK_ID)
    def submit_entry(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user_id = str((body.get("user") or {}).get("id") or "")
        metadata = _metadata(view)
        seat = metadata.get("seat") or metadata.get("ons_id") or "?"
        status = editor_status(user_id, services.settings, client, groups)
        if status != "editor":
            log.warning(
                "refused entry-modal submission from non-editor %s for %s (channel %s)",
                user_id,
                seat,
                metadata.get("channel_id"),
            )
            ack(response_action="errors", errors={DATE_BLOCK: refusal(status)})
            return
        if not metadata.get("ons_id"):
            ack(response_action="errors", errors={DATE_BLOCK: "This form has lost its seat; run /result enter again."})
            return
        submission = read_submission((view.get("state") or {}).get("values") or {}, metadata)
        entry, errors = validate_submission(submission, f"slack:{user_id}")
        if entry is None:
            log.info("entry for %s by %s sent back: %s", seat, user_id, errors)
            # The errors must go in the ack itself: that is the only way Slack shows them on the fields.
            ack(response_action="errors", errors=errors)
            return
        ack()
        response_url = metadata.get("response_url")
        try:
            entered = services.desk.enter(entry)
        except InvalidResult as invalid:
            # Checked above, so the store found something only it can see (the seat, a race).
            log.warning("entry for %s by %s refused by the store: %s", seat, user_id, invalid.problems)
            reasons = "; ".join(invalid.problems.values())
            tell(response_url, f"{seat}: not stored. {reasons}.", client=client, user_id=user_id)
            return
        except Exception:
            log.exception("storing the entry for %s by %s failed", seat, user_id)
            tell(response_url, SORRY, client=client, user_id=user_id)
            return
        tell(response_url, entered.message, client=client, user_id=user_id)
