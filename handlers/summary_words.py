"""Words and tables for a summary, shared by the CLI, the console and Slack's Block Kit renderer.

Each phrase a reporter copies (headline, winner line, swing line, small print) is written once here;
`handlers.blocks` arranges the same phrases into blocks. Numbers go through `store.numbers`, the one
rounding rule.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from store import arithmetic
from store.answers import PersonAnswer, PersonResult
from store.elections import COUNTED_STATUSES, GENERAL, NO_FIGURES_STATUSES, RECOUNT, RUSH, kind_words, uk_zone
from store.numbers import count, decimal, percent, points
from store.scoreboard import PartyTally, Scoreboard
from store.state_of_parties import StateOfParties, compare
from store.summary import SOURCE_NOTE, CandidateLine, OtherContest, Summary, disagreement_note

STATUS_MARKS = {"provisional": "PROVISIONAL", RUSH: "FLASH", RECOUNT: "RECOUNT", "corrected": "CORRECTED"}
# How a pending result's state reads in a sentence ("the 2029 general election result there is ...").
STATUS_WORDS = {"provisional": "provisional", RUSH: "flashed, figures to come", RECOUNT: "at a recount"}
SOURCE_LINE = f"{SOURCE_NOTE}."  # the attribution line under every answer


def title(summary: Summary) -> str:
    """ "Copeland · by-election · Thursday 23 February 2017"."""
    day = summary.election_date
    return f"{summary.constituency} · {summary.kind_label} · {day:%A} {day.day} {day:%B %Y}"


def flash_line(summary: Summary) -> str:
    """What a contest without figures posts and answers first: "FLASH: RUK GAIN Hartlepool from Lab",
    "FLASH: Lab HOLD Hartlepool", "RECOUNT under way in Hartlepool"."""
    seat = summary.constituency
    if summary.status == RECOUNT:
        return f"RECOUNT under way in {seat}"
    if summary.status != RUSH:
        return f"Candidates nominated in {seat}: no result yet"
    label = summary.result_label or ""
    gainer, gain, loser = label.partition(" GAIN from ")
    if gain:
        return f"FLASH: {gainer} GAIN {seat} from {loser}"
    if label.endswith(" HOLD"):
        return f"FLASH: {label.removesuffix(' HOLD')} HOLD {seat}"
    winner = summary.winner.party if summary.winner is not None else "?"
    return f"FLASH: {winner} WIN {seat}"


def awaiting_line(summary: Summary) -> str | None:
    """ "Figures to come." under a flash or a recount; None once a result has figures."""
    if summary.status not in NO_FIGURES_STATUSES:
        return None
    return "Figures to come." if summary.status in (RUSH, RECOUNT) else "No result yet."


def headline(summary: Summary) -> str:
    """The line copied into live blogs: GAIN/HOLD and majority, with any status a reader must see."""
    if summary.status in NO_FIGURES_STATUSES:
        return f"{flash_line(summary)} · {awaiting_line(summary)}"
    parts: list[str] = []
    if summary.status in STATUS_MARKS:
        parts.append(STATUS_MARKS[summary.status])
    if summary.corrected and "CORRECTED" not in parts:
        parts.append("CORRECTED")
    if summary.result_label:
        parts.append(summary.result_label)
    elif summary.winner is not None:
        parts.append(f"{summary.winner.party} win")
    if summary.majority_votes is not None:
        parts.append(f"majority {count(summary.majority_votes)} ({percent(summary.majority_percent)})")
    return " · ".join(parts) if parts else "No winner recorded"


def candidate_name(line: CandidateLine) -> str:
    return line.name or line.party_name


def winner_line(summary: Summary) -> str | None:
    winner = summary.winner
    if winner is None:
        return None
    if winner.votes is None or summary.runner_up is None:
        return f"{candidate_name(winner)} ({winner.party}) elected"
    return (
        f"{candidate_name(winner)} ({winner.party}) elected with {count(winner.votes)} votes, {percent(winner.share)}"
    )


def turnout_phrase(summary: Summary) -> str | None:
    if summary.turnout_percent is None:
        return None
    phrase = f"turnout {percent(summary.turnout_percent)}"
    if summary.turnout_change is not None:
        phrase += f" ({points(summary.turnout_change)})"
    return phrase


def swing_phrase(summary: Summary) -> str | None:
    swing = summary.swing
    if swing is None:
        return None
    return f"swing {decimal(swing.points)} pts {swing.from_party} to {swing.to_party}"


def swing_turnout_line(summary: Summary) -> str | None:
    parts = [p for p in (swing_phrase(summary), turnout_phrase(summary)) if p]
    if not parts:
        return None
    line = " · ".join(parts)
    return line[0].upper() + line[1:]


def change_cell(line: CandidateLine, summary: Summary) -> str:
    if summary.baseline is None:
        return ""
    return points(line.share_change)


def candidate_table(summary: Summary, *, name_width: int = 24) -> str:
    """A fixed-width table of every candidate: name, party, votes, share, change."""
    has_change = summary.baseline is not None
    rows = [("Candidate", "Party", "Votes", "Share", "Change" if has_change else "")]
    for line in summary.candidates:
        name = candidate_name(line)
        if len(name) > name_width:
            name = name[: name_width - 1] + "…"
        rows.append((name, line.party, count(line.votes), percent(line.share), change_cell(line, summary)))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    out = []
    for row in rows:
        cells = [
            row[0].ljust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].rjust(widths[2]),
            row[3].rjust(widths[3]),
            row[4].rjust(widths[4]),
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def baseline_sentence(summary: Summary) -> str | None:
    baseline = summary.baseline
    if baseline is None:
        return None
    detail = []
    if baseline.result_label:
        detail.append(baseline.result_label)
    elif baseline.winner_party:
        detail.append(f"{baseline.winner_party} won")
    if baseline.majority_votes is not None:
        detail.append(f"majority {count(baseline.majority_votes)}")
    # Notional election names carry brackets of their own, so the detail follows a colon.
    said = f": {', '.join(detail)}" if detail else ""
    return f"Compared with the {baseline.election_name}{said}."


def figures_sentence(summary: Summary) -> str:
    parts = [
        f"Electorate {count(summary.electorate)}",
        f"valid votes {count(summary.valid_votes)}",
        f"rejected {count(summary.rejected)}",
    ]
    sentence = "; ".join(parts) + "."
    if summary.turnout_percent is not None:
        sentence += " Turnout is valid votes / electorate"
        if summary.turnout_including_rejected_percent is not None:
            sentence += f" ({percent(summary.turnout_including_rejected_percent)} with rejected ballots too)"
        sentence += "."
    return sentence


def source_warning(summary: Summary) -> str | None:
    """The source's contradictions, shown next to the figures they put in doubt, not in the small print."""
    return disagreement_note(summary.disagreements)


