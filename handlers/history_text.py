"""`resultsbot history` in words: every version of a contest, who entered it and when, and its posts."""

from __future__ import annotations

import datetime as dt

from store.history import ContestHistory


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "unknown time"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def history_lines(history: ContestHistory) -> list[str]:
    lines = [f"{history.constituency} ({history.ons_id}), {history.election_name}"]
    for version in history.versions:
        facts = version.facts
        mark = " (current)" if facts.is_current else ""
        lines.append(
            f"  v{facts.version}{mark}: {facts.status}, entered by {version.entered_by} at {_when(version.entered_at)}"
        )
        if version.changes is None:
            total = ", ".join(
                f"{c.name or c.party_name} ({c.party}) {c.votes:,}" if c.votes is not None else f"{c.name} ({c.party})"
                for c in facts.candidates
            )
            lines.append(f"      {total}")
        else:
            said = (
                "; ".join(version.changes) if version.changes else f"status {version.previous_status} → {facts.status}"
            )
            lines.append(f"      {said}")
        for feed_file in version.feed_files:
            lines.append(f"      From {feed_file.name} (revision {feed_file.revision})")
            for disagreement in feed_file.disagreements:
                lines.append(f"        the source disagrees: {disagreement}")
        for post in version.posts:
            if post.posted:
                where = "in a digest " if post.in_digest else ""
                state = f"posted to {post.channel} {where}(ts {post.message_ts})"
            else:
                state = f"{post.status} for {post.channel}, {post.attempts} attempt(s)"
                if post.last_error:
                    state += f", last error: {post.last_error}"
            lines.append(f"      Slack: {state}")
    return lines
