"""What the bot says to a `/result` command or a question, independent of how it is delivered.

Slack listeners post a `Reply`'s text and blocks; the offline console prints its plain text. Both get
the same words from the same store, so a rehearsal on the console is what Slack will show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from slack_bolt import Respond

from handlers import blocks, summary_words
from store import arithmetic
from store.answers import (
    AMBIGUOUS,
    FOUND,
    GAINS,
    LOSSES,
    NOT_FOUND,
    RANKING_FIGURES,
    Answer,
    ElectionWithPrevious,
    PersonAnswer,
    ResultsService,
    closest,
    ranked,
    seats_by_change,
)
from store.elections import BY_ELECTION, GENERAL
from store.lookup import parse_query
from store.names import fold
from store.numbers import as_float, count, percent, points
from store.questions import LOWEST, Question, clean_text, parse_question
from store.scoreboard import Scoreboard, find_nation, find_region, in_scope
from store.summary import Summary

HELP_WORDS = {"", "help", "?", "-h", "--help"}
DEFAULT_LIST_LENGTH = 10  # a ranking or the closest results, unless "top N" asks for more
LIST_LENGTH = 15  # gains, losses, holds and by-elections are cut here, with a button to see them all
#: `/result all QUESTION` (what the "Show all" button asks): the whole list, only for the asker.
ALL_WORD = "all"
#: What `ask`, `/result` and a question all answer about a whole election rather than one seat.
ELECTION_INTENTS = frozenset(
    {"closest", "gains", "losses", "holds", "by_elections", "ranking", "seats", "election_winner", "parties"}
)
SORRY = "Sorry, something went wrong looking that up. The desk has been told; please try again in a moment."


@dataclass(frozen=True)
class Reply:
    text: str  # the notification / fallback text
    blocks: list[dict[str, Any]]
    plain: str  # the whole reply as plain text, for the console and logs
    public: bool  # True: post for the channel to see; False: only the asker (ephemeral)
    # Seats offered to pick from (label, the query that asks for it), in the order shown.
    options: tuple[tuple[str, str], ...] = ()
    # Every figure of an answer about a whole election, for `resultsbot ask --json` (None: a seat's
    # answer, whose JSON is its summary's, or nothing was found).
    data: dict[str, Any] | None = None
    # A second message only for the asker of a command: the "Show all" button under a cut list.
    followup: Reply | None = None


def deliver(respond: Respond, reply: Reply) -> None:
    """Send a reply through a response_url: for the channel, or only for the person who asked."""
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="in_channel" if reply.public else "ephemeral",
        replace_original=False,
    )


def fallback(text: str) -> str:
    """A message's `text`, which Slack shows in notifications: what a user typed is echoed in it,
    so it is escaped like the blocks (no <!channel> pings from a query)."""
    return blocks.message_text(blocks.neutralise(text))


def notice(text: str, *, public: bool = False) -> Reply:
    return Reply(fallback(text), blocks.notice_blocks(text), text, public)


def help_reply(*, public: bool = False) -> Reply:
    return notice(blocks.help_text(), public=public)


def summary_reply(summary: Summary) -> Reply:
    message = blocks.message(summary)
    return Reply(message["text"], message["blocks"], summary_words.text_summary(summary), True)


def answer_reply(answer: Answer) -> Reply:
    """A reply to a seat lookup: the result for all to see, or a private nudge with the options."""
    if answer.kind == FOUND and answer.summary is not None:
        return summary_reply(answer.summary)
    if answer.options:
        prompt = answer.message if answer.kind == AMBIGUOUS else f"{answer.message} Pick one:"
        plain = answer.message + "".join(f"\n  • {label}" for label, _ in answer.options)
        choices = blocks.choice_blocks(prompt, list(answer.options))
        return Reply(fallback(answer.message), choices, plain, False, tuple(answer.options))
    return notice(f"{answer.message} Try `/result help` for what you can ask.")


def reply_to_command(text: str, service: ResultsService, *, is_editor: Callable[[], bool] | None = None) -> Reply:
    """`/result TEXT`: `scoreboard` first (no seat is called that), then a seat. `is_editor` says whether
    the asker is on the desk; it is asked only for a scoreboard (it may cost a call to Slack)."""
    if text.strip().casefold() in HELP_WORDS:
        return help_reply()
    words = text.split()
    if words and words[0].casefold() == SCOREBOARD_WORD:
        return scoreboard_reply(words[1:], service, is_editor=is_editor)
    if words and words[0].casefold() == ALL_WORD:
        rest = " ".join(words[1:])
        wanted = parse_question(rest)
        if not is_about_election(wanted):
            return reply_to_command(rest, service)  # no seat's name starts with the word "all"
        return replace(answer_question(wanted, service, show_all=True), public=False)
    question = parse_question(text)
    if is_about_election(question):
        # A list for the channel; its "Show all" button only for the asker, in a message of its own.
        reply = answer_question(question, service, asked=text)
        if reply.options:
            alone = replace(reply, options=(), blocks=[b for b in reply.blocks if b.get("type") != "actions"])
            prompt = "The whole list, only for you:"
            plain = prompt + "".join(f"\n  • {label}" for label, _ in reply.options)
            followup = Reply(
                fallback(prompt), blocks.choice_blocks(prompt, list(reply.options)), plain, False, reply.options
            )
            return replace(alone, followup=followup)
        return reply
    parsed = parse_query(text)
    return _seat_or_person(text, parsed.seat_text, service, year=parsed.year, kind=parsed.kind)


def _seat_or_person(
    seat_query: str,
    name: str,
    service: ResultsService,
    *,
    year: int | None = None,
    kind: str | None = None,
    public_misses: bool = False,
) -> Reply:
    """A bare name: the seat it names, or the candidate it names when it names no seat exactly (a seat
    wins a tie: "Hartlepool" is the seat), or what today's seat lookup says when it names neither."""
    answer = service.ask(seat_query)
    seat = answer.seat or (answer.summary.constituency if answer.summary is not None else None)
    seat_exact = answer.kind == FOUND and seat is not None and fold(seat) == fold(name)
    if not seat_exact:
        person = service.person(name)
        # A name spelt exactly beats a seat found only loosely; a loose name only answers when no seat does.
        if person.kind == FOUND and (person.exact or answer.kind == NOT_FOUND):
            return person_reply(person, year, kind)
        if person.kind == AMBIGUOUS and answer.kind == NOT_FOUND:
            # Like a seat's options: for all in a thread, only for the asker of a command.
            return replace(person_reply(person), public=public_misses)
    reply = answer_reply(answer)
    return replace(reply, public=True) if public_misses else reply


