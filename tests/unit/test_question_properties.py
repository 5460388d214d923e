"""Properties of the question parser over generated input (hypothesis): no text crashes it, and a list
question built from a party, a list word, a year and a place is always that list, never a seat."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st

from store.questions import INTENTS, MAX_LIMIT, MAX_SEAT_QUERY_CHARS, PARTY_ALIASES, Question, parse_question

SEAT_INTENTS = {"result", "winner", "majority", "turnout", "party", "mp", "standing"}


@contextmanager
def no_parse_errors() -> Iterator[None]:
    """Fails if the parser falls back to "unknown" because something inside it raised (it logs that)."""
    caught: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record)

    handler = Catch(level=logging.ERROR)
    logger = logging.getLogger("store.questions")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not caught, caught[0].getMessage()


def well_formed(question: Question) -> None:
    assert question.intent in INTENTS
    assert question.seat_query is None or 0 < len(question.seat_query) <= MAX_SEAT_QUERY_CHARS
    assert question.limit is None or 1 <= question.limit <= MAX_LIMIT
    assert question.party is None or question.party in PARTY_ALIASES.values()


VOCABULARY = st.sampled_from(
    [
        "who", "won", "labour", "snp", "gains", "losses", "holds", "from", "to", "changing", "hands", "by-elections",
        "by-election", "parliament", "2019", "2019-2024", "this", "in", "scotland", "top", "5", "biggest", "lowest",
        "turnout", "majority", "hartlepool", "copeland", "where", "did", "stand", "<@U1>", "&amp;", "(", ")", "'s",
        "the", "mp", "for", "all", "seats", "how", "many", "since", "\u200b", "ﬁ", "İ",
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=400), st.lists(VOCABULARY, max_size=15).map(" ".join))


@settings(max_examples=1500, deadline=None)
@given(text=TEXTS)
def test_no_text_crashes_the_parser(text: str) -> None:
    with no_parse_errors():
        question = parse_question(text)
    well_formed(question)


PARTIES = st.sampled_from(
    sorted({"labour", "lab", "the conservatives", "tories", "con", "the snp", "lib dems", "reform"})
)
CANONICAL = {
    "labour": "Lab", "lab": "Lab", "the conservatives": "Con", "tories": "Con", "con": "Con", "the snp": "SNP",
    "lib dems": "LD", "reform": "RUK",
}  # fmt: skip
PARTIES = st.sampled_from(sorted(CANONICAL))
LIST_WORDS = st.sampled_from([("gains", "gains"), ("losses", "losses"), ("holds", "holds"), ("seats held", "holds")])
YEARS = st.sampled_from(["", " 2024", " in 2019", " at the 2017 election"])
PLACES = st.sampled_from(["", " in scotland", " in wales", " in the north east", " in london"])


@settings(max_examples=500, deadline=None)
@given(party=PARTIES, words=LIST_WORDS, year=YEARS, place=PLACES)
def test_a_list_question_is_always_the_list_and_never_a_seat(party: str, words, year: str, place: str) -> None:
    said, intent = words
    question = parse_question(f"{party} {said}{place}{year}")
    assert question.intent == intent and question.seat_query is None
    assert question.party == CANONICAL[party]
    assert (question.scope is None) == (place == "")


@settings(max_examples=200, deadline=None)
@given(
    lead=st.sampled_from(["", "list the ", "which ", "show me the ", "all "]),
    when=st.sampled_from(
        ["in 2021", "2019-2024 parliament", "in the 2019 parliament", "this parliament", "since 2017", ""]
    ),
)
def test_by_elections_of_a_year_or_parliament_are_never_a_seat(lead: str, when: str) -> None:
    question = parse_question(f"{lead}by-elections {when}")
    assert question.intent == "by_elections" and question.seat_query is None
