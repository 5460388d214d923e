"""Tests for handlers.blocks: Block Kit from real summaries (the Library's files, read with no database),
inside Slack's limits, with hostile text escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block as SdkBlock

from handlers import blocks
from handlers import summary_words as render
from handlers.listeners import actions
from store import questions
from store.answers import closest
from store.numbers import count
from store.summary import SOURCE_NOTE, CandidateLine, OtherContest, Summary
from tests.unit.library import library_summaries, summary_of

SOURCE_LINE = f"{SOURCE_NOTE}."
ENTITY = re.compile(r"&(amp|lt|gt);")


# ---------------------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def copeland() -> Summary:
    return summary_of("Copeland", "23 February 2017 by-election")


@pytest.fixture(scope="module")
def every_summary() -> list[Summary]:
    return list(library_summaries())


def size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def texts_of(message_blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn string in the blocks."""
    out = []
    for block in message_blocks:
        if block["type"] == "section":
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out.extend(element["text"] for element in block["elements"])
    return out


def table_sections(message_blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in message_blocks if b["type"] == "section" and b["text"]["text"].startswith("```")]


def table_rows(message_blocks: list[dict[str, Any]]) -> list[str]:
    rows = []
    for text in table_sections(message_blocks):
        lines = text.split("\n")
        assert lines[0] == "```" and lines[-1] == "```"
        assert lines[1].startswith("Candidate")  # the headings again in every part of a split table
        rows.extend(lines[2:-1])
    return rows


def assert_within_limits(message: dict[str, Any]) -> None:
    message_blocks = message["blocks"]
    assert 1 <= len(message_blocks) <= 50
    assert 0 < size(message["text"]) <= 4000
    ids = []
    for block in message_blocks:
        kind = block["type"]
        if kind == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < size(block["text"]["text"]) <= 150
            assert "\n" not in block["text"]["text"]
        elif kind == "section":
            assert block["text"]["type"] == "mrkdwn"
            assert 0 < size(block["text"]["text"]) <= 3000
        elif kind == "context":
            assert 1 <= len(block["elements"]) <= 10
            assert all(0 < size(e["text"]) <= 2000 for e in block["elements"])
        elif kind == "actions":
            assert 1 <= len(block["elements"]) <= 25
            for button in block["elements"]:
                assert 0 < size(button["text"]["text"]) <= 75
                assert size(button.get("value", "")) <= 2000
                ids.append(button["action_id"])
        else:
            pytest.fail(f"unexpected block {kind}")
    assert len(ids) == len(set(ids))
    for text in texts_of(message_blocks):
        assert "<" not in text and ">" not in text
        assert "&" not in ENTITY.sub("", text)


def validate_with_sdk(message_blocks: list[dict[str, Any]]) -> None:
    """slack_sdk's own model checks (lengths and counts) as a second opinion."""
    for block in SdkBlock.parse_all(message_blocks):
        block.validate_json()


def hostile(summary: Summary, names: list[str], *, seat: str | None = None, party: str = "Ind") -> Summary:
    lines = tuple(
        CandidateLine(name, party, "Independent", 1000 - i, None, None, i == 0) for i, name in enumerate(names)
    )
    return dataclasses.replace(
        summary,
        constituency=seat or summary.constituency,
        candidates=lines,
        winner=lines[0],
        runner_up=lines[1] if len(lines) > 1 else None,
    )


# ---------------------------------------------------------------------------------------------------------
# Every contest in the store


def test_every_contest_fits_slack_and_shows_every_candidate(every_summary):
    assert len(every_summary) > 4000
    for summary in every_summary:
        message = blocks.message(summary)
        assert_within_limits(message)
        rows = table_rows(message["blocks"])
        assert len(rows) == len(summary.candidates), summary.constituency
        for line in summary.candidates:
            name = blocks.escape(blocks.neutralise(render.candidate_name(line)))
            votes = count(line.votes)
            assert any(row.startswith(name) and f" {votes} " in row for row in rows), (summary.constituency, name)
        assert SOURCE_LINE in message["blocks"][-1]["elements"][-1]["text"]