def other_contest_label(other: OtherContest) -> str:
    """ "By-election, 23 February 2017": a button's label."""
    day = other.election_date
    words = kind_words(other.election_kind)
    return f"{words[0].upper()}{words[1:]}, {day.day} {day:%B %Y}"


def also_lines(summary: Summary) -> list[str]:
    """The seat's other contests in the year asked about, each with the command that shows it:
    "Also in 2017: by-election, 23 February (Con GAIN from Lab) — `/result Copeland 2017 by-election`"."""
    lines = []
    for other in summary.also:
        day = other.election_date
        outcome = other.result_label or (f"{other.winner_party} win" if other.winner_party else None)
        said = f" ({outcome})" if outcome else ""
        lines.append(
            f"Also in {day.year}: {kind_words(other.election_kind)}, {day.day} {day:%B}{said} — `/result {other.query}`"
        )
    return lines


def seat_change_line(note: str) -> str:
    """ "Seat change: Copeland was abolished at the 2024 general election; its last result was 2019." """
    return f"Seat change: {note}"


def standing_lines(summary: Summary) -> list[str]:
    """The candidates of a contest without figures, a line each: "• Jane Smith (Lab), elected"."""
    return [
        f"• {candidate_name(line)} ({line.party}){', elected' if line.elected else ''}" for line in summary.candidates
    ]


def small_print(summary: Summary) -> list[str]:
    figures = figures_sentence(summary) if summary.status not in NO_FIGURES_STATUSES else None
    lines = [s for s in (baseline_sentence(summary), figures) if s]
    warning = source_warning(summary)
    lines.extend(note for note in summary.notes if note != warning)
    lines.append(summary.source + ".")
    return lines


