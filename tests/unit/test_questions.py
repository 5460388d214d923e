"""store.questions: plain-English mentions and DMs to intents, without a store or Slack."""

from __future__ import annotations

import csv
import dataclasses
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from store import arithmetic, questions
from store.lookup import SeatIndex, normalise, parse_query
from store.questions import (
    INTENTS,
    MAX_LIMIT,
    MAX_SEAT_QUERY_CHARS,
    PARTIES,
    PARTY_ALIASES,
    Question,
    clean_text,
    parse_question,
    resolve_party,
)

DATA = Path(__file__).resolve().parents[2] / "store" / "data" / "hoc"


@cache
def bundled_seat_names() -> tuple[str, ...]:
    names: set[str] = set()
    for path in DATA.glob("*/*/*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in ("Constituency name", "constituency_name"):
                    if row.get(column):
                        names.add(row[column])
    return tuple(sorted(names))


def q(intent: str, seat: str | None = None, **fields) -> Question:
    return Question(intent, seat_query=seat, **fields)


# --- the questions newsrooms ask ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("who won hartlepool?", q("winner", "hartlepool")),
        ("who won the hartlepool by-election", q("winner", "hartlepool by-election", kind="by-election")),
        ("what was the majority in copeland", q("majority", "copeland")),
        ("copeland majority", q("majority", "copeland")),
        ("turnout in stoke central", q("turnout", "stoke central")),
        ("what was turnout in copeland 2015?", q("turnout", "copeland 2015", year=2015)),
        ("how did the lib dems do in copeland", q("party", "copeland", party="LD")),
        ("how did labour do in hartlepool 2019", q("party", "hartlepool 2019", party="Lab", year=2019)),
        ("how did reform do in hartlepool", q("party", "hartlepool", party="RUK")),
        ("how did the tories do in copeland", q("party", "copeland", party="Con")),
        ("green vote in brighton pavilion", q("party", "brighton pavilion", party="Green")),
        ("copeland 2015", q("result", "copeland 2015", year=2015)),
        ("hartlepool", q("result", "hartlepool")),
        ("result for stoke central", q("result", "stoke central")),
        ("results in stoke on trent central", q("result", "stoke on trent central")),
        ("closest results of the 2024 election", q("closest", year=2024, kind="general")),
        ("closest seats in 2019", q("closest", year=2019)),
        ("most marginal seats 2017", q("closest", year=2017)),
        ("top 5 closest results 2024", q("closest", year=2024, limit=5)),
        ("conservative gains in 2019", q("gains", party="Con", year=2019)),
        ("lib dem gains 2024", q("gains", party="LD", year=2024)),
        ("which seats did labour gain in 2024", q("gains", party="Lab", year=2024)),
        ("gains in 2024", q("gains", year=2024)),
        ("help", q("help")),
        ("what can you do", q("help")),
        ("", q("help")),
        ("hi", q("help")),
        ("what's the weather", q("unknown")),
        ("tell me a joke", q("unknown")),
    ],
)
def test_the_briefed_questions(text, expected):
    assert parse_question(text) == expected


@pytest.mark.parametrize(
    ("text", "intent", "seat"),
    [
        ("Who won Hartlepool?", "winner", "Hartlepool"),  # the seat keeps the case it was typed in
        ("who is the MP for hartlepool", "mp", "hartlepool"),
        ("hartlepool mp", "winner", "hartlepool"),
        ("who was elected in copeland", "winner", "copeland"),
        ("which party won copeland in 2017", "winner", "copeland 2017"),
        ("who held copeland", "winner", "copeland"),
        ("in 2019 who won hartlepool", "winner", "hartlepool 2019"),
        ("who won the most votes in hartlepool", "winner", "hartlepool"),
        ("did labour win hartlepool", "winner", "hartlepool"),
        ("did labour gain hartlepool", "winner", "hartlepool"),
        ("who gained hartlepool in 2019", "winner", "hartlepool 2019"),
        ("who won the by-election in hartlepool", "winner", "hartlepool by-election"),
        ("hartlepool 2021 by election result", "result", "hartlepool 2021 by-election"),
        ("copeland's majority", "majority", "copeland"),
        ("what was the copeland majority", "majority", "copeland"),
        ("how big was the majority in copeland", "majority", "copeland"),
        ("how close was it in copeland", "majority", "copeland"),
        ("labour majority in copeland", "majority", "copeland"),
        ("what was the majority for labour in copeland", "majority", "copeland"),
        ("who won and what was the majority in copeland", "majority", "copeland"),
        ("copeland turnout", "turnout", "copeland"),
        ("what was the turnout in copeland like?", "turnout", "copeland"),
        ("what was turnout in copeland in 2015", "turnout", "copeland 2015"),
        ("how high was turnout in high peak", "turnout", "high peak"),
        ("how many people voted in copeland", "turnout", "copeland"),
        ("copeland result", "result", "copeland"),
        ("what happened in copeland", "result", "copeland"),
        ("how did hartlepool vote", "result", "hartlepool"),
        ("how did it go in copeland", "result", "copeland"),
        ("copeland (2015)", "result", "copeland 2015"),
        ("hartlepool ge2019", "result", "hartlepool 2019 general election"),
        ("the wrekin", "result", "the wrekin"),
        ("what about copeland?", "result", "copeland"),
        ("and hartlepool", "result", "hartlepool"),
    ],
)
def test_seat_questions(text, intent, seat):
    question = parse_question(text)
    assert (question.intent, question.seat_query) == (intent, seat)