def person_reply(person: PersonAnswer, year: int | None = None, kind: str | None = None) -> Reply:
    """Where a person stood, for all to see; the names that fit, for the asker to pick; or that none does."""
    if person.kind == AMBIGUOUS:
        message = f"“{person.query}” fits {len(person.options)} candidates. Which one?"
        plain = message + "".join(f"\n  • {label}" for label, _ in person.options)
        return Reply(
            fallback(message), blocks.choice_blocks(message, list(person.options)), plain, True, person.options
        )
    if person.kind == NOT_FOUND:
        return notice(f"No candidate called “{person.query}” is in the store. " + blocks.help_text(), public=True)
    results = tuple(
        r
        for r in person.results
        if (year is None or r.election_date.year == year) and (kind is None or r.election_kind == kind)
    )
    if not results:
        return notice(f"{person.name} stood in no contest of that year or kind in the store.", public=True)
    return notice(summary_words.person_text(person, results), public=True)


SCOREBOARD_WORD = "scoreboard"
SCOREBOARD_USAGE = "Try `/result scoreboard`, `/result scoreboard 2019` or `/result scoreboard 2024 scotland`."


def scoreboard_reply(
    words: list[str], service: ResultsService, *, is_editor: Callable[[], bool] | None = None
) -> Reply:
    """`/result scoreboard [YEAR] [NATION or REGION]`: a general election's scoreboard, for all to see; and
    for an editor (`is_editor`), PA's state of parties against it in a follow-up only they see."""
    year = None
    if words and words[0].isdigit():
        year = int(words[0])
        words = words[1:]
    where = " ".join(words)
    election = service.general_election_with_previous(year)
    if election is None:
        when = f" in {year}" if year is not None else ""
        return notice(f"No general election{when} is in the store. {SCOREBOARD_USAGE}")
    nation = find_nation(where) if where else None
    region = election.region(where) if where and nation is None else None
    if where and nation is None and region is None:
        return notice(
            f"“{where}” is not a nation or region of the {election.name}. "
            "Nations: England, Scotland, Wales, Northern Ireland. " + SCOREBOARD_USAGE
        )
    board = election.scoreboard(nation=nation, region=region)
    reply = Reply(
        blocks.scoreboard_text(board),
        blocks.scoreboard_blocks(board),
        summary_words.text_scoreboard(board),
        True,
    )
    # PA's figures are the whole UK's: a nation's or a region's tally is not theirs to compare with.
    if board.scope is not None or is_editor is None:
        return reply
    state = service.state_of_parties(election)
    # The store is asked first: asking Slack who is an editor may cost a rate-limited call.
    if state is None or not is_editor():
        return reply
    return replace(reply, followup=notice(summary_words.state_of_parties_line(state, board)))