def test_vote_counts_carry_thousands_separators(every_summary):
    big = next(s for s in every_summary if any((c.votes or 0) >= 10_000 for c in s.candidates))
    rows = "\n".join(table_rows(blocks.summary_blocks(big)))
    assert re.search(r"\b\d{2},\d{3}\b", rows)
    assert not re.search(r"\b\d{5,}\b", rows)


def test_biggest_real_contests_validate_with_slack_sdk(every_summary):
    for summary in sorted(every_summary, key=lambda s: len(s.candidates))[-3:]:
        validate_with_sdk(blocks.summary_blocks(summary, corrected_note="Votes for one candidate re-counted."))


# ---------------------------------------------------------------------------------------------------------
# Copeland 2017 by-election


def test_copeland_result_post(copeland):
    message_blocks = blocks.summary_blocks(copeland)
    validate_with_sdk(message_blocks)
    header, facts, table, context = message_blocks
    assert header["text"]["text"] == "Copeland · by-election · Thursday 23 February 2017"
    lines = facts["text"]["text"].split("\n")
    assert lines[0] == "*Con GAIN from Lab · majority 2,147 (6.9%)*"
    assert lines[1] == "Trudy Harrison (Con) elected with 13,748 votes, 44.3%"
    assert "Swing 6.7 pts Lab to Con" in lines[2]
    rows = table_rows(message_blocks)
    harrison = next(row for row in rows if row.startswith("Trudy Harrison"))
    assert harrison.split()[-4:] == ["Con", "13,748", "44.3%", "+8.5"]
    independents = [row for row in rows if " Ind " in row]
    assert len(independents) == 2 and all(row.endswith("new") for row in independents)
    small_print = context["elements"][0]["text"]
    assert "Compared with the 2015 general election: Lab HOLD, majority 2,564." in small_print
    assert "Turnout is valid votes / electorate" in small_print
    assert small_print.endswith("Source: House of Commons Library (Open Parliament Licence v3.0).")
    assert table["text"]["text"].count("```") == 2


def test_copeland_table_columns_align(copeland):
    rows = table_sections(blocks.summary_blocks(copeland))[0].split("\n")[1:-1]
    assert len({len(row) for row in rows if row.endswith(("new", "+8.5", "-4.9", "Change"))}) == 1
    assert all(row.index("Con") == rows[0].index("Party") for row in rows if row.startswith("Trudy"))


def test_text_fallback_reads_on_its_own(copeland):
    text = blocks.summary_text(copeland)
    assert text.startswith("Copeland (by-election 2017): Con GAIN from Lab · majority 2,147 (6.9%)")
    assert "Trudy Harrison (Con) elected" in text
    message = blocks.message(copeland)
    assert message == {"text": text, "blocks": blocks.summary_blocks(copeland)}


def test_provisional_and_corrected_show_in_the_headline(copeland):
    provisional = blocks.summary_blocks(dataclasses.replace(copeland, status="provisional"))
    assert provisional[1]["text"]["text"].startswith("*PROVISIONAL · Con GAIN from Lab")
    corrected = dataclasses.replace(copeland, version=2, corrected=True)
    corrected_blocks = blocks.summary_blocks(corrected, corrected_note="Lab's votes were 11,601, not 11,061.")
    assert corrected_blocks[0]["type"] == "header"
    assert corrected_blocks[1]["text"]["text"] == "*⚠️ Corrected:* Lab's votes were 11,601, not 11,061."
    assert corrected_blocks[2]["text"]["text"].startswith("*CORRECTED · Con GAIN from Lab")
    assert "CORRECTED" in blocks.summary_text(corrected)
    text = blocks.message(corrected, corrected_note="Recount.")["text"]
    assert text.endswith("Corrected: Recount.")


# ---------------------------------------------------------------------------------------------------------
# Hostile and oversized data