def list_entry(summary: Summary) -> tuple[str, str]:
    """(seat, what happened) for one line of a multi-seat answer such as closest results or gains.
    A by-election also gives its date, as a list's title names only the year."""
    day = summary.election_date
    when = "" if summary.election_kind == GENERAL else f" ({summary.kind_label}, {day.day} {day:%B %Y})"
    result = headline(summary)
    if summary.majority_votes is None and summary.winner is not None and summary.status not in NO_FIGURES_STATUSES:
        result += " · no majority recorded"
    if summary.disagreements:
        result += " · the Library's figures disagree: see the result"
    return f"{summary.constituency}{when}", result


def digest_heading(results: int) -> str:
    """ "6 results": the head of a digest, the results folded into one post when a channel fell behind."""
    return _results(results)


def notification_text(summary: Summary) -> str:
    """One line for notifications and screen readers: seat, result, majority."""
    return f"{summary.constituency} ({summary.kind_label} {summary.election_date.year}): {headline(summary)}"


def text_summary(summary: Summary) -> str:
    """The whole summary as plain text, as the CLI and the offline console print it."""
    if summary.status in NO_FIGURES_STATUSES:
        return "\n".join([title(summary), flash_line(summary), *standing_lines(summary), "", *small_print(summary)])
    lines = [title(summary), headline(summary)]
    for extra in (winner_line(summary), swing_turnout_line(summary), source_warning(summary)):
        if extra:
            lines.append(extra)
    lines.extend(also_lines(summary))
    if summary.seat_change:
        lines.append(seat_change_line(summary.seat_change))
    lines.append("")
    lines.append(candidate_table(summary))
    lines.append("")
    lines.extend(small_print(summary))
    return "\n".join(lines)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# ---------------------------------------------------------------------------------------------------------
# People: where a candidate stood, a seat's MP, who is standing


def person_line(result: PersonResult) -> str:
    """ "Holborn and St Pancras, 2024 general election: Lab, 18,884 votes (48.9%), elected"."""
    where = f"{result.seat}, {result.election_name}"
    if result.votes is None:
        outcome = "votes not yet declared"
    else:
        outcome = f"{count(result.votes)} votes ({percent(result.share)}), "
        if result.elected:
            outcome += "elected"
        elif result.place is not None:
            outcome += f"{ordinal(result.place)} of {result.candidates}"
        else:
            outcome += "not elected"
    status = f" · {STATUS_MARKS.get(result.status, result.status)}" if result.status not in COUNTED_STATUSES else ""
    warning = f" · the Library's figures disagree: see `/result {result.query}`" if result.disagrees else ""
    return f"{where}: {result.party}, {outcome}{status}{warning}"


def person_text(answer: PersonAnswer, results: tuple[PersonResult, ...]) -> str:
    """The contests a person stood in, a line each, oldest first, with the source."""
    contests = "contest" if len(results) == 1 else "contests"
    title = f"{answer.name} stood in {len(results)} {contests} in the store:"
    lines = [f"• {person_line(result)}" for result in results]
    return "\n".join([title, *lines, SOURCE_LINE])


def mp_sentence(seat: str, winner_summary: Summary, latest: Summary) -> str:
    """ "The latest MP for Hartlepool is Jonathan Brash (Lab), elected at the 2024 general election."."""
    winner = winner_summary.winner
    assert winner is not None
    tense = "was" if latest.seat_change else "is"
    when = f"the {winner_summary.election_name}"
    sentence = f"The latest MP for {seat} {tense} {candidate_name(winner)} ({winner.party}), elected at {when}."
    if latest.contest_id != winner_summary.contest_id:
        state = STATUS_WORDS.get(latest.status, "not yet declared")
        if latest.status in COUNTED_STATUSES:
            state = "declared with no winner recorded"
        sentence += f" The {latest.election_name} result there is {state}."
    return sentence


def standing_text(seat: str, summary: Summary, pending: bool) -> str:
    """Who is standing in a pending contest, or who stood at the seat's last one, saying which."""
    when = f"the {summary.election_name}"
    if pending:
        state = STATUS_WORDS.get(summary.status, "not yet declared")
        title = f"Standing in {seat} at {when} (result {state}):"
    else:
        title = f"No contest is pending in {seat}. The candidates at its last contest, {when}, were:"
    lines = []
    for line in summary.candidates:
        votes = "" if pending or line.votes is None else f": {count(line.votes)} votes ({percent(line.share)})"
        elected = ", elected" if line.elected and not pending else ""
        lines.append(f"• {candidate_name(line)} ({line.party}){votes}{elected}")
    if not lines:
        lines.append("No candidates are recorded.")
    return "\n".join([title, *lines])