def is_about_election(question: Question) -> bool:
    """Whether `question` is about a whole election (seats, shares, rankings, lists), not one seat."""
    return question.intent in ELECTION_INTENTS or (
        question.intent == "party" and bool(question.party) and not question.seat_query and question.kind != BY_ELECTION
    )


def answer_question(question: Question, service: ResultsService, *, show_all: bool = False, asked: str = "") -> Reply:
    """The answer to an election-wide `question`; a long list is cut unless `show_all`, with a "Show all"
    button that asks `/result all ASKED`. Kept by the service until results are entered: on the night the
    same few national questions are asked again and again, and each takes a whole election's arithmetic."""
    asked = clean_text(asked)
    return service.kept(
        ("answer", question, show_all, asked), lambda: _answer_question(question, service, show_all, asked)
    )


def _answer_question(question: Question, service: ResultsService, show_all: bool, asked: str) -> Reply:
    if question.intent in ("closest", "gains", "losses", "holds", "by_elections"):
        return _election_list(question, service, show_all=show_all, asked=asked)
    if question.intent == "ranking":
        return _ranking(question, service)
    return _election_answer(question, service)


def reply_to_question(text: str, service: ResultsService) -> Reply:
    """A mention or a direct message, in plain English. Always says something."""
    question = parse_question(text)
    if question.intent == "help":
        return help_reply(public=True)
    if is_about_election(question):
        return answer_question(question, service, asked=text)
    if question.intent == "unknown":
        return _cannot_answer()
    if question.intent == "person" and question.person:
        return person_reply(service.person(question.person), question.year, question.kind)
    if not question.seat_query:
        return notice("Which seat? Name one, e.g. “who won hartlepool?” or “turnout in copeland 2015”.", public=True)
    if question.intent == "mp":
        return _mp_reply(question.seat_query, service)
    if question.intent == "standing":
        return _standing_reply(question.seat_query, service)
    if question.intent == "result":
        # "keir starmer" reads like a seat name: the reply tries the seat, then a candidate of that name.
        return _seat_or_person(
            question.seat_query,
            parse_query(question.seat_query).seat_text,
            service,
            year=question.year,
            kind=question.kind,
            public_misses=True,
        )
    answer = service.ask(question.seat_query)
    if answer.kind != FOUND or answer.summary is None:
        # In a thread everyone sees the reply anyway: say what would help, not only to the asker.
        return replace(answer_reply(answer), public=True)
    summary = answer.summary
    sentence = _focused_sentence(question, summary)
    if sentence is None:
        return summary_reply(summary)
    warning = summary_words.source_warning(summary)
    change = [summary_words.seat_change_line(summary.seat_change)] if summary.seat_change else []
    plain = [
        sentence,
        *([warning] if warning else []),
        *change,
        *summary_words.also_lines(summary),
        f"{summary.source}.",
    ]
    text = f"{sentence}\n{warning}" if warning else sentence
    return Reply(fallback(text), blocks.sentence_blocks(sentence, summary), "\n".join(plain), True)


def _mp_reply(seat_query: str, service: ResultsService) -> Reply:
    """The seat's latest winner, and whether the seat still exists."""
    answer, winner = service.latest_winner(seat_query)
    if answer.kind != FOUND or answer.summary is None or answer.seat is None:
        return replace(answer_reply(answer), public=True)
    latest = answer.summary
    if winner is None:
        sentence = f"No winner is recorded for {answer.seat} in the store."
    else:
        sentence = summary_words.mp_sentence(answer.seat, winner, latest)
    if latest.seat_change:
        sentence += f" {latest.seat_change}"
    else:
        election = service.latest_general_election()
        if election:
            sentence += f" {answer.seat} is a seat at the {election}."
    return notice(f"{sentence}\n{(winner or latest).source}.", public=True)


