"""Replies to a pointed question: the one sentence, and what must travel with it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from handlers.replies import reply_to_question
from store.answers import FOUND, Answer
from store.summary import OtherContest, Summary
from tests.unit.library import summary_of


class Answering:
    """Stands in for the store's ResultsService: every query answers with one summary."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary

    def ask(self, query: str) -> Answer:
        return Answer(FOUND, query, self.summary.constituency, self.summary)


def test_the_majority_of_a_contest_the_library_contradicts_comes_with_the_warning():
    sheffield = summary_of("Sheffield Brightside and Hillsborough", "5 May 2016 by-election")
    reply = reply_to_question("what was the majority in sheffield brightside 2016", Answering(sheffield))  # type: ignore[arg-type]
    assert reply.plain.startswith(
        "The majority in Sheffield Brightside and Hillsborough (5 May 2016 by-election) was 10,490"
    )
    assert "The Library's files disagree: candidate votes add up to 23,481 but valid votes are 22,581" in reply.plain
    assert "The Library's files disagree" in reply.text
    sentence, warning, source = reply.blocks
    assert warning["text"]["text"].startswith("*⚠️ The Library's files disagree:* candidate votes add up to 23,481")
    assert source["type"] == "context"


def test_a_pointed_question_names_the_other_contest_of_the_year():
    february = OtherContest(
        "23 February 2017 by-election", dt.date(2017, 2, 23), "by-election", "Con GAIN from Lab", "Con",
        "Copeland 2017 by-election",
    )  # fmt: skip
    june = dataclasses.replace(summary_of("Copeland", "2017 general election"), also=(february,))
    reply = reply_to_question("what was the majority in copeland 2017", Answering(june))  # type: ignore[arg-type]
    assert reply.plain.split("\n")[1] == (
        "Also in 2017: by-election, 23 February (Con GAIN from Lab) — `/result Copeland 2017 by-election`"
    )
    sentence, also, buttons, source = reply.blocks
    assert sentence["text"]["text"].startswith("The majority in Copeland (2017 general election) was 1,695")
    assert also["text"]["text"].startswith("Also in 2017: by-election, 23 February")
    assert [b["value"] for b in buttons["elements"]] == ["Copeland 2017 by-election"]


def test_a_plain_result_reply_is_as_before():
    copeland = summary_of("Copeland", "23 February 2017 by-election")
    reply = reply_to_question("what was the majority in copeland 2017 by-election", Answering(copeland))  # type: ignore[arg-type]
    sentence, source = reply.blocks
    assert source["elements"][0]["text"] == "Source: House of Commons Library (Open Parliament Licence v3.0)."
