"""`/result enter SEAT`: the desk editor's modal, and storing what it submits.

The command opens a modal for one seat; the submission is validated before it is acknowledged, so
every problem is shown on the field it belongs to while the modal is still open, and only a clean
entry closes it and goes through the desk's one door (`Services.enter`). Only editors
(RESULTSBOT_EDITORS, or members of the RESULTSBOT_EDITOR_GROUP user group) may open or submit it;
both are checked.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from handlers.blocks import message_text
from handlers.editors import refusal
from handlers.entry_form import CALLBACK_ID, DATE_BLOCK, form_for, latest_summary, london_today, modal_view
from handlers.entry_submission import read_submission, validate_submission
from handlers.replies import deliver, notice
from handlers.services import Services, bound
from store.answers import FOUND
from store.contest_input import ContestInput, InvalidResult
from store.lookup import parse_query

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong storing that result; nothing was stored. The desk has been told."
OPEN_FAILED = "Sorry, Slack wouldn't open the entry form just now. Please run `/result enter {seat}` again."


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
) -> None:
    """`/result enter SEAT`, after the ack: refuse a non-editor, resolve the seat, open the modal."""
    status = services.editors.status(user_id, client)
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
    results = services.results
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


def tell(response_url: str | None, text: str, *, client: WebClient, user_id: str) -> None:
    """Tell the editor privately: in the channel they ran the command in, through its response_url,
    else (it expires after 30 minutes) in a direct message from the bot. `text` names seats, parties and
    candidates from the entry, so it is escaped like every message."""
    text = message_text(text)
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
    except (ValueError, RecursionError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


@dataclass(frozen=True)
class Judged:
    entry: ContestInput | None
    errors: dict[str, str]
    user_id: str
    metadata: dict[str, Any]
    refused_as: str  # "non-editor" when the user may not enter results

    @property
    def seat(self) -> str:
        return str(self.metadata.get("seat") or self.metadata.get("ons_id") or "?")


def _judge(body: dict[str, Any], view: dict[str, Any], client: WebClient, services: Services) -> Judged:
    """What to do with a submission: (the entry to store, {}) or (None, errors by block ID)."""
    user = body.get("user") or {}
    user_id = str(user.get("id") or "")
    metadata = _metadata(view)
    status = services.editors.status(user_id, client)  # cached briefly: asked again by the lazy half
    if status != "editor":
        return Judged(None, {DATE_BLOCK: refusal(status)}, user_id, metadata, "non-editor")
    if not metadata.get("ons_id"):
        return Judged(
            None, {DATE_BLOCK: "This form has lost its seat; run /result enter again."}, user_id, metadata, ""
        )
    submission = read_submission((view.get("state") or {}).get("values") or {}, metadata)
    name = user.get("name") or user.get("username")
    entry, errors = validate_submission(submission, f"slack:{user_id}", str(name) if name else None)
    return Judged(entry, errors, user_id, metadata, "")


def check_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, *, services: Services
) -> None:
    """The modal's submission, before the ack: every problem is sent back on its field, which the ack
    is the only way to do; a clean entry closes the modal and `store_submission` stores it."""
    judged = _judge(body, view, client, services)
    if judged.refused_as:
        log.warning(
            "refused entry-modal submission from %s %s for %s (channel %s)",
            judged.refused_as,
            judged.user_id,
            judged.seat,
            judged.metadata.get("channel_id"),
        )
    elif judged.errors:
        log.info("entry for %s by %s sent back: %s", judged.seat, judged.user_id, judged.errors)
    if judged.errors:
        ack(response_action="errors", errors=judged.errors)
        return
    ack()


def store_submission(body: dict[str, Any], view: dict[str, Any], client: WebClient, *, services: Services) -> None:
    """After the ack (a lazy listener): store a clean entry and tell the editor how it went."""
    judged = _judge(body, view, client, services)
    if judged.entry is None:
        return  # sent back by check_submission
    seat, user_id, response_url = judged.seat, judged.user_id, judged.metadata.get("response_url")
    try:
        entered = services.enter(judged.entry)
    except InvalidResult as invalid:
        # Checked before the ack, so the store found something only it can see (the seat, a race).
        log.warning("entry for %s by %s refused by the store: %s", seat, user_id, invalid.problems)
        reasons = "; ".join(invalid.problems.values())
        tell(response_url, f"{seat}: not stored. {reasons}.", client=client, user_id=user_id)
        return
    except Exception:
        log.exception("storing the entry for %s by %s failed", seat, user_id)
        tell(response_url, SORRY, client=client, user_id=user_id)
        return
    tell(response_url, entered.message, client=client, user_id=user_id)


def register(app: App, services: Services) -> None:
    app.view(CALLBACK_ID)(ack=bound(check_submission, services), lazy=[bound(store_submission, services)])