def _standing_reply(seat_query: str, service: ResultsService) -> Reply:
    """The candidates of the seat's pending contest, else of its last one, saying which."""
    answer, summary, pending = service.candidates_standing(seat_query)
    if answer.kind != FOUND or answer.summary is None or answer.seat is None:
        return replace(answer_reply(answer), public=True)
    if summary is None:
        return notice(f"No contest with candidates is recorded for {answer.seat}.", public=True)
    text = summary_words.standing_text(answer.seat, summary, pending)
    if answer.summary.seat_change:
        text += f"\n{answer.summary.seat_change}"
    return notice(f"{text}\n{summary.source}.", public=True)


def _cannot_answer() -> Reply:
    return notice(
        "I can only answer questions about UK Westminster election results. " + blocks.help_text(), public=True
    )


def _where(summary: Summary) -> str:
    return f"{summary.constituency} ({summary.election_name})"


def _focused_sentence(question: Question, summary: Summary) -> str | None:
    """One sentence for a pointed question; None when the whole summary is the answer."""
    winner = summary.winner
    if question.intent == "winner":
        if winner is None:
            return f"No winner is recorded for {_where(summary)}. " + " ".join(summary.notes)
        label = f" — {summary_words.headline(summary)}" if summary.result_label or summary.majority_votes else ""
        votes = f" with {count(winner.votes)} votes ({percent(winner.share)})" if winner.votes is not None else ""
        return f"{summary_words.candidate_name(winner)} ({winner.party}) won {_where(summary)}{votes}{label}."
    if question.intent == "majority":
        if summary.majority_votes is None:
            return f"No majority can be given for {_where(summary)}. " + " ".join(summary.notes)
        assert winner is not None
        return (
            f"The majority in {_where(summary)} was {count(summary.majority_votes)} "
            f"({percent(summary.majority_percent)} of valid votes), for {summary_words.candidate_name(winner)} "
            f"({winner.party}). {summary_words.headline(summary)}."
        )
    if question.intent == "turnout":
        if summary.turnout_percent is None:
            return f"Turnout is not available for {_where(summary)}: the electorate is not recorded."
        sentence = f"Turnout in {_where(summary)} was {percent(summary.turnout_percent)} (valid votes / electorate"
        if summary.turnout_including_rejected_percent is not None:
            sentence += f"; {percent(summary.turnout_including_rejected_percent)} including rejected ballots"
        sentence += ")"
        if summary.turnout_change is not None and summary.baseline is not None:
            sentence += f", {points(summary.turnout_change)} pts on the {summary.baseline.election_name}"
        return sentence + "."
    if question.intent == "party" and question.party:
        return _party_sentence(question.party, summary)
    return None


def _party_sentence(party: str, summary: Summary) -> str:
    key = arithmetic.party_key(party)
    theirs = [
        (place, line)
        for place, line in enumerate(summary.candidates, start=1)
        if arithmetic.party_key(line.party) == key
    ]
    if not theirs:
        return f"{party} did not stand in {_where(summary)}."
    parts = []
    for place, line in theirs:
        change = ""
        if summary.baseline is not None:
            change = ", a new candidacy" if line.share_change is None else f", {points(line.share_change)} pts"
        parts.append(
            f"{summary_words.candidate_name(line)} ({line.party}) came {summary_words.ordinal(place)} "
            f"of {len(summary.candidates)} "
            f"with {count(line.votes)} votes, {percent(line.share)}{change}"
        )
    return f"In {_where(summary)}: " + "; ".join(parts) + f". {summary_words.headline(summary)}."


CHANGE_TITLES = {
    "gains": ("{party} gains", "Seats that changed hands"),
    "losses": ("{party} losses", "Seats that changed hands"),
    "holds": ("{party} holds", "Seats held by the same party"),
}


def _list_title(question: Question, name: str, scope: str | None) -> str:
    if question.intent == "by_elections":
        return name[:1].upper() + name[1:]
    if question.intent == "closest":
        title = f"Closest results of the {name}, by majority as a share of the vote"
    else:
        with_party, without = CHANGE_TITLES[question.intent]
        title = with_party.format(party=question.party) if question.party else without
        if question.other_party:
            title += f" {'to' if question.intent == LOSSES else 'from'} {question.other_party}"
        title += f" at the {name}"
    return f"{title} · {scope}" if scope else title


