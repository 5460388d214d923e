"""Every version of one contest, for `resultsbot history`: what changed, who entered it, when."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.changes import figure_changes
from store.models import Contest, OutboxEntry, with_candidates


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "unknown time"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def contest_history(session: Session, contest_id: int) -> list[str]:
    current = session.get(Contest, contest_id)
    if current is None:
        return [f"No contest {contest_id}."]
    versions = list(
        session.scalars(
            select(Contest)
            .where(Contest.election_id == current.election_id, Contest.constituency_id == current.constituency_id)
            .order_by(Contest.version)
            .options(*with_candidates())
        )
    )
    # One post per results channel for each version.
    posts: dict[int, list[OutboxEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(OutboxEntry).where(OutboxEntry.contest_id.in_([v.id for v in versions])).order_by(OutboxEntry.id)
    ):
        posts[entry.contest_id].append(entry)
    lines = [f"{current.constituency.name} ({current.constituency.ons_id}), {current.election.name}"]
    previous = None
    for version in versions:
        who = version.entered_by or version.source
        mark = " (current)" if version.is_current else ""
        lines.append(f"  v{version.version}{mark}: {version.status}, entered by {who} at {_when(version.entered_at)}")
        if previous is None:
            total = ", ".join(
                f"{c.candidate_name or c.party.name} ({c.party.abbreviation}) {c.votes:,}"
                if c.votes is not None
                else f"{c.candidate_name} ({c.party.abbreviation})"
                for c in version.candidacies
            )
            lines.append(f"      {total}")
        else:
            changes = figure_changes(previous, version)
            lines.append("      " + ("; ".join(changes) if changes else f"status {previous.status} → {version.status}"))
        for post in posts[version.id]:
            state = (
                f"posted to {post.channel} (ts {post.message_ts})"
                if post.status == "done"
                else (
                    f"{post.status} for {post.channel}, {post.attempts} attempt(s)"
                    + (f", last error: {post.last_error}" if post.last_error else "")
                )
            )
            lines.append(f"      Slack: {state}")
        previous = version
    return lines