def test_hostile_names_are_escaped(copeland):
    names = ["<!channel> & <@U123|boss>", "```rm -rf```", "Line\nbreak\tand\u202eoverride", "O'Brien"]
    summary = hostile(copeland, names, seat="Brighton & <Hove>", party="<b>")
    message = blocks.message(summary, corrected_note="<!here> & more")
    assert_within_limits(message)
    validate_with_sdk(message["blocks"])
    everything = "\n".join(texts_of(message["blocks"])) + message["text"]
    assert "<!channel>" not in everything and "<!here>" not in everything
    assert "&lt;!channel&gt; &amp; &lt;@U123|boss&gt;" in everything
    assert "Brighton &amp; &lt;Hove&gt;" in message["text"]
    assert message["blocks"][0]["text"]["text"].startswith("Brighton & <Hove> · ")  # plain text, as given
    (table,) = table_sections(message["blocks"])
    assert table.count("```") == 2  # only the fences: the name cannot close the block
    assert "`\u200b`\u200b`rm -rf`\u200b`\u200b`" in table
    rows = table.split("\n")
    assert len(rows) == 2 + 1 + len(names)  # fences, headings, one line per candidate
    assert any(row.startswith("Line break andoverride") for row in rows)


def test_huge_contest_splits_and_stays_under_fifty_blocks(copeland):
    names = [f"Candidate number {i:04d} with a very long name indeed, Esq." for i in range(2000)]
    message_blocks = blocks.summary_blocks(hostile(copeland, names), corrected_note="x" * 5000)
    assert_within_limits({"text": "x", "blocks": message_blocks})
    validate_with_sdk(message_blocks)
    assert len(message_blocks) == 50
    sections = table_sections(message_blocks)
    assert len(sections) == 46
    more = re.search(r"…and (\d+) more candidates", sections[-1])
    assert more is not None
    assert len(table_rows(message_blocks)) - 1 + int(more.group(1)) == 2000


def test_sixteen_candidates_and_long_names_split_by_size(copeland):
    names = [f"{'Very ' * 20}Long Name {i}" for i in range(40)]
    message_blocks = blocks.summary_blocks(hostile(copeland, names))
    sections = table_sections(message_blocks)
    assert len(sections) > 1
    assert all(size(text) <= 3000 for text in sections)
    rows = table_rows(message_blocks)
    assert len(rows) == 40 and all(len(row) == len(rows[0]) for row in rows[:9])
    assert all("…" in row.split("  ")[0] for row in rows)  # names past 60 characters are cut


def test_long_seat_name_keeps_kind_and_date_in_header(copeland):
    summary = dataclasses.replace(copeland, constituency="Llanfair" * 40)
    header = blocks.summary_blocks(summary)[0]["text"]["text"]
    assert size(header) <= 150
    assert header.endswith("… · by-election · Thursday 23 February 2017")
    astral = dataclasses.replace(copeland, constituency="🗳" * 200)
    assert size(blocks.summary_blocks(astral)[0]["text"]["text"]) <= 150


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=1, max_size=80), min_size=2, max_size=30), st.text(max_size=200))
def test_any_names_stay_escaped_and_within_limits(copeland, names, seat):
    message = blocks.message(hostile(copeland, names, seat=seat or "Seat"), corrected_note=seat or None)
    assert_within_limits(message)
    for table in table_sections(message["blocks"]):
        assert table.count("```") == 2
    assert len(table_rows(message["blocks"])) == len(names)


# ---------------------------------------------------------------------------------------------------------
# Choices, notices, help, lists