@pytest.mark.parametrize(
    ("text", "party", "seat"),
    [
        ("how did labour get on in hartlepool", "Lab", "hartlepool"),
        ("how are the greens doing in brighton pavilion", "Green", "brighton pavilion"),
        ("how did the snp fare in glasgow east", "SNP", "glasgow east"),
        ("how did plaid do in ceredigion", "PC", "ceredigion"),
        ("how did the brexit party do in hartlepool 2019", "BRX", "hartlepool 2019"),
        ("how did the speaker do in chorley", "Spk", "chorley"),
        ("how did sinn féin do in foyle", "SF", "foyle"),
        ("how did the monster raving loony party do in hartlepool", "MRLP", "hartlepool"),
        ("how many votes did reform get in hartlepool", "RUK", "hartlepool"),
        ("what share did the lib dems get in copeland", "LD", "copeland"),
        ("what was labour's share of the vote in hartlepool in 2019", "Lab", "hartlepool 2019"),
        ("lib dem vote share in copeland", "LD", "copeland"),
        ("tory votes in copeland", "Con", "copeland"),
        ("labour in hartlepool", "Lab", "hartlepool"),
        ("reform at the hartlepool by-election", "RUK", "hartlepool by-election"),
        ("copeland labour vote", "Lab", "copeland"),
        ("green vote in bethnal green and bow", "Green", "bethnal green and bow"),
        ("how did labour do", "Lab", None),  # no seat: the caller asks which one
        ("how did the conservaitves do in copeland", "Con", "copeland"),  # a typo in a long name
    ],
)
def test_party_questions(text, party, seat):
    question = parse_question(text)
    assert (question.intent, question.party, question.seat_query) == ("party", party, seat)


def test_a_candidate_or_unknown_party_gets_the_full_result():
    assert parse_question("how did jo bloggs do in copeland") == q("result", "copeland")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ten closest seats", q("closest", limit=10)),
        ("closest 3 by-elections", q("closest", kind="by-election", limit=3)),
        ("the 20 tightest races in 2024", q("closest", year=2024, limit=20)),
        (
            "smallest majorities at the 2019 general election",
            q("ranking", year=2019, kind="general", measure="majority", order="lowest"),
        ),
        ("show me the marginals", q("closest")),
        ("top 0 closest", q("closest")),
        ("top 999 closest", q("closest", limit=MAX_LIMIT)),
        ("labour gains from the snp in 2024", q("gains", party="Lab", year=2024, other_party="SNP")),
        ("seats gained by labour from the snp", q("gains", party="Lab", other_party="SNP")),
        ("gains from the snp", q("gains", other_party="SNP")),
        ("did labour gain any seats in 2024", q("gains", party="Lab", year=2024)),
        ("who gained the most seats at the 2024 election", q("gains", year=2024, kind="general")),
        ("top 5 reform gains", q("gains", party="RUK", limit=5)),
        ("con gains 2019", q("gains", party="Con", year=2019)),
        ("conservaitve gains 2019", q("gains", party="Con", year=2019)),
    ],
)
def test_election_lists(text, expected):
    assert parse_question(text) == expected


# --- Slack's wrapping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<@U123ABC> who won hartlepool?",
        "<@U123ABC|resultsbot> who won hartlepool",
        "who won <@W0A1B2C3> hartlepool",
        "<!here> who won hartlepool",
        "<#C123|newsdesk> who won hartlepool",
        "who won <http://example.com/seats/hartlepool|hartlepool>",
        "hey <@U123ABC>, can you tell me who won hartlepool please?",
        "<@U123ABC> who won *hartlepool* :thinking_face: ?",
        "&gt; who won hartlepool",
        "who won hartlepool 🗳️",
        "Who   won\nhartlepool\t?!",
        "@resultsbot who won hartlepool thanks",
        "ok so who won hartlepool then",
        "do you know who won hartlepool",
    ],
)
def test_slack_markup_and_politeness_are_ignored(text):
    assert parse_question(text) == q("winner", "hartlepool")