def _seats_asked(question: Question, service: ResultsService) -> tuple[str, list[Summary], str | None] | Reply:
    """The seats a list or a ranking is drawn from: the election's name, its results in the nation or region
    asked for, and that place as the data spells it; or the reply saying there are none."""
    if question.intent == "by_elections":
        name, summaries = service.by_elections(question.year, question.parliament, question.since)
        if not name or (question.year is not None and not summaries):
            when = f" in {question.year}" if question.year is not None else ""
            if question.parliament is not None:
                when = f" for a Parliament elected in {question.parliament}"
            return notice(f"No by-elections{when} are in the store.", public=True)
    else:
        kind = question.kind or GENERAL
        name, summaries = service.election_results(question.year, kind)
        if not summaries:
            when = f" in {question.year}" if question.year else ""
            return notice(f"No {kind} election{when} is in the store.", public=True)
    if not question.scope:
        return name, summaries, None
    nation = find_nation(question.scope)
    region = find_region(question.scope, summaries) if nation is None else None
    if nation is None and region is None:
        return _not_a_place(question.scope, name)
    return name, [s for s in summaries if in_scope(s, nation, region)], nation or region


def _election_list(question: Question, service: ResultsService, *, show_all: bool, asked: str) -> Reply:
    """Closest results, gains, losses or holds at an election, or by-elections: cut to a readable length
    (the count said, and a button for the rest) unless `show_all`."""
    asked_for = _seats_asked(question, service)
    if isinstance(asked_for, Reply):
        return asked_for
    name, summaries, scope = asked_for
    footnote = None
    if question.intent == "closest":
        # A ranking, like the biggest majorities: "top N" asks for more.
        chosen = closest(summaries, question.limit or DEFAULT_LIST_LENGTH)
        length = len(chosen)
        footnote = summary_words.ranking_footnote("majority", True, 0)
    elif question.intent == "by_elections":
        chosen = summaries
        length = question.limit or LIST_LENGTH
    else:
        chosen = seats_by_change(summaries, question.intent, question.party, question.other_party)
        length = question.limit or LIST_LENGTH
        footnote = summary_words.change_footnote(sum(1 for s in summaries if s.status != "declared"))
    title = _list_title(question, name, scope)
    if question.intent != "closest":
        title += f": {len(chosen)}"
    return _seat_list(
        title,
        chosen,
        length=len(chosen) if show_all else length,
        footnote=footnote,
        asked=asked,
        data={
            "answer": "list",
            "list": "changed_hands" if question.intent in (GAINS, LOSSES) and not question.party else question.intent,
            "election": name,
            "party": question.party,
            "other_party": question.other_party,
            "scope": scope,
            "ranked_by": "majority" if question.intent == "closest" else None,
            "order": LOWEST if question.intent == "closest" else None,
        },
    )


def _seat_list(
    title: str,
    seats: list[Summary],
    *,
    length: int,
    footnote: str | None,
    asked: str,
    data: dict[str, Any],
    figure: Callable[[Summary], str] | None = None,
    value: Callable[[Summary], Any] | None = None,
) -> Reply:
    """A list of seats cut to `length`: the count shown, and (when `asked` is known) a "Show all" button
    asking for the rest."""
    shown = seats[:length]
    notes = [footnote] if footnote else []
    options: tuple[tuple[str, str], ...] = ()
    if len(shown) < len(seats):
        notes.append(f"Showing {len(shown)} of {len(seats)}.")
        if asked:
            options = ((f"Show all {len(seats)}", f"{ALL_WORD} {asked}"),)
    note = " ".join(notes) or None
    lines = []
    for i, summary in enumerate(shown, start=1):
        extra = figure(summary) if figure else ""
        lines.append(f"{i}. {': '.join(summary_words.list_entry(summary))}{f' · {extra}' if extra else ''}")
    plain = [title, *lines, *([note] if note else []), blocks.LIST_FOOTNOTE, summary_words.SOURCE_LINE]
    plain.extend(f"  • {label}" for label, _ in options)
    listed = blocks.list_blocks(title, shown, figure=figure, footnote=note)
    if options:
        listed.extend(blocks.choice_blocks(f"Showing {len(shown)} of {len(seats)}.", list(options))[1:])
    data = {
        **data,
        "title": title,
        "total": len(seats),
        "shown": len(shown),
        "seats": [_seat_json(s, value(s) if value else None) for s in shown],
    }
    return Reply(blocks.list_text(title, shown, figure=figure), listed, "\n".join(plain), True, options, data)