def test_choice_blocks_offer_at_most_ten_unique_buttons():
    options = [(f"Seat {i} & Co", f"seat {i} 2019 by-election") for i in range(12)]
    options[0] = ("A" * 100, "a" * 2500)
    message_blocks = blocks.choice_blocks("“Stoke” fits 12 seats. Which one?", options)
    assert_within_limits({"text": "x", "blocks": message_blocks})
    validate_with_sdk(message_blocks)
    buttons = [e for b in message_blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(buttons) == 10
    assert [b["action_id"] for b in buttons] == [f"result_choice:{i}" for i in range(10)]
    assert all(re.match(r"^result_choice", b["action_id"]) for b in buttons)
    assert [b["value"] for b in buttons[1:]] == [value for _, value in options[1:10]]  # round-trip
    assert [b["text"]["text"] for b in buttons[1:3]] == ["Seat 1 & Co", "Seat 2 & Co"]
    assert size(buttons[0]["text"]["text"]) == 75 and size(buttons[0]["value"]) == 2000
    assert "2 more not shown" in message_blocks[-1]["elements"][0]["text"]
    assert blocks.choice_blocks("Which?", options[:3], action_id="x")[1]["elements"][2]["action_id"] == "x:2"


def test_notice_blocks():
    (section,) = blocks.notice_blocks("No seat matches “<@U1> & co”. Try `/result help`.")
    assert section["text"]["text"] == "No seat matches “&lt;@U1&gt; &amp; co”. Try `/result help`."
    section, context = blocks.notice_blocks("Turnout was 51.3%.", context=SOURCE_LINE)
    assert context["elements"][0]["text"] == SOURCE_LINE
    long = blocks.notice_blocks("\n".join(["line " * 100] * 100))
    assert len(long) > 1 and all(size(b["text"]["text"]) <= 3000 for b in long)
    assert blocks.notice_blocks("")[0]["text"]["text"]


def test_help_text_lists_what_can_be_asked():
    text = blocks.help_text()
    for example in (
        "/result copeland",
        "/result hartlepool 2019",
        "/result stoke central by-election",
        "@resultsbot who won hartlepool?",
        "@resultsbot what was the majority in copeland",
        "@resultsbot turnout in stoke central",
        "@resultsbot how did the lib dems do in copeland",
        "@resultsbot closest results of the 2024 election",
        "@resultsbot conservative gains in 2019",
    ):
        assert example in text
    # Every question the help offers is one the parser understands.
    for question in re.findall(r"`@resultsbot ([^`]+)`", text):
        assert questions.parse_question(question).intent not in ("unknown", "help"), question
    assert "House of Commons Library" in text and "Open Parliament Licence" in text
    assert "&" not in text and "<" not in text
    (section,) = blocks.notice_blocks(text)
    assert section["text"]["text"] == text


def test_list_blocks_for_closest_results(every_summary):
    name = "2024 general election"
    chosen = closest([s for s in every_summary if s.election_name == name], 10)
    message_blocks = blocks.list_blocks(f"Closest results of the {name}", chosen)
    assert_within_limits({"text": "x", "blocks": message_blocks})
    validate_with_sdk(message_blocks)
    assert message_blocks[0]["text"]["text"] == "Closest results of the 2024 general election"
    lines = message_blocks[1]["text"]["text"].split("\n")
    assert len(lines) == 10
    first = chosen[0]
    assert lines[0] == f"1. *{first.constituency}*: {render.headline(first)}"
    assert f"{first.result_label} · majority {count(first.majority_votes)} (" in lines[0]
    assert SOURCE_LINE in message_blocks[-1]["elements"][-1]["text"]


def test_list_blocks_truncate_and_escape(every_summary, copeland):
    message_blocks = blocks.list_blocks("Every result " * 20, every_summary)
    assert_within_limits({"text": "x", "blocks": message_blocks})
    assert len(message_blocks) == 50
    more = re.search(r"…and (\d+) more$", message_blocks[-2]["text"]["text"])
    assert more is not None
    shown = sum(len(b["text"]["text"].split("\n")) for b in message_blocks[1:-1]) - 1
    assert shown + int(more.group(1)) == len(every_summary)
    by_election = blocks.list_line(copeland)
    assert by_election == "*Copeland (by-election, 23 February 2017)*: Con GAIN from Lab · majority 2,147 (6.9%)"
    hostile = dataclasses.replace(copeland, constituency="Copeland <&>")
    escaped = blocks.list_blocks("Gains", [hostile])[1]["text"]["text"]
    assert escaped.startswith("1. *Copeland &lt;&amp;&gt; (by-election, 23 February 2017)*: Con GAIN from Lab")
    assert blocks.list_blocks("Nothing", [])[1]["text"]["text"] == "_No seats to show._"
    assert blocks.list_text("Gains", [copeland]).startswith(
        "Gains\nCopeland (by-election, 23 February 2017): Con GAIN from Lab"
    )


def test_a_digest_reads_each_result_on_a_line_and_stays_escaped_and_within_limits(every_summary, copeland):
    chosen = [s for s in every_summary if s.election_name == "2019 general election"][:20]
    message = blocks.digest_message(chosen)
    assert_within_limits(message)
    validate_with_sdk(message["blocks"])
    heading, *sections, small_print = message["blocks"]
    assert heading["text"]["text"] == "*20 results*"
    lines = [line for section in sections for line in section["text"]["text"].split("\n")]
    assert lines == [blocks.list_line(summary) for summary in chosen]
    first = chosen[0]
    assert f"*{first.constituency}*: {first.result_label} · majority {count(first.majority_votes)} (" in lines[0]
    assert message["text"].startswith(f"20 results: {first.constituency}: {first.result_label} · majority ")
    assert message["text"].count("; ") == 19
    assert SOURCE_LINE in small_print["elements"][-1]["text"]
    hostile = dataclasses.replace(copeland, constituency="<!channel> `` Copeland & co")
    alone = blocks.digest_message([hostile])
    assert alone["blocks"][0]["text"]["text"] == "*1 result*"
    assert "<!channel>" not in str(alone) and "&lt;!channel&gt;" in alone["blocks"][1]["text"]["text"]
    assert "&lt;!channel&gt;" in alone["text"] and "``" not in alone["text"]


# ---------------------------------------------------------------------------------------------------------
# Escaping helpers


def test_escape_and_neutralise_and_clip():
    assert blocks.escape("a & b <c> ```") == "a &amp; b &lt;c&gt; `\u200b`\u200b`"
    assert blocks.escape("`code`") == "`code`"
    assert blocks.neutralise("Daithí\xad\nMac\x00") == "Daithí Mac"
    assert blocks.clip("abcdef", 4) == "abc…"
    assert blocks.clip("🗳🗳🗳", 4) == "🗳…"
    assert blocks.clip("short", 10) == "short"


# ---------------------------------------------------------------------------------------------------------
# What a reader must see beside the figures: other contests that year, a source that contradicts itself


def copeland_june_2017() -> Summary:
    """Copeland's June 2017 result as `ResultsService.ask` gives it for "copeland 2017"."""
    february = OtherContest(
        "23 February 2017 by-election", dt.date(2017, 2, 23), "by-election", "Con GAIN from Lab", "Con",
        "Copeland 2017 by-election",
    )  # fmt: skip
    return dataclasses.replace(summary_of("Copeland", "2017 general election"), also=(february,))


def test_the_other_contest_of_the_year_is_named_with_a_button_that_asks_for_it():
    summary = copeland_june_2017()
    message = blocks.message(summary)
    assert_within_limits(message)
    validate_with_sdk(message["blocks"])
    header, facts, also, buttons, *_ = message["blocks"]
    assert header["text"]["text"] == "Copeland · general election · Thursday 8 June 2017"
    assert also["text"]["text"] == (
        "Also in 2017: by-election, 23 February (Con GAIN from Lab) — `/result Copeland 2017 by-election`"
    )
    (button,) = buttons["elements"]
    assert button["text"]["text"] == "By-election, 23 February 2017"
    assert button["value"] == "Copeland 2017 by-election"
    assert button["action_id"] == "result_choice_also:0"
    assert actions.CHOICE_ACTION.match(button["action_id"])  # the listener that answers seat choices
    also_line = "Also in 2017: by-election, 23 February (Con GAIN from Lab) — `/result Copeland 2017 by-election`"
    assert also_line in render.text_summary(summary).split("\n")[:6]


def test_other_contests_with_hostile_seat_names_stay_escaped():
    summary = copeland_june_2017()
    (february,) = summary.also
    hostile_query = "<!channel> & ``Seat``\n 2017 by-election"
    summary = dataclasses.replace(summary, also=(dataclasses.replace(february, query=hostile_query),))
    message = blocks.message(summary)
    assert_within_limits(message)
    also = next(text for text in texts_of(message["blocks"]) if text.startswith("Also in 2017"))
    assert "`/result &lt;!channel&gt; &amp; `\u200b`Seat`\u200b`  2017 by-election`" in also  # one line
    (button,) = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["value"] == hostile_query  # the query as it is, for the listener to ask


def test_a_source_that_contradicts_itself_is_said_under_the_headline_not_only_in_small_print():
    """Sheffield Brightside 2016 showed 14,987 votes, a 10,490 majority and shares adding to 104% with
    nothing said: the candidacies file gives Labour 900 votes more than the constituencies file."""
    summary = summary_of("Sheffield Brightside and Hillsborough", "5 May 2016 by-election")
    warning = (
        "The Library's files disagree: candidate votes add up to 23,481 but valid votes are 22,581; the file "
        "states a majority of 9,590 where the votes give 10,490. Figures here are computed from the votes as published."
    )
    assert warning in summary.notes and warning in summary.to_json()["notes"]
    message = blocks.message(summary)
    assert_within_limits(message)
    header, facts, flagged, *_, small_print = message["blocks"]
    assert facts["text"]["text"].startswith("*Lab HOLD · majority 10,490")
    assert flagged["text"]["text"] == "*⚠️ The Library's files disagree:* " + warning.split(": ", 1)[1]
    assert "disagree" not in small_print["elements"][0]["text"]  # said once, where it is seen
    assert warning in message["text"]
    text = render.text_summary(summary).split("\n")
    assert text[4] == warning and text.count(warning) == 1
    assert blocks.list_line(summary).endswith("· the Library's figures disagree: see the result")


def test_only_the_three_contests_the_library_contradicts_say_so(every_summary):
    flagged = sorted((s.constituency, s.election_name) for s in every_summary if s.disagreements)
    assert flagged == [
        ("Arbroath and Broughty Ferry", "18 June 2026 by-election"),
        ("Blaenau Gwent", "2010 general election"),
        ("Sheffield Brightside and Hillsborough", "5 May 2016 by-election"),
    ]


def test_an_announcement_mentions_only_a_well_formed_user_and_escapes_the_rest() -> None:
    said = blocks.announcement_blocks("U0ALICE", "made this channel follow <!channel> & co.")
    assert said[0]["text"]["text"] == "<@U0ALICE> made this channel follow &lt;!channel&gt; &amp; co."
    for forged in ("U1> <!channel", "<!here>", "", "u0alice"):
        text = blocks.announcement_text(forged, "made this channel follow gains.")
        assert text == "Someone made this channel follow gains.", forged


# ---------------------------------------------------------------------------------------------------------
# A rehearsal's label


def test_a_rehearsal_label_leads_the_text_and_the_blocks_and_keeps_a_full_message_within_limits(copeland):
    names = [f"Candidate number {i:04d} with a very long name indeed, Esq." for i in range(2000)]
    full = blocks.message(hostile(copeland, names))
    assert len(full["blocks"]) == 50

    marked = blocks.labelled(full, "REHEARSAL")

    assert marked["text"].startswith("REHEARSAL · ") and marked["text"].endswith(full["text"][-20:])
    assert marked["blocks"][0]["type"] == "context" and "REHEARSAL" in marked["blocks"][0]["elements"][0]["text"]
    assert len(marked["blocks"]) == 50 and marked["blocks"][-1] == full["blocks"][-1]  # the source line kept
    assert_within_limits(marked)
    validate_with_sdk(marked["blocks"])
    assert blocks.labelled(full, None) == full


def test_a_labelled_correction_note_and_card_title_say_rehearsal():
    note = blocks.labelled({"text": blocks.message_text("Corrected: Lab votes 100 → 1,000")}, "REHEARSAL")
    assert note == {"text": "REHEARSAL · Corrected: Lab votes 100 → 1,000"}
    assert blocks.labelled_title("Copeland, 2017 general election", "REHEARSAL").startswith("REHEARSAL · Copeland")