# ---------------------------------------------------------------------------------------------------------
# The scoreboard of a whole election

# A scoreboard's table lists every party with a seat, a seat lost, or at least this share (percent) of the
# vote; the rest are added up as "Others", so the table stays narrow and short enough for a phone.
SCOREBOARD_MIN_SHARE = 1


def scoreboard_title(board: Scoreboard) -> str:
    """ "2024 general election · Scotland"."""
    return f"{board.election_name} · {board.scope}" if board.scope else board.election_name


def scoreboard_headline(board: Scoreboard) -> str:
    """ "650 of 650 seats declared · 326 for a majority", with any provisional results not counted."""
    parts = [f"{board.declared} of {board.total_seats} seats declared"]
    if board.majority_line is not None:
        parts.append(f"{board.majority_line} for a majority")
    if board.provisional:
        parts.append(f"{board.provisional} provisional not counted")
    return " · ".join(parts)


def majority_won(board: Scoreboard) -> str | None:
    """ "Lab has won a majority: 326 seats", once a party holds the majority line; else None."""
    if board.majority_line is None or not board.parties:
        return None
    leader = board.parties[0]
    if leader.seats < board.majority_line:
        return None
    return f"{leader.party} has won a majority: {leader.seats} seats"


def scoreboard_table(board: Scoreboard) -> str:
    """A fixed-width table: party, seats, gains/losses, net, votes, share, change."""
    shown = [
        party
        for party in board.parties
        if party.seats or party.losses or (party.share is not None and party.share >= SCOREBOARD_MIN_SHARE)
    ]
    others = [party for party in board.parties if party not in shown]
    cells = [("Party", "Seats", "+/-", "Net", "Votes", "Share", "Change")]
    for party in shown:
        cells.append(
            (
                party.party,
                str(party.seats),
                f"+{party.gains}/-{party.losses}",
                _signed(party.net),
                count(party.votes),
                percent(party.share),
                points(party.share_change) if board.previous_election else "",
            )
        )
    if others:
        shares = [party.share for party in others if party.share is not None]
        share = sum(shares, Fraction(0)) if shares else None
        cells.append(("Others", "0", "", "", count(sum(party.votes for party in others)), percent(share), ""))
    widths = [max(len(line[i]) for line in cells) for i in range(7)]
    lines = []
    for line in cells:
        numbers = (cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True))
        lines.append("  ".join([line[0].ljust(widths[0]), *numbers]).rstrip())
    return "\n".join(lines)


def _signed(number: int) -> str:
    return f"+{number}" if number > 0 else str(number)


def declaration_time(moment: dt.datetime) -> str:
    """ "13 Dec 14:52", in UK time."""
    local = moment.astimezone(uk_zone()) if moment.tzinfo is not None else moment
    return f"{local.day} {local:%b %H:%M}"


def latest_lines(board: Scoreboard) -> list[str]:
    """ "St Ives: Con HOLD (13 Dec 14:52)", newest first."""
    return [
        f"{item.constituency}: {item.result_label or NO_LABEL} ({declaration_time(item.declared_at)})"
        for item in board.latest
    ]


NO_LABEL = "no earlier result to compare"


def scoreboard_small_print(board: Scoreboard) -> list[str]:
    """How to read the table, then the source."""
    lines = ["Shares are of all valid votes in the declared seats; +/- are seats gained and lost."]
    if board.previous_election:
        lines.append(
            f"Change: percentage points against the {board.previous_election}, over the same declared seats; "
            '"new": the party did not stand there then.'
        )
    if board.parties and any(row.party == "Spk" for row in board.parties):
        lines.append("Spk: the Speaker, counted among the seats and in the majority line's total.")
    lines.append(SOURCE_LINE)
    return lines


def text_scoreboard(board: Scoreboard) -> str:
    """The whole scoreboard as plain text, as the CLI and the offline console print it."""
    lines = [scoreboard_title(board), scoreboard_headline(board), ""]
    lines.append(scoreboard_table(board) if board.parties else "No results declared yet.")
    latest = latest_lines(board)
    if latest:
        lines += ["", "Latest declarations:", *(f"  {line}" for line in latest)]
    lines += ["", *scoreboard_small_print(board)]
    return "\n".join(lines)