def _seat_json(summary: Summary, value: Any = None) -> dict[str, Any]:
    """One seat of a list, for `ask --json`: `value` is the figure a ranking ranks it by."""
    return {
        "constituency": summary.constituency,
        "ons_id": summary.ons_id,
        "election": {
            "name": summary.election_name,
            "date": summary.election_date.isoformat(),
            "kind": summary.election_kind,
        },
        "status": summary.status,
        "result_label": summary.result_label,
        "winner_party": summary.winner.party if summary.winner else None,
        "previous_winner_party": summary.baseline.winner_party if summary.baseline else None,
        "majority": None
        if summary.majority_votes is None
        else {"votes": summary.majority_votes, "percent": as_float(summary.majority_percent)},
        "turnout": as_float(summary.turnout_percent),
        "value": value,
    }


WHERE_USAGE = "Nations: England, Scotland, Wales, Northern Ireland; or a region such as “North East” or “London”."


def _not_a_place(scope: str, election_name: str) -> Reply:
    return notice(f"“{scope}” is not a nation or region of the {election_name}. {WHERE_USAGE}", public=True)


def _election_answer(question: Question, service: ResultsService) -> Reply:
    """A question about a whole general election (who won, a party's seats or share, the state of the
    parties): one sentence from its scoreboard, then the scoreboard's table."""
    election = service.general_election_with_previous(question.year)
    if election is None:
        when = f" in {question.year}" if question.year is not None else ""
        return notice(f"No general election{when} is in the store.", public=True)
    board = _board(election, question.scope)
    if board is None:
        return _not_a_place(question.scope or "", election.name)
    if question.intent == "seats" and question.party:
        sentence = summary_words.seats_sentence(board, question.party)
    elif question.intent == "party" and question.party:
        sentence = summary_words.party_election_sentence(board, question.party)
    elif question.intent == "election_winner":
        sentence = summary_words.election_winner_sentence(board)
    else:
        sentence = summary_words.parties_sentence(board)
    return Reply(
        fallback(sentence),
        blocks.scoreboard_answer_blocks(sentence, board),
        summary_words.scoreboard_answer_text(sentence, board),
        True,
        data={
            "answer": "election",
            "question": question.intent,
            "party": question.party,
            "sentence": sentence,
            "scoreboard": board.to_json(),
        },
    )


def _board(election: ElectionWithPrevious, scope: str | None) -> Scoreboard | None:
    """The election's scoreboard, for a nation or region when `scope` names one; None when it names neither."""
    if not scope or scope.casefold() in ("uk", "gb", "the uk", "britain", "great britain"):
        return election.scoreboard()
    nation = find_nation(scope)
    region = election.region(scope) if nation is None else None
    if nation is None and region is None:
        return None
    return election.scoreboard(nation=nation, region=region)


def _ranking(question: Question, service: ResultsService) -> Reply:
    """Seats ranked by turnout or majority, saying which measure ranks them."""
    asked_for = _seats_asked(question, service)
    if isinstance(asked_for, Reply):
        return asked_for
    name, summaries, scope = asked_for
    measure = question.measure or "majority"
    lowest = question.order == LOWEST
    chosen = ranked(summaries, measure, lowest=lowest, limit=question.limit or DEFAULT_LIST_LENGTH)
    left_out = sum(1 for s in summaries if _figure_missing(measure, s))

    def figure(summary: Summary) -> str:
        return summary_words.ranking_figure(measure, summary)

    def value(summary: Summary) -> float | int | None:
        exact = RANKING_FIGURES[measure](summary)
        return exact if isinstance(exact, int) or exact is None else as_float(exact)

    return _seat_list(
        summary_words.ranking_title(measure, lowest, name, scope),
        chosen,
        length=len(chosen),
        footnote=summary_words.ranking_footnote(measure, lowest, left_out),
        asked="",
        figure=figure,
        value=value,
        data={
            "answer": "list",
            "list": "ranking",
            "election": name,
            "party": None,
            "other_party": None,
            "scope": scope,
            "ranked_by": measure,
            "order": question.order or LOWEST,
        },
    )


def _figure_missing(measure: str, summary: Summary) -> bool:
    if measure == "turnout":
        return summary.turnout_percent is None
    if measure == "majority_votes":
        return summary.majority_votes is None
    return summary.majority_percent is None