def test_slack_escapes_are_undone_once():
    assert clean_text("Vauxhall &amp; Camberwell Green") == "Vauxhall & Camberwell Green"
    assert clean_text("a &lt;b&gt; &amp;lt;") == "a <b> &lt;"
    assert parse_question("vauxhall &amp; camberwell green") == q("result", "vauxhall & camberwell green")


def test_clean_text_drops_control_and_invisible_characters():
    assert clean_text("hart\x00le\u200bpool\r\n") == "hart lepool"
    assert clean_text("<https://example.com>") == ""
    assert clean_text("<<<<<<") == "<<<<<<"  # not markup: left for the parser to treat as punctuation


# --- party words: only in party patterns, and only as whole words -------------------------------------


@pytest.mark.parametrize(
    "text",
    ["congleton", "who won congleton", "bethnal green and bow", "chingford and woodford green", "tunbridge wells"],
)
def test_party_words_inside_seat_names_stay_seat_names(text):
    question = parse_question(text)
    assert question.party is None
    assert question.seat_query is not None
    assert normalise(question.seat_query).endswith(normalise(text.removeprefix("who won ")))


def test_a_party_word_must_be_the_whole_word():
    assert resolve_party("labourers") is None
    assert resolve_party("Congleton") is None
    assert resolve_party("reformed", fuzzy=False) is None
    assert parse_question("labourers in hartlepool").intent == "result"


def test_a_seat_ending_in_a_party_word_is_not_split():
    # "Woodford Green vote" is the seat's vote, not the Greens' vote in "Woodford".
    assert parse_question("chingford and woodford green vote") == q("result", "chingford and woodford green")
    assert parse_question("tunbridge wells labour vote") == q("party", "tunbridge wells", party="Lab")


@pytest.mark.parametrize(
    ("alias", "abbreviation"),
    [
        ("Conservative", "Con"), ("Conservatives", "Con"), ("Tory", "Con"), ("Tories", "Con"), ("Con", "Con"),
        ("Labour", "Lab"), ("Lab", "Lab"), ("Labour and Co-operative", "Lab"), ("Lab Co-op", "Lab"),
        ("Liberal Democrat", "LD"), ("Liberal Democrats", "LD"), ("Lib Dem", "LD"), ("Lib Dems", "LD"),
        ("LD", "LD"), ("Libdems", "LD"), ("lib-dems", "LD"),
        ("Reform", "RUK"), ("Reform UK", "RUK"), ("RUK", "RUK"), ("Brexit Party", "BRX"),
        ("Green", "Green"), ("Greens", "Green"), ("Green Party", "Green"), ("the Scottish Greens", "Green"),
        ("SNP", "SNP"), ("Scottish National Party", "SNP"), ("Plaid", "PC"), ("Plaid Cymru", "PC"), ("PC", "PC"),
        ("UKIP", "UKIP"), ("DUP", "DUP"), ("Sinn Fein", "SF"), ("Sinn Féin", "SF"), ("SF", "SF"),
        ("SDLP", "SDLP"), ("UUP", "UUP"), ("Alliance", "APNI"), ("APNI", "APNI"), ("Workers Party", "WPB"),
        ("WPB", "WPB"), ("Independent", "Ind"), ("Independents", "Ind"), ("Ind", "Ind"), ("Speaker", "Spk"),
        ("the Labour Party", "Lab"), ("Labour's", "Lab"), ("LABOUR", "Lab"),
    ],
)  # fmt: skip
def test_party_aliases(alias, abbreviation):
    assert resolve_party(alias) == abbreviation
    assert parse_question(f"how did {alias} do in copeland") == q("party", "copeland", party=abbreviation)
    assert parse_question(f"{alias} gains 2024").party == abbreviation


def test_party_table_is_consistent_with_the_store():
    assert set(PARTY_ALIASES.values()) == PARTIES
    # Brexit Party answers compare with Reform UK's, as the store compares them.
    assert arithmetic.party_key(resolve_party("brexit party")) == arithmetic.party_key(resolve_party("reform"))
    assert arithmetic.party_key(resolve_party("speaker")) == arithmetic.party_key("Speaker")