def state_of_parties_line(state: StateOfParties, board: Scoreboard) -> str:
    """The editors' line under a whole election's scoreboard: PA's state of parties against our tally,
    compared now, as the tally moves on. "PA's state of parties (rev 12, 5 Jul 03:14, 412 results)
    differs: Lab 210 (ours 209), Con 120 (ours 121)", or "… agrees with our tally"."""
    compared = compare(state, board)
    when = f", {declaration_time(state.as_of)}" if state.as_of is not None else ""
    said = f"PA's state of parties (rev {state.revision}{when}, {_results(state.results)})"
    if compared.agrees:
        return f"{said} agrees with our tally"
    differences = [f"{seats.party} {seats.theirs} (ours {seats.ours})" for seats in compared.differences]
    if compared.results != compared.declared:
        differences.insert(0, f"{_results(compared.results)} (ours {compared.declared} declared)")
    return f"{said} differs: {', '.join(differences)}"


def _results(number: int) -> str:
    return f"{count(number)} result{'' if number == 1 else 's'}"


# ---------------------------------------------------------------------------------------------------------
# One sentence about a whole election, from its scoreboard

MAJORITY_CONVENTION = "its seats minus all other seats, the Speaker's among them"
PARTY_SENTENCE_LIMIT = 5


def _where(board: Scoreboard) -> str:
    """ "at the 2024 general election", "in Scotland at the 2024 general election"."""
    scope = f"in {board.scope} " if board.scope else ""
    return f"{scope}at the {board.election_name}"


def _complete(board: Scoreboard) -> bool:
    return board.declared == board.total_seats and not board.provisional


def _so_far(board: Scoreboard) -> str:
    """ "" once every seat is declared, else " (400 of 650 seats declared)"."""
    return "" if _complete(board) else f" ({board.declared} of {board.total_seats} seats declared)"


def _seats(number: int) -> str:
    return f"{number} seat" if number == 1 else f"{number} seats"


def _net_phrase(board: Scoreboard, row: PartyTally) -> str:
    """ ", net +5 on the 2017 general election: 5 gained, 0 lost" (each seat against its own previous result)."""
    against = f" on the {board.previous_election}" if board.previous_election else ""
    return f", net {_signed(row.net)}{against}: {row.gains} gained, {row.losses} lost"


def party_row(board: Scoreboard, party: str) -> PartyTally | None:
    """The scoreboard's row of `party` (any abbreviation of it: "Brexit" finds Reform UK's row)."""
    key = arithmetic.party_key(party)
    return next((row for row in board.parties if row.party == key), None)


def seats_sentence(board: Scoreboard, party: str) -> str:
    """ "Reform UK won 5 seats at the 2024 general election (+5 net: 5 gained, 0 lost, ...)."."""
    row = party_row(board, party)
    verb = "won" if _complete(board) else "has won"
    if row is None or not row.seats:
        name = row.party_name if row is not None else party
        lost = _net_phrase(board, row) if row is not None and row.losses else ""
        return f"{name} {verb} no seats {_where(board)}{_so_far(board)}{lost}."
    return f"{row.party_name} {verb} {_seats(row.seats)} {_where(board)}{_so_far(board)}{_net_phrase(board, row)}."


def election_winner_sentence(board: Scoreboard) -> str:
    """Who won: the largest party, and its majority over all others when it has one (MAJORITY_CONVENTION)."""
    if not board.declared or not board.parties or not board.parties[0].seats:
        return f"No results {_where(board)} are declared yet."
    top = board.parties[0]
    tied = [row.party_name for row in board.parties if row.seats == top.seats]
    if len(tied) > 1:
        return (
            f"No single party has the most seats {_where(board)}{_so_far(board)}: "
            f"{', '.join(tied)} have {top.seats} each."
        )
    if board.majority_line is None:  # a nation or a region: there is no majority of the House to speak of
        verb = "won" if _complete(board) else "has won"
        return (
            f"{top.party_name} {verb} {top.seats} of {board.total_seats} seats {_where(board)}{_so_far(board)}, "
            "the most of any party."
        )
    others = board.total_seats - top.seats
    if top.seats >= board.majority_line:
        verb = "won" if _complete(board) else "has won"
        return (
            f"{top.party_name} {verb} {top.seats} of {board.total_seats} seats {_where(board)}{_so_far(board)}, "
            f"a majority of {'' if _complete(board) else 'at least '}{top.seats - others} "
            f"({MAJORITY_CONVENTION}: {top.seats} − {others}; "
            f"{board.majority_line} seats are needed for a majority)."
        )
    if _complete(board):
        return (
            f"No party won a majority {_where(board)}: {top.party_name} is the largest party with {top.seats} "
            f"of {board.total_seats} seats, {board.majority_line - top.seats} short of the {board.majority_line} "
            "needed."
        )
    return (
        f"{top.party_name} leads {_where(board)} with {_seats(top.seats)}{_so_far(board)}; "
        f"{board.majority_line} are needed for a majority."
    )


