"""Kinds of election and contest status, and how elections are named: plain values, no database.

Every place that words an election kind ("by-election", "general election") or names an election
("2019 general election", "23 February 2017 by-election") takes it from here.
"""

from __future__ import annotations

import datetime as dt

GENERAL = "general"
BY_ELECTION = "by-election"
NOTIONAL = "notional"
ELECTION_KINDS = (GENERAL, BY_ELECTION, NOTIONAL)

# The life of a declaration: candidates nominated; on the night a rush (the winner flashed, figures
# to come) or a recount; then the full result, provisional or declared, and later perhaps corrected.
NOMINATED = "nominated"
RUSH = "rush"
RECOUNT = "recount"
PROVISIONAL = "provisional"
DECLARED = "declared"
CORRECTED = "corrected"
CONTEST_STATUSES = (NOMINATED, RUSH, RECOUNT, PROVISIONAL, DECLARED, CORRECTED)
# Statuses with no figures yet: a later full result replaces them, and they never replace one.
NO_FIGURES_STATUSES = (NOMINATED, RUSH, RECOUNT)
FULL_RESULT_STATUSES = (PROVISIONAL, DECLARED, CORRECTED)
# A result a tally counts: declared, or declared and since corrected.
COUNTED_STATUSES = (DECLARED, CORRECTED)


def stage(status: str) -> int:
    """How far a contest's declaration has got: nominated 0, rush or recount 1, a full result 2. An
    entry at an earlier stage than the stored contest's is out of order (`store.enter_result`)."""
    if status == NOMINATED:
        return 0
    return 1 if status in NO_FIGURES_STATUSES else 2


# What a reader calls each kind, in a sentence or a query ("copeland 2017 by-election").
KIND_WORDS = {GENERAL: "general election", BY_ELECTION: "by-election", NOTIONAL: "notional result"}

NEW_BOUNDARIES_FROM = dt.date(2024, 7, 4)

# Parliament numbers by the general election that elected them, for naming and the HoC layout.
GENERAL_ELECTIONS: dict[int, dt.date] = {
    54: dt.date(2005, 5, 5),
    55: dt.date(2010, 5, 6),
    56: dt.date(2015, 5, 7),
    57: dt.date(2017, 6, 8),
    58: dt.date(2019, 12, 12),
    59: dt.date(2024, 7, 4),
}

# Results are declared in UK local time; a naive time in a source means this zone.
NEWSROOM_TZ = "Europe/London"


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind)


def boundary_set_for(kind: str, date: dt.date) -> str:
    if kind == NOTIONAL:
        return "2024" if date >= dt.date(2019, 12, 12) else "2010"
    return "2024" if date >= NEW_BOUNDARIES_FROM else "2010"


def parliament_for(kind: str, date: dt.date) -> int | None:
    if kind == NOTIONAL:
        return next((n + 1 for n, held in GENERAL_ELECTIONS.items() if held == date), None)
    elected = [n for n, held in GENERAL_ELECTIONS.items() if held <= date]
    return max(elected) if elected else None


def election_name(kind: str, date: dt.date) -> str:
    if kind == GENERAL:
        return f"{date.year} {kind_words(GENERAL)}"
    if kind == NOTIONAL:
        return f"{date.year} general election (notional, {boundary_set_for(kind, date)} boundaries)"
    return f"{date.day} {date:%B %Y} {kind_words(BY_ELECTION)}"


def uk_zone() -> dt.tzinfo:
    """The newsroom's zone; UTC where the system has no time-zone data (at most an hour out)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(NEWSROOM_TZ)
    except ZoneInfoNotFoundError:
        return dt.UTC