# --- result or unknown: the fallback rule ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather like in hartlepool",
        "tell me a joke",
        "what time is it",
        "who won the football",
        "what is love",
        "why is the sky blue",
        "where is copeland",
        "is copeland a marginal",
        "this is a long sentence that cannot possibly be the name of any constituency at all",
        "x" * 400,
    ],
)
def test_unknown(text):
    assert parse_question(text) == q("unknown")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", q("result", year=2019)),  # results wanted, seat not named: the caller asks which
        ("who won in 2019", q("election_winner", year=2019, kind="general")),
        ("who won the 2024 election", q("election_winner", year=2024, kind="general")),
        ("the", q("help")),
        ("thanks!", q("help")),
        ("can you help", q("help")),
        ("how do i use this", q("help")),
        (None, q("help")),
    ],
)
def test_no_seat(text, expected):
    assert parse_question(text) == expected


def test_a_short_plain_text_is_tried_as_a_seat():
    # Not obviously a question: the store gets to say whether it is a seat.
    assert parse_question("random words") == q("result", "random words")


# --- every real seat ----------------------------------------------------------------------------------

TEMPLATES = [
    ("{}", "result", None, ""),
    ("who won {}?", "winner", None, ""),
    ("who won the {} by-election", "winner", None, " by-election"),
    ("what was the majority in {} in 2019", "majority", None, " 2019"),
    ("{}'s majority", "majority", None, ""),
    ("{} turnout", "turnout", None, ""),
    ("results for {} 2024", "result", None, " 2024"),
    ("how did the lib dems do in {}", "party", "LD", ""),
    ("green vote in {}", "party", "Green", ""),
    ("{} labour vote", "party", "Lab", ""),
    ("labour in {}", "party", "Lab", ""),
    ("<@U1ABC> {} please", "result", None, ""),
]


def _without_the(text: str) -> str:
    key = normalise(text)
    return key.removeprefix("the ")


@pytest.mark.parametrize(("template", "intent", "party", "suffix"), TEMPLATES)
def test_every_bundled_seat_name_survives(template, intent, party, suffix):
    names = bundled_seat_names()
    assert len(names) > 600
    wrong = []
    for name in names:
        for typed in (name, name.lower(), name.upper()):
            question = parse_question(template.format(typed))
            if (
                question.intent != intent
                or question.party != party
                or question.seat_query is None
                or _without_the(question.seat_query) != _without_the(name + suffix)
            ):
                wrong.append((typed, question))
    assert wrong == []


def test_seat_queries_find_the_seat_they_name():
    names = bundled_seat_names()
    index = SeatIndex(names)
    wrong = []
    for name in names:
        for text in (f"who won {name} 2019", f"how did labour do in {name.lower()}"):
            question = parse_question(text)
            assert question.seat_query is not None
            found = index.find(parse_query(question.seat_query).seat_text).unique
            if found is None or normalise(found.name) != normalise(name):
                wrong.append((text, question.seat_query, found))
    assert wrong == []


# --- never raises ---------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "who won", "majority", "turnout", "result", "how did", "do in", "vote in", "gains", "gain", "closest",
        "top 5", "the", "in", "of", "labour", "lib dems", "green", "reform", "con", "hartlepool", "copeland",
        "bethnal green and bow", "2019", "1900", "by-election", "general election", "ge", "election", "?", "!",
        "'s", "(", ")", "<@U123>", "<@U1|x>", "<#C1|news>", "<http://a.b|label>", "<http://a.b>", "<!here>",
        "&amp;", "&lt;", "&gt;", "<", ">", "|", "*", "_", "~", "`", ":smile:", "🗳️", "\x00", "\u200b", "\n",
        "please", "hey", "help", "what's", "weather", "how many votes did", "get in", "did", "who gained",
        "from the", "by", "top 0", "twenty", "é", "\u0301", "ﬁ", "﷽", " ", "",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    st.lists(FRAGMENTS, max_size=30).map(" ".join),
    st.lists(FRAGMENTS, max_size=30).map("".join),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=20).map(" ".join),
)


def _assert_valid(question: Question) -> None:
    assert isinstance(question, Question)
    assert question.intent in INTENTS
    if question.seat_query is not None:
        assert question.seat_query.strip()
        assert len(question.seat_query) <= MAX_SEAT_QUERY_CHARS
    assert question.party is None or question.party in PARTIES
    assert question.year is None or 1900 <= question.year <= 2099
    assert question.kind in (None, "general", "by-election")
    assert question.limit is None or 1 <= question.limit <= MAX_LIMIT
    if question.intent in ("help", "unknown", "closest", "gains"):
        assert question.seat_query is None
    if question.intent in ("help", "unknown"):
        assert question == Question(question.intent)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