def parties_sentence(board: Scoreboard) -> str:
    """ "At the 2024 general election: Labour 411 seats, 33.7% of the vote; Conservative 121 seats, ..."."""
    if not board.parties:
        return f"No results {_where(board)} are declared yet."
    leading = board.parties[:PARTY_SENTENCE_LIMIT]
    parts = "; ".join(f"{row.party_name} {_seats(row.seats)}, {percent(row.share)} of the vote" for row in leading)
    where = _where(board)
    return f"{where[0].upper()}{where[1:]}{_so_far(board)}: {parts}."


def party_election_sentence(board: Scoreboard, party: str) -> str:
    """Seats, votes, share and share change of one party at a whole election."""
    row = party_row(board, party)
    if row is None:
        return f"{party} has no votes recorded {_where(board)}{_so_far(board)}."
    verb = "won" if _complete(board) else "has won"
    change = ""
    if board.previous_election:
        change = (
            f", {points(row.share_change)} pts on the {board.previous_election} over the same seats"
            if row.share_change is not None
            else f"; it did not stand in those seats at the {board.previous_election}"
        )
    seats = "no seats" if not row.seats else _seats(row.seats)
    return (
        f"{row.party_name} {verb} {seats} {_where(board)}{_so_far(board)}{_net_phrase(board, row)}; "
        f"{count(row.votes)} votes, {percent(row.share)} of valid votes{change}."
    )


def scoreboard_answer_text(sentence: str, board: Scoreboard) -> str:
    """A sentence about an election and its scoreboard's table, as plain text."""
    table = scoreboard_table(board) if board.parties else "No results declared yet."
    return "\n".join([sentence, "", table, "", *scoreboard_small_print(board)])


# ---------------------------------------------------------------------------------------------------------
# Seats ranked by a figure

RANKING_NAMES = {
    ("turnout", True): "Lowest turnout",
    ("turnout", False): "Highest turnout",
    ("majority", True): "Smallest majorities",
    ("majority", False): "Biggest majorities",
    ("majority_votes", True): "Smallest majorities in votes",
    ("majority_votes", False): "Biggest majorities in votes",
}
RANKING_MEASURES_WORDS = {
    "turnout": "turnout (valid votes / electorate)",
    "majority": "majority as a share of valid votes (the winner's lead over the runner-up)",
    "majority_votes": "majority in votes (the winner's lead over the runner-up)",
}


def ranking_title(measure: str, lowest: bool, election_name: str, scope: str | None) -> str:
    """ "Lowest turnout at the 2024 general election · Scotland"."""
    where = f" · {scope}" if scope else ""
    return f"{RANKING_NAMES[(measure, lowest)]} at the {election_name}{where}"


def ranking_footnote(measure: str, lowest: bool, left_out: int) -> str:
    """Which measure ranks the list, and any seats it leaves out."""
    end = "lowest" if lowest else "highest"
    note = f"Ranked by {RANKING_MEASURES_WORDS[measure]}, {end} first."
    if left_out:
        note += f" {left_out} seat{'s' if left_out != 1 else ''} without the figure left out."
    return note


def change_footnote(provisional: int) -> str:
    """How a list of gains, losses or holds compares seats, and any results it leaves out."""
    note = (
        "Each seat against its previous general election (the notional result where boundaries changed), "
        "parties matched through their successors; declared results only."
    )
    if provisional:
        note += f" {provisional} provisional result{'s' if provisional != 1 else ''} not counted."
    return note


def ranking_figure(measure: str, summary: Summary) -> str:
    """The ranked figure for one line (the majority is already in the line's headline)."""
    if measure == "turnout":
        return f"turnout {percent(summary.turnout_percent)}"
    return ""