@example("")
@example("\x00" * 50)
@example("🗳️" * 3000)
@example("who won " + "a" * 10_000)
@example("who won " + "hartlepool " * 18)
@example("<" * 10_000)
@example("<@" * 5000)
@example("&amp;" * 2000)
@example("top 5 closest " * 700)
@example("how did " + "labour " * 40 + "do in " + "copeland " * 20)
def test_never_raises(text):
    # _parse directly: parse_question's safety net would hide a bug from this test.
    _assert_valid(questions._parse(text))
    _assert_valid(parse_question(text))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["", "who won ", "how did labour do in ", "<@U1> "]), st.text(min_size=1, max_size=40))
def test_long_texts_are_handled(prefix, unit):
    text = prefix + (unit * (10_000 // len(unit) + 1))[:10_000]
    _assert_valid(questions._parse(text))


def test_question_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_question("hartlepool").intent = "help"  # type: ignore[misc]


# --- questions about a whole election (issue 9, section 1) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how many seats did Reform UK win?", q("seats", party="RUK", kind="general")),
        (
            "how many seats did the snp win in 2019 in scotland",
            q("seats", party="SNP", year=2019, kind="general", scope="scotland"),
        ),
        ("how many MPs does labour have", q("seats", party="Lab", kind="general")),
        ("lib dem seats in the south west", q("seats", party="LD", kind="general", scope="south west")),
        ("who won the 2024 general election", q("election_winner", year=2024, kind="general")),
        ("@resultsbot who won the election?", q("election_winner", kind="general")),
        ("which party won in scotland", q("election_winner", kind="general", scope="scotland")),
        ("state of the parties 2019", q("parties", year=2019, kind="general")),
        ("state of the parties", q("parties", kind="general")),
        ("national vote share 2024", q("parties", year=2024, kind="general")),
        ("national vote share in wales", q("parties", kind="general", scope="wales")),
        ("how did the snp do in 2024", q("party", party="SNP", year=2024)),
        ("how did the snp do in scotland", q("party", party="SNP", scope="scotland")),
        ("how did labour do in the north east", q("party", party="Lab", scope="north east")),
    ],
)
def test_election_questions(text, expected):
    assert parse_question(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lowest turnout 2024", q("ranking", year=2024, kind="general", measure="turnout", order="lowest")),
        ("highest turnout", q("ranking", kind="general", measure="turnout", order="highest")),
        (
            "where was turnout lowest in 2019",
            q("ranking", year=2019, kind="general", measure="turnout", order="lowest"),
        ),
        (
            "top 3 lowest turnouts in the north east",
            q("ranking", kind="general", measure="turnout", order="lowest", limit=3, scope="north east"),
        ),
        ("biggest majorities 2024", q("ranking", year=2024, kind="general", measure="majority", order="highest")),
        ("smallest majorities", q("ranking", kind="general", measure="majority", order="lowest")),
        ("safest seats", q("ranking", kind="general", measure="majority", order="highest")),
        ("safest seats by votes", q("ranking", kind="general", measure="majority_votes", order="highest")),
        (
            "10 biggest majorities in 2019",
            q("ranking", year=2019, kind="general", measure="majority", order="highest", limit=10),
        ),
        ("top 5 safest seats", q("ranking", kind="general", measure="majority", order="highest", limit=5)),
        (
            "lowest turnout at the 2021 by-elections",
            q("ranking", year=2021, kind="by-election", measure="turnout", order="lowest"),
        ),
    ],
)
def test_rankings(text, expected):
    assert parse_question(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "lowest turnout 2024",  # was Lowestoft
        "biggest majorities 2024",  # was a seat called "biggest"
        "highest turnout",
        "safest seats",
        "smallest majority",
        "largest majority in 2019",
        "who won the election",
        "state of the parties",
        "national vote share",
        "how many seats did the greens win",
        "how did the snp do in 2024",
    ],
)
def test_election_questions_name_no_seat(text):
    question = parse_question(text)
    assert question.seat_query is None and question.intent not in ("result", "winner", "majority", "turnout")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A place that is not a nation or region is still a seat.
        ("who won in hartlepool", q("winner", "hartlepool")),
        ("how did labour do in copeland", q("party", "copeland", party="Lab")),
        ("majority in copeland", q("majority", "copeland")),
        ("who won", q("winner")),  # no election named: which seat?
    ],
)
def test_seat_questions_stay_seat_questions(text, expected):
    assert parse_question(text) == expected
